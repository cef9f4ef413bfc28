# The commands of the README: `make demo`, `make test` and `make test-fast`. Each installs everything it needs
# into a virtual environment of its own (.venv), so nothing depends on what was installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install lint typecheck schema clean bench-sim

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	# The portal's browser tests drive Debian's Chromium (and need a CJK font); as root, install them.
	if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei; fi
	# The SMS sender's tests start Debian's Kannel with its fake SMS centre (kannel-extras).
	if [ ! -x /usr/sbin/bearerbox ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq kannel kannel-extras; fi
	touch $(STAMP)

install: $(STAMP)

DEMO_DIR := out/demo
DEMO_DB := sqlite:///$(CURDIR)/$(DEMO_DIR)/registry.db

demo: $(STAMP)
	$(BIN)/socialcredit policy check policies/examples
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/socialcredit init --db $(DEMO_DB) --policy policies/examples --as-of 2025-06-01
	$(BIN)/socialcredit registry demo-data --out $(DEMO_DIR)/records --subjects 2000 --seed 1 \
		--until 2025-06-01 --include examples/records.jsonl
	while IFS="$$(printf '\t')" read -r file agency; do \
		$(BIN)/socialcredit records submit "$$file" --agency "$$agency" --db $(DEMO_DB) || exit 1; \
	done < $(DEMO_DIR)/records/agencies.tsv
	$(BIN)/socialcredit links submit examples/links.jsonl \
		--agency "Local administration for market regulation" --db $(DEMO_DB)
	$(BIN)/socialcredit records preview examples/mappings/court-enforcement.csv \
		--mapping examples/mappings/court-enforcement.yaml --rows 3 --db $(DEMO_DB)
	$(BIN)/socialcredit records submit examples/mappings/court-enforcement.csv \
		--mapping examples/mappings/court-enforcement.yaml --agency "The enforcing people's court" \
		--db $(DEMO_DB)
	$(BIN)/socialcredit records preview examples/mappings/market-registration.csv \
		--mapping examples/mappings/market-registration.yaml --rows 3 --db $(DEMO_DB)
	$(BIN)/socialcredit records submit examples/mappings/market-registration.csv \
		--mapping examples/mappings/market-registration.yaml \
		--agency "Local administration for market regulation" --db $(DEMO_DB)
	$(BIN)/socialcredit subject show 11010519491231002X --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit check 91371082MA3C00001H flight-booking --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit check 371082197503150010 flight-booking --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit check 371082197503150010 rail-high-speed --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit check 11010519491231002X flight-booking --db $(DEMO_DB) --purpose "demo"
	$(BIN)/socialcredit principal create airline --role service --service flight-booking \
		--service rail-high-speed --db $(DEMO_DB) > $(DEMO_DIR)/airline-key.txt
	$(BIN)/socialcredit audit keygen --out $(DEMO_DIR)/feed-key.pem
	$(BIN)/socialcredit feeds export --provider airline --day 2025-06-01 --full \
		--out $(DEMO_DIR)/feeds --key $(DEMO_DIR)/feed-key.pem --db $(DEMO_DB)
	$(BIN)/socialcredit feeds verify $(DEMO_DIR)/feeds/airline-2025-06-01-full.manifest.json \
		--public-key $(DEMO_DIR)/feed-key.pem.pub
	$(BIN)/socialcredit audit keygen --out $(DEMO_DIR)/anchor-key.pem
	$(BIN)/socialcredit audit checkpoint --key $(DEMO_DIR)/anchor-key.pem \
		--anchors $(DEMO_DIR)/anchors --db $(DEMO_DB)
	$(BIN)/socialcredit audit verify --db $(DEMO_DB) --anchors $(DEMO_DIR)/anchors \
		--public-key $(DEMO_DIR)/anchor-key.pem.pub

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

# Benchmark-only dependencies (Mesa) are installed for the benchmarks, never for `make test`.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark,bench]'
	touch $(BENCH_STAMP)

bench-sim: $(BENCH_STAMP)
	$(BIN)/python benchmarks/sim.py

schema: $(STAMP)
	$(BIN)/socialcredit policy schema > schema/policy.schema.json
	$(BIN)/python -c "import sys; from socialcredit.sim.scenario import scenario_json_schema_text as t; sys.stdout.write(t())" > schema/scenario.schema.json
	$(BIN)/python -c "import sys; from socialcredit.ingest.mapping_schema import mapping_json_schema_text as t; sys.stdout.write(t())" > schema/mapping.schema.json

clean:
	rm -rf $(VENV)
