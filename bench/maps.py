"""Map build time and HTML size, and the time until the browser reports the map stabilised.

For synthetic co-authorship graphs of 100, 1,000 and 10,000 people (NetworkX's
``powerlaw_cluster_graph``), it builds the ego map of the best-connected person at depth 2
(which reaches most of the graph) with the node cap (300), renders the standalone HTML file
(vis-network inlined) and reports the median build time (builder + cap + render) of
``--repeats`` runs and the file's size. Then it opens a 300-node map in headless Chromium
(Playwright with Debian's ``chromium``) from disk and reports the time until the page says
the network stabilised (physics off after layout), median of ``--repeats`` page loads.

Targets (issue 7): build under 200 ms at the cap; stabilised under 3 s.

Run: ``python bench/maps.py [--sizes 100,1000,10000] [--repeats 5] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import networkx as nx  # noqa: E402

from viz import builders  # noqa: E402
from viz.model import DEFAULT_CAP  # noqa: E402
from viz.render import render_file  # noqa: E402


def coauthors(n: int) -> nx.Graph:
    graph = nx.powerlaw_cluster_graph(n, 3, 0.4, seed=7)
    graph = nx.relabel_nodes(graph, lambda i: f"https://example.org/person/{i}")
    for i, node in enumerate(graph):
        graph.nodes[node]["label"] = f"Person {i}"
    for a, b in graph.edges():
        graph[a][b].update(weight=1 + hash((a, b)) % 5, first=2010 + hash(a) % 8, last=2018 + hash(b) % 6)
    return graph


def build(graph: nx.Graph) -> tuple[float, str, builders.NetworkMap]:
    hub = max(graph, key=graph.degree)
    start = time.perf_counter()
    network = builders.ego(graph, hub, "Hub", depth=2, limit=DEFAULT_CAP)
    html = render_file(network, lambda iri: iri)
    return time.perf_counter() - start, html, network


def stabilise(html: str, repeats: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on PATH (Debian: apt-get install chromium)")
    times = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        path = Path(folder) / "map.html"
        path.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(repeats):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(path.as_uri())
            page.wait_for_selector(".hg-map[data-state=stable]", timeout=60_000)
            times.append(page.evaluate("window.hubgraphMaps[0].stabilizedMs") / 1000)
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args()
    rows, capped_html = [], None
    for n in (int(s) for s in args.sizes.split(",")):
        graph = coauthors(n)
        runs = [build(graph) for _ in range(args.repeats)]
        seconds, html, network = runs[len(runs) // 2][0], runs[-1][1], runs[-1][2]
        seconds = statistics.median(r[0] for r in runs)
        reach = len(nx.ego_graph(graph, max(graph, key=graph.degree), radius=2))
        row = {"people": n, "co_authorship_edges": graph.number_of_edges(), "ego_depth_2_nodes": reach,
               "map_nodes": network.graph.number_of_nodes(), "map_edges": network.graph.number_of_edges(),
               "build_ms": round(seconds * 1000, 1), "html_kb": round(len(html.encode()) / 1024)}
        rows.append(row)
        print(json.dumps(row), flush=True)
        if network.graph.number_of_nodes() >= DEFAULT_CAP and capped_html is None:
            capped_html = html
    result = {"builds": rows}
    if capped_html is not None:
        times = stabilise(capped_html, args.repeats)
        result["stabilised_s"] = {"median": round(statistics.median(times), 2), "max": round(max(times), 2)}
        print(json.dumps(result["stabilised_s"]))
    print("\npeople  edges    reached  map nodes/edges  build ms  HTML KiB")
    for r in rows:
        print(f"{r['people']:>6} {r['co_authorship_edges']:>7} {r['ego_depth_2_nodes']:>9}  "
              f"{r['map_nodes']:>6}/{r['map_edges']:<8} {r['build_ms']:>8}  {r['html_kb']:>8}")
    if "stabilised_s" in result:
        print(f"300-node map stabilised in {result['stabilised_s']['median']} s (median; max "
              f"{result['stabilised_s']['max']} s); targets: build < 200 ms at the cap, stabilised < 3 s")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
