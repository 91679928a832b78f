"""Liveness and the graph's headline figures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import StoreDep
from graph.stats import stats

router = APIRouter(tags=["health"])


@router.get("/health")
def health(store: StoreDep) -> dict[str, Any]:
    """The server is up and its store answers."""
    return {"ok": True, "store": store.location, "version": store.version()}


@router.get("/api/stats")
def api_stats(store: StoreDep) -> dict[str, Any]:
    """Triples, entity counts and ingested sources."""
    return stats(store)
