//! Every way a domain operation can refuse. The server maps each variant to the contract's
//! statusCode and message in one place (`portcullis_server::errors`).

use thiserror::Error;

/// Which kind of code a message talks about (`invalid role code: …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    Resource,
    Namespace,
    Role,
    Group,
    Organization,
}

impl CodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resource => "resource",
            Self::Namespace => "namespace",
            Self::Role => "role",
            Self::Group => "group",
            Self::Organization => "organization",
        }
    }
}

/// Things whose uniqueness can be violated (statusCode 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicate {
    Namespace,
    Resource,
    Role,
    Group,
    Organization,
    Department,
    Username,
    Email,
    Phone,
    ExternalId,
}

/// Business rules that refuse a well-formed request (statusCode 422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    DefaultNamespaceUndeletable,
    DefaultNamespaceCodeImmutable,
    RootDepartmentUndeletable,
    DepartmentHasChildren,
    RootDepartmentImmovable,
    DepartmentMovedIntoOwnSubtree,
}

/// A target of get-authorized-resources that does not exist (`group not exists with code: X`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    User,
    Role,
    Group,
    Department,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A request field is missing, of the wrong type, out of range or malformed.
    #[error("invalid parameter {0}")]
    InvalidParameter(String),
    #[error("invalid {} code: {code}", kind.as_str())]
    InvalidCode { kind: CodeKind, code: String },
    /// create-department's wording for a blank organization code (no colon, as observed).
    #[error("invalid organization code {0}")]
    InvalidOrganizationCodeNoColon(String),
    #[error("namespace not found")]
    NamespaceNotFound,
    /// get-namespace's own wording for an unknown namespace.
    #[error("namespace not exists")]
    NamespaceNotExists,
    #[error("resource not found")]
    ResourceNotFound,
    #[error("role not found")]
    RoleNotFound,
    #[error("group not found")]
    GroupNotFound,
    #[error("user not found")]
    UserNotFound,
    #[error("department not found")]
    DepartmentNotFound,
    #[error("organization not found for code: {0}")]
    OrganizationNotFound(String),
    #[error("{} not exists: {id}", target_kind_name(*kind))]
    TargetNotExists { kind: TargetKind, id: String },
    #[error("invalid departmentId: {0}")]
    InvalidDepartmentId(String),
    #[error("already exists: {0:?}")]
    AlreadyExists(Duplicate),
    #[error("refused by rule {0:?}")]
    Rule(Rule),
    #[error("role code must not empty")]
    RoleCodeEmpty,
    #[error("namespace name must not be empty")]
    NamespaceNameEmpty,
    #[error("limit must less than 50")]
    LimitTooBig,
    #[error("Must contain one of the following fields: username, phone, email")]
    UserNeedsIdentifier,
    #[error("customData must be less than 1024 characters")]
    CustomDataTooLong,
    #[error("phone cannot be empty")]
    PhoneEmpty,
    /// An item the contract answers with the generic 500 (create-resources-batch without a code).
    #[error("unknown error")]
    Unknown,
}

impl DomainError {
    pub fn param(field: &str) -> Self {
        Self::InvalidParameter(field.to_owned())
    }
}

fn target_kind_name(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::User => "user",
        TargetKind::Role => "role",
        TargetKind::Group => "group",
        TargetKind::Department => "department",
    }
}
