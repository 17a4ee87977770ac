# Everyday commands. `make lab` to learn, `make test` to check, `make course` to re-run the notebooks.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: lab test test-long test-fast course lint clean site serve-site test-site

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
test: $(STAMP)  ## unit tests, docstring examples, reference checks and every notebook under nbval
	HPO_LESSONS_PROFILE=quick $(BIN)/python -m pytest -n auto --dist loadfile -m "not long" tests hpo_lessons notebooks \
		--nbval --durations=15

# Reliability runs of minutes each (memory soaks over 100 trials per backend, the GPU check's smoke and
# kill runs): checked by CI after make test, kept out of the command a newcomer runs first.
test-long: $(STAMP)  ## the long reliability runs
	HPO_LESSONS_PROFILE=quick $(BIN)/python -m pytest -n auto -m long tests --durations=5

test-fast: $(STAMP)  ## only the tests not marked slow, no notebooks
	$(BIN)/python -m pytest tests -m "not slow"

course: $(STAMP)  ## rebuild every notebook from notebooks/src and execute it top to bottom (quick profile)
	HPO_LESSONS_PROFILE=quick $(BIN)/python tools/build_course.py

lint: $(STAMP)  ## ruff's checks (settings in pyproject.toml); `ruff check --fix .` repairs what it can
	$(BIN)/ruff check .

# The course as a website: sources in site_src/ (Sphinx, MyST-NB, sphinx-book-theme; the chapters
# are the stored notebooks, never re-executed), built offline into site/html. Warnings are errors.
SITE_STAMP = $(VENV)/.installed-site
SITE_PORT ?= 8000

$(SITE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[site]"
	touch $(SITE_STAMP)

site: $(SITE_STAMP)  ## the course as a website in site/html (entry page site/html/index.html)
	rm -rf site/html site/.doctrees site/jupyter_execute
	$(BIN)/sphinx-build -W --keep-going -b html -d site/.doctrees site_src site/html
	@echo "site: site/html/index.html (make serve-site serves it on http://127.0.0.1:$(SITE_PORT)/)"

serve-site:  ## serve site/html on http://127.0.0.1:8000 (another port: make serve-site SITE_PORT=8080)
	test -f site/html/index.html || $(MAKE) site
	$(BIN)/python -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory site/html

# Every page in headless Chromium (Debian's: apt-get install -y chromium), offline; screenshots
# in site/_screenshots/. Not part of `make test`.
test-site: $(SITE_STAMP)  ## check the built site in a real browser (run make site first)
	$(BIN)/python -m pytest -p no:cacheprovider tools/check_site.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info site site_src/notebooks
