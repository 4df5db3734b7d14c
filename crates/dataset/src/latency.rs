//! The machine's memory latency: how long one load takes when it depends on the previous one
//! and the working set is a given size. A check on a state far larger than the caches costs
//! about as many of these as it makes dependent misses, so this is the floor the engine's
//! figures are read against (docs/PERFORMANCE.md, "What remains (engine)").

use crate::generate::Rng;
use std::time::Instant;

/// One cache line per slot, so every step of the chase lands on a line of its own.
const WORDS_PER_LINE: usize = 8;

/// Nanoseconds per dependent load over a working set of `mib` MiB, chasing a random cycle
/// through every cache line of it `steps` times.
pub fn dependent_load_ns(mib: usize, steps: usize, seed: u64) -> f64 {
    let memory = random_cycle((mib << 20) / (WORDS_PER_LINE * 8), seed);
    let lines = memory.len() / WORDS_PER_LINE;
    let mut at = 0;
    for _ in 0..lines.min(steps) {
        at = memory[at];
    }
    let started = Instant::now();
    for _ in 0..steps {
        at = memory[at];
    }
    let elapsed = started.elapsed();
    std::hint::black_box(at);
    elapsed.as_nanos() as f64 / steps as f64
}

/// `lines` cache lines whose first words link them into one random cycle through all of them:
/// each holds the word index of the next, so no line's successor is predictable.
fn random_cycle(lines: usize, seed: u64) -> Vec<usize> {
    assert!(lines > 1, "the working set holds at least two cache lines");
    let mut order: Vec<usize> = (0..lines).collect();
    let mut rng = Rng::new(seed);
    for i in (1..lines).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut memory = vec![0usize; lines * WORDS_PER_LINE];
    for (position, &line) in order.iter().enumerate() {
        memory[line * WORDS_PER_LINE] = order[(position + 1) % lines] * WORDS_PER_LINE;
    }
    memory
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chase_visits_every_line_once_per_round() {
        let lines = 1000;
        let memory = random_cycle(lines, 7);
        let mut seen = vec![false; lines];
        let mut at = 0;
        for _ in 0..lines {
            assert!(!std::mem::replace(&mut seen[at / WORDS_PER_LINE], true), "line {at} visited twice");
            at = memory[at];
        }
        assert_eq!(at, 0, "the cycle closes after every line");
        assert!(dependent_load_ns(1, 10_000, 1) > 0.0);
    }
}
