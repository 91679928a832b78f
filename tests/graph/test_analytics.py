"""Whole-graph figures: the two engines agree, and the partnership tables of a small known graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import analytics
from tests.ui_data import build_hostile_store

B = "http://127.0.0.1:8000/id/"


def random_graph() -> nx.Graph:
    return nx.relabel_nodes(nx.gnm_random_graph(120, 360, seed=3), lambda i: f"n{i}")


@pytest.mark.parametrize("sources", [None, 30])
def test_betweenness_engines_agree(sources: int | None) -> None:
    g = random_graph()
    a = analytics.betweenness(g, sources, engine="networkx")
    b = analytics.betweenness(g, sources, engine="igraph")
    assert a.keys() == b.keys()
    assert max(abs(a[k] - b[k]) for k in a) < 1e-9
    if sources is None:
        exact = nx.betweenness_centrality(g)
        assert max(abs(exact[k] - b[k]) for k in b) < 1e-9


def test_pagerank_engines_agree_and_unknown_engine_is_refused() -> None:
    g = random_graph()
    a, b = analytics.pagerank(g, "networkx"), analytics.pagerank(g, "igraph")
    assert max(abs(a[k] - b[k]) for k in a) < 1e-5 and abs(sum(b.values()) - 1) < 1e-9
    with pytest.raises(ValueError, match="unknown engine 'graph-tool'"):
        analytics.betweenness(g, engine="graph-tool")


@pytest.fixture(scope="module")
def hostile(module_store):
    return build_hostile_store(module_store)


def test_units_take_their_side_from_their_institution(hostile) -> None:
    units = analytics.units(hostile)
    assert units[f"{B}org/local-ui-hostile-H"].side == "hospital"
    assert units[f"{B}org/local-ui-hostile-H-D"].side == "hospital"
    assert units[f"{B}org/local-ui-hostile-U-D"].side == "university"
    assert units[f"{B}org/local-ui-hostile-H-D"].parents == (f"{B}org/local-ui-hostile-H",)


def test_partnership_tables_of_a_known_graph(hostile) -> None:
    # W1 (2020): P1, P3 (hospital dept) and P2 (university dept); W2 (2022): P1, P3 (hospital);
    # W3 (2021): P2, P4 (university dept) and Ada's university row.
    figures = analytics.partnership(hostile)
    assert figures.years == [{"year": 2020, "hospital": 1, "university": 1, "joint": 1},
                             {"year": 2021, "hospital": 0, "university": 1, "joint": 0},
                             {"year": 2022, "hospital": 1, "university": 0, "joint": 0}]
    assert [(p["hospital_label"], p["university_label"], p["papers"], p["first"], p["last"])
            for p in figures.pairs] == [('<b>Cardio</b> & "Heart", St <i>Hostile</i> Hospital',
                                         "<img src=x onerror=alert(2)>, Uni of <u>Markup</u>", 1, 2020, 2020)]
    # Ada Lovelace (one ORCID iD, a hospital row and a university row) is the only bridge; on
    # the co-authorship graph P1-P2, P1-Ada, P2-Ada, P2-P4, Ada-P4 she and P2 share the one
    # pair not linked directly (P1, P4): betweenness 0.5 / C(3, 2) = 1/6.
    assert [b["name"] for b in figures.bridges] == ["Ada Lovelace"]
    assert figures.bridges[0]["betweenness"] == pytest.approx(1 / 6, abs=1e-6)
    assert {s["stage"]: s["count"] for s in figures.pipeline}["trials"] == 0


def test_figures_are_cached_per_store_version(store, tmp_path) -> None:
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    build_hostile_store(store)
    first = analytics.partnership(store)
    assert analytics.partnership(store) is first
    assert analytics.headline(store)["joint_papers"] == 1 and analytics.headline(store)["counts"]["paper"] == 3
    (tmp_path / "works.csv").write_text("id,title,year\nW9,Another,2023\n", encoding="utf-8")
    (tmp_path / "authorships.csv").write_text("work_id,person_id,rank\nW9,P1,1\n", encoding="utf-8")
    ingest_files(store, CONVERTERS["table"](store), [tmp_path])
    again = analytics.partnership(store)
    assert again is not first and analytics.headline(store)["counts"]["paper"] == 4
