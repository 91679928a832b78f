"""Identity resolution over the whole store: person mentions to persons.

Mentions (authorships, person records) live in the source graphs. Resolution reads
them all, clusters them with :func:`ingest.clustering.cluster_mentions` (applying
the curation file), names each cluster with a stable key, and writes the resolution
graph: persons, mention-to-person links with confidence and evidence, and retired
person IRIs pointing to their replacements (``owl:sameAs``), and the trial device
interventions found to be FDA devices (:mod:`ingest.device_links`). Only the difference
from the previous resolution graph is written.

Person keys are stable: a cluster with one ORCID is ``orcid-<ORCID>``; with an
institution's own id, ``local-<scope>-<id>``; otherwise it keeps the key most of
its mentions had before, or gets a new ``n-<family>-<given>`` key.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from graph import ntriples as nt
from graph.build import GraphBuilder
from graph.build_devices import write_device_match
from graph.errors import IngestError
from graph.model import Cluster, Mention
from graph.namespaces import HG, OWL, PROV, RDF
from graph.queries import load_query
from graph.store import DerivedChange, Store
from graph.summaries import maintain as maintain_summaries
from graph.uris import local_key, slug
from ingest.clustering import cluster_mentions
from ingest.curation import PeopleLists
from ingest.device_links import match_devices

__all__ = ["Resolution", "ResolutionReport", "load_mentions", "plan_resolution", "resolve_store"]


@dataclass
class ResolutionReport:
    """What a resolution run did, and what deserves a curator's look."""

    mentions: int = 0
    persons: int = 0
    retired: int = 0
    removed: int = 0
    added: int = 0
    deleted: int = 0
    device_links: int = 0
    seconds: float = 0.0
    weakest: list[tuple[float, str, str, tuple[str, ...]]] = field(default_factory=list)
    largest: list[tuple[int, str, str]] = field(default_factory=list)


def load_mentions(store: Store, relationships: set[str] | None = None) -> list[Mention]:
    """Every person mention in the store, with what resolution compares, in four queries.

    ``relationships`` collects the mentions that are VIVO relationships (authorships,
    investigator roles): their person link is also written as vivo:relates.
    """
    relationships = set() if relationships is None else relationships
    topics: dict[str, tuple[str, ...]] = {}
    for row in store.select(load_query("work_topics")):
        topics[row["work"]] = tuple(sorted(set(row["topics"].split())))
    fields: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(load_query("mention_fields")):
        fields[row["mention"]][row["field"].removeprefix(HG)].append(row["value"])
    institutions: dict[str, set[str]] = defaultdict(set)
    for row in store.select(load_query("mention_institutions")):
        institutions[row["mention"]].add(row["institution"])
    mentions = []
    for row in store.select(load_query("mentions")):
        if row["relates"]:
            relationships.add(row["mention"])
        known = fields.get(row["mention"], {})
        first = partial(_first, known)
        orcid = first("mentionOrcid")
        mentions.append(Mention(
            id=row["mention"],
            family_name=first("mentionFamilyName"),
            given_name=first("mentionGivenName"),
            initials=first("mentionInitials"),
            orcid=orcid.rsplit("/", 1)[-1] if orcid else None,
            local_id=first("localId"),
            local_scope=first("localScope"),
            work=row["work"],
            year=int(row["year"]) if (row["year"] or "").isdigit() else None,
            orgs=tuple(sorted(institutions.get(row["mention"], ()))),
            affiliations=tuple(known.get("affiliationText", ())),
            topics=topics.get(row["work"] or "", ()),
        ))
    mentions.sort(key=lambda m: m.id)
    return mentions


def _canonical_triples(path: Path) -> set[ox.Triple]:
    """The triples of an N-Triples file in the store's canonical form (``"0.9000"^^xsd:decimal``
    reads back as ``"0.9"``), so that they compare equal to what the store returns."""
    scratch = ox.Store()
    scratch.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in scratch}


def _first(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    return values[0] if values else None


@dataclass
class Resolution:
    """What one resolution run computed: the change to the resolution graph, the mentions
    of removed people, and the report."""

    change: DerivedChange
    removed_mentions: list[str]
    report: ResolutionReport


def resolve_store(store: Store, lists: PeopleLists | None = None) -> ResolutionReport:
    """Resolve every mention in the store and update the resolution graph."""
    resolution = plan_resolution(store, lists)
    store.update_derived(resolution.change)
    store.remove_mentions(resolution.removed_mentions)
    maintain_summaries(store)
    return resolution.report


def plan_resolution(store: Store, lists: PeopleLists | None = None) -> Resolution:
    """Resolve every mention in the store; return the change to make to the resolution graph
    (so that ingest can apply it in the same transaction as the new sources)."""
    start = time.perf_counter()
    lists = lists or PeopleLists()
    relationships: set[str] = set()
    mentions = load_mentions(store, relationships)
    by_id = {m.id: m for m in mentions}
    curation = lists.curation_for(store.minter)
    try:
        clusters = cluster_mentions(mentions, curation)
    except ValueError as exc:  # a curation file that contradicts itself
        raise IngestError(lists.path, str(exc)) from exc
    old = store.graph_triples(store.resolution)
    previous, retired_before = _previous_keys(old, store)
    keys = _assign_keys(clusters, by_id, previous)
    removed = {i for i, c in enumerate(clusters) if lists.matches_removal(_identifiers(c, keys[i], by_id), store.minter)}
    report = ResolutionReport(mentions=len(mentions))
    with tempfile.TemporaryDirectory(prefix="resolve-") as scratch:
        path = Path(scratch) / "resolution.nt"
        with open(path, "w", encoding="utf-8") as out:
            builder = GraphBuilder(store.minter, out)
            for i, cluster in enumerate(clusters):
                if i in removed:
                    report.removed += 1
                    continue
                _write_person(builder, keys[i], cluster, by_id, relationships,
                              lists.matches_opt_out(_identifiers(cluster, keys[i], by_id), store.minter))
            retired = _retired(previous, retired_before, clusters, keys, removed)
            for old_key, new_key in sorted(retired.items()):
                builder.retired_person(old_key, new_key)
            device_matches = match_devices(store)
            for match in device_matches:
                write_device_match(builder, match)
        new = _canonical_triples(path)
    remove, add = old - new, new - old
    description = _description(store, len(mentions), len(clusters) - len(removed))
    report.persons = len(clusters) - len(removed)
    report.retired = len(retired)
    report.device_links = len(device_matches)
    report.added, report.deleted = len(add), len(remove)
    report.weakest = sorted(
        (link.confidence, link.mention, keys[i], link.evidence)
        for i, c in enumerate(clusters) if i not in removed and len(c.mentions) > 1
        for link in c.mentions
    )[:20]
    report.largest = sorted(((len(c.mentions), keys[i], _display_name(c, by_id))
                             for i, c in enumerate(clusters)), reverse=True)[:20]
    report.seconds = time.perf_counter() - start
    return Resolution(DerivedChange(store.resolution, remove, add, description),
                      [m.mention for i in sorted(removed) for m in clusters[i].mentions], report)


def _previous_keys(old: set[ox.Triple], store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """Mention -> person key, and retired key -> replacement key, from the current graph."""
    prefix = store.minter.person("")
    resolved, same_as = f"{HG}resolvedTo", f"{OWL}sameAs"
    previous, retired = {}, {}
    for t in old:
        if t.predicate.value == resolved:
            previous[t.subject.value] = t.object.value.removeprefix(prefix)
        elif t.predicate.value == same_as and t.subject.value.startswith(prefix):
            retired[t.subject.value.removeprefix(prefix)] = t.object.value.removeprefix(prefix)
    return previous, retired


def _assign_keys(clusters: Sequence[Cluster], by_id: dict[str, Mention],
                 previous: dict[str, str]) -> list[str]:
    """A stable key per cluster; see the module docstring. A new name key may revive a
    retired one, so that undoing a merge gives the split-off person its old IRI back."""
    keys: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    order = sorted(range(len(clusters)), key=lambda i: (-len(clusters[i].mentions),
                                                          min(m.mention for m in clusters[i].mentions)))
    for i in order:  # identifier keys first: they cannot collide
        members = [by_id[m.mention] for m in clusters[i].mentions]
        orcids = sorted({m.orcid for m in members if m.orcid})
        local = sorted(f"{slug(m.local_scope or 'local')}-{local_key(m.local_id)}" for m in members if m.local_id)
        if orcids:
            keys[i] = f"orcid-{orcids[0]}"
        elif local:
            keys[i] = f"local-{local[0]}"
        if keys[i]:
            taken.add(keys[i])
    for i in order:  # then the key most of the cluster's mentions had before
        if keys[i]:
            continue
        votes = Counter(previous[m.mention] for m in clusters[i].mentions if m.mention in previous)
        for key, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if key not in taken and not key.startswith(("orcid-", "local-")):
                keys[i] = key
                taken.add(key)
                break
    for i in order:  # then a new name key
        if keys[i]:
            continue
        family, given = _best_name(clusters[i], by_id)
        base = f"n-{slug(family or 'unknown', 40)}" + (f"-{slug(given.split()[0], 30)}" if given else "")
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        keys[i] = key
        taken.add(key)
    return [k for k in keys if k is not None]


def _retired(previous: dict[str, str], retired_before: dict[str, str], clusters: Sequence[Cluster],
             keys: list[str], removed: set[int]) -> dict[str, str]:
    """Old person keys that no cluster has now, each pointed to the person most of its mentions
    went to (retired keys of earlier runs are kept and re-pointed)."""
    live = {k for i, k in enumerate(keys) if i not in removed}
    key_of = {m.mention: keys[i] for i, c in enumerate(clusters) if i not in removed for m in c.mentions}
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    for mention, old_key in previous.items():
        if old_key not in live and mention in key_of:
            moved[old_key][key_of[mention]] += 1
    result = {old: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for old, c in moved.items()}
    for old, target in retired_before.items():
        if old in live or old in result:
            continue
        while target in retired_before and target not in live:
            target = retired_before[target]
        target = result.get(target, target)
        if target in live:
            result[old] = target
    return result


def _best_name(cluster: Cluster, by_id: dict[str, Mention]) -> tuple[str | None, str | None]:
    """The most common family name and the fullest given name among a cluster's mentions."""
    members = [by_id[m.mention] for m in cluster.mentions]
    families = Counter(m.family_name for m in members if m.family_name)
    family = sorted(families.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if families else None
    givens = [m.given_name or m.initials for m in members if m.given_name or m.initials]
    given = max(sorted(givens), key=lambda g: (len(g.replace(".", "").replace(" ", "")), g)) if givens else None
    if family is None:
        return given, None
    return family, given


def _display_name(cluster: Cluster, by_id: dict[str, Mention]) -> str:
    family, given = _best_name(cluster, by_id)
    return f"{given or ''} {family or ''}".strip()


def _identifiers(cluster: Cluster, key: str, by_id: dict[str, Mention]) -> set[str]:
    """Every identifier a curator may use for the person of a cluster."""
    ids = {key, *(m.mention for m in cluster.mentions)}
    for link in cluster.mentions:
        mention = by_id[link.mention]
        if mention.orcid:
            ids.add(mention.orcid)
        if mention.local_id:
            ids.add(mention.local_id)
    return ids


def _write_person(builder: GraphBuilder, key: str, cluster: Cluster, by_id: dict[str, Mention],
                  relationships: set[str], opted_out: bool) -> None:
    members = [by_id[m.mention] for m in cluster.mentions]
    family, given = _best_name(cluster, by_id)
    orcids = sorted({m.orcid for m in members if m.orcid})
    local_ids = sorted({m.local_id for m in members if m.local_id})
    builder.person(key, family, given, orcids[0] if orcids else None, local_ids, opted_out)
    for link in cluster.mentions:
        builder.mention_link(link.mention, key, link.confidence, link.evidence,
                             link.mention in relationships)


def _description(store: Store, mentions: int, persons: int) -> list[str]:
    g = str(store.resolution)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return [
        f"{g} <{RDF}type> <{HG}ResolutionGraph> .",
        f"{g} <{PROV}generatedAtTime> {nt.typed(stamp, 'dateTime')} .",
        f"{g} <{HG}mentionCount> {nt.integer(mentions)} .",
        f"{g} <{HG}personCount> {nt.integer(persons)} .",
    ]

