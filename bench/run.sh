#!/usr/bin/env bash
# Runs the engine benchmarks for one dataset size and prints the table (docs/PERFORMANCE.md).
#
#   bench/run.sh [small|medium|large]        default: small
#
# Every run first generates the dataset from the seed, loads it into the engine, and checks
# every workload answer against the naive reference evaluator; a mismatch fails the run.
# Environment: SEED (default 1), CHECKS (workload size, default 100000), PASSES (default 3),
# CRITERION=1 also runs the criterion benches (small and medium; large with
# PORTCULLIS_BENCH_LARGE=1).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-small}"
case "$SIZE" in small | medium | large) ;; *)
    echo "usage: bench/run.sh [small|medium|large]" >&2
    exit 2
    ;;
esac

cargo build --release -q -p portcullis-dataset
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB"
./target/release/portcullis-dataset bench --size "$SIZE" --seed "${SEED:-1}" \
    --checks "${CHECKS:-100000}" --passes "${PASSES:-3}"
if [[ "${CRITERION:-0}" == 1 ]]; then
    cargo bench -p portcullis-dataset --bench engine
fi
