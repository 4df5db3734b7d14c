//! Users: principals.md §1. Also home of the user DTO and user lookup that the role, group and
//! department member listings reuse ([`user_dto`], [`resolve_user`]).

use super::departments::department_id_type;
use super::groups::group_dto;
use super::roles::role_dto;
use crate::dto::{iso_time, PageDto};
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::params::{page_from, Body, Params, Query, MAX_PAGE_LIMIT};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::model::{Assignee, Department, Gender, JsonObjectText, Role, User, UserStatus};
use portcullis_core::ops::organizations::DepartmentIdType;
use portcullis_core::ops::users::{
    self, DepartmentEntry, DepartmentSort, Email, FilterField, FilterOp, FuzzyField, NewUser, Phone, SortField,
    SortKey, UserFields, UserFilter, UserIdType, UserQuery, UserRef,
};
use portcullis_core::ops::{namespace_in, sort_newest_first, PageRequest};
use portcullis_core::{DomainError, PoolState};
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/create-user", post(create))
        .route("/api/v3/create-users-batch", post(create_batch))
        .route("/api/v3/get-user", get(get_one))
        .route("/api/v3/get-user-batch", get(get_batch))
        .route("/api/v3/list-users", post(list).get(list_legacy))
        .route("/api/v3/update-user", post(update))
        .route("/api/v3/delete-users-batch", post(delete_batch))
        .route("/api/v3/get-user-roles", get(roles_of))
        .route("/api/v3/get-user-groups", get(groups_of))
        .route("/api/v3/get-user-departments", get(departments_of))
        .route("/api/v3/set-user-departments", post(set_departments))
        .route("/api/v3/set-custom-fields", post(set_custom_fields))
}

// ---- shared with other areas ------------------------------------------------------------------

/// The avatar a user without a `photo` is shown with (the docs' example value).
const DEFAULT_PHOTO: &str = "https://files.authing.co/authing-console/default-user-avatar.png";

/// The optional parts of a [`UserDto`] (`withCustomData`, `withIdentities`, `withDepartmentIds`,
/// `flatCustomData`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UserDtoOptions {
    pub with_custom_data: bool,
    pub with_identities: bool,
    pub with_department_ids: bool,
    pub flat_custom_data: bool,
}

impl UserDtoOptions {
    /// Reads the flags from a query or from a body's `options` object.
    pub(crate) fn from_params(params: &Params) -> Result<Self, ApiError> {
        Ok(Self {
            with_custom_data: params.bool_or("withCustomData", false)?,
            with_identities: params.bool_or("withIdentities", false)?,
            with_department_ids: params.bool_or("withDepartmentIds", false)?,
            flat_custom_data: params.bool_or("flatCustomData", false)?,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserFieldsDto<'a> {
    user_id: &'a str,
    created_at: String,
    updated_at: String,
    status: &'static str,
    /// Portcullis has no employment records: always `Active`.
    work_status: &'static str,
    external_id: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    phone_country_code: Option<&'a str>,
    username: Option<&'a str>,
    name: Option<&'a str>,
    nickname: Option<&'a str>,
    photo: &'a str,
    /// Users never log in through Portcullis, so the login statistics stay empty.
    logins_count: u32,
    last_login: Option<&'a str>,
    last_ip: Option<&'a str>,
    gender: &'static str,
    email_verified: bool,
    phone_verified: bool,
    user_source_type: &'static str,
    main_department_id: Option<&'a str>,
    #[serde(flatten)]
    profile: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identities: Option<[&'static str; 0]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_ids: Option<Vec<&'a str>>,
}

/// `UserDto` (principals.md §0). With `flatCustomData` the custom data keys are also copied to the
/// top level, where they never shadow a standard field.
pub(crate) struct UserDto<'a> {
    fields: UserFieldsDto<'a>,
    flat_custom_data: Option<Map<String, Value>>,
}

impl Serialize for UserDto<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(extra) = &self.flat_custom_data else {
            return self.fields.serialize(serializer);
        };
        let mut merged = match serde_json::to_value(&self.fields).map_err(S::Error::custom)? {
            Value::Object(map) => map,
            _ => return Err(S::Error::custom("a user serializes to an object")),
        };
        for (key, value) in extra {
            merged.entry(key.clone()).or_insert_with(|| value.clone());
        }
        merged.serialize(serializer)
    }
}

/// Stored custom data as raw JSON (the edge only stores objects); `{}` when there is none.
fn custom_data_json(custom_data: &Option<JsonObjectText>) -> &RawValue {
    let empty: &RawValue = serde_json::from_str("{}").expect("{} is JSON");
    custom_data.as_ref().and_then(|text| serde_json::from_str(&text.0).ok()).unwrap_or(empty)
}

pub(crate) fn user_dto<'a>(state: &'a PoolState, user: &'a User, options: &UserDtoOptions) -> UserDto<'a> {
    let main_department_id = state
        .departments_of_user(&user.id)
        .find(|d| state.department_membership(d, &user.id).is_some_and(|m| m.is_main))
        .map(|d| d.as_str());
    let flat_custom_data = options
        .flat_custom_data
        .then(|| user.custom_data.as_ref().and_then(|text| serde_json::from_str(&text.0).ok()).unwrap_or_default());
    UserDto {
        fields: UserFieldsDto {
            user_id: user.id.as_str(),
            created_at: iso_time(user.created_at),
            updated_at: iso_time(user.updated_at),
            status: user.status.as_str(),
            work_status: "Active",
            external_id: user.external_id.as_deref(),
            email: user.email.as_deref(),
            phone: user.phone.as_deref(),
            phone_country_code: user.phone_country_code.as_deref(),
            username: user.username.as_deref(),
            name: user.name.as_deref(),
            nickname: user.nickname.as_deref(),
            photo: user.photo.as_deref().unwrap_or(DEFAULT_PHOTO),
            logins_count: 0,
            last_login: None,
            last_ip: None,
            gender: user.gender.as_str(),
            email_verified: user.email_verified,
            phone_verified: user.phone_verified,
            user_source_type: "adminCreated",
            main_department_id,
            profile: &user.profile,
            custom_data: options.with_custom_data.then(|| custom_data_json(&user.custom_data)),
            identities: options.with_identities.then_some([]),
            department_ids: options
                .with_department_ids
                .then(|| state.departments_of_user(&user.id).map(|d| d.as_str()).collect()),
        },
        flat_custom_data,
    }
}

/// `userIdType` of `params` (a query, or a body's `options`), default `user_id`.
pub(crate) fn user_id_type(params: &Params) -> Result<UserIdType, ApiError> {
    match params.optional_str("userIdType")? {
        None => Ok(UserIdType::UserId),
        Some(raw) => UserIdType::parse(raw).ok_or_else(|| ApiError::param("userIdType")),
    }
}

/// A well-formed reference, or `参数 userId 格式错误` (empty, or not an email/phone of that type).
fn user_ref(raw_id: &str, user_id_type: UserIdType) -> Result<UserRef, ApiError> {
    UserRef::parse(raw_id, user_id_type).ok_or_else(|| ApiError::param("userId"))
}

/// The user `raw_id` names: `参数 userId 格式错误` when malformed, `用户不存在` when unknown.
pub(crate) fn resolve_user<'a>(
    state: &'a PoolState,
    raw_id: &str,
    user_id_type: UserIdType,
) -> Result<&'a User, ApiError> {
    user_ref(raw_id, user_id_type)?.find(state).ok_or_else(|| DomainError::UserNotFound.into())
}

// ---- request decoding -------------------------------------------------------------------------

/// Profile strings stored and echoed as sent, beyond the ones the model names.
const PROFILE_FIELDS: [&str; 21] = [
    "birthdate",
    "country",
    "province",
    "city",
    "address",
    "streetAddress",
    "postalCode",
    "company",
    "browser",
    "device",
    "givenName",
    "familyName",
    "middleName",
    "profile",
    "preferredUsername",
    "website",
    "zoneinfo",
    "locale",
    "formatted",
    "region",
    "identityNumber",
];

/// The longest profile string accepted, so one user cannot carry megabytes of text.
const MAX_TEXT_CHARS: usize = 1024;

/// The longest serialized customData (observed message).
const MAX_CUSTOM_DATA_CHARS: usize = 1024;

fn text(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    match params.optional_str(name)? {
        Some(value) if value.chars().count() > MAX_TEXT_CHARS => Err(ApiError::param(name)),
        value => Ok(value.map(str::to_owned)),
    }
}

/// A text field where `""` means "not given" (identifiers: an empty one identifies nobody).
fn non_empty_text(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    Ok(text(params, name)?.filter(|v| !v.is_empty()))
}

fn parsed<T>(params: &Params, name: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
    params.optional_str(name)?.map(|raw| parse(raw).ok_or_else(|| ApiError::param(name))).transpose()
}

/// A text field that is parsed into a domain type; `""` means "not given".
fn non_empty_parsed<T>(params: &Params, name: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
    non_empty_text(params, name)?.map(|raw| parse(&raw).ok_or_else(|| ApiError::param(name))).transpose()
}

fn custom_data(params: &Params) -> Result<Option<JsonObjectText>, ApiError> {
    let Some(value) = params.raw("customData") else {
        return Ok(None);
    };
    if !value.is_object() {
        return Err(ApiError::param("customData"));
    }
    let serialized = value.to_string();
    if serialized.chars().count() > MAX_CUSTOM_DATA_CHARS {
        return Err(DomainError::CustomDataTooLong.into());
    }
    Ok(Some(JsonObjectText(serialized)))
}

/// The profile fields of a create or update body. The password is type-checked and dropped:
/// Portcullis does not log users in.
fn user_fields(body: &Params) -> Result<UserFields, ApiError> {
    text(body, "password")?;
    let mut profile = BTreeMap::new();
    for name in PROFILE_FIELDS {
        if let Some(value) = text(body, name)? {
            profile.insert(name.to_owned(), value);
        }
    }
    Ok(UserFields {
        status: parsed(body, "status", UserStatus::parse)?,
        gender: parsed(body, "gender", Gender::parse)?,
        email_verified: body.optional_bool("emailVerified")?,
        phone_verified: body.optional_bool("phoneVerified")?,
        email: non_empty_parsed(body, "email", Email::parse)?,
        phone: non_empty_parsed(body, "phone", Phone::parse)?,
        phone_country_code: non_empty_text(body, "phoneCountryCode")?,
        username: non_empty_text(body, "username")?,
        external_id: non_empty_text(body, "externalId")?,
        name: text(body, "name")?,
        nickname: text(body, "nickname")?,
        photo: non_empty_text(body, "photo")?,
        profile,
        custom_data: custom_data(body)?,
    })
}

/// `options` of a create body: departments are read per `departmentIdType`; encrypted passwords
/// cannot be accepted, there being no key to decrypt them with.
fn create_options(body: &Params) -> Result<DepartmentIdType, ApiError> {
    let options = body.optional_object("options")?.unwrap_or_default();
    if options.optional_str("passwordEncryptType")?.is_some_and(|t| t != "none") {
        return Err(ApiError::param("passwordEncryptType"));
    }
    department_id_type(&options)
}

fn new_user(item: &Params, department_id_type: DepartmentIdType) -> Result<NewUser, ApiError> {
    Ok(NewUser {
        fields: user_fields(item)?,
        departments: item.optional_str_list("departmentIds")?.unwrap_or_default(),
        department_id_type,
    })
}

/// `userIdType` inside a body's `options`.
fn options_user_id_type(body: &Params) -> Result<UserIdType, ApiError> {
    user_id_type(&body.optional_object("options")?.unwrap_or_default())
}

// ---- handlers ---------------------------------------------------------------------------------

/// The DTO a write answers with: customData is included when the request sent it.
fn written_user_dto<'a>(state: &'a PoolState, id: &str, sent_custom_data: bool) -> UserDto<'a> {
    let user = state.user(id).expect("just written");
    user_dto(state, user, &UserDtoOptions { with_custom_data: sent_custom_data, ..Default::default() })
}

async fn create(caller: Caller, Body(body): Body) -> ApiResult {
    let input = new_user(&body, create_options(&body)?)?;
    let id = caller.write(|state, cx| users::create(state, input.clone(), cx)).await?;
    caller.read(|state| Ok(Reply::new(&written_user_dto(state, id.as_str(), body.contains("customData")))))
}

async fn create_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let items = body.object_list("list", 1, 50)?;
    let department_id_type = create_options(&body)?;
    let inputs = items.iter().map(|item| new_user(item, department_id_type)).collect::<Result<Vec<_>, _>>()?;
    let ids = caller.write(|state, cx| users::create_batch(state, inputs.clone(), cx)).await?;
    caller.read(|state| {
        let dtos: Vec<UserDto> = ids
            .iter()
            .zip(&items)
            .map(|(id, item)| written_user_dto(state, id.as_str(), item.contains("customData")))
            .collect();
        Ok(Reply::new(&dtos))
    })
}

async fn get_one(caller: Caller, Query(query): Query) -> ApiResult {
    let raw_id = query.required_str("userId")?;
    let id_type = user_id_type(&query)?;
    let options = UserDtoOptions::from_params(&query)?;
    caller.read(|state| Ok(Reply::new(&user_dto(state, resolve_user(state, raw_id, id_type)?, &options))))
}

async fn get_batch(caller: Caller, Query(query): Query) -> ApiResult {
    let raw_ids = query.str_list("userIds", 1, 50)?;
    let id_type = user_id_type(&query)?;
    let options = UserDtoOptions::from_params(&query)?;
    caller.read(|state| {
        let mut found: Vec<&User> = Vec::new();
        // Like the other batch getters, malformed and unknown entries are simply not found.
        for user in raw_ids.iter().filter_map(|raw| UserRef::parse(raw, id_type)?.find(state)) {
            if !found.iter().any(|f| f.id == user.id) {
                found.push(user);
            }
        }
        let dtos: Vec<UserDto> = found.into_iter().map(|u| user_dto(state, u, &options)).collect();
        Ok(Reply::new(&dtos))
    })
}

async fn update(caller: Caller, Body(body): Body) -> ApiResult {
    let user = user_ref(body.required_str("userId")?, options_user_id_type(&body)?)?;
    let fields = user_fields(&body)?;
    let id = caller.write(|state, cx| users::update(state, &user, fields.clone(), cx)).await?;
    caller.read(|state| Ok(Reply::new(&written_user_dto(state, id.as_str(), body.contains("customData")))))
}

async fn delete_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let raw_ids = body.str_list("userIds", 1, 50)?;
    let id_type = options_user_id_type(&body)?;
    // Unknown users are skipped, and so are references that could name nobody.
    let refs: Vec<UserRef> = raw_ids.iter().filter_map(|raw| UserRef::parse(raw, id_type)).collect();
    caller.write(|state, _| users::delete_batch(state, &refs)).await?;
    Ok(Reply::success())
}

async fn roles_of(caller: Caller, Query(query): Query) -> ApiResult {
    let raw_id = query.required_str("userId")?;
    let id_type = user_id_type(&query)?;
    let namespace = query.namespace()?;
    caller.read(|state| {
        let user = resolve_user(state, raw_id, id_type)?;
        let namespace = namespace_in(state, namespace)?;
        let mut roles: Vec<&Role> = state
            .roles_assigned_to(&Assignee::User(user.id.clone()))
            .filter_map(|id| state.role(id))
            .filter(|r| r.namespace == namespace.id)
            .collect();
        sort_newest_first(&mut roles, |r| (r.created_at, r.id.as_str()));
        Ok(Reply::new(&PageDto::all(roles.into_iter().map(|r| role_dto(state, r)).collect())))
    })
}

async fn groups_of(caller: Caller, Query(query): Query) -> ApiResult {
    let raw_id = query.required_str("userId")?;
    let id_type = user_id_type(&query)?;
    caller.read(|state| {
        let user = resolve_user(state, raw_id, id_type)?;
        let mut groups: Vec<_> = state.groups_of_user(&user.id).filter_map(|id| state.group(id)).collect();
        sort_newest_first(&mut groups, |g| (g.created_at, g.id.as_str()));
        Ok(Reply::new(&PageDto::all(groups.into_iter().map(group_dto).collect())))
    })
}

/// `UserDepartmentRespDto` (principals.md §0).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserDepartmentDto<'a> {
    organization_code: &'a str,
    department_id: &'a str,
    is_root: bool,
    created_at: String,
    name: &'a str,
    description: Option<&'a str>,
    open_department_id: Option<&'a str>,
    is_leader: bool,
    code: Option<&'a str>,
    is_main_department: bool,
    joined_at: String,
    is_virtual_node: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_id_path: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_code_path: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_name_path: Option<Vec<&'a str>>,
}

fn department_sort(query: &Params) -> Result<(DepartmentSort, bool), ApiError> {
    let sort = match query.optional_str("sortBy")?.unwrap_or("JoinDepartmentAt") {
        "DepartmentCreatedAt" => DepartmentSort::DepartmentCreatedAt,
        "JoinDepartmentAt" => DepartmentSort::JoinDepartmentAt,
        "DepartmentName" => DepartmentSort::DepartmentName,
        // The SDKs spell it `DepartmemtCode`.
        "DepartmemtCode" | "DepartmentCode" => DepartmentSort::DepartmentCode,
        _ => return Err(ApiError::param("sortBy")),
    };
    let descending = match query.optional_str("orderBy")?.unwrap_or("Desc") {
        "Desc" => true,
        "Asc" => false,
        _ => return Err(ApiError::param("orderBy")),
    };
    Ok((sort, descending))
}

async fn departments_of(caller: Caller, Query(query): Query) -> ApiResult {
    let raw_id = query.required_str("userId")?;
    let id_type = user_id_type(&query)?;
    let page = query.page()?;
    let with_custom_data = query.bool_or("withCustomData", false)?;
    let with_paths = query.bool_or("withDepartmentPaths", false)?;
    let (sort, descending) = department_sort(&query)?;
    caller.read(|state| {
        let user = resolve_user(state, raw_id, id_type)?;
        let found = users::departments_of(state, &user.id, sort, descending, page);
        Ok(Reply::new(&PageDto::from_page(found, |(membership, department)| {
            // Root first, the department itself last.
            let path: Vec<&Department> = if with_paths {
                let mut ids = state.department_ancestors(&department.id);
                ids.reverse();
                ids.iter().filter_map(|id| state.department(id.as_str())).chain([department]).collect()
            } else {
                Vec::new()
            };
            let along = |f: fn(&Department) -> &str| with_paths.then(|| path.iter().map(|d| f(d)).collect::<Vec<_>>());
            UserDepartmentDto {
                organization_code: state.organization(&department.organization).map_or("", |o| o.code.as_str()),
                department_id: department.id.as_str(),
                is_root: department.parent.is_none(),
                created_at: iso_time(department.created_at),
                name: &department.name,
                description: department.description.as_deref(),
                open_department_id: department.open_department_id.as_deref(),
                is_leader: membership.is_leader || department.leader_user_ids.contains(&user.id),
                code: department.code.as_ref().map(|c| c.as_str()),
                is_main_department: membership.is_main,
                joined_at: iso_time(membership.joined_at),
                is_virtual_node: department.is_virtual_node,
                custom_data: with_custom_data.then(|| custom_data_json(&department.custom_data)),
                department_id_path: along(|d| d.id.as_str()),
                department_code_path: along(|d| d.code.as_ref().map_or("", |c| c.as_str())),
                department_name_path: along(|d| d.name.as_str()),
            }
        })))
    })
}

async fn set_departments(caller: Caller, Body(body): Body) -> ApiResult {
    let user = user_ref(body.required_str("userId")?, options_user_id_type(&body)?)?;
    let entries = body
        .object_list("departments", 1, 50)?
        .iter()
        .map(|item| {
            Ok(DepartmentEntry {
                department_id: item.optional_str("departmentId")?.unwrap_or("").to_owned(),
                is_leader: item.bool_or("isLeader", false)?,
                is_main: item.bool_or("isMainDepartment", false)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()
        .map_err(|_| ApiError::param("departments"))?;
    caller.write(|state, cx| users::set_departments(state, &user, &entries, cx)).await?;
    Ok(Reply::success())
}

/// Custom field definitions are outside the contract; the SDK specs only need the call to succeed.
async fn set_custom_fields() -> ApiResult {
    Ok(Reply::success())
}

// ---- list-users -------------------------------------------------------------------------------

/// `options.pagination`: list-users words an over-large limit its own way.
fn list_page(options: &Params) -> Result<PageRequest, ApiError> {
    let pagination = options.optional_object("pagination")?.unwrap_or_default();
    let limit = pagination.optional_int("limit")?;
    if limit.is_some_and(|l| l > MAX_PAGE_LIMIT) {
        return Err(DomainError::LimitTooBig.into());
    }
    page_from(pagination.optional_int("page")?, limit)
}

fn filter_field(raw: &str) -> Option<FilterField> {
    Some(match raw {
        "id" | "userId" => FilterField::Id,
        "phone" => FilterField::Phone,
        "email" => FilterField::Email,
        "username" => FilterField::Username,
        "externalId" => FilterField::ExternalId,
        "name" => FilterField::Name,
        "nickname" => FilterField::Nickname,
        "status" => FilterField::Status,
        "gender" => FilterField::Gender,
        "department" => FilterField::Department,
        _ => return None,
    })
}

/// One filter value as text, checked against the field's domain (an unknown status is
/// `参数 status 格式错误`, observed).
fn filter_value(field: FilterField, value: &Value) -> Result<String, ApiError> {
    let bad = || ApiError::param("advancedFilter");
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Err(bad()),
    };
    match field {
        FilterField::Status if UserStatus::parse(&text).is_none() => Err(ApiError::param("status")),
        FilterField::Gender if Gender::parse(&text).is_none() => Err(ApiError::param("gender")),
        FilterField::Email => Ok(text.to_lowercase()),
        _ => Ok(text),
    }
}

fn advanced_filter(item: &Params) -> Result<UserFilter, ApiError> {
    let bad = || ApiError::param("advancedFilter");
    let field = filter_field(item.required_str("field").map_err(|_| bad())?).ok_or_else(bad)?;
    let value = item.raw("value");
    let one = || filter_value(field, value.ok_or_else(bad)?);
    let many = || -> Result<Vec<String>, ApiError> {
        match value {
            Some(Value::Array(items)) => items.iter().map(|v| filter_value(field, v)).collect(),
            Some(single) => Ok(vec![filter_value(field, single)?]),
            None => Err(bad()),
        }
    };
    let op = match item.required_str("operator").map_err(|_| bad())? {
        "EQUAL" if field == FilterField::Department => FilterOp::In(many()?),
        "EQUAL" => FilterOp::Equal(one()?),
        "NOT_EQUAL" => FilterOp::NotEqual(one()?),
        "CONTAINS" => FilterOp::Contains(one()?),
        "NOT_CONTAINS" => FilterOp::NotContains(one()?),
        "IS_NULL" => FilterOp::IsNull,
        "NOT_NULL" => FilterOp::NotNull,
        "IN" => FilterOp::In(many()?),
        "GREATER" => FilterOp::Greater(one()?),
        "LESSER" => FilterOp::Lesser(one()?),
        "BETWEEN" => match <[String; 2]>::try_from(many()?) {
            Ok([low, high]) => FilterOp::Between(low, high),
            Err(_) => return Err(bad()),
        },
        _ => return Err(bad()),
    };
    Ok(UserFilter { field, op })
}

fn sort_key(item: &Params) -> Result<SortKey, ApiError> {
    let bad = || ApiError::param("sort");
    let field = match item.required_str("field").map_err(|_| bad())? {
        "id" => SortField::Id,
        "createdAt" => SortField::CreatedAt,
        "updatedAt" => SortField::UpdatedAt,
        "email" => SortField::Email,
        "username" => SortField::Username,
        "externalId" => SortField::ExternalId,
        "phone" => SortField::Phone,
        "status" => SortField::Status,
        "gender" => SortField::Gender,
        "phoneCountryCode" => SortField::PhoneCountryCode,
        "statusChangedAt"
        | "passwordLastSetAt"
        | "loginsCount"
        | "lastLogin"
        | "userSourceType"
        | "lastMfaTime"
        | "passwordSecurityLevel"
        | "lastIp" => SortField::Unrecorded,
        _ => return Err(bad()),
    };
    let descending = match item.optional_str("order").map_err(|_| bad())?.unwrap_or("desc") {
        order if order.eq_ignore_ascii_case("desc") => true,
        order if order.eq_ignore_ascii_case("asc") => false,
        _ => return Err(bad()),
    };
    Ok(SortKey { field, descending })
}

fn fuzzy_field(raw: &str) -> Option<FuzzyField> {
    Some(match raw {
        "id" => FuzzyField::Id,
        "phone" => FuzzyField::Phone,
        "email" => FuzzyField::Email,
        "name" => FuzzyField::Name,
        "username" => FuzzyField::Username,
        "externalId" => FuzzyField::ExternalId,
        "nickname" => FuzzyField::Nickname,
        other if PROFILE_FIELDS.contains(&other) => FuzzyField::Profile(other.to_owned()),
        _ => return None,
    })
}

fn list_query(body: &Params, options: &Params) -> Result<UserQuery, ApiError> {
    let fuzzy_on = match options.optional_str_list("fuzzySearchOn")? {
        None => FuzzyField::defaults(),
        Some(raw) => raw
            .iter()
            .map(|f| fuzzy_field(f).ok_or_else(|| ApiError::param("fuzzySearchOn")))
            .collect::<Result<_, _>>()?,
    };
    let filters = match body.raw("advancedFilter") {
        None => Vec::new(),
        Some(_) => body.object_list("advancedFilter", 0, 100)?.iter().map(advanced_filter).collect::<Result<_, _>>()?,
    };
    let sort = match options.raw("sort") {
        None => Vec::new(),
        Some(_) => options.object_list("sort", 0, 20)?.iter().map(sort_key).collect::<Result<_, _>>()?,
    };
    Ok(UserQuery {
        keywords: body.optional_str("keywords")?.filter(|k| !k.is_empty()).map(str::to_owned),
        fuzzy_on,
        filters,
        sort,
        page: list_page(options)?,
        ..Default::default()
    })
}

fn page_reply(state: &PoolState, query: &UserQuery, options: &UserDtoOptions) -> ApiResult {
    Ok(Reply::new(&PageDto::from_page(users::list(state, query), |u| user_dto(state, u, options))))
}

async fn list(caller: Caller, Body(body): Body) -> ApiResult {
    let options = body.optional_object("options")?.unwrap_or_default();
    let query = list_query(&body, &options)?;
    let dto_options = UserDtoOptions::from_params(&options)?;
    caller.read(|state| page_reply(state, &query, &dto_options))
}

async fn list_legacy(caller: Caller, Query(params): Query) -> ApiResult {
    // Unix seconds; the end bound covers its whole second.
    let seconds_to_ms = |name: &str, extra_ms: i64| -> Result<Option<i64>, ApiError> {
        let to_ms = |s: i64| s.checked_mul(1000).and_then(|ms| ms.checked_add(extra_ms));
        params.optional_int(name)?.map(|s| to_ms(s).ok_or_else(|| ApiError::param(name))).transpose()
    };
    let status = parsed(&params, "status", UserStatus::parse)?;
    let query = UserQuery {
        filters: status
            .map(|s| UserFilter { field: FilterField::Status, op: FilterOp::Equal(s.as_str().to_owned()) })
            .into_iter()
            .collect(),
        updated_from: seconds_to_ms("updatedAtStart", 0)?,
        updated_to: seconds_to_ms("updatedAtEnd", 999)?,
        page: params.page()?,
        ..Default::default()
    };
    let dto_options = UserDtoOptions::from_params(&params)?;
    caller.read(|state| page_reply(state, &query, &dto_options))
}
