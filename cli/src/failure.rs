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
    /// The texts of the underlying errors, outermost first, each printed on its own
    /// `  caused by: ` line after the message.
    pub causes: Vec<String>,
}

impl Failure {
    /// Builds a failure without underlying causes.
    pub fn new(status: ExitStatus, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
            causes: Vec::new(),
        }
    }

    /// Builds a failure with exit code 2, for invalid command-line input.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(ExitStatus::Usage, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for cause in &self.causes {
            write!(f, "\n  caused by: {cause}")?;
        }
        Ok(())
    }
}

/// Removes a trailing ` (<code>)` from a fault message, so the code is printed once.
/// A different code in the brackets is kept, because it is then information.
fn strip_code_suffix<'a>(message: &'a str, code: &str) -> &'a str {
    message
        .strip_suffix(&format!("({code})"))
        .map(str::trim_end)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(message)
}

/// Collects the texts of `error`'s `source()` chain, outermost first.
///
/// A cause whose text already appears in `message` or in an earlier cause is left out,
/// because error types often repeat their source's text in their own message.
fn cause_chain(error: &dyn std::error::Error, message: &str) -> Vec<String> {
    let mut causes: Vec<String> = Vec::new();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        let text = text.trim();
        let repeated =
            message.contains(text) || causes.iter().any(|earlier| earlier.contains(text));
        if !text.is_empty() && !repeated {
            causes.push(text.to_owned());
        }
        next = cause.source();
    }
    causes
}

impl From<mktows::Error> for Failure {
    /// Sorts a library error by exit status. A SOAP fault becomes `fault <code> <message>`,
    /// with the SOAP `faultcode` in place of the number when the fault carries no Marketo
    /// code, and without the ` (<code>)` that Marketo's messages often end with.
    fn from(error: mktows::Error) -> Failure {
        if let Some(fault) = error.fault() {
            let code = match fault.code {
                mktows::FaultCode::Unspecified => fault.fault_code.clone(),
                code => code.code().to_string(),
            };
            let message = strip_code_suffix(fault.message.trim(), &code);
            return Failure::new(ExitStatus::Fault, format!("fault {code} {message}"));
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
        let message = error.to_string();
        let causes = cause_chain(&error, &message);
        Failure {
            status,
            message,
            causes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error with a fixed text and an optional source, to build chains.
    #[derive(Debug)]
    struct Chained {
        text: &'static str,
        source: Option<Box<Chained>>,
    }

    impl fmt::Display for Chained {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.text)
        }
    }

    impl std::error::Error for Chained {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.source
                .as_deref()
                .map(|source| source as &(dyn std::error::Error + 'static))
        }
    }

    fn chain(texts: &[&'static str]) -> Chained {
        let mut error: Option<Box<Chained>> = None;
        for text in texts.iter().rev() {
            error = Some(Box::new(Chained {
                text,
                source: error,
            }));
        }
        *error.expect("at least one text")
    }

    #[test]
    fn transport_failure_lists_each_cause_once() {
        let error = mktows::Error::Connect {
            endpoint: "https://123-abc-456.mktoapi.example/soap/mktows/2_3".to_owned(),
            source: Box::new(chain(&[
                "error sending request",
                "client error (Connect)",
                "tcp connect error",
                "tcp connect error",
                "Connection refused (os error 111)",
            ])),
        };

        let failure = Failure::from(error);

        assert_eq!(failure.status, ExitStatus::Transport);
        assert!(
            failure.message.contains("error sending request"),
            "{}",
            failure.message
        );
        assert_eq!(
            failure.causes,
            [
                "client error (Connect)",
                "tcp connect error",
                "Connection refused (os error 111)"
            ]
        );
        assert!(
            failure
                .to_string()
                .ends_with("\n  caused by: Connection refused (os error 111)"),
            "{failure}"
        );
    }

    #[test]
    fn strip_code_suffix_removes_same_code_only() {
        let cases = [
            ("Lead not found (20103)", "20103", "Lead not found"),
            ("Lead not found  (20103)", "20103", "Lead not found"),
            ("Lead not found(20103)", "20103", "Lead not found"),
            ("Lead not found (20102)", "20103", "Lead not found (20102)"),
            ("Lead 120103 not found", "20103", "Lead 120103 not found"),
            ("(20103)", "20103", "(20103)"),
        ];

        for (message, code, expected) in cases {
            assert_eq!(strip_code_suffix(message, code), expected, "{message:?}");
        }
    }

    #[test]
    fn usage_failure_prints_message_only() {
        let failure = Failure::usage("invalid JSON in the parameters");

        assert_eq!(failure.to_string(), "invalid JSON in the parameters");
    }
}
