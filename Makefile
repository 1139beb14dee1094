# Leerstad — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Both cores; tests of one class stay on one worker so setUpTestData runs once.
PYTEST_ARGS ?= -n auto --dist loadscope

.DEFAULT_GOAL := help

# Python compiles each module the first time it imports it and keeps the byte-code for the next command. Where
# PYTHONDONTWRITEBYTECODE is set, nothing is kept, and every command make runs (pip, migrate, load_demo, the server
# and its reloader, each test worker) compiles Django and Wagtail again, some 2 s each; make keeps the byte-code
# under .venv/pycache then, so the source tree stays free of it as that setting wants.
ifneq ($(PYTHONDONTWRITEBYTECODE),)
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/$(VENV)/pycache
endif

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

# The portal alone (make run) installs the runtime dependencies; make install and make test add the development
# tools. pip shows its progress; byte-code is compiled on first import instead of for every installed file.
PIP_INSTALL := $(BIN)/python -m pip install --no-compile --progress-bar on --disable-pip-version-check
RUN_STAMP := $(VENV)/.installed-run

$(RUN_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Leerstad needs Python 3.11 or newer."; exit 1; }
	@echo "$(STEP_INSTALL)Installing Leerstad into $(VENV) (first run only)…"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e .
	@touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	@echo "Installing the development tools into $(VENV)…"
	$(PIP_INSTALL) -e ".[dev]"
	@touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install Leerstad with its development tools

.PHONY: messages
messages: $(STAMP) ## Compile the translation catalogues in locale/
	$(BIN)/python manage.py compilemessages --ignore=.venv --locale nl --locale en --locale fr

.PHONY: makemessages
makemessages: $(STAMP) ## Extract new interface strings into locale/*/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages --locale nl --locale en --locale fr --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench --ignore=tests

# The NL Design System's CSS (the Utrecht component library) is vendored into static/leerstad/vendor/utrecht/ and
# committed: only changing its version or the list of components in css.mjs needs Node and npm.
.PHONY: css
css: ## Vendor the NL Design System CSS from package-lock.json into static/ (needs Node and npm)
	npm ci --no-audit --no-fund && node css.mjs

.PHONY: migrate
migrate: $(RUN_STAMP) ## Create or update the database
	@echo "$(STEP_MIGRATE)Creating or updating the database…"
	$(BIN)/python manage.py migrate --no-input

# Where the portal is served; the demo's absolute links (feeds, API, JSON-LD, sitemap) point here.
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: demo
demo: migrate ## Load the demo learning city (idempotent) and make an admin login
	@echo "$(STEP_DEMO)Loading the demo learning city…"
	$(BIN)/python manage.py load_demo --site-url $(SITE_URL)

.PHONY: run
run: STEP_INSTALL := 1/4 
run: STEP_MIGRATE := 2/4 
run: STEP_DEMO := 3/4 
run: demo ## Install, migrate, load the demo and serve it at http://127.0.0.1:$(PORT) (PORT=8000)
	@echo "4/4 Starting the server…"
	@echo ""
	@echo "Leerstad runs at $(SITE_URL)/ — admin at $(SITE_URL)/admin/ (login: admin / leerstad-demo)"
	@echo ""
	WAGTAILADMIN_BASE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

.PHONY: screenshots
screenshots: install ## PNGs of the agenda and an event for README.md, from the portal make run serves (PORT=8000)
	$(BIN)/python docs/screenshots.py --base-url $(SITE_URL)

# The browser tests drive Debian's Chromium with Playwright (never a downloaded browser).
.PHONY: browser
browser: ## Install Debian's chromium for the browser tests when it is missing (needs apt-get as root; CI fails without)
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [ -n "$$LEERSTAD_CHROMIUM" ] || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	  elif [ -n "$$CI" ]; then \
	    echo "No Chromium, and CI must run the browser tests: install chromium or set LEERSTAD_CHROMIUM."; exit 1; \
	  else \
	    echo "No Chromium: the browser tests are skipped (install chromium, or set LEERSTAD_CHROMIUM to a Chrome binary)."; \
	  fi; }

# The iCalendar feed is also read by ical.js (tests/events/icaljs_check.mjs), a devDependency in package.json. npm ci
# runs again only when package-lock.json changes (or node_modules/ is gone, as after make css).
NPM_STAMP := node_modules/.installed

$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

.PHONY: npm
npm: ## Install the npm packages the tests use (ical.js) when Node and npm are there (CI fails without)
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
	  $(MAKE) --no-print-directory --silent $(NPM_STAMP); \
	elif [ -n "$$CI" ]; then \
	  echo "No Node.js and npm, and CI must check the calendar feed with ical.js: install nodejs and npm."; exit 1; \
	else \
	  echo "No Node.js and npm: the ical.js check of the calendar feed is skipped (install nodejs and npm)."; \
	fi

.PHONY: test
test: install browser npm ## Run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=leerstad_site.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The newest releases of the libraries whose internals or young APIs this project leans on (learningcity/compat.py,
# Wagtail's v3 API on django-ninja, django-filter's FilterSet), in a venv of their own; Django stays on 5.2.
LATEST_VENV := .venv-latest
LATEST_PACKAGES := wagtail django-ninja django-filter
LATEST_PIN := Django>=5.2,<5.3

.PHONY: test-latest
test-latest: ## Run the suite against the newest Wagtail, django-ninja and django-filter (in .venv-latest)
	@test -x $(LATEST_VENV)/bin/python || $(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --no-compile --disable-pip-version-check -q -e ".[dev]"
	@# pip may report that leerstad pins older releases: that is the point of this run.
	$(LATEST_VENV)/bin/python -m pip install --no-compile --disable-pip-version-check -q --upgrade \
		$(LATEST_PACKAGES) "$(LATEST_PIN)"
	@$(LATEST_VENV)/bin/python -m pip list --disable-pip-version-check 2>/dev/null \
		| grep -iE '^(django|wagtail|wagtail-localize|django-ninja|django-filter|django-modelcluster|django-treebeard) '
	$(LATEST_VENV)/bin/python manage.py makemigrations --check --dry-run --settings=leerstad_site.settings.test
	$(LATEST_VENV)/bin/python -m pytest $(PYTEST_ARGS)

SIZE ?= 1000

.PHONY: bench-http
bench-http: install ## gunicorn + wrk: req/s, latency, queries and worker memory, cache on and off (EVENTS=10000)
	$(BIN)/python bench/load.py --events $(or $(EVENTS),10000)

.PHONY: bench
bench: install ## Agenda (1k and 10k events; SIZE=100000 adds 100k), site search and report benchmarks, throw-away databases
	$(BIN)/python bench/agenda.py $(sort 1000 10000 $(SIZE))
	$(BIN)/python bench/search.py
	$(BIN)/python bench/report.py

.PHONY: bench-search
bench-search: install ## Site search benchmark: 10k events, 1k partners, on PostgreSQL when one answers (see bench/search.py)
	$(BIN)/python bench/search.py

.PHONY: lint
lint: install ## Check the code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: clean
clean: ## Remove the virtual environment and local data (var/)
	rm -rf $(VENV) var
