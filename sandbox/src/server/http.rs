//! The HTTP side: routes, the SOAP call pipeline and the WSDL download.
//!
//! A `POST` to the endpoint runs these steps, and the first one that fails decides the
//! fault:
//!
//! 1. read the body, at most `max_body_bytes` within `body_read_timeout` (else 20012,
//!    see [`read_body`]);
//! 2. decode the envelope (20012, 20019, 20017 or 20110, see [`request_fault`]);
//! 3. check `SOAPAction` ([`check_soap_action`]);
//! 4. check the `AuthenticationHeader` (20014, 20016);
//! 5. take a call permit from the limits (20015, 20023, 20024);
//! 6. run the operation on the port and encode the response.
//!
//! Successes are HTTP 200 and faults HTTP 500, both `text/xml; charset=utf-8`. No route
//! answers with HTML.
//!
//! Each call logs one line at info level with its outcome. At debug level it also logs
//! the operation, `SOAPAction`, user id and body size, and at trace level the request and
//! response envelopes, with signatures and the encryption key redacted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{ALLOW, CONNECTION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use mktows::envelope::{decode_request, encode_response, RequestError};
use mktows::{Operation, Request, RequestHeaders, SoapFault};
use tokio::sync::watch;

use super::auth::Authenticator;
use super::body::{read_body, BodyError, BodyLimits};
use super::data_file::DataFile;
use super::faults::{check_soap_action, request_fault};
use super::redact::redact_envelope;
use super::wsdl::wsdl_for;
use super::ENDPOINT_PATH;
use crate::clock::SharedClock;
use crate::error::{FaultCode, SandboxError};
use crate::limits::Limits;
use crate::port::{soap_fault, SandboxPort};

const XML_CONTENT_TYPE: &str = "text/xml; charset=utf-8";
const TEXT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// Everything the handlers of one sandbox share.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) port: SandboxPort,
    pub(crate) limits: Option<Limits>,
    pub(crate) authenticator: Authenticator,
    pub(crate) clock: SharedClock,
    pub(crate) data_file: Option<Arc<DataFile>>,
    pub(crate) response_delay: Duration,
    pub(crate) body_limits: BodyLimits,
    /// The endpoint URL used in the WSDL when the request has no usable `Host` header.
    pub(crate) endpoint: String,
    /// Turns true when a shutdown stops waiting for the calls in progress.
    pub(crate) abandon_calls: watch::Receiver<bool>,
}

/// Builds the router: the endpoint with and without a trailing slash, and a plain-text
/// (or, for `POST`, SOAP fault) 404 for everything else.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(ENDPOINT_PATH, any(endpoint))
        .route(&format!("{ENDPOINT_PATH}/"), any(endpoint))
        .fallback(not_found)
        .with_state(state)
}

async fn endpoint(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match method {
        Method::POST => soap_call(&state, &headers, body).await,
        Method::GET | Method::HEAD => get_endpoint(&state, &uri, &headers),
        _ => {
            let text = format!("method {method} is not allowed here; POST SOAP 1.1 requests, or GET {ENDPOINT_PATH}?WSDL\n");
            let mut response = text_response(StatusCode::METHOD_NOT_ALLOWED, text);
            response.headers_mut().insert(
                ALLOW,
                "GET, HEAD, POST".parse().expect("valid header value"),
            );
            response
        }
    }
}

async fn not_found(method: Method, uri: Uri) -> Response {
    tracing::debug!(%method, path = uri.path(), "no route");
    let hint = format!(
        "no resource at {}; the SOAP endpoint is {ENDPOINT_PATH}",
        uri.path()
    );
    if method == Method::POST {
        let fault = soap_fault(&SandboxError::new(FaultCode::RequestNotUnderstood, hint));
        return xml_response(StatusCode::NOT_FOUND, fault.to_envelope_xml());
    }
    text_response(StatusCode::NOT_FOUND, format!("{hint}\n"))
}

fn get_endpoint(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Response {
    let wants_wsdl = uri.query().is_some_and(|query| {
        query.split('&').any(|pair| {
            pair.split('=')
                .next()
                .is_some_and(|key| key.eq_ignore_ascii_case("wsdl"))
        })
    });
    if !wants_wsdl {
        let text = format!(
            "This is the mktows 2_3 SOAP endpoint of mktows-sandbox. POST SOAP 1.1 requests here; GET {ENDPOINT_PATH}?WSDL returns the WSDL.\n"
        );
        return text_response(StatusCode::OK, text);
    }

    let endpoint = endpoint_from_host(headers).unwrap_or_else(|| state.endpoint.clone());
    tracing::debug!(%endpoint, "serving the WSDL");
    xml_response(StatusCode::OK, wsdl_for(&endpoint))
}

/// Returns `http://<Host><ENDPOINT_PATH>` when the `Host` header looks like a host and
/// port, so a client that reached the sandbox through another name or address gets a
/// WSDL that points back the same way.
fn endpoint_from_host(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(HOST)?.to_str().ok()?.trim();
    let plausible = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'));
    plausible.then(|| format!("http://{host}{ENDPOINT_PATH}"))
}

async fn soap_call(state: &AppState, headers: &HeaderMap, body: Body) -> Response {
    let started = Instant::now();
    let bytes = match read_body(headers, body, state.body_limits).await {
        Ok(bytes) => bytes,
        Err(error) => return body_error_response(&error, started),
    };
    let mut abandon_calls = state.abandon_calls.clone();
    let (operation, outcome) = tokio::select! {
        handled = state.handle(headers, bytes) => handled,
        _ = abandon_calls.wait_for(|abandon| *abandon) => return abandoned_call_response(started),
    };
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let operation_name = operation.map_or("unknown", Operation::name);

    let (status, xml) = match outcome {
        Ok(xml) => {
            tracing::info!(operation = operation_name, elapsed_ms, "call succeeded");
            (StatusCode::OK, xml)
        }
        Err(fault) => {
            // `?` (Debug) escapes line breaks and control characters that a client put in
            // a value the message quotes, so a request cannot forge log lines.
            tracing::info!(operation = operation_name, fault_code = fault.code.code(), detail = ?fault.message, elapsed_ms, "call failed");
            (StatusCode::INTERNAL_SERVER_ERROR, fault.to_envelope_xml())
        }
    };
    if tracing::enabled!(tracing::Level::TRACE) {
        let response = state.redact(xml.as_bytes());
        tracing::trace!(
            operation = operation_name,
            status = status.as_u16(),
            ?response,
            "response envelope"
        );
    }
    xml_response(status, xml)
}

/// Returns fault 20011 with `Connection: close` for a call the shutdown stopped
/// waiting for. The call may have been cut off at any point where it waited. Its change,
/// if any, is not saved, because the data file is already released.
fn abandoned_call_response(started: Instant) -> Response {
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::warn!(elapsed_ms, "the sandbox stopped before this call finished");
    let error = SandboxError::new(
        FaultCode::ServiceInternalError,
        "the sandbox stopped before this call finished; send it again to a running sandbox",
    );
    let mut response = xml_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        soap_fault(&error).to_envelope_xml(),
    );
    response
        .headers_mut()
        .insert(CONNECTION, "close".parse().expect("valid header value"));
    response
}

/// Returns fault 20012 for a body that was not read, with `Connection: close` when part
/// of the body may still be unread.
fn body_error_response(error: &BodyError, started: Instant) -> Response {
    let message = match error {
        BodyError::TooLarge { max_bytes, .. } => {
            format!("the request body is larger than the maximum of {max_bytes} bytes; send fewer records per call")
        }
        BodyError::TimedOut {
            timeout,
            received_bytes,
            declared_bytes,
        } => {
            let received = match declared_bytes {
                Some(declared) => format!("received {received_bytes} of {declared} bytes"),
                None => format!("received {received_bytes} bytes of a chunked body"),
            };
            let message = format!(
                "timed out after {timeout:?} waiting for the request body ({received}); send the whole body at once"
            );
            tracing::warn!(
                received_bytes,
                ?declared_bytes,
                ?timeout,
                "timed out waiting for a request body, closing the connection"
            );
            message
        }
        BodyError::Broken {
            received_bytes,
            message,
        } => {
            format!("the request body could not be read after {received_bytes} bytes ({message}); the connection broke")
        }
    };
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let closes_connection = error.closes_connection();
    tracing::info!(fault_code = FaultCode::RequestNotUnderstood.code(), detail = ?message, closes_connection, elapsed_ms, "call failed");

    let fault = soap_fault(&SandboxError::new(FaultCode::RequestNotUnderstood, message));
    let mut response = xml_response(StatusCode::INTERNAL_SERVER_ERROR, fault.to_envelope_xml());
    if closes_connection {
        response
            .headers_mut()
            .insert(CONNECTION, "close".parse().expect("valid header value"));
    }
    response
}

/// Requests at least this large are decoded on Tokio's blocking thread pool, so that a
/// large or deeply nested body does not delay the calls that share its worker thread.
const BLOCKING_DECODE_BYTES: usize = 256 * 1024;

/// Decodes a request envelope, on the blocking thread pool when it is large.
async fn decode(bytes: Bytes) -> Result<(RequestHeaders, Request), RequestError> {
    if bytes.len() < BLOCKING_DECODE_BYTES {
        return decode_request(&bytes);
    }
    tokio::task::spawn_blocking(move || decode_request(&bytes))
        .await
        .unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()))
}

impl AppState {
    /// Runs one SOAP call and returns the operation (once known) and the response
    /// envelope or the fault.
    async fn handle(
        &self,
        headers: &HeaderMap,
        bytes: Bytes,
    ) -> (Option<Operation>, Result<String, SoapFault>) {
        if tracing::enabled!(tracing::Level::TRACE) {
            let request = self.redact(&bytes);
            tracing::trace!(?request, "request envelope");
        }
        let soap_action = headers
            .get("SOAPAction")
            .and_then(|value| value.to_str().ok());
        let body_bytes = bytes.len();
        let decoded = decode(bytes).await;
        log_call(soap_action, decoded.as_ref().ok(), body_bytes);

        let (request_headers, request) = match decoded {
            Ok(decoded) => decoded,
            Err(error) => return (None, Err(soap_fault(&request_fault(&error)))),
        };
        let operation = request.operation();

        if let Err(error) = check_soap_action(soap_action, operation) {
            return (Some(operation), Err(soap_fault(&error)));
        }
        let now = self.clock.now();
        if let Err(error) = self
            .authenticator
            .check(request_headers.authentication_header.as_ref(), now)
        {
            return (Some(operation), Err(soap_fault(&error)));
        }
        // The permit counts the call against the limits and keeps it "in flight" for the
        // concurrency limit until the response is ready.
        let _permit = match self.limits.as_ref().map(Limits::begin_call).transpose() {
            Ok(permit) => permit,
            Err(error) => return (Some(operation), Err(soap_fault(&error))),
        };
        if !self.response_delay.is_zero() {
            tokio::time::sleep(self.response_delay).await;
        }

        let result = mktows::dispatch(&self.port, request, request_headers).await;
        if changes_data(operation) {
            self.save_data_file(operation).await;
        }
        let outcome = match result {
            Ok(response) => encode_response(&response).map_err(|error| {
                internal_fault(format!(
                    "failed to encode the {operation} response: {error}"
                ))
            }),
            Err(mktows::Error::Fault(fault)) => Err(*fault),
            Err(other) => Err(internal_fault(format!(
                "the {operation} operation failed: {other}"
            ))),
        };
        (Some(operation), outcome)
    }

    /// Returns an envelope as text for a trace log, with its signatures and the
    /// encryption key redacted.
    fn redact(&self, envelope: &[u8]) -> String {
        redact_envelope(&String::from_utf8_lossy(envelope), self.authenticator.key())
    }

    /// Saves the store to the data file, if there is one. A failure is logged and the
    /// call still succeeds, because the change is in memory either way.
    async fn save_data_file(&self, operation: Operation) {
        let Some(data_file) = self.data_file.clone() else {
            return;
        };
        let port = self.port.clone();
        let saved = tokio::task::spawn_blocking(move || data_file.save(&port)).await;
        match saved {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => tracing::warn!(
                %operation,
                "the sandbox stopped and released its data file while this call ran, so its change is not saved"
            ),
            Ok(Err(error)) => {
                tracing::error!(%error, "failed to save the sandbox data file after a write call")
            }
            Err(error) => tracing::error!(%error, "the task saving the sandbox data file failed"),
        }
    }
}

/// Logs the debug line of a call: its operation and user id (when the envelope decoded),
/// `SOAPAction` (when sent) and body size.
fn log_call(
    soap_action: Option<&str>,
    decoded: Option<&(RequestHeaders, Request)>,
    body_bytes: usize,
) {
    let operation = decoded.map(|(_, request)| request.operation().name());
    let user_id = decoded
        .and_then(|(headers, _)| headers.authentication_header.as_ref())
        .map(|header| header.mktows_user_id.as_str());
    tracing::debug!(operation, soap_action, user_id, body_bytes, "received call");
}

/// Returns true for the operations that can change the store's data.
pub(crate) fn changes_data(operation: Operation) -> bool {
    matches!(
        operation,
        Operation::SyncLead
            | Operation::SyncMultipleLeads
            | Operation::MergeLeads
            | Operation::ListOperation
            | Operation::ImportToList
            | Operation::RequestCampaign
            | Operation::ScheduleCampaign
            | Operation::SyncCustomObjects
            | Operation::DeleteCustomObjects
            | Operation::SyncMObjects
            | Operation::DeleteMObjects
    )
}

fn internal_fault(message: String) -> SoapFault {
    tracing::error!(%message, "internal error");
    soap_fault(&SandboxError::new(FaultCode::ServiceInternalError, message))
}

fn xml_response(status: StatusCode, body: String) -> Response {
    (status, [(CONTENT_TYPE, XML_CONTENT_TYPE)], body).into_response()
}

fn text_response(status: StatusCode, body: String) -> Response {
    (status, [(CONTENT_TYPE, TEXT_CONTENT_TYPE)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_becomes_endpoint() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "127.0.0.1:8080".parse().unwrap());

        assert_eq!(
            endpoint_from_host(&headers).as_deref(),
            Some("http://127.0.0.1:8080/soap/mktows/2_3")
        );
    }

    #[test]
    fn odd_host_header_is_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "evil\"host/x".parse().unwrap());

        assert_eq!(endpoint_from_host(&headers), None);
        assert_eq!(endpoint_from_host(&HeaderMap::new()), None);
    }

    #[test]
    fn only_write_operations_change_data() {
        let writes: Vec<&str> = Operation::ALL
            .into_iter()
            .filter(|op| changes_data(*op))
            .map(Operation::name)
            .collect();

        assert_eq!(writes.len(), 11, "{writes:?}");
        assert!(!changes_data(Operation::GetLead));
        assert!(changes_data(Operation::DeleteMObjects));
    }
}
