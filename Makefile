# `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-dev translations messages migrate seed lint format bench bench-scale bench-load bench-reports bench-analysis bench-registration bench-announce screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogues (.mo) are build output, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d consult/translations --statistics

# After changing user-visible strings: refresh the catalogues, then translate the
# new entries in consult/translations/pl/LC_MESSAGES/messages.po.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F consult/translations/babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 \
		--ignore-dirs=".venv tests bench migrations" -o consult/translations/messages.pot .
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations --no-fuzzy-matching --ignore-obsolete
	rm consult/translations/messages.pot

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

run: seed
	@echo "Consult is at http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python .ci/typecheck.py
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python .ci/typecheck.py

# Format the tree (make test refuses unformatted code).
format: install-dev
	$(BIN)/ruff format .

bench: install
	PYTHONPATH=. $(BIN)/python bench/consultation_page.py

# Every figure of the scale goals, each against its limit in the same run: the page with 300,
# 3,000 and 30,000 comments from 5,000 organisations, the load test (needs PostgreSQL and Redis)
# and the report files of 1,000 and 10,000 comments. Each builds its own data.
bench-scale: bench bench-load bench-reports

# Comments sent by 50 clients and the public page read by 10, through gunicorn + PostgreSQL + Redis,
# against /healthz in the same run (BENCH_DATABASE_URL, BENCH_REDIS_URL; see the script).
bench-load: install
	PYTHONPATH=. $(BIN)/python bench/load.py

# Time and peak memory of the six report formats for 1,000 and 10,000 comments.
bench-reports: install
	PYTHONPATH=. $(BIN)/python bench/report_exports.py

# Near-duplicate precision/recall and theme agreement on tests/data/analysis, then time and
# peak memory of grouping and themes for 3,000 and 30,000 comments.
bench-analysis: install
	PYTHONPATH=. $(BIN)/python -u bench/analysis.py

# Registration for a known and a new address: the same time (no account enumeration).
bench-registration: install
	PYTHONPATH=. $(BIN)/python bench/registration_timing.py

# Publishing a consultation for 2,000 matching organisations: the request time against a baseline.
bench-announce: install
	PYTHONPATH=. $(BIN)/python bench/announce_consultation.py

# Pictures of the main pages at phone and desktop width (not committed).
screenshots: install-dev
	PYTHONPATH=. $(BIN)/python tests/e2e/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache
