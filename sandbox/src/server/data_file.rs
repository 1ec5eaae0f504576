//! The data file of a running sandbox, and the lock that keeps a second sandbox off it.
//!
//! Two sandboxes on one data file would both hand out the same lead ids, and the last
//! save would silently drop the other's changes. So [`DataFile::lock`] takes an
//! exclusive [`File::try_lock`] before the data file is read, and a second sandbox
//! fails to start.
//!
//! The path is resolved once, when the sandbox starts (see [`resolve_data_path`]), and
//! the lock, loads and saves all use the resolved path. So two sandboxes started on a
//! file and on a symbolic link to it take the same lock, and a save replaces the file the
//! link points to and leaves the link in place.
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
    /// The path as configured, for messages.
    configured: PathBuf,
    /// The absolute path without symbolic links, which is locked, loaded and saved.
    resolved: PathBuf,
    /// The locked lock file, or `None` once released. Saves are skipped after that,
    /// because another sandbox may own the data file by then.
    lock: Mutex<Option<File>>,
}

impl DataFile {
    /// Resolves `path`, locks `<resolved path>.lock` and writes this process's id into it.
    ///
    /// # Errors
    ///
    /// [`ServerError::DataFilePath`] when the path cannot be resolved,
    /// [`ServerError::DataFileInUse`] when another sandbox holds the lock, and
    /// [`ServerError::DataFileLock`] when the lock file cannot be opened or locked.
    pub(crate) fn lock(path: PathBuf) -> Result<DataFile, ServerError> {
        let resolved = resolve_data_path(&path).map_err(|reason| ServerError::DataFilePath {
            data_file: path.clone(),
            reason,
        })?;
        let lock_path = lock_path_for(&resolved);
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
                    resolved_file: resolved,
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
        tracing::debug!(data_file = %path.display(), resolved_file = %resolved.display(), lock_file = %lock_path.display(), "locked the data file");
        Ok(DataFile {
            configured: path,
            resolved,
            lock: Mutex::new(Some(file)),
        })
    }

    /// Returns the path of the data file as configured.
    pub(crate) fn configured_path(&self) -> &Path {
        &self.configured
    }

    /// Returns the resolved path of the data file, the one that is loaded and saved.
    pub(crate) fn resolved_path(&self) -> &Path {
        &self.resolved
    }

    /// Saves the store, unless the lock was already released. Returns false when the
    /// save was skipped for that reason.
    pub(crate) fn save(&self, port: &SandboxPort) -> Result<bool, StoreFileError> {
        let lock = self.lock_guard();
        if lock.is_none() {
            return Ok(false);
        }
        port.with_store(|store| store.save(&self.resolved))?;
        Ok(true)
    }

    /// Saves the store a final time and releases the lock. Later saves are skipped.
    /// The lock is released even when the save fails.
    pub(crate) fn save_and_release(&self, port: &SandboxPort) -> Result<(), StoreFileError> {
        let mut lock = self.lock_guard();
        if lock.is_none() {
            return Ok(());
        }
        let saved = port.with_store(|store| store.save(&self.resolved));
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

/// Resolves a data file path to an absolute path without symbolic links.
///
/// An existing path is canonicalized. A path that does not exist yet is the
/// canonicalized parent directory joined with the file name, so the directory must
/// exist. A symbolic link whose target does not exist is rejected rather than followed,
/// so a broken link never makes the sandbox seed a new file in an unexpected place.
/// Returns the reason and its fix on failure.
fn resolve_data_path(path: &Path) -> Result<PathBuf, String> {
    match fs::symlink_metadata(path) {
        Ok(metadata) => fs::canonicalize(path).map_err(|error| {
            if metadata.file_type().is_symlink() && error.kind() == io::ErrorKind::NotFound {
                let target = fs::read_link(path)
                    .map(|target| format!(" to {}", target.display()))
                    .unwrap_or_default();
                format!("it is a symbolic link{target}, which does not exist; fix the link, or start the sandbox once with the target's path to create it")
            } else {
                unreadable_path(&error)
            }
        }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => resolve_new_file(path),
        Err(error) => Err(unreadable_path(&error)),
    }
}

fn unreadable_path(error: &io::Error) -> String {
    format!("{error}; check that every directory on the path exists and can be read")
}

/// Resolves the path of a file that does not exist yet through its parent directory.
fn resolve_new_file(path: &Path) -> Result<PathBuf, String> {
    let Some(file_name) = path.file_name() else {
        return Err("the path has no file name; pass the path of a JSON file".into());
    };
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let directory = fs::canonicalize(parent).map_err(|error| {
        format!(
            "its directory {} cannot be resolved ({error}); create the directory first",
            parent.display()
        )
    })?;
    Ok(directory.join(file_name))
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

    #[test]
    fn new_relative_file_resolves_in_current_directory() {
        let name = format!("mktows-sandbox-absent-{}.json", std::process::id());
        let current = fs::canonicalize(".").unwrap();

        let resolved = resolve_data_path(Path::new(&name)).unwrap();

        assert_eq!(resolved, current.join(&name));
    }

    #[test]
    fn file_in_missing_directory_is_rejected() {
        let path = std::env::temp_dir()
            .join(format!("mktows-sandbox-no-dir-{}", std::process::id()))
            .join("store.json");

        let reason = resolve_data_path(&path).unwrap_err();

        assert!(reason.contains("create the directory"), "{reason}");
    }

    #[test]
    fn path_without_file_name_is_rejected() {
        let reason = resolve_new_file(Path::new("/")).unwrap_err();

        assert!(reason.contains("no file name"), "{reason}");
    }
}
