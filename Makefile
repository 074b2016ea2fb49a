# account_dispute: demo server and test suite on Odoo 18 and PostgreSQL.
# Odoo 18.0 must be importable by $(PYTHON) (see README.md, "Prerequisites").

PYTHON ?= python3
PGHOST ?= 127.0.0.1
PGPORT ?= 5432
PGUSER ?= $(shell id -un)
DB_DEMO ?= account_dispute_demo
DB_TEST ?= account_dispute_test
DB_UPGRADE ?= $(DB_TEST)_upgrade
DB_WHEEL ?= $(DB_TEST)_wheel
# The release that make test-upgrade upgrades from: a git ref of this
# repository, the commit of the last release (18.0.1.5.0) until releases are
# tagged.
UPGRADE_FROM ?= f0350d2
HTTP_PORT ?= 8069

MODULE := account_dispute
# Outside the repository, so that the link to it does not contain itself.
BUILD := $(or $(TMPDIR),/tmp)/$(MODULE)-build.$(shell echo '$(CURDIR)' | cksum | cut -d' ' -f1)
ADDONS := $(BUILD)/addons
CONF := $(BUILD)/odoo.conf
FROM_ADDONS := $(BUILD)/from-addons
FROM_CONF := $(BUILD)/from.conf
WHEEL_DIR := $(BUILD)/dist
ODOO := $(PYTHON) -m odoo -c $(CONF)
PSQL_ENV := PGHOST=$(PGHOST) PGPORT=$(PGPORT) PGUSER=$(PGUSER)

# make test-prod: Odoo's production server (prefork) on databases $(DB_PROD)_*,
# one HTTP port and one gevent port per server run (two runs).
DB_PROD ?= $(DB_TEST)_prod
PROD_HTTP_PORTS ?= 8169,8170
PROD_GEVENT_PORTS ?= 8172,8173
PROD_ARGS ?=
PROD_NIGHTLY := $(PYTHON) tests/prod_nightly.py -c $(CONF) --http-ports $(PROD_HTTP_PORTS) \
  --gevent-ports $(PROD_GEVENT_PORTS)

N ?= 10000
DB_BENCH ?= account_dispute_bench_$(N)
BENCH_ARGS ?=
DB_BENCH_PROD ?= account_dispute_bench_prod
# Odoo's own tests that must pass with the addon installed (make test-odoo).
ODOO_TESTS_INVOICES := /account:TestAccountMoveOutInvoiceOnchanges,/account:TestAccountPaymentTerms
ODOO_TESTS_PAYMENTS := /account:TestAccountPayment,/account:TestAccountPaymentRegister
# Odoo's test_resequence_change_payment_name expects a payment dated 2025: it
# fails after 2025 with or without this addon.
ODOO_TESTS_DATED := -/account:TestAccountPayment.test_resequence_change_payment_name
ODOO_TESTS ?= $(ODOO_TESTS_INVOICES),$(ODOO_TESTS_PAYMENTS),/account:TestAccountMoveReconcile,$(ODOO_TESTS_DATED)

.PHONY: help check-odoo deps addons lint readme wheel test-db test test-wheel test-upgrade \
  test-prod test-odoo pot demo bench bench-prod clean

help:
	@echo "make demo       fresh demo database $(DB_DEMO), then Odoo on 127.0.0.1:$(HTTP_PORT) (admin/admin)"
	@echo "make test       lint, fresh database $(DB_TEST), the test suite (pytest-odoo), then test-wheel, test-upgrade and test-prod"
	@echo "make wheel      the wheel odoo-addon-$(MODULE) (whool, without the tooling) in $(WHEEL_DIR)"
	@echo "make test-wheel install the wheel in a fresh virtual environment, then the addon from it"
	@echo "make readme     README.rst and static/description/index.html from the fragments in readme/"
	@echo "make test-upgrade  install UPGRADE_FROM=$(UPGRADE_FROM) with demo data, upgrade to this tree, check nothing was lost"
	@echo "make test-prod  the nightly dunning of 300 letters on Odoo's prefork server, 1 then 2 cron workers"
	@echo "make test-odoo  Odoo's own invoice and payment term tests with the addon installed"
	@echo "make pot        refresh i18n/$(MODULE).pot from the test database"
	@echo "make bench N=10000  benchmark on a fresh database of N invoices (see benchmarks/README.md)"
	@echo "make bench-prod letters sent per minute on the prefork server, letter PDF against invoice PDF"

check-odoo:
	@$(PYTHON) -c "import odoo.release as r, sys; sys.exit(r.version_info[0] != 18)" 2>/dev/null || { \
	  echo "Odoo 18.0 is not importable by '$(PYTHON)'."; \
	  echo "Install Odoo 18.0 community from its source (git branch 18.0 of odoo/odoo) with"; \
	  echo "  $(PYTHON) -m pip install -e <odoo checkout> --config-settings editable_mode=compat"; \
	  echo "and its requirements, or name another interpreter: make test PYTHON=/path/to/python."; \
	  exit 1; }

deps: check-odoo
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt

# Odoo finds the addon by its technical name, whatever this folder is called.
addons: check-odoo
	@mkdir -p $(ADDONS)
	@ln -sfn $(CURDIR) $(ADDONS)/$(MODULE)
	@$(PYTHON) -c "from odoo.tools import config; config._parse_config([]); \
	print('[options]'); \
	print('addons_path = ' + ','.join([config['addons_path'], '$(ADDONS)'])); \
	print('db_host = $(PGHOST)'); print('db_port = $(PGPORT)'); print('db_user = $(PGUSER)'); \
	print('data_dir = $(BUILD)/data'); print('http_interface = 127.0.0.1'); \
	print('http_port = $(HTTP_PORT)')" > $(CONF)

lint: deps addons
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	cd $(ADDONS) && $(PYTHON) -m pylint --rcfile=$(CURDIR)/.pylintrc-mandatory $(MODULE)
	$(PYTHON) tools/gen_readme.py --check

# README.rst and static/description/index.html, generated from readme/ as the
# OCA's oca-gen-addon-readme does; make lint fails when they are out of date.
readme: deps
	$(PYTHON) tools/gen_readme.py

# The wheel, as the OCA builds it (pyproject.toml: whool), without the tooling.
wheel:
	rm -rf $(WHEEL_DIR)
	$(PYTHON) -m pip wheel --no-deps --quiet --disable-pip-version-check -w $(WHEEL_DIR) .

test-db: addons
	$(PSQL_ENV) dropdb --if-exists $(DB_TEST)
	$(ODOO) -d $(DB_TEST) -i $(MODULE) --without-demo=all --stop-after-init --log-level=warn

# pytest runs from the addons folder so that the tests import as odoo.addons.$(MODULE).
test: lint test-db
	cd $(ADDONS) && $(PYTHON) -m pytest -p no:cacheprovider --odoo-config=$(CONF) \
	  --odoo-database=$(DB_TEST) --odoo-http $(MODULE)/tests
	$(MAKE) --no-print-directory test-wheel
	$(MAKE) --no-print-directory test-upgrade
	$(MAKE) --no-print-directory test-prod

# The wheel in a fresh virtual environment that sees Odoo, then the addon
# installed from it on a fresh database $(DB_WHEEL) (tools/test_wheel.py, run
# from tools/ with its pytest.ini: the repository is no Python package).
test-wheel: deps wheel
	cd tools && $(PSQL_ENV) WHEEL_DIR=$(WHEEL_DIR) DB_WHEEL=$(DB_WHEEL) $(PYTHON) -m pytest \
	  -p no:cacheprovider -p no:odoo test_wheel.py

# Odoo's production server in prefork mode with its default limits runs the
# nightly dunning of 300 customers, with one then two cron workers
# (tests/prod_nightly.py says what it checks); about 15 minutes.
test-prod: addons
	$(PROD_NIGHTLY) -d $(DB_PROD) $(PROD_ARGS)

# The release UPGRADE_FROM, installed with its demo data and edited as a user
# would, is upgraded to this tree; tests/upgrade_check.py compares before/after.
test-upgrade: addons
	rm -rf $(FROM_ADDONS) && mkdir -p $(FROM_ADDONS)/$(MODULE)
	git archive $(UPGRADE_FROM) | tar -x -C $(FROM_ADDONS)/$(MODULE)
	sed 's|$(ADDONS)|$(FROM_ADDONS)|' $(CONF) > $(FROM_CONF)
	$(PSQL_ENV) dropdb --if-exists $(DB_UPGRADE)
	$(PYTHON) -m odoo -c $(FROM_CONF) -d $(DB_UPGRADE) -i $(MODULE) --stop-after-init \
	  --log-level=warn
	$(PYTHON) tests/upgrade_check.py -c $(FROM_CONF) -d $(DB_UPGRADE) --record $(BUILD)/upgrade.json
	$(ODOO) -d $(DB_UPGRADE) -u $(MODULE) --stop-after-init --log-level=warn
	$(PYTHON) tests/upgrade_check.py -c $(CONF) -d $(DB_UPGRADE) --check $(BUILD)/upgrade.json

# Odoo's own tests on invoices and payment terms, with this addon installed.
test-odoo: deps addons
	$(PSQL_ENV) dropdb --if-exists $(DB_TEST)_odoo
	$(ODOO) -d $(DB_TEST)_odoo -i $(MODULE) --without-demo=all --stop-after-init --log-level=test \
	  --test-enable --test-tags=$(ODOO_TESTS)

# Refresh the translation template from the test database (after make test-db).
pot: addons
	$(ODOO) -d $(DB_TEST) --i18n-export=$(CURDIR)/i18n/$(MODULE).pot --modules=$(MODULE) \
	  --stop-after-init --log-level=warn

# The French chart (l10n_fr_account, Odoo community) first, so that the demo's
# company, Mobilier Dupont SAS, is on it; the addon does not depend on it.
demo: deps addons
	$(PSQL_ENV) dropdb --if-exists $(DB_DEMO)
	$(ODOO) -d $(DB_DEMO) -i l10n_fr_account --load-language=fr_FR --stop-after-init --log-level=warn
	$(ODOO) -d $(DB_DEMO) -i $(MODULE) --stop-after-init --log-level=warn
	$(ODOO) -d $(DB_DEMO) --db-filter='^$(DB_DEMO)$$'

# The OCA's account_credit_control is installed beside the addon, for comparison.
bench: addons
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	$(PSQL_ENV) dropdb --if-exists $(DB_BENCH)
	$(ODOO) -d $(DB_BENCH) -i $(MODULE),account_credit_control --without-demo=all \
	  --stop-after-init --log-level=warn
	$(PYTHON) benchmarks/bench.py -c $(CONF) -d $(DB_BENCH) -n $(N) $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-prod

# The nightly run of make test-prod, its figures kept; then one letter's PDF
# beside Odoo's invoice PDF (median of 10 each) on the same server.
bench-prod: addons
	$(PROD_NIGHTLY) -d $(DB_BENCH_PROD) --bench $(BUILD)/bench-prod.json \
	  --pdf-runs 10 $(PROD_ARGS)

clean:
	rm -rf $(BUILD)
