"""Linked data: content negotiation, HTML escaping, retired IRIs, 404s and the dump."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routers.linked_data import negotiate
from api.settings import load_settings
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.api.test_rest import BASE, BLENNOW, MGH, PAPER, WHITCOMBE, build_store

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
FOAF_NAME = ox.NamedNode("http://xmlns.com/foaf/0.1/name")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(module_store: Store) -> Iterator[TestClient]:
    yield TestClient(create_app(load_settings(environ={}, store=":memory:"), build_store(module_store)))


def path_of(iri: str) -> str:
    return "/id/" + iri[len(BASE):]


def parse(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt)}


@pytest.mark.parametrize("media,fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_paper_in_each_rdf_format(client: TestClient, media: str, fmt: ox.RdfFormat) -> None:
    response = client.get(path_of(PAPER), headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    triples = parse(response.content, fmt)
    paper = ox.NamedNode(PAPER)
    titles = [t.object.value for t in triples if t.subject == paper and t.predicate == TITLE]
    assert titles and titles[0].startswith("CSF biomarkers")
    # the labels of what it links to come along: its journal and its MeSH topics
    journal = next(t.object for t in triples if t.subject == paper
                   and t.predicate.value == "http://vivoweb.org/ontology/core#hasPublicationVenue")
    assert any(t.subject == journal and t.predicate == RDFS_LABEL for t in triples)


def test_default_format_is_turtle_and_format_parameter_wins(client: TestClient) -> None:
    assert client.get(path_of(PAPER)).headers["content-type"].startswith("text/turtle")
    response = client.get(path_of(PAPER) + "?format=nt", headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("application/n-triples")


def test_negotiation_honours_q_values() -> None:
    assert negotiate("text/turtle;q=0.5, application/ld+json") == "application/ld+json"
    assert negotiate(BROWSER) == "text/html"
    assert negotiate("*/*") == "text/turtle"
    assert negotiate("image/png") == "text/turtle"


def test_person_description_is_in_the_default_graph(client: TestClient) -> None:
    triples = parse(client.get(path_of(BLENNOW)).content, ox.RdfFormat.TURTLE)
    person = ox.NamedNode(BLENNOW)
    assert ox.Triple(person, FOAF_NAME, ox.Literal("Kaj Blennow")) in triples


def test_html_page_links_and_query(client: TestClient) -> None:
    response = client.get(path_of(WHITCOMBE), headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>Eleanor Whitcombe</h1>" in page
    assert 'href="/id/authorship/' in page or 'href="/id/person/' in page
    start = page.index('href="/sparql?') + len('href="')
    href = page[start:page.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlparse(href).query)["query"][0]
    assert f"<{WHITCOMBE}>" in query and "CONSTRUCT" in query


def test_organisation_html_links_other_entities(client: TestClient) -> None:
    page = client.get(path_of(MGH), headers={"Accept": "text/html"}).text
    assert 'href="/org/ror-04py2rh25"' in page and "Mass General Brigham" in page


def test_html_escapes_everything(store: Store, tmp_path: Path) -> None:
    tables = tmp_path / "evil"
    tables.mkdir()
    (tables / "people.csv").write_text(
        "id,given_name,family_name,orcid,email,institution,department,position,role,start,end\n"
        'X1,<script>alert(1)</script>,Smith,,x@example.org,,,"Chief ""things""",clinician,,\n',
        encoding="utf-8")
    ingest_files(store, CONVERTERS["table"](store), [tables])
    client = TestClient(create_app(load_settings(environ={}, store=":memory:"), store))
    person = store.select("SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> }")[0]["p"]
    page = client.get(path_of(person), headers={"Accept": BROWSER}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    record = client.get("/id/record/evil/X1", headers={"Accept": BROWSER})
    assert record.status_code == 200
    assert "<script>" not in record.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in record.text


def test_retired_person_iri_redirects(client: TestClient) -> None:
    response = client.get("/id/person/n-blennow-k", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == BLENNOW


def test_unknown_iri_is_404(client: TestClient) -> None:
    response = client.get("/id/person/nobody-at-all")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": f"nothing describes <{BASE}person/nobody-at-all>",
                               "errors": [f"nothing describes <{BASE}person/nobody-at-all>"], "status": 404}
    html_404 = client.get("/id/person/nobody-at-all", headers={"Accept": BROWSER})
    assert html_404.status_code == 404 and html_404.headers["content-type"].startswith("text/html")
    assert "Not found" in html_404.text


def test_dump_is_the_public_dataset(client: TestClient) -> None:
    response = client.get("/dump.nq.gz")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "hubgraph.nq.gz" in response.headers["content-disposition"]
    data = gzip.decompress(response.content)
    assert b"mailto:" not in data
    quads = list(ox.parse(io.BytesIO(data), ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert f"{BASE}graph/resolution" in graphs and f"{BASE}graph/provenance" in graphs
    assert not any("/graph/private/" in g or g.endswith("/graph/union") for g in graphs)
    assert any(q.subject.value == PAPER for q in quads)


def test_percent_encoded_iris_dereference(store: Store) -> None:
    iri = f"{BASE}paper/doi-10.1001%2Fjama.2009.1064"
    store.ox.add(ox.Quad(ox.NamedNode(iri), RDFS_LABEL, ox.Literal("A DOI-only paper")))
    client = TestClient(create_app(load_settings(environ={}, store=":memory:"), store))
    response = client.get("/id/paper/doi-10.1001%2Fjama.2009.1064", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert (ox.NamedNode(iri), RDFS_LABEL, ox.Literal("A DOI-only paper")) in {
        (t.subject, t.predicate, t.object) for t in parse(response.content, ox.RdfFormat.N_TRIPLES)}
