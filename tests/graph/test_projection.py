"""NetworkX projections built from the named queries, on a real PubMed file."""

from __future__ import annotations

import pytest

from graph import projection
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA

PUBMED = DATA / "pubmed" / "pubmed_0_to_99.xml.gz"
PERSON = "http://127.0.0.1:8000/id/person/"


@pytest.fixture
def loaded(store: Store) -> Store:
    ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED])
    return store


def test_coauthorship_links_authors_of_a_paper(loaded: Store) -> None:
    graph = projection.coauthorship(loaded)
    # PMID 19622817 (2009): Mattsson N is first author, Blennow K last, of 29.
    [first] = loaded.select("""
        SELECT ?p WHERE { ?a <http://vivoweb.org/ontology/core#relates> ?p ;
                             <http://vivoweb.org/ontology/core#rank> 1 ;
                             <http://vivoweb.org/ontology/core#relates> <http://127.0.0.1:8000/id/paper/pmid-19622817> .
                          ?p a <http://xmlns.com/foaf/0.1/Person> }""")
    a, b = first["p"], PERSON + "n-blennow-kaj"
    assert graph.nodes[a]["label"] == "Niklas Mattsson"
    edge = graph.edges[a, b]
    assert edge["weight"] >= 1 and edge["first"] <= 2009 <= edge["last"]
    assert len(list(graph.neighbors(a))) >= 28


def test_coauthorship_weight_counts_shared_papers(loaded: Store) -> None:
    rows = loaded.select("""
        PREFIX vivo: <http://vivoweb.org/ontology/core#>
        SELECT ?a ?b (COUNT(DISTINCT ?paper) AS ?n) WHERE {
          ?x vivo:relates ?paper, ?a . ?y vivo:relates ?paper, ?b .
          ?x a vivo:Authorship . ?y a vivo:Authorship .
          ?a a <http://xmlns.com/foaf/0.1/Person> . ?b a <http://xmlns.com/foaf/0.1/Person> .
          FILTER(STR(?a) < STR(?b))
        } GROUP BY ?a ?b HAVING (COUNT(DISTINCT ?paper) > 1) ORDER BY DESC(?n) LIMIT 5""")
    graph = projection.coauthorship(loaded)
    assert rows
    for row in rows:
        assert graph.edges[row["a"], row["b"]]["weight"] == row["n"]


def test_consortium_papers_are_left_out_above_the_team_cap(loaded: Store) -> None:
    full = projection.coauthorship(loaded)
    capped = projection.coauthorship(loaded, max_team_size=10)
    assert capped.number_of_edges() < full.number_of_edges()


def test_person_organization_and_topic_views(loaded: Store) -> None:
    topics = projection.person_topic(loaded)
    alz = "http://id.nlm.nih.gov/mesh/D000544"
    assert topics.nodes[alz] == {"label": "Alzheimer Disease", "kind": "topic"}
    assert topics.degree(alz) > 100
    orgs = projection.person_organization(loaded)
    kinds = {d["kind"] for _, d in orgs.nodes(data=True)}
    assert kinds == {"person", "organization"}
    assert all(d["weight"] >= 1 for _, _, d in orgs.edges(data=True))


def test_views_are_cached_per_store_version(loaded: Store) -> None:
    first = projection.coauthorship(loaded)
    assert projection.coauthorship(loaded) is first
    ingest_files(loaded, CONVERTERS["pubmed"](loaded), [DATA / "pubmed" / "pubmed-29768149.xml"])
    assert projection.coauthorship(loaded) is not first
