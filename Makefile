# Two commands do everything on a fresh machine (Python >= 3.11 with venv):
#   make reproduce   run every experiment and draw every figure into figures/out/
#                    (make reproduce SMOKE=1: the same at small size; any other value of
#                    SMOKE, e.g. SMOKE=0, or none runs the full size)
#   make test        run the whole test suite
# Both create the virtual environment .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= auto

.PHONY: all reproduce test lint bench clean

all: reproduce

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

reproduce: $(STAMP)
	$(BIN)/crisis reproduce $(if $(filter 1,$(strip $(SMOKE))),--smoke)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# the benchmarks compare with pygambit, installed once (it builds from source, minutes); if it
# cannot be built, the benchmark still runs and marks pygambit's rows as not measured
$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]' || \
		echo "pygambit could not be installed: its benchmark rows will say so"
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks

clean:
	rm -rf results figures/out benchmarks/out .pytest_cache
