# Two commands matter: `make run` (demo on SQLite) and `make test` (whole suite on PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the demo's e-mails and the QR code in the PDFs it seals point at the demo itself, wherever it
# runs; a PUBLIEKE_URL set in the environment or on the command line wins.
DEMO_URL = $(or $(PUBLIEKE_URL),http://$(HOST):$(PORT))
DEMO := PUBLIEKE_URL='$(DEMO_URL)' $(PY)

.PHONY: run test bench install install-test check-locks lock clean schema

# Install exactly what a lock names: $(call install-lock,PYTHON,LOCK). --no-deps resolves nothing anew;
# pip check then fails when the lock misses a dependency.
install-lock = $(1) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r $(2) \
	&& $(1) -m pip check

$(VENV)/.installed-run: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(call install-lock,$(PY),requirements.lock)
	touch $@

$(VENV)/.installed-test: requirements-test.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(call install-lock,$(PY),requirements-test.lock)
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	scripts/ensure-system-packages.sh
	$(DEMO) manage.py migrate --noinput
	$(DEMO) manage.py laad_referentiedata
	$(DEMO) manage.py maak_zegelcertificaat --als-ontbreekt
	$(DEMO) manage.py laad_demodata
	@echo "De demo draait op http://$(HOST):$(PORT)/ (stoppen met Ctrl+C); links in e-mails en PDF's: $(DEMO_URL)/"
	$(DEMO) manage.py runserver $(HOST):$(PORT)

# Both locks must install on their own (check-locks); scripts/test.sh then runs ruff, then pytest.
test: install-test check-locks
	scripts/test.sh $(TEST_ARGS)

# Install each lock into a fresh venv in a temporary directory, as above, and remove it afterwards.
check-locks:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for lock in requirements.lock requirements-test.lock; do \
		echo "check-locks: $$lock"; \
		$(PYTHON) -m venv "$$tmp/$$lock"; \
		$(call install-lock,"$$tmp/$$lock/bin/python",$$lock) || exit 1; \
	done

# National-scale seed and timings on a throwaway PostgreSQL; writes docs/PERFORMANCE.md (BENCH_ARGS="--snel").
bench: install-test
	scripts/bench.sh $(BENCH_ARGS)

# Regenerate the OpenAPI description of /api/ (tests/test_api.py fails when docs/openapi.yaml is out of date).
schema: install
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn --lang nl

# Regenerate the hashed lock files after changing pyproject.toml.
lock:
	$(PYTHON) -m venv /tmp/uv-lock-tool && /tmp/uv-lock-tool/bin/pip install --quiet uv==0.13.8
	/tmp/uv-lock-tool/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	/tmp/uv-lock-tool/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --quiet -o requirements-test.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
