//! Checks the `AuthenticationHeader` of each request, as Marketo did.
//!
//! A request is accepted when its `mktowsUserId` is the sandbox's user id, its
//! `requestSignature` is the lowercase hex HMAC-SHA1 of `requestTimestamp` followed by
//! `mktowsUserId` under the sandbox's encryption key, and its `requestTimestamp` lies
//! within the timestamp window of the server clock, in either direction. The checks run
//! in that order: a wrong user id or signature is fault 20014, a timestamp that does not
//! parse or lies outside the window is fault 20016.

use chrono::{DateTime, Duration, Utc};
use mktows::auth::sign;
use mktows::types::AuthenticationHeaderInfo;
use mktows::EncryptionKey;

use crate::error::{FaultCode, SandboxError};

/// The credentials and the timestamp window one sandbox accepts.
#[derive(Debug, Clone)]
pub(crate) struct Authenticator {
    user_id: String,
    key: EncryptionKey,
    window: Duration,
}

impl Authenticator {
    pub(crate) fn new(user_id: String, key: EncryptionKey, window: Duration) -> Self {
        Authenticator {
            user_id,
            key,
            window,
        }
    }

    /// Returns the encryption key, to redact it from logged envelopes.
    pub(crate) fn key(&self) -> &EncryptionKey {
        &self.key
    }

    /// Accepts or rejects the header of a request received at `now`.
    pub(crate) fn check(
        &self,
        header: Option<&AuthenticationHeaderInfo>,
        now: DateTime<Utc>,
    ) -> Result<(), SandboxError> {
        let Some(header) = header else {
            return Err(SandboxError::new(
                FaultCode::AuthenticationFailed,
                "the request has no AuthenticationHeader; send mktowsUserId, requestTimestamp and requestSignature in the SOAP header",
            ));
        };

        if header.mktows_user_id != self.user_id {
            return Err(SandboxError::new(
                FaultCode::AuthenticationFailed,
                format!("mktowsUserId '{}' is not a user of this sandbox; use the user id it printed at start-up", header.mktows_user_id),
            ));
        }

        let expected = sign(&self.key, &header.request_timestamp, &header.mktows_user_id);
        let received = header.request_signature.trim().to_ascii_lowercase();
        if !constant_time_eq(expected.as_bytes(), received.as_bytes()) {
            return Err(SandboxError::new(
                FaultCode::AuthenticationFailed,
                "requestSignature does not match; it must be the lowercase hex HMAC-SHA1 of requestTimestamp followed by mktowsUserId, keyed with the encryption key",
            ));
        }

        let timestamp = DateTime::parse_from_rfc3339(header.request_timestamp.trim()).map_err(|_| {
            SandboxError::new(
                FaultCode::RequestExpired,
                format!(
                    "requestTimestamp '{}' is not a W3C date-time such as 2026-03-01T09:15:00+01:00; sign again with a valid timestamp",
                    header.request_timestamp
                ),
            )
        })?;
        let age = now - timestamp.with_timezone(&Utc);
        if age > self.window {
            return Err(SandboxError::new(
                FaultCode::RequestExpired,
                format!(
                    "requestTimestamp {} is {} seconds older than the server time, more than the {} seconds allowed; sign the request again with the current time",
                    header.request_timestamp,
                    age.num_seconds(),
                    self.window.num_seconds()
                ),
            ));
        }
        if -age > self.window {
            return Err(SandboxError::new(
                FaultCode::RequestExpired,
                format!(
                    "requestTimestamp {} is {} seconds ahead of the server time, more than the {} seconds allowed; check the client's clock",
                    header.request_timestamp,
                    (-age).num_seconds(),
                    self.window.num_seconds()
                ),
            ));
        }
        Ok(())
    }
}

/// Compares two byte strings in time that depends only on their lengths, so the
/// response time does not reveal how much of a guessed signature was right.
fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    left.iter()
        .zip(right)
        .fold(0u8, |difference, (a, b)| difference | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const USER: &str = "sandbox_user_0001";
    const KEY: &str = "sandbox-secret-0001";

    fn authenticator() -> Authenticator {
        Authenticator::new(USER.into(), EncryptionKey::new(KEY), Duration::minutes(15))
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 30).unwrap()
    }

    fn header(user_id: &str, key: &str, timestamp: &str) -> AuthenticationHeaderInfo {
        AuthenticationHeaderInfo {
            mktows_user_id: user_id.into(),
            request_signature: sign(&EncryptionKey::new(key), timestamp, user_id),
            request_timestamp: timestamp.into(),
            audit: None,
            mode: None,
        }
    }

    fn code_of(result: Result<(), SandboxError>) -> FaultCode {
        result.unwrap_err().code
    }

    #[test]
    fn valid_header_with_offset_is_accepted() {
        // 10:15:30+01:00 is the same instant as now().
        let header = header(USER, KEY, "2026-03-02T10:15:30+01:00");

        assert!(authenticator().check(Some(&header), now()).is_ok());
    }

    #[test]
    fn uppercase_signature_is_accepted() {
        let mut header = header(USER, KEY, "2026-03-02T09:15:30+00:00");
        header.request_signature = header.request_signature.to_ascii_uppercase();

        assert!(authenticator().check(Some(&header), now()).is_ok());
    }

    #[test]
    fn missing_header_is_20014() {
        assert_eq!(
            code_of(authenticator().check(None, now())),
            FaultCode::AuthenticationFailed
        );
    }

    #[test]
    fn unknown_user_is_20014() {
        let header = header("someone_else", KEY, "2026-03-02T09:15:30+00:00");

        assert_eq!(
            code_of(authenticator().check(Some(&header), now())),
            FaultCode::AuthenticationFailed
        );
    }

    #[test]
    fn wrong_key_is_20014() {
        let header = header(USER, "not-the-key", "2026-03-02T09:15:30+00:00");

        assert_eq!(
            code_of(authenticator().check(Some(&header), now())),
            FaultCode::AuthenticationFailed
        );
    }

    #[test]
    fn timestamp_at_window_edge_is_accepted() {
        let old = header(USER, KEY, "2026-03-02T09:00:30+00:00");
        let ahead = header(USER, KEY, "2026-03-02T09:30:30+00:00");

        assert!(authenticator().check(Some(&old), now()).is_ok());
        assert!(authenticator().check(Some(&ahead), now()).is_ok());
    }

    #[test]
    fn timestamp_past_window_is_20016() {
        let old = header(USER, KEY, "2026-03-02T09:00:29+00:00");
        let ahead = header(USER, KEY, "2026-03-02T09:30:31+00:00");

        let old_error = authenticator().check(Some(&old), now()).unwrap_err();
        assert_eq!(old_error.code, FaultCode::RequestExpired);
        assert!(
            old_error.message.contains("901 seconds older"),
            "{}",
            old_error.message
        );
        assert_eq!(
            code_of(authenticator().check(Some(&ahead), now())),
            FaultCode::RequestExpired
        );
    }

    #[test]
    fn unparsable_timestamp_is_20016() {
        let header = header(USER, KEY, "yesterday");

        assert_eq!(
            code_of(authenticator().check(Some(&header), now())),
            FaultCode::RequestExpired
        );
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
