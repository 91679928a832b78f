"""The JSON API: people, organisations, papers, trials, devices, grants and patents by any
of their identifiers, co-authors, and co-authorship paths between two people."""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.deps import PrivateDep, StoreDep
from graph import lookup, summaries
from graph.projection import coauthorship

router = APIRouter(tags=["entities"])

ID_HELP = ("a hubgraph IRI or its slug (the part after /id/<kind>/), or an ORCID iD (people), "
           "PMID or DOI (papers), ROR id (organisations), NCT id (trials) or institutional local id")


class Ref(BaseModel):
    """A link to another entity."""

    uri: str | None
    name: str | None = None


class PersonOrganization(BaseModel):
    """An organisation of a person: how it is known (membership, affiliation) and on how many papers."""

    uri: str
    name: str | None
    kind: str
    via: list[str]
    papers: int


class TopicCount(BaseModel):
    """A MeSH topic with the number of papers."""

    uri: str
    label: str | None
    papers: int


class PaperRef(BaseModel):
    """A paper, briefly."""

    uri: str
    pmid: str | None
    doi: str | None
    title: str | None
    year: int | None


class Person(BaseModel):
    """A person, with identifiers, organisations, top topics and papers."""

    uri: str
    name: str
    orcid: str | None
    local_ids: list[str]
    opted_out: bool
    organizations: list[PersonOrganization]
    topics: list[TopicCount]
    paper_count: int
    papers: list[PaperRef]
    emails: list[str] | None = Field(
        None, description="Private: only for callers sending HUBGRAPH_PRIVATE_TOKEN as a bearer token; null otherwise.")


class Organization(BaseModel):
    """An organisation with its parent(s), departments and number of people."""

    uri: str
    name: str | None
    ror: str | None
    kind: str
    parent: Ref | None
    parents: list[Ref]
    departments: list[Ref]
    people_count: int


class Author(BaseModel):
    """One author slot of a paper; ``uri`` is the person (None for a collective author)."""

    rank: int
    name: str | None
    uri: str | None


class Topic(BaseModel):
    """A MeSH topic."""

    uri: str
    label: str | None


class Paper(BaseModel):
    """A paper with identifiers, authors in rank order and topics."""

    uri: str
    pmid: str | None
    doi: str | None
    title: str | None
    year: int | None
    authors: list[Author]
    topics: list[Topic]


class Link(BaseModel):
    """A statement linking to another entity."""

    property: str
    uri: str
    label: str | None


class Entity(BaseModel):
    """A trial, device, grant or patent: label, identifier, values and links."""

    uri: str
    label: str | None
    identifier: str | None
    types: list[str]
    values: dict[str, list[str]]
    links: list[Link]


class Collaborator(BaseModel):
    """A co-author and the papers shared."""

    uri: str
    name: str | None
    shared_papers: int
    first_year: int | None
    last_year: int | None


class Collaborators(BaseModel):
    """The co-authors of one person, most shared papers first."""

    uri: str
    collaborators: list[Collaborator]


class PathStep(BaseModel):
    """One person on a co-authorship chain."""

    uri: str
    name: str | None


class Paths(BaseModel):
    """Shortest co-authorship chains between two people (empty when not connected)."""

    source: str
    target: str
    paths: list[list[PathStep]]


class Reached(BaseModel):
    """A person two co-authorship steps away, and through how many co-authors."""

    uri: str
    name: str | None
    via: int


class TopicNeighbour(BaseModel):
    """A person sharing MeSH topics with another, and how many."""

    uri: str
    name: str | None
    shared_topics: int


class Neighbourhood(BaseModel):
    """Who is near one person: co-authors of co-authors (not co-authors themselves) and
    people sharing at least ``min_shared`` topics, from the summaries kept at ingest."""

    uri: str
    coauthors_of_coauthors: list[Reached]
    topic_overlap: list[TopicNeighbour]


IdParam = Annotated[str, "identifier"]


@router.get("/api/people/{id:path}/collaborators", response_model=Collaborators)
def person_collaborators(id: IdParam, store: StoreDep) -> Collaborators:
    """Co-authors of one person with shared paper counts and first/last years."""
    person = lookup.resolve(store, "person", id)
    graph = coauthorship(store)
    found: list[Collaborator] = []
    if person in graph:
        for other, edge in graph[person].items():
            found.append(Collaborator(uri=other, name=graph.nodes[other].get("label"),
                                      shared_papers=int(edge["weight"]),
                                      first_year=edge.get("first"), last_year=edge.get("last")))
    found.sort(key=lambda c: (-c.shared_papers, c.name or "", c.uri))
    return Collaborators(uri=person, collaborators=found)


@router.get("/api/people/{id:path}/neighbourhood", response_model=Neighbourhood)
def person_neighbourhood(id: IdParam, store: StoreDep,
                         min_shared: Annotated[int, Query(ge=1, le=50)] = 3,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Neighbourhood:
    """Co-authors of co-authors, and people sharing at least ``min_shared`` MeSH topics."""
    person = lookup.resolve(store, "person", id)
    return Neighbourhood(
        uri=person,
        coauthors_of_coauthors=[Reached(uri=r.person, name=r.name, via=r.via)
                                for r in summaries.coauthors_of_coauthors(store, person, limit)],
        topic_overlap=[TopicNeighbour(uri=o.person, name=o.name, shared_topics=o.shared)
                       for o in summaries.topic_overlap(store, person, min_shared, limit)],
    )


@router.get("/api/people/{id:path}", response_model=Person)
def person(id: IdParam, store: StoreDep, private: PrivateDep, response: Response) -> Any:
    """One person by IRI, slug, ORCID iD or local id; with their emails for a caller
    sending the private token."""
    uri = lookup.resolve(store, "person", id)
    view = lookup.person_view(store, uri)
    if private:
        view["emails"] = lookup.person_emails(store, uri)
    response.headers["Vary"] = "Authorization"
    return view


@router.get("/api/organizations/{id:path}", response_model=Organization)
def organization(id: IdParam, store: StoreDep) -> Any:
    """One organisation by IRI, slug, ROR id or local id."""
    return lookup.organization_view(store, lookup.resolve(store, "organization", id))


@router.get("/api/papers/{id:path}", response_model=Paper)
def paper(id: IdParam, store: StoreDep) -> Any:
    """One paper by IRI, slug, PMID, DOI or local id."""
    return lookup.paper_view(store, lookup.resolve(store, "paper", id))


@router.get("/api/trials/{id:path}", response_model=Entity)
def trial(id: IdParam, store: StoreDep) -> Any:
    """One clinical trial by IRI, slug or NCT id."""
    return lookup.entity_view(store, lookup.resolve(store, "trial", id))


@router.get("/api/devices/{id:path}", response_model=Entity)
def device(id: IdParam, store: StoreDep) -> Any:
    """One medical device by IRI, slug or submission number."""
    return lookup.entity_view(store, lookup.resolve(store, "device", id))


@router.get("/api/grants/{id:path}", response_model=Entity)
def grant(id: IdParam, store: StoreDep) -> Any:
    """One grant by IRI, slug or award id."""
    return lookup.entity_view(store, lookup.resolve(store, "grant", id))


@router.get("/api/patents/{id:path}", response_model=Entity)
def patent(id: IdParam, store: StoreDep) -> Any:
    """One patent by IRI, slug or patent number."""
    return lookup.entity_view(store, lookup.resolve(store, "patent", id))


MAX_PATHS = 5


@router.get("/api/path", response_model=Paths)
def path(store: StoreDep,
         source: Annotated[str, Query(alias="from", description=f"the first person: {ID_HELP}")],
         target: Annotated[str, Query(alias="to", description="the second person, identified the same way")]) -> Paths:
    """Shortest co-authorship chains (up to five) between two people."""
    a = lookup.resolve(store, "person", source)
    b = lookup.resolve(store, "person", target)
    graph = coauthorship(store)
    chains: list[list[PathStep]] = []
    if a in graph and b in graph:
        try:
            for nodes in islice(nx.all_shortest_paths(graph, a, b), MAX_PATHS):
                chains.append([PathStep(uri=n, name=graph.nodes[n].get("label")) for n in nodes])
        except nx.NetworkXNoPath:
            chains = []
    return Paths(source=a, target=b, paths=chains)
