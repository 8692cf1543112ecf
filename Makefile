# cors-harness — the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN_DEBUG := .build/debug/cors-harness
BIN_RELEASE := .build/release/cors-harness
# Debian packages the build and tests need (libxml2-dev: JUnit schema validation; chromium: the
# HTML report is opened and exercised in headless Chromium by the tests and `make report-check`).
APT_PACKAGES := libxml2-dev chromium

.PHONY: run test bench deps check-swift build release clean report-check

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
	$(BIN_DEBUG) run Cases --report Reports

# Opens Reports/index.html in headless Chromium, exercises filters and details, saves screenshots.
report-check: build
	-$(BIN_DEBUG) run Cases --report Reports > /dev/null
	python3 tools/report-check/check.py --install Reports/index.html

# The tests: unit tests for every model rule, the loader's errors, and the whole corpus.
test: check-swift deps
	$(SWIFT) test

# Model speed on a generated 10,000-case corpus × 4 browsers (figures go to docs/BENCHMARKS.md).
bench: release
	$(BIN_RELEASE) bench --cases 10000 --rounds 5

clean:
	rm -rf .build

# ---- Live modes: `cors-harness serve` and `cors-harness probe` against real servers -------------
# The examples under examples/ run on loopback; their pid files and logs live in .live/.
# `make test` installs what they need (live-deps) and runs the command-line probes end to end
# (test-live) before `swift test`, whose CORSLiveTests start the same servers with these targets.
LIVE := $(CURDIR)/.live
CORS_HARNESS ?= $(CURDIR)/$(BIN_DEBUG)
LIVE_APT_PACKAGES := nginx node-express node-cors wrk openssl
PYTHON ?= python3
# Waits (5 s at most) until something listens on 127.0.0.1:$(1).
wait_port = for i in $$(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$(1)) 2>/dev/null && break; sleep 0.1; done; \
	(exec 3<>/dev/tcp/127.0.0.1/$(1)) 2>/dev/null || { echo "error: nothing listens on 127.0.0.1:$(1) (see $(LIVE)/*.log)" >&2; exit 2; }
# Stops the process in pid file $(1).
stop_pid = if [ -f $(1) ]; then kill $$(cat $(1)) 2>/dev/null; for i in $$(seq 50); do kill -0 $$(cat $(1)) 2>/dev/null || break; sleep 0.1; done; rm -f $(1); fi

.PHONY: live-deps test-live examples-start examples-stop example-nginx-start example-nginx-stop \
	example-express-start example-express-stop example-flask-start example-flask-stop example-mock-start example-mock-stop bench-live

test: live-deps test-live

# nginx, Express (Debian's node-express and node-cors), wrk, openssl; Flask and flask-cors from PyPI.
# Installs what is missing when root; otherwise fails naming it. Never skips.
live-deps:
	@missing=""; for p in $(LIVE_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing)) \
	    || { echo "error: could not install$$missing; the live tests need them (nginx, Express, wrk)" >&2; exit 2; }; \
	  else echo "error: missing Debian packages:$$missing (run: sudo apt-get install -y$$missing)" >&2; exit 2; fi; \
	fi
	@command -v node >/dev/null || { echo "error: node not found: install Debian's nodejs" >&2; exit 2; }
	@NODE_PATH=/usr/share/nodejs node -e "require('express'); require('cors')" \
	  || { echo "error: node cannot load express and cors from /usr/share/nodejs (Debian node-express, node-cors)" >&2; exit 2; }
	@$(PYTHON) -c "import flask, flask_cors" 2>/dev/null || $(PYTHON) -m pip install -q flask flask-cors \
	  || { echo "error: could not install Flask and flask-cors from PyPI ($(PYTHON) -m pip install flask flask-cors)" >&2; exit 2; }

# nginx: every recipe of examples/nginx/nginx.conf (ports 18180-18183, 18189; https on 18443).
example-nginx-start:
	@mkdir -p $(LIVE)/nginx/conf/tls $(LIVE)/nginx/tmp
	@if [ -f $(LIVE)/nginx/nginx.pid ] && kill -0 $$(cat $(LIVE)/nginx/nginx.pid) 2>/dev/null; then echo "nginx examples already running"; else \
	  cp examples/nginx/*.conf examples/nginx/*.inc $(LIVE)/nginx/conf/ && \
	  { [ -f $(LIVE)/nginx/conf/tls/cert.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 \
	      -addext subjectAltName=IP:127.0.0.1 -keyout $(LIVE)/nginx/conf/tls/key.pem -out $(LIVE)/nginx/conf/tls/cert.pem 2>/dev/null; } && \
	  nginx -e $(LIVE)/nginx/error.log -p $(LIVE)/nginx -c conf/nginx.conf > $(LIVE)/nginx/start.log 2>&1 < /dev/null && echo "nginx examples on 127.0.0.1:18180-18183, 18189, https 18443"; fi
	@$(call wait_port,18180)
example-nginx-stop:
	@if [ -f $(LIVE)/nginx/nginx.pid ]; then nginx -e $(LIVE)/nginx/error.log -p $(LIVE)/nginx -c conf/nginx.conf -s quit 2>/dev/null || true; \
	  for i in $$(seq 50); do [ -f $(LIVE)/nginx/nginx.pid ] || break; sleep 0.1; done; rm -f $(LIVE)/nginx/nginx.pid; fi

# Express: manual.js, cors-package.js and reflect.js on 18184-18186 (one node process).
example-express-start:
	@mkdir -p $(LIVE)
	@if [ -f $(LIVE)/express.pid ] && kill -0 $$(cat $(LIVE)/express.pid) 2>/dev/null; then echo "express examples already running"; else \
	  NODE_PATH=/usr/share/nodejs nohup node examples/express/server.js > $(LIVE)/express.log 2>&1 < /dev/null & echo $$! > $(LIVE)/express.pid; fi
	@$(call wait_port,18186)
example-express-stop:
	@$(call stop_pid,$(LIVE)/express.pid)

# Flask with flask-cors on 18187.
example-flask-start:
	@mkdir -p $(LIVE)
	@if [ -f $(LIVE)/flask.pid ] && kill -0 $$(cat $(LIVE)/flask.pid) 2>/dev/null; then echo "flask example already running"; else \
	  nohup $(PYTHON) examples/flask/app.py > $(LIVE)/flask.log 2>&1 < /dev/null & echo $$! > $(LIVE)/flask.pid; fi
	@$(call wait_port,18187)
example-flask-stop:
	@$(call stop_pid,$(LIVE)/flask.pid)

# The mock server as an application (the backend of the nginx proxy example) on 18190-18191.
example-mock-start:
	@mkdir -p $(LIVE)
	@[ -x $(CORS_HARNESS) ] || { echo "error: $(CORS_HARNESS) is not built (make build, or CORS_HARNESS=path)" >&2; exit 2; }
	@if [ -f $(LIVE)/mock.pid ] && kill -0 $$(cat $(LIVE)/mock.pid) 2>/dev/null; then echo "mock backend already running"; else \
	  nohup $(CORS_HARNESS) serve examples/mock/backend.yaml > $(LIVE)/mock.log 2>&1 < /dev/null & echo $$! > $(LIVE)/mock.pid; fi
	@$(call wait_port,18190)
example-mock-stop:
	@$(call stop_pid,$(LIVE)/mock.pid)

examples-start: example-nginx-start example-express-start example-flask-start example-mock-start
examples-stop: example-nginx-stop example-express-stop example-flask-stop example-mock-stop

# The command-line path end to end: the probe against nginx (good and broken recipes) and against
# the mock server, alone and behind the nginx proxy; each must end with its documented exit status.
test-live: check-swift deps live-deps build
	@$(MAKE) -s examples-start || { $(MAKE) -s examples-stop; exit 2; }
	@passed=0; failed=0; \
	check() { want=$$1; shift; $(CORS_HARNESS) probe --quiet "$$@" > $(LIVE)/probe.out 2>&1; got=$$?; \
	  if [ $$got = $$want ]; then echo "ok   exit $$got  cors-harness probe $$*"; passed=$$((passed+1)); \
	  else echo "FAIL exit $$got (want $$want)  cors-harness probe $$*"; cat $(LIVE)/probe.out; tail -5 $(LIVE)/*.log; failed=$$((failed+1)); fi; }; \
	check 0 examples/probe.yaml --report $(LIVE)/report; \
	check 1 examples/nginx/probe-no-always.yaml; \
	check 1 examples/nginx/probe-reflect.yaml; \
	check 0 examples/mock/probe.yaml; \
	check 1 examples/nginx/probe-proxy.yaml; \
	check 0 examples/express/probe-manual.yaml; \
	check 0 examples/express/probe-cors-package.yaml; \
	check 1 examples/express/probe-reflect.yaml; \
	check 0 examples/flask/probe.yaml; \
	check 3 http://127.0.0.1:18199/api/orders --origin http://localhost:5173 --connect-timeout 1; \
	check 2 examples/nginx/nginx.conf; \
	for f in index.html junit.xml results.json summary.md probe.json; do \
	  if [ -s $(LIVE)/report/$$f ]; then passed=$$((passed+1)); else echo "FAIL missing $(LIVE)/report/$$f"; failed=$$((failed+1)); fi; done; \
	$(MAKE) -s examples-stop; \
	echo "test-live: $$passed passed, $$failed failed"; [ $$failed = 0 ]

# Requests per second: the mock server and nginx serving the same headers, under wrk (docs/BENCHMARKS.md).
bench-live: release live-deps
	@$(MAKE) -s example-nginx-start
	@$(BIN_RELEASE) serve examples/mock/bench.yaml --threads 2 > $(LIVE)/bench-serve.log 2>&1 & echo $$! > $(LIVE)/bench-serve.pid
	@$(call wait_port,18195)
	@echo "== nginx (static add_header, 1 worker)"; wrk -t2 -c32 -d10s -H 'Origin: http://localhost:5173' http://127.0.0.1:18189/api/orders | grep -E "Requests/sec|Latency|requests in"
	@echo "== cors-harness serve (release, 2 event loops)"; wrk -t2 -c32 -d10s -H 'Origin: http://localhost:5173' http://127.0.0.1:18195/api/orders | grep -E "Requests/sec|Latency|requests in"
	@$(call stop_pid,$(LIVE)/bench-serve.pid)
	@$(MAKE) -s example-nginx-stop

# ---- verify: the corpus in real engines (docs/VERIFY.md) ----------------------------------------
# Debian's Chromium, Firefox ESR and WebKitGTK (under Xvfb), driven over their own remote protocols
# by tools/verify/*_driver.py. Installs what is missing when root; otherwise names it. Never skips.
VERIFY_APT_PACKAGES := chromium firefox-esr gir1.2-webkit2-4.1 python3-gi python3-websocket xvfb xauth
ENGINES ?= chromium,firefox,webkit
.PHONY: verify verify-deps

verify-deps:
	@missing=""; for p in $(VERIFY_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing)) \
	    || { echo "error: could not install$$missing; verify needs the engines and their drivers' Python modules" >&2; exit 2; }; \
	  else echo "error: missing Debian packages:$$missing (run: sudo apt-get install -y$$missing)" >&2; exit 2; fi; \
	fi

# Every case of the corpus in every engine; reports in Reports/verify/ (exit 1 on any disagreement).
verify: build verify-deps
	$(BIN_DEBUG) verify Cases --engines $(ENGINES) --report Reports/verify
