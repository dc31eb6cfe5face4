#!/usr/bin/env bash
# Runs the whole suite against a throwaway PostgreSQL server started here, and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-system-packages.sh test

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
PGDATA_ROOT="$(mktemp -d /tmp/uitvoeringsafspraken-pg.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

as_pg() {
    # PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$(id -u)" = "0" ]; then chown postgres "$PGDATA_ROOT"; fi
as_pg "$PGBIN/initdb" -D "$PGDATA_ROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGDATA_ROOT/initdb.log"
as_pg "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -l "$PGDATA_ROOT/server.log" -w \
    -o "-p $PORT -k $PGDATA_ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null

stop_pg() {
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -m fast stop >/dev/null || true
    rm -rf "$PGDATA_ROOT"
}
trap stop_pg EXIT
trap "exit 130" INT TERM

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/uitvoeringsafspraken"
export DJANGO_SECRET_KEY="test-only-secret"
export PLAYWRIGHT_CHROMIUM_EXECUTABLE="${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"

.venv/bin/python -m pytest "$@"
