"""Private Virtuoso servers for the tests: each with its own folder and virtuoso.ini, both
ports on 127.0.0.1, a generated dba password, a ``hubgraph`` user that may update,
started on first use and stopped by its pid at the end of the test session.

One Virtuoso holds one hubgraph store (its graph names follow the base IRI, which the
tests keep), so stores that live at the same time get servers of their own, by *slot*:
``"test"`` for a test's own store, ``"module"`` for a test module's, ``"sample"`` for
the session's sample graph.

Debian's ``virtuoso-opensource`` package provides ``virtuoso-t`` and ``isql-vt``
(``.ci/run`` installs it). Without it the remote-store tests skip, except under
``CI=true``, where they fail.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph.sparql_client import RemoteOptions
from graph.store_remote import RemoteStore

__all__ = ["Virtuoso", "virtuoso", "stop_virtuoso", "open_virtuoso"]

INSTALL = "apt-get install -y virtuoso-opensource (Debian's package provides virtuoso-t and isql-vt)"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
CaseMode = 2
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
{http}[SPARQL]
ResultSetMaxRows = 5000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 1000
"""
HTTP = """\
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Virtuoso:
    """A running private Virtuoso."""

    folder: Path
    process: subprocess.Popen[bytes] | None
    http_port: int
    sql_port: int
    password: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def location(self) -> str:
        return f"sparql+{self.base}/sparql"

    def env(self) -> dict[str, str]:
        """The ``HUBGRAPH_STORE*`` settings that reach this server (for the CLI and ``serve``)."""
        opts = self.options()
        return {"HUBGRAPH_STORE": self.location, "HUBGRAPH_STORE_UPDATE_URL": opts.update_url,
                "HUBGRAPH_STORE_GRAPH_URL": opts.graph_store_url, "HUBGRAPH_STORE_AUTH": opts.auth,
                "HUBGRAPH_STORE_USER": opts.user, "HUBGRAPH_STORE_PASSWORD": opts.password}

    def options(self, password: str | None = None) -> RemoteOptions:
        """Update and graph store endpoints with digest authentication as the ``hubgraph`` user."""
        return RemoteOptions(update_url=f"{self.base}/sparql-auth",
                             graph_store_url=f"{self.base}/sparql-graph-crud-auth",
                             auth="digest", user="hubgraph",
                             password=self.password if password is None else password, timeout=120)

    def isql(self, sql: str, check: bool = True) -> None:
        """Run SQL as dba over the loopback SQL port."""
        run = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", self.password, f"exec={sql}"],
                             capture_output=True, text=True, timeout=60)
        if "*** Error" in run.stdout + run.stderr or (check and run.returncode != 0):
            raise RuntimeError(f"isql-vt failed on {sql!r}: {run.stdout} {run.stderr}")

    def stop(self) -> None:
        """Stop the server by its pid and remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_virtuoso() -> Virtuoso:
    """Create a database in a temporary folder, set its passwords, start it and wait until
    it answers SPARQL."""
    folder = Path(tempfile.mkdtemp(prefix="hubgraph-virtuoso-"))
    http_port, sql_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    password = secrets.token_urlsafe(18)
    # first without HTTP: create the database, replace the default dba password and add
    # the hubgraph user over the loopback SQL port, then restart with HTTP on
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http=""))
    server = _launch(Virtuoso(folder, None, http_port, sql_port, "dba"), ini)
    try:
        server.isql(f"DB.DBA.USER_CREATE('hubgraph', '{password}'); GRANT SPARQL_UPDATE TO \"hubgraph\"; "
                    f"USER_PASSWORD_SET('dba', '{password}'); checkpoint; shutdown;", check=False)
        server.process.wait(timeout=60)  # type: ignore[union-attr]
    except BaseException:
        server.stop()
        raise
    server.password = password
    ini.write_text(INI.format(dir=folder, sql_port=sql_port,
                              http=HTTP.format(dir=folder, http_port=http_port)))
    return _launch(server, ini, http=True)


def _launch(server: Virtuoso, ini: Path, http: bool = False) -> Virtuoso:
    """Start the server of ``ini`` and wait until it answers (SPARQL over HTTP, or SQL)."""
    server.process = subprocess.Popen(["virtuoso-t", "+configfile", str(ini), "+foreground"], cwd=server.folder,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while True:
        try:
            if http:
                if httpx.get(f"{server.base}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return server
            else:
                with socket.create_connection(("127.0.0.1", server.sql_port), timeout=1):
                    return server
        except (httpx.HTTPError, OSError):
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            log = server.folder / "virtuoso.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            server.stop()
            raise RuntimeError(f"Virtuoso did not start: {tail}")
        time.sleep(0.3)


_SERVERS: dict[str, Virtuoso] = {}


def virtuoso(slot: str = "test") -> Virtuoso:
    """The session's Virtuoso of ``slot``, started on first use (skips without virtuoso-t,
    fails in CI)."""
    if slot not in _SERVERS:
        if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
            message = f"virtuoso-t is not installed: {INSTALL}"
            if os.environ.get("CI") == "true":
                pytest.fail(message + "; in CI, .ci/run installs it", pytrace=False)
            pytest.skip(message)
        if not _SERVERS:
            atexit.register(stop_virtuoso)
        _SERVERS[slot] = start_virtuoso()
    return _SERVERS[slot]


def stop_virtuoso() -> None:
    """Stop every Virtuoso of the session."""
    while _SERVERS:
        _SERVERS.popitem()[1].stop()


def open_virtuoso(slot: str = "test") -> RemoteStore:
    """An empty hubgraph store on the Virtuoso of ``slot`` (every non-system graph dropped)."""
    server = virtuoso(slot)
    store = RemoteStore.connect(server.location, options=server.options())
    graphs = [*store.ox.registered(), store.ox.registry, store.ox.default_graph, store.minter.graph("current")]
    for start in range(0, len(graphs), 50):
        store.client.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[start:start + 50]))
    left = store.client.query(f"ASK {{ GRAPH <{store.minter.graph('current')}> {{ ?s ?p ?o }} }}")
    assert not left, f"Virtuoso kept graphs that were dropped: {graphs}"
    return store
