"""Crash safety: ``hubgraph ingest`` replacing a synthetic PubMed file (about 40,000
triples) is killed with SIGKILL at 20 random points of its run; the reopened store holds
exactly the old or the new state (compared with stores built cleanly), never a mix, and a
normal ingest afterwards still works. ``bench/crash.py`` runs more kills on larger files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.reliability.crashes import prepare

KILLS = 20
OLD_PAPERS, NEW_PAPERS = 150, 225


@pytest.mark.slow
def test_a_killed_ingest_leaves_the_old_or_the_new_state(tmp_path: Path) -> None:
    scenario = prepare(tmp_path, OLD_PAPERS, NEW_PAPERS)
    assert scenario.expected["old"] != scenario.expected["new"]
    outcomes = []
    for i, delay in enumerate(scenario.kill_points(KILLS, random.Random())):
        outcome = scenario.kill_once(delay)
        assert outcome, (f"kill {i} after {delay:.1f} s (of {scenario.duration:.1f} s) left a state "
                         "that is neither old nor new")
        outcomes.append((round(delay, 1), outcome))
    print("kills (seconds, state):", outcomes)
    assert {o for _, o in outcomes} == {"old", "new"}, "the kills should land before and after the switch"
    assert scenario.finish() == scenario.expected["new"]
