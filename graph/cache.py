"""Values computed from a store once per store version: projections, indexes, figures.

Each value is kept under its store and name with the store version it was built at; a
new version replaces it, so a long-running server holds one copy of each, however many
ingests it sees. Two threads asking for the same value wait for one build. Python's cycle
collector pauses while values are built: they are millions of small containers, which it
would otherwise walk again and again (a quarter of the time of a large co-authorship
adjacency).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from graph.store import MEMORY, Store

__all__ = ["per_version", "clear"]

T = TypeVar("T")

_values: dict[tuple[str, str], tuple[str, Any]] = {}
_building: dict[tuple[str, str], threading.Lock] = {}
_lock = threading.Lock()
_pausing = 0


def _store_key(store: Store) -> str:
    return store.location if store.location != MEMORY else f"memory-{id(store)}"


def per_version(name: str, store: Store, build: Callable[[Store], T]) -> T:
    """``build(store)``, computed once per version of ``store`` and kept under ``name``."""
    key = (_store_key(store), name)
    version = store.version()
    with _lock:
        builder = _building.setdefault(key, threading.Lock())
    with builder:
        held = _values.get(key)
        if held is not None and held[0] == version:
            return held[1]  # type: ignore[no-any-return]
        with _collector_paused():
            value = build(store)
        _values[key] = (version, value)
        return value


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block (and any build running beside it)."""
    global _pausing
    with _lock:
        _pausing += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if not _pausing:
                gc.enable()


def clear() -> None:
    """Forget every value (the next request builds it again)."""
    with _lock:
        _values.clear()
