//! Groups: principals.md §3.

use super::users::{user_dto, UserDto, UserDtoOptions};
use super::{check_lookup_code, parse_code};
use crate::dto::PageDto;
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::params::{Body, Params, Query};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::codes::GroupCode;
use portcullis_core::error::CodeKind;
use portcullis_core::ids::GroupId;
use portcullis_core::model::{Group, JsonObjectText, User};
use portcullis_core::ops::groups::{self, GroupChanges, NewGroup, STATIC_GROUP_TYPE};
use portcullis_core::{DomainError, PoolState};
use serde::Serialize;
use serde_json::{Map, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/create-group", post(create))
        .route("/api/v3/create-groups-batch", post(create_batch))
        .route("/api/v3/get-group", get(get_one))
        .route("/api/v3/update-group", post(update))
        .route("/api/v3/delete-groups-batch", post(delete_batch))
        .route("/api/v3/list-groups", get(list))
        .route("/api/v3/get-all-groups", get(get_all))
        .route("/api/v3/add-group-members", post(add_members))
        .route("/api/v3/remove-group-members", post(remove_members))
        .route("/api/v3/list-group-members", get(list_members))
}

/// `GroupDto` / `ResGroupDto` (the two have the same fields).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GroupDto<'a> {
    id: &'a str,
    code: &'a str,
    name: &'a str,
    description: &'a str,
    #[serde(rename = "type")]
    group_type: &'a str,
    /// Groups are never synchronised from elsewhere.
    metadata_source: [&'static str; 0],
    members: Vec<UserDto<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<Map<String, Value>>,
    /// `flatCustomData`: the custom fields again, as top-level members.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    flat_custom_data: Option<Map<String, Value>>,
}

/// The fields of [`GroupDto`], which flattened custom fields must not shadow.
const GROUP_DTO_FIELDS: [&str; 8] =
    ["id", "code", "name", "description", "type", "metadataSource", "members", "customData"];

/// A group as every endpoint shows it by default: no members, no custom data.
pub(crate) fn group_dto(group: &Group) -> GroupDto<'_> {
    GroupDto {
        id: group.id.as_str(),
        code: group.code.as_str(),
        name: &group.name,
        description: &group.description,
        group_type: &group.group_type,
        metadata_source: [],
        members: Vec::new(),
        custom_data: None,
        flat_custom_data: None,
    }
}

fn custom_fields(group: &Group) -> Map<String, Value> {
    group.custom_data.as_ref().and_then(|text| serde_json::from_str(&text.0).ok()).unwrap_or_default()
}

/// How much of a group's custom data a read asked for.
#[derive(Clone, Copy)]
struct CustomDataView {
    with_custom_data: bool,
    flat: bool,
}

impl CustomDataView {
    fn from_query(query: &Params) -> Result<Self, ApiError> {
        Ok(Self {
            with_custom_data: query.bool_or("withCustomData", false)?,
            flat: query.bool_or("flatCustomData", false)?,
        })
    }

    fn render<'a>(self, group: &'a Group) -> GroupDto<'a> {
        let mut dto = group_dto(group);
        if self.with_custom_data {
            dto.custom_data = Some(custom_fields(group));
        }
        if self.flat {
            let mut fields = custom_fields(group);
            fields.retain(|key, _| !GROUP_DTO_FIELDS.contains(&key.as_str()));
            dto.flat_custom_data = Some(fields);
        }
        dto
    }
}

/// Write answers show the custom data whenever the group has some.
fn written_group_reply(state: &PoolState, id: &GroupId) -> Reply {
    let group = state.group(id).expect("just written");
    Reply::new(&CustomDataView { with_custom_data: group.custom_data.is_some(), flat: false }.render(group))
}

/// `customData` must be a JSON object; it is stored verbatim.
fn custom_data(body: &Params) -> Result<Option<JsonObjectText>, ApiError> {
    match body.raw("customData") {
        None => Ok(None),
        Some(object @ Value::Object(_)) => Ok(Some(JsonObjectText(object.to_string()))),
        Some(_) => Err(ApiError::param("customData")),
    }
}

/// The fields of a new group besides its code: `name` is required, `type` may only be `static`.
fn new_group(item: &Params, code: GroupCode) -> Result<NewGroup, ApiError> {
    let name = item.non_empty_str("name")?.to_owned();
    if item.optional_str("type")?.is_some_and(|t| t != STATIC_GROUP_TYPE) {
        return Err(ApiError::param("type"));
    }
    Ok(NewGroup {
        code,
        name,
        description: item.optional_str("description")?.unwrap_or_default().to_owned(),
        custom_data: custom_data(item)?,
    })
}

async fn create(caller: Caller, Body(body): Body) -> ApiResult {
    let code = parse_code(body.required_str("code")?, "code", CodeKind::Group, GroupCode::parse)?;
    let input = new_group(&body, code)?;
    let id = caller.write(|state, cx| groups::create(state, input.clone(), cx)).await?;
    caller.read(|state| Ok(written_group_reply(state, &id)))
}

async fn create_batch(caller: Caller, Body(body): Body) -> ApiResult {
    // Any invalid item, whatever is wrong with it, is reported as the list (observed).
    let item_input = |item: &Params| -> Option<NewGroup> {
        let code = GroupCode::parse(item.required_str("code").ok()?).ok()?;
        new_group(item, code).ok()
    };
    let inputs = body
        .object_list("list", 1, 50)?
        .iter()
        .map(item_input)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ApiError::param("list"))?;
    let ids = caller.write(|state, cx| groups::create_batch(state, inputs.clone(), cx)).await?;
    caller.read(|state| {
        let created: Vec<GroupDto> = ids.iter().map(|id| group_dto(state.group(id).expect("just created"))).collect();
        Ok(Reply::new(&created))
    })
}

async fn get_one(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    check_lookup_code(code, "code")?;
    let view = CustomDataView::from_query(&query)?;
    caller.read(|state| {
        let group = state.group_by_code(code).ok_or(DomainError::GroupNotFound)?;
        Ok(Reply::new(&view.render(group)))
    })
}

async fn update(caller: Caller, Body(body): Body) -> ApiResult {
    let code = body.required_str("code")?;
    check_lookup_code(code, "code")?;
    let new_code = match body.optional_str("newCode")? {
        None | Some("") => None,
        Some(raw) => Some(parse_code(raw, "newCode", CodeKind::Group, GroupCode::parse)?),
    };
    let changes = GroupChanges {
        new_code,
        // A group always has a name, so an empty one means "unchanged".
        name: body.optional_str("name")?.filter(|n| !n.is_empty()).map(str::to_owned),
        description: body.optional_str("description")?.map(str::to_owned),
        custom_data: custom_data(&body)?,
    };
    let id = caller.write(|state, cx| groups::update(state, code, changes.clone(), cx)).await?;
    caller.read(|state| Ok(written_group_reply(state, &id)))
}

async fn delete_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let codes = body.str_list("codeList", 1, 50)?;
    caller.write(|state, _| groups::delete_batch(state, &codes)).await?;
    Ok(Reply::success())
}

async fn list(caller: Caller, Query(query): Query) -> ApiResult {
    let page = query.page()?;
    let keywords = query.optional_str("keywords")?.filter(|k| !k.is_empty());
    let view = CustomDataView::from_query(&query)?;
    // Accepted for compatibility; metadataSource is always empty.
    query.optional_bool("withMetadata")?;
    caller.read(|state| {
        let found = groups::search(state, keywords);
        Ok(Reply::new(&PageDto::from_page(page.slice(found), |g| view.render(g))))
    })
}

async fn get_all(caller: Caller, Query(query): Query) -> ApiResult {
    let fetch_members = query.bool_or("fetchMembers", false)?;
    let view = CustomDataView { with_custom_data: query.bool_or("withCustomData", false)?, flat: false };
    caller.read(|state| {
        let all: Vec<GroupDto> = groups::search(state, None)
            .into_iter()
            .map(|group| {
                let mut dto = view.render(group);
                if fetch_members {
                    let options = UserDtoOptions::default();
                    dto.members = members_of(state, group).into_iter().map(|u| user_dto(state, u, &options)).collect();
                }
                dto
            })
            .collect();
        Ok(Reply::new(&all))
    })
}

/// The group's members, most recently joined first.
fn members_of<'a>(state: &'a PoolState, group: &'a Group) -> Vec<&'a User> {
    groups::members_newest_first(state, &group.id).into_iter().filter_map(|m| state.user(m.user.as_str())).collect()
}

/// The group code and user ids of a membership change.
fn membership_change(body: &Params) -> Result<(&str, Vec<String>), ApiError> {
    let code = body.required_str("code")?;
    check_lookup_code(code, "code")?;
    Ok((code, body.str_list("userIds", 1, 50)?))
}

async fn add_members(caller: Caller, Body(body): Body) -> ApiResult {
    let (code, user_ids) = membership_change(&body)?;
    caller.write(|state, cx| groups::add_members(state, code, &user_ids, cx)).await?;
    Ok(Reply::success())
}

async fn remove_members(caller: Caller, Body(body): Body) -> ApiResult {
    let (code, user_ids) = membership_change(&body)?;
    caller.write(|state, _| groups::remove_members(state, code, &user_ids)).await?;
    Ok(Reply::success())
}

async fn list_members(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    check_lookup_code(code, "code")?;
    let page = query.page()?;
    let options = UserDtoOptions::from_params(&query)?;
    caller.read(|state| {
        let group = state.group_by_code(code).ok_or(DomainError::GroupNotFound)?;
        Ok(Reply::new(&PageDto::from_page(page.slice(members_of(state, group)), |u| user_dto(state, u, &options))))
    })
}
