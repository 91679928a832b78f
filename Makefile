# hubgraph: `make demo` builds the sample graph; `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HUBGRAPH_STORE ?= ./hubgraph-data

SAMPLE := data/sample

.PHONY: demo sample test test-fast bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the graph from the bundled sample data.
sample: $(STAMP)
	$(BIN)/hubgraph ingest ror $(SAMPLE)/ror/*.json
	$(BIN)/hubgraph ingest mesh $(SAMPLE)/mesh/*.xml
	$(BIN)/hubgraph ingest pubmed $(SAMPLE)/pubmed/*
	$(BIN)/hubgraph ingest table $(SAMPLE)/tables
	$(BIN)/hubgraph ingest fda-devices $(SAMPLE)/innovation/fda/*
	$(BIN)/hubgraph ingest trials $(SAMPLE)/innovation/trials/*
	$(BIN)/hubgraph ingest nih-reporter $(SAMPLE)/innovation/nih_reporter/*.json
	$(BIN)/hubgraph ingest patents $(SAMPLE)/innovation/patents/pap2pat/*/*.json
	$(BIN)/hubgraph ingest orcid $(SAMPLE)/innovation/orcid/*
	$(BIN)/hubgraph ingest openalex $(SAMPLE)/innovation/openalex/*.json
	$(BIN)/hubgraph ingest crossref $(SAMPLE)/innovation/crossref/*.json
	$(BIN)/hubgraph stats

## Build the sample graph and serve it on http://127.0.0.1:8000 (Ctrl-C stops it).
demo: sample
	$(BIN)/hubgraph serve --host 127.0.0.1 --port 8000

## Everything CI runs (and the 25 slowest tests, to keep an eye on its 30-minute budget).
test: $(STAMP)
	$(BIN)/python -m pytest --durations=25

## Quick iteration: skips tests marked slow.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) hubgraph-data *.egg-info
