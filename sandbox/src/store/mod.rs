//! The in-memory Marketo instance and its operations.
//!
//! [`Store`] contains every record of one Marketo instance: leads, sales users, programs
//! with their static lists, workspaces, smart campaigns, channels and tags, MObjects,
//! custom objects, the activity log and import jobs. Each SOAP operation is one method,
//! in domain terms, that returns a domain result or a
//! [`SandboxError`](crate::error::SandboxError) carrying Marketo's fault code. The
//! submodules group the methods by subject.
//!
//! The store serializes to JSON, so `--data FILE` can keep it between runs (see
//! [`Store::load`] and [`Store::save`]). Time is read from an injectable clock; import
//! jobs finish when that clock passes their due time, or at once with
//! [`Store::finish_imports`].

pub mod activity;
pub mod activity_types;
pub mod campaigns;
pub mod custom_objects;
pub mod fields;
pub mod import;
pub mod leads;
pub mod lists;
pub mod mobjects;
mod persist;
pub mod tags;
pub mod workspaces;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::{system_clock, SharedClock};

pub use activity::{
    Activity, ActivityFilter, ActivityRecord, LeadActivityPage, LeadActivityRequest,
    LeadChangeRecord, LeadChangesPage, LeadChangesRequest,
};
pub use campaigns::{
    Campaign, CampaignKind, CampaignRecord, CampaignRequestRecord, CampaignSchedule,
    CampaignSource, RequestCampaignRequest, ScheduleCampaignRequest,
};
pub use custom_objects::{
    CustomObjectField, CustomObjectInput, CustomObjectRecord, CustomObjectStatus,
    CustomObjectStatusKind, CustomObjectType, CustomObjectsPage, GetCustomObjectsRequest,
    StoredCustomObject,
};
pub use fields::{FieldDef, FieldStorage, FieldType, FieldValue};
pub use import::{
    ImportJob, ImportMode, ImportStatus, ImportToListRequest, ImportToListStatus, ImportedTokens,
};
pub use leads::{
    ForeignSysType, GetMultipleLeadsRequest, Lead, LeadInput, LeadKey, LeadKeyType,
    LeadMergeStatus, LeadRecord, LeadSelector, LeadSyncStatus, MergeStatus, MultipleLeadsPage,
    SalesUser, SyncLeadRequest, SyncLeadResult, SyncStatus,
};
pub use lists::{
    LeadStatus, ListKey, ListKeyType, ListOperationRequest, ListOperationResult, ListOperationType,
    Program, ProgramCost, StaticList,
};
pub use mobjects::{
    Comparison, GetMObjectsRequest, MObjAssociation, MObjCriterion, MObjFieldMetadata, MObjStatus,
    MObjStatusKind, MObject, MObjectInput, MObjectMetadata, MObjectType, MObjectsPage, Opportunity,
    OpportunityRole, SyncOperation, TypeAttrib,
};
pub use tags::{Channel, ChannelStatus, Tag, TagQuery};
pub use workspaces::{Workspace, DEFAULT_WORKSPACE, DEFAULT_WORKSPACE_ID};

/// The version of the JSON layout that [`Store::save`] writes and [`Store::load`] reads.
pub const STORE_FORMAT_VERSION: u32 = 1;

/// A name/value pair with an optional type, the WSDL's `Attribute`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// `attrName`.
    pub name: String,
    /// `attrType`: a field type for lead attributes, absent elsewhere.
    pub attr_type: Option<String>,
    /// `attrValue`.
    pub value: String,
}

impl Attribute {
    /// Creates an untyped attribute.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Attribute {
            name: name.into(),
            attr_type: None,
            value: value.into(),
        }
    }

    /// Creates a typed attribute.
    pub fn typed(
        name: impl Into<String>,
        attr_type: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Attribute {
            name: name.into(),
            attr_type: Some(attr_type.into()),
            value: value.into(),
        }
    }
}

/// A plain name/value pair, the WSDL's `Attrib`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attrib {
    /// `name`.
    pub name: String,
    /// `value`.
    pub value: String,
}

impl Attrib {
    /// Creates a name/value pair.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Attrib {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// Behaviour settings kept with the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreSettings {
    /// Time an import job stays PROCESSING before its rows are applied, in milliseconds.
    pub import_processing_millis: i64,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            import_processing_millis: 2_000,
        }
    }
}

impl StoreSettings {
    /// Returns the import processing time as a duration.
    pub fn import_processing_time(&self) -> Duration {
        Duration::milliseconds(self.import_processing_millis.max(0))
    }
}

/// The next id of each record kind. Ids are never reused, even after a delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Counters {
    pub lead: i32,
    pub activity: i32,
    pub program: i32,
    pub list: i32,
    pub campaign: i32,
    pub opportunity: i32,
    pub opportunity_role: i32,
    pub custom_object: i64,
    pub import_job: i32,
    pub program_cost: i32,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            lead: 1,
            activity: 1,
            program: 1001,
            list: 1,
            campaign: 1,
            opportunity: 1,
            opportunity_role: 1,
            custom_object: 1,
            import_job: 1,
            program_cost: 1,
        }
    }
}

fn take_next<T: Copy + std::ops::AddAssign + From<u8>>(counter: &mut T) -> T {
    let id = *counter;
    *counter += T::from(1u8);
    id
}

/// One Marketo instance in memory.
#[derive(Debug, Serialize, Deserialize)]
pub struct Store {
    pub(crate) format_version: u32,
    pub(crate) settings: StoreSettings,
    pub(crate) counters: Counters,
    pub(crate) lead_fields: Vec<FieldDef>,
    pub(crate) leads: BTreeMap<i32, Lead>,
    pub(crate) sales_users: BTreeMap<i32, SalesUser>,
    pub(crate) programs: BTreeMap<i32, Program>,
    pub(crate) lists: BTreeMap<i32, StaticList>,
    pub(crate) campaigns: BTreeMap<i32, Campaign>,
    pub(crate) campaign_requests: Vec<CampaignRequestRecord>,
    pub(crate) campaign_schedules: Vec<CampaignSchedule>,
    pub(crate) channels: Vec<Channel>,
    pub(crate) tags: Vec<Tag>,
    /// Absent in files saved before workspaces were kept; those get only `Default`.
    #[serde(default = "workspaces::default_workspaces")]
    pub(crate) workspaces: Vec<Workspace>,
    pub(crate) opportunities: BTreeMap<i32, Opportunity>,
    pub(crate) opportunity_roles: BTreeMap<i32, OpportunityRole>,
    pub(crate) custom_object_types: Vec<CustomObjectType>,
    pub(crate) custom_objects: BTreeMap<i64, StoredCustomObject>,
    pub(crate) activities: BTreeMap<i32, Activity>,
    pub(crate) import_jobs: Vec<ImportJob>,
    #[serde(skip, default = "system_clock")]
    pub(crate) clock: SharedClock,
}

impl Store {
    /// Creates an instance with the standard lead fields and no records, on the system
    /// clock.
    pub fn empty() -> Self {
        Store {
            format_version: STORE_FORMAT_VERSION,
            settings: StoreSettings::default(),
            counters: Counters::default(),
            lead_fields: fields::default_lead_fields(),
            leads: BTreeMap::new(),
            sales_users: BTreeMap::new(),
            programs: BTreeMap::new(),
            lists: BTreeMap::new(),
            campaigns: BTreeMap::new(),
            campaign_requests: Vec::new(),
            campaign_schedules: Vec::new(),
            channels: Vec::new(),
            tags: Vec::new(),
            workspaces: workspaces::default_workspaces(),
            opportunities: BTreeMap::new(),
            opportunity_roles: BTreeMap::new(),
            custom_object_types: Vec::new(),
            custom_objects: BTreeMap::new(),
            activities: BTreeMap::new(),
            import_jobs: Vec::new(),
            clock: system_clock(),
        }
    }

    /// Creates an instance filled with the seed data set of [`crate::seed`].
    pub fn seeded() -> Self {
        let mut store = Store::empty();
        crate::seed::populate(&mut store);
        store
    }

    /// Replaces the clock, for example with a [`ManualClock`](crate::clock::ManualClock).
    pub fn set_clock(&mut self, clock: SharedClock) {
        self.clock = clock;
    }

    /// Returns a builder-style copy of `self` on `clock`.
    pub fn with_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Returns the settings.
    pub fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    /// Returns the settings for changing.
    pub fn settings_mut(&mut self) -> &mut StoreSettings {
        &mut self.settings
    }

    /// Returns the current time of the store's clock, in whole seconds: Marketo's
    /// timestamps had no fractions, and a stored time must survive the round trip through
    /// a dateTime the client sends back (such as `latestCreatedAt`) unchanged.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(0)
    }

    /// Starts an operation: applies import jobs that came due and returns the time.
    pub(crate) fn begin_operation(&mut self) -> DateTime<Utc> {
        let now = self.now();
        self.run_due_imports(now);
        now
    }

    pub(crate) fn next_lead_id(&mut self) -> i32 {
        take_next(&mut self.counters.lead)
    }

    pub(crate) fn next_activity_id(&mut self) -> i32 {
        take_next(&mut self.counters.activity)
    }

    pub(crate) fn next_program_id(&mut self) -> i32 {
        take_next(&mut self.counters.program)
    }

    pub(crate) fn next_list_id(&mut self) -> i32 {
        take_next(&mut self.counters.list)
    }

    pub(crate) fn next_campaign_id(&mut self) -> i32 {
        take_next(&mut self.counters.campaign)
    }

    pub(crate) fn next_opportunity_id(&mut self) -> i32 {
        take_next(&mut self.counters.opportunity)
    }

    pub(crate) fn next_opportunity_role_id(&mut self) -> i32 {
        take_next(&mut self.counters.opportunity_role)
    }

    pub(crate) fn next_custom_object_id(&mut self) -> i64 {
        take_next(&mut self.counters.custom_object)
    }

    pub(crate) fn next_import_job_id(&mut self) -> i32 {
        take_next(&mut self.counters.import_job)
    }

    pub(crate) fn next_program_cost_id(&mut self) -> i32 {
        take_next(&mut self.counters.program_cost)
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::empty()
    }
}

/// Returns the effective batch size: `requested` when positive, `default` when absent,
/// never more than `maximum`. Zero or a negative size is fault 20110.
pub(crate) fn effective_batch_size(
    requested: Option<i32>,
    default: usize,
    maximum: usize,
) -> crate::error::SandboxResult<usize> {
    match requested {
        None => Ok(default.min(maximum)),
        Some(size) if size <= 0 => Err(crate::error::SandboxError::new(
            crate::error::FaultCode::BadParameter,
            format!("batchSize {size} is not valid; pass a positive number or leave it out"),
        )),
        Some(size) => Ok((size as usize).min(maximum)),
    }
}

/// Compares two names the way Marketo compared asset and field names: ignoring ASCII
/// case.
pub(crate) fn same_name(left: &str, right: &str) -> bool {
    left.trim().eq_ignore_ascii_case(right.trim())
}
