# Two commands set up everything: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the tests need (installed only when missing): the browser, pdftoppm/pdftotext, and PostgreSQL's
# initdb and pg_ctl for the tests that make a private cluster.
TEST_DEBS := chromium poppler-utils postgresql-15 fonts-crosextra-carlito

.PHONY: run test lint deploy-check install install-test messages system-test-deps migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(VENV)/.installed messages

install-test: $(VENV)/.installed-test messages system-test-deps

# Compiled catalogues are build output, not committed: Babel compiles them without GNU gettext.
messages: $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --directory src/arvio/locale --statistics 2>&1 | grep -v '^$$' || true

system-test-deps:
	@missing=""; for deb in $(TEST_DEBS); do dpkg -s $$deb >/dev/null 2>&1 || missing="$$missing $$deb"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

migrate: install
	$(BIN)/arvio migrate --noinput

# The demo publishes the 2024 report (as staff publish it) and prints the staff logins, the answer links, a
# feedback link and the published report's address, on the address the server is about to listen on.
demo: migrate
	ARVIO_BASE_URL=$${ARVIO_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/arvio demo

# The server and, beside it, the mail worker (docs/deployment.md): Ctrl-C or the server's end stops both.
run: demo
	@$(BIN)/arvio db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	ARVIO_BASE_URL=$${ARVIO_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/arvio runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff for lint and format, import-linter for the layers (docs/development.md).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/arvio makemigrations --check --dry-run

# Django's deployment checklist with the production settings of docs/deployment.md (placeholder secrets).
deploy-check: install
	ARVIO_ENV=production SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=arvio.example.fi ARVIO_BASE_URL=https://arvio.example.fi \
	DATABASE_URL=postgres://arvio:arvio@127.0.0.1:5432/arvio \
	EMAIL_HOST=smtp.example.fi EMAIL_PORT=587 EMAIL_USE_TLS=true DEFAULT_FROM_EMAIL=arvio@example.fi \
	ARVIO_VAR_DIR=$$(mktemp -d) $(BIN)/arvio check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
