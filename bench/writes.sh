#!/usr/bin/env bash
# Writes, import and start-up for one dataset size (docs/PERFORMANCE.md, "Writes, import and
# start-up"), on SQLite in a fresh temporary data directory, loopback only:
#
#   bench/writes.sh [small|medium|large]        default: small
#
# 1. generates the dataset and times `portcullis import` of its records.jsonl into a new pool;
# 2. starts `portcullis serve` on that data and times it until /healthz answers and a check from
#    checks.jsonl gives the expected answer; reports the server's RSS;
# 3. runs the writes driver (crates/portcullis/examples/writes.rs) against that server: grants/s
#    through authorize-resources, each grant checked right after its request.
# Environment: SEED (default 1), SECONDS_WRITES (default 10), CONCURRENCY (default 4),
# PORT (default 18480), KEEP=1 keeps the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-small}"
case "$SIZE" in small | medium | large) ;; *)
    echo "usage: bench/writes.sh [small|medium|large]" >&2
    exit 2
    ;;
esac
PORT="${PORT:-18480}"
URL="http://127.0.0.1:$PORT"
KEY_ID=0123456789abcdef01234567
KEY_SECRET=writes-bench-secret-of-the-default-pool

cargo build --release -q -p portcullis-dataset -p portcullis --example writes
work="$(mktemp -d)"
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [[ "${KEEP:-0}" == 1 ]] && echo "data kept in $work" || rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB"
./target/release/portcullis-dataset generate --size "$SIZE" --seed "${SEED:-1}" --out "$work/dataset"

# 1. Import.
imported="$(./target/release/portcullis import --file "$work/dataset/records.jsonl" --new-pool "$SIZE" \
    --data-dir "$work/data")"
pool="$(sed -n 's/^userPoolId: *//p' <<<"$imported")"
pool_key_id="$(sed -n 's/^accessKeyId: *//p' <<<"$imported")"
pool_secret="$(sed -n 's/^accessKeySecret: *//p' <<<"$imported")"
grep '^imported' <<<"$imported"

# 2. Start-up: until /healthz answers and a check gives the expected answer.
post() { # path token body
    curl -sf -X POST "$URL/api/v3/$1" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$3"
}
check="$(head -1 "$work/dataset/checks.jsonl")"
expected="$(sed 's/.*"expected":\([a-z]*\).*/\1/' <<<"$check")"
started=$(date +%s.%N)
PORTCULLIS_ACCESS_KEY_ID=$KEY_ID PORTCULLIS_ACCESS_KEY_SECRET=$KEY_SECRET RUST_LOG=warn \
    ./target/release/portcullis serve --data-dir "$work/data" --listen "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server=$!
until curl -sf "$URL/healthz" >/dev/null; do
    kill -0 $server 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.01
done
healthy=$(date +%s.%N)
token="$(post get-management-token "" "{\"accessKeyId\":\"$pool_key_id\",\"accessKeySecret\":\"$pool_secret\"}" |
    sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
body="$(sed 's/,"expected":[a-z]*//' <<<"$check")"
answer="$(post is-action-allowed "$token" "{\"namespace\":\"default\",${body#\{}")"
answered=$(date +%s.%N)
grep -q "\"allowed\":$expected" <<<"$answer" || { echo "unexpected answer $answer to $check" >&2; exit 1; }
rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")"
printf 'start-up: /healthz after %.2f s, first check answered after %.2f s; RSS %d MB (pool %s)\n' \
    "$(bc <<<"$healthy - $started")" "$(bc <<<"$answered - $started")" $((rss_kb / 1024)) "$pool"

# 3. Writes through the API, into the default pool of the same server.
./target/release/examples/writes --url "$URL" --key-id $KEY_ID --key-secret $KEY_SECRET \
    --seconds "${SECONDS_WRITES:-10}" --concurrency "${CONCURRENCY:-4}"
