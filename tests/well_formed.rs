//! A message must be well-formed XML from its first byte to its last, also where the
//! decoder does not use the content: after the body element, inside unknown elements,
//! after the envelope. Requests (read by a server) must also carry only characters
//! XML 1.0 allows, so that nothing stored from them becomes impossible to send back.

use mktows::envelope::{decode_request, decode_response, RequestError};
use mktows::types::SuccessListMObjects;
use mktows::xml::DecodeErrorKind;
use mktows::{Error, FaultCode, Operation, SoapFault};

const ENVELOPE_START: &str = concat!(
    r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" "#,
    r#"xmlns:m="http://www.marketo.com/mktows/">"#
);

/// Returns a `getLead` request whose lead key value is `key_value`, as raw XML text.
fn get_lead_request(key_value: &str) -> String {
    format!(
        "{ENVELOPE_START}<SOAP-ENV:Body><m:paramsGetLead><leadKey><keyType>IDNUM</keyType>\
         <keyValue>{key_value}</keyValue></leadKey></m:paramsGetLead></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )
}

/// Returns a `listMObjects` response, as raw XML text.
fn list_m_objects_response() -> String {
    format!(
        "{ENVELOPE_START}<SOAP-ENV:Body><m:successListMObjects><result>\
         <objects>Opportunity</objects></result></m:successListMObjects>\
         </SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )
}

/// Decodes a request that must be refused as unreadable, and returns the reason.
fn unreadable(xml: &str) -> mktows::xml::DecodeError {
    match decode_request(xml.as_bytes()) {
        Err(RequestError::Unreadable(error)) => error,
        Err(other) => panic!("expected an unreadable request, got {other}"),
        Ok((_, request)) => panic!("expected an unreadable request, got {request:?}"),
    }
}

#[test]
fn well_formed_request_is_read() {
    let (_, request) = decode_request(get_lead_request("1001").as_bytes()).unwrap();

    assert_eq!(request.operation(), Operation::GetLead);
}

#[test]
fn request_cut_after_body_element_is_unreadable() {
    let whole = get_lead_request("1001");
    let cut = &whole[..whole.find("</SOAP-ENV:Body>").unwrap()];

    let error = unreadable(cut);

    assert!(
        matches!(error.kind(), DecodeErrorKind::UnexpectedEof),
        "{error}"
    );
}

#[test]
fn content_after_envelope_is_unreadable() {
    for trailer in ["<junk/>", "<junk", "text", "</SOAP-ENV:Envelope>"] {
        let xml = get_lead_request("1001") + trailer;

        let error = unreadable(&xml);

        assert!(
            matches!(
                error.kind(),
                DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof
            ),
            "{trailer}: {error}"
        );
    }
}

#[test]
fn whitespace_and_comments_after_envelope_are_allowed() {
    let xml = get_lead_request("1001") + "\n<!-- sent by a test -->\n";

    assert!(decode_request(xml.as_bytes()).is_ok());
}

#[test]
fn mismatched_tags_inside_unknown_element_are_unreadable() {
    let xml =
        get_lead_request("1001").replace("<keyType>", "<extension><a></b></extension><keyType>");

    let error = unreadable(&xml);

    assert!(
        matches!(error.kind(), DecodeErrorKind::Malformed(_)),
        "{error}"
    );
}

#[test]
fn mismatched_tags_inside_unknown_header_are_unreadable() {
    let xml = get_lead_request("1001").replace(
        "<SOAP-ENV:Body>",
        "<SOAP-ENV:Header><x><y></x></SOAP-ENV:Header><SOAP-ENV:Body>",
    );

    let error = unreadable(&xml);

    assert!(
        matches!(error.kind(), DecodeErrorKind::Malformed(_)),
        "{error}"
    );
}

#[test]
fn truncated_unknown_element_is_unreadable() {
    let xml = format!("{ENVELOPE_START}<SOAP-ENV:Body><m:paramsUnknown>");

    let error = unreadable(&xml);

    assert!(
        matches!(error.kind(), DecodeErrorKind::UnexpectedEof),
        "{error}"
    );
}

#[test]
fn complete_unknown_body_element_is_unknown_operation() {
    let xml = format!(
        "{ENVELOPE_START}<SOAP-ENV:Body><m:paramsUnknown/></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    );

    let error = decode_request(xml.as_bytes()).unwrap_err();

    assert!(
        matches!(error, RequestError::UnknownOperation(ref name) if name.ends_with("paramsUnknown")),
        "{error}"
    );
}

#[test]
fn raw_control_character_in_request_is_unreadable() {
    let error = unreadable(&get_lead_request("10\u{1}01"));

    let message = error.to_string();
    assert!(message.contains("U+0001"), "{message}");
    assert!(
        message.contains("byte "),
        "the message says where: {message}"
    );
}

#[test]
fn control_character_reference_is_unreadable() {
    let error = unreadable(&get_lead_request("10&#1;01"));

    assert!(error.to_string().contains("U+0001"), "{error}");
}

#[test]
fn allowed_character_references_in_request_are_read() {
    let (_, request) =
        decode_request(get_lead_request("A&#9;&#x10FFFF;&#13;B").as_bytes()).unwrap();

    let mktows::Request::GetLead(params) = request else {
        panic!("expected getLead, got {request:?}");
    };
    assert_eq!(params.lead_key.key_value, "A\t\u{10FFFF}\rB");
}

#[test]
fn cut_response_fails_to_decode() {
    let whole = list_m_objects_response();
    let cut = &whole[..whole.find("</SOAP-ENV:Body>").unwrap()];

    let error = decode_response::<SuccessListMObjects>(Operation::ListMObjects, cut.as_bytes())
        .unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error}");
}

#[test]
fn response_with_mismatched_tags_fails_to_decode() {
    let xml = list_m_objects_response().replace("<objects>", "<extra><p></q></extra><objects>");

    let error = decode_response::<SuccessListMObjects>(Operation::ListMObjects, xml.as_bytes())
        .unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error}");
}

#[test]
fn well_formed_response_is_read() {
    let response = decode_response::<SuccessListMObjects>(
        Operation::ListMObjects,
        list_m_objects_response().as_bytes(),
    )
    .unwrap();

    assert_eq!(response.result.objects, ["Opportunity"]);
}

#[test]
fn fault_quoting_a_control_character_stays_well_formed() {
    let fault = SoapFault::marketo(FaultCode::BadParameter, "bad key value \"10\u{1}01\"");

    let xml = fault.to_envelope_xml();

    let parsed = SoapFault::parse(xml.as_bytes()).unwrap();
    assert_eq!(parsed.code, FaultCode::BadParameter);
    assert!(
        parsed.message.contains("10\u{FFFD}01"),
        "{}",
        parsed.message
    );
    assert!(!xml.contains('\u{1}'));
}

#[test]
fn second_body_element_is_unreadable() {
    let xml = get_lead_request("1001").replace(
        "</SOAP-ENV:Body>",
        "<m:paramsListMObjects/></SOAP-ENV:Body>",
    );

    let error = unreadable(&xml);

    assert!(error.to_string().contains("second element"), "{error}");
}

#[test]
fn second_header_or_body_is_unreadable() {
    let request = get_lead_request("1001");
    let body_start = request.find("<SOAP-ENV:Body>").unwrap();
    let body = &request[body_start..request.find("</SOAP-ENV:Envelope>").unwrap()];
    let two_bodies = request.replace(
        "</SOAP-ENV:Envelope>",
        &format!("{body}</SOAP-ENV:Envelope>"),
    );
    let two_headers = request.replace(
        "<SOAP-ENV:Body>",
        "<SOAP-ENV:Header/><SOAP-ENV:Header/><SOAP-ENV:Body>",
    );

    for xml in [two_bodies, two_headers] {
        let error = unreadable(&xml);

        assert!(
            error.to_string().contains("SOAP 1.1 allows one Header"),
            "{error}"
        );
    }
}

#[test]
fn request_that_is_not_utf8_is_unreadable() {
    // Every character of this request is below U+0100, so its Latin-1 bytes are its code points.
    let latin1: Vec<u8> = get_lead_request("Jos\u{e9}")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        get_lead_request("1001")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );

    for bytes in [latin1, utf16] {
        let Err(RequestError::Unreadable(error)) = decode_request(&bytes) else {
            panic!("expected an unreadable request");
        };

        assert!(error.to_string().contains("not UTF-8"), "{error}");
    }
}

#[test]
fn malformed_skipped_parts_are_unreadable() {
    let in_lead_key =
        |extra: &str| get_lead_request("1001").replace("<keyType>", &format!("{extra}<keyType>"));
    let cases = [
        (
            "an excluded character reference in an unknown element",
            in_lead_key("<zz>a&#1;b</zz>"),
        ),
        (
            "an undeclared entity in an unknown element",
            in_lead_key("<zz>&nbsp;</zz>"),
        ),
        (
            "`<` in an attribute of an unknown element",
            in_lead_key(r#"<zz a="<"/>"#),
        ),
        (
            "an excluded character reference in an attribute",
            get_lead_request("1001").replace("<leadKey>", r#"<leadKey note="a&#1;b">"#),
        ),
        (
            "an undeclared entity in an attribute",
            get_lead_request("1001").replace("<leadKey>", r#"<leadKey note="&nbsp;">"#),
        ),
        ("a reference between elements", in_lead_key("&#1;")),
        (
            "text before the root element",
            format!("hello {}", get_lead_request("1001")),
        ),
        ("a DTD", format!("<!DOCTYPE x>{}", get_lead_request("1001"))),
        (
            "a late XML declaration",
            format!(
                "<!-- first -->\n<?xml version=\"1.0\"?>{}",
                get_lead_request("1001")
            ),
        ),
    ];

    for (case, xml) in cases {
        let error = unreadable(&xml);

        assert!(
            matches!(error.kind(), DecodeErrorKind::Malformed(_)),
            "{case}: {error}"
        );
    }
}

#[test]
fn prolog_with_bom_declaration_and_comment_is_read() {
    let xml = format!(
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- sent by a test -->\n{}",
        get_lead_request("1001")
    );

    assert!(decode_request(xml.as_bytes()).is_ok());
}

#[test]
fn skipped_undeclared_entity_fails_response() {
    let xml = list_m_objects_response().replace("<objects>", "<extra>&nbsp;</extra><objects>");

    let error = decode_response::<SuccessListMObjects>(Operation::ListMObjects, xml.as_bytes())
        .unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error}");
}
