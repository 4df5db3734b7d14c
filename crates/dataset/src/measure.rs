//! Loading a dataset into the engine, verifying the engine against the expected answers, and
//! per-call latency figures. The targets are percentiles, which criterion's means do
//! not give, so the harness times every call and sorts the samples.

use crate::generate::generate;
use crate::reference::Reference;
use crate::{Dataset, Size, Workload, NOW_MS};
use portcullis_core::engine;
use portcullis_core::{Mutation, PoolState};
use std::time::{Duration, Instant};

/// A generated pool loaded into a [`PoolState`] (through `apply`, as the service loads one),
/// with its workload and what loading cost.
pub struct Loaded {
    pub dataset: Dataset,
    pub state: PoolState,
    pub workload: Workload,
    pub load_time: Duration,
    /// Resident memory the state added, measured around loading it alone (bytes; 0 where
    /// `/proc` is unavailable).
    pub state_bytes: u64,
}

/// Generates the dataset twice from the same seed: once into the engine alone, so the memory
/// figure is the state's, then into the reference, which builds the workload.
pub fn load(size: Size, seed: u64, checks: usize) -> Loaded {
    let before = resident_bytes();
    let started = Instant::now();
    let mut state = PoolState::default();
    let dataset = generate(size, seed, |record| state.apply(Mutation::Put(record)));
    let load_time = started.elapsed();
    let state_bytes = resident_bytes().saturating_sub(before);
    let mut reference = Reference::default();
    generate(size, seed, |record| reference.add(&record));
    let workload = Workload::new(&dataset, &reference, checks, seed);
    Loaded { dataset, state, workload, load_time, state_bytes }
}

impl Loaded {
    /// Every check's engine answer against the expected one; the first mismatch as an error.
    pub fn verify(&self) -> Result<(), String> {
        for check in &self.workload.checks {
            let got = engine::is_action_allowed(
                &self.state,
                &self.dataset.namespace,
                &check.user,
                &check.action,
                &check.resource,
                NOW_MS,
            );
            if got != check.expected {
                return Err(format!("engine says {got}, reference says {} for {check:?}", check.expected));
            }
        }
        Ok(())
    }
}

/// The current resident set size, from `/proc/self/status`.
pub fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    kib.unwrap_or(0) * 1024
}

/// Latency samples of one operation.
pub struct Latencies {
    samples: Vec<Duration>,
}

impl Latencies {
    /// Runs `op` over `inputs`, `passes` times, timing each call (the first pass warms caches
    /// and is not recorded when there are more).
    pub fn record<T>(inputs: &[T], passes: usize, mut op: impl FnMut(&T)) -> Self {
        let mut samples = Vec::with_capacity(inputs.len() * passes.saturating_sub(1).max(1));
        for pass in 0..passes {
            for input in inputs {
                let started = Instant::now();
                op(input);
                let took = started.elapsed();
                if pass > 0 || passes == 1 {
                    samples.push(took);
                }
            }
        }
        samples.sort_unstable();
        Self { samples }
    }

    pub fn count(&self) -> usize {
        self.samples.len()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        let index = ((self.samples.len() as f64 * p / 100.0).ceil() as usize).clamp(1, self.samples.len()) - 1;
        self.samples[index]
    }

    pub fn mean(&self) -> Duration {
        self.samples.iter().sum::<Duration>() / self.samples.len().max(1) as u32
    }
}

/// What reading the clock twice costs: it is inside every sample, so the report states it.
pub fn clock_overhead() -> Duration {
    Latencies::record(&[(); 100_000], 2, |_| {}).percentile(50.0)
}
