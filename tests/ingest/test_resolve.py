"""Identity resolution in the store: stable IRIs, curation, merges and their undo,
opt-out and removal, on a real PubMed file."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.ontology import ensure_ontology
from graph.store import Store
from ingest.curation import PeopleLists, read_curation
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from ingest.resolve import resolve_store
from tests.support import DATA

PUBMED = DATA / "pubmed" / "pubmed_0_to_99.xml.gz"
V = "PREFIX vivo: <http://vivoweb.org/ontology/core#>\nPREFIX hg: <https://w3id.org/hubgraph/ontology#>\n"
PERSON_OF = V + """SELECT ?person WHERE {{ <http://127.0.0.1:8000/id/authorship/pmid-{pmid}-{rank}>
                                          vivo:relates ?person . ?person a <http://xmlns.com/foaf/0.1/Person> }}"""


@pytest.fixture
def loaded(store: Store) -> Store:
    ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED])
    return store


def person_of(store: Store, pmid: str, rank: int) -> str | None:
    rows = store.select(PERSON_OF.format(pmid=pmid, rank=rank))
    assert len(rows) <= 1
    return rows[0]["person"] if rows else None


def test_every_authorship_has_exactly_one_person_with_confidence_and_evidence(loaded: Store) -> None:
    rows = loaded.select(V + """
        SELECT ?a (COUNT(DISTINCT ?p) AS ?n) (SAMPLE(?c) AS ?conf) (COUNT(DISTINCT ?e) AS ?evidence) WHERE {
          ?a a vivo:Authorship . OPTIONAL { ?a vivo:relates ?p . ?p a <http://xmlns.com/foaf/0.1/Person> }
          OPTIONAL { ?a hg:resolutionConfidence ?c } OPTIONAL { ?a hg:resolutionEvidence ?e }
        } GROUP BY ?a""")
    assert len(rows) == 1095
    assert all(r["n"] == 1 and 0 < r["conf"] <= 1 and r["evidence"] >= 1 for r in rows)


def test_rerunning_resolution_changes_nothing(loaded: Store) -> None:
    before = loaded.graph_triples(loaded.resolution)
    report = resolve_store(loaded)
    assert (report.added, report.deleted, report.retired) == (0, 0, 0)
    assert loaded.graph_triples(loaded.resolution) == before


def test_person_iris_survive_reingest_of_the_same_data(tmp_path: Path) -> None:
    keys = []
    for attempt in range(2):
        store = Store.open(str(tmp_path / f"s{attempt}"))
        ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED])
        keys.append(sorted(r["p"] for r in store.select(
            "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")))
    assert keys[0] == keys[1]


def test_a_curated_merge_retires_an_iri_and_its_undo_brings_it_back(loaded: Store) -> None:
    singles = loaded.select(V + """SELECT ?p (SAMPLE(?a) AS ?mention) WHERE {
        ?a a vivo:Authorship ; vivo:relates ?p . ?p a <http://xmlns.com/foaf/0.1/Person> }
        GROUP BY ?p HAVING (COUNT(?a) = 1) ORDER BY ?p LIMIT 2""")
    (first, m1), (second, m2) = [(r["p"], r["mention"]) for r in singles]
    resolve_store(loaded, PeopleLists(merge=((m1, m2),)))
    merged = loaded.select(f"{V}SELECT DISTINCT ?p WHERE {{ VALUES ?a {{ <{m1}> <{m2}> }} ?a hg:resolvedTo ?p }}")
    assert len(merged) == 1 and merged[0]["p"] in (first, second)
    retired = second if merged[0]["p"] == first else first
    rows = loaded.select(f"SELECT ?new WHERE {{ <{retired}> <http://www.w3.org/2002/07/owl#sameAs> ?new }}")
    assert rows == [{"new": merged[0]["p"]}]
    evidence = {r["e"] for r in loaded.select(f"{V}SELECT ?e WHERE {{ <{m1}> hg:resolutionEvidence ?e }}")}
    assert "curation" in evidence

    resolve_store(loaded, PeopleLists())
    again = {r["a"]: r["p"] for r in loaded.select(
        f"{V}SELECT ?a ?p WHERE {{ VALUES ?a {{ <{m1}> <{m2}> }} ?a hg:resolvedTo ?p }}")}
    assert again == {m1: first, m2: second}
    assert not loaded.select(f"SELECT ?x WHERE {{ <{retired}> <http://www.w3.org/2002/07/owl#sameAs> ?x }}")


def test_split_and_never_always_win(loaded: Store) -> None:
    rows = loaded.select(V + """SELECT ?p (COUNT(?a) AS ?n) (SAMPLE(?a) AS ?one) WHERE {
        ?a a vivo:Authorship ; vivo:relates ?p . ?p a <http://xmlns.com/foaf/0.1/Person> }
        GROUP BY ?p HAVING (COUNT(?a) > 1) ORDER BY DESC(?n) LIMIT 1""")
    person, mention = rows[0]["p"], rows[0]["one"]
    resolve_store(loaded, PeopleLists(split=(mention,)))
    alone = loaded.select(f"{V}SELECT ?p WHERE {{ <{mention}> vivo:relates ?p . ?p a <http://xmlns.com/foaf/0.1/Person> }}")
    assert alone[0]["p"] != person
    others = loaded.select(f"{V}SELECT ?a WHERE {{ ?a vivo:relates <{person}> ; a vivo:Authorship }}")
    assert mention not in {r["a"] for r in others}


def test_opt_out_flags_and_removal_erases(loaded: Store) -> None:
    target = person_of(loaded, "19622817", 1)
    key = target.rsplit("/", 1)[1]
    resolve_store(loaded, PeopleLists(opt_out=(key,)))
    assert loaded.select(V + f"SELECT ?x WHERE {{ <{target}> hg:optedOut ?x }}") == [{"x": True}]
    resolve_store(loaded, PeopleLists(remove=(key,)))
    assert person_of(loaded, "19622817", 1) is None
    leftovers = loaded.select(
        "SELECT ?g ?p WHERE { GRAPH ?g { <http://127.0.0.1:8000/id/authorship/pmid-19622817-1> ?p ?o } }")
    assert leftovers == []
    assert not loaded.select(f"SELECT ?p WHERE {{ <{target}> ?p ?o }}")


def test_hidden_orcids_still_give_every_authorship_a_person(store: Store, tmp_path: Path) -> None:
    import gzip
    import re

    text = gzip.decompress((DATA / "pubmed" / "test_current_medline.xml.gz").read_bytes()).decode()
    hidden = tmp_path / "no-orcid.xml"
    hidden.write_text(re.sub(r'<Identifier Source="ORCID">[^<]*</Identifier>', "", text))
    ingest_files(store, CONVERTERS["pubmed"](store), [hidden])
    rows = store.select(V + """SELECT ?a WHERE { ?a a vivo:Authorship
        FILTER NOT EXISTS { ?a vivo:relates ?p . ?p a <http://xmlns.com/foaf/0.1/Person> } }""")
    assert rows == []


def test_curation_file_errors_name_the_file_and_field(tmp_path: Path) -> None:
    good = tmp_path / "curation.toml"
    good.write_text('[[merge]]\nmentions = ["pmid:1/1", "pmid:2/3"]\n[people]\nopt_out = ["0000-0002-1825-0097"]\n')
    lists = read_curation(good)
    assert lists.merge == (("pmid:1/1", "pmid:2/3"),) and lists.opt_out == ("0000-0002-1825-0097",)
    assert read_curation(tmp_path / "absent.toml").merge == ()
    bad = tmp_path / "bad.toml"
    bad.write_text("[[merge]\n")
    with pytest.raises(IngestError, match="bad.toml"):
        read_curation(bad)
    short = tmp_path / "short.toml"
    short.write_text('[[never]]\nmentions = ["pmid:1/1"]\n')
    with pytest.raises(IngestError, match=r"short.toml.*never\[0\]\.mentions.*exactly 2"):
        read_curation(short)


def test_a_contradictory_curation_file_is_a_clear_error(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "curation.toml"
    path.write_text('[[merge]]\nmentions = ["pmid:19622817/1", "pmid:19622817/2"]\n'
                    '[[never]]\nmentions = ["pmid:19622817/1", "pmid:19622817/2"]\n')
    with pytest.raises(IngestError, match="curation.toml"):
        resolve_store(loaded, read_curation(path))


def test_resolution_is_part_of_the_ingest_transaction(store: Store, tmp_path: Path) -> None:
    """A resolution that fails (here: a curation file contradicting itself) fails the ingest,
    and the store is left exactly as it was: sources and persons become visible together."""
    path = tmp_path / "curation.toml"
    path.write_text('[[merge]]\nmentions = ["pmid:19622817/1", "pmid:19622817/2"]\n'
                    '[[never]]\nmentions = ["pmid:19622817/1", "pmid:19622817/2"]\n')
    ensure_ontology(store)  # loaded once per store, before any source
    before = (store.triple_count(), store.sources())
    with pytest.raises(IngestError, match="curation.toml"):
        ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED], people=read_curation(path))
    assert (store.triple_count(), store.sources()) == before
    ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED])
    assert person_of(store, "19622817", 1) is not None
