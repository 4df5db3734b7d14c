//! Portcullis core: the pure domain model of a user pool and its authorization rules.
//!
//! Nothing here performs IO, awaits, or knows about HTTP or SQL. Write operations are planned
//! as lists of [`mutation::Mutation`]s against a [`state::PoolState`]; the service layer makes
//! them durable and then applies them, so every node applies exactly the same changes.

pub mod codes;
pub mod engine;
pub mod error;
pub mod ids;
pub mod model;
pub mod mutation;
pub mod ops;
pub mod state;
#[cfg(test)]
mod test_support;
mod vec_map;

pub use error::DomainError;
pub use mutation::{record_kinds, Mutation, Record, RecordKey};
pub use state::PoolState;
