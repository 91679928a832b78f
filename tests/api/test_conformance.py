"""W3C SPARQL conformance through HTTP: the shared harness (../shared/conformance/
run_sparql11.py) in graph-store mode against a served empty store. The figures are
floors: what this endpoint over pyoxigraph passes today (the remaining failures are
the engine's: canonicalised numeric literals and a few evaluation corner cases)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.api.test_sparql_clients import ROOT, Server

HARNESS = ROOT.parent / "shared" / "conformance" / "run_sparql11.py"
TOKEN = "conformance-t0ken"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HARNESS.exists(), reason="../shared/conformance is not present"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("conformance") / "store", token=TOKEN)
    yield running
    running.stop()


@pytest.mark.parametrize(("suite", "floor"), [("query", 197), ("sparql10", 254)])
def test_w3c_suite(server: Server, suite: str, floor: int) -> None:
    result = subprocess.run(
        [sys.executable, str(HARNESS), "--endpoint", server.url, "--query-url", f"{server.url}/sparql",
         "--update-url", f"{server.url}/sparql/update", "--gsp-url", f"{server.url}/store",
         "--header", f"Authorization: Bearer {TOKEN}", "--suite", suite, "--exit-zero"],
        capture_output=True, text=True, timeout=1800, check=False)
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-3000:]
    match = re.fullmatch(r"(\d+) passed, (\d+) failed", lines[-1].strip())
    assert match, result.stdout[-3000:] + result.stderr[-3000:]
    passed = int(match.group(1))
    assert passed >= floor, result.stdout[-3000:]
