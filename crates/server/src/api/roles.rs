//! Roles: principals.md §2.

use super::users::{user_dto, UserDtoOptions};
use super::{check_lookup_code, parse_code};
use crate::dto::PageDto;
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::params::{Body, Params, Query};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::codes::{CodeError, RoleCode};
use portcullis_core::error::CodeKind;
use portcullis_core::model::{Department, Role, RoleStatus};
use portcullis_core::ops::roles::{self, AssigneeRef, NewRole, RoleChanges, RoleRef, Window};
use portcullis_core::{DomainError, PoolState};
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/create-role", post(create))
        .route("/api/v3/create-roles-batch", post(create_batch))
        .route("/api/v3/get-role", get(get_one))
        .route("/api/v3/update-role", post(update))
        .route("/api/v3/delete-roles-batch", post(delete_batch))
        .route("/api/v3/list-roles", get(list))
        .route("/api/v3/assign-role", post(assign))
        .route("/api/v3/assign-role-batch", post(assign_batch))
        .route("/api/v3/revoke-role", post(revoke))
        .route("/api/v3/revoke-role-batch", post(revoke_batch))
        .route("/api/v3/list-role-members", get(list_members))
        .route("/api/v3/list-role-departments", get(list_departments))
}

/// `RoleDto` (principals.md §0).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RoleDto<'a> {
    id: &'a str,
    code: &'a str,
    name: &'a str,
    description: &'a str,
    namespace: &'a str,
    namespace_name: &'a str,
    status: &'static str,
    disable_time: Option<i64>,
    enable_permission_apply: bool,
}

pub(crate) fn role_dto<'a>(state: &'a PoolState, role: &'a Role) -> RoleDto<'a> {
    // A role's namespace always exists: deleting a namespace deletes its roles.
    let namespace = state.namespace(&role.namespace);
    RoleDto {
        id: role.id.as_str(),
        code: role.code.as_str(),
        name: &role.name,
        description: &role.description,
        namespace: namespace.map_or("", |n| n.code.as_str()),
        namespace_name: namespace.map_or("", |n| n.name.as_str()),
        status: match role.status {
            RoleStatus::Enable => "ENABLE",
            RoleStatus::Disable => "DISABLE",
        },
        disable_time: role.disable_time,
        enable_permission_apply: role.enable_permission_apply,
    }
}

/// `RoleDepartmentRespDto`: the department's own fields, `""` where it has none.
#[derive(Serialize)]
struct RoleDepartmentDto<'a> {
    id: &'a str,
    code: &'a str,
    name: &'a str,
    description: &'a str,
}

impl<'a> From<&'a Department> for RoleDepartmentDto<'a> {
    fn from(d: &'a Department) -> Self {
        Self {
            id: d.id.as_str(),
            code: d.code.as_ref().map_or("", |c| c.as_str()),
            name: &d.name,
            description: d.description.as_deref().unwrap_or(""),
        }
    }
}

/// The role a request addresses by `code` (+ `namespace`); the code is only looked up, so only
/// its length is checked here.
fn role_ref(params: &Params) -> Result<RoleRef, ApiError> {
    let code = params.required_str("code")?;
    check_lookup_code(code, "code")?;
    Ok(RoleRef { namespace: params.namespace()?.map(str::to_owned), code: code.to_owned() })
}

fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_owned)
}

/// The fields create-role and create-roles-batch items share, around an already parsed code.
fn new_role(params: &Params, code: RoleCode) -> Result<NewRole, ApiError> {
    Ok(NewRole {
        namespace: owned(params.namespace()?),
        code,
        name: owned(params.optional_str("name")?),
        description: owned(params.optional_str("description")?),
        disable_time: params.optional_int("disableTime")?,
    })
}

async fn create(caller: Caller, Body(body): Body) -> ApiResult {
    let code = parse_code(body.required_str("code")?, "code", CodeKind::Role, RoleCode::parse)?;
    let input = new_role(&body, code)?;
    let id = caller.write(|state, cx| roles::create(state, input.clone(), cx)).await?;
    caller.read(|state| Ok(Reply::new(&role_dto(state, state.role(&id).expect("just created")))))
}

async fn create_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let items = body.object_list("list", 1, 50)?;
    let inputs = items
        .iter()
        .map(|item| {
            // Batch items skip the length validator: "" has its own message, anything else
            // malformed (including over-long) is a code error.
            let raw = item.optional_str("code").map_err(|_| ApiError::param("list"))?.unwrap_or("");
            let code = RoleCode::parse(raw).map_err(|e| match e {
                CodeError::Empty => DomainError::RoleCodeEmpty,
                _ => DomainError::InvalidCode { kind: CodeKind::Role, code: raw.to_owned() },
            })?;
            new_role(item, code).map_err(|_| ApiError::param("list"))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    caller.write(|state, cx| roles::create_batch(state, inputs.clone(), cx)).await?;
    Ok(Reply::success())
}

async fn get_one(caller: Caller, Query(query): Query) -> ApiResult {
    let role = role_ref(&query)?;
    caller.read(|state| {
        let found = roles::find(state, role.namespace.as_deref(), &role.code)?;
        Ok(Reply::new(&role_dto(state, found)))
    })
}

fn role_status(raw: &str) -> Result<RoleStatus, ApiError> {
    match raw.to_ascii_uppercase().as_str() {
        "ENABLE" => Ok(RoleStatus::Enable),
        "DISABLE" => Ok(RoleStatus::Disable),
        _ => Err(ApiError::param("status")),
    }
}

async fn update(caller: Caller, Body(body): Body) -> ApiResult {
    let role = role_ref(&body)?;
    let new_code = match body.optional_str("newCode")? {
        // An empty newCode keeps the code (observed).
        None | Some("") => None,
        Some(raw) => Some(parse_code(raw, "newCode", CodeKind::Role, RoleCode::parse)?),
    };
    let changes = RoleChanges {
        new_code,
        name: owned(body.optional_str("name")?),
        description: owned(body.optional_str("description")?),
        status: body.optional_str("status")?.map(role_status).transpose()?,
        disable_time: body.optional_int("disableTime")?,
        enable_permission_apply: body.optional_bool("enablePermissionApply")?,
    };
    caller.write(|state, cx| roles::update(state, role.namespace.as_deref(), &role.code, changes.clone(), cx)).await?;
    Ok(Reply::success())
}

async fn delete_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let codes = body.str_list("codeList", 1, 50)?;
    let namespace = body.namespace()?;
    caller.write(|state, _| roles::delete_batch(state, namespace, &codes)).await?;
    Ok(Reply::success())
}

async fn list(caller: Caller, Query(query): Query) -> ApiResult {
    let page = query.page()?;
    let namespace = query.namespace()?;
    let keywords = query.optional_str("keywords")?.filter(|k| !k.is_empty());
    caller.read(|state| {
        let found = roles::list(state, namespace, keywords, page)?;
        Ok(Reply::new(&PageDto::from_page(found, |r| role_dto(state, r))))
    })
}

/// `targets` (TargetDto[]): USER and DEPARTMENT only (principals.md §0); a DEPARTMENT target
/// may add `inheritByChildren` (semantics §13.4). Anything else is `参数 targets 格式错误`.
fn targets(params: &Params, max: usize) -> Result<Vec<AssigneeRef>, ApiError> {
    let invalid = || ApiError::param("targets");
    params
        .object_list("targets", 1, max)?
        .iter()
        .map(|item| {
            let target_type = item.required_str("targetType").map_err(|_| invalid())?;
            let id = item.required_str("targetIdentifier").map_err(|_| invalid())?.to_owned();
            let inherit_by_children = item.bool_or("inheritByChildren", false).map_err(|_| invalid())?;
            match target_type {
                "USER" if !inherit_by_children => Ok(AssigneeRef::User(id)),
                "DEPARTMENT" => Ok(AssigneeRef::Department { id, inherit_by_children }),
                _ => Err(invalid()),
            }
        })
        .collect()
}

/// `roles` (RoleCodeDto[], 1..=10) of the batch endpoints.
fn role_codes(params: &Params) -> Result<Vec<RoleRef>, ApiError> {
    let invalid = || ApiError::param("roles");
    params
        .object_list("roles", 1, 10)?
        .iter()
        .map(|item| {
            let code = item.required_str("code").map_err(|_| invalid())?;
            check_lookup_code(code, "code").map_err(|_| invalid())?;
            let namespace = item.namespace().map_err(|_| invalid())?;
            Ok(RoleRef { namespace: owned(namespace), code: code.to_owned() })
        })
        .collect()
}

async fn assign(caller: Caller, Body(body): Body) -> ApiResult {
    let role = [role_ref(&body)?];
    let targets = targets(&body, 50)?;
    let window = Window { enable_time: body.optional_int("enableTime")?, end_time: body.optional_int("endTime")? };
    caller.write(|state, cx| roles::assign(state, &role, &targets, Some(window), cx)).await?;
    Ok(Reply::success())
}

async fn assign_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let targets = targets(&body, 10)?;
    let roles = role_codes(&body)?;
    caller.write(|state, cx| roles::assign(state, &roles, &targets, None, cx)).await?;
    Ok(Reply::success())
}

async fn revoke(caller: Caller, Body(body): Body) -> ApiResult {
    let role = [role_ref(&body)?];
    let targets = targets(&body, 50)?;
    caller.write(|state, _| roles::revoke(state, &role, &targets)).await?;
    Ok(Reply::success())
}

async fn revoke_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let targets = targets(&body, 50)?;
    let roles = role_codes(&body)?;
    caller.write(|state, _| roles::revoke(state, &roles, &targets)).await?;
    Ok(Reply::success())
}

async fn list_members(caller: Caller, Query(query): Query) -> ApiResult {
    let role = role_ref(&query)?;
    let page = query.page()?;
    let options = UserDtoOptions::from_params(&query)?;
    caller.read(|state| {
        let found = roles::members(state, role.namespace.as_deref(), &role.code, page)?;
        Ok(Reply::new(&PageDto::from_page(found, |u| user_dto(state, u, &options))))
    })
}

async fn list_departments(caller: Caller, Query(query): Query) -> ApiResult {
    let role = role_ref(&query)?;
    let page = query.page()?;
    caller.read(|state| {
        let found = roles::departments(state, role.namespace.as_deref(), &role.code, page)?;
        Ok(Reply::new(&PageDto::from_page(found, RoleDepartmentDto::from)))
    })
}
