# archlib: every target bootstraps the same environment first (.venv + Graphviz).
PYTHON ?= python3
# The environment every target uses: .venv, or the active conda environment made from
# environment.yml (named archlib), or any other: make test VENV=.venv-py3.13 PYTHON=python3.13
VENV   ?= $(if $(filter archlib,$(CONDA_DEFAULT_ENV)),$(CONDA_PREFIX),.venv)
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.archlib-installed
SCENARIOS ?= scenarios/*.yaml
OUT    ?= output

.DEFAULT_GOAL := help
.PHONY: help bootstrap graphviz report test lab lint notebooks bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

graphviz: ## Make sure Graphviz's dot exists (installs Debian's graphviz as root)
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Graphviz (apt-get install -y graphviz)"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q graphviz; \
	  else \
	    echo "Graphviz's dot is missing. Run: sudo apt-get install -y graphviz" \
	         "(or: conda install -c conda-forge graphviz)"; exit 1; \
	  fi; }

bootstrap: $(STAMP) graphviz ## Create .venv (pip install -e '.[dev]') and check Graphviz
	@$(BIN)/python -m compileall -q archlib >/dev/null  # bytecode: faster report start-up

report: bootstrap ## Batch reports for the bundled scenarios into output/ (WORKERS=N to set)
	$(BIN)/archlib report $(SCENARIOS) --out $(OUT) $(if $(WORKERS),--workers $(WORKERS))

# One pytest worker per core (pytest-xdist), a test file's tests on one worker (its module
# fixtures, e.g. a shared batch, are built once). TEST_JOBS= runs them in this process.
TEST_JOBS ?= -n auto --dist loadfile

test: bootstrap ## The whole test suite: unit, CLI, notebooks (papermill and nbval); PYTEST_ARGS=... to narrow, TEST_JOBS= for one process
	$(BIN)/python -m pytest $(TEST_JOBS) $(PYTEST_ARGS)

# The project kernel: the venv's python3 spec, rewritten with the venv's absolute python, so
# the notebooks (kernelspec python3) and papermill run in .venv from any Jupyter.
lab: bootstrap ## JupyterLab on notebooks/ (project kernel, widgets extension checked)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 \
	  --display-name "Python 3 (ipykernel)" >/dev/null
	@$(BIN)/jupyter labextension list 2>&1 \
	  | grep -q '@jupyter-widgets/jupyterlab-manager .*enabled.*OK' || { \
	  echo "The ipywidgets JupyterLab extension is missing or disabled:" \
	       "$(BIN)/pip install -e '.[dev]' (jupyterlab_widgets 3 with ipywidgets 8)"; exit 1; }
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

lint: bootstrap ## ruff (the whole repository) and mypy --strict (archlib, benchmarks)
	$(BIN)/ruff check .
	$(BIN)/mypy

notebooks: bootstrap ## Generate notebooks/*.py from the template and execute them into the .ipynb
	$(BIN)/python -c "from archlib.notebook_template import generate_notebooks; generate_notebooks()"

bench: bootstrap ## Benchmarks against naive baselines (a few minutes); writes benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks --write-results

clean: ## Remove generated output
	find $(OUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
