"""The Graph Store HTTP Protocol at /store: every test of the W3C manifests
(sparql11/graph-store-protocol: manifest-indirect.ttl and manifest-direct.ttl,
written out here), then the token and hubgraph's own graphs."""

from __future__ import annotations

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
TURTLE = {**AUTH, "Content-Type": "text/turtle; charset=utf-8"}
PREFIXES = "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix v: <http://www.w3.org/2006/vcard/ns#> .\n"
PERSON_1 = PREFIXES + """<http://www.example/gsp/person/1> a foaf:Person;
    foaf:businessCard [ a v:VCard; v:fn "John Doe" ] ."""
PERSON_1_JANE = PREFIXES + """<http://www.example/gsp/person/1> a foaf:Person;
    foaf:businessCard [ a v:VCard; v:fn "Jane Doe" ] ."""
PERSON_2 = PREFIXES + """[] a foaf:Person;
    foaf:businessCard [ a v:VCard; v:given-name "Alice" ] ."""
PERSON_1_GIVEN = PREFIXES + """<http://www.example/gsp/person/1> foaf:givenName "John" ."""
PERSON_1_FAMILY = "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<http://www.example/gsp/person/1> foaf:familyName \"Doe\" ."
G1 = quote("http://www.example/gsp/person/1.ttl", safe="")
G2 = quote("http://www.example/gsp/person/2.ttl", safe="")


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = load_settings(environ={}, store=":memory:", update_token=TOKEN)
    with TestClient(create_app(settings, Store.open())) as c:
        yield c


def graph_of(response: object) -> ox.Dataset:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"  # type: ignore[attr-defined]
    return ox.Dataset(ox.parse(response.content, ox.RdfFormat.TURTLE))  # type: ignore[attr-defined]


def same(response: object, turtle: str) -> bool:
    actual = graph_of(response)
    expected = ox.Dataset(ox.parse(turtle.encode(), ox.RdfFormat.TURTLE))
    actual.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    expected.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return actual == expected


def get(client: TestClient, url: str) -> object:
    return client.get(url, headers={"Accept": "text/turtle"})


# -- indirect graph identification (manifest-indirect.ttl) ------------------------------------


def test_put_get_repeat_indirect(client: TestClient) -> None:
    assert client.put(f"/store?graph={G1}", content=PERSON_1, headers=TURTLE).status_code == 201
    assert same(get(client, f"/store?graph={G1}"), PERSON_1)
    assert client.put(f"/store?graph={G1}", content=PERSON_1_JANE, headers=TURTLE).status_code in (200, 204)
    assert same(get(client, f"/store?graph={G1}"), PERSON_1_JANE)


def test_put_get_default(client: TestClient) -> None:
    assert client.put("/store?default", content=PERSON_2, headers=TURTLE).status_code in (200, 201, 204)
    assert same(get(client, "/store?default"), PERSON_2)


def test_put_delete_get_delete_indirect(client: TestClient) -> None:
    assert client.put(f"/store?graph={G2}", content=PERSON_2, headers=TURTLE).status_code in (200, 201, 204)
    assert client.delete(f"/store?graph={G2}", headers=AUTH).status_code in (200, 204)
    assert get(client, f"/store?graph={G2}").status_code == 404  # type: ignore[attr-defined]
    assert client.delete(f"/store?graph={G2}", headers=AUTH).status_code in (404, 200, 204)


def test_post_get_post_get_indirect(client: TestClient) -> None:
    assert client.post(f"/store?graph={G1}", content=PERSON_1_GIVEN, headers=TURTLE).status_code in (200, 201, 204)
    assert same(get(client, f"/store?graph={G1}"), PERSON_1_GIVEN)
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"lastName.ttl\"; filename=\"lastName.ttl\"\r\n"
            f"Content-Type: text/turtle; charset=utf-8\r\n\r\n{PERSON_1_FAMILY}\r\n--{boundary}--\r\n")
    r = client.post(f"/store?graph={G1}", content=body,
                    headers={**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code in (200, 204), r.text
    merged = PERSON_1_GIVEN + '\n<http://www.example/gsp/person/1> foaf:familyName "Doe" .'
    assert same(get(client, f"/store?graph={G1}"), merged)


def test_post_get_new_graph(client: TestClient) -> None:
    r = client.post("/store", content=PERSON_2, headers=TURTLE)
    assert r.status_code == 201
    location = r.headers["location"]
    assert location.startswith("http")
    assert same(get(client, f"/store?graph={quote(location, safe='')}"), PERSON_2)


def test_head_existing_indirect(client: TestClient) -> None:
    client.put(f"/store?graph={G1}", content=PERSON_1, headers=TURTLE)
    r = client.head(f"/store?graph={G1}", headers={"Accept": "text/turtle; charset=utf-8"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    assert r.content == b""


def test_head_non_existing_indirect(client: TestClient) -> None:
    r = client.head(f"/store?graph={quote('http://www.example/gsp/person/4.ttl', safe='')}",
                    headers={"Accept": "text/turtle; charset=utf-8"})
    assert r.status_code == 404


def test_put_get_uri_pct_encoded_indirect(client: TestClient) -> None:
    assert client.put(f"/store?graph={G1}", content=PERSON_1, headers=TURTLE).status_code == 201
    assert same(get(client, "/store?graph=http://www.example/gsp/person/1.ttl"), PERSON_1)


def test_put_get_uri_pct_encoded_twice(client: TestClient) -> None:
    """The query is percent-decoded once: %31 is "1", %2531 is "%31"."""
    person_2 = PERSON_1.replace("person/1>", "person/2>")
    assert client.put("/store?graph=http://www.example/gsp/person/%31.ttl", content=PERSON_1,
                      headers=TURTLE).status_code == 201
    assert client.put("/store?graph=http://www.example/gsp/person/%2531.ttl", content=person_2,
                      headers=TURTLE).status_code == 201
    assert same(get(client, "/store?graph=http://www.example/gsp/person/%31.ttl"), PERSON_1)
    assert same(get(client, "/store?graph=http://www.example/gsp/person/%2531.ttl"), person_2)


# -- direct graph identification (manifest-direct.ttl) -----------------------------------------


def test_put_get_repeat_direct(client: TestClient) -> None:
    assert client.put("/store/person/1.ttl", content=PERSON_1, headers=TURTLE).status_code == 201
    assert same(get(client, "/store/person/1.ttl"), PERSON_1)
    assert client.put("/store/person/1.ttl", content=PERSON_1_JANE, headers=TURTLE).status_code in (200, 204)
    assert same(get(client, "/store/person/1.ttl"), PERSON_1_JANE)
    # the same graph, identified indirectly by its IRI
    assert same(get(client, f"/store?graph={quote('http://testserver/store/person/1.ttl', safe='')}"), PERSON_1_JANE)


def test_put_delete_get_delete_direct(client: TestClient) -> None:
    client.put("/store/person/2.ttl", content=PERSON_2, headers=TURTLE)
    assert client.delete("/store/person/2.ttl", headers=AUTH).status_code in (200, 204)
    assert get(client, "/store/person/2.ttl").status_code == 404  # type: ignore[attr-defined]
    assert client.delete("/store/person/2.ttl", headers=AUTH).status_code == 404


def test_post_get_post_get_direct(client: TestClient) -> None:
    assert client.post("/store/person/1.ttl", content=PERSON_1_GIVEN, headers=TURTLE).status_code == 201
    assert client.post("/store/person/1.ttl", content=PERSON_1_FAMILY, headers=TURTLE).status_code == 204
    merged = PERSON_1_GIVEN + '\n<http://www.example/gsp/person/1> foaf:familyName "Doe" .'
    assert same(get(client, "/store/person/1.ttl"), merged)


def test_head_existing_direct(client: TestClient) -> None:
    client.put("/store/person/1.ttl", content=PERSON_1, headers=TURTLE)
    assert client.head("/store/person/1.ttl").status_code == 200
    assert client.head("/store/person/9.ttl").status_code == 404


# -- formats, the token, hubgraph's own graphs ---------------------------------------------------


@pytest.mark.parametrize(("ctype", "body"), [
    ("application/n-triples", '<http://a> <http://b> "c" .\n'),
    ("application/rdf+xml", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                            '<rdf:Description rdf:about="http://a"><b xmlns="http://">c</b></rdf:Description></rdf:RDF>'),
    ("application/ld+json", '{"@id": "http://a", "http://b": "c"}'),
])
def test_input_formats(client: TestClient, ctype: str, body: str) -> None:
    assert client.put("/store?graph=http://ex/g", content=body,
                      headers={**AUTH, "Content-Type": ctype}).status_code == 201
    r = client.get("/store?graph=http://ex/g", headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"].startswith("application/n-triples")
    assert r.text.strip() == '<http://a> <http://b> "c" .'


def test_bad_input(client: TestClient) -> None:
    r = client.put("/store?graph=http://ex/g", content="not turtle", headers=TURTLE)
    assert r.status_code == 400 and "does not parse" in r.json()["error"]
    r = client.put("/store?graph=http://ex/g", content="x", headers={**AUTH, "Content-Type": "image/png"})
    assert r.status_code == 415
    assert client.get("/store?graph=http://ex/g").status_code == 404
    assert client.get("/store?graph=http://ex/g&default").status_code == 400


def test_writes_need_the_token(client: TestClient) -> None:
    ctype = {"Content-Type": "text/turtle"}
    assert client.put(f"/store?graph={G1}", content=PERSON_1, headers=ctype).status_code == 401
    assert client.post("/store?default", content=PERSON_1,
                       headers={**ctype, "Authorization": "Bearer nope"}).status_code == 403
    assert client.get(f"/store?graph={G1}").status_code == 404
    assert client.get("/store?default").text == ""
    client.put(f"/store?graph={G1}", content=PERSON_1, headers=TURTLE)
    assert client.delete(f"/store?graph={G1}").status_code == 401
    assert client.get(f"/store?graph={G1}").status_code == 200


def test_hubgraph_graphs_are_read_only(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    store.ox.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c"),
                         store.provenance))
    store.ox.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c"),
                         store.union))
    prov = quote(store.provenance.value, safe="")
    for method in ("PUT", "POST", "DELETE"):
        r = client.request(method, f"/store?graph={prov}", content=PERSON_1, headers=TURTLE)
        assert r.status_code == 403 and "hubgraph's own graphs" in r.json()["error"]
    assert client.get(f"/store?graph={prov}").status_code == 200  # provenance is public
    assert client.get(f"/store?graph={quote(store.union.value, safe='')}").status_code == 404  # union is not
    assert len(store.read_graph(store.provenance.value)) == 1


def test_client_graphs_are_queryable(client: TestClient) -> None:
    client.put(f"/store?graph={G1}", content=PERSON_1, headers=TURTLE)
    client.put("/store?default", content=PERSON_2, headers=TURTLE)
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s a <http://xmlns.com/foaf/0.1/Person> }"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"  # the default graph only
    r = client.get("/sparql", params={"query": "ASK { GRAPH <http://www.example/gsp/person/1.ttl> { ?s ?p ?o } }"})
    assert r.json()["boolean"] is True
