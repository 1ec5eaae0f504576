//! The [`Client`] that mktows operations are called on, and its [`ClientBuilder`].
//!
//! A client stores the endpoint's HTTP transport, the credentials and the clock that
//! timestamps each signature. The operation methods are defined next to the generated
//! code. This module only builds and configures the client.

use std::ffi::OsString;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::auth::{Clock, Credentials, EncryptionKey, SystemClock};
use crate::error::{Error, Result};
use crate::transport::{
    HttpTransport, TransportOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_TIMEOUT,
};

/// The environment variable that [`Client::from_env`] reads the endpoint URL from.
pub const ENV_ENDPOINT: &str = "MKTOWS_ENDPOINT";

/// The environment variable that [`Client::from_env`] reads the user id from.
pub const ENV_USER_ID: &str = "MKTOWS_USER_ID";

/// The environment variable that [`Client::from_env`] reads the encryption key from.
pub const ENV_SECRET_KEY: &str = "MKTOWS_SECRET_KEY";

/// A mktows API client. Cloning is cheap: clones share one connection pool and
/// configuration.
///
/// ```no_run
/// # async fn example() -> mktows::Result<()> {
/// let client = mktows::Client::builder(
///     "https://123-ABC-456.mktoapi.com/soap/mktows/2_3",
///     "acmecorp1_0123ABCD4567EF",
///     "the-encryption-key",
/// )
/// .request_timeout(std::time::Duration::from_secs(90))
/// .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

/// The state that clones of a [`Client`] share.
pub(crate) struct ClientInner {
    pub(crate) transport: HttpTransport,
    pub(crate) credentials: Credentials,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) retry: RetryPolicy,
}

/// When a call is sent again after a SOAP fault that says the request was not processed:
/// an expired signature (20016) or the rate and concurrency limits (20023, 20024).
///
/// Each new attempt is signed afresh and waits first: `initial_backoff`, doubled after
/// each attempt, at most `max_backoff`. Other faults and transport errors are returned at
/// once, because the request may have been processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// Wait before the second attempt.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, waiting 1 s and then 2 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// No retries: every fault is returned as it comes.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `attempt` (2 for the first retry).
    pub(crate) fn backoff_before(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(2).min(16);
        self.initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }
}

impl Client {
    /// Starts building a client for `endpoint` (the SOAP endpoint from Marketo's
    /// Admin > Web Services page) with a user id and its encryption key.
    pub fn builder(
        endpoint: impl Into<String>,
        user_id: impl Into<String>,
        encryption_key: impl Into<EncryptionKey>,
    ) -> ClientBuilder {
        ClientBuilder::new(endpoint, user_id, encryption_key)
    }

    /// Builds a client with default settings from the environment variables
    /// `MKTOWS_ENDPOINT`, `MKTOWS_USER_ID` and `MKTOWS_SECRET_KEY`.
    ///
    /// Returns [`Error::InvalidConfig`] naming the first variable that is missing,
    /// empty or not valid Unicode. Use [`ClientBuilder::from_env`] to change settings
    /// before building.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }

    /// Returns the endpoint URL that requests are posted to.
    pub fn endpoint(&self) -> &Url {
        self.inner.transport.endpoint()
    }

    /// Returns the user id sent in every request.
    pub fn user_id(&self) -> &str {
        self.inner.credentials.user_id()
    }

    /// Returns the HTTP transport.
    pub(crate) fn transport(&self) -> &HttpTransport {
        &self.inner.transport
    }

    /// Returns the credentials that sign each request.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// Returns the clock that timestamps each signature.
    pub(crate) fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint().as_str())
            .field("user_id", &self.user_id())
            .finish_non_exhaustive()
    }
}

/// Settings for a [`Client`], checked by [`ClientBuilder::build`].
#[must_use = "a ClientBuilder does nothing until build() is called"]
pub struct ClientBuilder {
    endpoint: String,
    user_id: String,
    encryption_key: EncryptionKey,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: u64,
    clock: Arc<dyn Clock>,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// Starts with the endpoint, the credentials and default settings: a 10 s connect
    /// timeout, a 60 s request timeout, a 16 MiB response limit and a UTC system clock.
    pub fn new(
        endpoint: impl Into<String>,
        user_id: impl Into<String>,
        encryption_key: impl Into<EncryptionKey>,
    ) -> ClientBuilder {
        ClientBuilder {
            endpoint: endpoint.into(),
            user_id: user_id.into(),
            encryption_key: encryption_key.into(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            clock: Arc::new(SystemClock::utc()),
            http_client: None,
            retry: RetryPolicy::default(),
        }
    }

    /// Starts from the environment variables `MKTOWS_ENDPOINT`, `MKTOWS_USER_ID` and
    /// `MKTOWS_SECRET_KEY`, with default settings.
    ///
    /// Returns [`Error::InvalidConfig`] naming the first variable that is missing,
    /// empty or not valid Unicode.
    pub fn from_env() -> Result<ClientBuilder> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// Reads the three variables through `lookup`, so tests need not change the
    /// process environment.
    fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<ClientBuilder> {
        let read = |name: &str| -> Result<String> {
            let missing = |problem: &str| Error::InvalidConfig {
                setting: name.to_owned(),
                reason: format!(
                    "the environment variable {problem}; set {ENV_ENDPOINT}, {ENV_USER_ID} and \
                     {ENV_SECRET_KEY} to the values on Marketo's Admin > Web Services page"
                ),
            };
            let value = lookup(name).ok_or_else(|| missing("is not set"))?;
            let value = value
                .into_string()
                .map_err(|_| missing("is not valid Unicode"))?;
            if value.trim().is_empty() {
                return Err(missing("is empty"));
            }
            Ok(value)
        };

        let endpoint = read(ENV_ENDPOINT)?;
        let user_id = read(ENV_USER_ID)?;
        let encryption_key = read(ENV_SECRET_KEY)?;
        Ok(ClientBuilder::new(endpoint, user_id, encryption_key))
    }

    /// Sets the time allowed to open a connection, TLS handshake included. Ignored when
    /// [`http_client`](Self::http_client) is set.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time allowed for a whole call, from connecting to the last response byte.
    pub fn request_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.request_timeout = timeout;
        self
    }

    /// Sets the maximum response body size in bytes. Larger responses fail with
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, max_bytes: u64) -> ClientBuilder {
        self.max_response_bytes = max_bytes;
        self
    }

    /// Sets the clock that timestamps each signature, for example a
    /// [`FixedClock`](crate::FixedClock) in tests.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> ClientBuilder {
        self.clock = clock;
        self
    }

    /// Sets when calls are retried after faults that mean the request was not processed
    /// (default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// Uses a preconfigured reqwest client, for custom TLS roots or proxies.
    ///
    /// Its own connect timeout and redirect policy then apply. The client built by
    /// default follows no redirects, so a redirect cannot move a request to an
    /// unchecked host.
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http_client = Some(client);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Returns [`Error::InvalidEndpoint`] for an endpoint that is not `https://` (plain
    /// `http://` is accepted only for loopback hosts), and [`Error::InvalidConfig`] for an
    /// empty user id or key, a zero timeout or a zero size limit.
    pub fn build(self) -> Result<Client> {
        if self.user_id.trim().is_empty() {
            return Err(Error::InvalidConfig {
                setting: "user_id".to_owned(),
                reason: "the user id is empty; copy the User ID from Marketo's Admin > Web Services page".to_owned(),
            });
        }
        if self.encryption_key.is_empty() {
            return Err(Error::InvalidConfig {
                setting: "encryption_key".to_owned(),
                reason: "the encryption key is empty; copy the Encryption Key from Marketo's Admin > Web Services page"
                    .to_owned(),
            });
        }

        let options = TransportOptions {
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            max_response_bytes: self.max_response_bytes,
            http_client: self.http_client,
        };
        let transport = HttpTransport::new(&self.endpoint, options)?;

        Ok(Client {
            inner: Arc::new(ClientInner {
                transport,
                credentials: Credentials::new(self.user_id, self.encryption_key),
                clock: self.clock,
                retry: RetryPolicy {
                    max_attempts: self.retry.max_attempts.max(1),
                    ..self.retry
                },
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("user_id", &self.user_id)
            .field("encryption_key", &self.encryption_key)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("clock", &self.clock)
            .field("http_client", &self.http_client.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::FixedClock;
    use chrono::DateTime;

    const ENDPOINT: &str = "https://987-zyx-654.mktoapi.example/soap/mktows/2_3";
    const USER_ID: &str = "harborlight7_55AA66BB77CC";
    const KEY: &str = "quartz-meadow-0042";

    fn environment(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let pairs: Vec<(String, OsString)> = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), OsString::from(value)))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        }
    }

    fn invalid_setting(error: &Error) -> &str {
        match error {
            Error::InvalidConfig { setting, .. } => setting,
            other => panic!("expected Error::InvalidConfig, got {other:?}"),
        }
    }

    #[test]
    fn from_env_reads_all_three_variables() {
        let lookup = environment(&[
            (ENV_ENDPOINT, ENDPOINT),
            (ENV_USER_ID, USER_ID),
            (ENV_SECRET_KEY, KEY),
        ]);

        let client = ClientBuilder::from_lookup(lookup).unwrap().build().unwrap();

        assert_eq!(client.endpoint().as_str(), ENDPOINT);
        assert_eq!(client.user_id(), USER_ID);
        assert_eq!(client.credentials().encryption_key().expose_secret(), KEY);
    }

    #[test]
    fn from_env_names_missing_variable() {
        let cases = [
            (
                vec![(ENV_USER_ID, USER_ID), (ENV_SECRET_KEY, KEY)],
                ENV_ENDPOINT,
            ),
            (
                vec![(ENV_ENDPOINT, ENDPOINT), (ENV_SECRET_KEY, KEY)],
                ENV_USER_ID,
            ),
            (
                vec![(ENV_ENDPOINT, ENDPOINT), (ENV_USER_ID, USER_ID)],
                ENV_SECRET_KEY,
            ),
            (
                vec![
                    (ENV_ENDPOINT, ENDPOINT),
                    (ENV_USER_ID, USER_ID),
                    (ENV_SECRET_KEY, " "),
                ],
                ENV_SECRET_KEY,
            ),
        ];

        for (pairs, missing) in cases {
            let error = ClientBuilder::from_lookup(environment(&pairs)).unwrap_err();

            assert_eq!(invalid_setting(&error), missing);
            assert!(error.to_string().contains(missing), "{error}");
        }
    }

    #[test]
    fn debug_shows_endpoint_and_user_but_not_key() {
        let builder = Client::builder(ENDPOINT, USER_ID, KEY);
        let builder_debug = format!("{builder:?}");
        let client = builder.build().unwrap();

        let client_debug = format!("{client:?}");

        assert!(client_debug.contains(ENDPOINT), "{client_debug}");
        assert!(client_debug.contains(USER_ID), "{client_debug}");
        assert!(!client_debug.contains(KEY), "{client_debug}");
        assert!(!builder_debug.contains(KEY), "{builder_debug}");
        assert!(builder_debug.contains("<redacted>"), "{builder_debug}");
    }

    #[test]
    fn clones_share_state() {
        let client = Client::builder(ENDPOINT, USER_ID, KEY).build().unwrap();

        let clone = client.clone();

        assert!(Arc::ptr_eq(&client.inner, &clone.inner));
    }

    #[test]
    fn builder_applies_settings() {
        let clock =
            FixedClock::new(DateTime::parse_from_rfc3339("2026-05-06T07:08:09-04:00").unwrap());

        let client = Client::builder(ENDPOINT, USER_ID, KEY)
            .request_timeout(Duration::from_secs(5))
            .max_response_bytes(4096)
            .clock(Arc::new(clock))
            .build()
            .unwrap();

        assert_eq!(client.transport().request_timeout(), Duration::from_secs(5));
        assert_eq!(client.transport().max_response_bytes(), 4096);
        let header = client.credentials().sign_at(client.clock().now());
        assert_eq!(header.request_timestamp, "2026-05-06T07:08:09-04:00");
    }

    #[test]
    fn build_rejects_empty_credentials_and_zero_limits() {
        let cases = [
            (Client::builder(ENDPOINT, "  ", KEY), "user_id"),
            (Client::builder(ENDPOINT, USER_ID, ""), "encryption_key"),
            (
                Client::builder(ENDPOINT, USER_ID, KEY).connect_timeout(Duration::ZERO),
                "connect_timeout",
            ),
            (
                Client::builder(ENDPOINT, USER_ID, KEY).max_response_bytes(0),
                "max_response_bytes",
            ),
        ];

        for (builder, setting) in cases {
            let error = builder.build().unwrap_err();

            assert_eq!(invalid_setting(&error), setting);
        }
    }

    #[test]
    fn build_rejects_plain_http_to_remote_host() {
        let error = Client::builder("http://987-ZYX-654.mktoapi.example/soap", USER_ID, KEY)
            .build()
            .unwrap_err();

        assert!(matches!(error, Error::InvalidEndpoint { .. }), "{error:?}");
    }
}
