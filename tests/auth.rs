//! Request signing: the signature algorithm, the timestamp format and secret redaction.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use mktows::auth::{format_timestamp, sign};
use mktows::{Clock, Credentials, EncryptionKey, FixedClock};

const USER_ID: &str = "northwindtrading1_0A1B2C3D4E5F6A7B8C9D0E";
const KEY: &str = "kestrel-orchard-5521-PLUM";

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

#[test]
fn signature_matches_independent_hmac() {
    // Computed with Python 3's standard library, independently of this crate:
    //   hmac.new(b"kestrel-orchard-5521-PLUM",
    //            b"2026-03-01T09:15:00+01:00northwindtrading1_0A1B2C3D4E5F6A7B8C9D0E",
    //            hashlib.sha1).hexdigest()
    let expected = "f091ab3401b310ccea31329b16371cc55511d705";

    let signature = sign(
        &EncryptionKey::new(KEY),
        "2026-03-01T09:15:00+01:00",
        USER_ID,
    );

    assert_eq!(signature, expected);
}

#[test]
fn signature_with_negative_offset() {
    // Computed with Python 3's standard library:
    //   hmac.new(b"0123456789abcdefFEDCBA",
    //            b"2025-11-30T23:59:59-08:00bluefinlabs42_77EEDD11CCBB",
    //            hashlib.sha1).hexdigest()
    let expected = "54d3fdd4b5e5a7d9d42be0b93ce40e9b5f8c0734";
    let credentials = Credentials::new("bluefinlabs42_77EEDD11CCBB", "0123456789abcdefFEDCBA");

    let header = credentials.sign_at(at("2025-11-30T23:59:59-08:00"));

    assert_eq!(header.request_timestamp, "2025-11-30T23:59:59-08:00");
    assert_eq!(header.request_signature, expected);
    assert_eq!(header.user_id, "bluefinlabs42_77EEDD11CCBB");
}

#[test]
fn sign_at_uses_the_clock_offset() {
    // Computed with Python 3's standard library:
    //   hmac.new(b"kestrel-orchard-5521-PLUM",
    //            b"2026-03-01T08:15:00+00:00northwindtrading1_0A1B2C3D4E5F6A7B8C9D0E",
    //            hashlib.sha1).hexdigest()
    let expected_utc = "79bf5ab36b98d6c44bdf253ac6432ec763a85ffa";
    let credentials = Credentials::new(USER_ID, KEY);
    let instant = at("2026-03-01T09:15:00+01:00");

    let in_paris = credentials.sign_at(instant);
    let in_utc = credentials.sign_at(instant.with_timezone(&Utc).fixed_offset());

    assert_eq!(
        in_paris.request_signature,
        "f091ab3401b310ccea31329b16371cc55511d705"
    );
    assert_eq!(in_utc.request_timestamp, "2026-03-01T08:15:00+00:00");
    assert_eq!(in_utc.request_signature, expected_utc);
}

#[test]
fn signature_is_lowercase_hex() {
    let signature = sign(
        &EncryptionKey::new(KEY),
        "2026-03-01T09:15:00+01:00",
        USER_ID,
    );

    assert_eq!(signature.len(), 40);
    assert!(
        signature
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()),
        "{signature}"
    );
}

#[test]
fn timestamp_utc_uses_numeric_offset() {
    let time = Utc
        .with_ymd_and_hms(2026, 7, 4, 18, 30, 5)
        .unwrap()
        .fixed_offset();

    assert_eq!(format_timestamp(time), "2026-07-04T18:30:05+00:00");
}

#[test]
fn timestamp_keeps_offsets() {
    let cases = [
        (5 * 3600 + 30 * 60, "2026-01-15T06:07:08+05:30"),
        (-8 * 3600, "2026-01-15T06:07:08-08:00"),
        (-(3 * 3600 + 30 * 60), "2026-01-15T06:07:08-03:30"),
        (14 * 3600, "2026-01-15T06:07:08+14:00"),
    ];

    for (offset_seconds, expected) in cases {
        let offset = FixedOffset::east_opt(offset_seconds).unwrap();
        let local = NaiveDate::from_ymd_opt(2026, 1, 15)
            .unwrap()
            .and_hms_opt(6, 7, 8)
            .unwrap();
        let time = offset.from_local_datetime(&local).unwrap();

        assert_eq!(format_timestamp(time), expected);
    }
}

#[test]
fn timestamp_drops_fractional_seconds() {
    let time = at("2026-03-01T09:15:00.987654+01:00");

    let header = Credentials::new(USER_ID, KEY).sign_at(time);

    assert_eq!(header.request_timestamp, "2026-03-01T09:15:00+01:00");
    assert_eq!(
        header.request_signature,
        "f091ab3401b310ccea31329b16371cc55511d705"
    );
}

#[test]
fn fixed_clock_reports_set_time() {
    let clock = FixedClock::new(at("2026-03-01T09:15:00+01:00"));
    assert_eq!(format_timestamp(clock.now()), "2026-03-01T09:15:00+01:00");

    clock.set(at("2026-03-02T10:00:00-05:00"));

    assert_eq!(format_timestamp(clock.now()), "2026-03-02T10:00:00-05:00");
}

#[test]
fn encryption_key_debug_is_redacted() {
    let key = EncryptionKey::new(KEY);

    let printed = format!("{key:?}");

    assert_eq!(printed, "\"<redacted>\"");
}

#[test]
fn credentials_debug_hides_key() {
    let credentials = Credentials::new(USER_ID, KEY);

    let printed = format!("{credentials:?}");
    let pretty = format!("{credentials:#?}");

    assert!(printed.contains(USER_ID), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
    assert!(!printed.contains(KEY), "{printed}");
    assert!(!pretty.contains(KEY), "{pretty}");
}

#[test]
fn signed_header_debug_hides_signature() {
    let header = Credentials::new(USER_ID, KEY).sign_at(at("2026-03-01T09:15:00+01:00"));

    let printed = format!("{header:?}");

    assert!(printed.contains(USER_ID), "{printed}");
    assert!(printed.contains("2026-03-01T09:15:00+01:00"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
    assert!(!printed.contains(&header.request_signature), "{printed}");
    assert!(!printed.contains(KEY), "{printed}");
}
