//! Activity log operations of the store: getLeadActivity and getLeadChanges, with their
//! filters and stream positions.

use chrono::{DateTime, Duration, TimeZone, Utc};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::seed::FIRST_LEAD_ID;
use mktows_sandbox::store::activity_types::{
    ADD_TO_LIST, CHANGE_DATA_VALUE, NEW_LEAD, SEND_EMAIL, VISIT_WEBPAGE,
};
use mktows_sandbox::store::{
    ActivityFilter, LeadActivityRequest, LeadChangesRequest, LeadInput, LeadKey, LeadKeyType,
    LeadSelector, SyncLeadRequest,
};
use mktows_sandbox::stream::ActivityStreamPosition;
use mktows_sandbox::{FaultCode, Store};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn seeded() -> (Store, ManualClock) {
    let clock = ManualClock::new(start());
    (Store::seeded().with_clock(clock.shared()), clock)
}

fn activity_request(key: LeadKey) -> LeadActivityRequest {
    LeadActivityRequest {
        lead_key: key,
        filter: ActivityFilter::default(),
        start_position: None,
        batch_size: None,
    }
}

fn changes_since(oldest: DateTime<Utc>) -> LeadChangesRequest {
    LeadChangesRequest {
        start_position: ActivityStreamPosition {
            oldest_created_at: Some(oldest),
            ..Default::default()
        },
        ..LeadChangesRequest::default()
    }
}

fn seed_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap()
}

#[test]
fn lead_activity_is_newest_first() {
    let (mut store, _clock) = seeded();

    let page = store
        .get_lead_activity(&activity_request(LeadKey::id(FIRST_LEAD_ID)))
        .unwrap();

    assert!(page.return_count >= 5, "{page:?}");
    let ids: Vec<i32> = page.activities.iter().map(|a| a.id).collect();
    let mut descending = ids.clone();
    descending.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, descending);
    assert_eq!(page.activities.last().unwrap().activity_type, NEW_LEAD);
    let record = &page.activities[0];
    assert_eq!(record.mkt_person_id, "1001");
    assert_eq!(record.person_name.as_deref(), Some("Ada Quill"));
    assert_eq!(record.org_name.as_deref(), Some("Lumenfield Optics"));
    assert_eq!(
        record.foreign_sys_org_id.as_deref(),
        Some("001SBX000000001")
    );
    assert_eq!(page.new_start_position.latest_created_at, Some(start()));
}

#[test]
fn lead_activity_pages_with_offset() {
    let (mut store, clock) = seeded();
    let all = store
        .get_lead_activity(&activity_request(LeadKey::id(FIRST_LEAD_ID)))
        .unwrap();
    let mut request = LeadActivityRequest {
        batch_size: Some(2),
        ..activity_request(LeadKey::id(FIRST_LEAD_ID))
    };

    let first = store.get_lead_activity(&request).unwrap();
    assert_eq!(first.return_count, 2);
    assert_eq!(first.remaining_count, all.return_count - 2);
    assert_eq!(
        first.new_start_position.offset,
        Some(format!("ID:{}", first.activities[1].id))
    );

    clock.advance(Duration::minutes(1));
    store
        .sync_lead(&SyncLeadRequest {
            lead: LeadInput::with_email("ada.quill@lumenfield.example").attribute("City", "Salem"),
            ..SyncLeadRequest::default()
        })
        .unwrap();

    let mut collected: Vec<i32> = first.activities.iter().map(|a| a.id).collect();
    request.start_position = Some(first.new_start_position);
    loop {
        let page = store.get_lead_activity(&request).unwrap();
        collected.extend(page.activities.iter().map(|a| a.id));
        if page.remaining_count == 0 {
            break;
        }
        request.start_position = Some(page.new_start_position);
    }

    let expected: Vec<i32> = all.activities.iter().map(|a| a.id).collect();
    assert_eq!(
        collected, expected,
        "the pinned latestCreatedAt keeps the new change out of the pages"
    );
}

#[test]
fn lead_activity_filters_by_type() {
    let (mut store, _clock) = seeded();
    let include = LeadActivityRequest {
        filter: ActivityFilter {
            include_types: vec!["AddToList".into(), "Visit Webpage".into()],
            exclude_types: vec![],
        },
        ..activity_request(LeadKey::id(FIRST_LEAD_ID))
    };
    let exclude = LeadActivityRequest {
        filter: ActivityFilter {
            include_types: vec![],
            exclude_types: vec!["NewLead".into()],
        },
        ..activity_request(LeadKey::id(FIRST_LEAD_ID))
    };

    let included = store.get_lead_activity(&include).unwrap();
    let excluded = store.get_lead_activity(&exclude).unwrap();

    assert!(included
        .activities
        .iter()
        .all(|a| a.activity_type == ADD_TO_LIST || a.activity_type == VISIT_WEBPAGE));
    assert_eq!(
        included
            .activities
            .iter()
            .filter(|a| a.activity_type == ADD_TO_LIST)
            .count(),
        3
    );
    assert!(excluded
        .activities
        .iter()
        .all(|a| a.activity_type != NEW_LEAD));
    assert!(!excluded.activities.is_empty());
}

#[test]
fn lead_activity_faults() {
    let (mut store, _clock) = seeded();
    let both = LeadActivityRequest {
        filter: ActivityFilter {
            include_types: vec!["NewLead".into()],
            exclude_types: vec!["AddToList".into()],
        },
        ..activity_request(LeadKey::id(FIRST_LEAD_ID))
    };
    let unknown_type = LeadActivityRequest {
        filter: ActivityFilter {
            include_types: vec!["Teleport".into()],
            exclude_types: vec![],
        },
        ..activity_request(LeadKey::id(FIRST_LEAD_ID))
    };
    let bad_offset = LeadActivityRequest {
        start_position: Some(ActivityStreamPosition {
            offset: Some("page-2".into()),
            ..Default::default()
        }),
        ..activity_request(LeadKey::id(FIRST_LEAD_ID))
    };
    let cases = [
        (
            activity_request(LeadKey::email("ghost@x.example")),
            FaultCode::LeadNotFound,
        ),
        (both, FaultCode::BadParameter),
        (unknown_type, FaultCode::BadActivityKey),
        (bad_offset, FaultCode::BadStreamPosition),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.get_lead_activity(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
}

#[test]
fn lead_activity_batch_is_capped_at_100() {
    let (mut store, clock) = seeded();
    for index in 0..120 {
        clock.advance(Duration::seconds(1));
        let value = format!("+1 555 0100 {index:03}");
        store
            .sync_lead(&SyncLeadRequest {
                lead: LeadInput {
                    id: Some(1003),
                    ..LeadInput::default()
                }
                .attribute("Phone", value),
                ..SyncLeadRequest::default()
            })
            .unwrap();
    }

    let page = store
        .get_lead_activity(&LeadActivityRequest {
            batch_size: Some(500),
            ..activity_request(LeadKey::id(1003))
        })
        .unwrap();

    assert_eq!(page.return_count, 100);
    assert!(page.remaining_count > 0);
}

#[test]
fn lead_changes_are_oldest_first_across_leads() {
    let (mut store, _clock) = seeded();

    let page = store
        .get_lead_changes(&LeadChangesRequest {
            batch_size: Some(1000),
            ..changes_since(seed_start())
        })
        .unwrap();

    assert_eq!(page.return_count as usize, store.activities().count());
    let ids: Vec<i32> = page.changes.iter().map(|c| c.id).collect();
    let mut ascending = ids.clone();
    ascending.sort();
    assert_eq!(ids, ascending);
    let lead_ids: std::collections::BTreeSet<&str> = page
        .changes
        .iter()
        .map(|c| c.mkt_person_id.as_str())
        .collect();
    assert!(lead_ids.len() > 5, "changes of many leads");
}

#[test]
fn lead_changes_page_until_drained_then_poll_new() {
    let (mut store, clock) = seeded();
    let total = store.activities().count() as i32;
    let mut request = LeadChangesRequest {
        batch_size: Some(7),
        ..changes_since(seed_start())
    };

    let mut seen = 0;
    let mut last_position;
    loop {
        let page = store.get_lead_changes(&request).unwrap();
        seen += page.return_count;
        assert_eq!(page.remaining_count, total - seen);
        last_position = page.new_start_position.clone();
        request.start_position = page.new_start_position;
        if page.remaining_count == 0 {
            break;
        }
    }
    assert_eq!(seen, total);

    let empty = store.get_lead_changes(&request).unwrap();
    assert_eq!(
        empty.return_count, 0,
        "polling at the end returns nothing, not a fault"
    );
    assert_eq!(empty.new_start_position, last_position);

    clock.advance(Duration::minutes(3));
    store
        .sync_lead(&SyncLeadRequest {
            lead: LeadInput::with_email("farah.haddad@cedarline.example")
                .attribute("LeadScore", "19"),
            ..SyncLeadRequest::default()
        })
        .unwrap();
    let fresh = store.get_lead_changes(&request).unwrap();
    assert_eq!(fresh.return_count, 1);
    assert_eq!(fresh.changes[0].activity_type, CHANGE_DATA_VALUE);
    assert_eq!(
        fresh.changes[0].mktg_asset_name.as_deref(),
        Some("Lead Score")
    );
    assert_eq!(fresh.changes[0].mkt_person_id, "1006");
}

#[test]
fn lead_changes_name_filter_and_exclude() {
    let (mut store, _clock) = seeded();
    let named = LeadChangesRequest {
        activity_name_filter: Some(vec!["Change Data Value".into()]),
        batch_size: Some(1000),
        ..changes_since(seed_start())
    };
    let excluded = LeadChangesRequest {
        filter: ActivityFilter {
            include_types: vec![],
            exclude_types: vec!["NewLead".into(), "AddToList".into()],
        },
        batch_size: Some(1000),
        ..changes_since(seed_start())
    };

    let named_page = store.get_lead_changes(&named).unwrap();
    let excluded_page = store.get_lead_changes(&excluded).unwrap();

    let data_value_changes = store
        .activities()
        .filter(|activity| activity.activity_type == CHANGE_DATA_VALUE)
        .count();
    assert!(
        data_value_changes >= 4,
        "the seed logs several data value changes"
    );
    assert_eq!(named_page.return_count as usize, data_value_changes);
    assert!(named_page
        .changes
        .iter()
        .all(|c| c.activity_type == CHANGE_DATA_VALUE));
    assert!(excluded_page
        .changes
        .iter()
        .all(|c| c.activity_type != NEW_LEAD && c.activity_type != ADD_TO_LIST));
}

#[test]
fn lead_changes_name_filter_with_exclude_applies_both() {
    let (mut store, _clock) = seeded();
    let names = vec![
        "Change Data Value".to_string(),
        "New Lead".to_string(),
        "Send Email".to_string(),
    ];
    let request = LeadChangesRequest {
        activity_name_filter: Some(names),
        filter: ActivityFilter {
            include_types: vec![],
            exclude_types: vec!["SendEmail".into(), "EmailDelivered".into()],
        },
        batch_size: Some(1000),
        ..changes_since(seed_start())
    };

    let page = store.get_lead_changes(&request).unwrap();

    let expected = store
        .activities()
        .filter(|activity| {
            activity.activity_type == CHANGE_DATA_VALUE || activity.activity_type == NEW_LEAD
        })
        .count();
    assert!(store
        .activities()
        .any(|activity| activity.activity_type == SEND_EMAIL));
    assert_eq!(page.return_count as usize, expected);
    assert!(page
        .changes
        .iter()
        .all(|c| c.activity_type == CHANGE_DATA_VALUE || c.activity_type == NEW_LEAD));
}

#[test]
fn lead_changes_include_and_exclude_types_conflict() {
    let (mut store, _clock) = seeded();
    let request = LeadChangesRequest {
        filter: ActivityFilter {
            include_types: vec!["NewLead".into()],
            exclude_types: vec!["SendEmail".into()],
        },
        ..changes_since(seed_start())
    };

    let error = store.get_lead_changes(&request).unwrap_err();

    assert_eq!(error.code, FaultCode::BadParameter);
    assert!(error.message.contains("excludeTypes"), "{}", error.message);
}

#[test]
fn lead_changes_name_filter_joins_include_types() {
    let (mut store, _clock) = seeded();
    let request = LeadChangesRequest {
        filter: ActivityFilter {
            include_types: vec!["VisitWebpage".into()],
            exclude_types: vec![],
        },
        activity_name_filter: Some(vec!["Fill Out Form".into()]),
        batch_size: Some(1000),
        ..changes_since(seed_start())
    };

    let page = store.get_lead_changes(&request).unwrap();

    let types: std::collections::BTreeSet<&str> = page
        .changes
        .iter()
        .map(|c| c.activity_type.as_str())
        .collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        vec!["Fill Out Form", "Visit Webpage"]
    );
}

#[test]
fn lead_changes_date_bounds_apply() {
    let (mut store, _clock) = seeded();
    let lower = Utc.with_ymd_and_hms(2024, 3, 13, 9, 0, 0).unwrap();
    let upper = Utc.with_ymd_and_hms(2024, 3, 16, 23, 0, 0).unwrap();
    let request = LeadChangesRequest {
        start_position: ActivityStreamPosition {
            oldest_created_at: Some(lower),
            latest_created_at: Some(upper),
            ..Default::default()
        },
        batch_size: Some(1000),
        ..LeadChangesRequest::default()
    };

    let page = store.get_lead_changes(&request).unwrap();

    assert!(page.return_count > 0);
    assert!(page
        .changes
        .iter()
        .all(|c| c.activity_date_time >= lower && c.activity_date_time <= upper));
    let expected = store
        .activities()
        .filter(|a| a.created_at >= lower && a.created_at <= upper)
        .count();
    assert_eq!(page.return_count as usize, expected);
}

#[test]
fn lead_changes_by_key_selector_and_list() {
    let (mut store, _clock) = seeded();
    let by_keys = LeadChangesRequest {
        lead_selector: Some(LeadSelector::LeadKeys {
            key_type: LeadKeyType::Idnum,
            values: vec!["1004".into()],
        }),
        batch_size: Some(1000),
        ..changes_since(seed_start())
    };
    let by_list = LeadChangesRequest {
        lead_selector: Some(LeadSelector::StaticList {
            name: Some("Spring Roadshow 2024.Attended".into()),
            id: None,
        }),
        batch_size: Some(1000),
        ..changes_since(seed_start())
    };

    let key_page = store.get_lead_changes(&by_keys).unwrap();
    let list_page = store.get_lead_changes(&by_list).unwrap();

    assert_eq!(
        key_page.return_count as usize,
        store.activities_of(1004).len()
    );
    let list_leads: std::collections::BTreeSet<&str> = list_page
        .changes
        .iter()
        .map(|c| c.mkt_person_id.as_str())
        .collect();
    assert_eq!(
        list_leads.into_iter().collect::<Vec<_>>(),
        vec!["1001", "1004", "1010"]
    );
}

#[test]
fn lead_changes_last_update_selector_starts_stream() {
    let (mut store, _clock) = seeded();
    let oldest = Utc.with_ymd_and_hms(2024, 3, 16, 0, 0, 0).unwrap();
    let request = LeadChangesRequest {
        start_position: ActivityStreamPosition::default(),
        lead_selector: Some(LeadSelector::LastUpdateAt {
            oldest,
            latest: None,
        }),
        batch_size: Some(1000),
        ..LeadChangesRequest::default()
    };

    let page = store.get_lead_changes(&request).unwrap();

    assert!(page.return_count > 0);
    assert!(page.changes.iter().all(|c| c.activity_date_time >= oldest));
}

#[test]
fn lead_changes_faults() {
    let (mut store, _clock) = seeded();
    let too_many_keys = LeadChangesRequest {
        lead_selector: Some(LeadSelector::LeadKeys {
            key_type: LeadKeyType::Idnum,
            values: (0..101).map(|n| n.to_string()).collect(),
        }),
        ..changes_since(seed_start())
    };
    let unknown_name = LeadChangesRequest {
        activity_name_filter: Some(vec!["Dance".into()]),
        ..changes_since(seed_start())
    };
    let bad_offset = LeadChangesRequest {
        start_position: ActivityStreamPosition {
            offset: Some("ID:abc".into()),
            ..Default::default()
        },
        ..LeadChangesRequest::default()
    };
    let unknown_list = LeadChangesRequest {
        lead_selector: Some(LeadSelector::StaticList {
            name: Some("Nope".into()),
            id: None,
        }),
        ..changes_since(seed_start())
    };
    let cases = [
        (LeadChangesRequest::default(), FaultCode::ParameterRequired),
        (too_many_keys, FaultCode::BadParameter),
        (unknown_name, FaultCode::BadActivityKey),
        (bad_offset, FaultCode::BadStreamPosition),
        (unknown_list, FaultCode::ListNotFound),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.get_lead_changes(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
}

#[test]
fn lead_changes_batch_size_limits() {
    let (mut store, clock) = seeded();
    for index in 0..1100 {
        if index % 100 == 0 {
            clock.advance(Duration::seconds(1));
        }
        store
            .sync_lead(&SyncLeadRequest {
                lead: LeadInput {
                    id: Some(1009),
                    ..LeadInput::default()
                }
                .attribute("LeadScore", index.to_string()),
                ..SyncLeadRequest::default()
            })
            .unwrap();
    }

    let default = store
        .get_lead_changes(&changes_since(seed_start()))
        .unwrap();
    let capped = store
        .get_lead_changes(&LeadChangesRequest {
            batch_size: Some(5000),
            ..changes_since(seed_start())
        })
        .unwrap();

    assert_eq!(default.return_count, 100);
    assert_eq!(capped.return_count, 1000);
}
