# Every target sets up .venv itself, so a fresh clone needs nothing but `make <target>`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv generate test test-fast typecheck lint bench schemas dev golden clean

venv: $(STAMP)

# dev includes [generate], the build tools `make generate` and the tests need.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/modelrouter generate --offline $(if $(DIRECTORY),--directory $(DIRECTORY))

test: $(STAMP) browser redis-server
	$(BIN)/python -m pytest

# Without the tests that run pip, mypy or a language server in a subprocess (marked slow).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/basedpyright

lint: $(STAMP)
	$(BIN)/black --check runtime generator generated tests

bench: $(STAMP) browser redis-server
	$(BIN)/python -m tests.bench

schemas: $(STAMP)
	$(BIN)/python -m modelrouter_generator.schemas_codegen

dev: $(STAMP)
	MODELROUTER_ENV=development $(BIN)/modelrouter generate --watch

golden: $(STAMP)
	$(BIN)/python -m tests.golden.refresh

clean:
	rm -rf $(VENV) .mypy_cache

# The directory tests and bench drive Debian's chromium headless; install it only when missing.
CHROMIUM ?= /usr/bin/chromium
.PHONY: browser
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The routing tests and bench start a real redis-server on loopback; install it only when missing.
REDIS_SERVER ?= /usr/bin/redis-server
.PHONY: redis-server
redis-server:
	@test -x $(REDIS_SERVER) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
