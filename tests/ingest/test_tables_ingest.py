"""Institutional tables through ingest: records, local ids, persons, private fields."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from graph import lookup
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "tables"
GOOD = DATA / "tables" / "good"
P = """PREFIX hg: <https://w3id.org/hubgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def ingest(store: Store, *folders: Path):
    return ingest_files(store, CONVERTERS["table"](store), list(folders))


def person_by_local_id(store: Store, local_id: str) -> list[dict]:
    return store.select(P + """SELECT ?id ?person ?name WHERE {
        ?r a hg:PersonRecord ; hg:localId ?id ; hg:resolvedTo ?person . ?person foaf:name ?name }""",
                        id=local_id)


def test_every_people_row_is_one_person_found_by_its_local_id(store: Store) -> None:
    [report] = ingest(store, SAMPLE)
    assert report.status == "loaded" and not report.skipped
    rows = store.select(P + "SELECT ?id ?person WHERE { ?r a hg:PersonRecord ; hg:localId ?id ; hg:resolvedTo ?person }")
    assert len(rows) == 26 and len({r["person"] for r in rows}) == 26
    [row] = person_by_local_id(store, "0041172")  # leading zeros kept exactly
    assert row["name"] == "Eleanor Whitcombe"
    assert row["person"].endswith("/person/orcid-0000-0003-4255-5031")


def test_ids_are_kept_exactly_and_never_merged(store: Store) -> None:
    [report] = ingest(store, GOOD)
    ids = {r["id"] for r in store.select(P + "SELECT ?id WHERE { ?r a hg:PersonRecord ; hg:localId ?id }")}
    assert "007" in ids and "P-12" in ids
    persons = store.select(P + "SELECT DISTINCT ?p WHERE { ?r a hg:PersonRecord ; hg:resolvedTo ?p }")
    assert len(persons) == len(ids)
    assert report.warnings  # the unknown column (Phone) and the unknown kind


def test_membership_carries_role_position_and_department(store: Store) -> None:
    ingest(store, SAMPLE)
    rows = store.select(P + """SELECT ?role ?position ?dept WHERE {
        ?r hg:localId "0041172" . ?m org:member ?r ; org:role/rdfs:label ?role ; rdfs:label ?position ;
           org:organization/rdfs:label ?dept }""")
    assert rows == [{"role": "clinician", "position": "Associate Professor of Neurology", "dept": "Neurology"}]


def test_emails_stay_in_the_private_graph(store: Store) -> None:
    ingest(store, SAMPLE)
    mbox = "<http://xmlns.com/foaf/0.1/mbox>"
    assert store.select(f"SELECT * WHERE {{ ?s {mbox} ?o }}") == []
    assert store.select(f"SELECT * WHERE {{ GRAPH ?g {{ ?s {mbox} ?o }} }}") == []
    assert store.select("SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"@example.org\")) }") == []
    private = list(store.ox.quads_for_pattern(None, None, None, None))
    assert sum(1 for q in private if q.predicate.value.endswith("mbox")) == 25
    # asked for explicitly (callers with the private token): every address, and one person's
    assert len(store.select(f"SELECT * WHERE {{ ?s {mbox} ?o }}", private=True)) == 25
    assert len(store.private_graphs()) == 1 and store.is_visible(store.private_graphs()[0].value, private=True)
    assert not store.is_visible(store.private_graphs()[0].value)
    [person] = person_by_local_id(store, "0041172")
    assert lookup.person_emails(store, person["person"]) == ["e.whitcombe@example.org"]


def test_a_pubmed_author_with_the_same_orcid_joins_the_table_person(store: Store, tmp_path: Path) -> None:
    ingest(store, SAMPLE)
    [before] = person_by_local_id(store, "0041172")
    paper = tmp_path / "p.xml"
    paper.write_text("""<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation>
      <PMID>99999991</PMID><Article><ArticleTitle>A test paper</ArticleTitle><AuthorList>
      <Author><LastName>Whitcombe</LastName><ForeName>E</ForeName><Initials>E</Initials>
      <Identifier Source="ORCID">0000-0003-4255-5031</Identifier></Author></AuthorList></Article>
      </MedlineCitation></PubmedArticle></PubmedArticleSet>""")
    ingest_files(store, CONVERTERS["pubmed"](store), [paper])
    rows = store.select("""SELECT ?p WHERE { <http://127.0.0.1:8000/id/authorship/pmid-99999991-1>
                                             <http://vivoweb.org/ontology/core#relates> ?p .
                                             ?p a <http://xmlns.com/foaf/0.1/Person> }""")
    assert rows == [{"p": before["person"]}]


def test_a_bad_table_stops_with_file_line_and_column_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    shutil.copytree(SAMPLE, folder)
    people = folder / "people.csv"
    lines = people.read_text().splitlines()
    lines[2] = lines[2].replace(",2016-09,", ",Sept 2016,")
    people.write_text("\n".join(lines) + "\n")
    store_dir = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "--store", str(store_dir),
                           "ingest", "table", str(folder)], capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout
    assert "people.csv" in proc.stderr and "line 3" in proc.stderr and "start" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [s.kind for s in Store.open(str(store_dir)).sources()] == ["ontology"]
