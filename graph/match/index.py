"""Everything matchmaking reads from the graph, fetched with a few queries
(``graph/queries/match_*.rq``; the largest are streamed one row per paper, the topics in a
second thread while the first weighs the authorships, with the cut-off year applied here)
and built into profiles and indexes once per store version and cut-off year."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from graph.cache import per_version
from graph.lookup import org_kind
from graph.match.organisation import Affiliations, Org
from graph.match.profiles import ancestor_profiles, authorship_weight, recency, topic_profiles
from graph.match.proximity import Adjacency, adjacency
from graph.match.sparse import SparseIndex
from graph.match.text import Vocabulary, text_profiles, tokens
from graph.projection import MAX_TEAM_SIZE
from graph.queries import load_query
from graph.store import Store

__all__ = ["Person", "MatchIndex", "match_index", "authorships", "ACTIVITY_HALF_LIFE"]

#: Half-life, in years, of a paper's weight in a person's recent activity.
ACTIVITY_HALF_LIFE = 3.0
#: Longest topic label (in words) recognised in a free-text need.
MAX_PHRASE = 6


@dataclass(frozen=True, slots=True)
class Person:
    """A person and every identifier the graph holds for them."""

    uri: str
    name: str
    orcid: str | None
    local_ids: tuple[str, ...]
    opted_out: bool


@dataclass
class MatchIndex:
    """Profiles, indexes and tables for one store version, seen as of one year."""

    as_of: int | None
    reference_year: int
    people: list[Person]
    ids: dict[str, int]
    present: set[int]
    papers: list[str]
    paper_year: dict[int, int | None]
    paper_title: dict[int, str]
    person_papers: dict[int, list[tuple[int, float]]]
    paper_topics: dict[int, list[tuple[int, bool]]]
    topics: list[str]
    topic_labels: list[str | None]
    topic_specificity: dict[int, float]
    topic_index: SparseIndex
    tree_index: SparseIndex
    text_index: SparseIndex
    vocabulary: Vocabulary
    phrases: dict[tuple[str, ...], int]
    broader: dict[int, list[int]]
    adj: Adjacency
    orgs: list[Org]
    affiliations: dict[int, Affiliations]
    activity: dict[int, float]
    activity_order: list[int]
    involvement: dict[int, dict[str, int]] = field(default_factory=dict)
    last_year: dict[int, int] = field(default_factory=dict)
    #: People who opted out: never suggested, and never named on an introduction path.
    opted_out: frozenset[int] = frozenset()

    def need_topics(self, words: list[str]) -> dict[int, float]:
        """Topics whose label (or other label) appears in ``words``, weighted by specificity."""
        found: dict[int, float] = {}
        for n in range(min(MAX_PHRASE, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                topic = self.phrases.get(tuple(words[i:i + n]))
                if topic is not None:
                    found[topic] = self.topic_specificity.get(topic, 0.0)
        return found


def match_index(store: Store, as_of: int | None = None) -> MatchIndex:
    """The matchmaking index of ``store`` (with ``as_of``: from papers up to that year only),
    built once per store version. Not for use inside a write: the second thread reads the
    live graph, not the one the write prepares."""
    return per_version(f"match-{as_of}", store, lambda s: _build(s, as_of))


def _in_window(year: int | None, as_of: int | None) -> bool:
    """Whether a paper of ``year`` counts as of ``as_of`` (undated papers only without one)."""
    return as_of is None or (year is not None and year <= as_of)


def _build(store: Store, as_of: int | None) -> MatchIndex:
    people: list[Person] = []
    ids: dict[str, int] = {}
    for row in store.select(load_query("match_people")):
        ids[row["person"]] = len(people)
        people.append(Person(row["person"], row["name"], row["orcid"],
                             tuple(sorted((row["localIds"] or "").split())), bool(row["optedOut"])))

    orgs: list[Org] = []
    org_rows = store.select(load_query("match_orgs"))
    org_ids = {row["org"]: i for i, row in enumerate(org_rows)}
    for row in org_rows:
        orgs.append(Org(row["org"], row["label"], org_kind(row["types"]),
                        tuple(org_ids[p] for p in (row["parents"] or "").split() if p in org_ids),
                        tuple(org_ids[o] for o in (row["links"] or "").split() if o in org_ids)))
    affiliations: dict[int, Affiliations] = defaultdict(Affiliations)

    papers: list[str] = []
    paper_ids: dict[str, int] = {}
    paper_year: dict[int, int | None] = {}
    slots: dict[tuple[int, int, int | None], None] = {}
    last_rank: dict[int, int] = {}
    for iri, year, held in authorships(store):
        known = [(rank, ids[person], org_ids.get(org)) for rank, person, org in held if person in ids]
        if not known or not _in_window(year, as_of):
            continue
        paper = paper_ids[iri] = len(papers)  # one row per article
        papers.append(iri)
        paper_year[paper] = year
        last_rank[paper] = max(rank or 0 for rank, _, _ in known)
        for rank, person, org in known:
            slots[paper, person, rank] = None
            if org is not None:
                affiliations[person].add(org, orgs)
    years = [y for y in paper_year.values() if y is not None]
    reference = as_of if as_of is not None else (max(years) if years else 2000)

    with ThreadPoolExecutor(max_workers=1) as pool:
        # the store answers the topic read while this thread weighs authorships and reads texts
        beside = pool.submit(_paper_topics, store, paper_ids)
        weight = {year: recency(year, reference) for year in {*paper_year.values()}}
        recent = {year: recency(year, reference, ACTIVITY_HALF_LIFE) for year in weight}
        person_papers: dict[int, list[tuple[int, float]]] = defaultdict(list)
        teams: dict[int, list[int]] = defaultdict(list)
        activity: dict[int, float] = defaultdict(float)
        last_year: dict[int, int] = {}
        for paper, person, rank in slots:
            year = paper_year[paper]
            person_papers[person].append((paper, authorship_weight(rank, last_rank[paper]) * weight[year]))
            activity[person] += recent[year]
            if year is not None and year > last_year.get(person, 0):
                last_year[person] = year
            if person not in teams[paper]:
                teams[paper].append(person)
        adj = adjacency(teams.values(), MAX_TEAM_SIZE)
        titles, words = _paper_texts(store, paper_ids)
        topics, paper_topics = beside.result()

    topic_ids = {uri: i for i, uri in enumerate(topics)}

    def topic_id(uri: str) -> int:
        if uri not in topic_ids:
            topic_ids[uri] = len(topics)
            topics.append(uri)
        return topic_ids[uri]

    labels: dict[int, str | None] = {}
    broader: dict[int, list[int]] = {}
    phrase_labels: list[tuple[str, int]] = []
    for row in store.select(load_query("match_topics")):
        topic = topic_id(row["topic"])
        labels[topic] = row["label"]
        if row["broader"]:
            broader[topic] = [topic_id(b) for b in row["broader"].split()]
        for label in [row["label"] or "", *(row["altLabels"] or "").split(" | ")]:
            if label:
                phrase_labels.append((label, topic))

    population = max(1, len(person_papers))
    profiles, spec = topic_profiles(person_papers, paper_topics, population)
    phrases = {}
    for label, topic in phrase_labels:
        phrase = tuple(tokens(label))
        if phrase and topic in spec and len(phrase) <= MAX_PHRASE:
            phrases.setdefault(phrase, topic)

    vocabulary, _, text_vectors = text_profiles(words, person_papers)

    members: set[int] = set()
    for row in store.select(load_query("match_person_orgs")):
        person, org = ids.get(row["person"]), org_ids.get(row["org"])
        if person is None or org is None:
            continue
        affiliations[person].add(org, orgs)
        members.add(person)
        if row["role"]:
            affiliations[person].roles.add(str(row["role"]).lower())

    involvement: dict[int, dict[str, int]] = defaultdict(dict)
    for row in store.select(load_query("match_person_activity")):
        person = ids.get(row["person"])
        if person is not None:
            involvement[person][row["kind"]] = int(row["items"])
            activity[person] += 0.5 * int(row["items"])
    top_activity = max(activity.values(), default=0.0)
    scaled = {p: math.log1p(a) / math.log1p(top_activity) for p, a in activity.items() if a > 0} if top_activity else {}

    present = set(person_papers) | (members if as_of is None else set())
    return MatchIndex(
        as_of=as_of, reference_year=reference, people=people, ids=ids, present=present,
        papers=papers, paper_year=paper_year,
        paper_title=titles,
        person_papers=dict(person_papers), paper_topics=dict(paper_topics), topics=topics,
        topic_labels=[labels.get(i) for i in range(len(topics))], topic_specificity=spec,
        topic_index=SparseIndex(profiles, len(people)),
        tree_index=SparseIndex(ancestor_profiles(profiles, broader), len(people)),
        text_index=SparseIndex(text_vectors, len(people)), vocabulary=vocabulary, phrases=phrases,
        broader=broader,
        adj=adj, orgs=orgs, affiliations=dict(affiliations),
        activity=scaled, activity_order=sorted(scaled, key=lambda p: (-scaled[p], p)),
        involvement=dict(involvement), last_year=last_year,
        opted_out=frozenset(i for i, person in enumerate(people) if person.opted_out),
    )


def _paper_topics(store: Store, paper_ids: dict[str, int]) -> tuple[list[str], dict[int, list[tuple[int, bool]]]]:
    """The topic IRIs the papers of ``paper_ids`` name, and per paper its topics (ids into
    them) with whether a heading marks them major."""
    topics: list[str] = []
    topic_ids: dict[str, int] = {}
    headings: dict[int, dict[int, bool]] = {}
    for row in store.rows(load_query("match_paper_topics")):
        paper = paper_ids.get(row["paper"])
        if paper is None:
            continue
        held = headings[paper] = {}
        for mark in row["topics"].split():
            major = mark.startswith("+")
            uri = mark[1:] if major else mark
            topic = topic_ids.get(uri)
            if topic is None:
                topic = topic_ids[uri] = len(topics)
                topics.append(uri)
            held[topic] = held.get(topic, False) or major
    return topics, {paper: list(held.items()) for paper, held in headings.items()}


def authorships(store: Store) -> Iterator[tuple[str, int | None, list[tuple[int | None, str, str | None]]]]:
    """Every article with its year and its person author slots: (rank, person IRI,
    affiliation IRI), once per affiliation of a slot, rank and affiliation None when absent."""
    for row in store.rows(load_query("match_authorships")):
        held = []
        for slot in row["slots"].split():
            rank, person, org = slot.split("|")
            held.append((int(rank) if rank else None, person, org or None))
        yield row["paper"], row["year"], held


def _paper_texts(store: Store, paper_ids: dict[str, int]) -> tuple[dict[int, str], dict[int, list[str]]]:
    """The title and the text tokens of each paper of ``paper_ids``."""
    titles: dict[int, str] = {}
    words: dict[int, list[str]] = {}
    for row in store.rows(load_query("match_paper_text")):
        paper = paper_ids.get(row["paper"])
        if paper is not None:
            title, keywords = row["title"] or "", (row["keywords"] or "").replace(" ; ", " ")
            titles[paper] = title
            words[paper] = tokens(f"{title} {title} {keywords} {keywords} {row['abstract'] or ''}")
    return titles, words
