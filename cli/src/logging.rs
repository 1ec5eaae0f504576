//! Diagnostic logging to stderr, with the level taken from `MKTOWS_LOG`.
//!
//! The library emits `tracing` events: a `warn` per retry, a `debug` per HTTP exchange,
//! and the request and response envelopes at `trace`. The HTTP client adds its own
//! connection events at `debug` and `trace`. Without a subscriber all of them are dropped,
//! so this module installs one when `MKTOWS_LOG` names a level.

use std::env::VarError;
use std::io::IsTerminal as _;

use tracing_subscriber::filter::LevelFilter;

use crate::failure::{ExitStatus, Failure};

/// The environment variable that sets the log level.
pub const ENV_LOG: &str = "MKTOWS_LOG";

/// The values `MKTOWS_LOG` accepts, for messages.
const LEVELS: &str = "error, warn, info, debug, trace or off";

/// Installs a subscriber that writes events at or above the `MKTOWS_LOG` level to stderr.
/// Installs nothing when the variable is unset, empty or `off`.
///
/// # Errors
///
/// Returns a failure with exit code 3 when `MKTOWS_LOG` is not one of the levels.
pub fn init() -> Result<(), Failure> {
    let level = match std::env::var(ENV_LOG) {
        Ok(value) => parse_level(&value)?,
        Err(VarError::NotPresent) => LevelFilter::OFF,
        Err(VarError::NotUnicode(value)) => {
            return Err(invalid_level(&value.to_string_lossy()));
        }
    };
    if level == LevelFilter::OFF {
        return Ok(());
    }

    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    Ok(())
}

/// Parses a level name, ignoring case and surrounding whitespace. An empty value is `off`.
fn parse_level(value: &str) -> Result<LevelFilter, Failure> {
    let level = match value.trim().to_ascii_lowercase().as_str() {
        "" | "off" => LevelFilter::OFF,
        "error" => LevelFilter::ERROR,
        "warn" => LevelFilter::WARN,
        "info" => LevelFilter::INFO,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        _ => return Err(invalid_level(value)),
    };
    Ok(level)
}

fn invalid_level(value: &str) -> Failure {
    Failure::new(
        ExitStatus::Config,
        format!("invalid {ENV_LOG} value {value:?}: expected one of {LEVELS}, or leave it unset to turn logging off"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_level_accepts_every_name() {
        let cases = [
            ("", LevelFilter::OFF),
            ("off", LevelFilter::OFF),
            ("error", LevelFilter::ERROR),
            ("warn", LevelFilter::WARN),
            ("info", LevelFilter::INFO),
            ("Debug", LevelFilter::DEBUG),
            (" TRACE\n", LevelFilter::TRACE),
        ];

        for (value, expected) in cases {
            assert_eq!(parse_level(value).unwrap(), expected, "{value:?}");
        }
    }

    #[test]
    fn parse_level_rejects_other_values() {
        for value in ["verbose", "warning", "5", "mktows=debug"] {
            let failure = parse_level(value).unwrap_err();

            assert_eq!(failure.status, ExitStatus::Config, "{value:?}");
            assert!(failure.message.contains(ENV_LOG), "{}", failure.message);
            assert!(
                failure.message.contains(&format!("{value:?}")),
                "{}",
                failure.message
            );
        }
    }
}
