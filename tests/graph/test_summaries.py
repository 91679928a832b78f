"""Summaries (graph/summaries.py): each figure checked against an independent computation
from the graph itself, kept in an internal graph, reused after a restart and refreshed by
every ingest, resolution and removal."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import summaries
from graph.projection import coauthorship
from graph.queries import load_query
from graph.store import Store
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from ingest.resolve import resolve_store
from tests.support import DATA

PUBMED = DATA / "pubmed" / "pubmed_0_to_99.xml.gz"
SECOND = DATA / "pubmed" / "biopython_entrez_pubmed4.xml"
ROR = [DATA / "ror" / "ror_v2_sample.json"]

PREFIXES = """PREFIX vivo: <http://vivoweb.org/ontology/core#> PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX fabio: <http://purl.org/spar/fabio/> PREFIX hg: <https://w3id.org/hubgraph/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def ingest(store: Store, kind: str, *paths: Path) -> None:
    ingest_files(store, CONVERTERS[kind](store), list(paths), people=PeopleLists())


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """ROR and 100 Alzforum papers on disk, with summaries (read-only for the tests)."""
    store = Store.open(str(tmp_path_factory.mktemp("summaries") / "store"))
    ingest(store, "ror", *ROR)
    ingest(store, "pubmed", PUBMED)
    summaries.refresh(store)
    return store


def test_papers_per_org_year_counts_distinct_papers_per_affiliation(small: Store) -> None:
    rows = small.select(PREFIXES + """SELECT ?paper ?org ?y WHERE {
        ?a a vivo:Authorship ; hg:affiliation ?org ; vivo:relates ?paper .
        ?paper a bibo:AcademicArticle ; fabio:hasPublicationYear ?y }""")
    papers: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in rows:
        papers[(r["org"], int(str(r["y"])))].add(r["paper"])
    expected = sorted((org, year, len(p)) for (org, year), p in papers.items())
    got = sorted((r.org, r.year, r.papers) for r in summaries.papers_per_org_year(small))
    assert got == expected and len(got) > 20
    org = max(papers, key=lambda k: len(papers[k]))[0]
    assert {r.org for r in summaries.papers_per_org_year(small, org)} == {org}


def busy_person(store: Store) -> str:
    graph = coauthorship(store)
    return max(graph.nodes, key=lambda n: (graph.degree(n), n))


def test_coauthors_of_coauthors_are_the_projection_two_steps_away(small: Store) -> None:
    graph = coauthorship(small)
    person = busy_person(small)
    first = set(graph[person])
    via = Counter(y for c in first for y in graph[c] if y != person and y not in first)
    found = summaries.coauthors_of_coauthors(small, person, limit=10**6)
    assert {r.person: r.via for r in found} == dict(via) and len(found) > 5
    assert [r.via for r in found] == sorted((r.via for r in found), reverse=True)
    assert all(r.name == graph.nodes[r.person]["label"] for r in found)
    assert len(summaries.coauthors_of_coauthors(small, person, limit=3)) == 3


def test_topic_overlap_counts_shared_mesh_topics(small: Store) -> None:
    rows = small.select(PREFIXES + """SELECT DISTINCT ?person ?topic WHERE {
        ?a a vivo:Authorship ; vivo:relates ?person, ?paper . ?person a foaf:Person .
        ?paper hg:meshHeading/hg:descriptor ?topic }""")
    topics: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        topics[r["person"]].add(r["topic"])
    person = busy_person(small)
    expected = {other: len(t & topics[person]) for other, t in topics.items()
                if other != person and len(t & topics[person]) >= 2}
    found = summaries.topic_overlap(small, person, min_shared=2, limit=10**6)
    assert {r.person: r.shared for r in found} == expected and expected
    assert all(r.shared >= 4 for r in summaries.topic_overlap(small, person, min_shared=4))


def test_the_summary_graph_is_internal(small: Store) -> None:
    graph = small.summaries.value
    assert small.is_protected(graph) and not small.is_visible(graph)
    assert graph not in {g.value for g in small.named_graphs()}
    hidden = f"ASK {{ GRAPH ?g {{ ?s <{summaries.SUMMARY}coauthor> ?o }} }}"
    assert not small.query(hidden) and not small.query(hidden.replace("GRAPH ?g", ""))
    out = io.BytesIO()
    small.dump(out, ox.RdfFormat.N_QUADS)
    assert summaries.SUMMARY.encode() not in out.getvalue()


def test_summaries_persist_and_follow_every_change(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    store = Store.open(location)
    ingest(store, "pubmed", PUBMED)
    assert not summaries.is_current(store)
    person = busy_person(store)
    before = summaries.coauthors_of_coauthors(store, person)  # the first reader computes them
    assert before and summaries.is_current(store)
    del store
    reopened = Store.open(location)  # a restarted server reuses them as they are
    assert summaries.is_current(reopened)
    assert summaries.coauthors_of_coauthors(reopened, person) == before

    ingest(reopened, "pubmed", SECOND)  # an ingest refreshes them
    assert summaries.is_current(reopened)
    second = next(s for s in reopened.sources() if s.name == SECOND.name)
    years = {r.year for r in summaries.papers_per_org_year(reopened)}
    reopened.remove_source(second.graph)
    resolve_store(reopened, PeopleLists())  # as 'hubgraph sources remove' does
    assert summaries.is_current(reopened)
    assert {r.year for r in summaries.papers_per_org_year(reopened)} <= years
    internal = [g for g in reopened.ox.named_graphs() if g.value.startswith(reopened.summaries.value + "/")]
    assert len(internal) <= 2  # the current version and the one before it


def test_org_people_and_topics_equal_the_queries_over_the_graph(small: Store) -> None:
    orgs = [r["o"] for r in small.select(PREFIXES + "SELECT DISTINCT ?o WHERE { ?a hg:affiliation ?x . "
                                         "?x <http://www.w3.org/ns/org#subOrganizationOf>* ?o }")]
    checked = 0
    for org in orgs:
        # the queries order most papers first, then by name (people) or label (topics);
        # the summaries break the remaining ties by IRI
        people = small.select(load_query("ui_org_people"), org=org)
        assert [(m.person, m.name, m.papers) for m in summaries.org_people(small, org)] == \
            sorted(((r["person"], r["name"], r["papers"]) for r in people), key=lambda p: (-p[2], p[1], p[0]))
        topics = small.select(load_query("ui_org_topics"), org=org)
        assert [(t.topic, t.label, t.papers) for t in summaries.org_topics(small, org)] == \
            [(r["topic"], r["label"], r["papers"]) for r in topics]
        checked += bool(people and topics)
    assert checked > 10  # institutions with their departments' people and topics rolled up
