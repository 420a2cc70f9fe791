# Quick start on a fresh machine: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

export CHECKPOINT_DISABLE := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: setup graphviz cdktn demo test test-fast bench down clean

## setup: everything the tests use: Python packages into .venv (requirements.txt), checkov into
## .venv-checkov (its pins conflict with ours: requirements-checkov.txt), the second engine into
## .venv-cdktn (`make cdktn`), cdktf-cli into node_modules (package-lock.json), and Graphviz, the
## only system package (`diagram` and its tests draw with `dot`). `make demo` needs only .venv.
setup: graphviz $(VENV)/.installed .venv-checkov/.installed .venv-cdktn/.installed node_modules/.installed

graphviz:
	@command -v dot >/dev/null || { \
	  command -v apt-get >/dev/null || { echo "error: Graphviz (dot) is missing and there is no apt-get here: install graphviz with your package manager (diagram and its tests draw with dot), then run make again." >&2; exit 1; }; \
	  echo "installing Graphviz (dot) with apt-get"; \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  { $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; } 2>/tmp/agentcore-apt.log || { echo "error: apt-get could not install graphviz (another apt run may hold its lock: $$(tail -1 /tmp/agentcore-apt.log)). Run make again in a minute, or install graphviz yourself." >&2; exit 1; }; }

$(VENV)/.installed: requirements.txt
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

.venv-checkov/.installed: requirements-checkov.txt
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

## cdktn: CDK Terrain, the second engine (requirements-cdktn.txt), in a venv of its own: its
## constructs pin differs from cdktf's. The venv is kept in a cache named by the hash of the
## requirements and the Python (CDKTN_CACHE) and linked as .venv-cdktn, so a fresh clone reuses
## it. AGENTCORE_ENGINE=cdktn selects it. --no-compile: its bindings hold 2,400 modules and we
## import about 50, compiled on first use (it installs in a third of the time).
cdktn: .venv-cdktn/.installed

CDKTN_HASH = $(shell { cat requirements-cdktn.txt; $(PYTHON) --version; } | sha256sum | cut -c1-16)
CDKTN_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/agentcore-private-network/venv-cdktn-$(CDKTN_HASH)

.venv-cdktn/.installed: requirements-cdktn.txt
	@if [ ! -f "$(CDKTN_CACHE)/.installed" ] || ! "$(CDKTN_CACHE)/bin/python" -c "" 2>/dev/null; then \
	  echo "installing cdktn into $(CDKTN_CACHE)"; \
	  rm -rf "$(dir $(CDKTN_CACHE))"venv-cdktn-* && mkdir -p "$(dir $(CDKTN_CACHE))" && \
	  $(PYTHON) -m venv "$(CDKTN_CACHE)" && \
	  "$(CDKTN_CACHE)/bin/pip" install --quiet --disable-pip-version-check --no-compile -r requirements-cdktn.txt && \
	  touch "$(CDKTN_CACHE)/.installed"; \
	fi
	@[ -L .venv-cdktn ] || rm -rf .venv-cdktn
	ln -sfn "$(CDKTN_CACHE)" .venv-cdktn
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## demo: deploy the full private network (dev) to the local AWS emulator, verify it, print outputs
## (it needs only the Python packages: no Graphviz, checkov or cdktf-cli)
demo: $(VENV)/.installed
	$(PY) main.py deploy --local --env dev

## test: every test: unit, synthesized JSON, and Terraform against the emulator (integration)
test: setup
	$(PY) -m pytest

## test-fast: the tests that run no Terraform (seconds)
test-fast: setup
	$(PY) -m pytest -m "not integration"

## bench: measure synthesis, the synth cache, plans and a local deploy (writes bench/results.json)
bench: setup
	$(PY) bench/run.py

## down: stop the local emulator (its state is archived under .state/, not lost)
down:
	$(PY) main.py local down

clean: down
	rm -rf cdktf.out
