//! The authorization engine: which grants reach a user, and whether they allow an action on a
//! resource (semantics.md §3–§8, §11, with the decisions of §13).
//!
//! Everything is computed from [`PoolState`]'s indexes on every call, so a write is visible to
//! the very next check; time-dependent rules (role `disableTime`, assignment windows) are
//! evaluated at the instant asked about.
//!
//! A check starts from the resource, not from the user: the grant index yields the few grants
//! whose code covers the resource (exact, class and wildcard buckets, see [`index`]), and each
//! is tested for the action and then for whether its target reaches the user. Both sides are
//! in interned form ([`symbols`], [`principals`]): the user's side is a [`Subject`] of borrowed
//! rows built with a handful of lookups, and each candidate is tested by integer comparisons,
//! so neither the user's number of grants nor the depth of the department tree changes the
//! cost, and nothing is allocated. Listings walk from the user instead, since they want every
//! reaching grant.

mod effective;
pub(crate) mod index;
mod prefetch;
pub(crate) mod principals;
pub(crate) mod symbols;

use crate::codes::Action;
use crate::ids::{DepartmentId, NamespaceId, UserId};
use crate::model::{Assignee, Effect, Grant, GrantTarget};
use crate::state::{Lineage, PoolState};
use effective::Merge;
pub use effective::{Actions, EffectiveGrant, EffectiveGrants};
use principals::{Assigned, Principal, Principals, UserLinks};
use smallvec::SmallVec;
use std::ops::ControlFlow::{self, Break, Continue};
use symbols::Sym;

/// Whether the grant code `grant` covers the requested resource `resource` (semantics §5.1):
/// equal; `*`; a trailing `*` makes the rest a prefix; a class code without `:` covers its
/// instances `class:…`. The requested resource is taken literally.
pub fn covers(grant: &str, resource: &str) -> bool {
    grant == resource
        || grant.strip_suffix('*').is_some_and(|prefix| resource.starts_with(prefix))
        || (!grant.contains(':') && resource.strip_prefix(grant).is_some_and(|rest| rest.starts_with(':')))
}

/// Whether a grant's `actions` include `action` (semantics §6): listed verbatim, `*`, or a
/// `prefix:*` pattern whose prefix starts the action. Names are otherwise opaque.
pub fn action_matches(actions: &[Action], action: &str) -> bool {
    actions.iter().map(Action::as_str).any(|granted| {
        granted == action
            || granted == "*"
            || granted.strip_suffix('*').is_some_and(|prefix| prefix.ends_with(':') && action.starts_with(prefix))
    })
}

/// How a department is related to the user: the user is a member of it, or of one of its
/// descendants. Only grants and role assignments made with `inheritByChildren` reach down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    Member,
    DescendantMember,
}

impl Reach {
    fn admits(self, inherit_by_children: bool) -> bool {
        self == Reach::Member || inherit_by_children
    }
}

/// One of the user's departments, with its ancestor chain (`None`: it has no record).
type DepartmentOf<'a> = (Sym, Option<&'a Lineage<Sym>>);

/// The user's side of a check, borrowed from the state's [`Principals`]: its symbol, its rows
/// (groups, departments, direct role assignments) and its departments' ancestor chains. Users
/// are in one or two departments, so those live inline; more only spill to the heap.
struct Subject<'a> {
    principals: &'a Principals,
    namespace: Sym,
    user: Sym,
    links: &'a UserLinks,
    departments: SmallVec<[DepartmentOf<'a>; 4]>,
    now_ms: i64,
}

impl<'a> Subject<'a> {
    /// `None` when the user or the namespace never took part in anything: no grant reaches.
    fn new(state: &'a PoolState, namespace: &NamespaceId, user: &UserId, now_ms: i64) -> Option<Self> {
        let principals = state.principals();
        let (user, links) = principals.user(user)?;
        // The row spans several cache lines, read at different times: load them all at once.
        prefetch::prefetch(links);
        let departments = links.departments.iter().map(|&d| (d, principals.department(d).lineage.as_ref())).collect();
        Some(Self { principals, namespace: principals.namespace(namespace)?, user, links, departments, now_ms })
    }

    /// How `department` relates to the user, if at all. One comparison per department of the
    /// user, plus one row read (the candidate's depth) when it is not one of them.
    fn reach(&self, department: Sym) -> Option<Reach> {
        if self.departments.iter().any(|(d, _)| *d == department) {
            return Some(Reach::Member);
        }
        let depth = self.principals.department(department).lineage.as_ref().map_or(0, |l| l.ancestors().len());
        let below = self.departments.iter().any(|(_, l)| l.is_some_and(|l| l.has_ancestor(&department, depth)));
        below.then_some(Reach::DescendantMember)
    }

    /// Whether a grant to `principal` (inherited by child departments or not) reaches the user
    /// (semantics §3, §13.4–5).
    fn is_reached_by(&self, principal: Principal, inherit_by_children: bool) -> bool {
        match principal {
            Principal::User(user) => user == self.user,
            Principal::Group(group) => self.links.groups.contains(&group),
            Principal::Department(department) => {
                self.reach(department).is_some_and(|reach| reach.admits(inherit_by_children))
            }
            Principal::Role(role) => self.has_role(role),
        }
    }

    /// Whether `role` is an active role of the namespace assigned, in its time window, to the
    /// user or to a department whose members it reaches.
    fn has_role(&self, role: Sym) -> bool {
        let links = self.principals.role(role);
        if links.namespace != Some(self.namespace) || !links.active.contains(self.now_ms) {
            return false;
        }
        let in_effect = |a: &&Assigned| a.role == role && a.window.contains(self.now_ms);
        self.links.roles.iter().any(|a| in_effect(&a))
            || links.departments.iter().any(|&department| {
                self.reach(department).is_some_and(|reach| {
                    let assigned = self.principals.department(department).roles.iter().find(in_effect);
                    assigned.is_some_and(|a| reach.admits(a.inherit_by_children))
                })
            })
    }
}

/// Visits the user's departments (each direct one, then its ancestors) with their [`Reach`].
/// An ancestor shared by several of the user's departments is visited once per path; repeats
/// change no answer (a listing merges by union).
fn for_each_department<'a, B>(
    state: &'a PoolState,
    user: &UserId,
    mut visit: impl FnMut(&'a DepartmentId, Reach) -> ControlFlow<B>,
) -> ControlFlow<B> {
    for department in state.departments_of_user(user) {
        visit(department, Reach::Member)?;
        for ancestor in state.lineage(department).map_or(&[][..], Lineage::ancestors) {
            visit(ancestor, Reach::DescendantMember)?;
        }
    }
    Continue(())
}

/// Visits the targets whose grants reach `user` in `namespace` at `now_ms` (semantics §3,
/// §13.4–5), in the contract's contribution order: the user, its roles (assigned to it, or to
/// its departments), its groups, its departments. Disabled roles and assignments outside their
/// time window contribute nothing.
fn for_each_target<B>(
    state: &PoolState,
    namespace: &NamespaceId,
    user: &UserId,
    now_ms: i64,
    mut visit: impl FnMut(&GrantTarget, Reach) -> ControlFlow<B>,
) -> ControlFlow<B> {
    visit(&GrantTarget::User(user.clone()), Reach::Member)?;
    let mut roles_of = |assignee: Assignee, reach: Reach| -> ControlFlow<B> {
        for role_id in state.roles_assigned_to(&assignee) {
            let role_counts = state.role(role_id).is_some_and(|r| &r.namespace == namespace && r.is_active(now_ms));
            let assignment_counts = state
                .role_assignment(role_id, &assignee)
                .is_some_and(|a| a.is_in_effect(now_ms) && reach.admits(a.inherit_by_children));
            if role_counts && assignment_counts {
                visit(&GrantTarget::Role(role_id.clone()), Reach::Member)?;
            }
        }
        Continue(())
    };
    roles_of(Assignee::User(user.clone()), Reach::Member)?;
    for_each_department(state, user, |department, reach| roles_of(Assignee::Department(department.clone()), reach))?;
    for group in state.groups_of_user(user) {
        visit(&GrantTarget::Group(group.clone()), Reach::Member)?;
    }
    for_each_department(state, user, |department, reach| visit(&GrantTarget::Department(department.clone()), reach))
}

/// The grants in `namespace` made to `target` that pass on to a user related to it by `reach`.
fn grants_reaching_through<'a: 'n, 'n>(
    state: &'a PoolState,
    namespace: &'n NamespaceId,
    target: &GrantTarget,
    reach: Reach,
) -> impl Iterator<Item = &'a Grant> + 'n {
    state.grants_of_target(target).filter(move |g| &g.namespace == namespace && reach.admits(g.inherit_by_children))
}

/// Whether `user` may perform `action` on `resource` in `namespace` (semantics §8): some
/// reaching grant covering both allows it and none denies it. DENY wins; no grant means no.
pub fn is_action_allowed(
    state: &PoolState,
    namespace: &NamespaceId,
    user: &UserId,
    action: &str,
    resource: &str,
    now_ms: i64,
) -> bool {
    // The buckets first: their slots load while the user's row is looked up.
    let covering = state.grants_covering(namespace, resource, action);
    let Some(subject) = Subject::new(state, namespace, user, now_ms) else { return false };
    let mut allowed = false;
    let denied = covering.try_for_each(|candidate| {
        if candidate.effect == Effect::Allow && allowed {
            return Continue(());
        }
        if subject.is_reached_by(candidate.principal, candidate.inherit_by_children) {
            match candidate.effect {
                Effect::Deny => return Break(()),
                Effect::Allow => allowed = true,
            }
        }
        Continue(())
    });
    allowed && denied.is_continue()
}

/// The order listings show a target's grants in: creation time, then code.
pub fn sort_oldest_first(grants: &mut [&Grant]) {
    grants.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.code.cmp(&b.code)));
}

/// The user's effective grants in `namespace` (semantics §11): every reaching grant, merged
/// per `(code, effect)`, in the order their first contributor was met (user, roles, groups,
/// departments; each target's grants oldest first, as the direct listings show them).
pub fn effective_grants<'a>(
    state: &'a PoolState,
    namespace: &NamespaceId,
    user: &UserId,
    now_ms: i64,
) -> EffectiveGrants<'a> {
    let mut merge = Merge::new();
    let mut grants: Vec<&Grant> = Vec::new();
    let _: ControlFlow<()> = for_each_target(state, namespace, user, now_ms, |target, reach| {
        grants.clear();
        grants.extend(grants_reaching_through(state, namespace, target, reach));
        sort_oldest_first(&mut grants);
        merge.add_target(&grants);
        Continue(())
    });
    merge.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{GroupId, OrganizationId, RoleId};
    use crate::model::{Department, DepartmentMembership, GroupMembership, Role, RoleAssignment, RoleStatus};
    use crate::mutation::Record;
    use crate::test_support::{department, grant, role, role_assignment, TestPool};

    fn actions(names: &[&str]) -> Vec<Action> {
        names.iter().map(|n| Action::parse(n).unwrap()).collect()
    }

    #[test]
    fn covers_follows_the_four_rules() {
        assert!(covers("books:123", "books:123"));
        assert!(covers("*", "anything:at:all"));
        assert!(covers("*", "*"));
        assert!(covers("books:*", "books:123"));
        assert!(covers("books:*", "books:a:b"));
        assert!(covers("books:*", "books:*"));
        assert!(covers("books:fic*", "books:fiction"));
        assert!(covers("books", "books:7"));
        assert!(covers("books", "books"));
        assert!(!covers("books", "booksellers"));
        assert!(!covers("books:1", "books:12"), "no prefix matching without a wildcard (S5)");
        assert!(!covers("books:123", "books:*"), "the request is literal");
        assert!(!covers("books:1", "books"), "an instance does not cover its class");
        assert!(!covers("Books", "books:1"), "case-sensitive");
        assert!(!covers("a:b", "a:b:c"), "only codes without a colon are classes");
    }

    #[test]
    fn actions_match_verbatim_star_and_prefix_star() {
        assert!(action_matches(&actions(&["books:read"]), "books:read"));
        assert!(!action_matches(&actions(&["books:read"]), "books:edit"));
        assert!(action_matches(&actions(&["*"]), "anything"));
        assert!(action_matches(&actions(&["books:*"]), "books:edit"));
        assert!(action_matches(&actions(&["books:*"]), "books:*"));
        assert!(!action_matches(&actions(&["books:*"]), "booksx:edit"));
        assert!(!action_matches(&actions(&["books:*"]), "books"));
        assert!(!action_matches(&actions(&["edit"]), "books:edit"), "names are opaque");
        assert!(!action_matches(&actions(&["read*"]), "readme"), "only `:*` is a pattern");
        assert!(!action_matches(&[], "read"));
    }

    /// The shared pool (every record goes through [`PoolState::apply`], as in production), plus
    /// the namespace grants are made in and checks ask about.
    struct Pool {
        pool: TestPool,
        namespace: NamespaceId,
        other_namespace: NamespaceId,
    }

    const NOW: i64 = 1_000_000;

    impl Pool {
        fn new() -> Self {
            Self {
                pool: TestPool::new(),
                namespace: NamespaceId::from_stored("ns"),
                other_namespace: NamespaceId::from_stored("ns2"),
            }
        }
        fn put(&mut self, record: Record) {
            self.pool.put(record);
        }
        fn user(&mut self, id: &str) -> UserId {
            self.pool.user_with_id(id)
        }
        fn role_in(
            &mut self,
            namespace: &NamespaceId,
            id: &str,
            status: RoleStatus,
            disable_time: Option<i64>,
        ) -> RoleId {
            let id = RoleId::from_stored(id);
            self.put(Record::Role(Role {
                name: String::new(),
                status,
                disable_time,
                ..role(id.clone(), namespace.clone(), id.as_str())
            }));
            id
        }
        fn role(&mut self, id: &str) -> RoleId {
            let namespace = self.namespace.clone();
            self.role_in(&namespace, id, RoleStatus::Enable, None)
        }
        fn assign(&mut self, role: &RoleId, assignee: Assignee, inherit: bool, window: (Option<i64>, Option<i64>)) {
            self.put(Record::RoleAssignment(RoleAssignment {
                inherit_by_children: inherit,
                enable_time: window.0,
                end_time: window.1,
                ..role_assignment(role.clone(), assignee)
            }));
        }
        fn department(&mut self, id: &str, parent: Option<&DepartmentId>) -> DepartmentId {
            let id = DepartmentId::from_stored(id);
            self.put(Record::Department(Department {
                parent: parent.cloned(),
                ..department(id.clone(), OrganizationId::from_stored("org"), id.as_str())
            }));
            id
        }
        fn join_department(&mut self, department: &DepartmentId, user: &UserId) {
            self.put(Record::DepartmentMember(DepartmentMembership {
                department: department.clone(),
                user: user.clone(),
                is_leader: false,
                is_main: false,
                joined_at: 0,
            }));
        }
        fn join_group(&mut self, group: &GroupId, user: &UserId) {
            self.put(Record::GroupMember(GroupMembership { group: group.clone(), user: user.clone(), joined_at: 0 }));
        }
        fn grant_full(&mut self, target: GrantTarget, code: &str, names: &[&str], effect: Effect, inherit: bool) {
            self.put(Record::Grant(Grant {
                actions: actions(names),
                effect,
                inherit_by_children: inherit,
                ..grant(self.namespace.clone(), target, code)
            }));
        }
        fn grant(&mut self, target: GrantTarget, code: &str, names: &[&str]) {
            self.grant_full(target, code, names, Effect::Allow, false);
        }
        fn allowed(&self, user: &UserId, action: &str, resource: &str) -> bool {
            is_action_allowed(&self.pool.state, &self.namespace, user, action, resource, NOW)
        }
    }

    #[test]
    fn own_grants_decide_and_default_is_deny() {
        let mut p = Pool::new();
        let u = p.user("u");
        assert!(!p.allowed(&u, "read", "books:1"));
        p.grant(GrantTarget::User(u.clone()), "books", &["read"]);
        assert!(p.allowed(&u, "read", "books:7"));
        assert!(!p.allowed(&u, "write", "books:7"));
        assert!(!p.allowed(&u, "read", "pens:7"));
    }

    #[test]
    fn deny_wins_over_allow_from_any_path() {
        let mut p = Pool::new();
        let u = p.user("u");
        let g = GroupId::from_stored("g");
        p.join_group(&g, &u);
        p.grant(GrantTarget::User(u.clone()), "books:123", &["books:read"]);
        p.grant_full(GrantTarget::Group(g), "books:*", &["books:read"], Effect::Deny, false);
        assert!(!p.allowed(&u, "books:read", "books:123"));
        assert!(!p.allowed(&u, "books:edit", "books:123"), "DENY alone does not allow");
    }

    #[test]
    fn grants_of_other_namespaces_do_not_count() {
        let mut p = Pool::new();
        let u = p.user("u");
        let other = p.other_namespace.clone();
        let r = p.role_in(&other, "r", RoleStatus::Enable, None);
        p.assign(&r, Assignee::User(u.clone()), false, (None, None));
        p.namespace = other;
        p.grant(GrantTarget::Role(r), "*", &["*"]);
        assert!(p.allowed(&u, "x", "y"));
        p.namespace = NamespaceId::from_stored("ns");
        assert!(!p.allowed(&u, "x", "y"));
    }

    #[test]
    fn roles_count_only_while_enabled_and_assigned_in_window() {
        let mut p = Pool::new();
        let u = p.user("u");
        let enabled = p.role("enabled");
        let ns = p.namespace.clone();
        let disabled = p.role_in(&ns, "disabled", RoleStatus::Disable, None);
        let expired = p.role_in(&ns, "expired", RoleStatus::Enable, Some(NOW));
        let future = p.role_in(&ns, "future", RoleStatus::Enable, Some(NOW + 1));
        for (role, code) in [(&enabled, "a"), (&disabled, "b"), (&expired, "c"), (&future, "d")] {
            p.assign(role, Assignee::User(u.clone()), false, (None, None));
            p.grant(GrantTarget::Role(role.clone()), code, &["read"]);
        }
        assert!(p.allowed(&u, "read", "a"));
        assert!(!p.allowed(&u, "read", "b"), "status DISABLE");
        assert!(!p.allowed(&u, "read", "c"), "disableTime reached");
        assert!(p.allowed(&u, "read", "d"), "disableTime still ahead");

        let windowed = p.role("windowed");
        p.grant(GrantTarget::Role(windowed.clone()), "w", &["read"]);
        for (window, expected) in [
            ((Some(NOW), Some(NOW + 1)), true),
            ((Some(NOW + 1), None), false),
            ((None, Some(NOW)), false),
            ((None, Some(NOW + 1)), true),
        ] {
            p.assign(&windowed, Assignee::User(u.clone()), false, window);
            assert_eq!(p.allowed(&u, "read", "w"), expected, "{window:?}");
        }
    }

    #[test]
    fn departments_reach_direct_members_and_descendants_only_when_inherited() {
        let mut p = Pool::new();
        let u = p.user("u");
        let top = p.department("top", None);
        let mid = p.department("mid", Some(&top));
        let leaf = p.department("leaf", Some(&mid));
        p.join_department(&leaf, &u);
        p.grant(GrantTarget::Department(top.clone()), "plain", &["read"]);
        p.grant_full(GrantTarget::Department(top.clone()), "inherited", &["read"], Effect::Allow, true);
        p.grant(GrantTarget::Department(leaf.clone()), "own", &["read"]);
        assert!(!p.allowed(&u, "read", "plain"), "S9: no downward inheritance by default");
        assert!(p.allowed(&u, "read", "inherited"));
        assert!(p.allowed(&u, "read", "own"));

        let plain_role = p.role("plain_role");
        let inherited_role = p.role("inherited_role");
        p.assign(&plain_role, Assignee::Department(mid.clone()), false, (None, None));
        p.assign(&inherited_role, Assignee::Department(mid.clone()), true, (None, None));
        p.grant(GrantTarget::Role(plain_role), "via_plain_role", &["read"]);
        p.grant(GrantTarget::Role(inherited_role), "via_inherited_role", &["read"]);
        assert!(!p.allowed(&u, "read", "via_plain_role"));
        assert!(p.allowed(&u, "read", "via_inherited_role"));

        // A direct member of `mid` gets its plain role (S10).
        let v = p.user("v");
        p.join_department(&mid, &v);
        assert!(p.allowed(&v, "read", "via_plain_role"));
    }

    #[test]
    fn a_department_chain_of_depth_32_is_walked() {
        let mut p = Pool::new();
        let u = p.user("u");
        let mut parent = p.department("d0", None);
        let top = parent.clone();
        for depth in 1..32 {
            parent = p.department(&format!("d{depth}"), Some(&parent));
        }
        p.join_department(&parent, &u);
        p.grant_full(GrantTarget::Department(top.clone()), "deep", &["read"], Effect::Allow, true);
        assert!(p.allowed(&u, "read", "deep"));
        p.grant_full(GrantTarget::Department(top), "deep", &["read"], Effect::Allow, false);
        assert!(!p.allowed(&u, "read", "deep"));
    }

    #[test]
    fn a_parent_cycle_in_corrupt_data_does_not_hang() {
        let mut p = Pool::new();
        let u = p.user("u");
        let a = DepartmentId::from_stored("a");
        let b = p.department("b", Some(&a));
        p.department("a", Some(&b));
        p.join_department(&a, &u);
        assert!(!p.allowed(&u, "read", "x"));
    }

    #[test]
    fn effective_grants_merge_per_code_and_effect_in_contribution_order() {
        let mut p = Pool::new();
        let u = p.user("u");
        let r = p.role("r");
        let g = GroupId::from_stored("g");
        let d = p.department("d", None);
        p.assign(&r, Assignee::User(u.clone()), false, (None, None));
        p.join_group(&g, &u);
        p.join_department(&d, &u);
        p.grant(GrantTarget::Department(d), "books", &["read", "list"]);
        p.grant(GrantTarget::Group(g), "pens", &["write"]);
        p.grant(GrantTarget::Role(r), "books", &["write", "read"]);
        p.grant(GrantTarget::User(u.clone()), "books", &["read"]);
        p.grant_full(GrantTarget::User(u.clone()), "books:1", &["read"], Effect::Allow, false);
        p.namespace = p.other_namespace.clone();
        p.grant(GrantTarget::User(u.clone()), "elsewhere", &["read"]);
        p.namespace = NamespaceId::from_stored("ns");

        let merged = effective_grants(&p.pool.state, &p.namespace, &u, NOW);
        let summary: Vec<(&str, Vec<&str>)> =
            merged.iter().map(|e| (e.code.as_str(), e.actions.iter().map(Action::as_str).collect())).collect();
        assert_eq!(
            summary,
            vec![("books", vec!["read", "write", "list"]), ("books:1", vec!["read"]), ("pens", vec!["write"])]
        );
    }

    #[test]
    fn actions_added_by_later_contributors_follow_the_first_ones_once_each() {
        let mut p = Pool::new();
        let u = p.user("u");
        let (g1, g2) = (GroupId::from_stored("g1"), GroupId::from_stored("g2"));
        p.join_group(&g1, &u);
        p.join_group(&g2, &u);
        // A repeat within the first contributor's list is shown once, like one in a later one.
        p.grant(GrantTarget::User(u.clone()), "a", &["read", "read", "list"]);
        p.grant(GrantTarget::User(u.clone()), "b", &["read"]);
        // Additions to `a` and `b` interleave.
        p.grant(GrantTarget::Group(g1.clone()), "a", &["write", "read"]);
        p.grant(GrantTarget::Group(g1), "b", &["write"]);
        p.grant(GrantTarget::Group(g2.clone()), "a", &["delete", "write", "delete"]);
        p.grant(GrantTarget::Group(g2), "b", &["list"]);

        let merged = effective_grants(&p.pool.state, &p.namespace, &u, NOW);
        let summary: Vec<(&str, Vec<&str>)> =
            merged.iter().map(|e| (e.code.as_str(), e.actions.iter().map(Action::as_str).collect())).collect();
        assert_eq!(summary, vec![("a", vec!["read", "list", "write", "delete"]), ("b", vec!["read", "write", "list"])]);
    }

    #[test]
    fn deny_entries_stay_separate_from_allow_entries() {
        let mut p = Pool::new();
        let u = p.user("u");
        p.grant(GrantTarget::User(u.clone()), "books", &["read"]);
        let g = GroupId::from_stored("g");
        p.join_group(&g, &u);
        p.grant_full(GrantTarget::Group(g), "books", &["read"], Effect::Deny, false);
        let merged = effective_grants(&p.pool.state, &p.namespace, &u, NOW);
        let effects: Vec<Effect> = merged.iter().map(|e| e.effect).collect();
        assert_eq!(effects, vec![Effect::Allow, Effect::Deny]);
    }
}
