"""Resource limits at the HTTP layer, against a real server (uvicorn in a subprocess):
request body size, concurrent heavy requests, response size. Refusals use the one JSON
error shape, and the server keeps answering cheap routes."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.test_sparql_clients import CLI, PUBMED, ROOT, Server

MAX_BODY = 4_000
MAX_CONCURRENT = 2
QUEUE_WAIT = 1.0
MAX_QUEUED = 3
MAX_DOWNLOAD = 50_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = tmp_path_factory.mktemp("limits") / "store"
    subprocess.run([*CLI, "--store", str(store), "ingest", "pubmed", str(PUBMED), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True)
    running = Server(store, env={"HUBGRAPH_MAX_BODY": str(MAX_BODY),
                                 "HUBGRAPH_MAX_CONCURRENT": str(MAX_CONCURRENT),
                                 "HUBGRAPH_QUEUE_WAIT": str(QUEUE_WAIT),
                                 "HUBGRAPH_MAX_QUEUED": str(MAX_QUEUED),
                                 "HUBGRAPH_MAX_DOWNLOAD": str(MAX_DOWNLOAD)})
    yield running
    running.stop()


def request(server: Server, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, chunked: bool = False) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=iter([body]) if chunked and body else body,
                     headers=headers or {}, encode_chunked=chunked)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def assert_error(status: int, body: bytes, expected: int, words: str) -> None:
    assert status == expected
    payload = json.loads(body)
    assert payload["ok"] is False and payload["status"] == expected and payload["errors"]
    assert words in payload["error"]


def sparql_get(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_a_body_over_the_limit_is_refused_with_413(server: Server) -> None:
    padding = "#" + "x" * (MAX_BODY + 100)
    body = urllib.parse.urlencode({"query": "ASK {} " + padding}).encode()
    status, _, payload = request(server, "POST", "/sparql", body, FORM)
    assert_error(status, payload, 413, "HUBGRAPH_MAX_BODY")
    # without Content-Length (chunked), the body is measured as it arrives
    status, _, payload = request(server, "POST", "/sparql", body, FORM, chunked=True)
    assert_error(status, payload, 413, "HUBGRAPH_MAX_BODY")
    # on a write route too, before the token is even looked at
    status, _, payload = request(server, "PUT", "/store?graph=http%3A%2F%2Fexample.org%2Fg", b"x" * (MAX_BODY + 1),
                                 {"Content-Type": "text/turtle"})
    assert_error(status, payload, 413, "HUBGRAPH_MAX_BODY")


def test_a_body_under_the_limit_is_served(server: Server) -> None:
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    for chunked in (False, True):
        status, _, payload = request(server, "POST", "/sparql", body,
                                     {**FORM, "Accept": "application/sparql-results+json"}, chunked=chunked)
        assert status == 200 and json.loads(payload)["boolean"] is True


def hold_heavy_request(server: Server) -> socket.socket:
    """A SPARQL POST whose body is still on its way: it holds a heavy slot."""
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:5])
    return sock


def finish_held_request(sock: socket.socket) -> bytes:
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    sock.sendall(body[5:])
    data = b""
    while b"true" not in data and b"false" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    return data


def timed_request(server: Server, path: str) -> tuple[int, dict[str, str], bytes, float]:
    start = time.monotonic()
    return (*request(server, "GET", path), time.monotonic() - start)


def test_heavy_requests_beyond_the_cap_wait_then_get_503_while_cheap_routes_answer(server: Server) -> None:
    held = [hold_heavy_request(server) for _ in range(MAX_CONCURRENT)]
    try:
        time.sleep(0.5)  # the server has read their headers: both places are taken
        query = sparql_get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        with ThreadPoolExecutor(6) as pool:
            heavy = list(pool.map(lambda _: timed_request(server, query), range(6)))
        waited = [seconds for status, headers, payload, seconds in heavy if b"HUBGRAPH_QUEUE_WAIT" in payload]
        at_once = [seconds for status, headers, payload, seconds in heavy if b"HUBGRAPH_MAX_QUEUED" in payload]
        # three wait their second in the queue, the other three find it full
        assert len(waited) == MAX_QUEUED and len(at_once) == 6 - MAX_QUEUED
        assert min(waited) >= QUEUE_WAIT * 0.9 and max(at_once) < QUEUE_WAIT
        for status, headers, payload, _ in heavy:
            assert_error(status, payload, 503, "HUBGRAPH_MAX_CONCURRENT")
            assert int(headers["retry-after"]) > 0
        status, _, payload = request(server, "GET", "/dump.nq.gz")
        assert_error(status, payload, 503, "busy")
        for path in ("/health", "/api/stats", "/api/search?q=amyloid"):
            start = time.monotonic()
            status, _, _ = request(server, "GET", path)
            assert status == 200, path
            assert time.monotonic() - start < 5, path
    finally:
        answers = [finish_held_request(sock) for sock in held]
    assert all(b"200 OK" in a and b"true" in a for a in answers)
    status, _, payload = request(server, "GET", query, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(payload)["results"]["bindings"]


def test_responses_over_the_download_cap_get_413(server: Server) -> None:
    status, _, payload = request(server, "GET", "/dump.nq.gz")
    assert_error(status, payload, 413, "HUBGRAPH_MAX_DOWNLOAD")
    big = sparql_get("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    status, _, payload = request(server, "GET", big, headers={"Accept": "application/n-triples"})
    assert_error(status, payload, 413, "HUBGRAPH_MAX_DOWNLOAD")
    status, _, stats = request(server, "GET", "/api/stats")
    graph = max(json.loads(stats)["sources"], key=lambda s: s["triples"])["graph"]
    status, _, payload = request(server, "GET", "/store?" + urllib.parse.urlencode({"graph": graph}),
                                 headers={"Accept": "application/n-triples"})
    assert_error(status, payload, 413, "HUBGRAPH_MAX_DOWNLOAD")
    small = sparql_get("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    status, _, payload = request(server, "GET", small, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and len(json.loads(payload)["results"]["bindings"]) == 3


def test_a_queued_heavy_request_is_served_when_a_place_frees(server: Server) -> None:
    held = [hold_heavy_request(server) for _ in range(MAX_CONCURRENT)]
    time.sleep(0.5)
    query = sparql_get("ASK { ?s ?p ?o }")
    with ThreadPoolExecutor(1) as pool:
        queued = pool.submit(request, server, "GET", query, None, {"Accept": "application/sparql-results+json"})
        time.sleep(QUEUE_WAIT / 3)
        assert not queued.done()  # waiting for a place, not refused
        answers = [finish_held_request(held.pop())]
        status, _, payload = queued.result(timeout=30)
    answers += [finish_held_request(sock) for sock in held]
    assert status == 200 and json.loads(payload)["boolean"] is True
    assert all(b"200 OK" in a for a in answers)
