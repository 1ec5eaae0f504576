//! The crate's error type: SOAP faults, HTTP failures, configuration mistakes and
//! XML encoding or decoding failures.
//!
//! No variant carries the encryption key or a request signature, so errors are safe to
//! log in full.

use std::time::Duration;

use crate::fault::{FaultCode, SoapFault};

/// A boxed error from a lower layer, kept as the `source` of an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of this crate's fallible functions.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The stage of an HTTP exchange that ran out of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Opening the TCP connection and completing the TLS handshake.
    Connect,
    /// Sending the request and receiving the whole response.
    Request,
}

/// An error from a mktows call or from building a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Marketo returned a SOAP fault. Match on [`SoapFault::code`] to handle
    /// specific Marketo errors.
    #[error("{0}")]
    Fault(Box<SoapFault>),

    /// The endpoint returned an HTTP status other than 200 or 500, and the body
    /// was not an HTML page.
    #[error(
        "the endpoint returned HTTP status {status} instead of a SOAP response \
         (body starts with {body_snippet:?}); check the endpoint URL and retry later \
         if the status is 429 or 5xx"
    )]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The first characters of the body, for diagnosis.
        body_snippet: String,
    },

    /// The endpoint returned an HTML page, usually from a proxy, gateway or login page.
    #[error(
        "the endpoint returned an HTML page with HTTP status {status}{} instead of a \
         SOAP response; check that the endpoint URL is the SOAP endpoint shown in Marketo \
         under Admin > Web Services",
        title.as_deref().map(|title| format!(" titled {title:?}")).unwrap_or_default()
    )]
    HtmlErrorPage {
        /// The HTTP status code.
        status: u16,
        /// The text of the page's `<title>`, when it has one.
        title: Option<String>,
    },

    /// The endpoint returned an empty body.
    #[error(
        "the endpoint returned HTTP status {status} with an empty body instead of a SOAP \
         response; retry later, and check the endpoint URL if it persists"
    )]
    EmptyBody {
        /// The HTTP status code.
        status: u16,
    },

    /// The connection broke before the whole response body arrived.
    #[error(
        "the response body was cut off after {received_bytes} bytes{}; the connection \
         broke mid-response, so retry the call",
        expected_bytes.map(|expected| format!(" of the {expected} announced in Content-Length")).unwrap_or_default()
    )]
    TruncatedBody {
        /// The bytes received before the connection broke.
        received_bytes: u64,
        /// The length announced in `Content-Length`, when the response had one.
        expected_bytes: Option<u64>,
    },

    /// A 200 or 500 response whose `Content-Type` is not XML.
    #[error(
        "the endpoint returned HTTP status {status} with Content-Type {content_type:?}, \
         expected text/xml; check that the endpoint URL is the SOAP endpoint"
    )]
    UnexpectedContentType {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` header as sent, or an empty string when it was missing.
        content_type: String,
    },

    /// The response is larger than the configured maximum, so reading stopped.
    #[error(
        "the response is larger than the maximum of {limit_bytes} bytes{}; request fewer \
         records per call (a smaller batch size) or raise max_response_bytes",
        declared_bytes.map(|declared| format!(" (Content-Length announced {declared})")).unwrap_or_default()
    )]
    ResponseTooLarge {
        /// The configured maximum response size in bytes.
        limit_bytes: u64,
        /// The length announced in `Content-Length`, when the response had one.
        declared_bytes: Option<u64>,
    },

    /// The connection or the whole request took longer than its configured timeout.
    #[error("{}", match phase {
        TimeoutPhase::Connect => format!(
            "connecting to the endpoint timed out after {limit:?}; check the network \
             and the endpoint host, or raise connect_timeout"
        ),
        TimeoutPhase::Request => format!(
            "the request timed out after {limit:?} without a complete response; retry \
             later, request fewer records per call, or raise request_timeout"
        ),
    })]
    Timeout {
        /// The stage that timed out.
        phase: TimeoutPhase,
        /// The timeout that was exceeded.
        limit: Duration,
    },

    /// The TCP connection or the TLS handshake failed.
    #[error("failed to connect to {endpoint}: {source}; check the host name, the network and TLS settings")]
    Connect {
        /// The endpoint URL.
        endpoint: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The HTTP exchange failed for a reason other than connecting or a timeout, for
    /// example a malformed HTTP response.
    #[error("the HTTP exchange with {endpoint} failed: {source}")]
    Transport {
        /// The endpoint URL.
        endpoint: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The endpoint URL cannot be used.
    #[error("invalid endpoint {endpoint:?}: {reason}")]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// The reason for the rejection and the form of endpoint to use instead.
        reason: String,
    },

    /// A client setting is missing or out of range.
    #[error("invalid configuration for {setting}: {reason}")]
    InvalidConfig {
        /// The setting or environment variable, e.g. `request_timeout` or `MKTOWS_USER_ID`.
        setting: String,
        /// The problem and how to fix it.
        reason: String,
    },

    /// The response could not be read as the expected SOAP message.
    #[error("failed to decode the SOAP response: {0}")]
    Decode(#[source] BoxError),

    /// The message could not be written as SOAP: the request on a client, the response
    /// on a server.
    #[error("failed to encode the SOAP message: {0}")]
    Encode(#[source] BoxError),
}

impl Error {
    /// Returns `true` when the connection or the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Returns `true` when Marketo returned a SOAP fault.
    pub fn is_fault(&self) -> bool {
        matches!(self, Error::Fault(_))
    }

    /// Returns `true` when the connection could not be opened.
    pub fn is_connect(&self) -> bool {
        matches!(
            self,
            Error::Connect { .. }
                | Error::Timeout {
                    phase: TimeoutPhase::Connect,
                    ..
                }
        )
    }

    /// Returns the SOAP fault, when Marketo returned one.
    pub fn fault(&self) -> Option<&SoapFault> {
        match self {
            Error::Fault(fault) => Some(fault),
            _ => None,
        }
    }

    /// Returns the Marketo error code, when Marketo returned a SOAP fault.
    pub fn fault_code(&self) -> Option<&FaultCode> {
        self.fault().map(|fault| &fault.code)
    }

    /// Returns the HTTP status of the response, when one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. }
            | Error::HtmlErrorPage { status, .. }
            | Error::EmptyBody { status }
            | Error::UnexpectedContentType { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<SoapFault> for Error {
    fn from(fault: SoapFault) -> Self {
        Error::Fault(Box::new(fault))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_code_of_fault_error() {
        let error = Error::from(SoapFault::marketo(
            FaultCode::ListNotFound,
            "No list named 'Spring Gala'",
        ));

        assert!(error.is_fault());
        assert_eq!(error.fault_code(), Some(&FaultCode::ListNotFound));
        assert_eq!(
            error.to_string(),
            "Marketo fault 20111 (List Not Found): No list named 'Spring Gala'"
        );
    }

    #[test]
    fn fault_code_of_other_errors_is_none() {
        let error = Error::EmptyBody { status: 502 };

        assert!(!error.is_fault());
        assert_eq!(error.fault_code(), None);
        assert_eq!(error.status(), Some(502));
    }

    #[test]
    fn timeout_messages_name_the_setting() {
        let connect = Error::Timeout {
            phase: TimeoutPhase::Connect,
            limit: Duration::from_secs(10),
        };
        let request = Error::Timeout {
            phase: TimeoutPhase::Request,
            limit: Duration::from_millis(1500),
        };

        assert!(connect.is_timeout());
        assert!(connect.is_connect());
        assert!(!request.is_connect());
        assert!(connect.to_string().contains("10s"), "{connect}");
        assert!(connect.to_string().contains("connect_timeout"), "{connect}");
        assert!(request.to_string().contains("1.5s"), "{request}");
        assert!(request.to_string().contains("request_timeout"), "{request}");
    }

    #[test]
    fn html_page_message_includes_title() {
        let with_title = Error::HtmlErrorPage {
            status: 503,
            title: Some("Scheduled Maintenance".to_owned()),
        };
        let without_title = Error::HtmlErrorPage {
            status: 404,
            title: None,
        };

        assert!(
            with_title
                .to_string()
                .contains("status 503 titled \"Scheduled Maintenance\""),
            "{with_title}"
        );
        assert!(
            without_title.to_string().contains("status 404 instead"),
            "{without_title}"
        );
    }

    #[test]
    fn truncated_message_includes_lengths() {
        let error = Error::TruncatedBody {
            received_bytes: 120,
            expected_bytes: Some(4096),
        };

        assert!(
            error
                .to_string()
                .contains("after 120 bytes of the 4096 announced"),
            "{error}"
        );
    }
}
