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

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Leerstad needs Python 3.11 or newer."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install Leerstad with its development tools

.PHONY: messages
messages: $(STAMP) ## Compile the translation catalogues in locale/
	$(BIN)/python manage.py compilemessages --ignore=.venv --locale nl --locale en --locale fr

.PHONY: makemessages
makemessages: $(STAMP) ## Extract new interface strings into locale/*/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages --locale nl --locale en --locale fr --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests

.PHONY: migrate
migrate: $(STAMP) ## Create or update the database
	$(BIN)/python manage.py migrate --no-input

.PHONY: demo
demo: migrate ## Load the demo learning city (idempotent) and make an admin login
	$(BIN)/python manage.py load_demo

.PHONY: run
run: install messages demo ## Run the portal with demo content at http://127.0.0.1:$(PORT)
	@echo ""
	@echo "Leerstad runs at http://127.0.0.1:$(PORT)/ — admin at http://127.0.0.1:$(PORT)/admin/ (login: admin / leerstad-demo)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

.PHONY: test
test: install ## Run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=leerstad_site.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

SIZE ?= 1000

.PHONY: bench
bench: install ## Agenda benchmark on a throw-away database: 1k and 10k events (SIZE=100000 adds 100k)
	$(BIN)/python bench/agenda.py $(sort 1000 10000 $(SIZE))

.PHONY: lint
lint: install ## Check the code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: clean
clean: ## Remove the virtual environment and local data (var/)
	rm -rf $(VENV) var
