#!/usr/bin/env bash
# `make bench`: seeds national scale into a throwaway PostgreSQL server and measures (scripts/bench/).
# Unlike scripts/test.sh the server keeps fsync and synchronous_commit on: the figures are meant to be
# comparable with production. Pass options through BENCH_ARGS, e.g. BENCH_ARGS="--snel --alleen pages".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-system-packages.sh test

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# Room for the 100,000 student rows and their indexes in memory; durability as in production.
start_postgres -c shared_buffers=256MB -c max_connections=200
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres uitvoeringsafspraken

export DJANGO_SECRET_KEY="bench-only-secret-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export DJANGO_SETTINGS_MODULE=config.settings
# PDFs and seals inline, as in the demo; e-mails of the signing go nowhere.
export TAKEN_BACKEND=inline
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend

.venv/bin/python -m scripts.bench "$@"
