//! `getCampaignsForSource`, `requestCampaign` and `scheduleCampaign`.

use mktows::types as wire;
use mktows::Nillable;

use super::convert::{attribs_in, campaign_source_in, lead_key_in, to_utc, value_of};
use crate::error::SandboxResult;
use crate::store::{self, Store};

pub(crate) fn get_campaigns_for_source(
    store: &mut Store,
    request: wire::ParamsGetCampaignsForSource,
) -> SandboxResult<wire::SuccessGetCampaignsForSource> {
    let source = campaign_source_in(&request.source)?;
    let name = value_of(request.name);
    let records =
        store.get_campaigns_for_source(source, name.as_deref(), value_of(request.exact_name));
    let records: Vec<wire::CampaignRecord> = records
        .into_iter()
        .map(|record| wire::CampaignRecord {
            id: record.id,
            name: record.name,
            description: record.description,
        })
        .collect();
    Ok(wire::SuccessGetCampaignsForSource {
        result: wire::ResultGetCampaignsForSource {
            return_count: records.len() as i32,
            campaign_record_list: Some(Nillable::Value(wire::ArrayOfCampaignRecord {
                campaign_record: records,
            })),
        },
    })
}

pub(crate) fn request_campaign(
    store: &mut Store,
    request: wire::ParamsRequestCampaign,
) -> SandboxResult<wire::SuccessRequestCampaign> {
    let lead_keys = value_of(request.lead_list)
        .map(|list| list.lead_key)
        .unwrap_or_default()
        .into_iter()
        .map(lead_key_in)
        .collect::<SandboxResult<Vec<_>>>()?;
    let request = store::RequestCampaignRequest {
        source: campaign_source_in(&request.source)?,
        campaign_id: value_of(request.campaign_id),
        lead_keys,
        program_name: value_of(request.program_name),
        campaign_name: value_of(request.campaign_name),
        program_tokens: attribs_in(request.program_token_list),
    };
    let success = store.request_campaign(&request)?;
    Ok(wire::SuccessRequestCampaign {
        result: wire::ResultRequestCampaign { success },
    })
}

pub(crate) fn schedule_campaign(
    store: &mut Store,
    request: wire::ParamsScheduleCampaign,
) -> SandboxResult<wire::SuccessScheduleCampaign> {
    let request = store::ScheduleCampaignRequest {
        program_name: request.program_name,
        campaign_name: request.campaign_name,
        run_at: value_of(request.campaign_run_at).map(to_utc),
        program_tokens: attribs_in(request.program_token_list),
    };
    let success = store.schedule_campaign(&request)?;
    Ok(wire::SuccessScheduleCampaign {
        result: wire::ResultScheduleCampaign { success },
    })
}
