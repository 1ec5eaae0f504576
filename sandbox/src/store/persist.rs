//! Loading and saving the store as a JSON file (`--data FILE`).
//!
//! `save` writes a temporary file next to the target, flushes it to disk and renames it
//! over the target, so a crash never leaves a half-written store behind.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Store, STORE_FORMAT_VERSION};
use crate::clock::SharedClock;
use crate::error::StoreFileError;

impl Store {
    /// Reads a store saved by [`Store::save`]. The loaded store uses the system clock;
    /// call [`Store::set_clock`] to change it.
    pub fn load(path: impl AsRef<Path>) -> Result<Store, StoreFileError> {
        let path = path.as_ref();
        let text = fs::read_to_string(path).map_err(|source| StoreFileError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|source| StoreFileError::Parse {
                path: path.to_path_buf(),
                source,
            })?;

        let found = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if found != u64::from(STORE_FORMAT_VERSION) {
            return Err(StoreFileError::UnsupportedVersion {
                path: path.to_path_buf(),
                found: u32::try_from(found).unwrap_or(u32::MAX),
                expected: STORE_FORMAT_VERSION,
            });
        }
        serde_json::from_value(value).map_err(|source| StoreFileError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a store saved by [`Store::save`] and puts it on `clock`.
    pub fn load_with_clock(
        path: impl AsRef<Path>,
        clock: SharedClock,
    ) -> Result<Store, StoreFileError> {
        Ok(Store::load(path)?.with_clock(clock))
    }

    /// Writes the store to `path` as pretty-printed JSON, atomically.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), StoreFileError> {
        let path = path.as_ref();
        let json = serde_json::to_vec_pretty(self).map_err(|source| StoreFileError::Serialize {
            path: path.to_path_buf(),
            source,
        })?;

        let temporary = temporary_sibling(path);
        let write_error = |source| StoreFileError::Write {
            path: path.to_path_buf(),
            source,
        };
        let written = fs::File::create(&temporary).and_then(|mut file| {
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()
        });
        if let Err(source) = written {
            let _ = fs::remove_file(&temporary);
            return Err(write_error(source));
        }
        fs::rename(&temporary, path).map_err(|source| {
            let _ = fs::remove_file(&temporary);
            write_error(source)
        })
    }
}

/// Returns `<dir>/.<file name>.tmp-<pid>` for `path`.
fn temporary_sibling(path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store.json".into());
    path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()))
}
