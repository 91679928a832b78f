"""Test data for the web UI and the maps: a small store whose names carry HTML and script markup."""

from __future__ import annotations

from pathlib import Path

from graph.store import Store

HOSTILE_TABLES = Path(__file__).parent / "data" / "ui_hostile"
#: Names and titles in that data that must show as text everywhere.
HOSTILE_TEXTS = ("<script>alert(1)</script> Smith", "<img src=x onerror=alert(1)> Jones",
                 '<b>Cardio</b> & "Heart"', "<img src=x onerror=alert(2)>")


def build_hostile_store(location: str | Store = ":memory:") -> Store:
    """A store with the hostile tables ingested (hospital H, university U, one department each),
    at ``location`` (or in the empty store given)."""
    from ingest.curation import PeopleLists
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    store = location if isinstance(location, Store) else Store.open(location)
    ingest_files(store, CONVERTERS["table"](store), [HOSTILE_TABLES], people=PeopleLists())
    return store
