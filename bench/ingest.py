"""Ingest throughput and memory, against pyoxigraph's own bulk load of the same triples.

For each data set (the Alzforum PubMed set in ../shared, and a synthetic set made by
bench/synth.py) this runs, each in a fresh process and a fresh on-disk store:

1. ``hubgraph`` ingest of the PubMed files (ROR loaded first, untimed), timing every
   stage: parse, affiliation matching, identity resolution, map, write;
2. the baseline: ``pyoxigraph.Store.bulk_load`` of exactly the triples step 1 wrote.

It prints records/s, triples/s, peak RSS, and the ratio of hubgraph's rate to the
baseline's, for parse + map + write (resolution and affiliation matching reported
apart) and end to end. Run: ``python bench/ingest.py [--papers 100000] [--quick]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path and its name would shadow
# the ``ingest`` package; the project's modules must win.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
SHARED = ROOT.parent / "shared" / "data"
ALZFORUM = SHARED / "pubmed" / "alzforum"
ALZFORUM_ROR = [SHARED / "ror" / "ror_v2_alzforum_institutions.json",
                SHARED / "ror" / "ror_v2_alzforum_institutions_v1.json"]


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_ingest(store_dir: str, ror: list[str], files: list[str], triples_out: str) -> dict:
    """Ingest in this process; dump what was written for the baseline run."""
    import pyoxigraph as ox

    from graph.store import Store
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import Timings, ingest_files

    store = Store.open(store_dir)
    ingest_files(store, CONVERTERS["ror"](store), ror)
    start = time.perf_counter()
    reports = ingest_files(store, CONVERTERS["pubmed"](store), files)
    seconds = time.perf_counter() - start
    timings = Timings()
    for report in reports:
        timings.add(report.timings)
    rss = peak_rss_mb()
    with open(triples_out, "wb") as out:
        for source in store.sources():
            if source.kind == "pubmed":
                store.ox.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(source.graph))
    return {
        "seconds": seconds,
        "timings": dict(timings),
        "records": sum(r.records for r in reports),
        "triples": sum(r.triples for r in reports),
        "peak_rss_mb": rss,
    }


def worker_bulk(store_dir: str, triples_file: str) -> dict:
    """The baseline: pyoxigraph's bulk loader on the same triples, into one named graph."""
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    start = time.perf_counter()
    store.bulk_load(path=triples_file, format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode("http://example.org/baseline"))
    store.flush()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def run_worker(*args: str) -> dict:
    """Run one measurement in a fresh Python process and return its JSON answer."""
    proc = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"worker {args[0]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(name: str, ror: list[Path], files: list[Path]) -> dict:
    """Ingest and baseline for one data set; print and return the figures."""
    with tempfile.TemporaryDirectory(prefix="hg-bench-") as tmp:
        nt = str(Path(tmp) / "written.nt")
        ours = run_worker("ingest", str(Path(tmp) / "ours"), nt, ",".join(map(str, ror)),
                          *map(str, files))
        base = run_worker("bulk", str(Path(tmp) / "base"), nt)
    t = ours["timings"]
    matching = t.get("affiliations", 0.0) + t.get("resolve", 0.0)
    core = ours["seconds"] - matching
    triples = ours["triples"]
    base_rate = triples / base["seconds"]
    result = {
        "dataset": name,
        "records": ours["records"],
        "triples": triples,
        "seconds": round(ours["seconds"], 2),
        "stages": {k: round(v, 2) for k, v in t.items()},
        "records_per_s": round(ours["records"] / ours["seconds"], 1),
        "triples_per_s": round(triples / ours["seconds"]),
        "baseline_seconds": round(base["seconds"], 2),
        "baseline_triples_per_s": round(base_rate),
        "ratio_parse_map_write": round((triples / core) / base_rate, 3),
        "ratio_end_to_end": round((triples / ours["seconds"]) / base_rate, 3),
        "peak_rss_mb": round(ours["peak_rss_mb"], 1),
        "baseline_peak_rss_mb": round(base["peak_rss_mb"], 1),
    }
    print(f"\n== {name}: {result['records']} records, {triples} triples")
    print(f"  hubgraph ingest     {result['seconds']:>8} s  {result['records_per_s']:>9} records/s  "
          f"{result['triples_per_s']:>9} triples/s  peak RSS {result['peak_rss_mb']} MiB")
    print(f"    stages (s)        {result['stages']}")
    print(f"  pyoxigraph bulk_load{result['baseline_seconds']:>8} s  {'':>19}"
          f"{result['baseline_triples_per_s']:>9} triples/s  peak RSS {result['baseline_peak_rss_mb']} MiB")
    print(f"  ratio to bulk load: parse+map+write {result['ratio_parse_map_write']:.0%}, "
          f"end to end {result['ratio_end_to_end']:.0%} (target: parse+map+write >= 30%)")
    return result


def synthetic(out: Path, papers: int, people: int) -> tuple[list[Path], list[Path]]:
    """Generate a synthetic PubMed set with bench/synth.py."""
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    assert spec and spec.loader
    synth = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = synth
    spec.loader.exec_module(synth)
    synth.generate(out, papers=papers, people=people, gzip=True)
    return [out / "ror.json"], sorted(out.glob("pubmed_*.xml*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000, help="synthetic papers")
    parser.add_argument("--people", type=int, default=40_000, help="synthetic people")
    parser.add_argument("--quick", action="store_true", help="10,000 synthetic papers")
    parser.add_argument("--skip-alzforum", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, store_dir, *rest = args.worker
        if kind == "ingest":
            nt, ror, *files = rest
            print(json.dumps(worker_ingest(store_dir, ror.split(","), files, nt)))
        else:
            print(json.dumps(worker_bulk(store_dir, rest[0])))
        return
    results = []
    if not args.skip_alzforum:
        files = sorted(ALZFORUM.glob("*.xml.gz"))
        if files:
            results.append(measure("alzforum", ALZFORUM_ROR, files))
        else:
            print(f"skipping alzforum: {ALZFORUM} is not here")
    if not args.skip_synthetic:
        papers = 10_000 if args.quick else args.papers
        people = max(papers * 2 // 5, 100) if args.quick else args.people
        with tempfile.TemporaryDirectory(prefix="hg-synth-") as tmp:
            ror, files = synthetic(Path(tmp), papers, people)
            results.append(measure(f"synthetic-{papers}", ror, files))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
