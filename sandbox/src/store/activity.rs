//! The activity log and the operations that read it: `getLeadActivity` (one lead,
//! newest first) and `getLeadChanges` (all leads, oldest first).
//!
//! Activity ids increase with time, so paging by id (`ID:<n>` offsets) and paging by date
//! agree.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::activity_types::resolve_activity_type;
use super::leads::{LeadKey, LeadSelector};
use super::{effective_batch_size, Attrib, Attribute, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};
use crate::stream::ActivityStreamPosition;

/// Keys a `LeadKeySelector` of `getLeadChanges` may carry; more is fault 20110.
const MAX_CHANGE_SELECTOR_KEYS: usize = 100;

/// One entry of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Id, increasing with time.
    pub id: i32,
    /// The lead the activity belongs to.
    pub lead_id: i32,
    /// Display name of the activity type, for example "Add to List".
    pub activity_type: String,
    /// When the activity happened.
    pub created_at: DateTime<Utc>,
    /// Primary attribute value, returned as `mktgAssetName`.
    pub primary_attribute: Option<String>,
    /// Smart campaign that caused the activity.
    pub campaign: Option<String>,
    /// Secondary attributes.
    pub attributes: Vec<Attrib>,
}

/// The WSDL's `ActivityTypeFilter`: include or exclude types, by WSDL value or display
/// name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// `includeTypes`: return only these types.
    pub include_types: Vec<String>,
    /// `excludeTypes`: return all types but these.
    pub exclude_types: Vec<String>,
}

/// A filter resolved to display names.
#[derive(Debug, Default)]
struct ResolvedFilter {
    include: Option<BTreeSet<&'static str>>,
    exclude: BTreeSet<&'static str>,
}

impl ResolvedFilter {
    fn accepts(&self, activity_type: &str) -> bool {
        let included = self
            .include
            .as_ref()
            .is_none_or(|include| include.contains(activity_type));
        included && !self.exclude.contains(activity_type)
    }
}

impl ActivityFilter {
    /// Resolves the filter plus `extra_include` (the `activityNameFilter`), which joins
    /// the include list. Exclusions apply on top of `extra_include`, so an activity passes
    /// when its type is included (or nothing is) and not excluded. Faults: 20110 for
    /// `includeTypes` and `excludeTypes` in the same filter, 20107 for an unknown type.
    fn resolve(&self, extra_include: &[String]) -> SandboxResult<ResolvedFilter> {
        if !self.include_types.is_empty() && !self.exclude_types.is_empty() {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                "the activity filter has both includeTypes and excludeTypes; pass only one of them",
            ));
        }
        let includes: Vec<&String> = self.include_types.iter().chain(extra_include).collect();

        let resolve_all = |names: &[&String]| -> SandboxResult<BTreeSet<&'static str>> {
            names
                .iter()
                .map(|name| {
                    resolve_activity_type(name).ok_or_else(|| {
                        SandboxError::new(
                            FaultCode::BadActivityKey,
                            format!("activity type '{name}' is not known; use a WSDL ActivityType value or a display name such as 'Visit Webpage'"),
                        )
                    })
                })
                .collect()
        };
        let exclude_refs: Vec<&String> = self.exclude_types.iter().collect();
        Ok(ResolvedFilter {
            include: if includes.is_empty() {
                None
            } else {
                Some(resolve_all(&includes)?)
            },
            exclude: resolve_all(&exclude_refs)?,
        })
    }
}

/// An activity as returned by `getLeadActivity`, the WSDL's `ActivityRecord`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// `id`.
    pub id: i32,
    /// `activityDateTime`.
    pub activity_date_time: DateTime<Utc>,
    /// `activityType`.
    pub activity_type: String,
    /// `mktgAssetName`.
    pub mktg_asset_name: Option<String>,
    /// `activityAttributes`.
    pub activity_attributes: Vec<Attribute>,
    /// `campaign`.
    pub campaign: Option<String>,
    /// `personName`: the lead's first and last name.
    pub person_name: Option<String>,
    /// `mktPersonId`: the lead id as text.
    pub mkt_person_id: String,
    /// `foreignSysId`: the lead's foreign person id.
    pub foreign_sys_id: Option<String>,
    /// `orgName`: the lead's company.
    pub org_name: Option<String>,
    /// `foreignSysOrgId`: the lead's CRM account id.
    pub foreign_sys_org_id: Option<String>,
}

/// An activity as returned by `getLeadChanges`, the WSDL's `LeadChangeRecord`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadChangeRecord {
    /// `id`.
    pub id: i32,
    /// `activityDateTime`.
    pub activity_date_time: DateTime<Utc>,
    /// `activityType`.
    pub activity_type: String,
    /// `mktgAssetName`.
    pub mktg_asset_name: Option<String>,
    /// `activityAttributes`.
    pub activity_attributes: Vec<Attribute>,
    /// `campaign`.
    pub campaign: Option<String>,
    /// `mktPersonId`.
    pub mkt_person_id: String,
}

/// The parameters of `getLeadActivity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadActivityRequest {
    /// `leadKey`.
    pub lead_key: LeadKey,
    /// `activityFilter`.
    pub filter: ActivityFilter,
    /// `startPosition`.
    pub start_position: Option<ActivityStreamPosition>,
    /// `batchSize`.
    pub batch_size: Option<i32>,
}

/// One page of `getLeadActivity`, the WSDL's `LeadActivityList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadActivityPage {
    /// `returnCount`.
    pub return_count: i32,
    /// `remainingCount`: matching activities older than this page.
    pub remaining_count: i32,
    /// `newStartPosition`.
    pub new_start_position: ActivityStreamPosition,
    /// `activityRecordList`, newest first.
    pub activities: Vec<ActivityRecord>,
}

/// The parameters of `getLeadChanges`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadChangesRequest {
    /// `startPosition`.
    pub start_position: ActivityStreamPosition,
    /// `activityFilter`.
    pub filter: ActivityFilter,
    /// `activityNameFilter` (2_3): display names to include.
    pub activity_name_filter: Option<Vec<String>>,
    /// `batchSize`.
    pub batch_size: Option<i32>,
    /// `leadSelector`.
    pub lead_selector: Option<LeadSelector>,
}

/// One page of `getLeadChanges`, the WSDL's `ResultGetLeadChanges`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadChangesPage {
    /// `returnCount`.
    pub return_count: i32,
    /// `remainingCount`: matching activities after this page.
    pub remaining_count: i32,
    /// `newStartPosition`.
    pub new_start_position: ActivityStreamPosition,
    /// `leadChangeRecordList`, oldest first.
    pub changes: Vec<LeadChangeRecord>,
}

impl Store {
    /// Appends an activity to the log and returns its id.
    pub(crate) fn log_activity(
        &mut self,
        lead_id: i32,
        activity_type: &str,
        primary_attribute: Option<String>,
        campaign: Option<String>,
        attributes: Vec<Attrib>,
        at: DateTime<Utc>,
    ) -> i32 {
        let id = self.next_activity_id();
        self.activities.insert(
            id,
            Activity {
                id,
                lead_id,
                activity_type: activity_type.to_string(),
                created_at: at,
                primary_attribute,
                campaign,
                attributes,
            },
        );
        id
    }

    /// Appends a fully described activity (for seed data); its id must be the next one.
    pub fn insert_activity(&mut self, activity: Activity) {
        self.counters.activity = self.counters.activity.max(activity.id + 1);
        self.activities.insert(activity.id, activity);
    }

    /// Returns the activity log, by id.
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.activities.values()
    }

    /// Returns the activities of one lead, by id.
    pub fn activities_of(&self, lead_id: i32) -> Vec<&Activity> {
        self.activities
            .values()
            .filter(|activity| activity.lead_id == lead_id)
            .collect()
    }

    /// `getLeadActivity`: one page of a lead's activities, newest first.
    ///
    /// A page has `batchSize` activities (default and maximum 100). The offset of
    /// `startPosition` (`ID:<n>`) continues below activity n. `oldestCreatedAt` and
    /// `latestCreatedAt` bound the dates; the new position pins `latestCreatedAt` to the
    /// first call's time, so later activities do not shift the pages. Faults: 20103 for
    /// an unknown lead, 20107 for an unknown type, 20110 for include and exclude together,
    /// 20122 for a bad offset.
    pub fn get_lead_activity(
        &mut self,
        request: &LeadActivityRequest,
    ) -> SandboxResult<LeadActivityPage> {
        let now = self.begin_operation();
        let lead_id = self.find_lead(&request.lead_key)?;
        let filter = request.filter.resolve(&[])?;
        let batch_size = effective_batch_size(request.batch_size, 100, 100)?;
        let position = request.start_position.clone().unwrap_or_default();
        let before_id = position.offset_id()?;
        let latest = position.latest_created_at.unwrap_or(now);
        check_order(position.oldest_created_at, Some(latest))?;

        let matching: Vec<&Activity> = self
            .activities
            .values()
            .rev()
            .filter(|activity| activity.lead_id == lead_id)
            .filter(|activity| before_id.is_none_or(|before| activity.id < before))
            .filter(|activity| activity.created_at <= latest)
            .filter(|activity| {
                position
                    .oldest_created_at
                    .is_none_or(|oldest| activity.created_at >= oldest)
            })
            .filter(|activity| filter.accepts(&activity.activity_type))
            .collect();

        let page: Vec<ActivityRecord> = matching
            .iter()
            .take(batch_size)
            .map(|activity| self.activity_record(activity))
            .collect();
        let remaining = matching.len() - page.len();
        let offset = page
            .last()
            .map(|record| ActivityStreamPosition::offset_for(record.id))
            .or(position.offset.clone());

        Ok(LeadActivityPage {
            return_count: page.len() as i32,
            remaining_count: remaining as i32,
            new_start_position: ActivityStreamPosition {
                latest_created_at: Some(latest),
                oldest_created_at: position.oldest_created_at,
                activity_created_at: position.activity_created_at,
                offset,
            },
            activities: page,
        })
    }

    /// `getLeadChanges`: one page of activities of all (or selected) leads, oldest first.
    ///
    /// The start needs `oldestCreatedAt`, `activityCreatedAt`, an offset, or a
    /// `LastUpdateAtSelector`; every given lower bound applies, as does
    /// `latestCreatedAt` or `latestUpdatedAt`. The offset (`ID:<n>`) continues after
    /// activity n. Types are filtered by `activityFilter` and `activityNameFilter` (whose
    /// names join the included types; excluded types apply on top). A page has `batchSize` changes (default 100, at
    /// most 1000). Faults: 20109 without a start, 20110 for more than 100 selector keys,
    /// 20111 for an unknown list, 20107 for an unknown type, 20122 for a bad offset.
    pub fn get_lead_changes(
        &mut self,
        request: &LeadChangesRequest,
    ) -> SandboxResult<LeadChangesPage> {
        let now = self.begin_operation();
        let position = &request.start_position;
        let after_id = position.offset_id()?;
        let filter = request
            .filter
            .resolve(request.activity_name_filter.as_deref().unwrap_or_default())?;
        let batch_size = effective_batch_size(request.batch_size, 100, 1000)?;

        let (mut lower, mut upper) = (
            position
                .oldest_created_at
                .into_iter()
                .chain(position.activity_created_at)
                .max(),
            position.latest_created_at,
        );
        let mut lead_ids: Option<BTreeSet<i32>> = None;
        match &request.lead_selector {
            None => {}
            Some(LeadSelector::LastUpdateAt { oldest, latest }) => {
                lower = Some(lower.map_or(*oldest, |bound| bound.max(*oldest)));
                upper = match (upper, latest) {
                    (Some(a), Some(b)) => Some(a.min(*b)),
                    (a, b) => a.or(*b),
                };
            }
            Some(selector @ LeadSelector::LeadKeys { values, .. }) => {
                if values.len() > MAX_CHANGE_SELECTOR_KEYS {
                    return Err(SandboxError::new(
                        FaultCode::BadParameter,
                        format!(
                            "LeadKeySelector has {} keys, more than the {MAX_CHANGE_SELECTOR_KEYS} getLeadChanges accepts; split the request",
                            values.len()
                        ),
                    ));
                }
                lead_ids = Some(self.select_leads(selector, now)?.into_iter().collect());
            }
            Some(selector @ LeadSelector::StaticList { .. }) => {
                lead_ids = Some(self.select_leads(selector, now)?.into_iter().collect());
            }
        }
        if lower.is_none() && after_id.is_none() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "startPosition needs oldestCreatedAt, activityCreatedAt or offset (or pass a LastUpdateAtSelector)",
            ));
        }
        check_order(lower, upper)?;

        let matching: Vec<&Activity> = self
            .activities
            .values()
            .filter(|activity| after_id.is_none_or(|after| activity.id > after))
            .filter(|activity| lower.is_none_or(|bound| activity.created_at >= bound))
            .filter(|activity| upper.is_none_or(|bound| activity.created_at <= bound))
            .filter(|activity| {
                lead_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&activity.lead_id))
            })
            .filter(|activity| filter.accepts(&activity.activity_type))
            .collect();

        let page: Vec<LeadChangeRecord> = matching
            .iter()
            .take(batch_size)
            .map(|activity| lead_change_record(activity))
            .collect();
        let remaining = matching.len() - page.len();
        let offset = page
            .last()
            .map(|record| ActivityStreamPosition::offset_for(record.id))
            .or(position.offset.clone());

        Ok(LeadChangesPage {
            return_count: page.len() as i32,
            remaining_count: remaining as i32,
            new_start_position: ActivityStreamPosition {
                offset,
                ..position.clone()
            },
            changes: page,
        })
    }

    fn activity_record(&self, activity: &Activity) -> ActivityRecord {
        let lead = self.leads.get(&activity.lead_id);
        ActivityRecord {
            id: activity.id,
            activity_date_time: activity.created_at,
            activity_type: activity.activity_type.clone(),
            mktg_asset_name: activity.primary_attribute.clone(),
            activity_attributes: untyped(&activity.attributes),
            campaign: activity.campaign.clone(),
            person_name: lead.and_then(|lead| lead.person_name()),
            mkt_person_id: activity.lead_id.to_string(),
            foreign_sys_id: lead.and_then(|lead| lead.foreign_sys_person_id.clone()),
            org_name: lead.and_then(|lead| lead.company()),
            foreign_sys_org_id: lead.and_then(|lead| lead.crm_account_id()),
        }
    }
}

fn lead_change_record(activity: &Activity) -> LeadChangeRecord {
    LeadChangeRecord {
        id: activity.id,
        activity_date_time: activity.created_at,
        activity_type: activity.activity_type.clone(),
        mktg_asset_name: activity.primary_attribute.clone(),
        activity_attributes: untyped(&activity.attributes),
        campaign: activity.campaign.clone(),
        mkt_person_id: activity.lead_id.to_string(),
    }
}

fn untyped(attributes: &[Attrib]) -> Vec<Attribute> {
    attributes
        .iter()
        .map(|attrib| Attribute::new(&attrib.name, &attrib.value))
        .collect()
}

fn check_order(lower: Option<DateTime<Utc>>, upper: Option<DateTime<Utc>>) -> SandboxResult<()> {
    if let (Some(lower), Some(upper)) = (lower, upper) {
        if lower > upper {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("the oldest date {lower} is after the latest date {upper}; swap them"),
            ));
        }
    }
    Ok(())
}
