# tracegraph: every target sets up what it needs (virtual environment, Neo4j) itself.
#   make demo   - the service on the embedded store with the demo loaded: http://127.0.0.1:8000/docs
#   make test   - lint, type-check, screening evaluation gate, start Neo4j, chromium, run every test (what CI runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-fast lint format eval neo4j-up neo4j-down neo4j-reset bench bench-catalogue clean chromium screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,eval]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/tracegraph --store memory serve --load-demo --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

neo4j-up: setup
	PYTHON=$(BIN)/python bash scripts/neo4j.sh up

neo4j-down:
	bash scripts/neo4j.sh down

neo4j-reset:
	bash scripts/neo4j.sh reset

test: lint eval neo4j-up chromium
	$(BIN)/pytest

# Debian's chromium for the browser tests (Playwright drives it; never `playwright install`)
chromium:
	bash scripts/chromium.sh

# the README's pictures of the auditor's view, rendered from the demo by the same chromium
screenshots: setup chromium
	$(BIN)/python scripts/screenshots.py

# the screening evaluation: ours vs the baselines, side by side; fails under the floors in evaluation/floors.py
eval: setup
	$(BIN)/python -m evaluation.run --check

# the fast tier: everything that does not need the Neo4j server
test-fast: setup
	$(BIN)/pytest -m "not neo4j"

# SIZE=S (10k nodes), M (100k) or L (1M; raise the Neo4j transaction memory first, see docs/benchmarks.md)
SIZE ?= M
bench: neo4j-up
	$(BIN)/python -m bench.run --size $(SIZE)

# an importer's catalogue: 100,000 products, mostly variants sharing components (issue 5's "all 100k products");
# one measured load, as at L: four 2.1M-row loads in one process outgrew this machine's memory beside Neo4j
bench-catalogue: neo4j-up
	$(BIN)/python -m bench.run --products 100000 --shared-components 0.97 --share-xuar 0.1 --stores neo4j --loads 1

clean:
	rm -rf .tracegraph .pytest_cache .mypy_cache .ruff_cache
