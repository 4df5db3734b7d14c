//! The application layer. Owns the store and each pool's in-memory state; every write is
//! planned by a core operation, committed to the store, then applied in memory, so a write is
//! visible to the very next read. Knows nothing of HTTP.

mod follower;
mod ids;
mod import;
mod keys;
mod memory;
mod pools;
mod secrets;

pub use ids::TimeOrderedIds;
pub use import::{read_import, ImportError};
pub use keys::{AccessKey, ResolvedKey};
pub use pools::PoolHandle;
pub use secrets::{MasterKey, SecretError};

use portcullis_core::DomainError;
use portcullis_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{0}")]
    Config(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

pub use pools::Service;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
