#!/usr/bin/env bash
# The single test command of the repository (also what .ci/run executes):
#
#   1. cargo build --workspace
#   2. cargo test --workspace         (with a throw-away PostgreSQL from scripts/postgres.sh, so the
#                                      PostgreSQL suites run; stopped on exit)
#   3. cargo test -p portcullis --tests, again with PORTCULLIS_TEST_BACKEND=postgres: the black-box
#                                      API suites on servers backed by PostgreSQL
#   4. scripts/setup-sdks.sh          (Python venv + node_modules for the SDK suites)
#   5. pytest tests/sdk/python        (official genauth / authing Python SDKs)
#   6. node --test tests/sdk/node/    (official authing-node-sdk)
#   7. steps 5 and 6 again on servers backed by PostgreSQL
#
# Every step runs even when an earlier one failed (the SDK suites then report why they could
# not start); the script exits non-zero if any step failed and ends with a summary.
#
# Environment:
#   PORTCULLIS_BIN         server binary for the SDK suites (default: target/debug/portcullis)
#   SDK_SUITE_TIMEOUT      seconds allowed to each SDK suite (default: 1200)
#   PORTCULLIS_KEEP_LOGS   keep the throwaway servers' logs in $TMPDIR (Python suite)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export PORTCULLIS_BIN="${PORTCULLIS_BIN:-$ROOT/target/debug/portcullis}"
SDK_SUITE_TIMEOUT="${SDK_SUITE_TIMEOUT:-1200}"
VENV_PYTHON="$ROOT/tests/sdk/python/.venv/bin/python"

STEP_NAMES=()
STEP_RESULTS=()
FAILED=0
CURRENT_PID=""

# Ctrl-C / TERM: stop the running step too. `timeout` puts itself in its own process group,
# so signal the group (covers pytest/node and their throwaway servers), then the pid.
on_signal() {
    if [[ -n "$CURRENT_PID" ]]; then
        kill -TERM -- "-$CURRENT_PID" 2>/dev/null || kill -TERM "$CURRENT_PID" 2>/dev/null
    fi
    printf '\ntest-all: interrupted\n' >&2
    exit 130
}
trap on_signal INT TERM

# run_step NAME COMMAND...: runs the command, records "ok" or the exit status.
run_step() {
    local name="$1"
    shift
    printf '\n==> [%s] %s\n' "$name" "$*"
    local started=$SECONDS rc=0
    "$@" &
    CURRENT_PID=$!
    wait "$CURRENT_PID" || rc=$?
    CURRENT_PID=""
    local took=$((SECONDS - started))
    STEP_NAMES+=("$name")
    if ((rc == 0)); then
        STEP_RESULTS+=("ok       ${took}s")
    else
        STEP_RESULTS+=("FAILED   exit ${rc}, ${took}s")
        FAILED=$((FAILED + 1))
    fi
    return 0
}

# skip_step NAME REASON: records a step that could not run (counts as a failure).
skip_step() {
    printf '\n==> [%s] not run: %s\n' "$1" "$2"
    STEP_NAMES+=("$1")
    STEP_RESULTS+=("FAILED   not run: $2")
    FAILED=$((FAILED + 1))
}

run_step "cargo build" cargo build --workspace

printf '\n==> [postgres] scripts/postgres.sh start\n'
PG_READY=0
if PG_ENV="$(bash scripts/postgres.sh start)"; then
    eval "$PG_ENV"
    PG_READY=1
    trap 'bash scripts/postgres.sh stop "$PORTCULLIS_PG_DIR"' EXIT
    STEP_NAMES+=("postgres")
    STEP_RESULTS+=("ok       $PORTCULLIS_TEST_POSTGRES_URL")
else
    skip_step "postgres" "scripts/postgres.sh start failed"
fi
run_step "cargo test" cargo test --workspace
# on_postgres NAME COMMAND...: run_step with servers backed by PostgreSQL, if it is running.
on_postgres() {
    local name="$1 (postgres)"
    shift
    if ((PG_READY)); then
        run_step "$name" env PORTCULLIS_TEST_BACKEND=postgres "$@"
    else
        skip_step "$name" "no PostgreSQL"
    fi
}
on_postgres "black-box tests" cargo test -p portcullis --tests
run_step "bench smoke" cargo run -q --release -p portcullis-dataset -- bench --size small --checks 10000 --passes 1
run_step "sdk setup" bash scripts/setup-sdks.sh

# sdk_suites RUN: both SDK suites, each started by RUN (run_step or on_postgres).
# `timeout` signals its whole process group on expiry, so the throwaway servers go too.
sdk_suites() {
    if [[ -x "$VENV_PYTHON" ]]; then
        "$1" "python sdk suites" timeout "$SDK_SUITE_TIMEOUT" "$VENV_PYTHON" -m pytest -q tests/sdk/python
    else
        skip_step "python sdk suites" "no venv (sdk setup failed)"
    fi
    if [[ -d tests/sdk/node/node_modules/authing-node-sdk ]]; then
        "$1" "node sdk suites" timeout "$SDK_SUITE_TIMEOUT" node --test tests/sdk/node/
    else
        skip_step "node sdk suites" "no node_modules (sdk setup failed)"
    fi
}
sdk_suites run_step
sdk_suites on_postgres

printf '\n==================== test-all summary ====================\n'
for i in "${!STEP_NAMES[@]}"; do
    printf '  %-30s %s\n' "${STEP_NAMES[$i]}" "${STEP_RESULTS[$i]}"
done
if ((FAILED > 0)); then
    printf 'test-all: FAILED (%d of %d steps failing)\n' "$FAILED" "${#STEP_NAMES[@]}"
    exit 1
fi
printf 'test-all: OK (all %d steps succeeded)\n' "${#STEP_NAMES[@]}"
