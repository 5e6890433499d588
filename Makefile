# roster — see README.md. Every target works on a fresh checkout.
GO       ?= go
BIN      := bin/roster
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build demo test race test-short bench lint fuzz golden keys-doc clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

# A populated board in a fresh database, no account needed.
demo: build
	./$(BIN) demo

# Unit, integration and end-to-end tests (the tmux run needs tmux; CI
# installs it and makes its absence a failure).
test:
	$(GO) test -count=1 ./...

# The same under the race detector (needs cgo and a C compiler); CI runs
# it where one is installed.
race:
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short ./...

# Benchmarks at the sizes the issues name; rewrites docs/PERFORMANCE.md.
bench: build
	ROSTER_BENCH_REPORT=1 $(GO) test -count=1 -run '^TestPerformanceReport$$' -timeout 30m -v .

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@bad=$$($(GO) list -f '{{join .Imports "\n"}}' ./crm/... | grep -v '^roster/crm' | grep '\.' || true); \
	  if [ -n "$$bad" ]; then echo "crm must import only the standard library: $$bad"; exit 1; fi
	@bad=$$($(GO) list -f '{{.ImportPath}}: {{join .Imports " "}}' ./ui/... | grep -E 'roster/(store|mail)' || true); \
	  if [ -n "$$bad" ]; then echo "ui must not import store or mail: $$bad"; exit 1; fi

# Short fuzzing sessions of every parser (FUZZTIME each); new interesting
# inputs land in the Go fuzz cache (copy the ones worth keeping into the
# package's testdata/fuzz).
FUZZTIME ?= 30s
FUZZ := ./crm/transfer/:FuzzReadCSV ./crm/transfer/:FuzzReadJSON \
	./crm/:FuzzSanitizeText ./crm/:FuzzSplitQuoted ./crm/:FuzzRenderTemplate ./crm/:FuzzParseMessageIDs \
	./crm/:FuzzTermsForm ./crm/:FuzzParseMoney \
	./mail/msgparse/:FuzzParse ./mail/msgparse/:FuzzAppendQP ./mail/msgparse/:FuzzParseFieldsEquiv \
	./mail/msgparse/:FuzzSimpleAddresses ./mail/msgparse/:FuzzTextHelpers ./mail/config/:FuzzParse \
	./ui/:FuzzParseEditable ./ui/cli/:FuzzReadPaid
fuzz:
	@set -e; for f in $(FUZZ); do \
	  echo "== $${f#*:} ($${f%%:*})"; \
	  $(GO) test -run '^$$' -fuzz "^$${f#*:}$$" -fuzztime $(FUZZTIME) $${f%%:*}; \
	done

golden:
	$(GO) test ./ui/... -update

keys-doc:
	$(GO) test ./ui -run '^TestKeysDoc$$' -update

clean:
	rm -rf bin
