"""Suggestions as flat rows, for spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO

from graph.match.engine import COMPONENTS, MatchResult

__all__ = ["CSV_COLUMNS", "write_csv"]

CSV_COLUMNS = ("input", "rank", "uri", "name", "orcid", "local_id", "score", "existing_collaborator",
               *COMPONENTS, "shared_topics", "introduction_path", "organisations", "covers")


def write_csv(out: IO[str], results: Sequence[tuple[str, MatchResult]]) -> None:
    """One header, then one row per suggestion of each (input, result), in order."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for given, result in results:
        for s in result.suggestions:
            reasons = s.reasons
            path = reasons.get("introduction_path") or []
            writer.writerow([
                given, s.rank, s.uri, s.name, s.orcid or "", s.local_id or "", f"{s.score:.6f}",
                "yes" if s.existing_collaborator else "no",
                *(f"{s.components.get(c, 0.0):.4f}" for c in COMPONENTS),
                "; ".join(t["label"] or t["uri"] for t in reasons.get("shared_topics", [])),
                " > ".join(p["name"] for p in path),
                "; ".join(f"{o['name']} ({o['link']})" for o in reasons.get("organisations", [])),
                "; ".join(s.covers),
            ])
