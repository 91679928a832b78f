"""The browser query page at GET /sparql and the /static files."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
RESULTS_JSON = "application/sparql-results+json"
VALUES = 'SELECT ?x WHERE { VALUES ?x { "plain" "<b>bold</b>" } }'


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = Store.open()
    ingest_files(store, CONVERTERS["ror"](store), ["tests/data/ror/ror_v2_sample.json"])
    with TestClient(create_app(load_settings(environ={}, store=":memory:"), store)) as c:
        yield c


def test_browser_gets_editor_and_examples(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": BROWSER["Accept"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<textarea id="query" name="query"' in page
    assert '<script src="/static/sparql.js"' in page and 'href="/static/hubgraph.css"' in page
    assert page.count('class="example"') >= 2
    assert "One paper (?paper): ?pmid, ?doi, ?title and ?year." in page  # graph/queries title
    assert "graph_contents" in page  # docs/queries


def test_results_table_escaped(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": VALUES}, headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    table = page[page.index('<table class="results">'):page.index("</table>")]
    assert "<th>x</th>" in table and "<td>plain</td>" in table
    assert "&lt;b&gt;bold&lt;/b&gt;" in table and "<b>bold" not in page
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f"format={fmt}" in page
    assert "&lt;b&gt;" in page[page.index("<textarea"):page.index("</textarea>")]


def test_store_iris_link_and_construct(client: TestClient) -> None:
    q = "SELECT ?s WHERE { ?s a ?t } LIMIT 3"
    page = client.get("/sparql", params={"query": q}, headers=BROWSER).text
    assert re.search(r'<td><a href="/id/[^"]+" title="http://127\.0\.0\.1:8000/id/', page)
    c = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"
    page = client.get("/sparql", params={"query": c}, headers=BROWSER).text
    assert "<th>subject</th>" in page and "2 triples" in page
    for fmt in ("ttl", "nt", "rdfxml", "jsonld"):
        assert f"format={fmt}" in page


def test_ask_and_error(client: TestClient) -> None:
    page = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=BROWSER).text
    assert "<strong>true</strong>" in page
    r = client.get("/sparql", params={"query": "SELECT <oops"}, headers=BROWSER)
    assert r.status_code == 200 and 'class="error"' in r.text and "<oops" not in r.text


def test_api_clients_get_protocol(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": VALUES}, headers={"Accept": RESULTS_JSON})
    assert r.headers["content-type"].startswith(RESULTS_JSON)
    assert {b["x"]["value"] for b in json.loads(r.text)["results"]["bindings"]} == {"plain", "<b>bold</b>"}
    # a download link, and a browser-like Accept from a tool, get protocol results
    r = client.get("/sparql", params={"query": VALUES, "format": "csv"}, headers=BROWSER)
    assert r.headers["content-type"].startswith("text/csv")
    r = client.get("/sparql", params={"query": VALUES}, headers={"Accept": BROWSER["Accept"]})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    # without a query, a tool gets the service description (api/routers/sparql.py)
    assert client.get("/sparql", headers={"Accept": RESULTS_JSON}).headers["content-type"].startswith("text/turtle")


def test_static_files(client: TestClient) -> None:
    js = client.get("/static/sparql.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    css = client.get("/static/hubgraph.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for bad in ("/static/../settings.py", "/static/..%2Fsettings.py", "/static/%2E%2E%2Fsettings.py",
                "/static/nope.js"):
        r = client.get(bad)
        assert r.status_code == 404 and "Settings" not in r.text, bad


def test_no_external_urls(client: TestClient) -> None:
    page = client.get("/sparql", params={"query": VALUES}, headers=BROWSER).text
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page)
    assert tags and not any(re.search(r"https?://|//", t) for t in tags)
    assert client.get("/static/sparql.js").text.count("http") == 0
