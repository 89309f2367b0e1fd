# proofbench: the two commands of the README.
#   make report   collate the letter into reports/ (creates .venv, installs proofbench)
#   make test     lint, type-check and run the whole suite (installs dev tools, Chromium, PostgreSQL)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LETTER := witnesses/letter.toml
# The committed reports carry a fixed creation stamp (2026-11-28T07:20:56Z), so `make report`
# rewrites them byte for byte unless the collation itself changes.
REPORT_EPOCH ?= 1795850456

.PHONY: report test lint typecheck pytest system bench clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "make: '$(PYTHON) -m venv' failed;" \
	  "on Debian or Ubuntu install python3-venv: bash scripts/system-deps.sh" >&2; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip

# The distribution is proofbench-workbench ("proofbench" on PyPI is another project); a venv
# made before the rename holds the old editable "proofbench", which is removed first.
# The review extra (Flask, SQLAlchemy, psycopg) comes with both: the report shows decisions.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	-@$(BIN)/pip uninstall -q -y proofbench >/dev/null 2>&1
	$(BIN)/pip install -q -e '.[review]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	-@$(BIN)/pip uninstall -q -y proofbench >/dev/null 2>&1
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

report: $(VENV)/.installed
	SOURCE_DATE_EPOCH=$(REPORT_EPOCH) $(BIN)/proofbench collate $(LETTER) -o reports/letter.html -o reports/letter.json \
	  -o reports/letter.tei.xml -o reports/letter.csv -o reports/letter.txt

system:
	bash scripts/system-deps.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check proofbench tests benchmarks
	$(BIN)/ruff format --check proofbench tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev system
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/align_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
