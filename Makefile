# The commands of the README: `make demo`, `make test` and `make test-fast`. Each installs everything it needs
# into a virtual environment of its own (.venv), so nothing depends on what was installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install lint typecheck schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

DEMO_DIR := out/demo
DEMO_DB := sqlite:///$(CURDIR)/$(DEMO_DIR)/registry.db

demo: $(STAMP)
	$(BIN)/socialcredit policy check policies/examples
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/socialcredit init --db $(DEMO_DB) --policy policies/examples --as-of 2025-01-01
	$(BIN)/socialcredit registry demo-data --out $(DEMO_DIR)/records --subjects 2000 --seed 1 \
		--include examples/records.jsonl
	while IFS="$$(printf '\t')" read -r file agency; do \
		$(BIN)/socialcredit records submit "$$file" --agency "$$agency" --db $(DEMO_DB) || exit 1; \
	done < $(DEMO_DIR)/records/agencies.tsv
	$(BIN)/socialcredit registry tick --as-of 2025-06-01 --db $(DEMO_DB)
	$(BIN)/socialcredit subject show 11010519491231002X --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit check 11010519491231002X flight-booking --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit audit verify --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

# A quick run while developing: lint, layers, and the tests not marked slow or spark (both
# databases still). `make test` (and CI) runs everything.
test-fast: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	$(BIN)/pytest -q -x -m "not slow and not spark"

schema: $(STAMP)
	$(BIN)/socialcredit policy schema > schema/policy.schema.json

clean:
	rm -rf $(VENV)
