//! `getLeadActivity` and `getLeadChanges`.

use mktows::types as wire;
use mktows::Nillable;

use super::convert::{
    attributes_out, lead_key_in, lead_selector_in, nil_or, stream_position_in, stream_position_out,
    to_wire_time, value_of,
};
use crate::error::SandboxResult;
use crate::store::{self, ActivityFilter, Store};

/// Converts an `ActivityTypeFilter`; the store resolves the type names and rejects
/// unknown ones with fault 20107.
fn activity_filter_in(filter: Option<Nillable<wire::ActivityTypeFilter>>) -> ActivityFilter {
    let Some(filter) = value_of(filter) else {
        return ActivityFilter::default();
    };
    let names = |types: Option<wire::ArrayOfActivityType>| -> Vec<String> {
        types
            .map(|types| {
                types
                    .activity_type
                    .iter()
                    .map(|activity_type| activity_type.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    ActivityFilter {
        include_types: names(filter.include_types),
        exclude_types: names(filter.exclude_types),
    }
}

fn activity_record_out(record: store::ActivityRecord) -> wire::ActivityRecord {
    wire::ActivityRecord {
        id: record.id,
        activity_date_time: to_wire_time(record.activity_date_time),
        activity_type: record.activity_type,
        mktg_asset_name: record.mktg_asset_name,
        activity_attributes: Some(Nillable::Value(attributes_out(record.activity_attributes))),
        campaign: nil_or(record.campaign),
        person_name: nil_or(record.person_name),
        mkt_person_id: record.mkt_person_id,
        foreign_sys_id: nil_or(record.foreign_sys_id),
        org_name: nil_or(record.org_name),
        foreign_sys_org_id: nil_or(record.foreign_sys_org_id),
    }
}

fn lead_change_record_out(record: store::LeadChangeRecord) -> wire::LeadChangeRecord {
    wire::LeadChangeRecord {
        id: record.id,
        activity_date_time: to_wire_time(record.activity_date_time),
        activity_type: record.activity_type,
        mktg_asset_name: nil_or(record.mktg_asset_name),
        activity_attributes: Some(Nillable::Value(attributes_out(record.activity_attributes))),
        campaign: record.campaign,
        mkt_person_id: record.mkt_person_id,
    }
}

pub(crate) fn get_lead_activity(
    store: &mut Store,
    request: wire::ParamsGetLeadActivity,
) -> SandboxResult<wire::SuccessGetLeadActivity> {
    let request = store::LeadActivityRequest {
        lead_key: lead_key_in(request.lead_key)?,
        filter: activity_filter_in(request.activity_filter),
        start_position: value_of(request.start_position).map(stream_position_in),
        batch_size: value_of(request.batch_size),
    };
    let page = store.get_lead_activity(&request)?;
    let records = page
        .activities
        .into_iter()
        .map(activity_record_out)
        .collect();
    Ok(wire::SuccessGetLeadActivity {
        lead_activity_list: wire::LeadActivityList {
            return_count: page.return_count,
            remaining_count: page.remaining_count,
            new_start_position: stream_position_out(page.new_start_position),
            activity_record_list: Some(Nillable::Value(wire::ArrayOfActivityRecord {
                activity_record: records,
            })),
        },
    })
}

pub(crate) fn get_lead_changes(
    store: &mut Store,
    request: wire::ParamsGetLeadChanges,
) -> SandboxResult<wire::SuccessGetLeadChanges> {
    let request = store::LeadChangesRequest {
        start_position: stream_position_in(request.start_position),
        filter: activity_filter_in(request.activity_filter),
        activity_name_filter: value_of(request.activity_name_filter).map(|names| names.string_item),
        batch_size: value_of(request.batch_size),
        lead_selector: request.lead_selector.map(lead_selector_in).transpose()?,
    };
    let page = store.get_lead_changes(&request)?;
    let records = page
        .changes
        .into_iter()
        .map(lead_change_record_out)
        .collect();
    Ok(wire::SuccessGetLeadChanges {
        result: wire::ResultGetLeadChanges {
            return_count: page.return_count,
            remaining_count: page.remaining_count,
            new_start_position: stream_position_out(page.new_start_position),
            lead_change_record_list: Some(Nillable::Value(wire::ArrayOfLeadChangeRecord {
                lead_change_record: records,
            })),
        },
    })
}
