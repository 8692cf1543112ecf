# cors-harness — the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN_DEBUG := .build/debug/cors-harness
BIN_RELEASE := .build/release/cors-harness
# Debian packages the build and tests need (libxml2-dev: JUnit schema validation).
APT_PACKAGES := libxml2-dev

.PHONY: run test bench deps check-swift build release clean

check-swift:
	@command -v $(SWIFT) >/dev/null || { echo "error: Swift 6 toolchain not found on PATH (expected /opt/swift/usr/bin/swift); install Swift 6.x from swift.org" >&2; exit 2; }

# Installs missing Debian packages (needs root; run `apt-get update` once on a fresh machine).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then (apt-get install -y $$missing || (apt-get update && apt-get install -y $$missing)); \
	  else echo "error: missing Debian packages:$$missing (run: sudo apt-get install -y$$missing)" >&2; exit 2; fi; \
	fi

build: check-swift deps
	$(SWIFT) build

release: check-swift deps
	$(SWIFT) build -c release

# The main job: evaluate the bundled corpus in every browser, print the matrix, write Reports/.
run: build
	$(BIN_DEBUG) run Cases

# The tests: unit tests for every model rule, the loader's errors, and the whole corpus.
test: check-swift deps
	$(SWIFT) test

# Model speed on a generated 10,000-case corpus × 4 browsers (figures go to docs/BENCHMARKS.md).
bench: release
	$(BIN_RELEASE) bench --cases 10000 --rounds 5

clean:
	rm -rf .build
