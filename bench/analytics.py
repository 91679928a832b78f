"""Whole-graph metrics on a co-authorship graph: NetworkX against igraph.

The engine of :mod:`graph.analytics` was chosen with this script. For synthetic co-authorship
graphs (NetworkX's ``powerlaw_cluster_graph``: heavy-tailed degrees and many triangles, like
co-authorship), it times, on each engine:

- PageRank (NetworkX's pure-Python version: ``nx.pagerank`` needs SciPy, which hubgraph does
  not depend on);
- betweenness estimated from 200 sampled sources (the same sources on both engines), the way
  :func:`graph.analytics.centrality` runs it on graphs above ``EXACT_LIMIT`` people;
- exact betweenness, on the graphs small enough for it.

igraph's times include converting the NetworkX graph. Each result is checked against the other
engine's (largest absolute difference). A measurement that would exceed ``--budget`` seconds
(estimated from the smaller graphs) is skipped.

Run: ``python bench/analytics.py [--sizes 2000,10000,40000] [--degree 10] [--budget 120] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import networkx as nx  # noqa: E402

from graph.analytics import EXACT_LIMIT, SAMPLE_SOURCES, betweenness, pagerank  # noqa: E402


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def diff(a: dict, b: dict) -> float:
    return max(abs(a[k] - b[k]) for k in a) if a else 0.0


def measure(n: int, degree: int, budget: float, exact_limit: int) -> dict:
    graph = nx.powerlaw_cluster_graph(n, degree // 2, 0.3, seed=42)
    row: dict = {"nodes": n, "edges": graph.number_of_edges()}
    runs = [("pagerank", lambda e: pagerank(graph, e)),
            (f"betweenness_{SAMPLE_SOURCES}_sources", lambda e: betweenness(graph, SAMPLE_SOURCES, e))]
    if n <= exact_limit:
        runs.append(("betweenness_exact", lambda e: betweenness(graph, None, e)))
    for name, run in runs:
        results = {}
        for engine in ("igraph", "networkx"):
            estimate = row.get(f"_{name}_per_edge", 0) * graph.number_of_edges()
            if engine == "networkx" and estimate > budget:
                row[f"{name}_{engine}_s"] = None
                continue
            seconds, results[engine] = timed(run, engine)
            row[f"{name}_{engine}_s"] = round(seconds, 3)
            if engine == "networkx":
                row[f"_{name}_per_edge"] = seconds / graph.number_of_edges()
        if len(results) == 2:
            row[f"{name}_max_diff"] = diff(results["igraph"], results["networkx"])
            row[f"{name}_speedup"] = round(row[f"{name}_networkx_s"] / max(row[f"{name}_igraph_s"], 1e-6), 1)
    return {k: v for k, v in row.items() if not k.startswith("_")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000,40000", help="comma-separated node counts")
    parser.add_argument("--degree", type=int, default=10, help="mean degree (edges ~ nodes * degree / 2)")
    parser.add_argument("--budget", type=float, default=120.0, help="skip NetworkX runs estimated above this (s)")
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    args = parser.parse_args()
    warm = nx.path_graph(10)
    pagerank(warm, "igraph"), betweenness(warm, None, "igraph")  # load igraph's routines once
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        row = measure(n, args.degree, args.budget, EXACT_LIMIT)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print("\nnodes    edges  metric                       networkx s  igraph s  speedup  max diff")
    for row in rows:
        for metric in ("pagerank", f"betweenness_{SAMPLE_SOURCES}_sources", "betweenness_exact"):
            if f"{metric}_igraph_s" not in row:
                continue
            nxs = row[f"{metric}_networkx_s"]
            print(f"{row['nodes']:>6} {row['edges']:>8}  {metric:<28} {'skipped' if nxs is None else f'{nxs:10.2f}':>10}"
                  f"  {row[f'{metric}_igraph_s']:8.2f}  {row.get(f'{metric}_speedup', '-'):>7}"
                  f"  {row.get(f'{metric}_max_diff', '-')}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
