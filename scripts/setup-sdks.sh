#!/usr/bin/env bash
# Installs what the SDK compatibility suites need (idempotent, quiet, fails loudly):
#   * tests/sdk/python/.venv  with the pinned requirements.txt (genauth, authing, websockets, pytest)
#   * tests/sdk/node/node_modules  from the committed package-lock.json (authing-node-sdk@4.0.1)
# Only the package registries are used (pip / npm). Re-running is cheap: each part keeps a
# stamp of what it installed and is redone only when its pins, or the interpreter, changed.
#
# Environment: PYTHON (default python3), NODE (default node), NPM (default npm).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY_DIR="$ROOT/tests/sdk/python"
NODE_DIR="$ROOT/tests/sdk/node"
VENV="$PY_DIR/.venv"
PYTHON="${PYTHON:-python3}"
NODE="${NODE:-node}"
NPM="${NPM:-npm}"

log() { printf '[setup-sdks] %s\n' "$*"; }
die() { printf '[setup-sdks] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a command silently; on failure replays its output and aborts.
quiet() {
    local out
    if ! out="$("$@" 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "command failed: $*"
    fi
}

sha() { sha256sum | cut -d' ' -f1; }

for tool in "$PYTHON" "$NODE" "$NPM" sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH"
done

# ---------------------------------------------------------------- Python
setup_python() {
    local py_version want have=""
    py_version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    [[ "$py_version" == 3.* ]] || die "$PYTHON is Python $py_version, need Python 3"

    # A venv whose interpreter no longer runs (python upgraded/removed) is rebuilt.
    if [[ -d "$VENV" ]] && ! "$VENV/bin/python" -c 'pass' >/dev/null 2>&1; then
        log "python: existing venv is broken, recreating"
        rm -rf "$VENV"
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        log "python: creating venv ($PYTHON $py_version) at ${VENV#"$ROOT"/}"
        quiet "$PYTHON" -m venv "$VENV"
    fi

    want="$( { cat "$PY_DIR/requirements.txt"; "$VENV/bin/python" -VV; } | sha)"
    [[ -f "$VENV/.portcullis-stamp" ]] && have="$(cat "$VENV/.portcullis-stamp")"
    if [[ "$want" == "$have" ]] && "$VENV/bin/python" -c 'import genauth, authing, websockets, pytest' >/dev/null 2>&1; then
        log "python: up to date"
    else
        log "python: installing requirements.txt"
        quiet "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            --no-input -r "$PY_DIR/requirements.txt"
        printf '%s\n' "$want" >"$VENV/.portcullis-stamp"
    fi

    "$VENV/bin/python" - <<'EOF' || die "python: SDK import check failed"
import importlib.metadata as md
import genauth, authing, websockets, pytest  # noqa: F401  (both SDKs need websockets)
from genauth import ManagementClient as _G   # noqa: F401
from authing import ManagementClient as _A   # noqa: F401
for pkg, version in (("genauth", "5.1.0"), ("authing", "5.1.0")):
    got = md.version(pkg)
    assert got == version, f"{pkg}=={got}, expected {version}"
EOF
}

# ---------------------------------------------------------------- Node
setup_node() {
    local node_major want have=""
    node_major="$("$NODE" -p 'process.versions.node.split(".")[0]')"
    (( node_major >= 20 )) || die "node $("$NODE" --version) is too old, need >= 20 (node:test)"
    [[ -f "$NODE_DIR/package-lock.json" ]] || die "tests/sdk/node/package-lock.json is missing"

    want="$( { cat "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json"; "$NODE" --version; } | sha)"
    [[ -f "$NODE_DIR/node_modules/.portcullis-stamp" ]] && have="$(cat "$NODE_DIR/node_modules/.portcullis-stamp")"
    if [[ "$want" == "$have" ]] && (cd "$NODE_DIR" && "$NODE" -e 'require("authing-node-sdk")') >/dev/null 2>&1; then
        log "node: up to date"
    else
        log "node: npm ci (authing-node-sdk from package-lock.json)"
        (cd "$NODE_DIR" && quiet "$NPM" ci --no-audit --no-fund --loglevel=error)
        printf '%s\n' "$want" >"$NODE_DIR/node_modules/.portcullis-stamp"
    fi

    (cd "$NODE_DIR" && "$NODE" -e '
        const v = require("authing-node-sdk/package.json").version;
        if (v !== "4.0.1") { console.error(`authing-node-sdk ${v}, expected 4.0.1`); process.exit(1); }
        require("authing-node-sdk");
    ') || die "node: SDK check failed"
}

setup_python
setup_node
log "ok"
