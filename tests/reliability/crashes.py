"""Killing ``hubgraph ingest`` (the real CLI, in a subprocess) with SIGKILL while it
replaces a synthetic PubMed file, and classifying what the reopened store holds: the old
state, the new state (each compared with a store built cleanly), or neither. Used by
``tests/reliability/test_crash.py`` and ``bench/crash.py``."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.store import Store
from tests.reliability.support import visible_state

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def hubgraph(store: Path, *args: str) -> subprocess.Popen[bytes]:
    """``hubgraph --store STORE ARGS...`` started in a subprocess (its errors kept in a file)."""
    env = {**os.environ, "HUBGRAPH_CURATION": str(store.parent / "no-curation.toml")}
    log = open(store.parent / "hubgraph.log", "wb")
    with log:
        return subprocess.Popen([*CLI, "--store", str(store), *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=log)


def run(store: Path, *args: str) -> float:
    """Run a hubgraph command to its end; its duration in seconds."""
    start = time.monotonic()
    assert hubgraph(store, *args).wait(timeout=300) == 0, (store.parent / "hubgraph.log").read_text()
    return time.monotonic() - start


def state(location: Path) -> tuple[Any, Any]:
    """What readers of the on-disk store at ``location`` see (see :func:`visible_state`)."""
    store = Store.open(str(location))
    try:
        return visible_state(store)
    finally:
        del store


@dataclass
class Scenario:
    """An on-disk store holding the old file, the same path now holding the new file, how
    long a clean replacing ingest took, and the states a kill may leave."""

    folder: Path
    old: Path
    pubmed: Path
    duration: float
    expected: dict[str, Any]

    def kill_once(self, delay: float) -> str | None:
        """Start the replacing ingest on a copy of the old store, SIGKILL it after ``delay``
        seconds, reopen the store: "old", "new", or None when it holds neither."""
        trial = self.folder / "trial"
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(self.old, trial)
        proc = hubgraph(trial, "ingest", "pubmed", str(self.pubmed))
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        seen = state(trial)
        return next((name for name, fingerprint in self.expected.items() if fingerprint == seen), None)

    def kill_points(self, kills: int, rng: random.Random) -> list[float]:
        """One random point in each of ``kills`` equal slices of a clean run."""
        return [self.duration * (i + rng.random()) / kills for i in range(kills)]

    def finish(self) -> Any:
        """Run the replacing ingest to its end on the last killed store; what it then holds."""
        run(self.folder / "trial", "ingest", "pubmed", str(self.pubmed))
        return state(self.folder / "trial")


def prepare(folder: Path, old_papers: int, new_papers: int, people: int = 400) -> Scenario:
    """Build the old store (ROR and ``old_papers`` papers) and, by replacing the file with
    ``new_papers`` papers, the new one; time that replacement."""
    synth = [sys.executable, str(ROOT / "bench" / "synth.py"), "--people", str(people), "--seed", "7"]
    for name, papers in (("old", old_papers), ("new", new_papers)):
        subprocess.run([*synth, "--papers", str(papers), "--out", str(folder / name)], check=True,
                       capture_output=True)
    pubmed = folder / "pubmed.xml"  # one path, two versions of its content
    old, new = folder / "old-store", folder / "new-store"
    run(old, "ingest", "ror", str(folder / "old" / "ror.json"))
    shutil.copyfile(folder / "old" / "pubmed_00001.xml", pubmed)
    run(old, "ingest", "pubmed", str(pubmed))
    shutil.copytree(old, new)
    shutil.copyfile(folder / "new" / "pubmed_00001.xml", pubmed)
    duration = run(new, "ingest", "pubmed", str(pubmed))
    return Scenario(folder, old, pubmed, duration, {"old": state(old), "new": state(new)})
