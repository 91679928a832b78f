"""graph.cache: one value per store, name and store version."""

from __future__ import annotations

import threading

from graph import cache
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA


def test_a_value_is_built_once_per_version_and_replaced_by_the_next() -> None:
    store = Store.open()
    builds: list[str] = []

    def build(s: Store) -> str:
        builds.append(s.version())
        return s.version()

    first = cache.per_version("test-value", store, build)
    assert cache.per_version("test-value", store, build) == first and len(builds) == 1
    ingest_files(store, CONVERTERS["ror"](store), [DATA / "ror" / "ror_v2_sample.json"])
    second = cache.per_version("test-value", store, build)
    assert second != first and builds == [first, second]
    held = [k for k in cache._values if k[1] == "test-value"]
    assert len(held) == 1  # the old version's value is gone


def test_concurrent_callers_share_one_build() -> None:
    store, builds, gate = Store.open(), [], threading.Event()

    def build(s: Store) -> int:
        builds.append(1)
        gate.wait(5)
        return len(builds)

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.per_version("shared", store, build)))
               for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert builds == [1] and results == [1, 1, 1, 1]
