# Two commands for a fresh machine: `make site` builds the example intranet, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## build content/ into site/
	$(BIN)/mkdocs build --strict

serve: $(STAMP)  ## preview at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve

lint: $(STAMP)
	$(BIN)/ruff check mkdocs_journey_plugin tests
	$(BIN)/mypy

test: $(STAMP) lint  ## install what the tests need, then run them all
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site test-output
