//! The SOAP server: [`Sandbox::start`] binds a loopback port and serves the mktows 2_3
//! API from a seeded [`Store`], until [`RunningSandbox::shutdown`].
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use mktows::types::{LeadKey, LeadKeyRef, ParamsGetLead};
//! use mktows::MktowsPort;
//! use mktows_sandbox::server::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! let client = sandbox.client()?;
//! let request = ParamsGetLead { lead_key: LeadKey { key_type: LeadKeyRef::Idnum, key_value: "1001".into() } };
//! let leads = client.get_lead(request).await?;
//! println!("{} lead(s)", leads.result.count);
//! sandbox.shutdown().await?;
//! # Ok(())
//! # }
//! ```

mod auth;
mod body;
mod config;
mod data_file;
mod faults;
mod http;
mod redact;
mod serve;
mod wsdl;

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mktows::EncryptionKey;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::clock::{system_clock, SharedClock};
use crate::error::StoreFileError;
use crate::limits::{Limits, LimitsUsage};
use crate::port::SandboxPort;
use crate::store::Store;

use self::auth::Authenticator;
use self::body::BodyLimits;
use self::data_file::DataFile;
use self::http::{router, AppState};

pub use self::config::{
    SandboxConfig, DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_SHUTDOWN_GRACE, DEFAULT_TIMESTAMP_WINDOW,
};

/// The path of the SOAP endpoint, as on Marketo's servers. The path with a trailing slash
/// is served too.
pub const ENDPOINT_PATH: &str = "/soap/mktows/2_3";

/// An error that kept the sandbox from starting or stopping cleanly.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A setting has a value the sandbox cannot use.
    #[error("invalid sandbox setting {setting}: {reason}")]
    InvalidConfig {
        /// The setting, as named in [`SandboxConfig`].
        setting: &'static str,
        /// The problem and its fix.
        reason: String,
    },
    /// The listen address is not a loopback address and remote access was not allowed.
    #[error("refusing to listen on {addr}, which is not a loopback address: the sandbox has no TLS and accepts anyone with its credentials; listen on 127.0.0.1 or ::1, or allow remote access explicitly")]
    RemoteNotAllowed {
        /// The requested address.
        addr: SocketAddr,
    },
    /// The listening socket could not be opened.
    #[error("failed to listen on {addr}: {source}; choose another port, or port 0 to let the OS pick one")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The I/O error.
        source: io::Error,
    },
    /// The data file could not be read or written.
    #[error(transparent)]
    DataFile(#[from] StoreFileError),
    /// The data file's path could not be resolved to an absolute path without symbolic
    /// links, for example because it is a symbolic link to a file that does not exist.
    #[error("failed to resolve the data file path {}: {reason}", data_file.display())]
    DataFilePath {
        /// The data file, as configured.
        data_file: PathBuf,
        /// The cause of the failure and its fix.
        reason: String,
    },
    /// Another sandbox, in this process or another one, holds the lock on the data file.
    #[error(
        "the data file {}{} is in use by another sandbox{}, which holds the lock on {}; stop that sandbox or choose another data file",
        data_file.display(),
        resolved_suffix(data_file, resolved_file),
        holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
        lock_file.display()
    )]
    DataFileInUse {
        /// The data file, as configured.
        data_file: PathBuf,
        /// The data file as the lock resolved it: absolute, with symbolic links followed.
        resolved_file: PathBuf,
        /// The lock file next to the resolved data file, `<resolved file>.lock`.
        lock_file: PathBuf,
        /// The process id the lock file contains, when it could be read.
        holder: Option<u32>,
    },
    /// The lock file next to the data file could not be opened or locked.
    #[error("failed to lock {}: {source}; check that the data file's directory exists and is writable, and that its file system supports file locks", lock_file.display())]
    DataFileLock {
        /// The lock file next to the resolved data file, `<resolved file>.lock`.
        lock_file: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The operating system's random source failed while generating credentials.
    #[error("failed to generate random credentials: {0}; pass a user id and secret key instead")]
    Random(getrandom::Error),
    /// The server task failed or panicked.
    #[error("the sandbox server failed: {0}")]
    Serve(String),
}

/// Returns ` (resolved to <resolved>)` when the resolved data file path differs from the
/// configured one, else an empty string.
fn resolved_suffix(configured: &Path, resolved: &Path) -> String {
    if configured == resolved {
        String::new()
    } else {
        format!(" (resolved to {})", resolved.display())
    }
}

/// Starts sandbox instances.
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// Starts a sandbox: loads or seeds the data, binds the listen address and serves
    /// requests on a background task of the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ServerError::RemoteNotAllowed`] for a non-loopback address without
    /// `allow_remote`, [`ServerError::Bind`] when the address is in use,
    /// [`ServerError::DataFile`] when the data file cannot be read or written,
    /// [`ServerError::DataFilePath`] when its path cannot be resolved,
    /// [`ServerError::DataFileInUse`] when another sandbox uses the data file,
    /// [`ServerError::DataFileLock`] when it cannot be locked, and
    /// [`ServerError::InvalidConfig`] for an empty user id or key, a zero body limit or
    /// read timeout, a timestamp window under 1 second, or a zero limit or rate
    /// window.
    pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, ServerError> {
        if !config.listen.ip().is_loopback() && !config.allow_remote {
            return Err(ServerError::RemoteNotAllowed {
                addr: config.listen,
            });
        }
        config.validate()?;
        let (user_id, _) = credential(config.user_id.as_deref(), "user_id", || {
            Ok(format!("sandbox1_{}", random_hex(8)?.to_uppercase()))
        })?;
        let (secret_key, secret_key_generated) =
            credential(config.secret_key.as_deref(), "secret_key", || {
                random_hex(20)
            })?;
        let timestamp_window = chrono::Duration::from_std(config.timestamp_window)
            .expect("validate checked that the timestamp window fits");

        let clock = config.clock.clone().unwrap_or_else(system_clock);
        let data_file = config
            .data_file
            .clone()
            .map(DataFile::lock)
            .transpose()?
            .map(Arc::new);
        let store = open_store(&config, data_file.as_deref(), clock.clone())?;
        let limits = config
            .limits
            .clone()
            .map(|limits| Limits::new(limits, clock.clone()));
        let store = Arc::new(Mutex::new(store));
        let port = SandboxPort::from_shared(Arc::clone(&store), limits.clone());

        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| ServerError::Bind {
                addr: config.listen,
                source,
            })?;
        let local_addr = listener.local_addr().map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
        let endpoint = format!("http://{}{ENDPOINT_PATH}", reachable(local_addr));

        let (abandon_sender, abandon_receiver) = watch::channel(false);
        let state = Arc::new(AppState {
            port: port.clone(),
            limits: limits.clone(),
            authenticator: Authenticator::new(
                user_id.clone(),
                EncryptionKey::new(secret_key.clone()),
                timestamp_window,
            ),
            clock,
            data_file: data_file.clone(),
            response_delay: config.response_delay,
            body_limits: BodyLimits {
                max_bytes: config.max_body_bytes,
                read_timeout: config.body_read_timeout,
            },
            endpoint: endpoint.clone(),
            abandon_calls: abandon_receiver,
        });
        let (shutdown_sender, shutdown_receiver) = oneshot::channel::<()>();
        let task = tokio::spawn(serve::serve(
            listener,
            router(state),
            config.header_read_timeout,
            shutdown_receiver,
        ));
        tracing::info!(
            %endpoint,
            user_id = %user_id,
            data_file = data_file.as_deref().map(|file| tracing::field::display(file.configured_path().display())),
            resolved_data_file = data_file.as_deref().map(|file| tracing::field::display(file.resolved_path().display())),
            "sandbox started"
        );

        Ok(RunningSandbox {
            local_addr,
            endpoint,
            user_id,
            secret_key,
            secret_key_generated,
            port,
            limits,
            data_file,
            shutdown: Some(shutdown_sender),
            shutdown_grace: config.shutdown_grace,
            abandon_calls: abandon_sender,
            task: Some(task),
        })
    }
}

/// Returns the configured credential, or a generated one; the flag is true when
/// generated.
fn credential(
    configured: Option<&str>,
    setting: &'static str,
    generate: impl FnOnce() -> Result<String, ServerError>,
) -> Result<(String, bool), ServerError> {
    match configured {
        Some(value) if value.trim().is_empty() || value.trim() != value => Err(ServerError::InvalidConfig {
            setting,
            reason: "it is empty or starts or ends with whitespace; pass a value without spaces or leave it out to generate one".into(),
        }),
        Some(value) => Ok((value.to_owned(), false)),
        None => Ok((generate()?, true)),
    }
}

fn random_hex(bytes: usize) -> Result<String, ServerError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::getrandom(&mut buffer).map_err(ServerError::Random)?;
    Ok(buffer.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Loads the data file when it exists, else seeds a new store (and writes it to the data
/// file, so a bad path fails at start rather than at the first write). The caller holds
/// the data file's lock.
fn open_store(
    config: &SandboxConfig,
    data_file: Option<&DataFile>,
    clock: SharedClock,
) -> Result<Store, ServerError> {
    let mut store = match data_file {
        Some(data_file) if data_file.resolved_path().exists() => {
            Store::load_with_clock(data_file.resolved_path(), clock)?
        }
        _ => Store::seeded().with_clock(clock),
    };
    if let Some(delay) = config.import_delay {
        store.settings_mut().import_processing_millis =
            i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
    }
    if let Some(data_file) = data_file {
        store.save(data_file.resolved_path())?;
    }
    Ok(store)
}

/// Replaces an unspecified listen address (`0.0.0.0`, `::`) by loopback, for URLs.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port()))
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port()))
        }
        _ => addr,
    }
}

/// A started sandbox. It holds the lock on its data file until it stops. Dropping it
/// stops the server, saves the data file and releases the lock, as
/// [`RunningSandbox::shutdown`] does but without waiting for open connections.
pub struct RunningSandbox {
    local_addr: SocketAddr,
    endpoint: String,
    user_id: String,
    secret_key: String,
    secret_key_generated: bool,
    port: SandboxPort,
    limits: Option<Limits>,
    data_file: Option<Arc<DataFile>>,
    shutdown: Option<oneshot::Sender<()>>,
    shutdown_grace: Duration,
    abandon_calls: watch::Sender<bool>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl fmt::Debug for RunningSandbox {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("RunningSandbox")
            .field("endpoint", &self.endpoint)
            .field("user_id", &self.user_id)
            .field("secret_key", &"<redacted>")
            .field("data_file", &self.data_file())
            .finish()
    }
}

impl RunningSandbox {
    /// Returns the address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Returns the endpoint URL, such as `http://127.0.0.1:8080/soap/mktows/2_3`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Returns the URL of the WSDL, the endpoint followed by `?WSDL`.
    pub fn wsdl_url(&self) -> String {
        format!("{}?WSDL", self.endpoint)
    }

    /// Returns the accepted `mktowsUserId`.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Returns the encryption key that requests must be signed with.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// Returns true when the sandbox generated the key because none was configured.
    pub fn secret_key_generated(&self) -> bool {
        self.secret_key_generated
    }

    /// Returns a client builder for this sandbox's endpoint and credentials.
    pub fn client_builder(&self) -> mktows::ClientBuilder {
        mktows::Client::builder(
            self.endpoint.clone(),
            self.user_id.clone(),
            self.secret_key.as_str(),
        )
    }

    /// Builds a client for this sandbox with default settings.
    ///
    /// # Errors
    ///
    /// As [`mktows::ClientBuilder::build`].
    pub fn client(&self) -> mktows::Result<mktows::Client> {
        self.client_builder().build()
    }

    /// Returns the port that serves the calls, to call operations without HTTP.
    pub fn port(&self) -> &SandboxPort {
        &self.port
    }

    /// Runs `action` on the store under its lock, for tests that inspect or change data.
    /// Changes are not written to the data file until the next write call or shutdown.
    pub fn with_store<R>(&self, action: impl FnOnce(&mut Store) -> R) -> R {
        self.port.with_store(action)
    }

    /// Returns the counters of the limits, or `None` when limits are off.
    pub fn limits_usage(&self) -> Option<LimitsUsage> {
        self.limits.as_ref().map(Limits::usage)
    }

    /// Returns the data file as configured, if the sandbox keeps one.
    pub fn data_file(&self) -> Option<&Path> {
        self.data_file.as_deref().map(DataFile::configured_path)
    }

    /// Returns the data file as the sandbox resolved it at start: an absolute path
    /// without symbolic links. This is the file that is locked, loaded and saved.
    pub fn resolved_data_file(&self) -> Option<&Path> {
        self.data_file.as_deref().map(DataFile::resolved_path)
    }

    /// Writes the store to the data file now; does nothing without a data file.
    ///
    /// # Errors
    ///
    /// [`StoreFileError`] when the file cannot be written.
    pub fn save(&self) -> Result<(), StoreFileError> {
        match &self.data_file {
            Some(data_file) => data_file.save(&self.port).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Saves the data file a final time and releases its lock, so another sandbox can
    /// use it. Calls still running after this change only memory.
    fn save_and_release(&self) -> Result<(), StoreFileError> {
        match &self.data_file {
            Some(data_file) => data_file.save_and_release(&self.port),
            None => Ok(()),
        }
    }

    /// Stops accepting connections, waits for the calls in progress to finish (at most
    /// [`SandboxConfig::shutdown_grace`], then drops them), saves the data file and
    /// releases its lock.
    ///
    /// # Errors
    ///
    /// [`ServerError::Serve`] when the server task failed, [`ServerError::DataFile`] when
    /// the final save failed. The data file is saved and released in both cases.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
        let served = match self.task.take() {
            Some(mut task) => match tokio::time::timeout(self.shutdown_grace, &mut task).await {
                Ok(Ok(Ok(()))) => Ok(()),
                Ok(Ok(Err(error))) => Err(ServerError::Serve(error.to_string())),
                Ok(Err(error)) => Err(ServerError::Serve(error.to_string())),
                Err(_) => {
                    tracing::warn!(grace = ?self.shutdown_grace, "calls still running after the shutdown grace period; abandoning them");
                    self.abandon_calls.send_replace(true);
                    task.abort();
                    Ok(())
                }
            },
            None => Ok(()),
        };
        let saved = self.save_and_release();
        served?;
        saved?;
        tracing::info!(endpoint = %self.endpoint, "sandbox stopped");
        Ok(())
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let Some(sender) = self.shutdown.take() else {
            return;
        };
        let _ = sender.send(());
        if let Err(error) = self.save_and_release() {
            tracing::error!(%error, "failed to save the sandbox data file while dropping the sandbox");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_credential_is_kept() {
        let (value, generated) =
            credential(Some("user_1"), "user_id", || panic!("must not generate")).unwrap();

        assert_eq!(value, "user_1");
        assert!(!generated);
    }

    #[test]
    fn blank_credential_is_rejected() {
        for bad in ["", "  ", " user"] {
            let error = credential(Some(bad), "user_id", || Ok("x".into())).unwrap_err();
            assert!(
                matches!(
                    error,
                    ServerError::InvalidConfig {
                        setting: "user_id",
                        ..
                    }
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn generated_keys_differ() {
        let first = random_hex(20).unwrap();
        let second = random_hex(20).unwrap();

        assert_eq!(first.len(), 40);
        assert_ne!(first, second);
    }

    #[test]
    fn unspecified_address_becomes_loopback() {
        assert_eq!(
            reachable("0.0.0.0:81".parse().unwrap()),
            "127.0.0.1:81".parse().unwrap()
        );
        assert_eq!(
            reachable("[::]:81".parse().unwrap()),
            "[::1]:81".parse().unwrap()
        );
        assert_eq!(
            reachable("127.0.0.2:81".parse().unwrap()),
            "127.0.0.2:81".parse().unwrap()
        );
    }

    #[test]
    fn config_debug_hides_key() {
        let config = SandboxConfig {
            secret_key: Some("very-secret".into()),
            ..SandboxConfig::default()
        };

        let text = format!("{config:?}");

        assert!(!text.contains("very-secret"), "{text}");
        assert!(text.contains("<redacted>"));
    }
}
