//! Leads: lead keys, lead records, and the operations `getLead`, `syncLead`,
//! `syncMultipleLeads`, `getMultipleLeads` and `mergeLeads`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::activity_types::{CHANGE_DATA_VALUE, MERGE_LEADS, NEW_LEAD};
use super::fields::{check_email, FieldDef, FieldStorage, FieldValue};
use super::{effective_batch_size, same_name, Attrib, Attribute, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};
use crate::stream::{decode_position, encode_position, stream_at_end, StreamKind};

/// The reason and source written on activities caused by the SOAP API.
pub(crate) const API_SOURCE: &str = "Web service API";

/// Keys a `LeadKeySelector` may carry; `getMultipleLeads` ignores the rest.
const MAX_SELECTOR_KEYS: usize = 100;

/// Longest `LastUpdateAtSelector` window Marketo accepted, in days.
const MAX_UPDATE_WINDOW_DAYS: i64 = 30;

/// The field a lead key refers to, the WSDL's `LeadKeyRef`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeadKeyType {
    /// The Marketo lead id.
    Idnum,
    /// A Munchkin tracking cookie.
    Cookie,
    /// The lead's email address; several leads may share one.
    Email,
    /// The email of the lead's owner; matches every lead of that owner.
    LeadOwnerEmail,
    /// The CRM account id.
    SfdcAccountId,
    /// The CRM contact id.
    SfdcContactId,
    /// The CRM lead id.
    SfdcLeadId,
    /// The CRM id of the lead's owner; matches every lead of that owner.
    SfdcLeadOwnerId,
    /// The CRM opportunity id.
    SfdcOpptyId,
}

impl LeadKeyType {
    /// Every key type, in WSDL order.
    pub const ALL: [LeadKeyType; 9] = [
        LeadKeyType::Idnum,
        LeadKeyType::Cookie,
        LeadKeyType::Email,
        LeadKeyType::LeadOwnerEmail,
        LeadKeyType::SfdcAccountId,
        LeadKeyType::SfdcContactId,
        LeadKeyType::SfdcLeadId,
        LeadKeyType::SfdcLeadOwnerId,
        LeadKeyType::SfdcOpptyId,
    ];

    /// Returns the WSDL spelling, for example `IDNUM`.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadKeyType::Idnum => "IDNUM",
            LeadKeyType::Cookie => "COOKIE",
            LeadKeyType::Email => "EMAIL",
            LeadKeyType::LeadOwnerEmail => "LEADOWNEREMAIL",
            LeadKeyType::SfdcAccountId => "SFDCACCOUNTID",
            LeadKeyType::SfdcContactId => "SFDCCONTACTID",
            LeadKeyType::SfdcLeadId => "SFDCLEADID",
            LeadKeyType::SfdcLeadOwnerId => "SFDCLEADOWNERID",
            LeadKeyType::SfdcOpptyId => "SFDCOPPTYID",
        }
    }

    /// Parses a WSDL spelling (ignoring case); anything else is fault 20102.
    pub fn parse(text: &str) -> SandboxResult<LeadKeyType> {
        LeadKeyType::ALL.into_iter().find(|key_type| same_name(key_type.as_str(), text)).ok_or_else(|| {
            SandboxError::new(
                FaultCode::BadLeadKey,
                format!(
                    "lead key type '{text}' is not valid; use one of IDNUM, COOKIE, EMAIL, LEADOWNEREMAIL, SFDCACCOUNTID, SFDCCONTACTID, SFDCLEADID, SFDCLEADOWNERID, SFDCOPPTYID"
                ),
            )
        })
    }

    /// Returns the lead attribute that contains this key, for the CRM id keys.
    fn crm_attribute(self) -> Option<&'static str> {
        match self {
            LeadKeyType::SfdcAccountId => Some("SFDCAccountId"),
            LeadKeyType::SfdcContactId => Some("SFDCContactId"),
            LeadKeyType::SfdcLeadId => Some("SFDCLeadId"),
            LeadKeyType::SfdcOpptyId => Some("SFDCOpptyId"),
            _ => None,
        }
    }
}

/// A lead key: a key type and the value to look up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeadKey {
    /// `keyType`.
    pub key_type: LeadKeyType,
    /// `keyValue`.
    pub value: String,
}

impl LeadKey {
    /// Creates a lead key.
    pub fn new(key_type: LeadKeyType, value: impl Into<String>) -> Self {
        LeadKey {
            key_type,
            value: value.into(),
        }
    }

    /// Creates an `IDNUM` key.
    pub fn id(id: i32) -> Self {
        LeadKey::new(LeadKeyType::Idnum, id.to_string())
    }

    /// Creates an `EMAIL` key.
    pub fn email(email: impl Into<String>) -> Self {
        LeadKey::new(LeadKeyType::Email, email)
    }
}

/// The external system a foreign person id comes from, the WSDL's `ForeignSysType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForeignSysType {
    /// Any other system.
    Custom,
    /// Salesforce.
    Sfdc,
    /// NetSuite.
    Netsuite,
}

impl ForeignSysType {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ForeignSysType::Custom => "CUSTOM",
            ForeignSysType::Sfdc => "SFDC",
            ForeignSysType::Netsuite => "NETSUITE",
        }
    }

    /// Parses the WSDL spelling (ignoring case); anything else is fault 20110.
    pub fn parse(text: &str) -> SandboxResult<ForeignSysType> {
        [
            ForeignSysType::Custom,
            ForeignSysType::Sfdc,
            ForeignSysType::Netsuite,
        ]
        .into_iter()
        .find(|kind| same_name(kind.as_str(), text))
        .ok_or_else(|| {
            SandboxError::new(
                FaultCode::BadParameter,
                format!("ForeignSysType '{text}' is not valid; use CUSTOM, SFDC or NETSUITE"),
            )
        })
    }
}

/// A sales user who can own leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesUser {
    /// Marketo user id.
    pub id: i32,
    /// Login email; the `LEADOWNEREMAIL` key.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// User id in the CRM; the `SFDCLEADOWNERID` key.
    pub crm_user_id: Option<String>,
}

/// A lead (person) in the lead database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    /// Marketo id, assigned from a counter.
    pub id: i32,
    /// Email address; not unique.
    pub email: Option<String>,
    /// Id of the person in an external system.
    pub foreign_sys_person_id: Option<String>,
    /// The external system of `foreign_sys_person_id`.
    pub foreign_sys_type: Option<ForeignSysType>,
    /// Munchkin cookies associated with the lead.
    pub cookies: Vec<String>,
    /// Id of the owning [`SalesUser`].
    pub owner_id: Option<i32>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
    /// Field values by API name, for fields stored as attributes.
    pub attributes: BTreeMap<String, FieldValue>,
}

impl Lead {
    fn text_attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .get(name)
            .map(ToString::to_string)
            .filter(|text| !text.is_empty())
    }

    /// Returns "First Last", or `None` when both are empty.
    pub fn person_name(&self) -> Option<String> {
        let first = self.text_attribute("FirstName").unwrap_or_default();
        let last = self.text_attribute("LastName").unwrap_or_default();
        let name = format!("{first} {last}").trim().to_string();
        (!name.is_empty()).then_some(name)
    }

    /// Returns the company name.
    pub fn company(&self) -> Option<String> {
        self.text_attribute("Company")
    }

    /// Returns the CRM account id.
    pub fn crm_account_id(&self) -> Option<String> {
        self.text_attribute("SFDCAccountId")
    }
}

/// A lead as returned by the API, the WSDL's `LeadRecord`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadRecord {
    /// `Id`.
    pub id: i32,
    /// `Email`.
    pub email: Option<String>,
    /// `ForeignSysPersonId`.
    pub foreign_sys_person_id: Option<String>,
    /// `ForeignSysType`.
    pub foreign_sys_type: Option<ForeignSysType>,
    /// `leadAttributeList`, typed, sorted by name, without empty text values.
    pub attributes: Vec<Attribute>,
}

impl LeadRecord {
    /// Returns the value of the attribute `name`, if present.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// A lead sent by the caller, the WSDL's `LeadRecord` in a sync request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadInput {
    /// `Id`: matches an existing lead, which must exist.
    pub id: Option<i32>,
    /// `Email`.
    pub email: Option<String>,
    /// `ForeignSysPersonId`.
    pub foreign_sys_person_id: Option<String>,
    /// `ForeignSysType`, required with `ForeignSysPersonId`.
    pub foreign_sys_type: Option<ForeignSysType>,
    /// `leadAttributeList`; `attr_type` is ignored.
    pub attributes: Vec<Attribute>,
}

impl LeadInput {
    /// Creates an input identified by email.
    pub fn with_email(email: impl Into<String>) -> Self {
        LeadInput {
            email: Some(email.into()),
            ..LeadInput::default()
        }
    }

    /// Adds an attribute.
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push(Attribute::new(name, value));
        self
    }
}

/// The parameters of `syncLead`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncLeadRequest {
    /// `leadRecord`.
    pub lead: LeadInput,
    /// `returnLead`: when true, the result carries the lead record.
    pub return_lead: bool,
    /// `marketoCookie`: a Munchkin cookie to associate with the lead.
    pub marketo_cookie: Option<String>,
    /// `MktowsContextHeader/targetWorkspace`, if the header was sent.
    pub target_workspace: Option<String>,
}

/// Outcome of syncing one lead, the WSDL's `LeadSyncStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeadSyncStatus {
    /// A new lead was created.
    Created,
    /// An existing lead was updated.
    Updated,
    /// The lead could not be synced; see the error.
    Failed,
}

impl LeadSyncStatus {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadSyncStatus::Created => "CREATED",
            LeadSyncStatus::Updated => "UPDATED",
            LeadSyncStatus::Failed => "FAILED",
        }
    }
}

/// The WSDL's `SyncStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// `leadId`: the lead created or updated, 0 when none.
    pub lead_id: i32,
    /// `status`.
    pub status: LeadSyncStatus,
    /// `error`: the fault text for FAILED.
    pub error: Option<String>,
}

/// The result of `syncLead`, the WSDL's `ResultSyncLead`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLeadResult {
    /// `leadId`.
    pub lead_id: i32,
    /// `syncStatus`.
    pub sync_status: SyncStatus,
    /// `leadRecord`, when `returnLead` was true.
    pub lead: Option<LeadRecord>,
}

/// The lead filter of `getMultipleLeads` and `getLeadChanges`, the WSDL's abstract
/// `LeadSelector`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadSelector {
    /// `LeadKeySelector`: leads matching any of the key values.
    LeadKeys {
        /// `keyType`.
        key_type: LeadKeyType,
        /// `keyValues`.
        values: Vec<String>,
    },
    /// `StaticListSelector`: members of one static list.
    StaticList {
        /// `staticListName`, either `Program.List` or a bare list name.
        name: Option<String>,
        /// `staticListId`; wins over the name.
        id: Option<i32>,
    },
    /// `LastUpdateAtSelector`: leads updated in a time window.
    LastUpdateAt {
        /// `oldestUpdatedAt`, inclusive.
        oldest: DateTime<Utc>,
        /// `latestUpdatedAt`, inclusive; now when absent.
        latest: Option<DateTime<Utc>>,
    },
}

/// The parameters of `getMultipleLeads`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetMultipleLeadsRequest {
    /// `leadSelector`.
    pub selector: Option<LeadSelector>,
    /// `lastUpdatedAt` (deprecated): used as `LastUpdateAtSelector` without an upper bound
    /// when no selector is given.
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `streamPosition` of the previous page.
    pub stream_position: Option<String>,
    /// `batchSize`.
    pub batch_size: Option<i32>,
    /// `includeAttributes`: API names of the attributes to return; all when absent or
    /// empty.
    pub include_attributes: Option<Vec<String>>,
}

/// One page of `getMultipleLeads`, the WSDL's `ResultGetMultipleLeads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipleLeadsPage {
    /// `returnCount`.
    pub return_count: i32,
    /// `remainingCount`: matching leads after this page.
    pub remaining_count: i32,
    /// `newStreamPosition`: empty on the last page.
    pub new_stream_position: String,
    /// `leadRecordList`.
    pub leads: Vec<LeadRecord>,
}

/// Outcome of a merge, the WSDL's `LeadMergeStatusEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadMergeStatus {
    /// The losers were merged into the winner.
    Merged,
    /// The merge failed.
    Failed,
}

impl LeadMergeStatus {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadMergeStatus::Merged => "MERGED",
            LeadMergeStatus::Failed => "FAILED",
        }
    }
}

/// The result of `mergeLeads`, the WSDL's `MergeStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeStatus {
    /// `winningLeadId`.
    pub winning_lead_id: i32,
    /// `losingLeadIdList`.
    pub losing_lead_ids: Vec<i32>,
    /// `status`.
    pub status: LeadMergeStatus,
    /// `error`.
    pub error: Option<String>,
}

/// Field changes requested for one lead, validated against the catalogue.
#[derive(Debug, Default)]
struct PlannedChanges {
    email: Option<Option<String>>,
    owner: Option<Option<i32>>,
    attributes: Vec<(String, Option<FieldValue>)>,
}

/// The matching and writing rules of one upsert.
struct UpsertRules<'a> {
    email_from_record: bool,
    dedupe_by_email: bool,
    cookie: Option<&'a str>,
    new_lead_source: &'a str,
}

impl Store {
    /// Returns the lead field catalogue.
    pub fn lead_fields(&self) -> &[FieldDef] {
        &self.lead_fields
    }

    /// Returns the field with this API name, ignoring case.
    pub fn lead_field(&self, name: &str) -> Option<&FieldDef> {
        self.lead_fields
            .iter()
            .find(|field| same_name(&field.name, name))
    }

    /// Returns the field with this display name, ignoring case.
    pub fn lead_field_by_display_name(&self, display_name: &str) -> Option<&FieldDef> {
        self.lead_fields
            .iter()
            .find(|field| same_name(&field.display_name, display_name))
    }

    /// Returns the lead with this id.
    pub fn lead(&self, id: i32) -> Option<&Lead> {
        self.leads.get(&id)
    }

    /// Returns every lead, by id.
    pub fn leads(&self) -> impl Iterator<Item = &Lead> {
        self.leads.values()
    }

    /// Returns the sales users, by id.
    pub fn sales_users(&self) -> impl Iterator<Item = &SalesUser> {
        self.sales_users.values()
    }

    /// Adds a sales user, replacing one with the same id.
    pub fn insert_sales_user(&mut self, user: SalesUser) {
        self.sales_users.insert(user.id, user);
    }

    /// Returns the ids of every lead matching `key`, ascending; possibly none.
    ///
    /// Faults: 20101 for an empty value, 20110 for an `IDNUM` that is not a number, 20108
    /// for an owner key that names no sales user.
    pub fn find_leads(&self, key: &LeadKey) -> SandboxResult<Vec<i32>> {
        let value = key.value.trim();
        if value.is_empty() {
            return Err(SandboxError::new(
                FaultCode::LeadKeyRequired,
                format!(
                    "the {} lead key has no value; pass the value to look up",
                    key.key_type.as_str()
                ),
            ));
        }

        let ids = match key.key_type {
            LeadKeyType::Idnum => {
                let id: i32 = value.parse().map_err(|_| {
                    SandboxError::new(
                        FaultCode::BadParameter,
                        format!("IDNUM lead key '{value}' is not a lead id; pass the whole number Marketo assigned"),
                    )
                })?;
                self.leads
                    .contains_key(&id)
                    .then_some(id)
                    .into_iter()
                    .collect()
            }
            LeadKeyType::Cookie => {
                self.leads_where(|lead| lead.cookies.iter().any(|cookie| cookie == value))
            }
            LeadKeyType::Email => self.leads_where(|lead| {
                lead.email
                    .as_deref()
                    .is_some_and(|email| same_name(email, value))
            }),
            LeadKeyType::LeadOwnerEmail | LeadKeyType::SfdcLeadOwnerId => {
                let owner = self.find_owner(key.key_type, value)?;
                self.leads_where(|lead| lead.owner_id == Some(owner))
            }
            LeadKeyType::SfdcAccountId
            | LeadKeyType::SfdcContactId
            | LeadKeyType::SfdcLeadId
            | LeadKeyType::SfdcOpptyId => {
                let attribute = key
                    .key_type
                    .crm_attribute()
                    .expect("CRM key types name an attribute");
                self.leads_where(|lead| lead.text_attribute(attribute).as_deref() == Some(value))
            }
        };
        Ok(ids)
    }

    /// Returns the one lead `key` identifies: fault 20103 when none matches, the most
    /// recently created lead when several share the key (as Marketo did for emails).
    pub fn find_lead(&self, key: &LeadKey) -> SandboxResult<i32> {
        let ids = self.find_leads(key)?;
        ids.last().copied().ok_or_else(|| lead_not_found(key))
    }

    fn leads_where(&self, predicate: impl Fn(&Lead) -> bool) -> Vec<i32> {
        self.leads
            .values()
            .filter(|lead| predicate(lead))
            .map(|lead| lead.id)
            .collect()
    }

    fn find_owner(&self, key_type: LeadKeyType, value: &str) -> SandboxResult<i32> {
        let owner = self.sales_users.values().find(|user| match key_type {
            LeadKeyType::LeadOwnerEmail => same_name(&user.email, value),
            _ => user.crm_user_id.as_deref() == Some(value),
        });
        owner.map(|user| user.id).ok_or_else(|| {
            SandboxError::new(
                FaultCode::LeadOwnerNotFound,
                format!(
                    "no sales user has {} '{value}'; check the owner's email or CRM user id",
                    key_type.as_str()
                ),
            )
        })
    }

    /// Builds the API view of lead `id`, keeping only `include` attributes when given.
    pub fn lead_record(&self, id: i32, include: Option<&[String]>) -> Option<LeadRecord> {
        let lead = self.leads.get(&id)?;
        let owner = lead
            .owner_id
            .and_then(|owner_id| self.sales_users.get(&owner_id));

        let mut attributes = Vec::new();
        for field in &self.lead_fields {
            if let Some(include) = include {
                if !include.iter().any(|name| same_name(name, &field.name)) {
                    continue;
                }
            }
            let value = match field.storage {
                FieldStorage::Email => None,
                FieldStorage::Attribute => {
                    lead.attributes.get(&field.name).map(ToString::to_string)
                }
                FieldStorage::OwnerEmail => owner.map(|user| user.email.clone()),
                FieldStorage::OwnerCrmId => owner.and_then(|user| user.crm_user_id.clone()),
            };
            if let Some(value) =
                value.filter(|value| !(field.data_type.is_text() && value.is_empty()))
            {
                attributes.push(Attribute::typed(
                    &field.name,
                    field.data_type.as_str(),
                    value,
                ));
            }
        }
        attributes.sort_by(|a, b| a.name.cmp(&b.name));

        Some(LeadRecord {
            id: lead.id,
            email: lead.email.clone(),
            foreign_sys_person_id: lead.foreign_sys_person_id.clone(),
            foreign_sys_type: lead.foreign_sys_type,
            attributes,
        })
    }

    /// `getLead`: every lead matching `key`; fault 20103 when none does.
    pub fn get_lead(&mut self, key: &LeadKey) -> SandboxResult<Vec<LeadRecord>> {
        self.begin_operation();
        let ids = self.find_leads(key)?;
        if ids.is_empty() {
            return Err(lead_not_found(key));
        }
        Ok(ids
            .into_iter()
            .filter_map(|id| self.lead_record(id, None))
            .collect())
    }

    /// `syncLead`: creates or updates one lead.
    ///
    /// The lead is matched by `Id` (which must exist, else 20103), else by
    /// `ForeignSysPersonId`, else by `marketoCookie`, else by email (the most recently
    /// created lead with that email). Keys that did not match are written to the lead.
    /// Other faults: 20101 without any key, 20109 for `ForeignSysPersonId` without
    /// `ForeignSysType`, 20105 for an unknown or read-only attribute, 20106 for a value of
    /// the wrong type, 20108 for an unknown `LeadOwnerEmail`, 20110 for a target workspace
    /// the instance does not have. Leads are not partitioned by workspace, so a valid
    /// target workspace has no further effect.
    pub fn sync_lead(&mut self, request: &SyncLeadRequest) -> SandboxResult<SyncLeadResult> {
        let now = self.begin_operation();
        if let Some(workspace) = request.target_workspace.as_deref() {
            if self.workspace(workspace).is_none() {
                return Err(SandboxError::new(
                    FaultCode::BadParameter,
                    format!(
                        "target workspace '{workspace}' does not exist; the instance has the workspaces {}",
                        self.workspace_names()
                    ),
                ));
            }
        }

        let rules = UpsertRules {
            email_from_record: true,
            dedupe_by_email: true,
            cookie: request
                .marketo_cookie
                .as_deref()
                .map(str::trim)
                .filter(|cookie| !cookie.is_empty()),
            new_lead_source: API_SOURCE,
        };
        let (lead_id, status) = self.upsert_lead(&request.lead, &rules, now)?;

        Ok(SyncLeadResult {
            lead_id,
            sync_status: SyncStatus {
                lead_id,
                status,
                error: None,
            },
            lead: if request.return_lead {
                self.lead_record(lead_id, None)
            } else {
                None
            },
        })
    }

    /// `syncMultipleLeads`: upserts each record on its own; a record that fails gets a
    /// FAILED status with the fault text and does not stop the others.
    ///
    /// With `dedup_enabled` true (the default) a record without `Id` or
    /// `ForeignSysPersonId` is matched by email; with false it always creates a lead.
    /// `Email` in the record is a key only and is written to a matched lead only when it
    /// is also in the attribute list. Fault 20104 when `records` is empty.
    pub fn sync_multiple_leads(
        &mut self,
        records: &[LeadInput],
        dedup_enabled: Option<bool>,
    ) -> SandboxResult<Vec<SyncStatus>> {
        let now = self.begin_operation();
        if records.is_empty() {
            return Err(SandboxError::new(
                FaultCode::LeadDetailRequired,
                "leadRecordList is empty; pass at least one leadRecord",
            ));
        }

        let rules = UpsertRules {
            email_from_record: false,
            dedupe_by_email: dedup_enabled.unwrap_or(true),
            cookie: None,
            new_lead_source: API_SOURCE,
        };
        let statuses = records
            .iter()
            .map(|record| match self.upsert_lead(record, &rules, now) {
                Ok((lead_id, status)) => SyncStatus {
                    lead_id,
                    status,
                    error: None,
                },
                Err(error) => SyncStatus {
                    lead_id: record.id.unwrap_or(0),
                    status: LeadSyncStatus::Failed,
                    error: Some(error.to_string()),
                },
            })
            .collect();
        Ok(statuses)
    }

    /// `getMultipleLeads`: one page of the leads a selector matches, ascending by id.
    ///
    /// Pages hold `batchSize` leads (default 100, at most 1000). A `LeadKeySelector` uses
    /// its first 100 values and ignores the rest.
    ///
    /// Faults: 20109 without a selector. 20111 for an unknown static list. 20022 for a
    /// `LastUpdateAtSelector` window of more than 30 days. 20105 for an unknown name in
    /// `includeAttributes`. 20122 for a bad stream position, 20123 for a position with no
    /// leads after it.
    pub fn get_multiple_leads(
        &mut self,
        request: &GetMultipleLeadsRequest,
    ) -> SandboxResult<MultipleLeadsPage> {
        let now = self.begin_operation();
        let selector = match (&request.selector, request.last_updated_at) {
            (Some(selector), _) => selector.clone(),
            (None, Some(oldest)) => LeadSelector::LastUpdateAt { oldest, latest: None },
            (None, None) => {
                return Err(SandboxError::new(
                    FaultCode::ParameterRequired,
                    "getMultipleLeads needs a leadSelector (LeadKeySelector, StaticListSelector or LastUpdateAtSelector)",
                ))
            }
        };
        let include = self.validate_include_attributes(request.include_attributes.as_deref())?;
        let batch_size = effective_batch_size(request.batch_size, 100, 1000)?;
        let matching = self.select_leads(&selector, now)?;

        let fingerprint = format!("{selector:?}");
        let start_after = match request
            .stream_position
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => i64::MIN,
            Some(position) => {
                let cursor = decode_position(StreamKind::Leads, position, &fingerprint)?;
                if !matching.iter().any(|id| i64::from(*id) > cursor) {
                    return Err(stream_at_end(StreamKind::Leads));
                }
                cursor
            }
        };

        let after: Vec<i32> = matching
            .into_iter()
            .filter(|id| i64::from(*id) > start_after)
            .collect();
        let page: Vec<i32> = after.iter().copied().take(batch_size).collect();
        let remaining = after.len() - page.len();
        let new_stream_position = match (remaining, page.last()) {
            (0, _) | (_, None) => String::new(),
            (_, Some(last)) => encode_position(StreamKind::Leads, i64::from(*last), &fingerprint),
        };

        let leads: Vec<LeadRecord> = page
            .iter()
            .filter_map(|id| self.lead_record(*id, include.as_deref()))
            .collect();
        Ok(MultipleLeadsPage {
            return_count: leads.len() as i32,
            remaining_count: remaining as i32,
            new_stream_position,
            leads,
        })
    }

    /// Returns the ids of the leads a selector matches, ascending.
    pub(crate) fn select_leads(
        &self,
        selector: &LeadSelector,
        now: DateTime<Utc>,
    ) -> SandboxResult<Vec<i32>> {
        match selector {
            LeadSelector::LeadKeys { key_type, values } => {
                if values.is_empty() {
                    return Err(SandboxError::new(
                        FaultCode::ParameterRequired,
                        "LeadKeySelector has no keyValues; pass at least one stringItem",
                    ));
                }
                let mut ids = BTreeSet::new();
                for value in values.iter().take(MAX_SELECTOR_KEYS) {
                    ids.extend(self.find_leads(&LeadKey::new(*key_type, value.clone()))?);
                }
                Ok(ids.into_iter().collect())
            }
            LeadSelector::StaticList { name, id } => {
                let list_id = self.resolve_static_list(name.as_deref(), *id)?;
                Ok(self.lists[&list_id].members.iter().copied().collect())
            }
            LeadSelector::LastUpdateAt { oldest, latest } => {
                check_update_window(*oldest, *latest)?;
                let latest = latest.unwrap_or(now);
                Ok(
                    self.leads_where(|lead| {
                        lead.updated_at >= *oldest && lead.updated_at <= latest
                    }),
                )
            }
        }
    }

    fn validate_include_attributes(
        &self,
        include: Option<&[String]>,
    ) -> SandboxResult<Option<Vec<String>>> {
        let Some(names) = include.filter(|names| !names.is_empty()) else {
            return Ok(None);
        };
        let mut canonical = Vec::with_capacity(names.len());
        for name in names {
            let field = self.lead_field(name).ok_or_else(|| {
                SandboxError::new(
                    FaultCode::BadLeadAttribute,
                    format!("includeAttributes names '{name}', which is not a lead field; call describeMObject for LeadRecord to list the fields"),
                )
            })?;
            canonical.push(field.name.clone());
        }
        Ok(Some(canonical))
    }

    /// `mergeLeads`: merges each losing lead into the winning lead and deletes the losers.
    ///
    /// Each key list is a list of `attrName` = lead key type, `attrValue` = value; all of
    /// its keys must match the same single lead. The winner keeps its own non-empty
    /// values and takes the losers' values for its empty fields. List memberships,
    /// cookies, activities, opportunity roles and custom objects move to the winner. A
    /// "Merge Leads" activity is written on the winner.
    ///
    /// Faults: 20109 without losers, 20102 for a bad key type, 20103 when a key list
    /// matches no lead, 20110 when it matches several or the winner is also a loser.
    pub fn merge_leads(
        &mut self,
        winning_key_list: &[Attribute],
        losing_key_lists: &[Vec<Attribute>],
    ) -> SandboxResult<MergeStatus> {
        let now = self.begin_operation();
        if losing_key_lists.is_empty() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "losingLeadKeyLists is empty; pass the key list of at least one losing lead",
            ));
        }
        let winner = self.resolve_key_list("winningLeadKeyList", winning_key_list)?;
        let mut losers = Vec::new();
        for key_list in losing_key_lists {
            let loser = self.resolve_key_list("losingLeadKeyLists", key_list)?;
            if loser == winner {
                return Err(SandboxError::new(
                    FaultCode::BadParameter,
                    format!("lead {winner} is both the winner and a loser; a lead cannot be merged into itself"),
                ));
            }
            if !losers.contains(&loser) {
                losers.push(loser);
            }
        }

        for loser in &losers {
            self.absorb_lead(winner, *loser, now);
        }
        let loser_text = losers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.log_activity(
            winner,
            MERGE_LEADS,
            Some(loser_text.clone()),
            None,
            vec![
                Attrib::new("Merge IDs", loser_text),
                Attrib::new("Merged in Sales", "false"),
                Attrib::new("Source", API_SOURCE),
            ],
            now,
        );

        Ok(MergeStatus {
            winning_lead_id: winner,
            losing_lead_ids: losers,
            status: LeadMergeStatus::Merged,
            error: None,
        })
    }

    fn resolve_key_list(&self, parameter: &str, key_list: &[Attribute]) -> SandboxResult<i32> {
        if key_list.is_empty() {
            return Err(SandboxError::new(
                FaultCode::LeadKeyRequired,
                format!("a key list in {parameter} is empty; pass an attribute such as IDNUM = <lead id>"),
            ));
        }
        let mut candidates: Option<BTreeSet<i32>> = None;
        for attribute in key_list {
            let key = LeadKey::new(
                LeadKeyType::parse(&attribute.name)?,
                attribute.value.clone(),
            );
            let found: BTreeSet<i32> = self.find_leads(&key)?.into_iter().collect();
            candidates = Some(match candidates {
                None => found,
                Some(previous) => previous.intersection(&found).copied().collect(),
            });
        }

        let candidates: Vec<i32> = candidates.unwrap_or_default().into_iter().collect();
        let describe = || {
            key_list
                .iter()
                .map(|a| format!("{} '{}'", a.name, a.value))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        match candidates.as_slice() {
            [single] => Ok(*single),
            [] => Err(SandboxError::new(
                FaultCode::LeadNotFound,
                format!("no lead in {parameter} matches {}; check the key values", describe()),
            )),
            several => Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("{} in {parameter} matches {} leads ({several:?}); identify the lead with IDNUM", describe(), several.len()),
            )),
        }
    }

    /// Moves everything of `loser` to `winner` and deletes `loser`.
    fn absorb_lead(&mut self, winner: i32, loser: i32, now: DateTime<Utc>) {
        let Some(losing) = self.leads.remove(&loser) else {
            return;
        };
        let winning = self
            .leads
            .get_mut(&winner)
            .expect("the winner was resolved before the merge");

        for (name, value) in losing.attributes {
            let winner_is_empty = winning
                .attributes
                .get(&name)
                .is_none_or(FieldValue::is_empty_text);
            if winner_is_empty {
                winning.attributes.insert(name, value);
            }
        }
        if winning.email.is_none() {
            winning.email = losing.email;
        }
        if winning.foreign_sys_person_id.is_none() {
            winning.foreign_sys_person_id = losing.foreign_sys_person_id;
            winning.foreign_sys_type = losing.foreign_sys_type;
        }
        if winning.owner_id.is_none() {
            winning.owner_id = losing.owner_id;
        }
        for cookie in losing.cookies {
            if !winning.cookies.contains(&cookie) {
                winning.cookies.push(cookie);
            }
        }
        winning.created_at = winning.created_at.min(losing.created_at);
        winning.updated_at = now;

        for list in self.lists.values_mut() {
            if list.members.remove(&loser) {
                list.members.insert(winner);
            }
        }
        for activity in self.activities.values_mut() {
            if activity.lead_id == loser {
                activity.lead_id = winner;
            }
        }
        for role in self.opportunity_roles.values_mut() {
            if role.person_id == loser {
                role.person_id = winner;
            }
        }
        self.relink_custom_objects(loser, winner);
    }

    /// Creates or updates one lead by the rules; returns its id and whether it was created.
    fn upsert_lead(
        &mut self,
        input: &LeadInput,
        rules: &UpsertRules<'_>,
        now: DateTime<Utc>,
    ) -> SandboxResult<(i32, LeadSyncStatus)> {
        let record_email = input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|email| !email.is_empty());
        if let Some(email) = record_email {
            check_email(email).map_err(|reason| {
                SandboxError::new(FaultCode::LeadSyncFailed, format!("Email {reason}"))
            })?;
        }
        let foreign_id = input
            .foreign_sys_person_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty());
        let changes = self.plan_changes(&input.attributes)?;
        let attribute_email = changes.email.clone().flatten();

        if input.id.is_none()
            && record_email.is_none()
            && attribute_email.is_none()
            && foreign_id.is_none()
            && rules.cookie.is_none()
        {
            return Err(SandboxError::new(
                FaultCode::LeadKeyRequired,
                "the lead record has no Id, Email or ForeignSysPersonId; pass at least one of them",
            ));
        }
        if foreign_id.is_some() && input.foreign_sys_type.is_none() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "ForeignSysPersonId was given without ForeignSysType; pass CUSTOM, SFDC or NETSUITE",
            ));
        }

        let matched = self.match_lead(
            input.id,
            foreign_id,
            input.foreign_sys_type,
            record_email.or(attribute_email.as_deref()),
            rules,
        )?;
        match matched {
            Some(lead_id) => {
                let mut changes = changes;
                if rules.email_from_record && changes.email.is_none() {
                    if let Some(email) = record_email {
                        changes.email = Some(Some(email.to_string()));
                    }
                }
                self.apply_changes(lead_id, changes, API_SOURCE, now);
                let lead = self.leads.get_mut(&lead_id).expect("matched lead exists");
                if let (Some(foreign_id), Some(kind)) = (foreign_id, input.foreign_sys_type) {
                    if lead.foreign_sys_person_id.as_deref() != Some(foreign_id)
                        || lead.foreign_sys_type != Some(kind)
                    {
                        lead.foreign_sys_person_id = Some(foreign_id.to_string());
                        lead.foreign_sys_type = Some(kind);
                        lead.updated_at = now;
                    }
                }
                if let Some(cookie) = rules.cookie {
                    self.associate_cookie(lead_id, cookie);
                }
                Ok((lead_id, LeadSyncStatus::Updated))
            }
            None => {
                let email = attribute_email.or_else(|| record_email.map(str::to_string));
                let lead_id = self.create_lead(email, changes, rules.new_lead_source, now);
                let lead = self.leads.get_mut(&lead_id).expect("lead was just created");
                if let Some(foreign_id) = foreign_id {
                    lead.foreign_sys_person_id = Some(foreign_id.to_string());
                    lead.foreign_sys_type = input.foreign_sys_type;
                }
                if let Some(cookie) = rules.cookie {
                    self.associate_cookie(lead_id, cookie);
                }
                Ok((lead_id, LeadSyncStatus::Created))
            }
        }
    }

    fn match_lead(
        &self,
        id: Option<i32>,
        foreign_id: Option<&str>,
        foreign_type: Option<ForeignSysType>,
        email: Option<&str>,
        rules: &UpsertRules<'_>,
    ) -> SandboxResult<Option<i32>> {
        if let Some(id) = id {
            if !self.leads.contains_key(&id) {
                return Err(SandboxError::new(
                    FaultCode::LeadNotFound,
                    format!("no lead has Id {id}; leave Id out to create a lead"),
                ));
            }
            return Ok(Some(id));
        }
        if let Some(foreign_id) = foreign_id {
            let matches = self.leads_where(|lead| {
                lead.foreign_sys_person_id.as_deref() == Some(foreign_id)
                    && lead.foreign_sys_type == foreign_type
            });
            return Ok(matches.last().copied());
        }
        if let Some(cookie) = rules.cookie {
            if let Some(id) = self
                .leads_where(|lead| lead.cookies.iter().any(|c| c == cookie))
                .last()
            {
                return Ok(Some(*id));
            }
        }
        if rules.dedupe_by_email {
            if let Some(email) = email {
                return Ok(self.find_leads(&LeadKey::email(email))?.last().copied());
            }
        }
        Ok(None)
    }

    /// Validates attribute names and values against the catalogue without changing
    /// anything.
    fn plan_changes(&self, attributes: &[Attribute]) -> SandboxResult<PlannedChanges> {
        let mut changes = PlannedChanges::default();
        for attribute in attributes {
            let field = self.lead_field(&attribute.name).ok_or_else(|| {
                SandboxError::new(
                    FaultCode::BadLeadAttribute,
                    format!("attribute '{}' is not a lead field; call describeMObject for LeadRecord to list the fields", attribute.name),
                )
            })?;
            if field.read_only {
                return Err(SandboxError::new(
                    FaultCode::BadLeadAttribute,
                    format!(
                        "attribute '{}' is read-only and cannot be written through the API",
                        field.name
                    ),
                ));
            }
            let value = field
                .data_type
                .parse_value(&attribute.value)
                .map_err(|reason| {
                    SandboxError::new(
                        FaultCode::LeadSyncFailed,
                        format!(
                            "attribute '{}' is of type {}: {reason}",
                            field.name, field.data_type
                        ),
                    )
                })?;

            match field.storage {
                FieldStorage::Email => {
                    changes.email = Some(value.map(|v| v.to_string().trim().to_string()))
                }
                FieldStorage::OwnerEmail => {
                    let owner = match value {
                        None => None,
                        Some(email) => {
                            Some(self.find_owner(LeadKeyType::LeadOwnerEmail, &email.to_string())?)
                        }
                    };
                    changes.owner = Some(owner);
                }
                FieldStorage::Attribute | FieldStorage::OwnerCrmId => {
                    changes.attributes.push((field.name.clone(), value))
                }
            }
        }
        Ok(changes)
    }

    /// Applies validated changes to an existing lead and writes one "Change Data Value"
    /// activity per field whose value changed.
    fn apply_changes(
        &mut self,
        lead_id: i32,
        changes: PlannedChanges,
        reason: &str,
        now: DateTime<Utc>,
    ) {
        let mut changed: Vec<(String, String, String)> = Vec::new();
        let owner_emails: BTreeMap<i32, String> = self
            .sales_users
            .values()
            .map(|u| (u.id, u.email.clone()))
            .collect();
        let display_names: BTreeMap<String, String> = self
            .lead_fields
            .iter()
            .map(|f| (f.name.clone(), f.display_name.clone()))
            .collect();
        let lead = self.leads.get_mut(&lead_id).expect("lead to change exists");

        if let Some(email) = changes.email {
            if lead.email != email {
                changed.push((
                    display_names["Email"].clone(),
                    lead.email.clone().unwrap_or_default(),
                    email.clone().unwrap_or_default(),
                ));
                lead.email = email;
            }
        }
        if let Some(owner) = changes.owner {
            if lead.owner_id != owner {
                let describe = |id: Option<i32>| {
                    id.and_then(|id| owner_emails.get(&id).cloned())
                        .unwrap_or_default()
                };
                changed.push((
                    display_names["LeadOwnerEmail"].clone(),
                    describe(lead.owner_id),
                    describe(owner),
                ));
                lead.owner_id = owner;
            }
        }
        for (name, value) in changes.attributes {
            let old = lead.attributes.get(&name).cloned();
            if old == value {
                continue;
            }
            let text = |value: &Option<FieldValue>| {
                value.as_ref().map(ToString::to_string).unwrap_or_default()
            };
            changed.push((display_names[&name].clone(), text(&old), text(&value)));
            match value {
                Some(value) => lead.attributes.insert(name, value),
                None => lead.attributes.remove(&name),
            };
        }
        if !changed.is_empty() {
            lead.updated_at = now;
        }

        for (display_name, old, new) in changed {
            self.log_activity(
                lead_id,
                CHANGE_DATA_VALUE,
                Some(display_name.clone()),
                None,
                vec![
                    Attrib::new("Attribute Name", display_name),
                    Attrib::new("Old Value", old),
                    Attrib::new("New Value", new),
                    Attrib::new("Reason", reason),
                    Attrib::new("Source", API_SOURCE),
                ],
                now,
            );
        }
    }

    /// Creates a lead from validated changes and writes a "New Lead" activity.
    fn create_lead(
        &mut self,
        email: Option<String>,
        changes: PlannedChanges,
        source: &str,
        now: DateTime<Utc>,
    ) -> i32 {
        let id = self.next_lead_id();
        let attributes = changes
            .attributes
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v)))
            .collect();
        self.leads.insert(
            id,
            Lead {
                id,
                email,
                foreign_sys_person_id: None,
                foreign_sys_type: None,
                cookies: Vec::new(),
                owner_id: changes.owner.flatten(),
                created_at: now,
                updated_at: now,
                attributes,
            },
        );
        self.log_activity(
            id,
            NEW_LEAD,
            Some(source.to_string()),
            None,
            vec![Attrib::new("Source Type", source)],
            now,
        );
        id
    }

    /// Creates or updates a lead found by email for a list import; returns the lead id.
    pub(crate) fn upsert_imported_lead(
        &mut self,
        email: &str,
        attributes: &[Attribute],
        source: &str,
        now: DateTime<Utc>,
    ) -> SandboxResult<i32> {
        let changes = self.plan_changes(attributes)?;
        match self.find_leads(&LeadKey::email(email))?.last().copied() {
            Some(lead_id) => {
                self.apply_changes(lead_id, changes, source, now);
                Ok(lead_id)
            }
            None => Ok(self.create_lead(Some(email.to_string()), changes, source, now)),
        }
    }

    /// Associates a Munchkin cookie with one lead only, as a cookie identifies one
    /// browser.
    fn associate_cookie(&mut self, lead_id: i32, cookie: &str) {
        for lead in self.leads.values_mut() {
            if lead.id != lead_id {
                lead.cookies.retain(|c| c != cookie);
            }
        }
        let lead = self
            .leads
            .get_mut(&lead_id)
            .expect("lead for cookie exists");
        if !lead.cookies.iter().any(|c| c == cookie) {
            lead.cookies.push(cookie.to_string());
        }
    }

    /// Inserts a lead as it is, for seed data and tests; advances the id counter past it.
    pub fn insert_lead(&mut self, lead: Lead) {
        self.counters.lead = self.counters.lead.max(lead.id + 1);
        self.leads.insert(lead.id, lead);
    }
}

/// Checks a `LastUpdateAtSelector` window: oldest not after latest, at most 30 days.
pub(crate) fn check_update_window(
    oldest: DateTime<Utc>,
    latest: Option<DateTime<Utc>>,
) -> SandboxResult<()> {
    let Some(latest) = latest else { return Ok(()) };
    if oldest > latest {
        return Err(SandboxError::new(
            FaultCode::BadParameter,
            format!("oldestUpdatedAt {oldest} is after latestUpdatedAt {latest}; swap them"),
        ));
    }
    if latest - oldest > Duration::days(MAX_UPDATE_WINDOW_DAYS) {
        return Err(SandboxError::new(
            FaultCode::TimeRangeLimitExceeded,
            format!(
                "oldestUpdatedAt {oldest} and latestUpdatedAt {latest} are more than {MAX_UPDATE_WINDOW_DAYS} days apart; split the window"
            ),
        ));
    }
    Ok(())
}

fn lead_not_found(key: &LeadKey) -> SandboxError {
    SandboxError::new(
        FaultCode::LeadNotFound,
        format!(
            "no lead has {} '{}'; check the key type and value",
            key.key_type.as_str(),
            key.value
        ),
    )
}
