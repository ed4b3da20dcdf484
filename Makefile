# Two commands for a fresh machine: `make site` builds the example intranet, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test lint browser bench clean

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
	$(BIN)/ruff check mkdocs_journey_plugin tests tools benchmarks ci
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (never a downloaded browser); maps are measured with
# DejaVu Sans, so the tests render with it too.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "DejaVu Sans"; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; \
	fi

test: $(STAMP) lint browser  ## install what the tests need, then run them all
	$(BIN)/python -m pytest

bench: $(STAMP) browser  ## build speed, cache and browser figures; writes benchmarks/RESULTS.md
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site test-output
