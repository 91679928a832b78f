"""The maps of a store: each gathers its projections (cached per store version) and a few
queries bound to one entity, then calls its builder in :mod:`viz.builders`.

:func:`build_map` is what the API and the CLI call: ``build_map(store, "ego", person_iri)``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from graph import analytics
from graph.cache import per_version
from graph.lookup import label_of, person_view
from graph.projection import coauthorship, person_organization
from graph.queries import load_query
from graph.store import Store
from viz import builders
from viz.builders import Neighbour
from viz.model import DEFAULT_CAP, NetworkMap

__all__ = ["MAP_KINDS", "build_map", "expand", "descendants", "ego_map", "org_map", "topic_map",
           "partnership_map", "pipeline_map", "describe"]

#: Map kinds and whether each needs an entity (``ego``, ``org``, ``topic``) or may take one.
MAP_KINDS = {"ego": True, "org": True, "topic": True, "partnership": False, "pipeline": False}


def opted_out(store: Store) -> set[str]:
    """The people on the opt-out list of the curation file: drawn on no map."""
    return {row["person"] for row in store.select(load_query("opted_out"))}


def _coauthors(store: Store) -> nx.Graph:
    """The co-authorship projection without the people who opted out, built once per store
    version (a filtered view would filter every neighbour on every map)."""
    return per_version("coauthors-shown", store, _shown_coauthors)


def _shown_coauthors(store: Store) -> nx.Graph:
    graph = coauthorship(store)
    hidden = opted_out(store) & set(graph)
    if not hidden:
        return graph
    shown = graph.copy()
    shown.remove_nodes_from(hidden)
    return shown


def _side_group(store: Store, org: str) -> str:
    unit = analytics.units(store).get(org)
    return unit.side if unit and unit.side in ("hospital", "university") else "organization"


def ego_map(store: Store, person: str, depth: int = 1, limit: int = DEFAULT_CAP, *,
            view: dict[str, Any] | None = None, items: list[dict[str, Any]] | None = None) -> NetworkMap:
    """A person, their co-authors (``depth`` 1 or 2), organisations, topics, trials and devices
    (``view`` and ``items``: the person's :func:`person_view` and ``ui_person_items`` rows,
    when the caller has read them already)."""
    view = person_view(store, person) if view is None else view
    extras = [Neighbour(o["uri"], o["name"] or o["uri"], _side_group(store, o["uri"]), max(o["papers"], 1),
                        (f"{o['kind']}", f"{o['papers']} papers with this affiliation"))
              for o in view["organizations"]]
    extras += [Neighbour(t["uri"], t["label"] or t["uri"], "topic", t["papers"], (f"{t['papers']} papers",))
               for t in view["topics"]]
    for row in store.select(load_query("ui_person_items"), person=person) if items is None else items:
        if row["kind"] in ("trial", "device"):
            extras.append(Neighbour(row["item"], row["label"] or row["item"], row["kind"], 1,
                                    (row["kind"], f"via {row['via']}")))
    return builders.ego(_coauthors(store), person, view["name"], depth, extras, limit)


def descendants(store: Store, org: str) -> set[str]:
    """The organisation and every organisation below it."""
    children: dict[str, list[str]] = defaultdict(list)
    for unit in analytics.units(store).values():
        for parent in unit.parents:
            children[parent].append(unit.uri)
    found, todo = {org}, [org]
    while todo:
        for child in children[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def org_map(store: Store, org: str, limit: int = DEFAULT_CAP) -> NetworkMap:
    """An organisation's units and their partner units, linked by shared papers."""
    name = label_of(store, org) or org
    return builders.organisation(analytics.unit_collaboration(store), org, name, descendants(store, org),
                                 limit=limit)


def topic_map(store: Store, topic: str, limit: int = DEFAULT_CAP) -> NetworkMap:
    """A topic, the people who work on it (with their co-authorship links) and nearby topics."""
    label = label_of(store, topic) or topic
    people = [Neighbour(r["person"], r["name"], "person", r["papers"], (f"{r['papers']} papers on {label}",))
              for r in store.select(load_query("ui_topic_people"), topic=topic)]
    related = [Neighbour(r["other"], r["label"] or r["other"], "topic", 1, (f"{r['rel']} topic",))
               for r in store.select(load_query("ui_topic"), topic=topic)]
    return builders.topic(_coauthors(store), topic, label, people, related, limit)


def partnership_map(store: Store, org: str | None = None, limit: int = DEFAULT_CAP) -> NetworkMap:
    """Hospital and university units, their strongest links and the people who bridge them;
    with ``org``, only the links of that organisation's units."""
    units = analytics.unit_collaboration(store)
    if org is not None:
        own = descendants(store, org)
        units = units.edge_subgraph([(a, b) for a, b in units.edges() if a in own or b in own])
    people, hidden = person_organization(store), opted_out(store)
    bridges = [(Neighbour(b["person"], b["name"], "bridge", 1 + 1000 * b["betweenness"],
                          (f"betweenness {b['betweenness']:.4f}", f"hospital: {b['hospital_units']}",
                           f"university: {b['university_units']}")),
                list(people[b["person"]])) for b in analytics.partnership(store).bridges
               if b["person"] not in hidden]
    network = builders.partnership(units, bridges, limit=limit)
    if org is not None:
        network.title = f"{label_of(store, org) or org}: hospital-university links"
    return network


def pipeline_map(store: Store, entity: str | None = None, limit: int = DEFAULT_CAP) -> NetworkMap:
    """Papers -> trials -> devices; with ``entity`` (a person, paper, trial or device), only
    the parts of the pipeline connected to it."""
    links = analytics.pipeline(store)
    if entity is None:
        return builders.pipeline(links, limit=limit)
    seeds = [entity]
    name = label_of(store, entity) or entity
    rows = [] if entity in links else store.select(load_query("api_person"), person=entity)
    if rows and rows[0]["name"]:
        seeds = [p["uri"] for p in person_view(store, entity)["papers"]]
        seeds += [r["item"] for r in store.select(load_query("ui_person_items"), person=entity)]
    network = builders.pipeline(links, seeds, f"{name}: innovation pipeline", limit=limit)
    if not network.graph.number_of_nodes():
        network.note = f"Nothing in the pipeline (papers cited by trials, trials, devices) leads to or from {name}."
    return network


def build_map(store: Store, kind: str, entity: str | None = None, depth: int = 1,
              limit: int = DEFAULT_CAP, *, view: dict[str, Any] | None = None,
              items: list[dict[str, Any]] | None = None) -> NetworkMap:
    """The ``kind`` map (one of :data:`MAP_KINDS`) of ``entity`` (an IRI); ``view`` and
    ``items``: for an ego map, what the caller has read of the person (see :func:`ego_map`)."""
    if kind not in MAP_KINDS:
        raise ValueError(f"unknown map kind '{kind}'; use one of {', '.join(MAP_KINDS)}")
    if MAP_KINDS[kind] and entity is None:
        raise ValueError(f"the {kind} map needs an entity")
    if entity is not None and entity in opted_out(store):
        raise ValueError(f"<{entity}> has opted out of maps (the curation file's opt_out list)")
    if kind == "ego":
        return ego_map(store, entity, depth, limit, view=view, items=items)  # type: ignore[arg-type]
    if kind == "org":
        return org_map(store, entity, limit)  # type: ignore[arg-type]
    if kind == "topic":
        return topic_map(store, entity, limit)  # type: ignore[arg-type]
    if kind == "partnership":
        return partnership_map(store, entity, limit)
    return pipeline_map(store, entity, limit)


#: Most nodes one "expand" adds.
EXPAND_LIMIT = 40


def expand(store: Store, node: str) -> NetworkMap:
    """The neighbours of one node of any map: a person's co-authors and organisations, an
    organisation's partner units, a pipeline item's links (empty for anything else)."""
    if node in analytics.pipeline(store):
        return builders.pipeline(analytics.pipeline(store), [node], limit=EXPAND_LIMIT)
    units = analytics.unit_collaboration(store)
    if node in units:
        return builders.organisation(units, node, units.nodes[node]["label"], {node}, partners=EXPAND_LIMIT,
                                     limit=EXPAND_LIMIT)
    graph = _coauthors(store)
    if node in graph:
        return builders.ego(graph, node, graph.nodes[node].get("label") or node, 1, limit=EXPAND_LIMIT)
    return NetworkMap("expand", "", nx.Graph())


def describe(network: NetworkMap) -> dict[str, Any]:
    """Counts of a map, for logs and the CLI: nodes, edges and the note."""
    return {"nodes": network.graph.number_of_nodes(), "edges": network.graph.number_of_edges(),
            "note": network.note}
