"""The opt-out and removal lists of the curation file hold everywhere: a removed person
appears in no output (SPARQL, dump, export, search, JSON, pages, maps, suggestions), an
opted-out person in no suggestion (``/api/match``, ``hubgraph match``, the person page) and no
map (``/maps/...``, ``hubgraph map``). Against a real server on a store the CLI built."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.lookup import resolve
from graph.match.engine import suggest
from graph.store import Store
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.api.test_sparql_clients import CLI, ROOT, Server
from viz.maps import build_map

TABLES = ROOT / "data" / "sample" / "tables"
ROR = sorted((ROOT / "data" / "sample" / "ror").glob("*.json"))
PEOPLE = list(csv.DictReader((TABLES / "people.csv").read_text().splitlines()))
OPTED_OUT, OPTED_OUT_NAME = "0061004", "Arjun Mehta"
REMOVED, REMOVED_NAME = "0070233", "Goldberg"
#: A co-author of the opted-out person, and the organisations of both listed people.
COAUTHOR = "0049920"
ORGS = ["042nb2s44", "03vek6s52", "002pd6e78"]
CURATION = f'[people]\nopt_out = ["{OPTED_OUT}"]\nremove = ["{REMOVED}"]\n'


def cli(store: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run([*CLI, "--store", str(store), *args], cwd=ROOT, check=True, capture_output=True,
                          text=True, env={**os.environ, **env}).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(store folder, outputs folder, environment), the store built with the curation file."""
    folder = tmp_path_factory.mktemp("curation")
    (folder / "curation.toml").write_text(CURATION)
    env = {"HUBGRAPH_CURATION": str(folder / "curation.toml")}
    store = folder / "store"
    cli(store, env, "ingest", "ror", *map(str, ROR), "--no-progress")
    cli(store, env, "ingest", "table", str(TABLES), "--no-progress")
    return store, folder, env


@pytest.fixture(scope="module")
def server(built: tuple[Path, Path, dict[str, str]]) -> Iterator[Server]:
    running = Server(built[0], env=built[2])
    yield running
    running.stop()


def get(server: Server, path: str) -> tuple[int, str]:
    """(status, body as text, unzipped; a search answer without the echo of its own query)."""
    try:
        with urllib.request.urlopen(server.url + path, timeout=60) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    text = (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body).decode("utf-8", "replace")
    if path.startswith("/api/search") and status == 200:
        text = json.dumps(json.loads(text)["hits"])
    return status, text


def match_paths() -> list[str]:
    """A suggestion request for every person of the table, and for needs from every paper's title."""
    titles = [row["title"] for row in csv.DictReader((TABLES / "works.csv").read_text().splitlines())]
    return ([f"/api/match?person={row['id']}&k=50" for row in PEOPLE if row["id"] != REMOVED]
            + ["/api/match?" + urllib.parse.urlencode({"need": t, "k": 50}) for t in titles]
            + ["/api/match?" + urllib.parse.urlencode({"team": "; ".join(titles[:4]), "k": 10})])


def map_paths() -> list[str]:
    paths = ["/maps/partnership?format=json", "/maps/pipeline?format=json"]
    paths += [f"/maps/ego/{COAUTHOR}?format=json&depth={d}" for d in (1, 2)]
    paths += [f"/maps/org/{org}?format=json" for org in ORGS] + [f"/maps/partnership/{org}?format=json" for org in ORGS]
    return paths


def test_the_listed_people_would_show_without_the_lists() -> None:
    """The premise: without the curation file, both are suggested and drawn."""
    store = Store.open()
    ingest_files(store, CONVERTERS["ror"](store), ROR)
    ingest_files(store, CONVERTERS["table"](store), [TABLES], people=PeopleLists())
    suggested = {s.name for row in PEOPLE for s in suggest(store, person=row["id"], k=50).suggestions}
    assert OPTED_OUT_NAME in suggested and any(REMOVED_NAME in name for name in suggested)
    drawn = {label for _, label in build_map(store, "ego", resolve(store, "person", COAUTHOR)).graph.nodes(data="label")}
    assert OPTED_OUT_NAME in drawn


def test_an_opted_out_person_is_in_no_suggestion(server: Server, built: tuple[Path, Path, dict[str, str]]) -> None:
    for path in match_paths():
        status, text = get(server, path)
        assert status == 200, (path, text[:300])
        names = [s["name"] for s in json.loads(text)["suggestions"]]
        assert OPTED_OUT_NAME not in names, path
    for row in PEOPLE:
        if row["id"] in (REMOVED, OPTED_OUT):
            continue
        status, page = get(server, f"/person/{row['id']}")
        assert status == 200
        section = re.search(r'<section class="suggestions-section".*?</section>', page, re.S)
        assert section and OPTED_OUT_NAME not in section.group(0), row["id"]
    store, _, env = built
    assert OPTED_OUT_NAME not in cli(store, env, "match", "--person", COAUTHOR, "--k", "50")


def test_an_opted_out_person_is_on_no_map(server: Server, built: tuple[Path, Path, dict[str, str]]) -> None:
    person = json.loads(get(server, f"/api/people/{OPTED_OUT}")[1])
    assert person["opted_out"] is True
    for path in map_paths() + ["/maps/expand?" + urllib.parse.urlencode({"node": person["uri"]})]:
        status, text = get(server, path)
        assert status == 200, (path, text[:300])
        assert OPTED_OUT_NAME not in text and person["uri"] not in text, path
    status, _ = get(server, f"/maps/ego/{OPTED_OUT}?format=json")
    assert status == 404
    store, folder, env = built
    cli(store, env, "map", "ego", COAUTHOR, "--depth", "2", "-o", str(folder / "ego.html"))
    assert OPTED_OUT_NAME not in (folder / "ego.html").read_text()


def test_a_removed_person_is_in_no_output(server: Server, built: tuple[Path, Path, dict[str, str]]) -> None:
    for path in [f"/api/people/{REMOVED}", f"/person/{REMOVED}", f"/maps/ego/{REMOVED}?format=json"]:
        assert get(server, path)[0] == 404, path
    everything = "/sparql?" + urllib.parse.urlencode({"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"})
    paths = [everything, "/dump.nq.gz", f"/api/search?q={REMOVED_NAME}", "/api/search?q=Rachel",
             *match_paths(), *map_paths(), *[f"/org/{org}" for org in ORGS], "/partnership",
             f"/api/people/{COAUTHOR}/neighbourhood"]
    for path in paths:
        status, text = get(server, path)
        assert status == 200, (path, text[:300])
        assert REMOVED_NAME not in text and REMOVED not in text, path
    store, folder, env = built
    for fmt in ("nquads", "graphml"):
        cli(store, env, "export", "--format", fmt, "-o", str(folder / f"out.{fmt}"))
        assert REMOVED_NAME not in (folder / f"out.{fmt}").read_text(), fmt
