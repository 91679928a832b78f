"""Summaries the product shows, computed once after each ingest, resolution or removal.

Whole-graph aggregates are too slow to run per request (papers per organisation per
year is seconds at 1M triples), so :func:`refresh` computes what the pages need from
three coarse queries (``summary_org_years``, ``summary_person_topics`` and the
co-authorship projection of :mod:`graph.projection`) and stores it in the store's internal summary
graph (``{base}graph/summaries``: never in the default graph, never reachable with
``GRAPH``, never dumped), replaced in one step. It persists with the store, so a
restarted server reuses it; the store version it was computed at is recorded with it.

:func:`papers_per_org_year` answers with one small query over the summary graph. The
neighbourhood readers (:func:`coauthors_of_coauthors`, :func:`topic_overlap`) count over
adjacency held in memory once per store version (the co-authorship projection, and each
person's topics read from the summary graph): a query joining two steps over the summary
graph took 2-13 s per person at 13M triples, where the counts in memory take milliseconds.
The first reader of a store without summaries computes them; from then on every ingest,
resolution and source removal refreshes them (:func:`maintain`), so no request pays
for a whole-graph query.

Summary graph terms (``hgs:``, internal): ``hgs:organization``/``hgs:year``/``hgs:papers``
on one node per (organisation, year); ``hgs:coauthor`` between people who wrote a paper
of at most :data:`graph.projection.MAX_TEAM_SIZE` people together (both directions);
``hgs:topic`` from a person to each MeSH topic of their papers; ``hgs:label`` of people;
``hgs:storeVersion`` of the graph itself.
"""

from __future__ import annotations

import heapq
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from threading import Lock

from graph import ntriples as nt
from graph.cache import per_version
from graph.errors import StoreError
from graph.projection import coauthorship
from graph.queries import load_query
from graph.store import Store

__all__ = ["SUMMARY", "OrgYear", "Reach", "Overlap", "refresh", "maintain", "is_current",
           "papers_per_org_year", "coauthors_of_coauthors", "topic_overlap"]

#: Namespace of the summary graph's own terms.
SUMMARY = "https://w3id.org/hubgraph/summary#"

_lock = Lock()


@dataclass(frozen=True, slots=True)
class OrgYear:
    """Papers naming one organisation in one year."""

    org: str
    year: int
    papers: int


@dataclass(frozen=True, slots=True)
class Reach:
    """A co-author of a co-author, and how many co-authors lead there."""

    person: str
    name: str
    via: int


@dataclass(frozen=True, slots=True)
class Overlap:
    """A person sharing topics with another, and how many."""

    person: str
    name: str
    shared: int


def _version(store: Store) -> str | None:
    rows = store.select_in(store.summaries, load_query("summary_version"))
    return str(rows[0]["version"]) if rows else None


def is_current(store: Store) -> bool:
    """Whether the stored summaries were computed at the store's current version."""
    return _version(store) == store.version()


def refresh(store: Store) -> None:
    """Recompute every summary from the store and replace the summary graph."""
    with _lock:
        _write(store)


def maintain(store: Store) -> None:
    """Refresh the summaries after a change to the store, if it has any (a store whose
    summaries were never read gets them on first use instead)."""
    if _version(store) is not None:
        refresh(store)


def _write(store: Store) -> None:
    version = store.version()
    s = f"<{SUMMARY}"
    with tempfile.TemporaryDirectory(prefix="summaries-") as scratch:
        path = Path(scratch) / "summaries.nt"
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
            out.write(f"{store.summaries} {s}storeVersion> {nt.lit(version)} .\n")
            for n, row in enumerate(store.select(load_query("summary_org_years"))):
                if row["year"] is None:
                    continue
                node = f"_:oy{n}"
                out.write(f"{node} {s}organization> {nt.iri(row['org'])} .\n"
                          f"{node} {s}year> {nt.integer(row['year'])} .\n"
                          f"{node} {s}papers> {nt.integer(row['papers'])} .\n")
            coauthors = coauthorship(store)
            for a, b in coauthors.edges:
                out.write(f"{nt.iri(a)} {s}coauthor> {nt.iri(b)} .\n{nt.iri(b)} {s}coauthor> {nt.iri(a)} .\n")
            for person, label in coauthors.nodes(data="label"):
                if label:
                    out.write(f"{nt.iri(person)} {s}label> {nt.lit(str(label))} .\n")
            for row in store.select(load_query("summary_person_topics")):
                out.write(f"{nt.iri(row['person'])} {s}topic> {nt.iri(row['topic'])} .\n")
        store.replace_internal(store.summaries, path)


def _ensure(store: Store) -> None:
    """Recompute the summaries when they are missing or older than the store."""
    if is_current(store):
        return
    with _lock:
        if is_current(store):
            return
        try:
            _write(store)
        except (OSError, RuntimeError) as exc:  # pyoxigraph raises RuntimeError on a read-only store
            raise StoreError(
                f"the summaries of the store at '{store.location}' are out of date and cannot be "
                f"rewritten here ({exc}); run 'hubgraph resolve' once with write access") from exc


def papers_per_org_year(store: Store, org: str | None = None) -> list[OrgYear]:
    """Papers per organisation (institution or department) and year, by organisation and
    year; only ``org``'s when given."""
    _ensure(store)
    bindings = {"org": org} if org else {}
    rows = store.select_in(store.summaries, load_query("summary_papers_per_org_year"), **bindings)
    return [OrgYear(str(r["org"]), int(r["year"]), int(r["papers"])) for r in rows]


def coauthors_of_coauthors(store: Store, person: str, limit: int = 50) -> list[Reach]:
    """People two co-authorship steps from ``person`` (not co-authors themselves), those
    reached through the most co-authors first."""
    _ensure(store)
    graph = coauthorship(store)
    if person not in graph:
        return []
    first = graph.adj[person]
    via = Counter(chain.from_iterable(graph.adj[coauthor] for coauthor in first))
    for known in (person, *first):
        via.pop(known, None)
    ranked = sorted(via.items(), key=lambda pv: (-pv[1], pv[0]))[:limit]
    return [Reach(p, str(graph.nodes[p].get("label") or p), n) for p, n in ranked]


def topic_overlap(store: Store, person: str, min_shared: int = 3, limit: int = 50) -> list[Overlap]:
    """People sharing at least ``min_shared`` MeSH topics with ``person``, most shared first."""
    topics = _topics(store)
    me = topics.index.get(person)
    if me is None:
        return []
    shared = Counter(chain.from_iterable(topics.holders[topic] for topic in topics.of[me]))
    shared.pop(me, None)
    best = heapq.nsmallest(limit, ((-n, topics.people[p]) for p, n in shared.items() if n >= min_shared))
    return [Overlap(uri, topics.labels.get(uri, uri), -n) for n, uri in best]


@dataclass(frozen=True, slots=True)
class _Topics:
    """People (by number), each person's MeSH topics, each topic's people, and names."""

    people: list[str]
    index: dict[str, int]
    of: dict[int, list[int]]
    holders: list[list[int]]
    labels: dict[str, str]


def _topics(store: Store) -> _Topics:
    """The person-topic pairs of the summary graph, in memory once per store version."""
    _ensure(store)
    return per_version("summary-topics", store, _read_topics)


def _read_topics(store: Store) -> _Topics:
    people: list[str] = []
    index: dict[str, int] = {}
    topic_ids: dict[str, int] = {}
    of: dict[int, list[int]] = defaultdict(list)
    holders: list[list[int]] = []
    for row in store.select_in(store.summaries, load_query("summary_topics")):
        person = index.setdefault(row["person"], len(index))
        if person == len(people):
            people.append(row["person"])
        topic = topic_ids.setdefault(row["topic"], len(topic_ids))
        if topic == len(holders):
            holders.append([])
        of[person].append(topic)
        holders[topic].append(person)
    labels = {row["person"]: str(row["name"]) for row in store.select_in(store.summaries, load_query("summary_labels"))}
    return _Topics(people, index, dict(of), holders, labels)
