//! Protocol vectors: for each of the 23 operations, the typed request serializes to the
//! fixture's request envelope, the fixture's envelopes decode to the typed values given by
//! the fixture's JSON, and both directions round-trip.

mod common;

use common::{canonical_xml, operation_fixture};
use mktows::envelope::{decode_any_response, decode_request, encode_request, encode_response};
use mktows::xml::WriteXml;
use mktows::{Operation, Request, RequestHeaders, Response};

fn params(operation: Operation) -> Request {
    let json: serde_json::Value =
        serde_json::from_str(&operation_fixture(operation.name(), "params.json")).unwrap();
    Request::from_json(operation, json)
        .unwrap_or_else(|error| panic!("{operation}: params.json: {error}"))
}

/// Decodes the fixture's response envelope.
fn decoded_response(operation: Operation) -> Response {
    let fixture = operation_fixture(operation.name(), "response.xml");
    decode_any_response(operation, fixture.as_bytes())
        .unwrap_or_else(|error| panic!("{operation}: {error}"))
}

/// Writes a request envelope the way the client does, with the fixture's own headers.
fn encode_with_headers(headers: &RequestHeaders, request: &Request) -> String {
    let mut header_list: Vec<(&str, &(dyn WriteXml + Sync))> = Vec::new();
    if let Some(header) = &headers.authentication_header {
        header_list.push(("AuthenticationHeader", header));
    }
    if let Some(header) = &headers.mktows_context_header {
        header_list.push(("MktowsContextHeader", header));
    }
    encode_request(request.operation(), &header_list, &RequestBody(request)).unwrap()
}

/// Adapts a `Request` to `WriteXml` for `encode_request`.
struct RequestBody<'r>(&'r Request);

impl WriteXml for RequestBody<'_> {
    fn write_children(&self, _writer: &mut mktows::xml::XmlWriter) {
        unreachable!("write_xml is overridden")
    }

    fn write_xml(&self, writer: &mut mktows::xml::XmlWriter, _tag: &str) {
        self.0.write_body(writer);
    }
}

#[test]
fn fixtures_cover_every_operation() {
    assert_eq!(Operation::ALL.len(), 23);
    for operation in Operation::ALL {
        for file in [
            "request.xml",
            "params.json",
            "response.xml",
            "response.json",
        ] {
            assert!(
                !operation_fixture(operation.name(), file).is_empty(),
                "{operation}/{file} is empty"
            );
        }
    }
}

#[test]
fn request_from_json_serializes_to_fixture_envelope() {
    for operation in Operation::ALL {
        let fixture = operation_fixture(operation.name(), "request.xml");
        let (headers, _) = decode_request(fixture.as_bytes())
            .unwrap_or_else(|error| panic!("{operation}: {error}"));
        let written = encode_with_headers(&headers, &params(operation));
        assert_eq!(
            canonical_xml(&written),
            canonical_xml(&fixture),
            "{operation}: request envelope differs"
        );
    }
}

#[test]
fn fixture_request_decodes_to_params_json() {
    for operation in Operation::ALL {
        let fixture = operation_fixture(operation.name(), "request.xml");
        let (headers, request) = decode_request(fixture.as_bytes())
            .unwrap_or_else(|error| panic!("{operation}: {error}"));
        assert_eq!(
            request,
            params(operation),
            "{operation}: decoded request differs from params.json"
        );
        let authentication = headers
            .authentication_header
            .expect("every fixture carries the authentication header");
        assert_eq!(authentication.mktows_user_id, "fixture_user_0001");
        assert_eq!(
            headers.mktows_context_header.is_some(),
            operation == Operation::SyncLead,
            "{operation}: context header"
        );
    }
}

#[test]
fn fixture_response_decodes_to_response_json() {
    for operation in Operation::ALL {
        let response = decoded_response(operation);
        let expected: serde_json::Value =
            serde_json::from_str(&operation_fixture(operation.name(), "response.json")).unwrap();
        assert_eq!(response.operation(), operation);
        assert_eq!(
            response.to_json().unwrap(),
            expected,
            "{operation}: decoded response.xml differs from response.json"
        );
    }
}

#[test]
fn response_round_trips_through_xml() {
    for operation in Operation::ALL {
        let response = decoded_response(operation);
        let written = encode_response(&response).unwrap();
        let decoded = decode_any_response(operation, written.as_bytes()).unwrap();
        assert_eq!(
            decoded, response,
            "{operation}: response does not round-trip"
        );

        // The writer always uses numeric offsets, while some fixtures send `Z` on purpose.
        let fixture =
            operation_fixture(operation.name(), "response.xml").replace("Z</", "+00:00</");
        assert_eq!(
            canonical_xml(&written),
            canonical_xml(&fixture),
            "{operation}: response envelope differs"
        );
    }
}

#[test]
fn request_round_trips_through_json() {
    for operation in Operation::ALL {
        let request = params(operation);
        let (_, decoded) =
            decode_request(encode_with_headers(&RequestHeaders::default(), &request).as_bytes())
                .unwrap();
        assert_eq!(
            decoded, request,
            "{operation}: request does not round-trip through XML"
        );
    }
}
