//! `get-management-token`: exchanges an access key for a Bearer token (auth.md A.1).

use crate::auth::AuthError;
use crate::envelope::{ApiResult, Reply};
use crate::params::Body;
use crate::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use portcullis_service::now_ms;
use serde::Serialize;
use subtle::ConstantTimeEq;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v3/get-management-token", post(get_management_token))
}

#[derive(Serialize)]
struct TokenDto {
    access_token: String,
    expires_in: u64,
}

async fn get_management_token(State(app): State<AppState>, Body(body): Body) -> ApiResult {
    let key_id = body.non_empty_str("accessKeyId")?;
    let secret = body.non_empty_str("accessKeySecret")?;
    let Some(key) = app.service.resolve_access_key(key_id).await? else {
        let pool_exists = app.service.pool(key_id).await?.is_some();
        return Err(if pool_exists { AuthError::BadCredentials } else { AuthError::UnknownPool }.into());
    };
    if !bool::from(key.secret.as_bytes().ct_eq(secret.as_bytes())) {
        return Err(AuthError::BadCredentials.into());
    }
    let token = app.tokens.issue(key.pool.as_str(), key_id, (now_ms() / 1000) as u64);
    Ok(Reply::new(&TokenDto { access_token: token, expires_in: app.tokens.ttl_seconds() }))
}
