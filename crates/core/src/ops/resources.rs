//! Resource definitions (resources.md §1–§11): create, read, update, delete with the grants on
//! them (semantics §9), and the tenant link flag.

use super::{cascade, namespace_in, sort_newest_first, Plan, Planned};
use crate::codes::ResourceCode;
use crate::error::Duplicate;
use crate::ids::{NamespaceId, OpContext, ResourceId};
use crate::model::{Namespace, Resource, ResourceAction, ResourceType};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::PoolState;
use crate::DomainError;
use std::collections::HashSet;

/// A resource's declared actions: at most [`DeclaredActions::MAX`], names distinct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredActions(Vec<ResourceAction>);

impl DeclaredActions {
    pub const MAX: usize = 100;

    /// `None` when there are too many. A repeated name keeps its first declaration.
    pub fn new(actions: Vec<ResourceAction>) -> Option<Self> {
        if actions.len() > Self::MAX {
            return None;
        }
        let mut seen = HashSet::new();
        let distinct = actions.into_iter().filter(|a| seen.insert(a.name.clone())).collect();
        Some(Self(distinct))
    }

    pub fn as_slice(&self) -> &[ResourceAction] {
        &self.0
    }
}

/// Everything a caller states about a resource besides its code.
#[derive(Debug, Clone)]
pub struct ResourceSpec {
    pub resource_type: ResourceType,
    pub name: Option<String>,
    pub description: Option<String>,
    pub actions: DeclaredActions,
    pub api_identifier: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewResource {
    pub code: ResourceCode,
    pub spec: ResourceSpec,
}

/// Fields to replace; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct ResourceChanges {
    pub resource_type: Option<ResourceType>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub actions: Option<DeclaredActions>,
    pub api_identifier: Option<String>,
}

// ---- reads ------------------------------------------------------------------------------------

/// The resource `code` of the request's namespace; `""` and malformed codes are simply not found.
pub fn get<'a>(state: &'a PoolState, namespace: Option<&str>, code: &str) -> Result<&'a Resource, DomainError> {
    let namespace = namespace_in(state, namespace)?;
    state.resource_by_code(&namespace.id, code).ok_or(DomainError::ResourceNotFound)
}

/// The resources found among `codes`, in request order; unknown codes are skipped.
pub fn get_batch<'a>(
    state: &'a PoolState,
    namespace: Option<&str>,
    codes: &[String],
) -> Result<Vec<&'a Resource>, DomainError> {
    let namespace = namespace_in(state, namespace)?;
    Ok(codes.iter().filter_map(|code| state.resource_by_code(&namespace.id, code)).collect())
}

/// The namespace's resources, optionally of one type, newest first.
pub fn list<'a>(
    state: &'a PoolState,
    namespace: Option<&str>,
    resource_type: Option<ResourceType>,
) -> Result<Vec<&'a Resource>, DomainError> {
    let namespace = namespace_in(state, namespace)?;
    let mut found: Vec<&Resource> = state
        .resources()
        .filter(|r| r.namespace == namespace.id && resource_type.is_none_or(|t| r.resource_type == t))
        .collect();
    sort_newest_first(&mut found, |r| (r.created_at, r.id.as_str()));
    Ok(found)
}

/// Resources of every namespace ("general resources"), newest first. `keyword` matches a
/// substring of the code or name, ignoring case; `namespaces`, when given, keeps resources of
/// those namespace codes (unknown codes match nothing).
pub fn list_common<'a>(
    state: &'a PoolState,
    keyword: Option<&str>,
    namespaces: Option<&[String]>,
) -> Vec<&'a Resource> {
    let wanted: Option<HashSet<&NamespaceId>> =
        namespaces.map(|codes| codes.iter().filter_map(|code| state.namespace_by_code(code)).map(|n| &n.id).collect());
    let keyword = keyword.map(str::to_lowercase);
    let matches_keyword = |r: &Resource| {
        keyword.as_deref().is_none_or(|k| {
            r.code.as_str().to_lowercase().contains(k)
                || r.name.as_deref().is_some_and(|n| n.to_lowercase().contains(k))
        })
    };
    let mut found: Vec<&Resource> = state
        .resources()
        .filter(|r| wanted.as_ref().is_none_or(|w| w.contains(&r.namespace)))
        .filter(|r| matches_keyword(r))
        .collect();
    sort_newest_first(&mut found, |r| (r.created_at, r.id.as_str()));
    found
}

// ---- writes -----------------------------------------------------------------------------------

fn build(namespace: &Namespace, input: NewResource, cx: &mut OpContext) -> Resource {
    let spec = input.spec;
    Resource {
        id: cx.new_id(),
        namespace: namespace.id.clone(),
        code: input.code,
        name: spec.name,
        description: spec.description,
        resource_type: spec.resource_type,
        actions: spec.actions.0,
        api_identifier: spec.api_identifier,
        linked_to_tenant: false,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    }
}

pub fn create(state: &PoolState, namespace: Option<&str>, input: NewResource, cx: &mut OpContext) -> Plan<ResourceId> {
    let Planned { mutations, output } = create_batch(state, namespace, vec![input], cx)?;
    Ok(Planned::new(mutations, output.into_iter().next().expect("one resource planned")))
}

/// All-or-nothing: a code that exists in the namespace, or repeats inside the batch, refuses
/// the whole batch.
pub fn create_batch(
    state: &PoolState,
    namespace: Option<&str>,
    inputs: Vec<NewResource>,
    cx: &mut OpContext,
) -> Plan<Vec<ResourceId>> {
    let namespace = namespace_in(state, namespace)?;
    let mut seen = HashSet::new();
    for input in &inputs {
        if state.resource_by_code(&namespace.id, input.code.as_str()).is_some() || !seen.insert(&input.code) {
            return Err(DomainError::AlreadyExists(Duplicate::Resource));
        }
    }
    let resources: Vec<Resource> = inputs.into_iter().map(|input| build(namespace, input, cx)).collect();
    let ids = resources.iter().map(|r| r.id.clone()).collect();
    Ok(Planned::new(resources.into_iter().map(|r| Mutation::Put(Record::Resource(r))).collect(), ids))
}

pub fn update(
    state: &PoolState,
    namespace: Option<&str>,
    code: &str,
    changes: ResourceChanges,
    cx: &mut OpContext,
) -> Plan<ResourceId> {
    let current = get(state, namespace, code)?;
    let mut updated = current.clone();
    if let Some(resource_type) = changes.resource_type {
        updated.resource_type = resource_type;
    }
    if let Some(name) = changes.name {
        updated.name = Some(name);
    }
    if let Some(description) = changes.description {
        updated.description = Some(description);
    }
    // Grants keep their own action strings, so replacing the declared list touches no grant.
    if let Some(actions) = changes.actions {
        updated.actions = actions.0;
    }
    if let Some(api_identifier) = changes.api_identifier {
        updated.api_identifier = Some(api_identifier);
    }
    updated.updated_at = cx.now_ms;
    Ok(Planned::new(vec![Mutation::Put(Record::Resource(updated))], current.id.clone()))
}

/// Idempotent: an unknown (or empty, or malformed) code deletes nothing and still succeeds.
pub fn delete(state: &PoolState, namespace: Option<&str>, code: &str) -> Plan<()> {
    let namespace = namespace_in(state, namespace)?;
    Ok(Planned::new(deletions(state, state.resource_by_code(&namespace.id, code)), ()))
}

/// Deletes the union of the resources named by `codes` and by `ids` in the request's namespace;
/// unknown codes and ids of other namespaces are skipped.
pub fn delete_batch(state: &PoolState, namespace: Option<&str>, codes: &[String], ids: &[String]) -> Plan<()> {
    let namespace = namespace_in(state, namespace)?;
    let by_code = codes.iter().filter_map(|code| state.resource_by_code(&namespace.id, code));
    let by_id = ids.iter().filter_map(|id| state.resource(id)).filter(|r| r.namespace == namespace.id);
    Ok(Planned::new(deletions(state, by_code.chain(by_id)), ()))
}

/// Deletes resources by id whatever their namespace; unknown ids are skipped.
pub fn delete_by_ids(state: &PoolState, ids: &[String]) -> Plan<()> {
    Ok(Planned::new(deletions(state, ids.iter().filter_map(|id| state.resource(id))), ()))
}

/// Deletes each resource and the grants on it and its instances (semantics §9), once each even
/// when the same resource is named twice or two deleted classes share grants.
fn deletions<'a>(state: &PoolState, resources: impl IntoIterator<Item = &'a Resource>) -> Vec<Mutation> {
    let mut seen = HashSet::new();
    let mut mutations = Vec::new();
    for resource in resources {
        let planned = std::iter::once(Mutation::Delete(RecordKey::Resource(resource.id.clone())))
            .chain(cascade::grants_on_resource_class(state, &resource.namespace, resource.code.as_str()));
        mutations.extend(planned.filter(|m| seen.insert(m.key())));
    }
    mutations
}

/// Sets the tenant link of resource `code`. Every application owns a namespace named after its
/// id, so the resource is looked up there first, then in `default`.
pub fn associate_tenant(state: &PoolState, app_id: &str, code: &str, linked: bool, cx: &mut OpContext) -> Plan<()> {
    let in_namespace =
        |namespace: &str| state.namespace_by_code(namespace).and_then(|n| state.resource_by_code(&n.id, code));
    let current = in_namespace(app_id).or_else(|| in_namespace("default")).ok_or(DomainError::ResourceNotFound)?;
    let mut updated = current.clone();
    updated.linked_to_tenant = linked;
    updated.updated_at = cx.now_ms;
    Ok(Planned::new(vec![Mutation::Put(Record::Resource(updated))], ()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::GrantCode;
    use crate::ids::UserId;
    use crate::model::GrantTarget;
    use crate::test_support::{grant, TestPool};

    /// This module's helpers on the shared pool.
    trait ResourcePool {
        fn create(&mut self, namespace: Option<&str>, code: &str) -> ResourceId;
        fn grant(&mut self, namespace: &NamespaceId, code: &str);
        fn grant_codes(&self) -> Vec<&str>;
        fn default_id(&self) -> NamespaceId;
    }

    impl ResourcePool for TestPool {
        fn create(&mut self, namespace: Option<&str>, code: &str) -> ResourceId {
            self.run(|s, cx| create(s, namespace, new(code), cx)).unwrap()
        }

        fn grant(&mut self, namespace: &NamespaceId, code: &str) {
            self.put(Record::Grant(grant(namespace.clone(), GrantTarget::User(UserId::from_stored("u1")), code)));
        }

        fn grant_codes(&self) -> Vec<&str> {
            let mut codes: Vec<&str> = self.state.grants().map(|g| g.code.as_str()).collect();
            codes.sort();
            codes
        }

        fn default_id(&self) -> NamespaceId {
            self.state.namespace_by_code("default").unwrap().id.clone()
        }
    }

    fn action(name: &str, description: &str) -> ResourceAction {
        ResourceAction { name: name.into(), description: description.into() }
    }

    fn new(code: &str) -> NewResource {
        NewResource {
            code: ResourceCode::parse(code).unwrap(),
            spec: ResourceSpec {
                resource_type: ResourceType::Data,
                name: None,
                description: None,
                actions: DeclaredActions::default(),
                api_identifier: None,
            },
        }
    }

    #[test]
    fn declared_actions_are_bounded_and_keep_the_first_of_a_repeated_name() {
        let actions = DeclaredActions::new(vec![action("read", "1"), action("edit", ""), action("read", "2")]).unwrap();
        assert_eq!(actions.as_slice(), &[action("read", "1"), action("edit", "")]);
        assert!(DeclaredActions::new(vec![action("a", ""); DeclaredActions::MAX]).is_some());
        assert!(DeclaredActions::new(vec![action("a", ""); DeclaredActions::MAX + 1]).is_none());
    }

    #[test]
    fn codes_are_unique_per_namespace_only() {
        let mut pool = TestPool::with_default_namespace();
        pool.namespace("ns2");
        pool.create(None, "books");
        pool.create(Some("ns2"), "books");
        let again = pool.run(|s, cx| create(s, Some("default"), new("books"), cx));
        assert_eq!(again.unwrap_err(), DomainError::AlreadyExists(Duplicate::Resource));
        let unknown = pool.run(|s, cx| create(s, Some("nope"), new("x"), cx));
        assert_eq!(unknown.unwrap_err(), DomainError::NamespaceNotFound);
    }

    #[test]
    fn a_batch_with_any_duplicate_plans_nothing() {
        let mut pool = TestPool::with_default_namespace();
        pool.create(None, "books");
        for batch in [vec![new("a"), new("books")], vec![new("b"), new("b")]] {
            let refused = pool.run(|s, cx| create_batch(s, None, batch, cx));
            assert_eq!(refused.unwrap_err(), DomainError::AlreadyExists(Duplicate::Resource));
        }
        assert_eq!(pool.state.resources().count(), 1);
    }

    #[test]
    fn update_replaces_only_what_is_given() {
        let mut pool = TestPool::with_default_namespace();
        let mut input = new("books");
        input.spec.name = Some("Books".into());
        input.spec.actions = DeclaredActions::new(vec![action("read", "")]).unwrap();
        let id = pool.run(|s, cx| create(s, None, input, cx)).unwrap();
        let changes = ResourceChanges {
            description: Some("all books".into()),
            actions: DeclaredActions::new(vec![action("edit", "")]),
            ..Default::default()
        };
        pool.run(|s, cx| update(s, None, "books", changes, cx)).unwrap();
        let stored = pool.state.resource(id.as_str()).unwrap();
        assert_eq!(stored.name.as_deref(), Some("Books"));
        assert_eq!(stored.description.as_deref(), Some("all books"));
        assert_eq!(stored.actions, vec![action("edit", "")]);
        assert_eq!(stored.updated_at, pool.now);
        for code in ["", "额！", "missing"] {
            let missing = pool.run(|s, cx| update(s, None, code, ResourceChanges::default(), cx));
            assert_eq!(missing.unwrap_err(), DomainError::ResourceNotFound);
        }
    }

    #[test]
    fn deleting_a_definition_removes_grants_on_the_class_and_its_instances_only() {
        let mut pool = TestPool::with_default_namespace();
        let default = pool.default_id();
        let other = pool.namespace("ns2");
        pool.create(None, "books");
        for code in ["books", "books:1", "books:*", "bookshelf", "pens:1"] {
            pool.grant(&default, code);
        }
        pool.grant(&other, "books:1");
        pool.run(|s, _| delete(s, None, "books")).unwrap();
        assert!(pool.state.resource_by_code(&default, "books").is_none());
        assert_eq!(pool.grant_codes(), vec!["books:1", "bookshelf", "pens:1"]);
        assert!(pool
            .state
            .grant(&other, &GrantTarget::User(UserId::from_stored("u1")), &GrantCode::parse("books:1").unwrap())
            .is_some());
    }

    #[test]
    fn deleting_unknown_codes_succeeds_and_changes_nothing() {
        let mut pool = TestPool::with_default_namespace();
        let default = pool.default_id();
        pool.grant(&default, "ghost:1");
        for code in ["ghost", "", " ", "额！"] {
            let planned = delete(&pool.state, None, code).unwrap();
            assert!(planned.mutations.is_empty(), "{code:?}");
        }
        assert_eq!(delete(&pool.state, Some("nope"), "ghost").unwrap_err(), DomainError::NamespaceNotFound);
    }

    #[test]
    fn batch_delete_takes_the_union_of_codes_and_ids_of_its_namespace_once() {
        let mut pool = TestPool::with_default_namespace();
        let default = pool.default_id();
        pool.namespace("ns2");
        let a = pool.create(None, "a");
        pool.create(None, "b");
        pool.create(None, "c");
        let foreign = pool.create(Some("ns2"), "d");
        pool.grant(&default, "a:1");
        let codes = vec!["a".to_owned(), "b".to_owned(), "unknown".to_owned()];
        let ids = vec![a.to_string(), foreign.to_string(), "nope".to_owned()];
        let planned = delete_batch(&pool.state, None, &codes, &ids).unwrap();
        let keys: HashSet<RecordKey> = planned.mutations.iter().map(Mutation::key).collect();
        assert_eq!(keys.len(), planned.mutations.len(), "no mutation is planned twice");
        pool.state.apply_all(&planned.mutations);
        let mut left: Vec<&str> = pool.state.resources().map(|r| r.code.as_str()).collect();
        left.sort();
        assert_eq!(left, vec!["c", "d"]);
        assert!(pool.grant_codes().is_empty());
    }

    #[test]
    fn delete_by_ids_crosses_namespaces() {
        let mut pool = TestPool::with_default_namespace();
        pool.namespace("ns2");
        let a = pool.create(None, "a");
        let b = pool.create(Some("ns2"), "b");
        pool.run(|s, _| delete_by_ids(s, &[a.to_string(), b.to_string(), "unknown".into()])).unwrap();
        assert_eq!(pool.state.resources().count(), 0);
    }

    #[test]
    fn tenant_link_prefers_the_application_namespace_then_default() {
        let mut pool = TestPool::with_default_namespace();
        pool.namespace("app1");
        let in_default = pool.create(None, "books");
        let in_app = pool.create(Some("app1"), "pens");
        pool.run(|s, cx| associate_tenant(s, "app1", "books", true, cx)).unwrap();
        pool.run(|s, cx| associate_tenant(s, "app1", "pens", true, cx)).unwrap();
        assert!(pool.state.resource(in_default.as_str()).unwrap().linked_to_tenant);
        assert!(pool.state.resource(in_app.as_str()).unwrap().linked_to_tenant);
        pool.run(|s, cx| associate_tenant(s, "unknown-app", "books", false, cx)).unwrap();
        assert!(!pool.state.resource(in_default.as_str()).unwrap().linked_to_tenant);
        let missing = pool.run(|s, cx| associate_tenant(s, "unknown-app", "pens", true, cx));
        assert_eq!(missing.unwrap_err(), DomainError::ResourceNotFound);
    }

    #[test]
    fn listings_filter_and_put_the_newest_first() {
        let mut pool = TestPool::with_default_namespace();
        pool.namespace("ns2");
        pool.create(None, "alpha");
        let mut api = new("beta");
        api.spec.resource_type = ResourceType::Api;
        api.spec.name = Some("Bravo Thing".into());
        pool.run(|s, cx| create(s, None, api, cx)).unwrap();
        pool.create(Some("ns2"), "gamma");
        let codes = |found: Vec<&Resource>| found.iter().map(|r| r.code.to_string()).collect::<Vec<_>>();
        assert_eq!(codes(list(&pool.state, None, None).unwrap()), ["beta", "alpha"]);
        assert_eq!(codes(list(&pool.state, None, Some(ResourceType::Api)).unwrap()), ["beta"]);
        assert_eq!(codes(list_common(&pool.state, None, None)), ["gamma", "beta", "alpha"]);
        assert_eq!(codes(list_common(&pool.state, Some("bravo"), None)), ["beta"]);
        assert_eq!(codes(list_common(&pool.state, Some("ALP"), None)), ["alpha"]);
        let only = ["ns2".to_owned(), "unknown".to_owned()];
        assert_eq!(codes(list_common(&pool.state, None, Some(&only))), ["gamma"]);
        let batch = ["gamma".to_owned(), "beta".to_owned(), "额！ ".to_owned(), "alpha".to_owned()];
        assert_eq!(codes(get_batch(&pool.state, None, &batch).unwrap()), ["beta", "alpha"]);
    }
}
