//! The engine against a deliberately naive reference evaluator written straight from
//! semantics.md (§3, §5.1, §6, §7, §8, §11, §13.4–13.6), on random pools: users, roles (some
//! disabled or expiring) in two namespaces, groups, department trees, role assignments with time
//! windows and inheritance, and grants with wildcards, DENY and inheritance.
//!
//! The reference scans every record for every question and shares no code with the engine.

use portcullis_core::codes::{Action, GrantCode, RoleCode};
use portcullis_core::engine;
use portcullis_core::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, RoleId, UserId};
use portcullis_core::model::{
    Assignee, Department, DepartmentMembership, Effect, Grant, GrantTarget, GroupMembership, ResourceType, Role,
    RoleAssignment, RoleStatus, User,
};
use portcullis_core::{Mutation, PoolState, Record};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::{BTreeMap, BTreeSet};

const NOW: i64 = 1_000;
const NAMESPACES: usize = 2;
const CODES: &[&str] = &["*", "books", "books:*", "books:1", "books:12", "books:fic*", "pens:1", "a:b", "a"];
const RESOURCES: &[&str] = &["books", "books:1", "books:12", "books:fiction", "books:*", "pens:1", "a:b", "a:b:c", "x"];
const GRANT_ACTIONS: &[&str] = &["read", "books:read", "books:*", "*", "edit"];
const CHECKED_ACTIONS: &[&str] = &["read", "books:read", "books:edit", "edit", "*", "x"];
const TIMES: &[Option<i64>] = &[None, Some(500), Some(NOW), Some(1_500)];

// ---- the random pool, as plain indices --------------------------------------------------------

#[derive(Debug, Clone)]
struct RoleSpec {
    namespace: usize,
    enabled: bool,
    disable_time: Option<i64>,
}

#[derive(Debug, Clone)]
struct AssignmentSpec {
    role: Index,
    to_department: bool,
    assignee: Index,
    inherit: bool,
    window: (Option<i64>, Option<i64>),
}

#[derive(Debug, Clone)]
struct GrantSpec {
    namespace: usize,
    target_kind: u8,
    target: Index,
    code: &'static str,
    actions: Vec<&'static str>,
    deny: bool,
    inherit: bool,
}

#[derive(Debug, Clone)]
struct PoolSpec {
    users: usize,
    roles: Vec<RoleSpec>,
    groups: usize,
    group_members: Vec<(Index, Index)>,
    /// For department `i`, `Some(p)` picks a parent among departments `0..i`.
    department_parents: Vec<Option<Index>>,
    department_members: Vec<(Index, Index)>,
    assignments: Vec<AssignmentSpec>,
    grants: Vec<GrantSpec>,
}

fn time() -> impl Strategy<Value = Option<i64>> {
    prop::sample::select(TIMES)
}

fn pool_spec() -> impl Strategy<Value = PoolSpec> {
    let role = (0..NAMESPACES, prop::bool::weighted(0.8), time())
        .prop_map(|(namespace, enabled, disable_time)| RoleSpec { namespace, enabled, disable_time });
    let assignment = (any::<Index>(), any::<bool>(), any::<Index>(), any::<bool>(), time(), time()).prop_map(
        |(role, to_department, assignee, inherit, start, end)| AssignmentSpec {
            role,
            to_department,
            assignee,
            inherit,
            window: (start, end),
        },
    );
    let grant = (
        0..NAMESPACES,
        0u8..4,
        any::<Index>(),
        prop::sample::select(CODES),
        prop::sample::subsequence(GRANT_ACTIONS, 1..=3),
        prop::bool::weighted(0.25),
        any::<bool>(),
    )
        .prop_map(|(namespace, target_kind, target, code, actions, deny, inherit)| GrantSpec {
            namespace,
            target_kind,
            target,
            code,
            actions,
            deny,
            inherit,
        });
    (
        1usize..4,
        prop::collection::vec(role, 0..5),
        0usize..3,
        prop::collection::vec((any::<Index>(), any::<Index>()), 0..5),
        prop::collection::vec(prop::option::weighted(0.8, any::<Index>()), 0..7),
        prop::collection::vec((any::<Index>(), any::<Index>()), 0..6),
        prop::collection::vec(assignment, 0..7),
        prop::collection::vec(grant, 0..14),
    )
        .prop_map(
            |(users, roles, groups, group_members, department_parents, department_members, assignments, grants)| {
                PoolSpec {
                    users,
                    roles,
                    groups,
                    group_members,
                    department_parents,
                    department_members,
                    assignments,
                    grants,
                }
            },
        )
}

// ---- building the pool through PoolState::apply ----------------------------------------------

fn namespace_id(i: usize) -> NamespaceId {
    NamespaceId::from_stored(format!("ns{i}"))
}
fn user_id(i: usize) -> UserId {
    UserId::from_stored(format!("u{i}"))
}
fn role_id(i: usize) -> RoleId {
    RoleId::from_stored(format!("r{i}"))
}
fn group_id(i: usize) -> GroupId {
    GroupId::from_stored(format!("g{i}"))
}
fn department_id(i: usize) -> DepartmentId {
    DepartmentId::from_stored(format!("d{i}"))
}

fn user(i: usize) -> User {
    User::new(user_id(i), 0)
}

fn department(i: usize, parent: Option<usize>) -> Department {
    Department {
        id: department_id(i),
        organization: OrganizationId::from_stored("org"),
        parent: parent.map(department_id),
        code: None,
        name: format!("d{i}"),
        description: None,
        open_department_id: None,
        leader_user_ids: vec![],
        is_virtual_node: false,
        status: true,
        custom_data: None,
        created_at: 0,
        updated_at: 0,
    }
}

/// The pool's records, with index-based choices resolved (choices into empty sets are dropped).
fn records(spec: &PoolSpec) -> Vec<Record> {
    let mut out = Vec::new();
    out.extend((0..spec.users).map(|i| Record::User(user(i))));
    for (i, r) in spec.roles.iter().enumerate() {
        out.push(Record::Role(Role {
            id: role_id(i),
            namespace: namespace_id(r.namespace),
            code: RoleCode::parse(&format!("r{i}")).unwrap(),
            name: String::new(),
            description: String::new(),
            status: if r.enabled { RoleStatus::Enable } else { RoleStatus::Disable },
            disable_time: r.disable_time,
            enable_permission_apply: false,
            created_at: 0,
            updated_at: 0,
        }));
    }
    let departments = spec.department_parents.len();
    for (i, parent) in spec.department_parents.iter().enumerate() {
        let parent = parent.as_ref().filter(|_| i > 0).map(|p| p.index(i));
        out.push(Record::Department(department(i, parent)));
    }
    if spec.groups > 0 {
        for (g, u) in &spec.group_members {
            out.push(Record::GroupMember(GroupMembership {
                group: group_id(g.index(spec.groups)),
                user: user_id(u.index(spec.users)),
                joined_at: 0,
            }));
        }
    }
    if departments > 0 {
        for (d, u) in &spec.department_members {
            out.push(Record::DepartmentMember(DepartmentMembership {
                department: department_id(d.index(departments)),
                user: user_id(u.index(spec.users)),
                is_leader: false,
                is_main: false,
                joined_at: 0,
            }));
        }
    }
    if !spec.roles.is_empty() {
        for a in &spec.assignments {
            let assignee = match (a.to_department, departments) {
                (true, 0) => continue,
                (true, n) => Assignee::Department(department_id(a.assignee.index(n))),
                (false, _) => Assignee::User(user_id(a.assignee.index(spec.users))),
            };
            let is_department = matches!(assignee, Assignee::Department(_));
            out.push(Record::RoleAssignment(RoleAssignment {
                role: role_id(a.role.index(spec.roles.len())),
                assignee,
                inherit_by_children: a.inherit && is_department,
                enable_time: a.window.0,
                end_time: a.window.1,
                created_at: 0,
            }));
        }
    }
    for g in &spec.grants {
        let target = match g.target_kind {
            0 => GrantTarget::User(user_id(g.target.index(spec.users))),
            1 if !spec.roles.is_empty() => GrantTarget::Role(role_id(g.target.index(spec.roles.len()))),
            2 if spec.groups > 0 => GrantTarget::Group(group_id(g.target.index(spec.groups))),
            3 if departments > 0 => GrantTarget::Department(department_id(g.target.index(departments))),
            _ => continue,
        };
        let is_department = matches!(target, GrantTarget::Department(_));
        out.push(Record::Grant(Grant {
            namespace: namespace_id(g.namespace),
            target,
            code: GrantCode::parse(g.code).unwrap(),
            resource_type: if g.actions.len() % 2 == 0 { ResourceType::Api } else { ResourceType::Data },
            actions: g.actions.iter().map(|a| Action::parse(a).unwrap()).collect(),
            effect: if g.deny { Effect::Deny } else { Effect::Allow },
            inherit_by_children: g.inherit && is_department,
            created_at: 0,
            updated_at: 0,
        }));
    }
    out
}

// ---- the reference evaluator ------------------------------------------------------------------

/// Everything as flat lists; every question is answered by scanning them.
struct Reference {
    roles: Vec<Role>,
    departments: Vec<Department>,
    group_members: Vec<GroupMembership>,
    department_members: Vec<DepartmentMembership>,
    assignments: Vec<RoleAssignment>,
    grants: Vec<Grant>,
}

impl Reference {
    fn new(records: &[Record]) -> Self {
        let mut r = Reference {
            roles: vec![],
            departments: vec![],
            group_members: vec![],
            department_members: vec![],
            assignments: vec![],
            grants: vec![],
        };
        // Later records with the same key replace earlier ones, as PoolState::apply does.
        for record in records {
            match record.clone() {
                Record::Role(x) => r.roles.push(x),
                Record::Department(x) => r.departments.push(x),
                Record::GroupMember(x) => {
                    r.group_members.retain(|m| (&m.group, &m.user) != (&x.group, &x.user));
                    r.group_members.push(x)
                }
                Record::DepartmentMember(x) => {
                    r.department_members.retain(|m| (&m.department, &m.user) != (&x.department, &x.user));
                    r.department_members.push(x)
                }
                Record::RoleAssignment(x) => {
                    r.assignments.retain(|a| (&a.role, &a.assignee) != (&x.role, &x.assignee));
                    r.assignments.push(x)
                }
                Record::Grant(x) => {
                    r.grants.retain(|g| (&g.namespace, &g.target, &g.code) != (&x.namespace, &x.target, &x.code));
                    r.grants.push(x)
                }
                _ => {}
            }
        }
        r
    }

    /// §5.1, rule by rule.
    fn covers(grant: &str, resource: &str) -> bool {
        let rule1 = grant == resource;
        let rule2 = grant == "*";
        let rule3 = grant.ends_with('*') && resource.starts_with(&grant[..grant.len() - 1]);
        let rule4 = !grant.contains(':') && resource.starts_with(&format!("{grant}:"));
        rule1 || rule2 || rule3 || rule4
    }

    /// §6, rule by rule.
    fn action_matches(actions: &[Action], action: &str) -> bool {
        let names: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        let rule1 = names.contains(&action);
        let rule2 = names.contains(&"*");
        let rule3 = names.iter().any(|a| a.ends_with(":*") && action.starts_with(&a[..a.len() - 1]));
        rule1 || rule2 || rule3
    }

    fn is_member(&self, user: &UserId, department: &DepartmentId) -> bool {
        self.department_members.iter().any(|m| &m.user == user && &m.department == department)
    }

    /// Whether `ancestor` is a strict ancestor of `department`.
    fn is_strict_ancestor(&self, ancestor: &DepartmentId, department: &DepartmentId) -> bool {
        let parent_of = |d: &DepartmentId| self.departments.iter().find(|x| &x.id == d).and_then(|x| x.parent.clone());
        let mut current = parent_of(department);
        // The trees here are acyclic and shallow; the bound only keeps a bug from hanging the test.
        for _ in 0..64 {
            match current {
                Some(p) if &p == ancestor => return true,
                Some(p) => current = parent_of(&p),
                None => return false,
            }
        }
        false
    }

    /// §13.4: the user is a member of some strict descendant of `department`.
    fn is_descendant_member(&self, user: &UserId, department: &DepartmentId) -> bool {
        self.department_members.iter().any(|m| &m.user == user && self.is_strict_ancestor(department, &m.department))
    }

    /// §3 and §8 step 3, with §13.4–13.5: does this role reach the user at NOW?
    fn role_reaches(&self, role: &Role, user: &UserId) -> bool {
        let enabled = role.status == RoleStatus::Enable && role.disable_time.is_none_or(|t| NOW < t);
        enabled
            && self.assignments.iter().any(|a| {
                let in_window = a.enable_time.is_none_or(|t| t <= NOW) && a.end_time.is_none_or(|t| NOW < t);
                let assigned = match &a.assignee {
                    Assignee::User(u) => u == user,
                    Assignee::Department(d) => {
                        self.is_member(user, d) || (a.inherit_by_children && self.is_descendant_member(user, d))
                    }
                };
                a.role == role.id && in_window && assigned
            })
    }

    /// Does this grant of namespace N reach the user?
    fn grant_reaches(&self, grant: &Grant, namespace: &NamespaceId, user: &UserId) -> bool {
        &grant.namespace == namespace
            && match &grant.target {
                GrantTarget::User(u) => u == user,
                GrantTarget::Role(r) => self
                    .roles
                    .iter()
                    .any(|role| &role.id == r && &role.namespace == namespace && self.role_reaches(role, user)),
                GrantTarget::Group(g) => self.group_members.iter().any(|m| &m.group == g && &m.user == user),
                GrantTarget::Department(d) => {
                    self.is_member(user, d) || (grant.inherit_by_children && self.is_descendant_member(user, d))
                }
            }
    }

    /// §8 steps 4–5.
    fn is_action_allowed(&self, namespace: &NamespaceId, user: &UserId, action: &str, resource: &str) -> bool {
        let matching: Vec<&Grant> = self
            .grants
            .iter()
            .filter(|g| self.grant_reaches(g, namespace, user))
            .filter(|g| Self::covers(g.code.as_str(), resource) && Self::action_matches(&g.actions, action))
            .collect();
        matching.iter().any(|g| g.effect == Effect::Allow) && !matching.iter().any(|g| g.effect == Effect::Deny)
    }

    /// §11: per (code, effect), the union of actions and the types that contributed.
    fn effective(
        &self,
        namespace: &NamespaceId,
        user: &UserId,
    ) -> BTreeMap<(String, bool), (BTreeSet<String>, Vec<ResourceType>)> {
        let mut out: BTreeMap<(String, bool), (BTreeSet<String>, Vec<ResourceType>)> = BTreeMap::new();
        for g in self.grants.iter().filter(|g| self.grant_reaches(g, namespace, user)) {
            let entry = out.entry((g.code.to_string(), g.effect == Effect::Deny)).or_default();
            entry.0.extend(g.actions.iter().map(|a| a.to_string()));
            entry.1.push(g.resource_type);
        }
        out
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn engine_agrees_with_the_reference(spec in pool_spec()) {
        let records = records(&spec);
        let state = PoolState::from_records(records.clone());
        let reference = Reference::new(&records);
        for n in 0..NAMESPACES {
            let namespace = namespace_id(n);
            for u in 0..spec.users {
                let user = user_id(u);
                for resource in RESOURCES {
                    for action in CHECKED_ACTIONS {
                        prop_assert_eq!(
                            engine::is_action_allowed(&state, &namespace, &user, action, resource, NOW),
                            reference.is_action_allowed(&namespace, &user, action, resource),
                            "namespace {} user {} action {} resource {}", n, u, action, resource
                        );
                    }
                }

                let merged = engine::effective_grants(&state, &namespace, &user, NOW);
                let expected = reference.effective(&namespace, &user);
                let mut actual = BTreeMap::new();
                for entry in merged.iter() {
                    let names: Vec<String> = entry.actions.iter().map(|a| a.to_string()).collect();
                    let unique: BTreeSet<String> = names.iter().cloned().collect();
                    prop_assert_eq!(names.len(), unique.len(), "actions are listed once: {:?}", names);
                    let key = (entry.code.to_string(), entry.effect == Effect::Deny);
                    let contributors = &expected.get(&key).map(|e| e.1.clone()).unwrap_or_default();
                    prop_assert!(contributors.contains(&entry.resource_type), "type comes from a contributor");
                    prop_assert!(actual.insert(key, unique).is_none(), "one entry per (code, effect)");
                }
                let expected_actions: BTreeMap<_, _> = expected.into_iter().map(|(k, v)| (k, v.0)).collect();
                prop_assert_eq!(actual, expected_actions);
            }
        }
    }

    /// Every decision of a check is explained by the listing: allowed means some ALLOW entry
    /// covers it and no DENY entry does.
    #[test]
    fn checks_agree_with_the_users_effective_grants(spec in pool_spec()) {
        let state = PoolState::from_records(records(&spec));
        let namespace = namespace_id(0);
        for u in 0..spec.users {
            let user = user_id(u);
            let merged = engine::effective_grants(&state, &namespace, &user, NOW);
            for resource in RESOURCES {
                for action in CHECKED_ACTIONS {
                    let hits = |effect| merged.iter().any(|e| {
                        e.effect == effect
                            && engine::covers(e.code.as_str(), resource)
                            && engine::action_matches(&e.actions.iter().cloned().collect::<Vec<_>>(), action)
                    });
                    prop_assert_eq!(
                        engine::is_action_allowed(&state, &namespace, &user, action, resource, NOW),
                        hits(Effect::Allow) && !hits(Effect::Deny)
                    );
                }
            }
        }
    }
}

/// Indexes are maintained on delete, not just on build: removing the membership that carried
/// an inherited grant takes the permission away at once.
#[test]
fn deletions_are_seen_by_the_next_check() {
    let mut state = PoolState::default();
    let u = user_id(0);
    state.apply(Mutation::Put(Record::User(user(0))));
    state.apply(Mutation::Put(Record::Department(department(0, None))));
    state.apply(Mutation::Put(Record::Department(department(1, Some(0)))));
    state.apply(Mutation::Put(Record::DepartmentMember(DepartmentMembership {
        department: department_id(1),
        user: u.clone(),
        is_leader: false,
        is_main: false,
        joined_at: 0,
    })));
    let grant = Grant {
        namespace: namespace_id(0),
        target: GrantTarget::Department(department_id(0)),
        code: GrantCode::parse("books").unwrap(),
        resource_type: ResourceType::Data,
        actions: vec![Action::parse("read").unwrap()],
        effect: Effect::Allow,
        inherit_by_children: true,
        created_at: 0,
        updated_at: 0,
    };
    state.apply(Mutation::Put(Record::Grant(grant)));
    assert!(engine::is_action_allowed(&state, &namespace_id(0), &u, "read", "books:1", NOW));
    state.apply(Mutation::Delete(portcullis_core::RecordKey::DepartmentMember(department_id(1), u.clone())));
    assert!(!engine::is_action_allowed(&state, &namespace_id(0), &u, "read", "books:1", NOW));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The indexes do not depend on the order records arrive in (children before parents,
    /// grants before their targets), nor on records deleted and put back.
    #[test]
    fn any_order_of_puts_and_deletes_gives_the_same_answers(
        (spec, shuffled) in pool_spec().prop_flat_map(|spec| {
            let shuffled = Just(records(&spec)).prop_shuffle();
            (Just(spec), shuffled)
        }),
        reput in prop::collection::vec(any::<Index>(), 0..6),
    ) {
        let mut state = PoolState::default();
        for record in &shuffled {
            state.apply(Mutation::Put(record.clone()));
        }
        // Records may share a key (the last put wins), so the reference sees the same sequence.
        let mut sequence = shuffled.clone();
        for pick in reput.iter().filter(|_| !shuffled.is_empty()) {
            let record = &shuffled[pick.index(shuffled.len())];
            state.apply(Mutation::Delete(record.key()));
            state.apply(Mutation::Put(record.clone()));
            sequence.push(record.clone());
        }
        let reference = Reference::new(&sequence);
        let namespace = namespace_id(0);
        for u in 0..spec.users {
            let user = user_id(u);
            for resource in RESOURCES {
                for action in CHECKED_ACTIONS {
                    prop_assert_eq!(
                        engine::is_action_allowed(&state, &namespace, &user, action, resource, NOW),
                        reference.is_action_allowed(&namespace, &user, action, resource)
                    );
                }
            }
        }
    }
}
