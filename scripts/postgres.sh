# Sourced by scripts/test.sh and scripts/bench.sh: a throwaway PostgreSQL server in a temporary directory on a
# free port, stopped (and its directory removed) when the calling script exits. scripts/backup.sh and
# scripts/herstel.sh use only kies_pgbin and vereis_postgres_url.
#
#   start_postgres [server options…]   sets PGBIN, PGDATA_ROOT, PGPORT and DATABASE_URL (the database itself is not created)
#   kies_pgbin                          sets PGBIN, unless given, to the newest installed PostgreSQL's binaries
#   vereis_postgres_url <melding>       stops with the message unless DATABASE_URL is a PostgreSQL address
#
# Options are passed to the server as given (e.g. "-c fsync=off"); the caller decides on durability.

kies_pgbin() {
    # Debian keeps each version's binaries apart; pg_dump must not be older than the server.
    if [ -z "${PGBIN:-}" ]; then
        PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    fi
}

vereis_postgres_url() {
    : "${DATABASE_URL:?Zet DATABASE_URL (postgres://gebruiker:wachtwoord@host:5432/database).}"
    case "$DATABASE_URL" in
        postgres://*|postgresql://*) ;;
        *) echo "$1" >&2; exit 2 ;;
    esac
}

start_postgres() {
    PGBIN=""
    kies_pgbin
    PGDATA_ROOT="$(mktemp -d /tmp/uitvoeringsafspraken-pg.XXXXXX)"
    PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

    if [ "$(id -u)" = "0" ]; then chown postgres "$PGDATA_ROOT"; fi
    as_pg "$PGBIN/initdb" -D "$PGDATA_ROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGDATA_ROOT/initdb.log"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -l "$PGDATA_ROOT/server.log" -w \
        -o "-p $PGPORT -k $PGDATA_ROOT -c listen_addresses=127.0.0.1 $*" start >/dev/null
    trap stop_postgres EXIT
    trap "exit 130" INT TERM

    export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/uitvoeringsafspraken"
}

as_pg() {
    # PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_postgres() {
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -m fast stop >/dev/null || true
    rm -rf "$PGDATA_ROOT"
}
