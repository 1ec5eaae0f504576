//! Custom objects (`getCustomObjects`, `syncCustomObjects`, `deleteCustomObjects`) and
//! MObjects (`listMObjects`, `describeMObject`, `getMObjects`, `syncMObjects`,
//! `deleteMObjects`).

use mktows::types as wire;
use mktows::Nillable;

use super::convert::{
    attrib_in, attrib_out, attribs_out, attributes_in, attributes_out, bad_enumeration, nil_or,
    sync_operation_in, to_wire_time, value_of,
};
use crate::error::SandboxResult;
use crate::store::{self, Comparison, Store};

fn custom_object_status_out(status: store::CustomObjectStatus) -> wire::SyncCustomObjStatus {
    wire::SyncCustomObjStatus {
        obj_type_name: status.object_type_name,
        custom_obj_key_list: Some(Nillable::Value(attributes_out(status.keys))),
        status: wire::SyncStatusEnum::from_wire(status.status.as_str()),
        error: nil_or(status.error),
    }
}

fn custom_object_statuses_out(
    statuses: Vec<store::CustomObjectStatus>,
) -> wire::ArrayOfSyncCustomObjStatus {
    wire::ArrayOfSyncCustomObjStatus {
        sync_custom_obj_status: statuses.into_iter().map(custom_object_status_out).collect(),
    }
}

pub(crate) fn get_custom_objects(
    store: &mut Store,
    request: wire::ParamsGetCustomObjects,
) -> SandboxResult<wire::SuccessGetCustomObjects> {
    let request = store::GetCustomObjectsRequest {
        object_type_name: request.obj_type_name,
        key_filter: attributes_in(request.custom_obj_key_list),
        include_attributes: request.include_attributes.string_item,
        batch_size: value_of(request.batch_size),
        stream_position: value_of(request.stream_position),
    };
    let page = store.get_custom_objects(&request)?;
    let records = page
        .records
        .into_iter()
        .map(|record| wire::CustomObj {
            custom_obj_key_list: Some(Nillable::Value(attributes_out(record.keys))),
            custom_obj_attribute_list: Some(Nillable::Value(attributes_out(record.attributes))),
        })
        .collect();
    Ok(wire::SuccessGetCustomObjects {
        result: wire::ResultGetCustomObjects {
            obj_type_name: page.object_type_name,
            return_count: page.return_count,
            remaining_count: page.remaining_count,
            new_stream_position: page.new_stream_position,
            custom_obj_list: Some(Nillable::Value(wire::ArrayOfCustomObj {
                custom_obj: records,
            })),
        },
    })
}

pub(crate) fn sync_custom_objects(
    store: &mut Store,
    request: wire::ParamsSyncCustomObjects,
) -> SandboxResult<wire::SuccessSyncCustomObjects> {
    let operation = match value_of(request.operation) {
        Some(operation) => Some(sync_operation_in(&operation)?),
        None => None,
    };
    let records: Vec<store::CustomObjectInput> = request
        .custom_obj_list
        .custom_obj
        .into_iter()
        .map(|record| store::CustomObjectInput {
            keys: attributes_in(record.custom_obj_key_list),
            attributes: attributes_in(record.custom_obj_attribute_list),
        })
        .collect();
    let statuses = store.sync_custom_objects(&request.obj_type_name, &records, operation)?;
    Ok(wire::SuccessSyncCustomObjects {
        result: wire::ResultSyncCustomObjects {
            sync_custom_obj_status_list: custom_object_statuses_out(statuses),
        },
    })
}

pub(crate) fn delete_custom_objects(
    store: &mut Store,
    request: wire::ParamsDeleteCustomObjects,
) -> SandboxResult<wire::SuccessDeleteCustomObjects> {
    let key_lists: Vec<Vec<store::Attribute>> = request
        .custom_obj_key_lists
        .key_list
        .into_iter()
        .map(|key_list| attributes_in(Some(Nillable::Value(key_list))))
        .collect();
    let statuses = store.delete_custom_objects(&request.obj_type_name, &key_lists)?;
    Ok(wire::SuccessDeleteCustomObjects {
        result: wire::ResultDeleteCustomObjects {
            delete_custom_obj_status_list: custom_object_statuses_out(statuses),
        },
    })
}

pub(crate) fn list_m_objects(
    store: &mut Store,
    _request: wire::ParamsListMObjects,
) -> SandboxResult<wire::SuccessListMObjects> {
    Ok(wire::SuccessListMObjects {
        result: wire::ResultListMObjects {
            objects: store.list_mobjects(),
        },
    })
}

fn field_metadata_out(field: store::MObjFieldMetadata) -> wire::MObjFieldMetadata {
    let nillable = |value: Option<String>| value.map_or(Nillable::Nil, Nillable::Value);
    wire::MObjFieldMetadata {
        name: field.name,
        description: nillable(field.description),
        display_name: nillable(field.display_name),
        source_object: nillable(field.source_object),
        data_type: field.data_type,
        size: field.size.map_or(Nillable::Nil, Nillable::Value),
        is_readonly: field.is_readonly,
        is_update_blocked: field.is_update_blocked,
        is_name: field.is_name.map_or(Nillable::Nil, Nillable::Value),
        is_primary_key: field.is_primary_key,
        is_custom: field.is_custom,
        is_dynamic: field.is_dynamic,
        dynamic_field_ref: nillable(field.dynamic_field_ref),
        updated_at: to_wire_time(field.updated_at),
    }
}

pub(crate) fn describe_m_object(
    store: &mut Store,
    request: wire::ParamsDescribeMObject,
) -> SandboxResult<wire::SuccessDescribeMObject> {
    let metadata = store.describe_mobject(&request.object_name)?;
    Ok(wire::SuccessDescribeMObject {
        result: wire::ResultDescribeMObject {
            metadata: wire::MObjectMetadata {
                name: metadata.name,
                description: metadata.description.map_or(Nillable::Nil, Nillable::Value),
                is_custom: metadata.is_custom,
                is_virtual: metadata.is_virtual,
                field_list: wire::ArrayOfMObjFieldMetadata {
                    field: metadata
                        .fields
                        .into_iter()
                        .map(field_metadata_out)
                        .collect(),
                },
                updated_at: to_wire_time(metadata.updated_at),
            },
        },
    })
}

fn comparison_in(comparison: &wire::ComparisonEnum) -> SandboxResult<Comparison> {
    match comparison {
        wire::ComparisonEnum::Eq => Ok(Comparison::Eq),
        wire::ComparisonEnum::Ne => Ok(Comparison::Ne),
        wire::ComparisonEnum::Lt => Ok(Comparison::Lt),
        wire::ComparisonEnum::Le => Ok(Comparison::Le),
        wire::ComparisonEnum::Gt => Ok(Comparison::Gt),
        wire::ComparisonEnum::Ge => Ok(Comparison::Ge),
        other => Err(bad_enumeration(
            "comparison",
            other.as_str(),
            "EQ, NE, LT, LE, GT, GE",
        )),
    }
}

fn association_in(association: wire::MObjAssociation) -> store::MObjAssociation {
    store::MObjAssociation {
        object_type: association.m_obj_type,
        id: association.id,
        external_key: association.external_key.map(attrib_in),
    }
}

fn association_out(association: store::MObjAssociation) -> wire::MObjAssociation {
    wire::MObjAssociation {
        m_obj_type: association.object_type,
        id: association.id,
        external_key: association.external_key.map(attrib_out),
    }
}

fn type_attrib_in(type_attrib: wire::TypeAttrib) -> store::TypeAttrib {
    store::TypeAttrib {
        attr_type: type_attrib.attr_type,
        attrs: type_attrib
            .attr_list
            .map(|list| list.attrib.into_iter().map(attrib_in).collect())
            .unwrap_or_default(),
    }
}

fn type_attrib_out(type_attrib: store::TypeAttrib) -> wire::TypeAttrib {
    wire::TypeAttrib {
        attr_type: type_attrib.attr_type,
        attr_list: Some(attribs_out(type_attrib.attrs)),
    }
}

fn mobject_in(object: wire::MObject) -> store::MObjectInput {
    store::MObjectInput {
        object_type: object.r#type,
        id: object.id,
        external_key: object.external_key.map(attrib_in),
        attribs: object
            .attrib_list
            .map(|list| list.attrib.into_iter().map(attrib_in).collect())
            .unwrap_or_default(),
        type_attribs: object
            .type_attrib_list
            .map(|list| list.type_attrib.into_iter().map(type_attrib_in).collect())
            .unwrap_or_default(),
        associations: object
            .association_list
            .map(|list| {
                list.m_obj_association
                    .into_iter()
                    .map(association_in)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Converts an MObject of the store; empty type attribute and association lists are left
/// out rather than sent empty.
fn mobject_out(object: store::MObject) -> wire::MObject {
    wire::MObject {
        r#type: object.object_type,
        id: Some(object.id),
        external_key: None,
        created_at: Some(to_wire_time(object.created_at)),
        updated_at: Some(to_wire_time(object.updated_at)),
        attrib_list: Some(attribs_out(object.attribs)),
        type_attrib_list: (!object.type_attribs.is_empty()).then(|| wire::ArrayOfTypeAttrib {
            type_attrib: object
                .type_attribs
                .into_iter()
                .map(type_attrib_out)
                .collect(),
        }),
        association_list: (!object.associations.is_empty()).then(|| wire::ArrayOfMObjAssociation {
            m_obj_association: object
                .associations
                .into_iter()
                .map(association_out)
                .collect(),
        }),
    }
}

fn mobject_statuses_out(statuses: Vec<store::MObjStatus>) -> wire::ArrayOfMObjStatus {
    wire::ArrayOfMObjStatus {
        m_obj_status: statuses
            .into_iter()
            .map(|status| wire::MObjStatus {
                id: status.id,
                external_key: status.external_key.map(attrib_out),
                status: wire::MObjStatusEnum::from_wire(status.status.as_str()),
                error: status.error,
            })
            .collect(),
    }
}

pub(crate) fn get_m_objects(
    store: &mut Store,
    request: wire::ParamsGetMObjects,
) -> SandboxResult<wire::SuccessGetMObjects> {
    let criteria = request
        .m_obj_criteria_list
        .map(|list| list.m_obj_criteria)
        .unwrap_or_default()
        .into_iter()
        .map(|criterion| {
            Ok(store::MObjCriterion {
                attr_name: criterion.attr_name,
                comparison: comparison_in(&criterion.comparison)?,
                attr_value: criterion.attr_value,
            })
        })
        .collect::<SandboxResult<Vec<_>>>()?;
    let request = store::GetMObjectsRequest {
        object_type: request.r#type,
        id: request.id,
        external_key: request.external_key.map(attrib_in),
        criteria,
        associations: request
            .m_obj_association_list
            .map(|list| {
                list.m_obj_association
                    .into_iter()
                    .map(association_in)
                    .collect()
            })
            .unwrap_or_default(),
        include_details: request.include_details,
        stream_position: request.stream_position,
    };
    let page = store.get_mobjects(&request)?;
    Ok(wire::SuccessGetMObjects {
        result: wire::ResultGetMObjects {
            return_count: page.return_count,
            has_more: page.has_more,
            new_stream_position: page.new_stream_position,
            m_object_list: Some(wire::ArrayOfMObject {
                m_object: page.objects.into_iter().map(mobject_out).collect(),
            }),
        },
    })
}

pub(crate) fn sync_m_objects(
    store: &mut Store,
    request: wire::ParamsSyncMObjects,
) -> SandboxResult<wire::SuccessSyncMObjects> {
    let operation = sync_operation_in(&request.operation)?;
    let objects: Vec<store::MObjectInput> = request
        .m_object_list
        .m_object
        .into_iter()
        .map(mobject_in)
        .collect();
    let statuses = store.sync_mobjects(&objects, operation)?;
    Ok(wire::SuccessSyncMObjects {
        result: wire::ResultSyncMObjects {
            m_obj_status_list: mobject_statuses_out(statuses),
        },
    })
}

pub(crate) fn delete_m_objects(
    store: &mut Store,
    request: wire::ParamsDeleteMObjects,
) -> SandboxResult<wire::SuccessDeleteMObjects> {
    let objects: Vec<store::MObjectInput> = request
        .m_object_list
        .m_object
        .into_iter()
        .map(mobject_in)
        .collect();
    let statuses = store.delete_mobjects(&objects)?;
    Ok(wire::SuccessDeleteMObjects {
        result: wire::ResultDeleteMObjects {
            m_obj_status_list: mobject_statuses_out(statuses),
        },
    })
}
