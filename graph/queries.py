"""Named SPARQL queries kept as files in ``graph/queries/``.

Each ``.rq`` file starts with comment lines saying what it returns; parameters are
bound with substitutions, never by string formatting.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["QUERY_DIR", "load_query", "query_names"]

QUERY_DIR = Path(__file__).with_name("queries")


@cache
def load_query(name: str) -> str:
    """The text of ``graph/queries/<name>.rq``."""
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        raise KeyError(f"no query named '{name}' in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every named query, sorted."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
