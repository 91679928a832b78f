"""NetworkX views of the graph, each defined by a SPARQL query file.

- :func:`coauthorship`: people linked by shared papers (weight, first and last year);
- :func:`person_organization`: people and the organisations on their papers;
- :func:`person_topic`: people and the MeSH topics of their papers.

Node ids are IRIs; ``label`` and ``kind`` are node attributes. Each view is
cached per store version (:mod:`graph.cache`), so it is computed once after each ingest.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from graph.cache import per_version
from graph.queries import load_query
from graph.store import Store

__all__ = ["coauthorship", "person_organization", "person_topic", "MAX_TEAM_SIZE"]

#: Papers with more person authors than this are left out of co-authorship
#: (consortium papers would otherwise link hundreds of people who never met).
MAX_TEAM_SIZE = 100

def coauthorship(store: Store, max_team_size: int = MAX_TEAM_SIZE, as_of: int | None = None) -> nx.Graph:
    """People linked by the papers they wrote together (with ``as_of``: papers dated up to
    that year only).

    Edges carry ``weight`` (shared papers), ``first`` and ``last`` (years).
    """
    return per_version(f"coauthorship-{max_team_size}-{as_of}", store,
                   lambda s: _build_coauthorship(s, max_team_size, as_of))


def _build_coauthorship(store: Store, max_team_size: int, as_of: int | None = None) -> nx.Graph:
    graph = nx.Graph()
    teams: dict[str, list[str]] = defaultdict(list)
    years: dict[str, int | None] = {}
    for row in store.select(load_query("coauthorship")):
        if as_of is not None and (row["year"] is None or row["year"] > as_of):
            continue
        graph.add_node(row["person"], label=row["name"], kind="person")
        team = teams[row["paper"]]
        if row["person"] not in team:
            team.append(row["person"])
        years[row["paper"]] = row["year"]
    for paper, team in teams.items():
        if len(team) > max_team_size:
            continue
        year = years[paper]
        for a, b in combinations(sorted(team), 2):
            edge = graph.get_edge_data(a, b)
            if edge is None:
                graph.add_edge(a, b, weight=1, first=year, last=year)
                continue
            edge["weight"] += 1
            if year is not None:
                edge["first"] = year if edge["first"] is None else min(edge["first"], year)
                edge["last"] = year if edge["last"] is None else max(edge["last"], year)
    return graph


def _bipartite(store: Store, query: str, other: str, other_kind: str,
               attrs: tuple[str, ...]) -> nx.Graph:
    graph = nx.Graph()
    for row in store.select(load_query(query)):
        graph.add_node(row["person"], label=row["personLabel"], kind="person")
        graph.add_node(row[other], label=row[f"{other}Label"] or row[other], kind=other_kind)
        graph.add_edge(row["person"], row[other], **{a: row[a] for a in attrs})
    return graph


def person_organization(store: Store) -> nx.Graph:
    """People and organisations, linked with ``weight`` (papers), ``first`` and ``last`` year."""
    return per_version("person_organization", store, lambda s: _bipartite(
        s, "person_organization", "org", "organization", ("weight", "first", "last")))


def person_topic(store: Store) -> nx.Graph:
    """People and MeSH topics, linked with ``weight`` (papers) and ``major`` (as major topic)."""
    return per_version("person_topic", store, lambda s: _bipartite(
        s, "person_topic", "topic", "topic", ("weight", "major")))
