"""The hubgraph CLI, run in-process with click's CliRunner against a real on-disk store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from api.cli import cli
from graph.store import Store
from tests.support import DATA

PUBMED = str(DATA / "pubmed" / "pubmed_0_to_99.xml.gz")
ROR = [str(DATA / "ror" / "ror_v2_sample.json"), str(DATA / "ror" / "ror_v1_sample.json")]


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    assert run(store, "ingest", "ror", *ROR)[0] == 0
    code, out, _ = run(store, "ingest", "pubmed", PUBMED)
    assert code == 0, out
    return store


def test_help_lists_every_command_with_examples() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "stats", "query", "export", "sources"):
        assert f"  {command}" in result.stdout
    assert "Examples:" in result.stdout and "HUBGRAPH_STORE" in result.stdout


def test_ingest_prints_a_summary(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path / "s", "ingest", "pubmed", PUBMED)
    assert code == 0
    assert "pubmed_0_to_99.xml.gz: loaded, 91 records read" in out
    assert "1 files: 91 records read" in out and "0 records skipped" in out
    assert out.strip().splitlines()[-1].startswith("summaries refreshed in ")  # a new store gets its summaries
    code, out, _ = run(tmp_path / "s", "ingest", "pubmed", PUBMED)
    assert "unchanged" in out and "summaries refreshed" not in out  # still current


def test_stats_json(built: Path) -> None:
    code, out, _ = run(built, "stats", "--json")
    figures = json.loads(out)
    assert code == 0 and set(figures) == {"triples", "counts", "sources"}
    assert figures["counts"]["paper"] == 91 and figures["counts"]["authorship"] == 1095
    assert {"person", "organization", "paper", "authorship", "topic"} <= set(figures["counts"])
    assert {s["kind"] for s in figures["sources"]} == {"ontology", "ror", "pubmed"}


QUERY = 'SELECT ?pmid ?title WHERE { ?p bibo:pmid ?pmid ; dcterms:title ?title } ORDER BY ?pmid LIMIT 2'


def test_query_csv_and_tsv_follow_the_w3c_results_formats(built: Path) -> None:
    _, out, _ = run(built, "query", QUERY, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["pmid", "title"] and len(rows) == 3
    _, out, _ = run(built, "query", "SELECT ?p WHERE { ?p bibo:pmid \"19622817\" }", "--format", "tsv")
    assert out.splitlines() == ["?p", "<http://127.0.0.1:8000/id/paper/pmid-19622817>"]
    _, out, _ = run(built, "query", "SELECT ?p WHERE { ?p bibo:pmid \"19622817\" }", "--format", "csv")
    assert out.splitlines() == ["p", "http://127.0.0.1:8000/id/paper/pmid-19622817"]


def test_query_json_and_table_and_turtle(built: Path, tmp_path: Path) -> None:
    _, out, _ = run(built, "query", QUERY, "--format", "json")
    doc = json.loads(out)
    assert doc["head"]["vars"] == ["pmid", "title"] and len(doc["results"]["bindings"]) == 2
    _, out, _ = run(built, "query", QUERY)
    assert out.splitlines()[0].split() == ["pmid", "title"] and "(2 rows)" in out
    query_file = tmp_path / "q.rq"
    query_file.write_text("CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p bibo:pmid \"19622817\" ; dcterms:title ?t }")
    _, out, _ = run(built, "query", "--file", str(query_file), "--format", "turtle")
    triples = list(ox.parse(out.encode(), ox.RdfFormat.TURTLE))
    assert len(triples) == 1 and triples[0].object.value.startswith("CSF biomarkers")


def test_query_syntax_error_is_a_clean_message(built: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(built), "query", "SELEKT nothing"])
    assert result.exit_code != 0
    assert "SPARQL syntax error" in str(result.exception) or "SPARQL syntax error" in result.output


@pytest.mark.parametrize("fmt,check", [
    ("nquads", lambda p: len(list(ox.parse(path=str(p), format=ox.RdfFormat.N_QUADS))) > 10000),
    ("turtle", lambda p: len(list(ox.parse(path=str(p), format=ox.RdfFormat.TURTLE))) > 10000),
    ("jsonld", lambda p: len(list(ox.parse(path=str(p), format=ox.RdfFormat.JSON_LD))) > 10000),
    ("graphml", lambda p: nx.read_graphml(p).number_of_edges() > 1000),
])
def test_export(built: Path, tmp_path: Path, fmt: str, check) -> None:
    out = tmp_path / f"export.{fmt}"
    code, _, _ = run(built, "export", "--format", fmt, "-o", str(out))
    assert code == 0 and check(out)


def test_sources_list_and_remove(tmp_path: Path) -> None:
    store = tmp_path / "s"
    run(store, "ingest", "ror", *ROR)
    _, out, _ = run(store, "sources", "--json")
    assert sorted(s["name"] for s in json.loads(out)) == ["ontology.ttl", "ror_v1_sample.json", "ror_v2_sample.json"]
    code, out, _ = run(store, "sources", "remove", "ror_v1_sample.json")
    assert code == 0 and "removed ror ror_v1_sample.json" in out
    _, out, _ = run(store, "sources")
    assert "ror_v1_sample.json" not in out and "ror_v2_sample.json" in out


def test_truncated_file_exits_non_zero_and_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "s"
    run(store, "ingest", "ror", *ROR)
    before = json.loads(run(store, "stats", "--json")[1])["triples"]
    cut = tmp_path / "cut.xml.gz"
    data = Path(PUBMED).read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    proc = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "--store", str(store),
                           "ingest", "pubmed", str(cut)], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "cut.xml.gz" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(run(store, "stats", "--json")[1])["triples"] == before


def test_resolve_report(built: Path) -> None:
    code, out, _ = run(built, "resolve", "--report")
    assert code == 0
    assert "mentions resolved to" in out and "(0 links added, 0 removed, 0 retired IRIs" in out
    assert "Lowest-confidence links" in out and "Largest clusters" in out


def test_ingest_table_folder(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "data" / "sample" / "tables"
    code, out, _ = run(tmp_path / "s", "ingest", "table", str(sample))
    assert code == 0 and "tables: loaded, 118 records read" in out
    figures = json.loads(run(tmp_path / "s", "stats", "--json")[1])
    assert figures["counts"]["person"] == 26


def test_deferred_summaries_are_refreshed_by_the_next_ingest(tmp_path: Path) -> None:
    from graph import summaries

    code, out, _ = run(tmp_path / "s", "ingest", "--defer-summaries", "pubmed", PUBMED)
    assert code == 0 and "summaries refreshed" not in out
    store = Store.open(str(tmp_path / "s"))
    assert not summaries.is_current(store)
    del store
    code, out, _ = run(tmp_path / "s", "ingest", "ror", *ROR)
    assert code == 0 and "summaries refreshed in " in out
    assert summaries.is_current(Store.open(str(tmp_path / "s")))
