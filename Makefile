# attnviz: `make run` installs and starts the app; `make test` installs and runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test lint format bench data data-austen train debian clean docs

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's packages: Chromium for the browser tests (Playwright cannot download its own
# browser here); Apertium, lttoolbox, the Ding dictionary and WordNet build the translation corpus;
# HAProxy balances `python -m attnviz serve` (docs/DEPLOY.md).
DEBIAN_PACKAGES := chromium apertium apertium-eng-spa lttoolbox-dev trans-de-en wordnet-base haproxy

debian:
	@command -v chromium >/dev/null && command -v lt-print >/dev/null \
		&& { command -v haproxy >/dev/null || test -x /usr/sbin/haproxy; } \
		&& test -d /usr/share/apertium/apertium-eng-spa && test -e /usr/share/trans/de-en \
		&& test -e /usr/share/wordnet/data.noun || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q $(DEBIAN_PACKAGES); }

# On this computer only (loopback); any model folder may be opened from the browser, as
# ATTNVIZ_MODEL_ROOTS is left as you set it. README.md, "Serving a class", opens it to a room.
run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

test: $(VENV)/.dev debian
	$(PY) -m pytest

# The README's screenshots, taken by the browser tests that draw those views.
docs: $(VENV)/.dev debian
	ATTNVIZ_DOCS=1 $(PY) -m pytest -q tests/browser/test_heads_browser.py \
		tests/browser/test_translate_browser.py tests/browser/test_presentation_browser.py

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(VENV)/.dev
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The English-Spanish corpus (data/corpus, not committed) and the shipped translators.
data: $(VENV)/.dev debian
	$(PY) -m attnviz.training data

# Jane Austen's novels for gpt-austen (data/austen; needs Debian's r-cran-janeaustenr).
data-austen: $(VENV)/.dev
	$(PY) -m attnviz.training data austen

train: $(VENV)/.dev
	$(PY) -m attnviz.training train all
