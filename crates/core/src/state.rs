//! One user pool held in memory: every record plus the indexes that reads and checks need.
//! [`PoolState::apply`] is the only way it changes; it keeps every index consistent with the
//! records, whatever order puts and deletes arrive in.

use crate::codes::{GrantCode, GroupCode, NamespaceCode, OrganizationCode, ResourceCode, RoleCode};
use crate::engine::index::{inline_key, Covering, GrantIndex, HashMap, InlineKey};
use crate::engine::principals::Principals;
use crate::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, ResourceId, RoleId, UserId};
use crate::model::{
    Assignee, Department, DepartmentMembership, Grant, GrantTarget, Group, GroupMembership, Namespace, Organization,
    Resource, Role, RoleAssignment, User,
};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::vec_map::VecMap;
use smallvec::SmallVec;
use std::collections::{BTreeMap, BTreeSet, HashSet};

#[derive(Default, Debug, Clone)]
pub struct PoolState {
    namespaces: HashMap<NamespaceId, Namespace>,
    namespace_by_code: HashMap<NamespaceCode, NamespaceId>,
    /// Resources filed by namespace and code, so that the look-up listings make per grant (the
    /// definition a grant code names) is two probes with borrowed keys (see [`FiledResource`]).
    resources: HashMap<NamespaceId, HashMap<InlineKey, FiledResource>>,
    resource_codes: HashMap<ResourceId, (NamespaceId, ResourceCode)>,
    roles: HashMap<RoleId, Role>,
    role_by_code: HashMap<(NamespaceId, RoleCode), RoleId>,
    /// Boxed: a `User` is ~280 bytes, mostly optional profile fields, and a hash table keeps
    /// up to twice as many slots as entries (a million users take 2^21 slots), so unboxed the
    /// empty slots alone cost as much as the users.
    users: HashMap<UserId, Box<User>>,
    user_by_username: HashMap<String, UserId>,
    user_by_email: HashMap<String, UserId>,
    user_by_phone: HashMap<String, UserId>,
    user_by_external_id: HashMap<String, UserId>,
    groups: HashMap<GroupId, Group>,
    group_by_code: HashMap<GroupCode, GroupId>,
    /// Each group's members with the time they joined, by user id. Per group and without the
    /// ids repeated in a record: a B-tree of whole records keyed by both ids took ~150 bytes a
    /// membership. A user's groups are read from [`Principals`].
    group_members: HashMap<GroupId, BTreeMap<UserId, i64>>,
    organizations: HashMap<OrganizationId, Organization>,
    organization_by_code: HashMap<OrganizationCode, OrganizationId>,
    departments: HashMap<DepartmentId, Department>,
    children_of_department: HashMap<DepartmentId, BTreeSet<DepartmentId>>,
    /// Every department's ancestors, kept current on every department put or delete, so that a
    /// check never walks a tree (see [`Lineage`]).
    lineages: HashMap<DepartmentId, Lineage>,
    /// Each department's direct members, by user id, as `group_members`; a user's departments
    /// are read from [`Principals`].
    department_members: HashMap<DepartmentId, BTreeMap<UserId, MembershipTerms>>,
    /// Role assignments, filed by their assignee, for listings and write planning (checks read
    /// the same assignments in symbol form from [`Principals`]).
    roles_of_user: HashMap<UserId, VecMap<RoleId, AssignmentTerms>>,
    roles_of_department: HashMap<DepartmentId, VecMap<RoleId, AssignmentTerms>>,
    users_of_role: HashMap<RoleId, BTreeSet<UserId>>,
    departments_of_role: HashMap<RoleId, BTreeSet<DepartmentId>>,
    grants: GrantIndex,
    /// The principals and their links in interned form, for checks (see [`Principals`]).
    principals: Principals,
}

/// A department's ancestors, nearest first: the chain of parent ids as far as department
/// records exist (the last one may name a department without a record).
///
/// Precomputed because checks ask "is department D above the user's department X?" for every
/// candidate grant to a department: with both chains at hand, D is a strict ancestor of X iff
/// it sits at the position of X's chain that leaves exactly D's own chain above it, so the
/// answer costs one comparison whatever the depth (the contract tests trees 32 deep).
///
/// Generic over how a department is named: the state keeps ids, the engine's
/// [`Principals`](crate::engine::principals) keep the same chains as symbols.
#[derive(Debug, Clone)]
pub struct Lineage<T = DepartmentId> {
    ancestors: Box<[T]>,
    /// The chain runs into a parent cycle (corrupt data: moves into one's own subtree are
    /// refused). It then stops at the first repeat and positions mean nothing, so
    /// [`Lineage::has_ancestor`] falls back to a scan.
    cyclic: bool,
}

impl<T: PartialEq> Lineage<T> {
    pub fn ancestors(&self) -> &[T] {
        &self.ancestors
    }

    /// Whether `candidate`, whose own lineage has `candidate_depth` ancestors, is one of these.
    pub fn has_ancestor(&self, candidate: &T, candidate_depth: usize) -> bool {
        let at_depth = self.ancestors.len().checked_sub(candidate_depth + 1).map(|i| &self.ancestors[i]);
        at_depth == Some(candidate) || (self.cyclic && self.ancestors.contains(candidate))
    }

    /// The same chain with every department renamed by `rename`.
    pub(crate) fn map<U>(&self, rename: impl FnMut(&T) -> U) -> Lineage<U> {
        Lineage { ancestors: self.ancestors.iter().map(rename).collect(), cyclic: self.cyclic }
    }
}

/// A resource as filed under its namespace and code. A listing of 10k grants probes this table
/// once or twice per entry: boxed records and codes inline keep its slots small and the probe
/// within them (with 200-byte records inline, each probe was a cache miss and a quarter of the
/// listing's time), and `described` answers most probes without following the box.
#[derive(Debug, Clone)]
struct FiledResource {
    resource: Box<Resource>,
    /// The resource has a description or an API identifier, text a listing shows.
    described: bool,
}

/// What a listing shows of a resource definition (semantics §10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DefinitionText<'a> {
    pub description: Option<&'a str>,
    pub api_identifier: Option<&'a str>,
}

/// The resource definitions of one namespace ([`PoolState::definitions`]).
#[derive(Clone, Copy)]
pub struct Definitions<'a>(Option<&'a HashMap<InlineKey, FiledResource>>);

impl<'a> Definitions<'a> {
    /// The text a listing shows of the resource with `code`, if one is defined.
    pub fn text(self, code: &str) -> Option<DefinitionText<'a>> {
        self.0?.get(code.as_bytes()).map(FiledResource::text)
    }
}

impl FiledResource {
    fn new(resource: Resource) -> Self {
        let described = resource.description.is_some() || resource.api_identifier.is_some();
        Self { resource: Box::new(resource), described }
    }

    fn text(&self) -> DefinitionText<'_> {
        if !self.described {
            return DefinitionText::default();
        }
        let resource = &*self.resource;
        DefinitionText {
            description: resource.description.as_deref(),
            api_identifier: resource.api_identifier.as_deref(),
        }
    }
}

/// A department membership as filed under its department and user: the rest of the record.
#[derive(Debug, Clone, Copy)]
struct MembershipTerms {
    is_leader: bool,
    is_main: bool,
    joined_at: i64,
}

impl MembershipTerms {
    fn record(self, department: &DepartmentId, user: &UserId) -> DepartmentMembership {
        let Self { is_leader, is_main, joined_at } = self;
        DepartmentMembership { department: department.clone(), user: user.clone(), is_leader, is_main, joined_at }
    }
}

/// A role assignment as filed under its assignee and role: the rest of the record (the two ids
/// held again in each assignment were a third of the map's bytes).
#[derive(Debug, Clone, Copy)]
struct AssignmentTerms {
    inherit_by_children: bool,
    enable_time: Option<i64>,
    end_time: Option<i64>,
    created_at: i64,
}

impl AssignmentTerms {
    fn of(assignment: &RoleAssignment) -> Self {
        let RoleAssignment { inherit_by_children, enable_time, end_time, created_at, .. } = *assignment;
        Self { inherit_by_children, enable_time, end_time, created_at }
    }

    fn record(self, role: &RoleId, assignee: Assignee) -> RoleAssignment {
        let Self { inherit_by_children, enable_time, end_time, created_at } = self;
        RoleAssignment { role: role.clone(), assignee, inherit_by_children, enable_time, end_time, created_at }
    }
}

/// A collection of an index entry: a set, or a map keyed by what the entry relates to.
trait IndexEntry<V> {
    fn remove_value(&mut self, value: &V) -> bool;
    fn is_empty(&self) -> bool;
}

impl<V: Ord> IndexEntry<V> for BTreeSet<V> {
    fn remove_value(&mut self, value: &V) -> bool {
        self.remove(value)
    }
    fn is_empty(&self) -> bool {
        BTreeSet::is_empty(self)
    }
}

impl<V: Ord, T> IndexEntry<V> for BTreeMap<V, T> {
    fn remove_value(&mut self, value: &V) -> bool {
        self.remove(value).is_some()
    }
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}

impl<V: Ord, T> IndexEntry<V> for VecMap<V, T> {
    fn remove_value(&mut self, value: &V) -> bool {
        self.remove(value).is_some()
    }
    fn is_empty(&self) -> bool {
        VecMap::is_empty(self)
    }
}

/// Removes `value` from the entry of `key`, and the entry once it is empty. Whether it was there.
fn index_remove<K: std::hash::Hash + Eq, V, E: IndexEntry<V>>(index: &mut HashMap<K, E>, key: &K, value: &V) -> bool {
    let Some(entry) = index.get_mut(key) else { return false };
    let removed = entry.remove_value(value);
    if entry.is_empty() {
        index.remove(key);
    }
    removed
}

/// A user's few groups or departments in id order, as listings give them.
fn sorted<'a, T: Ord + 'a>(items: impl Iterator<Item = &'a T>) -> impl Iterator<Item = &'a T> {
    let mut items: SmallVec<[&T; 4]> = items.collect();
    items.sort_unstable();
    items.into_iter()
}

fn unique_remove(index: &mut HashMap<String, UserId>, value: &Option<String>, id: &UserId) {
    if let Some(v) = value {
        if index.get(v) == Some(id) {
            index.remove(v);
        }
    }
}

fn unique_insert(index: &mut HashMap<String, UserId>, value: &Option<String>, id: &UserId) {
    if let Some(v) = value {
        index.insert(v.clone(), id.clone());
    }
}

impl PoolState {
    /// Builds a state from records, of which a later one replaces an earlier one of its key.
    pub fn from_records(records: impl IntoIterator<Item = Record>) -> Self {
        let mut state = Self::default();
        for record in records {
            state.put(record);
        }
        state
    }

    /// Adds records of a pool being loaded from the store, where every key is stored once: none
    /// of them replaces a record already here, so nothing is looked for to remove first.
    pub fn insert_loaded(&mut self, records: Vec<Record>) {
        for record in records {
            self.insert(record);
        }
    }

    pub fn apply_all<'a>(&mut self, mutations: impl IntoIterator<Item = &'a Mutation>) {
        for mutation in mutations {
            self.apply(mutation.clone());
        }
    }

    pub fn apply(&mut self, mutation: Mutation) {
        match mutation {
            Mutation::Put(record) => self.put(record),
            Mutation::Delete(key) => self.delete(&key),
        }
    }

    fn put(&mut self, record: Record) {
        self.delete(&record.key());
        self.insert(record);
    }

    /// Adds a record whose key is not in the state.
    fn insert(&mut self, record: Record) {
        match record {
            Record::Namespace(r) => {
                self.namespace_by_code.insert(r.code.clone(), r.id.clone());
                self.namespaces.insert(r.id.clone(), r);
            }
            Record::Resource(r) => {
                self.resource_codes.insert(r.id.clone(), (r.namespace.clone(), r.code.clone()));
                let code = inline_key(r.code.as_str());
                self.resources.entry(r.namespace.clone()).or_default().insert(code, FiledResource::new(r));
            }
            Record::Role(mut r) => {
                self.principals.put_role(&mut r);
                self.role_by_code.insert((r.namespace.clone(), r.code.clone()), r.id.clone());
                self.roles.insert(r.id.clone(), r);
            }
            Record::User(mut r) => {
                self.principals.intern_user(&mut r.id);
                unique_insert(&mut self.user_by_username, &r.username, &r.id);
                unique_insert(&mut self.user_by_email, &r.email, &r.id);
                unique_insert(&mut self.user_by_phone, &r.phone, &r.id);
                unique_insert(&mut self.user_by_external_id, &r.external_id, &r.id);
                self.users.insert(r.id.clone(), Box::new(r));
            }
            Record::Group(r) => {
                self.group_by_code.insert(r.code.clone(), r.id.clone());
                self.groups.insert(r.id.clone(), r);
            }
            Record::GroupMember(mut r) => {
                self.principals.join_group(&mut r.group, &mut r.user);
                self.group_members.entry(r.group).or_default().insert(r.user, r.joined_at);
            }
            Record::Organization(r) => {
                self.organization_by_code.insert(r.code.clone(), r.id.clone());
                self.organizations.insert(r.id.clone(), r);
            }
            Record::Department(r) => {
                if let Some(parent) = &r.parent {
                    self.children_of_department.entry(parent.clone()).or_default().insert(r.id.clone());
                }
                let id = r.id.clone();
                self.departments.insert(r.id.clone(), r);
                self.refresh_lineages(&id);
            }
            Record::DepartmentMember(mut r) => {
                self.principals.join_department(&mut r.department, &mut r.user);
                let terms = MembershipTerms { is_leader: r.is_leader, is_main: r.is_main, joined_at: r.joined_at };
                self.department_members.entry(r.department).or_default().insert(r.user, terms);
            }
            Record::RoleAssignment(mut r) => {
                self.principals.assign(&mut r);
                let terms = AssignmentTerms::of(&r);
                match r.assignee {
                    Assignee::User(user) => {
                        self.users_of_role.entry(r.role.clone()).or_default().insert(user.clone());
                        self.roles_of_user.entry(user).or_default().insert(r.role, terms);
                    }
                    Assignee::Department(department) => {
                        self.departments_of_role.entry(r.role.clone()).or_default().insert(department.clone());
                        self.roles_of_department.entry(department).or_default().insert(r.role, terms);
                    }
                }
            }
            Record::Grant(mut r) => {
                self.principals.intern_namespace(&mut r.namespace);
                let principal = self.principals.intern_target(&mut r.target);
                self.grants.insert(principal, r);
            }
        }
    }

    fn delete(&mut self, key: &RecordKey) {
        match key {
            RecordKey::Namespace(id) => {
                if let Some(r) = self.namespaces.remove(id) {
                    self.namespace_by_code.remove(&r.code);
                }
            }
            RecordKey::Resource(id) => {
                if let Some((namespace, code)) = self.resource_codes.remove(id) {
                    if let Some(codes) = self.resources.get_mut(&namespace) {
                        // Only this resource: stored data may give two resources one code.
                        let code = code.as_str().as_bytes();
                        if codes.get(code).is_some_and(|filed| &filed.resource.id == id) {
                            codes.remove(code);
                        }
                        if codes.is_empty() {
                            self.resources.remove(&namespace);
                        }
                    }
                }
            }
            RecordKey::Role(id) => {
                if let Some(r) = self.roles.remove(id) {
                    self.principals.delete_role(id);
                    self.role_by_code.remove(&(r.namespace, r.code));
                }
            }
            RecordKey::User(id) => {
                if let Some(r) = self.users.remove(id) {
                    unique_remove(&mut self.user_by_username, &r.username, id);
                    unique_remove(&mut self.user_by_email, &r.email, id);
                    unique_remove(&mut self.user_by_phone, &r.phone, id);
                    unique_remove(&mut self.user_by_external_id, &r.external_id, id);
                }
            }
            RecordKey::Group(id) => {
                if let Some(r) = self.groups.remove(id) {
                    self.group_by_code.remove(&r.code);
                }
            }
            RecordKey::GroupMember(group, user) => {
                if index_remove(&mut self.group_members, group, user) {
                    self.principals.leave_group(group, user);
                }
            }
            RecordKey::Organization(id) => {
                if let Some(r) = self.organizations.remove(id) {
                    self.organization_by_code.remove(&r.code);
                }
            }
            RecordKey::Department(id) => {
                if let Some(r) = self.departments.remove(id) {
                    if let Some(parent) = &r.parent {
                        index_remove(&mut self.children_of_department, parent, id);
                    }
                    self.refresh_lineages(id);
                }
            }
            RecordKey::DepartmentMember(department, user) => {
                if index_remove(&mut self.department_members, department, user) {
                    self.principals.leave_department(department, user);
                }
            }
            RecordKey::RoleAssignment(role, assignee @ Assignee::User(user)) => {
                if index_remove(&mut self.roles_of_user, user, role) {
                    self.principals.unassign(role, assignee);
                    index_remove(&mut self.users_of_role, role, user);
                }
            }
            RecordKey::RoleAssignment(role, assignee @ Assignee::Department(department)) => {
                if index_remove(&mut self.roles_of_department, department, role) {
                    self.principals.unassign(role, assignee);
                    index_remove(&mut self.departments_of_role, role, department);
                }
            }
            RecordKey::Grant(namespace, target, code) => {
                if let Some(principal) = self.principals.target(target) {
                    self.grants.remove(namespace, principal, target, code);
                }
            }
        }
    }

    /// Recomputes the lineage of `root` (dropped if it has no record) and of every department
    /// below it, parents first. Called after `root` was put or deleted: that changes the chains
    /// of its whole subtree and of nothing else.
    fn refresh_lineages(&mut self, root: &DepartmentId) {
        let mut pending = vec![root.clone()];
        let mut seen = HashSet::new();
        while let Some(id) = pending.pop() {
            if !seen.insert(id.clone()) {
                continue; // a parent cycle in corrupt data
            }
            let lineage = self.compute_lineage(&id);
            self.principals.set_lineage(&id, lineage.as_ref());
            match lineage {
                Some(lineage) => self.lineages.insert(id.clone(), lineage),
                None => self.lineages.remove(&id),
            };
            pending.extend(self.children_of_department.get(&id).into_iter().flatten().cloned());
        }
    }

    /// The lineage of a department with a record, by following parent ids.
    fn compute_lineage(&self, id: &DepartmentId) -> Option<Lineage> {
        let mut ancestors: Vec<DepartmentId> = Vec::new();
        let mut next = self.departments.get(id)?.parent.as_ref();
        while let Some(parent) = next {
            if ancestors.contains(parent) {
                return Some(Lineage { ancestors: ancestors.into(), cyclic: true });
            }
            ancestors.push(parent.clone());
            next = self.departments.get(parent).and_then(|d| d.parent.as_ref());
        }
        Some(Lineage { ancestors: ancestors.into(), cyclic: false })
    }

    // ---- namespaces -------------------------------------------------------------------------

    pub fn namespace(&self, id: &NamespaceId) -> Option<&Namespace> {
        self.namespaces.get(id)
    }
    pub fn namespace_by_code(&self, code: &str) -> Option<&Namespace> {
        self.namespace_by_code.get(code).and_then(|id| self.namespaces.get(id))
    }
    pub fn namespaces(&self) -> impl Iterator<Item = &Namespace> {
        self.namespaces.values()
    }

    // ---- resources --------------------------------------------------------------------------

    pub fn resource(&self, id: &str) -> Option<&Resource> {
        let (namespace, code) = self.resource_codes.get(id)?;
        self.resource_by_code(namespace, code.as_str()).filter(|r| r.id.as_str() == id)
    }
    pub fn resource_by_code(&self, namespace: &NamespaceId, code: &str) -> Option<&Resource> {
        self.filed_resource(namespace, code).map(|filed| &*filed.resource)
    }
    /// The resource definitions of `namespace`, looked up once for a listing that describes
    /// thousands of grants.
    pub fn definitions(&self, namespace: &NamespaceId) -> Definitions<'_> {
        Definitions(self.resources.get(namespace))
    }
    fn filed_resource(&self, namespace: &NamespaceId, code: &str) -> Option<&FiledResource> {
        self.resources.get(namespace)?.get(code.as_bytes())
    }
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.values().flat_map(|codes| codes.values()).map(|filed| &*filed.resource)
    }

    // ---- roles ------------------------------------------------------------------------------

    pub fn role(&self, id: &RoleId) -> Option<&Role> {
        self.roles.get(id)
    }
    pub fn role_by_code(&self, namespace: &NamespaceId, code: &str) -> Option<&Role> {
        let code = RoleCode::parse(code).ok()?;
        self.role_by_code.get(&(namespace.clone(), code)).and_then(|id| self.roles.get(id))
    }
    pub fn roles(&self) -> impl Iterator<Item = &Role> {
        self.roles.values()
    }
    /// A role's assignments: to users, then to departments, each by id.
    pub fn role_assignments_of_role<'a>(&'a self, role: &'a RoleId) -> impl Iterator<Item = RoleAssignment> + 'a {
        let users = self.users_of_role.get(role).into_iter().flatten().map(|u| Assignee::User(u.clone()));
        let departments = self.department_roles_assigned_to(role).map(|d| Assignee::Department(d.clone()));
        users.chain(departments).filter_map(|assignee| self.role_assignment(role, &assignee))
    }
    pub fn role_assignment(&self, role: &RoleId, assignee: &Assignee) -> Option<RoleAssignment> {
        let terms = match assignee {
            Assignee::User(user) => self.user_roles(user)?.get(role),
            Assignee::Department(department) => self.department_roles(department)?.get(role),
        };
        terms.map(|terms| terms.record(role, assignee.clone()))
    }
    /// Roles assigned directly to a user or department (any namespace, any time window), by id.
    pub fn roles_assigned_to<'a>(&'a self, assignee: &Assignee) -> impl Iterator<Item = &'a RoleId> + 'a {
        let roles = match assignee {
            Assignee::User(user) => self.user_roles(user),
            Assignee::Department(department) => self.department_roles(department),
        };
        roles.into_iter().flat_map(VecMap::keys)
    }
    /// The roles assigned directly to `user`, with their assignments, by role id.
    fn user_roles(&self, user: &UserId) -> Option<&VecMap<RoleId, AssignmentTerms>> {
        self.roles_of_user.get(user)
    }
    /// The roles assigned directly to `department`, with their assignments, by role id.
    fn department_roles(&self, department: &DepartmentId) -> Option<&VecMap<RoleId, AssignmentTerms>> {
        self.roles_of_department.get(department)
    }
    /// The departments `role` is assigned to (directly; inheritance is the assignment's flag).
    pub fn department_roles_assigned_to<'a>(&'a self, role: &RoleId) -> impl Iterator<Item = &'a DepartmentId> + 'a {
        self.departments_of_role.get(role).into_iter().flatten()
    }

    // ---- users ------------------------------------------------------------------------------

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id).map(|user| &**user)
    }
    pub fn user_by_username(&self, username: &str) -> Option<&User> {
        self.user_by_username.get(username).and_then(|id| self.user(id.as_str()))
    }
    /// `email` must already be lower-cased (emails are stored that way).
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.user_by_email.get(email).and_then(|id| self.user(id.as_str()))
    }
    pub fn user_by_phone(&self, phone: &str) -> Option<&User> {
        self.user_by_phone.get(phone).and_then(|id| self.user(id.as_str()))
    }
    pub fn user_by_external_id(&self, external_id: &str) -> Option<&User> {
        self.user_by_external_id.get(external_id).and_then(|id| self.user(id.as_str()))
    }
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values().map(|user| &**user)
    }
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    // ---- groups -----------------------------------------------------------------------------

    pub fn group(&self, id: &GroupId) -> Option<&Group> {
        self.groups.get(id)
    }
    pub fn group_by_code(&self, code: &str) -> Option<&Group> {
        let code = GroupCode::parse(code).ok()?;
        self.group_by_code.get(&code).and_then(|id| self.groups.get(id))
    }
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }
    /// The group's memberships, by user id.
    pub fn group_members<'a>(&'a self, group: &'a GroupId) -> impl Iterator<Item = GroupMembership> + 'a {
        let members = self.group_members.get(group).into_iter().flatten();
        members.map(|(user, &joined_at)| GroupMembership { group: group.clone(), user: user.clone(), joined_at })
    }
    pub fn is_group_member(&self, group: &GroupId, user: &UserId) -> bool {
        self.group_members.get(group).is_some_and(|members| members.contains_key(user))
    }
    /// The groups `user` is a member of, by id.
    pub fn groups_of_user<'a>(&'a self, user: &UserId) -> impl Iterator<Item = &'a GroupId> + 'a {
        sorted(self.principals.groups_of_user(user))
    }

    // ---- organizations and departments -----------------------------------------------------

    pub fn organization(&self, id: &OrganizationId) -> Option<&Organization> {
        self.organizations.get(id)
    }
    pub fn organization_by_code(&self, code: &str) -> Option<&Organization> {
        let code = OrganizationCode::parse(code).ok()?;
        self.organization_by_code.get(&code).and_then(|id| self.organizations.get(id))
    }
    pub fn organizations(&self) -> impl Iterator<Item = &Organization> {
        self.organizations.values()
    }
    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.get(id)
    }
    pub fn departments(&self) -> impl Iterator<Item = &Department> {
        self.departments.values()
    }
    pub fn child_departments<'a>(&'a self, id: &DepartmentId) -> impl Iterator<Item = &'a Department> + 'a {
        self.children_of_department.get(id).into_iter().flatten().filter_map(|child| self.departments.get(child))
    }
    /// The department and all its descendants, parents before children.
    pub fn department_subtree(&self, root: &DepartmentId) -> Vec<DepartmentId> {
        let mut out = vec![root.clone()];
        let mut next = 0;
        while next < out.len() {
            if let Some(children) = self.children_of_department.get(&out[next]) {
                out.extend(children.iter().cloned());
            }
            next += 1;
        }
        out
    }
    /// The department's ancestors, nearest first (excluding the department itself).
    pub fn department_ancestors(&self, id: &DepartmentId) -> Vec<DepartmentId> {
        self.lineage(id).map_or_else(Vec::new, |lineage| lineage.ancestors().to_vec())
    }
    /// The department's precomputed ancestor chain; `None` when it has no record.
    pub fn lineage(&self, id: &DepartmentId) -> Option<&Lineage> {
        self.lineages.get(id)
    }
    /// The department's direct memberships, by user id.
    pub fn department_members<'a>(
        &'a self,
        department: &'a DepartmentId,
    ) -> impl Iterator<Item = DepartmentMembership> + 'a {
        let members = self.department_members.get(department).into_iter().flatten();
        members.map(|(user, terms)| terms.record(department, user))
    }
    pub fn department_membership(&self, department: &DepartmentId, user: &UserId) -> Option<DepartmentMembership> {
        self.department_members.get(department)?.get(user).map(|terms| terms.record(department, user))
    }
    /// The departments `user` is a direct member of, by id.
    pub fn departments_of_user<'a>(&'a self, user: &UserId) -> impl Iterator<Item = &'a DepartmentId> + 'a {
        sorted(self.principals.departments_of_user(user))
    }

    /// The interned principals checks read.
    pub(crate) fn principals(&self) -> &Principals {
        &self.principals
    }

    // ---- grants -----------------------------------------------------------------------------

    pub fn grant(&self, namespace: &NamespaceId, target: &GrantTarget, code: &GrantCode) -> Option<&Grant> {
        self.grants.get(namespace, target, code)
    }
    /// Every grant made directly to `target`, in any namespace.
    pub fn grants_of_target<'a>(&'a self, target: &GrantTarget) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.of_target(target)
    }
    /// Every grant in `namespace` whose code is exactly `code`.
    pub fn grants_on_code<'a>(
        &'a self,
        namespace: &NamespaceId,
        code: &GrantCode,
    ) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.on_code(namespace, code.as_str())
    }
    /// The grants in `namespace` whose code covers `resource` (semantics §5.1) and whose
    /// actions include `action` ([`Covering::try_for_each`]), found by a few lookups whatever the
    /// number of grants. A grant may come twice (a class code ending in `*`, as `ab*` for `ab*:1`).
    pub(crate) fn grants_covering<'a>(
        &'a self,
        namespace: &NamespaceId,
        resource: &'a str,
        action: &'a str,
    ) -> Covering<'a> {
        self.grants.covering(namespace, resource, action)
    }
    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.all()
    }
    pub fn grant_count(&self) -> usize {
        self.grants.len()
    }
}
