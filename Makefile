# mediastats — the two commands a newcomer runs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PYTEST_ARGS ?=

.PHONY: run test venv lint fmt system-deps browser-deps bench bench-ingest bench-query bench-scale fuzz reliability clean

## Install (locked dependencies) and start the server with demo data on http://127.0.0.1:8080
run: venv
	$(BIN)/mediastats demo

## Install and run the whole test suite (what CI runs)
test: venv system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest --ignore=tests/browser --ignore=tests/e2e $(PYTEST_ARGS)
	@# Browser tests in their own process: Playwright's sync API keeps an event loop running.
	$(BIN)/pytest tests/browser tests/e2e $(PYTEST_ARGS)

venv: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check "uv>=0.4,<1"
	uv sync --frozen --extra dev
	@touch $@

# Debian packages some tests need (browser, media tools, a ClickHouse server for the
# cluster tests, ZooKeeper for the replicated one); installed once, idempotently.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v ffmpeg >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	test -x /usr/sbin/clickhouse-server || missing="$$missing clickhouse-server clickhouse-client"; \
	test -f /usr/share/java/zookeeper.jar || missing="$$missing zookeeper"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "warning: could not install$$missing; tests that need them are skipped"; \
	fi

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

fmt: venv
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## Benchmarks (not part of CI): print ratios against a baseline measured in the same run
bench-ingest: venv
	$(BIN)/python bench/ingest.py

bench-query: venv
	$(BIN)/python bench/query.py

## Every endpoint on 10 M events over 90 days (EVENTS=100M for the full figure), rollups vs raw,
## bytes per event and server RSS; the 10 M tier takes under 10 minutes
EVENTS ?= 10M
bench-scale: venv
	$(BIN)/python bench/scale.py --events $(EVENTS)

bench: bench-ingest bench-query

clean:
	rm -rf $(VENV) mediastats-data .pytest_cache .mypy_cache .ruff_cache

## Reliability and security proof: crash drill (20 × SIGKILL), retries, bad input, isolation
## matrix, daily limit, >= 10,000 fuzz cases, 200-client load for 5 minutes; prints the figures
reliability: venv
	$(BIN)/python bench/reliability.py

## Schemathesis over every surface's OpenAPI, at least 10,000 generated cases
fuzz: venv
	$(BIN)/python bench/reliability.py --only fuzz --fuzz-cases 10000
