"""Exports of the public graph: RDF dumps and a GraphML file of the people projections."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

import networkx as nx
import pyoxigraph as ox

from graph.projection import coauthorship, person_organization, person_topic
from graph.store import Store

__all__ = ["EXPORT_FORMATS", "export", "people_network"]


def people_network(store: Store) -> nx.Graph:
    """Co-authorship, person-organisation and person-topic views in one graph.

    Each edge's ``relation`` attribute says which view it comes from.
    """
    combined = nx.Graph()
    for relation, view in (("coauthor", coauthorship), ("affiliation", person_organization),
                           ("topic", person_topic)):
        graph = view(store)
        combined.add_nodes_from(graph.nodes(data=True))
        combined.add_edges_from((a, b, {**d, "relation": relation}) for a, b, d in graph.edges(data=True))
    return combined


def _graphml(store: Store, out: IO[bytes]) -> None:
    graph = people_network(store).copy()
    for _, data in graph.nodes(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    for _, _, data in graph.edges(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    nx.write_graphml(graph, out)


def _rdf(rdf_format: ox.RdfFormat) -> Callable[[Store, IO[bytes]], None]:
    return lambda store, out: store.dump(out, rdf_format)


EXPORT_FORMATS: dict[str, Callable[[Store, IO[bytes]], None]] = {
    "nquads": _rdf(ox.RdfFormat.N_QUADS),
    "turtle": _rdf(ox.RdfFormat.TURTLE),
    "jsonld": _rdf(ox.RdfFormat.JSON_LD),
    "graphml": _graphml,
}


def export(store: Store, fmt: str, out: IO[bytes]) -> None:
    """Write the store in ``fmt`` (a key of :data:`EXPORT_FORMATS`) to ``out``."""
    EXPORT_FORMATS[fmt](store, out)
