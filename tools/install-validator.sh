#!/usr/bin/env bash
# Install Mono's C# compiler (Debian package mono-mcs) for the tests' Word-file validator: it
# compiles tools/ooxml_validate.cs once against the Open XML SDK of the dev extra
# python-redlines-ooxmlpowertools (see tests/ooxml.py). Only `make test` calls this: staff who
# run `make demo` or `make dossiers` need no compiler.
# In CI (CI=true) a failure stops the run, since the validating tests must not skip there;
# elsewhere it is a warning and those tests skip.
set -euo pipefail

if command -v mcs >/dev/null; then
    exit 0
fi

fail() {
    echo "$1" >&2
    echo "Zonder mcs worden Word-bestanden in de tests niet gevalideerd." >&2
    if [ "${CI:-}" = "true" ]; then
        exit 1
    fi
    exit 0
}

if ! command -v apt-get >/dev/null; then
    fail "De C#-compiler mcs ontbreekt. Installeer Mono (pakket mono-mcs of mono-devel)."
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
else
    fail "De C#-compiler mcs ontbreekt. Vraag de beheerder om: sudo apt-get install mono-mcs"
fi

echo "C#-compiler voor de validatie van Word-bestanden installeren: mono-mcs"
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends mono-mcs >/dev/null; }; then
    fail "mono-mcs installeren is niet gelukt."
fi
