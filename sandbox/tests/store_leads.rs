//! Lead operations of the store: getLead, syncLead, syncMultipleLeads, getMultipleLeads,
//! mergeLeads.

use chrono::{DateTime, Duration, TimeZone, Utc};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::seed::{ANONYMOUS_COOKIE, ANONYMOUS_LEAD_ID, FIRST_LEAD_ID, SHARED_EMAIL};
use mktows_sandbox::store::activity_types::{CHANGE_DATA_VALUE, MERGE_LEADS, NEW_LEAD};
use mktows_sandbox::store::leads::LeadMergeStatus;
use mktows_sandbox::store::{
    Attribute, ForeignSysType, GetMultipleLeadsRequest, LeadInput, LeadKey, LeadKeyType,
    LeadSelector, LeadSyncStatus, ListKey, ListOperationRequest, ListOperationType,
    SyncLeadRequest,
};
use mktows_sandbox::{FaultCode, Store};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn seeded() -> (Store, ManualClock) {
    let clock = ManualClock::new(start());
    (Store::seeded().with_clock(clock.shared()), clock)
}

fn sync(lead: LeadInput) -> SyncLeadRequest {
    SyncLeadRequest {
        lead,
        return_lead: true,
        ..SyncLeadRequest::default()
    }
}

#[test]
fn get_lead_by_id_returns_typed_attributes() {
    let (mut store, _clock) = seeded();

    let leads = store.get_lead(&LeadKey::id(FIRST_LEAD_ID)).unwrap();

    assert_eq!(leads.len(), 1);
    let lead = &leads[0];
    assert_eq!(lead.email.as_deref(), Some("ada.quill@lumenfield.example"));
    let score = lead
        .attributes
        .iter()
        .find(|a| a.name == "LeadScore")
        .unwrap();
    assert_eq!(score.attr_type.as_deref(), Some("score"));
    assert_eq!(score.value, "48");
    assert_eq!(
        lead.attribute("LeadOwnerEmail"),
        Some("marta.kowalski@sandbox-sales.example")
    );
    let names: Vec<&str> = lead.attributes.iter().map(|a| a.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "attributes are sorted by name");
    assert!(
        !names.contains(&"Email"),
        "Email is a record element, not an attribute"
    );
}

#[test]
fn get_lead_by_shared_email_returns_both() {
    let (mut store, _clock) = seeded();

    let leads = store
        .get_lead(&LeadKey::email(SHARED_EMAIL.to_uppercase()))
        .unwrap();

    let ids: Vec<i32> = leads.iter().map(|lead| lead.id).collect();
    assert_eq!(ids, vec![1011, 1012]);
}

#[test]
fn get_lead_by_each_key_type() {
    let (mut store, _clock) = seeded();
    let cases = [
        (
            LeadKeyType::Cookie,
            ANONYMOUS_COOKIE,
            vec![ANONYMOUS_LEAD_ID],
        ),
        (LeadKeyType::SfdcLeadId, "00QSBX000000004", vec![1004]),
        (LeadKeyType::SfdcContactId, "003SBX000000002", vec![1002]),
        (
            LeadKeyType::SfdcAccountId,
            "001SBX000000001",
            vec![1001, 1010],
        ),
        (LeadKeyType::SfdcOpptyId, "006SBX000000001", vec![1001]),
        (
            LeadKeyType::LeadOwnerEmail,
            "owen.price@sandbox-sales.example",
            vec![1002, 1005, 1012],
        ),
        (
            LeadKeyType::SfdcLeadOwnerId,
            "005SBX000000001",
            vec![1001, 1004, 1007, 1010],
        ),
    ];

    for (key_type, value, expected) in cases {
        let ids: Vec<i32> = store
            .get_lead(&LeadKey::new(key_type, value))
            .unwrap()
            .iter()
            .map(|lead| lead.id)
            .collect();
        assert_eq!(ids, expected, "{key_type:?}");
    }
}

#[test]
fn get_lead_faults_name_the_key() {
    let (mut store, _clock) = seeded();
    let cases = [
        (
            LeadKey::email("nobody@nowhere.example"),
            FaultCode::LeadNotFound,
        ),
        (LeadKey::id(999_999), FaultCode::LeadNotFound),
        (
            LeadKey::new(LeadKeyType::Idnum, "forty"),
            FaultCode::BadParameter,
        ),
        (
            LeadKey::new(LeadKeyType::Email, "  "),
            FaultCode::LeadKeyRequired,
        ),
        (
            LeadKey::new(LeadKeyType::LeadOwnerEmail, "ghost@sandbox-sales.example"),
            FaultCode::LeadOwnerNotFound,
        ),
    ];

    for (key, expected) in cases {
        let error = store.get_lead(&key).unwrap_err();
        assert_eq!(error.code, expected, "{key:?}");
    }
}

#[test]
fn lead_key_type_parse_rejects_unknown() {
    assert_eq!(
        LeadKeyType::parse("sfdcleadid").unwrap(),
        LeadKeyType::SfdcLeadId
    );
    assert_eq!(
        LeadKeyType::parse("PHONE").unwrap_err().code,
        FaultCode::BadLeadKey
    );
}

#[test]
fn sync_lead_creates_new_lead_with_activity() {
    let (mut store, _clock) = seeded();
    let highest_seed_id = store.leads().map(|lead| lead.id).max().unwrap();
    let input = LeadInput::with_email("lena.ostrova@pinecrest.example")
        .attribute("FirstName", "Lena")
        .attribute("SeatCount", "12");

    let result = store.sync_lead(&sync(input)).unwrap();

    assert_eq!(result.sync_status.status, LeadSyncStatus::Created);
    assert_eq!(
        result.lead_id,
        highest_seed_id + 1,
        "ids continue after the seed"
    );
    let record = result.lead.unwrap();
    assert_eq!(record.attribute("SeatCount"), Some("12"));
    let activities = store.activities_of(result.lead_id);
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].activity_type, NEW_LEAD);
    assert_eq!(activities[0].created_at, start());
}

#[test]
fn sync_lead_updates_by_email_and_logs_changes() {
    let (mut store, clock) = seeded();
    clock.advance(Duration::minutes(5));
    let input = LeadInput::with_email("chiara.bellini@orchardlane.example")
        .attribute("Title", "Head of Quality")
        .attribute("City", "Bologna");

    let result = store
        .sync_lead(&SyncLeadRequest {
            lead: input,
            ..SyncLeadRequest::default()
        })
        .unwrap();

    assert_eq!(
        (result.lead_id, result.sync_status.status),
        (1003, LeadSyncStatus::Updated)
    );
    assert!(result.lead.is_none(), "returnLead was false");
    let changes: Vec<_> = store
        .activities_of(1003)
        .into_iter()
        .filter(|a| a.activity_type == CHANGE_DATA_VALUE)
        .collect();
    assert_eq!(
        changes.len(),
        1,
        "City did not change, so only Title is logged"
    );
    assert_eq!(changes[0].primary_attribute.as_deref(), Some("Job Title"));
    let old = changes[0]
        .attributes
        .iter()
        .find(|a| a.name == "Old Value")
        .unwrap();
    assert_eq!(old.value, "Quality Lead");
    assert_eq!(
        store.lead(1003).unwrap().updated_at,
        start() + Duration::minutes(5)
    );
}

#[test]
fn sync_lead_by_shared_email_updates_newest() {
    let (mut store, _clock) = seeded();

    let result = store
        .sync_lead(&sync(
            LeadInput::with_email(SHARED_EMAIL).attribute("LeadScore", "30"),
        ))
        .unwrap();

    assert_eq!(result.lead_id, 1012);
    assert_eq!(
        store.lead(1011).unwrap().attributes["LeadScore"].to_string(),
        "12"
    );
}

#[test]
fn sync_lead_id_wins_and_updates_email() {
    let (mut store, _clock) = seeded();
    let input = LeadInput {
        id: Some(1006),
        email: Some("farah@cedarline.example".into()),
        ..LeadInput::default()
    };

    let result = store.sync_lead(&sync(input)).unwrap();

    assert_eq!(result.lead_id, 1006);
    assert_eq!(
        store.lead(1006).unwrap().email.as_deref(),
        Some("farah@cedarline.example")
    );
}

#[test]
fn sync_lead_unknown_id_is_not_found() {
    let (mut store, _clock) = seeded();
    let input = LeadInput {
        id: Some(4242),
        ..LeadInput::default()
    };

    assert_eq!(
        store.sync_lead(&sync(input)).unwrap_err().code,
        FaultCode::LeadNotFound
    );
}

#[test]
fn sync_lead_foreign_id_takes_precedence_over_email() {
    let (mut store, _clock) = seeded();
    let input = LeadInput {
        email: Some("gus@fjordsensors.example".into()),
        foreign_sys_person_id: Some("ERP-7781".into()),
        foreign_sys_type: Some(ForeignSysType::Custom),
        ..LeadInput::default()
    };

    let result = store.sync_lead(&sync(input)).unwrap();

    assert_eq!(result.lead_id, 1007);
    assert_eq!(
        store.lead(1007).unwrap().email.as_deref(),
        Some("gus@fjordsensors.example")
    );
}

#[test]
fn sync_lead_cookie_makes_anonymous_lead_known() {
    let (mut store, _clock) = seeded();
    let request = SyncLeadRequest {
        lead: LeadInput::with_email("new.visitor@cedarline.example").attribute("FirstName", "Rami"),
        marketo_cookie: Some(ANONYMOUS_COOKIE.into()),
        ..SyncLeadRequest::default()
    };

    let result = store.sync_lead(&request).unwrap();

    assert_eq!(
        (result.lead_id, result.sync_status.status),
        (ANONYMOUS_LEAD_ID, LeadSyncStatus::Updated)
    );
    assert_eq!(
        store.lead(ANONYMOUS_LEAD_ID).unwrap().email.as_deref(),
        Some("new.visitor@cedarline.example")
    );
}

#[test]
fn sync_lead_validation_faults() {
    let (mut store, _clock) = seeded();
    let cases = [
        (
            LeadInput::default().attribute("FirstName", "Nobody"),
            FaultCode::LeadKeyRequired,
        ),
        (
            LeadInput {
                foreign_sys_person_id: Some("X-1".into()),
                ..LeadInput::default()
            },
            FaultCode::ParameterRequired,
        ),
        (
            LeadInput::with_email("a@b.example").attribute("ShoeSize", "44"),
            FaultCode::BadLeadAttribute,
        ),
        (
            LeadInput::with_email("a@b.example").attribute("SFDCLeadId", "00Q1"),
            FaultCode::BadLeadAttribute,
        ),
        (
            LeadInput::with_email("a@b.example").attribute("NumberOfEmployees", "many"),
            FaultCode::LeadSyncFailed,
        ),
        (
            LeadInput::with_email("a@b.example").attribute("LeadOwnerEmail", "ghost@x.example"),
            FaultCode::LeadOwnerNotFound,
        ),
        (
            LeadInput::with_email("no-at-sign.example"),
            FaultCode::LeadSyncFailed,
        ),
        (
            LeadInput::with_email("a@b.example").attribute("Email", "not an email"),
            FaultCode::LeadSyncFailed,
        ),
    ];
    let leads_before = store.leads().count();

    for (input, expected) in cases {
        let error = store.sync_lead(&sync(input.clone())).unwrap_err();
        assert_eq!(error.code, expected, "{input:?}");
    }
    assert_eq!(
        store.leads().count(),
        leads_before,
        "failed syncs create nothing"
    );
}

#[test]
fn sync_lead_rejects_unknown_workspace() {
    let (mut store, _clock) = seeded();
    let request = SyncLeadRequest {
        target_workspace: Some("Antarctica".into()),
        ..sync(LeadInput::with_email("a@b.example"))
    };

    assert_eq!(
        store.sync_lead(&request).unwrap_err().code,
        FaultCode::BadParameter
    );
    let default = SyncLeadRequest {
        target_workspace: Some("default".into()),
        ..sync(LeadInput::with_email("a@b.example"))
    };
    assert!(store.sync_lead(&default).is_ok());
}

#[test]
fn sync_lead_accepts_named_workspace() {
    let (mut store, _clock) = seeded();
    let names: Vec<&str> = store.workspaces().iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["Default", "North America", "EMEA"]);
    let request = SyncLeadRequest {
        target_workspace: Some("north america".into()),
        ..sync(LeadInput::with_email("hollis.rowe@example.org"))
    };

    let result = store.sync_lead(&request).unwrap();

    assert_eq!(result.sync_status.status, LeadSyncStatus::Created);
}

#[test]
fn sync_lead_sets_owner_by_email() {
    let (mut store, _clock) = seeded();

    let result = store
        .sync_lead(&sync(
            LeadInput::with_email("hana.sato@kumoya.example")
                .attribute("LeadOwnerEmail", "OWEN.PRICE@sandbox-sales.example"),
        ))
        .unwrap();

    assert_eq!(
        result.lead.unwrap().attribute("SFDCLeadOwnerId"),
        Some("005SBX000000002")
    );
}

#[test]
fn sync_multiple_reports_each_record() {
    let (mut store, _clock) = seeded();
    let records = vec![
        LeadInput::with_email("tomas.weber@alpenglow.example").attribute("Company", "Alpenglow"),
        LeadInput::with_email("ada.quill@lumenfield.example").attribute("Phone", "+1 503 555 0199"),
        LeadInput::with_email("broken@x.example").attribute("NoSuchField", "1"),
    ];

    let statuses = store.sync_multiple_leads(&records, None).unwrap();

    assert_eq!(statuses[0].status, LeadSyncStatus::Created);
    assert_eq!(
        (statuses[1].lead_id, statuses[1].status),
        (FIRST_LEAD_ID, LeadSyncStatus::Updated)
    );
    assert_eq!(statuses[2].status, LeadSyncStatus::Failed);
    assert_eq!(statuses[2].lead_id, 0);
    assert!(
        statuses[2].error.as_deref().unwrap().contains("20105"),
        "{:?}",
        statuses[2].error
    );
}

#[test]
fn sync_multiple_without_dedup_duplicates() {
    let (mut store, _clock) = seeded();
    let records =
        vec![LeadInput::with_email("ada.quill@lumenfield.example").attribute("FirstName", "Ada")];

    let statuses = store.sync_multiple_leads(&records, Some(false)).unwrap();

    assert_eq!(statuses[0].status, LeadSyncStatus::Created);
    assert_eq!(
        store
            .find_leads(&LeadKey::email("ada.quill@lumenfield.example"))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn sync_multiple_email_key_is_not_written() {
    let (mut store, _clock) = seeded();
    let records = vec![LeadInput {
        id: Some(1003),
        email: Some("other@orchardlane.example".into()),
        ..LeadInput::default()
    }];

    store.sync_multiple_leads(&records, None).unwrap();
    assert_eq!(
        store.lead(1003).unwrap().email.as_deref(),
        Some("chiara.bellini@orchardlane.example")
    );

    let with_attribute = vec![LeadInput {
        id: Some(1003),
        ..LeadInput::default()
    }
    .attribute("Email", "other@orchardlane.example")];
    store.sync_multiple_leads(&with_attribute, None).unwrap();
    assert_eq!(
        store.lead(1003).unwrap().email.as_deref(),
        Some("other@orchardlane.example")
    );
}

#[test]
fn sync_multiple_empty_is_detail_required() {
    let (mut store, _clock) = seeded();

    assert_eq!(
        store.sync_multiple_leads(&[], None).unwrap_err().code,
        FaultCode::LeadDetailRequired
    );
}

#[test]
fn get_multiple_by_keys() {
    let (mut store, _clock) = seeded();
    let request = GetMultipleLeadsRequest {
        selector: Some(LeadSelector::LeadKeys {
            key_type: LeadKeyType::Email,
            values: vec![
                "jun.park@lumenfield.example".into(),
                "nobody@x.example".into(),
                "ada.quill@lumenfield.example".into(),
            ],
        }),
        include_attributes: Some(vec!["firstname".into(), "Company".into()]),
        ..GetMultipleLeadsRequest::default()
    };

    let page = store.get_multiple_leads(&request).unwrap();

    assert_eq!(
        page.leads.iter().map(|lead| lead.id).collect::<Vec<_>>(),
        vec![1001, 1010]
    );
    assert_eq!(page.remaining_count, 0);
    assert_eq!(page.new_stream_position, "");
    let names: Vec<&str> = page.leads[0]
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, vec!["Company", "FirstName"]);
}

#[test]
fn get_multiple_uses_first_hundred_keys() {
    let (mut store, _clock) = seeded();
    let mut values: Vec<String> = (0..100).map(|n| format!("{}", 500_000 + n)).collect();
    values.push(FIRST_LEAD_ID.to_string());
    let request = GetMultipleLeadsRequest {
        selector: Some(LeadSelector::LeadKeys {
            key_type: LeadKeyType::Idnum,
            values,
        }),
        ..GetMultipleLeadsRequest::default()
    };

    let page = store.get_multiple_leads(&request).unwrap();

    assert_eq!(page.return_count, 0, "key 101 is ignored");
}

#[test]
fn get_multiple_pages_through_static_list() {
    let (mut store, _clock) = seeded();
    let mut request = GetMultipleLeadsRequest {
        selector: Some(LeadSelector::StaticList {
            name: Some("Quarterly Newsletter.Subscribers".into()),
            id: None,
        }),
        batch_size: Some(2),
        ..GetMultipleLeadsRequest::default()
    };

    let mut seen = Vec::new();
    let mut remaining_counts = Vec::new();
    loop {
        let page = store.get_multiple_leads(&request).unwrap();
        seen.extend(page.leads.iter().map(|lead| lead.id));
        remaining_counts.push(page.remaining_count);
        if page.remaining_count == 0 {
            assert_eq!(page.new_stream_position, "");
            break;
        }
        request.stream_position = Some(page.new_stream_position);
    }

    assert_eq!(seen, vec![1003, 1005, 1006, 1008, 1009]);
    assert_eq!(remaining_counts, vec![3, 1, 0]);
}

#[test]
fn get_multiple_stream_position_faults() {
    let (mut store, _clock) = seeded();
    let list = |name: &str| {
        Some(LeadSelector::StaticList {
            name: Some(name.into()),
            id: None,
        })
    };
    let first = store
        .get_multiple_leads(&GetMultipleLeadsRequest {
            selector: list("Subscribers"),
            batch_size: Some(4),
            ..GetMultipleLeadsRequest::default()
        })
        .unwrap();

    let other_query = GetMultipleLeadsRequest {
        selector: list("Invited"),
        stream_position: Some(first.new_stream_position.clone()),
        ..GetMultipleLeadsRequest::default()
    };
    assert_eq!(
        store.get_multiple_leads(&other_query).unwrap_err().code,
        FaultCode::BadStreamPosition
    );

    let garbage = GetMultipleLeadsRequest {
        selector: list("Subscribers"),
        stream_position: Some("not-a-position".into()),
        ..GetMultipleLeadsRequest::default()
    };
    assert_eq!(
        store.get_multiple_leads(&garbage).unwrap_err().code,
        FaultCode::BadStreamPosition
    );

    store
        .list_operation(&ListOperationRequest {
            operation: ListOperationType::RemoveFromList,
            list_key: ListKey::name("Subscribers"),
            members: vec![LeadKey::id(1009)],
            strict: None,
            skip_activity_log: None,
        })
        .unwrap();
    let at_end = GetMultipleLeadsRequest {
        selector: list("Subscribers"),
        stream_position: Some(first.new_stream_position),
        ..GetMultipleLeadsRequest::default()
    };
    assert_eq!(
        store.get_multiple_leads(&at_end).unwrap_err().code,
        FaultCode::StreamAtEnd
    );
}

#[test]
fn get_multiple_by_update_window() {
    let (mut store, clock) = seeded();
    clock.advance(Duration::hours(1));
    store
        .sync_lead(&sync(
            LeadInput::with_email("esi.mensah@baobabcloud.example").attribute("City", "Tema"),
        ))
        .unwrap();
    let window = LeadSelector::LastUpdateAt {
        oldest: start(),
        latest: Some(start() + Duration::days(1)),
    };

    let page = store
        .get_multiple_leads(&GetMultipleLeadsRequest {
            selector: Some(window),
            ..GetMultipleLeadsRequest::default()
        })
        .unwrap();

    assert_eq!(
        page.leads.iter().map(|lead| lead.id).collect::<Vec<_>>(),
        vec![1005]
    );
}

#[test]
fn get_multiple_window_over_thirty_days_is_rejected() {
    let (mut store, _clock) = seeded();
    let selector = LeadSelector::LastUpdateAt {
        oldest: start() - Duration::days(31),
        latest: Some(start()),
    };

    let error = store
        .get_multiple_leads(&GetMultipleLeadsRequest {
            selector: Some(selector),
            ..GetMultipleLeadsRequest::default()
        })
        .unwrap_err();

    assert_eq!(error.code, FaultCode::TimeRangeLimitExceeded);
    let exactly_thirty = LeadSelector::LastUpdateAt {
        oldest: start() - Duration::days(30),
        latest: Some(start()),
    };
    assert!(store
        .get_multiple_leads(&GetMultipleLeadsRequest {
            selector: Some(exactly_thirty),
            ..GetMultipleLeadsRequest::default()
        })
        .is_ok());
}

#[test]
fn get_multiple_deprecated_last_updated_at_works() {
    let (mut store, _clock) = seeded();
    let request = GetMultipleLeadsRequest {
        last_updated_at: Some(Utc.with_ymd_and_hms(2024, 3, 17, 0, 0, 0).unwrap()),
        ..GetMultipleLeadsRequest::default()
    };

    let page = store.get_multiple_leads(&request).unwrap();

    assert!(
        page.leads.iter().any(|lead| lead.id == 1002),
        "1002 changed score on March 17"
    );
    assert!(page
        .leads
        .iter()
        .all(|lead| store.lead(lead.id).unwrap().updated_at
            >= Utc.with_ymd_and_hms(2024, 3, 17, 0, 0, 0).unwrap()));
}

#[test]
fn get_multiple_faults() {
    let (mut store, _clock) = seeded();
    let cases = [
        (
            GetMultipleLeadsRequest::default(),
            FaultCode::ParameterRequired,
        ),
        (
            GetMultipleLeadsRequest {
                selector: Some(LeadSelector::StaticList {
                    name: Some("No Such List".into()),
                    id: None,
                }),
                ..GetMultipleLeadsRequest::default()
            },
            FaultCode::ListNotFound,
        ),
        (
            GetMultipleLeadsRequest {
                selector: Some(LeadSelector::StaticList {
                    name: None,
                    id: Some(77),
                }),
                ..GetMultipleLeadsRequest::default()
            },
            FaultCode::ListNotFound,
        ),
        (
            GetMultipleLeadsRequest {
                selector: Some(LeadSelector::StaticList {
                    name: Some("Invited".into()),
                    id: None,
                }),
                include_attributes: Some(vec!["Favourite Colour".into()]),
                ..GetMultipleLeadsRequest::default()
            },
            FaultCode::BadLeadAttribute,
        ),
        (
            GetMultipleLeadsRequest {
                selector: Some(LeadSelector::StaticList {
                    name: Some("Invited".into()),
                    id: None,
                }),
                batch_size: Some(0),
                ..GetMultipleLeadsRequest::default()
            },
            FaultCode::BadParameter,
        ),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.get_multiple_leads(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
}

#[test]
fn merge_moves_everything_to_winner() {
    let (mut store, _clock) = seeded();
    let winner = vec![Attribute::new("IDNUM", "1012")];
    let losers = vec![
        vec![Attribute::new("IDNUM", "1011")],
        vec![Attribute::new("EMAIL", "esi.mensah@baobabcloud.example")],
    ];
    let loser_activities = store.activities_of(1011).len() + store.activities_of(1005).len();
    let winner_activities = store.activities_of(1012).len();

    let status = store.merge_leads(&winner, &losers).unwrap();

    assert_eq!(status.status, LeadMergeStatus::Merged);
    assert_eq!(
        (status.winning_lead_id, status.losing_lead_ids.clone()),
        (1012, vec![1011, 1005])
    );
    assert!(store.lead(1011).is_none());
    assert!(store.lead(1005).is_none());
    let activities = store.activities_of(1012);
    assert_eq!(activities.len(), winner_activities + loser_activities + 1);
    assert_eq!(activities.last().unwrap().activity_type, MERGE_LEADS);
    let winner_lead = store.lead(1012).unwrap();
    assert_eq!(
        winner_lead.attributes["Title"].to_string(),
        "Solutions Engineer",
        "winner keeps its values"
    );
    assert!(
        winner_lead.attributes.contains_key("TrialEndsAt"),
        "empty winner fields take loser values"
    );
    let subscribers = store.resolve_list_name("Subscribers").unwrap();
    assert!(store.list_members(subscribers).unwrap().contains(&1012));
    assert!(
        store.opportunity_roles().any(|role| role.person_id == 1012),
        "Esi's role moved"
    );
}

#[test]
fn merge_faults() {
    let (mut store, _clock) = seeded();
    let leads_before = store.leads().count();
    let id = |value: &str| vec![Attribute::new("IDNUM", value)];
    let cases = [
        (id("1001"), vec![], FaultCode::ParameterRequired),
        (id("1001"), vec![id("1001")], FaultCode::BadParameter),
        (id("1001"), vec![id("99999")], FaultCode::LeadNotFound),
        (
            vec![Attribute::new("EMAIL", SHARED_EMAIL)],
            vec![id("1002")],
            FaultCode::BadParameter,
        ),
        (
            vec![Attribute::new("PHONE", "1")],
            vec![id("1002")],
            FaultCode::BadLeadKey,
        ),
    ];

    for (winner, losers, expected) in cases {
        assert_eq!(
            store.merge_leads(&winner, &losers).unwrap_err().code,
            expected,
            "{winner:?} {losers:?}"
        );
    }
    assert_eq!(
        store.leads().count(),
        leads_before,
        "failed merges delete nothing"
    );
}
