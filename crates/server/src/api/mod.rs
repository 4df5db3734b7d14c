//! Routes, one module per API area. Each module's handlers decode a request into domain types,
//! call one operation, and encode the answer.

mod auth;
mod authorization;
mod departments;
mod groups;
mod namespaces;
mod resources;
mod roles;
mod users;

use crate::errors::ApiError;
use crate::AppState;
use axum::Router;
use portcullis_core::codes::CodeError;
use portcullis_core::error::CodeKind;
use portcullis_core::DomainError;

/// Routes that need no credentials.
pub fn public_routes() -> Router<AppState> {
    auth::routes()
}

/// Routes that run as an authenticated pool.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(namespaces::routes())
        .merge(resources::routes())
        .merge(authorization::routes())
        .merge(users::routes())
        .merge(roles::routes())
        .merge(groups::routes())
        .merge(departments::routes())
}

/// Parses a code the usual way: empty or over-long → `参数 {field} 格式错误`, bad characters →
/// `invalid {kind} code: {code}` (README §7, order of checks).
pub fn parse_code<T>(
    raw: &str,
    field: &str,
    kind: CodeKind,
    parse: impl FnOnce(&str) -> Result<T, CodeError>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|e| match e {
        CodeError::Empty | CodeError::TooLong => ApiError::param(field),
        CodeError::InvalidCharacters => DomainError::InvalidCode { kind, code: raw.to_owned() }.into(),
    })
}

/// Checks the length rule alone (1..=64 characters) for a code that is only looked up, so a
/// lookup of an over-long code answers `参数 {field} 格式错误` rather than "not found".
pub fn check_lookup_code(raw: &str, field: &str) -> Result<(), ApiError> {
    if raw.is_empty() || raw.chars().count() > portcullis_core::codes::MAX_CODE_CHARS {
        return Err(ApiError::param(field));
    }
    Ok(())
}
