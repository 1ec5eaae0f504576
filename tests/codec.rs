//! How the generated types read and write XML: qualification, nillable states, names,
//! unknown enumeration values, built-in types, escaping, unknown elements, missing
//! elements and `xsi:type`.

use chrono::{DateTime, FixedOffset, TimeZone};
use mktows::envelope::{decode_response, encode_request};
use mktows::types::*;
use mktows::xml::{DecodeErrorKind, Nillable, ReadXml, WriteXml, XmlReader, XmlWriter};
use mktows::{Error, Operation};

const XSI: &str = r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;

/// Reads `T` from a stand-alone element.
fn read<T: ReadXml>(xml: &str) -> Result<T, mktows::xml::DecodeError> {
    let mut reader = XmlReader::new(xml.as_bytes());
    let root = reader.root()?;
    T::read_xml(&mut reader, &root)
}

/// Writes `value` as element `tag`, without envelope.
fn write<T: WriteXml>(tag: &str, value: &T) -> String {
    let mut writer = XmlWriter::new("ns1");
    value.write_xml(&mut writer, tag);
    writer.finish().unwrap()
}

fn offset(hours: i32) -> FixedOffset {
    FixedOffset::east_opt(hours * 3600).unwrap()
}

#[test]
fn top_level_qualified_local_unqualified() {
    let request = ParamsGetLead {
        lead_key: LeadKey {
            key_type: LeadKeyRef::Email,
            key_value: "rosa.lindqvist@example.org".into(),
        },
    };
    let envelope = encode_request(Operation::GetLead, &[], &request).unwrap();
    assert!(
        envelope.contains(r#"xmlns:ns1="http://www.marketo.com/mktows/""#),
        "{envelope}"
    );
    assert!(
        envelope.contains("<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType>"),
        "{envelope}"
    );
    assert!(
        !envelope.contains("<ns1:leadKey>"),
        "local elements must stay unqualified: {envelope}"
    );
}

#[test]
fn nillable_absent_nil_and_value_stay_distinct() {
    let absent: LeadRecord = read("<leadRecord/>").unwrap();
    let nil: LeadRecord = read(&format!(
        r#"<leadRecord {XSI}><Email xsi:nil="true"/></leadRecord>"#
    ))
    .unwrap();
    let value: LeadRecord =
        read("<leadRecord><Email>ines.moreau@example.com</Email></leadRecord>").unwrap();

    assert_eq!(absent.email, None);
    assert_eq!(nil.email, Some(Nillable::Nil));
    assert_eq!(
        value.email,
        Some(Nillable::Value("ines.moreau@example.com".to_owned()))
    );

    assert_eq!(write("leadRecord", &absent), "<leadRecord></leadRecord>");
    assert_eq!(
        write("leadRecord", &nil),
        r#"<leadRecord><Email xsi:nil="true"/></leadRecord>"#
    );
    assert_eq!(
        write("leadRecord", &value),
        "<leadRecord><Email>ines.moreau@example.com</Email></leadRecord>"
    );
}

#[test]
fn nillable_states_in_json() {
    let nil = LeadRecord {
        email: Some(Nillable::Nil),
        ..LeadRecord::default()
    };
    let json = serde_json::to_value(&nil).unwrap();
    assert_eq!(json, serde_json::json!({ "Email": null }));
    assert_eq!(
        serde_json::to_value(LeadRecord::default()).unwrap(),
        serde_json::json!({})
    );

    let back: LeadRecord = serde_json::from_value(serde_json::json!({ "Email": null })).unwrap();
    assert_eq!(back.email, Some(Nillable::Nil));
    let absent: LeadRecord = serde_json::from_value(serde_json::json!({})).unwrap();
    assert_eq!(absent.email, None);
}

#[test]
fn list_key_and_list_key_type_coexist() {
    let key = ListKey {
        key_type: ListKeyType::Mktolistname,
        key_value: "Trade Show Visitors".into(),
    };
    assert_eq!(
        write("listKey", &key),
        "<listKey><keyType>MKTOLISTNAME</keyType><keyValue>Trade Show Visitors</keyValue></listKey>"
    );
}

#[test]
fn unknown_enumeration_value_is_kept() {
    let key: LeadKey =
        read("<leadKey><keyType>MUNCHKINID</keyType><keyValue>42</keyValue></leadKey>").unwrap();
    assert_eq!(key.key_type, LeadKeyRef::Unknown("MUNCHKINID".into()));
    assert_eq!(key.key_type.as_str(), "MUNCHKINID");
    assert!(write("leadKey", &key).contains("<keyType>MUNCHKINID</keyType>"));
    assert_eq!(
        serde_json::to_value(&key.key_type).unwrap(),
        serde_json::json!("MUNCHKINID")
    );
}

#[test]
fn date_time_accepts_z_and_offsets() {
    let utc: LastUpdateAtSelector =
        read("<s><oldestUpdatedAt>2026-02-10T08:00:00Z</oldestUpdatedAt></s>").unwrap();
    let minus: LastUpdateAtSelector =
        read("<s><oldestUpdatedAt>2026-02-10T00:00:00-08:00</oldestUpdatedAt></s>").unwrap();
    let fraction: LastUpdateAtSelector =
        read("<s><oldestUpdatedAt>2026-02-10T09:00:00.250+01:00</oldestUpdatedAt></s>").unwrap();

    assert_eq!(
        utc.oldest_updated_at, minus.oldest_updated_at,
        "same instant"
    );
    assert_eq!(minus.oldest_updated_at.offset(), &offset(-8));
    assert_eq!(fraction.oldest_updated_at.timestamp_subsec_millis(), 250);
}

#[test]
fn date_time_written_in_w3c_form() {
    let selector = LastUpdateAtSelector {
        latest_updated_at: None,
        oldest_updated_at: offset(0).with_ymd_and_hms(2026, 2, 10, 8, 0, 0).unwrap(),
    };
    assert!(write("s", &selector)
        .contains("<oldestUpdatedAt>2026-02-10T08:00:00+00:00</oldestUpdatedAt>"));
    let json = serde_json::to_value(&selector).unwrap();
    assert_eq!(json["oldestUpdatedAt"], "2026-02-10T08:00:00+00:00");

    let pacific: DateTime<FixedOffset> = offset(-7).with_ymd_and_hms(2026, 6, 1, 9, 30, 0).unwrap();
    let selector = LastUpdateAtSelector {
        latest_updated_at: Some(Nillable::Value(pacific)),
        ..selector
    };
    assert!(write("s", &selector)
        .contains("<latestUpdatedAt>2026-06-01T09:30:00-07:00</latestUpdatedAt>"));
}

#[test]
fn invalid_date_time_names_element() {
    let error =
        read::<LastUpdateAtSelector>("<s><oldestUpdatedAt>last tuesday</oldestUpdatedAt></s>")
            .unwrap_err();
    assert_eq!(error.path().collect::<Vec<_>>(), ["oldestUpdatedAt"]);
    assert!(
        error
            .to_string()
            .contains("invalid xs:dateTime value \"last tuesday\""),
        "{error}"
    );
}

#[test]
fn boolean_accepts_words_and_digits() {
    for (text, expected) in [
        ("true", true),
        ("1", true),
        ("false", false),
        ("0", false),
        (" true ", true),
    ] {
        let xml = format!("<r><success>{text}</success></r>");
        let result: ResultListOperation =
            read(&xml).unwrap_or_else(|error| panic!("{text}: {error}"));
        assert_eq!(result.success, expected, "{text}");
    }
    let error = read::<ResultListOperation>("<r><success>yes</success></r>").unwrap_err();
    assert!(matches!(
        error.kind(),
        DecodeErrorKind::InvalidValue {
            expected: "xs:boolean",
            ..
        }
    ));
}

#[test]
fn base64_binary_is_bytes() {
    let array: ArrayOfBase64Binary = read(
        "<a><base64Binary>AAEC/w==</base64Binary><base64Binary>bWt0\n b3dz</base64Binary></a>",
    )
    .unwrap();
    assert_eq!(array.base64_binary[0].0, vec![0, 1, 2, 255]);
    assert_eq!(array.base64_binary[1].0, b"mktows".to_vec());
    assert_eq!(
        serde_json::to_value(&array).unwrap(),
        serde_json::json!({ "base64Binary": ["AAEC/w==", "bWt0b3dz"] })
    );
    assert!(write("a", &array).contains("<base64Binary>AAEC/w==</base64Binary>"));
}

#[test]
fn text_escaping_round_trips() {
    let key = LeadKey {
        key_type: LeadKeyRef::Email,
        key_value: "a<b> & \"c\" 'd' ü".into(),
    };
    let xml = write("leadKey", &key);
    assert!(
        xml.contains("<keyValue>a&lt;b&gt; &amp; \"c\" 'd' ü</keyValue>"),
        "{xml}"
    );
    let back: LeadKey = read(&xml).unwrap();
    assert_eq!(back, key);
}

#[test]
fn character_references_and_cdata_are_text() {
    let key: LeadKey = read(
        "<leadKey><keyType>EMAIL</keyType><keyValue>x&#65;&#x42;&lt;<![CDATA[<raw & kept>]]>y</keyValue></leadKey>",
    )
    .unwrap();
    assert_eq!(key.key_value, "xAB<<raw & kept>y");
}

#[test]
fn invalid_xml_character_refused_on_write() {
    let request = ParamsGetLead {
        lead_key: LeadKey {
            key_type: LeadKeyRef::Email,
            key_value: "bell\u{7}".into(),
        },
    };
    let error = encode_request(Operation::GetLead, &[], &request).unwrap_err();
    assert!(matches!(error, Error::Encode(_)), "{error:?}");
    assert!(error.to_string().contains("U+0007"), "{error}");
}

#[test]
fn unknown_elements_are_ignored() {
    let key: LeadKey = read(
        "<leadKey><futureField><nested>1</nested></futureField><keyType>IDNUM</keyType><other/><keyValue>7</keyValue></leadKey>",
    )
    .unwrap();
    assert_eq!(
        key,
        LeadKey {
            key_type: LeadKeyRef::Idnum,
            key_value: "7".into()
        }
    );
}

#[test]
fn elements_out_of_order_are_accepted() {
    let key: LeadKey =
        read("<leadKey><keyValue>7</keyValue><keyType>IDNUM</keyType></leadKey>").unwrap();
    assert_eq!(key.key_type, LeadKeyRef::Idnum);
}

#[test]
fn missing_required_element_reports_path() {
    let body = r#"<?xml version="1.0"?>
        <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
          <SOAP-ENV:Body><ns1:successGetLead><result><count>1</count>
            <leadRecordList><leadRecord><leadAttributeList><attribute><attrName>City</attrName></attribute>
            </leadAttributeList></leadRecord></leadRecordList></result></ns1:successGetLead></SOAP-ENV:Body>
        </SOAP-ENV:Envelope>"#;
    let error = decode_response::<SuccessGetLead>(Operation::GetLead, body.as_bytes()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("successGetLead/result/leadRecordList/leadRecord/leadAttributeList/attribute/attrValue: missing required element"),
        "{message}"
    );
}

#[test]
fn xsi_type_read_under_any_prefix() {
    for (declaration, prefix) in [
        (r#"xmlns:m="http://www.marketo.com/mktows/""#, "m"),
        (r#"xmlns:tns="http://www.marketo.com/mktows/""#, "tns"),
    ] {
        let xml = format!(
            r#"<p {XSI} {declaration}><leadSelector xsi:type="{prefix}:LeadKeySelector"><keyType>EMAIL</keyType>
               <keyValues><stringItem>a@example.com</stringItem></keyValues></leadSelector></p>"#
        );
        let params: ParamsGetMultipleLeads = read(&xml).unwrap();
        match params.lead_selector {
            Some(LeadSelector::LeadKeySelector(selector)) => {
                assert_eq!(selector.key_values.string_item, ["a@example.com"])
            }
            other => panic!("{prefix}: expected a LeadKeySelector, got {other:?}"),
        }
    }
}

#[test]
fn xsi_type_attribute_prefix_may_differ() {
    let xml = r#"<p xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:m="http://www.marketo.com/mktows/">
        <leadSelector i:type="m:StaticListSelector"><staticListName>Webinar Leads</staticListName></leadSelector></p>"#;
    let params: ParamsGetMultipleLeads = read(xml).unwrap();
    assert!(
        matches!(
            params.lead_selector,
            Some(LeadSelector::StaticListSelector(_))
        ),
        "{:?}",
        params.lead_selector
    );
}

#[test]
fn xsi_type_written_with_bound_prefix() {
    let params = ParamsGetMultipleLeads {
        lead_selector: Some(LeadSelector::StaticListSelector(StaticListSelector {
            static_list_name: Some(Nillable::Value("Webinar Leads".into())),
            static_list_id: None,
        })),
        ..ParamsGetMultipleLeads::default()
    };
    let envelope = encode_request(Operation::GetMultipleLeads, &[], &params).unwrap();
    assert!(
        envelope.contains(r#"<leadSelector xsi:type="ns1:StaticListSelector">"#),
        "{envelope}"
    );
    assert!(envelope.contains(r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#));
    let json = serde_json::to_value(&params).unwrap();
    assert_eq!(json["leadSelector"]["xsi:type"], "StaticListSelector");
}

#[test]
fn abstract_type_without_xsi_type_is_an_error() {
    let error = read::<ParamsGetMultipleLeads>(
        "<p><leadSelector><keyType>EMAIL</keyType></leadSelector></p>",
    )
    .unwrap_err();
    assert_eq!(error.path().collect::<Vec<_>>(), ["leadSelector"]);
    assert!(error.to_string().contains("missing xsi:type"), "{error}");
}

#[test]
fn repeated_element_is_json_array() {
    let array: ArrayOfString = read("<a><stringItem>only</stringItem></a>").unwrap();
    assert_eq!(
        serde_json::to_value(&array).unwrap(),
        serde_json::json!({ "stringItem": ["only"] })
    );
}

#[test]
fn numbers_and_booleans_are_json_primitives() {
    let result: ResultGetLead = read("<r><count>3</count></r>").unwrap();
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        serde_json::json!({ "count": 3 })
    );
}

#[test]
fn truncated_document_is_an_error() {
    let error = read::<LeadKey>("<leadKey><keyType>EMAIL</keyType><keyValue>abc").unwrap_err();
    assert!(
        matches!(
            error.kind(),
            DecodeErrorKind::UnexpectedEof | DecodeErrorKind::Malformed(_)
        ),
        "{error:?}"
    );
}

#[test]
fn mismatched_end_tag_is_an_error() {
    let error = read::<LeadKey>("<leadKey><keyType>EMAIL</keyValue></leadKey>").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("end tag </keyValue> does not close <keyType>"),
        "{error}"
    );
    let error = read::<LeadKey>("<leadKey><keyType>EMAIL</keyType></other>").unwrap_err();
    assert!(
        error.to_string().contains("does not close <leadKey>"),
        "{error}"
    );
}

#[test]
fn namespace_declared_on_inner_element_applies_to_it() {
    let xml = r#"<p><leadSelector xmlns:q="http://www.w3.org/2001/XMLSchema-instance" xmlns:z="http://www.marketo.com/mktows/"
        q:type="z:StaticListSelector"><staticListId>12</staticListId></leadSelector></p>"#;
    let params: ParamsGetMultipleLeads = read(xml).unwrap();
    assert!(
        matches!(
            params.lead_selector,
            Some(LeadSelector::StaticListSelector(_))
        ),
        "{:?}",
        params.lead_selector
    );
}

#[test]
fn namespace_declaration_ends_with_its_element() {
    // `q` is bound to the XSI namespace only inside the first child, so on the second it
    // is an unbound prefix and the attribute is not xsi:nil.
    let xml = r#"<leadRecord><Email xmlns:q="http://www.w3.org/2001/XMLSchema-instance" q:nil="true"/><ForeignSysPersonId q:nil="true">x</ForeignSysPersonId></leadRecord>"#;
    let record: LeadRecord = read(xml).unwrap();
    assert_eq!(record.email, Some(Nillable::Nil));
    assert_eq!(
        record.foreign_sys_person_id,
        Some(Nillable::Value("x".into()))
    );
}

#[test]
fn element_with_too_many_attributes_is_rejected_quickly() {
    let attributes: String = (0..20_000)
        .map(|index| format!(" a{index}=\"x\""))
        .collect();
    let xml =
        format!("<leadKey{attributes}><keyType>EMAIL</keyType><keyValue>v</keyValue></leadKey>");
    let started = std::time::Instant::now();
    let error = read::<LeadKey>(&xml).unwrap_err();
    assert!(
        error.to_string().contains("more than 256 attributes"),
        "{error}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn many_equals_signs_in_values_are_fine() {
    let value = "=".repeat(1000);
    let xml = format!(
        r#"<leadKey note="{value}"><keyType>EMAIL</keyType><keyValue>v</keyValue></leadKey>"#
    );
    assert!(read::<LeadKey>(&xml).is_ok());
}

#[test]
fn carriage_return_round_trips() {
    let key = LeadKey {
        key_type: LeadKeyRef::Email,
        key_value: "line1\r\nline2\rend".into(),
    };
    let xml = write("leadKey", &key);
    assert!(xml.contains("line1&#13;\nline2&#13;end"), "{xml}");
    assert_eq!(read::<LeadKey>(&xml).unwrap(), key);
}

#[test]
fn empty_or_non_xml_document_says_so() {
    for input in ["", "   ", "hello world"] {
        let error = read::<LeadKey>(input).unwrap_err();
        assert!(
            error.to_string().contains("contains no XML element"),
            "{input:?}: {error}"
        );
    }
}

#[test]
fn unknown_json_key_is_rejected() {
    let error =
        serde_json::from_value::<ParamsGetMultipleLeads>(serde_json::json!({ "batchsize": 10 }))
            .unwrap_err();
    assert!(
        error.to_string().contains("unknown field `batchsize`"),
        "{error}"
    );

    let typed = serde_json::json!({ "leadSelector": { "xsi:type": "StaticListSelector", "staticListName": "VIP" } });
    assert!(
        serde_json::from_value::<ParamsGetMultipleLeads>(typed).is_ok(),
        "xsi:type stays accepted"
    );
}

#[test]
fn body_element_outside_target_namespace_is_unknown() {
    let body = r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
        <SOAP-ENV:Body><x:paramsListMObjects xmlns:x="urn:not-marketo"/></SOAP-ENV:Body></SOAP-ENV:Envelope>"#;
    let error = mktows::envelope::decode_request(body.as_bytes()).unwrap_err();
    assert!(
        matches!(error, mktows::envelope::RequestError::UnknownOperation(ref name) if name == "{urn:not-marketo}paramsListMObjects"),
        "{error}"
    );
}

#[test]
fn repeated_authentication_header_is_refused() {
    let header = |user: &str| {
        format!(
            "<m:AuthenticationHeader><mktowsUserId>{user}</mktowsUserId><requestSignature>00</requestSignature>\
             <requestTimestamp>2026-03-02T10:00:00Z</requestTimestamp></m:AuthenticationHeader>"
        )
    };
    let envelope = |headers: &str| {
        format!(
            r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://www.marketo.com/mktows/">
            <SOAP-ENV:Header>{headers}</SOAP-ENV:Header><SOAP-ENV:Body><m:paramsListMObjects/></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
        )
    };

    let (single, _) =
        mktows::envelope::decode_request(envelope(&header("first_user")).as_bytes()).unwrap();
    assert_eq!(
        single.authentication_header.unwrap().mktows_user_id,
        "first_user"
    );

    let twice = envelope(&(header("first_user") + &header("second_user")));
    let error = mktows::envelope::decode_request(twice.as_bytes()).unwrap_err();
    let mktows::envelope::RequestError::Unreadable(decode) = &error else {
        panic!("expected an unreadable header, got {error}");
    };
    assert!(
        matches!(decode.kind(), mktows::xml::DecodeErrorKind::Repeated),
        "{error}"
    );
    assert_eq!(
        decode.path().collect::<Vec<_>>(),
        ["AuthenticationHeader"],
        "{error}"
    );
}

#[test]
fn repeated_single_element_is_refused() {
    let xml = "<leadKey><keyType>IDNUM</keyType><keyValue>1001</keyValue><keyValue>1002</keyValue></leadKey>";

    let error = read::<LeadKey>(xml).unwrap_err();

    assert!(matches!(error.kind(), DecodeErrorKind::Repeated), "{error}");
    assert_eq!(error.path().collect::<Vec<_>>(), ["keyValue"], "{error}");
}
