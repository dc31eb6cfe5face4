#!/usr/bin/env bash
# scripts/backup.sh <doelmap>
#
# Backs up the database of DATABASE_URL (pg_dump, custom format) and the media folder (tar), with
# timestamped names and a .sha256 file over both. Exits non-zero on any failure and then leaves no
# half-written backup behind, so a cron job's exit status tells the truth.
#
# Environment: DATABASE_URL (postgres://user:pass@host:port/db), DJANGO_MEDIA_ROOT (as config/settings.py;
# default <repo>/media), PGBIN (optional: folder with pg_dump, must be at least the server's version).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "Gebruik: $0 <doelmap>" >&2
    exit 2
fi
doelmap="$1"
repo="$(cd "$(dirname "$0")/.." && pwd)"

# shellcheck source=scripts/postgres.sh
source "$repo/scripts/postgres.sh"
vereis_postgres_url "DATABASE_URL is geen PostgreSQL-adres; alleen PostgreSQL wordt geback-upt."
# Same default as config/settings.py, so the script backs up what the application writes to.
media="${DJANGO_MEDIA_ROOT:-$repo/media}"
kies_pgbin
pg_dump="${PGBIN:+$PGBIN/}pg_dump"

mkdir -p "$doelmap"
stempel="$(date -u +%Y%m%dT%H%M%SZ)"
naam="uitvoeringsafspraken-$stempel"
dump="$doelmap/$naam.dump"
tarbestand="$doelmap/$naam.media.tar"
sommen="$doelmap/$naam.sha256"

# Write under temporary names and rename at the end: a failed run leaves no file that looks complete.
opruimen() { rm -f "$dump.deel" "$tarbestand.deel" "$sommen.deel"; }
trap opruimen EXIT

# Custom format: compressed, and pg_restore can restore it selectively and check it (--list).
"$pg_dump" --format=custom --no-owner --no-privileges --file="$dump.deel" --dbname="$DATABASE_URL"
# Proves the archive is readable before we call the backup done.
"${PGBIN:+$PGBIN/}pg_restore" --list "$dump.deel" >/dev/null

# Media: an empty archive when the folder does not exist yet, so every backup has the same two parts.
if [ -d "$media" ]; then
    tar --create --file="$tarbestand.deel" --directory="$media" .
else
    tar --create --file="$tarbestand.deel" --files-from=/dev/null
fi

# Final names without folder, so `sha256sum -c` works wherever the set is copied to.
{
    echo "$(sha256sum <"$dump.deel" | cut -d' ' -f1)  $naam.dump"
    echo "$(sha256sum <"$tarbestand.deel" | cut -d' ' -f1)  $naam.media.tar"
} >"$sommen.deel"
mv "$dump.deel" "$dump"
mv "$tarbestand.deel" "$tarbestand"
mv "$sommen.deel" "$sommen"

echo "$dump"
echo "$tarbestand"
echo "$sommen"
