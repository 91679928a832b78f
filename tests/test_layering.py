"""Imports flow one way: viz and ingest use graph; api uses graph, viz and (CLI only) ingest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"graph", "ingest", "api", "viz"}
ALLOWED = {
    "graph": set(),
    "ingest": {"graph"},
    "viz": {"graph"},
    "api": {"graph", "viz", "ingest"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_flow_one_way(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        forbidden = imported_packages(path) - ALLOWED[package] - {package}
        assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"


def test_api_imports_ingest_only_in_the_cli() -> None:
    for path in sorted((ROOT / "api").rglob("*.py")):
        if path.name != "cli.py":
            assert "ingest" not in imported_packages(path), f"{path.relative_to(ROOT)} imports ingest"
