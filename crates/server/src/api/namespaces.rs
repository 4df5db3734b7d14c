//! Permission namespaces: resources.md §12–20.

use super::{check_lookup_code, parse_code};
use crate::dto::{iso_time, PageDto};
use crate::envelope::{ApiResult, Reply};
use crate::errors::ApiError;
use crate::params::{Body, Params, Query};
use crate::{AppState, Caller};
use axum::routing::{get, post};
use axum::Router;
use portcullis_core::codes::{CodeError, NamespaceCode};
use portcullis_core::error::CodeKind;
use portcullis_core::model::{Namespace, Role};
use portcullis_core::ops::namespaces::{self, NamespaceChanges, NewNamespace};
use portcullis_core::ops::sort_newest_first;
use portcullis_core::DomainError;
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v3/create-namespace", post(create))
        .route("/api/v3/create-namespaces-batch", post(create_batch))
        .route("/api/v3/get-namespace", get(get_one))
        .route("/api/v3/get-namespaces-batch", get(get_batch))
        .route("/api/v3/update-namespace", post(update))
        .route("/api/v3/delete-namespace", post(delete))
        .route("/api/v3/delete-namespaces-batch", post(delete_batch))
        .route("/api/v3/list-namespaces", get(list))
        .route("/api/v3/list-namespace-roles", get(list_roles))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NamespaceDto<'a> {
    code: &'a str,
    name: &'a str,
    description: Option<&'a str>,
}

impl<'a> From<&'a Namespace> for NamespaceDto<'a> {
    fn from(n: &'a Namespace) -> Self {
        Self { code: n.code.as_str(), name: &n.name, description: n.description.as_deref() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NamespaceListItemDto<'a> {
    #[serde(flatten)]
    namespace: NamespaceDto<'a>,
    /// Always 1 ("on"): nothing switches a namespace off.
    status: u8,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NamespaceRoleDto<'a> {
    id: &'a str,
    code: &'a str,
    name: &'a str,
    description: &'a str,
    namespace: &'a str,
    updated_at: String,
}

fn new_namespace(item: &Params, code: NamespaceCode) -> Result<NewNamespace, ApiError> {
    Ok(NewNamespace {
        code,
        name: item.optional_str("name")?.map(str::to_owned),
        description: item.optional_str("description")?.map(str::to_owned),
    })
}

async fn create(caller: Caller, Body(body): Body) -> ApiResult {
    let code = parse_code(body.required_str("code")?, "code", CodeKind::Namespace, NamespaceCode::parse)?;
    let input = new_namespace(&body, code)?;
    let id = caller.write(|state, cx| namespaces::create(state, input.clone(), cx)).await?;
    caller.read(|state| Ok(Reply::new(&NamespaceDto::from(state.namespace(&id).expect("just created")))))
}

async fn create_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let items = body.object_list("list", 1, 50)?;
    let inputs = items
        .iter()
        .map(|item| {
            let raw = item.required_str("code").map_err(|_| ApiError::param("list"))?;
            // Batch items skip the length validator: everything but "" is a code error.
            let code = NamespaceCode::parse(raw).map_err(|e| match e {
                CodeError::Empty => DomainError::NamespaceNameEmpty,
                _ => DomainError::InvalidCode { kind: CodeKind::Namespace, code: raw.to_owned() },
            })?;
            new_namespace(item, code)
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    caller.write(|state, cx| namespaces::create_batch(state, inputs.clone(), cx)).await?;
    Ok(Reply::success())
}

async fn get_one(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    check_lookup_code(code, "code")?;
    caller.read(|state| {
        let namespace = state.namespace_by_code(code).ok_or(DomainError::NamespaceNotExists)?;
        Ok(Reply::new(&NamespaceDto::from(namespace)))
    })
}

async fn get_batch(caller: Caller, Query(query): Query) -> ApiResult {
    let codes = query.str_list("codeList", 1, 50)?;
    caller.read(|state| {
        let found: Vec<NamespaceDto> =
            codes.iter().filter_map(|code| state.namespace_by_code(code)).map(NamespaceDto::from).collect();
        Ok(Reply::new(&found))
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdatedNamespaceDto<'a> {
    code: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_code: Option<&'a str>,
}

async fn update(caller: Caller, Body(body): Body) -> ApiResult {
    let code = body.required_str("code")?;
    check_lookup_code(code, "code")?;
    let new_code = match body.optional_str("newCode")? {
        None | Some("") => None,
        Some(raw) => Some(parse_code(raw, "newCode", CodeKind::Namespace, NamespaceCode::parse)?),
    };
    let changes = NamespaceChanges {
        new_code,
        name: body.optional_str("name")?.map(str::to_owned),
        description: body.optional_str("description")?.map(str::to_owned),
    };
    let id = caller.write(|state, cx| namespaces::update(state, code, changes.clone(), cx)).await?;
    caller.read(|state| {
        let n = state.namespace(&id).expect("just updated");
        Ok(Reply::new(&UpdatedNamespaceDto {
            code: n.code.as_str(),
            name: &n.name,
            description: n.description.as_deref(),
            new_code: changes.new_code.as_ref().map(NamespaceCode::as_str),
        }))
    })
}

async fn delete(caller: Caller, Body(body): Body) -> ApiResult {
    let code = body.required_str("code")?;
    check_lookup_code(code, "code")?;
    caller.write(|state, _| namespaces::delete(state, code)).await?;
    Ok(Reply::success())
}

async fn delete_batch(caller: Caller, Body(body): Body) -> ApiResult {
    let codes = body.str_list("codeList", 1, 10)?;
    caller.write(|state, _| namespaces::delete_batch(state, &codes)).await?;
    Ok(Reply::success())
}

fn matches_keywords(keywords: Option<&str>, fields: &[&str]) -> bool {
    keywords.is_none_or(|k| {
        let k = k.to_lowercase();
        fields.iter().any(|f| f.to_lowercase().contains(&k))
    })
}

async fn list(caller: Caller, Query(query): Query) -> ApiResult {
    let page = query.page()?;
    let keywords = query.optional_str("keywords")?.filter(|k| !k.is_empty());
    caller.read(|state| {
        let mut found: Vec<&Namespace> =
            state.namespaces().filter(|n| matches_keywords(keywords, &[n.code.as_str(), &n.name])).collect();
        sort_newest_first(&mut found, |n| (n.created_at, n.id.as_str()));
        Ok(Reply::new(&PageDto::from_page(page.slice(found), |n| NamespaceListItemDto {
            namespace: NamespaceDto::from(n),
            status: 1,
        })))
    })
}

async fn list_roles(caller: Caller, Query(query): Query) -> ApiResult {
    let code = query.required_str("code")?;
    check_lookup_code(code, "code")?;
    let page = query.page()?;
    let keywords = query.optional_str("keywords")?.filter(|k| !k.is_empty());
    caller.read(|state| {
        let namespace = state.namespace_by_code(code).ok_or(DomainError::NamespaceNotFound)?;
        let mut roles: Vec<&Role> = state
            .roles()
            .filter(|r| r.namespace == namespace.id && matches_keywords(keywords, &[r.code.as_str(), &r.name]))
            .collect();
        sort_newest_first(&mut roles, |r| (r.created_at, r.id.as_str()));
        Ok(Reply::new(&PageDto::from_page(page.slice(roles), |r| NamespaceRoleDto {
            id: r.id.as_str(),
            code: r.code.as_str(),
            name: &r.name,
            description: &r.description,
            namespace: namespace.code.as_str(),
            updated_at: iso_time(r.updated_at),
        })))
    })
}
