"""A map before it is drawn: a NetworkX graph of styled nodes, the node cap, and the plain
node and edge lists handed to vis-network (built directly, never through pyvis's add_node).

Node attributes: ``label``, ``group`` (a key of :data:`viz.style.GROUPS`), ``value``
(activity: node size), ``facts`` (lines of the hover card), optional ``first``/``last``
(years, for the year filter), ``x``/``y`` (fixed position) and ``level`` (layered layout).
Edge attributes: ``value`` (strength: width), optional ``first``/``last`` and ``bridge``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from viz.style import GROUPS, vis_groups

__all__ = ["DEFAULT_CAP", "NetworkMap", "cap", "to_data"]

#: Most nodes a map shows one by one; the rest are grouped into summary nodes.
DEFAULT_CAP = 300
_NODE_KEYS = ("label", "group", "value", "first", "last", "x", "y", "level")
_EDGE_KEYS = ("value", "first", "last", "bridge")


@dataclass(slots=True)
class NetworkMap:
    """One map: what it shows, its graph and how to lay it out."""

    kind: str
    title: str
    graph: nx.Graph
    focus: list[str] = field(default_factory=list)
    layout: str = "physics"  # "physics", "fixed" (x/y given) or "layered" (level given)
    note: str = ""
    toggles: bool = True


def cap(network: NetworkMap, limit: int = DEFAULT_CAP) -> NetworkMap:
    """The map with at most ``limit`` nodes and ``4 * limit`` edges: the focus stays, each kind
    of node keeps a share of the room, the rest of the room goes to the most active nodes; the
    others are grouped by kind into one summary node each, linked where they were, the weakest
    edges between other nodes are left out, and :attr:`NetworkMap.note` says so."""
    graph = network.graph
    total, edges = graph.number_of_nodes(), graph.number_of_edges()
    if total <= limit and edges <= 4 * limit:
        return network
    capped, notes = graph, [network.note] if network.note else []
    if total > limit:
        capped, dropped = _keep_nodes(graph, network.focus, limit)
        notes.append(f"Showing {capped.number_of_nodes() - len(dropped)} of {total} nodes; the other "
                     f"{total - capped.number_of_nodes() + len(dropped)} are grouped into "
                     f"{len(dropped)} summary node{'s' if len(dropped) != 1 else ''}.")
    if capped.number_of_edges() > 4 * limit:
        capped = _keep_edges(capped, set(network.focus), 4 * limit)
        notes.append(f"Only the {4 * limit} strongest links are drawn.")
    return NetworkMap(network.kind, network.title, capped, network.focus, network.layout,
                      " ".join(notes), network.toggles)


def _keep_nodes(graph: nx.Graph, focus: list[str], limit: int) -> tuple[nx.Graph, list[str]]:
    """The graph cut to ``limit`` nodes with summary nodes, and the summary nodes' ids."""
    nodes, adjacency = dict(graph.nodes(data=True)), dict(graph.adjacency())  # plain dicts: views are slow
    by_group: dict[str, list[Any]] = defaultdict(list)
    for n in sorted((n for n in nodes if n not in focus),
                    key=lambda n: (-float(nodes[n].get("value") or 0), str(nodes[n].get("label")))):
        by_group[nodes[n]["group"]].append(n)
    room = max(limit - len(focus) - len(by_group), len(by_group))
    share = max(room // (2 * len(by_group)), 1)
    kept = set(focus)
    for members in by_group.values():
        kept.update(members[:share])
    rest = sorted((n for members in by_group.values() for n in members[share:]),
                  key=lambda n: -float(nodes[n].get("value") or 0))
    kept.update(rest[:max(room - (len(kept) - len(focus)), 0)])
    capped = nx.Graph()
    capped.add_nodes_from((n, nodes[n]) for n in kept)
    capped.add_edges_from((a, b, e) for a in kept for b, e in adjacency[a].items() if b in kept)
    summaries = []
    for group, members in by_group.items():
        left = [n for n in members if n not in kept]
        if not left:
            continue
        summary = f"summary:{group}"
        summaries.append(summary)
        capped.add_node(summary, label=f"+{len(left)} more {GROUPS[group].label.lower()}",
                        group="summary", value=len(left),
                        facts=[f"{len(left)} {GROUPS[group].label.lower()} grouped here",
                               "open the entity's page for the full lists"])
        strength: dict[Any, float] = defaultdict(int)
        for n in left:
            for other, e in adjacency[n].items():
                if other in kept:
                    strength[other] += e.get("value", 1)
        capped.add_edges_from((other, summary, {"value": value}) for other, value in strength.items())
    return capped, summaries


def _keep_edges(graph: nx.Graph, focus: set[str], most: int) -> nx.Graph:
    """The graph with its ``most`` strongest edges, every edge of the focus first (ties by
    node ids, so the choice does not depend on the order the edges were added in)."""
    strongest = heapq.nsmallest(most, graph.edges(data=True), key=lambda e: (
        e[0] not in focus and e[1] not in focus, -float(e[2].get("value") or 0),
        min(str(e[0]), str(e[1])), max(str(e[0]), str(e[1]))))
    kept = nx.Graph()
    kept.add_nodes_from(graph.nodes(data=True))
    kept.add_edges_from(strongest)
    return kept


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def to_data(network: NetworkMap, link: Callable[[str], str | None]) -> dict[str, Any]:
    """The JSON-ready description of a map; ``link`` gives the page of a node (or None)."""
    graph = network.graph
    focus = set(network.focus)
    nodes = []
    for n, d in graph.nodes(data=True):
        node = {"id": n, **{k: _plain(d[k]) for k in _NODE_KEYS if d.get(k) is not None},
                "facts": [str(f) for f in d.get("facts", ())]}
        if n in focus:
            node["focus"] = True
        url = None if d.get("group") == "summary" else link(n)
        if url:
            node["url"] = url
        nodes.append(node)
    edges = [{"from": a, "to": b, **{k: _plain(d[k]) for k in _EDGE_KEYS if d.get(k) is not None}}
             for a, b, d in graph.edges(data=True)]
    years = [y for _, d in graph.nodes(data=True) for y in (d.get("first"), d.get("last")) if y]
    years += [y for _, _, d in graph.edges(data=True) for y in (d.get("first"), d.get("last")) if y]
    used = {d["group"] for _, d in graph.nodes(data=True)}
    legend = [{"group": g, "label": GROUPS[g].label, "colour": GROUPS[g].colour}
              for g in GROUPS if g in used]
    return {
        "kind": network.kind, "title": network.title, "note": network.note, "layout": network.layout,
        "toggles": network.toggles, "nodes": nodes, "edges": edges, "groups": vis_groups(used),
        "legend": legend, "years": [min(years), max(years)] if years else None,
    }
