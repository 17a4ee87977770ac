# Everyday commands. `make lab` to learn, `make test` to check, `make course` to re-run the notebooks.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: lab test test-fast course lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,compare,distributed]"
	touch $(STAMP)

# JupyterLab refuses to run as root unless told; containers often run as root.
ROOT_FLAG = $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## start JupyterLab on the course
	$(BIN)/jupyter lab notebooks/ $(ROOT_FLAG)

# One pytest worker per core; --dist loadfile keeps each notebook's cells in order in one kernel.
# conftest.py gives nbval the course's sanitize file and the current environment's kernel.
# Most tests (and every notebook kernel) keep one core busy, so two cores finish in about 12
# minutes instead of 19.
test: $(STAMP)  ## unit tests, reference checks and every notebook under nbval
	HPO_LESSONS_PROFILE=quick $(BIN)/python -m pytest -n auto --dist loadfile tests notebooks --nbval --durations=15

test-fast: $(STAMP)  ## only the tests not marked slow, no notebooks
	$(BIN)/python -m pytest tests -m "not slow"

course: $(STAMP)  ## rebuild every notebook from notebooks/src and execute it top to bottom (quick profile)
	HPO_LESSONS_PROFILE=quick $(BIN)/python tools/build_course.py

lint: $(STAMP)  ## ruff's checks (settings in pyproject.toml); `ruff check --fix .` repairs what it can
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
