#!/usr/bin/env python3
"""Crash safety, many kills: ``hubgraph ingest`` replacing a synthetic PubMed file is
killed with SIGKILL at random points of its run (one in each equal slice of a clean run)
and the reopened store is compared with stores built cleanly from the old and the new
file. Prints how many kills left the old state, the new state, and neither (the target:
none), and the time of the switch (the last kill that left the old state and the first that
left the new one). The CI test (tests/reliability/test_crash.py) runs 20 kills on a
smaller file.

Usage::

    python bench/crash.py [--kills 100] [--old-papers 300] [--new-papers 450] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.crashes import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--old-papers", type=int, default=300)
    parser.add_argument("--new-papers", type=int, default=450)
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill points")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hubgraph-crash-") as tmp:
        scenario = prepare(Path(tmp), args.old_papers, args.new_papers)
        print(f"clean replacing ingest: {args.old_papers} -> {args.new_papers} papers in {scenario.duration:.1f} s")
        outcomes = []
        for i, delay in enumerate(scenario.kill_points(args.kills, random.Random(args.seed))):
            outcomes.append((delay, scenario.kill_once(delay)))
            print(f"\rkill {i + 1}/{args.kills}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        finished = scenario.finish() == scenario.expected["new"]
    counts = {name: sum(1 for _, o in outcomes if o == name) for name in ("old", "new", None)}
    last_old = max((d for d, o in outcomes if o == "old"), default=None)
    first_new = min((d for d, o in outcomes if o == "new"), default=None)
    print(f"| kills | old state | new state | neither | switch between | ingest after the last kill |\n"
          f"| --- | --- | --- | --- | --- | --- |\n"
          f"| {args.kills} | {counts['old']} | {counts['new']} | {counts[None]} | "
          f"{last_old or 0:.1f}-{first_new or 0:.1f} s of {scenario.duration:.1f} s | "
          f"{'completes with the new state' if finished else 'WRONG STATE'} |")
    if counts[None]:
        print("kills that left neither state, at:", [round(d, 2) for d, o in outcomes if o is None])
        sys.exit(1)


if __name__ == "__main__":
    main()
