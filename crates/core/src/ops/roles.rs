//! Roles (principals.md §2): namespace-scoped, addressed by code, stored by id so that a
//! rename keeps their grants and assignments. Assignments attach a role to users and
//! departments, optionally within a time window.

use super::{namespace_in, sort_newest_first, Page, PageRequest, Plan, Planned};
use crate::codes::RoleCode;
use crate::error::Duplicate;
use crate::ids::{NamespaceId, OpContext, RoleId};
use crate::model::{Assignee, Department, GrantTarget, Role, RoleAssignment, RoleStatus, User};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::PoolState;
use crate::DomainError;
use std::collections::{BTreeMap, HashSet};

/// A role as a request names it: its code within a namespace (`None` = `default`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRef {
    pub namespace: Option<String>,
    pub code: String,
}

/// Resolves a role reference: the namespace is checked first (`权限组不存在`), then the role.
pub fn find<'a>(state: &'a PoolState, namespace: Option<&str>, code: &str) -> Result<&'a Role, DomainError> {
    let namespace = namespace_in(state, namespace)?;
    state.role_by_code(&namespace.id, code).ok_or(DomainError::RoleNotFound)
}

fn find_ref<'a>(state: &'a PoolState, role: &RoleRef) -> Result<&'a Role, DomainError> {
    find(state, role.namespace.as_deref(), &role.code)
}

// ---- create ----------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewRole {
    pub namespace: Option<String>,
    pub code: RoleCode,
    pub name: Option<String>,
    pub description: Option<String>,
    pub disable_time: Option<i64>,
}

pub fn create(state: &PoolState, input: NewRole, cx: &mut OpContext) -> Plan<RoleId> {
    let Planned { mutations, output } = create_batch(state, vec![input], cx)?;
    Ok(Planned::new(mutations, output.into_iter().next().expect("one role planned")))
}

/// All-or-nothing: an unknown namespace, or a code that exists already in its namespace or
/// repeats inside the batch, refuses the whole batch.
pub fn create_batch(state: &PoolState, inputs: Vec<NewRole>, cx: &mut OpContext) -> Plan<Vec<RoleId>> {
    let mut resolved = Vec::with_capacity(inputs.len());
    let mut seen = HashSet::new();
    for input in inputs {
        let namespace = namespace_in(state, input.namespace.as_deref())?.id.clone();
        if state.role_by_code(&namespace, input.code.as_str()).is_some()
            || !seen.insert((namespace.clone(), input.code.clone()))
        {
            return Err(DomainError::AlreadyExists(Duplicate::Role));
        }
        resolved.push((namespace, input));
    }
    let mut mutations = Vec::with_capacity(resolved.len());
    let mut ids = Vec::with_capacity(resolved.len());
    for (namespace, input) in resolved {
        let role = build(namespace, input, cx);
        ids.push(role.id.clone());
        mutations.push(Mutation::Put(Record::Role(role)));
    }
    Ok(Planned::new(mutations, ids))
}

fn build(namespace: NamespaceId, input: NewRole, cx: &mut OpContext) -> Role {
    Role {
        id: cx.new_id(),
        namespace,
        name: input.name.filter(|n| !n.is_empty()).unwrap_or_else(|| input.code.to_string()),
        code: input.code,
        description: input.description.unwrap_or_default(),
        status: RoleStatus::Enable,
        disable_time: input.disable_time,
        enable_permission_apply: false,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    }
}

// ---- update ----------------------------------------------------------------------------------

/// Fields of update-role; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleChanges {
    pub new_code: Option<RoleCode>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<RoleStatus>,
    pub disable_time: Option<i64>,
    pub enable_permission_apply: Option<bool>,
}

/// Updates the role in place; its id stays, so grants and assignments follow a new code.
pub fn update(
    state: &PoolState,
    namespace: Option<&str>,
    code: &str,
    changes: RoleChanges,
    cx: &mut OpContext,
) -> Plan<RoleId> {
    let current = find(state, namespace, code)?;
    let mut updated = current.clone();
    if let Some(new_code) = changes.new_code.filter(|c| c != &current.code) {
        if state.role_by_code(&current.namespace, new_code.as_str()).is_some() {
            return Err(DomainError::AlreadyExists(Duplicate::Role));
        }
        updated.code = new_code;
    }
    if let Some(name) = changes.name {
        updated.name = name;
    }
    if let Some(description) = changes.description {
        updated.description = description;
    }
    if let Some(status) = changes.status {
        updated.status = status;
    }
    if let Some(disable_time) = changes.disable_time {
        updated.disable_time = Some(disable_time);
    }
    if let Some(enable_permission_apply) = changes.enable_permission_apply {
        updated.enable_permission_apply = enable_permission_apply;
    }
    updated.updated_at = cx.now_ms;
    Ok(Planned::new(vec![Mutation::Put(Record::Role(updated))], current.id.clone()))
}

// ---- delete ----------------------------------------------------------------------------------

/// Not idempotent (observed): any unknown code refuses the batch, and nothing is deleted.
pub fn delete_batch(state: &PoolState, namespace: Option<&str>, codes: &[String]) -> Plan<()> {
    let namespace = namespace_in(state, namespace)?;
    let mut roles = BTreeMap::new();
    for code in codes {
        let role = state.role_by_code(&namespace.id, code).ok_or(DomainError::RoleNotFound)?;
        roles.insert(role.id.clone(), role);
    }
    let mutations = roles.values().flat_map(|role| cascade_delete(state, role)).collect();
    Ok(Planned::new(mutations, ()))
}

/// Deletes the role with the grants made to it and all its assignments (semantics §9).
fn cascade_delete(state: &PoolState, role: &Role) -> Vec<Mutation> {
    let mut mutations = super::cascade::grants_of_target(state, &GrantTarget::Role(role.id.clone()));
    mutations.extend(
        state
            .role_assignments_of_role(&role.id)
            .map(|a| Mutation::Delete(RecordKey::RoleAssignment(a.role, a.assignee))),
    );
    mutations.push(Mutation::Delete(RecordKey::Role(role.id.clone())));
    mutations
}

// ---- assignments -----------------------------------------------------------------------------

/// An assignee as a request names it (TargetDto). Ids are checked against the pool when planning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeRef {
    User(String),
    /// `inherit_by_children`: the role also reaches members of descendant departments
    /// (semantics §13.4–13.5).
    Department {
        id: String,
        inherit_by_children: bool,
    },
}

/// When an assignment counts: `enable_time <= now < end_time` (absent bounds are open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub enable_time: Option<i64>,
    pub end_time: Option<i64>,
}

/// Resolves the assignees: an unknown user is `用户不存在`, an unknown department `部门不存在`.
fn resolve_assignees(state: &PoolState, targets: &[AssigneeRef]) -> Result<Vec<(Assignee, bool)>, DomainError> {
    targets
        .iter()
        .map(|target| match target {
            AssigneeRef::User(id) => {
                let user = state.user(id).ok_or(DomainError::UserNotFound)?;
                Ok((Assignee::User(user.id.clone()), false))
            }
            AssigneeRef::Department { id, inherit_by_children } => {
                let department = state.department(id).ok_or(DomainError::DepartmentNotFound)?;
                Ok((Assignee::Department(department.id.clone()), *inherit_by_children))
            }
        })
        .collect()
}

/// Everything a (batch) assign or revoke refers to.
struct Resolved<'a> {
    roles: Vec<&'a Role>,
    /// Each assignee with its `inherit_by_children` flag.
    assignees: Vec<(Assignee, bool)>,
}

/// Resolves roles and targets before anything is planned, so a failure anywhere changes nothing.
/// Roles are checked before targets, as the contract lists the errors.
fn resolve<'a>(state: &'a PoolState, roles: &[RoleRef], targets: &[AssigneeRef]) -> Result<Resolved<'a>, DomainError> {
    let roles = roles.iter().map(|r| find_ref(state, r)).collect::<Result<Vec<_>, _>>()?;
    Ok(Resolved { roles, assignees: resolve_assignees(state, targets)? })
}

/// Gives every role to every target. Idempotent: an existing assignment keeps its creation time
/// and takes the new `inherit_by_children` and, when `window` is given, the new window
/// (`None`, as assign-role-batch sends, keeps the current window).
pub fn assign(
    state: &PoolState,
    roles: &[RoleRef],
    targets: &[AssigneeRef],
    window: Option<Window>,
    cx: &mut OpContext,
) -> Plan<()> {
    let Resolved { roles, assignees } = resolve(state, roles, targets)?;
    // Keyed, so a target repeated in one request yields one assignment (the last one wins).
    let mut planned = BTreeMap::new();
    for role in &roles {
        for (assignee, inherit_by_children) in &assignees {
            let existing = state.role_assignment(&role.id, assignee);
            let window = window.unwrap_or_else(|| {
                existing
                    .as_ref()
                    .map_or_else(Window::default, |a| Window { enable_time: a.enable_time, end_time: a.end_time })
            });
            let assignment = RoleAssignment {
                role: role.id.clone(),
                assignee: assignee.clone(),
                inherit_by_children: *inherit_by_children,
                enable_time: window.enable_time,
                end_time: window.end_time,
                created_at: existing.map_or(cx.now_ms, |a| a.created_at),
            };
            planned.insert((role.id.clone(), assignee.clone()), assignment);
        }
    }
    let mutations = planned.into_values().map(|a| Mutation::Put(Record::RoleAssignment(a))).collect();
    Ok(Planned::new(mutations, ()))
}

/// Takes every role from every target; pairs that were not assigned are ignored.
pub fn revoke(state: &PoolState, roles: &[RoleRef], targets: &[AssigneeRef]) -> Plan<()> {
    let Resolved { roles, assignees } = resolve(state, roles, targets)?;
    let mut keys = Vec::new();
    for role in &roles {
        for (assignee, _) in &assignees {
            let key = RecordKey::RoleAssignment(role.id.clone(), assignee.clone());
            if state.role_assignment(&role.id, assignee).is_some() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    Ok(Planned::new(keys.into_iter().map(Mutation::Delete).collect(), ()))
}

// ---- reads -----------------------------------------------------------------------------------

/// list-roles: the namespace's roles whose code or name contains `keywords`
/// (case-insensitive), newest first.
pub fn list<'a>(
    state: &'a PoolState,
    namespace: Option<&str>,
    keywords: Option<&str>,
    page: PageRequest,
) -> Result<Page<&'a Role>, DomainError> {
    let namespace = namespace_in(state, namespace)?;
    let keywords = keywords.map(str::to_lowercase);
    let matches = |role: &Role| {
        keywords
            .as_ref()
            .is_none_or(|k| role.code.as_str().to_lowercase().contains(k) || role.name.to_lowercase().contains(k))
    };
    let mut roles: Vec<&Role> = state.roles().filter(|r| r.namespace == namespace.id && matches(r)).collect();
    sort_newest_first(&mut roles, |r| (r.created_at, r.id.as_str()));
    Ok(page.slice(roles))
}

/// The assignments of a role, most recently made first.
fn assignments_newest_first(state: &PoolState, role: &Role) -> Vec<RoleAssignment> {
    let mut assignments: Vec<RoleAssignment> = state.role_assignments_of_role(&role.id).collect();
    assignments.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.assignee.cmp(&a.assignee)));
    assignments
}

/// list-role-members: users the role is assigned to directly (semantics §13.11), newest
/// assignment first.
pub fn members<'a>(
    state: &'a PoolState,
    namespace: Option<&str>,
    code: &str,
    page: PageRequest,
) -> Result<Page<&'a User>, DomainError> {
    let role = find(state, namespace, code)?;
    let users = assignments_newest_first(state, role)
        .into_iter()
        .filter_map(|a| match &a.assignee {
            Assignee::User(id) => state.user(id.as_str()),
            Assignee::Department(_) => None,
        })
        .collect();
    Ok(page.slice(users))
}

/// list-role-departments: departments the role is assigned to, newest assignment first.
pub fn departments<'a>(
    state: &'a PoolState,
    namespace: Option<&str>,
    code: &str,
    page: PageRequest,
) -> Result<Page<&'a Department>, DomainError> {
    let role = find(state, namespace, code)?;
    let departments = assignments_newest_first(state, role)
        .into_iter()
        .filter_map(|a| match &a.assignee {
            Assignee::Department(id) => state.department(id.as_str()),
            Assignee::User(_) => None,
        })
        .collect();
    Ok(page.slice(departments))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DepartmentId, OrganizationId, UserId};
    use crate::test_support::{department, grant, TestPool};

    /// This module's helpers on the shared pool.
    trait RolePool {
        fn role(&mut self, namespace: Option<&str>, code: &str) -> RoleId;
        fn department(&mut self) -> DepartmentId;
        fn grant_to_role(&mut self, role: &RoleId);
    }

    impl RolePool for TestPool {
        fn role(&mut self, namespace: Option<&str>, code: &str) -> RoleId {
            let input = new_role(namespace, code);
            self.run(|s, cx| create(s, input, cx)).unwrap()
        }

        fn department(&mut self) -> DepartmentId {
            let id: DepartmentId = self.new_id();
            self.put(Record::Department(department(id.clone(), OrganizationId::from_stored("org"), "d")));
            id
        }

        fn grant_to_role(&mut self, role: &RoleId) {
            let namespace = self.state.role(role).unwrap().namespace.clone();
            self.put(Record::Grant(grant(namespace, GrantTarget::Role(role.clone()), "books:1")));
        }
    }

    fn new_role(namespace: Option<&str>, code: &str) -> NewRole {
        NewRole {
            namespace: namespace.map(str::to_owned),
            code: RoleCode::parse(code).unwrap(),
            name: None,
            description: None,
            disable_time: None,
        }
    }

    fn role_ref(code: &str) -> Vec<RoleRef> {
        vec![RoleRef { namespace: None, code: code.into() }]
    }

    fn user_target(id: &UserId) -> AssigneeRef {
        AssigneeRef::User(id.to_string())
    }

    #[test]
    fn create_defaults_name_description_and_status() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "admin");
        let role = pool.state.role(&id).unwrap();
        assert_eq!((role.name.as_str(), role.description.as_str()), ("admin", ""));
        assert_eq!(role.status, RoleStatus::Enable);
        assert_eq!(pool.state.namespace(&role.namespace).unwrap().code.as_str(), "default");
    }

    #[test]
    fn codes_are_unique_per_namespace_only() {
        let mut pool = TestPool::with_default_namespace();
        pool.namespace("ns2");
        pool.role(None, "admin");
        pool.role(Some("ns2"), "admin");
        assert_eq!(
            pool.run(|s, cx| create(s, new_role(None, "admin"), cx)).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Role)
        );
        assert_eq!(
            pool.run(|s, cx| create(s, new_role(Some("nope"), "x"), cx)).unwrap_err(),
            DomainError::NamespaceNotFound
        );
    }

    #[test]
    fn batch_is_all_or_nothing() {
        let mut pool = TestPool::with_default_namespace();
        pool.role(None, "taken");
        for batch in [vec!["a", "taken"], vec!["a", "a"]] {
            let inputs = batch.iter().map(|c| new_role(None, c)).collect();
            assert_eq!(
                pool.run(|s, cx| create_batch(s, inputs, cx)).unwrap_err(),
                DomainError::AlreadyExists(Duplicate::Role)
            );
        }
        let inputs = vec![new_role(None, "b"), new_role(Some("missing"), "c")];
        assert_eq!(pool.run(|s, cx| create_batch(s, inputs, cx)).unwrap_err(), DomainError::NamespaceNotFound);
        assert_eq!(pool.state.roles().count(), 1);
    }

    #[test]
    fn rename_keeps_id_and_refuses_a_taken_code() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        pool.role(None, "b");
        let user = pool.user();
        pool.run(|s, cx| assign(s, &role_ref("a"), &[user_target(&user)], None, cx)).unwrap();
        let to = |code: &str| RoleChanges { new_code: Some(RoleCode::parse(code).unwrap()), ..Default::default() };
        assert_eq!(
            pool.run(|s, cx| update(s, None, "a", to("b"), cx)).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Role)
        );
        assert_eq!(pool.run(|s, cx| update(s, None, "a", to("c"), cx)).unwrap(), id);
        assert!(find(&pool.state, None, "a").is_err());
        assert_eq!(find(&pool.state, None, "c").unwrap().id, id);
        assert!(pool.state.role_assignment(&id, &Assignee::User(user)).is_some());
    }

    #[test]
    fn update_changes_only_what_is_given() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        let changes = RoleChanges {
            status: Some(RoleStatus::Disable),
            disable_time: Some(99),
            enable_permission_apply: Some(true),
            ..Default::default()
        };
        pool.run(|s, cx| update(s, None, "a", changes, cx)).unwrap();
        let role = pool.state.role(&id).unwrap();
        assert_eq!(
            (role.status, role.disable_time, role.enable_permission_apply),
            (RoleStatus::Disable, Some(99), true)
        );
        assert_eq!(role.name, "a");
        assert_eq!(
            pool.run(|s, cx| update(s, None, "zz", RoleChanges::default(), cx)).unwrap_err(),
            DomainError::RoleNotFound
        );
    }

    #[test]
    fn delete_cascades_grants_and_assignments() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        let kept = pool.role(None, "b");
        let user = pool.user();
        let department = pool.department();
        pool.grant_to_role(&id);
        pool.grant_to_role(&kept);
        let targets =
            [user_target(&user), AssigneeRef::Department { id: department.to_string(), inherit_by_children: true }];
        let roles = vec![RoleRef { namespace: None, code: "a".into() }, RoleRef { namespace: None, code: "b".into() }];
        pool.run(|s, cx| assign(s, &roles, &targets, None, cx)).unwrap();
        pool.run(|s, _| delete_batch(s, None, &["a".into(), "a".into()])).unwrap();
        assert!(pool.state.role(&id).is_none());
        assert_eq!(pool.state.grants_of_target(&GrantTarget::Role(id.clone())).count(), 0);
        assert_eq!(pool.state.role_assignments_of_role(&id).count(), 0);
        assert_eq!(pool.state.grants_of_target(&GrantTarget::Role(kept.clone())).count(), 1);
        assert_eq!(pool.state.role_assignments_of_role(&kept).count(), 2);
    }

    #[test]
    fn delete_with_an_unknown_code_deletes_nothing() {
        let mut pool = TestPool::with_default_namespace();
        pool.role(None, "a");
        assert_eq!(
            pool.run(|s, _| delete_batch(s, None, &["a".into(), "ghost".into()])).unwrap_err(),
            DomainError::RoleNotFound
        );
        assert_eq!(
            pool.run(|s, _| delete_batch(s, Some("nope"), &["a".into()])).unwrap_err(),
            DomainError::NamespaceNotFound
        );
        assert!(find(&pool.state, None, "a").is_ok());
    }

    #[test]
    fn assign_is_idempotent_and_updates_the_window() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        let user = pool.user();
        let window = Window { enable_time: Some(5), end_time: Some(50) };
        pool.run(|s, cx| assign(s, &role_ref("a"), &[user_target(&user)], Some(window), cx)).unwrap();
        let first = pool.state.role_assignment(&id, &Assignee::User(user.clone())).unwrap();
        assert_eq!((first.enable_time, first.end_time), (Some(5), Some(50)));

        // The batch form carries no window: the current one stays.
        pool.run(|s, cx| assign(s, &role_ref("a"), &[user_target(&user)], None, cx)).unwrap();
        assert_eq!(pool.state.role_assignment(&id, &Assignee::User(user.clone())).unwrap(), first);

        let window = Window { enable_time: None, end_time: Some(70) };
        pool.run(|s, cx| assign(s, &role_ref("a"), &[user_target(&user), user_target(&user)], Some(window), cx))
            .unwrap();
        let again = pool.state.role_assignment(&id, &Assignee::User(user)).unwrap();
        assert_eq!((again.enable_time, again.end_time, again.created_at), (None, Some(70), first.created_at));
        assert_eq!(pool.state.role_assignments_of_role(&id).count(), 1);
    }

    #[test]
    fn assign_and_revoke_check_everything_before_changing_anything() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        let user = pool.user();
        let good = user_target(&user);
        let cases = [
            (
                RoleRef { namespace: Some("nope".into()), code: "a".into() },
                good.clone(),
                DomainError::NamespaceNotFound,
            ),
            (RoleRef { namespace: None, code: "ghost".into() }, good.clone(), DomainError::RoleNotFound),
            (
                RoleRef { namespace: None, code: "a".into() },
                AssigneeRef::User("ghost".into()),
                DomainError::UserNotFound,
            ),
            (
                RoleRef { namespace: None, code: "a".into() },
                AssigneeRef::Department { id: "ghost".into(), inherit_by_children: false },
                DomainError::DepartmentNotFound,
            ),
        ];
        for (role, bad, expected) in cases {
            let roles = [RoleRef { namespace: None, code: "a".into() }, role];
            let targets = [good.clone(), bad];
            assert_eq!(pool.run(|s, cx| assign(s, &roles, &targets, None, cx)).unwrap_err(), expected);
            assert_eq!(pool.run(|s, _| revoke(s, &roles, &targets)).unwrap_err(), expected);
            assert_eq!(pool.state.role_assignments_of_role(&id).count(), 0);
        }
    }

    #[test]
    fn revoke_removes_only_the_named_pairs_and_ignores_unassigned_ones() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        let (u1, u2) = (pool.user(), pool.user());
        pool.run(|s, cx| assign(s, &role_ref("a"), &[user_target(&u1), user_target(&u2)], None, cx)).unwrap();
        pool.run(|s, _| revoke(s, &role_ref("a"), &[user_target(&u1), user_target(&u1)])).unwrap();
        pool.run(|s, _| revoke(s, &role_ref("a"), &[user_target(&u1)])).unwrap();
        let left: Vec<_> = pool.state.role_assignments_of_role(&id).map(|a| a.assignee.clone()).collect();
        assert_eq!(left, vec![Assignee::User(u2)]);
    }

    #[test]
    fn department_assignments_remember_inheritance() {
        let mut pool = TestPool::with_default_namespace();
        let id = pool.role(None, "a");
        let department = pool.department();
        let target = AssigneeRef::Department { id: department.to_string(), inherit_by_children: true };
        pool.run(|s, cx| assign(s, &role_ref("a"), &[target], None, cx)).unwrap();
        let assignment = pool.state.role_assignment(&id, &Assignee::Department(department.clone())).unwrap();
        assert!(assignment.inherit_by_children);
        let listed = departments(&pool.state, None, "a", PageRequest::default()).unwrap();
        assert_eq!(listed.total, 1);
        assert_eq!(listed.items[0].id, department);
        assert_eq!(members(&pool.state, None, "a", PageRequest::default()).unwrap().total, 0);
    }

    #[test]
    fn listings_are_newest_first_and_filtered() {
        let mut pool = TestPool::with_default_namespace();
        pool.role(None, "reader");
        pool.role(None, "writer");
        pool.role(None, "Admin");
        let all = list(&pool.state, None, None, PageRequest::default()).unwrap();
        let codes: Vec<_> = all.items.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["Admin", "writer", "reader"]);
        let found = list(&pool.state, None, Some("ADM"), PageRequest::default()).unwrap();
        assert_eq!(found.total, 1);
        let second = list(&pool.state, None, None, PageRequest { page: 2, limit: 2 }).unwrap();
        assert_eq!((second.total, second.items[0].code.as_str()), (3, "reader"));
        assert_eq!(
            list(&pool.state, Some("nope"), None, PageRequest::default()).unwrap_err(),
            DomainError::NamespaceNotFound
        );

        let (u1, u2) = (pool.user(), pool.user());
        pool.run(|s, cx| assign(s, &role_ref("reader"), &[user_target(&u1)], None, cx)).unwrap();
        pool.run(|s, cx| assign(s, &role_ref("reader"), &[user_target(&u2)], None, cx)).unwrap();
        let listed = members(&pool.state, None, "reader", PageRequest::default()).unwrap();
        let ids: Vec<_> = listed.items.iter().map(|u| u.id.clone()).collect();
        assert_eq!(ids, vec![u2, u1]);
        assert_eq!(members(&pool.state, None, "ghost", PageRequest::default()).unwrap_err(), DomainError::RoleNotFound);
    }
}
