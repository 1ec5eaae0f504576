//! The activity type catalogue: display names (as in activity records and
//! `activityNameFilter`) and, where the WSDL defines one, the `ActivityType` enumeration
//! value (as in `activityFilter`).
//!
//! The display names are those of Marketo's activity type filter list; the enumeration
//! values are those of the WSDL. Where Marketo's naming of a pair is not documented, the
//! pairing here is the sandbox's reading, for example `PushLeadToSales` as "Sync Lead to
//! SFDC".

/// "New Lead": a lead was created.
pub const NEW_LEAD: &str = "New Lead";
/// "Change Data Value": a lead field changed.
pub const CHANGE_DATA_VALUE: &str = "Change Data Value";
/// "Add to List": a lead was added to a static list.
pub const ADD_TO_LIST: &str = "Add to List";
/// "Remove from List": a lead was removed from a static list.
pub const REMOVE_FROM_LIST: &str = "Remove from List";
/// "Merge Leads": leads were merged into this one.
pub const MERGE_LEADS: &str = "Merge Leads";
/// "Request Campaign": the lead was sent to a requestable campaign.
pub const REQUEST_CAMPAIGN: &str = "Request Campaign";
/// "Visit Webpage".
pub const VISIT_WEBPAGE: &str = "Visit Webpage";
/// "Fill Out Form".
pub const FILL_OUT_FORM: &str = "Fill Out Form";
/// "Click Link".
pub const CLICK_LINK: &str = "Click Link";
/// "Send Email".
pub const SEND_EMAIL: &str = "Send Email";
/// "Open Email".
pub const OPEN_EMAIL: &str = "Open Email";
/// "Click Email".
pub const CLICK_EMAIL: &str = "Click Email";
/// "Change Score".
pub const CHANGE_SCORE: &str = "Change Score";
/// "Change Status in Progression".
pub const CHANGE_STATUS_IN_PROGRESSION: &str = "Change Status in Progression";
/// "Interesting Moment".
pub const INTERESTING_MOMENT: &str = "Interesting Moment";

/// One activity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityTypeInfo {
    /// Display name, as written in activity records.
    pub name: &'static str,
    /// The WSDL `ActivityType` value, when the WSDL has one.
    pub wsdl_name: Option<&'static str>,
}

const fn with_wsdl(name: &'static str, wsdl_name: &'static str) -> ActivityTypeInfo {
    ActivityTypeInfo {
        name,
        wsdl_name: Some(wsdl_name),
    }
}

const fn name_only(name: &'static str) -> ActivityTypeInfo {
    ActivityTypeInfo {
        name,
        wsdl_name: None,
    }
}

/// Every activity type the sandbox recognizes.
pub const ACTIVITY_TYPES: &[ActivityTypeInfo] = &[
    with_wsdl(VISIT_WEBPAGE, "VisitWebpage"),
    with_wsdl(FILL_OUT_FORM, "FillOutForm"),
    with_wsdl(CLICK_LINK, "ClickLink"),
    with_wsdl(SEND_EMAIL, "SendEmail"),
    with_wsdl("Email Delivered", "EmailDelivered"),
    with_wsdl("Email Bounced", "EmailBounced"),
    with_wsdl("Unsubscribe Email", "UnsubscribeEmail"),
    with_wsdl(OPEN_EMAIL, "OpenEmail"),
    with_wsdl(CLICK_EMAIL, "ClickEmail"),
    with_wsdl(NEW_LEAD, "NewLead"),
    with_wsdl(CHANGE_DATA_VALUE, "ChangeDataValue"),
    with_wsdl("Lead Assigned", "LeadAssigned"),
    with_wsdl("New SFDC Opportunity", "NewSFDCOpprtnty"),
    with_wsdl("Wait", "Wait"),
    with_wsdl("Run Subflow", "RunSubflow"),
    with_wsdl("Remove from Flow", "RemoveFromFlow"),
    with_wsdl("Sync Lead to SFDC", "PushLeadToSales"),
    with_wsdl("Create Task", "CreateTask"),
    with_wsdl("Convert Lead", "ConvertLead"),
    with_wsdl(CHANGE_SCORE, "ChangeScore"),
    with_wsdl("Change Owner", "ChangeOwner"),
    with_wsdl(ADD_TO_LIST, "AddToList"),
    with_wsdl(REMOVE_FROM_LIST, "RemoveFromList"),
    with_wsdl("SFDC Activity", "SFDCActivity"),
    with_wsdl("Email Bounced Soft", "EmailBouncedSoft"),
    with_wsdl("Sync Lead Updates to SFDC", "PushLeadUpdatesToSales"),
    with_wsdl("Delete Lead from SFDC", "DeleteLeadFromSales"),
    with_wsdl("SFDC Activity Updated", "SFDCActivityUpdated"),
    with_wsdl("SFDC Merge Leads", "SFDCMergeLeads"),
    with_wsdl(MERGE_LEADS, "MergeLeads"),
    with_wsdl("Resolve Conflicts", "ResolveConflicts"),
    with_wsdl("Add to Opportunity", "AssocWithOpprtntyInSales"),
    with_wsdl("Remove from Opportunity", "DissocFromOpprtntyInSales"),
    with_wsdl("Update Opportunity", "UpdateOpprtntyInSales"),
    with_wsdl("Delete Lead", "DeleteLead"),
    with_wsdl("Send Alert", "SendAlert"),
    with_wsdl("Send Sales Email", "SendSalesEmail"),
    with_wsdl("Open Sales Email", "OpenSalesEmail"),
    with_wsdl("Click Sales Email", "ClickSalesEmail"),
    with_wsdl("Add to SFDC Campaign", "AddtoSFDCCampaign"),
    with_wsdl("Remove from SFDC Campaign", "RemoveFromSFDCCampaign"),
    with_wsdl(
        "Change Status in SFDC Campaign",
        "ChangeStatusInSFDCCampaign",
    ),
    with_wsdl("Receive Sales Email", "ReceiveSalesEmail"),
    with_wsdl(INTERESTING_MOMENT, "InterestingMoment"),
    with_wsdl(REQUEST_CAMPAIGN, "RequestCampaign"),
    with_wsdl("Sales Email Bounced", "SalesEmailBounced"),
    with_wsdl("Change Lead Partition", "ChangeLeadPartition"),
    with_wsdl("Change Revenue Stage", "ChangeRevenueStage"),
    with_wsdl(
        "Change Revenue Stage Manually",
        "ChangeRevenueStageManually",
    ),
    with_wsdl("Compute Data Value", "ComputeDataValue"),
    with_wsdl(CHANGE_STATUS_IN_PROGRESSION, "ChangeStatusInProgression"),
    with_wsdl("Change Program Data", "ChangeFieldInProgram"),
    with_wsdl("Enrich with Data.com", "EnrichWithDatacom"),
    with_wsdl("Change Segment", "ChangeSegment"),
    with_wsdl("Resolve Ruleset", "ResolveRuleset"),
    with_wsdl("Smart Campaign Test", "SmartCampaignTest"),
    with_wsdl("Smart Campaign Test Trigger", "SmartCampaignTestTrigger"),
    name_only("Add to Nurture"),
    name_only("Add to Segment"),
    name_only("Add to Smart Campaign"),
    name_only("Assign Nurture Content"),
    name_only("Capture Campaign Membership History"),
    name_only("Capture List Membership History"),
    name_only("Change Account Owner"),
    name_only("Change Attribute Datatype"),
    name_only("Change CRM User"),
    name_only("Change Custom Object"),
    name_only("Change Nurture Cadence"),
    name_only("Change Nurture Exhausted"),
    name_only("Change Nurture Track"),
    name_only("Click Shared Link"),
    name_only("Nurture Deploy"),
    name_only("Received Forward to Friend Email"),
    name_only("Reward Test Group Variant"),
    name_only("Segmentation Approval"),
    name_only("Sent Forward to Friend Email"),
    name_only("Share Content"),
];

/// Resolves a filter entry to a display name: a display name (ignoring case and
/// spaces) or a WSDL `ActivityType` value. Returns `None` for an unknown type.
pub fn resolve_activity_type(name: &str) -> Option<&'static str> {
    let wanted = squash(name);
    if wanted.is_empty() {
        return None;
    }
    ACTIVITY_TYPES
        .iter()
        .find(|info| {
            squash(info.name) == wanted || info.wsdl_name.is_some_and(|wsdl| squash(wsdl) == wanted)
        })
        .map(|info| info.name)
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wsdl_and_display_names_resolve_alike() {
        assert_eq!(resolve_activity_type("VisitWebpage"), Some(VISIT_WEBPAGE));
        assert_eq!(resolve_activity_type("Visit Webpage"), Some(VISIT_WEBPAGE));
        assert_eq!(resolve_activity_type("add to list"), Some(ADD_TO_LIST));
        assert_eq!(
            resolve_activity_type("NewSFDCOpprtnty"),
            Some("New SFDC Opportunity")
        );
    }

    #[test]
    fn unknown_activity_type_is_none() {
        assert_eq!(resolve_activity_type("Teleport Lead"), None);
        assert_eq!(resolve_activity_type("   "), None);
    }

    #[test]
    fn squashed_names_are_unambiguous() {
        for (index, info) in ACTIVITY_TYPES.iter().enumerate() {
            for other in &ACTIVITY_TYPES[index + 1..] {
                assert_ne!(
                    squash(info.name),
                    squash(other.name),
                    "{} vs {}",
                    info.name,
                    other.name
                );
                if let (Some(a), Some(b)) = (info.wsdl_name, other.wsdl_name) {
                    assert_ne!(squash(a), squash(b));
                }
            }
        }
    }
}
