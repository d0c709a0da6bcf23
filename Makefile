# opp-docs: every target a school needs. `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.geinstalleerd
SCHOOLJAAR ?=
SCHOOLJAAR_OPTIE := $(if $(SCHOOLJAAR),--schooljaar $(SCHOOLJAAR),)

.PHONY: help install demo dossiers planning check test lint bench clean libreoffice validator

help: ## Toon deze lijst
	@echo "opp-docs: van intake-exports naar OPP-documenten en dossiers"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "  Schooljaar kiezen: make dossiers SCHOOLJAAR=2026-2027"

install: $(STAMP) libreoffice ## Installeer alles: Python-omgeving, pakketten, LibreOffice en lettertypen

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

libreoffice:
	@bash tools/install-libreoffice.sh

demo: install ## Draai de hele keten op het verzonnen voorbeeldcohort (uitvoer in output/demo)
	$(BIN)/opp-docs demo --output output/demo $(SCHOOLJAAR_OPTIE)

dossiers: install ## Maak documenten en dossiers van de bestanden in intake/ (uitvoer in output/)
	$(BIN)/opp-docs dossiers --intake intake --output output $(SCHOOLJAAR_OPTIE)

planning: install ## Schrijf alleen de overzichten voor de teamleider (snel; maakt geen documenten)
	$(BIN)/opp-docs planning --intake intake --output output $(SCHOOLJAAR_OPTIE)

check: install ## Controleer alleen de bestanden in intake/ en schrijf het intakerapport
	$(BIN)/opp-docs check --intake intake --output output $(SCHOOLJAAR_OPTIE)

test: install validator ## Draai alle tests
	$(BIN)/python -m pytest -q

# Only the tests need it (Mono's C# compiler for the Word-file validator); make demo does not.
validator:
	@bash tools/install-validator.sh

.PHONY: fuzz
fuzz: install ## Bestook intakelezer en sjablonen lang met willekeurige invoer (OPP_FUZZ_EXAMPLES=n)
	OPP_FUZZ_EXAMPLES=$${OPP_FUZZ_EXAMPLES:-500} $(BIN)/python -m pytest -q -m fuzz

lint: install ## Controleer de code met ruff en mypy
	$(BIN)/ruff check opp_docs tests tools
	$(BIN)/ruff format --check opp_docs tests tools
	$(BIN)/mypy

bench: install ## Meet de snelheid: intake van 5.000 rijen, en de hele keten op 300 verzonnen leerlingen
	$(BIN)/python tools/bench_intake.py
	$(BIN)/python tools/bench.py

clean: ## Verwijder gegenereerde hulpbestanden en output/demo (nooit intake/ of uw dossiers)
	rm -rf output/demo build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis .cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
