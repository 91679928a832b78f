"""Whole-graph figures, computed once per store version and cached (never per request).

- :func:`centrality`: betweenness and PageRank of every person on the co-authorship graph;
- :func:`units`: every organisation with its side (hospital, university or other);
- :func:`unit_collaboration`: organisational units linked by the papers they share, per year;
- :func:`pipeline`: the paper -> trial -> device links of the innovation pipeline;
- :func:`partnership`: the partnership dashboard's tables;
- :func:`headline`: the headline figures of the graph.

Each is built from a few coarse SPARQL queries (``graph/queries/ui_*.rq`` and the
projections' own), so the same code runs against any SPARQL store. NetworkX stays the
graph interface; whole-graph metrics run on the engine :data:`ENGINE`, chosen by
measurement (``bench/analytics.py``, figures in ``docs/ui.md``).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import igraph as ig
import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from graph.cache import per_version
from graph.namespaces import VIVO
from graph.projection import MAX_TEAM_SIZE, coauthorship, person_organization
from graph.queries import load_query
from graph.stats import stats
from graph.store import Store

__all__ = ["ENGINE", "ENGINES", "EXACT_LIMIT", "SAMPLE_SOURCES", "betweenness", "pagerank",
           "Centrality", "centrality", "Unit", "units", "unit_collaboration", "pipeline",
           "Partnership", "partnership", "headline"]

#: Engines for whole-graph metrics; igraph measured about 25 times faster for betweenness and
#: 4 times for PageRank on 10,000 people (bench/analytics.py, docs/ui.md).
ENGINES = ("igraph", "networkx")
ENGINE = "igraph"
#: Graphs with more nodes than this get betweenness estimated from sampled sources.
EXACT_LIMIT = 5_000
SAMPLE_SOURCES = 200
#: How many rows the dashboard tables keep.
TOP = 20

_SIDES = ((f"{VIVO}Hospital", "hospital"), (f"{VIVO}University", "university"))


# -- metrics on any NetworkX graph ----------------------------------------------------


def _to_igraph(graph: nx.Graph) -> tuple[ig.Graph, list[Any]]:
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    return ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()]), nodes


def _sources(graph: nx.Graph, sources: int | None, seed: int) -> list[Any] | None:
    if sources is None or sources >= graph.number_of_nodes():
        return None
    return random.Random(seed).sample(sorted(graph, key=str), sources)


def betweenness(graph: nx.Graph, sources: int | None = None, engine: str = ENGINE,
                seed: int = 0) -> dict[Any, float]:
    """Normalised betweenness of every node of an undirected graph (hop distance); with
    ``sources``, estimated from that many sampled source nodes (the same on both engines)."""
    n = graph.number_of_nodes()
    sample = _sources(graph, sources, seed)
    if engine == "networkx":
        if sample is None:
            return nx.betweenness_centrality(graph)
        raw = nx.betweenness_centrality_subset(graph, sample, list(graph), normalized=False)
    elif engine == "igraph":
        g, nodes = _to_igraph(graph)
        if sample is None:
            values = g.betweenness(directed=False)
        else:
            index = {v: i for i, v in enumerate(nodes)}
            values = g.betweenness(directed=False, sources=[index[v] for v in sample])
        raw = dict(zip(nodes, values))
        if sample is None:
            scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
            return {v: x * scale for v, x in raw.items()}
    else:
        raise ValueError(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")
    # both engines count each sampled (source, target) path once: scale to all sources
    scale = (n / len(sample)) * (2.0 / ((n - 1) * (n - 2))) if n > 2 else 0.0
    return {v: x * scale for v, x in raw.items()}


def pagerank(graph: nx.Graph, engine: str = ENGINE) -> dict[Any, float]:
    """PageRank of every node, edges weighted by ``weight`` (default 1)."""
    if graph.number_of_nodes() == 0:
        return {}
    if engine == "networkx":  # nx.pagerank needs SciPy, which hubgraph does not depend on
        return _pagerank_python(graph, weight="weight")
    if engine != "igraph":
        raise ValueError(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")
    g, nodes = _to_igraph(graph)
    weights = [float(d.get("weight", 1)) for _, _, d in graph.edges(data=True)]
    return dict(zip(nodes, g.pagerank(directed=False, weights=weights)))


@dataclass(frozen=True, slots=True)
class Centrality:
    """How central a person is on the co-authorship graph."""

    betweenness: float
    pagerank: float


def centrality(store: Store) -> dict[str, Centrality]:
    """Betweenness (exact up to :data:`EXACT_LIMIT` people, else estimated from
    :data:`SAMPLE_SOURCES` sources) and PageRank of every person with a co-author."""
    return per_version("analytics-centrality", store, _build_centrality)  # type: ignore[return-value]


def _build_centrality(store: Store) -> dict[str, Centrality]:
    graph = coauthorship(store)
    sources = None if graph.number_of_nodes() <= EXACT_LIMIT else SAMPLE_SOURCES
    between = betweenness(graph, sources)
    rank = pagerank(graph)
    return {p: Centrality(between[p], rank[p]) for p in graph}


# -- organisational units ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """An organisation, with the side of the partnership it is on."""

    uri: str
    label: str
    side: str
    parents: tuple[str, ...] = ()
    is_institution: bool = False


def _side(types: set[str]) -> str | None:
    for iri, side in _SIDES:
        if iri in types:
            return side
    return None


def units(store: Store) -> dict[str, Unit]:
    """Every organisation by IRI. Hospitals and universities are their own side; any other
    unit (department, lab, centre) takes the side of its parent organisations, and its label
    names its first parent."""
    return per_version("analytics-units", store, _build_units)  # type: ignore[return-value]


def _build_units(store: Store) -> dict[str, Unit]:
    rows = store.select(load_query("ui_units"))
    labels = {row["unit"]: row["label"] or row["unit"] for row in rows}
    found = {}
    for row in rows:
        own = _side(set((row["types"] or "").split()))
        side = own or _side(set((row["parentTypes"] or "").split())) or "other"
        parents = tuple(sorted((row["parents"] or "").split()))
        label = labels[row["unit"]]
        if own is None and parents:  # "Department of Neurology, Massachusetts General Hospital"
            label = f"{label}, {labels.get(parents[0], parents[0])}"
        found[row["unit"]] = Unit(row["unit"], label, side, parents, own is not None)
    return found


def _paper_units(store: Store) -> dict[str, tuple[int | None, set[str]]]:
    """Each paper's year and most specific units: an organisation is dropped when one of its
    sub-units is named on the same paper."""
    known = units(store)
    papers: dict[str, tuple[int | None, set[str]]] = {}
    for row in store.select(load_query("ui_paper_units")):
        papers.setdefault(row["paper"], (row["year"], set()))[1].add(row["unit"])
    for paper, (_, found) in papers.items():
        parents = {p for u in found if u in known for p in known[u].parents}
        found -= parents
    return papers


def unit_collaboration(store: Store) -> nx.Graph:
    """Units linked by shared papers. Nodes: ``label``, ``side``, ``papers``, ``years``
    (year -> papers); edges: ``weight`` (papers), ``years`` (year -> papers), ``first``, ``last``."""
    return per_version("analytics-unit-collaboration", store, _build_unit_collaboration)


def _build_unit_collaboration(store: Store) -> nx.Graph:
    known = units(store)
    graph = nx.Graph()
    for paper, (year, found) in _paper_units(store).items():
        for u in found:
            if u not in graph:
                unit = known.get(u, Unit(u, u, "other"))
                graph.add_node(u, label=unit.label, side=unit.side, papers=0, years=Counter())
            graph.nodes[u]["papers"] += 1
            if year is not None:
                graph.nodes[u]["years"][year] += 1
        if len(found) > MAX_TEAM_SIZE:
            continue
        for a, b in combinations(sorted(found), 2):
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, weight=0, years=Counter(), first=None, last=None)
            edge = graph[a][b]
            edge["weight"] += 1
            if year is not None:
                edge["years"][year] += 1
                edge["first"] = year if edge["first"] is None else min(edge["first"], year)
                edge["last"] = year if edge["last"] is None else max(edge["last"], year)
    return graph


# -- innovation pipeline ----------------------------------------------------------------


def pipeline(store: Store) -> nx.DiGraph:
    """Papers -> trials -> devices. Nodes: ``label``, ``kind``, ``year``; edges point downstream."""
    return per_version("analytics-pipeline", store, _build_pipeline)


def _build_pipeline(store: Store) -> nx.DiGraph:
    graph = nx.DiGraph()
    for row in store.select(load_query("ui_pipeline")):
        for end in ("source", "target"):
            node = row[end]
            if node not in graph:
                graph.add_node(node, label=row[f"{end}Label"], kind=row[f"{end}Kind"], year=None)
            elif graph.nodes[node]["label"] is None:
                graph.nodes[node]["label"] = row[f"{end}Label"]
        if row["year"] is not None:
            graph.nodes[row["source"]]["year"] = row["year"]
        graph.add_edge(row["source"], row["target"])
    return graph


# -- the partnership dashboard ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Partnership:
    """The dashboard's tables: each a list of rows (dicts with the same keys)."""

    years: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    bridges: list[dict[str, Any]] = field(default_factory=list)
    pipeline: list[dict[str, Any]] = field(default_factory=list)


def partnership(store: Store) -> Partnership:
    """Hospital-university collaboration per year, the strongest unit pairs across the two
    sides, the people who bridge them most, and the innovation pipeline's stages."""
    return per_version("analytics-partnership", store, _build_partnership)  # type: ignore[return-value]


def _build_partnership(store: Store) -> Partnership:
    known = units(store)
    return Partnership(years=_years(store, known), pairs=_pairs(store), bridges=_bridges(store, known),
                       pipeline=_stages(pipeline(store)))


def _years(store: Store, known: dict[str, Unit]) -> list[dict[str, Any]]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for year, found in _paper_units(store).values():
        if year is None:
            continue
        sides = {known[u].side for u in found if u in known}
        for side in ("hospital", "university"):
            counts[year][side] += side in sides
        counts[year]["joint"] += {"hospital", "university"} <= sides
    return [{"year": y, "hospital": c["hospital"], "university": c["university"], "joint": c["joint"]}
            for y, c in sorted(counts.items())]


def _pairs(store: Store) -> list[dict[str, Any]]:
    graph = unit_collaboration(store)
    rows = []
    for a, b, edge in graph.edges(data=True):
        sides = {graph.nodes[a]["side"]: a, graph.nodes[b]["side"]: b}
        if set(sides) != {"hospital", "university"}:
            continue
        h, u = sides["hospital"], sides["university"]
        rows.append({"hospital_unit": h, "hospital_label": graph.nodes[h]["label"],
                     "university_unit": u, "university_label": graph.nodes[u]["label"],
                     "papers": edge["weight"], "first": edge["first"], "last": edge["last"]})
    rows.sort(key=lambda r: (-r["papers"], r["hospital_label"], r["university_label"]))
    return rows[:TOP]


def _bridges(store: Store, known: dict[str, Unit]) -> list[dict[str, Any]]:
    people = person_organization(store)
    scores = centrality(store)
    rows = []
    for person in people:
        if people.nodes[person].get("kind") != "person" or person not in scores:
            continue
        sides: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for org, edge in people[person].items():
            if org in known and known[org].side != "other":
                sides[known[org].side].append((-int(edge.get("weight") or 0), known[org].label))
        if len(sides) < 2:
            continue
        score = scores[person]
        rows.append({"person": person, "name": people.nodes[person]["label"],
                     "betweenness": round(score.betweenness, 6), "pagerank": round(score.pagerank, 6),
                     "hospital_units": "; ".join(label for _, label in sorted(sides["hospital"])[:2]),
                     "university_units": "; ".join(label for _, label in sorted(sides["university"])[:2])})
    rows.sort(key=lambda r: (-r["betweenness"], -r["pagerank"], r["name"]))
    return rows[:TOP]


def _stages(graph: nx.DiGraph) -> list[dict[str, Any]]:
    kinds = nx.get_node_attributes(graph, "kind")
    trials_to_devices = {s for s, t in graph.edges() if kinds[s] == "trial" and kinds[t] == "device"}
    return [
        {"stage": "papers that lead to a trial", "count": sum(k == "paper" for k in kinds.values())},
        {"stage": "trials", "count": sum(k == "trial" for k in kinds.values())},
        {"stage": "trials that lead to a device", "count": len(trials_to_devices)},
        {"stage": "devices", "count": sum(k == "device" for k in kinds.values())},
    ]


def headline(store: Store) -> dict[str, Any]:
    """The graph's headline figures: ``stats`` (triples, entity counts, sources) and the
    number of hospital-university joint papers."""
    return per_version("analytics-headline", store, _build_headline)  # type: ignore[return-value]


def _build_headline(store: Store) -> dict[str, Any]:
    figures = stats(store)
    figures["joint_papers"] = sum(row["joint"] for row in partnership(store).years)
    return figures
