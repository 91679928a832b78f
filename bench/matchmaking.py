"""Matchmaking evaluation: the product against the published baselines, on a temporal split.

* Person task: the graph and profiles from papers up to ``--as-of`` (2016); truth = the new
  co-author pairs of the following years (2017-2024, papers of at most 25 authors) among people
  present before; for each such person every earlier person who is not already a co-author is
  ranked (no sampled negatives; people no method scores share the bottom ranks, counted at their
  mean rank). R@10, P@10 and MRR, macro over queries, with the exact random expectation, and by
  distance in the training graph (2 hops, 3+ hops, disconnected).
* Need task: each held-out paper's title and keywords as a free-text need; truth = its authors
  present before. R@10, P@10, MRR.
* Methods: random (exact expectation), common neighbours, Adamic-Adar, resource allocation,
  personalised PageRank, text similarity alone, Profiles RNS MeSH weighting alone, and the
  product; everything but the three neighbourhood indexes goes through the engine's public
  functions (``graph.match.engine``), the ones ``hubgraph match`` uses.
* People are the resolved persons of the store, and (``--naive``) family name + first
  initial keys written over the same store's resolution graph.
* ``--tune`` tunes the weights on a validation window before the test years (graph up to
  2012, truth 2013-2016) by coordinate ascent on MRR + R@10 and prints them for
  graph/match/weights.py.
* ``--latency``: a synthetic graph of ``--people`` people and ``--papers`` papers, written as
  N-Quads by bench/synth.py and bulk-loaded; index build time and memory, p50/p95 per query
  (``--synthetic-store DIR`` keeps that store for the next run).

Run: ``python bench/matchmaking.py [--tune] [--naive] [--latency --people 100000 --papers 1000000]``.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
import resource
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import pyoxigraph as ox  # noqa: E402

from graph.match.engine import Filters, Query, combine, component_scores, suggest  # noqa: E402
from graph.match.index import MatchIndex, authorships, match_index  # noqa: E402
from graph.match.proximity import rings  # noqa: E402
from graph.match.weights import NEED_WEIGHTS, PERSON_WEIGHTS  # noqa: E402
from graph.queries import load_query  # noqa: E402
from graph.store import DerivedChange, Store  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
ALZFORUM = SHARED / "pubmed" / "alzforum"
ALZFORUM_ROR = [SHARED / "ror" / "ror_v2_alzforum_institutions.json",
                SHARED / "ror" / "ror_v2_alzforum_institutions_v1.json"]
MAX_AUTHORS = 25
BUCKETS = ("2 hops", "3+ hops", "disconnected")
Scores = dict[int, float]


# --------------------------------------------------------------------------- data


def build_store(location: Path) -> Store:
    """The Alzforum set (with its ROR records) ingested into an on-disk store, reused when
    ``location`` already holds it."""
    from ingest.curation import PeopleLists
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    store = Store.open(str(location))
    if store.sources():
        return store
    start = time.perf_counter()
    ingest_files(store, CONVERTERS["ror"](store), [str(p) for p in ALZFORUM_ROR], people=PeopleLists())
    ingest_files(store, CONVERTERS["pubmed"](store), sorted(str(p) for p in ALZFORUM.glob("*.xml.gz")),
                 people=PeopleLists())
    store.flush()
    print(f"ingested the Alzforum set into {location} in {time.perf_counter() - start:.0f} s")
    return store


@dataclass
class Papers:
    """Every paper's year and person authors (in rank order), from the public query."""

    year: dict[str, int | None] = field(default_factory=dict)
    authors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def read_papers(store: Store) -> Papers:
    papers = Papers()
    for iri, year, slots in authorships(store):
        papers.year[iri] = year
        for _, person, _ in sorted(slots, key=lambda slot: slot[0] or 0):
            if person not in papers.authors[iri]:
                papers.authors[iri].append(person)
    return papers


def paper_needs(store: Store, chosen: set[str]) -> dict[str, str]:
    """Title and keywords of the chosen papers, the text of each need."""
    rows = store.select(load_query("match_paper_text"))
    return {r["paper"]: f"{r['title'] or ''} {(r['keywords'] or '').replace(' ; ', ', ')}".strip()
            for r in rows if r["paper"] in chosen}


@dataclass
class Split:
    """One temporal split: queries (person index -> relevant person indexes)."""

    as_of: int
    end: int
    person_truth: dict[int, set[int]]
    need_truth: dict[str, set[int]]
    needs: dict[str, str]


def make_split(store: Store, papers: Papers, index: MatchIndex, end: int) -> Split:
    """Truth for the years after ``index.as_of`` up to ``end``."""
    present = index.present
    person_truth: dict[int, set[int]] = defaultdict(set)
    need_truth: dict[str, set[int]] = {}
    for paper, authors in papers.authors.items():
        year = papers.year.get(paper)
        if year is None or not index.as_of < year <= end or len(authors) > MAX_AUTHORS:
            continue
        known = [index.ids[a] for a in authors if a in index.ids and index.ids[a] in present]
        if known:
            need_truth[paper] = set(known)
        for a in known:
            mine = {v for v, _ in index.adj.get(a, ())}
            for b in known:
                if a != b and b not in mine:
                    person_truth[a].add(b)
    return Split(index.as_of, end, dict(person_truth), need_truth, paper_needs(store, set(need_truth)))


# --------------------------------------------------------------------------- metrics


@dataclass
class Tally:
    """Macro averages of R@10, P@10 and MRR over queries, overall and per distance bucket."""

    r10: list[float] = field(default_factory=list)
    p10: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    by_bucket: dict[str, tuple[list[float], list[float]]] = field(
        default_factory=lambda: {b: ([], []) for b in BUCKETS})

    def figures(self) -> tuple[float, float, float]:
        mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
        return mean(self.r10), mean(self.p10), mean(self.rr)

    def bucket(self, name: str) -> tuple[float, float, int]:
        r, rr = self.by_bucket[name]
        return (sum(r) / len(r) if r else 0.0), (sum(rr) / len(rr) if rr else 0.0), len(r)


def ranks(scores: Scores, relevant: set[int], candidates: int) -> dict[int, float]:
    """The rank of each relevant person among ``candidates``; people without a positive score
    share the ranks after the scored ones (their mean rank)."""
    scored = sorted(((s, p) for p, s in scores.items() if s > 0), key=lambda sp: (-sp[0], sp[1]))
    position = {p: i + 1 for i, (_, p) in enumerate(scored)}
    tail = (len(scored) + 1 + candidates) / 2
    return {p: float(position.get(p, tail)) for p in relevant}


def score_query(tally: Tally, rank_of: dict[int, float], buckets: dict[int, str] | None = None) -> None:
    hits = [p for p, r in rank_of.items() if r <= 10]
    tally.r10.append(len(hits) / len(rank_of))
    tally.p10.append(len(hits) / 10)
    tally.rr.append(1 / min(rank_of.values()))
    if buckets:
        for name in BUCKETS:
            mine = {p: r for p, r in rank_of.items() if buckets[p] == name}
            if mine:
                tally.by_bucket[name][0].append(sum(1 for r in mine.values() if r <= 10) / len(mine))
                tally.by_bucket[name][1].append(1 / min(mine.values()))


_rr_cache: dict[tuple[int, int], float] = {}


def random_rr(n: int, r: int) -> float:
    """Exact expected reciprocal rank of the first of ``r`` relevant items placed at random among ``n``."""
    key = (n, r)
    if key not in _rr_cache:
        total, above = 0.0, 1.0
        for k in range(1, n - r + 2):
            nxt = above * (n - k - r + 1) / (n - k + 1) if n - k + 1 > 0 else 0.0
            total += (above - nxt) / k
            above = nxt
            if above < 1e-12:
                break
        _rr_cache[key] = total
    return _rr_cache[key]


def random_tally(truth: dict, candidates: Callable[[object], int], buckets: dict | None = None) -> Tally:
    """The exact expectation of random ranking."""
    tally = Tally()
    for q, relevant in truth.items():
        n, r = candidates(q), len(relevant)
        tally.r10.append(min(10, n) / n)
        tally.p10.append(min(10, n) * r / n / 10)
        tally.rr.append(random_rr(n, r))
        if buckets is not None:
            for name in BUCKETS:
                rb = sum(1 for p in relevant if buckets[q][p] == name)
                if rb:
                    tally.by_bucket[name][0].append(min(10, n) / n)
                    tally.by_bucket[name][1].append(random_rr(n, rb))
    return tally


# --------------------------------------------------------------------------- methods


def neighbourhood_scores(index: MatchIndex, q: int) -> dict[str, Scores]:
    """Common neighbours, Adamic-Adar and resource allocation over the training graph."""
    cn: Scores = defaultdict(float)
    aa: Scores = defaultdict(float)
    ra: Scores = defaultdict(float)
    for u, _ in index.adj.get(q, ()):
        degree = len(index.adj.get(u, ()))
        for v, _ in index.adj.get(u, ()):
            cn[v] += 1
            aa[v] += 1 / math.log(degree) if degree > 1 else 0
            ra[v] += 1 / degree
    return {"common neighbours": cn, "Adamic-Adar": aa, "resource allocation": ra}


ENGINE_PERSON = {"personalised PageRank": {"proximity": 1.0}, "text similarity alone": {"text": 1.0},
                 "Profiles RNS MeSH alone": {"topic": 1.0}}
ENGINE_NEED = {"text similarity alone": {"text": 1.0}, "Profiles RNS MeSH alone": {"topic": 1.0},
               "activity alone (among matching people)": {"activity": 1.0}}
NEW_ONLY = Filters(new_only=True)


def components_of(index: MatchIndex, queries: Sequence, need_text: dict[str, str] | None = None) -> list[dict]:
    """The engine's component scores for each query (person indexes, or paper IRIs of needs)."""
    out = []
    for q in queries:
        query = Query(person=q) if need_text is None else Query(need=need_text[q])
        comps = component_scores(index, query, NEW_ONLY if need_text is None else Filters())
        comps.pop("_pool", None)
        out.append(comps)
    return out


def _combined(comps: dict, weights: dict[str, float]) -> Scores:
    pool = {p for scores in comps.values() for p in scores}
    return combine({**comps, "_pool": {p: 0.0 for p in pool}}, weights)


def distance_buckets(index: MatchIndex, q: int, relevant: set[int], component: dict[int, int]) -> dict[int, str]:
    two = rings(index.adj, q, 2)[1]
    return {p: "2 hops" if p in two else "3+ hops" if component.get(p, -1) == component.get(q, -2)
            else "disconnected" for p in relevant}


def components_of_graph(index: MatchIndex) -> dict[int, int]:
    comp: dict[int, int] = {}
    for start in index.adj:
        if start in comp:
            continue
        comp[start] = start
        stack = [start]
        while stack:
            u = stack.pop()
            for v, _ in index.adj.get(u, ()):
                if v not in comp:
                    comp[v] = start
                    stack.append(v)
    return comp


def _sampled(truth: dict, limit: int | None, seed: int) -> list:
    """The queries of ``truth``, sorted; at most ``limit`` of them, drawn with ``seed``."""
    queries = sorted(truth)
    if limit and len(queries) > limit:
        queries = sorted(random.Random(seed).sample(queries, limit))
    return queries


def _eligible(index: MatchIndex) -> int:
    """How many people may be suggested at all: those present and not opted out."""
    return len(index.present - {p for p in index.present if index.people[p].opted_out})


def person_task(index: MatchIndex, split: Split, product: dict[str, float], limit: int | None,
                seed: int) -> tuple[dict[str, Tally], int]:
    queries = _sampled(split.person_truth, limit, seed)
    eligible = _eligible(index)
    candidates = lambda q: eligible - 1 - len(index.adj.get(q, ()))  # noqa: E731
    component = components_of_graph(index)
    buckets = {q: distance_buckets(index, q, split.person_truth[q], component) for q in queries}
    tallies = {"random (exact expectation)": random_tally({q: split.person_truth[q] for q in queries},
                                                          candidates, buckets)}
    for q, comps in zip(queries, components_of(index, queries)):
        relevant, n = split.person_truth[q], candidates(q)
        for name, scores in neighbourhood_scores(index, q).items():
            scores = {p: s for p, s in scores.items() if p != q and p not in {v for v, _ in index.adj.get(q, ())}}
            score_query(tallies.setdefault(name, Tally()), ranks(scores, relevant, n), buckets[q])
        for name, weights in [*ENGINE_PERSON.items(), ("hubgraph (product)", product)]:
            score_query(tallies.setdefault(name, Tally()), ranks(_combined(comps, weights), relevant, n), buckets[q])
    return tallies, len(queries)


def need_task(index: MatchIndex, split: Split, product: dict[str, float], limit: int | None,
              seed: int) -> tuple[dict[str, Tally], int]:
    queries = _sampled(split.need_truth, limit, seed)
    eligible = _eligible(index)
    tallies = {"random (exact expectation)": random_tally({q: split.need_truth[q] for q in queries},
                                                          lambda q: eligible)}
    for q, comps in zip(queries, components_of(index, queries, split.needs)):
        for name, weights in [*ENGINE_NEED.items(), ("hubgraph (product)", product)]:
            score_query(tallies.setdefault(name, Tally()), ranks(_combined(comps, weights), split.need_truth[q], eligible))
    return tallies, len(queries)


# --------------------------------------------------------------------------- tuning


def tune(index: MatchIndex, split: Split, limit: int, seed: int) -> tuple[dict[str, float], dict[str, float]]:
    """Coordinate ascent of both weight sets on MRR + R@10 of the validation split."""
    rng = random.Random(seed)
    persons = sorted(split.person_truth)
    persons = sorted(rng.sample(persons, min(limit, len(persons))))
    needs = sorted(split.need_truth)
    needs = sorted(rng.sample(needs, min(limit, len(needs))))
    eligible = len(index.present)
    person_comps = components_of(index, persons)
    need_comps = components_of(index, needs, split.needs)

    def objective(weights: dict[str, float], queries: list, comps: list, truth: dict, n: Callable) -> float:
        tally = Tally()
        for q, c in zip(queries, comps):
            score_query(tally, ranks(_combined(c, weights), truth[q], n(q)))
        r10, _, mrr = tally.figures()
        return r10 + mrr

    def ascend(start: dict[str, float], queries: list, comps: list, truth: dict, n: Callable) -> dict[str, float]:
        best = dict(start)
        best_value = objective(best, queries, comps, truth, n)
        for _ in range(2):
            for name in best:
                for value in (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0):
                    trial = {**best, name: value}
                    if not any(trial.values()):
                        continue
                    v = objective(trial, queries, comps, truth, n)
                    if v > best_value + 1e-9:
                        best, best_value = trial, v
            print(f"  tuning: {best} -> R@10 + MRR {best_value:.4f}")
        return best

    person = ascend(dict(PERSON_WEIGHTS), persons, person_comps, split.person_truth,
                    lambda q: eligible - 1 - len(index.adj.get(q, ())))
    need = ascend(dict(NEED_WEIGHTS), needs, need_comps, split.need_truth, lambda q: eligible)
    return person, need


# --------------------------------------------------------------------------- naive keys


def _naive_key(family: str, given: str | None, initials: str | None) -> str:
    fold = lambda s: unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()  # noqa: E731
    first = (initials or given or "?")[:1]
    return "".join(c for c in fold(family) if c.isalnum()) + "-" + fold(first)


def naive_people(store: Store) -> int:
    """Rewrite the resolution graph: every author slot's person is its family name + first
    initial key (the baseline of author disambiguation). Returns the number of persons."""
    from graph.namespaces import FOAF, HG, RDF, VIVO

    rows = store.select("""
        PREFIX vivo: <http://vivoweb.org/ontology/core#>
        PREFIX hg: <https://w3id.org/hubgraph/ontology#>
        SELECT ?a (SAMPLE(?f) AS ?family) (SAMPLE(?g) AS ?given) (SAMPLE(?i) AS ?initials) WHERE {
          ?a a vivo:Authorship ; hg:mentionFamilyName ?f .
          OPTIONAL { ?a hg:mentionGivenName ?g } OPTIONAL { ?a hg:mentionInitials ?i }
        } GROUP BY ?a""")
    add: set[ox.Triple] = set()
    persons: set[str] = set()
    for row in rows:
        key = _naive_key(row["family"], row["given"], row["initials"])
        person = ox.NamedNode(store.minter.base + "person/naive-" + key)
        authorship = ox.NamedNode(row["a"])
        if key not in persons:
            persons.add(key)
            add.add(ox.Triple(person, ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{FOAF}Person")))
            add.add(ox.Triple(person, ox.NamedNode(f"{FOAF}name"), ox.Literal(key)))
        add.add(ox.Triple(authorship, ox.NamedNode(f"{VIVO}relates"), person))
        add.add(ox.Triple(authorship, ox.NamedNode(f"{HG}resolvedTo"), person))
    description = [f"{store.resolution} <{RDF}type> <{HG}ResolutionGraph> ."]
    store.update_derived(DerivedChange(store.resolution, store.graph_triples(store.resolution), add, description))
    return len(persons)


# --------------------------------------------------------------------------- latency


def synthetic_store(location: Path, people: int, papers: int, seed: int) -> Store:
    """The synthetic store at ``location``, written as N-Quads by bench/synth.py and
    bulk-loaded when the folder is new (an existing one is reused as it is)."""
    from bench import synth

    if location.exists():
        print(f"\nsynthetic graph: reusing {location}")
        return Store.open(str(location))
    store = Store.open(str(location))
    nq = location.parent / f"{location.name}.nq"
    start = time.perf_counter()
    written = synth.write_nquads(nq, papers=papers, people=people, seed=seed,
                                 base=store.minter.base, graph=store.union.value)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    store.ox.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    nq.unlink()
    print(f"\nsynthetic graph: {people:,} people, {papers:,} papers, {written:,} quads "
          f"(written in {generated:.0f} s, bulk-loaded in {time.perf_counter() - start:.0f} s)")
    return store


def latency(store: Store, queries: int, seed: int) -> None:
    """Index build time, memory and per-query latency on ``store``."""
    import psutil

    proc = psutil.Process()
    rss_before = proc.memory_info().rss
    start = time.perf_counter()
    index = match_index(store)
    built = time.perf_counter() - start
    rss_after = proc.memory_info().rss
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{len(index.present):,} people with papers, {len(index.papers):,} papers")
    print(f"index build: {built:.1f} s; process RSS {rss_before / 2**30:.2f} GiB before, "
          f"{rss_after / 2**30:.2f} GiB after (peak {peak / 2**30:.2f} GiB, bulk load included)")
    rng = random.Random(seed)
    people_ids = sorted(index.present)
    words = [index.vocabulary.terms[t] for t in range(len(index.vocabulary.terms))]
    for kind in ("person", "need"):
        times = []
        for _ in range(queries):
            if kind == "person":
                args = {"person": index.people[rng.choice(people_ids)].uri}
            else:
                args = {"need": " ".join(rng.sample(words, 4))}
            start = time.perf_counter()
            suggest(store, k=10, **args)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{kind} queries ({queries}, k=10 with reasons): p50 {statistics.median(times):.0f} ms, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms")


# --------------------------------------------------------------------------- report


def print_person(tallies: dict[str, Tally], queries: int, label: str) -> None:
    print(f"\nperson task ({label}): {queries} queries")
    head = f"{'method':<30} {'R@10':>7} {'P@10':>7} {'MRR':>7}   " + "   ".join(
        f"{b + ' R@10':>17} {'MRR':>6} {'n':>5}" for b in BUCKETS)
    print(head)
    print("-" * len(head))
    for name, t in tallies.items():
        r10, p10, mrr = t.figures()
        parts = []
        for b in BUCKETS:
            br, bm, bn = t.bucket(b)
            parts.append(f"{br:>17.4f} {bm:>6.4f} {bn:>5}")
        print(f"{name:<30} {r10:>7.4f} {p10:>7.4f} {mrr:>7.4f}   " + "   ".join(parts))
    _ratio(tallies)


def print_need(tallies: dict[str, Tally], queries: int, label: str) -> None:
    print(f"\nneed task ({label}): {queries} queries")
    print(f"{'method':<30} {'R@10':>7} {'P@10':>7} {'MRR':>7}")
    for name, t in tallies.items():
        r10, p10, mrr = t.figures()
        print(f"{name:<30} {r10:>7.4f} {p10:>7.4f} {mrr:>7.4f}")
    _ratio(tallies)


def _ratio(tallies: dict[str, Tally]) -> None:
    product = tallies["hubgraph (product)"].figures()
    others = {n: t.figures() for n, t in tallies.items() if n != "hubgraph (product)"}
    best_mrr = max(others.items(), key=lambda kv: kv[1][2])
    best_r10 = max(others.items(), key=lambda kv: kv[1][0])
    print(f"product / best baseline: MRR {product[2] / best_mrr[1][2]:.2f}x ({best_mrr[0]}), "
          f"R@10 {product[0] / best_r10[1][0]:.2f}x ({best_r10[0]})")


def evaluate(store: Store, label: str, args: argparse.Namespace) -> None:
    papers = read_papers(store)
    start = time.perf_counter()
    index = match_index(store, args.as_of)
    print(f"\n[{label}] index as of {args.as_of}: {len(index.present):,} people present, built in "
          f"{time.perf_counter() - start:.1f} s")
    split = make_split(store, papers, index, args.end)
    check = sorted(split.person_truth)[:3]
    for q in check:  # the public entry point returns what the evaluation ranks first
        top = suggest(store, person=index.people[q].uri, k=10, as_of=args.as_of, filters=NEW_ONLY, explain=False)
        comps = component_scores(index, Query(person=q), NEW_ONLY)
        best = sorted(combine(comps, PERSON_WEIGHTS).items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        assert [s.uri for s in top.suggestions] == [index.people[p].uri for p, _ in best]
    start = time.perf_counter()
    tallies, n = person_task(index, split, PERSON_WEIGHTS, args.max_queries, args.seed)
    print_person(tallies, n, f"{label}, graph up to {args.as_of}, truth {args.as_of + 1}-{args.end}, "
                             f"{time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    tallies, n = need_task(index, split, NEED_WEIGHTS, args.max_queries, args.seed)
    print_need(tallies, n, f"{label}, {time.perf_counter() - start:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "hubgraph-bench-alzforum",
                        help="where the ingested Alzforum store is kept (reused when present)")
    parser.add_argument("--as-of", type=int, default=2016)
    parser.add_argument("--end", type=int, default=2024)
    parser.add_argument("--max-queries", type=int, default=0, help="evaluate a seeded sample (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tune", action="store_true", help="tune the weights on 2013-2016 first")
    parser.add_argument("--naive", action="store_true", help="also with family name + initial keys")
    parser.add_argument("--latency", action="store_true", help="also the synthetic latency run")
    parser.add_argument("--only-latency", action="store_true")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--synthetic-store", type=Path,
                        help="keep the synthetic graph in this folder, or reuse it when it exists")
    args = parser.parse_args(argv)
    if not args.only_latency:
        if not ALZFORUM.is_dir():
            print(f"skipped: the Alzforum set is not in {ALZFORUM}")
        else:
            store = build_store(args.store)
            if args.tune:
                index = match_index(store, 2012)
                split = make_split(store, read_papers(store), index, 2016)
                person, need = tune(index, split, 400, args.seed)
                print(f"\nPERSON_WEIGHTS = {person}\nNEED_WEIGHTS = {need}")
                PERSON_WEIGHTS.update(person)
                NEED_WEIGHTS.update(need)
            evaluate(store, "resolved people", args)
            if args.naive:
                del store
                naive_dir = Path(str(args.store) + "-naive")
                import shutil

                shutil.rmtree(naive_dir, ignore_errors=True)
                shutil.copytree(args.store, naive_dir)
                store = Store.open(str(naive_dir))
                print(f"\nnaive keys: {naive_people(store):,} persons")
                evaluate(store, "naive family name + initial", args)
    if args.latency or args.only_latency:
        if args.synthetic_store:
            latency(synthetic_store(args.synthetic_store, args.people, args.papers, args.seed), args.queries, args.seed)
        else:
            with tempfile.TemporaryDirectory(prefix="hg-match-") as tmp:
                store = synthetic_store(Path(tmp) / "store", args.people, args.papers, args.seed)
                latency(store, args.queries, args.seed)
                del store
    return 0


if __name__ == "__main__":
    sys.exit(main())
