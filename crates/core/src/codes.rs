//! Caller-chosen codes. Each kind has its own newtype so a role code can never be passed where a
//! group code is expected; parsing is the only way to get one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The longest code the API accepts, in characters.
pub const MAX_CODE_CHARS: usize = 64;

/// Why a string is not a valid code. The edge turns this into the endpoint's own message,
/// because the contract words the same failure differently per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    TooLong,
    InvalidCharacters,
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_resource_char(c: char) -> bool {
    is_identifier_char(c) || c == ':' || c == '.'
}

fn check(raw: &str, allowed: fn(char) -> bool) -> Result<(), CodeError> {
    if raw.is_empty() {
        return Err(CodeError::Empty);
    }
    if raw.chars().count() > MAX_CODE_CHARS {
        return Err(CodeError::TooLong);
    }
    if !raw.chars().all(allowed) {
        return Err(CodeError::InvalidCharacters);
    }
    Ok(())
}

macro_rules! code_type {
    ($($(#[$doc:meta])* $name:ident => $allowed:expr),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, CodeError> {
                check(raw, $allowed)?;
                Ok(Self(raw.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    )*};
}

code_type!(
    /// A permission namespace ("permission group"): `A-Z a-z 0-9 _ -`, 1..=64 characters.
    NamespaceCode => is_identifier_char,
    /// A role, unique within its namespace.
    RoleCode => is_identifier_char,
    /// A group, unique in the pool.
    GroupCode => is_identifier_char,
    /// An organization, unique in the pool.
    OrganizationCode => is_identifier_char,
    /// A department's optional code, unique within its organization.
    DepartmentCode => is_identifier_char,
    /// A resource definition: identifier characters plus `:` and `.` (so `books:123` can be
    /// defined too). `*` is not a definable code.
    ResourceCode => is_resource_char,
);

impl NamespaceCode {
    /// The namespace every pool has from the start and never loses.
    pub fn default_namespace() -> Self {
        Self("default".to_owned())
    }
    pub fn is_default(&self) -> bool {
        self.0 == "default"
    }
}

/// The resource code a grant names: a definition code, an instance (`books:123`) or a
/// wildcard (`books:*`, `*`). Anything non-empty is allowed, because grants need not refer to
/// defined resources.
///
/// Shared (`Arc<str>`) because grant indexes are keyed by it and clone it on lookups.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GrantCode(Arc<str>);

/// An action name in a grant or a check: `read`, `books:edit`, `*`, `books:*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Action(Arc<str>);

/// Longest grant code or action accepted; generous, but bounded so one request cannot make the
/// index hold megabyte keys.
pub const MAX_GRANT_TEXT_CHARS: usize = 512;

macro_rules! free_text {
    ($($name:ident),*) => {$(
        impl $name {
            pub fn parse(raw: &str) -> Result<Self, CodeError> {
                if raw.is_empty() {
                    return Err(CodeError::Empty);
                }
                if raw.chars().count() > MAX_GRANT_TEXT_CHARS {
                    return Err(CodeError::TooLong);
                }
                Ok(Self(raw.into()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    )*};
}
free_text!(GrantCode, Action);

impl From<ResourceCode> for GrantCode {
    fn from(code: ResourceCode) -> Self {
        Self(code.0.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_codes_follow_the_contract_order_of_checks() {
        assert_eq!(RoleCode::parse(""), Err(CodeError::Empty));
        assert_eq!(RoleCode::parse(&"a".repeat(65)), Err(CodeError::TooLong));
        assert_eq!(RoleCode::parse(" "), Err(CodeError::InvalidCharacters));
        assert_eq!(RoleCode::parse("额！"), Err(CodeError::InvalidCharacters));
        assert_eq!(RoleCode::parse("books:1"), Err(CodeError::InvalidCharacters));
        assert!(RoleCode::parse(&"a".repeat(64)).is_ok());
        assert!(RoleCode::parse("Admin_role-1").is_ok());
    }

    #[test]
    fn resource_codes_allow_colon_and_dot_but_not_wildcards() {
        assert!(ResourceCode::parse("books:123").is_ok());
        assert!(ResourceCode::parse("api.v1").is_ok());
        assert_eq!(ResourceCode::parse("*"), Err(CodeError::InvalidCharacters));
        assert_eq!(ResourceCode::parse("books:*"), Err(CodeError::InvalidCharacters));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(GrantCode::parse(&"额".repeat(MAX_GRANT_TEXT_CHARS)).is_ok());
        assert_eq!(GrantCode::parse(&"额".repeat(MAX_GRANT_TEXT_CHARS + 1)), Err(CodeError::TooLong));
    }
}
