"""The server builds its caches in the background as it starts (HUBGRAPH_WARM)."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from api.warmup import WARMERS, warm
from graph import summaries
from graph.store import Store
from tests.support import DATA


def small_store() -> Store:
    from ingest.curation import PeopleLists
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    store = Store.open()
    ingest_files(store, CONVERTERS["pubmed"](store), [DATA / "pubmed" / "pubmed_0_to_99.xml.gz"], people=PeopleLists())
    return store


def warming_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "hubgraph-warmup"]


def test_warm_builds_every_cache_and_brings_the_stored_summaries_up_to_date() -> None:
    store = small_store()
    assert not summaries.is_current(store)
    assert set(warm(store)) == {name for name, _ in WARMERS}
    assert summaries.is_current(store)


@pytest.mark.parametrize(("value", "warms"), [("true", True), ("off", False)])
def test_starting_the_app_warms_only_when_asked(value: str, warms: bool) -> None:
    settings = load_settings(environ={"HUBGRAPH_WARM": value}, store=":memory:")
    for thread in warming_threads():
        thread.join()
    with TestClient(create_app(settings, small_store())) as client:
        started = warming_threads()
        assert client.get("/health").status_code == 200
    assert bool(started) is warms
    for thread in started:
        thread.join(timeout=120)
        assert not thread.is_alive()


def test_a_bad_flag_names_the_variable() -> None:
    with pytest.raises(ValueError, match="HUBGRAPH_WARM"):
        load_settings(environ={"HUBGRAPH_WARM": "maybe"})
