# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
LOCAL_ENV := var/local.env

.PHONY: run test suite lint install install-dev migrate sample worker beat clean help messages bench fuzz load

help:
	@echo "make run   - install, migrate, load the sample program, serve http://127.0.0.1:$(PORT)/"
	@echo "make test  - install test tools, lint, check, run the whole test suite"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.run-installed $@

# axe-core for the browser tests' accessibility pass, pinned by the lock file.
tests/e2e/node_modules/.installed: tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.run-installed
install-dev: $(VENV)/.dev-installed

$(LOCAL_ENV): | $(PY)
	$(PY) -m redirection.localenv $(LOCAL_ENV)

migrate: install $(LOCAL_ENV)
	$(PY) manage.py migrate --noinput

sample: migrate
	@if [ -d programs/sample ]; then $(PY) manage.py load_program programs/sample; fi

run: sample
	DEMO_DATA=true $(PY) manage.py demo_statistics
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(VENV)/bin/gunicorn redirection.wsgi --config deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

# Lint runs beside the suite (the suite waits on servers and browsers; lint fills the gaps):
# either failing fails `make test`.
test: install-dev tests/e2e/node_modules/.installed
	@$(MAKE) --no-print-directory -j2 --output-sync=line lint suite

suite: install-dev
	DJANGO_SETTINGS_MODULE=redirection.test_settings $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=redirection.test_settings $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadfile

# API fuzzing, longer than the bounded run in `make test`: 50 examples per operation and role
# (anonymous, help-seeker, evaluator), in-process, nothing on the network.
fuzz: install-dev
	FUZZ_EXAMPLES=50 DJANGO_SETTINGS_MODULE=redirection.test_settings $(VENV)/bin/pytest -p no:cacheprovider -s tests/redirection/test_api_fuzz.py

# Load with nothing lost: 200 simulated help-seekers go the whole journey for 60 s against
# gunicorn and PostgreSQL on 127.0.0.1 (BENCH_DATABASE_URL), then every write the server
# acknowledged is looked for in the database. Figures in bench/README.md.
load: install-dev
	$(PY) -m bench.load --users 200 --seconds 60

# For translators and developers: refresh the catalogues (needs GNU gettext), then compile.
messages: install-dev
	DJANGO_SETTINGS_MODULE=redirection.test_settings $(PY) manage.py makemessages --all --no-location --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=bench
	DJANGO_SETTINGS_MODULE=redirection.test_settings $(PY) manage.py compile_catalogues

# Benchmarks (by hand): the step page against a bare Django app with no middleware (the
# physical floor) and a write against a one-insert floor; gunicorn + PostgreSQL, 16 clients.
bench: install
	@command -v wrk >/dev/null || apt-get install --yes wrk
	$(PY) -m bench.step_page
	$(PY) -m bench.step_complete

# The monthly release (SQL, audit, storing) against hand-written SQL computing the same
# figures, and the worker's peak RSS, at 10k and 100k synthetic help-seekers (by hand; the
# 100k database takes about 3 minutes to fill the first time, and is reused after).
.PHONY: bench-release
bench-release: install
	$(PY) -m bench.release_data --profiles 10000
	$(PY) -m bench.release_data --profiles 100000
	$(PY) -m bench.release --profiles 10000 100000

worker: install $(LOCAL_ENV)
	$(VENV)/bin/celery -A redirection worker --loglevel INFO

beat: install $(LOCAL_ENV)
	$(VENV)/bin/celery -A redirection beat --loglevel INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var/static
