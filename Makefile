# The public contracts: make install, make run, make test (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run build test system-packages benchmarks bench clean add-officer disable-officer lock

install: $(VENV)/.installed $(VENV)/checkov/.installed $(VENV)/sam/.installed node_modules/.installed

# constraints.txt pins every distribution, requirements of requirements too, so that every machine gets the
# versions that the tests ran against and that infra/lambda-lock.txt hashes. make lock refreshes both.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]' --constraint constraints.txt
	touch $@

# The infrastructure tools (checkov, the SAM CLI) pin their own boto3 and more, so each gets an environment of its
# own inside .venv, from infra/<tool>-requirements.txt.
$(VENV)/%/.installed: infra/%-requirements.txt | $(VENV)/.installed
	$(PYTHON) -m venv $(VENV)/$*
	$(VENV)/$*/bin/pip install --quiet -r $<
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's packages the tests need: Chromium for the browser tests (never a test tool's own browser download);
# Pango and a font for WeasyPrint (carbon reduction plan PDFs); poppler-utils, whose pdftoppm and pdftotext test them.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

system-packages:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

build: install
	$(PY) build.py

# make run serves the functions from their code, so it builds the site alone, not their Lambda packages.
run: install
	$(PY) build.py --site-only
	PORTAL_BASE_URL=http://$(HOST):$(PORT) PORTAL_SEND_EMAIL_EVERY=$${PORTAL_SEND_EMAIL_EVERY:-30} $(VENV)/bin/flask --app portal run --host $(HOST) --port $(PORT)

# make add-officer EMAIL=you@council.gov.uk [ROLE=admin]: an officer, and a sign-in link for `make run`'s address.
add-officer: install
	$(VENV)/bin/flask --app portal add-officer "$(EMAIL)" --role $(or $(ROLE),viewer) --base-url http://$(HOST):$(PORT)

# make disable-officer EMAIL=you@council.gov.uk: they can no longer sign in, and their open sessions end now.
disable-officer: install
	$(VENV)/bin/flask --app portal disable-officer "$(EMAIL)"

# The installs are mostly downloads, so they run side by side. The tests run in a process per core (at most 4),
# a file's tests in one process, so that the fixtures a file shares are made once.
test:
	$(MAKE) --jobs=4 install system-packages
	$(PY) -m pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile

benchmarks: build system-packages
	$(PY) benchmarks/run.py

# The load test: 200 suppliers saving answers for 60 s, on the file store and on S3 (moto), about 3 minutes.
bench: build $(VENV)/.bench-installed
	$(PY) benchmarks/load.py

$(VENV)/.bench-installed: pyproject.toml constraints.txt | $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,bench]' --constraint constraints.txt
	touch $@

# After changing a version in pyproject.toml: resolve every dependency afresh in a scratch environment, pin what
# it installed, install that here, and lock the Lambda wheels to match (docs/deploy.md, "The lock of the functions' wheels").
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet '.[test,bench]'
	{ echo "# Every distribution make install installs, at the version the tests ran against. Made by make lock."; \
	  build/lock-venv/bin/pip freeze --exclude social-value-portal; } > constraints.txt
	rm -rf build/lock-venv
	$(MAKE) install
	$(PY) build.py --lock

clean:
	rm -rf build var .pytest_cache
