# dichvucong — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint fmt check clean messages simulators

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The simulators of external systems run beside the app and stop with it: the payment platform (paying fees works;
# it calls this server back at PAYMENT_PUBLIC_BASE_URL), the National Public Service Portal, the SMS gateway, an SMTP
# server (aiosmtpd, printing what it gets), the national identity provider (OpenID Connect single sign-on,
# simulators/idp, own SQLite database under var/idp/), the population registry (simulators/population_registry) and
# the postal carrier (results sent by post; it calls this server back at POSTAL_PUBLIC_BASE_URL), with the outbox worker (no broker: `manage.py integrations_worker`). Demo residents sign in at the provider with
# their CCCD / tax code and the password `demo`.
run: demo
	$(BIN)/python manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
	@$(BIN)/python -m dichvucong.payments.simulator --port $${PAYMENT_SIMULATOR_PORT:-8765} & sim=$$!; \
	$(BIN)/python -m dichvucong.integrations.simulators.national_portal --port $${NATIONAL_PORTAL_SIMULATOR_PORT:-8766} & portal=$$!; \
	$(BIN)/python -m dichvucong.integrations.simulators.sms --port $${SMS_SIMULATOR_PORT:-8767} & sms=$$!; \
	$(BIN)/python -m aiosmtpd -n -c aiosmtpd.handlers.Debugging -l 127.0.0.1:$${SMTP_PORT:-8025} & smtp=$$!; \
	$(BIN)/python simulators/idp/serve.py --port $${IDP_PORT:-8771} --rp-base-url http://127.0.0.1:$(PORT) --redirect-uri http://localhost:$(PORT)/tai-khoan/vneid/callback/ --post-logout-redirect-uri http://localhost:$(PORT)/ & idp=$$!; \
	$(BIN)/python simulators/population_registry/server.py --port $${REGISTRY_PORT:-8772} & reg=$$!; \
	$(BIN)/python -m dichvucong.results.postal_simulator --port $${POSTAL_SIMULATOR_PORT:-8773} & post=$$!; \
	export PAYMENT_PUBLIC_BASE_URL=$${PAYMENT_PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} \
	  PAYMENT_GATEWAY_URL=$${PAYMENT_GATEWAY_URL:-http://127.0.0.1:$${PAYMENT_SIMULATOR_PORT:-8765}} \
	  NATIONAL_PORTAL_URL=$${NATIONAL_PORTAL_URL:-http://127.0.0.1:$${NATIONAL_PORTAL_SIMULATOR_PORT:-8766}} \
	  SMS_GATEWAY_URL=$${SMS_GATEWAY_URL:-http://127.0.0.1:$${SMS_SIMULATOR_PORT:-8767}} \
	  EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.smtp.EmailBackend} \
	  EMAIL_HOST=$${EMAIL_HOST:-127.0.0.1} EMAIL_PORT=$${EMAIL_PORT:-$${SMTP_PORT:-8025}} \
	  OIDC_PROVIDER_URL=$${OIDC_PROVIDER_URL:-http://127.0.0.1:$${IDP_PORT:-8771}} \
	  POPULATION_REGISTRY_URL=$${POPULATION_REGISTRY_URL:-http://127.0.0.1:$${REGISTRY_PORT:-8772}} \
	  POSTAL_CARRIER_URL=$${POSTAL_CARRIER_URL:-http://127.0.0.1:$${POSTAL_SIMULATOR_PORT:-8773}} \
	  POSTAL_PUBLIC_BASE_URL=$${POSTAL_PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}; \
	$(BIN)/python manage.py integrations_worker & worker=$$!; \
	trap 'kill $$sim $$portal $$sms $$smtp $$idp $$reg $$post $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Local simulators of external systems alone (`make run` already starts them): payments on 8765
# (PAYMENT_GATEWAY_URL), the National Public Service Portal on 8766 (NATIONAL_PORTAL_URL), SMS on 8767
# (SMS_GATEWAY_URL), the postal carrier on 8773 (POSTAL_CARRIER_URL), SMTP on 8025 (EMAIL_HOST/EMAIL_PORT), the
# identity provider on 8771 (OIDC_PROVIDER_URL), the population registry on 8772 (POPULATION_REGISTRY_URL).
simulators: install
	@$(BIN)/python -m dichvucong.integrations.simulators.national_portal --port $${NATIONAL_PORTAL_SIMULATOR_PORT:-8766} & portal=$$!; \
	$(BIN)/python -m dichvucong.integrations.simulators.sms --port $${SMS_SIMULATOR_PORT:-8767} & sms=$$!; \
	$(BIN)/python -m aiosmtpd -n -c aiosmtpd.handlers.Debugging -l 127.0.0.1:$${SMTP_PORT:-8025} & smtp=$$!; \
	$(BIN)/python simulators/idp/serve.py --port $${IDP_PORT:-8771} --rp-base-url http://127.0.0.1:$(PORT) --redirect-uri http://localhost:$(PORT)/tai-khoan/vneid/callback/ --post-logout-redirect-uri http://localhost:$(PORT)/ & idp=$$!; \
	$(BIN)/python simulators/population_registry/server.py --port $${REGISTRY_PORT:-8772} & reg=$$!; \
	$(BIN)/python -m dichvucong.results.postal_simulator --port $${POSTAL_SIMULATOR_PORT:-8773} & post=$$!; \
	trap 'kill $$portal $$sms $$smtp $$idp $$reg $$post 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m dichvucong.payments.simulator --port $${PAYMENT_SIMULATOR_PORT:-8765}

test: install
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

fmt: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# Import contracts (pyproject.toml [tool.importlinter], docs/adr/0006-web-layer.md): no cycle between apps, foundation
# never imports domain, the domain never imports the web layer. PYTHONPATH=src: this checkout's code, whatever the
# venv's editable install points at.
check: lint
	$(BIN)/ruff format --check .
	PYTHONPATH=src $(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/db.sqlite3 var/media var/static

# Benchmarks (docs/benchmarks.md): API vs bare Django view vs raw SQL at several data sizes, against a dedicated
# database on 127.0.0.1 (created and migrated by the scripts; its tables are emptied). Results: var/benchmarks/.
.PHONY: bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dcv_bench
bench: install
	$(BIN)/python benchmarks/catalog_search.py --database-url $(BENCH_DATABASE_URL) --sizes 1000,10000,100000
	$(BIN)/python benchmarks/dossier_reads.py --database-url $(BENCH_DATABASE_URL) --sizes 10000,100000,1000000 --requests 50
	$(BIN)/python benchmarks/dossier_submit.py --database-url $(BENCH_DATABASE_URL) --sizes 10000,100000 --requests 300
	$(BIN)/python benchmarks/audit_chain.py --database-url $(BENCH_DATABASE_URL) --sizes 10000,100000 --requests 500
