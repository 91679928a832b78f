"""File paths given to the API or the CLI never escape their intended folders: the
``/static/{name}`` route serves the files of ``api/static`` only, and a table folder
whose tables link out of it is refused."""

from __future__ import annotations

import http.client
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.api.test_sparql_clients import CLI, ROOT, Server
from tests.support import DATA

SECRET = "hubgraph-secret-marker"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("paths") / "store")
    yield running
    running.stop()


def raw_get(server: Server, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", "127.0.0.1")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_static_serves_its_own_files(server: Server) -> None:
    status, body = raw_get(server, "/static/sparql.js")
    assert status == 200 and body == (ROOT / "api" / "static" / "sparql.js").read_bytes()


@pytest.mark.parametrize("path", [
    "/static/../settings.py",
    "/static/..%2Fsettings.py",
    "/static/..%2F..%2Fpyproject.toml",
    "/static/%2E%2E%2Fsettings.py",
    "/static/..%5Csettings.py",
    "/static/%2Fetc%2Fpasswd",
    "/static//etc/passwd",
    "/static/....//....//pyproject.toml",
    "/static/sparql.js%00.py",
    "/static/%252e%252e%252fsettings.py",
    "/id/..%2F..%2Fpyproject.toml",
    "/store/..%2F..%2Fpyproject.toml",
])
def test_no_route_reads_a_file_outside_its_folder(server: Server, path: str) -> None:
    status, body = raw_get(server, path)
    assert status in (400, 404, 405), (path, status)
    for outside in ("api/settings.py", "pyproject.toml"):
        assert (ROOT / outside).read_bytes() not in body
    assert b"root:" not in body


def tables_with_link(tmp_path: Path, target: Path) -> Path:
    folder = tmp_path / "tables"
    shutil.copytree(DATA / "tables" / "good", folder)
    (folder / "people.csv").unlink()
    (folder / "people.csv").symlink_to(target)
    return folder


def test_a_table_linking_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "people.csv"
    outside.parent.mkdir()
    text = (DATA / "tables" / "good" / "people.csv").read_text(encoding="utf-8")
    outside.write_text(text.replace("\n", f",{SECRET}\n", 1), encoding="utf-8")
    store = Store.open()
    with pytest.raises(IngestError, match="outside the folder") as info:
        ingest_files(store, CONVERTERS["table"](store), [tables_with_link(tmp_path, outside)])
    assert "people.csv" in str(info.value)
    assert all(s.kind != "table" for s in store.sources())
    found = store.select(f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{SECRET}")) }}')
    assert found == [{"n": 0}]


def test_the_cli_refuses_a_linked_table_and_changes_nothing(tmp_path: Path) -> None:
    folder = tables_with_link(tmp_path, Path("/etc/passwd"))
    store = tmp_path / "store"
    proc = subprocess.run([*CLI, "--store", str(store), "ingest", "table", str(folder), "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "people.csv" in proc.stderr and "outside the folder" in proc.stderr
    assert "root:" not in proc.stdout + proc.stderr
    listing = subprocess.run([*CLI, "--store", str(store), "sources"], cwd=ROOT, capture_output=True, text=True)
    assert "table" not in listing.stdout


def test_a_link_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    shutil.copytree(DATA / "tables" / "good", folder)
    (folder / "people.csv").rename(folder / "staff-2025.csv.txt")
    (folder / "people.csv").symlink_to(folder / "staff-2025.csv.txt")
    store = Store.open()
    [report] = ingest_files(store, CONVERTERS["table"](store), [folder])
    assert report.status == "loaded" and report.records > 0
