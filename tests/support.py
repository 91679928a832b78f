"""Helpers for tests: where the data is, and how to open each store backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

#: Every store backend; store-facing tests run on each.
BACKENDS = ["memory", "disk"]


def open_backend(backend: str, tmp_path: Path) -> Store:
    """A fresh, empty store of the given backend."""
    if backend == "memory":
        return Store.open()
    return Store.open(str(tmp_path / "store"))


def shared_or_skip(*parts: str) -> Path:
    """A path in ../shared/data, or skip the test when the shared folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data folder sits beside the project)")
    return path
