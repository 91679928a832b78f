"""The whole Alzforum PubMed set, through the CLI into an on-disk store (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import cli
from tests.support import shared_or_skip

pytestmark = pytest.mark.slow


def hubgraph(store: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_alzforum_counts_and_idempotent_reingest(tmp_path: Path) -> None:
    folder = shared_or_skip("pubmed", "alzforum")
    files = sorted(str(p) for p in folder.glob("*.xml.gz"))
    ror = [str(shared_or_skip("ror", name)) for name in
           ("ror_v2_alzforum_institutions.json", "ror_v2_alzforum_institutions_v1.json")]
    store = tmp_path / "store"
    hubgraph(store, "ingest", "ror", *ror)
    hubgraph(store, "ingest", "pubmed", *files)
    first = json.loads(hubgraph(store, "stats", "--json"))
    counts = first["counts"]
    assert counts["paper"] >= 3600 and counts["authorship"] >= 40000
    assert counts["person"] > 20000 and counts["department"] > 1000 and counts["topic"] > 3000
    assert counts["hospital"] > 100 and counts["university"] > 100
    linked = hubgraph(store, "query", "--format", "csv", """
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?a a vivo:Authorship ; hg:affiliation ?org . ?org vivo:rorId ?id }""")
    assert int(linked.splitlines()[1]) > 10000

    out = hubgraph(store, "ingest", "pubmed", *files)
    assert out.count(": unchanged") == len(files)
    assert json.loads(hubgraph(store, "stats", "--json"))["triples"] == first["triples"]
