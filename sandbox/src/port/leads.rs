//! `getLead`, `syncLead`, `syncMultipleLeads`, `getMultipleLeads` and `mergeLeads`.

use mktows::types as wire;
use mktows::Nillable;

use super::convert::{
    attributes_in, attributes_out, lead_key_in, lead_selector_in, nil_or, to_utc, value_of,
};
use crate::error::SandboxResult;
use crate::limits::Limits;
use crate::store::{self, ForeignSysType, LeadInput, Store};

/// Converts a lead of the store to the WSDL's `LeadRecord`.
pub(crate) fn lead_record_out(record: store::LeadRecord) -> wire::LeadRecord {
    wire::LeadRecord {
        id: Some(Nillable::Value(record.id)),
        email: nil_or(record.email),
        foreign_sys_person_id: nil_or(record.foreign_sys_person_id),
        foreign_sys_type: nil_or(
            record
                .foreign_sys_type
                .map(|kind| wire::ForeignSysType::from_wire(kind.as_str())),
        ),
        lead_attribute_list: Some(Nillable::Value(attributes_out(record.attributes))),
    }
}

fn lead_records_out(records: Vec<store::LeadRecord>) -> Option<Nillable<wire::ArrayOfLeadRecord>> {
    Some(Nillable::Value(wire::ArrayOfLeadRecord {
        lead_record: records.into_iter().map(lead_record_out).collect(),
    }))
}

/// Converts a `LeadRecord` sent by the caller; an unknown `ForeignSysType` is fault 20110.
fn lead_input(record: wire::LeadRecord) -> SandboxResult<LeadInput> {
    let foreign_sys_type = match value_of(record.foreign_sys_type) {
        Some(kind) => Some(ForeignSysType::parse(kind.as_str())?),
        None => None,
    };
    Ok(LeadInput {
        id: value_of(record.id),
        email: value_of(record.email),
        foreign_sys_person_id: value_of(record.foreign_sys_person_id),
        foreign_sys_type,
        attributes: attributes_in(record.lead_attribute_list),
    })
}

fn sync_status_out(status: store::SyncStatus) -> wire::SyncStatus {
    wire::SyncStatus {
        lead_id: status.lead_id,
        status: wire::LeadSyncStatus::from_wire(status.status.as_str()),
        error: nil_or(status.error),
    }
}

pub(crate) fn get_lead(
    store: &mut Store,
    request: wire::ParamsGetLead,
) -> SandboxResult<wire::SuccessGetLead> {
    let records = store.get_lead(&lead_key_in(request.lead_key)?)?;
    Ok(wire::SuccessGetLead {
        result: wire::ResultGetLead {
            count: records.len() as i32,
            lead_record_list: lead_records_out(records),
        },
    })
}

pub(crate) fn sync_lead(
    store: &mut Store,
    request: wire::ParamsSyncLead,
    context: Option<wire::MktowsContextHeaderInfo>,
) -> SandboxResult<wire::SuccessSyncLead> {
    let request = store::SyncLeadRequest {
        lead: lead_input(request.lead_record)?,
        return_lead: request.return_lead,
        marketo_cookie: value_of(request.marketo_cookie),
        target_workspace: context.map(|context| context.target_workspace),
    };
    let result = store.sync_lead(&request)?;
    Ok(wire::SuccessSyncLead {
        result: wire::ResultSyncLead {
            lead_id: result.lead_id,
            sync_status: sync_status_out(result.sync_status),
            lead_record: result
                .lead
                .map(|record| Nillable::Value(lead_record_out(record))),
        },
    })
}

/// `syncMultipleLeads`. With limits on, a `leadRecordList` larger than the maximum batch
/// size (300 by default) is fault 20110.
pub(crate) fn sync_multiple_leads(
    store: &mut Store,
    limits: Option<&Limits>,
    request: wire::ParamsSyncMultipleLeads,
) -> SandboxResult<wire::SuccessSyncMultipleLeads> {
    let records = request.lead_record_list.lead_record;
    if let Some(limits) = limits {
        limits.check_batch_size("leadRecordList", records.len())?;
    }
    let inputs = records
        .into_iter()
        .map(lead_input)
        .collect::<SandboxResult<Vec<_>>>()?;
    let statuses = store.sync_multiple_leads(&inputs, value_of(request.dedup_enabled))?;
    Ok(wire::SuccessSyncMultipleLeads {
        result: wire::ResultSyncMultipleLeads {
            sync_status_list: wire::ArrayOfSyncStatus {
                sync_status: statuses.into_iter().map(sync_status_out).collect(),
            },
        },
    })
}

pub(crate) fn get_multiple_leads(
    store: &mut Store,
    request: wire::ParamsGetMultipleLeads,
) -> SandboxResult<wire::SuccessGetMultipleLeads> {
    let request = store::GetMultipleLeadsRequest {
        selector: request.lead_selector.map(lead_selector_in).transpose()?,
        last_updated_at: request.last_updated_at.map(to_utc),
        stream_position: value_of(request.stream_position),
        batch_size: value_of(request.batch_size),
        include_attributes: request.include_attributes.map(|names| names.string_item),
    };
    let page = store.get_multiple_leads(&request)?;
    Ok(wire::SuccessGetMultipleLeads {
        result: wire::ResultGetMultipleLeads {
            return_count: page.return_count,
            remaining_count: page.remaining_count,
            new_stream_position: page.new_stream_position,
            lead_record_list: lead_records_out(page.leads),
        },
    })
}

pub(crate) fn merge_leads(
    store: &mut Store,
    request: wire::ParamsMergeLeads,
) -> SandboxResult<wire::SuccessMergeLeads> {
    let winner = attributes_in(Some(Nillable::Value(request.winning_lead_key_list)));
    let losers: Vec<Vec<store::Attribute>> = request
        .losing_lead_key_lists
        .key_list
        .into_iter()
        .map(|key_list| attributes_in(Some(Nillable::Value(key_list))))
        .collect();
    let status = store.merge_leads(&winner, &losers)?;
    Ok(wire::SuccessMergeLeads {
        result: wire::ResultMergeLeads {
            merge_status: wire::MergeStatus {
                winning_lead_id: Some(Nillable::Value(status.winning_lead_id)),
                losing_lead_id_list: Some(Nillable::Value(wire::ArrayOfInteger {
                    integer_item: status.losing_lead_ids,
                })),
                status: wire::LeadMergeStatusEnum::from_wire(status.status.as_str()),
                error: nil_or(status.error),
            },
        },
    })
}
