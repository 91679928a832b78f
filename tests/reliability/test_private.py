"""Private fields appear in no public output. A store built from the institutional tables
(whose ``email`` column is private) is served with a private token configured and asked for
the emails every way a client can without it: SPARQL SELECT/CONSTRUCT/DESCRIBE/ASK with and
without ``GRAPH``, ``FROM``, the dataset parameters, the Graph Store, the dump, linked data
in every format, every JSON route, the pages, the maps, and ``hubgraph export``/``match``/
``map``; no answer holds an address. With the private token, the person's JSON and SPARQL
show them, and nothing else does."""

from __future__ import annotations

import csv
import gc
import gzip
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import Store
from tests.api.test_sparql_clients import CLI, ROOT, TOKEN, Server

TABLES = ROOT / "data" / "sample" / "tables"
ROR = sorted((ROOT / "data" / "sample" / "ror").glob("*.json"))
PERSON = "0041172"
#: Every email of the people table, and the one of the person asked about.
PEOPLE = list(csv.DictReader((TABLES / "people.csv").read_text().splitlines()))
EMAILS = [row["email"] for row in PEOPLE if row["email"]]
EMAIL = next(row["email"] for row in PEOPLE if row["id"] == PERSON)
FORMATS = ["turtle", "nquads", "jsonld", "graphml"]
PRIVATE_TOKEN = "private-fields-token"
MBOX = "SELECT ?o WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?o }"


def cli(store: Path, *args: str) -> str:
    return subprocess.run([*CLI, "--store", str(store), *args], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def assert_private(text: str, where: str) -> None:
    """No email of the table, and no mailto: IRI, in ``text`` (but in the echo of a JSON
    answer's own query, when the email was asked for)."""
    if text.startswith("{") and EMAIL in where:
        answer = json.loads(text)
        answer.pop("query", None)
        answer.pop("q", None)
        text = json.dumps(answer)
    leaked = [e for e in EMAILS if e.lower() in text.lower()]
    assert not leaked and "mailto:" not in text.lower(), f"{where} shows {leaked or 'a mailto: IRI'}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(store folder, folder of the CLI's outputs), the store built by the CLI from the tables."""
    folder = tmp_path_factory.mktemp("private")
    store = folder / "store"
    cli(store, "ingest", "ror", *map(str, ROR), "--no-progress")
    cli(store, "ingest", "table", str(TABLES), "--no-progress")
    yield store, folder


@pytest.fixture(scope="module")
def server(built: tuple[Path, Path]) -> Iterator[Server]:
    running = Server(built[0], env={"HUBGRAPH_PRIVATE_TOKEN": PRIVATE_TOKEN})
    yield running
    running.stop()


def get(server: Server, path: str, accept: str | None = None, token: str | None = None,
        **extra: str) -> tuple[int, str]:
    headers = {"Accept": accept, **extra} if accept else extra
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return status, body.decode("utf-8", "replace")


def sparql(server: Server, query: str, accept: str = "application/sparql-results+json", token: str | None = None,
           **params: str) -> str:
    status, text = get(server, "/sparql?" + urllib.parse.urlencode({"query": query, **params}), accept, token)
    assert status in (200, 400, 403, 404), (query, status, text)
    return text


def test_the_emails_are_in_the_store_and_in_a_private_graph_only(built: tuple[Path, Path]) -> None:
    """The premise of the other tests: the store holds the address, in the private graph."""
    store = Store.open(str(built[0]), read_only=True)
    try:
        held = [q for s in store.sources() for q in store.ox.quads_for_pattern(
            None, None, None, store.private_graph(s.graph)) if EMAIL in q.object.value]
        assert held and all(store.is_protected(q.graph_name.value) and not store.is_visible(q.graph_name.value)
                            for q in held)
    finally:
        del store
        gc.collect()


def private_graphs(server: Server) -> list[str]:
    """The IRIs of the private companions, derived from the visible source graphs' names."""
    rows = json.loads(sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))["results"]["bindings"]
    graphs = [r["g"]["value"] for r in rows]
    sources = [g for g in graphs if "/graph/table/" in g]
    assert sources, graphs
    return [g.replace("/graph/", "/graph/private/", 1) for g in sources]


def test_no_sparql_query_finds_an_email(server: Server) -> None:
    private = private_graphs(server)
    queries = [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        MBOX,
        "SELECT ?g ?o WHERE { GRAPH ?g { ?s <http://xmlns.com/foaf/0.1/mbox> ?o } }",
        f'SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{EMAIL.split("@")[0]}")) }} }}',
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
        f'DESCRIBE ?s WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?s), "{PERSON}")) }}',
        f'DESCRIBE ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(CONTAINS(STR(?s), "{PERSON}")) }} }}',
    ]
    for graph in private:
        queries += [f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                    f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o }}",
                    f"SELECT * FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                    f"CONSTRUCT {{ ?s ?p ?o }} FROM <{graph}> WHERE {{ ?s ?p ?o }}"]
    for query in queries:
        for accept in ("application/sparql-results+json", "text/csv", "text/turtle", "application/n-triples"):
            if query.startswith("SELECT") == (accept in ("text/turtle", "application/n-triples")):
                continue
            assert_private(sparql(server, query, accept), query)
        for graph in private:
            assert_private(sparql(server, query, **{"default-graph-uri": graph}), f"{query} default-graph-uri")
            assert_private(sparql(server, query, **{"named-graph-uri": graph}), f"{query} named-graph-uri")
    assert json.loads(sparql(server, "ASK { GRAPH ?g { ?s <http://xmlns.com/foaf/0.1/mbox> ?o } }"))["boolean"] is False
    for graph in private:  # a private graph named as the dataset is refused
        answer = json.loads(sparql(server, "ASK { ?s ?p ?o }", **{"default-graph-uri": graph}))
        assert answer.get("status") == 403 or answer["boolean"] is False


def test_no_graph_store_read_nor_dump_holds_an_email(server: Server) -> None:
    rows = json.loads(sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))["results"]["bindings"]
    for graph in [r["g"]["value"] for r in rows] + private_graphs(server):
        status, text = get(server, "/store?" + urllib.parse.urlencode({"graph": graph}), "application/n-triples")
        assert status in (200, 404), (graph, status)
        assert_private(text, f"graph store GET <{graph}>")
    for graph in private_graphs(server):
        assert get(server, "/store?" + urllib.parse.urlencode({"graph": graph}))[0] == 404
    status, text = get(server, "/store?default", "application/n-triples")
    assert status == 200
    assert_private(text, "graph store GET ?default")
    status, text = get(server, "/dump.nq.gz")
    assert status == 200 and PERSON in text
    assert_private(text, "/dump.nq.gz")


def public_paths(server: Server) -> list[str]:
    """Every page, map, search and JSON route about the person and their organisations."""
    person = json.loads(get(server, f"/api/people/{PERSON}")[1])
    assert person["name"] == "Eleanor Whitcombe"
    iri = person["uri"]
    local = iri.split("/id/", 1)[1]
    orgs = [o["uri"] for o in person["organizations"]]
    assert orgs
    paths = [f"/api/people/{PERSON}", f"/api/people/{PERSON}/collaborators", f"/api/people/{PERSON}/neighbourhood",
             f"/api/match?person={PERSON}", "/api/match?" + urllib.parse.urlencode({"need": EMAIL}),
             "/api/match?" + urllib.parse.urlencode({"team": f"{EMAIL}; neurology"}),
             "/api/search?" + urllib.parse.urlencode({"q": EMAIL}), "/api/search?q=Whitcombe",
             f"/person/{PERSON}", f"/maps/ego/{PERSON}", f"/maps/ego/{PERSON}?format=json",
             f"/maps/ego/{PERSON}?format=json&depth=2", "/maps/partnership?format=json", "/maps/partnership",
             "/maps/expand?" + urllib.parse.urlencode({"node": iri}), "/partnership", "/"]
    for org in orgs:
        org_local = org.split("/id/", 1)[1]
        paths += [f"/org/{org_local.split('/', 1)[1]}", f"/maps/org/{org_local.split('/', 1)[1]}?format=json",
                  "/api/organizations/" + urllib.parse.quote(org, safe=""),
                  "/maps/expand?" + urllib.parse.urlencode({"node": org})]
    for fmt in ("ttl", "nt", "jsonld", "html"):
        paths.append(f"/id/{local}?format={fmt}")
    return paths


def test_no_page_nor_json_route_shows_an_email(server: Server) -> None:
    for path in public_paths(server):
        status, text = get(server, path)
        assert status == 200, (path, status, text[:300])
        assert_private(text, urllib.parse.unquote(path))
    # the people of the table are findable by name, not by the part of their address that is no name
    assert json.loads(get(server, "/api/search?q=Whitcombe")[1])["hits"]
    hits = json.loads(get(server, "/api/search?q=example.org")[1])["hits"]
    assert not [h for h in hits if h["type"] == "person"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_holds_an_email(built: tuple[Path, Path], server: Server, fmt: str) -> None:
    store, folder = built
    out = folder / f"export.{fmt}"
    cli(store, "export", "--format", fmt, "-o", str(out))
    text = out.read_text()
    assert PERSON in text or "Whitcombe" in text
    assert_private(text, f"hubgraph export --format {fmt}")


def test_no_cli_match_nor_map_shows_an_email(built: tuple[Path, Path], server: Server) -> None:
    store, folder = built
    assert_private(cli(store, "match", "--person", PERSON), "hubgraph match --person")
    assert_private(cli(store, "match", "--need", EMAIL), "hubgraph match --need EMAIL")
    cli(store, "map", "ego", PERSON, "-o", str(folder / "ego.html"))
    assert_private((folder / "ego.html").read_text(), "hubgraph map ego")


def test_the_private_token_shows_emails_in_the_person_json_and_sparql_only(server: Server) -> None:
    person = json.loads(get(server, f"/api/people/{PERSON}", token=PRIVATE_TOKEN)[1])
    assert person["emails"] == [EMAIL]
    rows = json.loads(sparql(server, MBOX, token=PRIVATE_TOKEN))["results"]["bindings"]
    assert sorted(r["o"]["value"] for r in rows) == sorted(f"mailto:{e}" for e in EMAILS)
    for graph in private_graphs(server):
        named = json.loads(sparql(server, f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", token=PRIVATE_TOKEN))
        assert len(named["results"]["bindings"]) == len(EMAILS)
    # the pages, maps, linked data, Graph Store and dump stay public whoever asks
    for path in [*public_paths(server), "/dump.nq.gz", *("/store?" + urllib.parse.urlencode({"graph": g})
                                                           for g in private_graphs(server))]:
        if path.startswith("/api/people/") and path.count("/") == 3:
            continue
        status, text = get(server, path, token=PRIVATE_TOKEN)
        assert status in (200, 404), (path, status)
        assert_private(text, f"{urllib.parse.unquote(path)} with the private token")
    # the query page of a browser sending the token shows no address either
    status, text = get(server, "/sparql?" + urllib.parse.urlencode({"query": MBOX}), "text/html", PRIVATE_TOKEN,
                       **{"Sec-Fetch-Dest": "document"})
    assert status == 200 and "<table" in text
    assert_private(text, "the query page with the private token")


@pytest.mark.parametrize("token", [TOKEN, "not-the-private-token", PRIVATE_TOKEN.upper()])
def test_any_other_token_reads_the_public_view(server: Server, token: str) -> None:
    assert json.loads(get(server, f"/api/people/{PERSON}", token=token)[1])["emails"] is None
    assert json.loads(sparql(server, MBOX, token=token))["results"]["bindings"] == []
