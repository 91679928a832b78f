"""Headline figures of a store: triples, entity counts and sources."""

from __future__ import annotations

from typing import Any

from graph.queries import load_query
from graph.store import Store

__all__ = ["COUNT_KEYS", "stats"]

#: Entity counts always reported, zero when absent.
COUNT_KEYS = (
    "person", "organization", "institution", "hospital", "university", "department",
    "paper", "authorship", "topic", "journal", "grant", "device", "device_type", "trial", "patent",
)


def stats(store: Store) -> dict[str, Any]:
    """``{"triples": N, "counts": {...}, "sources": [...]}`` for the store."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for row in store.select(load_query("stats_counts")):
        counts[row["key"]] = int(row["n"])
    return {
        "triples": store.triple_count(),
        "counts": counts,
        "sources": [s.as_dict() for s in store.sources()],
    }
