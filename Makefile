# Two entry points, both self-contained on a fresh Debian machine with Python 3.11:
#   make run   — validate flows/ and examples/, build the site (with the examples) into site/
#   make test  — the whole test suite (what CI runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test graphviz chromium lint screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Graphviz's `dot` comes from the system package; install it when missing and we may.
# fonts-liberation gives dot Arial-width fonts, so the maps have the same size everywhere.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Installerar Graphviz (dot saknas) …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq graphviz fonts-liberation >/dev/null; }

# Browser tests use Debian's chromium (Playwright's own download does not work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installerar Chromium för webbläsartesterna …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

run: $(STAMP) graphviz
	$(BIN)/processmodell validera flows
	@for d in examples/*/; do echo "$(BIN)/processmodell validera $$d"; $(BIN)/processmodell validera "$$d" || exit 1; done
	$(BIN)/processmodell bygg flows --ut site --exempel examples
	@echo "Webbplatsen finns i site/index.html (exemplen under site/exempel/)"

test: $(STAMP) graphviz chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check processmodell cli render tests benchmarks scripts
	$(BIN)/mypy processmodell

bench: $(STAMP) graphviz
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/walk.py
	$(BIN)/python benchmarks/build.py

# Regenerates docs/index.png and docs/soc-sjukskriven.png (referenced from the README).
screenshots: $(STAMP) graphviz chromium
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) site
