"""Answers to repeated GET requests are kept until the store changes: an ingest or a client
write shows at once, answers differ by Accept, and requests with a token never share one."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA

ROOT = DATA.parents[1]
TABLES = ROOT / "data" / "sample" / "tables"
ROR = [DATA / "ror" / "ror_v2_sample.json"]
UPDATE, PRIVATE = "update-token", "private-token"
NAMES = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?o }"


def client(store: Store, **settings: object) -> TestClient:
    return TestClient(create_app(load_settings(environ={}, store=":memory:", warm=False, update_token=UPDATE,
                                               private_token=PRIVATE, **settings), store))


def count(answer: object) -> int:
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])  # type: ignore[attr-defined]


def test_a_repeated_get_is_answered_from_the_cache_until_an_ingest(store: Store) -> None:
    ingest_files(store, CONVERTERS["ror"](store), ROR)
    http = client(store)
    first, again = http.get("/api/stats"), http.get("/api/stats")
    assert (first.headers["x-hubgraph-cache"], again.headers["x-hubgraph-cache"]) == ("miss", "hit")
    assert again.json() == first.json() and "content-security-policy" in again.headers
    ingest_files(store, CONVERTERS["table"](store), [TABLES])
    after = http.get("/api/stats")
    assert after.headers["x-hubgraph-cache"] == "miss"
    assert after.json()["triples"] > first.json()["triples"]


def test_answers_differ_by_accept_and_failures_are_not_kept(store: Store) -> None:
    ingest_files(store, CONVERTERS["table"](store), [TABLES])
    http = client(store)
    path = "/id/" + http.get("/api/people/0041172").json()["uri"].split("/id/", 1)[1]
    turtle = http.get(path, headers={"Accept": "text/turtle"})
    html = http.get(path, headers={"Accept": "text/html"})
    assert turtle.status_code == html.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle") and html.headers["content-type"].startswith("text/html")
    assert http.get(path, headers={"Accept": "text/html"}).text == html.text
    for _ in range(2):
        missing = http.get("/api/people/no-such-person")
        assert missing.status_code == 404 and missing.headers["x-hubgraph-cache"] == "miss"


def test_a_client_write_shows_in_the_next_query(store: Store) -> None:
    ingest_files(store, CONVERTERS["table"](store), [TABLES])
    http = client(store)
    before = count(http.get("/sparql", params={"query": NAMES}))
    assert http.get("/sparql", params={"query": NAMES}).headers["x-hubgraph-cache"] == "hit"
    written = http.post("/sparql/update", headers={"Authorization": f"Bearer {UPDATE}"},
                        data={"update": 'INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <http://xmlns.com/foaf/0.1/name> "A" } }'})
    assert written.status_code in (200, 204), written.text
    assert count(http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }"})) == 1
    assert count(http.get("/sparql", params={"query": NAMES})) >= before


def test_requests_with_a_token_never_share_an_answer(store: Store) -> None:
    ingest_files(store, CONVERTERS["table"](store), [TABLES])
    http = client(store)
    public = http.get("/api/people/0041172")
    assert public.json()["emails"] is None
    private = http.get("/api/people/0041172", headers={"Authorization": f"Bearer {PRIVATE}"})
    assert private.json()["emails"] == ["e.whitcombe@example.org"] and "x-hubgraph-cache" not in private.headers
    again = http.get("/api/people/0041172")
    assert again.headers["x-hubgraph-cache"] == "hit" and again.json()["emails"] is None


def test_the_cache_can_be_switched_off(store: Store) -> None:
    http = client(store, response_cache_mb=0)
    assert all("x-hubgraph-cache" not in http.get("/api/stats").headers for _ in range(2))
