//! Workspaces: the named partitions of a Marketo instance that programs live in and that
//! `MktowsContextHeader/targetWorkspace` names.
//!
//! Every instance has the `Default` workspace (id 1). The sandbox keeps the list so that
//! `syncLead` can check a target workspace and `getMObjects` can report and filter a
//! program's `Workspace Id`. Leads are not partitioned by workspace.

use serde::{Deserialize, Serialize};

use super::{same_name, Store};

/// Name of the workspace every Marketo instance has.
pub const DEFAULT_WORKSPACE: &str = "Default";

/// Id of the `Default` workspace.
pub const DEFAULT_WORKSPACE_ID: i32 = 1;

/// A named workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Id, as `getMObjects` reports it in `Workspace Id`.
    pub id: i32,
    /// Name, unique ignoring case.
    pub name: String,
}

/// Returns the workspace list of a new instance: only `Default`.
pub(crate) fn default_workspaces() -> Vec<Workspace> {
    vec![Workspace {
        id: DEFAULT_WORKSPACE_ID,
        name: DEFAULT_WORKSPACE.into(),
    }]
}

impl Store {
    /// Returns the workspaces, in the order they were added.
    pub fn workspaces(&self) -> &[Workspace] {
        &self.workspaces
    }

    /// Adds a workspace, replacing one with the same name or id.
    pub fn insert_workspace(&mut self, workspace: Workspace) {
        self.workspaces.retain(|existing| {
            existing.id != workspace.id && !same_name(&existing.name, &workspace.name)
        });
        self.workspaces.push(workspace);
    }

    /// Returns the workspace with this name, ignoring case.
    pub fn workspace(&self, name: &str) -> Option<&Workspace> {
        self.workspaces
            .iter()
            .find(|workspace| same_name(&workspace.name, name))
    }

    /// Returns the workspace names, for error messages.
    pub(crate) fn workspace_names(&self) -> String {
        self.workspaces
            .iter()
            .map(|workspace| format!("'{}'", workspace.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
