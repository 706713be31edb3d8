# Municipia: `make run` serves the demo, `make test` runs the suite. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEV    := DJANGO_SETTINGS_MODULE=municipia.settings.dev
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=
CONTRACT_ARGS ?=
MARKERS ?= not browser

.PHONY: run test test-browser contract install install-test migrate demo worker fmt lint messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(DEV) $(BIN)/python -m municipia migrate --noinput

demo: migrate
	$(DEV) $(BIN)/python -m municipia load_demo

run: demo
	$(DEV) $(BIN)/python -m municipia runserver $(HOST)

test: install-test
	$(BIN)/python -m pytest -m "$(MARKERS)" -n auto $(PYTEST_ARGS)

test-browser: install-test
	$(BIN)/python -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

contract: install-test
	$(BIN)/python scripts/api_contract.py $(CONTRACT_ARGS)

worker: install
	$(BIN)/python -m celery -A municipia worker --beat --loglevel=INFO

fmt: install-test
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

messages: install-test
	$(BIN)/python scripts/messages.py
