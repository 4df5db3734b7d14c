//! Server-generated identifiers. Clients send ids as plain strings; an id becomes one of these
//! types only once it was found in the pool (or freshly generated), so holding a `UserId` means
//! the user existed when it was read.
//!
//! Ids are shared strings (`Arc<str>`): index keys and engine lookups clone them constantly, and
//! a clone must not allocate on the check path.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

macro_rules! server_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Wraps an id produced by an [`IdSource`] or read back from storage.
            pub fn from_stored(id: impl Into<Arc<str>>) -> Self {
                Self(id.into())
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

server_id!(
    /// A user pool: the unit of isolation. Pool-level access key ids equal the pool id.
    PoolId,
    NamespaceId,
    ResourceId,
    RoleId,
    UserId,
    GroupId,
    OrganizationId,
    DepartmentId,
);

/// Source of fresh ids for planned writes. The service supplies a time-ordered generator so
/// that sorting by id is sorting by creation; tests supply a deterministic one.
pub trait IdSource {
    /// A new id: 24 lowercase hex characters.
    fn next_id(&mut self) -> String;
}

/// What every planned write needs from the outside world: the clock and fresh ids.
pub struct OpContext<'a> {
    pub now_ms: i64,
    pub ids: &'a mut dyn IdSource,
}

impl<'a> OpContext<'a> {
    pub fn new(now_ms: i64, ids: &'a mut dyn IdSource) -> Self {
        Self { now_ms, ids }
    }
    pub fn new_id<T: From<GeneratedId>>(&mut self) -> T {
        T::from(GeneratedId(self.ids.next_id()))
    }
}

/// A freshly generated id, convertible into any id type.
pub struct GeneratedId(String);

macro_rules! from_generated {
    ($($name:ident),*) => {$(
        impl From<GeneratedId> for $name {
            fn from(id: GeneratedId) -> Self {
                Self(id.0.into())
            }
        }
    )*};
}
from_generated!(PoolId, NamespaceId, ResourceId, RoleId, UserId, GroupId, OrganizationId, DepartmentId);

/// A deterministic id source for tests: `000000000000000000000001`, `…02`, ….
#[derive(Default)]
pub struct SequentialIds(u64);

impl IdSource for SequentialIds {
    fn next_id(&mut self) -> String {
        self.0 += 1;
        format!("{:024x}", self.0)
    }
}
