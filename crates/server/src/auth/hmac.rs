//! Server-side reconstruction of the Node SDKs' HMAC-SHA1 request signature
//! (auth.md B.2/B.3).
//!
//! The client signs the *JavaScript objects* it hands to axios, not the bytes on the wire, so
//! the server rebuilds the signed text from what axios produced: the query string for GET, the
//! JSON body for POST. Where the wire loses information (an empty array or an all-`undefined`
//! object), several candidate strings are tried.
//!
//! Known unverifiable corner cases (auth.md B.3, deliberately not handled): `null` passed as
//! a GET parameter (signed as `k=null`, not sent by axios), GET arrays of non-strings (we
//! render every element as a JSON string), and `Date`/class instances in a POST body.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use ::hmac::{Hmac, Mac};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::value::RawValue;
use sha1::Sha1;

use super::Scheme;

/// GET parameters that the SDK signs as `key=[]` when the caller passes an empty array, while
/// axios sends nothing for them (`get-resources-batch`/`get-namespaces-batch` `codeList`,
/// `get-authorized-resources` `resourceList`, `get-user-batch` `userIds`).
const EMPTY_ARRAY_FALLBACK_KEYS: [&str; 3] = ["codeList", "resourceList", "userIds"];

/// The parts of an HTTP request that the signature covers, plus the claimed signature.
#[derive(Debug, Clone)]
pub struct SignedRequest<'a> {
    /// Request method as received (`GET`, `POST`).
    pub method: &'a str,
    /// Request path as received: no query string, not percent-decoded.
    pub path: &'a str,
    /// The raw query string (after `?`), if any. Only used for GET.
    pub raw_query: Option<&'a str>,
    /// The raw body. Only used for methods other than GET.
    pub body: &'a [u8],
    /// Scheme from `authorization`; selects the signed header prefix.
    pub scheme: Scheme,
    /// All request headers, names in lower case (as HTTP frameworks deliver them).
    pub headers: Vec<(String, String)>,
    /// Base64 signature from `authorization`.
    pub signature: &'a str,
}

impl SignedRequest<'_> {
    /// The first header called `name` (lower case).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Whether `req.signature` is the HMAC-SHA1 (keyed with `secret`) of one of the candidate
/// strings-to-sign. Comparison is constant-time (`Mac::verify_slice`).
pub fn verify_signature(req: &SignedRequest<'_>, secret: &str) -> bool {
    let Ok(claimed) = BASE64.decode(req.signature) else {
        return false;
    };
    let Some(candidates) = strings_to_sign(req) else {
        return false;
    };
    candidates.iter().any(|text| {
        let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
        mac.update(text.as_bytes());
        mac.verify_slice(&claimed).is_ok()
    })
}

/// Every string the client may have signed for this request, or `None` when the body is not
/// a JSON object (nothing the SDK could have produced).
fn strings_to_sign(req: &SignedRequest<'_>) -> Option<Vec<String>> {
    let head = format!("{}\n{}", req.method, canonical_headers(req));
    let resources = canonical_resources(req)?;
    Some(resources.into_iter().map(|resource| head.clone() + &resource).collect())
}

/// `name:value\n` for `date` and every header with the scheme's prefix, sorted by name, values
/// with `\t \n \r \f` turned into spaces and trimmed (JS `String.prototype.trim`; header
/// values are ASCII, where it agrees with `str::trim`).
fn canonical_headers(req: &SignedRequest<'_>) -> String {
    let prefix = req.scheme.header_prefix();
    let mut signed: Vec<(&str, String)> = req
        .headers
        .iter()
        .filter(|(name, _)| name == "date" || name.starts_with(prefix))
        .map(|(name, value)| {
            let value = value.replace(['\t', '\n', '\r', '\x0c'], " ");
            (name.as_str(), value.trim().to_owned())
        })
        .collect();
    // Names are ASCII, so byte order equals JS's UTF-16 order.
    signed.sort_by(|a, b| a.0.cmp(b.0));
    signed.iter().map(|(name, value)| format!("{name}:{value}\n")).collect()
}

/// Candidate canonical resources (path plus rendered parameters), see auth.md B.3 step 6.
fn canonical_resources(req: &SignedRequest<'_>) -> Option<Vec<String>> {
    let is_get = req.method == "GET";
    let mut params = if is_get { query_params(req.raw_query.unwrap_or("")) } else { body_params(req.body)? };
    sort_params(&mut params);
    let mut candidates = Vec::new();
    push_resources(&mut candidates, req.path, &params);
    if is_get {
        for key in EMPTY_ARRAY_FALLBACK_KEYS {
            if params.iter().all(|(k, _)| k != key) {
                let mut with_empty = params.clone();
                with_empty.push((key.to_owned(), "[]".to_owned()));
                sort_params(&mut with_empty);
                push_resources(&mut candidates, req.path, &with_empty);
            }
        }
    }
    Some(candidates)
}

/// `path?k=v&…`; without parameters both `path` and `path?`, since `{}` and an object whose
/// keys are all `undefined` look the same on the wire but are signed differently.
fn push_resources(out: &mut Vec<String>, path: &str, params: &[(String, String)]) {
    if params.is_empty() {
        out.push(path.to_owned());
        out.push(format!("{path}?"));
    } else {
        let joined: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push(format!("{path}?{}", joined.join("&")));
    }
}

/// Stable sort by key in JS `Array.prototype.sort` order (UTF-16 code units).
fn sort_params(params: &mut [(String, String)]) {
    params.sort_by(|(a, _), (b, _)| utf16_cmp(a, b));
}

fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Query parameters as the SDK signed them: form-urlencoded decoding; `k[]` repeated keys are
/// one array rendered as a compact JSON array of strings; other values are the decoded text
/// (numbers and booleans arrive as the text that was signed).
fn query_params(raw_query: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut arrays: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in form_urlencoded::parse(raw_query.as_bytes()) {
        match key.strip_suffix("[]") {
            Some(name) => arrays.entry(name.to_owned()).or_default().push(value.into_owned()),
            None => params.push((key.into_owned(), value.into_owned())),
        }
    }
    params.extend(arrays.into_iter().map(|(key, values)| {
        let rendered = serde_json::to_string(&values).expect("a list of strings serialises");
        (key, rendered)
    }));
    params
}

/// Top-level members of a JSON object body, keeping the raw text of non-string values: the
/// body came from `JSON.stringify`, so that text is exactly what the SDK signed, while
/// re-serialising would change key order and number formatting. Strings are signed unquoted.
/// `None` if the body is not a JSON object; an empty body has no parameters.
fn body_params(body: &[u8]) -> Option<Vec<(String, String)>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some(Vec::new());
    }
    let members: BTreeMap<String, &RawValue> = serde_json::from_slice(body).ok()?;
    members
        .into_iter()
        .map(|(key, raw)| {
            let text = raw.get();
            let value = if text.starts_with('"') { serde_json::from_str(text).ok()? } else { text.to_owned() };
            Some((key, value))
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::auth::{parse_authorization, Credentials};

    const SECRET: &str = "SKEXAMPLEsecret000000000000000001";
    const DATE: &str = "Sun, 23 Nov 2025 02:00:00 GMT";
    const NONCE: &str = "0123456789abcdef0123456789abcdef";
    /// `DATE` in Unix milliseconds.
    pub(in crate::auth) const V1_NOW_MS: i64 = 1_763_863_200_000;

    /// The signed headers of V1–V8 (`lang` and the optional tenant vary), plus unsigned ones
    /// the SDK also sends.
    fn authing_headers(lang: &str, app_id: Option<&str>) -> Vec<(String, String)> {
        let mut headers = vec![
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("user-agent", "AuthingIdentityCloud (linux; x64) Node.js/v20.0.0 Core/4.0.1"),
            ("authorization", "ignored: not a signed header"),
            ("date", DATE),
            ("x-authing-lang", lang),
            ("x-authing-sdk-version", "authing-node-sdk:4.0.1"),
            ("x-authing-signature-method", "HMAC-SHA1"),
            ("x-authing-signature-nonce", NONCE),
            ("x-authing-signature-version", "1.0"),
        ];
        headers.extend(app_id.map(|id| ("x-authing-app-id", id)));
        headers.into_iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect()
    }

    /// A request built from the "Wire request" column: `target` is `path[?query]`.
    fn wire(
        method: &'static str,
        target: &'static str,
        body: &'static str,
        headers: Vec<(String, String)>,
        authorization: &'static str,
    ) -> SignedRequest<'static> {
        let (path, raw_query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (target, None),
        };
        let Ok(Credentials::Signature { scheme, .. }) = parse_authorization(authorization) else {
            panic!("not a signature: {authorization}");
        };
        let signature = authorization.rsplit_once(':').map(|(_, sig)| sig).unwrap();
        SignedRequest { method, path, raw_query, body: body.as_bytes(), scheme, headers, signature }
    }

    pub(in crate::auth) fn v1_request() -> SignedRequest<'static> {
        wire(
            "GET",
            "/api/v3/get-resource?code=books&namespace=default",
            "",
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:/jxdsmeYMfLZoImRsXGa2SG6yKE=",
        )
    }

    const V5_BODY: &str = r#"{"namespace":"default","list":[{"targetType":"USER","targetIdentifiers":["6343b98b7cf0000009366e9b7c"],"resources":[{"code":"books:123","actions":["books:read","books:edit"],"resourceType":"DATA"}]}]}"#;

    fn v5_request() -> SignedRequest<'static> {
        wire(
            "POST",
            "/api/v3/authorize-resources",
            V5_BODY,
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:hWg+DGd1GWxS6Pnvirts6bNNPV4=",
        )
    }

    fn assert_verifies(req: &SignedRequest<'_>) {
        assert!(verify_signature(req, SECRET), "{:#?}", strings_to_sign(req));
    }

    #[test]
    fn v1_string_to_sign_matches_contract() {
        let expected = "GET\n\
            date:Sun, 23 Nov 2025 02:00:00 GMT\n\
            x-authing-lang:zh-CN\n\
            x-authing-sdk-version:authing-node-sdk:4.0.1\n\
            x-authing-signature-method:HMAC-SHA1\n\
            x-authing-signature-nonce:0123456789abcdef0123456789abcdef\n\
            x-authing-signature-version:1.0\n\
            /api/v3/get-resource?code=books&namespace=default";
        let candidates = strings_to_sign(&v1_request()).unwrap();
        assert_eq!(candidates[0], expected);
    }

    #[test]
    fn v1_plain_get() {
        assert_verifies(&v1_request());
    }

    #[test]
    fn v2_get_with_array_parameter() {
        assert_verifies(&wire(
            "GET",
            "/api/v3/get-resources-batch?namespace=default&codeList%5B%5D=books&codeList%5B%5D=books:123",
            "",
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:uUvcIXw9Pda9MkppCQIPWsnqqlQ=",
        ));
    }

    #[test]
    fn v3_get_parameters_are_sorted() {
        assert_verifies(&wire(
            "GET",
            "/api/v3/list-namespaces?page=1&limit=10",
            "",
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:zmBcWX6u2Ippm8ieZEIdPvW/lno=",
        ));
    }

    #[test]
    fn v4_get_with_empty_array_not_on_the_wire() {
        assert_verifies(&wire(
            "GET",
            "/api/v3/get-user-batch?userIdType=user_id&withCustomData=false",
            "",
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:PLhJwypmOk0XulfTFby/JEeuLr8=",
        ));
    }

    #[test]
    fn v5_post_with_nested_raw_values() {
        let req = v5_request();
        let expected_resource = r#"/api/v3/authorize-resources?list=[{"targetType":"USER","targetIdentifiers":["6343b98b7cf0000009366e9b7c"],"resources":[{"code":"books:123","actions":["books:read","books:edit"],"resourceType":"DATA"}]}]&namespace=default"#;
        assert_eq!(canonical_resources(&req).unwrap(), [expected_resource]);
        assert_verifies(&req);
    }

    #[test]
    fn v6_post_with_strings() {
        assert_verifies(&wire(
            "POST",
            "/api/v3/is-action-allowed",
            r#"{"userId":"u1","action":"books:read","resource":"books:123"}"#,
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:+3p7lb0IZYhog8u3jfwrTSl97i8=",
        ));
    }

    #[test]
    fn v7_post_with_empty_object() {
        assert_verifies(&wire(
            "POST",
            "/api/v3/create-namespace",
            "{}",
            authing_headers("zh-CN", None),
            "authing AKIDEXAMPLE0000000000001:K0zQx0j1gXo8K23Zwfk81f96ZI0=",
        ));
    }

    #[test]
    fn v8_tenant_header_and_trailing_question_mark() {
        assert_verifies(&wire(
            "POST",
            "/api/v3/delete-resource",
            "{}",
            authing_headers("en-US", Some("tenant-0001")),
            "authing AKIDEXAMPLE0000000000001:Om+uvnjmQ6V8MMM4AuZI6Mu/JSM=",
        ));
    }

    #[test]
    fn g1_genauth_scheme() {
        let headers = [
            ("date", DATE),
            ("x-genauth-lang", "en-US"),
            ("x-genauth-sdk-version", "gen-auth-node-sdk:1.0.0"),
            ("x-genauth-signature-method", "HMAC-SHA1"),
            ("x-genauth-signature-nonce", NONCE),
            ("x-genauth-signature-version", "1.0"),
            // Signed by the other scheme only: must be ignored here.
            ("x-authing-lang", "zh-CN"),
        ];
        assert_verifies(&wire(
            "GET",
            "/api/v3/get-resource?code=books&namespace=default",
            "",
            headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            "GenAuth AKIDEXAMPLE0000000000001:Ju67J9qOe3iBOv1S7XKSvmQV9Bg=",
        ));
    }

    #[test]
    fn wrong_secret_fails() {
        assert!(!verify_signature(&v1_request(), "SKEXAMPLEsecret000000000000000002"));
    }

    #[test]
    fn tampered_query_fails() {
        let mut req = v1_request();
        req.raw_query = Some("code=books&namespace=other");
        assert!(!verify_signature(&req, SECRET));
    }

    #[test]
    fn tampered_signed_header_fails() {
        let mut req = v1_request();
        req.headers.retain(|(n, _)| n != "x-authing-lang");
        req.headers.push(("x-authing-lang".into(), "en-US".into()));
        assert!(!verify_signature(&req, SECRET));
    }

    #[test]
    fn unsigned_headers_and_value_whitespace_do_not_matter() {
        let mut req = v1_request();
        req.headers.push(("x-forwarded-for".into(), "10.0.0.1".into()));
        for (name, value) in req.headers.iter_mut() {
            if name == "x-authing-lang" {
                *value = "\t zh-CN \r".into();
            }
        }
        assert_verifies(&req);
    }

    #[test]
    fn tampered_body_fails() {
        let mut req = v5_request();
        let tampered = V5_BODY.replace("books:edit", "books:delete");
        req.body = tampered.as_bytes();
        assert!(!verify_signature(&req, SECRET));
    }

    #[test]
    fn reordered_nested_json_keys_fail() {
        // Nested values are signed as the client serialised them, so key order matters.
        let mut req = v5_request();
        let reordered = V5_BODY.replace(
            r#"{"code":"books:123","actions":["books:read","books:edit"],"resourceType":"DATA"}"#,
            r#"{"actions":["books:read","books:edit"],"code":"books:123","resourceType":"DATA"}"#,
        );
        assert_ne!(reordered, V5_BODY);
        req.body = reordered.as_bytes();
        assert!(!verify_signature(&req, SECRET));
    }

    #[test]
    fn top_level_key_order_does_not_matter() {
        // Top-level members are sorted before signing.
        let mut req = v5_request();
        let list_member =
            V5_BODY.strip_prefix(r#"{"namespace":"default","#).and_then(|rest| rest.strip_suffix('}')).unwrap();
        let swapped = format!(r#"{{{list_member},"namespace":"default"}}"#);
        req.body = swapped.as_bytes();
        assert_verifies(&req);
    }

    #[test]
    fn body_that_is_not_a_json_object_fails() {
        for body in ["[1,2]", "not json", "null", "{\"a\":"] {
            let mut req = v5_request();
            req.body = body.as_bytes();
            assert_eq!(strings_to_sign(&req), None, "{body}");
            assert!(!verify_signature(&req, SECRET));
        }
    }

    #[test]
    fn malformed_signature_fails() {
        for signature in ["", "not base64!", "/jxdsmeYMfLZoImRsXGa2SG6yKE"] {
            let mut req = v1_request();
            req.signature = signature;
            assert!(!verify_signature(&req, SECRET), "{signature}");
        }
    }

    #[test]
    fn post_values_render_like_javascript() {
        let body = r#"{"s":"a\"b\u00e9","n":1.5,"e":1e+21,"t":true,"f":false,"z":null,"o":{"b":1,"a":[]}}"#;
        let mut params = body_params(body.as_bytes()).unwrap();
        sort_params(&mut params);
        let rendered: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(rendered, ["e=1e+21", "f=false", "n=1.5", r#"o={"b":1,"a":[]}"#, "s=a\"bé", "t=true", "z=null"]);
        assert_eq!(body_params(b"").unwrap(), []);
        assert_eq!(body_params(b" {} ").unwrap(), []);
    }

    #[test]
    fn get_values_are_form_decoded_and_arrays_json_escaped() {
        let mut params = query_params("q=a+b%26c&ids%5B%5D=x%22y&ids[]=%E4%B8%AD&flag=true&empty=");
        sort_params(&mut params);
        assert_eq!(
            params,
            [
                ("empty".to_owned(), String::new()),
                ("flag".to_owned(), "true".to_owned()),
                ("ids".to_owned(), r#"["x\"y","中"]"#.to_owned()),
                ("q".to_owned(), "a b&c".to_owned()),
            ]
        );
    }

    #[test]
    fn keys_sort_in_utf16_order() {
        // U+1F600 sorts after U+FF21 in UTF-8 byte order, but before it in UTF-16 (its high
        // surrogate 0xD83D < 0xFF21), which is what JS sort compares.
        let mut params = vec![("Ａ".to_owned(), String::new()), ("😀".to_owned(), String::new())];
        sort_params(&mut params);
        assert_eq!(params[0].0, "😀");
    }

    #[test]
    fn candidates_without_parameters() {
        let mut req = v1_request();
        req.path = "/api/v3/get-user-batch";
        req.raw_query = None;
        assert_eq!(
            canonical_resources(&req).unwrap(),
            [
                "/api/v3/get-user-batch",
                "/api/v3/get-user-batch?",
                "/api/v3/get-user-batch?codeList=[]",
                "/api/v3/get-user-batch?resourceList=[]",
                "/api/v3/get-user-batch?userIds=[]",
            ]
        );
    }

    #[test]
    fn empty_array_fallback_only_for_get() {
        let mut req = v5_request();
        req.body = b"{}";
        assert_eq!(canonical_resources(&req).unwrap(), ["/api/v3/authorize-resources", "/api/v3/authorize-resources?"]);
    }
}
