# CNNT tiêu biểu — the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PORT ?= 5000
# The demo's certificates carry QR codes for this port (config.py: PUBLIC_BASE_URL defaults to it).
export PORT
# pytest-xdist workers for make test: one more than the reference machine's 2 cores, because the browser tests,
# the benchmark smoke tests and the job-runner tests spend much of their time waiting on a server, a browser or
# a child process (measured 05/12/2026, quiet: 7m54s with 2 workers, 6m53s with 3). TEST_WORKERS=0: one process.
TEST_WORKERS ?= 3
FLASK := $(BIN)/flask --app wsgi
MO := voting/translations/en/LC_MESSAGES/messages.mo
PO := voting/translations/en/LC_MESSAGES/messages.po

.PHONY: run test bench lint install translations extract-messages update-messages db clean

# PyICU (Vietnamese alphabetical order) compiles against the system's ICU: its headers, pkg-config,
# a C++ compiler and Python's headers come from Debian's packages when missing.
$(STAMP): pyproject.toml
	@if ! pkg-config --exists icu-uc 2>/dev/null || ! command -v c++ >/dev/null \
	    || ! test -f "$$($(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h"; then \
	  echo "== installing libicu-dev, pkg-config, g++ and python3-dev to build PyICU =="; \
	  apt-get update -qq || true; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libicu-dev pkg-config g++ python3-dev >/dev/null; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# WeasyPrint subsets the PDFs' fonts with HarfBuzz-Subset when the library is there (as on any Debian with
# Pango's usual dependencies), else with fontTools, several times slower: every machine gets what production runs.
# Checked on every install (a cheap look-up), not only when the dependencies change.
install: $(STAMP) $(MO)
	@if ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0' && command -v apt-get >/dev/null; then \
	  echo "== installing libharfbuzz-subset0 (WeasyPrint's font subsetter) =="; \
	  apt-get update -qq || true; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 >/dev/null; \
	fi

$(MO): $(PO) $(STAMP)
	$(BIN)/pybabel --quiet compile -d voting/translations

translations: $(MO)

# Maintainers: after changing user-facing text, refresh the catalogue and
# translate the new entries in $(PO).
extract-messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -k lazy_gettext -o voting/translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel --quiet update -i voting/translations/messages.pot -d voting/translations --no-fuzzy-matching

db: install
	$(FLASK) db upgrade
	$(FLASK) reference load

run: db
	$(FLASK) seed-demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# axe-core (npm) for the accessibility checks of the browser tests; without npm they say so and do not run.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $(AXE); \
	else echo "npm not found: the accessibility checks (axe-core) will not run"; fi

# The suite's files (SQLite databases, uploads, certificates, the browser tests' servers) live in memory
# (/dev/shm) where the machine has it: the app syncs every stored file and SQLite every commit to disk,
# 4 ms a sync on this machine's disk against 0.08 ms in memory; the code run is the same.
TEST_TMP_ROOT ?= $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo $${TMPDIR:-/tmp})

# Compiled bytecode is kept between runs, in .venv/pycache rather than beside the sources, even where
# PYTHONDONTWRITEBYTECODE is set (as on the reference machine): without it every pytest worker, server and
# command the suite starts compiles the project and the tests again (collecting the suite: 18 s of CPU
# against 7.5 s with the cache, measured 06/12/2026).
PYCACHE := $(abspath $(VENV))/pycache

test: install $(AXE)
	$(BIN)/ruff check --quiet .
	@basetemp=$$(mktemp -d -p $(TEST_TMP_ROOT) cnnt-tests.XXXXXX); \
	echo "pytest -n $(TEST_WORKERS), temporary files in $$basetemp"; \
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(PYCACHE) CNNT_CONFIG=testing $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --basetemp=$$basetemp $(PYTEST_ARGS); \
	status=$$?; rm -rf $$basetemp; exit $$status

# Speed is measured, not assumed: ratios against a baseline measured in the same run
# (README, "Benchmarks"). E.g. make bench BENCH_ARGS="--only routes --rows 2000 --seconds 4 --no-postgres"
# for a quick run. The verification benchmark loads the server with wrk (Debian's package).
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/cnnt.sqlite3* .pytest_cache
