#!/usr/bin/env bash
# scripts/herstel.sh [--media-overschrijven] <dump> <media.tar>
#
# Restores a backup made by scripts/backup.sh: the dump into the database of DATABASE_URL, which must be
# empty (freshly made with `createdb`), and the media archive into DJANGO_MEDIA_ROOT (default <repo>/media).
# Refuses a database that holds anything and a non-empty media folder (unless --media-overschrijven): a
# restore on top of live data mixes two states and breaks the audit log's promise.
#
# Environment: DATABASE_URL, DJANGO_MEDIA_ROOT, PGBIN (optional: folder with pg_restore and psql).
set -euo pipefail

overschrijven=0
if [ "${1:-}" = "--media-overschrijven" ]; then
    overschrijven=1
    shift
fi
if [ $# -ne 2 ]; then
    echo "Gebruik: $0 [--media-overschrijven] <dump> <media.tar>" >&2
    exit 2
fi
dump="$1"
tarbestand="$2"
repo="$(cd "$(dirname "$0")/.." && pwd)"

# shellcheck source=scripts/postgres.sh
source "$repo/scripts/postgres.sh"
vereis_postgres_url "DATABASE_URL is geen PostgreSQL-adres."
media="${DJANGO_MEDIA_ROOT:-$repo/media}"
kies_pgbin
pg_restore="${PGBIN:+$PGBIN/}pg_restore"
psql="${PGBIN:+$PGBIN/}psql"

for bestand in "$dump" "$tarbestand"; do
    if [ ! -f "$bestand" ]; then
        echo "Herstel geweigerd: bestand $bestand bestaat niet." >&2
        exit 1
    fi
done

# A copied or half-transferred backup must not be restored: check it against backup.sh's checksums.
sommen="${dump%.dump}.sha256"
if [ -f "$sommen" ]; then
    for bestand in "$dump" "$tarbestand"; do
        verwacht="$(awk -v naam="$(basename "$bestand")" '$2 == naam { print $1 }' "$sommen")"
        if [ -n "$verwacht" ] && [ "$verwacht" != "$(sha256sum <"$bestand" | cut -d' ' -f1)" ]; then
            echo "Herstel geweigerd: $bestand komt niet overeen met de controlesom in $sommen." >&2
            exit 1
        fi
    done
fi

# Everything is checked before anything is written, so a refusal changes nothing.
aantal="$("$psql" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL" -c "
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)')
         + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))")" || {
    echo "Herstel geweigerd: de database van DATABASE_URL is niet bereikbaar." >&2
    exit 1
}
if [ "$aantal" != "0" ]; then
    echo "Herstel geweigerd: de database van DATABASE_URL is niet leeg ($aantal tabellen, reeksen of functies)." >&2
    echo "Herstel alleen in een nieuwe, lege database (createdb) en zet DATABASE_URL daarheen." >&2
    exit 1
fi

if [ -d "$media" ] && [ -n "$(ls -A "$media")" ] && [ "$overschrijven" != "1" ]; then
    echo "Herstel geweigerd: de mediamap $media is niet leeg." >&2
    echo "Kies een lege map (DJANGO_MEDIA_ROOT) of geef --media-overschrijven mee." >&2
    exit 1
fi

# One transaction: a failing restore leaves the database empty, so it can simply be tried again.
# --no-owner/--no-privileges: the restoring account owns everything, whatever roles the old server had.
"$pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"

mkdir -p "$media"
tar --extract --file="$tarbestand" --directory="$media" --no-same-owner

echo "Hersteld: database uit $dump, media uit $tarbestand in $media."
echo "Is de code nieuwer dan de backup, draai dan eerst manage.py migrate voordat de toepassing start."
