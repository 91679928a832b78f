"""Matchmaking: ranked, explained suggestions for a person, a free-text need or a team."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from api.deps import StoreDep
from graph.match import Filters, suggest
from graph.match.engine import MAX_K

router = APIRouter(tags=["matchmaking"])


class PaperRef(BaseModel):
    """A paper behind a reason."""

    uri: str
    title: str | None
    year: int | None


class TopicReason(BaseModel):
    """A shared or complementary topic, its weight and the papers behind it (the suggested
    person's, and for a person query the asking person's)."""

    uri: str
    label: str | None
    weight: float
    papers: list[PaperRef]
    query_papers: list[PaperRef] = []


class TermReason(BaseModel):
    """A word both texts weigh."""

    term: str
    weight: float


class PathStep(BaseModel):
    """One person on an introduction path."""

    uri: str
    name: str | None


class OrganisationReason(BaseModel):
    """An organisational link: same department, same institution or paired institution."""

    uri: str
    name: str | None
    link: str


class Reasons(BaseModel):
    """Why this person is suggested."""

    shared_topics: list[TopicReason] = []
    complementary_topics: list[TopicReason] = []
    shared_terms: list[TermReason] = []
    introduction_path: list[PathStep] | None = None
    organisations: list[OrganisationReason] = []
    complementarity: list[str] = []
    activity: dict[str, int | None] = {}


class Suggestion(BaseModel):
    """One suggested person, with every identifier, the score, each component's score and the reasons."""

    rank: int
    uri: str
    name: str
    orcid: str | None
    local_id: str | None
    local_ids: list[str]
    score: float
    components: dict[str, float]
    existing_collaborator: bool
    reasons: Reasons
    covers: list[str] = []


class MatchResponse(BaseModel):
    """The query as understood, the weights of the components and the suggestions, best first."""

    query: dict[str, Any]
    weights: dict[str, float]
    suggestions: list[Suggestion]


@router.get("/api/match", response_model=MatchResponse)
def match(
    store: StoreDep,
    person: Annotated[str | None, Query(description="a person: IRI or slug, ORCID iD or local table id")] = None,
    need: Annotated[str | None, Query(description="a free-text need, e.g. 'wearable ECG signal processing'")] = None,
    team: Annotated[str | None, Query(description="needs separated by ';': a small team covering them")] = None,
    k: Annotated[int, Query(ge=1, le=MAX_K, description="most suggestions")] = 10,
    institution_kind: Annotated[Literal["hospital", "university"] | None, Query()] = None,
    institution: Annotated[str | None, Query(description="only people at this organisation (any identifier)")] = None,
    department: Annotated[str | None, Query(description="only people in this department (any identifier)")] = None,
    role: Annotated[str | None, Query(description="only people with this role (clinician, researcher, ...)")] = None,
    active_since: Annotated[int | None, Query(description="only people with a paper in or after this year")] = None,
    new_only: Annotated[bool, Query(description="leave out existing co-authors (default: flagged)")] = False,
    as_of: Annotated[int | None, Query(description="see the graph as it was at the end of this year")] = None,
) -> Any:
    """Collaborators for a person, people for a need, or a team for several needs (give exactly one)."""
    filters = Filters(institution_kind=institution_kind, institution=institution, department=department,
                      role=role, active_since=active_since, new_only=new_only)
    try:
        return suggest(store, person=person, need=need, team=team, k=k, filters=filters, as_of=as_of).as_dict()
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
