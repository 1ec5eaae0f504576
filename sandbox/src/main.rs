//! `mktows-sandbox`: runs the fake Marketo mktows 2_3 SOAP server until Ctrl-C or SIGTERM.
//!
//! At start-up it prints, one per line on standard output, `endpoint: <url>`,
//! `wsdl: <url>?WSDL`, `user-id: <id>`, `secret-key: <key>` (only when generated) and
//! `data: <file>` (only with `--data`). Logs go to standard error.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use mktows_sandbox::limits::LimitsConfig;
use mktows_sandbox::server::{
    RunningSandbox, Sandbox, SandboxConfig, DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_SHUTDOWN_GRACE,
};

/// A stateful fake Marketo mktows 2_3 SOAP server with seed data, for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "mktows-sandbox", version)]
struct Arguments {
    /// Address to listen on: an IP address and port, or localhost:PORT for 127.0.0.1.
    /// Port 0 lets the OS choose one.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080", value_parser = parse_listen_address)]
    listen: SocketAddr,

    /// Allow a listen address other than loopback. The sandbox has no TLS and accepts
    /// anyone who has its credentials, so only use this on a trusted network.
    #[arg(long)]
    allow_remote: bool,

    /// The mktowsUserId clients must send [default: generated].
    #[arg(long, value_name = "ID")]
    user_id: Option<String>,

    /// The encryption key clients sign with [default: generated and printed].
    #[arg(
        long,
        value_name = "KEY",
        env = "MKTOWS_SANDBOX_SECRET_KEY",
        hide_env_values = true
    )]
    secret_key: Option<String>,

    /// JSON file to keep the data in: loaded when it exists, else seeded; saved after each
    /// write call and at shutdown. Symbolic links are resolved at start, and the real
    /// file is locked through its sibling <real file>.lock while the sandbox runs.
    #[arg(long = "data", value_name = "FILE")]
    data_file: Option<PathBuf>,

    /// Seconds a requestTimestamp may differ from the server clock before fault 20016.
    #[arg(long, value_name = "SECS", default_value_t = 900)]
    timestamp_window: u64,

    /// Seconds an importToList job stays PROCESSING [default: 2, or the data file's value].
    #[arg(long, value_name = "SECS")]
    import_delay: Option<f64>,

    /// Milliseconds to wait before running each call, to test client timeouts.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    response_delay_ms: u64,

    /// Enforce no API limits at all (calls per window, concurrency, daily quota, batch size).
    #[arg(long, conflicts_with_all = ["rate_limit", "rate_window", "concurrency_limit", "daily_quota", "max_batch_size"])]
    no_limits: bool,

    /// Calls accepted per rate window before fault 20023.
    #[arg(long, value_name = "CALLS", default_value_t = 100)]
    rate_limit: u32,

    /// Length of the rate window in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    rate_window: u32,

    /// Calls accepted at the same time before fault 20024.
    #[arg(long, value_name = "CALLS", default_value_t = 10)]
    concurrency_limit: u32,

    /// Calls accepted per day (from midnight UTC-6) before fault 20015.
    #[arg(long, value_name = "CALLS", default_value_t = 10_000)]
    daily_quota: u32,

    /// Records accepted in one syncMultipleLeads call before fault 20110.
    #[arg(long, value_name = "RECORDS", default_value_t = 300)]
    max_batch_size: usize,

    /// Largest request body accepted, in bytes, before fault 20012.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,

    /// Seconds allowed to receive a whole request body before fault 20012.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BODY_READ_TIMEOUT.as_secs())]
    body_read_timeout: u64,

    /// Seconds allowed to receive a request's head (request line and headers); the
    /// connection is closed without a response after that.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_HEADER_READ_TIMEOUT.as_secs())]
    header_read_timeout: u64,

    /// Log level on standard error: error, warn, info, debug or trace. Debug adds each
    /// call's operation, SOAPAction, user id and body size. Trace adds the request and
    /// response envelopes, with requestSignature and the secret key redacted.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: tracing::Level,
}

impl Arguments {
    fn into_config(self) -> Result<SandboxConfig, String> {
        self.reject_zero_values()?;
        let import_delay = match self.import_delay {
            Some(seconds) if !seconds.is_finite() || seconds < 0.0 => {
                return Err(format!(
                    "--import-delay {seconds} is not valid; pass a number of seconds, 0 or more"
                ));
            }
            Some(seconds) => Some(Duration::from_secs_f64(seconds)),
            None => None,
        };
        let limits = (!self.no_limits).then(|| LimitsConfig {
            rate_window: chrono::Duration::seconds(i64::from(self.rate_window)),
            max_calls_per_window: self.rate_limit,
            max_concurrent_calls: self.concurrency_limit,
            daily_quota: self.daily_quota,
            max_batch_size: self.max_batch_size,
            ..LimitsConfig::default()
        });
        Ok(SandboxConfig {
            listen: self.listen,
            allow_remote: self.allow_remote,
            user_id: self.user_id,
            secret_key: self.secret_key,
            limits,
            timestamp_window: Duration::from_secs(self.timestamp_window),
            data_file: self.data_file,
            import_delay,
            response_delay: Duration::from_millis(self.response_delay_ms),
            max_body_bytes: self.max_body_bytes,
            body_read_timeout: Duration::from_secs(self.body_read_timeout),
            header_read_timeout: Duration::from_secs(self.header_read_timeout),
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            clock: None,
        })
    }
}

/// Parses `--listen`: a socket address such as `127.0.0.1:8080` or `[::1]:8080`, or
/// `localhost:PORT`. The name maps to 127.0.0.1 without a lookup, because a resolver
/// could return `::1` first, or a non-loopback address from a hosts file.
fn parse_listen_address(text: &str) -> Result<SocketAddr, String> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    if let Some((host, port)) = text.rsplit_once(':') {
        if host.eq_ignore_ascii_case("localhost") {
            let port = port
                .parse::<u16>()
                .map_err(|_| format!("invalid port {port:?}; pass a number from 0 to 65535"))?;
            return Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        }
    }
    Err(
        "expected an IP address and port, such as 127.0.0.1:8080 or [::1]:8080, or localhost:PORT"
            .into(),
    )
}

impl Arguments {
    /// Rejects zero for the flags where it would make every call fail or silently turn
    /// a limit off. [`Sandbox::start`] checks the same settings, but this message names
    /// the flag.
    fn reject_zero_values(&self) -> Result<(), String> {
        const NO_LIMITS: &str = ", or --no-limits to turn all limits off";
        let checks: [(&str, u64, &str, &str); 9] = [
            (
                "--timestamp-window",
                self.timestamp_window,
                "a zero window rejects every request with fault 20016",
                "",
            ),
            (
                "--max-body-bytes",
                self.max_body_bytes as u64,
                "an empty limit rejects every request with fault 20012",
                "",
            ),
            (
                "--body-read-timeout",
                self.body_read_timeout,
                "it rejects every request that has a body with fault 20012",
                "",
            ),
            (
                "--header-read-timeout",
                self.header_read_timeout,
                "it closes every connection before its request arrives",
                "",
            ),
            (
                "--rate-window",
                u64::from(self.rate_window),
                "a zero-second window lets every call through",
                NO_LIMITS,
            ),
            (
                "--rate-limit",
                u64::from(self.rate_limit),
                "it rejects every call with fault 20023",
                NO_LIMITS,
            ),
            (
                "--concurrency-limit",
                u64::from(self.concurrency_limit),
                "it rejects every call with fault 20024",
                NO_LIMITS,
            ),
            (
                "--daily-quota",
                u64::from(self.daily_quota),
                "it rejects every call with fault 20015",
                NO_LIMITS,
            ),
            (
                "--max-batch-size",
                self.max_batch_size as u64,
                "it rejects every syncMultipleLeads call with fault 20110",
                NO_LIMITS,
            ),
        ];
        for (flag, value, consequence, alternative) in checks {
            if value == 0 {
                return Err(format!(
                    "{flag} 0 is not valid, because {consequence}; pass 1 or more{alternative}"
                ));
            }
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let arguments = Arguments::parse();
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_max_level(arguments.log_level)
        .with_ansi(color)
        .with_writer(std::io::stderr)
        .init();

    let config = match arguments.into_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("mktows-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("mktows-sandbox: failed to start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: SandboxConfig) -> ExitCode {
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("mktows-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Listen for signals before the banner tells anyone the sandbox is up, so a SIGTERM
    // sent right after start-up still shuts it down cleanly and saves its data.
    let shutdown = match ShutdownSignal::listen() {
        Ok(shutdown) => Some(shutdown),
        Err(error) => {
            tracing::error!(%error, "failed to listen for shutdown signals; stopping");
            None
        }
    };
    print_banner(&sandbox);

    if let Some(shutdown) = shutdown {
        shutdown.wait().await;
    }
    tracing::info!("shutdown requested, finishing calls in progress");
    match sandbox.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mktows-sandbox: {error}");
            ExitCode::FAILURE
        }
    }
}

fn print_banner(sandbox: &RunningSandbox) {
    println!("endpoint: {}", sandbox.endpoint());
    println!("wsdl: {}", sandbox.wsdl_url());
    println!("user-id: {}", sandbox.user_id());
    if sandbox.secret_key_generated() {
        println!("secret-key: {}", sandbox.secret_key());
    }
    if let Some(path) = sandbox.data_file() {
        println!("data: {}", path.display());
    }
}

/// Ctrl-C, or on Unix also SIGTERM (which `kill` and service managers send).
struct ShutdownSignal {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    /// Installs the signal handlers; from here on the signals no longer end the process.
    fn listen() -> std::io::Result<Self> {
        Ok(Self {
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?,
        })
    }

    /// Waits for either signal.
    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_accepts_localhost() {
        assert_eq!(
            parse_listen_address("localhost:8080"),
            Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)))
        );
        assert_eq!(
            parse_listen_address("LocalHost:0"),
            Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        );
    }

    #[test]
    fn listen_accepts_ip_addresses() {
        assert_eq!(
            parse_listen_address("127.0.0.1:81"),
            Ok("127.0.0.1:81".parse().unwrap())
        );
        assert_eq!(
            parse_listen_address("[::1]:81"),
            Ok("[::1]:81".parse().unwrap())
        );
    }

    #[test]
    fn listen_rejects_other_names() {
        for bad in [
            "example.com:80",
            "localhost",
            "localhost:http",
            "localhost:70000",
            "127.0.0.1",
        ] {
            let error = parse_listen_address(bad).unwrap_err();
            assert!(
                error.contains("localhost:PORT") || error.contains("invalid port"),
                "{bad}: {error}"
            );
        }
    }
}
