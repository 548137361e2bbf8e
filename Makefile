# Quick start: `make demo` (set-up + the main job on an embedded image) and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
# The pin lives here, not in the package: this machine's local CPU build of torch (a looser spec pulls CUDA).
TORCH  ?= torch==2.13.0
STAMP  := $(VENV)/.installed
BASE   := $(VENV)/.installed-base

.PHONY: setup demo test export clean-nbs readme bench lab notebooks docs

setup: $(STAMP)

# What the demo needs: torch and the package (no Ray, Playwright or JupyterLab); the rest comes with `make setup`.
$(BASE): setup.py settings.ini
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH)"
	$(PY) -m pip install -q -e .
	touch $@

$(STAMP): $(BASE)
	$(PY) -m pip install -q -e ".[dev,notebooks]"
	touch $@

demo: $(BASE)
	$(BIN)/deepred demo -o demo_out

# Notebooks are the source: they must be clean and in sync with deepred/, then their tests and pytest run.
test: setup
	PATH=$(BIN):$$PATH bash tools/check_sync.sh
	cd nbs && ../$(BIN)/nbdev_test --path . --n_workers 1
	$(BIN)/python -m pytest -q --durations=25 tests

export: setup
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(PY) tools/make_readme.py && $(PY) tools/make_sources.py

# The notebooks keep their outputs (tables, figures): the documentation shows them. Slow cells keep the ones they have.
notebooks: setup
	$(PY) tools/run_notebooks.py

# The documentation site in _docs/ from the notebooks as they are stored (nbdev_docs where Quarto is installed).
docs: setup
	$(PY) tools/build_docs.py

readme: setup
	$(PY) tools/make_readme.py

# The notebooks are the documentation: open them in JupyterLab (the tuner's widgets included).
lab: setup
	$(BIN)/jupyter lab nbs/

bench: setup
	$(PY) benchmarks/bench_iteration.py
