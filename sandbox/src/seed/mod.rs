//! The seed data set: a small, made-up Marketo instance so every operation returns
//! something real.
//!
//! All names, emails, companies and ids are invented. The instance contains:
//!
//! - 20 leads (one anonymous; 1011 and 1012 share an email, as do 2204517 and 2209980)
//!   and 2 sales users;
//! - 3 workspaces (`Default`, `North America`, `EMEA`);
//! - 8 programs (one archived) with 6 program lists, and 2 standalone lists;
//! - 12 smart campaigns, 4 channels and 3 tag types;
//! - 5 opportunities with 5 roles, and 3 custom object types with 9 records;
//! - an activity log in time order, and one finished list import.
//!
//! Times are fixed, so the data set is the same on every run. The records from March
//! 2024 are the sandbox's own; those from late 2025 and 2026 are the ones the protocol
//! fixtures name ([`fixture_records`]).

pub mod fixture_records;

pub use fixture_records::{
    LAUNCH_PROGRAM_ID, MARCUS_LEAD_ID, NADIA_DUPLICATE_LEAD_ID, NADIA_EMAIL, NADIA_LEAD_ID,
    NADIA_OLD_LEAD_ID, SOREN_LEAD_ID,
};

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::store::activity_types::{
    ADD_TO_LIST, CHANGE_DATA_VALUE, CLICK_EMAIL, FILL_OUT_FORM, INTERESTING_MOMENT, NEW_LEAD,
    OPEN_EMAIL, REQUEST_CAMPAIGN, SEND_EMAIL, VISIT_WEBPAGE,
};
use crate::store::custom_objects::{CustomObjectField, CustomObjectType, StoredCustomObject};
use crate::store::{
    Activity, Attrib, Campaign, CampaignKind, CampaignSource, Channel, ChannelStatus, FieldType,
    FieldValue, ForeignSysType, Lead, Opportunity, OpportunityRole, Program, ProgramCost,
    SalesUser, Store, Tag,
};

/// Id of the seeded "Spring Roadshow 2024" program.
pub const ROADSHOW_PROGRAM_ID: i32 = 1001;
/// Id of the seeded "Quarterly Newsletter" program.
pub const NEWSLETTER_PROGRAM_ID: i32 = 1002;
/// Id of the seeded, archived "Partner Webinar 2022" program.
pub const ARCHIVED_PROGRAM_ID: i32 = 1003;
/// Id of the first seeded lead, Ada Quill.
pub const FIRST_LEAD_ID: i32 = 1001;
/// Id of the anonymous seeded lead, known only by its Munchkin cookie.
pub const ANONYMOUS_LEAD_ID: i32 = 1013;
/// The Munchkin cookie of the anonymous seeded lead.
pub const ANONYMOUS_COOKIE: &str = "id:410-QPN-228&token:_mch-sandbox.example-1710000000000-40417";
/// The email two seeded leads (1011 and 1012) share.
pub const SHARED_EMAIL: &str = "kofi@baobabcloud.example";

/// Start of the seed's time line.
fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 4, 9, 0, 0)
        .single()
        .expect("valid fixed date")
}

fn at(days: i64, hours: i64) -> DateTime<Utc> {
    base_time() + Duration::days(days) + Duration::hours(hours)
}

/// Fills `store` with the seed data set. Expects an empty store.
pub fn populate(store: &mut Store) {
    add_sales_users(store);
    add_tags_and_channels(store);
    fixture_records::add_workspaces(store);
    let lists = add_programs_and_lists(store);
    add_campaigns(store);
    let fixture_lists = fixture_records::add_programs_lists_and_campaigns(store);
    add_leads(store);
    fixture_records::add_leads(store);
    add_opportunities(store);
    fixture_records::add_opportunities(store);
    add_custom_objects(store);
    fixture_records::add_custom_objects(store);
    let fixture_drafts = fixture_records::activity_drafts(&fixture_lists);
    add_activities_and_memberships(store, &lists, fixture_drafts);
    fixture_records::add_memberships(store, &fixture_lists);
    fixture_records::add_completed_import(store);
}

fn add_sales_users(store: &mut Store) {
    store.insert_sales_user(SalesUser {
        id: 1,
        email: "marta.kowalski@sandbox-sales.example".into(),
        first_name: "Marta".into(),
        last_name: "Kowalski".into(),
        crm_user_id: Some("005SBX000000001".into()),
    });
    store.insert_sales_user(SalesUser {
        id: 2,
        email: "owen.price@sandbox-sales.example".into(),
        first_name: "Owen".into(),
        last_name: "Price".into(),
        crm_user_id: Some("005SBX000000002".into()),
    });
}

fn status(name: &str, step: i32, success: bool, check_in: Option<&str>) -> ChannelStatus {
    ChannelStatus {
        name: name.into(),
        step,
        success,
        check_in_status: check_in.map(String::from),
    }
}

fn add_tags_and_channels(store: &mut Store) {
    store.insert_channel(Channel {
        name: "Roadshow".into(),
        applies_to: "Event".into(),
        statuses: vec![
            status("Invited", 10, false, Some("None")),
            status("Registered", 20, false, Some("None")),
            status("No Show", 30, false, Some("No Show")),
            status("Attended", 40, true, Some("Attended")),
        ],
    });
    store.insert_channel(Channel {
        name: "Email Send".into(),
        applies_to: "Email".into(),
        statuses: vec![
            status("Member", 5, false, None),
            status("Sent", 10, false, None),
            status("Engaged", 20, true, None),
        ],
    });
    store.insert_channel(Channel {
        name: "Webinar".into(),
        applies_to: "Event".into(),
        statuses: vec![
            status("Invited", 10, false, Some("None")),
            status("Registered", 20, false, Some("None")),
            status("No Show", 30, false, Some("No Show")),
            status("Attended", 40, true, Some("Attended")),
            status("Attended On-demand", 50, true, Some("Attended On-demand")),
        ],
    });
    store.insert_channel(Channel {
        name: "Content".into(),
        applies_to: "Program".into(),
        statuses: vec![
            status("Member", 10, false, None),
            status("Engaged", 20, true, None),
        ],
    });

    store.insert_tag(Tag {
        tag_type: "Region".into(),
        values: vec![
            "North America".into(),
            "EMEA".into(),
            "APAC".into(),
            "LATAM".into(),
        ],
    });
    store.insert_tag(Tag {
        tag_type: "Product Line".into(),
        values: vec!["Sensors".into(), "Gateways".into(), "Cloud Console".into()],
    });
    store.insert_tag(Tag {
        tag_type: "Cost Center".into(),
        values: vec!["CC-110 Field Marketing".into(), "CC-120 Digital".into()],
    });
}

/// Ids of the seeded lists.
struct SeedLists {
    invited: i32,
    attended: i32,
    subscribers: i32,
    vip: i32,
}

fn add_programs_and_lists(store: &mut Store) -> SeedLists {
    let created = Utc
        .with_ymd_and_hms(2024, 2, 1, 16, 0, 0)
        .single()
        .expect("valid fixed date");
    store.insert_program(Program {
        id: ROADSHOW_PROGRAM_ID,
        name: "Spring Roadshow 2024".into(),
        description: "Three-city roadshow for the FS sensor line".into(),
        program_type: "Event".into(),
        channel: "Roadshow".into(),
        workspace: "Default".into(),
        folder: "/Marketing Activities/Default/Events".into(),
        archived: false,
        crm_id: Some("701SBX000000101".into()),
        created_at: created,
        updated_at: created,
        tags: vec![
            Attrib::new("Region", "North America"),
            Attrib::new("Product Line", "Sensors"),
        ],
        costs: vec![
            ProgramCost {
                id: 1,
                month: "2024-03".into(),
                amount: 12000.0,
                note: Some("Venue hire".into()),
            },
            ProgramCost {
                id: 2,
                month: "2024-04".into(),
                amount: 3500.0,
                note: Some("Booth printing".into()),
            },
        ],
        tokens: vec![
            Attrib::new("{{my.City}}", "Portland"),
            Attrib::new("{{my.Booth}}", "B12"),
        ],
    });
    store.insert_program(Program {
        id: NEWSLETTER_PROGRAM_ID,
        name: "Quarterly Newsletter".into(),
        description: "Customer newsletter, one issue per quarter".into(),
        program_type: "Email".into(),
        channel: "Email Send".into(),
        workspace: "Default".into(),
        folder: "/Marketing Activities/Default/Nurture".into(),
        archived: false,
        crm_id: None,
        created_at: created,
        updated_at: created,
        tags: vec![Attrib::new("Region", "EMEA")],
        costs: Vec::new(),
        tokens: vec![Attrib::new("{{my.Issue}}", "Spring 2024")],
    });
    store.insert_program(Program {
        id: ARCHIVED_PROGRAM_ID,
        name: "Partner Webinar 2022".into(),
        description: "Joint webinar with a channel partner".into(),
        program_type: "Event".into(),
        channel: "Webinar".into(),
        workspace: "Default".into(),
        folder: "/Marketing Activities/Default/Archive".into(),
        archived: true,
        crm_id: None,
        created_at: created - Duration::days(700),
        updated_at: created - Duration::days(600),
        tags: vec![Attrib::new("Cost Center", "CC-120 Digital")],
        costs: vec![ProgramCost {
            id: 3,
            month: "2022-05".into(),
            amount: 900.0,
            note: None,
        }],
        tokens: Vec::new(),
    });

    SeedLists {
        invited: store.insert_static_list("Invited", Some(ROADSHOW_PROGRAM_ID), created),
        attended: store.insert_static_list("Attended", Some(ROADSHOW_PROGRAM_ID), created),
        subscribers: store.insert_static_list("Subscribers", Some(NEWSLETTER_PROGRAM_ID), created),
        vip: store.insert_static_list("VIP Accounts", None, created),
    }
}

fn add_campaigns(store: &mut Store) {
    let campaigns = [
        (
            "Send Invitation",
            "Emails the roadshow invitation",
            Some(ROADSHOW_PROGRAM_ID),
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows],
        ),
        (
            "Thank Attendees",
            "Thank-you email after each stop",
            Some(ROADSHOW_PROGRAM_ID),
            CampaignKind::Batch,
            vec![],
        ),
        (
            "Booth Follow-up",
            "Alerts the owner after a booth visit",
            Some(ROADSHOW_PROGRAM_ID),
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows, CampaignSource::Sales],
        ),
        (
            "Welcome Subscriber",
            "First issue for new subscribers",
            Some(NEWSLETTER_PROGRAM_ID),
            CampaignKind::Trigger,
            vec![CampaignSource::Mktows],
        ),
        (
            "Quarterly Send",
            "Sends the current issue",
            Some(NEWSLETTER_PROGRAM_ID),
            CampaignKind::Batch,
            vec![],
        ),
        (
            "Score Web Visits",
            "Adds score for page visits",
            Some(NEWSLETTER_PROGRAM_ID),
            CampaignKind::Trigger,
            vec![],
        ),
        (
            "Sales Nudge",
            "Sales Insight reminder email",
            None,
            CampaignKind::Trigger,
            vec![CampaignSource::Sales],
        ),
    ];
    for (name, description, program_id, kind, requestable_by) in campaigns {
        store.insert_campaign(Campaign {
            id: 0,
            name: name.into(),
            description: description.into(),
            program_id,
            kind,
            requestable_by,
        });
    }
}

/// A made-up lead: id, email, days after the base time it was created, and attributes
/// by API name.
struct SeedLead {
    id: i32,
    email: Option<&'static str>,
    created_day: i64,
    owner_id: Option<i32>,
    attributes: &'static [(&'static str, &'static str)],
}

const SEED_LEADS: &[SeedLead] = &[
    SeedLead {
        id: 1001,
        email: Some("ada.quill@lumenfield.example"),
        created_day: 0,
        owner_id: Some(1),
        attributes: &[
            ("FirstName", "Ada"),
            ("LastName", "Quill"),
            ("Company", "Lumenfield Optics"),
            ("Title", "Head of Procurement"),
            ("City", "Portland"),
            ("State", "OR"),
            ("Country", "United States"),
            ("Phone", "+1 503 555 0141"),
            ("LeadScore", "48"),
            ("LeadSource", "Roadshow"),
            ("SFDCLeadId", "00QSBX000000001"),
            ("SFDCAccountId", "001SBX000000001"),
            ("SFDCOpptyId", "006SBX000000001"),
            ("NumberOfEmployees", "420"),
            ("PreferredLanguage", "en"),
        ],
    },
    SeedLead {
        id: 1002,
        email: Some("bruno.tavares@kestrelworks.example"),
        created_day: 0,
        owner_id: Some(2),
        attributes: &[
            ("FirstName", "Bruno"),
            ("LastName", "Tavares"),
            ("Company", "Kestrel Works"),
            ("Title", "Plant Manager"),
            ("City", "Porto"),
            ("Country", "Portugal"),
            ("LeadScore", "72"),
            ("SFDCContactId", "003SBX000000002"),
            ("SFDCAccountId", "001SBX000000002"),
            ("AnnualRevenue", "18500000"),
            ("SeatCount", "25"),
        ],
    },
    SeedLead {
        id: 1003,
        email: Some("chiara.bellini@orchardlane.example"),
        created_day: 1,
        owner_id: None,
        attributes: &[
            ("FirstName", "Chiara"),
            ("LastName", "Bellini"),
            ("Company", "Orchard Lane Foods"),
            ("Title", "Quality Lead"),
            ("City", "Bologna"),
            ("Country", "Italy"),
            ("LeadScore", "15"),
            ("NewsletterOptIn", "true"),
            ("PreferredLanguage", "it"),
        ],
    },
    SeedLead {
        id: 1004,
        email: Some("dmitri.volkov@tundrarobotics.example"),
        created_day: 1,
        owner_id: Some(1),
        attributes: &[
            ("FirstName", "Dmitri"),
            ("LastName", "Volkov"),
            ("Company", "Tundra Robotics"),
            ("Title", "CTO"),
            ("City", "Denver"),
            ("State", "CO"),
            ("Country", "United States"),
            ("LeadScore", "61"),
            ("Website", "tundrarobotics.example"),
            ("SFDCLeadId", "00QSBX000000004"),
        ],
    },
    SeedLead {
        id: 1005,
        email: Some("esi.mensah@baobabcloud.example"),
        created_day: 2,
        owner_id: Some(2),
        attributes: &[
            ("FirstName", "Esi"),
            ("LastName", "Mensah"),
            ("Company", "Baobab Cloud"),
            ("Title", "VP Engineering"),
            ("City", "Accra"),
            ("Country", "Ghana"),
            ("LeadScore", "55"),
            ("TrialEndsAt", "2024-04-30T23:59:00+00:00"),
            ("SFDCContactId", "003SBX000000005"),
            ("SFDCAccountId", "001SBX000000005"),
        ],
    },
    SeedLead {
        id: 1006,
        email: Some("farah.haddad@cedarline.example"),
        created_day: 2,
        owner_id: None,
        attributes: &[
            ("FirstName", "Farah"),
            ("LastName", "Haddad"),
            ("Company", "Cedarline Analytics"),
            ("Title", "Data Scientist"),
            ("City", "Amman"),
            ("Country", "Jordan"),
            ("LeadScore", "9"),
            ("NewsletterOptIn", "true"),
        ],
    },
    SeedLead {
        id: 1007,
        email: Some("gustav.lindqvist@fjordsensors.example"),
        created_day: 3,
        owner_id: Some(1),
        attributes: &[
            ("FirstName", "Gustav"),
            ("LastName", "Lindqvist"),
            ("Company", "Fjord Sensors"),
            ("Title", "Field Engineer"),
            ("City", "Bergen"),
            ("Country", "Norway"),
            ("LeadScore", "33"),
            ("MobilePhone", "+47 555 01 777"),
        ],
    },
    SeedLead {
        id: 1008,
        email: Some("hana.sato@kumoya.example"),
        created_day: 3,
        owner_id: None,
        attributes: &[
            ("FirstName", "Hana"),
            ("LastName", "Sato"),
            ("Company", "Kumoya Design"),
            ("Title", "Creative Director"),
            ("City", "Osaka"),
            ("Country", "Japan"),
            ("LeadScore", "27"),
            ("DateofBirth", "1988-11-23"),
            ("Unsubscribed", "false"),
        ],
    },
    SeedLead {
        id: 1009,
        email: Some("ignacio.ruiz@sierraverde.example"),
        created_day: 4,
        owner_id: None,
        attributes: &[
            ("FirstName", "Ignacio"),
            ("LastName", "Ruiz"),
            ("Company", "Sierra Verde Power"),
            ("Title", "Operations Analyst"),
            ("City", "Sevilla"),
            ("Country", "Spain"),
            ("LeadScore", "4"),
            ("Unsubscribed", "true"),
            ("DoNotCall", "true"),
        ],
    },
    SeedLead {
        id: 1010,
        email: Some("jun.park@lumenfield.example"),
        created_day: 5,
        owner_id: Some(1),
        attributes: &[
            ("FirstName", "Jun"),
            ("LastName", "Park"),
            ("Company", "Lumenfield Optics"),
            ("Title", "Systems Architect"),
            ("City", "Portland"),
            ("State", "OR"),
            ("Country", "United States"),
            ("LeadScore", "40"),
            ("SFDCAccountId", "001SBX000000001"),
        ],
    },
    SeedLead {
        id: 1011,
        email: Some(SHARED_EMAIL),
        created_day: 6,
        owner_id: None,
        attributes: &[
            ("FirstName", "Kofi"),
            ("LastName", "Boateng"),
            ("Company", "Baobab Cloud"),
            ("LeadScore", "12"),
        ],
    },
    SeedLead {
        id: 1012,
        email: Some(SHARED_EMAIL),
        created_day: 8,
        owner_id: Some(2),
        attributes: &[
            ("FirstName", "Kofi"),
            ("LastName", "Boateng"),
            ("Company", "Baobab Cloud"),
            ("Title", "Solutions Engineer"),
            ("City", "Kumasi"),
            ("Country", "Ghana"),
            ("LeadScore", "21"),
        ],
    },
    SeedLead {
        id: ANONYMOUS_LEAD_ID,
        email: None,
        created_day: 9,
        owner_id: None,
        attributes: &[
            ("AnonymousIP", "198.51.100.23"),
            ("InferredCompany", "Cedarline Analytics"),
            ("InferredCountry", "Jordan"),
        ],
    },
];

/// Converts seed attributes, by API name, to typed lead field values.
fn lead_attributes(
    store: &Store,
    seed_attributes: &[(&str, &str)],
) -> BTreeMap<String, FieldValue> {
    let mut attributes = BTreeMap::new();
    for (name, text) in seed_attributes {
        let field = store
            .lead_field(name)
            .unwrap_or_else(|| panic!("seed attribute {name} is not in the catalogue"));
        let value = field
            .data_type
            .parse_value(text)
            .unwrap_or_else(|reason| panic!("seed value of {name}: {reason}"));
        if let Some(value) = value {
            attributes.insert(field.name.clone(), value);
        }
    }
    attributes
}

fn add_leads(store: &mut Store) {
    for seed in SEED_LEADS {
        let attributes = lead_attributes(store, seed.attributes);
        let created_at = at(seed.created_day, 0);
        store.insert_lead(Lead {
            id: seed.id,
            email: seed.email.map(String::from),
            foreign_sys_person_id: (seed.id == 1007).then(|| "ERP-7781".to_string()),
            foreign_sys_type: (seed.id == 1007).then_some(ForeignSysType::Custom),
            cookies: if seed.id == ANONYMOUS_LEAD_ID {
                vec![ANONYMOUS_COOKIE.to_string()]
            } else {
                Vec::new()
            },
            owner_id: seed.owner_id,
            created_at,
            updated_at: created_at,
            attributes,
        });
    }
}

fn opportunity(id: i32, created: DateTime<Utc>, values: &[(&str, FieldValue)]) -> Opportunity {
    let attributes = values
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect();
    Opportunity {
        id,
        attributes,
        created_at: created,
        updated_at: created,
    }
}

fn text(value: &str) -> FieldValue {
    FieldValue::String(value.into())
}

fn date(year: i32, month: u32, day: u32) -> FieldValue {
    FieldValue::Date(NaiveDate::from_ymd_opt(year, month, day).expect("valid fixed date"))
}

fn add_opportunities(store: &mut Store) {
    store.insert_opportunity(opportunity(
        1,
        at(10, 2),
        &[
            ("Name", text("Lumenfield - FS sensor rollout")),
            ("Amount", FieldValue::Float(48000.0)),
            ("Stage", text("Proposal")),
            ("CloseDate", date(2024, 6, 28)),
            ("Probability", FieldValue::Integer(60)),
            ("Type", text("New Business")),
            ("LeadSource", text("Roadshow")),
            ("IsClosed", FieldValue::Boolean(false)),
            ("IsWon", FieldValue::Boolean(false)),
        ],
    ));
    store.insert_opportunity(opportunity(
        2,
        at(3, 5),
        &[
            ("Name", text("Kestrel Works - gateway renewal")),
            ("Amount", FieldValue::Float(15500.0)),
            ("Stage", text("Closed Won")),
            ("CloseDate", date(2024, 3, 20)),
            ("Probability", FieldValue::Integer(100)),
            ("Type", text("Renewal")),
            ("IsClosed", FieldValue::Boolean(true)),
            ("IsWon", FieldValue::Boolean(true)),
        ],
    ));
    store.insert_opportunity(opportunity(
        3,
        at(12, 1),
        &[
            ("Name", text("Baobab Cloud - console pilot")),
            ("Amount", FieldValue::Float(7200.0)),
            ("Stage", text("Qualification")),
            ("Probability", FieldValue::Integer(20)),
            ("Type", text("New Business")),
        ],
    ));

    let roles = [
        (1, 1, 1001, "Decision Maker", true),
        (2, 1, 1010, "Technical Evaluator", false),
        (3, 2, 1002, "Economic Buyer", true),
        (4, 3, 1005, "Champion", true),
    ];
    for (id, opportunity_id, person_id, role, primary) in roles {
        let mut attributes = BTreeMap::new();
        attributes.insert("Role".to_string(), text(role));
        attributes.insert("IsPrimary".to_string(), FieldValue::Boolean(primary));
        store.insert_opportunity_role(OpportunityRole {
            id,
            opportunity_id,
            person_id,
            attributes,
            created_at: at(12, 3),
            updated_at: at(12, 3),
        });
    }
}

fn add_custom_objects(store: &mut Store) {
    let field = |name: &str, data_type| CustomObjectField {
        name: name.into(),
        data_type,
    };
    store
        .insert_custom_object_type(CustomObjectType {
            name: "BoothVisit".into(),
            description: "A lead's visit to a roadshow booth".into(),
            lead_link_field: "leadId".into(),
            key_fields: vec!["visitCode".into()],
            fields: vec![
                field("city", FieldType::String),
                field("boothNumber", FieldType::Integer),
                field("visitedAt", FieldType::Datetime),
                field("interestLevel", FieldType::String),
            ],
        })
        .expect("seed object type is within the field limit");
    store
        .insert_custom_object_type(CustomObjectType {
            name: "DeviceRegistration".into(),
            description: "A product registered by a lead".into(),
            lead_link_field: "leadId".into(),
            key_fields: vec!["serialNumber".into()],
            fields: vec![
                field("model", FieldType::String),
                field("registeredOn", FieldType::Date),
                field("firmware", FieldType::String),
            ],
        })
        .expect("seed object type is within the field limit");

    let visits = [
        (1001, "BV-PDX-001", "Portland", 12, at(8, 6), "High"),
        (1001, "BV-SEA-004", "Seattle", 7, at(15, 4), "Medium"),
        (1010, "BV-PDX-002", "Portland", 12, at(8, 7), "High"),
        (1004, "BV-DEN-001", "Denver", 3, at(22, 5), "Low"),
    ];
    for (lead_id, code, city, booth, visited_at, interest) in visits {
        add_custom_object(
            store,
            "BoothVisit",
            &[("leadId", lead_id.to_string()), ("visitCode", code.into())],
            vec![
                ("city", text(city)),
                ("boothNumber", FieldValue::Integer(booth)),
                ("visitedAt", FieldValue::Datetime(visited_at)),
                ("interestLevel", text(interest)),
            ],
            at(20, 0),
        );
    }
    let devices = [
        (1007, "FS20-000117", "FS-20", date(2023, 11, 2), "2.4.1"),
        (1007, "FS20-000118", "FS-20", date(2023, 11, 2), "2.4.1"),
        (
            1002,
            "GW8-004410",
            "GW-8 Gateway",
            date(2024, 1, 19),
            "1.9.0",
        ),
    ];
    for (lead_id, serial, model, registered_on, firmware) in devices {
        add_custom_object(
            store,
            "DeviceRegistration",
            &[
                ("leadId", lead_id.to_string()),
                ("serialNumber", serial.into()),
            ],
            vec![
                ("model", text(model)),
                ("registeredOn", registered_on),
                ("firmware", text(firmware)),
            ],
            at(20, 0),
        );
    }
}

fn add_custom_object(
    store: &mut Store,
    object_type: &str,
    keys: &[(&str, String)],
    attributes: Vec<(&str, FieldValue)>,
    created: DateTime<Utc>,
) {
    store.insert_custom_object(StoredCustomObject {
        id: 0,
        object_type: object_type.into(),
        keys: keys
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect(),
        attributes: attributes
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
        created_at: created,
        updated_at: created,
    });
}

/// An activity before it gets its id.
struct Draft {
    time: DateTime<Utc>,
    lead_id: i32,
    activity_type: &'static str,
    primary: Option<String>,
    campaign: Option<String>,
    attributes: Vec<Attrib>,
}

fn draft(
    time: DateTime<Utc>,
    lead_id: i32,
    activity_type: &'static str,
    primary: &str,
    attributes: Vec<Attrib>,
) -> Draft {
    Draft {
        time,
        lead_id,
        activity_type,
        primary: Some(primary.into()),
        campaign: None,
        attributes,
    }
}

/// Logs the seed's activities, plus `extra_drafts`, in time order, and fills the seed
/// lists.
fn add_activities_and_memberships(store: &mut Store, lists: &SeedLists, extra_drafts: Vec<Draft>) {
    let mut drafts: Vec<Draft> = extra_drafts;

    for seed in SEED_LEADS {
        let source = if seed.email.is_some() {
            "Web form fill-out"
        } else {
            "Web page visit"
        };
        drafts.push(draft(
            at(seed.created_day, 0),
            seed.id,
            NEW_LEAD,
            source,
            vec![Attrib::new("Source Type", source)],
        ));
    }

    let memberships = [
        (
            lists.invited,
            "Invited",
            vec![1001, 1002, 1004, 1005, 1010],
            6,
        ),
        (lists.attended, "Attended", vec![1001, 1004, 1010], 8),
        (
            lists.subscribers,
            "Subscribers",
            vec![1003, 1005, 1006, 1008, 1009],
            7,
        ),
        (lists.vip, "VIP Accounts", vec![1001, 1002], 11),
    ];
    for (list_id, list_name, members, day) in &memberships {
        for (index, lead_id) in members.iter().enumerate() {
            let time = at(*day, 1) + Duration::minutes(index as i64);
            drafts.push(draft(
                time,
                *lead_id,
                ADD_TO_LIST,
                list_name,
                vec![Attrib::new("List ID", list_id.to_string())],
            ));
        }
    }

    let visits = [
        (1001, "Roadshow Schedule", "/events/spring-roadshow"),
        (1004, "Pricing", "/pricing"),
        (1008, "Blog: Sensor Design", "/blog/sensor-design"),
        (ANONYMOUS_LEAD_ID, "Careers", "/careers"),
        (1006, "Pricing", "/pricing"),
    ];
    for (index, (lead_id, page, url)) in visits.into_iter().enumerate() {
        drafts.push(draft(
            at(9, 2) + Duration::minutes(7 * index as i64),
            lead_id,
            VISIT_WEBPAGE,
            page,
            vec![
                Attrib::new("Webpage URL", url),
                Attrib::new("Client IP Address", format!("198.51.100.{}", 10 + index)),
            ],
        ));
    }
    drafts.push(draft(
        at(9, 3),
        1004,
        FILL_OUT_FORM,
        "Contact Sales",
        vec![Attrib::new("Webpage URL", "/contact")],
    ));

    for (index, lead_id) in [1003, 1005, 1006, 1008, 1009].into_iter().enumerate() {
        let time = at(12, 8) + Duration::minutes(index as i64);
        drafts.push(Draft {
            campaign: Some("Quarterly Send".into()),
            ..draft(
                time,
                lead_id,
                SEND_EMAIL,
                "Newsletter - Spring 2024",
                vec![],
            )
        });
    }
    drafts.push(draft(
        at(12, 10),
        1005,
        OPEN_EMAIL,
        "Newsletter - Spring 2024",
        vec![Attrib::new("Device", "Mobile")],
    ));
    drafts.push(draft(
        at(12, 11),
        1005,
        CLICK_EMAIL,
        "Newsletter - Spring 2024",
        vec![Attrib::new("Link", "/console/pilot")],
    ));
    drafts.push(draft(
        at(12, 11) + Duration::minutes(2),
        1003,
        OPEN_EMAIL,
        "Newsletter - Spring 2024",
        vec![Attrib::new("Device", "Desktop")],
    ));

    drafts.push(Draft {
        campaign: Some("Send Invitation".into()),
        ..draft(
            at(6, 2),
            1002,
            REQUEST_CAMPAIGN,
            "Send Invitation",
            vec![
                Attrib::new("Campaign ID", "1"),
                Attrib::new("Source", "Web service API"),
            ],
        )
    });
    drafts.push(Draft {
        campaign: Some("Booth Follow-up".into()),
        ..draft(
            at(8, 9),
            1001,
            INTERESTING_MOMENT,
            "Visited booth B12",
            vec![Attrib::new("Type", "Milestone")],
        )
    });

    let score_changes = [
        (1001, "36", "48", at(9, 4)),
        (1004, "45", "61", at(9, 5)),
        (1002, "70", "72", at(13, 1)),
    ];
    for (lead_id, old, new, time) in score_changes {
        drafts.push(Draft {
            campaign: Some("Score Web Visits".into()),
            ..draft(
                time,
                lead_id,
                CHANGE_DATA_VALUE,
                "Lead Score",
                vec![
                    Attrib::new("Attribute Name", "Lead Score"),
                    Attrib::new("Old Value", old),
                    Attrib::new("New Value", new),
                    Attrib::new("Reason", "Changed by Smart Campaign Score Web Visits"),
                ],
            )
        });
    }
    drafts.push(draft(
        at(14, 2),
        1005,
        CHANGE_DATA_VALUE,
        "Job Title",
        vec![
            Attrib::new("Attribute Name", "Job Title"),
            Attrib::new("Old Value", "Director of Engineering"),
            Attrib::new("New Value", "VP Engineering"),
            Attrib::new("Reason", "Web service API"),
        ],
    ));

    drafts.sort_by_key(|draft| (draft.time, draft.lead_id));
    for draft in drafts {
        let id = store.next_activity_id();
        store.insert_activity(Activity {
            id,
            lead_id: draft.lead_id,
            activity_type: draft.activity_type.to_string(),
            created_at: draft.time,
            primary_attribute: draft.primary,
            campaign: draft.campaign,
            attributes: draft.attributes,
        });
        if let Some(lead) = store.leads.get_mut(&draft.lead_id) {
            lead.updated_at = lead.updated_at.max(draft.time);
        }
    }

    for (list_id, _, members, _) in memberships {
        for lead_id in members {
            store
                .lists
                .get_mut(&list_id)
                .expect("seed list exists")
                .members
                .insert(lead_id);
        }
    }
}
