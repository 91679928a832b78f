"""Shared fixtures: stores on every backend, and the real sample files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store

from tests.support import BACKENDS, build_sample_store, open_backend


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[Any]:
    """The session's private Virtuoso server (tests/remote_support.py), stopped at the end."""
    from tests.remote_support import stop_virtuoso, virtuoso

    yield virtuoso()
    stop_virtuoso()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store, once per backend."""
    if request.param == "virtuoso":
        request.getfixturevalue("virtuoso")
    yield open_backend(request.param, tmp_path)


@pytest.fixture(scope="session")
def sample_store() -> Store:
    """The graph ``make sample`` builds (read it, do not write to it)."""
    return build_sample_store()
