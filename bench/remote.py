#!/usr/bin/env python3
"""Embedded Oxigraph against Virtuoso through hubgraph: bulk-load rate, an aggregate query
and the matchmaking index build.

Writes a synthetic N-Triples source (papers with authors, topics and years, shaped like
hubgraph's own data), loads it with ``Store.load_sources`` into an embedded on-disk store
and into a private Virtuoso (started and stopped here, as the tests do), then times
``graph.stats`` (the aggregate query behind ``hubgraph stats``), a GROUP BY query and
the build of the matchmaking index (``graph.match.index``) on each. Prints triples per
second, the ratios, the latencies and the requests each step sent to Virtuoso.

Usage::

    python bench/remote.py [--triples 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import cache  # noqa: E402
from graph.match.index import match_index  # noqa: E402
from graph.stats import stats  # noqa: E402
from graph.store import PreparedSource, Store  # noqa: E402
from tests.remote_support import open_virtuoso, stop_virtuoso  # noqa: E402

ID = "http://127.0.0.1:8000/id/"
FOAF, RDF, VIVO = "http://xmlns.com/foaf/0.1/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://vivoweb.org/ontology/core#"
AGGREGATE = f"""SELECT ?year (COUNT(DISTINCT ?paper) AS ?papers) (COUNT(?a) AS ?slots) WHERE {{
  ?a a <{VIVO}Authorship> ; <{VIVO}relates> ?paper . ?paper <http://purl.org/dc/terms/date> ?year
}} GROUP BY ?year ORDER BY ?year"""


def write_source(path: Path, triples: int, seed: int = 1) -> int:
    """About ``triples`` triples of papers, authorships and people; the exact count."""
    rng = random.Random(seed)
    people = max(triples // 40, 10)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for p in range(people):
            out.write(f'<{ID}person/p{p}> <{RDF}type> <{FOAF}Person> .\n<{ID}person/p{p}> <{FOAF}name> "Person {p}" .\n')
            written += 2
        paper = 0
        while written < triples:
            iri = f"<{ID}paper/w{paper}>"
            out.write(f'{iri} <{RDF}type> <http://purl.org/ontology/bibo/AcademicArticle> .\n'
                      f'{iri} <http://purl.org/dc/terms/date> "{rng.randint(2000, 2024)}" .\n')
            written += 2
            for rank in range(rng.randint(2, 8)):
                a = f"<{ID}authorship/w{paper}-{rank}>"
                out.write(f"{a} <{RDF}type> <{VIVO}Authorship> .\n{a} <{VIVO}relates> {iri} .\n"
                          f"{a} <{VIVO}relates> <{ID}person/p{rng.randrange(people)}> .\n"
                          f'{a} <{VIVO}rank> "{rank + 1}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
                written += 4
            paper += 1
    return written


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best(action, repeat: int, sent: list[str]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """The fastest of ``repeat`` runs of ``action``, and the requests one run sent."""
    before = len(sent)
    first = timed(action)
    requests = len(sent) - before
    return min([first] + [timed(action) for _ in range(repeat - 1)]), requests


def fresh_match_index(store: Store) -> None:
    """Build the matchmaking index anew (not from the per-version cache)."""
    cache.clear()
    match_index(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as scratch:
        data = Path(scratch) / "synth.nt"
        n = write_source(data, args.triples)
        print(f"synthetic source: {n:,} triples, {data.stat().st_size / 1e6:.0f} MB", flush=True)
        source = PreparedSource("bench", str(data), "b" * 64, data, records=n, skipped=0, triples=n)
        embedded = Store.open(str(Path(scratch) / "store"))
        try:
            remote = open_virtuoso()
            sent: list[str] = []
            remote.client.http.event_hooks["request"].append(lambda request: sent.append(request.url.path))
            results = {}
            for name, store in (("embedded", embedded), ("virtuoso", remote)):
                load, requests = best(lambda: store.load_sources([source]), 1, sent)
                figures = stats(store)
                assert figures["triples"] >= n, figures["triples"]
                steps = {"load": (load, requests),
                         "stats": best(lambda: stats(store), args.repeat, sent),
                         "GROUP BY year": best(lambda: store.select(AGGREGATE), args.repeat, sent),
                         "match index": best(lambda: fresh_match_index(store), args.repeat, sent)}
                results[name] = steps
                print(f"{name:9} load {load:6.1f} s ({n / load:9,.0f} triples/s)" + "".join(
                    f"   {step} {seconds * 1000:7.0f} ms" for step, (seconds, _) in list(steps.items())[1:]),
                    flush=True)
            e, v = results["embedded"], results["virtuoso"]
            print(f"Virtuoso / embedded: load rate {e['load'][0] / v['load'][0]:.2f}x, latency " + ", ".join(
                f"{step} {v[step][0] / e[step][0]:.2f}x" for step in list(v)[1:]))
            print("requests to Virtuoso: " + ", ".join(f"{step} {count}" for step, (_, count) in v.items()))
        finally:
            stop_virtuoso()


if __name__ == "__main__":
    main()
