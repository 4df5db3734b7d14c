//! Resource authorization: authorize-resources (planning) and the reads behind the
//! authorization listings (resources.md §21–§27, semantics.md §4, §5.2, §10, §11, §13).

use super::{namespace_in, Page, PageRequest, Plan, Planned};
use crate::codes::{Action, GrantCode};
use crate::engine;
use crate::error::TargetKind;
use crate::ids::{NamespaceId, OpContext};
use crate::model::{Effect, Grant, GrantTarget, ResourceType};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::{DefinitionText, Definitions, PoolState};
use crate::DomainError;
use std::collections::BTreeMap;

/// The kind of target named by `targetType` (`USER`, `ROLE`, `GROUP`, `DEPARTMENT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetType {
    User,
    Role,
    Group,
    Department,
}

impl TargetType {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "USER" => Self::User,
            "ROLE" => Self::Role,
            "GROUP" => Self::Group,
            "DEPARTMENT" => Self::Department,
            _ => return None,
        })
    }

    pub fn matches(self, target: &GrantTarget) -> bool {
        matches!(
            (self, target),
            (Self::User, GrantTarget::User(_))
                | (Self::Role, GrantTarget::Role(_))
                | (Self::Group, GrantTarget::Group(_))
                | (Self::Department, GrantTarget::Department(_))
        )
    }

    /// authorize-resources' wording for an unknown target (`用户不存在`, `角色不存在`, …).
    fn not_found(self) -> DomainError {
        match self {
            Self::User => DomainError::UserNotFound,
            Self::Role => DomainError::RoleNotFound,
            Self::Group => DomainError::GroupNotFound,
            Self::Department => DomainError::DepartmentNotFound,
        }
    }

    /// get-authorized-resources' wording for an unknown target (`group not exists with code: X`).
    fn not_exists(self, identifier: &str) -> DomainError {
        let kind = match self {
            Self::User => TargetKind::User,
            Self::Role => TargetKind::Role,
            Self::Group => TargetKind::Group,
            Self::Department => TargetKind::Department,
        };
        DomainError::TargetNotExists { kind, id: identifier.to_owned() }
    }
}

/// Finds the target a client names: USER by user id, ROLE by code in `namespace`, GROUP by
/// code, DEPARTMENT by department id.
pub fn find_target(
    state: &PoolState,
    namespace: &NamespaceId,
    kind: TargetType,
    identifier: &str,
) -> Option<GrantTarget> {
    match kind {
        TargetType::User => state.user(identifier).map(|u| GrantTarget::User(u.id.clone())),
        TargetType::Role => state.role_by_code(namespace, identifier).map(|r| GrantTarget::Role(r.id.clone())),
        TargetType::Group => state.group_by_code(identifier).map(|g| GrantTarget::Group(g.id.clone())),
        TargetType::Department => state.department(identifier).map(|d| GrantTarget::Department(d.id.clone())),
    }
}

/// The identifier a client uses for `target` (user id, role code, group code, department id),
/// or `None` when the target no longer exists.
pub fn target_identifier<'a>(state: &'a PoolState, target: &'a GrantTarget) -> Option<&'a str> {
    match target {
        GrantTarget::User(id) => state.user(id.as_str()).map(|u| u.id.as_str()),
        GrantTarget::Role(id) => state.role(id).map(|r| r.code.as_str()),
        GrantTarget::Group(id) => state.group(id).map(|g| g.code.as_str()),
        GrantTarget::Department(id) => state.department(id.as_str()).map(|d| d.id.as_str()),
    }
}

/// What one `resources[]` entry of authorize-resources sets.
#[derive(Clone, Debug)]
pub struct GrantSpec {
    pub code: GrantCode,
    pub resource_type: ResourceType,
    /// Empty revokes the grant (semantics §13.3).
    pub actions: Vec<Action>,
    pub effect: Effect,
}

/// One `list[]` entry of authorize-resources.
#[derive(Clone, Debug)]
pub struct AuthorizeItem {
    pub target_type: TargetType,
    pub target_identifiers: Vec<String>,
    pub resources: Vec<GrantSpec>,
    /// Department targets only (the edge refuses it elsewhere): the grants also reach members
    /// of descendant departments (semantics §13.4).
    pub inherit_by_children: bool,
}

/// Sets every `(target, resources[j].code)` grant of every item, replacing what was there;
/// empty actions revoke. Every target must exist; one unknown target refuses the whole request.
pub fn authorize_resources(
    state: &PoolState,
    namespace: Option<&str>,
    items: &[AuthorizeItem],
    cx: &mut OpContext,
) -> Plan<()> {
    let namespace = namespace_in(state, namespace)?.id.clone();
    // Keyed by grant so a request naming one grant twice plans one mutation: the last wins.
    let mut planned: BTreeMap<(GrantTarget, GrantCode), Option<Grant>> = BTreeMap::new();
    for item in items {
        for identifier in &item.target_identifiers {
            let target = find_target(state, &namespace, item.target_type, identifier)
                .ok_or_else(|| item.target_type.not_found())?;
            for spec in &item.resources {
                let key = (target.clone(), spec.code.clone());
                let grant = (!spec.actions.is_empty()).then(|| Grant {
                    namespace: namespace.clone(),
                    target: target.clone(),
                    code: spec.code.clone(),
                    resource_type: spec.resource_type,
                    actions: without_repeats(&spec.actions),
                    effect: spec.effect,
                    inherit_by_children: item.inherit_by_children && item.target_type == TargetType::Department,
                    created_at: state.grant(&namespace, &target, &spec.code).map_or(cx.now_ms, |g| g.created_at),
                    updated_at: cx.now_ms,
                });
                planned.insert(key, grant);
            }
        }
    }
    let mutations = planned
        .into_iter()
        .filter_map(|((target, code), grant)| match grant {
            Some(grant) => Some(Mutation::Put(Record::Grant(grant))),
            None => state
                .grant(&namespace, &target, &code)
                .map(|_| Mutation::Delete(RecordKey::Grant(namespace.clone(), target, code))),
        })
        .collect();
    Ok(Planned::new(mutations, ()))
}

fn without_repeats(actions: &[Action]) -> Vec<Action> {
    let mut unique: Vec<Action> = Vec::with_capacity(actions.len());
    for action in actions {
        if !unique.contains(action) {
            unique.push(action.clone());
        }
    }
    unique
}

/// Which of a target's direct grants a listing shows.
#[derive(Clone, Debug, Default)]
pub struct GrantFilter {
    pub resource_type: Option<ResourceType>,
    /// get-authorized-resources' `resourceList`: keep codes starting with some entry, after
    /// dropping one trailing `*` from the entry (semantics §5.2).
    pub code_prefixes: Option<Vec<String>>,
    pub with_denied: bool,
}

impl GrantFilter {
    fn accepts(&self, resource_type: ResourceType, code: &str, effect: Effect) -> bool {
        self.resource_type.is_none_or(|t| t == resource_type)
            && (self.with_denied || effect == Effect::Allow)
            && self
                .code_prefixes
                .as_ref()
                .is_none_or(|prefixes| prefixes.iter().any(|p| code.starts_with(p.strip_suffix('*').unwrap_or(p))))
    }
}

/// The grants made directly to the target a client names, oldest first (get-authorized-
/// resources and the role/group listings).
pub fn direct_grants<'a>(
    state: &'a PoolState,
    namespace: &NamespaceId,
    target: &'a GrantTarget,
    filter: &GrantFilter,
) -> Vec<&'a Grant> {
    let mut grants: Vec<&Grant> = state
        .grants_of_target(target)
        .filter(|g| &g.namespace == namespace && filter.accepts(g.resource_type, g.code.as_str(), g.effect))
        .collect();
    engine::sort_oldest_first(&mut grants);
    grants
}

/// Resolves get-authorized-resources' target, with that endpoint's "not exists" wording.
pub fn listed_target(
    state: &PoolState,
    namespace: &NamespaceId,
    kind: TargetType,
    identifier: &str,
) -> Result<GrantTarget, DomainError> {
    find_target(state, namespace, kind, identifier).ok_or_else(|| kind.not_exists(identifier))
}

/// One page of the ALLOW grants in `namespace` whose code is exactly `code`, newest first
/// (get-resource-authorized-targets; no wildcard expansion, semantics §13.10). A popular code can
/// have tens of thousands of targets, so only the grants up to the end of the page are sorted.
pub fn grants_on_code<'a>(
    state: &'a PoolState,
    namespace: &'a NamespaceId,
    code: &'a GrantCode,
    target_type: Option<TargetType>,
    page: PageRequest,
) -> Page<&'a Grant> {
    let mut grants: Vec<&Grant> = state
        .grants_on_code(namespace, code)
        .filter(|g| g.effect == Effect::Allow && target_type.is_none_or(|t| t.matches(&g.target)))
        .collect();
    let newest_first = |a: &&Grant, b: &&Grant| b.created_at.cmp(&a.created_at).then_with(|| b.target.cmp(&a.target));
    let total = grants.len();
    let start = (page.page as usize - 1).saturating_mul(page.limit as usize).min(total);
    let end = start.saturating_add(page.limit as usize).min(total);
    if end < total {
        grants.select_nth_unstable_by(end, newest_first);
        grants.truncate(end);
    }
    grants.sort_unstable_by(newest_first);
    Page { total, items: grants.split_off(start) }
}

/// What a listing shows of the resource definition a grant code names (semantics §10): the one
/// with the same code, else the one named by the part before the first `:` (`books:123` →
/// `books`); nothing when neither is defined.
pub fn definition_for<'a>(definitions: Definitions<'a>, code: &str) -> DefinitionText<'a> {
    let defined = definitions.text(code).or_else(|| definitions.text(code.split_once(':')?.0));
    defined.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::NamespaceCode;
    use crate::ids::{RoleId, SequentialIds, UserId};
    use crate::model::Namespace;
    use crate::test_support::{role, TestPool};

    /// The shared pool holding the `default` namespace (`ns-default`), user `u1` and role
    /// `r1` (`admin`).
    struct Fixture {
        pool: TestPool,
        user: UserId,
        role: RoleId,
    }

    fn fixture() -> Fixture {
        let mut pool = TestPool::new();
        let namespace = NamespaceId::from_stored("ns-default");
        pool.put(Record::Namespace(Namespace {
            id: namespace.clone(),
            numeric_id: 1,
            code: NamespaceCode::default_namespace(),
            name: "default".into(),
            description: None,
            created_at: 0,
            updated_at: 0,
        }));
        let user = pool.user_with_id("u1");
        let role = role(RoleId::from_stored("r1"), namespace, "admin");
        let role_id = role.id.clone();
        pool.put(Record::Role(role));
        Fixture { pool, user, role: role_id }
    }

    fn spec(code: &str, actions: &[&str]) -> GrantSpec {
        GrantSpec {
            code: GrantCode::parse(code).unwrap(),
            resource_type: ResourceType::Data,
            actions: actions.iter().map(|a| Action::parse(a).unwrap()).collect(),
            effect: Effect::Allow,
        }
    }

    fn item(target_type: TargetType, identifiers: &[&str], resources: Vec<GrantSpec>) -> AuthorizeItem {
        AuthorizeItem {
            target_type,
            target_identifiers: identifiers.iter().map(|s| s.to_string()).collect(),
            resources,
            inherit_by_children: false,
        }
    }

    fn run(f: &mut Fixture, now: i64, items: &[AuthorizeItem]) -> Result<(), DomainError> {
        f.pool.run_at(now, |s, cx| authorize_resources(s, None, items, cx))
    }

    fn actions_of(f: &Fixture, target: &GrantTarget, code: &str) -> Option<Vec<String>> {
        let ns = NamespaceId::from_stored("ns-default");
        f.pool
            .state
            .grant(&ns, target, &GrantCode::parse(code).unwrap())
            .map(|g| g.actions.iter().map(|a| a.to_string()).collect())
    }

    #[test]
    fn a_code_is_described_by_its_own_definition_else_by_its_class() {
        let mut f = fixture();
        let ns = NamespaceId::from_stored("ns-default");
        let define = |f: &mut Fixture, id: &str, code: &str, description: Option<&str>, api: Option<&str>| {
            f.pool.put(Record::Resource(crate::model::Resource {
                id: crate::ids::ResourceId::from_stored(id),
                namespace: ns.clone(),
                code: crate::codes::ResourceCode::parse(code).unwrap(),
                name: None,
                description: description.map(str::to_owned),
                resource_type: ResourceType::Data,
                actions: Vec::new(),
                api_identifier: api.map(str::to_owned),
                linked_to_tenant: false,
                created_at: 0,
                updated_at: 0,
            }));
        };
        define(&mut f, "res1", "books", Some("All books"), Some("/books"));
        define(&mut f, "res2", "books:7", None, None);
        define(&mut f, "res3", "films", None, Some("/films"));
        let text = |f: &Fixture, code: &str| {
            let found = definition_for(f.pool.state.definitions(&ns), code);
            (found.description.map(str::to_owned), found.api_identifier.map(str::to_owned))
        };
        let books = (Some("All books".to_owned()), Some("/books".to_owned()));
        assert_eq!(text(&f, "books"), books);
        assert_eq!(text(&f, "books:1"), books, "an instance without a definition of its own takes its class's");
        assert_eq!(text(&f, "books:7"), (None, None), "an instance's own definition hides its class's, text or not");
        assert_eq!(text(&f, "films:2"), (None, Some("/films".to_owned())));
        assert_eq!(text(&f, "music:1"), (None, None));

        f.pool.state.apply(Mutation::Delete(RecordKey::Resource(crate::ids::ResourceId::from_stored("res2"))));
        assert_eq!(text(&f, "books:7"), books, "once the instance's definition is gone, the class describes it");
    }

    #[test]
    fn targets_of_a_code_page_newest_first() {
        let mut f = fixture();
        let users: Vec<String> = (0..25).map(|i| f.pool.user_with_id(&format!("v{i:02}")).to_string()).collect();
        for (i, user) in users.iter().enumerate() {
            // Users 20..25 share one creation time, so the tie-break (target, descending) is exercised.
            run(&mut f, 100 + i.min(20) as i64, &[item(TargetType::User, &[user], vec![spec("doc:1", &["read"])])])
                .unwrap();
        }
        let ns = NamespaceId::from_stored("ns-default");
        let code = GrantCode::parse("doc:1").unwrap();
        let page_of = |page: u32| {
            let found = grants_on_code(&f.pool.state, &ns, &code, None, PageRequest { page, limit: 10 });
            (found.total, found.items.iter().map(|g| g.target.id_str().to_owned()).collect::<Vec<_>>())
        };
        let newest_first: Vec<String> = users.iter().rev().cloned().collect();
        assert_eq!(page_of(1), (25, newest_first[..10].to_vec()));
        assert_eq!(page_of(2), (25, newest_first[10..20].to_vec()));
        assert_eq!(page_of(3), (25, newest_first[20..].to_vec()));
        assert_eq!(page_of(4), (25, vec![]));
    }

    #[test]
    fn repeat_replaces_empty_revokes_and_creation_time_is_kept() {
        let mut f = fixture();
        let u = GrantTarget::User(f.user.clone());
        run(&mut f, 10, &[item(TargetType::User, &["u1"], vec![spec("books:1", &["read", "read", "list"])])]).unwrap();
        assert_eq!(actions_of(&f, &u, "books:1"), Some(vec!["read".into(), "list".into()]), "de-duplicated");
        run(&mut f, 20, &[item(TargetType::User, &["u1"], vec![spec("books:1", &["edit"]), spec("pens", &["x"])])])
            .unwrap();
        assert_eq!(actions_of(&f, &u, "books:1"), Some(vec!["edit".into()]));
        let ns = NamespaceId::from_stored("ns-default");
        let grant = f.pool.state.grant(&ns, &u, &GrantCode::parse("books:1").unwrap()).unwrap();
        assert_eq!((grant.created_at, grant.updated_at), (10, 20));
        run(&mut f, 30, &[item(TargetType::User, &["u1"], vec![spec("books:1", &[])])]).unwrap();
        assert_eq!(actions_of(&f, &u, "books:1"), None);
        assert!(actions_of(&f, &u, "pens").is_some(), "other grants untouched");
    }

    #[test]
    fn revoking_a_grant_that_does_not_exist_plans_nothing() {
        let f = fixture();
        let mut ids = SequentialIds::default();
        let items = [item(TargetType::User, &["u1"], vec![spec("nothing", &[])])];
        let planned = authorize_resources(&f.pool.state, None, &items, &mut OpContext::new(1, &mut ids)).unwrap();
        assert!(planned.mutations.is_empty());
    }

    #[test]
    fn one_unknown_target_refuses_the_whole_request() {
        let f = fixture();
        let mut ids = SequentialIds::default();
        for (target_type, missing, expected) in [
            (TargetType::User, "nobody", DomainError::UserNotFound),
            (TargetType::Role, "nobody", DomainError::RoleNotFound),
            (TargetType::Group, "nobody", DomainError::GroupNotFound),
            (TargetType::Department, "nobody", DomainError::DepartmentNotFound),
        ] {
            let items = [
                item(TargetType::User, &["u1"], vec![spec("a", &["read"])]),
                item(target_type, &[missing], vec![spec("a", &["read"])]),
            ];
            let err = authorize_resources(&f.pool.state, None, &items, &mut OpContext::new(1, &mut ids)).unwrap_err();
            assert_eq!(err, expected);
        }
    }

    #[test]
    fn roles_are_found_by_code_in_the_request_namespace_only() {
        let f = fixture();
        let mut ids = SequentialIds::default();
        let items = [item(TargetType::Role, &["admin"], vec![spec("a", &["read"])])];
        let planned =
            authorize_resources(&f.pool.state, Some("default"), &items, &mut OpContext::new(1, &mut ids)).unwrap();
        assert_eq!(planned.mutations.len(), 1);
        assert!(matches!(
            &planned.mutations[0],
            Mutation::Put(Record::Grant(g)) if g.target == GrantTarget::Role(f.role.clone())
        ));
        let err =
            authorize_resources(&f.pool.state, Some("other"), &items, &mut OpContext::new(1, &mut ids)).unwrap_err();
        assert_eq!(err, DomainError::NamespaceNotFound);
    }

    #[test]
    fn inherit_flag_is_kept_for_department_targets_only() {
        let f = fixture();
        let mut ids = SequentialIds::default();
        let mut user_item = item(TargetType::User, &["u1"], vec![spec("a", &["read"])]);
        user_item.inherit_by_children = true;
        let planned = authorize_resources(&f.pool.state, None, &[user_item], &mut OpContext::new(1, &mut ids)).unwrap();
        assert!(matches!(&planned.mutations[0], Mutation::Put(Record::Grant(g)) if !g.inherit_by_children));
    }

    #[test]
    fn the_same_grant_twice_in_one_request_plans_one_mutation_and_the_last_wins() {
        let mut f = fixture();
        let items = [
            item(TargetType::User, &["u1", "u1"], vec![spec("a", &["read"])]),
            item(TargetType::User, &["u1"], vec![spec("a", &["write"])]),
        ];
        let planned =
            authorize_resources(&f.pool.state, None, &items, &mut OpContext::new(1, &mut f.pool.ids)).unwrap();
        assert_eq!(planned.mutations.len(), 1);
        f.pool.state.apply_all(&planned.mutations);
        assert_eq!(actions_of(&f, &GrantTarget::User(f.user.clone()), "a"), Some(vec!["write".into()]));
    }

    #[test]
    fn filters_keep_type_prefix_and_effect() {
        let f = GrantFilter {
            resource_type: None,
            code_prefixes: Some(vec!["books:*".into(), "pens:fic".into()]),
            with_denied: false,
        };
        assert!(f.accepts(ResourceType::Data, "books:123", Effect::Allow));
        assert!(f.accepts(ResourceType::Data, "books:fictions_123", Effect::Allow));
        assert!(f.accepts(ResourceType::Data, "pens:fiction", Effect::Allow));
        assert!(!f.accepts(ResourceType::Data, "pens:1", Effect::Allow));
        assert!(!f.accepts(ResourceType::Data, "books:1", Effect::Deny));
        let typed = GrantFilter { resource_type: Some(ResourceType::Api), with_denied: true, ..Default::default() };
        assert!(typed.accepts(ResourceType::Api, "x", Effect::Deny));
        assert!(!typed.accepts(ResourceType::Data, "x", Effect::Allow));
    }
}
