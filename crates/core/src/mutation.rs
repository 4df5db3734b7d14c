//! The unit of change. A planned write is a list of mutations; the store persists them (rows and
//! changelog in one transaction) and every node applies the same list to its in-memory state.
//! Cascades are planned explicitly, so applying is mechanical and order-independent within a list.

use crate::codes::GrantCode;
use crate::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, ResourceId, RoleId, UserId};
use crate::model::{
    Assignee, Department, DepartmentMembership, Grant, GrantTarget, Group, GroupMembership, Namespace, Organization,
    Resource, Role, RoleAssignment, User,
};
use serde::{Deserialize, Serialize};

/// The names of the record kinds ([`RecordKey::kind`]), stored beside each record.
pub mod record_kinds {
    pub const NAMESPACE: &str = "namespace";
    pub const RESOURCE: &str = "resource";
    pub const ROLE: &str = "role";
    pub const USER: &str = "user";
    pub const GROUP: &str = "group";
    pub const GROUP_MEMBER: &str = "group_member";
    pub const ORGANIZATION: &str = "organization";
    pub const DEPARTMENT: &str = "department";
    pub const DEPARTMENT_MEMBER: &str = "department_member";
    pub const ROLE_ASSIGNMENT: &str = "role_assignment";
    pub const GRANT: &str = "grant";
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Record {
    Namespace(Namespace),
    Resource(Resource),
    Role(Role),
    User(User),
    Group(Group),
    GroupMember(GroupMembership),
    Organization(Organization),
    Department(Department),
    DepartmentMember(DepartmentMembership),
    RoleAssignment(RoleAssignment),
    Grant(Grant),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKey {
    Namespace(NamespaceId),
    Resource(ResourceId),
    Role(RoleId),
    User(UserId),
    Group(GroupId),
    GroupMember(GroupId, UserId),
    Organization(OrganizationId),
    Department(DepartmentId),
    DepartmentMember(DepartmentId, UserId),
    RoleAssignment(RoleId, Assignee),
    Grant(NamespaceId, GrantTarget, GrantCode),
}

// Nearly every mutation is a `Put`, so boxing the record would save no memory and cost an
// allocation per record (an import of large applies millions).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mutation {
    /// Insert or replace the record with this record's key.
    Put(Record),
    /// Remove the record with this key; absent keys are fine.
    Delete(RecordKey),
}

impl Record {
    pub fn key(&self) -> RecordKey {
        match self {
            Self::Namespace(r) => RecordKey::Namespace(r.id.clone()),
            Self::Resource(r) => RecordKey::Resource(r.id.clone()),
            Self::Role(r) => RecordKey::Role(r.id.clone()),
            Self::User(r) => RecordKey::User(r.id.clone()),
            Self::Group(r) => RecordKey::Group(r.id.clone()),
            Self::GroupMember(r) => RecordKey::GroupMember(r.group.clone(), r.user.clone()),
            Self::Organization(r) => RecordKey::Organization(r.id.clone()),
            Self::Department(r) => RecordKey::Department(r.id.clone()),
            Self::DepartmentMember(r) => RecordKey::DepartmentMember(r.department.clone(), r.user.clone()),
            Self::RoleAssignment(r) => RecordKey::RoleAssignment(r.role.clone(), r.assignee.clone()),
            Self::Grant(r) => RecordKey::Grant(r.namespace.clone(), r.target.clone(), r.code.clone()),
        }
    }
}

impl RecordKey {
    /// A short stable name for the record's kind, used as a storage column.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Namespace(_) => record_kinds::NAMESPACE,
            Self::Resource(_) => record_kinds::RESOURCE,
            Self::Role(_) => record_kinds::ROLE,
            Self::User(_) => record_kinds::USER,
            Self::Group(_) => record_kinds::GROUP,
            Self::GroupMember(..) => record_kinds::GROUP_MEMBER,
            Self::Organization(_) => record_kinds::ORGANIZATION,
            Self::Department(_) => record_kinds::DEPARTMENT,
            Self::DepartmentMember(..) => record_kinds::DEPARTMENT_MEMBER,
            Self::RoleAssignment(..) => record_kinds::ROLE_ASSIGNMENT,
            Self::Grant(..) => record_kinds::GRANT,
        }
    }

    /// The key as one string, unique within its kind. Only the last part may be free text (a
    /// grant code), and every earlier part is a fixed-format id, so the encoding is unambiguous.
    pub fn encode(&self) -> String {
        fn assignee(a: &Assignee) -> String {
            match a {
                Assignee::User(id) => format!("U/{id}"),
                Assignee::Department(id) => format!("D/{id}"),
            }
        }
        match self {
            Self::Namespace(id) => id.to_string(),
            Self::Resource(id) => id.to_string(),
            Self::Role(id) => id.to_string(),
            Self::User(id) => id.to_string(),
            Self::Group(id) => id.to_string(),
            Self::GroupMember(g, u) => format!("{g}/{u}"),
            Self::Organization(id) => id.to_string(),
            Self::Department(id) => id.to_string(),
            Self::DepartmentMember(d, u) => format!("{d}/{u}"),
            Self::RoleAssignment(r, a) => format!("{r}/{}", assignee(a)),
            Self::Grant(ns, target, code) => format!("{ns}/{}/{}/{code}", target.type_name(), target.id_str()),
        }
    }
}

impl Mutation {
    pub fn key(&self) -> RecordKey {
        match self {
            Self::Put(record) => record.key(),
            Self::Delete(key) => key.clone(),
        }
    }
}
