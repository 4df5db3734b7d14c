//! Authentication middleware and the [`Caller`] it hands to handlers: the pool the request's
//! credentials are scoped to. Nothing past this layer can reach another pool.
//!
//! Read-your-writes across nodes: every authenticated answer carries the pool revision this node
//! has applied ([`REVISION_HEADER`]), and a request naming a minimum revision
//! ([`MIN_REVISION_HEADER`]) is held until this node has applied it.

use crate::auth::{self, AuthError, Credentials, Scheme, SignedRequest};
use crate::envelope::enveloped;
use crate::errors::ApiError;
use crate::params::read_body;
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use portcullis_core::ids::{OpContext, PoolId};
use portcullis_core::ops::Plan;
use portcullis_core::PoolState;
use portcullis_service::{now_ms, PoolHandle, Service};
use std::sync::Arc;
use std::time::Duration;

/// The pool revision applied on the answering node.
pub const REVISION_HEADER: &str = "x-portcullis-revision";
/// The pool revision a request must see (a revision header of an earlier answer).
pub const MIN_REVISION_HEADER: &str = "x-portcullis-min-revision";
/// The user-pool headers of the two SDK families. Named once: a look-up by `&str` parses and
/// validates the name on every request.
const USER_POOL_HEADERS: [HeaderName; 2] =
    [HeaderName::from_static("x-authing-userpool-id"), HeaderName::from_static("x-genauth-userpool-id")];
const MIN_REVISION: HeaderName = HeaderName::from_static(MIN_REVISION_HEADER);
const REVISION: HeaderName = HeaderName::from_static(REVISION_HEADER);
/// How long a request waits for its minimum revision before it is refused.
const MIN_REVISION_WAIT: Duration = Duration::from_secs(5);

/// The authenticated pool of a request.
#[derive(Clone)]
pub struct Caller {
    service: Arc<Service>,
    pool: Arc<PoolHandle>,
}

impl Caller {
    pub fn read<R>(&self, f: impl FnOnce(&PoolState) -> R) -> R {
        self.pool.read(f)
    }

    /// Plans, commits and applies one domain operation; its effects are visible to the next read.
    pub async fn write<T>(&self, plan: impl Fn(&PoolState, &mut OpContext) -> Plan<T>) -> Result<T, ApiError> {
        Ok(self.service.write(&self.pool, plan).await?)
    }

    pub fn pool_id(&self) -> &str {
        self.pool.id.as_str()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        // Taken, not cloned: a handler has one Caller, and cloning costs two contended atomics.
        parts
            .extensions
            .remove::<Caller>()
            .ok_or_else(|| ApiError::Internal("route is missing the authentication layer".into()))
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The middleware of the authenticated routes: [`enveloped`] around [`authenticated`].
pub async fn authenticate(State(app): State<AppState>, request: Request, next: Next) -> Response {
    enveloped(request, |request| authenticated(app, request, next)).await
}

/// Authenticates with a management token or a request signature, then attaches the [`Caller`].
/// Answers carry the pool's revision as applied after the handler ran, so a write's answer names
/// the revision that contains it.
async fn authenticated(app: AppState, mut request: Request, next: Next) -> Response {
    let pool = match caller_pool(&app, &mut request).await {
        Ok(pool) => pool,
        Err(error) => return error.into_response(),
    };
    request.extensions_mut().insert(Caller { service: app.service.clone(), pool: pool.clone() });
    let waited = match min_revision(request.headers()) {
        Ok(None) => Ok(()),
        // Boxed, as is the signature check: a rare path's state would otherwise enlarge every
        // request's future, which is moved to the heap per request.
        Ok(Some(wanted)) => Box::pin(wait_for_revision(&pool, wanted)).await,
        Err(error) => Err(error),
    };
    let mut response = match waited {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    };
    response.headers_mut().insert(REVISION, HeaderValue::from(pool.revision()));
    response
}

/// The revision the request asks to see, if it names one (usually not).
fn min_revision(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get(MIN_REVISION) else { return Ok(None) };
    let wanted = value.to_str().ok().and_then(|v| v.trim().parse().ok());
    wanted.map(Some).ok_or_else(|| ApiError::param(MIN_REVISION_HEADER))
}

/// Holds the request until this node applied `wanted`, within [`MIN_REVISION_WAIT`].
async fn wait_for_revision(pool: &PoolHandle, wanted: u64) -> Result<(), ApiError> {
    if pool.wait_for_revision(wanted, MIN_REVISION_WAIT).await {
        Ok(())
    } else {
        Err(ApiError::NotCaughtUp(wanted))
    }
}

/// The pool the request's credentials are scoped to.
async fn caller_pool(app: &AppState, request: &mut Request) -> Result<Arc<PoolHandle>, ApiError> {
    let authorization = header(request.headers(), &header::AUTHORIZATION).ok_or(AuthError::MissingAuthorization)?;
    let pool = match auth::parse_authorization(authorization)? {
        Credentials::Bearer(token) => {
            let claims = app.tokens.verify(token, (now_ms() / 1000) as u64)?;
            let requested =
                USER_POOL_HEADERS.iter().filter_map(|name| header(request.headers(), name)).find(|v| !v.is_empty());
            if requested.is_some_and(|pool| pool != claims.pool_id) {
                return Err(AuthError::PoolMismatch.into());
            }
            app.service.pool(&claims.pool_id).await?
        }
        Credentials::Signature { scheme, access_key_id, signature } => {
            // Owned: the request they are read from has its body replaced below.
            let (access_key_id, signature) = (access_key_id.to_owned(), signature.to_owned());
            let pool = Box::pin(verify_signature(app, request, scheme, &access_key_id, &signature)).await?;
            app.service.pool(pool.as_str()).await?
        }
    };
    pool.ok_or_else(|| AuthError::InvalidToken.into())
}

/// Checks a signed request (reading its body, which is then put back for the handler) and
/// answers the pool of its access key.
async fn verify_signature(
    app: &AppState,
    request: &mut Request,
    scheme: Scheme,
    access_key_id: &str,
    signature: &str,
) -> Result<PoolId, ApiError> {
    let key = app.service.resolve_access_key(access_key_id).await?.ok_or(AuthError::InvalidSignature)?;
    let body = read_body(std::mem::take(request.body_mut()), app.body_limit).await?;
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        // Node writes header strings as Latin-1 bytes; decoding them the same way keeps a
        // signed non-ASCII value (e.g. a tenant id) verifiable.
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().iter().map(|&b| b as char).collect()))
        .collect();
    let signed = SignedRequest {
        method: request.method().as_str(),
        path: request.uri().path(),
        raw_query: request.uri().query(),
        body: &body,
        scheme,
        headers,
        signature,
    };
    auth::verify_signed_request(&signed, &key.secret, access_key_id, now_ms(), &app.replay)?;
    *request.body_mut() = Body::from(body);
    Ok(key.pool)
}
