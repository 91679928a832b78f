"""The SPARQL 1.1 Protocol endpoint: every test of the W3C protocol manifest
(sparql11/protocol/manifest.ttl, written out here), then content negotiation, the
update token, SERVICE/LOAD refusal, the row cap, the time limit and syntax errors."""

from __future__ import annotations

import csv
import io
import json
import time
import warnings
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.store import Store

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
K = "http://kasei.us/2009/09/sparql/data/"
DATA = {n: f"<{K}data{n}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
           f"<http://xmlns.com/foaf/0.1/Document> .\n" for n in (1, 2, 3)}
DATA0 = quote(f"{K}data0.rdf", safe="")
RESULTS_JSON = "application/sparql-results+json"


def make_client(**settings: object) -> TestClient:
    values: dict[str, object] = {"store": ":memory:", "update_token": TOKEN, **settings}
    return TestClient(create_app(load_settings(environ={}, **values), Store.open()))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with make_client() as c:
        yield c


def load(client: TestClient, *numbers: int) -> None:
    """The protocol tests' ut:graphData: dataN.nt as the graph <.../dataN.rdf>."""
    for n in numbers:
        r = client.put(f"/store?graph={quote(f'{K}data{n}.rdf', safe='')}", content=DATA[n],
                       headers={**AUTH, "Content-Type": "application/n-triples"})
        assert r.status_code in (201, 204), r.text


def boolean(response: object) -> bool:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    ctype = response.headers["content-type"]  # type: ignore[attr-defined]
    if ctype.startswith("application/sparql-results+xml"):
        return "<boolean>true</boolean>" in response.text  # type: ignore[attr-defined]
    assert ctype.startswith(RESULTS_JSON)
    value = response.json()["boolean"]  # type: ignore[attr-defined]
    assert isinstance(value, bool)
    return value


def q(text: str) -> str:
    return quote(text, safe="")


# -- the W3C protocol manifest ---------------------------------------------------------


def test_query_post_form(client: TestClient) -> None:
    r = client.post(f"/sparql/?default-graph-uri={DATA0}", content="query=ASK%20%7B%7D",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert boolean(r) is True


def test_query_dataset_default_graphs_get(client: TestClient) -> None:
    load(client, 1, 2)
    query = f"ASK {{ <{K}data1.rdf> a ?type . <{K}data2.rdf> a ?type . }}"
    r = client.get(f"/sparql/?query={q(query)}&default-graph-uri={q(K + 'data1.rdf')}"
                   f"&default-graph-uri={q(K + 'data2.rdf')}")
    assert boolean(r) is True


def test_query_dataset_default_graphs_post(client: TestClient) -> None:
    load(client, 1, 2)
    r = client.post(f"/sparql/?default-graph-uri={q(K + 'data1.rdf')}&default-graph-uri={q(K + 'data2.rdf')}",
                    content=f"ASK {{ <{K}data1.rdf> a ?type . <{K}data2.rdf> a ?type . }}",
                    headers={"Content-Type": "application/sparql-query"})
    assert boolean(r) is True


NAMED_ASK = (f"ASK {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}")


def test_query_dataset_named_graphs_post(client: TestClient) -> None:
    load(client, 1, 2)
    r = client.post(f"/sparql/?named-graph-uri={q(K + 'data1.rdf')}&named-graph-uri={q(K + 'data2.rdf')}",
                    content=NAMED_ASK, headers={"Content-Type": "application/sparql-query"})
    assert boolean(r) is True


def test_query_dataset_named_graphs_get(client: TestClient) -> None:
    load(client, 1, 2)
    r = client.get(f"/sparql/?query={q(NAMED_ASK)}&named-graph-uri={q(K + 'data1.rdf')}"
                   f"&named-graph-uri={q(K + 'data2.rdf')}")
    assert boolean(r) is True


def test_query_dataset_full(client: TestClient) -> None:
    load(client, 1, 2, 3)
    query = (f"ASK {{\n  <{K}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{K}data1.rdf> a ?type }}\n"
             f"  GRAPH ?g2 {{ <{K}data2.rdf> a ?type }}\n}}")
    r = client.post(f"/sparql/?default-graph-uri={q(K + 'data3.rdf')}&named-graph-uri={q(K + 'data1.rdf')}"
                    f"&named-graph-uri={q(K + 'data2.rdf')}",
                    content=query, headers={"Content-Type": "application/sparql-query"})
    assert boolean(r) is True


def test_query_multiple_dataset(client: TestClient) -> None:
    """The protocol's dataset wins over the query's FROM."""
    load(client, 1, 2, 3)
    query = (f"ASK FROM <{K}data3.rdf> {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} "
             f"GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}")
    r = client.post(f"/sparql/?named-graph-uri={q(K + 'data1.rdf')}&named-graph-uri={q(K + 'data2.rdf')}",
                    content=query, headers={"Content-Type": "application/sparql-query"})
    assert boolean(r) is True


def test_query_get(client: TestClient) -> None:
    assert boolean(client.get(f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={DATA0}")) is True


def _direct(client: TestClient, query: str) -> object:
    return client.post(f"/sparql/?default-graph-uri={DATA0}", content=query,
                       headers={"Content-Type": "application/sparql-query"})


def test_query_content_type_select(client: TestClient) -> None:
    r = _direct(client, "SELECT (1 AS ?value) {}")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert r.headers["content-type"].split(";")[0] in (  # type: ignore[attr-defined]
        RESULTS_JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values")


def test_query_content_type_ask(client: TestClient) -> None:
    r = _direct(client, "ASK {}")
    assert r.headers["content-type"].split(";")[0] in (  # type: ignore[attr-defined]
        RESULTS_JSON, "application/sparql-results+xml")


@pytest.mark.parametrize("query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"])
def test_query_content_type_describe_and_construct(client: TestClient, query: str) -> None:
    r = _direct(client, query)
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"].split(";")[0] in (  # type: ignore[attr-defined]
        "application/rdf+xml", "text/turtle", "application/n-triples")


def _update(client: TestClient, path: str, update: str) -> None:
    r = client.post(path, content=update, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert r.status_code in (200, 204), r.text


def _ask(client: TestClient, query: str) -> bool:
    return boolean(client.post("/sparql/", content=query, headers={"Content-Type": "application/sparql-query"}))


INSERT_ALL = f"""PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {{
    GRAPH <{K}data1.rdf> {{ <{K}data1.rdf> a foaf:Document }}
    GRAPH <{K}data2.rdf> {{ <{K}data2.rdf> a foaf:Document }}
    GRAPH <{K}data3.rdf> {{ <{K}data3.rdf> a foaf:Document }}
}} ;
"""
DC = "<http://purl.org/dc/terms/BibliographicResource>"


def test_update_dataset_default_graph(client: TestClient) -> None:
    _update(client, f"/sparql/?using-graph-uri={q(K + 'data1.rdf')}", f"""PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CLEAR ALL ;
INSERT DATA {{ GRAPH <{K}data1.rdf> {{ <{K}data1.rdf> a foaf:Document }} }} ;
INSERT {{ GRAPH <http://example.org/protocol-update-dataset-test/> {{ ?s a dc:BibliographicResource }} }}
WHERE {{ ?s a foaf:Document }}""")
    assert _ask(client, f"ASK {{ GRAPH <http://example.org/protocol-update-dataset-test/> "
                        f"{{ <{K}data1.rdf> a {DC} }} }}")


def _graphs_test(client: TestClient, params: str, target: str, where: str) -> None:
    _update(client, f"/sparql/?{params}", INSERT_ALL + f"""INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }}
WHERE {{ {where} }}""")
    assert _ask(client, f"""ASK {{
    GRAPH <{target}> {{ <{K}data1.rdf> a {DC} . <{K}data2.rdf> a {DC} . }}
    FILTER NOT EXISTS {{ GRAPH <{target}> {{ <{K}data3.rdf> a {DC} . }} }}
}}""")


def test_update_dataset_default_graphs(client: TestClient) -> None:
    _graphs_test(client, f"using-graph-uri={q(K + 'data1.rdf')}&using-graph-uri={q(K + 'data2.rdf')}",
                 "http://example.org/protocol-update-dataset-graphs-test/", "?s a foaf:Document")


def test_update_dataset_named_graphs(client: TestClient) -> None:
    _graphs_test(client, f"using-named-graph-uri={q(K + 'data1.rdf')}&using-named-graph-uri={q(K + 'data2.rdf')}",
                 "http://example.org/protocol-update-dataset-named-graphs-test/",
                 "GRAPH ?g { ?s a foaf:Document }")


def test_update_dataset_full(client: TestClient) -> None:
    target = "http://example.org/protocol-update-dataset-full-test/"
    _update(client, f"/sparql/?using-graph-uri={q(K + 'data1.rdf')}&using-named-graph-uri={q(K + 'data2.rdf')}",
            INSERT_ALL + f"""INSERT {{ GRAPH <{target}> {{ ?s <http://example.org/in> ?in }} }}
WHERE {{ {{ GRAPH ?g {{ ?s a foaf:Document }} BIND(?g AS ?in) }}
UNION {{ ?s a foaf:Document . BIND("default" AS ?in) }} }}""")
    assert _ask(client, f"""ASK {{
    GRAPH <{target}> {{ <{K}data1.rdf> <http://example.org/in> "default" .
                       <{K}data2.rdf> <http://example.org/in> <{K}data2.rdf> . }}
    FILTER NOT EXISTS {{ GRAPH <{target}> {{ <{K}data3.rdf> ?p ?o }} }}
}}""")


def test_update_post_form(client: TestClient) -> None:
    r = client.post("/sparql/", content="update=CLEAR+ALL",
                    headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code in (200, 204)


def test_update_post_direct(client: TestClient) -> None:
    _update(client, "/sparql/", "CLEAR ALL")


def test_update_base_uri(client: TestClient) -> None:
    _update(client, "/sparql/", "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\n"
            "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
            "{ <http://example.org/s> <http://example.org/p> <test> } }")
    assert _ask(client, "ASK { GRAPH <http://example.org/protocol-base-test/> { "
                        '<http://example.org/s> <http://example.org/p> ?o FILTER (isIRI(?o) && STR(?o) != "test") } }')


def test_query_post_direct(client: TestClient) -> None:
    assert _ask(client, "ASK {}") is True


def test_bad_query_method(client: TestClient) -> None:
    r = client.put(f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={DATA0}",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= r.status_code < 500


BAD_REQUESTS = {
    "bad_multiple_queries": ("GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, None),
    "bad_query_wrong_media_type": ("POST", "/sparql/", "ASK {}", "text/plain"),
    "bad_query_missing_form_type": ("POST", "/sparql/", "query=ASK%20%7B%7D", None),
    "bad_query_missing_direct_type": ("POST", "/sparql/", "ASK {}", None),
    "bad_query_non_utf8": ("POST", "/sparql/", "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),
    "bad_query_syntax": ("GET", "/sparql/?query=ASK%20%7B", None, None),
    "bad_update_get": ("GET", "/sparql/?update=CLEAR%20ALL", None, None),
    "bad_multiple_updates": ("POST", "/sparql/", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
                             "application/x-www-form-urlencoded"),
    "bad_update_wrong_media_type": ("POST", "/sparql/", "CLEAR NAMED", "text/plain"),
    "bad_update_missing_form_type": ("POST", "/sparql/", "update=CLEAR%20NAMED", None),
    "bad_update_non_utf8": ("POST", "/sparql/", "CLEAR NAMED".encode("utf-16"),
                            "application/sparql-update; charset=UTF-16"),
    "bad_update_syntax": ("POST", "/sparql/", "update=CLEAR%20XYZ", "application/x-www-form-urlencoded"),
    "bad_update_dataset_conflict": (
        "POST", "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        "WHERE {\n    ?person foaf:givenName 'Bill'\n}", "application/sparql-update"),
}


@pytest.mark.parametrize("name", list(BAD_REQUESTS))
def test_bad_requests_are_4xx(client: TestClient, name: str) -> None:
    method, path, body, ctype = BAD_REQUESTS[name]
    headers = dict(AUTH)
    if ctype:
        headers["Content-Type"] = ctype
    r = client.request(method, path, content=body, headers=headers)
    assert 400 <= r.status_code < 500, (name, r.status_code, r.text)
    assert r.json()["ok"] is False


# -- content negotiation -----------------------------------------------------------------

SELECT = "SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o"


@pytest.fixture
def data_client(client: TestClient) -> TestClient:
    _update(client, "/update", 'INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> "x, \\"y\\"" . '
                               '<http://ex/a> <http://ex/q> "chat"@fr . <http://ex/b> <http://ex/p> 2 } }')
    return client


@pytest.mark.parametrize(("accept", "media"), [
    (None, RESULTS_JSON), ("*/*", RESULTS_JSON), ("application/json", RESULTS_JSON),
    (RESULTS_JSON, RESULTS_JSON), ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_select_formats(data_client: TestClient, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = data_client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        values = {row["o"] for row in rows}
    else:
        parsed = ox.parse_query_results(r.content, {
            RESULTS_JSON: ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media])
        rows = list(parsed)  # type: ignore[arg-type]
        values = {row["o"].value for row in rows}
    assert len(rows) == 3
    assert values == {'x, "y"', "chat", "2"}


def test_csv_quotes_and_tsv_terms(data_client: TestClient) -> None:
    text = data_client.get("/sparql", params={"query": SELECT, "format": "csv"}).text
    assert list(csv.reader(io.StringIO(text)))[0] == ["s", "o"]
    assert ['http://ex/a', 'x, "y"'] in list(csv.reader(io.StringIO(text)))
    tsv = data_client.get("/sparql", params={"query": SELECT, "format": "tsv"}).text
    assert '"chat"@fr' in tsv and tsv.startswith("?s\t?o")


@pytest.mark.parametrize(("fmt", "accept", "media", "rdf_format"), [
    (None, None, "text/turtle", ox.RdfFormat.TURTLE),
    (None, "text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    (None, "application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    (None, "application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    (None, "application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    (None, "application/sparql-results+json, application/n-triples;q=0.8", "application/n-triples",
     ox.RdfFormat.N_TRIPLES),
    ("jsonld", "text/html", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("nt", None, "application/n-triples", ox.RdfFormat.N_TRIPLES),
])
def test_construct_formats(data_client: TestClient, fmt: str | None, accept: str | None, media: str,
                           rdf_format: ox.RdfFormat) -> None:
    params = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"}
    if fmt:
        params["format"] = fmt
    r = data_client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    assert len(list(ox.parse(r.content, rdf_format))) == 3


def test_describe(data_client: TestClient) -> None:
    r = data_client.get("/sparql", params={"query": "DESCRIBE <http://ex/a> FROM <http://ex/g>"},
                        headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert len(list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))) == 2


def test_ask_formats(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": "ASK {}", "format": "xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in xml.text
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", params={"query": "ASK {}", "format": "bogus"})
    assert r.status_code == 400 and "unknown format" in r.json()["error"]


def test_query_alias_and_default_dataset(data_client: TestClient) -> None:
    """Without a dataset, client graphs are named graphs, not part of the default graph."""
    r = data_client.get("/query", params={"query": "SELECT * { ?s ?p ?o }"})
    assert r.json()["results"]["bindings"] == []
    r = data_client.get("/query", params={"query": "SELECT * FROM <http://ex/g> { ?s ?p ?o }"})
    assert len(r.json()["results"]["bindings"]) == 3


# -- the update token ------------------------------------------------------------------------

INSERT = "INSERT DATA { GRAPH <http://ex/t> { <http://ex/s> <http://ex/p> <http://ex/o> } }"
COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"


def _count(client: TestClient) -> int:
    return int(client.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("path", ["/sparql/update", "/update", "/sparql"])
def test_update_needs_the_token(client: TestClient, path: str) -> None:
    ctype = {"Content-Type": "application/sparql-update"}
    r = client.post(path, content=INSERT, headers=ctype)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = client.post(path, content=INSERT, headers={**ctype, "Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = client.post(path, content=INSERT, headers={**ctype, "Authorization": "Basic dDBrZW4="})
    assert r.status_code == 401
    assert _count(client) == 0
    r = client.post(path, content=INSERT, headers={**ctype, **AUTH})
    assert r.status_code == 204
    assert _count(client) == 1


def test_read_only_without_a_token_setting() -> None:
    with make_client(update_token="") as c:
        r = c.post("/update", data={"update": INSERT}, headers=AUTH)
        assert r.status_code == 403 and "read-only" in r.json()["error"]
        r = c.put("/store?default", content="<http://a> <http://b> <http://c> .",
                  headers={**AUTH, "Content-Type": "application/n-triples"})
        assert r.status_code == 403
        assert _count(c) == 0
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is False


def test_updates_never_reach_hubgraph_graphs(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    protected = store.provenance.value
    for update in (f"INSERT DATA {{ GRAPH <{protected}> {{ <http://a> <http://b> <http://c> }} }}",
                   f"DROP GRAPH <{protected}>",
                   f"PREFIX g: <{store.minter.graph('')}> CLEAR GRAPH g:union"):
        r = client.post("/update", data={"update": update}, headers=AUTH)
        assert r.status_code == 403, update
        assert "hubgraph" in r.json()["error"]
    # ALL / NAMED only clear client graphs
    store.ox.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c"), store.provenance))
    _update(client, "/update", INSERT)
    _update(client, "/update", "DROP ALL")
    assert list(store.ox.quads_for_pattern(None, None, None, store.provenance))
    assert _count(client) == 1  # only the provenance triple is left
    r = client.post("/update", data={"update": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"}, headers=AUTH)
    assert r.status_code == 403 and "GRAPH ?variable" in r.json()["error"]


# -- SERVICE and LOAD ---------------------------------------------------------------------------


def test_service_refused(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert r.status_code == 403
    assert "SERVICE <http://127.0.0.1:9/>" in r.json()["error"] and "HUBGRAPH_SERVICE_ALLOW" in r.json()["error"]
    hidden = 'PREFIX x: <http://127.0.0.1:9/> SELECT * { # SERVICE <http://ok/>\n service silent x: { ?s ?p ?o } }'
    assert client.get("/sparql", params={"query": hidden}).status_code == 403
    assert client.get("/sparql", params={"query": "SELECT * { SERVICE ?e { ?s ?p ?o } }"}).status_code == 403
    # the word inside a string or an IRI is not a SERVICE
    ok = 'SELECT * { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) }'
    assert client.get("/sparql", params={"query": ok}).status_code == 200


def test_service_allowed_reaches_the_engine() -> None:
    with make_client(service_allow="http://127.0.0.1:9/") as c:
        r = c.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert r.status_code != 403  # the engine then refuses port 9 itself


def test_load_refused(client: TestClient) -> None:
    r = client.post("/update", data={"update": "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://ex/x>"},
                    headers=AUTH)
    assert r.status_code == 403 and "LOAD <http://127.0.0.1:9/data.ttl>" in r.json()["error"]
    r = client.post("/update", data={"update": "load silent <http://127.0.0.1:9/d>"}, headers=AUTH)
    assert r.status_code == 403


# -- limits and errors ---------------------------------------------------------------------------


def test_row_cap() -> None:
    with make_client(max_rows=5) as c:
        values = " ".join(str(i) for i in range(6))
        r = c.get("/sparql", params={"query": f"SELECT ?x {{ VALUES ?x {{ {values} }} }}"})
        assert r.status_code == 413 and "5 rows" in r.json()["error"]
        r = c.get("/sparql", params={"query": f"SELECT ?x {{ VALUES ?x {{ {values} }} }} LIMIT 5"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5


def test_time_limit() -> None:
    with make_client(query_timeout=0.2) as c:
        nodes = " ".join(f"<http://ex/n{i}> <http://ex/p> {i} ." for i in range(150))
        _update(c, "/update", f"INSERT DATA {{ {nodes} }}")
        query = ("SELECT (COUNT(*) AS ?n) { ?a <http://ex/p> ?x . ?b <http://ex/p> ?y . "
                 "?c <http://ex/p> ?z . FILTER(?x + ?y + ?z >= 0) }")
        r = c.get("/sparql", params={"query": query})
        assert r.status_code == 503
        assert "time limit of 0.2 s" in r.json()["error"]
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_syntax_error_carries_the_parser_message(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and "syntax error" in body["error"] and "error at 1:" in body["error"]
    r = client.post("/update", data={"update": "INSERT DATA { <a> }"}, headers=AUTH)
    assert r.status_code == 400 and "syntax error" in r.json()["error"]


def test_missing_query_is_400(client: TestClient) -> None:
    r = client.post("/sparql", data={"default-graph-uri": "http://ex/g"})
    assert r.status_code == 400 and json.loads(r.text)["error"].startswith("missing")


# -- service description -----------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
SD_QUERY = f"""PREFIX sd: <{SD}>
SELECT ?endpoint ?lang ?format ?name WHERE {{
  ?s a sd:Service ; sd:endpoint ?endpoint ; sd:supportedLanguage ?lang ; sd:resultFormat ?format ;
     sd:defaultDataset ?d . ?d a sd:Dataset ; sd:defaultGraph ?g .
  OPTIONAL {{ ?d sd:namedGraph/sd:name ?name }}
}}"""


def described(response: object, fmt: ox.RdfFormat) -> list[dict[str, str]]:
    store = ox.Store()
    store.load(response.content, fmt)  # type: ignore[attr-defined]
    rows = store.query(SD_QUERY)
    return [{v.value: row[v.value].value for v in rows.variables if row[v.value] is not None} for row in rows]


@pytest.mark.parametrize("accept, media, fmt", [
    (None, "text/turtle", ox.RdfFormat.TURTLE),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
])
def test_get_without_a_query_describes_the_service(client: TestClient, accept: str | None, media: str,
                                                   fmt: ox.RdfFormat) -> None:
    load(client, 1)
    r = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    rows = described(r, fmt)
    assert {row["endpoint"] for row in rows} == {"http://testserver/sparql"}
    assert {row["lang"] for row in rows} == {f"{SD}SPARQL10Query", f"{SD}SPARQL11Query", f"{SD}SPARQL11Update"}
    formats = {row["format"].rsplit("/", 1)[1] for row in rows}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "RDF_XML"} <= formats
    assert {row.get("name") for row in rows} == {f"{K}data1.rdf"}


def test_service_description_follows_the_settings() -> None:
    with make_client(update_token="") as c:
        rows = described(c.get("/sparql"), ox.RdfFormat.TURTLE)
        assert f"{SD}SPARQL11Update" not in {row["lang"] for row in rows}
        assert not any("name" in row for row in rows)
        page = c.get("/sparql", headers={"Accept": "text/html"})
        assert page.headers["content-type"].startswith("text/html")


def test_an_update_past_the_time_limit_says_it_still_runs_and_blocks_other_updates() -> None:
    with make_client(query_timeout=0.3) as c:
        nodes = " ".join(f"<http://ex/n{i}> <http://ex/p> {i} ." for i in range(150))
        _update(c, "/update", f"INSERT DATA {{ {nodes} }}")
        slow = ("INSERT { <http://ex/r> <http://ex/n> ?n } WHERE { SELECT (COUNT(*) AS ?n) WHERE { "
                "?a <http://ex/p> ?x . ?b <http://ex/p> ?y . ?c <http://ex/p> ?z . FILTER(?x + ?y + ?z >= 0) } }")
        r = c.post("/update", data={"update": slow}, headers=AUTH)
        assert r.status_code == 503 and "still running" in r.json()["error"]
        second = c.post("/update", data={"update": "INSERT DATA { <http://ex/s> <http://ex/p> 1 }"}, headers=AUTH)
        assert second.status_code == 503 and "earlier update is still running" in second.json()["error"]
        count = "SELECT (COUNT(*) AS ?n) WHERE { <http://ex/r> <http://ex/n> ?n }"
        for _ in range(600):  # it finishes, is applied in full, and updates work again
            if c.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "1":
                break
            time.sleep(0.1)
        else:
            pytest.fail("the update that passed the time limit was never applied")
        r = c.post("/update", data={"update": "INSERT DATA { <http://ex/s> <http://ex/p> 1 }"}, headers=AUTH)
        assert r.status_code == 204
