# greenlane: every target makes or refreshes .venv itself, so a fresh clone needs only
# `make demo` or `make test`. uv comes from PyPI into .tools/ and installs the locked versions.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
RUN := $(UV) run --frozen

.PHONY: install install-spark system demo test lint bench api-fuzz clean

.tools/bin/uv:
	@echo "greenlane: installing uv, the installer, from PyPI into .tools/ (first run only) ..."
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.9"

# Byte-code is compiled at install: where PYTHONDONTWRITEBYTECODE is set (this machine and CI),
# Python would otherwise compile every import anew in every process (13 s to start the CLI).
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	@echo "greenlane: installing the locked dependencies into $(VENV)/ and compiling them"
	@echo "           (first run or after a lock change: 1-3 minutes on a fresh machine) ..."
	@$(UV) sync --frozen --all-groups --compile-bytecode --quiet
	@echo "greenlane: $(VENV)/ is ready"
	@touch $@

# The tests and benchmarks also run the kernel on Spark: the optional extra (PySpark, ~0.5 GB).
$(VENV)/.synced-spark: uv.lock pyproject.toml | $(UV)
	@echo "greenlane: installing the locked dependencies with PySpark into $(VENV)/ and compiling"
	@echo "           them (first run or after a lock change: 2-5 minutes, PySpark is 0.5 GB) ..."
	@$(UV) sync --frozen --all-groups --extra spark --compile-bytecode --quiet
	@echo "greenlane: $(VENV)/ is ready"
	@touch $(VENV)/.synced $@

install: $(VENV)/.synced

install-spark: $(VENV)/.synced-spark

# PostgreSQL running and headless Chromium installed: the tests use both for real.
system:
	bash scripts/ensure_services.sh

# A week of the network planned and accounted, its summary, a key, then the dashboard on
# http://127.0.0.1:8000 until Ctrl+C. With CI=true it exits after the summary.
demo: install
	$(RUN) greenlane demo $(if $(filter true,$(CI)),--no-serve,)

test: install-spark system
	$(RUN) pytest -q

api-fuzz: install
	bash scripts/schemathesis.sh

lint: install-spark
	$(RUN) ruff check src tests benchmarks scripts
	$(RUN) ruff format --check src tests benchmarks scripts
	$(RUN) mypy

bench: install-spark
	bash scripts/ensure_services.sh wrk
	$(RUN) python benchmarks/bench_emissions.py
	$(RUN) python benchmarks/bench_service.py
	$(RUN) python benchmarks/bench_dashboard.py
	$(RUN) python benchmarks/bench_packing.py
	$(RUN) python benchmarks/bench_parcels.py
	$(RUN) python benchmarks/bench_routing.py
	$(RUN) python benchmarks/bench_zone_search.py
	$(RUN) python benchmarks/bench_relief.py
	$(RUN) python benchmarks/bench_energy.py
	$(RUN) python benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) .tools out .pytest_cache .mypy_cache .ruff_cache
