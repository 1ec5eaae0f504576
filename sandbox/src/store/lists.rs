//! Programs, static lists and `listOperation`.
//!
//! A static list belongs to a program or sits directly in the lead database. It is named
//! either `Program Name.List Name` or by its bare name. A bare name that several
//! programs use resolves to the list with the lowest id.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::activity_types::{ADD_TO_LIST, REMOVE_FROM_LIST};
use super::leads::{LeadKey, LeadKeyType, API_SOURCE};
use super::{same_name, Attrib, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};

/// Lead keys `listOperation` accepts per call.
const MAX_LIST_MEMBERS: usize = 1000;

/// A period cost of a program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramCost {
    /// Cost id, assigned from a counter.
    pub id: i32,
    /// Month the cost applies to, `YYYY-MM`.
    pub month: String,
    /// Amount.
    pub amount: f64,
    /// Optional note.
    pub note: Option<String>,
}

/// A marketing program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// Id.
    pub id: i32,
    /// Name, unique ignoring case.
    pub name: String,
    /// Description.
    pub description: String,
    /// Program type, for example "Event" or "Email".
    pub program_type: String,
    /// Channel name; one of the store's channels.
    pub channel: String,
    /// Workspace name.
    pub workspace: String,
    /// Folder path under Marketing Activities.
    pub folder: String,
    /// True for archived programs, which `getMObjects` skips unless asked.
    pub archived: bool,
    /// Id of the program in the CRM.
    pub crm_id: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
    /// Tags: `name` is the tag type, `value` the tag value.
    pub tags: Vec<Attrib>,
    /// Period costs.
    pub costs: Vec<ProgramCost>,
    /// My tokens: `name` like `{{my.Speaker}}`, `value` the token text.
    pub tokens: Vec<Attrib>,
}

impl Program {
    /// Returns the folder path plus the program name.
    pub fn tree_path(&self) -> String {
        format!("{}/{}", self.folder.trim_end_matches('/'), self.name)
    }
}

/// A static list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticList {
    /// Id.
    pub id: i32,
    /// Name within its program.
    pub name: String,
    /// The program it belongs to, if any.
    pub program_id: Option<i32>,
    /// Ids of the member leads.
    pub members: BTreeSet<i32>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// The kind of list key `listOperation` takes, the WSDL's `ListKeyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKeyType {
    /// By list name.
    MktoListName,
    /// A sales user's list (not supported by the sandbox).
    MktoSalesUserId,
    /// A CRM lead owner's list (not supported by the sandbox).
    SfdcLeadOwnerId,
}

impl ListKeyType {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ListKeyType::MktoListName => "MKTOLISTNAME",
            ListKeyType::MktoSalesUserId => "MKTOSALESUSERID",
            ListKeyType::SfdcLeadOwnerId => "SFDCLEADOWNERID",
        }
    }
}

/// The WSDL's `ListKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListKey {
    /// `keyType`.
    pub key_type: ListKeyType,
    /// `keyValue`.
    pub value: String,
}

impl ListKey {
    /// Creates a key naming a list.
    pub fn name(value: impl Into<String>) -> Self {
        ListKey {
            key_type: ListKeyType::MktoListName,
            value: value.into(),
        }
    }
}

/// The WSDL's `ListOperationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOperationType {
    /// Add the leads to the list.
    AddToList,
    /// Report which leads are members.
    IsMemberOfList,
    /// Remove the leads from the list.
    RemoveFromList,
}

/// The parameters of `listOperation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOperationRequest {
    /// `listOperation`.
    pub operation: ListOperationType,
    /// `listKey`.
    pub list_key: ListKey,
    /// `listMemberList`: `IDNUM` keys.
    pub members: Vec<LeadKey>,
    /// `strict`: when true, one failing lead fails the call and changes nothing.
    pub strict: Option<bool>,
    /// `skipActivityLog`: when true, no list activities are written.
    pub skip_activity_log: Option<bool>,
}

/// The WSDL's `LeadStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadStatus {
    /// `leadKey`, as sent.
    pub lead_key: LeadKey,
    /// `status`: the operation succeeded for this lead (or, for ISMEMBEROFLIST, the lead
    /// is a member).
    pub status: bool,
}

/// The result of `listOperation`, the WSDL's `ResultListOperation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOperationResult {
    /// `success`: every status is true.
    pub success: bool,
    /// `statusList`, in request order.
    pub statuses: Vec<LeadStatus>,
}

/// The outcome of checking one lead key in `listOperation`.
enum MemberOutcome {
    Done(i32),
    Failed(SandboxError),
}

impl Store {
    /// Returns the programs, by id.
    pub fn programs(&self) -> impl Iterator<Item = &Program> {
        self.programs.values()
    }

    /// Returns the static lists, by id.
    pub fn static_lists(&self) -> impl Iterator<Item = &StaticList> {
        self.lists.values()
    }

    /// Returns the list with this id.
    pub fn static_list(&self, id: i32) -> Option<&StaticList> {
        self.lists.get(&id)
    }

    /// Returns the program with this name, ignoring case.
    pub fn program_by_name(&self, name: &str) -> Option<&Program> {
        self.programs
            .values()
            .find(|program| same_name(&program.name, name))
    }

    /// Adds a program (a new id when its id is 0) and returns its id; advances the id
    /// counters past its id and cost ids.
    pub fn insert_program(&mut self, mut program: Program) -> i32 {
        if program.id == 0 {
            program.id = self.next_program_id();
        }
        self.counters.program = self.counters.program.max(program.id + 1);
        let highest_cost = program.costs.iter().map(|cost| cost.id).max().unwrap_or(0);
        self.counters.program_cost = self.counters.program_cost.max(highest_cost + 1);
        let id = program.id;
        self.programs.insert(id, program);
        id
    }

    /// Adds an empty static list and returns its id.
    pub fn insert_static_list(
        &mut self,
        name: &str,
        program_id: Option<i32>,
        created_at: DateTime<Utc>,
    ) -> i32 {
        let id = self.next_list_id();
        self.lists.insert(
            id,
            StaticList {
                id,
                name: name.to_string(),
                program_id,
                members: BTreeSet::new(),
                created_at,
            },
        );
        id
    }

    /// Returns `Program.List` for program lists and the bare name otherwise.
    pub fn list_full_name(&self, list_id: i32) -> Option<String> {
        let list = self.lists.get(&list_id)?;
        Some(
            match list.program_id.and_then(|id| self.programs.get(&id)) {
                Some(program) => format!("{}.{}", program.name, list.name),
                None => list.name.clone(),
            },
        )
    }

    /// Resolves a list name (`Program.List` or bare) to a list id; fault 20111 when no
    /// list has it.
    pub fn resolve_list_name(&self, name: &str) -> SandboxResult<i32> {
        let name = name.trim();
        for (split, _) in name.match_indices('.') {
            let (program_name, list_name) = (&name[..split], &name[split + 1..]);
            if let Some(program) = self.program_by_name(program_name) {
                if let Some(list) = self.list_in_program(program.id, list_name) {
                    return Ok(list);
                }
            }
        }
        self.lists
            .values()
            .find(|list| same_name(&list.name, name))
            .map(|list| list.id)
            .ok_or_else(|| SandboxError::new(FaultCode::ListNotFound, format!("no static list is named '{name}'; use 'Program Name.List Name' or the list's own name")))
    }

    /// Resolves a `StaticListSelector`: the id wins over the name.
    pub fn resolve_static_list(&self, name: Option<&str>, id: Option<i32>) -> SandboxResult<i32> {
        match (id, name.map(str::trim).filter(|name| !name.is_empty())) {
            (Some(id), _) => self.lists.contains_key(&id).then_some(id).ok_or_else(|| {
                SandboxError::new(
                    FaultCode::ListNotFound,
                    format!("no static list has id {id}"),
                )
            }),
            (None, Some(name)) => self.resolve_list_name(name),
            (None, None) => Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "StaticListSelector has neither staticListId nor staticListName; pass one of them",
            )),
        }
    }

    fn list_in_program(&self, program_id: i32, list_name: &str) -> Option<i32> {
        self.lists
            .values()
            .find(|list| list.program_id == Some(program_id) && same_name(&list.name, list_name))
            .map(|list| list.id)
    }

    /// Resolves program and list names for `importToList` and its status; fault 20111
    /// when either is unknown.
    pub(crate) fn resolve_program_list(
        &self,
        program_name: &str,
        list_name: &str,
    ) -> SandboxResult<(i32, i32)> {
        let program = self.program_by_name(program_name).ok_or_else(|| {
            SandboxError::new(FaultCode::ListNotFound, format!("no program is named '{program_name}', so its list '{list_name}' cannot be found"))
        })?;
        let list = self.list_in_program(program.id, list_name).ok_or_else(|| {
            SandboxError::new(
                FaultCode::ListNotFound,
                format!(
                    "program '{}' has no static list named '{list_name}'",
                    program.name
                ),
            )
        })?;
        Ok((program.id, list))
    }

    /// Returns the member ids of a list, ascending.
    pub fn list_members(&self, list_id: i32) -> Option<Vec<i32>> {
        self.lists
            .get(&list_id)
            .map(|list| list.members.iter().copied().collect())
    }

    /// Adds a lead to a list; writes "Add to List" when it was not a member and `log` is
    /// true. Returns whether the lead was added.
    pub(crate) fn add_to_list(
        &mut self,
        list_id: i32,
        lead_id: i32,
        log: bool,
        now: DateTime<Utc>,
    ) -> bool {
        let added = self
            .lists
            .get_mut(&list_id)
            .is_some_and(|list| list.members.insert(lead_id));
        if added && log {
            self.log_list_activity(ADD_TO_LIST, list_id, lead_id, now);
        }
        added
    }

    /// Removes a lead from a list; writes "Remove from List" when it was a member and
    /// `log` is true. Returns whether the lead was removed.
    pub(crate) fn remove_from_list(
        &mut self,
        list_id: i32,
        lead_id: i32,
        log: bool,
        now: DateTime<Utc>,
    ) -> bool {
        let removed = self
            .lists
            .get_mut(&list_id)
            .is_some_and(|list| list.members.remove(&lead_id));
        if removed && log {
            self.log_list_activity(REMOVE_FROM_LIST, list_id, lead_id, now);
        }
        removed
    }

    fn log_list_activity(
        &mut self,
        activity_type: &str,
        list_id: i32,
        lead_id: i32,
        now: DateTime<Utc>,
    ) {
        let list_name = self.lists[&list_id].name.clone();
        self.log_activity(
            lead_id,
            activity_type,
            Some(list_name),
            None,
            vec![
                Attrib::new("List ID", list_id.to_string()),
                Attrib::new("Source", API_SOURCE),
            ],
            now,
        );
    }

    /// `listOperation`: adds leads to, removes leads from, or checks membership of a
    /// static list.
    ///
    /// Each lead key must be `IDNUM`. An unknown lead gets status false, and so does a
    /// non-member in REMOVEFROMLIST. Adding a lead that is already a member succeeds
    /// without a new activity. With `strict` true, the first failing lead raises its
    /// fault (20103 unknown lead, 20110 not a member) and nothing changes.
    /// Other faults: 20109 for no leads, 20110 for more than 1000 leads or an
    /// unsupported list key type, 20102 for a non-IDNUM key, 20111 for an unknown list.
    pub fn list_operation(
        &mut self,
        request: &ListOperationRequest,
    ) -> SandboxResult<ListOperationResult> {
        let now = self.begin_operation();
        if request.list_key.key_type != ListKeyType::MktoListName {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!(
                    "list key type {} is not supported by the sandbox; use MKTOLISTNAME",
                    request.list_key.key_type.as_str()
                ),
            ));
        }
        let list_id = self.resolve_list_name(&request.list_key.value)?;
        if request.members.is_empty() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "listMemberList is empty; pass at least one leadKey",
            ));
        }
        if request.members.len() > MAX_LIST_MEMBERS {
            return Err(SandboxError::new(
                FaultCode::BadParameter,
                format!("listMemberList has {} leads, more than the {MAX_LIST_MEMBERS} allowed per call; split the request", request.members.len()),
            ));
        }
        if let Some(key) = request
            .members
            .iter()
            .find(|key| key.key_type != LeadKeyType::Idnum)
        {
            return Err(SandboxError::new(
                FaultCode::BadLeadKey,
                format!(
                    "listOperation accepts only IDNUM lead keys, not {}",
                    key.key_type.as_str()
                ),
            ));
        }

        let outcomes: Vec<MemberOutcome> = request
            .members
            .iter()
            .map(|key| self.check_member(request.operation, list_id, key))
            .collect();
        let strict = request.strict.unwrap_or(false);
        if strict && request.operation != ListOperationType::IsMemberOfList {
            if let Some(MemberOutcome::Failed(error)) = outcomes
                .iter()
                .find(|outcome| matches!(outcome, MemberOutcome::Failed(_)))
            {
                return Err(error.clone());
            }
        }

        let log = !request.skip_activity_log.unwrap_or(false);
        let mut statuses = Vec::with_capacity(outcomes.len());
        for (key, outcome) in request.members.iter().zip(outcomes) {
            let status = match outcome {
                MemberOutcome::Failed(_) => false,
                MemberOutcome::Done(lead_id) => {
                    match request.operation {
                        ListOperationType::AddToList => {
                            self.add_to_list(list_id, lead_id, log, now);
                        }
                        ListOperationType::RemoveFromList => {
                            self.remove_from_list(list_id, lead_id, log, now);
                        }
                        ListOperationType::IsMemberOfList => {}
                    }
                    true
                }
            };
            statuses.push(LeadStatus {
                lead_key: key.clone(),
                status,
            });
        }

        Ok(ListOperationResult {
            success: statuses.iter().all(|status| status.status),
            statuses,
        })
    }

    fn check_member(
        &self,
        operation: ListOperationType,
        list_id: i32,
        key: &LeadKey,
    ) -> MemberOutcome {
        let lead_id = match self.find_lead(key) {
            Ok(id) => id,
            Err(error) => return MemberOutcome::Failed(error),
        };
        let is_member = self.lists[&list_id].members.contains(&lead_id);
        match operation {
            ListOperationType::AddToList => MemberOutcome::Done(lead_id),
            ListOperationType::RemoveFromList | ListOperationType::IsMemberOfList if is_member => {
                MemberOutcome::Done(lead_id)
            }
            _ => MemberOutcome::Failed(SandboxError::new(
                FaultCode::BadParameter,
                format!(
                    "lead {lead_id} is not a member of list {}",
                    self.lists[&list_id].name
                ),
            )),
        }
    }
}
