"""bench/load.py at a tiny size: a few clients for a few seconds on the sample's tables."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.serve_support import ROOT


@pytest.mark.slow
def test_a_tiny_load_run_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("hubgraph_bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    load = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = load
    spec.loader.exec_module(load)
    assert load.main(["--clients", "3", "--duration", "2", "--requests", "60", "--workers", "1",
                      "--skip-synthetic", "--tables-only"]) == 0
    out = capsys.readouterr().out
    assert "first /health 200 after" in out and "caches warm after" in out
    overall = next(line for line in out.splitlines() if line.startswith("| all "))
    cells = [c.strip() for c in overall.strip("|").split("|")]
    assert 0 < int(cells[1]) <= 60 and cells[-1] == "0"
