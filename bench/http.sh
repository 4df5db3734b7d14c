#!/usr/bin/env bash
# The API over HTTP on this machine (loopback, keep-alive; docs/PERFORMANCE.md, "Over HTTP"):
#
#   bench/http.sh [small|medium|large]        default: small
#
# Generates the dataset, imports it into a fresh SQLite pool (`portcullis import`), starts a
# release server and the constant-JSON baseline (crates/portcullis/examples/constant_json.rs),
# then measures with wrk (bench/post.lua rotates through the dataset's checks):
#   (a) the baseline and (b) is-action-allowed with Bearer auth, both at concurrency 32;
#   (c) is-action-allowed at concurrency 1;
#   (d) is-action-allowed signed with HMAC-SHA1 and with Bearer, at concurrency 32 and 1, with
#       crates/portcullis/examples/http_load.rs (wrk cannot sign), which checks every answer;
#   (e) get-user-authorized-resources for the heavy user (10k effective grants) and pages of
#       get-resource-authorized-targets for the hot code, at concurrency 1.
# Environment: SEED (default 1), SECONDS_PER_RUN (default 10), CHECKS (bodies, default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${1:-small}"
case "$SIZE" in small | medium | large) ;; *)
    echo "usage: bench/http.sh [small|medium|large]" >&2
    exit 2
    ;;
esac
DURATION="${SECONDS_PER_RUN:-10}"
command -v wrk >/dev/null || { echo "bench/http.sh needs wrk (apt-get install wrk)" >&2; exit 1; }

cargo build -q --release -p portcullis-dataset -p portcullis --bin portcullis-dataset --bin portcullis \
    --example constant_json --example http_load
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() {
    for _ in $(seq 1 300); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "$1 did not come up" >&2
    exit 1
}

target/release/portcullis-dataset generate --size "$SIZE" --seed "${SEED:-1}" --checks "${CHECKS:-10000}" --out "$WORK/data"
export PORTCULLIS_MASTER_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
KEY="$(target/release/portcullis import --new-pool bench --file "$WORK/data/records.jsonl" --data-dir "$WORK/pool")"
KEY_ID="$(sed -n 's/^accessKeyId: *//p' <<<"$KEY")"
KEY_SECRET="$(sed -n 's/^accessKeySecret: *//p' <<<"$KEY")"

SERVER="127.0.0.1:$(free_port)"
BASELINE="127.0.0.1:$(free_port)"
RUST_LOG=warn target/release/portcullis serve --listen "$SERVER" --data-dir "$WORK/pool" &
PIDS+=("$!")
target/release/examples/constant_json "$BASELINE" &
PIDS+=("$!")
wait_up "http://$SERVER/healthz"
wait_up "http://$BASELINE/"
TOKEN="$(curl -fs "http://$SERVER/api/v3/get-management-token" -H 'content-type: application/json' \
    -d "{\"accessKeyId\":\"$KEY_ID\",\"accessKeySecret\":\"$KEY_SECRET\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["access_token"])')"
export TOKEN

# Request bodies: the checks, and ten pages of the hot code's targets.
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
with open(f"{work}/data/checks.jsonl") as checks, open(f"{work}/checks.body", "w") as out:
    for line in checks:
        c = json.loads(line)
        out.write(json.dumps({"namespace": "default", "userId": c["userId"], "action": c["action"], "resource": c["resource"]}) + "\n")
with open(f"{work}/targets.body", "w") as out:
    for page in range(1, 11):
        out.write(json.dumps({"namespace": "default", "resource": "portal", "page": page, "limit": 10}) + "\n")
PY
# The API answers errors with HTTP 200 and an envelope, so wrk cannot tell them apart: one
# request of each kind is checked first. probe URL [BODY]
probe() {
    local answer
    if [[ $# -ge 2 ]]; then
        answer="$(curl -s "$1" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$2")"
    else
        answer="$(curl -s "$1" -H "Authorization: Bearer $TOKEN")"
    fi
    grep -q '"statusCode":200' <<<"$answer" || { echo "$1 failed: $answer" >&2; exit 1; }
}

# measure THREADS CONNECTIONS URL [BODIES]: wrk, POSTing BODIES in turn or GETting URL; prints
# "requests/s p50 p99" (latencies in ms).
measure() {
    local request=(-H "Authorization: Bearer $TOKEN")
    if [[ $# -ge 4 ]]; then
        request=(-s bench/post.lua)
        probe "$3" "$(head -1 "$4")"
    else
        probe "$3"
    fi
    BODIES="${4:-}" wrk -t"$1" -c"$2" -d"${DURATION}s" --latency "${request[@]}" "$3" | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
        END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}
row() { printf '| %s | %s | %s | %s | %s ms | %s ms |\n' "$SIZE" "$1" "$2" "$3" "$4" "$5"; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $SIZE, ${DURATION} s per run, $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo
echo "| size | what | concurrency | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|---|"
CHECK="http://$SERVER/api/v3/is-action-allowed"
read -r base_rps base_p50 base_p99 < <(measure 2 32 "http://$BASELINE/" "$WORK/checks.body")
row "constant JSON (baseline)" 32 "$base_rps" "$base_p50" "$base_p99"
read -r rps p50 p99 < <(measure 2 32 "$CHECK" "$WORK/checks.body")
row "is-action-allowed, Bearer (wrk)" 32 "$rps ($((100 * rps / base_rps))% of baseline)" "$p50" "$p99"
read -r rps p50 p99 < <(measure 1 1 "$CHECK" "$WORK/checks.body")
row "is-action-allowed, Bearer (wrk)" 1 "$rps" "$p50" "$p99"
for auth in signed bearer; do
    for concurrency in 32 1; do
        read -r rps p50 p99 < <(target/release/examples/http_load --url "http://$SERVER" --key-id "$KEY_ID" \
            --key-secret "$KEY_SECRET" --checks "$WORK/data/checks.jsonl" --auth "$auth" \
            --seconds "$DURATION" --concurrency "$concurrency")
        row "is-action-allowed, $auth (http_load)" "$concurrency" "$rps" "$p50" "$p99"
    done
done
HEAVY_USER=600000000000000000000000 # user_id(0) of crates/dataset: the heavy role's only member
read -r rps p50 p99 < <(measure 1 1 "http://$SERVER/api/v3/get-user-authorized-resources?namespace=default&userId=$HEAVY_USER")
row "get-user-authorized-resources, heavy user" 1 "$rps" "$p50" "$p99"
read -r rps p50 p99 < <(measure 1 1 "http://$SERVER/api/v3/get-resource-authorized-targets" "$WORK/targets.body")
row "get-resource-authorized-targets, \`portal\` pages 1–10" 1 "$rps" "$p50" "$p99"
