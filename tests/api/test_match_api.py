"""``hubgraph match`` and ``/api/match``: the same engine through the CLI (JSON, CSV, batch)
and a real server, on the hand-built matchmaking tables and on the sample graph."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import cli
from api.settings import load_settings
from graph.match.table import CSV_COLUMNS
from graph.store import Store
from tests.api.test_sparql_clients import CLI, ROOT, Server
from tests.support import DATA

ANNA = "P-ANNA"


@pytest.fixture(scope="module")
def small(cli_store: str) -> str:
    """A store (on disk, on Virtuoso) of the matchmaking tables, ingested by the CLI."""
    subprocess.run([*CLI, "--store", cli_store, "ingest", "table", str(DATA / "match"), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True)
    return cli_store


def hubgraph(store: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--store", str(store), "match", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_cli_person_json(small: str) -> None:
    out = json.loads(hubgraph(small, "--person", ANNA, "--k", "10", "--json", "--new-only"))
    first = out["suggestions"][0]
    assert first["name"] == "Ben Brooks" and first["local_id"] == "P-BEN" and first["uri"].endswith("P-BEN")
    assert first["reasons"]["introduction_path"][1]["name"] == "Cara Chen"
    assert {"topic", "text", "proximity", "organisation", "complementarity", "activity"} <= set(first["components"])
    assert not any(s["existing_collaborator"] for s in out["suggestions"])
    flagged = json.loads(hubgraph(small, "--person", "0000-0002-1825-0097", "--json"))
    assert {s["name"] for s in flagged["suggestions"] if s["existing_collaborator"]} == {"Cara Chen", "Eve Evans"}


def test_cli_table_need_and_team(small: str) -> None:
    text = hubgraph(small, "--need", "breast cancer immunotherapy", "--k", "2")
    assert "Dan Dawson" in text and "Gus Garcia" in text
    team = json.loads(hubgraph(small, "--team", "wearable ECG signal processing; tumor immunotherapy", "--json"))
    assert sorted(n for s in team["suggestions"] for n in s["covers"]) == [
        "tumor immunotherapy", "wearable ECG signal processing"]
    assert "exactly one" in hubgraph(small, code=2)
    assert "exactly one" in hubgraph(small, "--person", ANNA, "--need", "ECG", code=2)


def test_cli_csv(small: str) -> None:
    rows = list(csv.reader(io.StringIO(hubgraph(small, "--person", ANNA, "--new-only", "--csv", "--k", "3"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[CSV_COLUMNS.index("rank")] for r in rows[1:]] == ["1", "2", "3"]
    assert rows[1][CSV_COLUMNS.index("name")] == "Ben Brooks"
    assert rows[1][CSV_COLUMNS.index("introduction_path")] == "Anna Alvarez > Cara Chen > Ben Brooks"


def test_cli_batch_keeps_the_order(small: str, tmp_path: Path) -> None:
    batch = tmp_path / "batch.txt"
    lines = ["breast cancer immunotherapy", ANNA, "", "0000-0002-1825-0097", "wearable ECG"]
    batch.write_text("\n".join(lines) + "\n")
    out = [json.loads(line) for line in hubgraph(small, "--batch", str(batch), "--k", "2").splitlines()]
    assert [o["input"] for o in out] == [line for line in lines if line]
    assert [o["query"]["kind"] for o in out] == ["need", "person", "person", "need"]
    assert out[1]["suggestions"] == out[2]["suggestions"]
    rows = list(csv.reader(io.StringIO(hubgraph(small, "--batch", str(batch), "--k", "2", "--csv"))))
    assert [r[0] for r in rows[1:]] == [line for line in lines if line for _ in range(2)]


@pytest.fixture(scope="module")
def server(small: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(small, logs=tmp_path_factory.mktemp("logs"))
    yield running
    running.stop()


def get(server: Server, **params: str) -> tuple[int, dict]:
    url = f"{server.url}/api/match?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_api_matches_the_cli(server: Server, small: str) -> None:
    status, body = get(server, person=ANNA, new_only="true", k="4")
    assert status == 200
    cli_out = json.loads(hubgraph(small, "--person", ANNA, "--new-only", "--k", "4", "--json"))
    assert [s["uri"] for s in body["suggestions"]] == [s["uri"] for s in cli_out["suggestions"]]
    assert body["suggestions"][0]["reasons"] == cli_out["suggestions"][0]["reasons"]
    status, body = get(server, need="tumor immunotherapy", role="researcher", k="5")
    assert status == 200 and {s["name"] for s in body["suggestions"]} == {"Dan Dawson", "Gus Garcia"}


def test_api_errors_have_the_one_shape(server: Server) -> None:
    for params, code in (({}, 400), ({"person": ANNA, "institution_kind": "garage"}, 422),
                         ({"person": "nobody-at-all"}, 404), ({"person": ANNA, "k": "0"}, 422)):
        status, body = get(server, **params)
        assert status == code and body["ok"] is False and body["status"] == code and body["errors"]


def test_api_is_documented(server: Server) -> None:
    with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=30) as r:
        spec = json.loads(r.read())
    operation = spec["paths"]["/api/match"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "person", "need", "team", "k", "institution_kind", "institution", "department", "role",
        "active_since", "new_only", "as_of"}


def test_api_on_the_sample_graph(sample_store: Store) -> None:
    client = TestClient(create_app(load_settings(environ={}, store=":memory:"), sample_store))
    body = client.get("/api/match", params={"person": "0000-0002-7729-1702", "k": 5}).json()
    assert len(body["suggestions"]) == 5
    assert all(s["reasons"]["shared_topics"] and s["uri"] for s in body["suggestions"])
    team = client.get("/api/match", params={"team": "amyloid PET imaging; wearable ECG", "k": 4}).json()
    assert team["query"]["kind"] == "team" and team["suggestions"]
