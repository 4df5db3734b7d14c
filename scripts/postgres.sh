#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the PostgreSQL test suites.
#
#   eval "$(scripts/postgres.sh start)"   # prints `export PORTCULLIS_TEST_POSTGRES_URL=… PORTCULLIS_PG_DIR=…`
#   scripts/postgres.sh stop [DIR]        # stops the cluster in DIR (default $PORTCULLIS_PG_DIR), removes it
#   scripts/postgres.sh restart [DIR] [PAUSE]
#                                         # stops the server (fast shutdown: clients are disconnected),
#                                         # waits PAUSE seconds (default 0), starts it again on its port
#
# `start` installs PostgreSQL from the distribution's packages when no server binaries are found
# (`apt-get update` once, then `apt-get install -y postgresql`), creates a cluster in a fresh temp
# directory and starts it on a free loopback port with trust authentication (loopback only; the
# cluster lives as long as the test run). PostgreSQL refuses to run as root, so when started as
# root the cluster belongs to the unprivileged `postgres` system user that the package creates.
# Progress goes to stderr; stdout carries only the export line, so `eval` is safe.
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# The newest installed server's bin directory, or nothing.
find_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && printf '%s\n' "$dir"
    return 0
}

install_postgres() {
    if [[ "$(id -u)" != 0 ]]; then
        log "PostgreSQL is not installed and installing it needs root (apt-get install -y postgresql)"
        exit 1
    fi
    log "installing PostgreSQL from the distribution's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    # The package's own cluster is not needed; ours lives in a temp directory.
    apt-get install -y postgresql >&2
}

# Runs a command as the cluster owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bindir
    bindir="$(find_bindir)"
    if [[ -z "$bindir" ]]; then
        install_postgres
        bindir="$(find_bindir)"
        [[ -n "$bindir" ]] || { log "no initdb/pg_ctl under /usr/lib/postgresql after installing"; exit 1; }
    fi

    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/portcullis-pg.XXXXXX")"
    if [[ "$(id -u)" == 0 ]]; then
        chown postgres: "$dir"
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }

    # A port can be taken between choosing and binding it, so try a few.
    local port attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 40000))
        if launch "$bindir" "$dir" "$port"; then
            printf '%s\n' "$port" >"$dir/port"
            log "PostgreSQL running on 127.0.0.1:$port, cluster in $dir"
            printf 'export PORTCULLIS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:%s/postgres PORTCULLIS_PG_DIR=%s\n' \
                "$port" "$dir"
            return 0
        fi
        log "port $port unavailable (attempt $attempt)"
    done
    tail -n 20 "$dir/server.log" >&2 || true
    log "could not start PostgreSQL"
    exit 1
}

# launch BINDIR DIR PORT: starts the server of the cluster in DIR on 127.0.0.1:PORT.
launch() {
    as_owner "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 30 \
        -o "-p $3 -k $2 -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2
}

# The cluster directory named by the argument or $PORTCULLIS_PG_DIR; exits if there is none.
cluster_dir() {
    local dir="${1:-${PORTCULLIS_PG_DIR:-}}"
    [[ -n "$dir" && -d "$dir/data" ]] || { log "no cluster (give its directory or set PORTCULLIS_PG_DIR)"; exit 1; }
    printf '%s\n' "$dir"
}

restart() {
    local dir bindir
    dir="$(cluster_dir "$1")"
    bindir="$(find_bindir)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    sleep "${2:-0}"
    launch "$bindir" "$dir" "$(cat "$dir/port")" || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    log "restarted PostgreSQL in $dir"
}

stop() {
    local dir bindir
    dir="$(cluster_dir "$1")"
    bindir="$(find_bindir)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    restart) restart "${2:-}" "${3:-}" ;;
    *)
        log "usage: $0 start | stop [DIR] | restart [DIR] [PAUSE]"
        exit 2
        ;;
esac
