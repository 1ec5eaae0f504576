//! Request signing for the `AuthenticationHeader` that every mktows call carries.
//!
//! Marketo authenticates each SOAP call statelessly: the client sends its user id, a
//! request timestamp and an HMAC-SHA1 signature of `timestamp + user_id` keyed with the
//! shared encryption key. The key itself never leaves the process. This module owns the
//! credentials, the clock that supplies the timestamp, and the signature computation.
//! Building the header element in the envelope is the caller's job.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset, Local, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The format of `requestTimestamp`: W3C date-time with a numeric offset, no fractional
/// seconds, and `+00:00` rather than `Z` for UTC (`2026-03-01T09:15:00+01:00`).
const W3C_TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";

/// The shared secret (Marketo's "Encryption Key") used to sign requests.
///
/// Its `Debug` output is `"<redacted>"`, so the key cannot leak through logs or
/// `{:?}` formatting of the structs that contain it. It has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKey(String);

impl EncryptionKey {
    /// Wraps a secret key as shown in Marketo's Admin > Web Services panel.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// Returns the key text. Call this only to compute a signature, never to log.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Returns `true` when the key is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl From<String> for EncryptionKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl From<&str> for EncryptionKey {
    fn from(key: &str) -> Self {
        Self(key.to_owned())
    }
}

/// A Marketo SOAP user id (also called access key) and its encryption key.
#[derive(Clone, Debug)]
pub struct Credentials {
    user_id: String,
    encryption_key: EncryptionKey,
}

impl Credentials {
    /// Pairs a user id such as `acmecorp1_0123ABCD` with its encryption key.
    pub fn new(user_id: impl Into<String>, encryption_key: impl Into<EncryptionKey>) -> Self {
        Self {
            user_id: user_id.into(),
            encryption_key: encryption_key.into(),
        }
    }

    /// Returns the user id sent as `mktowsUserId`.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Returns the encryption key.
    pub fn encryption_key(&self) -> &EncryptionKey {
        &self.encryption_key
    }

    /// Signs a request made at `now`: formats the W3C timestamp and computes its signature.
    pub fn sign_at(&self, now: DateTime<FixedOffset>) -> SignedHeader {
        let request_timestamp = format_timestamp(now);
        let request_signature = sign(&self.encryption_key, &request_timestamp, &self.user_id);
        SignedHeader {
            user_id: self.user_id.clone(),
            request_timestamp,
            request_signature,
        }
    }
}

/// The values of one `AuthenticationHeader`: user id, timestamp and signature.
///
/// Marketo rejects a signature once its timestamp is too old (fault 20016), so a header
/// is signed per request and not reused. `Debug` redacts the signature, which grants
/// access until it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeader {
    /// The `mktowsUserId` element.
    pub user_id: String,
    /// The `requestTimestamp` element, e.g. `2026-03-01T09:15:00+01:00`.
    pub request_timestamp: String,
    /// The `requestSignature` element: 40 lowercase hex digits.
    pub request_signature: String,
}

impl fmt::Debug for SignedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedHeader")
            .field("user_id", &self.user_id)
            .field("request_timestamp", &self.request_timestamp)
            .field("request_signature", &"<redacted>")
            .finish()
    }
}

/// Computes the Marketo request signature: lowercase hex of
/// HMAC-SHA1(key, `timestamp` followed by `user_id`).
pub fn sign(key: &EncryptionKey, timestamp: &str, user_id: &str) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = Hmac::<Sha1>::new_from_slice(key.expose_secret().as_bytes())
        .expect("HMAC-SHA1 accepts keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(user_id.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Formats `time` as a `requestTimestamp`: whole seconds and a numeric offset
/// (`2026-03-01T09:15:00+01:00`, `2026-03-01T08:15:00+00:00`).
///
/// Sub-second digits are dropped. An offset with a seconds part, which no current
/// time zone uses, is printed as hours and minutes only.
pub fn format_timestamp(time: DateTime<FixedOffset>) -> String {
    time.format(W3C_TIMESTAMP_FORMAT).to_string()
}

/// A source of the current time for request timestamps.
///
/// The client asks its clock once per signed request. Tests use [`FixedClock`] to make
/// signatures reproducible.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Returns the current time with the offset to print in the timestamp.
    fn now(&self) -> DateTime<FixedOffset>;
}

/// Which offset [`SystemClock`] reports the time in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum SystemOffset {
    #[default]
    Utc,
    Local,
}

/// The operating system's clock. Its `Default` reports UTC (`+00:00`).
///
/// Marketo accepts any offset, so UTC is the default: it does not depend on the host's
/// time zone database. Use [`SystemClock::local`] to sign with the host's local offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SystemClock {
    offset: SystemOffset,
}

impl SystemClock {
    /// Creates a clock that reports UTC with the offset `+00:00`.
    pub fn utc() -> Self {
        Self {
            offset: SystemOffset::Utc,
        }
    }

    /// Creates a clock that reports the host's local time and offset.
    pub fn local() -> Self {
        Self {
            offset: SystemOffset::Local,
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        match self.offset {
            SystemOffset::Utc => Utc::now().fixed_offset(),
            SystemOffset::Local => Local::now().fixed_offset(),
        }
    }
}

/// A clock that reports a time set by the test, for reproducible signatures.
///
/// Clones share the same time, so a test can keep one handle and move the time of a
/// client that holds another (for example, to make a signature expire).
#[derive(Clone, Debug)]
pub struct FixedClock {
    time: Arc<Mutex<DateTime<FixedOffset>>>,
}

impl FixedClock {
    /// Creates a clock that reports `time` until it is changed.
    pub fn new(time: DateTime<FixedOffset>) -> Self {
        Self {
            time: Arc::new(Mutex::new(time)),
        }
    }

    /// Sets the time that the clock reports from now on.
    pub fn set(&self, time: DateTime<FixedOffset>) {
        *self.time.lock().unwrap_or_else(PoisonError::into_inner) = time;
    }

    /// Moves the reported time forward by `by` (backward when `by` is negative).
    pub fn advance(&self, by: chrono::TimeDelta) {
        let mut time = self.time.lock().unwrap_or_else(PoisonError::into_inner);
        *time += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.time.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_utc_has_zero_offset() {
        let now = SystemClock::utc().now();

        assert_eq!(now.offset().local_minus_utc(), 0);
        assert!(format_timestamp(now).ends_with("+00:00"));
    }

    #[test]
    fn system_clock_default_is_utc() {
        assert_eq!(SystemClock::default(), SystemClock::utc());
    }

    #[test]
    fn fixed_clock_clones_share_time() {
        let start = DateTime::parse_from_rfc3339("2026-03-01T09:15:00+01:00").unwrap();
        let clock = FixedClock::new(start);
        let handle = clock.clone();

        handle.advance(chrono::TimeDelta::minutes(20));

        assert_eq!(format_timestamp(clock.now()), "2026-03-01T09:35:00+01:00");
    }
}
