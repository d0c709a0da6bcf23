#!/usr/bin/env bash
# Install LibreOffice headless and the fonts the templates use, when missing and possible.
# python3-uno lets opp-docs keep LibreOffice running and convert through UNO (much faster than
# one soffice start per batch); without it the converter falls back to `soffice --convert-to`.
set -euo pipefail

packages=(libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-crosextra-carlito fonts-liberation2 poppler-utils)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if command -v soffice >/dev/null && [ ${#missing[@]} -eq 0 ]; then
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
else
    echo "Nodig maar niet geïnstalleerd: ${missing[*]}" >&2
    echo "Vraag de beheerder om: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "LibreOffice en lettertypen installeren: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
