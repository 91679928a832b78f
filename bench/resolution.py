"""Author disambiguation: the resolver against the family name + first initial baseline.

Ground truth is what the data says about who is who, never shown to the resolver:

* the Alzforum PubMed set (../shared/data/pubmed/alzforum): the ORCIDs of the
  authorships that carry one. Every mention is clustered with ORCIDs hidden; only the
  ORCID-bearing mentions are scored (B-cubed and pairwise precision/recall/F1). Some
  ORCIDs in PubMed are wrong (one person with two iDs, two people with one), so even a
  perfect resolver does not score 1.0;
* ReCiter's wex2004 fixture (6 papers by one Weill Cornell author): into how many
  clusters the mentions of that author's family name fall (ideally 1);
* the other PubMed fixtures: mentions and clusters, scored on ORCIDs where there are any;
* with ``--synthetic N``: N papers from bench/synth.py, whose generator reports the
  true author of every slot; all mentions are scored, ORCIDs hidden.

Run: ``python bench/resolution.py [--synthetic 36900] [--people P]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path and bench/ingest.py would
# shadow the ``ingest`` package; the project's modules must win.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from graph.model import Article, Cluster, Mention  # noqa: E402
from ingest.affiliations import AffiliationResolver  # noqa: E402
from ingest.clustering import baseline_clusters, cluster_mentions, mention_name, mentions_from_articles  # noqa: E402
from ingest.pubmed import read_pubmed  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
ALZFORUM = SHARED / "pubmed" / "alzforum"
FIXTURES = SHARED / "pubmed" / "fixtures"
RECITER = FIXTURES / "reciter_wex2004.xml"
ALZFORUM_ROR = [SHARED / "ror" / "ror_v2_alzforum_institutions.json",
                SHARED / "ror" / "ror_v2_alzforum_institutions_v1.json"]

Clusterer = Callable[[Sequence[Mention]], list[Cluster]]
METHODS: tuple[tuple[str, Clusterer], ...] = (("resolver", cluster_mentions), ("baseline", baseline_clusters))


@dataclasses.dataclass(frozen=True)
class Scores:
    """B-cubed and pairwise precision, recall and F1 over the scored mentions."""

    b3_precision: float
    b3_recall: float
    pair_precision: float
    pair_recall: float
    mentions: int
    true_pairs: int
    predicted_pairs: int

    @property
    def b3_f1(self) -> float:
        return _f1(self.b3_precision, self.b3_recall)

    @property
    def pair_f1(self) -> float:
        return _f1(self.pair_precision, self.pair_recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(clusters: Iterable[Cluster], truth: dict[str, object]) -> Scores:
    """Score the clusters on the mentions ``truth`` labels (mention id -> true person).

    A cluster is cut down to its labelled mentions first, so unlabelled mentions only
    count through the merges they cause.
    """
    predicted: dict[str, int] = {}
    for k, cluster in enumerate(clusters):
        for link in cluster.mentions:
            if link.mention in truth:
                predicted[link.mention] = k
    missing = set(truth) - set(predicted)
    if missing:
        raise ValueError(f"{len(missing)} labelled mentions are in no cluster")
    ids = list(truth)
    if not ids:
        return Scores(1.0, 1.0, 1.0, 1.0, 0, 0, 0)
    size_p = Counter(predicted[i] for i in ids)
    size_t = Counter(truth[i] for i in ids)
    both = Counter((predicted[i], truth[i]) for i in ids)
    b3_p = sum(both[predicted[i], truth[i]] / size_p[predicted[i]] for i in ids) / len(ids)
    b3_r = sum(both[predicted[i], truth[i]] / size_t[truth[i]] for i in ids) / len(ids)
    pairs = lambda counts: sum(c * (c - 1) // 2 for c in counts.values())  # noqa: E731
    tp, pp, tt = pairs(both), pairs(size_p), pairs(size_t)
    return Scores(b3_p, b3_r, tp / pp if pp else 1.0, tp / tt if tt else 1.0, len(ids), tt, pp)


# --------------------------------------------------------------------------- data


def read_articles(files: Iterable[Path]) -> list[Article]:
    """The articles of PubMed files (records that cannot be used are left out)."""
    return [a for f in files for a in read_pubmed(f) if isinstance(a, Article)]


def ror_resolver(files: Sequence[Path]) -> AffiliationResolver:
    """An affiliation resolver over ROR files loaded into an in-memory store."""
    from graph.store import Store
    from ingest.kinds import CONVERTERS, load_org_index
    from ingest.pipeline import ingest_files

    store = Store.open()
    ingest_files(store, CONVERTERS["ror"](store), [str(f) for f in files])
    return AffiliationResolver(store.minter, load_org_index(store))


def hidden(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions with their ORCIDs removed."""
    return [dataclasses.replace(m, orcid=None) for m in mentions]


def orcid_truth(mentions: Iterable[Mention]) -> dict[str, object]:
    return {m.id: m.orcid for m in mentions if m.orcid}


def load_synth():
    """bench/synth.py as a module (registered first: its dataclasses look it up)."""
    name = "hubgraph_bench_synth"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "synth.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# --------------------------------------------------------------------------- runs

Row = tuple[str, str, int, int, Scores | None, float]


def run_methods(label: str, mentions: Sequence[Mention], truth: dict[str, object]) -> list[Row]:
    """Cluster with each method, time it and score it."""
    rows = []
    for name, method in METHODS:
        start = time.perf_counter()
        clusters = method(mentions)
        seconds = time.perf_counter() - start
        rows.append((label, name, len(mentions), len(clusters), score(clusters, truth) if truth else None, seconds))
    return rows


def alzforum(resolver: AffiliationResolver | None) -> list[Row]:
    files = sorted(ALZFORUM.glob("*.xml.gz"))
    if not files:
        print(f"skipped: no Alzforum PubMed files in {ALZFORUM}")
        return []
    start = time.perf_counter()
    mentions = mentions_from_articles(read_articles(files), resolver)
    print(f"alzforum: {len(files)} files, {len(mentions)} mentions, "
          f"{sum(1 for m in mentions if m.orcid)} with an ORCID (read in {time.perf_counter() - start:.1f}s)")
    return run_methods("alzforum", hidden(mentions), orcid_truth(mentions))


def reciter(resolver: AffiliationResolver | None) -> None:
    """How many persons the wex2004 author becomes: the family name on every paper."""
    if not RECITER.exists():
        print(f"skipped: {RECITER} is not here")
        return
    articles = read_articles([RECITER])
    mentions = mentions_from_articles(articles, resolver, hide_orcid=True)
    families = Counter(family for a in articles
                       for family in {mention_name(m)[0] for m in mentions if m.work == a.pmid})
    family, papers = families.most_common(1)[0]
    for name, method in METHODS:
        clusters = method(mentions)
        theirs = [c for c in clusters if any(mention_name(_by_id(mentions)[link.mention])[0] == family
                                             for link in c.mentions)]
        sizes = sorted((len(c.mentions) for c in theirs), reverse=True)
        print(f"reciter wex2004: family '{family}' on {papers}/{len(articles)} papers -> {name}: "
              f"{len(theirs)} cluster(s) of sizes {sizes}")


def _by_id(mentions: Sequence[Mention]) -> dict[str, Mention]:
    return {m.id: m for m in mentions}


def fixtures(resolver: AffiliationResolver | None) -> list[Row]:
    rows = []
    for path in sorted(FIXTURES.glob("*")):
        if path.name == RECITER.name or not path.is_file():
            continue
        try:
            mentions = mentions_from_articles(read_articles([path]), resolver)
        except Exception as exc:  # noqa: BLE001 - a bench reports and goes on
            print(f"fixture {path.name}: not read ({exc})")
            continue
        rows.extend(run_methods(f"fixture {path.name}", hidden(mentions), orcid_truth(mentions)))
    return rows


def synthetic(papers: int, people: int, seed: int) -> list[Row]:
    """Generate, read and score a synthetic set; the generator says who wrote what."""
    synth = load_synth()
    authors: dict[str, list[int]] = {}

    def on_paper(pmid: int, person_indexes: list[int]) -> None:
        authors[str(pmid)] = list(person_indexes)

    with tempfile.TemporaryDirectory(prefix="hg-resolution-") as tmp:
        start = time.perf_counter()
        synth.generate(Path(tmp), papers=papers, people=people, seed=seed, gzip=True, on_paper=on_paper)
        generated = time.perf_counter() - start
        resolver = ror_resolver([Path(tmp) / "ror.json"])
        start = time.perf_counter()
        articles = read_articles(sorted(Path(tmp).glob("pubmed_*.xml.gz")))
        mentions = mentions_from_articles(articles, resolver, hide_orcid=True)
        read = time.perf_counter() - start
    truth: dict[str, object] = {}
    for article in articles:
        slots = [a for a in article.authors if not a.is_collective]
        for author, person in zip(slots, authors[article.pmid], strict=True):
            truth[f"pmid-{article.pmid}-{author.rank}"] = person
    print(f"synthetic: {papers} papers, {people} people, {len(mentions)} mentions "
          f"(generated in {generated:.1f}s, read in {read:.1f}s)")
    return run_methods(f"synthetic {papers}", mentions, truth)


def print_table(rows: Sequence[Row]) -> None:
    head = (f"{'data set':<44} {'method':<9} {'mentions':>8} {'clusters':>8} {'scored':>7} {'pairs':>7}   "
            f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}   {'pair P':>6} {'pair R':>6} {'pair F1':>7} {'time s':>7}")
    print(head)
    print("-" * len(head))
    for label, method, mentions, clusters, s, seconds in rows:
        if s is None:
            figures = f"{0:>7} {0:>7}   {'-':>6} {'-':>6} {'-':>6}   {'-':>6} {'-':>6} {'-':>7}"
        else:
            figures = (f"{s.mentions:>7} {s.true_pairs:>7}   {s.b3_precision:6.4f} {s.b3_recall:6.4f} {s.b3_f1:6.4f}   "
                       f"{s.pair_precision:6.4f} {s.pair_recall:6.4f} {s.pair_f1:7.4f}")
        print(f"{label:<44} {method:<9} {mentions:>8} {clusters:>8} {figures} {seconds:7.2f}")
    print("scored: mentions with a known person (ORCID, or the generator's truth); "
          "pairs: true same-person pairs among them")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also score N synthetic papers (36900 is ~10x the Alzforum set)")
    parser.add_argument("--people", type=int, default=0, help="synthetic people (default 2/5 of N)")
    parser.add_argument("--seed", type=int, default=1, help="synthetic seed")
    args = parser.parse_args(argv)
    resolver = ror_resolver(ALZFORUM_ROR) if all(p.exists() for p in ALZFORUM_ROR) else None
    if resolver is None:
        print("no ROR files: institutions are not resolved (affiliation words still count)")
    rows = alzforum(resolver)
    reciter(resolver)
    rows += fixtures(resolver)
    if args.synthetic:
        rows += synthetic(args.synthetic, args.people or max(args.synthetic * 2 // 5, 10), args.seed)
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
