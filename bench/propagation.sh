#!/usr/bin/env bash
# Several nodes on one PostgreSQL database, measured on this machine (loopback only):
# propagation delay of a write from one node to the others, and checks/s of two nodes
# against one. See crates/portcullis/examples/propagation.rs for what is timed.
#
#   bench/propagation.sh [WRITES] [SECONDS] [CONCURRENCY]    # defaults: 500 10 16
#
# Starts a throw-away PostgreSQL (scripts/postgres.sh) and three release-built nodes, runs the
# driver, then stops everything, also when interrupted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WRITES="${1:-500}"
SECONDS_PER_RUN="${2:-10}"
CONCURRENCY="${3:-16}"
NODES=3
KEY_ID="0123456789abcdef01234567"
KEY_SECRET="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
MASTER_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

cargo build -q --release -p portcullis --bin portcullis --example propagation
eval "$(bash scripts/postgres.sh start)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    bash scripts/postgres.sh stop "$PORTCULLIS_PG_DIR"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

URLS=()
for i in $(seq 1 "$NODES"); do
    port="$(free_port)"
    PORTCULLIS_MASTER_KEY="$MASTER_KEY" PORTCULLIS_ACCESS_KEY_ID="$KEY_ID" PORTCULLIS_ACCESS_KEY_SECRET="$KEY_SECRET" \
        RUST_LOG=warn target/release/portcullis serve --listen "127.0.0.1:$port" \
        --database "$PORTCULLIS_TEST_POSTGRES_URL" --data-dir "$PORTCULLIS_PG_DIR/node-$i" &
    PIDS+=("$!")
    URLS+=("http://127.0.0.1:$port")
    # One after the other: the first creates the default pool, the others find it.
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
        sleep 0.1
    done
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "node $i did not start" >&2; exit 1; }
done

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $NODES nodes, PostgreSQL $(psql -XAtc 'SHOW server_version' "$PORTCULLIS_TEST_POSTGRES_URL")"
target/release/examples/propagation --key-id "$KEY_ID" --key-secret "$KEY_SECRET" \
    --writes "$WRITES" --seconds "$SECONDS_PER_RUN" --concurrency "$CONCURRENCY" "${URLS[@]}"
