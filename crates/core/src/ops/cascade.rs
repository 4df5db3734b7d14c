//! Deletion cascades (semantics §9), shared by every area that deletes a principal.

use crate::ids::NamespaceId;
use crate::model::{Assignee, GrantTarget};
use crate::mutation::{Mutation, RecordKey};
use crate::state::PoolState;

/// Deletes every grant made to `target`, in every namespace.
pub fn grants_of_target(state: &PoolState, target: &GrantTarget) -> Vec<Mutation> {
    state
        .grants_of_target(target)
        .map(|g| Mutation::Delete(RecordKey::Grant(g.namespace.clone(), g.target.clone(), g.code.clone())))
        .collect()
}

/// Deletes every role assignment held by `assignee`.
pub fn assignments_of(state: &PoolState, assignee: &Assignee) -> Vec<Mutation> {
    state
        .roles_assigned_to(assignee)
        .map(|role| Mutation::Delete(RecordKey::RoleAssignment(role.clone(), assignee.clone())))
        .collect()
}

/// Deletes the grants in `namespace` whose code is `code` or an instance of it (`code:…`).
pub fn grants_on_resource_class(state: &PoolState, namespace: &NamespaceId, code: &str) -> Vec<Mutation> {
    let instance_prefix = format!("{code}:");
    state
        .grants()
        .filter(|g| &g.namespace == namespace)
        .filter(|g| g.code.as_str() == code || g.code.as_str().starts_with(&instance_prefix))
        .map(|g| Mutation::Delete(RecordKey::Grant(g.namespace.clone(), g.target.clone(), g.code.clone())))
        .collect()
}
