"""``hubgraph serve`` as a real uvicorn server: several read-only workers, the settings it
refuses, and a restart on an existing store that writes nothing to it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from graph.store import Store
from tests.serve_support import ROOT, ServerProcess, hubgraph


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the sample tables and ROR records, built with the CLI."""
    store = tmp_path_factory.mktemp("serve") / "store"
    for args in (["table", "data/sample/tables"], ["ror", *map(str, sorted((ROOT / "data/sample/ror").glob("*.json")))]):
        done = hubgraph(store, "ingest", *args, "--no-progress")
        assert done.returncode == 0, done.stderr
    return store


def person_slug(store: Path) -> str:
    """The slug of one person of the store."""
    rows = Store.open(str(store), read_only=True).select(
        "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } ORDER BY ?p LIMIT 1")
    return str(rows[0]["p"]).rsplit("/", 1)[1]


def snapshot(store: Path) -> tuple[str, list[str]]:
    """The store version and every quad, as N-Quads lines in order."""
    opened = Store.open(str(store), read_only=True)
    return opened.version(), sorted(str(q) for q in opened.ox.quads_for_pattern(None, None, None))


def test_two_workers_serve_the_store_read_only(disk_store: Path, tmp_path: Path) -> None:
    slug = person_slug(disk_store)
    with ServerProcess(disk_store, tmp_path / "server.log", workers=2) as server:
        server.wait_healthy()
        server.wait_warm(timeout=60)
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for _ in range(10):
                assert client.get("/health").json()["ok"] is True
                page = client.get(f"/person/{slug}")
                assert page.status_code == 200 and "<html" in page.text
        busy = hubgraph(disk_store, "ingest", "table", "data/sample/tables")
        output = server.output()
    assert output.count("Application startup complete") == 2
    assert busy.returncode == 1 and "in use by another process" in busy.stderr


@pytest.mark.parametrize(("store", "env", "message"), [
    (":memory:", {}, "each worker process would serve its own empty store"),
    (None, {"HUBGRAPH_UPDATE_TOKEN": "s3cret"}, "serve writes with one worker or from a remote store"),
])
def test_several_workers_are_refused_where_they_cannot_work(disk_store: Path, store: str | None,
                                                            env: dict[str, str], message: str) -> None:
    refused = hubgraph(store or disk_store, "serve", "--workers", "2", env=env)
    assert refused.returncode == 2
    assert message in " ".join(refused.stderr.split())


def test_a_restart_on_an_existing_store_writes_nothing(disk_store: Path, tmp_path: Path) -> None:
    before = snapshot(disk_store)
    slug = person_slug(disk_store)
    with ServerProcess(disk_store, tmp_path / "server.log") as server:
        server.wait_warm(timeout=60)
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for path in ("/", f"/person/{slug}", "/partnership", "/api/search?q=heart", f"/api/match?person={slug}"):
                assert client.get(path).status_code == 200, path
    assert snapshot(disk_store) == before
