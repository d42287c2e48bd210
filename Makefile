# DJPK assistant. `make run` and `make test` are the two commands a fresh machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PIP_CACHE_DIR ?= $(HOME)/.cache/djpk-pip
export PYTHONDONTWRITEBYTECODE := 1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

# Python 3.10: python3.10 on PATH (pyenv's shim honours .python-version) or a pyenv install.
PYTHON310 := $(shell for c in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10; do \
	$$c -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$c; break; }; done)

APT_PACKAGES := tesseract-ocr tesseract-ocr-ind libzbar0 chromium faketime
SCALED_APT_PACKAGES := nginx-light supervisor socat  # make run-scaled / test-scaled

.PHONY: help install system-deps system-deps-scaled train run run-scaled test test-scaled lint unit \
	unit-ahead validate stories bench clean lock demo-whatsapp prune mutation

help:
	@echo "make run      install, train if needed, start Rasa (:5005) + actions (:5055)"
	@echo "make test     lint, unit tests, data validation, training, conversation tests"
	@echo "make bench    benchmarks (figures printed, no pass/fail on time)"
	@echo "make run-scaled  two hosts behind nginx on PostgreSQL and Redis (root: ip netns)"
	@echo "make test-scaled the two-host load and failover tests"
	@echo "make mutation mutation testing of the core modules (slow; MODULES='numbers hours' for some)"
	@echo "make demo-whatsapp  the assistant behind a local fake WhatsApp Graph API"
	@echo "make prune    retention and prune jobs once (for cron; the server runs them hourly)"

install: $(VENV)/.installed web/node_modules/.installed

web/node_modules/.installed: web/package.json web/package-lock.json  ## rasa-webchat, served locally
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	@touch $@

$(VENV)/.installed: requirements.lock
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 not found. Install it (e.g. 'pyenv install 3.10') or put python3.10 on PATH." >&2; \
	  exit 1; fi
	@[ -x $(PY) ] || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip wheel
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

lock:  ## re-resolve requirements.in into requirements.lock (run after editing requirements.in)
	$(PY) -m pip install --quiet -r requirements.in
	$(PY) -m pip freeze --exclude-editable > requirements.lock

system-deps:  ## Debian packages for OCR, QR and browser tests (installed only when missing)
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES)"

system-deps-scaled:  ## nginx, supervisor and socat for the two-host stack
	@$(MAKE) --no-print-directory apt PACKAGES="$(SCALED_APT_PACKAGES)"

apt:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

train: install
	$(PY) scripts/train_if_changed.py

run: install train
	./scripts/run.sh

# Two test hosts (network namespaces) behind nginx on 127.0.0.1:8080, sharing PostgreSQL and Redis
# of this machine; one supervisord runs everything (scripts/scaled/). Needs root for `ip netns`.
run-scaled: install train system-deps-scaled
	./scripts/scaled/run.sh

test-scaled: install train system-deps-scaled  ## the two-host load and failover tests
	DJPK_TEST_SCALED=1 $(PY) -m pytest tests/scaled

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

unit: install system-deps train  ## pytest, including the end-to-end tests on the trained model
	$(PY) -m pytest

# The unit tests with the clock a year ahead (Debian's libfaketime): no test may depend on today's
# date. Browser tests stay out (Chromium spins under faketime) and so do the end-to-end servers.
# Its own --basetemp: `make test` runs it beside `unit`, two pytest sessions at once. Outside the
# repository: loaders show paths inside it relative to it, and the tests expect absolute ones.
unit-ahead: install system-deps
	@mkdir -p var
	faketime -f '+365d' $(PY) -m pytest -m "not browser" \
	  --basetemp="$${TMPDIR:-/tmp}/djpk-unit-ahead-$$(id -u)" tests/bot tests/actions tests/components

validate: install
	$(BIN)/rasa data validate
	$(PY) -m bot.kb validate
	$(PY) -m bot.letters validate
	$(PY) scripts/check_calendar.py

stories: train
	$(BIN)/rasa test core --model models/djpk.tar.gz --stories tests/test_stories.yml \
	  --endpoints endpoints.yml --out var/results --fail-on-prediction-errors

# lint first (fails fast); then unit-ahead runs in the background, its output in
# var/unit-ahead.log, while validate, train, unit and stories run in the foreground: the
# year-ahead run needs no model, and the end-to-end tests spend most of their time waiting on
# their servers, so the two share the 2 cores of CI. Both must pass.
test: install system-deps lint
	@mkdir -p var
	@echo "unit-ahead runs alongside (clock a year ahead): var/unit-ahead.log"
	@$(MAKE) --no-print-directory unit-ahead > var/unit-ahead.log 2>&1 & ahead=$$!; \
	$(MAKE) --no-print-directory validate train unit stories; main=$$?; \
	wait $$ahead; ahead_rc=$$?; \
	echo "---- unit-ahead (exit $$ahead_rc), the end of var/unit-ahead.log:"; \
	tail -n 30 var/unit-ahead.log; \
	[ $$main -eq 0 ] && [ $$ahead_rc -eq 0 ]

bench: install system-deps train
	$(PY) bench/run_all.py

# Mutation testing of the core (tools/mutation/: mutmut plus hand-written mutants of module-level
# regexes and constants). One worker, niced; prints each module's score and surviving mutants and
# fails below 90 %. Not part of `make test` (it is slow); run it before calling a change to these
# modules done. MODULES='numbers hours' runs some (names in tools/mutation/modules.py).
MODULES ?=
mutation: install
	nice -n 15 $(PY) tools/mutation/run.py $(MODULES)

demo-whatsapp: install train  ## the assistant on WhatsApp against the local fake Graph API (:8899)
	@echo "fake Graph API on :8899; in another terminal:"
	@echo "  WHATSAPP_APP_SECRET=demo-secret .venv/bin/python -m harness.fakes.send_webhook 'nomor wa djpk berapa'"
	@echo "  curl -s localhost:8899/sent"
	$(PY) -m harness.fakes.fake_graph --port 8899 --token demo-token & fake=$$!; \
	trap "kill $$fake" EXIT; \
	WHATSAPP_GRAPH_URL=http://127.0.0.1:8899/v19.0 WHATSAPP_ACCESS_TOKEN=demo-token \
	WHATSAPP_APP_SECRET=demo-secret WHATSAPP_VERIFY_TOKEN=demo-verify-token \
	WHATSAPP_PHONE_NUMBER_ID=000000000000000 ./scripts/run.sh

# Retention and prune jobs once (the Rasa server also runs them hourly, DJPK_PRUNE_INTERVAL_S).
# For cron: `17 * * * * cd /srv/djpk && make prune >> var/prune.log 2>&1` (exit 1 if a job failed).
prune:
	$(PY) -m bot.maintenance

clean:
	rm -rf var/results models .rasa
