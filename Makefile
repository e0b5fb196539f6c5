# Two commands on a fresh Debian 12 machine:
#   make run   installs what is missing, builds, creates a demo instance on first use and serves it
#   make test  installs what is missing, builds, runs every test
BUILD_DIR ?= build
DEMO_DIR  ?= demo-data
PORT      ?= 8080
JOBS      ?= $(shell nproc)

.PHONY: all deps configure web build test run clean bench format

all: build

deps:
	@scripts/install-deps

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null; fi

# The web application (web/ -> web/dist), which `haven serve` serves from /.
web: deps
	@scripts/build-web

build: configure web
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@scripts/run-tests $(BUILD_DIR)

run: build
	@$(BUILD_DIR)/haven demo --dir $(DEMO_DIR) --port $(PORT)

bench: deps
	@cmake -S . -B $(BUILD_DIR)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DHAVEN_BUILD_BENCH=ON -DHAVEN_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-bench -j $(JOBS)
	@scripts/run-bench $(BUILD_DIR)-bench

format:
	@clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc')

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-bench web/dist
