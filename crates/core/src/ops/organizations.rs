//! Organizations and their department trees: an organization is created together with its root
//! department and deleted with its whole tree; departments are created, moved, renamed and
//! deleted inside one organization, and users join and leave them.
//!
//! Trees may be deep, so nothing here recurses: walks use [`PoolState::department_subtree`] and
//! [`PoolState::department_ancestors`], which iterate.

use super::{cascade, Plan, Planned};
use crate::codes::{DepartmentCode, OrganizationCode};
use crate::error::{Duplicate, Rule};
use crate::ids::{DepartmentId, OpContext, OrganizationId, UserId};
use crate::model::{Assignee, Department, DepartmentMembership, GrantTarget, JsonObjectText, Organization, User};
use crate::mutation::{Mutation, Record, RecordKey};
use crate::state::PoolState;
use crate::DomainError;
use std::collections::{HashMap, HashSet};

/// How a request's `departmentId` is to be read (`departmentIdType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DepartmentIdType {
    /// The server id, or `root` for the organization's root department.
    #[default]
    DepartmentId,
    /// The caller-chosen `openDepartmentId`.
    OpenDepartmentId,
    /// The department `code`.
    Code,
}

impl DepartmentIdType {
    /// The supported values; `sync_relation` and `custom_field` are not (principals.md §0).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "department_id" => Some(Self::DepartmentId),
            "open_department_id" => Some(Self::OpenDepartmentId),
            "code" => Some(Self::Code),
            _ => None,
        }
    }
}

/// The literal that names an organization's root department wherever a department id is expected.
pub const ROOT_ALIAS: &str = "root";

/// A department as a request names it, before it is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRef {
    pub id: String,
    pub id_type: DepartmentIdType,
}

/// The organization with this code, or the contract's `organization not found for code: {code}`.
pub fn organization_by_code<'a>(state: &'a PoolState, code: &str) -> Result<&'a Organization, DomainError> {
    state.organization_by_code(code).ok_or_else(|| DomainError::OrganizationNotFound(code.to_owned()))
}

/// Finds a department as named by `raw` read per `id_type`, inside `organization` when given,
/// else across every organization (where `root` names nothing, being ambiguous).
pub fn find_department<'a>(
    state: &'a PoolState,
    organization: Option<&Organization>,
    raw: &str,
    id_type: DepartmentIdType,
) -> Result<&'a Department, DomainError> {
    let in_scope = |d: &&Department| organization.is_none_or(|o| d.organization == o.id);
    let found = match id_type {
        DepartmentIdType::DepartmentId if raw == ROOT_ALIAS => {
            organization.and_then(|o| state.department(o.root_department.as_str()))
        }
        DepartmentIdType::DepartmentId => state.department(raw).filter(in_scope),
        DepartmentIdType::OpenDepartmentId => {
            state.departments().filter(in_scope).find(|d| d.open_department_id.as_deref() == Some(raw))
        }
        DepartmentIdType::Code => {
            state.departments().filter(in_scope).find(|d| d.code.as_ref().is_some_and(|c| c.as_str() == raw))
        }
    };
    found.ok_or(DomainError::DepartmentNotFound)
}

/// The organization named by `organization_code` and the department `department` names in it.
pub fn department_in<'a>(
    state: &'a PoolState,
    organization_code: &str,
    department: &DepartmentRef,
) -> Result<(&'a Organization, &'a Department), DomainError> {
    let organization = organization_by_code(state, organization_code)?;
    let found = find_department(state, Some(organization), &department.id, department.id_type)?;
    Ok((organization, found))
}

/// Whether `user` is a direct member of `department`, or (with `include_descendants`) of any
/// department below it.
pub fn is_member(state: &PoolState, department: &DepartmentId, user: &str, include_descendants: bool) -> bool {
    let Some(user) = state.user(user) else { return false };
    if include_descendants {
        // Walk up from each of the user's departments: cheaper than walking a large subtree down.
        state
            .departments_of_user(&user.id)
            .any(|d| d == department || state.department_ancestors(d).contains(department))
    } else {
        state.department_membership(department, &user.id).is_some()
    }
}

/// The distinct users who are direct members of any department in the subtree of `root`, each
/// with the earliest time they joined one of those departments.
pub fn members_of_subtree(state: &PoolState, root: &DepartmentId) -> Vec<(UserId, i64)> {
    let mut joined: HashMap<UserId, i64> = HashMap::new();
    for department in state.department_subtree(root) {
        for membership in state.department_members(&department) {
            let at = joined.entry(membership.user).or_insert(membership.joined_at);
            *at = (*at).min(membership.joined_at);
        }
    }
    joined.into_iter().collect()
}

/// How list-department-members orders users (`sortBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemberOrder {
    #[default]
    JoinedAt,
    UserId,
    CreatedAt,
    UpdatedAt,
}

impl MemberOrder {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "Default" | "JoinDepartmentAt" => Some(Self::JoinedAt),
            "userId" => Some(Self::UserId),
            "createAt" => Some(Self::CreatedAt),
            "updatedAt" => Some(Self::UpdatedAt),
            _ => None,
        }
    }
}

/// What a department member listing asks for.
#[derive(Debug, Clone, Default)]
pub struct MemberQuery<'q> {
    pub include_descendants: bool,
    /// Case-insensitive substring of name, username, nickname, email or phone.
    pub keywords: Option<&'q str>,
    pub order: MemberOrder,
    pub descending: bool,
}

/// The distinct users who are direct members of `department` (or of its subtree), filtered and
/// sorted as asked; ties are broken by user id in the same direction.
pub fn department_members<'a>(state: &'a PoolState, department: &DepartmentId, query: &MemberQuery) -> Vec<&'a User> {
    let joined = if query.include_descendants {
        members_of_subtree(state, department)
    } else {
        state.department_members(department).map(|m| (m.user, m.joined_at)).collect()
    };
    let keywords = query.keywords.map(str::to_lowercase);
    let mut found: Vec<(&User, i64)> = joined
        .into_iter()
        .filter_map(|(id, at)| state.user(id.as_str()).map(|u| (u, at)))
        .filter(|(user, _)| keywords.as_deref().is_none_or(|k| user_matches(user, k)))
        .collect();
    found.sort_by(|(a, a_joined), (b, b_joined)| {
        let by_key = match query.order {
            MemberOrder::JoinedAt => a_joined.cmp(b_joined),
            MemberOrder::UserId => std::cmp::Ordering::Equal,
            MemberOrder::CreatedAt => a.created_at.cmp(&b.created_at),
            MemberOrder::UpdatedAt => a.updated_at.cmp(&b.updated_at),
        };
        let ascending = by_key.then_with(|| a.id.cmp(&b.id));
        if query.descending {
            ascending.reverse()
        } else {
            ascending
        }
    });
    found.into_iter().map(|(user, _)| user).collect()
}

/// `keywords` must be lower-cased already.
fn user_matches(user: &User, keywords: &str) -> bool {
    [&user.name, &user.username, &user.nickname, &user.email, &user.phone]
        .into_iter()
        .flatten()
        .any(|field| field.to_lowercase().contains(keywords))
}

// ---- validation shared by the planners ------------------------------------------------------

/// Resolves leader ids to users; an unknown id refuses the whole request.
fn leaders(state: &PoolState, raw_ids: &[String]) -> Result<Vec<UserId>, DomainError> {
    let mut seen = HashSet::new();
    raw_ids
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .map(|id| state.user(id).map(|u| u.id.clone()).ok_or(DomainError::UserNotFound))
        .collect()
}

/// Refuses a department `code` or `openDepartmentId` that another department of the same
/// organization already uses (both are lookup keys, so they must name one department).
fn check_unique_in_organization(
    state: &PoolState,
    organization: &OrganizationId,
    except: Option<&DepartmentId>,
    code: Option<&DepartmentCode>,
    open_department_id: Option<&str>,
) -> Result<(), DomainError> {
    let clash = state.departments().filter(|d| &d.organization == organization && Some(&d.id) != except).any(|d| {
        code.is_some_and(|c| d.code.as_ref() == Some(c))
            || open_department_id.is_some_and(|o| d.open_department_id.as_deref() == Some(o))
    });
    if clash {
        return Err(DomainError::AlreadyExists(Duplicate::Department));
    }
    Ok(())
}

/// Everything that goes with one department: its memberships, role assignments and grants.
fn delete_department_records(state: &PoolState, id: &DepartmentId) -> Vec<Mutation> {
    let mut mutations: Vec<Mutation> = state
        .department_members(id)
        .map(|m| Mutation::Delete(RecordKey::DepartmentMember(m.department, m.user)))
        .collect();
    mutations.extend(cascade::assignments_of(state, &Assignee::Department(id.clone())));
    mutations.extend(cascade::grants_of_target(state, &GrantTarget::Department(id.clone())));
    mutations.push(Mutation::Delete(RecordKey::Department(id.clone())));
    mutations
}

// ---- organizations --------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewOrganization {
    /// `None`: the caller sent `""`, and the organization gets a generated code.
    pub code: Option<OrganizationCode>,
    pub name: String,
    pub description: Option<String>,
    pub open_department_id: Option<String>,
}

/// Creates the organization and its root department (name = organization name, code =
/// organization code).
pub fn create_organization(state: &PoolState, input: NewOrganization, cx: &mut OpContext) -> Plan<OrganizationId> {
    let id: OrganizationId = cx.new_id();
    let code = match input.code {
        Some(code) => code,
        // A generated id is 24 hex characters, a valid code, and unique like the id itself.
        None => OrganizationCode::parse(id.as_str()).expect("generated ids are valid codes"),
    };
    if state.organization_by_code(code.as_str()).is_some() {
        return Err(DomainError::AlreadyExists(Duplicate::Organization));
    }
    let root = Department {
        id: cx.new_id(),
        organization: id.clone(),
        parent: None,
        code: Some(DepartmentCode::parse(code.as_str()).expect("organization codes are department codes")),
        name: input.name.clone(),
        description: input.description.clone(),
        open_department_id: input.open_department_id,
        leader_user_ids: Vec::new(),
        is_virtual_node: false,
        status: true,
        custom_data: None,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    };
    let organization = Organization {
        id: id.clone(),
        code,
        name: input.name,
        description: input.description,
        root_department: root.id.clone(),
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    };
    Ok(Planned::new(
        vec![Mutation::Put(Record::Organization(organization)), Mutation::Put(Record::Department(root))],
        id,
    ))
}

#[derive(Debug, Clone, Default)]
pub struct OrganizationChanges {
    pub new_code: Option<OrganizationCode>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub open_department_id: Option<String>,
    pub leader_user_ids: Option<Vec<String>>,
}

/// Updates the organization and keeps its root department in step (name, code, open id,
/// leaders live on the root).
pub fn update_organization(
    state: &PoolState,
    code: &str,
    changes: OrganizationChanges,
    cx: &mut OpContext,
) -> Plan<OrganizationId> {
    let current = organization_by_code(state, code)?;
    let root = state.department(current.root_department.as_str()).ok_or(DomainError::DepartmentNotFound)?;
    let mut organization = current.clone();
    let mut updated_root = root.clone();
    if let Some(new_code) = changes.new_code.filter(|c| c != &current.code) {
        if state.organization_by_code(new_code.as_str()).is_some() {
            return Err(DomainError::AlreadyExists(Duplicate::Organization));
        }
        updated_root.code =
            Some(DepartmentCode::parse(new_code.as_str()).expect("organization codes are department codes"));
        organization.code = new_code;
    }
    if let Some(name) = changes.name {
        updated_root.name = name.clone();
        organization.name = name;
    }
    if let Some(description) = changes.description {
        updated_root.description = Some(description.clone());
        organization.description = Some(description);
    }
    if let Some(open_department_id) = changes.open_department_id {
        updated_root.open_department_id = Some(open_department_id);
    }
    if let Some(raw_ids) = &changes.leader_user_ids {
        updated_root.leader_user_ids = leaders(state, raw_ids)?;
    }
    check_unique_in_organization(
        state,
        &current.id,
        Some(&root.id),
        updated_root.code.as_ref(),
        updated_root.open_department_id.as_deref(),
    )?;
    organization.updated_at = cx.now_ms;
    updated_root.updated_at = cx.now_ms;
    Ok(Planned::new(
        vec![Mutation::Put(Record::Organization(organization)), Mutation::Put(Record::Department(updated_root))],
        current.id.clone(),
    ))
}

/// Deletes the organization with its whole tree, memberships, department role assignments and
/// department grants.
pub fn delete_organization(state: &PoolState, code: &str) -> Plan<()> {
    let organization = organization_by_code(state, code)?;
    let mut mutations: Vec<Mutation> = state
        .department_subtree(&organization.root_department)
        .iter()
        .flat_map(|id| delete_department_records(state, id))
        .collect();
    mutations.push(Mutation::Delete(RecordKey::Organization(organization.id.clone())));
    Ok(Planned::new(mutations, ()))
}

// ---- departments ----------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewDepartment {
    pub organization_code: String,
    pub parent: DepartmentRef,
    pub name: String,
    pub code: Option<DepartmentCode>,
    pub description: Option<String>,
    pub open_department_id: Option<String>,
    pub leader_user_ids: Vec<String>,
    pub is_virtual_node: bool,
    pub custom_data: Option<JsonObjectText>,
}

pub fn create_department(state: &PoolState, input: NewDepartment, cx: &mut OpContext) -> Plan<DepartmentId> {
    let (organization, parent) = department_in(state, &input.organization_code, &input.parent)?;
    check_unique_in_organization(
        state,
        &organization.id,
        None,
        input.code.as_ref(),
        input.open_department_id.as_deref(),
    )?;
    let department = Department {
        id: cx.new_id(),
        organization: organization.id.clone(),
        parent: Some(parent.id.clone()),
        code: input.code,
        name: input.name,
        description: input.description,
        open_department_id: input.open_department_id,
        leader_user_ids: leaders(state, &input.leader_user_ids)?,
        is_virtual_node: input.is_virtual_node,
        status: true,
        custom_data: input.custom_data,
        created_at: cx.now_ms,
        updated_at: cx.now_ms,
    };
    let id = department.id.clone();
    Ok(Planned::new(vec![Mutation::Put(Record::Department(department))], id))
}

#[derive(Debug, Clone, Default)]
pub struct DepartmentChanges {
    pub name: Option<String>,
    pub code: Option<DepartmentCode>,
    pub description: Option<String>,
    pub open_department_id: Option<String>,
    pub leader_user_ids: Option<Vec<String>>,
    /// Move under this department (same organization; read with the request's id type).
    pub parent: Option<DepartmentRef>,
    pub status: Option<bool>,
    pub custom_data: Option<JsonObjectText>,
}

pub fn update_department(
    state: &PoolState,
    organization_code: &str,
    department: &DepartmentRef,
    changes: DepartmentChanges,
    cx: &mut OpContext,
) -> Plan<DepartmentId> {
    let (organization, current) = department_in(state, organization_code, department)?;
    let mut updated = current.clone();
    if let Some(parent_ref) = &changes.parent {
        let parent = find_department(state, Some(organization), &parent_ref.id, parent_ref.id_type)?;
        if current.parent.is_none() {
            return Err(DomainError::Rule(Rule::RootDepartmentImmovable));
        }
        if parent.id == current.id || state.department_ancestors(&parent.id).contains(&current.id) {
            return Err(DomainError::Rule(Rule::DepartmentMovedIntoOwnSubtree));
        }
        updated.parent = Some(parent.id.clone());
    }
    if let Some(name) = changes.name {
        updated.name = name;
    }
    if let Some(code) = changes.code {
        updated.code = Some(code);
    }
    if let Some(description) = changes.description {
        updated.description = Some(description);
    }
    if let Some(open_department_id) = changes.open_department_id {
        updated.open_department_id = Some(open_department_id);
    }
    if let Some(raw_ids) = &changes.leader_user_ids {
        updated.leader_user_ids = leaders(state, raw_ids)?;
    }
    if let Some(status) = changes.status {
        updated.status = status;
    }
    if let Some(custom_data) = changes.custom_data {
        updated.custom_data = Some(custom_data);
    }
    check_unique_in_organization(
        state,
        &organization.id,
        Some(&current.id),
        updated.code.as_ref(),
        updated.open_department_id.as_deref(),
    )?;
    updated.updated_at = cx.now_ms;
    let id = current.id.clone();
    let mut mutations = vec![Mutation::Put(Record::Department(updated.clone()))];
    // The root's name and description mirror the organization's; keep the two in step.
    if current.parent.is_none() {
        mutations.extend(mirror_root_on_organization(state, organization, &updated, cx)?);
    }
    Ok(Planned::new(mutations, id))
}

/// After the root department was renamed, redescribed or recoded, the organization record
/// follows: the root *is* the organization's top, and its code is the organization code
/// (principals §4.1), so a new root code renames the organization (unless another has it).
fn mirror_root_on_organization(
    state: &PoolState,
    organization: &Organization,
    root: &Department,
    cx: &mut OpContext,
) -> Result<Option<Mutation>, DomainError> {
    let mut updated = organization.clone();
    updated.name = root.name.clone();
    updated.description = root.description.clone();
    if let Some(code) = &root.code {
        let code = OrganizationCode::parse(code.as_str()).expect("department and organization codes share a charset");
        if code != organization.code && state.organization_by_code(code.as_str()).is_some() {
            return Err(DomainError::AlreadyExists(Duplicate::Organization));
        }
        updated.code = code;
    }
    if updated == *organization {
        return Ok(None);
    }
    updated.updated_at = cx.now_ms;
    Ok(Some(Mutation::Put(Record::Organization(updated))))
}

/// Deletes a department that is neither the root nor a parent; its members are detached and its
/// role assignments and grants removed.
pub fn delete_department(state: &PoolState, organization_code: &str, department: &DepartmentRef) -> Plan<()> {
    let (_, found) = department_in(state, organization_code, department)?;
    if found.parent.is_none() {
        return Err(DomainError::Rule(Rule::RootDepartmentUndeletable));
    }
    if state.child_departments(&found.id).next().is_some() {
        return Err(DomainError::Rule(Rule::DepartmentHasChildren));
    }
    Ok(Planned::new(delete_department_records(state, &found.id), ()))
}

/// Adds users as direct members; existing memberships are kept as they are. A user's first
/// department becomes their main department.
pub fn add_department_members(
    state: &PoolState,
    organization_code: &str,
    department: &DepartmentRef,
    user_ids: &[String],
    cx: &mut OpContext,
) -> Plan<()> {
    let (_, found) = department_in(state, organization_code, department)?;
    let mut seen = HashSet::new();
    let mut mutations = Vec::new();
    for raw in user_ids {
        let user = state.user(raw).ok_or(DomainError::UserNotFound)?;
        if !seen.insert(&user.id) || state.department_membership(&found.id, &user.id).is_some() {
            continue;
        }
        mutations.push(Mutation::Put(Record::DepartmentMember(DepartmentMembership {
            department: found.id.clone(),
            user: user.id.clone(),
            is_leader: false,
            is_main: state.departments_of_user(&user.id).next().is_none(),
            joined_at: cx.now_ms,
        })));
    }
    Ok(Planned::new(mutations, ()))
}

/// Removes direct memberships; users who are not members (or do not exist) are ignored.
pub fn remove_department_members(
    state: &PoolState,
    organization_code: &str,
    department: &DepartmentRef,
    user_ids: &[String],
) -> Plan<()> {
    let (_, found) = department_in(state, organization_code, department)?;
    let mutations = user_ids
        .iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .filter_map(|raw| state.department_membership(&found.id, &UserId::from_stored(raw.as_str())))
        .map(|m| Mutation::Delete(RecordKey::DepartmentMember(m.department, m.user)))
        .collect();
    Ok(Planned::new(mutations, ()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{NamespaceId, RoleId};
    use crate::test_support::{grant, role, role_assignment, TestPool};

    /// This module's helpers on the shared pool.
    trait OrganizationPool {
        fn organization(&mut self, code: &str) -> Organization;
        fn department(&mut self, organization: &str, parent: &str, code: &str) -> DepartmentId;
        fn named_user(&mut self, name: &str) -> UserId;
        fn join(&mut self, organization: &str, department: &DepartmentId, users: &[&UserId]);
    }

    impl OrganizationPool for TestPool {
        fn organization(&mut self, code: &str) -> Organization {
            let input = NewOrganization {
                code: Some(OrganizationCode::parse(code).unwrap()),
                name: format!("{code} name"),
                description: None,
                open_department_id: None,
            };
            let id = self.run(|s, cx| create_organization(s, input.clone(), cx)).unwrap();
            self.state.organization(&id).unwrap().clone()
        }

        fn department(&mut self, organization: &str, parent: &str, code: &str) -> DepartmentId {
            let input = NewDepartment {
                organization_code: organization.to_owned(),
                parent: by_id(parent),
                name: code.to_owned(),
                code: Some(DepartmentCode::parse(code).unwrap()),
                description: None,
                open_department_id: Some(format!("open-{code}")),
                leader_user_ids: Vec::new(),
                is_virtual_node: false,
                custom_data: None,
            };
            self.run(|s, cx| create_department(s, input.clone(), cx)).unwrap()
        }

        /// A user whose username and name are `name`, created one millisecond after the
        /// previous write.
        fn named_user(&mut self, name: &str) -> UserId {
            self.now += 1;
            let id: UserId = self.new_id();
            self.put(Record::User(User {
                username: Some(name.to_owned()),
                name: Some(name.to_owned()),
                ..User::new(id.clone(), self.now)
            }));
            id
        }

        fn join(&mut self, organization: &str, department: &DepartmentId, users: &[&UserId]) {
            let users: Vec<String> = users.iter().map(|u| u.to_string()).collect();
            self.run(|s, cx| add_department_members(s, organization, &by_id(department.as_str()), &users, cx)).unwrap();
        }
    }

    fn by_id(id: &str) -> DepartmentRef {
        DepartmentRef { id: id.to_owned(), id_type: DepartmentIdType::DepartmentId }
    }

    fn move_under(parent: &str) -> DepartmentChanges {
        DepartmentChanges { parent: Some(by_id(parent)), ..Default::default() }
    }

    #[test]
    fn an_organization_comes_with_a_root_named_after_it() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        let root = pool.state.department(org.root_department.as_str()).unwrap();
        assert_eq!(root.parent, None);
        assert_eq!(root.name, "acme name");
        assert_eq!(root.code.as_ref().unwrap().as_str(), "acme");
        let by_alias = find_department(&pool.state, Some(&org), ROOT_ALIAS, DepartmentIdType::DepartmentId).unwrap();
        assert_eq!(by_alias.id, org.root_department);
    }

    #[test]
    fn an_empty_code_gets_a_generated_one_and_duplicates_are_refused() {
        let mut pool = TestPool::new();
        let input = NewOrganization { code: None, name: "x".into(), description: None, open_department_id: None };
        let id = pool.run(|s, cx| create_organization(s, input.clone(), cx)).unwrap();
        assert_eq!(pool.state.organization(&id).unwrap().code.as_str(), id.as_str());
        pool.organization("acme");
        let again = NewOrganization { code: Some(OrganizationCode::parse("acme").unwrap()), ..input };
        assert_eq!(
            pool.run(|s, cx| create_organization(s, again.clone(), cx)).unwrap_err(),
            DomainError::AlreadyExists(Duplicate::Organization)
        );
    }

    #[test]
    fn departments_are_found_by_id_open_id_and_code_only_inside_their_organization() {
        let mut pool = TestPool::new();
        let acme = pool.organization("acme");
        let other = pool.organization("other");
        let sales = pool.department("acme", "root", "sales");
        for (raw, id_type) in [
            (sales.as_str(), DepartmentIdType::DepartmentId),
            ("open-sales", DepartmentIdType::OpenDepartmentId),
            ("sales", DepartmentIdType::Code),
        ] {
            assert_eq!(find_department(&pool.state, Some(&acme), raw, id_type).unwrap().id, sales);
            assert_eq!(find_department(&pool.state, None, raw, id_type).unwrap().id, sales);
            assert_eq!(
                find_department(&pool.state, Some(&other), raw, id_type).unwrap_err(),
                DomainError::DepartmentNotFound
            );
        }
        assert!(find_department(&pool.state, None, ROOT_ALIAS, DepartmentIdType::DepartmentId).is_err());
    }

    #[test]
    fn codes_and_open_ids_are_unique_within_an_organization_only() {
        let mut pool = TestPool::new();
        pool.organization("acme");
        pool.organization("other");
        pool.department("acme", "root", "sales");
        pool.department("other", "root", "sales");
        let input = NewDepartment {
            organization_code: "acme".into(),
            parent: by_id("root"),
            name: "again".into(),
            code: Some(DepartmentCode::parse("sales").unwrap()),
            description: None,
            open_department_id: None,
            leader_user_ids: Vec::new(),
            is_virtual_node: false,
            custom_data: None,
        };
        let err = pool.run(|s, cx| create_department(s, input.clone(), cx)).unwrap_err();
        assert_eq!(err, DomainError::AlreadyExists(Duplicate::Department));
        let by_open_id = NewDepartment { code: None, open_department_id: Some("open-sales".into()), ..input };
        let err = pool.run(|s, cx| create_department(s, by_open_id.clone(), cx)).unwrap_err();
        assert_eq!(err, DomainError::AlreadyExists(Duplicate::Department));
    }

    #[test]
    fn moves_refuse_the_root_and_cycles() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        let a = pool.department("acme", "root", "a");
        let b = pool.department("acme", a.as_str(), "b");
        let c = pool.department("acme", b.as_str(), "c");
        let root = org.root_department.as_str();
        let refuse = |pool: &mut TestPool, who: &str, under: &str| {
            pool.run(|s, cx| update_department(s, "acme", &by_id(who), move_under(under), cx)).unwrap_err()
        };
        assert_eq!(refuse(&mut pool, root, a.as_str()), DomainError::Rule(Rule::RootDepartmentImmovable));
        assert_eq!(refuse(&mut pool, a.as_str(), a.as_str()), DomainError::Rule(Rule::DepartmentMovedIntoOwnSubtree));
        assert_eq!(refuse(&mut pool, a.as_str(), c.as_str()), DomainError::Rule(Rule::DepartmentMovedIntoOwnSubtree));
        pool.run(|s, cx| update_department(s, "acme", &by_id(c.as_str()), move_under("root"), cx)).unwrap();
        assert_eq!(pool.state.department(c.as_str()).unwrap().parent.as_ref().unwrap().as_str(), root);
        assert!(pool.state.child_departments(&b).next().is_none());
    }

    #[test]
    fn renaming_the_root_renames_the_organization() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        let changes = DepartmentChanges { name: Some("ACME Inc".into()), ..Default::default() };
        pool.run(|s, cx| update_department(s, "acme", &by_id("root"), changes.clone(), cx)).unwrap();
        assert_eq!(pool.state.organization(&org.id).unwrap().name, "ACME Inc");
    }

    #[test]
    fn recoding_the_root_recodes_the_organization_unless_the_code_is_taken() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        pool.organization("taken");
        let recode =
            |code: &str| DepartmentChanges { code: Some(DepartmentCode::parse(code).unwrap()), ..Default::default() };
        let clash = recode("taken");
        let refused = pool.run(|s, cx| update_department(s, "acme", &by_id("root"), clash.clone(), cx));
        assert_eq!(refused.unwrap_err(), DomainError::AlreadyExists(Duplicate::Organization));
        assert_eq!(pool.state.organization(&org.id).unwrap().code.as_str(), "acme");

        let fresh = recode("acme3");
        pool.run(|s, cx| update_department(s, "acme", &by_id("root"), fresh.clone(), cx)).unwrap();
        assert_eq!(pool.state.organization(&org.id).unwrap().code.as_str(), "acme3");
        assert!(pool.state.organization_by_code("acme").is_none());
    }

    #[test]
    fn changing_the_organization_code_follows_on_the_root() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        let changes = OrganizationChanges {
            new_code: Some(OrganizationCode::parse("acme2").unwrap()),
            name: Some("renamed".into()),
            ..Default::default()
        };
        pool.run(|s, cx| update_organization(s, "acme", changes.clone(), cx)).unwrap();
        assert!(pool.state.organization_by_code("acme").is_none());
        let root = pool.state.department(org.root_department.as_str()).unwrap();
        assert_eq!((root.code.as_ref().unwrap().as_str(), root.name.as_str()), ("acme2", "renamed"));
    }

    #[test]
    fn unknown_leaders_refuse_the_update() {
        let mut pool = TestPool::new();
        pool.organization("acme");
        let changes = OrganizationChanges { leader_user_ids: Some(vec!["nobody".into()]), ..Default::default() };
        assert_eq!(
            pool.run(|s, cx| update_organization(s, "acme", changes.clone(), cx)).unwrap_err(),
            DomainError::UserNotFound
        );
    }

    /// Puts a department grant and a department role assignment in place.
    fn authorize(pool: &mut TestPool, department: &DepartmentId) {
        let role = role(RoleId::from_stored("r1"), NamespaceId::from_stored("ns"), "r");
        pool.put(Record::RoleAssignment(role_assignment(role.id.clone(), Assignee::Department(department.clone()))));
        pool.put(Record::Role(role));
        pool.put(Record::Grant(grant(
            NamespaceId::from_stored("ns"),
            GrantTarget::Department(department.clone()),
            "doc:1",
        )));
    }

    fn traces_of(state: &PoolState, department: &DepartmentId) -> usize {
        state.roles_assigned_to(&Assignee::Department(department.clone())).count()
            + state.grants_of_target(&GrantTarget::Department(department.clone())).count()
            + state.department_members(department).count()
    }

    #[test]
    fn deleting_a_department_refuses_root_and_parents_and_cleans_up_the_rest() {
        let mut pool = TestPool::new();
        pool.organization("acme");
        let a = pool.department("acme", "root", "a");
        let b = pool.department("acme", a.as_str(), "b");
        let user = pool.named_user("u");
        pool.join("acme", &b, &[&user]);
        authorize(&mut pool, &b);
        assert_eq!(
            pool.run(|s, _| delete_department(s, "acme", &by_id("root"))).unwrap_err(),
            DomainError::Rule(Rule::RootDepartmentUndeletable)
        );
        assert_eq!(
            pool.run(|s, _| delete_department(s, "acme", &by_id(a.as_str()))).unwrap_err(),
            DomainError::Rule(Rule::DepartmentHasChildren)
        );
        assert_eq!(traces_of(&pool.state, &b), 3);
        pool.run(|s, _| delete_department(s, "acme", &by_id(b.as_str()))).unwrap();
        assert!(pool.state.department(b.as_str()).is_none());
        assert_eq!(traces_of(&pool.state, &b), 0);
        assert!(pool.state.user(user.as_str()).is_some(), "members are detached, not deleted");
        assert!(pool.state.role(&RoleId::from_stored("r1")).is_some());
    }

    #[test]
    fn deleting_an_organization_removes_a_deep_tree_without_recursion() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        let other = pool.organization("other");
        let mut parent = org.root_department.clone();
        let mut chain = Vec::new();
        for depth in 0..200 {
            parent = pool.department("acme", parent.as_str(), &format!("d{depth}"));
            chain.push(parent.clone());
        }
        let user = pool.named_user("u");
        pool.join("acme", &parent, &[&user]);
        authorize(&mut pool, &parent);
        let deepest = &chain[199];
        assert!(is_member(&pool.state, &org.root_department, user.as_str(), true));
        assert!(!is_member(&pool.state, &org.root_department, user.as_str(), false));
        assert_eq!(members_of_subtree(&pool.state, &org.root_department).len(), 1);
        pool.run(|s, _| delete_organization(s, "acme")).unwrap();
        assert!(pool.state.organization_by_code("acme").is_none());
        assert!(pool.state.department(deepest.as_str()).is_none());
        assert_eq!(traces_of(&pool.state, deepest), 0);
        assert_eq!(pool.state.departments().count(), 1, "only the other organization's root is left");
        assert!(pool.state.department(other.root_department.as_str()).is_some());
    }

    #[test]
    fn adding_members_is_all_or_nothing_and_idempotent() {
        let mut pool = TestPool::new();
        pool.organization("acme");
        let a = pool.department("acme", "root", "a");
        let b = pool.department("acme", "root", "b");
        let user = pool.named_user("u");
        let users = vec![user.to_string(), "ghost".to_owned()];
        let err = pool.run(|s, cx| add_department_members(s, "acme", &by_id(a.as_str()), &users, cx)).unwrap_err();
        assert_eq!(err, DomainError::UserNotFound);
        assert_eq!(pool.state.department_members(&a).count(), 0);
        pool.join("acme", &a, &[&user, &user]);
        pool.join("acme", &a, &[&user]);
        pool.join("acme", &b, &[&user]);
        assert_eq!(pool.state.department_members(&a).count(), 1);
        assert!(pool.state.department_membership(&a, &user).unwrap().is_main, "first department is main");
        assert!(!pool.state.department_membership(&b, &user).unwrap().is_main);
        let remove = vec![user.to_string(), "ghost".to_owned()];
        pool.run(|s, _| remove_department_members(s, "acme", &by_id(a.as_str()), &remove)).unwrap();
        assert_eq!(pool.state.department_members(&a).count(), 0);
    }

    #[test]
    fn member_listings_are_distinct_filtered_and_sorted() {
        let mut pool = TestPool::new();
        let org = pool.organization("acme");
        let a = pool.department("acme", "root", "a");
        let alice = pool.named_user("alice");
        let bob = pool.named_user("bob");
        pool.join("acme", &org.root_department, &[&alice]);
        pool.join("acme", &a, &[&bob, &alice]);
        let root = &org.root_department;
        let names = |query: &MemberQuery| -> Vec<String> {
            department_members(&pool.state, root, query).iter().map(|u| u.name.clone().unwrap()).collect()
        };
        assert_eq!(names(&MemberQuery::default()), ["alice"]);
        let subtree = MemberQuery { include_descendants: true, ..Default::default() };
        assert_eq!(names(&subtree), ["alice", "bob"], "alice joined first, ascending");
        assert_eq!(names(&MemberQuery { descending: true, ..subtree.clone() }), ["bob", "alice"]);
        assert_eq!(names(&MemberQuery { keywords: Some("BO"), ..subtree }), ["bob"]);
    }
}
