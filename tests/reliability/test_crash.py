"""Crash safety: ``hubgraph ingest`` (the real CLI, in a subprocess) replacing a sizeable
PubMed file is killed with SIGKILL at random points of its run; the reopened store holds
exactly the old or the new state (compared with stores built cleanly), never a mix, and a
normal ingest afterwards still works."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.store import Store
from tests.reliability.support import visible_state

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from api.cli import main; main()"]
KILLS = 8
OLD_PAPERS, NEW_PAPERS = 300, 450


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


def state(location: Path) -> tuple[object, object]:
    store = Store.open(str(location))
    try:
        return visible_state(store)
    finally:
        del store


@pytest.mark.slow
def test_a_killed_ingest_leaves_the_old_or_the_new_state(tmp_path: Path) -> None:
    synth = [sys.executable, str(ROOT / "bench" / "synth.py"), "--people", "400", "--seed", "7"]
    for name, papers in (("old", OLD_PAPERS), ("new", NEW_PAPERS)):
        subprocess.run([*synth, "--papers", str(papers), "--out", str(tmp_path / name)], check=True,
                       capture_output=True)
    pubmed = tmp_path / "pubmed.xml"  # one path, two versions of its content
    old, new = tmp_path / "old-store", tmp_path / "new-store"
    run(old, "ingest", "ror", str(tmp_path / "old" / "ror.json"))
    shutil.copyfile(tmp_path / "old" / "pubmed_00001.xml", pubmed)
    run(old, "ingest", "pubmed", str(pubmed))
    shutil.copytree(old, new)
    shutil.copyfile(tmp_path / "new" / "pubmed_00001.xml", pubmed)
    duration = run(new, "ingest", "pubmed", str(pubmed))
    expected = {"old": state(old), "new": state(new)}
    assert expected["old"] != expected["new"]

    rng = random.Random()
    outcomes = []
    trial = tmp_path / "trial"
    for i in range(KILLS):
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(old, trial)
        delay = duration * (i + rng.random()) / KILLS  # one kill in each slice of the run
        proc = hubgraph(trial, "ingest", "pubmed", str(pubmed))
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        seen = state(trial)
        outcome = [name for name, fingerprint in expected.items() if fingerprint == seen]
        assert outcome, f"kill {i} after {delay:.1f} s (of {duration:.1f} s) left a state that is neither old nor new"
        outcomes.append((round(delay, 1), outcome[0]))
    print("kills (seconds, state):", outcomes)
    run(trial, "ingest", "pubmed", str(pubmed))
    assert state(trial) == expected["new"]
