# The two commands of the README: `make run` (set up and serve) and `make test`.
# Dependencies are installed from requirements.lock (exact versions and hashes); `make lock`
# updates it after a change to pyproject.toml, `make lock-upgrade` moves every pin to the newest
# version the ranges allow (docs/drift.md, «Avhengigheter»).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
PIP_COMPILE := $(BIN)/pip-compile --quiet --extra test --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

.PHONY: run test install clean lock lock-upgrade

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check || { echo "requirements.lock mangler noe fra pyproject.toml: kjør make lock"; exit 1; }
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py bootstrap --create-admin
	@# The background worker (e-mail, Wagtail's index tasks) runs beside the server and stops with it.
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python scripts/audit_dependencies.py $(LOCK)
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

$(BIN)/pip-compile:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "pip-tools>=7.5,<8"

# Keep every pin that still fits pyproject.toml; add and pin what is new.
lock: $(BIN)/pip-compile
	$(PIP_COMPILE)

# Every pin to the newest allowed version: run the tests after, and commit the lock.
lock-upgrade: $(BIN)/pip-compile
	$(PIP_COMPILE) --upgrade

clean:
	rm -rf $(VENV) var
