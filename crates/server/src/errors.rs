//! The one place where failures become the contract's statusCode, apiCode and message.

use crate::auth::AuthError;
use crate::envelope::Lang;
use axum::http::StatusCode;
use portcullis_core::error::{Duplicate, Rule, TargetKind};
use portcullis_core::DomainError;
use portcullis_service::ServiceError;
use thiserror::Error;

#[derive(Debug, Clone, Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// A failure that is ours, not the caller's (storage, configuration). Logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("request body is not a JSON object")]
    MalformedJson,
    #[error("request body too large")]
    BodyTooLarge,
    #[error("no such endpoint")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The database is unreachable for now (e.g. restarting); the client may retry.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// `x-portcullis-min-revision` named a revision this node did not apply in time.
    #[error("revision {0} not applied on this node in time")]
    NotCaughtUp(u64),
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Domain(d) => Self::Domain(d),
            ServiceError::Store(e) if e.is_unavailable() => Self::Unavailable(e.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// An error as the client sees it.
pub struct Rendered {
    pub status_code: u16,
    pub api_code: Option<u32>,
    pub message: String,
}

fn rendered(status_code: u16, message: impl Into<String>) -> Rendered {
    Rendered { status_code, api_code: None, message: message.into() }
}

impl ApiError {
    /// Shorthand for the contract's `参数 {field} 格式错误`.
    pub fn param(field: &str) -> Self {
        Self::Domain(DomainError::param(field))
    }

    /// Maps a status the framework produced on its own (no handler ran) to an error.
    pub fn from_framework(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::RouteNotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Self::BodyTooLarge,
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Self::MalformedJson
            }
            other => Self::Internal(format!("unexpected framework status {other}")),
        }
    }

    pub fn render(&self, lang: Lang) -> Rendered {
        let en = lang == Lang::EnUs;
        let pick = |zh: &str, english: &str| if en { english.to_owned() } else { zh.to_owned() };
        match self {
            Self::Domain(e) => render_domain(e, en),
            Self::Auth(e) => {
                Rendered { status_code: e.status_code(), api_code: e.api_code(), message: e.message(en).to_owned() }
            }
            Self::Internal(_) => rendered(500, pick("未知错误", "Unknown error")),
            Self::MalformedJson => {
                rendered(400, pick("请求体不是合法的 JSON 对象", "Request body is not a valid JSON object"))
            }
            Self::BodyTooLarge => rendered(413, pick("请求体过大", "Request body too large")),
            Self::RouteNotFound => rendered(404, pick("接口不存在", "No such endpoint")),
            Self::MethodNotAllowed => rendered(405, pick("请求方法不支持", "Method not allowed")),
            Self::Unavailable(_) => {
                rendered(503, pick("数据库暂时不可用，请稍后重试", "The database is unavailable, retry later"))
            }
            Self::NotCaughtUp(_) => rendered(
                503,
                pick("数据尚未同步到此节点", "This node has not caught up with the requested revision yet"),
            ),
        }
    }
}

fn render_domain(e: &DomainError, en: bool) -> Rendered {
    let pick = |zh: &str, english: &str| if en { english.to_owned() } else { zh.to_owned() };
    match e {
        DomainError::InvalidParameter(field) => {
            rendered(400, if en { format!("Invalid parameter: {field}") } else { format!("参数 {field} 格式错误") })
        }
        DomainError::InvalidCode { kind, code } => rendered(400, format!("invalid {} code: {code}", kind.as_str())),
        DomainError::InvalidOrganizationCodeNoColon(code) => rendered(400, format!("invalid organization code {code}")),
        DomainError::NamespaceNotFound => rendered(404, pick("权限组不存在", "Permission group not found")),
        DomainError::NamespaceNotExists => rendered(404, "namespace not exists"),
        DomainError::ResourceNotFound => rendered(404, pick("资源不存在", "Resource not found")),
        DomainError::RoleNotFound => rendered(404, pick("角色不存在", "Role not found")),
        DomainError::GroupNotFound => rendered(404, pick("分组不存在", "Group not found")),
        DomainError::UserNotFound => {
            Rendered { api_code: Some(2004), ..rendered(404, pick("用户不存在", "User not found")) }
        }
        DomainError::DepartmentNotFound => rendered(404, pick("部门不存在", "Department not found")),
        DomainError::OrganizationNotFound(code) => rendered(404, format!("organization not found for code: {code}")),
        DomainError::TargetNotExists { kind, id } => rendered(
            404,
            match kind {
                TargetKind::User => format!("user not exists with id: {id}"),
                TargetKind::Role => format!("role not exists with code: {id}"),
                TargetKind::Group => format!("group not exists with code: {id}"),
                TargetKind::Department => format!("department not exists with id: {id}"),
            },
        ),
        DomainError::InvalidDepartmentId(id) => rendered(
            404,
            if en { format!("Invalid departmentId: {id}") } else { format!("存在不合法的 departmentId: {id}") },
        ),
        DomainError::AlreadyExists(what) => {
            let (zh, english) = match what {
                Duplicate::Namespace => ("权限分组已存在", "Permission group already exists"),
                Duplicate::Resource => ("资源已存在", "Resource already exists"),
                Duplicate::Role => ("角色已存在", "Role already exists"),
                Duplicate::Group => ("分组标识符已存在", "Group code already exists"),
                Duplicate::Organization => ("组织机构已存在", "Organization already exists"),
                Duplicate::Department => ("部门已存在", "Department already exists"),
                Duplicate::Username => ("用户名已存在", "Username already exists"),
                Duplicate::Email => ("邮箱已存在", "Email already exists"),
                Duplicate::Phone => ("手机号已存在", "Phone already exists"),
                Duplicate::ExternalId => ("externalId 已存在", "externalId already exists"),
            };
            rendered(409, pick(zh, english))
        }
        DomainError::Rule(rule) => {
            let (zh, english) = match rule {
                Rule::DefaultNamespaceUndeletable => {
                    ("默认权限分组不可删除", "The default permission group cannot be deleted")
                }
                Rule::DefaultNamespaceCodeImmutable => {
                    ("默认权限分组不可修改 code", "The code of the default permission group cannot be changed")
                }
                Rule::RootDepartmentUndeletable => ("根部门不可删除", "The root department cannot be deleted"),
                Rule::DepartmentHasChildren => {
                    ("部门存在子部门，不可删除", "A department with sub-departments cannot be deleted")
                }
                Rule::RootDepartmentImmovable => ("根部门不可移动", "The root department cannot be moved"),
                Rule::DepartmentMovedIntoOwnSubtree => (
                    "不能将部门移动到其自身或其子部门下",
                    "A department cannot be moved under itself or its descendants",
                ),
            };
            rendered(422, pick(zh, english))
        }
        DomainError::RoleCodeEmpty => rendered(400, "role code must not empty"),
        DomainError::NamespaceNameEmpty => rendered(400, "namespace name must not be empty"),
        DomainError::LimitTooBig => rendered(400, "limit must less than 50"),
        DomainError::UserNeedsIdentifier => {
            rendered(400, "Must contain one of the following fields: username, phone, email")
        }
        DomainError::CustomDataTooLong => rendered(400, "customData must be less than 1024 characters"),
        DomainError::PhoneEmpty => rendered(400, "phone cannot be empty"),
        DomainError::Unknown => rendered(500, pick("未知错误", "Unknown error")),
    }
}
