"""Shared fixtures: stores on every backend, and the real sample files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store

from tests.support import BACKENDS, build_sample_store, open_backend


@pytest.fixture(scope="session")
def virtuoso_servers() -> Iterator[None]:
    """Stops, at the end of the session, every Virtuoso server it started (tests/remote_support.py)."""
    from tests.remote_support import stop_virtuoso

    yield
    stop_virtuoso()


@pytest.fixture(scope="session")
def virtuoso(virtuoso_servers: None) -> Any:
    """The private Virtuoso server of the tests' own stores."""
    from tests.remote_support import virtuoso

    return virtuoso()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store, once per backend."""
    if request.param == "virtuoso":
        request.getfixturevalue("virtuoso")
    yield open_backend(request.param, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend of a test module's own stores: the module's tests that use it run once per
    backend, with the module's stores built once for each."""
    if request.param == "virtuoso":
        request.getfixturevalue("virtuoso_servers")
    return str(request.param)


@pytest.fixture(scope="module")
def module_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """An empty store of the module's backend, for the module to build its graph in (one per
    module: on Virtuoso, a module's stores share one server)."""
    return open_backend(backend, tmp_path_factory.mktemp(f"store-{backend}"), slot="module")


@pytest.fixture(scope="module", params=[b for b in BACKENDS if b != "memory"])
def cli_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The location of an empty store that the CLI and ``hubgraph serve`` reach, once per
    backend that outlives a process: a folder, or a Virtuoso (its ``HUBGRAPH_STORE*`` settings
    set in the environment for the module)."""
    if request.param != "virtuoso":
        yield str(tmp_path_factory.mktemp("cli") / "store")
        return
    request.getfixturevalue("virtuoso_servers")
    from tests.remote_support import open_virtuoso, virtuoso

    open_virtuoso("module")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in virtuoso("module").env().items():
            patch.setenv(name, value)
        yield virtuoso("module").location


@pytest.fixture(scope="session")
def sample_stores(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Store]:
    """The graph ``make sample`` builds on a backend, built once per session per backend."""
    built: dict[str, Store] = {}

    def on(backend: str) -> Store:
        if backend not in built:
            empty = open_backend(backend, tmp_path_factory.mktemp(f"sample-{backend}"), slot="sample")
            built[backend] = build_sample_store(empty)
        return built[backend]

    return on


@pytest.fixture(scope="module")
def sample_store(backend: str, sample_stores: Callable[[str], Store]) -> Store:
    """The graph ``make sample`` builds, on the module's backend (read it, do not write to it)."""
    return sample_stores(backend)
