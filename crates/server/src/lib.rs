//! The HTTP face of Portcullis: GenAuth V3 management routes, authentication, the response
//! envelope and message localisation. Handlers are thin: decode, call one domain operation,
//! encode. No SQL here.

pub mod api;
pub mod auth;
mod caller;
mod dto;
pub mod envelope;
pub mod errors;
mod json;
pub mod params;

use auth::replay::ReplayCache;
use auth::token::TokenIssuer;
use axum::routing::get;
use axum::{middleware, Json, Router};
use portcullis_service::{Service, ServiceResult};
use std::sync::Arc;

pub use caller::{Caller, MIN_REVISION_HEADER, REVISION_HEADER};

/// The largest request body accepted (an authorize-resources call at every list limit fits).
pub const DEFAULT_BODY_LIMIT: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub token_ttl_seconds: u64,
    pub body_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self { token_ttl_seconds: 7200, body_limit: DEFAULT_BODY_LIMIT }
    }
}

/// What every handler and middleware shares, behind one `Arc`: axum clones the state for each
/// request, and each clone is an atomic both cores contend for.
#[derive(Clone)]
pub struct AppState(Arc<App>);

/// The service, the token issuer, the nonces of signed requests seen, and the body limit.
pub struct App {
    pub service: Arc<Service>,
    pub tokens: TokenIssuer,
    pub replay: ReplayCache,
    pub body_limit: usize,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// Builds the whole application over an opened service: loads every pool, and starts following
/// the other nodes when the store is shared (PostgreSQL).
pub async fn app(service: Arc<Service>, config: ServerConfig) -> ServiceResult<Router> {
    service.load_all().await?;
    if service.start_following().await? {
        tracing::info!("following commits of other nodes sharing the database");
    }
    let tokens = TokenIssuer::new(service.token_signing_key().await?, config.token_ttl_seconds);
    let state =
        AppState(Arc::new(App { service, tokens, replay: ReplayCache::default(), body_limit: config.body_limit }));
    Ok(router(state))
}

/// Every route sits under one middleware, which renders the envelope: the public routes (and
/// the answer to an unknown route) under `envelope_layer`, the rest under `authenticate`, which
/// also authenticates. The body limit is applied where a body is read (`params::Body`, the HMAC
/// check), not by a layer of its own.
fn router(state: AppState) -> Router {
    let authenticated = api::routes().layer(middleware::from_fn_with_state(state.clone(), caller::authenticate));
    let public = api::public_routes()
        .fallback(|| async { errors::ApiError::RouteNotFound })
        .layer(middleware::from_fn(envelope::envelope_layer));
    Router::new()
        .route("/healthz", get(|| async { Json(serde_json::json!({"status": "ok"})) }))
        .route("/readyz", get(|| async { Json(serde_json::json!({"status": "ok"})) }))
        .merge(public)
        .merge(authenticated)
        .with_state(state)
}
