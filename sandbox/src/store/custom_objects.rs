//! Custom objects: `getCustomObjects`, `syncCustomObjects` and `deleteCustomObjects`.
//!
//! A custom object type links each record to one lead through its link field (a key
//! attribute holding the lead id) and identifies the record by the link field plus its
//! own key fields. Type names match ignoring case; responses use the defined spelling.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::{FieldType, FieldValue};
use super::mobjects::SyncOperation;
use super::{effective_batch_size, same_name, Attribute, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};
use crate::stream::{decode_position, encode_position, stream_at_end, StreamKind};

/// Fields a custom object type may have besides its keys, as Marketo allowed.
pub const MAX_CUSTOM_OBJECT_FIELDS: usize = 50;

/// Records accepted per `syncCustomObjects` or `deleteCustomObjects` call.
const MAX_RECORDS_PER_CALL: usize = 100;

/// A non-key field of a custom object type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomObjectField {
    /// Field name.
    pub name: String,
    /// Field type.
    pub data_type: FieldType,
}

/// A custom object type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomObjectType {
    /// Object name, for example "BoothVisit".
    pub name: String,
    /// Description.
    pub description: String,
    /// Key attribute that contains the id of the linked lead.
    pub lead_link_field: String,
    /// The object's own key attributes, besides the link field.
    pub key_fields: Vec<String>,
    /// Non-key fields.
    pub fields: Vec<CustomObjectField>,
}

impl CustomObjectType {
    /// Returns every key attribute name: the link field, then the key fields.
    pub fn key_names(&self) -> Vec<&str> {
        std::iter::once(self.lead_link_field.as_str())
            .chain(self.key_fields.iter().map(String::as_str))
            .collect()
    }

    fn key_name(&self, name: &str) -> Option<&str> {
        self.key_names()
            .into_iter()
            .find(|key| same_name(key, name))
    }

    fn field(&self, name: &str) -> Option<&CustomObjectField> {
        self.fields
            .iter()
            .find(|field| same_name(&field.name, name))
    }
}

/// A stored custom object record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCustomObject {
    /// Internal id, increasing; the stream position cursor.
    pub id: i64,
    /// The type's name.
    pub object_type: String,
    /// Key values by key name.
    pub keys: BTreeMap<String, String>,
    /// Field values by field name.
    pub attributes: BTreeMap<String, FieldValue>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
}

/// A custom object sent to `syncCustomObjects`, the WSDL's `CustomObj`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomObjectInput {
    /// `customObjKeyList`: every key attribute.
    pub keys: Vec<Attribute>,
    /// `customObjAttributeList`.
    pub attributes: Vec<Attribute>,
}

/// A custom object as returned by `getCustomObjects`, the WSDL's `CustomObj`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomObjectRecord {
    /// `customObjKeyList`, in key order.
    pub keys: Vec<Attribute>,
    /// `customObjAttributeList`, in field order.
    pub attributes: Vec<Attribute>,
}

/// The WSDL's `SyncStatusEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomObjectStatusKind {
    /// Created.
    Created,
    /// Updated.
    Updated,
    /// Deleted.
    Deleted,
    /// Failed; see the error.
    Failed,
}

impl CustomObjectStatusKind {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomObjectStatusKind::Created => "CREATED",
            CustomObjectStatusKind::Updated => "UPDATED",
            CustomObjectStatusKind::Deleted => "DELETED",
            CustomObjectStatusKind::Failed => "FAILED",
        }
    }
}

/// The WSDL's `SyncCustomObjStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomObjectStatus {
    /// `objTypeName`.
    pub object_type_name: String,
    /// `customObjKeyList`, as sent.
    pub keys: Vec<Attribute>,
    /// `status`.
    pub status: CustomObjectStatusKind,
    /// `error`, for FAILED.
    pub error: Option<String>,
}

/// The parameters of `getCustomObjects`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetCustomObjectsRequest {
    /// `objTypeName`.
    pub object_type_name: String,
    /// `customObjKeyList`: key attributes every returned record must have; all records
    /// when empty.
    pub key_filter: Vec<Attribute>,
    /// `includeAttributes`: fields to return; all when empty.
    pub include_attributes: Vec<String>,
    /// `batchSize`.
    pub batch_size: Option<i32>,
    /// `streamPosition`.
    pub stream_position: Option<String>,
}

/// One page of `getCustomObjects`, the WSDL's `ResultGetCustomObjects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomObjectsPage {
    /// `objTypeName`.
    pub object_type_name: String,
    /// `returnCount`.
    pub return_count: i32,
    /// `remainingCount`.
    pub remaining_count: i32,
    /// `newStreamPosition`: always set; after the last page it is at the end of the
    /// stream, and passing it again is fault 20123.
    pub new_stream_position: String,
    /// `customObjList`.
    pub records: Vec<CustomObjectRecord>,
}

impl Store {
    /// Returns the custom object types.
    pub fn custom_object_types(&self) -> &[CustomObjectType] {
        &self.custom_object_types
    }

    /// Returns the stored custom object records, by internal id.
    pub fn custom_objects(&self) -> impl Iterator<Item = &StoredCustomObject> {
        self.custom_objects.values()
    }

    /// Defines a custom object type, replacing one with the same name. Fault 20110 when
    /// it has more than 50 fields.
    pub fn insert_custom_object_type(
        &mut self,
        object_type: CustomObjectType,
    ) -> SandboxResult<()> {
        if object_type.fields.len() > MAX_CUSTOM_OBJECT_FIELDS {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("custom object {} has {} fields, more than the {MAX_CUSTOM_OBJECT_FIELDS} allowed", object_type.name, object_type.fields.len()),
            ));
        }
        self.custom_object_types
            .retain(|existing| !same_name(&existing.name, &object_type.name));
        self.custom_object_types.push(object_type);
        Ok(())
    }

    /// Stores a record as it is (seed data) and returns its internal id.
    pub(crate) fn insert_custom_object(&mut self, mut record: StoredCustomObject) -> i64 {
        record.id = self.next_custom_object_id();
        let id = record.id;
        self.custom_objects.insert(id, record);
        id
    }

    fn custom_object_type(&self, name: &str) -> SandboxResult<CustomObjectType> {
        self.custom_object_types
            .iter()
            .find(|object_type| same_name(&object_type.name, name))
            .cloned()
            .ok_or_else(|| {
                let known: Vec<&str> = self
                    .custom_object_types
                    .iter()
                    .map(|object_type| object_type.name.as_str())
                    .collect();
                SandboxError::new(
                    FaultCode::BadParameter,
                    format!(
                        "custom object type '{name}' does not exist; the instance defines: {}",
                        known.join(", ")
                    ),
                )
            })
    }

    /// `getCustomObjects`: one page of the records of a type that carry every key in the
    /// filter, in creation order.
    ///
    /// A page has `batchSize` records (default and maximum 100). Faults: 20110 for an
    /// unknown type, key name or attribute name, 20122 for a bad stream position, 20123
    /// at the end of the stream.
    pub fn get_custom_objects(
        &mut self,
        request: &GetCustomObjectsRequest,
    ) -> SandboxResult<CustomObjectsPage> {
        self.begin_operation();
        let object_type = self.custom_object_type(&request.object_type_name)?;
        let batch_size = effective_batch_size(request.batch_size, 100, 100)?;

        let mut filter = Vec::with_capacity(request.key_filter.len());
        for key in &request.key_filter {
            let name = object_type.key_name(&key.name).ok_or_else(|| {
                SandboxError::new(
                    FaultCode::BadParameter,
                    format!(
                        "'{}' is not a key of {}; its keys are {}",
                        key.name,
                        object_type.name,
                        object_type.key_names().join(", ")
                    ),
                )
            })?;
            filter.push((name.to_string(), key.value.trim().to_string()));
        }
        let mut include = Vec::new();
        for name in request
            .include_attributes
            .iter()
            .filter(|name| !name.trim().is_empty())
        {
            let field = object_type.field(name).ok_or_else(|| {
                SandboxError::new(
                    FaultCode::BadParameter,
                    format!("'{name}' is not a field of {}", object_type.name),
                )
            })?;
            include.push(field.name.clone());
        }

        let matching: Vec<i64> = self
            .custom_objects
            .values()
            .filter(|record| record.object_type == object_type.name)
            .filter(|record| {
                filter
                    .iter()
                    .all(|(name, value)| record.keys.get(name) == Some(value))
            })
            .map(|record| record.id)
            .collect();

        let fingerprint = format!("{}|{filter:?}", object_type.name);
        let start_after = match request
            .stream_position
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => 0,
            Some(position) => {
                let cursor = decode_position(StreamKind::CustomObjects, position, &fingerprint)?;
                if !matching.iter().any(|id| *id > cursor) {
                    return Err(stream_at_end(StreamKind::CustomObjects));
                }
                cursor
            }
        };
        let after: Vec<i64> = matching
            .into_iter()
            .filter(|id| *id > start_after)
            .collect();
        let page: Vec<i64> = after.iter().copied().take(batch_size).collect();
        let cursor = page.last().copied().unwrap_or(start_after);

        let records: Vec<CustomObjectRecord> = page
            .iter()
            .map(|id| custom_object_record(&object_type, &self.custom_objects[id], &include))
            .collect();
        Ok(CustomObjectsPage {
            object_type_name: object_type.name.clone(),
            return_count: records.len() as i32,
            remaining_count: (after.len() - page.len()) as i32,
            new_stream_position: encode_position(StreamKind::CustomObjects, cursor, &fingerprint),
            records,
        })
    }

    /// `syncCustomObjects`: creates or updates up to 100 records (UPSERT when `operation`
    /// is absent); each gets its own status.
    ///
    /// Every key attribute must be given, and the link field must hold the id of an
    /// existing lead. INSERT of an existing record and UPDATE of a missing one fail
    /// (the WSDL's statuses have no SKIPPED). Faults: 20110 for an unknown type or more
    /// than 100 records, 20109 for an empty list.
    pub fn sync_custom_objects(
        &mut self,
        object_type_name: &str,
        records: &[CustomObjectInput],
        operation: Option<SyncOperation>,
    ) -> SandboxResult<Vec<CustomObjectStatus>> {
        let now = self.begin_operation();
        let object_type = self.custom_object_type(object_type_name)?;
        check_record_count("customObjList", records.len())?;
        let operation = operation.unwrap_or(SyncOperation::Upsert);

        let statuses = records
            .iter()
            .map(|record| {
                let outcome = self.sync_custom_object(&object_type, record, operation, now);
                let (status, error) = match outcome {
                    Ok(status) => (status, None),
                    Err(error) => (CustomObjectStatusKind::Failed, Some(error)),
                };
                CustomObjectStatus {
                    object_type_name: object_type.name.clone(),
                    keys: record.keys.clone(),
                    status,
                    error,
                }
            })
            .collect();
        Ok(statuses)
    }

    fn sync_custom_object(
        &mut self,
        object_type: &CustomObjectType,
        record: &CustomObjectInput,
        operation: SyncOperation,
        now: DateTime<Utc>,
    ) -> Result<CustomObjectStatusKind, String> {
        let keys = full_key(object_type, &record.keys)?;
        let link_value = &keys[&object_type.lead_link_field];
        let lead_exists = link_value
            .parse::<i32>()
            .is_ok_and(|id| self.leads.contains_key(&id));
        if !lead_exists {
            return Err(format!(
                "link field {} = '{link_value}' does not name an existing lead id",
                object_type.lead_link_field
            ));
        }

        let mut values = Vec::with_capacity(record.attributes.len());
        for attribute in &record.attributes {
            let field = object_type.field(&attribute.name).ok_or_else(|| {
                format!(
                    "'{}' is not a field of {}",
                    attribute.name, object_type.name
                )
            })?;
            let value = field
                .data_type
                .parse_value(&attribute.value)
                .map_err(|reason| {
                    format!(
                        "field '{}' is of type {}: {reason}",
                        field.name, field.data_type
                    )
                })?;
            values.push((field.name.clone(), value));
        }

        let existing = self.find_custom_object(&object_type.name, &keys);
        match (existing, operation) {
            (Some(_), SyncOperation::Insert) => {
                Err("the record already exists; use UPDATE or UPSERT".into())
            }
            (None, SyncOperation::Update) => {
                Err("no record has these keys; use INSERT or UPSERT".into())
            }
            (Some(id), _) => {
                let stored = self
                    .custom_objects
                    .get_mut(&id)
                    .expect("found record exists");
                for (name, value) in values {
                    match value {
                        Some(value) => stored.attributes.insert(name, value),
                        None => stored.attributes.remove(&name),
                    };
                }
                stored.updated_at = now;
                Ok(CustomObjectStatusKind::Updated)
            }
            (None, _) => {
                let attributes = values
                    .into_iter()
                    .filter_map(|(name, value)| value.map(|v| (name, v)))
                    .collect();
                self.insert_custom_object(StoredCustomObject {
                    id: 0,
                    object_type: object_type.name.clone(),
                    keys,
                    attributes,
                    created_at: now,
                    updated_at: now,
                });
                Ok(CustomObjectStatusKind::Created)
            }
        }
    }

    /// `deleteCustomObjects`: deletes the records with the given full key lists; each
    /// gets DELETED, or FAILED when its keys are incomplete or match no record. Faults:
    /// 20110 for an unknown type or more than 100 key lists, 20109 for an empty list.
    pub fn delete_custom_objects(
        &mut self,
        object_type_name: &str,
        key_lists: &[Vec<Attribute>],
    ) -> SandboxResult<Vec<CustomObjectStatus>> {
        self.begin_operation();
        let object_type = self.custom_object_type(object_type_name)?;
        check_record_count("customObjKeyLists", key_lists.len())?;

        let statuses = key_lists
            .iter()
            .map(|key_list| {
                let outcome = full_key(&object_type, key_list).and_then(|keys| {
                    self.find_custom_object(&object_type.name, &keys)
                        .ok_or_else(|| "no record has these keys".to_string())
                });
                let (status, error) = match outcome {
                    Ok(id) => {
                        self.custom_objects.remove(&id);
                        (CustomObjectStatusKind::Deleted, None)
                    }
                    Err(error) => (CustomObjectStatusKind::Failed, Some(error)),
                };
                CustomObjectStatus {
                    object_type_name: object_type.name.clone(),
                    keys: key_list.clone(),
                    status,
                    error,
                }
            })
            .collect();
        Ok(statuses)
    }

    fn find_custom_object(
        &self,
        object_type: &str,
        keys: &BTreeMap<String, String>,
    ) -> Option<i64> {
        self.custom_objects
            .values()
            .find(|record| record.object_type == object_type && record.keys == *keys)
            .map(|record| record.id)
    }

    /// Points the link field of every record linked to `loser` at `winner`; a record
    /// whose new keys collide with one of the winner's is dropped.
    pub(crate) fn relink_custom_objects(&mut self, loser: i32, winner: i32) {
        let (loser_text, winner_text) = (loser.to_string(), winner.to_string());
        for object_type in self.custom_object_types.clone() {
            let linked: Vec<i64> = self
                .custom_objects
                .values()
                .filter(|record| {
                    record.object_type == object_type.name
                        && record.keys.get(&object_type.lead_link_field) == Some(&loser_text)
                })
                .map(|record| record.id)
                .collect();
            for id in linked {
                let mut keys = self.custom_objects[&id].keys.clone();
                keys.insert(object_type.lead_link_field.clone(), winner_text.clone());
                if self.find_custom_object(&object_type.name, &keys).is_some() {
                    self.custom_objects.remove(&id);
                } else if let Some(record) = self.custom_objects.get_mut(&id) {
                    record.keys = keys;
                }
            }
        }
    }
}

/// Builds the full key of a record, or returns which key is unknown or missing.
fn full_key(
    object_type: &CustomObjectType,
    given: &[Attribute],
) -> Result<BTreeMap<String, String>, String> {
    let mut keys = BTreeMap::new();
    for attribute in given {
        let name = object_type.key_name(&attribute.name).ok_or_else(|| {
            format!(
                "'{}' is not a key of {}; its keys are {}",
                attribute.name,
                object_type.name,
                object_type.key_names().join(", ")
            )
        })?;
        keys.insert(name.to_string(), attribute.value.trim().to_string());
    }
    let missing: Vec<&str> = object_type
        .key_names()
        .into_iter()
        .filter(|name| keys.get(*name).is_none_or(String::is_empty))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the key list lacks {}; every record needs all of {}",
            missing.join(", "),
            object_type.key_names().join(", ")
        ));
    }
    Ok(keys)
}

fn check_record_count(parameter: &str, count: usize) -> SandboxResult<()> {
    if count == 0 {
        return Err(SandboxError::new(
            FaultCode::ParameterRequired,
            format!("{parameter} is empty; pass at least one record"),
        ));
    }
    if count > MAX_RECORDS_PER_CALL {
        return Err(SandboxError::new(
            FaultCode::BadParameter,
            format!("{parameter} has {count} records, more than the {MAX_RECORDS_PER_CALL} allowed per call; split the request"),
        ));
    }
    Ok(())
}

fn custom_object_record(
    object_type: &CustomObjectType,
    record: &StoredCustomObject,
    include: &[String],
) -> CustomObjectRecord {
    let keys = object_type
        .key_names()
        .into_iter()
        .filter_map(|name| {
            record
                .keys
                .get(name)
                .map(|value| Attribute::new(name, value))
        })
        .collect();
    let attributes = object_type
        .fields
        .iter()
        .filter(|field| include.is_empty() || include.contains(&field.name))
        .filter_map(|field| {
            record
                .attributes
                .get(&field.name)
                .map(|value| Attribute::new(&field.name, value.to_string()))
        })
        .collect();
    CustomObjectRecord { keys, attributes }
}
