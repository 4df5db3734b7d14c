//! The response envelope `{statusCode, message, apiCode?, requestId, data}` and message language.
//!
//! Handlers and extractors never build envelopes themselves: a handler's reply or error travels
//! to [`enveloped`] as a response extension, and it renders the answer with the request's id and
//! language. Every answer is HTTP 200 with a JSON body, as the official SDKs require.
//!
//! Each route runs under exactly one middleware ([`envelope_layer`] for the public routes,
//! `caller::authenticate` for the rest), and each calls [`enveloped`]: every axum layer costs a
//! boxed future and a service clone per request, a few percent of a check (docs/PERFORMANCE.md).

use crate::errors::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use serde::Serialize;
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// The language messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    EnUs,
}

/// The language headers of the two SDK families, named once (a look-up by `&str` parses the name).
const LANG_HEADERS: [HeaderName; 2] =
    [HeaderName::from_static("x-authing-lang"), HeaderName::from_static("x-genauth-lang")];

impl Lang {
    /// `x-authing-lang` / `x-genauth-lang` decide (in that order, each by its first value);
    /// when absent or empty, GenAuth clients (any `x-genauth-*` header) get English and everyone
    /// else Chinese (the vendor's observed default). One pass over the headers: this runs for
    /// every request, and a look-up per name hashes each name again.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let [authing_lang, genauth_lang] = &LANG_HEADERS;
        let (mut authing, mut genauth, mut genauth_client) = (None, None, false);
        for (name, value) in headers {
            if name == authing_lang {
                authing.get_or_insert(value);
            } else if name == genauth_lang {
                genauth.get_or_insert(value);
            }
            genauth_client |= name.as_str().starts_with("x-genauth-");
        }
        let explicit = [authing, genauth]
            .into_iter()
            .flatten()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim)
            .find(|v| !v.is_empty());
        match explicit {
            Some(v) if v.eq_ignore_ascii_case("en-US") => Self::EnUs,
            Some(_) => Self::ZhCn,
            None if genauth_client => Self::EnUs,
            None => Self::ZhCn,
        }
    }
}

/// The envelope of a success up to its request id, which [`envelope_layer`] writes in.
const SUCCESS_HEAD: &[u8] = br#"{"statusCode":200,"message":"","requestId":""#;
/// A request id: a UUID in hex digits, without hyphens.
const REQUEST_ID_LEN: usize = uuid::fmt::Simple::LENGTH;
const REQUEST_ID_AT: std::ops::Range<usize> = SUCCESS_HEAD.len()..SUCCESS_HEAD.len() + REQUEST_ID_LEN;

/// A successful handler result: the whole envelope, its `data` member serialized behind a
/// head whose request id [`enveloped`] fills in, so that a large answer (a listing of
/// 10k grants is over a megabyte) is never copied to be wrapped.
pub struct Reply(Vec<u8>);

impl Reply {
    pub fn new<T: Serialize + ?Sized>(data: &T) -> Self {
        Self::written(|out| serde_json::to_writer(out, data).expect("response data always serializes"))
    }
    /// A success whose `data` member `write` puts straight into the answer (`crate::json`).
    pub fn written(write: impl FnOnce(&mut Vec<u8>)) -> Self {
        let mut body = Self::head();
        write(&mut body);
        Self(body)
    }
    /// `{"success": true}`, the answer of most writes.
    pub fn success() -> Self {
        Self::written(|out| out.extend_from_slice(br#"{"success":true}"#))
    }

    fn head() -> Vec<u8> {
        let mut body = Vec::with_capacity(256);
        body.extend_from_slice(SUCCESS_HEAD);
        body.resize(REQUEST_ID_AT.end, b'0');
        body.extend_from_slice(br#"","data":"#);
        body
    }
}

/// A rendered success on its way from the handler to [`enveloped`] (response extensions must be
/// `Clone`, hence the `Arc`; [`enveloped`] is its only holder and takes the bytes back).
#[derive(Clone)]
struct PendingData(std::sync::Arc<Vec<u8>>);

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        response.extensions_mut().insert(PendingData(std::sync::Arc::new(self.0)));
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        response.extensions_mut().insert(self);
        response
    }
}

pub type ApiResult = Result<Reply, ApiError>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorEnvelope<'a> {
    status_code: u16,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_code: Option<u32>,
    request_id: &'a str,
    data: (),
}

/// The middleware of the routes that need no credentials: [`enveloped`] alone.
pub async fn envelope_layer(request: Request, next: Next) -> Response {
    enveloped(request, |request| next.run(request)).await
}

/// Runs `handle` and renders what it answers as an envelope, with a fresh request id and the
/// request's language. A panic in `handle` is answered like any other internal error.
pub async fn enveloped<F>(request: Request, handle: impl FnOnce(Request) -> F) -> Response
where
    F: Future<Output = Response>,
{
    let lang = Lang::from_headers(request.headers());
    let mut request_id_buffer = [0u8; REQUEST_ID_LEN];
    let request_id: &str = uuid::Uuid::new_v4().simple().encode_lower(&mut request_id_buffer);
    let mut response = match AssertUnwindSafe(handle(request)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => ApiError::Internal("handler panicked".into()).into_response(),
    };
    let body = if let Some(PendingData(data)) = response.extensions_mut().remove::<PendingData>() {
        let mut body = std::sync::Arc::unwrap_or_clone(data);
        body[REQUEST_ID_AT].copy_from_slice(request_id.as_bytes());
        body.push(b'}');
        body
    } else {
        let error = response.extensions_mut().remove::<ApiError>().unwrap_or_else(|| {
            // Something outside our handlers answered (e.g. a framework rejection).
            ApiError::from_framework(response.status())
        });
        let rendered = error.render(lang);
        match error {
            // A lagging node is an expected, transient condition in a cluster, not a fault.
            ApiError::NotCaughtUp(_) => tracing::warn!(request_id, error = ?error, "revision not reached in time"),
            _ if rendered.status_code >= 500 => tracing::error!(request_id, error = ?error, "request failed"),
            _ => {}
        }
        serde_json::to_vec(&ErrorEnvelope {
            status_code: rendered.status_code,
            message: &rendered.message,
            api_code: rendered.api_code,
            request_id,
            data: (),
        })
        .expect("envelope always serializes")
    };
    // Headers set further in (e.g. the pool revision) stay; those describing the replaced body go.
    let mut headers = std::mem::take(response.headers_mut());
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    let mut out = Response::new(Body::from(body));
    *out.status_mut() = StatusCode::OK;
    *out.headers_mut() = headers;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn answer_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn request() -> Request {
        Request::builder().header("x-authing-lang", "en-US").body(Body::empty()).unwrap()
    }

    #[test]
    fn language_follows_the_lang_headers_then_the_client_family() {
        let lang = |pairs: &[(&'static str, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.append(*name, HeaderValue::from_static(value));
            }
            Lang::from_headers(&headers)
        };
        assert_eq!(lang(&[]), Lang::ZhCn);
        assert_eq!(lang(&[("x-authing-lang", "EN-us")]), Lang::EnUs);
        assert_eq!(lang(&[("x-authing-lang", "ja-JP")]), Lang::ZhCn);
        assert_eq!(lang(&[("x-genauth-lang", "zh-CN"), ("x-authing-lang", "en-US")]), Lang::EnUs);
        assert_eq!(lang(&[("x-authing-lang", " "), ("x-genauth-lang", "en-US")]), Lang::EnUs);
        // A header's first value counts, even when empty.
        assert_eq!(lang(&[("x-authing-lang", ""), ("x-authing-lang", "en-US")]), Lang::ZhCn);
        assert_eq!(lang(&[("x-genauth-request-from", "sdk")]), Lang::EnUs);
        assert_eq!(lang(&[("x-genauth-request-from", "sdk"), ("x-genauth-lang", "zh-CN")]), Lang::ZhCn);
        assert_eq!(lang(&[("x-authing-request-from", "sdk")]), Lang::ZhCn);
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_with_an_internal_error_envelope() {
        let response = enveloped(request(), |_| async { panic!("boom") }).await;
        assert_eq!(response.status(), StatusCode::OK);
        let answer = answer_of(response).await;
        assert_eq!(answer["statusCode"], 500);
        assert_eq!(answer["message"], "Unknown error");
        assert_eq!(answer["requestId"].as_str().unwrap().len(), REQUEST_ID_LEN);
    }

    #[tokio::test]
    async fn a_reply_gets_the_request_id_written_in() {
        let response = enveloped(request(), |_| async { Reply::success().into_response() }).await;
        let answer = answer_of(response).await;
        assert_eq!(answer["data"], serde_json::json!({"success": true}));
        let request_id = answer["requestId"].as_str().unwrap();
        assert!(request_id.len() == REQUEST_ID_LEN && request_id != "0".repeat(REQUEST_ID_LEN), "{request_id}");
    }
}
