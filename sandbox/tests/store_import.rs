//! importToList and getImportToListStatus: job progression on an injected clock, CSV
//! header mapping by display names, modes, clearList and row outcomes.

use chrono::{DateTime, Duration, TimeZone, Utc};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::seed::ROADSHOW_PROGRAM_ID;
use mktows_sandbox::store::activity_types::{ADD_TO_LIST, NEW_LEAD};
use mktows_sandbox::store::{ImportMode, ImportStatus, ImportToListRequest, LeadKey};
use mktows_sandbox::{FaultCode, Store};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn seeded() -> (Store, ManualClock) {
    let clock = ManualClock::new(start());
    (Store::seeded().with_clock(clock.shared()), clock)
}

fn import(header: &str, rows: &[&str], mode: ImportMode) -> ImportToListRequest {
    ImportToListRequest {
        program_name: "Spring Roadshow 2024".into(),
        list_name: "Attended".into(),
        import_file_header: header.into(),
        import_file_rows: rows.iter().map(|row| row.to_string()).collect(),
        import_list_mode: mode,
        clear_list: false,
        campaign_name: None,
    }
}

fn attended(store: &Store) -> Vec<i32> {
    let list = store
        .resolve_list_name("Spring Roadshow 2024.Attended")
        .unwrap();
    store.list_members(list).unwrap()
}

#[test]
fn import_is_processing_until_due_then_complete() {
    let (mut store, clock) = seeded();
    let rows = [
        "Marit,Solberg,marit.solberg@northcape.example,North Cape Marine",
        "\"Ortiz, Jr.\",Luis,luis.ortiz@mesa.example,Mesa Labs",
    ];

    let status = store
        .import_to_list(&import(
            "Last Name,First Name,Email Address,Company Name",
            &rows,
            ImportMode::UpsertLeads,
        ))
        .unwrap();
    assert_eq!(status, ImportStatus::Processing);

    clock.advance(Duration::milliseconds(500));
    let processing = store
        .get_import_to_list_status("Spring Roadshow 2024", "Attended")
        .unwrap();
    assert_eq!(processing.status, ImportStatus::Processing);
    assert_eq!(processing.started_time, Some(start()));
    assert_eq!(processing.estimated_time, Some(2), "1.5 s left, rounded up");
    assert_eq!(processing.estimated_rows, Some(2));
    assert_eq!(processing.rows_imported, Some(0));
    assert!(
        store
            .find_leads(&LeadKey::email("marit.solberg@northcape.example"))
            .unwrap()
            .is_empty(),
        "nothing applied yet"
    );

    clock.advance(Duration::seconds(2));
    let done = store
        .get_import_to_list_status("spring roadshow 2024", "attended")
        .unwrap();
    assert_eq!(done.status, ImportStatus::Complete);
    assert_eq!(
        done.ended_time,
        Some(start() + Duration::seconds(2)),
        "the job ends at its due time"
    );
    assert_eq!(
        (done.rows_imported, done.rows_failed, done.rows_ignored),
        (Some(2), Some(0), Some(0))
    );
    assert!(done
        .import_summary
        .unwrap()
        .starts_with("Imported 2 of 2 rows"));

    let luis = store
        .find_lead(&LeadKey::email("luis.ortiz@mesa.example"))
        .unwrap();
    assert_eq!(
        store.lead(luis).unwrap().attributes["LastName"].to_string(),
        "Ortiz, Jr."
    );
    assert!(attended(&store).contains(&luis));
    let types: Vec<String> = store
        .activities_of(luis)
        .iter()
        .map(|a| a.activity_type.clone())
        .collect();
    assert_eq!(types, vec![NEW_LEAD.to_string(), ADD_TO_LIST.to_string()]);
}

#[test]
fn finish_imports_runs_jobs_without_waiting() {
    let (mut store, _clock) = seeded();
    store
        .import_to_list(&import(
            "Email Address,Job Title",
            &["chiara.bellini@orchardlane.example,Quality Director"],
            ImportMode::UpsertLeads,
        ))
        .unwrap();

    assert_eq!(store.finish_imports(), 1);

    assert_eq!(
        store.lead(1003).unwrap().attributes["Title"].to_string(),
        "Quality Director"
    );
    assert!(attended(&store).contains(&1003));
    assert_eq!(store.finish_imports(), 0, "nothing left to run");
}

#[test]
fn list_only_ignores_unknown_leads() {
    let (mut store, _clock) = seeded();
    let rows = [
        "hana.sato@kumoya.example,Renamed",
        "stranger@nowhere.example,Nobody",
        "",
    ];
    store
        .import_to_list(&import(
            "Email Address,First Name",
            &rows,
            ImportMode::ListOnly,
        ))
        .unwrap();

    store.finish_imports();

    let status = store
        .get_import_to_list_status("Spring Roadshow 2024", "Attended")
        .unwrap();
    assert_eq!(
        (
            status.rows_imported,
            status.rows_failed,
            status.rows_ignored
        ),
        (Some(1), Some(0), Some(2))
    );
    assert!(attended(&store).contains(&1008));
    assert_eq!(
        store.lead(1008).unwrap().attributes["FirstName"].to_string(),
        "Hana",
        "LISTONLY changes no fields"
    );
    assert!(store
        .find_leads(&LeadKey::email("stranger@nowhere.example"))
        .unwrap()
        .is_empty());
}

#[test]
fn clear_list_replaces_members() {
    let (mut store, _clock) = seeded();
    let request = mktows_sandbox::store::ImportToListRequest {
        clear_list: true,
        ..import(
            "Email Address",
            &["jun.park@lumenfield.example"],
            ImportMode::ListOnly,
        )
    };
    assert_eq!(attended(&store), vec![1001, 1004, 1010]);

    store.import_to_list(&request).unwrap();
    store.finish_imports();

    assert_eq!(attended(&store), vec![1010]);
}

#[test]
fn bad_rows_fail_and_good_rows_import() {
    let (mut store, _clock) = seeded();
    let rows = [
        "kai.nakoa@reefline.example,12",
        "missing.count@reefline.example",
        ",5",
        "lots@reefline.example,many",
        "\"unclosed@reefline.example,3",
    ];
    store
        .import_to_list(&import(
            "Email Address,Num Employees",
            &rows,
            ImportMode::UpsertLeads,
        ))
        .unwrap();

    store.finish_imports();

    let status = store
        .get_import_to_list_status("Spring Roadshow 2024", "Attended")
        .unwrap();
    assert_eq!(status.status, ImportStatus::Complete);
    assert_eq!(
        (status.rows_imported, status.rows_failed),
        (Some(1), Some(4))
    );
    let summary = status.import_summary.unwrap();
    assert!(
        summary.contains("row 2: 1 values for 2 columns"),
        "{summary}"
    );
    assert!(
        summary.contains("row 3: the Email Address is empty"),
        "{summary}"
    );
    assert!(summary.contains("row 4:"), "{summary}");
    assert!(summary.contains("'many'"), "{summary}");
    assert!(summary.contains("row 5:"), "{summary}");
}

#[test]
fn unusable_header_fails_the_job() {
    let (mut store, _clock) = seeded();
    let cases = [
        ("Email Address,FirstName", "API name"),
        ("Email Address,Shoe Size", "not the display name"),
        ("First Name,Last Name", "no 'Email Address' column"),
        ("Email Address,SFDC Lead ID", "read-only"),
        ("Email Address,First Name,first name", "more than once"),
    ];

    for (header, expected) in cases {
        store
            .import_to_list(&import(
                header,
                &["someone@x.example,a,b"],
                ImportMode::UpsertLeads,
            ))
            .unwrap();
        store.finish_imports();
        let status = store
            .get_import_to_list_status("Spring Roadshow 2024", "Attended")
            .unwrap();
        assert_eq!(status.status, ImportStatus::Failed, "{header}");
        assert_eq!(status.rows_failed, Some(1));
        let summary = status.import_summary.unwrap();
        assert!(summary.contains(expected), "{header}: {summary}");
    }
    assert_eq!(
        attended(&store),
        vec![1001, 1004, 1010],
        "failed imports change no list"
    );
}

#[test]
fn token_columns_are_kept_for_the_campaign() {
    let (mut store, _clock) = seeded();
    let request = ImportToListRequest {
        campaign_name: Some("Thank Attendees".into()),
        ..import(
            "Email Address,{{my.Booth}}",
            &["ada.quill@lumenfield.example,B14"],
            ImportMode::ListOnly,
        )
    };

    store.import_to_list(&request).unwrap();
    store.finish_imports();

    let job = store.import_jobs().last().unwrap();
    assert_eq!(job.campaign_id, Some(2));
    assert_eq!(job.tokens.len(), 1);
    assert_eq!(job.tokens[0].lead_id, 1001);
    assert_eq!(job.tokens[0].tokens[0].value, "B14");
}

#[test]
fn import_parameter_faults() {
    let (mut store, _clock) = seeded();
    let jobs_before = store.import_jobs().len();
    let tokens_without_campaign = import(
        "Email Address,{{my.Booth}}",
        &["a@b.example,B1"],
        ImportMode::ListOnly,
    );
    let unknown_campaign = ImportToListRequest {
        campaign_name: Some("Nope".into()),
        ..import("Email Address", &["a@b.example"], ImportMode::ListOnly)
    };
    let unknown_program = ImportToListRequest {
        program_name: "Nope".into(),
        ..import("Email Address", &["a@b.example"], ImportMode::ListOnly)
    };
    let list_of_other_program = ImportToListRequest {
        list_name: "Subscribers".into(),
        ..import("Email Address", &["a@b.example"], ImportMode::ListOnly)
    };
    let cases = [
        (
            import("Email Address", &[], ImportMode::ListOnly),
            FaultCode::ParameterRequired,
        ),
        (
            import(" ", &["a@b.example"], ImportMode::ListOnly),
            FaultCode::ParameterRequired,
        ),
        (tokens_without_campaign, FaultCode::ParameterRequired),
        (unknown_campaign, FaultCode::CampaignNotFound),
        (unknown_program, FaultCode::ListNotFound),
        (list_of_other_program, FaultCode::ListNotFound),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.import_to_list(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
    assert_eq!(
        store.import_jobs().len(),
        jobs_before,
        "rejected imports queue no job"
    );
}

#[test]
fn status_without_import_is_bad_parameter() {
    let (mut store, _clock) = seeded();

    assert_eq!(
        store
            .get_import_to_list_status("Spring Roadshow 2024", "Invited")
            .unwrap_err()
            .code,
        FaultCode::BadParameter
    );
    assert_eq!(
        store
            .get_import_to_list_status("Spring Roadshow 2024", "Nope")
            .unwrap_err()
            .code,
        FaultCode::ListNotFound
    );
}

#[test]
fn queued_jobs_run_in_order() {
    let (mut store, clock) = seeded();
    store
        .import_to_list(&import(
            "Email Address,Job Title",
            &["jun.park@lumenfield.example,First"],
            ImportMode::UpsertLeads,
        ))
        .unwrap();
    clock.advance(Duration::seconds(1));
    store
        .import_to_list(&import(
            "Email Address,Job Title",
            &["jun.park@lumenfield.example,Second"],
            ImportMode::UpsertLeads,
        ))
        .unwrap();

    clock.advance(Duration::seconds(5));
    let status = store
        .get_import_to_list_status("Spring Roadshow 2024", "Attended")
        .unwrap();

    assert_eq!(status.started_time, Some(start() + Duration::seconds(1)));
    assert_eq!(
        store.lead(1010).unwrap().attributes["Title"].to_string(),
        "Second"
    );
    assert!(store
        .import_jobs()
        .iter()
        .all(|job| job.status == ImportStatus::Complete));
    let program = store
        .programs()
        .find(|p| p.id == ROADSHOW_PROGRAM_ID)
        .unwrap();
    assert_eq!(program.name, "Spring Roadshow 2024");
}

#[test]
fn zero_processing_time_completes_on_next_operation() {
    let (mut store, _clock) = seeded();
    store.settings_mut().import_processing_millis = 0;

    store
        .import_to_list(&import(
            "Email Address",
            &["esi.mensah@baobabcloud.example"],
            ImportMode::ListOnly,
        ))
        .unwrap();
    let status = store
        .get_import_to_list_status("Spring Roadshow 2024", "Attended")
        .unwrap();

    assert_eq!(status.status, ImportStatus::Complete);
}

#[test]
fn import_row_with_invalid_email_fails() {
    let (mut store, _clock) = seeded();
    let rows = [
        "wren.adeyemi@saltmarsh.example,Wren",
        "wren.adeyemi.saltmarsh.example,Wren",
        "wren @saltmarsh.example,Wren",
    ];
    store
        .import_to_list(&import(
            "Email Address,First Name",
            &rows,
            ImportMode::UpsertLeads,
        ))
        .unwrap();

    store.finish_imports();

    let status = store
        .get_import_to_list_status("Spring Roadshow 2024", "Attended")
        .unwrap();
    assert_eq!(status.rows_imported, Some(1));
    assert_eq!(status.rows_failed, Some(2));
    let summary = status.import_summary.unwrap();
    assert!(summary.contains("row 2: Email Address"), "{summary}");
    assert!(summary.contains("not a valid email address"), "{summary}");
    assert!(store
        .find_leads(&LeadKey::email("wren.adeyemi.saltmarsh.example"))
        .unwrap()
        .is_empty());
}

#[test]
fn seed_has_finished_launch_import() {
    let (mut store, _clock) = seeded();

    let status = store
        .get_import_to_list_status("2026 Spring Product Launch", "Launch Invitees")
        .unwrap();

    assert_eq!(status.status, ImportStatus::Complete);
    assert_eq!(status.rows_imported, Some(2));
    assert_eq!(status.rows_failed, Some(1));
    let members = store
        .list_members(
            store
                .resolve_list_name("2026 Spring Product Launch.Launch Invitees")
                .unwrap(),
        )
        .unwrap();
    assert_eq!(members.len(), 2);
}
