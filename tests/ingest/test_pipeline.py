"""Ingest end to end on real files: counts, idempotence, atomic replace, bad input."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.stats import stats
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA

PUBMED = DATA / "pubmed" / "pubmed_0_to_99.xml.gz"
ROR = [DATA / "ror" / "ror_v2_sample.json", DATA / "ror" / "ror_v1_sample.json"]
HG = "PREFIX hg: <https://w3id.org/hubgraph/ontology#>\n"


def ingest(store: Store, kind: str, *paths: Path):
    return ingest_files(store, CONVERTERS[kind](store), list(paths))


def snapshot(store: Store) -> tuple:
    return (store.triple_count(), [s.graph for s in store.sources()],
            sorted(str(g) for g in store.ox.named_graphs()))


def test_pubmed_file_becomes_one_graph_with_provenance(store: Store) -> None:
    [report] = ingest(store, "pubmed", PUBMED)
    assert report.status == "loaded" and report.records == 91 and not report.skipped
    [source] = [s for s in store.sources() if s.kind == "pubmed"]
    assert source.name == PUBMED.name and source.records == 91
    assert source.sha256 == hashlib.sha256(PUBMED.read_bytes()).hexdigest()
    assert source.triples == report.triples
    counts = stats(store)["counts"]
    assert counts["paper"] == 91
    assert counts["authorship"] == 1095 and counts["topic"] == 447
    assert 800 < counts["person"] <= 1095


def test_reingesting_an_unchanged_file_is_a_no_op(store: Store) -> None:
    ingest(store, "pubmed", PUBMED)
    before = snapshot(store)
    [again] = ingest(store, "pubmed", PUBMED)
    assert again.status == "unchanged"
    assert snapshot(store) == before


def test_a_changed_file_replaces_its_graph(store: Store, tmp_path: Path) -> None:
    text = gzip.decompress(PUBMED.read_bytes()).decode()
    head, rest = text.split("<PubmedArticle>", 1)
    records = ["<PubmedArticle>" + r for r in rest.split("<PubmedArticle>")]
    path = tmp_path / "papers.xml"
    path.write_text(head + records[0].split("</PubmedArticleSet>")[0] + "</PubmedArticleSet>")
    ingest(store, "pubmed", path)
    path.write_text(head + records[1] + "</PubmedArticleSet>")
    [report] = ingest(store, "pubmed", path)
    assert report.status == "replaced"
    pmids = [r["pmid"] for r in store.select(
        "SELECT ?pmid WHERE { ?p <http://purl.org/ontology/bibo/pmid> ?pmid }")]
    assert pmids == ["12709467"]
    assert len([s for s in store.sources() if s.kind == "pubmed"]) == 1


def test_truncated_gzip_stops_with_the_file_named_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    ingest(store, "ror", *ROR)
    before = snapshot(store)
    good = tmp_path / "good.xml.gz"
    shutil.copy(PUBMED, good)
    truncated = tmp_path / "cut.xml.gz"
    data = PUBMED.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="cut.xml.gz"):
        ingest(store, "pubmed", good, truncated)
    assert snapshot(store) == before


def test_malformed_record_is_skipped_and_reported(store: Store, tmp_path: Path) -> None:
    text = gzip.decompress(PUBMED.read_bytes()).decode()
    broken = text.replace("<PMID Version=\"1\">19622817</PMID>", "<PMID Version=\"1\"></PMID>", 1)
    path = tmp_path / "broken.xml"
    path.write_text(broken)
    [report] = ingest(store, "pubmed", path)
    assert report.records == 90
    [reason] = report.skipped
    assert "broken.xml" in reason and "record 1" in reason and "PMID" in reason
    assert stats(store)["counts"]["paper"] == 90


def test_affiliations_resolve_to_ror_institutions_and_departments(store: Store) -> None:
    ingest(store, "ror", *ROR)
    ingest(store, "pubmed", PUBMED)
    rows = store.select(HG + """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?dept ?inst WHERE {
          ?a hg:affiliationText ?text ; hg:affiliation ?d .
          ?d org:subOrganizationOf ?i ; rdfs:label ?dept . ?i rdfs:label ?inst .
          FILTER(CONTAINS(?text, "Harvard Medical School"))
        }""")
    assert {"dept": "Department of Neurology", "inst": "Brigham and Women's Hospital"} in rows
    # Harvard Medical School's ROR record is withdrawn: its successor, Harvard University, stands in.
    assert {"dept": "Department of Pathology", "inst": "Harvard University"} in rows
    methods = {r["m"] for r in store.select(HG + "SELECT DISTINCT ?m WHERE { ?x hg:matchMethod ?m }")}
    assert "exact" in methods


def test_orcid_authors_get_orcid_person_iris(store: Store) -> None:
    ingest(store, "pubmed", DATA / "pubmed" / "test_current_medline.xml.gz")
    rows = store.select("""
        SELECT ?p ?orcid WHERE { ?p <http://vivoweb.org/ontology/core#orcidId> ?orcid }""")
    assert rows
    for row in rows:
        assert row["p"].endswith("/person/orcid-" + row["orcid"].rsplit("/", 1)[1])


def test_medline_text_gets_mesh_uis_from_the_bundled_list(store: Store) -> None:
    ingest(store, "pubmed", DATA / "pubmed" / "biopython_pubmed_result2.medline.txt")
    topics = store.select("""
        SELECT DISTINCT ?t WHERE { ?p <http://vivoweb.org/ontology/core#hasSubjectArea> ?t }""")
    assert topics and all(r["t"].startswith("http://id.nlm.nih.gov/mesh/D") for r in topics)


def test_mesh_tree_numbers_become_broader_links(store: Store) -> None:
    ingest(store, "mesh", DATA / "mesh" / "desc-samples.xml")
    rows = store.select("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?narrow ?broad WHERE { ?narrow skos:broader ?broad }""")
    assert rows
    for row in rows:
        assert row["narrow"].startswith("http://id.nlm.nih.gov/mesh/D")


def test_v1_ror_records_yield_to_loaded_v2_records(store: Store, tmp_path: Path) -> None:
    import json

    v2 = json.loads(ROR[0].read_text())
    harvard = next(r for r in v2 if r["id"].endswith("03vek6s52"))
    v1_of_harvard = {"id": harvard["id"], "name": "Harvard (old record)", "types": ["Education"],
                     "status": "active", "relationships": []}
    path = tmp_path / "v1.json"
    path.write_text(json.dumps([v1_of_harvard]))
    ingest(store, "ror", ROR[0])
    [report] = ingest(store, "ror", path)
    assert report.records == 0 and "schema v2 record" in report.skipped[0]
    labels = store.select("""SELECT ?l WHERE { ?o <http://vivoweb.org/ontology/core#rorId> "03vek6s52" ;
                                      <http://www.w3.org/2000/01/rdf-schema#label> ?l }""")
    assert labels == [{"l": "Harvard University"}]


def test_mesh_rdf_ntriples_ingest(store: Store) -> None:
    [report] = ingest(store, "mesh", DATA / "mesh" / "meshrdf-samples.nt")
    assert report.status == "loaded" and report.records > 10
    rows = store.select("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label WHERE { <http://id.nlm.nih.gov/mesh/D003920> skos:prefLabel ?label }""")
    assert rows == [{"label": "Diabetes Mellitus"}]


def test_progress_bar_runs_on_request(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED], progress=True)
    assert "pubmed_0_to_99.xml.gz" in capsys.readouterr().err


def test_papers_link_the_trials_they_name(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "trial-paper.xml"
    path.write_text("""<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation>
      <PMID>99999992</PMID><Article><ArticleTitle>Results of a trial</ArticleTitle>
      <DataBankList><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>
      <AccessionNumberList><AccessionNumber>NCT01760005</AccessionNumber></AccessionNumberList>
      </DataBank></DataBankList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>""")
    ingest(store, "pubmed", path)
    rows = store.select("""SELECT ?t WHERE { <http://127.0.0.1:8000/id/paper/pmid-99999992>
                                             <http://purl.org/dc/terms/relation> ?t }""")
    assert rows == [{"t": "http://127.0.0.1:8000/id/trial/NCT01760005"}]
