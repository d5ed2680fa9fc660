# Two commands: `make demo` (set up and run the demo) and `make test` (set up and run the tests).
# Both create their own virtual environment in .venv and install what they need into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
DEMO_SERVE ?= 1
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test web lint bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Stamps re-run the install when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dev]"
	@touch $@ $(VENV)/.installed-run

# Front-end assets come from the npm registry at build time (package.json + lockfile) and are copied into
# the package; nothing is fetched at run time. Without npm the page still loads, with a plain background.
web: $(VENV)/.installed-run
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && $(BIN)/python -m sitroom.web.build; \
	else echo "npm not found: the map's base layer is skipped (install Node.js and npm, then run make web)"; fi

# Debian's Chromium for the browser tests; skipped (tests then skip with a message) where apt is not usable.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the browser tests will be skipped"; \
	  else echo "chromium not installed and apt-get not usable: the browser tests will be skipped"; fi; \
	fi

demo: $(VENV)/.installed-run web
	@if [ "$(DEMO_SERVE)" = 0 ]; then \
	  $(BIN)/sitroom demo --db demo.db; \
	else \
	  $(BIN)/sitroom demo --db demo.db && echo && \
	  echo "Serving the situation room at http://$(HOST):$(PORT)/  (Ctrl-C to stop)" && \
	  $(BIN)/sitroom --db demo.db serve --host $(HOST) --port $(PORT); \
	fi

test: $(VENV)/.installed-dev web browser
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	@for b in bench/bench_*.py; do echo "== $$b"; (cd bench && ../$(BIN)/python $$(basename $$b)) || exit 1; done

clean:
	rm -rf $(VENV) node_modules demo.db demo.db-wal demo.db-shm .pytest_cache .mypy_cache .ruff_cache src/sitroom/web/static/vendor
