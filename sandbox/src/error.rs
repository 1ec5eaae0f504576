//! Errors of the sandbox: Marketo faults returned by operations, and file errors of the
//! `--data` store file.
//!
//! A [`SandboxError`] is what a real Marketo server returned as a SOAP fault: a numeric
//! code from Marketo's published error table, its short message, and a longer message
//! that names what failed and on which value. The SOAP layer renders it; this module only
//! carries the facts.

use std::path::PathBuf;

/// The Marketo SOAP fault code, shared with the `mktows` client so that both sides use
/// one table of numbers and short messages.
pub use mktows::FaultCode;

/// A Marketo fault raised by a sandbox operation: the code and a message that names the
/// value that failed and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} - {} ({message})", code.code(), code.short_message())]
pub struct SandboxError {
    /// The Marketo fault code.
    pub code: FaultCode,
    /// The detailed message, without the code.
    pub message: String,
}

impl SandboxError {
    /// Creates a fault with the given code and detailed message.
    pub fn new(code: FaultCode, message: impl Into<String>) -> Self {
        SandboxError {
            code,
            message: message.into(),
        }
    }

    /// Returns the numeric fault code.
    pub fn code_number(&self) -> u32 {
        self.code.code()
    }

    /// Returns the SOAP `faultstring` Marketo used: `"<code> - <short message>"`.
    pub fn fault_string(&self) -> String {
        format!("{} - {}", self.code.code(), self.code.short_message())
    }

    /// Returns the long message for the fault detail, which by Marketo's convention ends
    /// with the code in parentheses.
    pub fn detail_message(&self) -> String {
        format!("{} ({})", self.message, self.code.code())
    }
}

/// Shorthand for the result of a sandbox operation.
pub type SandboxResult<T> = Result<T, SandboxError>;

/// A failure to load or save the store's JSON data file.
#[derive(Debug, thiserror::Error)]
pub enum StoreFileError {
    /// The file could not be read.
    #[error("failed to read sandbox data file {}: {source}; check the path given with --data", path.display())]
    Read {
        /// The file that was read.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid sandbox store.
    #[error("sandbox data file {} is not a valid store: {source}; fix the JSON or delete the file to start from the seed data", path.display())]
    Parse {
        /// The file that was parsed.
        path: PathBuf,
        /// The JSON error, with line and column.
        source: serde_json::Error,
    },
    /// The file was written by a newer or unknown version of the sandbox.
    #[error("sandbox data file {} has format version {found}, but this sandbox reads version {expected}; delete the file to start from the seed data", path.display())]
    UnsupportedVersion {
        /// The file that was parsed.
        path: PathBuf,
        /// The version found in the file.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// The store could not be serialized.
    #[error("failed to serialize the sandbox store for {}: {source}", path.display())]
    Serialize {
        /// The file that was to be written.
        path: PathBuf,
        /// The serialization error.
        source: serde_json::Error,
    },
    /// The file or its temporary sibling could not be written or renamed.
    #[error("failed to write sandbox data file {}: {source}; check that the directory exists and is writable", path.display())]
    Write {
        /// The file that was written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_string_uses_code_and_short_message() {
        let error = SandboxError::new(FaultCode::LeadNotFound, "no lead has EMAIL 'a@b.example'");

        assert_eq!(error.fault_string(), "20103 - Lead Not Found");
        assert_eq!(
            error.detail_message(),
            "no lead has EMAIL 'a@b.example' (20103)"
        );
        assert_eq!(error.code_number(), 20103);
    }

    #[test]
    fn display_writes_code_number_once() {
        let error = SandboxError::new(FaultCode::BadLeadKey, "'PHONE' is not a lead key type");

        assert_eq!(
            error.to_string(),
            "20102 - Lead Key Bad ('PHONE' is not a lead key type)"
        );
    }
}
