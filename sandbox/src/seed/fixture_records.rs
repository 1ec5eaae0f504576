//! The records that the protocol fixtures (`tests/fixtures/operations/<op>/params.json`)
//! and the interop clients name, with the fixtures' values, so that each fixture request
//! succeeds against a freshly seeded sandbox.
//!
//! The fixtures describe a Marketo instance in February and March 2026, so these records
//! carry 2026 times, later than every other seed record. Fixture ids that only a response
//! returns (a created lead, a new opportunity) are left to the store's counters.
//!
//! What each fixture needs:
//!
//! - leads 2204517 and 2209980 share `nadia.okafor@example.com` (getLead returns both);
//!   3310042, 3310058 and 2211304 are named by getLeadChanges, listOperation,
//!   requestCampaign, syncMultipleLeads and mergeLeads;
//! - the workspace `North America` (syncLead's `MktowsContextHeader`);
//! - program *2026 Spring Product Launch* with list *Launch Invitees* and campaigns
//!   *Send Launch Invite* (requestable by MKTOWS) and *Launch Reminder Batch* (batch),
//!   and a finished import into that list (getImportToListStatus);
//! - the standalone list *Q1 Webinar Attendees* (listOperation);
//! - campaigns whose names contain *Nurture* (getCampaignsForSource);
//! - custom object type *ProductRegistration* keyed by `MKTOID` and `serialNumber`;
//! - opportunities 8807 and 8812 and role 15530 (syncMObjects, deleteMObjects);
//! - programs *Interop Spring Webinar* (list *PHP Interop Attendees*) and *Interop Autumn
//!   Roadshow* (list *Java Interop Visitors*) for the PHP and Java interop clients.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::{add_custom_object, date, draft, lead_attributes, opportunity, text, Draft};
use crate::clock::ManualClock;
use crate::store::activity_types::{
    ADD_TO_LIST, CHANGE_DATA_VALUE, CLICK_EMAIL, FILL_OUT_FORM, NEW_LEAD, SEND_EMAIL, VISIT_WEBPAGE,
};
use crate::store::custom_objects::{CustomObjectField, CustomObjectType};
use crate::store::{
    Attrib, Campaign, CampaignKind, CampaignSource, FieldType, FieldValue, ForeignSysType,
    ImportMode, ImportToListRequest, Lead, OpportunityRole, Program, ProgramCost, Store, Workspace,
};

/// Id of the "2026 Spring Product Launch" program, as the fixtures' getMObjects response
/// gives it.
pub const LAUNCH_PROGRAM_ID: i32 = 1412;
/// Id of Nadia Okafor, the lead most fixtures use.
pub const NADIA_LEAD_ID: i32 = 2204517;
/// Id of the second lead with Nadia Okafor's email, a CRM duplicate.
pub const NADIA_DUPLICATE_LEAD_ID: i32 = 2209980;
/// The email two fixture leads share.
pub const NADIA_EMAIL: &str = "nadia.okafor@example.com";
/// Id of Søren Håkansson, the lead the syncLead fixture writes.
pub const SOREN_LEAD_ID: i32 = 3310042;
/// Id of Marcus Bellweather.
pub const MARCUS_LEAD_ID: i32 = 3310058;
/// Id of a third Nadia Okafor record that the mergeLeads fixture merges away.
pub const NADIA_OLD_LEAD_ID: i32 = 2211304;

/// Workspaces besides `Default`: id and name.
const WORKSPACES: &[(i32, &str)] = &[(2, "North America"), (3, "EMEA")];

/// Parses a fixed RFC 3339 time.
fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|error| panic!("seed time {text}: {error}"))
        .with_timezone(&Utc)
}

/// Adds the named workspaces that programs and syncLead's context header use.
pub(super) fn add_workspaces(store: &mut Store) {
    for (id, name) in WORKSPACES {
        store.insert_workspace(Workspace {
            id: *id,
            name: (*name).into(),
        });
    }
}

/// Ids of the lists this module adds.
pub(super) struct FixtureLists {
    q1_webinar_attendees: i32,
}

/// A program as the fixtures need it; the rest of [`Program`] takes plain defaults.
struct FixtureProgram {
    id: i32,
    name: &'static str,
    description: &'static str,
    program_type: &'static str,
    channel: &'static str,
    workspace: &'static str,
    folder: &'static str,
    created_at: &'static str,
    updated_at: &'static str,
}

fn insert_program(
    store: &mut Store,
    program: FixtureProgram,
    extra: impl FnOnce(&mut Program),
) -> i32 {
    let mut stored = Program {
        id: program.id,
        name: program.name.into(),
        description: program.description.into(),
        program_type: program.program_type.into(),
        channel: program.channel.into(),
        workspace: program.workspace.into(),
        folder: program.folder.into(),
        archived: false,
        crm_id: None,
        created_at: time(program.created_at),
        updated_at: time(program.updated_at),
        tags: Vec::new(),
        costs: Vec::new(),
        tokens: Vec::new(),
    };
    extra(&mut stored);
    store.insert_program(stored)
}

fn campaign(
    id: i32,
    name: &str,
    description: &str,
    program_id: i32,
    kind: CampaignKind,
    requestable_by: Vec<CampaignSource>,
) -> Campaign {
    Campaign {
        id,
        name: name.into(),
        description: description.into(),
        program_id: Some(program_id),
        kind,
        requestable_by,
    }
}

/// Adds the fixture and interop programs with their lists and campaigns.
pub(super) fn add_programs_lists_and_campaigns(store: &mut Store) -> FixtureLists {
    let launch = insert_program(
        store,
        FixtureProgram {
            id: LAUNCH_PROGRAM_ID,
            name: "2026 Spring Product Launch",
            description: "Launch webinar for the S200 soil sensor and its follow-up sends",
            program_type: "Event",
            channel: "Webinar",
            workspace: "Default",
            folder: "/Marketing Activities/Default/Launches",
            created_at: "2026-01-08T13:05:41+01:00",
            updated_at: "2026-02-19T09:12:03+01:00",
        },
        |program| {
            program.tags = vec![Attrib::new("Product Line", "Sensors")];
            program.costs = vec![ProgramCost {
                id: 88,
                month: "2026-03".into(),
                amount: 4200.0,
                note: Some("Venue deposit".into()),
            }];
            program.tokens = vec![
                Attrib::new("{{my.webinarDate}}", "March 24, 2026"),
                Attrib::new("{{my.presenter}}", "Ines Albrecht"),
                Attrib::new("{{my.headline}}", "Meet the S200"),
                Attrib::new("{{my.venue}}", "Online"),
            ];
        },
    );
    let nurture = insert_program(
        store,
        FixtureProgram {
            id: 0,
            name: "Nurture",
            description: "Always-on nurture for new and dormant leads",
            program_type: "Email",
            channel: "Email Send",
            workspace: "Default",
            folder: "/Marketing Activities/Default/Nurture",
            created_at: "2026-01-15T10:44:00+01:00",
            updated_at: "2026-01-15T10:44:00+01:00",
        },
        |_| {},
    );
    let partner_nurture = insert_program(
        store,
        FixtureProgram {
            id: 0,
            name: "Partner Nurture",
            description: "Enablement emails for reseller partners",
            program_type: "Email",
            channel: "Email Send",
            workspace: "EMEA",
            folder: "/Marketing Activities/EMEA/Partners",
            created_at: "2026-01-20T08:30:00+01:00",
            updated_at: "2026-01-20T08:30:00+01:00",
        },
        |_| {},
    );
    let php_interop = insert_program(
        store,
        FixtureProgram {
            id: 0,
            name: "Interop Spring Webinar",
            description: "Target of the PHP SoapClient interop import",
            program_type: "Event",
            channel: "Webinar",
            workspace: "Default",
            folder: "/Marketing Activities/Default/Interop",
            created_at: "2026-02-02T09:00:00+00:00",
            updated_at: "2026-02-02T09:00:00+00:00",
        },
        |_| {},
    );
    let java_interop = insert_program(
        store,
        FixtureProgram {
            id: 0,
            name: "Interop Autumn Roadshow",
            description: "Target of the JAX-WS interop import",
            program_type: "Event",
            channel: "Roadshow",
            workspace: "North America",
            folder: "/Marketing Activities/North America/Interop",
            created_at: "2026-02-02T09:05:00+00:00",
            updated_at: "2026-02-02T09:05:00+00:00",
        },
        |_| {},
    );

    let lists_created = time("2026-02-02T09:10:00+00:00");
    store.insert_static_list("Launch Invitees", Some(launch), lists_created);
    let lists = FixtureLists {
        q1_webinar_attendees: store.insert_static_list("Q1 Webinar Attendees", None, lists_created),
    };
    store.insert_static_list("PHP Interop Attendees", Some(php_interop), lists_created);
    store.insert_static_list("Java Interop Visitors", Some(java_interop), lists_created);

    // The getCampaignsForSource fixture's response gives these three ids.
    let campaigns = [
        campaign(
            5120,
            "Welcome Series Entry",
            "Adds new leads to the welcome track",
            nurture,
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows],
        ),
        campaign(
            5133,
            "Re-engage Dormant Leads",
            "",
            nurture,
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows],
        ),
        campaign(
            5207,
            "Send Toolkit",
            "Sends the partner toolkit email",
            partner_nurture,
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows, CampaignSource::Sales],
        ),
        campaign(
            0,
            "Send Launch Invite",
            "Emails the launch webinar invitation with its date and presenter",
            launch,
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows],
        ),
        campaign(
            0,
            "Launch Reminder Batch",
            "Reminds registered invitees the day before",
            launch,
            CampaignKind::Batch,
            vec![],
        ),
    ];
    for campaign in campaigns {
        store.insert_campaign(campaign);
    }
    lists
}

/// A fixture lead: its keys, creation time, the source of its New Lead activity, and
/// attributes by API name.
struct FixtureLead {
    id: i32,
    email: &'static str,
    foreign_sys_person_id: Option<&'static str>,
    created_at: &'static str,
    source: &'static str,
    attributes: &'static [(&'static str, &'static str)],
}

const FIXTURE_LEADS: &[FixtureLead] = &[
    FixtureLead {
        id: NADIA_LEAD_ID,
        email: NADIA_EMAIL,
        foreign_sys_person_id: None,
        created_at: "2025-11-03T14:12:00+01:00",
        source: "Web form fill-out",
        attributes: &[
            ("FirstName", "Nadia"),
            ("LastName", "Okafor"),
            ("Company", "Brightwater Analytics"),
            ("Title", "Analyst"),
            ("LeadScore", "48"),
            ("Unsubscribed", "false"),
            ("Website", "brightwater.example.com"),
        ],
    },
    FixtureLead {
        id: NADIA_DUPLICATE_LEAD_ID,
        email: NADIA_EMAIL,
        foreign_sys_person_id: Some("CRM-0044172"),
        created_at: "2025-12-10T09:30:00+01:00",
        source: "Web service API",
        attributes: &[
            ("FirstName", "Nadia"),
            ("LastName", "Okafor"),
            ("Company", "Brightwater Analytics GmbH"),
            ("LeadScore", "7"),
        ],
    },
    FixtureLead {
        id: NADIA_OLD_LEAD_ID,
        email: "n.okafor@example.org",
        foreign_sys_person_id: None,
        created_at: "2026-01-12T16:45:00+01:00",
        source: "Web form fill-out",
        attributes: &[
            ("FirstName", "Nadia"),
            ("LastName", "Okafor"),
            ("Company", "Brightwater Analytics"),
            ("LeadScore", "2"),
        ],
    },
    FixtureLead {
        id: SOREN_LEAD_ID,
        email: "soren.hakansson@example.org",
        foreign_sys_person_id: Some("CRM-0051930"),
        created_at: "2026-02-27T10:00:00+01:00",
        source: "Web service API",
        attributes: &[
            ("FirstName", "Søren"),
            ("LastName", "Håkansson"),
            ("Company", "Kestrel Freight & Logistics"),
            ("Title", "Head of Operations"),
            ("AnnualRevenue", "12500000"),
            ("LeadScore", "0"),
        ],
    },
    FixtureLead {
        id: MARCUS_LEAD_ID,
        email: "marcus.bellweather@example.com",
        foreign_sys_person_id: None,
        created_at: "2026-02-28T08:03:44+01:00",
        source: "Web service API",
        attributes: &[
            ("FirstName", "Marcus"),
            ("LastName", "Bellweather"),
            ("Company", "Juniper Loom Co."),
            ("LeadScore", "15"),
        ],
    },
];

/// Adds the fixture leads.
pub(super) fn add_leads(store: &mut Store) {
    for seed in FIXTURE_LEADS {
        let attributes = lead_attributes(store, seed.attributes);
        let created_at = time(seed.created_at);
        store.insert_lead(Lead {
            id: seed.id,
            email: Some(seed.email.into()),
            foreign_sys_person_id: seed.foreign_sys_person_id.map(String::from),
            foreign_sys_type: seed.foreign_sys_person_id.map(|_| ForeignSysType::Custom),
            cookies: Vec::new(),
            owner_id: None,
            created_at,
            updated_at: created_at,
            attributes,
        });
    }
}

/// Adds opportunities 8807 and 8812 and role 15530, which the MObject fixtures update and
/// delete. Opportunity 8899 stays absent: the deleteMObjects fixture expects it to fail.
pub(super) fn add_opportunities(store: &mut Store) {
    store.insert_opportunity(opportunity(
        8807,
        time("2026-02-10T10:00:00+01:00"),
        &[
            ("Name", text("Brightwater Analytics - S200 sensor fleet")),
            ("Amount", FieldValue::Float(36000.0)),
            ("Stage", text("Proposal")),
            ("CloseDate", date(2026, 5, 15)),
            ("Probability", FieldValue::Integer(50)),
            ("Type", text("New Business")),
        ],
    ));
    store.insert_opportunity(opportunity(
        8812,
        time("2026-02-18T15:30:00+01:00"),
        &[
            ("Name", text("Juniper Loom Co. - gateway pilot")),
            ("Amount", FieldValue::Float(9500.0)),
            ("Stage", text("Negotiation")),
            ("CloseDate", date(2026, 3, 31)),
            ("IsClosed", FieldValue::Boolean(false)),
            ("IsWon", FieldValue::Boolean(false)),
        ],
    ));

    let created = time("2026-02-10T10:05:00+01:00");
    let mut attributes = BTreeMap::new();
    attributes.insert("Role".to_string(), text("Decision Maker"));
    attributes.insert("IsPrimary".to_string(), FieldValue::Boolean(true));
    store.insert_opportunity_role(OpportunityRole {
        id: 15530,
        opportunity_id: 8807,
        person_id: NADIA_LEAD_ID,
        attributes,
        created_at: created,
        updated_at: created,
    });
}

/// Adds the custom object type `ProductRegistration` and Nadia Okafor's two
/// registrations, which the custom object fixtures read, update and delete.
pub(super) fn add_custom_objects(store: &mut Store) {
    let field = |name: &str, data_type| CustomObjectField {
        name: name.into(),
        data_type,
    };
    store
        .insert_custom_object_type(CustomObjectType {
            name: "ProductRegistration".into(),
            description: "A sensor or gateway a lead registered".into(),
            lead_link_field: "MKTOID".into(),
            key_fields: vec!["serialNumber".into()],
            fields: vec![
                field("model", FieldType::String),
                field("purchaseDate", FieldType::Date),
                field("dealer", FieldType::String),
            ],
        })
        .expect("seed object type is within the field limit");

    let registrations = [
        (
            "BW-S200-004417",
            "S200 Soil Sensor",
            date(2025, 10, 3),
            Some("Greenfield Supply"),
            "2025-10-04T08:00:00+00:00",
        ),
        (
            "BW-G10-000981",
            "G10 Edge Gateway",
            date(2026, 1, 22),
            None,
            "2026-01-23T08:00:00+00:00",
        ),
    ];
    for (serial, model, purchase_date, dealer, created) in registrations {
        let mut attributes = vec![("model", text(model)), ("purchaseDate", purchase_date)];
        if let Some(dealer) = dealer {
            attributes.push(("dealer", text(dealer)));
        }
        add_custom_object(
            store,
            "ProductRegistration",
            &[
                ("MKTOID", NADIA_LEAD_ID.to_string()),
                ("serialNumber", serial.to_string()),
            ],
            attributes,
            time(created),
        );
    }
}

/// Returns the fixture leads' activities: a New Lead each, Nadia Okafor's web and email
/// activities (getLeadActivity), and Marcus Bellweather's list and score changes
/// (getLeadChanges).
pub(super) fn activity_drafts(lists: &FixtureLists) -> Vec<Draft> {
    let mut drafts: Vec<Draft> = FIXTURE_LEADS
        .iter()
        .map(|lead| {
            draft(
                time(lead.created_at),
                lead.id,
                NEW_LEAD,
                lead.source,
                vec![Attrib::new("Source Type", lead.source)],
            )
        })
        .collect();

    drafts.push(draft(
        time("2026-02-26T11:20:05-05:00"),
        NADIA_LEAD_ID,
        VISIT_WEBPAGE,
        "pricing.html",
        vec![
            Attrib::new("Webpage ID", "3305"),
            Attrib::new("Webpage URL", "/pricing.html"),
            Attrib::new("Query Parameters", "plan=team&seats=25"),
            Attrib::new("Client IP Address", "198.51.100.23"),
        ],
    ));
    drafts.push(draft(
        time("2026-02-26T16:02:31-05:00"),
        NADIA_LEAD_ID,
        FILL_OUT_FORM,
        "Demo Request Form",
        vec![
            Attrib::new("Webform ID", "1193"),
            Attrib::new("Client IP Address", "198.51.100.23"),
            Attrib::new("Referrer URL", ""),
        ],
    ));
    drafts.push(Draft {
        campaign: Some("Spring Launch Invite".into()),
        ..draft(
            time("2026-02-27T08:00:00-05:00"),
            NADIA_LEAD_ID,
            SEND_EMAIL,
            "Spring Launch Invite.Email 1",
            vec![Attrib::new("Campaign Run ID", "4471")],
        )
    });
    drafts.push(Draft {
        campaign: Some("Spring Launch Invite".into()),
        ..draft(
            time("2026-02-27T09:14:52-05:00"),
            NADIA_LEAD_ID,
            CLICK_EMAIL,
            "Spring Launch Invite.Email 1",
            vec![
                Attrib::new(
                    "Link",
                    "https://brightwater.example.com/launch?utm_source=email&utm_medium=invite",
                ),
                Attrib::new("Campaign Run ID", "4471"),
            ],
        )
    });

    drafts.push(draft(
        time("2026-02-28T09:30:00+01:00"),
        MARCUS_LEAD_ID,
        ADD_TO_LIST,
        "Q1 Webinar Attendees",
        vec![Attrib::new(
            "List ID",
            lists.q1_webinar_attendees.to_string(),
        )],
    ));
    drafts.push(Draft {
        campaign: Some("Scoring.Web Engagement".into()),
        ..draft(
            time("2026-03-01T09:41:07+01:00"),
            MARCUS_LEAD_ID,
            CHANGE_DATA_VALUE,
            "Lead Score",
            vec![
                Attrib::new("Attribute Name", "Lead Score"),
                Attrib::new("Old Value", ""),
                Attrib::new("New Value", "15"),
                Attrib::new(
                    "Reason",
                    "Changed by Smart Campaign Scoring.Web Engagement action Change Score",
                ),
            ],
        )
    });
    drafts
}

/// Adds the static list memberships that [`activity_drafts`] logs.
pub(super) fn add_memberships(store: &mut Store, lists: &FixtureLists) {
    store
        .lists
        .get_mut(&lists.q1_webinar_attendees)
        .expect("seed list exists")
        .members
        .insert(MARCUS_LEAD_ID);
}

/// Runs the importToList fixture's import into *Launch Invitees* to completion, at the
/// fixture's times, so getImportToListStatus has a finished job to report before any
/// client imports. It goes through [`Store::import_to_list`], so the imported leads,
/// their activities and the list members are what a real call produces. Must run after
/// every other activity is logged, because its activities take the next ids.
pub(super) fn add_completed_import(store: &mut Store) {
    let started = time("2026-03-02T10:16:02+01:00");
    let clock = ManualClock::new(started);
    let original_clock = std::mem::replace(&mut store.clock, clock.shared());

    let request = ImportToListRequest {
        program_name: "2026 Spring Product Launch".into(),
        list_name: "Launch Invitees".into(),
        import_file_header: "Email Address,First Name,Last Name,Company Name".into(),
        import_file_rows: vec![
            "priya.raman@example.com,Priya,Raman,Halcyon Robotics".into(),
            "tom.achterberg@example.org,Tom,Achterberg,\"Kestrel Freight, Inc.\"".into(),
            "no-at-sign.example.com,Lena,Vogt,Juniper Loom Co.".into(),
        ],
        import_list_mode: ImportMode::UpsertLeads,
        clear_list: false,
        campaign_name: None,
    };
    store
        .import_to_list(&request)
        .expect("the seed import's program and list exist");
    clock.advance(Duration::seconds(7));
    store.finish_imports();

    store.clock = original_clock;
}
