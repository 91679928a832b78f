"""Readers during writes: while an ingest replaces a source (a changed file re-ingested),
reader threads query counts over and over; every answer equals the old state or the new
one, never a state in between."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from graph.store import Store
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA, open_backend

COUNTS = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX hg: <https://w3id.org/hubgraph/ontology#>
SELECT ?triples ?people ?papers ?sources ?named WHERE {
  { SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o } }
  { SELECT (COUNT(DISTINCT ?x) AS ?people) WHERE { ?x a foaf:Person } }
  { SELECT (COUNT(DISTINCT ?w) AS ?papers) WHERE { ?w a bibo:AcademicArticle } }
  { SELECT (COUNT(DISTINCT ?g) AS ?sources) WHERE { ?g a hg:SourceGraph } }
  { SELECT (COUNT(*) AS ?named) WHERE { GRAPH ?h { ?s2 ?p2 ?o2 } } }
}
"""
READERS = 3


def counts(store: Store) -> tuple[int, ...]:
    [row] = store.select(COUNTS)
    return tuple(row.values())


def ingest(store: Store, kind: str, path: Path) -> None:
    ingest_files(store, CONVERTERS[kind](store), [path], people=PeopleLists())


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_readers_see_the_old_or_the_new_graph(backend: str, tmp_path: Path) -> None:
    store = open_backend(backend, tmp_path)
    ingest(store, "ror", DATA / "ror" / "ror_v2_sample.json")
    pubmed = tmp_path / "pubmed.xml.gz"  # one path, two contents
    shutil.copyfile(DATA / "pubmed" / "medline16n0902_first40.xml.gz", pubmed)
    ingest(store, "pubmed", pubmed)
    old = counts(store)

    shutil.copyfile(DATA / "pubmed" / "pubmed_0_to_99.xml.gz", pubmed)
    done = threading.Event()
    answers: list[tuple[int, ...]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not done.is_set():
                answers.append(counts(store))
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for thread in readers:
        thread.start()
    try:
        ingest(store, "pubmed", pubmed)
    finally:
        done.set()
        for thread in readers:
            thread.join()
    assert not errors, errors
    new = counts(store)
    assert old != new and new[2] > old[2]
    between = [a for a in answers if a not in (old, new)]
    assert not between, f"{len(between)} of {len(answers)} answers were neither {old} nor {new}: {between[:3]}"
    assert old in answers and len(answers) >= 10
