//! Saving and loading the store as JSON, and the shape of the seed data set.

use std::fs;
use std::path::PathBuf;

use chrono::{Duration, TimeZone, Utc};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::store::{
    ImportMode, ImportStatus, ImportToListRequest, LeadInput, LeadKey, SyncLeadRequest,
    STORE_FORMAT_VERSION,
};
use mktows_sandbox::{Store, StoreFileError};

/// Returns an empty directory for one test, under the target directory.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("store_persist")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn save_and_load_round_trip() {
    let dir = scratch_dir("round_trip");
    let path = dir.join("store.json");
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap());
    let mut store = Store::seeded().with_clock(clock.shared());
    let created = store
        .sync_lead(&SyncLeadRequest {
            lead: LeadInput::with_email("saved@roundtrip.example")
                .attribute("TrialEndsAt", "2024-06-01T00:00:00Z"),
            ..SyncLeadRequest::default()
        })
        .unwrap();

    store.save(&path).unwrap();
    let mut loaded = Store::load_with_clock(&path, clock.shared()).unwrap();

    assert_eq!(
        serde_json::to_value(&loaded).unwrap(),
        serde_json::to_value(&store).unwrap()
    );
    let again = loaded
        .sync_lead(&SyncLeadRequest {
            lead: LeadInput::with_email("second@roundtrip.example"),
            ..SyncLeadRequest::default()
        })
        .unwrap();
    assert_eq!(
        again.lead_id,
        created.lead_id + 1,
        "counters survive the round trip"
    );
    let leads = loaded
        .get_lead(&LeadKey::email("saved@roundtrip.example"))
        .unwrap();
    assert_eq!(
        leads[0].attribute("TrialEndsAt"),
        Some("2024-06-01T00:00:00+00:00")
    );
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("store.json")],
        "no temporary file is left"
    );
}

#[test]
fn processing_import_survives_reload() {
    let dir = scratch_dir("processing_import");
    let path = dir.join("store.json");
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap());
    let mut store = Store::seeded().with_clock(clock.shared());
    store
        .import_to_list(&ImportToListRequest {
            program_name: "Quarterly Newsletter".into(),
            list_name: "Subscribers".into(),
            import_file_header: "Email Address".into(),
            import_file_rows: vec!["ada.quill@lumenfield.example".into()],
            import_list_mode: ImportMode::ListOnly,
            clear_list: false,
            campaign_name: None,
        })
        .unwrap();
    store.save(&path).unwrap();

    let mut loaded = Store::load_with_clock(&path, clock.shared()).unwrap();
    clock.advance(Duration::seconds(3));
    let status = loaded
        .get_import_to_list_status("Quarterly Newsletter", "Subscribers")
        .unwrap();

    assert_eq!(status.status, ImportStatus::Complete);
}

#[test]
fn load_missing_file_names_path() {
    let dir = scratch_dir("missing");
    let path = dir.join("absent.json");

    let error = Store::load(&path).unwrap_err();

    assert!(matches!(error, StoreFileError::Read { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("absent.json"), "{message}");
    assert!(message.contains("--data"), "{message}");
}

#[test]
fn load_invalid_json_is_parse_error() {
    let dir = scratch_dir("invalid");
    let path = dir.join("store.json");
    fs::write(&path, "{ \"format_version\": 1, \"leads\": [oops] }").unwrap();

    let error = Store::load(&path).unwrap_err();

    assert!(matches!(error, StoreFileError::Parse { .. }), "{error:?}");
    assert!(error.to_string().contains("line 1"), "{error}");
}

#[test]
fn load_other_version_is_rejected() {
    let dir = scratch_dir("version");
    let path = dir.join("store.json");
    let mut value = serde_json::to_value(Store::seeded()).unwrap();
    value["format_version"] = serde_json::json!(STORE_FORMAT_VERSION + 1);
    fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();

    let error = Store::load(&path).unwrap_err();

    assert!(
        matches!(error, StoreFileError::UnsupportedVersion { found, .. } if found == STORE_FORMAT_VERSION + 1),
        "{error:?}"
    );
}

#[test]
fn save_into_missing_directory_fails() {
    let dir = scratch_dir("no_dir");
    let path = dir.join("not").join("here.json");

    let error = Store::seeded().save(&path).unwrap_err();

    assert!(matches!(error, StoreFileError::Write { .. }), "{error:?}");
    assert!(error.to_string().contains("here.json"));
}

#[test]
fn seed_has_the_documented_shape() {
    let store = Store::seeded();

    assert_eq!(store.leads().count(), 20);
    assert_eq!(store.leads().filter(|lead| lead.email.is_none()).count(), 1);
    assert_eq!(store.sales_users().count(), 2);
    assert_eq!(store.workspaces().len(), 3);
    assert_eq!(store.programs().count(), 8);
    assert_eq!(
        store.programs().filter(|program| program.archived).count(),
        1
    );
    assert_eq!(store.static_lists().count(), 8);
    assert_eq!(store.campaigns().count(), 12);
    assert_eq!(store.opportunities().count(), 5);
    assert_eq!(store.opportunity_roles().count(), 5);
    assert_eq!(store.custom_object_types().len(), 3);
    assert_eq!(store.custom_objects().count(), 9);
    assert_eq!(store.import_jobs().len(), 1);
    assert!(store.activities().count() > 40);
}

#[test]
fn seed_activity_log_is_in_time_order() {
    let store = Store::seeded();

    let activities: Vec<_> = store.activities().collect();
    for pair in activities.windows(2) {
        assert!(pair[0].id < pair[1].id);
        assert!(
            pair[0].created_at <= pair[1].created_at,
            "{} before {}",
            pair[0].id,
            pair[1].id
        );
    }
    for lead in store.leads() {
        let last_activity = store
            .activities_of(lead.id)
            .last()
            .map(|a| a.created_at)
            .unwrap();
        assert_eq!(lead.updated_at, last_activity, "lead {}", lead.id);
    }
}

#[test]
fn seed_is_deterministic() {
    assert_eq!(
        serde_json::to_value(Store::seeded()).unwrap(),
        serde_json::to_value(Store::seeded()).unwrap()
    );
}
