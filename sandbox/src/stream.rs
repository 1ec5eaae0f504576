//! Stream positions: the paging tokens of the read operations.
//!
//! Marketo used two kinds, and the sandbox encodes both.
//!
//! **Simple stream positions** (`getMultipleLeads`, `getMObjects`, `getCustomObjects`)
//! are opaque strings. The sandbox writes them as
//!
//! ```text
//! v1.<stream>.<cursor>.<check>
//! ```
//!
//! - `<stream>` names the operation's stream: `leads`, `mobjects` or `customobjects`;
//! - `<cursor>` is the id of the last record returned, in decimal. The next page starts
//!   at the first record with a greater id, so deleting records between calls never
//!   skips or repeats one.
//! - `<check>` is 8 lowercase hex digits, a 32-bit FNV-1a hash of the stream, the cursor
//!   and a fingerprint of the query (selector, filters) that produced the position.
//!
//! A position that does not parse, names another stream, or was made for another query
//! (its check does not match) is rejected with fault 20122. Callers should treat the
//! string as opaque, as Marketo asked.
//!
//! **Complex stream positions** (`getLeadActivity`, `getLeadChanges`) are the WSDL's
//! `StreamPosition`: three timestamps and an `offset`. The sandbox writes the offset as
//! `ID:<activity id>`, the form Marketo's own responses showed, and rejects any other
//! non-empty offset with fault 20122.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FaultCode, SandboxError, SandboxResult};

const VERSION_TAG: &str = "v1";

/// The stream a simple stream position belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// `getMultipleLeads`.
    Leads,
    /// `getMObjects`.
    MObjects,
    /// `getCustomObjects`.
    CustomObjects,
}

impl StreamKind {
    fn tag(self) -> &'static str {
        match self {
            StreamKind::Leads => "leads",
            StreamKind::MObjects => "mobjects",
            StreamKind::CustomObjects => "customobjects",
        }
    }

    fn operation(self) -> &'static str {
        match self {
            StreamKind::Leads => "getMultipleLeads",
            StreamKind::MObjects => "getMObjects",
            StreamKind::CustomObjects => "getCustomObjects",
        }
    }
}

/// Encodes a simple stream position that resumes after record id `cursor` of the query
/// fingerprinted by `query`.
pub fn encode_position(kind: StreamKind, cursor: i64, query: &str) -> String {
    let check = checksum(kind, cursor, query);
    format!("{VERSION_TAG}.{}.{cursor}.{check:08x}", kind.tag())
}

/// Decodes a simple stream position made by [`encode_position`] for the same stream and
/// query, returning its cursor. Anything else is fault 20122.
pub fn decode_position(kind: StreamKind, position: &str, query: &str) -> SandboxResult<i64> {
    let bad = |reason: &str| {
        SandboxError::new(
            FaultCode::BadStreamPosition,
            format!(
                "stream position '{position}' is not valid for this {} request ({reason}); pass the newStreamPosition of the previous response unchanged, with the same selector",
                kind.operation()
            ),
        )
    };

    let parts: Vec<&str> = position.split('.').collect();
    let [version, stream, cursor, check] = parts.as_slice() else {
        return Err(bad(
            "it does not have the sandbox's four dot-separated parts",
        ));
    };
    if *version != VERSION_TAG {
        return Err(bad("unknown format version"));
    }
    if *stream != kind.tag() {
        return Err(bad("it belongs to another operation"));
    }
    let cursor: i64 = cursor
        .parse()
        .map_err(|_| bad("its cursor is not a number"))?;
    let check = u32::from_str_radix(check, 16).map_err(|_| bad("its check is not hexadecimal"))?;
    if check != checksum(kind, cursor, query) {
        return Err(bad("it was made for another query or was modified"));
    }
    Ok(cursor)
}

/// Returns fault 20123, raised when a valid position has no records after it.
pub fn stream_at_end(kind: StreamKind) -> SandboxError {
    SandboxError::new(
        FaultCode::StreamAtEnd,
        format!(
            "the stream position is at the end of the {} result; start again without a stream position",
            kind.operation()
        ),
    )
}

/// 32-bit FNV-1a over the stream tag, the cursor and the query fingerprint.
fn checksum(kind: StreamKind, cursor: i64, query: &str) -> u32 {
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;

    let text = format!("{}|{cursor}|{query}", kind.tag());
    text.bytes().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(PRIME)
    })
}

/// The WSDL's complex `StreamPosition`, used by `getLeadActivity` and `getLeadChanges`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityStreamPosition {
    /// Upper bound (inclusive) on activity dates.
    pub latest_created_at: Option<DateTime<Utc>>,
    /// Lower bound (inclusive) on activity dates.
    pub oldest_created_at: Option<DateTime<Utc>>,
    /// A second lower bound (inclusive) on activity dates, used by `getLeadChanges`.
    pub activity_created_at: Option<DateTime<Utc>>,
    /// `ID:<activity id>` of the last activity returned, or empty.
    pub offset: Option<String>,
}

impl ActivityStreamPosition {
    /// Returns the activity id in the offset, `None` when the offset is absent or empty,
    /// or fault 20122 when it is not of the form `ID:<number>`.
    pub fn offset_id(&self) -> SandboxResult<Option<i32>> {
        let Some(offset) = self
            .offset
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        else {
            return Ok(None);
        };
        let id = offset
            .strip_prefix("ID:")
            .and_then(|digits| digits.parse::<i32>().ok())
            .filter(|id| *id >= 0);
        match id {
            Some(id) => Ok(Some(id)),
            None => Err(SandboxError::new(
                FaultCode::BadStreamPosition,
                format!(
                    "stream position offset '{offset}' is not valid; pass the offset of the previous newStartPosition unchanged (it has the form ID:<number>)"
                ),
            )),
        }
    }

    /// Returns the offset string for an activity id.
    pub fn offset_for(activity_id: i32) -> String {
        format!("ID:{activity_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_round_trips_for_same_query() {
        let position = encode_position(StreamKind::Leads, 42, "list:7");

        assert!(position.starts_with("v1.leads.42."), "{position}");
        assert_eq!(
            decode_position(StreamKind::Leads, &position, "list:7").unwrap(),
            42
        );
    }

    #[test]
    fn position_for_other_query_is_bad() {
        let position = encode_position(StreamKind::Leads, 42, "list:7");

        let error = decode_position(StreamKind::Leads, &position, "list:8").unwrap_err();

        assert_eq!(error.code, FaultCode::BadStreamPosition);
    }

    #[test]
    fn position_of_other_stream_is_bad() {
        let position = encode_position(StreamKind::MObjects, 3, "q");

        let error = decode_position(StreamKind::CustomObjects, &position, "q").unwrap_err();

        assert_eq!(error.code, FaultCode::BadStreamPosition);
    }

    #[test]
    fn edited_cursor_is_bad() {
        let position = encode_position(StreamKind::Leads, 42, "q");
        let edited = position.replace(".42.", ".43.");

        assert_eq!(
            decode_position(StreamKind::Leads, &edited, "q")
                .unwrap_err()
                .code,
            FaultCode::BadStreamPosition
        );
    }

    #[test]
    fn garbage_positions_are_bad() {
        for garbage in [
            "",
            "abc",
            "v1.leads.x.00000000",
            "v2.leads.1.00000000",
            "v1.leads.1.zz",
        ] {
            let error = decode_position(StreamKind::Leads, garbage, "q").unwrap_err();
            assert_eq!(error.code, FaultCode::BadStreamPosition, "{garbage:?}");
        }
    }

    #[test]
    fn activity_offset_parses_id_form() {
        let position = ActivityStreamPosition {
            offset: Some("ID:1234".into()),
            ..Default::default()
        };

        assert_eq!(position.offset_id().unwrap(), Some(1234));
        assert_eq!(ActivityStreamPosition::offset_for(1234), "ID:1234");
    }

    #[test]
    fn activity_offset_empty_means_start() {
        let empty = ActivityStreamPosition {
            offset: Some("  ".into()),
            ..Default::default()
        };

        assert_eq!(empty.offset_id().unwrap(), None);
        assert_eq!(ActivityStreamPosition::default().offset_id().unwrap(), None);
    }

    #[test]
    fn activity_offset_other_forms_are_bad() {
        for offset in ["1234", "ID:", "ID:-5", "ID:abc", "OFFSET:3"] {
            let position = ActivityStreamPosition {
                offset: Some(offset.into()),
                ..Default::default()
            };
            assert_eq!(
                position.offset_id().unwrap_err().code,
                FaultCode::BadStreamPosition,
                "{offset}"
            );
        }
    }
}
