# The portal's two commands, as the README gives them:
#
#   make run    runs the portal on the embedded SQLite database
#   make test   installs what the tests need when it is missing (from Debian's
#               packages: Chromium and its fonts, Node.js and npm, PostgreSQL;
#               axe-core from package-lock.json), makes sure PostgreSQL runs
#               with a `test` database, then vets, checks formatting and runs
#               every test, browser checks included
#
# .ci/run calls `make test` with CI=true, where a missing tool or database
# fails the tests instead of skipping them. Go itself (the version go.mod
# names) and make are the two things the machine must bring.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# The steps of test run in order: each needs what the one before installed.
.NOTPARALLEL:

# Installing packages and starting PostgreSQL need root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# npm ci writes this stamp, inside the folder it installs, so that a changed
# lock file or a deleted axe-core both install again.
AXE_STAMP := node_modules/axe-core/.installed-by-make

.PHONY: run test packages chromium node postgres vet staticcheck fmt-check go-test

run:
	go run ./cmd/portal

test: packages chromium $(AXE_STAMP) postgres vet staticcheck fmt-check go-test

# What each part of the tests needs from Debian, as shell commands that print
# the packages missing. The browser checks measure widths, and text is as
# wide as its font: every machine gets the same fonts, so that a layout that
# fits on one fits on all. The portal's font stack ends in Arial, which
# fontconfig gives as Liberation Sans; system-ui and sans-serif resolve to
# DejaVu Sans.
BROWSER_PACKAGES := chromium fonts-dejavu-core fonts-dejavu-extra fonts-liberation
BROWSER_MISSING = for p in $(BROWSER_PACKAGES); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q ' installed$$' || echo $$p; done
# npm runs `npm ci`; a Node.js from elsewhere (nvm, NodeSource) is as good.
NODE_MISSING = command -v npm >/dev/null || echo nodejs npm
# The server when nothing answers on 127.0.0.1:5432; the client tools alone
# when something does. A server named by PORTAL_TEST_DATABASE_URL needs
# neither.
POSTGRES_MISSING = if [ -n "$${PORTAL_TEST_DATABASE_URL:-}" ]; then :; \
	elif (exec 3<>/dev/tcp/127.0.0.1/$(PG_PORT)) 2>/dev/null; then command -v createdb >/dev/null || echo postgresql-client; \
	else { command -v pg_ctlcluster >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; } || echo postgresql; fi

# install_missing is a recipe that installs the packages that the shell
# commands $(1) print, if any, through apt-get (and sudo unless make runs as
# root). The package lists are updated first, and only then: on a machine
# with everything, nothing runs.
define install_missing
@missing=$$($(1)); \
if [ -n "$$missing" ]; then \
	echo "make: installing Debian's packages for the tests:" $$missing; \
	if [ -n "$(SUDO)" ] && ! command -v sudo >/dev/null; then \
		echo "make: installing needs root: run make as root, or install sudo" >&2; exit 1; fi; \
	$(SUDO) apt-get update -q; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
fi
endef

# Everything at once, so that a bare machine updates the package lists once.
packages:
	$(call install_missing,$(BROWSER_MISSING); $(NODE_MISSING); $(POSTGRES_MISSING))

chromium:
	$(call install_missing,$(BROWSER_MISSING))

node:
	$(call install_missing,$(NODE_MISSING))

$(AXE_STAMP): package.json package-lock.json | node
	npm ci --no-audit --no-fund
	touch $@

# The PostgreSQL half of the store tests wants a server on 127.0.0.1:5432
# that lets user postgres in without a password and has a database named
# test. When nothing answers there, this starts the local cluster on that
# port, first creating one if there is none. Debian makes new clusters ask
# for a password over TCP (scram-sha-256): on this test machine, the target
# then trusts TCP connections from 127.0.0.1 and ::1 (two lines at the top of
# the cluster's pg_hba.conf), which is what the tests expect. A server named
# by PORTAL_TEST_DATABASE_URL is left alone. PG_PORT is the port of the
# tests' default database URL.
PG_PORT := 5432
PSQL = psql -h 127.0.0.1 -p $(PG_PORT) -U postgres -w -X -q -d postgres
TRUST_MARK := \# digiportal make test: the tests sign in as postgres over TCP without a password
postgres:
	$(call install_missing,$(POSTGRES_MISSING))
	@if [ -n "$${PORTAL_TEST_DATABASE_URL:-}" ]; then \
		echo "make: the tests use PORTAL_TEST_DATABASE_URL; leaving the local PostgreSQL alone"; exit 0; fi; \
	cluster() { pg_lsclusters -h 2>/dev/null | awk '$$3 == $(PG_PORT) { print $$1, $$2; exit }'; }; \
	if ! pg_isready -q -h 127.0.0.1 -p $(PG_PORT); then \
		if [ -z "$$(cluster)" ]; then \
			version=$$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1 | cut -d/ -f5); \
			echo "make: creating the PostgreSQL $$version cluster main on port $(PG_PORT)"; \
			$(SUDO) pg_createcluster -p $(PG_PORT) $$version main; \
		fi; \
		echo "make: starting PostgreSQL $$(cluster)"; \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(cluster) start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p $(PG_PORT) && break; sleep 1; done; \
		pg_isready -h 127.0.0.1 -p $(PG_PORT); \
	fi; \
	if ! $(PSQL) -c 'SELECT 1' >/dev/null 2>&1; then \
		read -r version name <<<"$$(cluster)"; \
		hba=/etc/postgresql/$$version/$$name/pg_hba.conf; \
		if [ ! -f "$$hba" ] || grep -qF '$(TRUST_MARK)' "$$hba"; then \
			$(PSQL) -c 'SELECT 1'; exit 1; fi; \
		echo "make: PostgreSQL wants a password from postgres on 127.0.0.1; trusting local TCP connections in $$hba"; \
		$(SUDO) sed -i '1i $(TRUST_MARK)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$$hba"; \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$version $$name reload; \
		$(PSQL) -c 'SELECT 1' >/dev/null; \
	fi; \
	if [ -z "$$($(PSQL) -tA -c "SELECT 1 FROM pg_database WHERE datname = 'test'")" ]; then \
		echo "make: creating the database test"; \
		createdb -h 127.0.0.1 -p $(PG_PORT) -U postgres -w test; \
	fi

vet:
	go vet ./...

# staticcheck is pinned in go.mod as a tool dependency.
staticcheck:
	go tool staticcheck ./...

fmt-check:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then \
		echo "make: these files need gofmt -w:"; echo "$$unformatted"; exit 1; \
	fi

# -p 2: the machines have two cores, and the browser checks want one.
# -timeout: the server package, browser checks of ~200 pages and each part's
# journeys included, takes about 12 minutes on an idle two-core machine; a
# loaded one can need twice that.
go-test:
	go test -count=1 -p 2 -timeout 30m ./...
