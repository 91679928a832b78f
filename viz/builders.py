"""Map builders: NetworkX projections in, :class:`viz.model.NetworkMap` out (no store access).

- :func:`ego`: a person, their co-authors (depth 1 or 2), organisations, topics and devices;
- :func:`organisation`: an organisation's units and their partner units, linked by shared papers;
- :func:`topic`: a topic, the people who work on it (linked as co-authors) and nearby topics;
- :func:`partnership`: hospital units on the left, university units on the right, bridges between;
- :func:`pipeline`: papers -> trials -> devices, in layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from viz.model import DEFAULT_CAP, NetworkMap, cap

__all__ = ["Neighbour", "ego", "organisation", "topic", "partnership", "pipeline", "years_text"]


@dataclass(frozen=True, slots=True)
class Neighbour:
    """An entity linked to the focus of a map (an organisation, topic or device)."""

    iri: str
    label: str
    group: str
    weight: float = 1
    facts: tuple[str, ...] = field(default_factory=tuple)


def years_text(first: int | None, last: int | None) -> str:
    """``2015-2023``, ``2019``, or empty."""
    if first is None and last is None:
        return ""
    if first == last or last is None:
        return str(first)
    if first is None:
        return str(last)
    return f"{first}-{last}"


def _plural(n: float, word: str) -> str:
    n = int(n)
    return f"{n} {word}{'' if n == 1 else 's'}"


def _add_neighbours(graph: nx.Graph, focus: str, extras: Iterable[Neighbour]) -> None:
    for extra in extras:
        if extra.iri not in graph:
            graph.add_node(extra.iri, label=extra.label, group=extra.group, value=extra.weight,
                           facts=list(extra.facts))
        graph.add_edge(focus, extra.iri, value=extra.weight)


def ego(coauthors: nx.Graph, person: str, name: str, depth: int = 1,
        extras: Iterable[Neighbour] = (), limit: int = DEFAULT_CAP) -> NetworkMap:
    """The map of one person: co-authors up to ``depth`` steps (with the co-authorship links
    among them) and, linked to the person, the ``extras`` (organisations, topics, devices)."""
    if depth not in (1, 2):
        raise ValueError(f"depth must be 1 or 2, not {depth}")
    graph = nx.Graph()
    graph.add_node(person, label=name, group="focus", facts=["this person"])
    reached = nx.single_source_shortest_path_length(coauthors, person, cutoff=depth) if person in coauthors else {}
    activity = dict(coauthors.degree(reached, weight="weight")) if reached else {}
    labels = coauthors.nodes(data="label")
    mine = coauthors.adj[person] if reached else {}
    for p in reached:
        count = _plural(len(coauthors.adj[p]), "co-author")
        if p == person:
            graph.nodes[p]["value"] = int(activity[p])
            graph.nodes[p]["facts"] = [count]
            continue
        facts = [count]
        first = last = None
        e = mine.get(p)
        if e is not None:
            first, last = e.get("first"), e.get("last")
            facts.insert(0, f"{_plural(e['weight'], 'shared paper')} {years_text(first, last)}".strip())
        graph.add_node(p, label=labels[p] or p, group="person",
                       value=int(activity[p]), facts=facts, first=first, last=last)
    graph.add_edges_from((a, b, {"value": e.get("weight", 1), "first": e.get("first"), "last": e.get("last")})
                         for a, b, e in coauthors.edges(reached, data=True) if b in reached)
    _add_neighbours(graph, person, extras)
    return cap(NetworkMap("ego", f"{name}: co-authors, organisations, topics and devices", graph,
                          [person]), limit)


def organisation(units: nx.Graph, org: str, name: str, own: set[str], partners: int = 60,
                 limit: int = DEFAULT_CAP) -> NetworkMap:
    """The map of one organisation: its ``own`` units (itself and its sub-units) and their
    ``partners`` strongest partner units, linked by shared papers, coloured by side."""
    mine = [u for u in own if u in units]
    strength: dict[str, int] = {}
    for _, other, weight in units.edges(mine, data="weight"):
        if other not in own:
            strength[other] = strength.get(other, 0) + weight
    chosen = sorted(strength, key=lambda o: (-strength[o], str(units.nodes[o]["label"])))[:partners]
    graph = nx.Graph()
    for u in mine + chosen:
        d = units.nodes[u]
        years = sorted(d.get("years", {}))
        facts = [f"{_plural(d['papers'], 'paper')} {years_text(years[0], years[-1]) if years else ''}".strip(),
                 f"{d['side']} side"]
        if u in strength:
            facts.insert(0, f"{_plural(strength[u], 'paper')} with {name}")
        graph.add_node(u, label=d["label"], group=_side_group(d["side"]), value=d["papers"], facts=facts,
                       first=years[0] if years else None, last=years[-1] if years else None)
    graph.add_edges_from((a, b, {"value": e["weight"], "first": e.get("first"), "last": e.get("last")})
                         for a, b, e in units.edges(list(graph), data=True) if b in graph)
    focus = [org] if org in graph else []
    if not focus:
        graph.add_node(org, label=name, group="focus", facts=["no papers name this organisation itself"])
        focus = [org]
        for u in mine:
            graph.add_edge(org, u, value=1)
    return cap(NetworkMap("org", f"{name}: units and partner units", graph, focus), limit)


def _side_group(side: str) -> str:
    return side if side in ("hospital", "university") else "organization"


def topic(coauthors: nx.Graph, topic_iri: str, label: str, people: Iterable[Neighbour],
          related: Iterable[Neighbour] = (), limit: int = DEFAULT_CAP) -> NetworkMap:
    """The map of one topic: the ``people`` working on it, linked to it and to each other as
    co-authors, and ``related`` topics (broader, narrower)."""
    graph = nx.Graph()
    graph.add_node(topic_iri, label=label, group="focus", facts=["this topic"])
    people = list(people)
    _add_neighbours(graph, topic_iri, people)
    members = [p.iri for p in people if p.iri in coauthors]
    for a, b, e in coauthors.subgraph(members).edges(data=True):
        graph.add_edge(a, b, value=e.get("weight", 1), first=e.get("first"), last=e.get("last"))
    _add_neighbours(graph, topic_iri, related)
    return cap(NetworkMap("topic", f"{label}: people and related topics", graph, [topic_iri]), limit)


def partnership(units: nx.Graph, bridges: Iterable[tuple[Neighbour, list[str]]], pairs: int = 80,
                limit: int = DEFAULT_CAP) -> NetworkMap:
    """Hospital units (left) and university units (right) with their ``pairs`` strongest links
    across the two sides; ``bridges`` (a person and their units) are drawn between them."""
    cross = [(a, b, e) for a, b, e in units.edges(data=True)
             if {units.nodes[a]["side"], units.nodes[b]["side"]} == {"hospital", "university"}]
    cross.sort(key=lambda t: (-t[2]["weight"], str(t[0]), str(t[1])))
    graph = nx.Graph()
    for a, b, e in cross[:pairs]:
        for u in (a, b):
            if u not in graph:
                d = units.nodes[u]
                graph.add_node(u, label=d["label"], group=d["side"], value=d["papers"],
                               facts=[f"{_plural(d['papers'], 'paper')}", f"{d['side']} side"])
        graph.add_edge(a, b, value=e["weight"], first=e.get("first"), last=e.get("last"))
    _place(graph)
    for person, person_units in bridges:
        present = [u for u in person_units if u in graph]
        if not present:
            continue
        graph.add_node(person.iri, label=person.label, group="bridge", value=person.weight,
                       facts=list(person.facts), x=0)
        for u in present:
            graph.add_edge(person.iri, u, value=1, bridge=True)
    _place_bridges(graph)
    network = NetworkMap("partnership", "Hospital-university partnership: units and bridging people",
                         graph, layout="fixed")
    return cap(network, limit)


def _place(graph: nx.Graph) -> None:
    """Hospital units in a column on the left, university units on the right, strongest first."""
    for side, x in (("hospital", -700), ("university", 700)):
        column = sorted((n for n, d in graph.nodes(data=True) if d["group"] == side),
                        key=lambda n: (-graph.degree(n, weight="value"), str(graph.nodes[n]["label"])))
        for i, n in enumerate(column):
            graph.nodes[n]["x"], graph.nodes[n]["y"] = x, i * 30


def _place_bridges(graph: nx.Graph) -> None:
    bridges = [n for n, d in graph.nodes(data=True) if d["group"] == "bridge"]
    for i, n in enumerate(bridges):
        ys = [graph.nodes[u].get("y", 0) for u in graph[n]]
        graph.nodes[n]["y"] = sum(ys) / len(ys) + (i % 3) * 12 if ys else i * 30


_LEVELS = {"paper": 0, "trial": 1, "device": 2}


def pipeline(links: nx.DiGraph, focus: Iterable[str] = (), title: str = "Innovation pipeline",
             limit: int = DEFAULT_CAP) -> NetworkMap:
    """Papers -> trials -> devices in three layers; with ``focus``, only the parts of the
    pipeline connected to those nodes."""
    focus = [f for f in focus if f in links]
    keep: set[str] = set(links)
    if focus:
        keep = set().union(*(nx.node_connected_component(links.to_undirected(as_view=True), f) for f in focus))
    graph = nx.Graph()
    for n in keep:
        d = links.nodes[n]
        kind = d.get("kind") or "paper"
        facts = [kind] + ([f"year {d['year']}"] if d.get("year") else [])
        facts.append(f"leads to {_plural(links.out_degree(n), 'item')}" if links.out_degree(n)
                     else f"reached from {_plural(links.in_degree(n), 'item')}")
        graph.add_node(n, label=d.get("label") or n.rsplit("/", 1)[-1], group=kind,
                       value=links.degree(n), level=_LEVELS.get(kind, 0), facts=facts,
                       first=d.get("year"), last=d.get("year"))
    for a, b in links.subgraph(keep).edges():
        graph.add_edge(a, b, value=1)
    return cap(NetworkMap("pipeline", title, graph, [f for f in focus if f in graph], layout="layered"), limit)
