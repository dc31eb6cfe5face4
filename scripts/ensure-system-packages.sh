#!/usr/bin/env bash
# Installs what is missing from Debian's packages: Pango for the PDF (WeasyPrint) always, and with
# the argument "test" also PostgreSQL and Chromium for the suite, and poppler-utils (pdfinfo, pdfsig) to read the
# PDFs back with tools independent of the ones that make them.
set -euo pipefail
need=()
/sbin/ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || need+=(libpango-1.0-0)
/sbin/ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || need+=(libpangoft2-1.0-0)
/sbin/ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so" || need+=(libharfbuzz-subset0)
if [ "${1:-}" = "test" ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
    command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
    command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
fi
if [ ${#need[@]} -gt 0 ]; then
    echo "Installeren met apt: ${need[*]}"
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
