//! `listOperation`, `importToList` and `getImportToListStatus`.

use mktows::types as wire;
use mktows::Nillable;

use super::convert::{bad_enumeration, lead_key_in, lead_key_out, nil_or, to_wire_time, value_of};
use crate::error::{FaultCode, SandboxError, SandboxResult};
use crate::store::{self, ImportMode, ListKey, ListKeyType, ListOperationType, Store};

fn list_operation_type_in(operation: &wire::ListOperationType) -> SandboxResult<ListOperationType> {
    match operation {
        wire::ListOperationType::Addtolist => Ok(ListOperationType::AddToList),
        wire::ListOperationType::Ismemberoflist => Ok(ListOperationType::IsMemberOfList),
        wire::ListOperationType::Removefromlist => Ok(ListOperationType::RemoveFromList),
        other => Err(bad_enumeration(
            "listOperation",
            other.as_str(),
            "ADDTOLIST, ISMEMBEROFLIST, REMOVEFROMLIST",
        )),
    }
}

fn list_key_type_in(key_type: &wire::ListKeyType) -> SandboxResult<ListKeyType> {
    match key_type {
        wire::ListKeyType::Mktolistname => Ok(ListKeyType::MktoListName),
        wire::ListKeyType::Mktosalesuserid => Ok(ListKeyType::MktoSalesUserId),
        wire::ListKeyType::Sfdcleadownerid => Ok(ListKeyType::SfdcLeadOwnerId),
        other => Err(bad_enumeration(
            "listKey/keyType",
            other.as_str(),
            "MKTOLISTNAME, MKTOSALESUSERID, SFDCLEADOWNERID",
        )),
    }
}

fn import_mode_in(mode: &wire::ImportToListModeEnum) -> SandboxResult<ImportMode> {
    match mode {
        wire::ImportToListModeEnum::Upsertleads => Ok(ImportMode::UpsertLeads),
        wire::ImportToListModeEnum::Listonly => Ok(ImportMode::ListOnly),
        other => Err(bad_enumeration(
            "importListMode",
            other.as_str(),
            "UPSERTLEADS, LISTONLY",
        )),
    }
}

fn import_status_out(status: store::ImportStatus) -> wire::ImportToListStatusEnum {
    wire::ImportToListStatusEnum::from_wire(status.as_str())
}

pub(crate) fn list_operation(
    store: &mut Store,
    request: wire::ParamsListOperation,
) -> SandboxResult<wire::SuccessListOperation> {
    let members = request
        .list_member_list
        .lead_key
        .into_iter()
        .map(lead_key_in)
        .collect::<SandboxResult<Vec<_>>>()?;
    let request = store::ListOperationRequest {
        operation: list_operation_type_in(&request.list_operation)?,
        list_key: ListKey {
            key_type: list_key_type_in(&request.list_key.key_type)?,
            value: request.list_key.key_value,
        },
        members,
        strict: value_of(request.strict),
        skip_activity_log: value_of(request.skip_activity_log),
    };
    let result = store.list_operation(&request)?;
    let statuses = result
        .statuses
        .into_iter()
        .map(|status| wire::LeadStatus {
            lead_key: lead_key_out(status.lead_key),
            status: status.status,
        })
        .collect();
    Ok(wire::SuccessListOperation {
        result: wire::ResultListOperation {
            success: result.success,
            status_list: Some(Nillable::Value(wire::ArrayOfLeadStatus {
                lead_status: statuses,
            })),
        },
    })
}

pub(crate) fn import_to_list(
    store: &mut Store,
    request: wire::ParamsImportToList,
) -> SandboxResult<wire::SuccessImportToList> {
    let request = store::ImportToListRequest {
        program_name: request.program_name,
        list_name: request.list_name,
        import_file_header: request.import_file_header,
        import_file_rows: request.import_file_rows.string_item,
        import_list_mode: import_mode_in(&request.import_list_mode)?,
        clear_list: request.clear_list,
        campaign_name: request.campaign_name.into_value(),
    };
    let status = store.import_to_list(&request)?;
    Ok(wire::SuccessImportToList {
        result: wire::ResultImportToList {
            import_status: import_status_out(status),
        },
    })
}

/// `getImportToListStatus`. The schema makes `programName` and `listName` optional, but
/// the status is looked up by both, so a missing one is fault 20109.
pub(crate) fn get_import_to_list_status(
    store: &mut Store,
    request: wire::ParamsGetImportToListStatus,
) -> SandboxResult<wire::SuccessGetImportToListStatus> {
    let required = |value: Option<String>, element: &str| {
        value.filter(|text| !text.trim().is_empty()).ok_or_else(|| {
            SandboxError::new(
                FaultCode::ParameterRequired,
                format!(
                    "{element} is missing; pass the programName and listName given to importToList"
                ),
            )
        })
    };
    let program_name = required(request.program_name, "programName")?;
    let list_name = required(request.list_name, "listName")?;

    let status = store.get_import_to_list_status(&program_name, &list_name)?;
    Ok(wire::SuccessGetImportToListStatus {
        result: wire::ResultGetImportToListStatus {
            status: import_status_out(status.status),
            started_time: nil_or(status.started_time.map(to_wire_time)),
            ended_time: nil_or(status.ended_time.map(to_wire_time)),
            estimated_time: nil_or(status.estimated_time),
            estimated_rows: nil_or(status.estimated_rows),
            rows_imported: nil_or(status.rows_imported),
            rows_failed: nil_or(status.rows_failed),
            rows_ignored: nil_or(status.rows_ignored),
            import_summary: nil_or(status.import_summary),
        },
    })
}
