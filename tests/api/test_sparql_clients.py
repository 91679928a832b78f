"""Real clients against a real server: uvicorn in a subprocess over a store with the
PubMed sample, queried by SPARQLWrapper, rdflib's SPARQLStore and plain HTTP.

SPARQLWrapper is a test dependency (``sparqlwrapper``; the tests skip without it)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBMED = ROOT / "tests" / "data" / "pubmed" / "pubmed_0_to_99.xml.gz"
TOKEN = "client-t0ken"
CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``hubgraph serve`` in a subprocess; stopped by :meth:`stop`."""

    def __init__(self, store: Path | str, token: str = TOKEN, env: dict[str, str] | None = None,
                 logs: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = {**os.environ, "HUBGRAPH_UPDATE_TOKEN": token, **(env or {})}
        self.log = open((logs or Path(store).parent) / f"server-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [*CLI, "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=environ, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not start: {Path(self.log.name).read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = tmp_path_factory.mktemp("clients") / "store"
    subprocess.run([*CLI, "--store", str(store), "ingest", "pubmed", str(PUBMED), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True)
    running = Server(store)
    yield running
    running.stop()


def http(server: Server, query: str, accept: str) -> tuple[int, str, bytes]:
    url = f"{server.url}/sparql?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.status, r.headers["Content-Type"], r.read()


COUNT_ARTICLES = ("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ?type "
                  "FILTER(?type IN (<http://purl.org/ontology/bibo/AcademicArticle>, "
                  "<http://purl.org/spar/fabio/JournalArticle>, <http://purl.org/ontology/bibo/Article>)) }")
ANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5"


def test_sparqlwrapper(server: Server) -> None:
    sw_module = pytest.importorskip("SPARQLWrapper")
    sparql = sw_module.SPARQLWrapper(f"{server.url}/sparql", updateEndpoint=f"{server.url}/sparql/update")
    sparql.setReturnFormat(sw_module.JSON)
    sparql.setQuery(ANY)
    rows = sparql.query().convert()["results"]["bindings"]
    assert len(rows) == 5
    sparql.setQuery("ASK { ?s ?p ?o }")
    assert sparql.query().convert()["boolean"] is True
    sparql.setMethod(sw_module.POST)
    sparql.setQuery(ANY)
    assert len(sparql.query().convert()["results"]["bindings"]) == 5
    # CONSTRUCT as Turtle, parsed by rdflib
    sparql.setReturnFormat(sw_module.TURTLE)
    sparql.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 7")
    assert len(sparql.query().convert()) > 0
    # updates with the token
    update = sw_module.SPARQLWrapper(f"{server.url}/sparql", updateEndpoint=f"{server.url}/sparql/update")
    update.setMethod(sw_module.POST)
    update.setQuery("INSERT DATA { GRAPH <http://example.org/clients> { <http://example.org/a> "
                    "<http://example.org/p> 'sparqlwrapper' } }")
    with pytest.raises(Exception):  # no token: 401
        update.query()
    update.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    update.query()
    sparql.setReturnFormat(sw_module.JSON)
    sparql.setQuery("ASK { GRAPH <http://example.org/clients> { ?s ?p 'sparqlwrapper' } }")
    assert sparql.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(server: Server) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(f"{server.url}/sparql", returnFormat="json"))
    rows = list(graph.query(ANY))
    assert len(rows) == 5
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    constructed = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 9").graph
    assert constructed is not None and 0 < len(constructed) <= 9
    xml_graph = Graph(SPARQLStore(f"{server.url}/sparql", returnFormat="xml", method="POST"))
    assert len(list(xml_graph.query(ANY))) == 5


@pytest.mark.parametrize(("accept", "expected"), [
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
])
def test_curl_style_select(server: Server, accept: str, expected: str) -> None:
    status, ctype, body = http(server, ANY, accept)
    assert status == 200 and ctype.startswith(expected)
    if expected == "text/csv":
        lines = body.decode().strip().splitlines()
        assert lines[0] == "s,p,o" and len(lines) == 6
    else:
        assert len(json.loads(body)["results"]["bindings"]) == 5


def test_curl_style_turtle(server: Server) -> None:
    status, ctype, body = http(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10", "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    from rdflib import Graph

    assert len(Graph().parse(data=body, format="turtle")) == 10


def test_served_data_is_the_ingested_union(server: Server) -> None:
    _, _, body = http(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 100
    _, _, body = http(server, "SELECT ?g WHERE { GRAPH ?g { } }", "application/sparql-results+json")
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert graphs and not any("/graph/union" in g or "/graph/private/" in g for g in graphs)
