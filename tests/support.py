"""Helpers for tests: where the data is, and how to open each store backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

#: Every store backend; store-facing tests run on each ("virtuoso": a private Virtuoso
#: server, see tests/remote_support.py).
BACKENDS = ["memory", "disk", "virtuoso"]


def open_backend(backend: str, tmp_path: Path, slot: str = "test") -> Store:
    """A fresh, empty store of the given backend (on Virtuoso: on the server of ``slot``,
    emptying the store that was there, see tests/remote_support.py)."""
    if backend == "memory":
        return Store.open()
    if backend == "virtuoso":
        from tests.remote_support import open_virtuoso

        return open_virtuoso(slot)
    return Store.open(str(tmp_path / "store"))


def open_location(location: str) -> Store:
    """The store at ``location`` as the CLI opens it (a remote one with the ``HUBGRAPH_STORE*``
    settings of the environment)."""
    from api.settings import load_settings, remote_options

    return Store.open(location, remote=remote_options(load_settings()))


def shared_or_skip(*parts: str) -> Path:
    """A path in ../shared/data, or skip the test when the shared folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data folder sits beside the project)")
    return path


ROOT = DATA.parents[1]


def sample_recipe() -> list[tuple[str, list[Path]]]:
    """The ``make sample`` ingest steps, read from the Makefile: (kind, files) in order."""
    steps = []
    for line in (ROOT / "Makefile").read_text().splitlines():
        words = line.split()
        if len(words) >= 4 and words[0] == "$(BIN)/hubgraph" and words[1] == "ingest":
            kind, patterns = words[2], [w.replace("$(SAMPLE)", "data/sample") for w in words[3:]]
            files = sorted(p for pattern in patterns for p in ROOT.glob(pattern))
            steps.append((kind, files))
    return steps


def build_sample_store(location: str | Store = ":memory:") -> Store:
    """The graph ``make sample`` builds, in a store at ``location`` (or in the empty store given)."""
    from ingest.curation import PeopleLists
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    store = location if isinstance(location, Store) else Store.open(location)
    for kind, files in sample_recipe():
        ingest_files(store, CONVERTERS[kind](store), files, people=PeopleLists())
    return store
