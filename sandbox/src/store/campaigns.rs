//! Smart campaigns: `getCampaignsForSource`, `requestCampaign` and `scheduleCampaign`.
//!
//! A trigger campaign is requestable by the sources it lists (its "Campaign is
//! Requested" trigger); a batch campaign can be scheduled. The sandbox runs no campaign
//! flows: it records each request and schedule so tests can inspect them, and writes a
//! "Request Campaign" activity on each requested lead.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::activity_types::REQUEST_CAMPAIGN;
use super::leads::LeadKey;
use super::{same_name, Attrib, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};

/// Lead keys `requestCampaign` uses; it ignores the rest.
const MAX_REQUESTED_LEADS: usize = 100;

/// The requester of a campaign, the WSDL's `ReqCampSourceType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignSource {
    /// The web service API.
    Mktows,
    /// Sales Insight.
    Sales,
}

impl CampaignSource {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignSource::Mktows => "MKTOWS",
            CampaignSource::Sales => "SALES",
        }
    }

    fn activity_source(self) -> &'static str {
        match self {
            CampaignSource::Mktows => "Web service API",
            CampaignSource::Sales => "Sales Insight",
        }
    }
}

/// The run mode of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignKind {
    /// Runs once over a smart list, when scheduled.
    Batch,
    /// Runs for each lead that triggers it.
    Trigger,
}

/// A smart campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    /// Id.
    pub id: i32,
    /// Name within its program.
    pub name: String,
    /// Description.
    pub description: String,
    /// The program it belongs to.
    pub program_id: Option<i32>,
    /// Batch or trigger.
    pub kind: CampaignKind,
    /// Sources of its "Campaign is Requested" trigger; empty for campaigns the API
    /// cannot request.
    pub requestable_by: Vec<CampaignSource>,
}

/// A campaign as listed by `getCampaignsForSource`, the WSDL's `CampaignRecord`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRecord {
    /// `id`.
    pub id: i32,
    /// `name`: `Program.Campaign` for program campaigns.
    pub name: String,
    /// `description`.
    pub description: String,
}

/// A recorded `requestCampaign` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRequestRecord {
    /// The campaign.
    pub campaign_id: i32,
    /// The leads sent into it.
    pub lead_ids: Vec<i32>,
    /// The source of the request.
    pub source: CampaignSource,
    /// My token overrides.
    pub tokens: Vec<Attrib>,
    /// When it was requested.
    pub requested_at: DateTime<Utc>,
}

/// A recorded `scheduleCampaign` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSchedule {
    /// The campaign.
    pub campaign_id: i32,
    /// When it runs: the requested time, or the call's time when that was in the past or
    /// absent.
    pub run_at: DateTime<Utc>,
    /// My token overrides.
    pub tokens: Vec<Attrib>,
    /// When it was scheduled.
    pub scheduled_at: DateTime<Utc>,
}

/// The parameters of `requestCampaign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCampaignRequest {
    /// `source`.
    pub source: CampaignSource,
    /// `campaignId`; exclusive with the names.
    pub campaign_id: Option<i32>,
    /// `leadList`.
    pub lead_keys: Vec<LeadKey>,
    /// `programName`, with `campaignName`.
    pub program_name: Option<String>,
    /// `campaignName`, with `programName`.
    pub campaign_name: Option<String>,
    /// `programTokenList`; requires the names.
    pub program_tokens: Vec<Attrib>,
}

/// The parameters of `scheduleCampaign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleCampaignRequest {
    /// `programName`.
    pub program_name: String,
    /// `campaignName`.
    pub campaign_name: String,
    /// `campaignRunAt`; now when absent.
    pub run_at: Option<DateTime<Utc>>,
    /// `programTokenList`.
    pub program_tokens: Vec<Attrib>,
}

impl Store {
    /// Returns the campaigns, by id.
    pub fn campaigns(&self) -> impl Iterator<Item = &Campaign> {
        self.campaigns.values()
    }

    /// Returns the recorded `requestCampaign` calls, oldest first.
    pub fn campaign_requests(&self) -> &[CampaignRequestRecord] {
        &self.campaign_requests
    }

    /// Returns the recorded `scheduleCampaign` calls, oldest first.
    pub fn campaign_schedules(&self) -> &[CampaignSchedule] {
        &self.campaign_schedules
    }

    /// Adds a campaign and returns its id.
    pub fn insert_campaign(&mut self, mut campaign: Campaign) -> i32 {
        if campaign.id == 0 {
            campaign.id = self.next_campaign_id();
        }
        self.counters.campaign = self.counters.campaign.max(campaign.id + 1);
        let id = campaign.id;
        self.campaigns.insert(id, campaign);
        id
    }

    /// Returns `Program.Campaign`, or the bare name for campaigns outside programs.
    pub fn campaign_full_name(&self, campaign: &Campaign) -> String {
        match campaign.program_id.and_then(|id| self.programs.get(&id)) {
            Some(program) => format!("{}.{}", program.name, campaign.name),
            None => campaign.name.clone(),
        }
    }

    /// `getCampaignsForSource`: the campaigns `source` may request, sorted by name.
    ///
    /// `name` filters by a case-insensitive substring of the full or bare name; with
    /// `exact_name` true it must equal one of them, case included.
    pub fn get_campaigns_for_source(
        &mut self,
        source: CampaignSource,
        name: Option<&str>,
        exact_name: Option<bool>,
    ) -> Vec<CampaignRecord> {
        self.begin_operation();
        let name = name.map(str::trim).filter(|name| !name.is_empty());
        let exact = exact_name.unwrap_or(false);

        let mut records: Vec<CampaignRecord> = self
            .campaigns
            .values()
            .filter(|campaign| campaign.requestable_by.contains(&source))
            .map(|campaign| (campaign, self.campaign_full_name(campaign)))
            .filter(|(campaign, full_name)| match name {
                None => true,
                Some(wanted) if exact => campaign.name == wanted || full_name == wanted,
                Some(wanted) => full_name.to_lowercase().contains(&wanted.to_lowercase()),
            })
            .map(|(campaign, full_name)| CampaignRecord {
                id: campaign.id,
                name: full_name,
                description: campaign.description.clone(),
            })
            .collect();
        records.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        records
    }

    /// `requestCampaign`: sends leads into a requestable campaign.
    ///
    /// The campaign is named by `campaignId` alone or by `programName` + `campaignName`
    /// (the only form that may carry tokens). The first 100 lead keys are used. Every
    /// key must match a lead, or nothing happens.
    ///
    /// Faults: 20110 for a mixed or partial parameter set or a bad token name. 20109
    /// without a campaign or leads. 20113 for a campaign that does not exist or is not
    /// requestable by `source`. 20103 for a key that matches no lead.
    pub fn request_campaign(&mut self, request: &RequestCampaignRequest) -> SandboxResult<bool> {
        let now = self.begin_operation();
        let campaign_id = self.resolve_requested_campaign(request)?;
        validate_tokens(&request.program_tokens)?;
        if request.lead_keys.is_empty() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "leadList is empty; pass at least one leadKey",
            ));
        }

        let mut lead_ids = Vec::new();
        for key in request.lead_keys.iter().take(MAX_REQUESTED_LEADS) {
            let lead_id = self.find_lead(key)?;
            if !lead_ids.contains(&lead_id) {
                lead_ids.push(lead_id);
            }
        }

        let campaign_name = self.campaigns[&campaign_id].name.clone();
        for lead_id in &lead_ids {
            self.log_activity(
                *lead_id,
                REQUEST_CAMPAIGN,
                Some(campaign_name.clone()),
                Some(campaign_name.clone()),
                vec![
                    Attrib::new("Campaign ID", campaign_id.to_string()),
                    Attrib::new("Source", request.source.activity_source()),
                ],
                now,
            );
        }
        self.campaign_requests.push(CampaignRequestRecord {
            campaign_id,
            lead_ids,
            source: request.source,
            tokens: request.program_tokens.clone(),
            requested_at: now,
        });
        Ok(true)
    }

    fn resolve_requested_campaign(&self, request: &RequestCampaignRequest) -> SandboxResult<i32> {
        let program_name = request
            .program_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty());
        let campaign_name = request
            .campaign_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty());

        let campaign_id = match (request.campaign_id, program_name, campaign_name) {
            (Some(_), None, None) if !request.program_tokens.is_empty() => {
                return Err(SandboxError::new(
                    FaultCode::BadParameter,
                    "programTokenList needs programName and campaignName instead of campaignId",
                ))
            }
            (Some(id), None, None) => self.campaigns.contains_key(&id).then_some(id).ok_or_else(|| {
                SandboxError::new(FaultCode::CampaignNotFound, format!("no campaign has id {id}; call getCampaignsForSource to list them"))
            })?,
            (None, Some(program), Some(campaign)) => self.campaign_by_names(program, campaign)?,
            (None, None, None) => {
                return Err(SandboxError::new(
                    FaultCode::ParameterRequired,
                    "requestCampaign needs campaignId, or programName and campaignName",
                ))
            }
            _ => {
                return Err(SandboxError::new(
                    FaultCode::BadParameter,
                    "pass either campaignId alone, or programName and campaignName together (without campaignId)",
                ))
            }
        };

        let campaign = &self.campaigns[&campaign_id];
        if !campaign.requestable_by.contains(&request.source) {
            return Err(SandboxError::new(
                FaultCode::CampaignNotFound,
                format!(
                    "campaign '{}' has no 'Campaign is Requested' trigger for source {}; call getCampaignsForSource to list requestable campaigns",
                    self.campaign_full_name(campaign),
                    request.source.as_str()
                ),
            ));
        }
        Ok(campaign_id)
    }

    fn campaign_by_names(&self, program_name: &str, campaign_name: &str) -> SandboxResult<i32> {
        let program = self.program_by_name(program_name).ok_or_else(|| {
            SandboxError::new(FaultCode::CampaignNotFound, format!("no program is named '{program_name}', so campaign '{campaign_name}' cannot be found"))
        })?;
        self.campaigns
            .values()
            .find(|campaign| {
                campaign.program_id == Some(program.id) && same_name(&campaign.name, campaign_name)
            })
            .map(|campaign| campaign.id)
            .ok_or_else(|| {
                SandboxError::new(
                    FaultCode::CampaignNotFound,
                    format!(
                        "program '{}' has no campaign named '{campaign_name}'",
                        program.name
                    ),
                )
            })
    }

    /// Returns the id of campaign `campaign_name` in program `program_id`, for
    /// `importToList`.
    pub(crate) fn campaign_in_program(&self, program_id: i32, campaign_name: &str) -> Option<i32> {
        self.campaigns
            .values()
            .find(|campaign| {
                campaign.program_id == Some(program_id) && same_name(&campaign.name, campaign_name)
            })
            .map(|campaign| campaign.id)
    }

    /// `scheduleCampaign`: schedules a batch campaign to run at `run_at` (now when absent
    /// or past).
    ///
    /// Faults: 20113 for an unknown program or campaign, 20110 for a trigger campaign or
    /// a bad token name.
    pub fn schedule_campaign(&mut self, request: &ScheduleCampaignRequest) -> SandboxResult<bool> {
        let now = self.begin_operation();
        let campaign_id = self.campaign_by_names(&request.program_name, &request.campaign_name)?;
        let campaign = &self.campaigns[&campaign_id];
        if campaign.kind != CampaignKind::Batch {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("campaign '{}' is a trigger campaign; scheduleCampaign runs batch campaigns only", self.campaign_full_name(campaign)),
            ));
        }
        validate_tokens(&request.program_tokens)?;

        self.campaign_schedules.push(CampaignSchedule {
            campaign_id,
            run_at: request.run_at.map_or(now, |run_at| run_at.max(now)),
            tokens: request.program_tokens.clone(),
            scheduled_at: now,
        });
        Ok(true)
    }
}

/// Checks that every token is written `{{my.Name}}`; fault 20110 otherwise.
pub(crate) fn validate_tokens(tokens: &[Attrib]) -> SandboxResult<()> {
    for token in tokens {
        if !is_my_token(&token.name) {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!(
                    "program token '{}' is not a My Token; write it as {{{{my.Name}}}}",
                    token.name
                ),
            ));
        }
    }
    Ok(())
}

/// Returns true for a `{{my.Name}}` token name.
pub(crate) fn is_my_token(name: &str) -> bool {
    let name = name.trim();
    name.len() > "{{my.}}".len()
        && name
            .get(..5)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("{{my."))
        && name.ends_with("}}")
}
