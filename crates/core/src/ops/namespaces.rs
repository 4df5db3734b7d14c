//! Permission namespaces ("permission groups"): create, rename, delete with cascade.

use super::{Plan, Planned};
use crate::codes::NamespaceCode;
use crate::error::{Duplicate, Rule};
use crate::ids::{NamespaceId, OpContext};
use crate::model::{GrantTarget, Namespace};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::PoolState;
use crate::DomainError;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct NewNamespace {
    pub code: NamespaceCode,
    pub name: Option<String>,
    pub description: Option<String>,
}

fn next_numeric_id(state: &PoolState) -> i64 {
    state.namespaces().map(|n| n.numeric_id).max().unwrap_or(0) + 1
}

fn build(input: NewNamespace, numeric_id: i64, cx: &mut OpContext) -> Namespace {
    Namespace {
        id: cx.new_id(),
        numeric_id,
        name: input.name.filter(|n| !n.is_empty()).unwrap_or_else(|| input.code.to_string()),
        code: input.code,
        description: input.description,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    }
}

/// The `default` namespace a new pool starts with.
pub fn create_default(cx: &mut OpContext) -> Mutation {
    let input = NewNamespace { code: NamespaceCode::default_namespace(), name: None, description: None };
    Mutation::Put(Record::Namespace(build(input, 1, cx)))
}

pub fn create(state: &PoolState, input: NewNamespace, cx: &mut OpContext) -> Plan<NamespaceId> {
    let Planned { mutations, output } = create_batch(state, vec![input], cx)?;
    Ok(Planned::new(mutations, output.into_iter().next().expect("one namespace planned")))
}

/// All-or-nothing: a code that exists already, or repeats inside the batch, refuses the batch.
pub fn create_batch(state: &PoolState, inputs: Vec<NewNamespace>, cx: &mut OpContext) -> Plan<Vec<NamespaceId>> {
    let mut seen = HashSet::new();
    for input in &inputs {
        if state.namespace_by_code(input.code.as_str()).is_some() || !seen.insert(input.code.clone()) {
            return Err(DomainError::AlreadyExists(Duplicate::Namespace));
        }
    }
    let mut mutations = Vec::with_capacity(inputs.len());
    let mut ids = Vec::with_capacity(inputs.len());
    for (numeric_id, input) in (next_numeric_id(state)..).zip(inputs) {
        let namespace = build(input, numeric_id, cx);
        ids.push(namespace.id.clone());
        mutations.push(Mutation::Put(Record::Namespace(namespace)));
    }
    Ok(Planned::new(mutations, ids))
}

#[derive(Debug, Clone, Default)]
pub struct NamespaceChanges {
    pub new_code: Option<NamespaceCode>,
    pub name: Option<String>,
    pub description: Option<String>,
}

pub fn update(state: &PoolState, code: &str, changes: NamespaceChanges, cx: &mut OpContext) -> Plan<NamespaceId> {
    let current = state.namespace_by_code(code).ok_or(DomainError::NamespaceNotFound)?;
    let mut updated = current.clone();
    if let Some(new_code) = changes.new_code.filter(|c| c != &current.code) {
        if current.code.is_default() {
            return Err(DomainError::Rule(Rule::DefaultNamespaceCodeImmutable));
        }
        if state.namespace_by_code(new_code.as_str()).is_some() {
            return Err(DomainError::AlreadyExists(Duplicate::Namespace));
        }
        updated.code = new_code;
    }
    if let Some(name) = changes.name {
        updated.name = name;
    }
    if let Some(description) = changes.description {
        updated.description = Some(description);
    }
    updated.updated_at = cx.now_ms;
    Ok(Planned::new(vec![Mutation::Put(Record::Namespace(updated))], current.id.clone()))
}

/// Deletes the namespace with its roles (and their assignments and grants), resource
/// definitions and grants.
pub fn delete(state: &PoolState, code: &str) -> Plan<()> {
    let namespace = state.namespace_by_code(code).ok_or(DomainError::NamespaceNotFound)?;
    if namespace.code.is_default() {
        return Err(DomainError::Rule(Rule::DefaultNamespaceUndeletable));
    }
    Ok(Planned::new(cascade_delete(state, &namespace.id), ()))
}

/// Deletes the namespaces that exist and may be deleted; unknown codes and `default` are skipped.
pub fn delete_batch(state: &PoolState, codes: &[String]) -> Plan<()> {
    let mut mutations = Vec::new();
    let mut seen = HashSet::new();
    for code in codes {
        if let Some(namespace) = state.namespace_by_code(code) {
            if !namespace.code.is_default() && seen.insert(namespace.id.clone()) {
                mutations.extend(cascade_delete(state, &namespace.id));
            }
        }
    }
    Ok(Planned::new(mutations, ()))
}

fn cascade_delete(state: &PoolState, id: &NamespaceId) -> Vec<Mutation> {
    let mut mutations = Vec::new();
    for role in state.roles().filter(|r| &r.namespace == id) {
        mutations.extend(
            state
                .role_assignments_of_role(&role.id)
                .map(|a| Mutation::Delete(RecordKey::RoleAssignment(a.role, a.assignee))),
        );
        // The role's grants all live in its own namespace, so the sweep below covers them.
        debug_assert!(state.grants_of_target(&GrantTarget::Role(role.id.clone())).all(|g| &g.namespace == id));
        mutations.push(Mutation::Delete(RecordKey::Role(role.id.clone())));
    }
    mutations.extend(
        state.resources().filter(|r| &r.namespace == id).map(|r| Mutation::Delete(RecordKey::Resource(r.id.clone()))),
    );
    mutations.extend(
        state
            .grants()
            .filter(|g| &g.namespace == id)
            .map(|g| Mutation::Delete(RecordKey::Grant(g.namespace.clone(), g.target.clone(), g.code.clone()))),
    );
    mutations.push(Mutation::Delete(RecordKey::Namespace(id.clone())));
    mutations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SequentialIds;

    fn pool() -> (PoolState, SequentialIds) {
        let mut ids = SequentialIds::default();
        let mut state = PoolState::default();
        state.apply(create_default(&mut OpContext::new(0, &mut ids)));
        (state, ids)
    }

    fn new(code: &str) -> NewNamespace {
        NewNamespace { code: NamespaceCode::parse(code).unwrap(), name: None, description: None }
    }

    #[test]
    fn batch_with_an_existing_code_plans_nothing() {
        let (state, mut ids) = pool();
        let err = create_batch(&state, vec![new("a"), new("default")], &mut OpContext::new(1, &mut ids)).unwrap_err();
        assert_eq!(err, DomainError::AlreadyExists(Duplicate::Namespace));
    }

    #[test]
    fn default_namespace_can_be_neither_deleted_nor_renamed() {
        let (state, mut ids) = pool();
        assert_eq!(delete(&state, "default").unwrap_err(), DomainError::Rule(Rule::DefaultNamespaceUndeletable));
        let rename = NamespaceChanges { new_code: Some(NamespaceCode::parse("x").unwrap()), ..Default::default() };
        assert_eq!(
            update(&state, "default", rename, &mut OpContext::new(1, &mut ids)).unwrap_err(),
            DomainError::Rule(Rule::DefaultNamespaceCodeImmutable)
        );
    }

    #[test]
    fn rename_keeps_the_id_so_contents_follow() {
        let (mut state, mut ids) = pool();
        let planned = create(&state, new("ns1"), &mut OpContext::new(1, &mut ids)).unwrap();
        state.apply_all(&planned.mutations);
        let rename = NamespaceChanges { new_code: Some(NamespaceCode::parse("ns2").unwrap()), ..Default::default() };
        let renamed = update(&state, "ns1", rename, &mut OpContext::new(2, &mut ids)).unwrap();
        state.apply_all(&renamed.mutations);
        assert!(state.namespace_by_code("ns1").is_none());
        assert_eq!(state.namespace_by_code("ns2").unwrap().id, planned.output);
    }
}
