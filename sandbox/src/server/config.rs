//! [`SandboxConfig`], the settings of one sandbox, and the checks [`Sandbox::start`]
//! runs on them.
//!
//! [`Sandbox::start`]: super::Sandbox::start

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::clock::SharedClock;
use crate::limits::LimitsConfig;

use super::ServerError;

/// How far `requestTimestamp` may be from the server clock, in either direction, before a
/// request is rejected with fault 20016: 15 minutes. Marketo did not publish its window;
/// this is the sandbox's choice.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The largest request body accepted: 8 MiB. A larger body is fault 20012.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The time allowed to receive a whole request body: 30 seconds. A body still
/// incomplete after it is fault 20012, and the connection is closed.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The time allowed to receive a request's head (request line and headers): 30 seconds.
/// A connection whose head is still incomplete after it is closed without a response.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest [`RunningSandbox::shutdown`](crate::server::RunningSandbox::shutdown)
/// waits for calls in progress: 10 seconds. Calls still running after it are dropped.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The settings of one sandbox instance.
///
/// Build it with struct update syntax: `SandboxConfig { user_id: Some(..), ..SandboxConfig::default() }`.
#[derive(Clone)]
pub struct SandboxConfig {
    /// The address to listen on. The default `127.0.0.1:0` lets the OS choose a port.
    pub listen: SocketAddr,
    /// Allows listening on an address other than loopback. The sandbox has no TLS and accepts
    /// anyone who has its credentials, so it rejects remote addresses by default.
    pub allow_remote: bool,
    /// The `mktowsUserId` to accept; generated (`sandbox1_` and 16 hex digits) when `None`.
    pub user_id: Option<String>,
    /// The encryption key requests are signed with; generated (40 hex digits) when `None`.
    pub secret_key: Option<String>,
    /// The API limits to enforce, or `None` for none at all (no call counting and no
    /// batch size check). Default: Marketo's numbers, [`LimitsConfig::default`].
    pub limits: Option<LimitsConfig>,
    /// How far `requestTimestamp` may be from the server clock. Default
    /// [`DEFAULT_TIMESTAMP_WINDOW`].
    pub timestamp_window: Duration,
    /// A JSON file to keep the data in: loaded at start when it exists (else the seed data
    /// is written to it), and saved atomically after each call that can change data and at
    /// shutdown. `None` keeps the data in memory only. The path is resolved once at start
    /// (absolute, symbolic links followed), and the sandbox loads, saves and locks the
    /// resolved file. While the sandbox runs, it holds an exclusive lock on
    /// `<resolved file>.lock`, so a second sandbox on the same file, or on a symbolic link
    /// to it, fails to start with [`ServerError::DataFileInUse`]. A symbolic link to a
    /// file that does not exist fails with [`ServerError::DataFilePath`].
    pub data_file: Option<PathBuf>,
    /// How long an `importToList` job stays PROCESSING. `None` keeps the store's setting
    /// (2 seconds for fresh data, or what the data file holds).
    pub import_delay: Option<Duration>,
    /// A delay before each operation runs, while the call counts as in flight; for
    /// testing client timeouts and the concurrency limit. Default zero.
    pub response_delay: Duration,
    /// The largest request body accepted. Default [`DEFAULT_MAX_BODY_BYTES`].
    pub max_body_bytes: usize,
    /// The time allowed to receive a whole request body, counted from the end of the
    /// headers. Default [`DEFAULT_BODY_READ_TIMEOUT`].
    pub body_read_timeout: Duration,
    /// The time allowed to receive a request's head. Default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
    /// The longest a shutdown waits for calls in progress before it drops them. Default
    /// [`DEFAULT_SHUTDOWN_GRACE`].
    pub shutdown_grace: Duration,
    /// The clock of the store, the limits and the timestamp check; the system clock when
    /// `None`. Tests pass a [`ManualClock`](crate::clock::ManualClock).
    pub clock: Option<SharedClock>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            allow_remote: false,
            user_id: None,
            secret_key: None,
            limits: Some(LimitsConfig::default()),
            timestamp_window: DEFAULT_TIMESTAMP_WINDOW,
            data_file: None,
            import_delay: None,
            response_delay: Duration::ZERO,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            clock: None,
        }
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SandboxConfig")
            .field("listen", &self.listen)
            .field("allow_remote", &self.allow_remote)
            .field("user_id", &self.user_id)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("limits", &self.limits)
            .field("timestamp_window", &self.timestamp_window)
            .field("data_file", &self.data_file)
            .field("import_delay", &self.import_delay)
            .field("response_delay", &self.response_delay)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("clock", &self.clock)
            .finish()
    }
}

impl SandboxConfig {
    /// Rejects settings that would make every request fail, or that would silently turn
    /// a check off, such as a zero timestamp window or a zero rate window.
    pub(crate) fn validate(&self) -> Result<(), ServerError> {
        if self.max_body_bytes == 0 {
            return Err(invalid(
                "max_body_bytes",
                "0 bytes would reject every request; use at least a few kilobytes".into(),
            ));
        }
        if self.body_read_timeout.is_zero() {
            return Err(invalid(
                "body_read_timeout",
                "0 would time out every request that has a body; use at least a second (default 30 seconds)".into(),
            ));
        }
        if self.header_read_timeout.is_zero() {
            return Err(invalid(
                "header_read_timeout",
                "0 would close every connection before its request arrives; use at least a second (default 30 seconds)".into(),
            ));
        }
        if self.timestamp_window < Duration::from_secs(1) {
            return Err(invalid(
                "timestamp_window",
                format!(
                    "{:?} would reject almost every request with fault 20016, because timestamps have whole seconds; use at least 1 second (default 15 minutes)",
                    self.timestamp_window
                ),
            ));
        }
        if chrono::Duration::from_std(self.timestamp_window).is_err() {
            return Err(invalid(
                "timestamp_window",
                format!(
                    "{:?} is too long; use at most a few days",
                    self.timestamp_window
                ),
            ));
        }
        match &self.limits {
            Some(limits) => validate_limits(limits),
            None => Ok(()),
        }
    }
}

fn validate_limits(limits: &LimitsConfig) -> Result<(), ServerError> {
    const TURN_OFF: &str = "or set `limits` to None to turn all limits off";

    if limits.rate_window <= chrono::Duration::zero() {
        return Err(invalid(
            "limits.rate_window",
            format!(
                "{} ms would let every call through, because calls would leave the window at once; use at least 1 second (Marketo: 20), {TURN_OFF}",
                limits.rate_window.num_milliseconds()
            ),
        ));
    }
    let zero_counts = [
        (
            "limits.max_calls_per_window",
            limits.max_calls_per_window,
            "fault 20023",
        ),
        (
            "limits.max_concurrent_calls",
            limits.max_concurrent_calls,
            "fault 20024",
        ),
        ("limits.daily_quota", limits.daily_quota, "fault 20015"),
    ];
    for (setting, value, fault) in zero_counts {
        if value == 0 {
            return Err(invalid(
                setting,
                format!("0 would reject every call with {fault}; use at least 1, {TURN_OFF}"),
            ));
        }
    }
    if limits.max_batch_size == 0 {
        return Err(invalid(
            "limits.max_batch_size",
            format!("0 would reject every syncMultipleLeads call with fault 20110; use at least 1 (Marketo: 300), {TURN_OFF}"),
        ));
    }
    Ok(())
}

fn invalid(setting: &'static str, reason: String) -> ServerError {
    ServerError::InvalidConfig { setting, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        let validated = SandboxConfig::default().validate();

        assert!(validated.is_ok(), "{validated:?}");
    }

    #[test]
    fn config_without_limits_is_valid() {
        let validated = SandboxConfig {
            limits: None,
            ..SandboxConfig::default()
        }
        .validate();

        assert!(validated.is_ok(), "{validated:?}");
    }

    #[test]
    fn huge_timestamp_window_is_rejected() {
        let config = SandboxConfig {
            timestamp_window: Duration::from_secs(u64::MAX),
            ..SandboxConfig::default()
        };

        let error = config.validate().unwrap_err();

        assert!(
            matches!(
                error,
                ServerError::InvalidConfig {
                    setting: "timestamp_window",
                    ..
                }
            ),
            "{error}"
        );
    }
}
