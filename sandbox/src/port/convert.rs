//! Conversions shared by the operations: nillable elements, attributes, lead keys, times
//! and the WSDL enumerations the store has its own types for.
//!
//! Requests arrive as the generated types of the `mktows` crate; the store speaks in its
//! own domain types. An enumeration value the WSDL does not list reaches the port as the
//! generated `Unknown` variant and is rejected here with fault 20110 (or 20102 for lead
//! key types, as Marketo did).

use chrono::{DateTime, FixedOffset, SubsecRound, Utc};
use mktows::types as wire;
use mktows::Nillable;

use crate::error::{FaultCode, SandboxError, SandboxResult};
use crate::store::{self, Attrib, Attribute, LeadKey, LeadKeyType};
use crate::stream::ActivityStreamPosition;

/// Returns the value of an optional nillable element; absent and nil both give `None`.
pub(crate) fn value_of<T>(element: Option<Nillable<T>>) -> Option<T> {
    element.and_then(Nillable::into_value)
}

/// Wraps a response value for an optional nillable element: `None` is sent as
/// `xsi:nil="true"`, the way Marketo wrote empty values.
pub(crate) fn nil_or<T>(value: Option<T>) -> Option<Nillable<T>> {
    Some(value.map_or(Nillable::Nil, Nillable::Value))
}

/// Converts a wire time to UTC.
pub(crate) fn to_utc(time: DateTime<FixedOffset>) -> DateTime<Utc> {
    time.with_timezone(&Utc)
}

/// Converts a UTC time to the wire form, which the encoder writes with `+00:00`. Drops
/// fractions of a second, because Marketo's dateTimes had none and the system clock has
/// nanoseconds.
pub(crate) fn to_wire_time(time: DateTime<Utc>) -> DateTime<FixedOffset> {
    time.trunc_subsecs(0).fixed_offset()
}

/// Converts a request's `Attribute` list to the store's attributes.
pub(crate) fn attributes_in(array: Option<Nillable<wire::ArrayOfAttribute>>) -> Vec<Attribute> {
    value_of(array)
        .map(|array| array.attribute.into_iter().map(attribute_in).collect())
        .unwrap_or_default()
}

/// Converts one request `Attribute`.
pub(crate) fn attribute_in(attribute: wire::Attribute) -> Attribute {
    Attribute {
        name: attribute.attr_name,
        attr_type: value_of(attribute.attr_type),
        value: attribute.attr_value,
    }
}

/// Converts store attributes to a response `ArrayOfAttribute`.
pub(crate) fn attributes_out(attributes: Vec<Attribute>) -> wire::ArrayOfAttribute {
    wire::ArrayOfAttribute {
        attribute: attributes
            .into_iter()
            .map(|attribute| wire::Attribute {
                attr_name: attribute.name,
                attr_type: nil_or(attribute.attr_type),
                attr_value: attribute.value,
            })
            .collect(),
    }
}

/// Converts request `Attrib` pairs to the store's.
pub(crate) fn attribs_in(array: Option<Nillable<wire::ArrayOfAttrib>>) -> Vec<Attrib> {
    value_of(array)
        .map(|array| array.attrib.into_iter().map(attrib_in).collect())
        .unwrap_or_default()
}

/// Converts one request `Attrib`.
pub(crate) fn attrib_in(attrib: wire::Attrib) -> Attrib {
    Attrib {
        name: attrib.name,
        value: attrib.value,
    }
}

/// Converts one store `Attrib` to the wire.
pub(crate) fn attrib_out(attrib: Attrib) -> wire::Attrib {
    wire::Attrib {
        name: attrib.name,
        value: attrib.value,
    }
}

/// Converts store `Attrib` pairs to a response `ArrayOfAttrib`.
pub(crate) fn attribs_out(attribs: Vec<Attrib>) -> wire::ArrayOfAttrib {
    wire::ArrayOfAttrib {
        attrib: attribs.into_iter().map(attrib_out).collect(),
    }
}

/// Converts a request lead key; an unknown key type is fault 20102.
pub(crate) fn lead_key_in(key: wire::LeadKey) -> SandboxResult<LeadKey> {
    Ok(LeadKey::new(
        LeadKeyType::parse(key.key_type.as_str())?,
        key.key_value,
    ))
}

/// Converts a store lead key to the wire.
pub(crate) fn lead_key_out(key: LeadKey) -> wire::LeadKey {
    wire::LeadKey {
        key_type: wire::LeadKeyRef::from_wire(key.key_type.as_str()),
        key_value: key.value,
    }
}

/// Converts a request `LeadSelector`.
pub(crate) fn lead_selector_in(selector: wire::LeadSelector) -> SandboxResult<store::LeadSelector> {
    Ok(match selector {
        wire::LeadSelector::LeadKeySelector(keys) => store::LeadSelector::LeadKeys {
            key_type: LeadKeyType::parse(keys.key_type.as_str())?,
            values: keys.key_values.string_item,
        },
        wire::LeadSelector::StaticListSelector(list) => store::LeadSelector::StaticList {
            name: value_of(list.static_list_name),
            id: value_of(list.static_list_id),
        },
        wire::LeadSelector::LastUpdateAtSelector(window) => store::LeadSelector::LastUpdateAt {
            oldest: to_utc(window.oldest_updated_at),
            latest: value_of(window.latest_updated_at).map(to_utc),
        },
    })
}

/// Converts a request `StreamPosition` of `getLeadActivity` or `getLeadChanges`.
pub(crate) fn stream_position_in(position: wire::StreamPosition) -> ActivityStreamPosition {
    ActivityStreamPosition {
        latest_created_at: value_of(position.latest_created_at).map(to_utc),
        oldest_created_at: value_of(position.oldest_created_at).map(to_utc),
        activity_created_at: value_of(position.activity_created_at).map(to_utc),
        offset: value_of(position.offset),
    }
}

/// Converts a store stream position to the wire; absent values are sent as nil.
pub(crate) fn stream_position_out(position: ActivityStreamPosition) -> wire::StreamPosition {
    wire::StreamPosition {
        latest_created_at: nil_or(position.latest_created_at.map(to_wire_time)),
        oldest_created_at: nil_or(position.oldest_created_at.map(to_wire_time)),
        activity_created_at: nil_or(position.activity_created_at.map(to_wire_time)),
        offset: nil_or(position.offset),
    }
}

/// Returns fault 20110 for an enumeration value the WSDL does not list.
pub(crate) fn bad_enumeration(element: &str, found: &str, allowed: &str) -> SandboxError {
    SandboxError::new(
        FaultCode::BadParameter,
        format!("{element} '{found}' is not valid; use one of {allowed}"),
    )
}

/// Converts a `ReqCampSourceType`.
pub(crate) fn campaign_source_in(
    source: &wire::ReqCampSourceType,
) -> SandboxResult<store::CampaignSource> {
    match source {
        wire::ReqCampSourceType::Mktows => Ok(store::CampaignSource::Mktows),
        wire::ReqCampSourceType::Sales => Ok(store::CampaignSource::Sales),
        other => Err(bad_enumeration("source", other.as_str(), "MKTOWS, SALES")),
    }
}

/// Converts a `SyncOperationEnum`.
pub(crate) fn sync_operation_in(
    operation: &wire::SyncOperationEnum,
) -> SandboxResult<store::SyncOperation> {
    match operation {
        wire::SyncOperationEnum::Insert => Ok(store::SyncOperation::Insert),
        wire::SyncOperationEnum::Update => Ok(store::SyncOperation::Update),
        wire::SyncOperationEnum::Upsert => Ok(store::SyncOperation::Upsert),
        other => Err(bad_enumeration(
            "operation",
            other.as_str(),
            "INSERT, UPDATE, UPSERT",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_and_nil_read_as_none() {
        assert_eq!(value_of::<i32>(None), None);
        assert_eq!(value_of::<i32>(Some(Nillable::Nil)), None);
        assert_eq!(value_of(Some(Nillable::Value(7))), Some(7));
    }

    #[test]
    fn missing_response_value_is_nil() {
        assert_eq!(nil_or::<i32>(None), Some(Nillable::Nil));
        assert_eq!(nil_or(Some(3)), Some(Nillable::Value(3)));
    }

    #[test]
    fn unknown_lead_key_type_is_fault_20102() {
        let key = wire::LeadKey {
            key_type: wire::LeadKeyRef::Unknown("PHONE".into()),
            key_value: "1".into(),
        };

        let error = lead_key_in(key).unwrap_err();

        assert_eq!(error.code, FaultCode::BadLeadKey);
    }

    #[test]
    fn lead_key_round_trips() {
        let key = wire::LeadKey {
            key_type: wire::LeadKeyRef::Email,
            key_value: "a@b.example".into(),
        };

        let domain = lead_key_in(key.clone()).unwrap();

        assert_eq!(domain, LeadKey::email("a@b.example"));
        assert_eq!(lead_key_out(domain), key);
    }

    #[test]
    fn unknown_campaign_source_is_fault_20110() {
        let error =
            campaign_source_in(&wire::ReqCampSourceType::Unknown("CRM".into())).unwrap_err();

        assert_eq!(error.code, FaultCode::BadParameter);
        assert!(error.message.contains("'CRM'"), "{}", error.message);
    }

    #[test]
    fn wire_time_has_whole_seconds() {
        let time = DateTime::parse_from_rfc3339("2026-03-02T09:16:02.770884945Z")
            .unwrap()
            .with_timezone(&Utc);

        let wire = to_wire_time(time);

        assert_eq!(wire.to_rfc3339(), "2026-03-02T09:16:02+00:00");
    }
}
