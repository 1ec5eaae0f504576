//! The data file of a running sandbox, and the lock that keeps a second sandbox off it.
//!
//! Two sandboxes on one data file would both hand out the same lead ids, and the last
//! save would silently drop the other's changes. So [`DataFile::lock`] takes an
//! exclusive [`File::try_lock`] before the data file is read, and a second sandbox
//! fails to start.
//!
//! The lock is on a sibling file, `<data file>.lock`, not on the data file itself.
//! Every save renames a new file over the data file, so a lock on the data file would
//! stay on the replaced file and protect nothing after the first save. The lock file
//! is never deleted. Deleting it at shutdown would let a sandbox that had already
//! opened it lock the deleted file while a third sandbox creates and locks a new one.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::StoreFileError;
use crate::port::SandboxPort;

use super::ServerError;

/// The data file of one sandbox, locked for as long as this sandbox uses it.
#[derive(Debug)]
pub(crate) struct DataFile {
    path: PathBuf,
    /// The locked lock file, or `None` once released. Saves are skipped after that,
    /// because another sandbox may own the data file by then.
    lock: Mutex<Option<File>>,
}

impl DataFile {
    /// Locks `<path>.lock` and writes this process's id into it.
    ///
    /// # Errors
    ///
    /// [`ServerError::DataFileInUse`] when another sandbox holds the lock, and
    /// [`ServerError::DataFileLock`] when the lock file cannot be opened or locked.
    pub(crate) fn lock(path: PathBuf) -> Result<DataFile, ServerError> {
        let lock_path = lock_path_for(&path);
        let lock_failed = |source| ServerError::DataFileLock {
            lock_file: lock_path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(lock_failed)?;

        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(&lock_path)
                    .ok()
                    .and_then(|text| text.trim().parse::<u32>().ok());
                return Err(ServerError::DataFileInUse {
                    data_file: path,
                    lock_file: lock_path,
                    holder,
                });
            }
            Err(TryLockError::Error(source)) => return Err(lock_failed(source)),
        }

        // The process id only makes the error of a second sandbox more helpful, so a
        // failure to write it is logged and not fatal.
        if let Err(error) = write_process_id(&file) {
            tracing::warn!(lock_file = %lock_path.display(), %error, "failed to write the process id into the lock file");
        }
        tracing::debug!(lock_file = %lock_path.display(), "locked the data file");
        Ok(DataFile {
            path,
            lock: Mutex::new(Some(file)),
        })
    }

    /// Returns the path of the data file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Saves the store, unless the lock was already released. Returns false when the
    /// save was skipped for that reason.
    pub(crate) fn save(&self, port: &SandboxPort) -> Result<bool, StoreFileError> {
        let lock = self.lock_guard();
        if lock.is_none() {
            return Ok(false);
        }
        port.with_store(|store| store.save(&self.path))?;
        Ok(true)
    }

    /// Saves the store a final time and releases the lock. Later saves are skipped.
    /// The lock is released even when the save fails.
    pub(crate) fn save_and_release(&self, port: &SandboxPort) -> Result<(), StoreFileError> {
        let mut lock = self.lock_guard();
        if lock.is_none() {
            return Ok(());
        }
        let saved = port.with_store(|store| store.save(&self.path));
        // Closing the file releases the lock.
        *lock = None;
        saved
    }

    fn lock_guard(&self) -> MutexGuard<'_, Option<File>> {
        self.lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Returns `<path>.lock`, such as `store.json.lock` for `store.json`.
fn lock_path_for(path: &Path) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(".lock");
    PathBuf::from(name)
}

fn write_process_id(mut file: &File) -> io::Result<()> {
    file.set_len(0)?;
    writeln!(file, "{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_file_is_sibling() {
        assert_eq!(
            lock_path_for(Path::new("/tmp/data/store.json")),
            PathBuf::from("/tmp/data/store.json.lock")
        );
        assert_eq!(
            lock_path_for(Path::new("store")),
            PathBuf::from("store.lock")
        );
    }
}
