//! Reading a request body within the size limit and the read timeout.
//!
//! An oversized body is fault 20012. Most clients send the whole body before they read
//! the response. If the server sent the fault and closed the connection at once, such
//! a client would fail to write the rest and report a broken connection instead of the
//! fault. So [`read_body`] first reads and discards the rest of an oversized body,
//! bounded by [`DISCARD_MAX_BYTES`] and [`DISCARD_MAX_TIME`].
//!
//! A body that does not arrive in full within the read timeout is also fault 20012,
//! sent with `Connection: close`. Without the timeout, a client that declares a length
//! and then goes silent would hold its connection open for ever.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, EXPECT};
use axum::http::HeaderMap;
use http_body_util::BodyExt;
use tokio::time::Instant;

/// The maximum number of bytes discarded past the limit: 64 MiB. Past it, the server
/// sends the fault at once and closes the connection.
pub(crate) const DISCARD_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The maximum time spent discarding the rest of an oversized body. Past it, the server
/// sends the fault at once and closes the connection.
pub(crate) const DISCARD_MAX_TIME: Duration = Duration::from_secs(5);

/// The initial buffer size is at most this, however large the declared length, so a
/// request that declares 8 MiB and sends nothing does not reserve 8 MiB.
const MAX_INITIAL_CAPACITY: usize = 64 * 1024;

/// The bounds a request body must stay within.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    /// The largest body accepted, in bytes.
    pub(crate) max_bytes: usize,
    /// The time allowed to receive the whole body, from the moment the headers arrived.
    pub(crate) read_timeout: Duration,
}

/// The reason a request body was not read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is larger than the limit.
    TooLarge {
        /// The limit in bytes.
        max_bytes: usize,
        /// Whether the rest of the body was read and discarded. When not, the client may
        /// still be sending, and the connection must be closed after the response.
        discarded_rest: bool,
    },
    /// The whole body did not arrive within the read timeout.
    TimedOut {
        /// The read timeout.
        timeout: Duration,
        /// The bytes received before the timeout.
        received_bytes: usize,
        /// The `Content-Length` of the request, if it had one.
        declared_bytes: Option<u64>,
    },
    /// The connection failed while the body was read.
    Broken {
        /// The bytes received before the failure.
        received_bytes: usize,
        /// The error of the HTTP layer.
        message: String,
    },
}

impl BodyError {
    /// Returns true when the connection cannot carry another request, because part of
    /// this request's body may still be unread.
    pub(crate) fn closes_connection(&self) -> bool {
        match self {
            BodyError::TooLarge { discarded_rest, .. } => !discarded_rest,
            BodyError::TimedOut { .. } | BodyError::Broken { .. } => true,
        }
    }
}

/// Reads the whole body, or fails once it passes `limits.max_bytes` or
/// `limits.read_timeout`.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    mut body: Body,
    limits: BodyLimits,
) -> Result<Bytes, BodyError> {
    let BodyLimits {
        max_bytes,
        read_timeout,
    } = limits;
    let deadline = Instant::now() + read_timeout;
    let declared = declared_length(headers);
    if declared.is_some_and(|length| length > max_bytes as u64) {
        let discarded_rest = discard_rest(headers, &mut body, declared, 0).await;
        return Err(BodyError::TooLarge {
            max_bytes,
            discarded_rest,
        });
    }

    let capacity = declared
        .map_or(0, |length| length as usize)
        .min(MAX_INITIAL_CAPACITY);
    let mut collected = Vec::with_capacity(capacity);
    loop {
        let Ok(next) = tokio::time::timeout_at(deadline, body.frame()).await else {
            return Err(BodyError::TimedOut {
                timeout: read_timeout,
                received_bytes: collected.len(),
                declared_bytes: declared,
            });
        };
        let Some(frame) = next else {
            break;
        };
        let frame = frame.map_err(|error| BodyError::Broken {
            received_bytes: collected.len(),
            message: error.to_string(),
        })?;
        let Ok(data) = frame.into_data() else {
            // Trailers carry nothing the sandbox reads.
            continue;
        };
        if collected.len() + data.len() > max_bytes {
            let received = (collected.len() + data.len()) as u64;
            let discarded_rest = discard_rest(headers, &mut body, declared, received).await;
            return Err(BodyError::TooLarge {
                max_bytes,
                discarded_rest,
            });
        }
        collected.extend_from_slice(&data);
    }
    Ok(Bytes::from(collected))
}

/// Reads and discards the rest of an oversized body, so that the client can finish
/// sending and then read the fault. Returns true when the body ended, false when the
/// client waits for `100 Continue`, or the rest is longer than [`DISCARD_MAX_BYTES`],
/// takes longer than [`DISCARD_MAX_TIME`] or breaks off.
async fn discard_rest(
    headers: &HeaderMap,
    body: &mut Body,
    declared: Option<u64>,
    received: u64,
) -> bool {
    // A client that sent `Expect: 100-continue` waits for `100 Continue`, which the
    // server sends only when it reads the body, so that client reads the fault first.
    let expects_continue = headers
        .get(EXPECT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().eq_ignore_ascii_case("100-continue"));
    if expects_continue {
        return false;
    }
    if declared.is_some_and(|length| length.saturating_sub(received) > DISCARD_MAX_BYTES) {
        return false;
    }

    let deadline = Instant::now() + DISCARD_MAX_TIME;
    let mut discarded: u64 = 0;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(frame))) => frame,
            Ok(None) => return true,
            Ok(Some(Err(_))) | Err(_) => return false,
        };
        discarded += frame.data_ref().map_or(0, |data| data.len() as u64);
        if discarded > DISCARD_MAX_BYTES {
            return false;
        }
    }
}

/// Returns the `Content-Length` header as a number, when it is one.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    fn limits(max_bytes: usize) -> BodyLimits {
        BodyLimits {
            max_bytes,
            read_timeout: Duration::from_secs(5),
        }
    }

    #[tokio::test]
    async fn body_within_limit_is_read() {
        let bytes = read_body(
            &headers(&[("content-length", "5")]),
            Body::from("hello"),
            limits(5),
        )
        .await
        .unwrap();

        assert_eq!(&bytes[..], b"hello");
    }

    #[tokio::test]
    async fn declared_oversized_body_is_discarded() {
        let error = read_body(
            &headers(&[("content-length", "6")]),
            Body::from("hello!"),
            limits(5),
        )
        .await
        .unwrap_err();

        assert!(
            matches!(
                error,
                BodyError::TooLarge {
                    max_bytes: 5,
                    discarded_rest: true
                }
            ),
            "{error:?}"
        );
        assert!(!error.closes_connection());
    }

    #[tokio::test]
    async fn undeclared_oversized_body_is_discarded() {
        let error = read_body(&HeaderMap::new(), Body::from("hello!"), limits(5))
            .await
            .unwrap_err();

        assert!(
            matches!(
                error,
                BodyError::TooLarge {
                    max_bytes: 5,
                    discarded_rest: true
                }
            ),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn huge_declared_body_is_not_discarded() {
        let huge = (DISCARD_MAX_BYTES + 100).to_string();

        let error = read_body(
            &headers(&[("content-length", &huge)]),
            Body::from("hello!"),
            limits(5),
        )
        .await
        .unwrap_err();

        assert!(
            matches!(
                error,
                BodyError::TooLarge {
                    discarded_rest: false,
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.closes_connection());
    }

    #[tokio::test]
    async fn expect_continue_body_is_not_discarded() {
        let request_headers = headers(&[("content-length", "6"), ("expect", "100-continue")]);

        let error = read_body(&request_headers, Body::from("hello!"), limits(5))
            .await
            .unwrap_err();

        assert!(
            matches!(
                error,
                BodyError::TooLarge {
                    discarded_rest: false,
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
