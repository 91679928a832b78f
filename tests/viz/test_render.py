"""Maps as HTML (standalone files work offline, every label is escaped) and SVG charts."""

from __future__ import annotations

import json
import re

import networkx as nx

from viz import builders
from viz.builders import Neighbour
from viz.charts import bar_chart, year_chart
from viz.render import asset, render_file, render_fragment, vis_script_path

EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


def evil_map() -> builders.NetworkMap:
    g = nx.Graph()
    g.add_node("b", label=EVIL)
    g.add_edge("a", "b", weight=2, first=2019, last=2020)
    g.nodes["a"]["label"] = "A"
    return builders.ego(g, "a", "A & <i>co</i>", 1, [Neighbour("t", EVIL, "topic", 1, (EVIL,))])


def test_file_inlines_every_script_and_loads_nothing() -> None:
    html = render_file(evil_map(), lambda iri: f"https://example.org/{iri}")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.IGNORECASE)
    assert vis_script_path().read_text(encoding="utf-8")[:200] in html  # pyvis's bundled copy
    assert asset("map.js")[:120] in html
    assert html.count("</script>") == 3  # the data block, vis-network, map.js


def test_labels_are_data_never_markup() -> None:
    html = render_file(evil_map())
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    block = re.search(r'<script type="application/json" class="hg-map-data">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["b"] == EVIL and labels["t"] == EVIL and labels["a"] == "A & <i>co</i>"
    assert "A &amp; &lt;i&gt;co&lt;/i&gt;" in html  # the title, in the page's own markup


def test_fragment_carries_expand_url_and_year_range() -> None:
    fragment = str(render_fragment(evil_map(), expand_url="/maps/expand"))
    assert 'data-expand="/maps/expand"' in fragment
    assert 'class="hg-year-from" type="number" min="2019" max="2020" value="2019"' in fragment
    assert fragment.count('class="hg-toggle"') == 2  # people and topics; the focus has no toggle


def test_bar_chart_values_and_escaping() -> None:
    svg = str(bar_chart("Top <pairs>", [("<b>one</b>", 3), ("two", 7.5)]))
    assert re.findall(r'data-value="([^"]+)"', svg) == ["3", "7.5"]
    assert "&lt;b&gt;one&lt;/b&gt;" in svg and "<b>one" not in svg
    widths = [float(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)"', svg)]
    assert widths[1] > widths[0] and abs(widths[0] / widths[1] - 3 / 7.5) < 0.01


def test_year_chart_one_bar_per_year_and_series() -> None:
    rows = [{"year": 2020, "a": 1, "b": 4}, {"year": 2021, "a": 2, "b": 0}]
    svg = str(year_chart("t", rows, ("a", "b")))
    bars = re.findall(r'data-series="(\w)" data-value="(\d+)"', svg)
    assert bars == [("a", "1"), ("b", "4"), ("a", "2"), ("b", "0")]
    assert re.findall(r'data-year="(\d+)"', svg) == ["2020", "2021"]
