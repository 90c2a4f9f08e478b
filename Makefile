# Two commands: `make run` (dashboard on http://127.0.0.1:8501) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
WAREHOUSE := data/warehouse/trade.duckdb

.PHONY: run test setup warehouse sample chromium lint bench clean

run: setup warehouse
	$(BIN)/python -m pages.ui.serve --server.address 127.0.0.1 --server.port 8501

test: setup warehouse chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): requirements.txt
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; \
	  else echo "python3 venv support is missing: install python3-venv" >&2; exit 1; fi; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@
	mkdir -p data/raw data/warehouse

# Build the warehouse from the shipped synthetic sample when there is none yet.
warehouse: setup
	@test -f $(WAREHOUSE) || $(BIN)/python -m etl refresh --sample

# Chromium for browser tests and image export: installed with apt when we are root on Debian;
# elsewhere those tests skip with a reason (and fail when CI is set).
chromium:
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then \
	  true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core fonts-noto-core; \
	else \
	  echo "Chromium not found and not root on Debian: browser and image-export tests will be skipped" >&2; \
	fi

sample: setup
	$(BIN)/python -m etl sample

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m bench.refresh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
