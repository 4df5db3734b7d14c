//! Request fields, from a query string or a JSON body, read through one typed interface so that
//! every handler reports a bad field the same way (`参数 {field} 格式错误`).
//!
//! Query strings follow the list rules both SDK families need (README §5): `k[]=a&k[]=b`,
//! repeated `k`, a single comma-separated value, or a JSON array text.

use crate::errors::ApiError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use portcullis_core::ops::PageRequest;
use serde_json::{Map, Value};

/// The largest `limit` any paged endpoint accepts.
pub const MAX_PAGE_LIMIT: i64 = 50;

#[derive(Debug, Clone, Default)]
pub struct Params(Map<String, Value>);

type FieldResult<T> = Result<T, ApiError>;

impl Params {
    /// Parses a raw query string (form-urlencoded). `k[]` and repeated keys become arrays.
    pub fn from_query(raw: &str) -> Self {
        let mut fields = Map::new();
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let (name, is_list) = match key.strip_suffix("[]") {
                Some(name) => (name.to_owned(), true),
                None => (key.into_owned(), false),
            };
            let value = Value::String(value.into_owned());
            match fields.get_mut(&name) {
                Some(Value::Array(items)) => items.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    fields.insert(name, if is_list { Value::Array(vec![value]) } else { value });
                }
            }
        }
        Self(fields)
    }

    /// Parses a JSON body, which must be an object (an empty body counts as `{}`).
    pub fn from_body(bytes: &[u8]) -> FieldResult<Self> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            _ => Err(ApiError::MalformedJson),
        }
    }

    fn present(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.present(name).is_some()
    }

    /// A string field that must be present (it may be empty).
    pub fn required_str(&self, name: &str) -> FieldResult<&str> {
        self.optional_str(name)?.ok_or_else(|| ApiError::param(name))
    }

    pub fn optional_str(&self, name: &str) -> FieldResult<Option<&str>> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ApiError::param(name)),
        }
    }

    /// A string field that must be present and non-empty.
    pub fn non_empty_str(&self, name: &str) -> FieldResult<&str> {
        self.required_str(name).and_then(|s| if s.is_empty() { Err(ApiError::param(name)) } else { Ok(s) })
    }

    /// The namespace code of the request, `None` meaning `default`.
    pub fn namespace(&self) -> FieldResult<Option<&str>> {
        Ok(self.optional_str("namespace")?.filter(|s| !s.is_empty()))
    }

    pub fn optional_bool(&self, name: &str) -> FieldResult<Option<bool>> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") || s == "1" => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") || s == "0" => Ok(Some(false)),
            Some(_) => Err(ApiError::param(name)),
        }
    }

    pub fn bool_or(&self, name: &str, default: bool) -> FieldResult<bool> {
        Ok(self.optional_bool(name)?.unwrap_or(default))
    }

    pub fn optional_int(&self, name: &str) -> FieldResult<Option<i64>> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| ApiError::param(name)),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| ApiError::param(name)),
            Some(_) => Err(ApiError::param(name)),
        }
    }

    /// `page` and `limit` with the contract's defaults (1, 10) and bounds (page ≥ 1, limit 1..=50).
    pub fn page(&self) -> FieldResult<PageRequest> {
        page_from(self.optional_int("page")?, self.optional_int("limit")?)
    }

    /// A list of strings: a JSON array in a body, or any of the query list forms.
    pub fn optional_str_list(&self, name: &str) -> FieldResult<Option<Vec<String>>> {
        let strings = |items: &[Value]| -> FieldResult<Vec<String>> {
            items.iter().map(|v| v.as_str().map(str::to_owned).ok_or_else(|| ApiError::param(name))).collect()
        };
        match self.present(name) {
            None => Ok(None),
            Some(Value::Array(items)) => strings(items).map(Some),
            Some(Value::String(s)) if s.starts_with('[') => match serde_json::from_str::<Vec<String>>(s) {
                Ok(list) => Ok(Some(list)),
                Err(_) => Ok(Some(vec![s.clone()])),
            },
            Some(Value::String(s)) if s.contains(',') => Ok(Some(s.split(',').map(str::to_owned).collect())),
            Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(_) => Err(ApiError::param(name)),
        }
    }

    /// A required list of `min..=max` strings.
    pub fn str_list(&self, name: &str, min: usize, max: usize) -> FieldResult<Vec<String>> {
        match self.optional_str_list(name)? {
            Some(list) if (min..=max).contains(&list.len()) => Ok(list),
            _ => Err(ApiError::param(name)),
        }
    }

    /// A nested object.
    pub fn optional_object(&self, name: &str) -> FieldResult<Option<Params>> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Params(map.clone()))),
            Some(_) => Err(ApiError::param(name)),
        }
    }

    /// A required list of `min..=max` objects; any malformed item reports the list's name.
    pub fn object_list(&self, name: &str, min: usize, max: usize) -> FieldResult<Vec<Params>> {
        match self.present(name) {
            Some(Value::Array(items)) if (min..=max).contains(&items.len()) => items
                .iter()
                .map(|item| match item {
                    Value::Object(map) => Ok(Params(map.clone())),
                    _ => Err(ApiError::param(name)),
                })
                .collect(),
            _ => Err(ApiError::param(name)),
        }
    }

    /// The raw JSON value of a field, for the few fields whose content is the caller's own
    /// (customData, metadata).
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.present(name)
    }
}

/// Validates page/limit values that came from anywhere (query, body, nested `pagination`).
pub fn page_from(page: Option<i64>, limit: Option<i64>) -> FieldResult<PageRequest> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(10);
    if page < 1 || page > u32::MAX as i64 {
        return Err(ApiError::param("page"));
    }
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(ApiError::param("limit"));
    }
    Ok(PageRequest { page: page as u32, limit: limit as u32 })
}

/// Query-string fields of a GET request.
pub struct Query(pub Params);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(Params::from_query(parts.uri.query().unwrap_or(""))))
    }
}

/// JSON-body fields of a POST request.
pub struct Body(pub Params);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, app: &AppState) -> Result<Self, ApiError> {
        RawBody::from_request(request, app).await?.params().map(Self)
    }
}

/// A POST body kept as its bytes, for the hot handler that reads its fields as borrowed strings
/// (is-action-allowed): building [`Params`]' map of owned values was a tenth of a check's
/// instructions (docs/PERFORMANCE.md).
pub struct RawBody(Bytes);

impl FromRequest<AppState> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, app: &AppState) -> Result<Self, ApiError> {
        read_body(request.into_body(), app.body_limit).await.map(Self)
    }
}

impl RawBody {
    /// The body as `T`, if it is a well-formed object whose fields have `T`'s types; `None`
    /// otherwise, and the handler reads it through [`Self::params`], whose accessors report
    /// what is wrong the way every handler does.
    pub fn typed<'a, T: serde::Deserialize<'a>>(&'a self) -> Option<T> {
        serde_json::from_slice(&self.0).ok()
    }

    pub fn params(&self) -> FieldResult<Params> {
        Params::from_body(&self.0)
    }
}

/// A field of a [`RawBody::typed`] body that must be present and non-empty, by the rule of
/// [`Params::non_empty_str`].
pub fn non_empty<'a>(value: Option<&'a str>, name: &str) -> FieldResult<&'a str> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| ApiError::param(name))
}

/// The whole body of a request, refused with `BodyTooLarge` past `limit` bytes.
pub async fn read_body(body: axum::body::Body, limit: usize) -> FieldResult<Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if error.into_inner().downcast_ref::<http_body_util::LengthLimitError>().is_some() {
            ApiError::BodyTooLarge
        } else {
            // The body broke off mid-way, or its framing was bad.
            ApiError::MalformedJson
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lists_accept_every_client_encoding() {
        let expect = Some(vec!["a".to_owned(), "b c".to_owned()]);
        for raw in [
            "codeList[]=a&codeList[]=b+c",
            "codeList%5B%5D=a&codeList%5B%5D=b%20c",
            "codeList=a&codeList=b+c",
            "codeList=a%2Cb+c",
            "codeList=%5B%22a%22%2C%22b%20c%22%5D",
        ] {
            assert_eq!(Params::from_query(raw).optional_str_list("codeList").unwrap(), expect, "{raw}");
        }
        assert_eq!(Params::from_query("codeList[]=").optional_str_list("codeList").unwrap(), Some(vec![String::new()]));
    }

    #[test]
    fn query_scalars_parse_like_the_sdks_send_them() {
        let q = Params::from_query("flag=True&other=false&n=3&bad=x");
        assert_eq!(q.optional_bool("flag").unwrap(), Some(true));
        assert_eq!(q.optional_bool("other").unwrap(), Some(false));
        assert_eq!(q.optional_int("n").unwrap(), Some(3));
        assert!(q.optional_int("bad").is_err());
        assert!(q.optional_bool("bad").is_err());
    }

    #[test]
    fn paging_bounds_follow_the_contract() {
        assert_eq!(page_from(None, None).unwrap(), PageRequest { page: 1, limit: 10 });
        assert!(page_from(Some(0), None).is_err());
        assert!(page_from(Some(-1), None).is_err());
        assert!(page_from(None, Some(0)).is_err());
        assert!(page_from(None, Some(51)).is_err());
        assert!(page_from(None, Some(50)).is_ok());
    }

    #[test]
    fn bodies_must_be_objects_and_wrong_types_name_the_field() {
        assert!(matches!(Params::from_body(b"[1]"), Err(ApiError::MalformedJson)));
        assert!(matches!(Params::from_body(b"{"), Err(ApiError::MalformedJson)));
        let body = Params::from_body(br#"{"code": 5, "name": null}"#).unwrap();
        assert!(matches!(body.required_str("code"), Err(ApiError::Domain(_))));
        assert_eq!(body.optional_str("name").unwrap(), None);
    }
}
