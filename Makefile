# The public contracts: make install, make run, make test (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run build test chromium benchmarks clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests; never a browser download of a test tool's own. With it, Pango and a
# font for WeasyPrint (carbon reduction plan PDFs), and poppler-utils, whose pdftoppm and pdftotext test them.
chromium: /usr/bin/chromium
/usr/bin/chromium:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils >/dev/null

build: install
	$(PY) build.py

run: build
	PORTAL_BASE_URL=http://$(HOST):$(PORT) $(VENV)/bin/flask --app portal run --host $(HOST) --port $(PORT)

test: install chromium
	$(PY) -m pytest

benchmarks: build chromium
	$(PY) benchmarks/run.py

clean:
	rm -rf build var .pytest_cache
