"""Map builders on small known graphs: the nodes, edges, groups and the node cap."""

from __future__ import annotations

import networkx as nx
import pytest

from viz import builders
from viz.builders import Neighbour
from viz.model import cap, to_data, NetworkMap


def coauthors() -> nx.Graph:
    """a-b (3 papers, 2018-2020), a-c (1, 2021), b-c (1, 2021), c-d (2, 2015-2016), d-e (1, 2010)."""
    g = nx.Graph()
    for n in "abcde":
        g.add_node(n, label=f"Person {n.upper()}", kind="person")
    g.add_edge("a", "b", weight=3, first=2018, last=2020)
    g.add_edge("a", "c", weight=1, first=2021, last=2021)
    g.add_edge("b", "c", weight=1, first=2021, last=2021)
    g.add_edge("c", "d", weight=2, first=2015, last=2016)
    g.add_edge("d", "e", weight=1, first=2010, last=2010)
    return g


def test_ego_depth_one_has_coauthors_their_links_and_extras() -> None:
    org = Neighbour("org1", "Org One", "hospital", 2)
    m = builders.ego(coauthors(), "a", "Person A", 1, [org, Neighbour("t1", "Topic", "topic", 5)])
    g = m.graph
    assert set(g) == {"a", "b", "c", "org1", "t1"}
    assert {frozenset(e) for e in g.edges()} == {frozenset(p) for p in
                                                 [("a", "b"), ("a", "c"), ("b", "c"), ("a", "org1"), ("a", "t1")]}
    assert g.nodes["a"]["group"] == "focus" and g.nodes["b"]["group"] == "person"
    assert g.nodes["org1"]["group"] == "hospital" and g.nodes["t1"]["group"] == "topic"
    # activity is the sum of shared papers; strength and years travel on the edge
    assert g.nodes["b"]["value"] == 4 and g.nodes["c"]["value"] == 4
    assert g["a"]["b"]["value"] == 3 and (g["a"]["b"]["first"], g["a"]["b"]["last"]) == (2018, 2020)
    assert (g.nodes["b"]["first"], g.nodes["b"]["last"]) == (2018, 2020)
    assert g.nodes["b"]["facts"][0] == "3 shared papers 2018-2020"
    assert m.focus == ["a"] and m.note == ""


def test_ego_depth_two_reaches_coauthors_of_coauthors() -> None:
    g = builders.ego(coauthors(), "a", "Person A", 2).graph
    assert set(g) == {"a", "b", "c", "d"}
    assert g.has_edge("c", "d") and "e" not in g
    with pytest.raises(ValueError, match="depth"):
        builders.ego(coauthors(), "a", "Person A", 3)


def test_ego_of_a_person_without_coauthors() -> None:
    g = builders.ego(coauthors(), "zed", "Zed", 1, [Neighbour("t", "T", "topic")]).graph
    assert set(g) == {"zed", "t"} and g.has_edge("zed", "t")


def star(n: int) -> nx.Graph:
    g = nx.Graph()
    g.add_node("hub", label="Hub", kind="person")
    for i in range(n):
        g.add_node(f"p{i}", label=f"P{i}", kind="person")
        g.add_edge("hub", f"p{i}", weight=n - i)
    return g


def test_cap_keeps_focus_and_most_active_and_summarises_the_rest() -> None:
    topics = [Neighbour(f"t{i}", f"T{i}", "topic", 1) for i in range(30)]
    m = builders.ego(star(100), "hub", "Hub", 1, topics, limit=50)
    g = m.graph
    assert g.number_of_nodes() <= 50
    assert "hub" in g
    summaries = [n for n, d in g.nodes(data=True) if d["group"] == "summary"]
    assert sorted(summaries) == ["summary:person", "summary:topic"]
    kept_people = [n for n, d in g.nodes(data=True) if d["group"] == "person"]
    kept_topics = [n for n, d in g.nodes(data=True) if d["group"] == "topic"]
    assert kept_topics, "each kind of node keeps a share of the room"
    # the most active people stay: p0 (100 shared papers) is kept, p99 (1) is summarised
    assert "p0" in kept_people and "p99" not in g
    hidden_people = 100 - len(kept_people)
    assert g.nodes["summary:person"]["label"] == f"+{hidden_people} more people"
    # the summary is linked where the hidden nodes were, with their summed strength
    hidden = [f"p{i}" for i in range(100) if f"p{i}" not in g]
    assert g["hub"]["summary:person"]["value"] == sum(100 - int(p[1:]) for p in hidden)
    assert "Showing" in m.note and str(g.number_of_nodes() - 2) in m.note


def test_cap_leaves_small_maps_alone() -> None:
    m = builders.ego(star(10), "hub", "Hub", 1, limit=50)
    assert m.graph.number_of_nodes() == 11 and m.note == ""


def test_cap_thins_edges_keeping_the_focus_edges() -> None:
    g = nx.complete_graph(40)
    nx.set_node_attributes(g, "person", "group")
    nx.set_edge_attributes(g, 1, "value")
    capped = cap(NetworkMap("ego", "t", g, [0]), limit=40).graph
    assert capped.number_of_nodes() == 40 and capped.number_of_edges() == 160
    assert capped.degree(0) == 39


def units_graph() -> nx.Graph:
    """Hospital H with department H/d, university U with department U/d, company C."""
    g = nx.Graph()
    for u, side, papers, years in (("H", "hospital", 2, {2019: 2}), ("H/d", "hospital", 3, {2020: 3}),
                                   ("U", "university", 1, {2021: 1}), ("U/d", "university", 4, {2020: 4}),
                                   ("C", "other", 1, {2022: 1})):
        g.add_node(u, label=f"Unit {u}", side=side, papers=papers, years=years)
    g.add_edge("H/d", "U/d", weight=3, years={2020: 3}, first=2020, last=2020)
    g.add_edge("H", "U", weight=1, years={2021: 1}, first=2021, last=2021)
    g.add_edge("U/d", "C", weight=1, years={2022: 1}, first=2022, last=2022)
    g.add_edge("H", "H/d", weight=1, years={2019: 1}, first=2019, last=2019)
    return g


def test_organisation_map_has_own_units_and_partners_coloured_by_side() -> None:
    m = builders.organisation(units_graph(), "H", "Unit H", {"H", "H/d"})
    g = m.graph
    assert set(g) == {"H", "H/d", "U", "U/d"}
    assert {n: d["group"] for n, d in g.nodes(data=True)} == {
        "H": "hospital", "H/d": "hospital", "U": "university", "U/d": "university"}
    assert g["H/d"]["U/d"]["value"] == 3 and g.has_edge("H", "H/d") and not g.has_edge("U/d", "C")
    assert g.nodes["U/d"]["facts"][0] == "3 papers with Unit H"


def test_partnership_places_sides_apart_and_highlights_bridges() -> None:
    bridge = Neighbour("p", "Bridging Person", "bridge", 2)
    m = builders.partnership(units_graph(), [(bridge, ["H/d", "U/d", "elsewhere"])])
    g = m.graph
    assert set(g) == {"H", "H/d", "U", "U/d", "p"}
    assert not g.has_edge("H", "H/d") and not g.has_edge("U/d", "C")  # same-side and other links left out
    assert all(g.nodes[n]["x"] < 0 for n in ("H", "H/d")) and all(g.nodes[n]["x"] > 0 for n in ("U", "U/d"))
    assert g.nodes["p"]["x"] == 0 and g.nodes["p"]["group"] == "bridge"
    assert g["p"]["H/d"]["bridge"] and g["p"]["U/d"]["bridge"]
    assert m.layout == "fixed"


def test_pipeline_layers_and_focus() -> None:
    links = nx.DiGraph()
    links.add_node("paper1", kind="paper", label="P1", year=2015)
    links.add_node("trial1", kind="trial", label="T1", year=2017)
    links.add_node("device1", kind="device", label=None, year=None)
    links.add_node("paper2", kind="paper", label="P2", year=2019)
    links.add_node("trial2", kind="trial", label="T2", year=2020)
    links.add_edges_from([("paper1", "trial1"), ("trial1", "device1"), ("paper2", "trial2")])
    whole = builders.pipeline(links).graph
    assert whole.number_of_nodes() == 5 and whole.number_of_edges() == 3
    assert {n: d["level"] for n, d in whole.nodes(data=True)} == {
        "paper1": 0, "paper2": 0, "trial1": 1, "trial2": 1, "device1": 2}
    assert whole.nodes["device1"]["label"] == "device1"
    focused = builders.pipeline(links, ["trial2"])
    assert set(focused.graph) == {"paper2", "trial2"} and focused.layout == "layered"


def test_to_data_lists_nodes_edges_legend_years_and_links() -> None:
    m = builders.ego(coauthors(), "a", "<b>A</b>", 1, [Neighbour("t1", "Topic", "topic")])
    data = to_data(m, lambda iri: f"/page/{iri}" if iri != "t1" else None)
    assert len(data["nodes"]) == 4 and len(data["edges"]) == 4
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["a"]["label"] == "<b>A</b>" and by_id["a"]["focus"] is True
    assert by_id["b"]["url"] == "/page/b" and "url" not in by_id["t1"]
    assert data["years"] == [2018, 2021]
    assert [item["group"] for item in data["legend"]] == ["focus", "person", "topic"]
    assert set(data["groups"]) == {"focus", "person", "topic"}
