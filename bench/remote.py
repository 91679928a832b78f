#!/usr/bin/env python3
"""Embedded Oxigraph against Virtuoso through hubgraph: load rates, parity and latencies.

Two parts, each on an embedded on-disk store and on a private Virtuoso (started and
stopped here, as the tests do); the requests each step sends to Virtuoso are counted.

- *synthetic*: a synthetic N-Triples source (papers with authors, topics and years,
  shaped like hubgraph's own data) loaded with ``Store.load_sources``; then
  ``graph.stats`` (the aggregate query behind ``hubgraph stats``), a GROUP BY query and
  the build of the matchmaking index (``graph.match.index``) are timed.
- *alzforum*: the Alzforum PubMed set ingested as ``hubgraph ingest`` does (ROR first,
  then PubMed); then the parity checks, each printed as PASS or FAIL with its
  differences: ``graph.stats`` (what ``hubgraph stats --json`` prints, less each
  source's ``loaded_at``) and the top-10 suggestions (``graph.match.suggest``) for the
  ``--people`` people with the most papers; then the latency of the issue 5 query suite
  (bench/sparql.py), one matchmaking query and a person page through the app.

Usage::

    python bench/remote.py [--triples 1000000] [--repeat 3] [--skip-synthetic] [--skip-alzforum]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import load_settings  # noqa: E402
from bench.ingest import ALZFORUM, ALZFORUM_ROR  # noqa: E402
from bench.sparql import PICK_DEPT, PICK_PERSON, QUERIES, fill, time_runs  # noqa: E402
from graph import cache, summaries  # noqa: E402
from graph.match.engine import suggest  # noqa: E402
from graph.match.index import match_index  # noqa: E402
from graph.namespaces import sparql_prefixes  # noqa: E402
from graph.stats import stats  # noqa: E402
from graph.store import PreparedSource, Store  # noqa: E402
from graph.store_remote import RemoteStore  # noqa: E402
from ingest.kinds import CONVERTERS  # noqa: E402
from ingest.pipeline import ingest_files  # noqa: E402
from tests.remote_support import open_virtuoso, stop_virtuoso  # noqa: E402

ID = "http://127.0.0.1:8000/id/"
FOAF, RDF, VIVO = "http://xmlns.com/foaf/0.1/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://vivoweb.org/ontology/core#"
AGGREGATE = f"""SELECT ?year (COUNT(DISTINCT ?paper) AS ?papers) (COUNT(?a) AS ?slots) WHERE {{
  ?a a <{VIVO}Authorship> ; <{VIVO}relates> ?paper . ?paper <http://purl.org/dc/terms/date> ?year
}} GROUP BY ?year ORDER BY ?year"""
#: The people with the most papers, ties by IRI: whose suggestions are compared.
MOST_PAPERS = sparql_prefixes() + """SELECT ?person (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?a a vivo:Authorship ; vivo:relates ?person, ?paper . ?person a foaf:Person . ?paper a bibo:AcademicArticle
} GROUP BY ?person ORDER BY DESC(?papers) ?person LIMIT {limit}"""


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


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best(action: Callable[[], Any], repeat: int, sent: list[str]) -> tuple[float, int]:
    """The fastest of ``repeat`` runs of ``action``, and the requests one run sent."""
    before = len(sent)
    first = timed(action)
    requests = len(sent) - before
    return min([first] + [timed(action) for _ in range(repeat - 1)]), requests


def counted(store: RemoteStore) -> list[str]:
    """The paths of the requests ``store`` sends from now on, as they are sent."""
    sent: list[str] = []
    store.client.http.event_hooks["request"].append(lambda request: sent.append(request.url.path))
    return sent


def fresh_match_index(store: Store) -> None:
    """Build the matchmaking index anew (not from the per-version cache)."""
    cache.clear()
    match_index(store)


def synthetic_part(scratch: Path, triples: int, repeat: int) -> None:
    """Load rate, stats, a GROUP BY and the matchmaking index on a synthetic source."""
    data = scratch / "synth.nt"
    n = write_source(data, triples)
    print(f"synthetic source: {n:,} triples, {data.stat().st_size / 1e6:.0f} MB", flush=True)
    source = PreparedSource("bench", str(data), "b" * 64, data, records=n, skipped=0, triples=n)
    remote = open_virtuoso()
    sent = counted(remote)
    results = {}
    for name, store in (("embedded", Store.open(str(scratch / "synthetic"))), ("virtuoso", remote)):
        load, requests = best(lambda: store.load_sources([source]), 1, sent)
        figures = stats(store)
        assert figures["triples"] >= n, figures["triples"]
        steps = {"load": (load, requests),
                 "stats": best(lambda: stats(store), repeat, sent),
                 "GROUP BY year": best(lambda: store.select(AGGREGATE), repeat, sent),
                 "match index": best(lambda: fresh_match_index(store), repeat, sent)}
        results[name] = steps
        print(f"{name:9} load {load:6.1f} s ({n / load:9,.0f} triples/s)" + "".join(
            f"   {step} {seconds * 1000:7.0f} ms" for step, (seconds, _) in list(steps.items())[1:]),
            flush=True)
    e, v = results["embedded"], results["virtuoso"]
    print(f"Virtuoso / embedded: load rate {e['load'][0] / v['load'][0]:.2f}x, latency " + ", ".join(
        f"{step} {v[step][0] / e[step][0]:.2f}x" for step in list(v)[1:]))
    print("requests to Virtuoso: " + ", ".join(f"{step} {count}" for step, (_, count) in v.items()))


def ingest_alzforum(store: Store) -> tuple[float, int, int]:
    """Ingest the Alzforum set as ``hubgraph ingest`` does (ROR, then PubMed, then the
    summaries); seconds, records and triples."""
    start = time.perf_counter()
    reports = ingest_files(store, CONVERTERS["ror"](store), [str(p) for p in ALZFORUM_ROR])
    reports += ingest_files(store, CONVERTERS["pubmed"](store), [str(p) for p in sorted(ALZFORUM.glob("*.xml.gz"))])
    if not summaries.is_current(store):
        summaries.refresh(store)
    store.flush()
    return time.perf_counter() - start, sum(r.records for r in reports), sum(r.triples for r in reports)


def comparable_stats(store: Store) -> dict[str, Any]:
    """``graph.stats`` less each source's ``loaded_at`` (the moment differs by backend)."""
    figures = stats(store)
    figures["sources"] = [{k: v for k, v in s.items() if k != "loaded_at"} for s in figures["sources"]]
    return figures


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Where two JSON-like values differ, as ``path: a != b`` lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [line for key in sorted(set(a) | set(b), key=str)
                for line in differences(a.get(key), b.get(key), f"{where}.{key}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for i, (x, y) in enumerate(zip(a, b)) for line in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where or '.'}: {a!r} != {b!r}"]


def verdict(name: str, found: list[str]) -> bool:
    """Print PASS or FAIL for one comparison, with its first differences."""
    print(f"{'PASS' if not found else 'FAIL'}  {name}" + "".join(f"\n      {line}" for line in found[:10]))
    return not found


def top_ten(store: Store, person: str) -> list[tuple[str, float]]:
    """The top-10 suggestions for ``person``: IRIs and scores (to 9 places)."""
    return [(s.uri, round(s.score, 9)) for s in suggest(store, person=person, k=10, explain=False).suggestions]


def parity(stores: dict[str, Store], people: int) -> bool:
    """Compare stats and the suggestions for the ``people`` people with most papers."""
    embedded, virtuoso = stores["embedded"], stores["virtuoso"]
    ok = verdict("stats (hubgraph stats --json, less loaded_at)",
                 differences(comparable_stats(embedded), comparable_stats(virtuoso)))
    chosen = [[row["person"] for row in store.select(MOST_PAPERS.replace("{limit}", str(people)))]
              for store in (embedded, virtuoso)]
    ok &= verdict(f"the {people} people with most papers", differences(*chosen))
    for person in chosen[0]:
        ok &= verdict(f"top 10 for {person.rsplit('/', 1)[-1]}",
                      differences(top_ten(embedded, person), top_ten(virtuoso, person)))
    return ok


def latencies(store: Store, repeat: int, sent: list[str]) -> dict[str, tuple[float, float]]:
    """Median ms and requests per run of the query suite, a matchmaking query and a person
    page (first visit after a cache clear, then warm)."""
    person = store.select(PICK_PERSON)[0]
    params = {"orcid": person["orcid"], "person": person["person"], "dept": store.select(PICK_DEPT)[0]["dept"]}
    client = TestClient(create_app(load_settings(environ={}, store=":memory:", warm=False), store))
    page = f"/person/{person['person'].rsplit('/person/', 1)[1]}"
    steps: dict[str, Callable[[], Any]] = {
        name: (lambda text=fill(template, params): sum(1 for _ in store.query(text)))
        for name, template in QUERIES.items()}
    steps["match (warm index)"] = lambda: suggest(store, person=params["person"], k=10)
    steps["person page (warm)"] = lambda: client.get(page).raise_for_status()
    out = {}
    cache.clear()
    before = len(sent)
    out["person page (cold)"] = (timed(lambda: client.get(page).raise_for_status()) * 1000, len(sent) - before)
    for name, step in steps.items():
        before = len(sent)
        ms, _ = time_runs(step, repeat)
        out[name] = (ms, (len(sent) - before) / (repeat + 1))
    return out


def alzforum_part(scratch: Path, repeat: int, people: int) -> bool:
    """Ingest rate, parity and latencies on the Alzforum set; whether parity holds."""
    remote = open_virtuoso()
    sent = counted(remote)
    stores: dict[str, Store] = {"embedded": Store.open(str(scratch / "alzforum")), "virtuoso": remote}
    rates = {}
    for name, store in stores.items():
        before = len(sent)
        seconds, records, triples = ingest_alzforum(store)
        rates[name] = triples / seconds
        print(f"{name:9} ingest {seconds:6.1f} s: {records:,} records ({records / seconds:,.0f}/s), "
              f"{triples:,} triples ({triples / seconds:,.0f}/s), {len(sent) - before} requests", flush=True)
    print(f"ingest rate, Virtuoso / embedded: {rates['virtuoso'] / rates['embedded']:.2f}x", flush=True)
    ok = parity(stores, people)
    timings = {name: latencies(store, repeat, sent) for name, store in stores.items()}
    print(f"\n{'step':22} {'embedded ms':>12} {'virtuoso ms':>12} {'ratio':>7} {'requests':>9}")
    for step, (ms, _) in timings["embedded"].items():
        remote_ms, requests = timings["virtuoso"][step]
        print(f"{step:22} {ms:12.1f} {remote_ms:12.1f} {remote_ms / ms:6.1f}x {requests:9.0f}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic source")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--people", type=int, default=10, help="people whose suggestions are compared")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--skip-alzforum", action="store_true")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as scratch:
        try:
            if not args.skip_synthetic:
                synthetic_part(Path(scratch), args.triples, args.repeat)
            if not args.skip_alzforum:
                ok = alzforum_part(Path(scratch), args.repeat, args.people)
        finally:
            stop_virtuoso()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
