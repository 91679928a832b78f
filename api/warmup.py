"""Build what pages, search and matchmaking read, in the background as the server starts.

Each of these is computed once per store version and cached in the process (the summaries
are kept in the store, and recomputed here when they are older than it); warming them means
the first visitor after a start or an ingest does not wait for them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from graph import analytics, summaries
from graph.match.index import match_index
from graph.search import index_for
from graph.store import Store

__all__ = ["WARMERS", "DONE", "warm", "start_warming"]

log = logging.getLogger("hubgraph.warmup")

#: The start of the line logged when every cache is built (``hubgraph serve`` prints it).
DONE = "warm-up done"

#: What is warmed, in the order visitors are likely to need it.
WARMERS: tuple[tuple[str, Callable[[Store], object]], ...] = (
    ("stored summaries", summaries.ensure_current),
    ("headline figures", analytics.headline),
    ("search index", index_for),
    ("partnership dashboard", analytics.partnership),
    ("bridging people", analytics.centrality),
    ("matchmaking index", match_index),
)


def warm(store: Store) -> dict[str, float]:
    """Build every cache in :data:`WARMERS`; return the seconds each took. A failure is
    logged and the rest still run: the page that needs it will report it."""
    seconds = {}
    began = time.perf_counter()
    for name, build in WARMERS:
        start = time.perf_counter()
        try:
            build(store)
        except Exception:  # a warm-up failure must not stop the server; the request path reports it
            log.exception("warming the %s failed", name)
            continue
        seconds[name] = time.perf_counter() - start
        log.info("warmed the %s in %.1f s", name, seconds[name])
    log.info("%s in %.1f s", DONE, time.perf_counter() - began)
    return seconds


def start_warming(store: Store) -> threading.Thread:
    """Warm the caches in a daemon thread; return it."""
    thread = threading.Thread(target=warm, args=(store,), name="hubgraph-warmup", daemon=True)
    thread.start()
    return thread
