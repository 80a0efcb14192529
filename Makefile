# The portal's two commands, as the README gives them:
#
#   make run    runs the portal on the embedded SQLite database
#   make test   installs what the tests need when it is missing (Debian's
#               Chromium and fonts, axe-core from package-lock.json), makes sure
#               PostgreSQL is running, then vets, checks formatting and runs
#               every test, browser checks included
#
# .ci/run calls `make test` with CI=true, where a missing tool or database
# fails the tests instead of skipping them.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Installing packages and starting PostgreSQL need root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# npm ci writes this stamp, inside the folder it installs, so that a changed
# lock file or a deleted axe-core both install again.
AXE_STAMP := node_modules/axe-core/.installed-by-make

.PHONY: run test chromium postgres vet staticcheck fmt-check go-test

run:
	go run ./cmd/portal

test: chromium $(AXE_STAMP) postgres vet staticcheck fmt-check go-test

# The browser checks measure widths, and text is as wide as its font: every
# machine gets the same Debian fonts, so that a layout that fits on one fits
# on all. The portal's font stack ends in Arial, which fontconfig gives as
# Liberation Sans; system-ui and sans-serif resolve to DejaVu Sans.
BROWSER_PACKAGES := chromium fonts-dejavu-core fonts-dejavu-extra fonts-liberation

chromium:
	@missing=$$(for p in $(BROWSER_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q ' installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "make: installing Debian's" $$missing "for the browser checks"; \
		$(SUDO) apt-get update -q; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

$(AXE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

postgres:
	@if ! pg_isready -q -h 127.0.0.1; then \
		echo "make: starting PostgreSQL"; \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done; \
		pg_isready -h 127.0.0.1; \
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
# -timeout: the browser checks of ~140 pages take a minute or two on an idle
# machine; a loaded one can need several times that.
go-test:
	go test -count=1 -p 2 -timeout 15m ./...
