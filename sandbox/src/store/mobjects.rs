//! Marketo objects (MObjects): `listMObjects`, `describeMObject`, `getMObjects`,
//! `syncMObjects` and `deleteMObjects`, over programs, opportunities and opportunity
//! person roles.
//!
//! The WSDL's `MObjectTypeEnum` spells the role object `OpportunityLeadRole` while the
//! documentation spells it `OpportunityPersonRole`. The sandbox accepts both and returns
//! `OpportunityPersonRole`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{format_datetime, parse_datetime, FieldStorage, FieldType, FieldValue};
use super::lists::{Program, ProgramCost};
use super::{same_name, Attrib, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};
use crate::stream::{decode_position, encode_position, stream_at_end, StreamKind};

/// MObjects returned per `getMObjects` page.
const MOBJECT_PAGE_SIZE: usize = 100;

/// MObjects accepted per `syncMObjects` or `deleteMObjects` call.
const MAX_MOBJECTS_PER_CALL: usize = 100;

/// The MObject types `getMObjects`, `syncMObjects` and `deleteMObjects` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MObjectType {
    /// A marketing program.
    Program,
    /// A sales opportunity.
    Opportunity,
    /// A lead's role on an opportunity.
    OpportunityPersonRole,
}

impl MObjectType {
    /// Returns the name the sandbox uses in responses.
    pub fn as_str(self) -> &'static str {
        match self {
            MObjectType::Program => "Program",
            MObjectType::Opportunity => "Opportunity",
            MObjectType::OpportunityPersonRole => "OpportunityPersonRole",
        }
    }

    /// Parses a type name, ignoring case; fault 20110 for other names.
    pub fn parse(text: &str) -> SandboxResult<MObjectType> {
        let text = text.trim();
        if same_name(text, "Program") {
            Ok(MObjectType::Program)
        } else if same_name(text, "Opportunity") {
            Ok(MObjectType::Opportunity)
        } else if same_name(text, "OpportunityPersonRole") || same_name(text, "OpportunityLeadRole")
        {
            Ok(MObjectType::OpportunityPersonRole)
        } else {
            Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("MObject type '{text}' is not valid here; use Program, Opportunity or OpportunityPersonRole"),
            ))
        }
    }
}

/// A sales opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    /// Id.
    pub id: i32,
    /// Field values by name (see `describeMObject Opportunity`).
    pub attributes: BTreeMap<String, FieldValue>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
}

/// A lead's role on an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityRole {
    /// Id.
    pub id: i32,
    /// The opportunity.
    pub opportunity_id: i32,
    /// The lead.
    pub person_id: i32,
    /// Other field values by name: `Role`, `IsPrimary`, `ExternalCreatedDate`.
    pub attributes: BTreeMap<String, FieldValue>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
}

/// A typed attribute group of an MObject, the WSDL's `TypeAttrib` (`Tag`, `Cost`,
/// `Token`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeAttrib {
    /// `attrType`.
    pub attr_type: String,
    /// `attrList`.
    pub attrs: Vec<Attrib>,
}

/// A reference to an associated object, the WSDL's `MObjAssociation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObjAssociation {
    /// `mObjType`: `Lead`, `Opportunity` or `Company`.
    pub object_type: String,
    /// `id`.
    pub id: Option<i32>,
    /// `externalKey`: a field name and value of the associated object.
    pub external_key: Option<Attrib>,
}

/// An MObject as returned by `getMObjects`, the WSDL's `MObject`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObject {
    /// `type`.
    pub object_type: String,
    /// `id`.
    pub id: i32,
    /// `createdAt`.
    pub created_at: DateTime<Utc>,
    /// `updatedAt`.
    pub updated_at: DateTime<Utc>,
    /// `attribList`.
    pub attribs: Vec<Attrib>,
    /// `typeAttribList`.
    pub type_attribs: Vec<TypeAttrib>,
    /// `associationList`.
    pub associations: Vec<MObjAssociation>,
}

/// An MObject sent to `syncMObjects` or `deleteMObjects`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MObjectInput {
    /// `type`.
    pub object_type: String,
    /// `id`.
    pub id: Option<i32>,
    /// `externalKey`.
    pub external_key: Option<Attrib>,
    /// `attribList`.
    pub attribs: Vec<Attrib>,
    /// `typeAttribList`.
    pub type_attribs: Vec<TypeAttrib>,
    /// `associationList`.
    pub associations: Vec<MObjAssociation>,
}

/// A `getMObjects` comparison, the WSDL's `ComparisonEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
}

impl Comparison {
    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Comparison::Eq => ordering == Equal,
            Comparison::Ne => ordering != Equal,
            Comparison::Lt => ordering == Less,
            Comparison::Le => ordering != Greater,
            Comparison::Gt => ordering == Greater,
            Comparison::Ge => ordering != Less,
        }
    }
}

/// One filter of `getMObjects`, the WSDL's `MObjCriteria`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObjCriterion {
    /// `attrName`, for example `Name` or `Created At`.
    pub attr_name: String,
    /// `comparison`.
    pub comparison: Comparison,
    /// `attrValue`.
    pub attr_value: String,
}

/// The parameters of `getMObjects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetMObjectsRequest {
    /// `type`.
    pub object_type: String,
    /// `id`.
    pub id: Option<i32>,
    /// `externalKey`.
    pub external_key: Option<Attrib>,
    /// `mObjCriteriaList`.
    pub criteria: Vec<MObjCriterion>,
    /// `mObjAssociationList`.
    pub associations: Vec<MObjAssociation>,
    /// `includeDetails`: for programs, also return costs and tokens.
    pub include_details: Option<bool>,
    /// `streamPosition`.
    pub stream_position: Option<String>,
}

/// One page of `getMObjects`, the WSDL's `ResultGetMObjects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObjectsPage {
    /// `returnCount`.
    pub return_count: i32,
    /// `hasMore`.
    pub has_more: bool,
    /// `newStreamPosition`: always set; after the last page it is at the end of the
    /// stream, and passing it again is fault 20123.
    pub new_stream_position: String,
    /// `mObjectList`.
    pub objects: Vec<MObject>,
}

/// The WSDL's `MObjStatusEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MObjStatusKind {
    /// Created.
    Created,
    /// Updated.
    Updated,
    /// Deleted.
    Deleted,
    /// Failed; see the error.
    Failed,
    /// Nothing changed.
    Unchanged,
    /// Left alone by the operation mode (INSERT of an existing object, UPDATE of a new
    /// one).
    Skipped,
}

impl MObjStatusKind {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MObjStatusKind::Created => "CREATED",
            MObjStatusKind::Updated => "UPDATED",
            MObjStatusKind::Deleted => "DELETED",
            MObjStatusKind::Failed => "FAILED",
            MObjStatusKind::Unchanged => "UNCHANGED",
            MObjStatusKind::Skipped => "SKIPPED",
        }
    }
}

/// The WSDL's `MObjStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObjStatus {
    /// `id`: the object's id, 0 when there is none.
    pub id: i32,
    /// `externalKey`, as sent.
    pub external_key: Option<Attrib>,
    /// `status`.
    pub status: MObjStatusKind,
    /// `error`, for FAILED.
    pub error: Option<String>,
}

/// The WSDL's `SyncOperationEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncOperation {
    /// Create new objects, skip existing ones.
    Insert,
    /// Update existing objects, skip new ones.
    Update,
    /// Create or update.
    Upsert,
}

impl SyncOperation {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncOperation::Insert => "INSERT",
            SyncOperation::Update => "UPDATE",
            SyncOperation::Upsert => "UPSERT",
        }
    }
}

/// The WSDL's `MObjectMetadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObjectMetadata {
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `isCustom`.
    pub is_custom: bool,
    /// `isVirtual`.
    pub is_virtual: bool,
    /// `fieldList`.
    pub fields: Vec<MObjFieldMetadata>,
    /// `updatedAt`.
    pub updated_at: DateTime<Utc>,
}

/// The WSDL's `MObjFieldMetadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MObjFieldMetadata {
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `sourceObject`.
    pub source_object: Option<String>,
    /// `dataType`.
    pub data_type: String,
    /// `size`.
    pub size: Option<i32>,
    /// `isReadonly`.
    pub is_readonly: bool,
    /// `isUpdateBlocked`.
    pub is_update_blocked: bool,
    /// `isName`.
    pub is_name: Option<bool>,
    /// `isPrimaryKey`.
    pub is_primary_key: bool,
    /// `isCustom`.
    pub is_custom: bool,
    /// `isDynamic`.
    pub is_dynamic: bool,
    /// `dynamicFieldRef`.
    pub dynamic_field_ref: Option<String>,
    /// `updatedAt`.
    pub updated_at: DateTime<Utc>,
}

/// A field of a fixed MObject schema.
struct SchemaField {
    name: &'static str,
    data_type: &'static str,
    size: Option<i32>,
    read_only: bool,
    is_name: bool,
    is_primary_key: bool,
    description: &'static str,
}

const fn schema_field(
    name: &'static str,
    data_type: &'static str,
    description: &'static str,
) -> SchemaField {
    SchemaField {
        name,
        data_type,
        size: None,
        read_only: false,
        is_name: false,
        is_primary_key: false,
        description,
    }
}

const fn read_only_field(
    name: &'static str,
    data_type: &'static str,
    description: &'static str,
) -> SchemaField {
    SchemaField {
        name,
        data_type,
        size: None,
        read_only: true,
        is_name: false,
        is_primary_key: false,
        description,
    }
}

const ACTIVITY_RECORD_FIELDS: &[SchemaField] = &[
    SchemaField {
        is_primary_key: true,
        size: Some(10),
        ..read_only_field("id", "integer", "Unique id of the activity")
    },
    read_only_field("activityDateTime", "dateTime", "When the activity happened"),
    SchemaField {
        is_name: true,
        size: Some(255),
        ..read_only_field("activityType", "string", "Name of the activity type")
    },
    SchemaField {
        size: Some(255),
        ..read_only_field(
            "mktgAssetName",
            "string",
            "Primary attribute of the activity",
        )
    },
    read_only_field(
        "activityAttributes",
        "Array",
        "Secondary attributes of the activity",
    ),
    SchemaField {
        size: Some(255),
        ..read_only_field(
            "campaign",
            "string",
            "Smart campaign that caused the activity",
        )
    },
    SchemaField {
        size: Some(255),
        ..read_only_field("personName", "string", "First and last name of the lead")
    },
    SchemaField {
        size: Some(10),
        ..read_only_field("mktPersonId", "integer", "Id of the lead")
    },
    SchemaField {
        size: Some(50),
        ..read_only_field("foreignSysId", "string", "Foreign person id of the lead")
    },
    SchemaField {
        size: Some(255),
        ..read_only_field("orgName", "string", "Company of the lead")
    },
    SchemaField {
        size: Some(50),
        ..read_only_field("foreignSysOrgId", "string", "CRM account id of the lead")
    },
];

const OPPORTUNITY_FIELDS: &[SchemaField] = &[
    SchemaField {
        is_primary_key: true,
        ..read_only_field("Id", "integer", "Unique id of the opportunity")
    },
    SchemaField {
        is_name: true,
        size: Some(255),
        ..schema_field("Name", "string", "Name of the opportunity")
    },
    schema_field("Amount", "currency", "Value of the deal"),
    schema_field("CloseDate", "date", "Expected or actual close date"),
    schema_field("Description", "text", "Description"),
    schema_field(
        "ExpectedRevenue",
        "currency",
        "Amount weighted by probability",
    ),
    schema_field(
        "ExternalCreatedDate",
        "datetime",
        "Creation time in the external system",
    ),
    SchemaField {
        size: Some(255),
        ..schema_field("Fiscal", "string", "Fiscal period, for example 2024 2")
    },
    schema_field("FiscalQuarter", "integer", "Fiscal quarter"),
    schema_field("FiscalYear", "integer", "Fiscal year"),
    SchemaField {
        size: Some(255),
        ..schema_field("ForecastCategoryName", "string", "Forecast category")
    },
    schema_field("IsClosed", "boolean", "True when the opportunity is closed"),
    schema_field("IsWon", "boolean", "True when the opportunity was won"),
    schema_field("LastActivityDate", "date", "Date of the last activity"),
    SchemaField {
        size: Some(255),
        ..schema_field("LeadSource", "string", "Source of the opportunity")
    },
    SchemaField {
        size: Some(255),
        ..schema_field("NextStep", "string", "Next step")
    },
    schema_field(
        "Probability",
        "integer",
        "Probability of winning, in percent",
    ),
    schema_field("Quantity", "float", "Quantity"),
    SchemaField {
        size: Some(255),
        ..schema_field("Stage", "string", "Sales stage")
    },
    SchemaField {
        size: Some(255),
        ..schema_field("Type", "string", "Type of deal")
    },
    read_only_field("CreatedAt", "datetime", "Creation time in Marketo"),
    read_only_field(
        "UpdatedAt",
        "datetime",
        "Time of the last change in Marketo",
    ),
];

const ROLE_FIELDS: &[SchemaField] = &[
    SchemaField {
        is_primary_key: true,
        ..read_only_field("Id", "integer", "Unique id of the role")
    },
    schema_field("OpportunityId", "integer", "Id of the opportunity"),
    schema_field("PersonId", "integer", "Id of the lead"),
    SchemaField {
        is_name: true,
        size: Some(255),
        ..schema_field("Role", "string", "Role of the lead on the opportunity")
    },
    schema_field("IsPrimary", "boolean", "True for the primary contact"),
    schema_field(
        "ExternalCreatedDate",
        "datetime",
        "Creation time in the external system",
    ),
    read_only_field("CreatedAt", "datetime", "Creation time in Marketo"),
    read_only_field(
        "UpdatedAt",
        "datetime",
        "Time of the last change in Marketo",
    ),
];

/// Criteria names `getMObjects` accepts for programs.
const PROGRAM_CRITERIA: &[&str] = &[
    "Id",
    "Name",
    "CRM Id",
    "Created At",
    "Updated At",
    "Tag Type",
    "Tag Value",
    "Workspace Id",
    "Workspace Name",
    "Include Archive",
];

/// Returns the time the sandbox's fixed schemas were last changed, for `describeMObject`.
fn schema_updated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .expect("valid fixed date")
}

fn field_type_of(schema: &SchemaField) -> FieldType {
    match schema.data_type {
        "integer" => FieldType::Integer,
        "currency" => FieldType::Currency,
        "float" => FieldType::Float,
        "boolean" => FieldType::Boolean,
        "date" => FieldType::Date,
        "datetime" | "dateTime" => FieldType::Datetime,
        "text" => FieldType::Text,
        _ => FieldType::String,
    }
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Compares two values as numbers, then as date-times, then as text ignoring case.
fn compare_values(left: &str, right: &str) -> std::cmp::Ordering {
    if let (Ok(a), Ok(b)) = (left.trim().parse::<f64>(), right.trim().parse::<f64>()) {
        return a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal);
    }
    if let (Some(a), Some(b)) = (parse_datetime(left.trim()), parse_datetime(right.trim())) {
        return a.cmp(&b);
    }
    left.trim().to_lowercase().cmp(&right.trim().to_lowercase())
}

/// Validated values for an opportunity or role, or the reason they are not valid.
type PlannedValues = Result<Vec<(String, Option<FieldValue>)>, String>;

impl Store {
    /// Returns the opportunities, by id.
    pub fn opportunities(&self) -> impl Iterator<Item = &Opportunity> {
        self.opportunities.values()
    }

    /// Returns the opportunity roles, by id.
    pub fn opportunity_roles(&self) -> impl Iterator<Item = &OpportunityRole> {
        self.opportunity_roles.values()
    }

    /// Adds an opportunity as it is (seed data); advances the id counter past it.
    pub fn insert_opportunity(&mut self, opportunity: Opportunity) {
        self.counters.opportunity = self.counters.opportunity.max(opportunity.id + 1);
        self.opportunities.insert(opportunity.id, opportunity);
    }

    /// Adds a role as it is (seed data); advances the id counter past it.
    pub fn insert_opportunity_role(&mut self, role: OpportunityRole) {
        self.counters.opportunity_role = self.counters.opportunity_role.max(role.id + 1);
        self.opportunity_roles.insert(role.id, role);
    }

    /// `listMObjects`: the objects `describeMObject` describes.
    pub fn list_mobjects(&mut self) -> Vec<String> {
        self.begin_operation();
        [
            "ActivityRecord",
            "LeadRecord",
            "Opportunity",
            "OpportunityPersonRole",
        ]
        .map(String::from)
        .to_vec()
    }

    /// `describeMObject`: the fields of `ActivityRecord`, `LeadRecord`, `Opportunity` or
    /// `OpportunityPersonRole`; fault 20110 for any other name.
    pub fn describe_mobject(&mut self, object_name: &str) -> SandboxResult<MObjectMetadata> {
        self.begin_operation();
        let name = object_name.trim();
        let updated_at = schema_updated_at();
        let metadata = if same_name(name, "ActivityRecord") {
            fixed_metadata(
                "ActivityRecord",
                "Activity of a lead, composed of event, campaign and lead fields",
                true,
                "Event",
                ACTIVITY_RECORD_FIELDS,
            )
        } else if same_name(name, "LeadRecord") {
            self.lead_record_metadata()
        } else if same_name(name, "Opportunity") {
            fixed_metadata(
                "Opportunity",
                "A sales opportunity",
                false,
                "Opportunity",
                OPPORTUNITY_FIELDS,
            )
        } else if same_name(name, "OpportunityPersonRole") || same_name(name, "OpportunityLeadRole")
        {
            fixed_metadata(
                "OpportunityPersonRole",
                "The role of a lead on an opportunity",
                false,
                "OpportunityPersonRole",
                ROLE_FIELDS,
            )
        } else {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("MObject '{name}' cannot be described; use ActivityRecord, LeadRecord, Opportunity or OpportunityPersonRole"),
            ));
        };
        Ok(MObjectMetadata {
            updated_at,
            ..metadata
        })
    }

    fn lead_record_metadata(&self) -> MObjectMetadata {
        let updated_at = schema_updated_at();
        let mut fields = vec![MObjFieldMetadata {
            name: "Id".into(),
            description: Some("Marketo id of the lead".into()),
            display_name: Some("Id".into()),
            source_object: Some("Lead".into()),
            data_type: "integer".into(),
            size: Some(10),
            is_readonly: true,
            is_update_blocked: true,
            is_name: Some(false),
            is_primary_key: true,
            is_custom: false,
            is_dynamic: false,
            dynamic_field_ref: None,
            updated_at,
        }];
        for field in &self.lead_fields {
            let derived = matches!(
                field.storage,
                FieldStorage::OwnerEmail | FieldStorage::OwnerCrmId
            );
            fields.push(MObjFieldMetadata {
                name: field.name.clone(),
                description: Some(field.description.clone()),
                display_name: Some(field.display_name.clone()),
                source_object: Some(if derived { "SalesUser" } else { "Lead" }.into()),
                data_type: field.data_type.as_str().into(),
                size: field.size.map(|size| size as i32),
                is_readonly: field.read_only,
                is_update_blocked: field.read_only,
                is_name: Some(false),
                is_primary_key: false,
                is_custom: field.custom,
                is_dynamic: false,
                dynamic_field_ref: None,
                updated_at,
            });
        }
        MObjectMetadata {
            name: "LeadRecord".into(),
            description: Some("A lead, composed of lead, company and owner fields".into()),
            is_custom: false,
            is_virtual: true,
            fields,
            updated_at,
        }
    }

    /// `getMObjects`: one page (up to 100) of objects of one type matching every filter,
    /// ascending by id.
    ///
    /// Criteria compare as numbers, then date-times, then text ignoring case. Programs
    /// take the criteria Id, Name, CRM Id, Created At, Updated At, Tag Type (at most one),
    /// Tag Value, Workspace Id, Workspace Name and Include Archive (archived programs are
    /// skipped unless it is true). Opportunities and roles take Id, Created At, Updated
    /// At and their field names. Associations filter opportunities by Lead and roles by
    /// Lead or Opportunity. Faults: 20110 for an unknown type, criterion or association,
    /// 20122 for a bad stream position, 20123 at the end of the stream.
    pub fn get_mobjects(&mut self, request: &GetMObjectsRequest) -> SandboxResult<MObjectsPage> {
        self.begin_operation();
        let object_type = MObjectType::parse(&request.object_type)?;
        let include_details = request.include_details.unwrap_or(false);
        let candidates = self.mobject_candidates(object_type, request)?;

        let fingerprint = format!(
            "{}|{:?}|{:?}|{:?}|{:?}|{include_details}",
            object_type.as_str(),
            request.id,
            request.external_key,
            request.criteria,
            request.associations
        );
        let start_after = match request
            .stream_position
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => 0,
            Some(position) => {
                let cursor = decode_position(StreamKind::MObjects, position, &fingerprint)?;
                if !candidates.iter().any(|id| i64::from(*id) > cursor) {
                    return Err(stream_at_end(StreamKind::MObjects));
                }
                cursor
            }
        };

        let after: Vec<i32> = candidates
            .into_iter()
            .filter(|id| i64::from(*id) > start_after)
            .collect();
        let page: Vec<i32> = after.iter().copied().take(MOBJECT_PAGE_SIZE).collect();
        let cursor = page.last().map_or(start_after, |last| i64::from(*last));
        let objects: Vec<MObject> = page
            .iter()
            .map(|id| self.mobject_view(object_type, *id, include_details))
            .collect();

        Ok(MObjectsPage {
            return_count: objects.len() as i32,
            has_more: after.len() > page.len(),
            new_stream_position: encode_position(StreamKind::MObjects, cursor, &fingerprint),
            objects,
        })
    }

    /// Returns the ids of the objects matching every filter of the request, ascending.
    fn mobject_candidates(
        &self,
        object_type: MObjectType,
        request: &GetMObjectsRequest,
    ) -> SandboxResult<Vec<i32>> {
        let mut ids: Vec<i32> = match object_type {
            MObjectType::Program => self.programs.keys().copied().collect(),
            MObjectType::Opportunity => self.opportunities.keys().copied().collect(),
            MObjectType::OpportunityPersonRole => self.opportunity_roles.keys().copied().collect(),
        };
        if let Some(id) = request.id {
            ids.retain(|candidate| *candidate == id);
        }
        if let Some(key) = &request.external_key {
            ids.retain(|id| {
                self.mobject_value(object_type, *id, &key.name)
                    .is_some_and(|value| same_name(&value, &key.value))
            });
        }

        if object_type == MObjectType::Program {
            ids = self.filter_programs(ids, &request.criteria)?;
        } else {
            let allowed = schema_of(object_type);
            for criterion in &request.criteria {
                let known = ["Id", "Created At", "Updated At"]
                    .iter()
                    .any(|name| squash(name) == squash(&criterion.attr_name))
                    || allowed
                        .iter()
                        .any(|field| squash(field.name) == squash(&criterion.attr_name));
                if !known {
                    return Err(unknown_criterion(object_type, &criterion.attr_name));
                }
                ids.retain(|id| {
                    self.mobject_value(object_type, *id, &criterion.attr_name)
                        .is_some_and(|value| {
                            criterion
                                .comparison
                                .holds(compare_values(&value, &criterion.attr_value))
                        })
                });
            }
        }

        for association in &request.associations {
            let allowed = self.associated_ids(object_type, association)?;
            ids.retain(|id| allowed.contains(id));
        }
        Ok(ids)
    }

    fn filter_programs(
        &self,
        mut ids: Vec<i32>,
        criteria: &[MObjCriterion],
    ) -> SandboxResult<Vec<i32>> {
        let mut include_archived = false;
        let mut tag_type: Option<&MObjCriterion> = None;
        let mut tag_values: Vec<&MObjCriterion> = Vec::new();

        for criterion in criteria {
            let Some(name) = PROGRAM_CRITERIA
                .iter()
                .find(|name| squash(name) == squash(&criterion.attr_name))
            else {
                return Err(unknown_criterion(
                    MObjectType::Program,
                    &criterion.attr_name,
                ));
            };
            match *name {
                "Include Archive" => {
                    include_archived = criterion.attr_value.trim().eq_ignore_ascii_case("true")
                }
                "Tag Type" if tag_type.is_some() => {
                    return Err(SandboxError::new(
                        FaultCode::BadParameter,
                        "only one Tag Type criterion may be given",
                    ))
                }
                "Tag Type" => tag_type = Some(criterion),
                "Tag Value" => tag_values.push(criterion),
                _ => ids.retain(|id| {
                    self.mobject_value(MObjectType::Program, *id, name)
                        .is_some_and(|value| {
                            criterion
                                .comparison
                                .holds(compare_values(&value, &criterion.attr_value))
                        })
                }),
            }
        }

        if !include_archived {
            ids.retain(|id| !self.programs[id].archived);
        }
        if tag_type.is_some() || !tag_values.is_empty() {
            ids.retain(|id| {
                self.program_tags(&self.programs[id]).iter().any(|tag| {
                    let type_ok = tag_type.is_none_or(|c| {
                        c.comparison.holds(compare_values(&tag.name, &c.attr_value))
                    });
                    let value_ok = tag_values.iter().all(|c| {
                        c.comparison
                            .holds(compare_values(&tag.value, &c.attr_value))
                    });
                    type_ok && value_ok
                })
            });
        }
        Ok(ids)
    }

    /// Returns the ids of `object_type` objects associated with the referenced object.
    fn associated_ids(
        &self,
        object_type: MObjectType,
        association: &MObjAssociation,
    ) -> SandboxResult<BTreeSet<i32>> {
        let unsupported = || {
            SandboxError::new(
                FaultCode::BadParameter,
                format!(
                    "association with {} is not supported for {}; use Lead for Opportunity, Lead or Opportunity for OpportunityPersonRole",
                    association.object_type,
                    object_type.as_str()
                ),
            )
        };
        let target = if same_name(&association.object_type, "Lead") {
            self.referenced_leads(association)
        } else if same_name(&association.object_type, "Opportunity")
            && object_type == MObjectType::OpportunityPersonRole
        {
            self.referenced_opportunities(association)
        } else {
            return Err(unsupported());
        };

        Ok(match object_type {
            MObjectType::Opportunity => self
                .opportunity_roles
                .values()
                .filter(|role| target.contains(&role.person_id))
                .map(|role| role.opportunity_id)
                .collect(),
            MObjectType::OpportunityPersonRole if same_name(&association.object_type, "Lead") => {
                self.opportunity_roles
                    .values()
                    .filter(|role| target.contains(&role.person_id))
                    .map(|role| role.id)
                    .collect()
            }
            MObjectType::OpportunityPersonRole => self
                .opportunity_roles
                .values()
                .filter(|role| target.contains(&role.opportunity_id))
                .map(|role| role.id)
                .collect(),
            MObjectType::Program => return Err(unsupported()),
        })
    }

    fn referenced_leads(&self, association: &MObjAssociation) -> BTreeSet<i32> {
        match (&association.id, &association.external_key) {
            (Some(id), _) => self
                .leads
                .contains_key(id)
                .then_some(*id)
                .into_iter()
                .collect(),
            (None, Some(key)) => self
                .leads
                .values()
                .filter(|lead| {
                    let value = if same_name(&key.name, "Email") {
                        lead.email.clone()
                    } else {
                        lead.attributes
                            .iter()
                            .find(|(name, _)| same_name(name, &key.name))
                            .map(|(_, v)| v.to_string())
                    };
                    value.is_some_and(|value| same_name(&value, &key.value))
                })
                .map(|lead| lead.id)
                .collect(),
            (None, None) => BTreeSet::new(),
        }
    }

    fn referenced_opportunities(&self, association: &MObjAssociation) -> BTreeSet<i32> {
        match (&association.id, &association.external_key) {
            (Some(id), _) => self
                .opportunities
                .contains_key(id)
                .then_some(*id)
                .into_iter()
                .collect(),
            (None, Some(key)) => self
                .opportunities
                .values()
                .filter(|opportunity| {
                    opportunity.attributes.iter().any(|(name, value)| {
                        same_name(name, &key.name) && same_name(&value.to_string(), &key.value)
                    })
                })
                .map(|opportunity| opportunity.id)
                .collect(),
            (None, None) => BTreeSet::new(),
        }
    }

    /// Returns the value of a criterion or external key name for one object.
    fn mobject_value(&self, object_type: MObjectType, id: i32, name: &str) -> Option<String> {
        let wanted = squash(name);
        let (created_at, updated_at, attributes) = match object_type {
            MObjectType::Program => {
                let program = self.programs.get(&id)?;
                let value = match wanted.as_str() {
                    "id" => Some(program.id.to_string()),
                    "name" => Some(program.name.clone()),
                    "crmid" => program.crm_id.clone(),
                    "createdat" => Some(format_datetime(&program.created_at)),
                    "updatedat" => Some(format_datetime(&program.updated_at)),
                    "workspaceid" => self
                        .workspace(&program.workspace)
                        .map(|workspace| workspace.id.to_string()),
                    "workspacename" => Some(program.workspace.clone()),
                    _ => None,
                };
                return value;
            }
            MObjectType::Opportunity => {
                let opportunity = self.opportunities.get(&id)?;
                (
                    opportunity.created_at,
                    opportunity.updated_at,
                    &opportunity.attributes,
                )
            }
            MObjectType::OpportunityPersonRole => {
                let role = self.opportunity_roles.get(&id)?;
                match wanted.as_str() {
                    "opportunityid" => return Some(role.opportunity_id.to_string()),
                    "personid" => return Some(role.person_id.to_string()),
                    _ => (role.created_at, role.updated_at, &role.attributes),
                }
            }
        };
        match wanted.as_str() {
            "id" => Some(id.to_string()),
            "createdat" => Some(format_datetime(&created_at)),
            "updatedat" => Some(format_datetime(&updated_at)),
            _ => attributes
                .iter()
                .find(|(field, _)| squash(field) == wanted)
                .map(|(_, value)| value.to_string()),
        }
    }

    /// Returns a program's tags with its channel first, as `Type`/`Value` pairs.
    fn program_tags(&self, program: &Program) -> Vec<Attrib> {
        let mut tags = vec![Attrib::new("Channel", &program.channel)];
        tags.extend(program.tags.iter().cloned());
        tags
    }

    fn mobject_view(&self, object_type: MObjectType, id: i32, include_details: bool) -> MObject {
        match object_type {
            MObjectType::Program => self.program_view(&self.programs[&id], include_details),
            MObjectType::Opportunity => {
                let opportunity = &self.opportunities[&id];
                MObject {
                    object_type: object_type.as_str().into(),
                    id,
                    created_at: opportunity.created_at,
                    updated_at: opportunity.updated_at,
                    attribs: opportunity
                        .attributes
                        .iter()
                        .map(|(name, value)| Attrib::new(name, value.to_string()))
                        .collect(),
                    type_attribs: Vec::new(),
                    associations: Vec::new(),
                }
            }
            MObjectType::OpportunityPersonRole => {
                let role = &self.opportunity_roles[&id];
                let mut attribs = vec![
                    Attrib::new("OpportunityId", role.opportunity_id.to_string()),
                    Attrib::new("PersonId", role.person_id.to_string()),
                ];
                attribs.extend(
                    role.attributes
                        .iter()
                        .map(|(name, value)| Attrib::new(name, value.to_string())),
                );
                MObject {
                    object_type: object_type.as_str().into(),
                    id,
                    created_at: role.created_at,
                    updated_at: role.updated_at,
                    attribs,
                    type_attribs: Vec::new(),
                    associations: vec![
                        MObjAssociation {
                            object_type: "Opportunity".into(),
                            id: Some(role.opportunity_id),
                            external_key: None,
                        },
                        MObjAssociation {
                            object_type: "Lead".into(),
                            id: Some(role.person_id),
                            external_key: None,
                        },
                    ],
                }
            }
        }
    }

    fn program_view(&self, program: &Program, include_details: bool) -> MObject {
        let mut attribs = vec![
            Attrib::new("Name", &program.name),
            Attrib::new("Description", &program.description),
            Attrib::new("Type", &program.program_type),
        ];
        // A program stored with a workspace the instance does not list has no id to report.
        if let Some(workspace) = self.workspace(&program.workspace) {
            attribs.push(Attrib::new("Workspace Id", workspace.id.to_string()));
        }
        attribs.extend([
            Attrib::new("Workspace Name", program.workspace.clone()),
            Attrib::new("Tree Path", program.tree_path()),
            Attrib::new("Is Archived", program.archived.to_string()),
        ]);
        if let Some(crm_id) = &program.crm_id {
            attribs.push(Attrib::new("CRM Id", crm_id));
        }

        let mut type_attribs: Vec<TypeAttrib> = self
            .program_tags(program)
            .into_iter()
            .map(|tag| TypeAttrib {
                attr_type: "Tag".into(),
                attrs: vec![
                    Attrib::new("Type", tag.name),
                    Attrib::new("Value", tag.value),
                ],
            })
            .collect();
        if include_details {
            for cost in &program.costs {
                let mut attrs = vec![
                    Attrib::new("Id", cost.id.to_string()),
                    Attrib::new("Month", &cost.month),
                    Attrib::new("Amount", cost.amount.to_string()),
                ];
                if let Some(note) = &cost.note {
                    attrs.push(Attrib::new("Note", note));
                }
                type_attribs.push(TypeAttrib {
                    attr_type: "Cost".into(),
                    attrs,
                });
            }
            for token in &program.tokens {
                type_attribs.push(TypeAttrib {
                    attr_type: "Token".into(),
                    attrs: vec![
                        Attrib::new("Name", &token.name),
                        Attrib::new("Value", &token.value),
                    ],
                });
            }
        }

        MObject {
            object_type: MObjectType::Program.as_str().into(),
            id: program.id,
            created_at: program.created_at,
            updated_at: program.updated_at,
            attribs,
            type_attribs,
            associations: Vec::new(),
        }
    }

    /// `syncMObjects`: creates or updates up to 100 objects; each gets its own status.
    ///
    /// Programs can only be updated (UPDATE mode). They take `Cost` type attributes
    /// (Month, Amount, optional Id of a cost to replace, optional Note) and `Tag` type
    /// attributes (Type and Value, where the type `Channel` sets the channel). Opportunities and roles are
    /// matched by id, else external key (roles also by their opportunity and lead).
    /// INSERT skips matched objects and UPDATE skips unmatched ones; an id that matches
    /// nothing fails. Faults: 20109 for an empty list, 20110 for more than 100 objects.
    pub fn sync_mobjects(
        &mut self,
        objects: &[MObjectInput],
        operation: SyncOperation,
    ) -> SandboxResult<Vec<MObjStatus>> {
        let now = self.begin_operation();
        check_mobject_count(objects)?;

        let statuses = objects
            .iter()
            .map(|object| {
                let outcome = match MObjectType::parse(&object.object_type) {
                    Err(error) => Err(error.message),
                    Ok(MObjectType::Program) => self.sync_program(object, operation, now),
                    Ok(MObjectType::Opportunity) => self.sync_opportunity(object, operation, now),
                    Ok(MObjectType::OpportunityPersonRole) => {
                        self.sync_role(object, operation, now)
                    }
                };
                match outcome {
                    Ok((id, status)) => MObjStatus {
                        id,
                        external_key: object.external_key.clone(),
                        status,
                        error: None,
                    },
                    Err(error) => MObjStatus {
                        id: object.id.unwrap_or(0),
                        external_key: object.external_key.clone(),
                        status: MObjStatusKind::Failed,
                        error: Some(error),
                    },
                }
            })
            .collect();
        Ok(statuses)
    }

    fn sync_program(
        &mut self,
        object: &MObjectInput,
        operation: SyncOperation,
        now: DateTime<Utc>,
    ) -> Result<(i32, MObjStatusKind), String> {
        if operation != SyncOperation::Update {
            return Err(format!(
                "Program objects can only be synced with UPDATE, not {}",
                operation.as_str()
            ));
        }
        let id = object.id.ok_or("a Program object needs its id")?;
        if !self.programs.contains_key(&id) {
            return Err(format!("no program has id {id}"));
        }
        if !object.attribs.is_empty() {
            return Err(
                "Program objects accept only Cost and Tag type attributes, not an attribList"
                    .into(),
            );
        }

        let mut program = self.programs[&id].clone();
        for group in &object.type_attribs {
            if same_name(&group.attr_type, "Cost") {
                self.apply_program_cost(&mut program, &group.attrs)?;
            } else if same_name(&group.attr_type, "Tag") {
                self.apply_program_tag(&mut program, &group.attrs)?;
            } else {
                return Err(format!(
                    "type attribute '{}' is not valid for Program; use Cost or Tag",
                    group.attr_type
                ));
            }
        }

        if program == self.programs[&id] {
            return Ok((id, MObjStatusKind::Unchanged));
        }
        program.updated_at = now;
        self.programs.insert(id, program);
        Ok((id, MObjStatusKind::Updated))
    }

    fn apply_program_cost(
        &mut self,
        program: &mut Program,
        attrs: &[Attrib],
    ) -> Result<(), String> {
        let get = |name: &str| {
            attrs
                .iter()
                .find(|attr| same_name(&attr.name, name))
                .map(|attr| attr.value.trim().to_string())
        };
        let month = get("Month").ok_or("a Cost needs a Month (YYYY-MM)")?;
        let month = normalize_month(&month)
            .ok_or_else(|| format!("Cost Month '{month}' is not of the form YYYY-MM"))?;
        let amount_text = get("Amount").ok_or("a Cost needs an Amount")?;
        let amount: f64 = amount_text
            .parse()
            .map_err(|_| format!("Cost Amount '{amount_text}' is not a number"))?;
        let note = get("Note").filter(|note| !note.is_empty());

        match get("Id") {
            Some(id_text) => {
                let cost_id: i32 = id_text
                    .parse()
                    .map_err(|_| format!("Cost Id '{id_text}' is not a number"))?;
                let cost = program
                    .costs
                    .iter_mut()
                    .find(|cost| cost.id == cost_id)
                    .ok_or_else(|| {
                        format!("program {} has no cost with id {cost_id}", program.id)
                    })?;
                cost.month = month;
                cost.amount = amount;
                cost.note = note;
            }
            None => {
                let id = self.next_program_cost_id();
                program.costs.push(ProgramCost {
                    id,
                    month,
                    amount,
                    note,
                });
            }
        }
        Ok(())
    }

    fn apply_program_tag(&self, program: &mut Program, attrs: &[Attrib]) -> Result<(), String> {
        let get = |name: &str| {
            attrs
                .iter()
                .find(|attr| same_name(&attr.name, name))
                .map(|attr| attr.value.trim().to_string())
        };
        let tag_type = get("Type").ok_or("a Tag needs a Type")?;
        let value = get("Value").ok_or("a Tag needs a Value")?;

        if same_name(&tag_type, "Channel") {
            let channel = self.channel(&value).ok_or_else(|| format!("channel '{value}' does not exist; tags and channels cannot be created through the API"))?;
            program.channel = channel.name.clone();
            return Ok(());
        }
        let tag = self.tag_type(&tag_type).ok_or_else(|| {
            format!("tag type '{tag_type}' does not exist; tags cannot be created through the API")
        })?;
        let canonical = tag
            .values
            .iter()
            .find(|allowed| same_name(allowed, &value))
            .ok_or_else(|| format!("tag type '{}' has no value '{value}'", tag.tag_type))?;
        program
            .tags
            .retain(|existing| !same_name(&existing.name, &tag.tag_type));
        program.tags.push(Attrib::new(&tag.tag_type, canonical));
        Ok(())
    }

    fn sync_opportunity(
        &mut self,
        object: &MObjectInput,
        operation: SyncOperation,
        now: DateTime<Utc>,
    ) -> Result<(i32, MObjStatusKind), String> {
        if !object.associations.is_empty() {
            return Err(
                "associations of Opportunity objects (Company) are not supported by the sandbox"
                    .into(),
            );
        }
        let mut values = plan_values(OPPORTUNITY_FIELDS, &object.attribs)?;
        if let Some(key) = &object.external_key {
            values.extend(plan_values(OPPORTUNITY_FIELDS, std::slice::from_ref(key))?);
        }

        let matched = match (object.id, &object.external_key) {
            (Some(id), _) if self.opportunities.contains_key(&id) => Some(id),
            (Some(id), _) => {
                return Err(format!(
                    "no opportunity has id {id}; leave the id out to create one"
                ))
            }
            (None, Some(key)) => self
                .opportunities
                .values()
                .filter(|opportunity| {
                    opportunity.attributes.iter().any(|(name, value)| {
                        same_name(name, &key.name) && value.to_string() == key.value.trim()
                    })
                })
                .map(|opportunity| opportunity.id)
                .next_back(),
            (None, None) => None,
        };

        match (matched, operation) {
            (Some(id), SyncOperation::Insert) => Ok((id, MObjStatusKind::Skipped)),
            (None, SyncOperation::Update) => Ok((0, MObjStatusKind::Skipped)),
            (Some(id), _) => {
                let opportunity = self
                    .opportunities
                    .get_mut(&id)
                    .expect("matched opportunity exists");
                let changed = apply_values(&mut opportunity.attributes, values);
                if changed {
                    opportunity.updated_at = now;
                }
                Ok((
                    id,
                    if changed {
                        MObjStatusKind::Updated
                    } else {
                        MObjStatusKind::Unchanged
                    },
                ))
            }
            (None, _) => {
                let id = self.next_opportunity_id();
                let mut attributes = BTreeMap::new();
                apply_values(&mut attributes, values);
                self.opportunities.insert(
                    id,
                    Opportunity {
                        id,
                        attributes,
                        created_at: now,
                        updated_at: now,
                    },
                );
                Ok((id, MObjStatusKind::Created))
            }
        }
    }

    fn sync_role(
        &mut self,
        object: &MObjectInput,
        operation: SyncOperation,
        now: DateTime<Utc>,
    ) -> Result<(i32, MObjStatusKind), String> {
        let mut values = plan_values(ROLE_FIELDS, &object.attribs)?;
        let mut take_id = |name: &str| -> Result<Option<i32>, String> {
            match values.iter().position(|(field, _)| field == name) {
                None => Ok(None),
                Some(index) => match values.remove(index).1 {
                    Some(FieldValue::Integer(id)) => i32::try_from(id)
                        .map(Some)
                        .map_err(|_| format!("{name} {id} is out of range")),
                    _ => Ok(None),
                },
            }
        };
        let mut opportunity_id = take_id("OpportunityId")?;
        let mut person_id = take_id("PersonId")?;
        for association in &object.associations {
            if same_name(&association.object_type, "Opportunity") {
                opportunity_id = self
                    .referenced_opportunities(association)
                    .into_iter()
                    .next_back()
                    .or(opportunity_id);
            } else if same_name(&association.object_type, "Lead") {
                person_id = self
                    .referenced_leads(association)
                    .into_iter()
                    .next_back()
                    .or(person_id);
            } else {
                return Err(format!("association with {} is not valid for OpportunityPersonRole; use Opportunity or Lead", association.object_type));
            }
        }
        if let Some(id) = opportunity_id.filter(|id| !self.opportunities.contains_key(id)) {
            return Err(format!("no opportunity has id {id}"));
        }
        if let Some(id) = person_id.filter(|id| !self.leads.contains_key(id)) {
            return Err(format!("no lead has id {id}"));
        }

        let matched = match object.id {
            Some(id) if self.opportunity_roles.contains_key(&id) => Some(id),
            Some(id) => {
                return Err(format!(
                    "no opportunity role has id {id}; leave the id out to create one"
                ))
            }
            None => self
                .opportunity_roles
                .values()
                .filter(|role| {
                    Some(role.opportunity_id) == opportunity_id && Some(role.person_id) == person_id
                })
                .map(|role| role.id)
                .next_back(),
        };

        match (matched, operation) {
            (Some(id), SyncOperation::Insert) => Ok((id, MObjStatusKind::Skipped)),
            (None, SyncOperation::Update) => Ok((0, MObjStatusKind::Skipped)),
            (Some(id), _) => {
                let role = self
                    .opportunity_roles
                    .get_mut(&id)
                    .expect("matched role exists");
                let mut changed = apply_values(&mut role.attributes, values);
                if let Some(opportunity_id) =
                    opportunity_id.filter(|new| *new != role.opportunity_id)
                {
                    role.opportunity_id = opportunity_id;
                    changed = true;
                }
                if let Some(person_id) = person_id.filter(|new| *new != role.person_id) {
                    role.person_id = person_id;
                    changed = true;
                }
                if changed {
                    role.updated_at = now;
                }
                Ok((
                    id,
                    if changed {
                        MObjStatusKind::Updated
                    } else {
                        MObjStatusKind::Unchanged
                    },
                ))
            }
            (None, _) => {
                let (Some(opportunity_id), Some(person_id)) = (opportunity_id, person_id) else {
                    return Err(
                        "a new OpportunityPersonRole needs OpportunityId and PersonId".into(),
                    );
                };
                let id = self.next_opportunity_role_id();
                let mut attributes = BTreeMap::new();
                apply_values(&mut attributes, values);
                self.opportunity_roles.insert(
                    id,
                    OpportunityRole {
                        id,
                        opportunity_id,
                        person_id,
                        attributes,
                        created_at: now,
                        updated_at: now,
                    },
                );
                Ok((id, MObjStatusKind::Created))
            }
        }
    }

    /// `deleteMObjects`: deletes opportunities (with their roles) and roles.
    ///
    /// Each object gets DELETED, UNCHANGED (no such id) or FAILED (programs, other
    /// types, or no id). Faults: 20109 for an empty list, 20110 for more than 100
    /// objects.
    pub fn delete_mobjects(&mut self, objects: &[MObjectInput]) -> SandboxResult<Vec<MObjStatus>> {
        self.begin_operation();
        check_mobject_count(objects)?;

        let statuses = objects
            .iter()
            .map(|object| {
                let failed = |error: String| MObjStatus {
                    id: object.id.unwrap_or(0),
                    external_key: object.external_key.clone(),
                    status: MObjStatusKind::Failed,
                    error: Some(error),
                };
                let object_type = match MObjectType::parse(&object.object_type) {
                    Ok(MObjectType::Program) => {
                        return failed("Program objects cannot be deleted through the API".into())
                    }
                    Ok(object_type) => object_type,
                    Err(error) => return failed(error.message),
                };
                let Some(id) = object.id else {
                    return failed(format!("a {} to delete needs its id", object_type.as_str()));
                };

                let deleted = match object_type {
                    MObjectType::Opportunity => {
                        let deleted = self.opportunities.remove(&id).is_some();
                        if deleted {
                            self.opportunity_roles
                                .retain(|_, role| role.opportunity_id != id);
                        }
                        deleted
                    }
                    _ => self.opportunity_roles.remove(&id).is_some(),
                };
                let status = if deleted {
                    MObjStatusKind::Deleted
                } else {
                    MObjStatusKind::Unchanged
                };
                MObjStatus {
                    id,
                    external_key: object.external_key.clone(),
                    status,
                    error: None,
                }
            })
            .collect();
        Ok(statuses)
    }
}

fn fixed_metadata(
    name: &str,
    description: &str,
    is_virtual: bool,
    source: &str,
    schema: &[SchemaField],
) -> MObjectMetadata {
    let updated_at = schema_updated_at();
    MObjectMetadata {
        name: name.into(),
        description: Some(description.into()),
        is_custom: false,
        is_virtual,
        fields: schema
            .iter()
            .map(|field| MObjFieldMetadata {
                name: field.name.into(),
                description: Some(field.description.into()),
                display_name: None,
                source_object: Some(source.into()),
                data_type: field.data_type.into(),
                size: field.size,
                is_readonly: field.read_only,
                is_update_blocked: field.read_only,
                is_name: Some(field.is_name),
                is_primary_key: field.is_primary_key,
                is_custom: false,
                is_dynamic: false,
                dynamic_field_ref: None,
                updated_at,
            })
            .collect(),
        updated_at,
    }
}

fn schema_of(object_type: MObjectType) -> &'static [SchemaField] {
    match object_type {
        MObjectType::Opportunity => OPPORTUNITY_FIELDS,
        MObjectType::OpportunityPersonRole => ROLE_FIELDS,
        MObjectType::Program => &[],
    }
}

fn unknown_criterion(object_type: MObjectType, name: &str) -> SandboxError {
    let allowed = match object_type {
        MObjectType::Program => PROGRAM_CRITERIA.join(", "),
        other => {
            let mut names = String::from("Id, Created At, Updated At");
            for field in schema_of(other).iter().filter(|field| !field.read_only) {
                let _ = write!(names, ", {}", field.name);
            }
            names
        }
    };
    SandboxError::new(
        FaultCode::BadParameter,
        format!(
            "criterion '{name}' is not valid for {}; use one of: {allowed}",
            object_type.as_str()
        ),
    )
}

fn check_mobject_count(objects: &[MObjectInput]) -> SandboxResult<()> {
    if objects.is_empty() {
        return Err(SandboxError::new(
            FaultCode::ParameterRequired,
            "mObjectList is empty; pass at least one mObject",
        ));
    }
    if objects.len() > MAX_MOBJECTS_PER_CALL {
        return Err(SandboxError::new(
            FaultCode::BadParameter,
            format!("mObjectList has {} objects, more than the {MAX_MOBJECTS_PER_CALL} allowed per call; split the request", objects.len()),
        ));
    }
    Ok(())
}

/// Validates attribute names and values against a schema.
fn plan_values(schema: &[SchemaField], attribs: &[Attrib]) -> PlannedValues {
    attribs
        .iter()
        .map(|attrib| {
            let field = schema
                .iter()
                .find(|field| same_name(field.name, &attrib.name))
                .ok_or_else(|| format!("attribute '{}' is not a field of this object; call describeMObject to list the fields", attrib.name))?;
            if field.read_only {
                return Err(format!("attribute '{}' is read-only", field.name));
            }
            let value = field_type_of(field)
                .parse_value(&attrib.value)
                .map_err(|reason| format!("attribute '{}' is of type {}: {reason}", field.name, field.data_type))?;
            Ok((field.name.to_string(), value))
        })
        .collect()
}

/// Writes values into a map; returns whether anything changed.
fn apply_values(
    target: &mut BTreeMap<String, FieldValue>,
    values: Vec<(String, Option<FieldValue>)>,
) -> bool {
    let mut changed = false;
    for (name, value) in values {
        changed |= match value {
            Some(value) => target.insert(name, value.clone()).as_ref() != Some(&value),
            None => target.remove(&name).is_some(),
        };
    }
    changed
}

/// Accepts `YYYY-MM` or `YYYY-MM-DD` and returns `YYYY-MM`.
fn normalize_month(text: &str) -> Option<String> {
    let month = text.get(..7)?;
    let (year, month_number) = month.split_once('-')?;
    let valid = year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && month_number
            .parse::<u32>()
            .is_ok_and(|m| (1..=12).contains(&m))
        && (text.len() == 7 || chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok());
    valid.then(|| month.to_string())
}
