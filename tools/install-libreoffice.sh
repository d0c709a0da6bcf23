#!/usr/bin/env bash
# Install LibreOffice headless and the fonts the templates use, when missing and possible.
# python3-uno lets opp-docs keep LibreOffice running and convert through UNO (much faster than
# one soffice start per batch); without it the converter falls back to `soffice --convert-to`.
set -euo pipefail

# libjemalloc2 is optional: preloaded into LibreOffice it saves about a tenth of its CPU time
# (see opp_docs/lo_script.py); without it everything works the same, a little slower.
packages=(libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-crosextra-carlito fonts-liberation2 poppler-utils)
optional=(libjemalloc2)

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
missing_optional=()
if command -v dpkg-query >/dev/null; then
    for p in "${optional[@]}"; do
        installed "$p" || missing_optional+=("$p")
    done
fi
if command -v soffice >/dev/null && [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v dpkg-query >/dev/null; then
    if command -v soffice >/dev/null; then exit 0; fi
    echo "LibreOffice ontbreekt. Installeer LibreOffice (https://www.libreoffice.org) en de" >&2
    echo "lettertypen Carlito en Liberation, en draai 'make install' opnieuw." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
elif command -v soffice >/dev/null && [ ${#missing[@]} -eq 0 ]; then
    exit 0  # only the optional package is missing, and we may not install it
else
    echo "Nodig maar niet geïnstalleerd: ${missing[*]}" >&2
    echo "Vraag de beheerder om: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -eq 0 ]; then
    # Only the optional package: a failure to get it stops nothing.
    echo "Snellere geheugenbibliotheek voor LibreOffice installeren: ${missing_optional[*]}"
    if ! { "${sudo[@]}" apt-get update -qq &&
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing_optional[@]}" >/dev/null; }; then
        echo "Niet gelukt; LibreOffice werkt ook zonder, iets langzamer." >&2
    fi
    exit 0
fi
echo "LibreOffice en lettertypen installeren: ${missing[*]} ${missing_optional[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" "${missing_optional[@]}" >/dev/null
