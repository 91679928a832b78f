"""Full-text search over the labels of people, organisations, papers, topics, trials,
devices, grants and patents."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import StoreDep
from graph.search import search as run_search

router = APIRouter(tags=["search"])

EntityType = Literal["person", "organization", "paper", "topic", "trial", "device", "grant", "patent"]


class Hit(BaseModel):
    """One entity found: its IRI (which dereferences), type, label and score."""

    uri: str
    type: str
    label: str
    score: float


class SearchResponse(BaseModel):
    """A page of search hits and the number found in all."""

    q: str
    total: int
    limit: int
    offset: int
    hits: list[Hit]


@router.get("/api/search", response_model=SearchResponse)
def api_search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words to look for (typos allowed)")],
    type: Annotated[EntityType | None, Query(description="only entities of this type")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SearchResponse:
    """Search entities by name, title or label, typo-tolerant, best first."""
    result = run_search(store, q, type, limit, offset)
    return SearchResponse(q=q, total=result.total, limit=limit, offset=offset,
                          hits=[Hit(uri=h.uri, type=h.type, label=h.label, score=h.score) for h in result.hits])
