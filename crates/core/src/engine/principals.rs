//! The principals' side of a check in compact form: users, roles, groups and departments by
//! [`Sym`], with what a check asks of them — a user's groups, departments and directly assigned
//! roles (with their windows), a role's namespace, activity and department assignees, a
//! department's ancestor chain and role assignments. Owned by [`PoolState`] and changed only by
//! its `apply`, next to the string-keyed indexes that listings and write planning read.
//!
//! The tables are dense vectors indexed by symbol, so a check reads a few small records that
//! stay in cache across checks, and compares integers (profiles: string comparisons of ids and
//! the cache misses behind them were most of a check). Time windows are kept, not evaluated:
//! they are tested at the instant each check asks about.
//!
//! [`PoolState`]: crate::state::PoolState

use crate::engine::symbols::{Interner, Sym};
use crate::ids::{DepartmentId, GroupId, NamespaceId, RoleId, UserId};
use crate::model::{Assignee, GrantTarget, Role, RoleAssignment, Window};
use crate::state::Lineage;
use smallvec::SmallVec;

/// A grant target by symbol: what the grant index files grants under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Principal {
    User(Sym),
    Role(Sym),
    Group(Sym),
    Department(Sym),
}

/// A [`Window`] as the first and last instants it contains: 16 bytes where `Window`'s two
/// optional bounds take 32, so a user's row (three role assignments inline) and the role and
/// department tables take fewer cache lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    first: i64,
    last: i64,
}

impl Span {
    /// Contains no instant.
    pub(crate) const NEVER: Span = Span { first: i64::MAX, last: i64::MIN };

    pub(crate) fn contains(self, now_ms: i64) -> bool {
        self.first <= now_ms && now_ms <= self.last
    }
}

/// A role's row exists before its record (a grant or assignment may name it first): it is
/// inactive until the record comes.
impl Default for Span {
    fn default() -> Self {
        Span::NEVER
    }
}

impl From<Window> for Span {
    /// An open bound becomes the extreme instant; `until` is exclusive, so the last instant is
    /// one before it (an `until` of `i64::MIN` contains nothing).
    fn from(window: Window) -> Self {
        let first = window.from.unwrap_or(i64::MIN);
        match window.until.map(|until| until.checked_sub(1)) {
            None => Span { first, last: i64::MAX },
            Some(Some(last)) => Span { first, last },
            Some(None) => Span::NEVER,
        }
    }
}

/// A role assignment as a check tests it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Assigned {
    pub(crate) role: Sym,
    pub(crate) window: Span,
    pub(crate) inherit_by_children: bool,
}

/// Users are in about three groups, one or two departments and three roles: those stay inline,
/// so a check reads the user's side from one row of the table (a few adjacent cache lines).
#[derive(Default, Debug, Clone)]
pub(crate) struct UserLinks {
    pub(crate) groups: SmallVec<[Sym; 4]>,
    pub(crate) departments: SmallVec<[Sym; 2]>,
    pub(crate) roles: SmallVec<[Assigned; 3]>,
}

#[derive(Default, Debug, Clone)]
pub(crate) struct RoleLinks {
    /// `None` while the role has no record.
    pub(crate) namespace: Option<Sym>,
    /// When the role counts ([`Role::active_window`]); [`Span::NEVER`] when disabled or absent.
    pub(crate) active: Span,
    /// The departments the role is assigned to.
    pub(crate) departments: SmallVec<[Sym; 2]>,
}

#[derive(Default, Debug, Clone)]
pub(crate) struct DepartmentLinks {
    /// `None` while the department has no record.
    pub(crate) lineage: Option<Lineage<Sym>>,
    pub(crate) roles: SmallVec<[Assigned; 1]>,
}

#[derive(Default, Debug, Clone)]
pub(crate) struct Principals {
    namespaces: Interner<NamespaceId>,
    /// Users with their links: a check reaches both with one look-up by the user's id.
    users: Interner<UserId, UserLinks>,
    roles: Interner<RoleId>,
    groups: Interner<GroupId>,
    departments: Interner<DepartmentId>,
    /// By symbol, since grant slots and links name roles and departments by symbol.
    role_links: Vec<RoleLinks>,
    department_links: Vec<DepartmentLinks>,
}

/// Interns `name` and makes sure its table has a row for it.
fn intern_with_row<T, L>(interner: &mut Interner<T>, rows: &mut Vec<L>, name: &mut T) -> Sym
where
    T: Clone + std::borrow::Borrow<str>,
    L: Default,
{
    let sym = interner.intern(name);
    if rows.len() < interner.len() {
        rows.resize_with(interner.len(), L::default);
    }
    sym
}

/// Adds `assigned` to `list`, replacing the assignment of the same role.
fn upsert<A: smallvec::Array<Item = Assigned>>(list: &mut SmallVec<A>, assigned: Assigned) {
    match list.iter_mut().find(|a| a.role == assigned.role) {
        Some(existing) => *existing = assigned,
        None => list.push(assigned),
    }
}

/// Adds `sym` to the set `list` (a small vector, unordered).
fn add_sym<A: smallvec::Array<Item = Sym>>(list: &mut SmallVec<A>, sym: Sym) {
    if !list.contains(&sym) {
        list.push(sym);
    }
}

fn remove_sym<A: smallvec::Array<Item = Sym>>(list: &mut SmallVec<A>, sym: Sym) {
    list.retain(|s| *s != sym);
}

impl Principals {
    // ---- apply's side: every method interns (sharing the strings) and updates the rows ----

    pub(crate) fn intern_namespace(&mut self, namespace: &mut NamespaceId) -> Sym {
        self.namespaces.intern(namespace)
    }

    pub(crate) fn intern_user(&mut self, user: &mut UserId) -> Sym {
        self.users.intern(user)
    }

    fn intern_role(&mut self, role: &mut RoleId) -> Sym {
        intern_with_row(&mut self.roles, &mut self.role_links, role)
    }

    fn intern_group(&mut self, group: &mut GroupId) -> Sym {
        self.groups.intern(group)
    }

    fn intern_department(&mut self, department: &mut DepartmentId) -> Sym {
        intern_with_row(&mut self.departments, &mut self.department_links, department)
    }

    pub(crate) fn intern_target(&mut self, target: &mut GrantTarget) -> Principal {
        match target {
            GrantTarget::User(id) => Principal::User(self.intern_user(id)),
            GrantTarget::Role(id) => Principal::Role(self.intern_role(id)),
            GrantTarget::Group(id) => Principal::Group(self.intern_group(id)),
            GrantTarget::Department(id) => Principal::Department(self.intern_department(id)),
        }
    }

    pub(crate) fn put_role(&mut self, role: &mut Role) {
        let namespace = self.intern_namespace(&mut role.namespace);
        let sym = self.intern_role(&mut role.id);
        let links = &mut self.role_links[sym as usize];
        links.namespace = Some(namespace);
        links.active = role.active_window().map_or(Span::NEVER, Span::from);
    }

    pub(crate) fn delete_role(&mut self, role: &RoleId) {
        if let Some(sym) = self.roles.get(role.as_str()) {
            let links = &mut self.role_links[sym as usize];
            links.namespace = None;
            links.active = Span::NEVER;
        }
    }

    pub(crate) fn join_group(&mut self, group: &mut GroupId, user: &mut UserId) {
        let group = self.intern_group(group);
        add_sym(&mut self.users.intern_row(user).1.groups, group);
    }

    pub(crate) fn leave_group(&mut self, group: &GroupId, user: &UserId) {
        if let (Some(group), Some(links)) = (self.groups.get(group.as_str()), self.users.row_mut(user.as_str())) {
            remove_sym(&mut links.groups, group);
        }
    }

    pub(crate) fn join_department(&mut self, department: &mut DepartmentId, user: &mut UserId) {
        let department = self.intern_department(department);
        add_sym(&mut self.users.intern_row(user).1.departments, department);
    }

    pub(crate) fn leave_department(&mut self, department: &DepartmentId, user: &UserId) {
        let department = self.departments.get(department.as_str());
        if let (Some(department), Some(links)) = (department, self.users.row_mut(user.as_str())) {
            remove_sym(&mut links.departments, department);
        }
    }

    pub(crate) fn assign(&mut self, assignment: &mut RoleAssignment) {
        let role = self.intern_role(&mut assignment.role);
        let assigned =
            Assigned { role, window: assignment.window().into(), inherit_by_children: assignment.inherit_by_children };
        match &mut assignment.assignee {
            Assignee::User(user) => {
                upsert(&mut self.users.intern_row(user).1.roles, assigned);
            }
            Assignee::Department(department) => {
                let department = self.intern_department(department);
                upsert(&mut self.department_links[department as usize].roles, assigned);
                add_sym(&mut self.role_links[role as usize].departments, department);
            }
        }
    }

    pub(crate) fn unassign(&mut self, role: &RoleId, assignee: &Assignee) {
        let Some(role) = self.roles.get(role.as_str()) else { return };
        match assignee {
            Assignee::User(user) => {
                if let Some(links) = self.users.row_mut(user.as_str()) {
                    links.roles.retain(|a| a.role != role);
                }
            }
            Assignee::Department(department) => {
                if let Some(department) = self.departments.get(department.as_str()) {
                    self.department_links[department as usize].roles.retain(|a| a.role != role);
                    remove_sym(&mut self.role_links[role as usize].departments, department);
                }
            }
        }
    }

    /// Records `department`'s ancestor chain (`None`: it has no record).
    pub(crate) fn set_lineage(&mut self, department: &DepartmentId, lineage: Option<&Lineage>) {
        let lineage = lineage.map(|lineage| lineage.map(|ancestor| self.intern_department(&mut ancestor.clone())));
        let sym = self.intern_department(&mut department.clone());
        self.department_links[sym as usize].lineage = lineage;
    }

    // ---- the check's side: look-ups by borrowed strings, then rows by symbol ----------------

    pub(crate) fn namespace(&self, namespace: &NamespaceId) -> Option<Sym> {
        self.namespaces.get(namespace.as_str())
    }

    pub(crate) fn user(&self, user: &UserId) -> Option<(Sym, &UserLinks)> {
        self.users.row(user.as_str())
    }

    /// The principal of `target`, if it takes part in anything (was ever interned).
    pub(crate) fn target(&self, target: &GrantTarget) -> Option<Principal> {
        Some(match target {
            GrantTarget::User(id) => Principal::User(self.users.get(id.as_str())?),
            GrantTarget::Role(id) => Principal::Role(self.roles.get(id.as_str())?),
            GrantTarget::Group(id) => Principal::Group(self.groups.get(id.as_str())?),
            GrantTarget::Department(id) => Principal::Department(self.departments.get(id.as_str())?),
        })
    }

    /// The groups `user` is a member of, unordered: the state's listings read them from here
    /// rather than keep a second copy by id.
    pub(crate) fn groups_of_user(&self, user: &UserId) -> impl Iterator<Item = &GroupId> {
        let groups = self.user(user).map_or(&[][..], |(_, links)| &links.groups[..]);
        groups.iter().map(|&group| self.groups.name(group))
    }

    /// The departments `user` is a direct member of, unordered (see [`Self::groups_of_user`]).
    pub(crate) fn departments_of_user(&self, user: &UserId) -> impl Iterator<Item = &DepartmentId> {
        let departments = self.user(user).map_or(&[][..], |(_, links)| &links.departments[..]);
        departments.iter().map(|&department| self.departments.name(department))
    }

    pub(crate) fn role(&self, role: Sym) -> &RoleLinks {
        &self.role_links[role as usize]
    }

    pub(crate) fn department(&self, department: Sym) -> &DepartmentLinks {
        &self.department_links[department as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span contains exactly the instants its window does, open and extreme bounds included.
    #[test]
    fn spans_contain_what_their_windows_contain() {
        let instants = [i64::MIN, i64::MIN + 1, -1, 0, 1, 999, 1_000, 1_001, i64::MAX - 1, i64::MAX];
        let bounds = std::iter::once(None).chain(instants.iter().copied().map(Some));
        for from in bounds.clone() {
            for until in bounds.clone() {
                let window = Window { from, until };
                for now in instants {
                    assert_eq!(Span::from(window).contains(now), window.contains(now), "{window:?} at {now}");
                }
            }
        }
        assert!(instants.iter().all(|&now| !Span::NEVER.contains(now)));
    }
}
