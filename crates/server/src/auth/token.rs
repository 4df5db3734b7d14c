//! Management tokens for the Python/Java SDKs (auth.md A): HS256 JWTs minted by
//! `get-management-token` and checked on every call.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use parking_lot::RwLock;
use rand::distributions::{Alphanumeric, DistString};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Arc;

use super::AuthError;

/// Length of the random `jti` claim.
const JTI_LEN: usize = 16;

/// How many verified tokens are remembered before the memory is cleared and refilled.
const VERIFIED_CAPACITY: usize = 4096;

/// Mints and verifies management tokens with one server-side HS256 key.
pub struct TokenIssuer {
    encoding_key: EncodingKey,
    decoding_key: DecodingKey,
    validation: Validation,
    ttl_seconds: u64,
    /// Tokens whose signature already checked out, with their expiry. A client sends the same
    /// token with every call until it expires, and decoding plus HMAC was over a third of the
    /// server's instructions per check (docs/PERFORMANCE.md); a hit only compares expiry. Only
    /// tokens signed with our key get in, so the map cannot be filled by guessing, and its
    /// randomly seeded hash gives no timing hint about tokens it does not hold. foldhash rather
    /// than SipHash: a token is some 300 bytes, hashed on every call.
    verified: RwLock<HashMap<Box<str>, VerifiedToken, foldhash::fast::RandomState>>,
}

/// A token's claims and its expiry (Unix seconds).
type VerifiedToken = (Arc<TokenClaims>, u64);

/// What a verified token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// `scoped_userpool_id`: the pool every request made with the token is scoped to.
    pub pool_id: String,
    /// `sub`: the access key the token was issued to.
    pub access_key_id: String,
}

/// JWT payload. Field order is serialisation order; `jti` is optional when reading so that
/// tokens minted without it (like the auth.md A.2 example) still verify.
#[derive(Serialize, Deserialize)]
struct Claims {
    scoped_userpool_id: String,
    sub: String,
    iat: u64,
    exp: u64,
    #[serde(default)]
    jti: String,
}

impl TokenIssuer {
    /// `key` must survive restarts: the Python SDK caches a token until `expires_in` passes
    /// and never refreshes it on 401.
    pub fn new(key: Vec<u8>, ttl_seconds: u64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked in `verify` against the caller's clock (so tests can pin time)
        // and without the library's default leeway: we are both issuer and verifier.
        validation.validate_exp = false;
        validation.leeway = 0;
        Self {
            encoding_key: EncodingKey::from_secret(&key),
            decoding_key: DecodingKey::from_secret(&key),
            validation,
            ttl_seconds,
            verified: RwLock::default(),
        }
    }

    /// Token lifetime, the `expires_in` of `get-management-token`.
    pub fn ttl_seconds(&self) -> u64 {
        self.ttl_seconds
    }

    /// Mints a token for `pool_id` issued at `now_secs` (Unix seconds).
    ///
    /// The payload is serialised so that its base64url segment only contains `[A-Za-z0-9]`
    /// (see `python_safe_json`), whatever characters the ids contain.
    pub fn issue(&self, pool_id: &str, access_key_id: &str, now_secs: u64) -> String {
        let claims = Claims {
            scoped_userpool_id: pool_id.to_owned(),
            sub: access_key_id.to_owned(),
            iat: now_secs,
            exp: now_secs.saturating_add(self.ttl_seconds),
            jti: Alphanumeric.sample_string(&mut rand::thread_rng(), JTI_LEN),
        };
        let json = serde_json::to_string(&claims).expect("claims serialise");
        // jsonwebtoken serialises the claims with serde_json, which copies a RawValue verbatim.
        let payload = RawValue::from_string(python_safe_json(&json)).expect("escaping keeps JSON valid");
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &payload, &self.encoding_key)
            .expect("HS256 signing with a secret key cannot fail")
    }

    /// Verifies signature, algorithm and expiry (expired exactly when `now_secs >= exp`).
    pub fn verify(&self, token: &str, now_secs: u64) -> Result<Arc<TokenClaims>, AuthError> {
        let known = self.verified.read().get(token).cloned();
        let (claims, expires_at) = match known {
            Some(known) => known,
            None => self.check_signature(token)?,
        };
        if now_secs >= expires_at {
            return Err(AuthError::InvalidToken);
        }
        Ok(claims)
    }

    /// Decodes and checks a token not seen before, and remembers it if it is ours.
    fn check_signature(&self, token: &str) -> Result<VerifiedToken, AuthError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding_key, &self.validation)
            .map_err(|_| AuthError::InvalidToken)?
            .claims;
        let verified =
            (Arc::new(TokenClaims { pool_id: claims.scoped_userpool_id, access_key_id: claims.sub }), claims.exp);
        let mut remembered = self.verified.write();
        if remembered.len() >= VERIFIED_CAPACITY {
            remembered.clear();
        }
        remembered.insert(token.into(), verified.clone());
        Ok(verified)
    }
}

/// Rewrites serde_json output so that its base64url encoding contains no `-` or `_`.
///
/// Python's `decode_jwt` decodes the payload with the *standard* base64 alphabet and silently
/// drops `-`/`_` (auth.md A.2). For ASCII input, base64url emits those exactly for the bytes
/// `>` `?` `~` DEL in the last position of a 3-byte group; non-ASCII UTF-8 bytes can emit them
/// anywhere. So every such character becomes a `\uXXXX` escape (UTF-16 units for characters
/// outside the BMP). serde_json only produces them inside string literals and never right after
/// a backslash, so the result is equivalent JSON.
fn python_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() && !matches!(c, '>' | '?' | '~' | '\x7f') {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine as _;

    use super::*;

    const KEY: &[u8] = b"server-signing-key";
    const NOW: u64 = 1_763_863_200;
    const POOL: &str = "62f1c6b0c2c6f2d1a8e4b0f1";
    const EXAMPLE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZWRfdXNlcnBvb2xfaWQiOiI2MmYxYzZiMGMyYzZmMmQxYThlNGIwZjEiLCJzdWIiOiI2MmYxYzZiMGMyYzZmMmQxYThlNGIwZjEiLCJpYXQiOjE3NjM4NjMyMDAsImV4cCI6MTc2Mzg3MDQwMH0.4JVV5YYDytRsvU-TBhd4mxWQ8nqZltOaz3eq3ghdNKA";

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(KEY.to_vec(), 7200)
    }

    fn payload_segment(token: &str) -> &str {
        token.split('.').nth(1).unwrap()
    }

    /// Mimics Python's `decode_jwt`: pad with `=`, decode with the standard alphabet.
    fn python_decode(token: &str) -> serde_json::Value {
        let mut segment = payload_segment(token).to_owned();
        while !segment.len().is_multiple_of(4) {
            segment.push('=');
        }
        serde_json::from_slice(&STANDARD.decode(segment).unwrap()).unwrap()
    }

    fn assert_python_safe(token: &str) {
        let segment = payload_segment(token);
        assert!(
            !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_alphanumeric()),
            "payload segment {segment:?} must match ^[A-Za-z0-9]+$"
        );
    }

    #[test]
    fn issued_token_has_the_contract_claims() {
        let token = issuer().issue(POOL, POOL, NOW);
        let payload = python_decode(&token);
        assert_eq!(payload["scoped_userpool_id"], POOL);
        assert_eq!(payload["sub"], POOL);
        assert_eq!(payload["iat"], NOW);
        assert_eq!(payload["exp"], NOW + 7200);
        let jti = payload["jti"].as_str().unwrap();
        assert_eq!(jti.len(), JTI_LEN);
        assert!(jti.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(payload.as_object().unwrap().len(), 5);
    }

    #[test]
    fn auth_md_example_claims_encode_python_safe() {
        let token = issuer().issue(POOL, POOL, NOW);
        assert_python_safe(&token);
        // Same claims as the A.2 example, in the same order, plus `jti`.
        let example_payload = URL_SAFE_NO_PAD.decode(payload_segment(EXAMPLE)).unwrap();
        let example_payload = String::from_utf8(example_payload).unwrap();
        let ours = String::from_utf8(URL_SAFE_NO_PAD.decode(payload_segment(&token)).unwrap()).unwrap();
        assert!(ours.starts_with(example_payload.trim_end_matches('}')), "{ours}");
    }

    #[test]
    fn auth_md_example_token_verifies() {
        let claims = issuer().verify(EXAMPLE, NOW).unwrap();
        assert_eq!(*claims, TokenClaims { pool_id: POOL.into(), access_key_id: POOL.into() });
    }

    #[test]
    fn payload_segment_is_alphanumeric_for_many_tokens() {
        let issuer = issuer();
        for i in 0..500 {
            assert_python_safe(&issuer.issue(POOL, &format!("ak{i}"), NOW + i));
        }
    }

    #[test]
    fn hostile_ids_stay_python_safe_and_round_trip() {
        let issuer = issuer();
        // Offending bytes at every offset modulo 3, quotes, controls, non-ASCII and astral.
        let ids = [">>>", "???", "~~~", "\x7f\x7f\x7f", "a>b?c~d", "\"\\\n\t", "用户池", "é😀ü", "?>~"];
        for pool in ids {
            for pad in ["", "x", "xy"] {
                let access_key = format!("{pad}{pool}");
                let token = issuer.issue(pool, &access_key, NOW);
                assert_python_safe(&token);
                let decoded = python_decode(&token);
                assert_eq!(decoded["scoped_userpool_id"], pool);
                assert_eq!(decoded["sub"], access_key.as_str());
                let claims = issuer.verify(&token, NOW).unwrap();
                assert_eq!((claims.pool_id.as_str(), claims.access_key_id.as_str()), (pool, access_key.as_str()));
            }
        }
    }

    #[test]
    fn expires_exactly_at_exp() {
        let issuer = issuer();
        let token = issuer.issue(POOL, POOL, NOW);
        assert!(issuer.verify(&token, NOW + 7199).is_ok());
        assert_eq!(issuer.verify(&token, NOW + 7200), Err(AuthError::InvalidToken));
        assert_eq!(issuer.verify(EXAMPLE, 1_763_870_400), Err(AuthError::InvalidToken));
        assert_eq!(issuer.ttl_seconds(), 7200);
    }

    #[test]
    fn a_remembered_token_still_expires_and_others_are_still_checked() {
        let issuer = issuer();
        let token = issuer.issue(POOL, "ak", NOW);
        assert_eq!(issuer.verify(&token, NOW).unwrap().access_key_id, "ak");
        assert_eq!(issuer.verify(&token, NOW + 1).unwrap().access_key_id, "ak", "answered from memory");
        assert_eq!(issuer.verify(&token, NOW + 7200), Err(AuthError::InvalidToken));
        assert_eq!(issuer.verify(&token[..token.len() - 1], NOW), Err(AuthError::InvalidToken));
        let foreign = TokenIssuer::new(b"another-key".to_vec(), 7200).issue(POOL, "ak", NOW);
        assert_eq!(issuer.verify(&foreign, NOW), Err(AuthError::InvalidToken));
    }

    #[test]
    fn the_memory_of_tokens_stays_bounded() {
        let issuer = issuer();
        let tokens: Vec<String> =
            (0..VERIFIED_CAPACITY as u64 + 10).map(|i| issuer.issue(POOL, "ak", NOW + i)).collect();
        for token in &tokens {
            assert!(issuer.verify(token, NOW).is_ok());
            assert!(issuer.verified.read().len() <= VERIFIED_CAPACITY);
        }
        assert!(tokens.iter().all(|t| issuer.verify(t, NOW).is_ok()), "forgotten tokens verify again");
    }

    #[test]
    fn rejects_foreign_or_tampered_tokens() {
        let token = issuer().issue(POOL, POOL, NOW);
        let other_key = TokenIssuer::new(b"another-key".to_vec(), 7200);
        assert_eq!(other_key.verify(&token, NOW), Err(AuthError::InvalidToken));

        let forged_payload = URL_SAFE_NO_PAD
            .encode(br#"{"scoped_userpool_id":"other","sub":"other","iat":1763863200,"exp":9999999999}"#);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = &forged_payload;
        assert_eq!(issuer().verify(&parts.join("."), NOW), Err(AuthError::InvalidToken));

        for garbage in ["", "a.b.c", "not-a-jwt", &token[..token.len() - 2]] {
            assert_eq!(issuer().verify(garbage, NOW), Err(AuthError::InvalidToken), "{garbage}");
        }
    }

    #[test]
    fn rejects_other_algorithms_and_missing_claims() {
        let claims = serde_json::json!({"scoped_userpool_id": POOL, "sub": POOL, "iat": NOW, "exp": NOW + 60});
        let hs512 =
            jsonwebtoken::encode(&Header::new(Algorithm::HS512), &claims, &EncodingKey::from_secret(KEY)).unwrap();
        assert_eq!(issuer().verify(&hs512, NOW), Err(AuthError::InvalidToken));

        let no_pool = serde_json::json!({"sub": POOL, "iat": NOW, "exp": NOW + 60});
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &no_pool, &EncodingKey::from_secret(KEY)).unwrap();
        assert_eq!(issuer().verify(&token, NOW), Err(AuthError::InvalidToken));
    }
}
