//! Resource definitions: resources.md §0–§11.

use super::parse_code;
use crate::dto::{iso_time, PageDto};
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::params::{Body, Params, Query};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::codes::{ResourceCode, MAX_CODE_CHARS};
use portcullis_core::error::CodeKind;
use portcullis_core::model::{Namespace, Resource, ResourceAction, ResourceType};
use portcullis_core::ops::namespace_in;
use portcullis_core::ops::resources::{self, DeclaredActions, NewResource, ResourceChanges, ResourceSpec};
use portcullis_core::{DomainError, PoolState};
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/create-resource", post(create))
        .route("/api/v3/create-resources-batch", post(create_batch))
        .route("/api/v3/get-resource", get(get_one))
        .route("/api/v3/get-resources-batch", get(get_batch))
        .route("/api/v3/list-resources", get(list))
        .route("/api/v3/list-common-resource", get(list_common))
        .route("/api/v3/update-resource", post(update))
        .route("/api/v3/delete-resource", post(delete))
        .route("/api/v3/delete-resources-batch", post(delete_batch))
        .route("/api/v3/delete-common-resources-batch", post(delete_common_batch))
        .route("/api/v3/associate-tenant-resource", post(associate_tenant))
}

/// The most codes or ids one batch call may name.
const MAX_BATCH: usize = 50;

// ---- response shapes --------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActionDto<'a> {
    name: &'a str,
    description: &'a str,
}

fn action_dtos(actions: &[ResourceAction]) -> Vec<ActionDto<'_>> {
    actions.iter().map(|a| ActionDto { name: &a.name, description: &a.description }).collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResourceDto<'a> {
    code: &'a str,
    description: Option<&'a str>,
    name: Option<&'a str>,
    #[serde(rename = "type")]
    resource_type: &'static str,
    actions: Vec<ActionDto<'a>>,
    api_identifier: Option<&'a str>,
    /// The namespace's code.
    namespace: &'a str,
    linked_to_tenant: bool,
}

impl<'a> ResourceDto<'a> {
    fn of(resource: &'a Resource, namespace: &'a Namespace) -> Self {
        Self {
            code: resource.code.as_str(),
            description: resource.description.as_deref(),
            name: resource.name.as_deref(),
            resource_type: resource.resource_type.as_str(),
            actions: action_dtos(&resource.actions),
            api_identifier: resource.api_identifier.as_deref(),
            namespace: namespace.code.as_str(),
            linked_to_tenant: resource.linked_to_tenant,
        }
    }

    /// What create-resource answers for a resource it was asked for but did not store.
    fn unstored(code: &'a str, spec: &'a ResourceSpec, namespace: &'a Namespace) -> Self {
        Self {
            code,
            description: spec.description.as_deref(),
            name: spec.name.as_deref(),
            resource_type: spec.resource_type.as_str(),
            actions: action_dtos(spec.actions.as_slice()),
            api_identifier: spec.api_identifier.as_deref(),
            namespace: namespace.code.as_str(),
            linked_to_tenant: false,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommonResourceDto<'a> {
    #[serde(flatten)]
    resource: ResourceDto<'a>,
    id: &'a str,
    namespace_id: i64,
    namespace_name: &'a str,
    user_pool_id: &'a str,
    created_at: String,
    updated_at: String,
}

fn namespace_of<'a>(state: &'a PoolState, resource: &Resource) -> &'a Namespace {
    state.namespace(&resource.namespace).expect("a resource's namespace exists while the resource does")
}

fn dto<'a>(state: &'a PoolState, resource: &'a Resource) -> ResourceDto<'a> {
    ResourceDto::of(resource, namespace_of(state, resource))
}

fn reply_with_resource(caller: &Caller, id: &str) -> ApiResult {
    caller.read(|state| {
        let resource = state.resource(id).expect("the resource was just written");
        Ok(Reply::new(&dto(state, resource)))
    })
}

// ---- request decoding -------------------------------------------------------------------------

fn resource_type(params: &Params) -> Result<Option<ResourceType>, ApiError> {
    params.optional_str("type")?.map(|raw| ResourceType::parse(raw).ok_or_else(|| ApiError::param("type"))).transpose()
}

fn declared_actions(params: &Params) -> Result<Option<DeclaredActions>, ApiError> {
    if !params.contains("actions") {
        return Ok(None);
    }
    let bad = || ApiError::param("actions");
    let actions = params
        .object_list("actions", 0, DeclaredActions::MAX)?
        .iter()
        .map(|item| {
            let name = item.non_empty_str("name").map_err(|_| bad())?;
            let description = item.optional_str("description").map_err(|_| bad())?.unwrap_or_default();
            Ok(ResourceAction { name: name.to_owned(), description: description.to_owned() })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    DeclaredActions::new(actions).map(Some).ok_or_else(bad)
}

fn owned_str(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    Ok(params.optional_str(name)?.map(str::to_owned))
}

fn resource_spec(params: &Params) -> Result<ResourceSpec, ApiError> {
    Ok(ResourceSpec {
        resource_type: resource_type(params)?.ok_or_else(|| ApiError::param("type"))?,
        name: owned_str(params, "name")?,
        description: owned_str(params, "description")?,
        actions: declared_actions(params)?.unwrap_or_default(),
        api_identifier: owned_str(params, "apiIdentifier")?,
    })
}

/// The `code` field after the validator step of README §7 alone: a string of at most 64
/// characters. `""` passes; create-resource and delete-resource each give it its observed meaning.
fn code_within_limit(params: &Params) -> Result<&str, ApiError> {
    let code = params.required_str("code")?;
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(ApiError::param("code"));
    }
    Ok(code)
}

// ---- handlers ---------------------------------------------------------------------------------

async fn create(caller: Caller, Body(body): Body) -> ApiResult {
    let raw_code = code_within_limit(&body)?;
    let spec = resource_spec(&body)?;
    let namespace = body.namespace()?;
    if raw_code.is_empty() {
        // Observed: an empty code answers 200. Storing it would make `get-resource?code=` find
        // something, which the vendor's specs expect to stay 404; so echo and store nothing.
        return caller.read(|state| {
            let namespace = namespace_in(state, namespace)?;
            Ok(Reply::new(&ResourceDto::unstored(raw_code, &spec, namespace)))
        });
    }
    let code = parse_code(raw_code, "code", CodeKind::Resource, ResourceCode::parse)?;
    let input = NewResource { code, spec };
    let id = caller.write(|state, cx| resources::create(state, namespace, input.clone(), cx)).await?;
    reply_with_resource(&caller, id.as_str())
}

async fn create_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let namespace = body.namespace()?;
    let inputs = body
        .object_list("list", 1, MAX_BATCH)?
        .iter()
        .map(|item| {
            // Observed quirks: a missing code is the generic 500, and nested codes skip the
            // length validator, so every malformed code (even over-long) is `invalid resource code`.
            let raw = item.optional_str("code").map_err(|_| ApiError::param("list"))?.ok_or(DomainError::Unknown)?;
            let code = ResourceCode::parse(raw)
                .map_err(|_| DomainError::InvalidCode { kind: CodeKind::Resource, code: raw.to_owned() })?;
            let spec = resource_spec(item).map_err(|_| ApiError::param("list"))?;
            Ok(NewResource { code, spec })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    caller.write(|state, cx| resources::create_batch(state, namespace, inputs.clone(), cx)).await?;
    Ok(Reply::success())
}

async fn get_one(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    let namespace = query.namespace()?;
    caller.read(|state| {
        let resource = resources::get(state, namespace, code)?;
        Ok(Reply::new(&dto(state, resource)))
    })
}

async fn get_batch(caller: Caller, Query(query): Query) -> ApiResult {
    let codes = query.str_list("codeList", 1, MAX_BATCH)?;
    let namespace = query.namespace()?;
    caller.read(|state| {
        let found = resources::get_batch(state, namespace, &codes)?;
        Ok(Reply::new(&found.into_iter().map(|r| dto(state, r)).collect::<Vec<_>>()))
    })
}

async fn list(caller: Caller, Query(query): Query) -> ApiResult {
    let namespace = query.namespace()?;
    // An empty `type` is the same as none: no filter.
    let resource_type = if query.optional_str("type")? == Some("") { None } else { resource_type(&query)? };
    let page = query.page()?;
    caller.read(|state| {
        let found = resources::list(state, namespace, resource_type)?;
        Ok(Reply::new(&PageDto::from_page(page.slice(found), |r| dto(state, r))))
    })
}

async fn list_common(caller: Caller, Query(query): Query) -> ApiResult {
    let page = query.page()?;
    let keyword = query.optional_str("keyword")?.filter(|k| !k.is_empty());
    // Empty entries name no namespace; a list of nothing but them is no filter at all.
    let namespaces = query
        .optional_str_list("namespaceCodeList")?
        .map(|codes| codes.into_iter().filter(|c| !c.is_empty()).collect::<Vec<_>>())
        .filter(|codes| !codes.is_empty());
    let pool_id = caller.pool_id();
    caller.read(|state| {
        let found = resources::list_common(state, keyword, namespaces.as_deref());
        Ok(Reply::new(&PageDto::from_page(page.slice(found), |r| {
            let namespace = namespace_of(state, r);
            CommonResourceDto {
                resource: ResourceDto::of(r, namespace),
                id: r.id.as_str(),
                namespace_id: namespace.numeric_id,
                namespace_name: &namespace.name,
                user_pool_id: pool_id,
                created_at: iso_time(r.created_at),
                updated_at: iso_time(r.updated_at),
            }
        })))
    })
}

async fn update(caller: Caller, Body(body): Body) -> ApiResult {
    let code = body.required_str("code")?;
    let namespace = body.namespace()?;
    let changes = ResourceChanges {
        resource_type: resource_type(&body)?,
        name: owned_str(&body, "name")?,
        description: owned_str(&body, "description")?,
        actions: declared_actions(&body)?,
        api_identifier: owned_str(&body, "apiIdentifier")?,
    };
    let id = caller.write(|state, cx| resources::update(state, namespace, code, changes.clone(), cx)).await?;
    reply_with_resource(&caller, id.as_str())
}

async fn delete(caller: Caller, Body(body): Body) -> ApiResult {
    let code = code_within_limit(&body)?;
    let namespace = body.namespace()?;
    caller.write(|state, _| resources::delete(state, namespace, code)).await?;
    Ok(Reply::success())
}

/// An optional list of at most [`MAX_BATCH`] strings; absent is empty.
fn optional_batch(params: &Params, name: &str) -> Result<Vec<String>, ApiError> {
    match params.optional_str_list(name)? {
        Some(list) if list.len() > MAX_BATCH => Err(ApiError::param(name)),
        list => Ok(list.unwrap_or_default()),
    }
}

async fn delete_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let namespace = body.namespace()?;
    let codes = optional_batch(&body, "codeList")?;
    let ids = optional_batch(&body, "ids")?;
    caller.write(|state, _| resources::delete_batch(state, namespace, &codes, &ids)).await?;
    Ok(Reply::success())
}

async fn delete_common_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let ids = body.str_list("ids", 1, MAX_BATCH)?;
    caller.write(|state, _| resources::delete_by_ids(state, &ids)).await?;
    Ok(Reply::success())
}

async fn associate_tenant(caller: Caller, Body(body): Body) -> ApiResult {
    let code = body.non_empty_str("code")?;
    let linked = body.optional_bool("association")?.ok_or_else(|| ApiError::param("association"))?;
    let app_id = body.non_empty_str("appId")?;
    // Multi-tenant applications are out of scope; the tenant only has to be well-typed.
    body.optional_str("tenantId")?;
    caller.write(|state, cx| resources::associate_tenant(state, app_id, code, linked, cx)).await?;
    Ok(Reply::success())
}
