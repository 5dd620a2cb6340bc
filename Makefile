# Two commands: `make run` serves the demo event, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHOWCASE_DB ?= showcase.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	@if [ ! -f "$(SHOWCASE_DB)" ]; then \
		$(BIN)/showcase init "$(SHOWCASE_DB)" --demo && \
		$(BIN)/showcase admin add "$(SHOWCASE_DB)" admin; \
	fi
	$(BIN)/showcase serve --db "$(SHOWCASE_DB)" --host "$(HOST)" --port "$(PORT)" --print-links

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python bench/scoring.py

# Refreshes the message catalogs from the templates and the code.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".*" -k _ -k gettext -k ngettext:1,2 --no-location --sort-output --no-wrap -o showcase/locales/messages.pot .
	$(BIN)/pybabel update -i showcase/locales/messages.pot -d showcase/locales -N --no-wrap --ignore-obsolete

clean:
	rm -rf $(VENV) build *.egg-info
