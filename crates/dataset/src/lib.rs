//! Benchmark datasets for Portcullis (issue 4): one generator, deterministic from a seed, that
//! produces a pool's records as [`portcullis_core::Record`]s (so any tool can load or import
//! them), a deliberately naive [`reference::Reference`] evaluator that shares no code or index
//! with the engine, and a check workload whose expected answers come from that reference.
//!
//! Every benchmark compares the engine's answers with the expected ones before timing it.

pub mod generate;
pub mod latency;
pub mod measure;
pub mod reference;
pub mod size;
pub mod workload;

pub use generate::{generate, Dataset};
pub use reference::Reference;
pub use size::Size;
pub use workload::{Check, Workload};

/// The instant every generated time window and check is evaluated at (Unix ms).
pub const NOW_MS: i64 = 1_750_000_000_000;
