//! Static lists, campaigns, channels and tags: listOperation, requestCampaign,
//! scheduleCampaign, getCampaignsForSource, getChannels, getTags.

use chrono::{DateTime, Duration, TimeZone, Utc};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::store::activity_types::{ADD_TO_LIST, REMOVE_FROM_LIST, REQUEST_CAMPAIGN};
use mktows_sandbox::store::{
    Attrib, CampaignSource, LeadKey, LeadKeyType, ListKey, ListKeyType, ListOperationRequest,
    ListOperationType, RequestCampaignRequest, ScheduleCampaignRequest, TagQuery,
};
use mktows_sandbox::{FaultCode, Store};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn seeded() -> (Store, ManualClock) {
    let clock = ManualClock::new(start());
    (Store::seeded().with_clock(clock.shared()), clock)
}

fn list_request(operation: ListOperationType, list: &str, ids: &[i32]) -> ListOperationRequest {
    ListOperationRequest {
        operation,
        list_key: ListKey::name(list),
        members: ids.iter().map(|id| LeadKey::id(*id)).collect(),
        strict: None,
        skip_activity_log: None,
    }
}

fn request_by_id(campaign_id: i32, keys: Vec<LeadKey>) -> RequestCampaignRequest {
    RequestCampaignRequest {
        source: CampaignSource::Mktows,
        campaign_id: Some(campaign_id),
        lead_keys: keys,
        program_name: None,
        campaign_name: None,
        program_tokens: vec![],
    }
}

#[test]
fn is_member_reports_each_lead() {
    let (mut store, _clock) = seeded();

    let result = store
        .list_operation(&list_request(
            ListOperationType::IsMemberOfList,
            "VIP Accounts",
            &[1001, 1003, 999_999],
        ))
        .unwrap();

    let statuses: Vec<bool> = result.statuses.iter().map(|s| s.status).collect();
    assert_eq!(statuses, vec![true, false, false]);
    assert!(!result.success);
    assert_eq!(result.statuses[0].lead_key, LeadKey::id(1001));
}

#[test]
fn add_to_list_adds_and_logs_once() {
    let (mut store, _clock) = seeded();

    let result = store
        .list_operation(&list_request(
            ListOperationType::AddToList,
            "Spring Roadshow 2024.Attended",
            &[1002, 1001],
        ))
        .unwrap();

    assert!(result.success);
    let list = store
        .resolve_list_name("Spring Roadshow 2024.Attended")
        .unwrap();
    assert!(store.list_members(list).unwrap().contains(&1002));
    let adds_1002 = store
        .activities_of(1002)
        .iter()
        .filter(|a| a.activity_type == ADD_TO_LIST && a.created_at == start())
        .count();
    let adds_1001 = store
        .activities_of(1001)
        .iter()
        .filter(|a| a.activity_type == ADD_TO_LIST && a.created_at == start())
        .count();
    assert_eq!(
        (adds_1002, adds_1001),
        (1, 0),
        "an existing member gets no new activity"
    );
}

#[test]
fn non_strict_remove_is_partial() {
    let (mut store, _clock) = seeded();

    let result = store
        .list_operation(&list_request(
            ListOperationType::RemoveFromList,
            "Subscribers",
            &[1003, 1001, 424_242],
        ))
        .unwrap();

    assert_eq!(
        result.statuses.iter().map(|s| s.status).collect::<Vec<_>>(),
        vec![true, false, false]
    );
    assert!(!result.success);
    let list = store.resolve_list_name("Subscribers").unwrap();
    assert!(!store.list_members(list).unwrap().contains(&1003));
    assert!(store
        .activities_of(1003)
        .iter()
        .any(|a| a.activity_type == REMOVE_FROM_LIST));
}

#[test]
fn strict_failure_changes_nothing() {
    let (mut store, _clock) = seeded();
    let request = ListOperationRequest {
        strict: Some(true),
        ..list_request(
            ListOperationType::AddToList,
            "VIP Accounts",
            &[1003, 424_242],
        )
    };

    let error = store.list_operation(&request).unwrap_err();

    assert_eq!(error.code, FaultCode::LeadNotFound);
    let list = store.resolve_list_name("VIP Accounts").unwrap();
    assert!(!store.list_members(list).unwrap().contains(&1003));
}

#[test]
fn strict_remove_of_non_member_is_bad_parameter() {
    let (mut store, _clock) = seeded();
    let request = ListOperationRequest {
        strict: Some(true),
        ..list_request(
            ListOperationType::RemoveFromList,
            "VIP Accounts",
            &[1001, 1003],
        )
    };

    assert_eq!(
        store.list_operation(&request).unwrap_err().code,
        FaultCode::BadParameter
    );
    let list = store.resolve_list_name("VIP Accounts").unwrap();
    assert!(
        store.list_members(list).unwrap().contains(&1001),
        "strict failure left 1001 in place"
    );
}

#[test]
fn skip_activity_log_writes_no_activity() {
    let (mut store, _clock) = seeded();
    let before = store.activities().count();
    let request = ListOperationRequest {
        skip_activity_log: Some(true),
        ..list_request(ListOperationType::AddToList, "VIP Accounts", &[1007])
    };

    store.list_operation(&request).unwrap();

    assert_eq!(store.activities().count(), before);
}

#[test]
fn list_operation_faults() {
    let (mut store, _clock) = seeded();
    let mut too_many = list_request(ListOperationType::AddToList, "VIP Accounts", &[]);
    too_many.members = (0..1001).map(LeadKey::id).collect();
    let mut email_key = list_request(ListOperationType::AddToList, "VIP Accounts", &[]);
    email_key.members = vec![LeadKey::new(
        LeadKeyType::Email,
        "ada.quill@lumenfield.example",
    )];
    let mut sales_list = list_request(ListOperationType::AddToList, "005SBX000000001", &[1001]);
    sales_list.list_key.key_type = ListKeyType::MktoSalesUserId;
    let cases = [
        (
            list_request(ListOperationType::AddToList, "No Such List", &[1001]),
            FaultCode::ListNotFound,
        ),
        (
            list_request(ListOperationType::AddToList, "VIP Accounts", &[]),
            FaultCode::ParameterRequired,
        ),
        (too_many, FaultCode::BadParameter),
        (email_key, FaultCode::BadLeadKey),
        (sales_list, FaultCode::BadParameter),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.list_operation(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
}

#[test]
fn campaigns_for_source_filter_by_source_and_name() {
    let (mut store, _clock) = seeded();

    let mktows: Vec<String> = store
        .get_campaigns_for_source(CampaignSource::Mktows, None, None)
        .into_iter()
        .map(|c| c.name)
        .collect();
    let sales: Vec<String> = store
        .get_campaigns_for_source(CampaignSource::Sales, None, None)
        .into_iter()
        .map(|c| c.name)
        .collect();
    let partial: Vec<String> = store
        .get_campaigns_for_source(CampaignSource::Mktows, Some("roadshow"), Some(false))
        .into_iter()
        .map(|c| c.name)
        .collect();
    let exact =
        store.get_campaigns_for_source(CampaignSource::Mktows, Some("Send Invitation"), Some(true));
    let exact_wrong_case =
        store.get_campaigns_for_source(CampaignSource::Mktows, Some("send invitation"), Some(true));

    assert_eq!(
        mktows,
        vec![
            "2026 Spring Product Launch.Send Launch Invite",
            "Nurture.Re-engage Dormant Leads",
            "Nurture.Welcome Series Entry",
            "Partner Nurture.Send Toolkit",
            "Quarterly Newsletter.Welcome Subscriber",
            "Spring Roadshow 2024.Booth Follow-up",
            "Spring Roadshow 2024.Send Invitation"
        ]
    );
    assert_eq!(
        sales,
        vec![
            "Partner Nurture.Send Toolkit",
            "Sales Nudge",
            "Spring Roadshow 2024.Booth Follow-up"
        ]
    );
    assert_eq!(
        partial,
        vec![
            "Spring Roadshow 2024.Booth Follow-up",
            "Spring Roadshow 2024.Send Invitation"
        ]
    );
    assert_eq!(exact.len(), 1);
    assert_eq!(exact[0].id, 1);
    assert!(exact_wrong_case.is_empty());
}

#[test]
fn request_campaign_logs_activity_and_records_call() {
    let (mut store, _clock) = seeded();

    let ok = store
        .request_campaign(&request_by_id(
            1,
            vec![
                LeadKey::id(1003),
                LeadKey::email("hana.sato@kumoya.example"),
            ],
        ))
        .unwrap();

    assert!(ok);
    for lead_id in [1003, 1008] {
        let last = *store.activities_of(lead_id).last().unwrap();
        assert_eq!(last.activity_type, REQUEST_CAMPAIGN);
        assert_eq!(last.campaign.as_deref(), Some("Send Invitation"));
    }
    let recorded = store.campaign_requests().last().unwrap();
    assert_eq!(
        (recorded.campaign_id, recorded.lead_ids.clone()),
        (1, vec![1003, 1008])
    );
}

#[test]
fn request_campaign_by_names_with_tokens() {
    let (mut store, _clock) = seeded();
    let request = RequestCampaignRequest {
        campaign_id: None,
        program_name: Some("spring roadshow 2024".into()),
        campaign_name: Some("Booth Follow-up".into()),
        program_tokens: vec![Attrib::new("{{my.Booth}}", "C7")],
        ..request_by_id(0, vec![LeadKey::id(1004)])
    };

    store.request_campaign(&request).unwrap();

    let recorded = store.campaign_requests().last().unwrap();
    assert_eq!(recorded.campaign_id, 3);
    assert_eq!(recorded.tokens, vec![Attrib::new("{{my.Booth}}", "C7")]);
}

#[test]
fn request_campaign_uses_first_hundred_keys() {
    let (mut store, _clock) = seeded();
    let mut keys: Vec<LeadKey> = (0..100).map(|_| LeadKey::id(1003)).collect();
    keys.push(LeadKey::id(424_242));

    store.request_campaign(&request_by_id(1, keys)).unwrap();

    assert_eq!(
        store.campaign_requests().last().unwrap().lead_ids,
        vec![1003]
    );
}

#[test]
fn request_campaign_faults() {
    let (mut store, _clock) = seeded();
    let with_both = RequestCampaignRequest {
        campaign_name: Some("Send Invitation".into()),
        program_name: Some("Spring Roadshow 2024".into()),
        ..request_by_id(1, vec![LeadKey::id(1001)])
    };
    let id_with_tokens = RequestCampaignRequest {
        program_tokens: vec![Attrib::new("{{my.City}}", "Reno")],
        ..request_by_id(1, vec![LeadKey::id(1001)])
    };
    let name_only = RequestCampaignRequest {
        campaign_id: None,
        campaign_name: Some("Send Invitation".into()),
        ..request_by_id(0, vec![LeadKey::id(1001)])
    };
    let neither = RequestCampaignRequest {
        campaign_id: None,
        ..request_by_id(0, vec![LeadKey::id(1001)])
    };
    let bad_token = RequestCampaignRequest {
        campaign_id: None,
        program_name: Some("Spring Roadshow 2024".into()),
        campaign_name: Some("Send Invitation".into()),
        program_tokens: vec![Attrib::new("City", "Reno")],
        ..request_by_id(0, vec![LeadKey::id(1001)])
    };
    let sales_only = RequestCampaignRequest {
        source: CampaignSource::Mktows,
        ..request_by_id(7, vec![LeadKey::id(1001)])
    };
    let cases = [
        (with_both, FaultCode::BadParameter),
        (id_with_tokens, FaultCode::BadParameter),
        (name_only, FaultCode::BadParameter),
        (neither, FaultCode::ParameterRequired),
        (bad_token, FaultCode::BadParameter),
        (
            request_by_id(99, vec![LeadKey::id(1001)]),
            FaultCode::CampaignNotFound,
        ),
        (
            request_by_id(6, vec![LeadKey::id(1001)]),
            FaultCode::CampaignNotFound,
        ),
        (sales_only, FaultCode::CampaignNotFound),
        (request_by_id(1, vec![]), FaultCode::ParameterRequired),
        (
            request_by_id(1, vec![LeadKey::id(1001), LeadKey::id(424_242)]),
            FaultCode::LeadNotFound,
        ),
    ];
    let activities_before = store.activities().count();

    for (request, expected) in cases {
        assert_eq!(
            store.request_campaign(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
    assert_eq!(
        store.activities().count(),
        activities_before,
        "failed requests log nothing"
    );
}

#[test]
fn schedule_campaign_records_run_time() {
    let (mut store, _clock) = seeded();
    let later = start() + Duration::days(2);
    let past = start() - Duration::days(2);

    store
        .schedule_campaign(&ScheduleCampaignRequest {
            program_name: "Quarterly Newsletter".into(),
            campaign_name: "quarterly send".into(),
            run_at: Some(later),
            program_tokens: vec![Attrib::new("{{my.Issue}}", "Summer 2024")],
        })
        .unwrap();
    store
        .schedule_campaign(&ScheduleCampaignRequest {
            program_name: "Spring Roadshow 2024".into(),
            campaign_name: "Thank Attendees".into(),
            run_at: Some(past),
            program_tokens: vec![],
        })
        .unwrap();

    let schedules = store.campaign_schedules();
    assert_eq!((schedules[0].campaign_id, schedules[0].run_at), (5, later));
    assert_eq!(
        (schedules[1].campaign_id, schedules[1].run_at),
        (2, start()),
        "a past time runs now"
    );
}

#[test]
fn schedule_campaign_faults() {
    let (mut store, _clock) = seeded();
    let schedule = |program: &str, campaign: &str| ScheduleCampaignRequest {
        program_name: program.into(),
        campaign_name: campaign.into(),
        run_at: None,
        program_tokens: vec![],
    };
    let cases = [
        (
            schedule("Nope", "Quarterly Send"),
            FaultCode::CampaignNotFound,
        ),
        (
            schedule("Quarterly Newsletter", "Nope"),
            FaultCode::CampaignNotFound,
        ),
        (
            schedule("Quarterly Newsletter", "Welcome Subscriber"),
            FaultCode::BadParameter,
        ),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.schedule_campaign(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
}

#[test]
fn channels_are_sorted_with_sorted_statuses() {
    let (mut store, _clock) = seeded();

    let all = store.get_channels(None);
    let some = store.get_channels(Some(&[
        "webinar".to_string(),
        "Roadshow".to_string(),
        "Podcast".to_string(),
    ]));

    assert_eq!(
        all.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["Content", "Email Send", "Roadshow", "Webinar"]
    );
    assert_eq!(
        some.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["Roadshow", "Webinar"]
    );
    let roadshow = &some[0];
    assert_eq!(
        roadshow
            .statuses
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Attended", "Invited", "No Show", "Registered"]
    );
    let attended = roadshow.statuses[0].to_attribs();
    assert_eq!(
        attended,
        vec![
            Attrib::new("Status", "Attended"),
            Attrib::new("Step", "40"),
            Attrib::new("Check-in Status", "Attended"),
            Attrib::new("Success", "true")
        ]
    );
}

#[test]
fn tags_filter_by_type_and_value() {
    let (mut store, _clock) = seeded();

    let all = store.get_tags(None);
    let filtered = store.get_tags(Some(&[
        TagQuery {
            tag_type: Some("region".into()),
            values: vec!["EMEA".into(), "Antarctica".into()],
        },
        TagQuery {
            tag_type: Some("Product Line".into()),
            values: vec![],
        },
        TagQuery {
            tag_type: Some("Mood".into()),
            values: vec![],
        },
    ]));

    assert_eq!(all.len(), 3);
    assert_eq!(filtered.len(), 2);
    assert_eq!(
        (filtered[0].tag_type.as_str(), filtered[0].values.clone()),
        ("Region", vec!["EMEA".to_string()])
    );
    assert_eq!(filtered[1].values.len(), 3);
}
