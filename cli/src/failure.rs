//! The CLI's exit statuses and the error that carries one to `main`.

use std::fmt;
use std::process::ExitCode;

/// The class of a failed run, which sets the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Marketo returned a SOAP fault (exit code 1).
    Fault,
    /// The command line, the operation name, the JSON or a parameter is invalid (exit code 2).
    Usage,
    /// An environment variable is missing or the endpoint is invalid (exit code 3).
    Config,
    /// The HTTP exchange failed, the response could not be decoded, or the result could
    /// not be written (exit code 4).
    Transport,
}

impl ExitStatus {
    /// Returns the process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Fault => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Config => 3,
            ExitStatus::Transport => 4,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// An error message and the exit status it ends the process with.
#[derive(Debug)]
pub struct Failure {
    /// The exit status.
    pub status: ExitStatus,
    /// The message printed after `error: ` on stderr.
    pub message: String,
}

impl Failure {
    /// Builds a failure with exit code 2, for invalid command-line input.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            status: ExitStatus::Usage,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<mktows::Error> for Failure {
    /// Sorts a library error by exit status. A SOAP fault becomes `fault <code> <message>`,
    /// with the SOAP `faultcode` in place of the number when the fault carries no Marketo
    /// code.
    fn from(error: mktows::Error) -> Failure {
        if let Some(fault) = error.fault() {
            let code = match fault.code {
                mktows::FaultCode::Unspecified => fault.fault_code.clone(),
                code => code.code().to_string(),
            };
            let message = fault.message.trim();
            return Failure {
                status: ExitStatus::Fault,
                message: format!("fault {code} {message}"),
            };
        }

        let status = match &error {
            mktows::Error::InvalidConfig { .. } | mktows::Error::InvalidEndpoint { .. } => {
                ExitStatus::Config
            }
            // The request could not be written because a parameter contains a character
            // that XML 1.0 cannot carry, so the input is at fault.
            mktows::Error::Encode(_) => ExitStatus::Usage,
            _ => ExitStatus::Transport,
        };
        Failure {
            status,
            message: error.to_string(),
        }
    }
}
