//! One user pool held in memory: every record plus the indexes that reads and checks need.
//! [`PoolState::apply`] is the only way it changes; it keeps every index consistent with the
//! records, whatever order puts and deletes arrive in.

use crate::codes::{GrantCode, GroupCode, NamespaceCode, OrganizationCode, ResourceCode, RoleCode};
use crate::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, ResourceId, RoleId, UserId};
use crate::model::{
    Assignee, Department, DepartmentMembership, Grant, GrantTarget, Group, GroupMembership, Namespace,
    Organization, Resource, Role, RoleAssignment, User,
};
use crate::mutation::{Mutation, Record, RecordKey};
use std::collections::{BTreeMap, BTreeSet, HashMap};

type GrantKey = (NamespaceId, GrantTarget, GrantCode);

#[derive(Default, Debug, Clone)]
pub struct PoolState {
    namespaces: HashMap<NamespaceId, Namespace>,
    namespace_by_code: HashMap<NamespaceCode, NamespaceId>,
    resources: HashMap<ResourceId, Resource>,
    resource_by_code: HashMap<(NamespaceId, ResourceCode), ResourceId>,
    roles: HashMap<RoleId, Role>,
    role_by_code: HashMap<(NamespaceId, RoleCode), RoleId>,
    users: HashMap<UserId, User>,
    user_by_username: HashMap<String, UserId>,
    user_by_email: HashMap<String, UserId>,
    user_by_phone: HashMap<String, UserId>,
    user_by_external_id: HashMap<String, UserId>,
    groups: HashMap<GroupId, Group>,
    group_by_code: HashMap<GroupCode, GroupId>,
    group_members: BTreeMap<(GroupId, UserId), GroupMembership>,
    groups_of_user: HashMap<UserId, BTreeSet<GroupId>>,
    organizations: HashMap<OrganizationId, Organization>,
    organization_by_code: HashMap<OrganizationCode, OrganizationId>,
    departments: HashMap<DepartmentId, Department>,
    children_of_department: HashMap<DepartmentId, BTreeSet<DepartmentId>>,
    department_members: BTreeMap<(DepartmentId, UserId), DepartmentMembership>,
    departments_of_user: HashMap<UserId, BTreeSet<DepartmentId>>,
    role_assignments: BTreeMap<(RoleId, Assignee), RoleAssignment>,
    roles_of_assignee: HashMap<Assignee, BTreeSet<RoleId>>,
    grants: BTreeMap<GrantKey, Grant>,
    grants_of_target: HashMap<GrantTarget, BTreeSet<(NamespaceId, GrantCode)>>,
    grants_on_code: HashMap<(NamespaceId, GrantCode), BTreeSet<GrantTarget>>,
}

fn index_remove<K: std::hash::Hash + Eq, V: Ord>(index: &mut HashMap<K, BTreeSet<V>>, key: &K, value: &V) {
    if let Some(set) = index.get_mut(key) {
        set.remove(value);
        if set.is_empty() {
            index.remove(key);
        }
    }
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
    /// Builds a state from stored records (start-up, rebuild).
    pub fn from_records(records: impl IntoIterator<Item = Record>) -> Self {
        let mut state = Self::default();
        for record in records {
            state.put(record);
        }
        state
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
        match record {
            Record::Namespace(r) => {
                self.namespace_by_code.insert(r.code.clone(), r.id.clone());
                self.namespaces.insert(r.id.clone(), r);
            }
            Record::Resource(r) => {
                self.resource_by_code.insert((r.namespace.clone(), r.code.clone()), r.id.clone());
                self.resources.insert(r.id.clone(), r);
            }
            Record::Role(r) => {
                self.role_by_code.insert((r.namespace.clone(), r.code.clone()), r.id.clone());
                self.roles.insert(r.id.clone(), r);
            }
            Record::User(r) => {
                unique_insert(&mut self.user_by_username, &r.username, &r.id);
                unique_insert(&mut self.user_by_email, &r.email, &r.id);
                unique_insert(&mut self.user_by_phone, &r.phone, &r.id);
                unique_insert(&mut self.user_by_external_id, &r.external_id, &r.id);
                self.users.insert(r.id.clone(), r);
            }
            Record::Group(r) => {
                self.group_by_code.insert(r.code.clone(), r.id.clone());
                self.groups.insert(r.id.clone(), r);
            }
            Record::GroupMember(r) => {
                self.groups_of_user.entry(r.user.clone()).or_default().insert(r.group.clone());
                self.group_members.insert((r.group.clone(), r.user.clone()), r);
            }
            Record::Organization(r) => {
                self.organization_by_code.insert(r.code.clone(), r.id.clone());
                self.organizations.insert(r.id.clone(), r);
            }
            Record::Department(r) => {
                if let Some(parent) = &r.parent {
                    self.children_of_department.entry(parent.clone()).or_default().insert(r.id.clone());
                }
                self.departments.insert(r.id.clone(), r);
            }
            Record::DepartmentMember(r) => {
                self.departments_of_user.entry(r.user.clone()).or_default().insert(r.department.clone());
                self.department_members.insert((r.department.clone(), r.user.clone()), r);
            }
            Record::RoleAssignment(r) => {
                self.roles_of_assignee.entry(r.assignee.clone()).or_default().insert(r.role.clone());
                self.role_assignments.insert((r.role.clone(), r.assignee.clone()), r);
            }
            Record::Grant(r) => {
                self.grants_of_target
                    .entry(r.target.clone())
                    .or_default()
                    .insert((r.namespace.clone(), r.code.clone()));
                self.grants_on_code
                    .entry((r.namespace.clone(), r.code.clone()))
                    .or_default()
                    .insert(r.target.clone());
                self.grants.insert((r.namespace.clone(), r.target.clone(), r.code.clone()), r);
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
                if let Some(r) = self.resources.remove(id) {
                    self.resource_by_code.remove(&(r.namespace, r.code));
                }
            }
            RecordKey::Role(id) => {
                if let Some(r) = self.roles.remove(id) {
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
                if self.group_members.remove(&(group.clone(), user.clone())).is_some() {
                    index_remove(&mut self.groups_of_user, user, group);
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
                }
            }
            RecordKey::DepartmentMember(department, user) => {
                if self.department_members.remove(&(department.clone(), user.clone())).is_some() {
                    index_remove(&mut self.departments_of_user, user, department);
                }
            }
            RecordKey::RoleAssignment(role, assignee) => {
                if self.role_assignments.remove(&(role.clone(), assignee.clone())).is_some() {
                    index_remove(&mut self.roles_of_assignee, assignee, role);
                }
            }
            RecordKey::Grant(namespace, target, code) => {
                let key = (namespace.clone(), target.clone(), code.clone());
                if self.grants.remove(&key).is_some() {
                    index_remove(&mut self.grants_of_target, target, &(namespace.clone(), code.clone()));
                    index_remove(&mut self.grants_on_code, &(namespace.clone(), code.clone()), target);
                }
            }
        }
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
        self.resources.get(id)
    }
    pub fn resource_by_code(&self, namespace: &NamespaceId, code: &str) -> Option<&Resource> {
        let code = ResourceCode::parse(code).ok()?;
        self.resource_by_code.get(&(namespace.clone(), code)).and_then(|id| self.resources.get(id))
    }
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.values()
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
    pub fn role_assignments_of_role<'a>(&'a self, role: &'a RoleId) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        self.role_assignments
            .range((role.clone(), Assignee::User(UserId::from_stored("")))..)
            .take_while(move |((r, _), _)| r == role)
            .map(|(_, a)| a)
    }
    pub fn role_assignment(&self, role: &RoleId, assignee: &Assignee) -> Option<&RoleAssignment> {
        self.role_assignments.get(&(role.clone(), assignee.clone()))
    }
    /// Roles assigned directly to a user or department (any namespace, any time window).
    pub fn roles_assigned_to<'a>(&'a self, assignee: &Assignee) -> impl Iterator<Item = &'a RoleId> + 'a {
        self.roles_of_assignee.get(assignee).into_iter().flatten()
    }

    // ---- users ------------------------------------------------------------------------------

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }
    pub fn user_by_username(&self, username: &str) -> Option<&User> {
        self.user_by_username.get(username).and_then(|id| self.users.get(id))
    }
    /// `email` must already be lower-cased (emails are stored that way).
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.user_by_email.get(email).and_then(|id| self.users.get(id))
    }
    pub fn user_by_phone(&self, phone: &str) -> Option<&User> {
        self.user_by_phone.get(phone).and_then(|id| self.users.get(id))
    }
    pub fn user_by_external_id(&self, external_id: &str) -> Option<&User> {
        self.user_by_external_id.get(external_id).and_then(|id| self.users.get(id))
    }
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
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
    pub fn group_members<'a>(&'a self, group: &'a GroupId) -> impl Iterator<Item = &'a GroupMembership> + 'a {
        self.group_members
            .range((group.clone(), UserId::from_stored(""))..)
            .take_while(move |((g, _), _)| g == group)
            .map(|(_, m)| m)
    }
    pub fn is_group_member(&self, group: &GroupId, user: &UserId) -> bool {
        self.group_members.contains_key(&(group.clone(), user.clone()))
    }
    pub fn groups_of_user<'a>(&'a self, user: &UserId) -> impl Iterator<Item = &'a GroupId> + 'a {
        self.groups_of_user.get(user).into_iter().flatten()
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
        self.children_of_department
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|child| self.departments.get(child))
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
        let mut out = Vec::new();
        let mut current = self.departments.get(id).and_then(|d| d.parent.clone());
        while let Some(parent) = current {
            if out.contains(&parent) {
                break;
            }
            current = self.departments.get(&parent).and_then(|d| d.parent.clone());
            out.push(parent);
        }
        out
    }
    pub fn department_members<'a>(
        &'a self,
        department: &'a DepartmentId,
    ) -> impl Iterator<Item = &'a DepartmentMembership> + 'a {
        self.department_members
            .range((department.clone(), UserId::from_stored(""))..)
            .take_while(move |((d, _), _)| d == department)
            .map(|(_, m)| m)
    }
    pub fn department_membership(&self, department: &DepartmentId, user: &UserId) -> Option<&DepartmentMembership> {
        self.department_members.get(&(department.clone(), user.clone()))
    }
    pub fn departments_of_user<'a>(&'a self, user: &UserId) -> impl Iterator<Item = &'a DepartmentId> + 'a {
        self.departments_of_user.get(user).into_iter().flatten()
    }

    // ---- grants -----------------------------------------------------------------------------

    pub fn grant(&self, namespace: &NamespaceId, target: &GrantTarget, code: &GrantCode) -> Option<&Grant> {
        self.grants.get(&(namespace.clone(), target.clone(), code.clone()))
    }
    /// Every grant made directly to `target`, in any namespace.
    pub fn grants_of_target<'a>(&'a self, target: &'a GrantTarget) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants_of_target
            .get(target)
            .into_iter()
            .flatten()
            .filter_map(move |(ns, code)| self.grants.get(&(ns.clone(), target.clone(), code.clone())))
    }
    /// Every grant in `namespace` whose code is exactly `code`.
    pub fn grants_on_code<'a>(&'a self, namespace: &'a NamespaceId, code: &'a GrantCode) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants_on_code
            .get(&(namespace.clone(), code.clone()))
            .into_iter()
            .flatten()
            .filter_map(move |target| self.grants.get(&(namespace.clone(), target.clone(), code.clone())))
    }
    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.values()
    }
}
