//! The HTTP layer: posts a SOAP envelope to the endpoint and classifies what comes back.
//!
//! [`HttpTransport::post`] returns the raw body of every response that can contain a
//! SOAP envelope: status 200 or 500 with an XML content type. Everything else becomes a
//! specific [`Error`], such as an HTML error page from a proxy, an empty or cut-off
//! body, a body over the size limit, or a timeout. Parsing the envelope, including SOAP
//! faults, is left to the caller.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use url::{Host, Url};

use crate::error::{Error, Result, TimeoutPhase};

/// The default time allowed to open a connection, TLS handshake included.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time allowed for a whole call, from connecting to the last body byte.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The default maximum response size: 16 MiB.
///
/// The limit keeps a misbehaving server from filling memory. Raise it with
/// `max_response_bytes` if large batches of wide records hit it.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The `Content-Type` of every request, as SOAP 1.1 requires.
const REQUEST_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// Response media types that can carry a SOAP envelope.
const XML_MEDIA_TYPES: &[&str] = &["text/xml", "application/xml", "application/soap+xml"];

/// Response media types of HTML error pages.
const HTML_MEDIA_TYPES: &[&str] = &["text/html", "application/xhtml+xml"];

/// How many characters of an unexpected body [`Error::Http`] keeps.
const BODY_SNIPPET_CHARS: usize = 200;

/// How far into an HTML page to look for its `<title>`.
const TITLE_SEARCH_BYTES: usize = 64 * 1024;

/// How many characters of an HTML title [`Error::HtmlErrorPage`] keeps.
const TITLE_MAX_CHARS: usize = 200;

/// The first buffer allocation for a body, so a large announced `Content-Length` does
/// not reserve memory before the bytes arrive.
const INITIAL_BODY_CAPACITY: usize = 64 * 1024;

/// Settings of an [`HttpTransport`].
#[derive(Clone, Debug)]
pub struct TransportOptions {
    /// The time allowed to open a connection. Not applied when `http_client` is set,
    /// because reqwest fixes it when the client is built.
    pub connect_timeout: Duration,
    /// The time allowed for a whole call, from connecting to the last body byte.
    pub request_timeout: Duration,
    /// The maximum response body size in bytes.
    pub max_response_bytes: u64,
    /// A preconfigured reqwest client, for custom TLS roots or proxies. Without one the
    /// transport builds a client that follows no redirects.
    pub http_client: Option<reqwest::Client>,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
        }
    }
}

/// A response that may contain a SOAP envelope: status 200 or 500 with an XML body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code: 200 for results, 500 for SOAP faults.
    pub status: u16,
    /// The whole response body.
    pub body: Bytes,
}

/// Sends SOAP envelopes to one mktows endpoint over HTTP.
#[derive(Clone, Debug)]
pub struct HttpTransport {
    http: reqwest::Client,
    endpoint: Url,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: u64,
}

impl HttpTransport {
    /// Creates a transport for `endpoint` after checking the endpoint and the options.
    ///
    /// The endpoint must use `https://`, except that `http://` is accepted for loopback
    /// hosts (`127.0.0.0/8`, `::1`, `localhost`) so tests can use a local server.
    pub fn new(endpoint: &str, options: TransportOptions) -> Result<HttpTransport> {
        let endpoint = validate_endpoint(endpoint)?;
        check_positive_duration("connect_timeout", options.connect_timeout)?;
        check_positive_duration("request_timeout", options.request_timeout)?;
        if options.max_response_bytes == 0 {
            return Err(Error::InvalidConfig {
                setting: "max_response_bytes".to_owned(),
                reason: "the maximum response size is 0 bytes, so no response could be read; \
                         set it to at least a few kilobytes"
                    .to_owned(),
            });
        }

        let http = match options.http_client {
            Some(client) => client,
            None => build_http_client(options.connect_timeout)?,
        };

        Ok(HttpTransport {
            http,
            endpoint,
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
            max_response_bytes: options.max_response_bytes,
        })
    }

    /// Returns the endpoint that requests are posted to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// Returns the maximum response body size in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// Returns the time allowed for a whole call.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Posts `envelope` with the SOAP 1.1 headers `Content-Type: text/xml; charset=utf-8`
    /// and `SOAPAction: "<soap_action>"`, and returns the response if it can contain a
    /// SOAP envelope.
    ///
    /// A 500 response with an XML body is returned as `Ok`, because SOAP faults arrive
    /// that way. Every other outcome becomes the matching [`Error`] variant.
    pub async fn post(&self, soap_action: &str, envelope: Vec<u8>) -> Result<Response> {
        let started = Instant::now();
        let request_bytes = envelope.len();

        let result = self.exchange(soap_action, envelope).await;

        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(response) => tracing::debug!(
                endpoint = %self.endpoint,
                soap_action,
                request_bytes,
                status = response.status,
                response_bytes = response.body.len(),
                elapsed_ms,
                "received SOAP response"
            ),
            Err(error) => tracing::debug!(
                endpoint = %self.endpoint,
                soap_action,
                request_bytes,
                status = error.status(),
                elapsed_ms,
                %error,
                "SOAP request failed"
            ),
        }
        result
    }

    async fn exchange(&self, soap_action: &str, envelope: Vec<u8>) -> Result<Response> {
        let soap_action_header = soap_action_header(soap_action)?;

        let response = self
            .http
            .post(self.endpoint.clone())
            .header(CONTENT_TYPE, REQUEST_CONTENT_TYPE)
            .header("SOAPAction", soap_action_header)
            .timeout(self.request_timeout)
            .body(envelope)
            .send()
            .await
            .map_err(|error| self.classify_send_error(error))?;

        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let body = self.read_body(response).await?;

        classify_response(status, content_type.as_deref(), body)
    }

    /// Reads the body in chunks and stops as soon as it passes `max_response_bytes`.
    async fn read_body(&self, mut response: reqwest::Response) -> Result<Bytes> {
        let limit = self.max_response_bytes;
        let declared_bytes = response.content_length();
        if declared_bytes.is_some_and(|declared| declared > limit) {
            return Err(Error::ResponseTooLarge {
                limit_bytes: limit,
                declared_bytes,
            });
        }

        let capacity = declared_bytes
            .unwrap_or(0)
            .min(INITIAL_BODY_CAPACITY as u64) as usize;
        let mut body = BytesMut::with_capacity(capacity);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > limit {
                        return Err(Error::ResponseTooLarge {
                            limit_bytes: limit,
                            declared_bytes,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body.freeze()),
                Err(error) if error.is_timeout() => {
                    return Err(Error::Timeout {
                        phase: TimeoutPhase::Request,
                        limit: self.request_timeout,
                    })
                }
                Err(_) => {
                    return Err(Error::TruncatedBody {
                        received_bytes: body.len() as u64,
                        expected_bytes: declared_bytes,
                    })
                }
            }
        }
    }

    fn classify_send_error(&self, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            let (phase, limit) = if error.is_connect() {
                (TimeoutPhase::Connect, self.connect_timeout)
            } else {
                (TimeoutPhase::Request, self.request_timeout)
            };
            return Error::Timeout { phase, limit };
        }

        let endpoint = self.endpoint.to_string();
        if error.is_connect() {
            Error::Connect {
                endpoint,
                source: Box::new(error),
            }
        } else {
            Error::Transport {
                endpoint,
                source: Box::new(error),
            }
        }
    }
}

/// Parses `endpoint` and checks that requests to it are encrypted or stay on this host.
///
/// Accepted: `https://` with any host, and `http://` with a loopback host
/// (`127.0.0.0/8`, `::1`, `localhost`). Rejected with [`Error::InvalidEndpoint`]: other
/// schemes, plain `http://` to any other host, and URLs with a user name or password.
pub fn validate_endpoint(endpoint: &str) -> Result<Url> {
    let invalid = |shown: String, reason: String| Error::InvalidEndpoint {
        endpoint: shown,
        reason,
    };

    let url = Url::parse(endpoint.trim()).map_err(|error| {
        invalid(
            endpoint.to_owned(),
            format!(
                "it is not an absolute URL ({error}); use the SOAP endpoint from Marketo's \
                 Admin > Web Services page, like https://<munchkin-id>.mktoapi.com/soap/mktows/2_3"
            ),
        )
    })?;

    if !url.username().is_empty() || url.password().is_some() {
        let mut shown = url.clone();
        // Setting these cannot fail on a URL that already has credentials.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(invalid(
            shown.to_string(),
            "the URL contains a user name or password; remove them, because mktows \
             authenticates with the signed SOAP header"
                .to_owned(),
        ));
    }

    let Some(host) = url.host() else {
        return Err(invalid(
            url.to_string(),
            "the URL has no host; use https://<host>/soap/mktows/2_3".to_owned(),
        ));
    };

    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&host) => Ok(url),
        "http" => Err(invalid(
            url.to_string(),
            "plain http:// would send the request unencrypted, so it is accepted only for \
             loopback hosts (127.0.0.0/8, ::1, localhost); use https://"
                .to_owned(),
        )),
        other => Err(invalid(
            url.to_string(),
            format!("the scheme {other:?} is not supported; use https://"),
        )),
    }
}

/// Builds the `SOAPAction` header value: the action URI in double quotes, as SOAP 1.1
/// stacks send it.
fn soap_action_header(soap_action: &str) -> Result<HeaderValue> {
    let invalid = || {
        Error::Encode(
            format!(
                "the SOAP action {soap_action:?} cannot be sent in the SOAPAction header; \
                 use printable ASCII without double quotes"
            )
            .into(),
        )
    };
    if soap_action.contains('"') {
        return Err(invalid());
    }
    HeaderValue::from_str(&format!("\"{soap_action}\"")).map_err(|_| invalid())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(address) => IpAddr::V4(*address).is_loopback(),
        Host::Ipv6(address) => IpAddr::V6(*address).is_loopback(),
    }
}

fn check_positive_duration(setting: &str, value: Duration) -> Result<()> {
    if value.is_zero() {
        return Err(Error::InvalidConfig {
            setting: setting.to_owned(),
            reason:
                "the timeout is zero, so every call would fail at once; set a positive duration"
                    .to_owned(),
        });
    }
    Ok(())
}

fn build_http_client(connect_timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        // A redirected POST would be resent as GET, or sent to a host that
        // `validate_endpoint` never checked, so redirects surface as `Error::Http`.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("mktows/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| Error::InvalidConfig {
            setting: "http_client".to_owned(),
            reason: format!("failed to build the HTTP client: {error}"),
        })
}

/// Decides whether a complete response can contain a SOAP envelope.
///
/// The checks run in this order: empty body, HTML page (by content type or by its first
/// tag), status other than 200 and 500, and content type. A response without a
/// `Content-Type` is accepted when its body starts with `<`.
fn classify_response(status: u16, content_type: Option<&str>, body: Bytes) -> Result<Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyBody { status });
    }

    let media_type = content_type.map(media_type);
    let html_media_type = media_type
        .as_deref()
        .is_some_and(|media| HTML_MEDIA_TYPES.contains(&media));
    if html_media_type || starts_like_html(&body) {
        return Err(Error::HtmlErrorPage {
            status,
            title: html_title(&body),
        });
    }

    if status != 200 && status != 500 {
        return Err(Error::Http {
            status,
            body_snippet: body_snippet(&body),
        });
    }

    let acceptable = match media_type.as_deref() {
        Some(media) => XML_MEDIA_TYPES.contains(&media),
        None => skip_bom_and_whitespace(&body).starts_with(b"<"),
    };
    if !acceptable {
        return Err(Error::UnexpectedContentType {
            status,
            content_type: content_type.unwrap_or_default().to_owned(),
        });
    }

    Ok(Response { status, body })
}

/// Returns the media type of a `Content-Type` value, lowercased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn skip_bom_and_whitespace(body: &[u8]) -> &[u8] {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(body.len());
    &body[start..]
}

fn starts_like_html(body: &[u8]) -> bool {
    let start = skip_bom_and_whitespace(body);
    let head = start[..start.len().min(14)].to_ascii_lowercase();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// Extracts the text of the first `<title>` element, with whitespace collapsed and the
/// predefined XML entities resolved.
fn html_title(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(TITLE_SEARCH_BYTES)];
    let lowered = head.to_ascii_lowercase();

    let open = find(&lowered, b"<title")?;
    let content_start = open + find(&lowered[open..], b">")? + 1;
    let content_end = content_start + find(&lowered[content_start..], b"</title")?;

    let raw = String::from_utf8_lossy(&head[content_start..content_end]);
    let text = quick_xml::escape::unescape(&raw)
        .map(|text| text.into_owned())
        .unwrap_or_else(|_| raw.into_owned());
    let title = collapse_whitespace(&text, TITLE_MAX_CHARS);
    (!title.is_empty()).then_some(title)
}

fn body_snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(BODY_SNIPPET_CHARS * 4)];
    collapse_whitespace(&String::from_utf8_lossy(head), BODY_SNIPPET_CHARS)
}

/// Joins whitespace runs into single spaces, drops control characters, and keeps at
/// most `max_chars` characters.
fn collapse_whitespace(text: &str, max_chars: usize) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    words
        .chars()
        .filter(|c| !c.is_control())
        .take(max_chars)
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(status: u16, content_type: Option<&str>, body: &str) -> Result<Response> {
        classify_response(
            status,
            content_type,
            Bytes::copy_from_slice(body.as_bytes()),
        )
    }

    #[test]
    fn xml_200_and_500_are_returned() {
        for status in [200, 500] {
            for content_type in [
                "text/xml; charset=utf-8",
                "application/xml",
                "Application/SOAP+XML;charset=UTF-8",
            ] {
                let response = classify(status, Some(content_type), "<Envelope/>").unwrap();

                assert_eq!(response.status, status, "{content_type}");
                assert_eq!(&response.body[..], b"<Envelope/>");
            }
        }
    }

    #[test]
    fn missing_content_type_with_xml_body_is_returned() {
        let response = classify(200, None, "\u{feff}  <?xml version=\"1.0\"?><Envelope/>").unwrap();

        assert_eq!(response.status, 200);
    }

    #[test]
    fn missing_content_type_with_text_body_is_rejected() {
        let error = classify(200, None, "all good").unwrap_err();

        assert!(
            matches!(&error, Error::UnexpectedContentType { status: 200, content_type } if content_type.is_empty()),
            "{error:?}"
        );
    }

    #[test]
    fn json_content_type_is_rejected() {
        let error = classify(200, Some("application/json"), "{\"ok\":true}").unwrap_err();

        assert!(
            matches!(&error, Error::UnexpectedContentType { status: 200, content_type } if content_type == "application/json"),
            "{error:?}"
        );
    }

    #[test]
    fn whitespace_body_is_empty() {
        let error = classify(500, Some("text/xml"), " \r\n ").unwrap_err();

        assert!(
            matches!(error, Error::EmptyBody { status: 500 }),
            "{error:?}"
        );
    }

    #[test]
    fn html_by_content_type() {
        let error = classify(
            502,
            Some("text/html; charset=iso-8859-1"),
            "<p>Bad gateway</p>",
        )
        .unwrap_err();

        assert!(
            matches!(
                error,
                Error::HtmlErrorPage {
                    status: 502,
                    title: None
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn html_by_doctype_despite_xml_content_type() {
        let body = "<!DOCTYPE HTML>\n<html><head><TITLE>\n  Service   Unavailable &amp; Co\n</TITLE></head></html>";

        let error = classify(200, Some("text/xml"), body).unwrap_err();

        assert!(
            matches!(&error, Error::HtmlErrorPage { status: 200, title: Some(title) } if title == "Service Unavailable & Co"),
            "{error:?}"
        );
    }

    #[test]
    fn html_title_with_attributes() {
        let title = html_title(b"<html><title lang=\"en\">Sign in</title></html>");

        assert_eq!(title.as_deref(), Some("Sign in"));
    }

    #[test]
    fn other_status_keeps_body_snippet() {
        let body = format!("Not\tfound:\n{}", "x".repeat(1000));

        let error = classify(404, Some("text/plain"), &body).unwrap_err();

        let Error::Http {
            status,
            body_snippet,
        } = error
        else {
            panic!("expected Error::Http, got {error:?}");
        };
        assert_eq!(status, 404);
        assert!(body_snippet.starts_with("Not found: xxx"), "{body_snippet}");
        assert_eq!(body_snippet.chars().count(), BODY_SNIPPET_CHARS);
    }

    #[test]
    fn endpoint_schemes_and_hosts() {
        let accepted = [
            "https://123-abc-456.mktoapi.example/soap/mktows/2_3",
            "https://192.0.2.10/soap/mktows/2_3",
            "http://127.0.0.1:8080/soap/mktows/2_3",
            "http://127.10.20.30/soap",
            "http://localhost:9000/soap",
            "http://LOCALHOST/soap",
            "http://[::1]:9000/soap",
        ];
        for endpoint in accepted {
            assert!(
                validate_endpoint(endpoint).is_ok(),
                "{endpoint} should be accepted"
            );
        }

        let rejected = [
            "http://192.0.2.10/soap",
            "http://mktoapi.example/soap",
            "http://localhost.example/soap",
            "http://[::2]/soap",
            "ftp://127.0.0.1/soap",
            "not a url",
            "/soap/mktows/2_3",
        ];
        for endpoint in rejected {
            let error = validate_endpoint(endpoint).unwrap_err();
            assert!(
                matches!(error, Error::InvalidEndpoint { .. }),
                "{endpoint}: {error:?}"
            );
        }
    }

    #[test]
    fn endpoint_with_password_is_rejected_and_redacted() {
        let error = validate_endpoint("https://ana:hunter2@soap.example/soap").unwrap_err();

        let Error::InvalidEndpoint { endpoint, reason } = &error else {
            panic!("expected Error::InvalidEndpoint, got {error:?}");
        };
        assert_eq!(endpoint, "https://soap.example/soap");
        assert!(reason.contains("user name or password"), "{reason}");
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    #[test]
    fn soap_action_header_is_quoted() {
        let header = soap_action_header("urn:example:getLead").unwrap();

        assert_eq!(header.to_str().unwrap(), "\"urn:example:getLead\"");
    }

    #[test]
    fn soap_action_with_quote_or_newline_is_rejected() {
        for action in ["say \"hi\"", "line\nbreak"] {
            let error = soap_action_header(action).unwrap_err();

            assert!(matches!(error, Error::Encode(_)), "{action:?}: {error:?}");
        }
    }

    #[test]
    fn zero_limits_are_invalid_config() {
        let zero_timeout = TransportOptions {
            request_timeout: Duration::ZERO,
            ..TransportOptions::default()
        };
        let zero_size = TransportOptions {
            max_response_bytes: 0,
            ..TransportOptions::default()
        };

        let timeout_error = HttpTransport::new("https://soap.example/", zero_timeout).unwrap_err();
        let size_error = HttpTransport::new("https://soap.example/", zero_size).unwrap_err();

        assert!(
            matches!(&timeout_error, Error::InvalidConfig { setting, .. } if setting == "request_timeout"),
            "{timeout_error:?}"
        );
        assert!(
            matches!(&size_error, Error::InvalidConfig { setting, .. } if setting == "max_response_bytes"),
            "{size_error:?}"
        );
    }
}
