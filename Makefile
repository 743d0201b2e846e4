# jiangtang: the two commands of README.md are `make serve` and `make test`.
PYTHON ?= python3
# two workers: the machines here have 2 cores (pytest-xdist)
PYTEST_ARGS ?= -n 2
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve site test check lock bench clean derived

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## serve: set up, check and serve the demo hub at http://127.0.0.1:8000
serve: $(STAMP)
	$(PY) build.py serve

## site: set up and build the demo hub into site/
site: $(STAMP)
	$(PY) build.py build

## check: validate the demo hub's content
check: $(STAMP)
	$(PY) build.py check

## test: set up (including Debian's chromium) and run every test
test: $(STAMP)
	sh tools/ensure-test-tools.sh
	$(PY) -m pytest $(PYTEST_ARGS)

## derived: regenerate schemas/*.json and the generated docs (docs/reference.md) from the code
derived: $(STAMP)
	$(PY) -m jiangtang.schema

## lock: re-pin every dependency after editing requirements.in
lock: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --allow-unsafe -o requirements.lock requirements.in

## bench: build synthetic hubs (N=1000 3000 10000; `make bench N=1000` for one size, LARGE=1 adds 30000)
##        side by side with Material + prune and Hugo; results in benchmarks/results/
N ?= 1000 3000 10000
bench: $(STAMP)
	command -v hyperfine >/dev/null || (apt-get update -qq && apt-get install -y -qq hyperfine)
	$(PY) benchmarks/run.py $(N) $(if $(LARGE),30000) $(if $(RUNS),--runs $(RUNS))

clean:
	rm -rf site .pytest_cache
