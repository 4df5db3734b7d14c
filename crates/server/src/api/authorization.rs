//! Resource authorization and checks: resources.md §21–§27 (semantics.md for the rules).

use super::check_lookup_code;
use crate::dto::PageDto;
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::json;
use crate::params::{non_empty, Body, Params, Query, RawBody};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::codes::{Action, GrantCode};
use portcullis_core::engine::{self, EffectiveGrant};
use portcullis_core::model::{Effect, Grant, GrantTarget, ResourceType};
use portcullis_core::ops::authorization::{self, AuthorizeItem, GrantFilter, GrantSpec, TargetType};
use portcullis_core::ops::users::{UserIdType, UserRef};
use portcullis_core::ops::{namespace_in, roles};
use portcullis_core::state::Definitions;
use portcullis_core::DomainError;
use portcullis_service::now_ms;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/authorize-resources", post(authorize_resources))
        .route("/api/v3/get-authorized-resources", get(get_authorized_resources))
        .route("/api/v3/is-action-allowed", post(is_action_allowed))
        .route("/api/v3/get-resource-authorized-targets", post(get_resource_authorized_targets))
        .route("/api/v3/get-user-authorized-resources", get(get_user_authorized_resources))
        .route("/api/v3/get-role-authorized-resources", get(get_role_authorized_resources))
        .route("/api/v3/get-group-authorized-resources", get(get_group_authorized_resources))
}

// ---- response shapes --------------------------------------------------------------------------

/// AuthorizedResourceDto. `description` and `apiIdentifier` come from the resource definition
/// the grant code names, if any (semantics §10). Written by hand ([`Self::write`]): a user's
/// listing holds thousands.
struct AuthorizedResourceDto<'a> {
    resource_code: &'a str,
    description: Option<&'a str>,
    resource_type: ResourceType,
    api_identifier: Option<&'a str>,
    actions: ActionsView<'a>,
    effect: Effect,
}

impl<'a> AuthorizedResourceDto<'a> {
    fn new(definitions: Definitions<'a>, grant: GrantView<'a>) -> Self {
        let definition = authorization::definition_for(definitions, grant.code.as_str());
        Self {
            resource_code: grant.code.as_str(),
            description: definition.description,
            resource_type: grant.resource_type,
            api_identifier: definition.api_identifier,
            actions: grant.actions,
            effect: grant.effect,
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(br#"{"resourceCode":"#);
        json::string(out, self.resource_code);
        out.extend_from_slice(br#","description":"#);
        json::optional_string(out, self.description);
        out.extend_from_slice(br#","resourceType":"#);
        json::string(out, self.resource_type.as_str());
        out.extend_from_slice(br#","apiIdentifier":"#);
        json::optional_string(out, self.api_identifier);
        out.extend_from_slice(br#","actions":"#);
        let action = |out: &mut Vec<u8>, action: &Action| json::string(out, action.as_str());
        match self.actions {
            ActionsView::Stored(actions) => json::array(out, actions, action),
            ActionsView::Merged(actions) => json::array(out, actions.iter(), action),
        }
        out.extend_from_slice(br#","effect":"#);
        json::string(out, self.effect.as_str());
        out.push(b'}');
    }

    /// A page of all `dtos`, `total_count` of them.
    fn page(total_count: usize, dtos: impl Iterator<Item = Self>) -> Reply {
        Reply::written(|out| {
            out.reserve(total_count * ENCODED_SIZE_HINT);
            json::page(out, total_count, dtos, |out, dto| dto.write(out));
        })
    }
}

/// About the encoded size of one [`AuthorizedResourceDto`], to size a listing's answer once.
const ENCODED_SIZE_HINT: usize = 128;

/// What a listing shows of a stored grant or of a merged effective grant.
#[derive(Clone, Copy)]
struct GrantView<'a> {
    code: &'a GrantCode,
    resource_type: ResourceType,
    actions: ActionsView<'a>,
    effect: Effect,
}

/// A grant's actions: a stored grant's list, or the union the engine merged (borrowed from the
/// contributing grants, so a listing of 10k entries copies no action).
#[derive(Clone, Copy)]
enum ActionsView<'a> {
    Stored(&'a [Action]),
    Merged(engine::Actions<'a>),
}

impl<'a> From<&'a Grant> for GrantView<'a> {
    fn from(g: &'a Grant) -> Self {
        Self {
            code: &g.code,
            resource_type: g.resource_type,
            actions: ActionsView::Stored(&g.actions),
            effect: g.effect,
        }
    }
}

impl<'a> From<EffectiveGrant<'a>> for GrantView<'a> {
    fn from(g: EffectiveGrant<'a>) -> Self {
        Self { code: g.code, resource_type: g.resource_type, actions: ActionsView::Merged(g.actions), effect: g.effect }
    }
}

/// RoleAuthorizedResourcesRespDto.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleAuthorizedResourceDto<'a> {
    resource_code: &'a str,
    resource_type: ResourceType,
    actions: &'a [Action],
    api_identifier: Option<&'a str>,
}

/// ResourceAuthorizedTargetDto.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthorizedTargetDto<'a> {
    target_type: &'static str,
    target_identifier: &'a str,
    actions: &'a [Action],
}

#[derive(Serialize)]
struct AllowedDto {
    allowed: bool,
}

// ---- request decoding -------------------------------------------------------------------------

fn target_type(raw: &str, field: &str) -> Result<TargetType, ApiError> {
    TargetType::parse(raw).ok_or_else(|| ApiError::param(field))
}

fn optional_resource_type(params: &Params) -> Result<Option<ResourceType>, ApiError> {
    params
        .optional_str("resourceType")?
        .map(|raw| ResourceType::parse(raw).ok_or_else(|| ApiError::param("resourceType")))
        .transpose()
}

/// A JSON array of `min..=max` strings, each parsed by `parse`. Only a real array counts: in a
/// body, a bare string is not a list.
fn string_array<T>(
    item: &Params,
    name: &str,
    (min, max): (usize, usize),
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Vec<T>> {
    match item.raw(name)? {
        Value::Array(values) if (min..=max).contains(&values.len()) => {
            values.iter().map(|v| v.as_str().and_then(&parse)).collect()
        }
        _ => None,
    }
}

/// One `resources[]` entry, or `None` when any field is malformed.
fn grant_spec(resource: &Params) -> Option<GrantSpec> {
    let code = GrantCode::parse(resource.required_str("code").ok()?).ok()?;
    let resource_type = ResourceType::parse(resource.required_str("resourceType").ok()?)?;
    let actions = string_array(resource, "actions", (0, 50), |a| Action::parse(a).ok())?;
    let effect = match resource.optional_str("effect").ok()? {
        None => Effect::Allow,
        Some(raw) => Effect::parse(raw)?,
    };
    Some(GrantSpec { code, resource_type, actions, effect })
}

/// One `list[]` entry, or `None` when any field is malformed (the contract reports every
/// nested failure as `参数 list 格式错误`).
fn authorize_item(item: &Params) -> Option<AuthorizeItem> {
    let target_type = TargetType::parse(item.required_str("targetType").ok()?)?;
    let target_identifiers = string_array(item, "targetIdentifiers", (1, 100), |id| Some(id.to_owned()))?;
    let resources = item.object_list("resources", 1, 50).ok()?.iter().map(grant_spec).collect::<Option<Vec<_>>>()?;
    let inherit_by_children = item.bool_or("inheritByChildren", false).ok()?;
    // The extension is defined for department targets only; elsewhere it would silently do nothing.
    if inherit_by_children && target_type != TargetType::Department {
        return None;
    }
    Some(AuthorizeItem { target_type, target_identifiers, resources, inherit_by_children })
}

// ---- handlers ---------------------------------------------------------------------------------

async fn authorize_resources(caller: Caller, Body(body): Body) -> ApiResult {
    let items = body
        .object_list("list", 1, 10)?
        .iter()
        .map(authorize_item)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ApiError::param("list"))?;
    let namespace = body.namespace()?;
    caller.write(|state, cx| authorization::authorize_resources(state, namespace, &items, cx)).await?;
    Ok(Reply::success())
}

async fn get_authorized_resources(caller: Caller, Query(query): Query) -> ApiResult {
    let kind = target_type(query.required_str("targetType")?, "targetType")?;
    let identifier = query.required_str("targetIdentifier")?;
    let namespace = query.namespace()?;
    let code_prefixes = query.optional_str_list("resourceList")?;
    if code_prefixes.as_ref().is_some_and(|list| list.len() > 50) {
        return Err(ApiError::param("resourceList"));
    }
    let filter = GrantFilter {
        resource_type: optional_resource_type(&query)?,
        code_prefixes,
        with_denied: query.bool_or("withDenied", false)?,
    };
    caller.read(|state| {
        let namespace = &namespace_in(state, namespace)?.id;
        let target = authorization::listed_target(state, namespace, kind, identifier)?;
        let grants = authorization::direct_grants(state, namespace, &target, &filter);
        let definitions = state.definitions(namespace);
        let dtos = grants.iter().map(|&g| AuthorizedResourceDto::new(definitions, g.into()));
        Ok(AuthorizedResourceDto::page(grants.len(), dtos))
    })
}

async fn is_action_allowed(caller: Caller, body: RawBody) -> ApiResult {
    let check = CheckRequest::read(&body)?;
    caller.read(|state| {
        let namespace = &namespace_in(state, check.namespace.as_deref())?.id;
        let user = state.user(&check.user_id).ok_or(DomainError::UserNotFound)?;
        let allowed = engine::is_action_allowed(state, namespace, &user.id, &check.action, &check.resource, now_ms());
        Ok(Reply::new(&AllowedDto { allowed }))
    })
}

/// The fields of is-action-allowed, borrowed from the body's text when it is well formed.
struct CheckRequest<'a> {
    user_id: Cow<'a, str>,
    action: Cow<'a, str>,
    resource: Cow<'a, str>,
    namespace: Option<Cow<'a, str>>,
}

/// The body of is-action-allowed as typed, its strings borrowed. A string holding an escape
/// cannot be borrowed, and such a body takes the `Params` path. (serde would copy every string
/// into an `Option<Cow<str>>`.)
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckFields<'a> {
    user_id: Option<&'a str>,
    action: Option<&'a str>,
    resource: Option<&'a str>,
    namespace: Option<&'a str>,
}

impl<'a> CheckRequest<'a> {
    /// Fields are checked in the contract's order (userId, action, resource, namespace) on
    /// both paths; a body that is not a well-formed object of plain strings takes the `Params`
    /// path.
    fn read(body: &'a RawBody) -> Result<Self, ApiError> {
        if let Some(fields) = body.typed::<CheckFields>() {
            return Ok(Self {
                user_id: non_empty(fields.user_id, "userId")?.into(),
                action: non_empty(fields.action, "action")?.into(),
                resource: non_empty(fields.resource, "resource")?.into(),
                namespace: fields.namespace.filter(|n| !n.is_empty()).map(Cow::Borrowed),
            });
        }
        let params = body.params()?;
        let owned = |s: &str| Cow::Owned(s.to_owned());
        Ok(Self {
            user_id: owned(params.non_empty_str("userId")?),
            action: owned(params.non_empty_str("action")?),
            resource: owned(params.non_empty_str("resource")?),
            namespace: params.namespace()?.map(owned),
        })
    }
}

async fn get_resource_authorized_targets(caller: Caller, Body(body): Body) -> ApiResult {
    let code = GrantCode::parse(body.required_str("resource")?).map_err(|_| ApiError::param("resource"))?;
    let namespace = body.namespace()?;
    let kind = body.optional_str("targetType")?.map(|raw| target_type(raw, "targetType")).transpose()?;
    let page = body.page()?;
    caller.read(|state| {
        let namespace = &namespace_in(state, namespace)?.id;
        let grants = authorization::grants_on_code(state, namespace, &code, kind, page);
        Ok(Reply::new(&PageDto::from_page(grants, |g| {
            AuthorizedTargetDto {
                target_type: g.target.type_name(),
                // Cascades delete a target's grants with it, so every grant's target exists.
                target_identifier: authorization::target_identifier(state, &g.target).unwrap_or(g.target.id_str()),
                actions: &g.actions,
            }
        })))
    })
}

async fn get_user_authorized_resources(caller: Caller, Query(query): Query) -> ApiResult {
    let id_type = match query.optional_str("userIdType")? {
        None => UserIdType::UserId,
        Some(raw) => UserIdType::parse(raw).ok_or_else(|| ApiError::param("userIdType"))?,
    };
    let user = UserRef::parse(query.required_str("userId")?, id_type).ok_or_else(|| ApiError::param("userId"))?;
    let namespace = query.namespace()?;
    let resource_type = optional_resource_type(&query)?;
    caller.read(|state| {
        let namespace = &namespace_in(state, namespace)?.id;
        let user = user.find(state).ok_or(DomainError::UserNotFound)?;
        let grants = engine::effective_grants(state, namespace, &user.id, now_ms());
        let listed = grants.iter().filter(|g| resource_type.is_none_or(|t| t == g.resource_type));
        let total_count = if resource_type.is_some() { listed.clone().count() } else { grants.len() };
        let definitions = state.definitions(namespace);
        let dtos = listed.map(|g| AuthorizedResourceDto::new(definitions, g.into()));
        Ok(AuthorizedResourceDto::page(total_count, dtos))
    })
}

async fn get_role_authorized_resources(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    check_lookup_code(code, "code")?;
    let namespace = query.namespace()?;
    let filter = GrantFilter { resource_type: optional_resource_type(&query)?, ..GrantFilter::default() };
    caller.read(|state| {
        let role = roles::find(state, namespace, code)?;
        let target = GrantTarget::Role(role.id.clone());
        let grants = authorization::direct_grants(state, &role.namespace, &target, &filter);
        let definitions = state.definitions(&role.namespace);
        let list = grants
            .into_iter()
            .map(|g| RoleAuthorizedResourceDto {
                resource_code: g.code.as_str(),
                resource_type: g.resource_type,
                actions: &g.actions,
                api_identifier: authorization::definition_for(definitions, g.code.as_str()).api_identifier,
            })
            .collect();
        Ok(Reply::new(&PageDto::all(list)))
    })
}

async fn get_group_authorized_resources(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    check_lookup_code(code, "code")?;
    let namespace = query.namespace()?;
    // The group's direct grants, DENY included: each entry carries its effect.
    let filter =
        GrantFilter { resource_type: optional_resource_type(&query)?, with_denied: true, ..GrantFilter::default() };
    caller.read(|state| {
        let namespace = &namespace_in(state, namespace)?.id;
        let group = state.group_by_code(code).ok_or(DomainError::GroupNotFound)?;
        let target = GrantTarget::Group(group.id.clone());
        let grants = authorization::direct_grants(state, namespace, &target, &filter);
        let definitions = state.definitions(namespace);
        let dtos = grants.into_iter().map(|g| AuthorizedResourceDto::new(definitions, g.into()));
        Ok(Reply::written(|out| json::array(out, dtos, |out, dto| dto.write(out))))
    })
}
