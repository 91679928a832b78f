"""Few, coarse round trips on a remote store: the matchmaking index, a person page, stats and
the search index each cost a number of requests to Virtuoso that does not grow with the data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import graph.store_remote
from api.app import create_app
from api.settings import load_settings
from graph import cache
from graph.match.index import match_index
from graph.namespaces import sparql_prefixes
from graph.search import SearchIndex
from graph.stats import stats
from graph.store_remote import RemoteStore
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files

from tests.remote_support import Virtuoso, open_virtuoso
from tests.support import DATA, ROOT

SMALL = [("table", [DATA / "match"])]
LARGER = [("ror", sorted((ROOT / "data" / "sample" / "ror").glob("*.json"))),
          ("table", [ROOT / "data" / "sample" / "tables"]),
          ("pubmed", sorted((ROOT / "data" / "sample" / "pubmed").glob("*")))]


def requests_of(store: RemoteStore, action: Callable[[], Any]) -> int:
    """How many HTTP requests ``store`` sends while ``action`` runs."""
    sent: list[str] = []
    hook = store.client.http.event_hooks["request"]
    hook.append(lambda request: sent.append(request.url.path))
    try:
        action()
    finally:
        hook.pop()
    return len(sent)


def busiest_person(store: RemoteStore) -> str:
    """The path id of the person with the most authorships."""
    rows = store.select(sparql_prefixes() + "SELECT ?p (COUNT(?a) AS ?n) WHERE { ?a a vivo:Authorship ; vivo:relates ?p . "
                        "?p a foaf:Person } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1")
    return str(rows[0]["p"]).rsplit("/person/", 1)[1]


def counts(steps: list[tuple[str, list[Path]]]) -> dict[str, int]:
    """Requests per operation on a fresh Virtuoso store holding ``steps``."""
    store = open_virtuoso()
    for kind, files in steps:
        ingest_files(store, CONVERTERS[kind](store), files, people=PeopleLists())
    person = busiest_person(store)
    cache.clear()
    client = TestClient(create_app(load_settings(environ={}, store=":memory:"), store))
    figures = {
        "stats": requests_of(store, lambda: stats(store)),
        "search index": requests_of(store, lambda: SearchIndex.build(store)),
        "match index": requests_of(store, lambda: match_index(store)),
        "person page": requests_of(store, lambda: client.get(f"/person/{person}").raise_for_status()),
    }
    figures["person page, warm"] = requests_of(store, lambda: client.get(f"/person/{person}").raise_for_status())
    figures["people"] = len(store.select(sparql_prefixes() + "SELECT ?p WHERE { ?p a foaf:Person }"))
    return figures


def test_round_trips_do_not_grow_with_the_data(virtuoso: Virtuoso, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.store_remote, "POINTER_TTL", 3600.0)  # no pointer look-ups mid-count
    small, larger = counts(SMALL), counts(LARGER)
    assert larger.pop("people") > 100 * small.pop("people")
    assert small == larger, (small, larger)
    assert larger["stats"] <= 4 and larger["search index"] <= 2 and larger["match index"] <= 12
    # the page's own queries, its map, and its suggested collaborators (resolving the person
    # and the filters against the cached matchmaking index)
    assert larger["person page"] <= 16 and larger["person page, warm"] <= 14, larger
