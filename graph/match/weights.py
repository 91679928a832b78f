"""The frozen combination of the matchmaking signals, and where it comes from.

Each component score is scaled to [0, 1] within a query (divided by its largest value
among the candidates); a suggestion's score is the weighted sum below. The weights were
tuned by ``bench/matchmaking.py --tune`` (coordinate ascent on MRR + R@10) on a validation
window that ends before the test years, and then frozen here; the test figures in
docs/matchmaking.md were measured with exactly these values.
"""

from __future__ import annotations

__all__ = ["PERSON_WEIGHTS", "NEED_WEIGHTS", "PROVENANCE"]

#: Weights for "collaborators for a person".
PERSON_WEIGHTS: dict[str, float] = {
    "topic": 0.1, "tree": 0.0, "text": 0.5, "proximity": 1.0,
    "organisation": 1.0, "complementarity": 0.5, "activity": 1.0,
}

#: Weights for "people for a free-text need" (and for each need of a team).
NEED_WEIGHTS: dict[str, float] = {"topic": 0.25, "tree": 0.0, "text": 1.0, "activity": 1.0}

PROVENANCE = {
    "tuned_by": "bench/matchmaking.py --tune (coordinate ascent, 2 rounds, values 0-4)",
    "data": "Alzforum PubMed set (../shared/data/pubmed/alzforum) with its ROR records, resolved people",
    "training": "papers up to 2012",
    "validation": "new co-author pairs (person task) and papers (need task) of 2013-2016, "
                  "a seeded sample of 400 queries each",
    "test": "graph up to 2016, truth 2017-2024 (never used for tuning)",
    "date": "2026-11-29",
    "validation_objective": {"person R@10 + MRR": 0.3025, "need R@10 + MRR": 0.3599},
    "note": "tree is 0: the Alzforum store holds no MeSH tree (no skos:broader), so it could not be tuned",
}
