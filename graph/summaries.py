"""Summaries the product shows, computed once after each ingest, resolution or removal.

Whole-graph aggregates are too slow to run per request (papers per organisation per
year is seconds at 1M triples), so :func:`refresh` computes what the pages need from
a few coarse queries (``summary_org_*``, ``summary_person_topics`` and the
co-authorship projection of :mod:`graph.projection`) and stores it in the store's internal summary
graph (``{base}graph/summaries``: never in the default graph, never reachable with
``GRAPH``, never dumped), replaced in one step. It persists with the store, so a
restarted server reuses it; the store version it was computed at is recorded with it.

:func:`papers_per_org_year`, :func:`org_people` and :func:`org_topics` answer with one small
query over the summary graph each. The
neighbourhood readers (:func:`coauthors_of_coauthors`, :func:`topic_overlap`) count over
adjacency held in memory once per store version (the co-authorship projection, and each
person's topics read from the summary graph): a query joining two steps over the summary
graph took 2-13 s per person at 13M triples, where the counts in memory take milliseconds.
The first reader of a store without summaries computes them; from then on every ingest,
resolution and source removal refreshes them (:func:`maintain`), so no request pays
for a whole-graph query.

Summary graph terms (``hgs:``, internal): ``hgs:organization``/``hgs:year``/``hgs:papers``
on one node per (organisation, year); ``hgs:peopleOf``/``hgs:person``/``hgs:personPapers`` on
one node per (organisation, person) and ``hgs:topicsOf``/``hgs:descriptor``/``hgs:topicPapers``
on one per (organisation, top topic), sub-organisations rolled up (what an organisation page
lists); ``hgs:coauthor`` between people who wrote a paper of at most
:data:`graph.projection.MAX_TEAM_SIZE` people together (both directions); ``hgs:topic``
from a person to each MeSH topic of their papers; ``hgs:label`` of people and topics;
``hgs:storeVersion`` of the graph itself (with the :data:`FORMAT` it was written in).
"""

from __future__ import annotations

import heapq
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TextIO
from threading import Lock

from graph import ntriples as nt
from graph.cache import per_version
from graph.errors import StoreError
from graph.projection import coauthorship
from graph.queries import load_query
from graph.store import Store

__all__ = ["SUMMARY", "OrgYear", "Member", "OrgTopic", "Reach", "Overlap", "refresh", "maintain", "is_current",
           "ensure_current", "papers_per_org_year", "org_people", "org_topics", "coauthors_of_coauthors", "topic_overlap"]

#: Namespace of the summary graph's own terms.
SUMMARY = "https://w3id.org/hubgraph/summary#"
#: Changes whenever the summary graph holds something new, so that older ones are rewritten.
FORMAT = 3
#: Topics kept per organisation.
ORG_TOPICS = 25

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
class Member:
    """A person of an organisation, and their papers there."""

    person: str
    name: str
    papers: int


@dataclass(frozen=True, slots=True)
class OrgTopic:
    """A MeSH topic of an organisation's papers, and how many."""

    topic: str
    label: str | None
    papers: int


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
    """Whether the stored summaries were computed at the store's current version, in the
    current format."""
    return _version(store) == _stamp(store)


def _stamp(store: Store) -> str:
    return f"{store.version()} format {FORMAT}"


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
    version = _stamp(store)
    s = f"<{SUMMARY}"
    with tempfile.TemporaryDirectory(prefix="summaries-") as scratch:
        path = Path(scratch) / "summaries.nt"
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
            out.write(f"{store.summaries} {s}storeVersion> {nt.lit(version)} .\n")
            names = _write_orgs(store, out)
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
            labels = {person: str(label) for person, label in coauthors.nodes(data="label") if label}
            for person, name in names.items():
                labels.setdefault(person, name)
            for person, label in labels.items():
                out.write(f"{nt.iri(person)} {s}label> {nt.lit(label)} .\n")
            for row in store.select(load_query("summary_person_topics")):
                out.write(f"{nt.iri(row['person'])} {s}topic> {nt.iri(row['topic'])} .\n")
        store.replace_internal(store.summaries, path)


def _write_orgs(store: Store, out: TextIO) -> dict[str, str]:
    """Write each organisation's people (with their papers there) and top topics, its
    sub-organisations included; return the people's names."""
    s = f"<{SUMMARY}"
    parents: dict[str, list[str]] = defaultdict(list)
    for row in store.select(load_query("summary_org_parents")):
        parents[row["unit"]].append(row["parent"])
    above: dict[str, set[str]] = {}

    def orgs_of(unit: str) -> set[str]:
        """The unit and every organisation above it."""
        if unit not in above:
            found, todo = {unit}, [unit]
            while todo:
                for parent in parents.get(todo.pop(), ()):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            above[unit] = found
        return above[unit]

    people: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    names: dict[str, str] = {}
    for row in store.select(load_query("summary_org_mentions")):
        names.setdefault(row["person"], str(row["name"]))
        for org in orgs_of(row["unit"]):
            papers = people[org][row["person"]]
            if row["paper"] is not None:
                papers.add(row["paper"])
    for n, (org, members) in enumerate(people.items()):
        for m, (person, papers) in enumerate(members.items()):
            node = f"_:op{n}x{m}"
            out.write(f"{node} {s}peopleOf> {nt.iri(org)} .\n{node} {s}person> {nt.iri(person)} .\n"
                      f"{node} {s}personPapers> {nt.integer(len(papers))} .\n")

    papers_of: dict[str, set[str]] = defaultdict(set)
    topics_of: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in store.select(load_query("summary_org_paper_topics")):
        topics_of[row["paper"]].add(row["topic"])
        if row["label"] is not None:
            labels.setdefault(row["topic"], str(row["label"]))
        for org in orgs_of(row["unit"]):
            papers_of[org].add(row["paper"])
    for n, (org, papers) in enumerate(papers_of.items()):
        counts = Counter(chain.from_iterable(topics_of[p] for p in papers))
        best = sorted(counts.items(), key=lambda tc: _topic_order(tc[0], labels.get(tc[0]), tc[1]))
        for m, (topic, count) in enumerate(best[:ORG_TOPICS]):
            node = f"_:ot{n}x{m}"
            out.write(f"{node} {s}topicsOf> {nt.iri(org)} .\n{node} {s}descriptor> {nt.iri(topic)} .\n"
                      f"{node} {s}topicPapers> {nt.integer(count)} .\n")
    for topic, label in labels.items():
        out.write(f"{nt.iri(topic)} {s}label> {nt.lit(label)} .\n")
    return names


def ensure_current(store: Store) -> None:
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
    ensure_current(store)
    bindings = {"org": org} if org else {}
    rows = store.select_in(store.summaries, load_query("summary_papers_per_org_year"), **bindings)
    return [OrgYear(str(r["org"]), int(r["year"]), int(r["papers"])) for r in rows]


def org_people(store: Store, org: str) -> list[Member]:
    """The people of an organisation and its sub-organisations (through authorship
    affiliations and people-table memberships; opted-out people left out), most papers
    there first."""
    ensure_current(store)
    rows = store.select_in(store.summaries, load_query("summary_org_people"), org=org)
    found = {r["person"]: Member(str(r["person"]), str(r["name"] or r["person"]), int(r["papers"])) for r in rows}
    return sorted(found.values(), key=lambda m: (-m.papers, m.name, m.person))


def org_topics(store: Store, org: str) -> list[OrgTopic]:
    """The top MeSH topics of an organisation's papers (its sub-organisations' included),
    most papers first, at most :data:`ORG_TOPICS`."""
    ensure_current(store)
    rows = store.select_in(store.summaries, load_query("summary_org_topics"), org=org)
    found = {r["topic"]: OrgTopic(str(r["topic"]), r["label"] and str(r["label"]), int(r["papers"])) for r in rows}
    return sorted(found.values(), key=lambda t: _topic_order(t.topic, t.label, t.papers))


def _topic_order(topic: str, label: str | None, papers: int) -> tuple[int, bool, str, str]:
    """Most papers first, then as SPARQL orders labels (unlabelled first), then by IRI."""
    return -papers, label is not None, label or "", topic


def coauthors_of_coauthors(store: Store, person: str, limit: int = 50) -> list[Reach]:
    """People two co-authorship steps from ``person`` (not co-authors themselves), those
    reached through the most co-authors first."""
    ensure_current(store)
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
    ensure_current(store)
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
