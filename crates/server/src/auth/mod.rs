//! Authentication of `/api/v3/*` management calls (contract: `shared/api/auth.md`).
//!
//! Two schemes are accepted, chosen by the first word of `authorization`:
//!
//! * **Management token** (Python/Java SDKs): `Bearer <jwt>` or a bare JWT. Tokens are minted
//!   by `get-management-token` and checked by [`TokenIssuer`].
//! * **HMAC-SHA1 request signature** (Node SDKs): `authing <AK>:<SIG>` or
//!   `GenAuth <AK>:<SIG>`, checked by [`verify_signed_request`].
//!
//! Everything here is synchronous and free of HTTP-framework types so it can be unit-tested
//! with pinned clocks. The middleware is expected to do:
//!
//! 1. [`parse_authorization`] on the `authorization` header (absent header →
//!    [`AuthError::MissingAuthorization`]);
//! 2. [`Credentials::Bearer`] → [`TokenIssuer::verify`] → pool from the claims (and
//!    [`AuthError::PoolMismatch`] if a user-pool header names another pool);
//! 3. [`Credentials::Signature`] → look up the secret and pool of the access key (unknown key →
//!    [`AuthError::InvalidSignature`]) → [`verify_signed_request`] → the key's pool.
//!
//! Failures are reported as HTTP 200 with the envelope fields given by
//! [`AuthError::status_code`], [`AuthError::api_code`] and [`AuthError::message`].

pub mod hmac;
pub mod replay;
pub mod token;

pub use self::hmac::{verify_signature, SignedRequest};
pub use self::replay::ReplayCache;
pub use self::token::{TokenClaims, TokenIssuer};

/// Why a request could not be authenticated (rows of auth.md B.4 plus the token errors).
///
/// `Display` is the en-US message, for logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(true))]
pub enum AuthError {
    /// No (or an empty) `authorization` header.
    MissingAuthorization,
    /// Malformed `authorization`, unknown access key, missing nonce or signature mismatch.
    InvalidSignature,
    /// `x-*-signature-method` is not `HMAC-SHA1`.
    UnsupportedMethod,
    /// `x-*-signature-version` is not `1.0`.
    UnsupportedVersion,
    /// `date` is neither an IMF-fixdate nor integer Unix milliseconds.
    InvalidDate,
    /// No `date` header on a signed request.
    MissingDate,
    /// `date` is further than the skew window from the server clock.
    DateOutOfRange,
    /// The (access key, nonce) pair was already used.
    SignatureReused,
    /// Bearer token malformed, not signed by us, or expired.
    InvalidToken,
    /// A user-pool header names a pool other than the one the credentials are scoped to.
    PoolMismatch,
    /// `get-management-token`: unknown access key or wrong secret.
    BadCredentials,
    /// `get-management-token`: the access key is a pool id whose pool does not exist.
    UnknownPool,
}

impl AuthError {
    /// The envelope's `statusCode`.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::PoolMismatch => 403,
            _ => 401,
        }
    }

    /// The envelope's `apiCode`, when the error has one (README §3).
    pub fn api_code(&self) -> Option<u32> {
        match self {
            Self::InvalidSignature => Some(1300),
            Self::UnsupportedMethod => Some(1301),
            Self::UnsupportedVersion => Some(1302),
            Self::InvalidDate => Some(1303),
            Self::MissingDate => Some(1304),
            Self::DateOutOfRange => Some(1305),
            Self::SignatureReused => Some(1306),
            Self::UnknownPool => Some(2224),
            Self::MissingAuthorization | Self::InvalidToken | Self::PoolMismatch | Self::BadCredentials => None,
        }
    }

    /// The envelope's `message`: en-US when `english`, zh-CN otherwise.
    pub fn message(&self, english: bool) -> &'static str {
        let (zh, en) = match self {
            Self::MissingAuthorization => ("缺少 authorization 请求头", "Missing authorization header"),
            Self::InvalidSignature => ("签名不合法", "Invalid signature"),
            Self::UnsupportedMethod => ("签名方式不匹配", "Unsupported signature method"),
            Self::UnsupportedVersion => ("签名版本不匹配", "Unsupported signature version"),
            Self::InvalidDate => ("date 格式错误", "Invalid date header"),
            Self::MissingDate => ("缺少 date 请求头", "Missing date header"),
            Self::DateOutOfRange => ("签名已过期", "Signature timestamp out of range"),
            Self::SignatureReused => ("签名已被使用", "Signature already used"),
            Self::InvalidToken => ("token 无效或已过期", "Invalid or expired token"),
            Self::PoolMismatch => ("无权访问该用户池", "Access to this user pool is denied"),
            // An unknown pool is reported like bad credentials; only the apiCode differs.
            Self::BadCredentials | Self::UnknownPool => {
                ("accessKeyId 或 accessKeySecret 错误", "Invalid accessKeyId or accessKeySecret")
            }
        };
        if english {
            en
        } else {
            zh
        }
    }
}

/// The signature scheme word of `authorization`; it selects the signed header prefix.
///
/// Bearer tokens are not a `Scheme`: they are [`Credentials::Bearer`], so a [`SignedRequest`]
/// can never carry a scheme without a header prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `authing <AK>:<SIG>` with `x-authing-*` headers (authing-node-sdk).
    Authing,
    /// `GenAuth <AK>:<SIG>` with `x-genauth-*` headers (GenAuth Node SDK).
    GenAuth,
}

impl Scheme {
    /// Prefix of the headers that are signed (besides `date`) and carry the signature
    /// metadata and language.
    pub fn header_prefix(self) -> &'static str {
        match self {
            Self::Authing => "x-authing-",
            Self::GenAuth => "x-genauth-",
        }
    }
}

/// What the `authorization` header claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials<'a> {
    /// A management token (`Bearer <jwt>`, or the bare JWT the Java SDK sends).
    Bearer(&'a str),
    /// An HMAC request signature.
    Signature {
        scheme: Scheme,
        access_key_id: &'a str,
        /// Base64 HMAC-SHA1, as sent.
        signature: &'a str,
    },
}

/// Parses an `authorization` header value (auth.md A, B.3 step 1).
///
/// The scheme word is compared case-insensitively. A value without a space that has exactly
/// two dots is a bare JWT. Signatures are split at the *last* `:` because base64 never
/// contains one while the access key id might.
pub fn parse_authorization(value: &str) -> Result<Credentials<'_>, AuthError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AuthError::MissingAuthorization);
    }
    if !value.contains(' ') && value.matches('.').count() == 2 {
        return Ok(Credentials::Bearer(value));
    }
    let (word, rest) = value.split_once(' ').unwrap_or((value, ""));
    let scheme = if word.eq_ignore_ascii_case("bearer") {
        let token = rest.trim();
        return if token.is_empty() { Err(AuthError::InvalidToken) } else { Ok(Credentials::Bearer(token)) };
    } else if word.eq_ignore_ascii_case("authing") {
        Scheme::Authing
    } else if word.eq_ignore_ascii_case("genauth") {
        Scheme::GenAuth
    } else {
        return Err(AuthError::InvalidSignature);
    };
    match rest.rsplit_once(':') {
        Some((access_key_id, signature)) if !access_key_id.is_empty() && !signature.is_empty() => {
            Ok(Credentials::Signature { scheme, access_key_id, signature })
        }
        _ => Err(AuthError::InvalidSignature),
    }
}

/// Fully checks a signed request once the caller has found the access key's secret, in the
/// contract's order (auth.md B.5): header presence/format → signature → skew → nonce.
///
/// The nonce is remembered only after the signature verified, so forged requests cannot
/// poison the cache. `now_ms` is the server clock in Unix milliseconds.
pub fn verify_signed_request(
    req: &SignedRequest<'_>,
    secret: &str,
    access_key_id: &str,
    now_ms: i64,
    replay: &ReplayCache,
) -> Result<(), AuthError> {
    let (date_ms, nonce) = check_signature_headers(req)?;
    if !verify_signature(req, secret) {
        return Err(AuthError::InvalidSignature);
    }
    replay::check_skew(date_ms, now_ms)?;
    replay.check_and_remember(access_key_id, nonce, now_ms)
}

/// Checks presence and format of the signature metadata headers, in the order method,
/// version, date, nonce. Returns the parsed `date` (Unix ms) and the nonce.
fn check_signature_headers<'r>(req: &'r SignedRequest<'_>) -> Result<(i64, &'r str), AuthError> {
    let prefix = req.scheme.header_prefix();
    // Values are compared trimmed, i.e. in the form in which they were signed.
    let scheme_header = |suffix: &str| req.header(&format!("{prefix}{suffix}")).map(str::trim);
    if scheme_header("signature-method") != Some("HMAC-SHA1") {
        return Err(AuthError::UnsupportedMethod);
    }
    if scheme_header("signature-version") != Some("1.0") {
        return Err(AuthError::UnsupportedVersion);
    }
    let date = req.header("date").ok_or(AuthError::MissingDate)?;
    let date_ms = replay::parse_date(date.trim())?;
    let nonce =
        scheme_header("signature-nonce").filter(|nonce| !nonce.is_empty()).ok_or(AuthError::InvalidSignature)?;
    Ok((date_ms, nonce))
}

#[cfg(test)]
mod tests {
    use super::hmac::tests::{v1_request, V1_NOW_MS};
    use super::*;

    fn signature<'a>(scheme: Scheme, access_key_id: &'a str, signature: &'a str) -> Credentials<'a> {
        Credentials::Signature { scheme, access_key_id, signature }
    }

    #[test]
    fn parses_bearer_tokens_case_insensitively() {
        assert_eq!(parse_authorization("Bearer a.b.c"), Ok(Credentials::Bearer("a.b.c")));
        assert_eq!(parse_authorization("bEaReR  a.b.c "), Ok(Credentials::Bearer("a.b.c")));
        assert_eq!(parse_authorization("Bearer "), Err(AuthError::InvalidToken));
        assert_eq!(parse_authorization("bearer"), Err(AuthError::InvalidToken));
    }

    #[test]
    fn parses_bare_jwt_from_java_sdk() {
        assert_eq!(parse_authorization("x.y.z"), Ok(Credentials::Bearer("x.y.z")));
        assert_eq!(parse_authorization("x.y"), Err(AuthError::InvalidSignature));
        assert_eq!(parse_authorization("w.x.y.z"), Err(AuthError::InvalidSignature));
    }

    #[test]
    fn parses_signatures_splitting_at_last_colon() {
        assert_eq!(
            parse_authorization("authing AKIDEXAMPLE0000000000001:/jxdsmeYMfLZoImRsXGa2SG6yKE="),
            Ok(signature(Scheme::Authing, "AKIDEXAMPLE0000000000001", "/jxdsmeYMfLZoImRsXGa2SG6yKE="))
        );
        assert_eq!(
            parse_authorization("GENAUTH ak:with:colons:c2ln"),
            Ok(signature(Scheme::GenAuth, "ak:with:colons", "c2ln"))
        );
    }

    #[test]
    fn rejects_malformed_authorization() {
        assert_eq!(parse_authorization(""), Err(AuthError::MissingAuthorization));
        assert_eq!(parse_authorization("   "), Err(AuthError::MissingAuthorization));
        for value in ["Basic dXNlcjpwYXNz", "authing", "authing nocolon", "authing :sig", "authing ak:"] {
            assert_eq!(parse_authorization(value), Err(AuthError::InvalidSignature), "{value}");
        }
    }

    #[test]
    fn error_envelope_fields_follow_the_contract() {
        assert_eq!(AuthError::InvalidSignature.status_code(), 401);
        assert_eq!(AuthError::InvalidSignature.api_code(), Some(1300));
        assert_eq!(AuthError::SignatureReused.api_code(), Some(1306));
        assert_eq!(AuthError::MissingAuthorization.api_code(), None);
        assert_eq!(AuthError::PoolMismatch.status_code(), 403);
        assert_eq!(AuthError::UnknownPool.api_code(), Some(2224));
        assert_eq!(AuthError::UnknownPool.message(false), AuthError::BadCredentials.message(false));
        assert_eq!(AuthError::InvalidToken.message(false), "token 无效或已过期");
        assert_eq!(AuthError::InvalidToken.message(true), "Invalid or expired token");
        assert_eq!(AuthError::DateOutOfRange.to_string(), "Signature timestamp out of range");
    }

    const SECRET: &str = "SKEXAMPLEsecret000000000000000001";
    const AK: &str = "AKIDEXAMPLE0000000000001";

    fn verify(req: &SignedRequest<'_>, now_ms: i64, replay: &ReplayCache) -> Result<(), AuthError> {
        verify_signed_request(req, SECRET, AK, now_ms, replay)
    }

    /// V1 with one header replaced (or removed when `value` is `None`).
    fn v1_with(name: &str, value: Option<&str>) -> SignedRequest<'static> {
        let mut req = v1_request();
        req.headers.retain(|(n, _)| n != name);
        if let Some(value) = value {
            req.headers.push((name.to_owned(), value.to_owned()));
        }
        req
    }

    #[test]
    fn accepts_v1_then_rejects_its_replay() {
        let replay = ReplayCache::default();
        assert_eq!(verify(&v1_request(), V1_NOW_MS, &replay), Ok(()));
        assert_eq!(verify(&v1_request(), V1_NOW_MS + 1, &replay), Err(AuthError::SignatureReused));
    }

    #[test]
    fn header_problems_map_to_their_api_codes() {
        let cases = [
            ("x-authing-signature-method", None, AuthError::UnsupportedMethod),
            ("x-authing-signature-method", Some("HMAC-SHA256"), AuthError::UnsupportedMethod),
            ("x-authing-signature-version", None, AuthError::UnsupportedVersion),
            ("x-authing-signature-version", Some("2.0"), AuthError::UnsupportedVersion),
            ("date", None, AuthError::MissingDate),
            ("date", Some("yesterday"), AuthError::InvalidDate),
            ("x-authing-signature-nonce", None, AuthError::InvalidSignature),
            ("x-authing-signature-nonce", Some(""), AuthError::InvalidSignature),
        ];
        for (name, value, expected) in cases {
            let replay = ReplayCache::default();
            assert_eq!(verify(&v1_with(name, value), V1_NOW_MS, &replay), Err(expected), "{name}: {value:?}");
        }
    }

    #[test]
    fn header_format_is_checked_before_the_signature() {
        let mut req = v1_with("date", None);
        req.signature = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        assert_eq!(verify(&req, V1_NOW_MS, &ReplayCache::default()), Err(AuthError::MissingDate));
    }

    #[test]
    fn wrong_secret_fails_and_does_not_consume_the_nonce() {
        let replay = ReplayCache::default();
        let req = v1_request();
        assert_eq!(
            verify_signed_request(&req, "wrong-secret", AK, V1_NOW_MS, &replay),
            Err(AuthError::InvalidSignature)
        );
        assert_eq!(verify(&req, V1_NOW_MS, &replay), Ok(()));
    }

    #[test]
    fn signature_is_checked_before_skew() {
        let mut req = v1_request();
        req.signature = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        let next_day = V1_NOW_MS + 24 * 3600 * 1000;
        assert_eq!(verify(&req, next_day, &ReplayCache::default()), Err(AuthError::InvalidSignature));
    }

    #[test]
    fn skew_is_limited_to_fifteen_minutes_both_ways() {
        let window = 15 * 60 * 1000;
        for now in [V1_NOW_MS - window, V1_NOW_MS + window] {
            assert_eq!(verify(&v1_request(), now, &ReplayCache::default()), Ok(()));
        }
        for now in [V1_NOW_MS - window - 1, V1_NOW_MS + window + 1] {
            assert_eq!(verify(&v1_request(), now, &ReplayCache::default()), Err(AuthError::DateOutOfRange));
        }
    }

    #[test]
    fn out_of_range_request_does_not_consume_the_nonce() {
        let replay = ReplayCache::default();
        let late = V1_NOW_MS + 16 * 60 * 1000;
        assert_eq!(verify(&v1_request(), late, &replay), Err(AuthError::DateOutOfRange));
        assert_eq!(verify(&v1_request(), V1_NOW_MS, &replay), Ok(()));
    }
}
