"""The remote store against a real Virtuoso: the same graph as the embedded store, atomic
switches under concurrent readers, bounded round trips, clear errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest

from graph import cache, projection
from graph.errors import StoreError
from graph.stats import stats
from graph.store import PreparedSource, Store
from graph.store_remote import RemoteStore
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files

from tests.remote_support import Virtuoso, open_virtuoso

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
EX = "http://example.org/"
STEPS = [("table", [SAMPLE / "tables"]), ("pubmed", [SAMPLE / "pubmed" / "medline_sample.nbib"])]
ROR = [("ror", sorted((SAMPLE / "ror").glob("*.json")))]


def ingest_steps(store: Store, steps: list[tuple[str, list[Path]]] = STEPS) -> None:
    for kind, files in steps:
        ingest_files(store, CONVERTERS[kind](store), files, people=PeopleLists())


@pytest.fixture
def remote(virtuoso: Virtuoso) -> RemoteStore:
    return open_virtuoso()


class Requests:
    """Counts the requests a store sends, with an httpx event hook."""

    def __init__(self, store: RemoteStore):
        self.sent: list[str] = []
        store.client.http.event_hooks["request"].append(lambda request: self.sent.append(request.url.path))

    def during(self, action: Any) -> int:
        before = len(self.sent)
        action()
        return len(self.sent) - before


def _edges(graph: nx.Graph) -> set[tuple[Any, ...]]:
    return {tuple(sorted((str(a), str(b)))) + (data.get("weight"),) for a, b, data in graph.edges(data=True)}


def test_ingest_gives_the_embedded_store_s_graph(remote: RemoteStore) -> None:
    embedded = Store.open()
    for store in (embedded, remote):
        ingest_steps(store)
    figures = stats(remote)
    expected = stats(embedded)
    assert figures["triples"] == expected["triples"] > 1000
    assert figures["counts"] == expected["counts"]
    assert figures["counts"]["person"] > 0 and figures["counts"]["organization"] > 0
    strip = ("graph", "kind", "name", "sha256", "records", "skipped", "triples")
    assert [{k: s[k] for k in strip} for s in figures["sources"]] == \
        [{k: s[k] for k in strip} for s in expected["sources"]]
    for build in (projection.coauthorship, projection.person_organization):
        cache.clear()
        here, there = build(remote), build(embedded)
        assert set(map(str, here.nodes)) == set(map(str, there.nodes))
        assert _edges(here) == _edges(there)


def test_removing_a_source_drops_its_graphs(remote: RemoteStore) -> None:
    ingest_steps(remote, ROR)
    ror = next(s for s in remote.sources() if s.name == "ror_boston.json")
    before = remote.triple_count()
    remote.remove_source(ror.graph)
    assert ror.graph not in {s.graph for s in remote.sources()}
    assert not remote.has_graph(ror.graph)
    assert remote.triple_count() < before
    assert not remote.select(f"SELECT ?x WHERE {{ GRAPH <{ror.graph}> {{ ?x ?p ?o }} }} LIMIT 1")


def _version(tmp_path: Path, tag: str, n: int) -> Path:
    path = tmp_path / f"{tag}.nt"
    path.write_text("".join(f'<{EX}s{i}> <{EX}p> "{tag}" .\n' for i in range(n)))
    return path


def test_readers_never_see_half_a_reingest(remote: RemoteStore, virtuoso: Virtuoso, tmp_path: Path) -> None:
    n = 20_000
    files = [_version(tmp_path, tag, n) for tag in ("one", "two")]
    current = remote.load_sources([PreparedSource("test", "/data/a.nt", "0" * 64, files[0], n, 0, n)])[0]
    reader = RemoteStore.connect(virtuoso.location, options=virtuoso.options())
    seen: list[dict[str, int]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            rows = reader.select(f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }} GROUP BY ?o")
            seen.append({row["o"]: row["n"] for row in rows})

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for turn in range(1, 4):
            data = files[turn % 2]
            current = remote.load_sources([PreparedSource("test", "/data/a.nt", f"{turn}" * 64, data, n, 0, n,
                                                          replaces=current)])[0]
        time.sleep(1.5)  # longer than a reader keeps its view pointer
    finally:
        stop.set()
        thread.join()
    assert len(seen) > 10
    assert all(view in ({"one": n}, {"two": n}) for view in seen), [v for v in seen if len(v) != 1][:3]
    assert seen[-1] == {"two": n}
    assert {"one": n} in seen


def test_round_trips_do_not_grow_with_the_data(remote: RemoteStore, tmp_path: Path) -> None:
    count = Requests(remote)
    sizes = {}
    for n in (10, 100, 50_000):  # the first load also records hubgraph's own graphs
        data = _version(tmp_path, f"n{n}", n)
        sizes[n] = count.during(lambda: remote.load_sources(
            [PreparedSource("test", f"/data/{n}.nt", f"{n:064d}", data, n, 0, n)]))
    assert sizes[100] == sizes[50_000] <= 12
    ingest_steps(remote)
    assert count.during(lambda: stats(remote)) <= 4
    cache.clear()
    assert count.during(lambda: projection.coauthorship(remote)) <= 3


def test_a_failed_upload_is_the_error_reported_when_cleaning_up_fails_too(
        remote: RemoteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _version(tmp_path, "x", 3)
    source = PreparedSource("test", "/data/x.nt", "f" * 64, data, 3, 0, 3)
    update = remote.client.update

    def update_but_drop(sparql: str, default_graph: str | None = None) -> None:
        if "DROP" in sparql:
            raise StoreError("the drop timed out")
        update(sparql, default_graph)

    def upload(graph: str, source: Any) -> None:
        raise StoreError("the upload timed out")

    with monkeypatch.context() as patch:
        patch.setattr(remote.client, "upload", upload)
        patch.setattr(remote.client, "update", update_but_drop)
        with pytest.raises(StoreError, match="x.nt into the store failed: the upload timed out"):
            remote.load_sources([source])
    left = remote._source_infos([source])[0].graph
    assert left in remote.ox.registered()
    remote.load_sources([source])  # the next writer drops what the failed one left, then loads
    assert [s.name for s in remote.sources()] == ["x.nt"]


def test_wrong_credentials_give_a_clear_error(remote: RemoteStore, virtuoso: Virtuoso, tmp_path: Path) -> None:
    store = RemoteStore.connect(virtuoso.location, options=virtuoso.options(password="not-the-password"))
    data = _version(tmp_path, "x", 3)
    with pytest.raises(StoreError, match=r"refused the (update|upload) \(401\).*HUBGRAPH_STORE_AUTH"):
        store.load_sources([PreparedSource("test", "/data/x.nt", "e" * 64, data, 3, 0, 3)])
    assert store.sources() == []


def test_a_store_that_is_down_gives_an_error_naming_it() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = Store.open(f"sparql+http://127.0.0.1:{port}/sparql")
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL store at http://127.0.0.1:{port}/sparql"):
        store.triple_count()


def test_the_endpoint_serves_a_remote_store_with_the_same_rules(remote: RemoteStore, virtuoso: Virtuoso,
                                                                tmp_path: Path) -> None:
    ingest_steps(remote, STEPS[:1])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    opts = virtuoso.options()
    env = {**os.environ, "HUBGRAPH_STORE": virtuoso.location, "HUBGRAPH_STORE_UPDATE_URL": opts.update_url,
           "HUBGRAPH_STORE_GRAPH_URL": opts.graph_store_url, "HUBGRAPH_STORE_AUTH": "digest",
           "HUBGRAPH_STORE_USER": opts.user, "HUBGRAPH_STORE_PASSWORD": opts.password, "HUBGRAPH_MAX_ROWS": "50"}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen([str(Path(sys.executable).with_name("hubgraph")), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-2000:]
            time.sleep(0.2)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?o a <http://xmlns.com/foaf/0.1/Organization> }"
        answer = httpx.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
        assert answer.status_code == 200
        assert int(answer.text.split()[1]) == remote.select(query)[0]["n"] > 0
        many = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
        assert many.status_code == 413
        private = remote.private_graph(remote.sources()[0].graph).value
        hidden = httpx.get(f"{base}/sparql", params={"query": f"SELECT * FROM <{private}> WHERE {{ ?s ?p ?o }}"},
                           timeout=30)
        assert hidden.status_code == 403
        update = httpx.post(f"{base}/sparql/update", data={"update": f"INSERT DATA {{ <{EX}a> <{EX}b> 1 }}"},
                            timeout=30)
        assert update.status_code == 403
        assert httpx.get(f"{base}/api/stats", timeout=30).json()["triples"] == remote.triple_count()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
