#!/usr/bin/env bash
# Lints with ruff, then runs the whole suite against a throwaway PostgreSQL server started here, and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

# Any ruff finding fails the run (rules in pyproject.toml).
.venv/bin/ruff check .

scripts/ensure-system-packages.sh test

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# Durability off: the suite's data is thrown away, and it runs faster.
start_postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off

export DJANGO_SECRET_KEY="test-only-secret"
export PLAYWRIGHT_CHROMIUM_EXECUTABLE="${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"

.venv/bin/python -m pytest "$@"
