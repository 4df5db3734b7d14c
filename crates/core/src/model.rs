//! The records a user pool consists of. Timestamps are Unix milliseconds; the edge formats them.
//! Everything refers to other records by id, so renaming a code never breaks a reference.

use crate::codes::{
    Action, DepartmentCode, GrantCode, GroupCode, NamespaceCode, OrganizationCode, ResourceCode, RoleCode,
};
use crate::ids::{DepartmentId, GroupId, NamespaceId, OrganizationId, ResourceId, RoleId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A JSON object kept as its serialized text. The core never looks inside caller-defined
/// data; the edge checks that it is an object and renders it back verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonObjectText(pub String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResourceType {
    Data,
    Api,
    Menu,
    Button,
    Ui,
}

impl ResourceType {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "DATA" => Self::Data,
            "API" => Self::Api,
            "MENU" => Self::Menu,
            "BUTTON" => Self::Button,
            "UI" => Self::Ui,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Data => "DATA",
            Self::Api => "API",
            Self::Menu => "MENU",
            Self::Button => "BUTTON",
            Self::Ui => "UI",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "ALLOW" => Some(Self::Allow),
            "DENY" => Some(Self::Deny),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "ALLOW",
            Self::Deny => "DENY",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    pub id: NamespaceId,
    /// The numeric id some DTOs carry (`namespaceId: number`); unique within the pool.
    pub numeric_id: i64,
    pub code: NamespaceCode,
    pub name: String,
    pub description: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceAction {
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub id: ResourceId,
    pub namespace: NamespaceId,
    pub code: ResourceCode,
    pub name: Option<String>,
    pub description: Option<String>,
    pub resource_type: ResourceType,
    pub actions: Vec<ResourceAction>,
    pub api_identifier: Option<String>,
    pub linked_to_tenant: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleStatus {
    Enable,
    Disable,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: RoleId,
    pub namespace: NamespaceId,
    pub code: RoleCode,
    pub name: String,
    pub description: String,
    pub status: RoleStatus,
    /// After this instant (ms) the role is disabled; `None` = never.
    pub disable_time: Option<i64>,
    pub enable_permission_apply: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Role {
    /// Whether the role contributes permissions at `now_ms`.
    pub fn is_active(&self, now_ms: i64) -> bool {
        self.active_window().is_some_and(|window| window.contains(now_ms))
    }

    /// When the role contributes permissions: until its `disableTime`, or never when disabled.
    pub fn active_window(&self) -> Option<Window> {
        (self.status == RoleStatus::Enable).then_some(Window { from: None, until: self.disable_time })
    }
}

/// The instants `from <= now < until`; an absent bound is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Option<i64>,
    pub until: Option<i64>,
}

impl Window {
    pub fn contains(self, now_ms: i64) -> bool {
        self.from.is_none_or(|t| t <= now_ms) && self.until.is_none_or(|t| now_ms < t)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Activated,
    Suspended,
    Deactivated,
    Resigned,
    Archived,
}

impl UserStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "Activated" => Self::Activated,
            "Suspended" => Self::Suspended,
            "Deactivated" => Self::Deactivated,
            "Resigned" => Self::Resigned,
            "Archived" => Self::Archived,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activated => "Activated",
            Self::Suspended => "Suspended",
            Self::Deactivated => "Deactivated",
            Self::Resigned => "Resigned",
            Self::Archived => "Archived",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    M,
    F,
    U,
}

impl Gender {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "M" => Some(Self::M),
            "F" => Some(Self::F),
            "U" => Some(Self::U),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::M => "M",
            Self::F => "F",
            Self::U => "U",
        }
    }
}

/// A pool user. Passwords are not kept: Portcullis authorizes, it does not log users in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub status: UserStatus,
    pub gender: Gender,
    pub email_verified: bool,
    pub phone_verified: bool,
    /// Stored lower-cased; unique in the pool.
    pub email: Option<String>,
    /// Unique in the pool.
    pub phone: Option<String>,
    pub phone_country_code: Option<String>,
    /// Unique in the pool.
    pub username: Option<String>,
    /// Unique in the pool.
    pub external_id: Option<String>,
    pub name: Option<String>,
    pub nickname: Option<String>,
    pub photo: Option<String>,
    /// Other profile strings the caller sent (`company`, `givenName`, …), keyed by their API name.
    pub profile: BTreeMap<String, String>,
    pub custom_data: Option<JsonObjectText>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl User {
    /// A user with no profile yet: `Activated`, gender `U`, nothing verified.
    pub fn new(id: UserId, now_ms: i64) -> Self {
        Self {
            id,
            status: UserStatus::Activated,
            gender: Gender::U,
            email_verified: false,
            phone_verified: false,
            email: None,
            phone: None,
            phone_country_code: None,
            username: None,
            external_id: None,
            name: None,
            nickname: None,
            photo: None,
            profile: BTreeMap::new(),
            custom_data: None,
            created_at: now_ms,
            updated_at: now_ms,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub code: GroupCode,
    pub name: String,
    pub description: String,
    /// `static`; dynamic groups are out of scope.
    pub group_type: String,
    pub custom_data: Option<JsonObjectText>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMembership {
    pub group: GroupId,
    pub user: UserId,
    pub joined_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: OrganizationId,
    pub code: OrganizationCode,
    pub name: String,
    pub description: Option<String>,
    /// The root department, created with the organization and deleted with it.
    pub root_department: DepartmentId,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub organization: OrganizationId,
    /// `None` only for an organization's root.
    pub parent: Option<DepartmentId>,
    pub code: Option<DepartmentCode>,
    pub name: String,
    pub description: Option<String>,
    pub open_department_id: Option<String>,
    pub leader_user_ids: Vec<UserId>,
    pub is_virtual_node: bool,
    pub status: bool,
    pub custom_data: Option<JsonObjectText>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentMembership {
    pub department: DepartmentId,
    pub user: UserId,
    pub is_leader: bool,
    pub is_main: bool,
    pub joined_at: i64,
}

/// Who a role can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Assignee {
    User(UserId),
    Department(DepartmentId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub role: RoleId,
    pub assignee: Assignee,
    /// Department assignees only: the role also reaches members of descendant departments.
    pub inherit_by_children: bool,
    /// The assignment counts while `enable_time <= now < end_time` (absent bounds are open).
    pub enable_time: Option<i64>,
    pub end_time: Option<i64>,
    pub created_at: i64,
}

impl RoleAssignment {
    pub fn is_in_effect(&self, now_ms: i64) -> bool {
        self.window().contains(now_ms)
    }

    pub fn window(&self) -> Window {
        Window { from: self.enable_time, until: self.end_time }
    }
}

/// Who a grant is made to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GrantTarget {
    User(UserId),
    Role(RoleId),
    Group(GroupId),
    Department(DepartmentId),
}

impl GrantTarget {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::User(_) => "USER",
            Self::Role(_) => "ROLE",
            Self::Group(_) => "GROUP",
            Self::Department(_) => "DEPARTMENT",
        }
    }
    pub fn id_str(&self) -> &str {
        match self {
            Self::User(id) => id.as_str(),
            Self::Role(id) => id.as_str(),
            Self::Group(id) => id.as_str(),
            Self::Department(id) => id.as_str(),
        }
    }
}

/// One authorization: `target` may perform `actions` on resources covered by `code` in
/// `namespace` (or is denied them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub namespace: NamespaceId,
    pub target: GrantTarget,
    pub code: GrantCode,
    pub resource_type: ResourceType,
    pub actions: Vec<Action>,
    pub effect: Effect,
    /// Department targets only: the grant also reaches members of descendant departments.
    pub inherit_by_children: bool,
    pub created_at: i64,
    pub updated_at: i64,
}
