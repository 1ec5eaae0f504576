//! MObjects and custom objects: listMObjects, describeMObject, getMObjects,
//! syncMObjects, deleteMObjects, getCustomObjects, syncCustomObjects,
//! deleteCustomObjects.

use chrono::{DateTime, TimeZone, Utc};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::seed::{
    ARCHIVED_PROGRAM_ID, LAUNCH_PROGRAM_ID, NEWSLETTER_PROGRAM_ID, ROADSHOW_PROGRAM_ID,
};
use mktows_sandbox::store::custom_objects::CustomObjectStatusKind;
use mktows_sandbox::store::{
    Attrib, Attribute, Comparison, CustomObjectInput, GetCustomObjectsRequest, GetMObjectsRequest,
    MObjAssociation, MObjCriterion, MObjStatusKind, MObjectInput, SyncOperation, TypeAttrib,
};
use mktows_sandbox::{FaultCode, Store};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn seeded() -> (Store, ManualClock) {
    let clock = ManualClock::new(start());
    (Store::seeded().with_clock(clock.shared()), clock)
}

fn query(object_type: &str) -> GetMObjectsRequest {
    GetMObjectsRequest {
        object_type: object_type.into(),
        id: None,
        external_key: None,
        criteria: vec![],
        associations: vec![],
        include_details: None,
        stream_position: None,
    }
}

fn criterion(name: &str, comparison: Comparison, value: &str) -> MObjCriterion {
    MObjCriterion {
        attr_name: name.into(),
        comparison,
        attr_value: value.into(),
    }
}

fn mobject(object_type: &str, id: Option<i32>, attribs: &[(&str, &str)]) -> MObjectInput {
    MObjectInput {
        object_type: object_type.into(),
        id,
        attribs: attribs
            .iter()
            .map(|(name, value)| Attrib::new(*name, *value))
            .collect(),
        ..MObjectInput::default()
    }
}

/// Returns the id of the seeded program called `name`.
fn program_id(store: &Store, name: &str) -> i32 {
    store
        .programs()
        .find(|program| program.name == name)
        .unwrap_or_else(|| panic!("the seed has no program {name}"))
        .id
}

fn attrib<'a>(attribs: &'a [Attrib], name: &str) -> Option<&'a str> {
    attribs
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.value.as_str())
}

#[test]
fn list_mobjects_names_describable_objects() {
    let (mut store, _clock) = seeded();

    assert_eq!(
        store.list_mobjects(),
        vec![
            "ActivityRecord",
            "LeadRecord",
            "Opportunity",
            "OpportunityPersonRole"
        ]
    );
}

#[test]
fn describe_returns_schemas() {
    let (mut store, _clock) = seeded();

    let lead = store.describe_mobject("LeadRecord").unwrap();
    let opportunity = store.describe_mobject("opportunity").unwrap();
    let role = store.describe_mobject("OpportunityLeadRole").unwrap();
    let activity = store.describe_mobject("ActivityRecord").unwrap();

    assert!(lead.is_virtual);
    let first_name = lead.fields.iter().find(|f| f.name == "FirstName").unwrap();
    assert_eq!(
        (
            first_name.display_name.as_deref(),
            first_name.data_type.as_str()
        ),
        (Some("First Name"), "string")
    );
    assert!(
        lead.fields
            .iter()
            .find(|f| f.name == "SFDCLeadId")
            .unwrap()
            .is_readonly
    );
    assert!(opportunity
        .fields
        .iter()
        .any(|f| f.name == "Amount" && f.data_type == "currency"));
    assert_eq!(role.name, "OpportunityPersonRole");
    assert!(activity
        .fields
        .iter()
        .any(|f| f.name == "mktPersonId" && f.is_readonly));
    assert_eq!(
        store.describe_mobject("Program").unwrap_err().code,
        FaultCode::BadParameter
    );
}

#[test]
fn programs_skip_archived_unless_asked() {
    let (mut store, _clock) = seeded();

    let active = store.get_mobjects(&query("Program")).unwrap();
    let with_archive = store
        .get_mobjects(&GetMObjectsRequest {
            criteria: vec![criterion("Include Archive", Comparison::Eq, "true")],
            ..query("Program")
        })
        .unwrap();

    let unarchived: Vec<i32> = store
        .programs()
        .filter(|program| !program.archived)
        .map(|program| program.id)
        .collect();
    let active_ids: Vec<i32> = active.objects.iter().map(|o| o.id).collect();
    assert_eq!(active_ids, unarchived);
    assert_eq!(
        active_ids[..2],
        [ROADSHOW_PROGRAM_ID, NEWSLETTER_PROGRAM_ID]
    );
    assert!(!active_ids.contains(&ARCHIVED_PROGRAM_ID));
    assert_eq!(with_archive.return_count as usize, store.programs().count());
    assert!(with_archive
        .objects
        .iter()
        .any(|o| o.id == ARCHIVED_PROGRAM_ID));
    assert!(!active.has_more);
    let roadshow = &active.objects[0];
    assert_eq!(
        attrib(&roadshow.attribs, "Tree Path"),
        Some("/Marketing Activities/Default/Events/Spring Roadshow 2024")
    );
    let tags: Vec<(String, String)> = roadshow
        .type_attribs
        .iter()
        .filter(|t| t.attr_type == "Tag")
        .map(|t| {
            (
                attrib(&t.attrs, "Type").unwrap().to_string(),
                attrib(&t.attrs, "Value").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(tags[0], ("Channel".to_string(), "Roadshow".to_string()));
    assert!(
        roadshow.type_attribs.iter().all(|t| t.attr_type == "Tag"),
        "costs and tokens need includeDetails"
    );
}

#[test]
fn program_details_include_costs_and_tokens() {
    let (mut store, _clock) = seeded();

    let page = store
        .get_mobjects(&GetMObjectsRequest {
            id: Some(ROADSHOW_PROGRAM_ID),
            include_details: Some(true),
            ..query("Program")
        })
        .unwrap();

    let types: Vec<&str> = page.objects[0]
        .type_attribs
        .iter()
        .map(|t| t.attr_type.as_str())
        .collect();
    assert_eq!(types.iter().filter(|t| **t == "Cost").count(), 2);
    assert_eq!(types.iter().filter(|t| **t == "Token").count(), 2);
}

#[test]
fn program_criteria_compare_and_tag_filter() {
    let (mut store, _clock) = seeded();
    let nurture = program_id(&store, "Nurture");
    let partner_nurture = program_id(&store, "Partner Nurture");
    let php_interop = program_id(&store, "Interop Spring Webinar");
    let java_interop = program_id(&store, "Interop Autumn Roadshow");
    let cases = [
        (vec![criterion("Id", Comparison::Le, "1001")], vec![1001]),
        (
            vec![
                criterion("Name", Comparison::Ne, "spring roadshow 2024"),
                criterion("Created At", Comparison::Lt, "2025-01-01T00:00:00Z"),
            ],
            vec![1002],
        ),
        (
            vec![
                criterion("Tag Type", Comparison::Eq, "Region"),
                criterion("Tag Value", Comparison::Eq, "EMEA"),
            ],
            vec![1002],
        ),
        (
            vec![
                criterion("Tag Type", Comparison::Eq, "Channel"),
                criterion("Tag Value", Comparison::Eq, "Webinar"),
                criterion("Include Archive", Comparison::Eq, "true"),
            ],
            vec![ARCHIVED_PROGRAM_ID, LAUNCH_PROGRAM_ID, php_interop],
        ),
        (
            vec![
                criterion("Created At", Comparison::Gt, "2024-01-01T00:00:00Z"),
                criterion("Created At", Comparison::Lt, "2025-01-01T00:00:00Z"),
            ],
            vec![1001, 1002],
        ),
        (
            // The getMObjects fixture's query.
            vec![
                criterion("Workspace Name", Comparison::Eq, "Default"),
                criterion("Created At", Comparison::Ge, "2026-01-01T00:00:00+01:00"),
            ],
            vec![LAUNCH_PROGRAM_ID, nurture, php_interop],
        ),
        (
            vec![criterion("Workspace Id", Comparison::Ne, "1")],
            vec![partner_nurture, java_interop],
        ),
        (
            vec![
                criterion("Workspace Name", Comparison::Eq, "Default"),
                criterion("CRM Id", Comparison::Eq, "701SBX000000101"),
            ],
            vec![1001],
        ),
    ];

    for (criteria, expected) in cases {
        let page = store
            .get_mobjects(&GetMObjectsRequest {
                criteria: criteria.clone(),
                ..query("Program")
            })
            .unwrap();
        assert_eq!(
            page.objects.iter().map(|o| o.id).collect::<Vec<_>>(),
            expected,
            "{criteria:?}"
        );
    }
}

#[test]
fn get_mobjects_faults() {
    let (mut store, _clock) = seeded();
    let two_tag_types = GetMObjectsRequest {
        criteria: vec![
            criterion("Tag Type", Comparison::Eq, "Region"),
            criterion("Tag Type", Comparison::Eq, "Channel"),
        ],
        ..query("Program")
    };
    let cases = [
        (query("Campaign"), FaultCode::BadParameter),
        (
            GetMObjectsRequest {
                criteria: vec![criterion("Colour", Comparison::Eq, "red")],
                ..query("Program")
            },
            FaultCode::BadParameter,
        ),
        (
            GetMObjectsRequest {
                criteria: vec![criterion("Colour", Comparison::Eq, "red")],
                ..query("Opportunity")
            },
            FaultCode::BadParameter,
        ),
        (two_tag_types, FaultCode::BadParameter),
        (
            GetMObjectsRequest {
                associations: vec![MObjAssociation {
                    object_type: "Company".into(),
                    id: Some(1),
                    external_key: None,
                }],
                ..query("Opportunity")
            },
            FaultCode::BadParameter,
        ),
        (
            GetMObjectsRequest {
                stream_position: Some("garbage".into()),
                ..query("Opportunity")
            },
            FaultCode::BadStreamPosition,
        ),
    ];

    for (request, expected) in cases {
        assert_eq!(
            store.get_mobjects(&request).unwrap_err().code,
            expected,
            "{request:?}"
        );
    }
}

#[test]
fn opportunities_filter_by_criteria_and_lead() {
    let (mut store, _clock) = seeded();

    let big = store
        .get_mobjects(&GetMObjectsRequest {
            criteria: vec![criterion("Amount", Comparison::Gt, "10000")],
            ..query("Opportunity")
        })
        .unwrap();
    let won = store
        .get_mobjects(&GetMObjectsRequest {
            criteria: vec![criterion("IsWon", Comparison::Eq, "true")],
            ..query("Opportunity")
        })
        .unwrap();
    let of_jun = store
        .get_mobjects(&GetMObjectsRequest {
            associations: vec![MObjAssociation {
                object_type: "Lead".into(),
                id: Some(1010),
                external_key: None,
            }],
            ..query("Opportunity")
        })
        .unwrap();
    let roles_by_email = store
        .get_mobjects(&GetMObjectsRequest {
            associations: vec![MObjAssociation {
                object_type: "Lead".into(),
                id: None,
                external_key: Some(Attrib::new("Email", "esi.mensah@baobabcloud.example")),
            }],
            ..query("OpportunityPersonRole")
        })
        .unwrap();

    assert_eq!(
        big.objects.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![1, 2, 8807]
    );
    assert_eq!(
        won.objects.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![2]
    );
    assert_eq!(
        of_jun.objects.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![1]
    );
    assert_eq!(roles_by_email.objects.len(), 1);
    assert_eq!(
        attrib(&roles_by_email.objects[0].attribs, "Role"),
        Some("Champion")
    );
}

#[test]
fn mobject_stream_pages_then_ends() {
    let (mut store, _clock) = seeded();
    let objects: Vec<MObjectInput> = (0..100)
        .map(|n| mobject("Opportunity", None, &[("Name", &format!("Bulk deal {n}"))]))
        .collect();
    store
        .sync_mobjects(&objects, SyncOperation::Insert)
        .unwrap();
    store
        .sync_mobjects(&objects[..5], SyncOperation::Insert)
        .unwrap();

    let total = store.opportunities().count() as i32;
    assert!(
        total > 100 && total <= 200,
        "{total} opportunities fit in two pages"
    );

    let first = store.get_mobjects(&query("Opportunity")).unwrap();
    assert_eq!((first.return_count, first.has_more), (100, true));
    let second = store
        .get_mobjects(&GetMObjectsRequest {
            stream_position: Some(first.new_stream_position.clone()),
            ..query("Opportunity")
        })
        .unwrap();
    assert_eq!((second.return_count, second.has_more), (total - 100, false));

    let again = store
        .get_mobjects(&GetMObjectsRequest {
            stream_position: Some(second.new_stream_position),
            ..query("Opportunity")
        })
        .unwrap_err();
    assert_eq!(again.code, FaultCode::StreamAtEnd);
    let other_query = GetMObjectsRequest {
        stream_position: Some(first.new_stream_position),
        ..query("Program")
    };
    assert_eq!(
        store.get_mobjects(&other_query).unwrap_err().code,
        FaultCode::BadStreamPosition
    );
}

#[test]
fn sync_opportunity_modes() {
    let (mut store, _clock) = seeded();
    let next_id = store.opportunities().map(|o| o.id).max().unwrap() + 1;
    let objects = vec![
        mobject(
            "Opportunity",
            None,
            &[("Name", "Fjord - field kit"), ("Amount", "3100.50")],
        ),
        mobject("Opportunity", Some(3), &[("Stage", "Proposal")]),
        mobject("Opportunity", Some(3), &[("Stage", "Proposal")]),
        mobject("Opportunity", Some(77), &[("Stage", "Proposal")]),
        mobject("Opportunity", None, &[("Amount", "lots")]),
        mobject("Opportunity", None, &[("Colour", "red")]),
    ];

    let statuses = store
        .sync_mobjects(&objects, SyncOperation::Upsert)
        .unwrap();

    let kinds: Vec<MObjStatusKind> = statuses.iter().map(|s| s.status).collect();
    assert_eq!(
        kinds,
        vec![
            MObjStatusKind::Created,
            MObjStatusKind::Updated,
            MObjStatusKind::Unchanged,
            MObjStatusKind::Failed,
            MObjStatusKind::Failed,
            MObjStatusKind::Failed
        ]
    );
    assert_eq!(statuses[0].id, next_id, "ids continue after the seed");
    assert!(statuses[4].error.as_deref().unwrap().contains("'lots'"));
    assert_eq!(
        store
            .opportunities()
            .find(|o| o.id == next_id)
            .unwrap()
            .attributes["Amount"]
            .to_string(),
        "3100.5"
    );

    let insert_existing = store
        .sync_mobjects(
            &[mobject("Opportunity", Some(1), &[("Stage", "Won")])],
            SyncOperation::Insert,
        )
        .unwrap();
    let update_new = store
        .sync_mobjects(
            &[mobject("Opportunity", None, &[("Name", "New")])],
            SyncOperation::Update,
        )
        .unwrap();
    assert_eq!(insert_existing[0].status, MObjStatusKind::Skipped);
    assert_eq!(update_new[0].status, MObjStatusKind::Skipped);
}

#[test]
fn sync_opportunity_by_external_key() {
    let (mut store, _clock) = seeded();
    let with_key = MObjectInput {
        external_key: Some(Attrib::new("Name", "Kestrel Works - gateway renewal")),
        ..mobject("Opportunity", None, &[("NextStep", "Upsell call")])
    };

    let statuses = store
        .sync_mobjects(&[with_key], SyncOperation::Upsert)
        .unwrap();

    assert_eq!(
        (statuses[0].id, statuses[0].status),
        (2, MObjStatusKind::Updated)
    );
}

#[test]
fn sync_role_requires_existing_objects() {
    let (mut store, _clock) = seeded();
    let by_association = MObjectInput {
        associations: vec![
            MObjAssociation {
                object_type: "Opportunity".into(),
                id: Some(3),
                external_key: None,
            },
            MObjAssociation {
                object_type: "Lead".into(),
                id: Some(1011),
                external_key: None,
            },
        ],
        ..mobject("OpportunityPersonRole", None, &[("Role", "Influencer")])
    };
    let objects = vec![
        mobject(
            "OpportunityPersonRole",
            None,
            &[
                ("OpportunityId", "1"),
                ("PersonId", "1004"),
                ("Role", "Sponsor"),
                ("IsPrimary", "false"),
            ],
        ),
        by_association,
        mobject(
            "OpportunityPersonRole",
            None,
            &[("OpportunityId", "1"), ("PersonId", "999999")],
        ),
        mobject("OpportunityPersonRole", None, &[("Role", "Lonely")]),
        mobject(
            "OpportunityPersonRole",
            None,
            &[
                ("OpportunityId", "1"),
                ("PersonId", "1001"),
                ("Role", "Executive Sponsor"),
            ],
        ),
    ];

    let statuses = store
        .sync_mobjects(&objects, SyncOperation::Upsert)
        .unwrap();

    let kinds: Vec<MObjStatusKind> = statuses.iter().map(|s| s.status).collect();
    assert_eq!(
        kinds,
        vec![
            MObjStatusKind::Created,
            MObjStatusKind::Created,
            MObjStatusKind::Failed,
            MObjStatusKind::Failed,
            MObjStatusKind::Updated
        ]
    );
    assert_eq!(
        statuses[4].id, 1,
        "the existing role of lead 1001 on opportunity 1 is updated"
    );
}

#[test]
fn sync_program_costs_and_tags() {
    let (mut store, clock) = seeded();
    let next_cost_id = store
        .programs()
        .flat_map(|program| &program.costs)
        .map(|cost| cost.id)
        .max()
        .unwrap()
        + 1;
    let update = MObjectInput {
        type_attribs: vec![
            TypeAttrib {
                attr_type: "Cost".into(),
                attrs: vec![
                    Attrib::new("Month", "2024-05"),
                    Attrib::new("Amount", "800"),
                    Attrib::new("Note", "Shipping"),
                ],
            },
            TypeAttrib {
                attr_type: "Cost".into(),
                attrs: vec![
                    Attrib::new("Id", "1"),
                    Attrib::new("Month", "2024-03"),
                    Attrib::new("Amount", "11000"),
                ],
            },
            TypeAttrib {
                attr_type: "Tag".into(),
                attrs: vec![Attrib::new("Type", "Region"), Attrib::new("Value", "apac")],
            },
            TypeAttrib {
                attr_type: "Tag".into(),
                attrs: vec![
                    Attrib::new("Type", "Channel"),
                    Attrib::new("Value", "Webinar"),
                ],
            },
        ],
        ..mobject("Program", Some(ROADSHOW_PROGRAM_ID), &[])
    };
    clock.advance(chrono::Duration::minutes(1));

    let statuses = store
        .sync_mobjects(&[update], SyncOperation::Update)
        .unwrap();

    assert_eq!(
        statuses[0].status,
        MObjStatusKind::Updated,
        "{:?}",
        statuses[0].error
    );
    let program = store
        .programs()
        .find(|p| p.id == ROADSHOW_PROGRAM_ID)
        .unwrap();
    assert_eq!(program.channel, "Webinar");
    assert!(program.tags.contains(&Attrib::new("Region", "APAC")));
    assert_eq!(program.costs.len(), 3);
    assert_eq!(program.costs[0].amount, 11000.0);
    assert_eq!(
        program.costs[2].id, next_cost_id,
        "cost ids continue after the seed"
    );
    assert_eq!(program.updated_at, start() + chrono::Duration::minutes(1));
}

#[test]
fn sync_program_failures() {
    let (mut store, _clock) = seeded();
    let tag = |tag_type: &str, value: &str| TypeAttrib {
        attr_type: "Tag".into(),
        attrs: vec![Attrib::new("Type", tag_type), Attrib::new("Value", value)],
    };
    let with = |group: TypeAttrib| MObjectInput {
        type_attribs: vec![group],
        ..mobject("Program", Some(ROADSHOW_PROGRAM_ID), &[])
    };
    let cases = [
        (with(tag("Region", "Moon")), "has no value"),
        (with(tag("Mood", "Happy")), "does not exist"),
        (with(tag("Channel", "Podcast")), "does not exist"),
        (
            with(TypeAttrib {
                attr_type: "Cost".into(),
                attrs: vec![Attrib::new("Month", "May"), Attrib::new("Amount", "1")],
            }),
            "YYYY-MM",
        ),
        (
            with(TypeAttrib {
                attr_type: "Cost".into(),
                attrs: vec![
                    Attrib::new("Id", "99"),
                    Attrib::new("Month", "2024-05"),
                    Attrib::new("Amount", "1"),
                ],
            }),
            "no cost with id 99",
        ),
        (mobject("Program", Some(4040), &[]), "no program"),
        (
            mobject("Program", Some(ROADSHOW_PROGRAM_ID), &[("Name", "Renamed")]),
            "Cost and Tag",
        ),
    ];

    for (object, expected) in cases {
        let status = &store
            .sync_mobjects(std::slice::from_ref(&object), SyncOperation::Update)
            .unwrap()[0];
        assert_eq!(status.status, MObjStatusKind::Failed, "{object:?}");
        assert!(
            status.error.as_deref().unwrap().contains(expected),
            "{:?} should mention {expected}",
            status.error
        );
    }
    let insert = store
        .sync_mobjects(&[mobject("Program", None, &[])], SyncOperation::Insert)
        .unwrap();
    assert_eq!(insert[0].status, MObjStatusKind::Failed);
}

#[test]
fn sync_mobjects_rejects_batches_over_100() {
    let (mut store, _clock) = seeded();
    let objects: Vec<MObjectInput> = (0..101)
        .map(|_| mobject("Opportunity", None, &[("Name", "x")]))
        .collect();

    assert_eq!(
        store
            .sync_mobjects(&objects, SyncOperation::Insert)
            .unwrap_err()
            .code,
        FaultCode::BadParameter
    );
    assert_eq!(
        store
            .sync_mobjects(&[], SyncOperation::Insert)
            .unwrap_err()
            .code,
        FaultCode::ParameterRequired
    );
}

#[test]
fn delete_mobjects_statuses() {
    let (mut store, _clock) = seeded();
    let roles_elsewhere = store
        .opportunity_roles()
        .filter(|role| role.opportunity_id != 1 && role.id != 3)
        .count();
    let objects = vec![
        mobject("Opportunity", Some(1), &[]),
        mobject("Opportunity", Some(1), &[]),
        mobject("OpportunityPersonRole", Some(3), &[]),
        mobject("Program", Some(ROADSHOW_PROGRAM_ID), &[]),
        mobject("Opportunity", None, &[]),
    ];

    let statuses = store.delete_mobjects(&objects).unwrap();

    let kinds: Vec<MObjStatusKind> = statuses.iter().map(|s| s.status).collect();
    assert_eq!(
        kinds,
        vec![
            MObjStatusKind::Deleted,
            MObjStatusKind::Unchanged,
            MObjStatusKind::Deleted,
            MObjStatusKind::Failed,
            MObjStatusKind::Failed
        ]
    );
    assert!(
        store
            .opportunity_roles()
            .all(|role| role.opportunity_id != 1),
        "roles of a deleted opportunity go with it"
    );
    assert_eq!(store.opportunity_roles().count(), roles_elsewhere);
}

fn booth_key(lead: &str, code: &str) -> Vec<Attribute> {
    vec![
        Attribute::new("leadId", lead),
        Attribute::new("visitCode", code),
    ]
}

#[test]
fn custom_objects_filter_by_key_and_attributes() {
    let (mut store, _clock) = seeded();
    let request = GetCustomObjectsRequest {
        object_type_name: "boothvisit".into(),
        key_filter: vec![Attribute::new("LEADID", "1001")],
        include_attributes: vec!["city".into()],
        ..GetCustomObjectsRequest::default()
    };

    let page = store.get_custom_objects(&request).unwrap();

    assert_eq!(page.object_type_name, "BoothVisit");
    assert_eq!(page.return_count, 2);
    assert_eq!(page.records[0].keys, booth_key("1001", "BV-PDX-001"));
    assert_eq!(
        page.records[0].attributes,
        vec![Attribute::new("city", "Portland")]
    );
}

#[test]
fn custom_objects_page_then_end() {
    let (mut store, _clock) = seeded();
    let mut request = GetCustomObjectsRequest {
        object_type_name: "BoothVisit".into(),
        batch_size: Some(3),
        ..GetCustomObjectsRequest::default()
    };

    let first = store.get_custom_objects(&request).unwrap();
    request.stream_position = Some(first.new_stream_position.clone());
    let second = store.get_custom_objects(&request).unwrap();
    request.stream_position = Some(second.new_stream_position.clone());
    let third = store.get_custom_objects(&request).unwrap_err();

    assert_eq!((first.return_count, first.remaining_count), (3, 1));
    assert_eq!((second.return_count, second.remaining_count), (1, 0));
    assert!(!second.new_stream_position.is_empty());
    assert_eq!(third.code, FaultCode::StreamAtEnd);
}

#[test]
fn custom_objects_get_faults() {
    let (mut store, _clock) = seeded();
    let cases = [
        GetCustomObjectsRequest {
            object_type_name: "Roadshow".into(),
            ..GetCustomObjectsRequest::default()
        },
        GetCustomObjectsRequest {
            object_type_name: "BoothVisit".into(),
            key_filter: vec![Attribute::new("city", "Denver")],
            ..GetCustomObjectsRequest::default()
        },
        GetCustomObjectsRequest {
            object_type_name: "BoothVisit".into(),
            include_attributes: vec!["colour".into()],
            ..GetCustomObjectsRequest::default()
        },
    ];

    for request in cases {
        assert_eq!(
            store.get_custom_objects(&request).unwrap_err().code,
            FaultCode::BadParameter,
            "{request:?}"
        );
    }
    let bad_position = GetCustomObjectsRequest {
        object_type_name: "BoothVisit".into(),
        stream_position: Some("v1.leads.1.00000000".into()),
        ..GetCustomObjectsRequest::default()
    };
    assert_eq!(
        store.get_custom_objects(&bad_position).unwrap_err().code,
        FaultCode::BadStreamPosition
    );
}

#[test]
fn sync_custom_objects_statuses() {
    let (mut store, _clock) = seeded();
    let record = |lead: &str, code: &str, attributes: Vec<Attribute>| CustomObjectInput {
        keys: booth_key(lead, code),
        attributes,
    };
    let records = vec![
        record(
            "1005",
            "BV-ACC-001",
            vec![
                Attribute::new("city", "Accra"),
                Attribute::new("boothNumber", "4"),
            ],
        ),
        record(
            "1001",
            "BV-PDX-001",
            vec![Attribute::new("interestLevel", "Very High")],
        ),
        record("999999", "BV-X", vec![]),
        record(
            "1005",
            "BV-ACC-002",
            vec![Attribute::new("boothNumber", "four")],
        ),
        CustomObjectInput {
            keys: vec![Attribute::new("leadId", "1005")],
            attributes: vec![],
        },
        record("1005", "BV-ACC-003", vec![Attribute::new("colour", "red")]),
    ];

    let statuses = store
        .sync_custom_objects("BoothVisit", &records, None)
        .unwrap();

    let kinds: Vec<CustomObjectStatusKind> = statuses.iter().map(|s| s.status).collect();
    use CustomObjectStatusKind::*;
    assert_eq!(
        kinds,
        vec![Created, Updated, Failed, Failed, Failed, Failed]
    );
    assert!(statuses[4].error.as_deref().unwrap().contains("visitCode"));
    let updated = store
        .custom_objects()
        .find(|r| r.keys.get("visitCode").map(String::as_str) == Some("BV-PDX-001"))
        .unwrap();
    assert_eq!(updated.attributes["interestLevel"].to_string(), "Very High");
    assert_eq!(
        updated.attributes["city"].to_string(),
        "Portland",
        "fields not sent are kept"
    );

    let insert_again = store
        .sync_custom_objects("BoothVisit", &records[..1], Some(SyncOperation::Insert))
        .unwrap();
    let update_missing = store
        .sync_custom_objects(
            "BoothVisit",
            &[record("1005", "BV-NEW", vec![])],
            Some(SyncOperation::Update),
        )
        .unwrap();
    assert_eq!(insert_again[0].status, Failed);
    assert_eq!(update_missing[0].status, Failed);
}

#[test]
fn delete_custom_objects_statuses() {
    let (mut store, _clock) = seeded();
    let key_lists = vec![
        booth_key("1004", "BV-DEN-001"),
        booth_key("1004", "BV-DEN-001"),
        vec![Attribute::new("leadId", "1001")],
    ];

    let statuses = store
        .delete_custom_objects("BoothVisit", &key_lists)
        .unwrap();

    let kinds: Vec<CustomObjectStatusKind> = statuses.iter().map(|s| s.status).collect();
    assert_eq!(
        kinds,
        vec![
            CustomObjectStatusKind::Deleted,
            CustomObjectStatusKind::Failed,
            CustomObjectStatusKind::Failed
        ]
    );
    assert_eq!(
        store
            .custom_objects()
            .filter(|r| r.object_type == "BoothVisit")
            .count(),
        3
    );
    assert_eq!(
        store
            .delete_custom_objects("Nope", &key_lists)
            .unwrap_err()
            .code,
        FaultCode::BadParameter
    );
    assert_eq!(
        store
            .delete_custom_objects("BoothVisit", &[])
            .unwrap_err()
            .code,
        FaultCode::ParameterRequired
    );
}

#[test]
fn merge_relinks_custom_objects() {
    let (mut store, _clock) = seeded();

    store
        .merge_leads(
            &[Attribute::new("IDNUM", "1001")],
            &[vec![Attribute::new("IDNUM", "1010")]],
        )
        .unwrap();

    let linked: Vec<&str> = store
        .custom_objects()
        .filter(|r| r.object_type == "BoothVisit" && r.keys["leadId"] == "1001")
        .map(|r| r.keys["visitCode"].as_str())
        .collect();
    assert_eq!(linked, vec!["BV-PDX-001", "BV-SEA-004", "BV-PDX-002"]);
}
