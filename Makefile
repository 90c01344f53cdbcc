# Sky's entry points. `make run` and `make test` do all set-up on a fresh Debian machine.
SWIFT ?= swift
RELEASE_FLAGS ?= -c release
SKYD_FLAGS ?=

.PHONY: setup build build-release run test test-faults test-fuzz web-check bench bench-queue bench-model bench-api bench-train bench-grade bench-experiment bench-soak install migrate clean
PREFIX ?= /usr/local

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

build-release: setup
	$(SWIFT) build $(RELEASE_FLAGS)

# Starts Sky on its embedded PostgreSQL (data in /var/lib/sky as root, ~/.local/share/sky otherwise) and submits the
# quick structure-vs-content experiment unless it exists (SKY_DEMO=0 make run: submit nothing); see scripts/run.sh.
run: build-release
	BIN=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path) SKYD_FLAGS="$(SKYD_FLAGS)" scripts/run.sh

# The whole suite. Tests that need PostgreSQL start their own throwaway cluster and stop it. The numeric suites then
# run again under a second OpenBLAS kernel family (scripts/test-second-coretype.sh), so a float comparison that holds
# only on this host type fails here. The headless-browser check and the fault-tolerance run (each a whole skyd with
# its PostgreSQL, plus chromium or two more worker processes) run after the rest, one at a time, so their CPU does
# not upset the other tests' timings. NVRTC (PyPI, into .venv-cuda) compiles every CUDA kernel to a cubin: no GPU needed.
# Schemathesis (PyPI, into .venv-fuzz) then fuzzes the API from its contract on a live skyd (scripts/test-fuzz.sh),
# and a 20-second soak of mixed traffic must see no error and every job finished (scripts/bench/soak.sh).
test: setup
	scripts/cuda/setup-nvrtc.sh >/dev/null
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip WebBrowserTests --skip FaultToleranceTests
	scripts/test-second-coretype.sh $(SWIFT)
	$(SWIFT) test --skip-build --filter WebBrowserTests
	scripts/test-fuzz.sh
	SOAK_SECONDS=20 MAX_RSS_GROWTH=0 scripts/bench/soak.sh
	SKY_FAULT_TESTS=1 $(SWIFT) test --skip-build --filter FaultToleranceTests

# The API fuzzed from api/openapi.yaml by Schemathesis (PyPI, into .venv-fuzz) against a live skyd: every operation,
# the stateful phase included; fails on any server error or response outside the contract. FUZZ_EXAMPLES=200 for more.
test-fuzz: build
	scripts/test-fuzz.sh

# The web page in headless chromium with real jobs: screenshots to docs/screenshots, fails on JavaScript errors.
web-check: build
	BIN=$$($(SWIFT) build --show-bin-path) scripts/web-screenshots.sh

# Fault tolerance on the real binaries alone (skyd serve + two skyd worker processes, one SIGKILLed mid-train), and
# the other chaos scenarios and the fleet (workers in network namespaces of their own over TLS); as root.
test-faults: setup
	$(SWIFT) build --build-tests
	SKY_FAULT_TESTS=1 $(SWIFT) test --skip-build --filter FaultToleranceTests

# Benchmarks whose results are recorded in BENCHMARKS.md.
bench: bench-queue bench-model bench-api bench-train bench-grade

bench-queue: build-release
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyctl bench queue

bench-model: build-release
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyctl bench model

# Training tokens/s (full and LoRA, 25m preset, seq 512) against sgemm; with PYTHON set to a python that has torch,
# transformers and peft, the same steps in PyTorch side by side (scripts/bench/compare-train.sh).
bench-train: build-release
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyctl bench train
	if [ -n "$(PYTHON)" ]; then SKYCTL=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyctl PYTHON=$(PYTHON) scripts/bench/compare-train.sh; fi

# Wall time of the structure-vs-content experiment by stage: 5 quick and 3 full runs, interleaved, each on a fresh
# skyd (about 45 minutes on 2 cores; not part of `make bench`). QUICK_RUNS and FULL_RUNS change the counts.
bench-experiment: build-release
	BIN=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path) scripts/bench/experiment-wall.sh

# Requests/s and latency of the API under wrk from a second process, and skyd's memory during an upload.
# Math grading throughput on 10,000 labelled pairs (a full eval: `skyctl bench eval --model DIR`, see BENCHMARKS.md).
bench-grade: build-release
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyctl bench grade

# Five minutes of mixed traffic (submissions, listings, SSE log follows, uploads and downloads, a stalled reader) on a
# whole skyd whose worker runs the jobs: requests/s, p50/p99 by kind, errors (0) and skyd's VmRSS (its last third: ≤ 1.05×).
bench-soak: build-release
	BIN=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path) scripts/bench/soak.sh

bench-api: build-release
	BIN=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path) scripts/bench-api.sh

# Puts skyd and skyctl on PATH (static Swift runtime, so they also run on hosts without the toolchain).
install: setup
	$(SWIFT) build $(RELEASE_FLAGS) --static-swift-stdlib
	install -d $(PREFIX)/bin
	install -m 755 $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyd $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/skyctl $(PREFIX)/bin/

migrate: build
	$$($(SWIFT) build --show-bin-path)/skyd migrate

clean:
	rm -rf .build
