# lawgovkit: two commands on a new machine (see README.md)
#   make report   creates .venv, installs .[all], runs the main job on seeds/ -> build/report/
#   make test     creates .venv if needed, runs every test: pytest over tests/ and nbval over notebooks/
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= build/report

.PHONY: venv report test lint format lab bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all]'
	@touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/lawgovkit report seeds --out $(OUT)
	@echo "The report is in $(OUT)/index.html"

# One pytest run: unit tests and the notebooks (nbval compares every stored output).
# pytest exits 5 when it collected nothing; make treats that as the failure it is.
test: $(STAMP)
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-sanitize-with notebooks/sanitize.cfg

lint: $(STAMP)
	$(BIN)/ruff check lawgovkit tests benchmarks
	$(BIN)/ruff format --check lawgovkit tests benchmarks

format: $(STAMP)
	$(BIN)/ruff check --fix lawgovkit tests benchmarks
	$(BIN)/ruff format lawgovkit tests benchmarks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

# Accuracy on the development set beside the checkout (../shared/corpora): gold scores and
# whole-corpus checks, a table and one JSON line (benchmarks/accuracy/README.md).
.PHONY: accuracy
accuracy: $(STAMP)
	$(BIN)/python benchmarks/accuracy/run.py

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
