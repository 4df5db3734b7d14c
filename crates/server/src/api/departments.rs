//! Organizations and departments: principals.md §4.

use super::users::{user_dto, UserDtoOptions};
use super::{check_lookup_code, parse_code};
use crate::dto::{iso_time, PageDto};
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::params::{Body, Params, Query};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::codes::{DepartmentCode, OrganizationCode, MAX_CODE_CHARS};
use portcullis_core::error::CodeKind;
use portcullis_core::ids::{DepartmentId, UserId};
use portcullis_core::model::{Department, JsonObjectText, Organization};
use portcullis_core::ops::organizations::{
    self as ops, DepartmentChanges, DepartmentIdType, DepartmentRef, MemberOrder, MemberQuery, NewDepartment,
    NewOrganization, OrganizationChanges,
};
use portcullis_core::ops::sort_newest_first;
use portcullis_core::{DomainError, PoolState};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/create-organization", post(create_organization))
        .route("/api/v3/update-organization", post(update_organization))
        .route("/api/v3/delete-organization", post(delete_organization))
        .route("/api/v3/list-organizations", get(list_organizations))
        .route("/api/v3/get-organization", get(get_organization))
        .route("/api/v3/search-organizations", get(search_organizations))
        .route("/api/v3/create-department", post(create_department))
        .route("/api/v3/update-department", post(update_department))
        .route("/api/v3/delete-department", post(delete_department))
        .route("/api/v3/get-department", get(get_department))
        .route("/api/v3/list-children-departments", get(list_children_departments))
        .route("/api/v3/add-department-members", post(add_department_members))
        .route("/api/v3/remove-department-members", post(remove_department_members))
        .route("/api/v3/list-department-members", get(list_department_members))
        .route("/api/v3/list-department-member-ids", get(list_department_member_ids))
        .route("/api/v3/search-department-members", get(search_department_members))
        .route("/api/v3/search-departments", post(search_departments))
        .route("/api/v3/get-parent-department", get(get_parent_department))
        .route("/api/v3/is-user-in-department", get(is_user_in_department))
}

// ---- DTOs -----------------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DepartmentDto<'a> {
    organization_code: &'a str,
    department_id: &'a str,
    created_at: String,
    updated_at: String,
    open_department_id: Option<&'a str>,
    name: &'a str,
    leader_user_ids: &'a [UserId],
    description: Option<&'a str>,
    /// `null` for a root department.
    parent_department_id: Option<&'a str>,
    code: Option<&'a str>,
    /// `""` when there is no parent or the parent has no code.
    parent_department_code: &'a str,
    /// Direct members only.
    members_count: usize,
    has_children: bool,
    is_virtual_node: bool,
    status: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<&'a RawValue>,
}

impl<'a> DepartmentDto<'a> {
    /// Keeps `customData` only when the caller asked for it (`withCustomData`).
    pub(crate) fn with_custom_data(mut self, wanted: bool) -> Self {
        if !wanted {
            self.custom_data = None;
        }
        self
    }
}

/// Caller-defined JSON kept as text, rendered back verbatim.
fn raw_json(text: &JsonObjectText) -> Option<&RawValue> {
    serde_json::from_str(&text.0).ok()
}

pub(crate) fn department_dto<'a>(state: &'a PoolState, department: &'a Department) -> DepartmentDto<'a> {
    let parent = department.parent.as_ref().and_then(|id| state.department(id.as_str()));
    DepartmentDto {
        organization_code: state.organization(&department.organization).map_or("", |o| o.code.as_str()),
        department_id: department.id.as_str(),
        created_at: iso_time(department.created_at),
        updated_at: iso_time(department.updated_at),
        open_department_id: department.open_department_id.as_deref(),
        name: &department.name,
        leader_user_ids: &department.leader_user_ids,
        description: department.description.as_deref(),
        parent_department_id: department.parent.as_ref().map(DepartmentId::as_str),
        code: department.code.as_ref().map(DepartmentCode::as_str),
        parent_department_code: parent.and_then(|p| p.code.as_ref()).map_or("", DepartmentCode::as_str),
        members_count: state.department_members(&department.id).count(),
        has_children: state.child_departments(&department.id).next().is_some(),
        is_virtual_node: department.is_virtual_node,
        status: department.status,
        custom_data: department.custom_data.as_ref().and_then(raw_json),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrganizationDto<'a> {
    organization_code: &'a str,
    organization_name: &'a str,
    description: Option<&'a str>,
    created_at: String,
    updated_at: String,
    /// The root department.
    department_id: &'a str,
    open_department_id: Option<&'a str>,
    has_children: bool,
    leader_user_ids: &'a [UserId],
    /// Distinct users anywhere in the tree.
    members_count: usize,
    is_virtual_node: bool,
}

fn organization_dto<'a>(state: &'a PoolState, organization: &'a Organization) -> OrganizationDto<'a> {
    let root = state.department(organization.root_department.as_str());
    OrganizationDto {
        organization_code: organization.code.as_str(),
        organization_name: &organization.name,
        description: organization.description.as_deref(),
        created_at: iso_time(organization.created_at),
        updated_at: iso_time(organization.updated_at),
        department_id: organization.root_department.as_str(),
        open_department_id: root.and_then(|r| r.open_department_id.as_deref()),
        has_children: state.child_departments(&organization.root_department).next().is_some(),
        leader_user_ids: root.map_or(&[], |r| &r.leader_user_ids),
        members_count: ops::members_of_subtree(state, &organization.root_department).len(),
        is_virtual_node: false,
    }
}

// ---- request decoding -----------------------------------------------------------------------

/// `departmentIdType`, default `department_id`; unsupported values are a format error.
pub(crate) fn department_id_type(params: &Params) -> Result<DepartmentIdType, ApiError> {
    match params.optional_str("departmentIdType")? {
        None => Ok(DepartmentIdType::default()),
        Some(raw) => DepartmentIdType::parse(raw).ok_or_else(|| ApiError::param("departmentIdType")),
    }
}

/// Looks a department up as the request names it (`root` = the organization's root); with no
/// organization, across all of them. Unknown → 404 `部门不存在`.
pub(crate) fn resolve_department<'a>(
    state: &'a PoolState,
    org: Option<&Organization>,
    raw_id: &str,
    id_type: DepartmentIdType,
) -> Result<&'a Department, ApiError> {
    Ok(ops::find_department(state, org, raw_id, id_type)?)
}

/// The `organizationCode` of a department endpoint: only the length is checked up front, so
/// `""`, blanks and bad characters are looked up and answer "not found" (README §9).
fn organization_code(params: &Params) -> Result<&str, ApiError> {
    let code = params.required_str("organizationCode")?;
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(ApiError::param("organizationCode"));
    }
    Ok(code)
}

/// `organizationCode` of the organization endpoints, where the validator also refuses `""`.
fn existing_organization_code(params: &Params) -> Result<&str, ApiError> {
    let code = params.required_str("organizationCode")?;
    check_lookup_code(code, "organizationCode")?;
    Ok(code)
}

/// The department a request names in `field`, read per its `departmentIdType`.
fn department_ref(params: &Params, field: &str) -> Result<DepartmentRef, ApiError> {
    Ok(DepartmentRef { id: params.required_str(field)?.to_owned(), id_type: department_id_type(params)? })
}

fn optional_string(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    Ok(params.optional_str(name)?.map(str::to_owned))
}

fn custom_data(params: &Params) -> Result<Option<JsonObjectText>, ApiError> {
    match params.raw("customData") {
        None => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(JsonObjectText(value.to_string()))),
        Some(_) => Err(ApiError::param("customData")),
    }
}

/// An optional department `code`: `""` means "none"; otherwise over-long → `参数 code 格式错误`
/// and bad characters → the observed `invalid organization code: {code}`.
fn department_code(params: &Params) -> Result<Option<DepartmentCode>, ApiError> {
    match params.optional_str("code")? {
        None | Some("") => Ok(None),
        Some(raw) => parse_code(raw, "code", CodeKind::Organization, DepartmentCode::parse).map(Some),
    }
}

/// An optional new organization code under `field`: `""` means "keep/generate".
fn new_organization_code(raw: &str, field: &str) -> Result<Option<OrganizationCode>, ApiError> {
    match raw {
        "" => Ok(None),
        raw => parse_code(raw, field, CodeKind::Organization, OrganizationCode::parse).map(Some),
    }
}

// ---- organizations --------------------------------------------------------------------------

async fn create_organization(caller: Caller, Body(body): Body) -> ApiResult {
    let code = new_organization_code(body.required_str("organizationCode")?, "organizationCode")?;
    let input = NewOrganization {
        code,
        name: body.non_empty_str("organizationName")?.to_owned(),
        description: optional_string(&body, "description")?,
        open_department_id: optional_string(&body, "openDepartmentId")?.filter(|s| !s.is_empty()),
    };
    let id = caller.write(|state, cx| ops::create_organization(state, input.clone(), cx)).await?;
    caller.read(|state| Ok(Reply::new(&organization_dto(state, state.organization(&id).expect("just created")))))
}

async fn update_organization(caller: Caller, Body(body): Body) -> ApiResult {
    let code = existing_organization_code(&body)?;
    let new_code = match body.optional_str("organizationNewCode")? {
        None => None,
        Some(raw) => new_organization_code(raw, "organizationNewCode")?,
    };
    let changes = OrganizationChanges {
        new_code,
        name: optional_string(&body, "organizationName")?,
        description: optional_string(&body, "description")?,
        open_department_id: optional_string(&body, "openDepartmentId")?.filter(|s| !s.is_empty()),
        leader_user_ids: body.optional_str_list("leaderUserIds")?,
    };
    let id = caller.write(|state, cx| ops::update_organization(state, code, changes.clone(), cx)).await?;
    caller.read(|state| Ok(Reply::new(&organization_dto(state, state.organization(&id).expect("just updated")))))
}

async fn delete_organization(caller: Caller, Body(body): Body) -> ApiResult {
    let code = existing_organization_code(&body)?;
    caller.write(|state, _| ops::delete_organization(state, code)).await?;
    Ok(Reply::success())
}

/// Organizations matching `keywords` (case-insensitive, name or code), newest first, paged
/// unless `fetchAll`.
fn organization_page(caller: &Caller, params: &Params, keywords: Option<&str>) -> ApiResult {
    let page = params.page()?;
    let fetch_all = params.bool_or("fetchAll", false)?;
    let keywords = keywords.map(str::to_lowercase);
    caller.read(|state| {
        let mut found: Vec<&Organization> = state
            .organizations()
            .filter(|o| {
                keywords
                    .as_deref()
                    .is_none_or(|k| o.name.to_lowercase().contains(k) || o.code.as_str().to_lowercase().contains(k))
            })
            .collect();
        sort_newest_first(&mut found, |o| (o.created_at, o.id.as_str()));
        let page = if fetch_all {
            PageDto::all(found.into_iter().map(|o| organization_dto(state, o)).collect())
        } else {
            PageDto::from_page(page.slice(found), |o| organization_dto(state, o))
        };
        Ok(Reply::new(&page))
    })
}

async fn list_organizations(caller: Caller, Query(query): Query) -> ApiResult {
    organization_page(&caller, &query, None)
}

async fn search_organizations(caller: Caller, Query(query): Query) -> ApiResult {
    let keywords = query.non_empty_str("keywords")?;
    organization_page(&caller, &query, Some(keywords))
}

async fn get_organization(caller: Caller, Query(query): Query) -> ApiResult {
    let code = existing_organization_code(&query)?;
    caller.read(|state| Ok(Reply::new(&organization_dto(state, ops::organization_by_code(state, code)?))))
}

// ---- departments ----------------------------------------------------------------------------

async fn create_department(caller: Caller, Body(body): Body) -> ApiResult {
    let organization_code = organization_code(&body)?;
    // create-department's own wording for a blank code (observed, no colon).
    if !organization_code.is_empty() && organization_code.trim().is_empty() {
        return Err(DomainError::InvalidOrganizationCodeNoColon(organization_code.to_owned()).into());
    }
    let input = NewDepartment {
        organization_code: organization_code.to_owned(),
        parent: department_ref(&body, "parentDepartmentId")?,
        name: body.non_empty_str("name")?.to_owned(),
        code: department_code(&body)?,
        description: optional_string(&body, "description")?,
        open_department_id: optional_string(&body, "openDepartmentId")?.filter(|s| !s.is_empty()),
        leader_user_ids: body.optional_str_list("leaderUserIds")?.unwrap_or_default(),
        is_virtual_node: body.bool_or("isVirtualNode", false)?,
        custom_data: custom_data(&body)?,
    };
    let id = caller.write(|state, cx| ops::create_department(state, input.clone(), cx)).await?;
    reply_department(&caller, &id)
}

fn reply_department(caller: &Caller, id: &DepartmentId) -> ApiResult {
    caller.read(|state| Ok(Reply::new(&department_dto(state, state.department(id.as_str()).expect("just written")))))
}

async fn update_department(caller: Caller, Body(body): Body) -> ApiResult {
    let organization_code = organization_code(&body)?;
    let department = department_ref(&body, "departmentId")?;
    let changes = DepartmentChanges {
        name: optional_string(&body, "name")?,
        code: department_code(&body)?,
        description: optional_string(&body, "description")?,
        open_department_id: optional_string(&body, "openDepartmentId")?.filter(|s| !s.is_empty()),
        leader_user_ids: body.optional_str_list("leaderUserIds")?,
        parent: match body.optional_str("parentDepartmentId")? {
            None | Some("") => None,
            Some(raw) => Some(DepartmentRef { id: raw.to_owned(), id_type: department.id_type }),
        },
        status: body.optional_bool("status")?,
        custom_data: custom_data(&body)?,
    };
    let id = caller
        .write(|state, cx| ops::update_department(state, organization_code, &department, changes.clone(), cx))
        .await?;
    reply_department(&caller, &id)
}

async fn delete_department(caller: Caller, Body(body): Body) -> ApiResult {
    let organization_code = organization_code(&body)?;
    let department = department_ref(&body, "departmentId")?;
    caller.write(|state, _| ops::delete_department(state, organization_code, &department)).await?;
    Ok(Reply::success())
}

async fn get_department(caller: Caller, Query(query): Query) -> ApiResult {
    let organization_code = match query.optional_str("organizationCode")? {
        Some(_) => Some(organization_code(&query)?),
        None => None,
    };
    let (raw_id, id_type) = match (query.optional_str("departmentId")?, query.optional_str("departmentCode")?) {
        (Some(id), _) if !id.is_empty() => (id, department_id_type(&query)?),
        (_, Some(code)) if !code.is_empty() => (code, DepartmentIdType::Code),
        _ => return Err(ApiError::param("departmentId")),
    };
    let with_custom_data = query.bool_or("withCustomData", false)?;
    let flat_custom_data = query.bool_or("flatCustomData", false)?;
    caller.read(|state| {
        let organization = organization_code.map(|code| ops::organization_by_code(state, code)).transpose()?;
        let department = resolve_department(state, organization, raw_id, id_type)?;
        let dto = department_dto(state, department).with_custom_data(with_custom_data || flat_custom_data);
        if !flat_custom_data {
            return Ok(Reply::new(&dto));
        }
        // flatCustomData: the custom keys also appear at the top level, never over a DTO field.
        let mut flat = serde_json::to_value(&dto).expect("DTOs serialize");
        if let (Value::Object(fields), Some(Ok(Value::Object(custom)))) =
            (&mut flat, department.custom_data.as_ref().map(|c| serde_json::from_str::<Value>(&c.0)))
        {
            for (key, value) in custom {
                fields.entry(key).or_insert(value);
            }
        }
        Ok(Reply::new(&flat))
    })
}

/// Resolves `organizationCode` + `departmentId` (+ `departmentIdType`) of a read request.
fn located<'a>(
    state: &'a PoolState,
    organization_code: &str,
    department: &DepartmentRef,
) -> Result<&'a Department, ApiError> {
    Ok(ops::department_in(state, organization_code, department)?.1)
}

async fn list_children_departments(caller: Caller, Query(query): Query) -> ApiResult {
    let organization_code = organization_code(&query)?;
    let department = department_ref(&query, "departmentId")?;
    let status = query.optional_bool("status")?;
    let exclude_virtual = query.bool_or("excludeVirtualNode", false)?;
    let only_virtual = query.bool_or("onlyVirtualNode", false)?;
    let with_custom_data = query.bool_or("withCustomData", false)?;
    caller.read(|state| {
        let parent = located(state, organization_code, &department)?;
        let mut children: Vec<&Department> = state
            .child_departments(&parent.id)
            .filter(|d| status.is_none_or(|s| d.status == s))
            .filter(|d| if d.is_virtual_node { !exclude_virtual } else { !only_virtual })
            .collect();
        sort_newest_first(&mut children, |d| (d.created_at, d.id.as_str()));
        let list = children.into_iter().map(|d| department_dto(state, d).with_custom_data(with_custom_data)).collect();
        Ok(Reply::new(&PageDto::all(list)))
    })
}

/// The body of add/remove-department-members.
fn membership_request(body: &Params) -> Result<(&str, DepartmentRef, Vec<String>), ApiError> {
    Ok((organization_code(body)?, department_ref(body, "departmentId")?, body.str_list("userIds", 1, 50)?))
}

async fn add_department_members(caller: Caller, Body(body): Body) -> ApiResult {
    let (organization_code, department, user_ids) = membership_request(&body)?;
    caller.write(|state, cx| ops::add_department_members(state, organization_code, &department, &user_ids, cx)).await?;
    Ok(Reply::success())
}

async fn remove_department_members(caller: Caller, Body(body): Body) -> ApiResult {
    let (organization_code, department, user_ids) = membership_request(&body)?;
    caller.write(|state, _| ops::remove_department_members(state, organization_code, &department, &user_ids)).await?;
    Ok(Reply::success())
}

async fn list_department_member_ids(caller: Caller, Query(query): Query) -> ApiResult {
    let organization_code = organization_code(&query)?;
    let department = department_ref(&query, "departmentId")?;
    caller.read(|state| {
        let found = located(state, organization_code, &department)?;
        let members =
            ops::department_members(state, &found.id, &MemberQuery { descending: true, ..Default::default() });
        let ids: Vec<&str> = members.iter().map(|u| u.id.as_str()).collect();
        Ok(Reply::new(&ids))
    })
}

async fn search_departments(caller: Caller, Body(body): Body) -> ApiResult {
    let organization_code = organization_code(&body)?;
    let keywords = body.non_empty_str("keywords")?.to_lowercase();
    let with_custom_data = body.bool_or("withCustomData", false)?;
    caller.read(|state| {
        let organization = ops::organization_by_code(state, organization_code)?;
        let mut found: Vec<&Department> = state
            .departments()
            .filter(|d| d.organization == organization.id)
            .filter(|d| {
                d.name.to_lowercase().contains(&keywords)
                    || d.code.as_ref().is_some_and(|c| c.as_str().to_lowercase().contains(&keywords))
            })
            .collect();
        sort_newest_first(&mut found, |d| (d.created_at, d.id.as_str()));
        let list: Vec<DepartmentDto> =
            found.into_iter().map(|d| department_dto(state, d).with_custom_data(with_custom_data)).collect();
        Ok(Reply::new(&list))
    })
}

async fn get_parent_department(caller: Caller, Query(query): Query) -> ApiResult {
    let organization_code = organization_code(&query)?;
    let department = department_ref(&query, "departmentId")?;
    let with_custom_data = query.bool_or("withCustomData", false)?;
    caller.read(|state| {
        let child = located(state, organization_code, &department)?;
        // The root has no parent: `data: null`.
        let parent = child.parent.as_ref().and_then(|id| state.department(id.as_str()));
        Ok(Reply::new(&parent.map(|p| department_dto(state, p).with_custom_data(with_custom_data))))
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InDepartmentDto {
    in_department: bool,
}

async fn is_user_in_department(caller: Caller, Query(query): Query) -> ApiResult {
    let user_id = query.non_empty_str("userId")?;
    let organization_code = organization_code(&query)?;
    let department = department_ref(&query, "departmentId")?;
    let include_descendants = query.bool_or("includeChildrenDepartments", false)?;
    caller.read(|state| {
        let found = located(state, organization_code, &department)?;
        // A user the pool does not know is simply not a member (observed 200).
        let in_department = ops::is_member(state, &found.id, user_id, include_descendants);
        Ok(Reply::new(&InDepartmentDto { in_department }))
    })
}

// ---- member listings ------------------------------------------------------------------------

async fn list_department_members(caller: Caller, Query(query): Query) -> ApiResult {
    member_page(&caller, &query, None)
}

async fn search_department_members(caller: Caller, Query(query): Query) -> ApiResult {
    let keywords = query.non_empty_str("keywords")?;
    member_page(&caller, &query, Some(keywords))
}

fn member_query<'q>(params: &Params, keywords: Option<&'q str>) -> Result<MemberQuery<'q>, ApiError> {
    let order = match params.optional_str("sortBy")? {
        None => MemberOrder::default(),
        Some(raw) => MemberOrder::parse(raw).ok_or_else(|| ApiError::param("sortBy"))?,
    };
    let descending = match params.optional_str("orderBy")? {
        None | Some("Desc") => true,
        Some("Asc") => false,
        Some(_) => return Err(ApiError::param("orderBy")),
    };
    Ok(MemberQuery {
        include_descendants: params.bool_or("includeChildrenDepartments", false)?,
        keywords,
        order,
        descending,
    })
}

fn member_page(caller: &Caller, params: &Params, keywords: Option<&str>) -> ApiResult {
    let organization_code = organization_code(params)?;
    let department = department_ref(params, "departmentId")?;
    let page = params.page()?;
    let member_query = member_query(params, keywords)?;
    let options = UserDtoOptions::from_params(params)?;
    caller.read(|state| {
        let found = located(state, organization_code, &department)?;
        let members = ops::department_members(state, &found.id, &member_query);
        Ok(Reply::new(&PageDto::from_page(page.slice(members), |u| user_dto(state, u, &options))))
    })
}
