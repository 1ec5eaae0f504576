//! The generated client against a raw HTTP server on 127.0.0.1: what it sends (headers,
//! SOAPAction, signed authentication header) and how it reads successes, faults and broken
//! bodies.

mod common;

use std::sync::Arc;

use chrono::{FixedOffset, TimeZone};
use common::operation_fixture;
use common::raw_server::{canned, http_response, start_sequence_server, start_server};
use mktows::types::{LeadKey, LeadKeyRef, MktowsContextHeaderInfo, ParamsGetLead, ParamsSyncLead};
use mktows::{Client, Error, FaultCode, FixedClock, MktowsPort, Request, RetryPolicy};

const USER_ID: &str = "client_user_42";
const KEY: &str = "client-test-key-7";
/// HMAC-SHA1(KEY, "2026-03-02T10:15:30+01:00" + USER_ID), computed with Python:
/// `hmac.new(b"client-test-key-7", b"2026-03-02T10:15:30+01:00client_user_42", hashlib.sha1).hexdigest()`
const EXPECTED_SIGNATURE: &str = "51e5f056b48120f6745f5cf48dd23305ac03bdf9";

fn client(endpoint: &str) -> Client {
    let clock = FixedClock::new(
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 3, 2, 10, 15, 30)
            .unwrap(),
    );
    Client::builder(endpoint, USER_ID, KEY)
        .clock(Arc::new(clock))
        .build()
        .unwrap()
}

fn get_lead_params() -> ParamsGetLead {
    ParamsGetLead {
        lead_key: LeadKey {
            key_type: LeadKeyRef::Email,
            key_value: "nadia.okafor@example.com".into(),
        },
    }
}

fn xml_response(status_line: &str, body: &str) -> String {
    http_response(status_line, Some("text/xml; charset=utf-8"), body)
}

#[tokio::test]
async fn call_sends_signed_soap_request() {
    let response = xml_response("200 OK", &operation_fixture("getLead", "response.xml"));
    let (endpoint, server) = start_server(canned(response)).await;

    let success = client(&endpoint).get_lead(get_lead_params()).await.unwrap();
    let received = server.await.unwrap();

    assert!(
        received.request_line.starts_with("POST /soap/mktows/2_3 "),
        "{}",
        received.request_line
    );
    assert_eq!(
        received.header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(
        received.header("soapaction"),
        Some("\"http://www.marketo.com/mktows/getLead\"")
    );

    let (headers, request) = mktows::envelope::decode_request(&received.body).unwrap();
    assert_eq!(request, Request::GetLead(get_lead_params()));
    let authentication = headers
        .authentication_header
        .expect("authentication header");
    assert_eq!(authentication.mktows_user_id, USER_ID);
    assert_eq!(
        authentication.request_timestamp,
        "2026-03-02T10:15:30+01:00"
    );
    assert_eq!(authentication.request_signature, EXPECTED_SIGNATURE);

    assert!(success.result.count > 0);
}

#[tokio::test]
async fn context_header_sent_only_when_given() {
    let response = xml_response("200 OK", &operation_fixture("syncLead", "response.xml"));
    let (endpoint, server) = start_server(canned(response)).await;
    let params: serde_json::Value =
        serde_json::from_str(&operation_fixture("syncLead", "params.json")).unwrap();
    let params: ParamsSyncLead = serde_json::from_value(params).unwrap();
    let context = MktowsContextHeaderInfo {
        target_workspace: "EMEA".into(),
    };

    client(&endpoint)
        .sync_lead(params, Some(context.clone()))
        .await
        .unwrap();
    let received = server.await.unwrap();

    let (headers, _) = mktows::envelope::decode_request(&received.body).unwrap();
    assert_eq!(headers.mktows_context_header, Some(context));
    assert_eq!(
        received.header("soapaction"),
        Some("\"http://www.marketo.com/mktows/syncLead\"")
    );
}

#[tokio::test]
async fn fault_becomes_typed_error() {
    let fault = mktows::SoapFault::marketo(
        FaultCode::LeadNotFound,
        "No lead matches EMAIL nadia.okafor@example.com",
    );
    let (endpoint, _server) = start_server(canned(xml_response(
        "500 Internal Server Error",
        &fault.to_envelope_xml(),
    )))
    .await;

    let error = client(&endpoint)
        .get_lead(get_lead_params())
        .await
        .unwrap_err();

    assert_eq!(error.fault_code(), Some(&FaultCode::LeadNotFound));
    let fault = error.fault().unwrap();
    assert_eq!(fault.code.code(), 20103);
    assert!(fault.message.contains("nadia.okafor@example.com"));
    assert!(fault.raw.contains("Fault"), "{}", fault.raw);
}

#[tokio::test]
async fn html_page_is_its_own_error() {
    let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>upstream</body></html>";
    let response = http_response("502 Bad Gateway", Some("text/html"), page);
    let (endpoint, _server) = start_server(canned(response)).await;

    let error = client(&endpoint)
        .get_lead(get_lead_params())
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::HtmlErrorPage { status: 502, title: Some(title) } if title == "502 Bad Gateway"),
        "{error:?}"
    );
}

#[tokio::test]
async fn truncated_envelope_is_decode_error() {
    let fixture = operation_fixture("getLead", "response.xml");
    let cut = &fixture[..fixture.len() / 2];
    let (endpoint, _server) = start_server(canned(xml_response("200 OK", cut))).await;

    let error = client(&endpoint)
        .get_lead(get_lead_params())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(
        error.to_string().contains("truncated") || error.to_string().contains("malformed"),
        "{error}"
    );
}

#[tokio::test]
async fn wrong_success_element_is_decode_error() {
    let body = operation_fixture("getTags", "response.xml");
    let (endpoint, _server) = start_server(canned(xml_response("200 OK", &body))).await;

    let error = client(&endpoint)
        .get_lead(get_lead_params())
        .await
        .unwrap_err();

    assert!(
        error
            .to_string()
            .contains("expected element \"successGetLead\""),
        "{error}"
    );
}

#[tokio::test]
async fn non_soap_xml_is_decode_error() {
    let (endpoint, _server) =
        start_server(canned(xml_response("200 OK", "<status>ok</status>"))).await;

    let error = client(&endpoint)
        .get_lead(get_lead_params())
        .await
        .unwrap_err();

    assert!(error.to_string().contains("Envelope"), "{error}");
}

#[test]
fn debug_output_hides_the_key() {
    let client = Client::builder(
        "https://000-AAA-000.mktoapi.com/soap/mktows/2_3",
        USER_ID,
        KEY,
    )
    .build()
    .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains(USER_ID), "{debug}");
}

/// A clock that moves one minute forward each time it is read.
#[derive(Debug)]
struct SteppingClock(std::sync::Mutex<chrono::DateTime<FixedOffset>>);

impl mktows::Clock for SteppingClock {
    fn now(&self) -> chrono::DateTime<FixedOffset> {
        let mut time = self.0.lock().unwrap();
        let now = *time;
        *time += chrono::TimeDelta::minutes(1);
        now
    }
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: std::time::Duration::from_millis(10),
        max_backoff: std::time::Duration::from_millis(20),
    }
}

#[tokio::test]
async fn expired_timestamp_is_resigned_and_retried() {
    let expired = mktows::SoapFault::marketo(FaultCode::RequestExpired, "Request has expired");
    let responses = vec![
        xml_response("500 Internal Server Error", &expired.to_envelope_xml()),
        xml_response("200 OK", &operation_fixture("getLead", "response.xml")),
    ];
    let (endpoint, server) = start_sequence_server(responses).await;
    let start = FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .unwrap();
    let client = Client::builder(&endpoint, USER_ID, KEY)
        .clock(Arc::new(SteppingClock(std::sync::Mutex::new(start))))
        .retry(fast_retries(3))
        .build()
        .unwrap();

    client.get_lead(get_lead_params()).await.unwrap();
    let requests = server.await.unwrap();

    assert_eq!(requests.len(), 2);
    let headers: Vec<_> = requests
        .iter()
        .map(|request| {
            mktows::envelope::decode_request(&request.body)
                .unwrap()
                .0
                .authentication_header
                .unwrap()
        })
        .collect();
    assert_eq!(headers[0].request_timestamp, "2026-03-02T09:00:00+00:00");
    assert_eq!(headers[1].request_timestamp, "2026-03-02T09:01:00+00:00");
    assert_ne!(
        headers[0].request_signature, headers[1].request_signature,
        "each attempt is signed afresh"
    );
    assert_eq!(
        headers[1].request_signature,
        mktows::auth::sign(&KEY.into(), &headers[1].request_timestamp, USER_ID)
    );
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let limited =
        mktows::SoapFault::marketo(FaultCode::RateLimitExceeded, "Max rate limit exceeded");
    let response = xml_response("500 Internal Server Error", &limited.to_envelope_xml());
    let (endpoint, server) = start_sequence_server(vec![response.clone(), response]).await;
    let client = Client::builder(&endpoint, USER_ID, KEY)
        .retry(fast_retries(2))
        .build()
        .unwrap();

    let error = client.get_lead(get_lead_params()).await.unwrap_err();

    assert_eq!(error.fault_code(), Some(&FaultCode::RateLimitExceeded));
    assert_eq!(server.await.unwrap().len(), 2);
}

#[tokio::test]
async fn other_faults_are_not_retried() {
    let not_found = mktows::SoapFault::marketo(FaultCode::LeadNotFound, "Lead not found");
    let (endpoint, server) = start_sequence_server(vec![xml_response(
        "500 Internal Server Error",
        &not_found.to_envelope_xml(),
    )])
    .await;
    let client = Client::builder(&endpoint, USER_ID, KEY)
        .retry(fast_retries(3))
        .build()
        .unwrap();

    let error = client.get_lead(get_lead_params()).await.unwrap_err();

    assert_eq!(error.fault_code(), Some(&FaultCode::LeadNotFound));
    assert_eq!(server.await.unwrap().len(), 1);
}
