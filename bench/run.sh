#!/usr/bin/env bash
# Runs every benchmark for one dataset size (docs/PERFORMANCE.md):
#
#   bench/run.sh [small|medium|large]        default: small
#
# 1. the engine in process (percentiles of is-action-allowed and the listings; the dataset is
#    generated from the seed and every workload answer is checked against the naive reference
#    evaluator, a mismatch fails the run), then the machine's latency of one dependent memory
#    load over working sets of small, medium and large state sizes;
# 2. bench/writes.sh: `portcullis import`, start-up and RSS of a server on the imported data,
#    authorize-resources throughput;
# 3. bench/http.sh: the API over HTTP against a constant-JSON baseline (needs wrk).
# Environment: SEED (default 1), CHECKS (workload size, default 100000), PASSES (default 3),
# ONLY=engine|writes|http runs one part, CRITERION=1 also runs the criterion benches (small and
# medium; large with PORTCULLIS_BENCH_LARGE=1); bench/writes.sh and bench/http.sh read their own.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-small}"
case "$SIZE" in small | medium | large) ;; *)
    echo "usage: bench/run.sh [small|medium|large]" >&2
    exit 2
    ;;
esac

PARTS="${ONLY:-engine writes http}"
if [[ " $PARTS " == *" engine "* ]]; then
    cargo build --release -q -p portcullis-dataset
    echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB"
    ./target/release/portcullis-dataset bench --size "$SIZE" --seed "${SEED:-1}" \
        --checks "${CHECKS:-100000}" --passes "${PASSES:-3}"
    # The floor under the cache-bound figures: one dependent load over a state-sized heap.
    ./target/release/portcullis-dataset memory-latency --mib 1,64,512,4096 --steps 5000000
    if [[ "${CRITERION:-0}" == 1 ]]; then
        cargo bench -p portcullis-dataset --bench engine
    fi
fi
if [[ " $PARTS " == *" writes "* ]]; then
    bench/writes.sh "$SIZE"
fi
if [[ " $PARTS " == *" http "* ]]; then
    bench/http.sh "$SIZE"
fi
