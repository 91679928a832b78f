"""Sparse vectors (``dict[int, float]``) and an inverted index that scores them by dot product."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable

__all__ = ["Vector", "normalise", "prune", "SparseIndex", "top"]

Vector = dict[int, float]


def normalise(vector: Vector) -> Vector:
    """The vector scaled to unit length (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm > 0 else {}


def prune(vector: Vector, size: int) -> Vector:
    """The ``size`` largest entries of a vector."""
    if len(vector) <= size:
        return vector
    return dict(heapq.nlargest(size, vector.items(), key=lambda kv: kv[1]))


def top(scores: dict[int, float], n: int, keep: Callable[[int], bool] | None = None) -> list[tuple[int, float]]:
    """The ``n`` best (item, score) pairs with a positive score, best first; ``keep`` filters
    (asked first of the best ``2n + 16`` only, which usually hold ``n`` kept items)."""
    def order(kv: tuple[int, float]) -> tuple[float, int]:
        return kv[1], -kv[0]

    items: Iterable[tuple[int, float]] = ((i, s) for i, s in scores.items() if s > 0)
    if keep is None:
        return heapq.nlargest(n, items, key=order)
    best = heapq.nlargest(2 * n + 16, items, key=order)
    kept = [kv for kv in best if keep(kv[0])]
    if len(kept) >= n or len(best) < 2 * n + 16:
        return kept[:n]
    return heapq.nlargest(n, ((i, s) for i, s in scores.items() if s > 0 and keep(i)), key=order)


class SparseIndex:
    """Unit vectors of people over terms, with postings for fast cosine scoring.

    Postings keep each term's ``posting_cap`` largest weights (impact ordering), so a
    very common term costs a bounded amount per query.
    """

    def __init__(self, vectors: dict[int, Vector], posting_cap: int = 5000):
        self.vectors = vectors
        postings: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for person, vector in vectors.items():
            for term, weight in vector.items():
                postings[term].append((person, weight))
        self.postings = {t: sorted(p, key=lambda pw: -pw[1])[:posting_cap] for t, p in postings.items()}

    def scores(self, query: Vector, query_terms: int = 40) -> dict[int, float]:
        """Cosine of ``query`` (a unit vector) with every person sharing one of its
        ``query_terms`` largest terms."""
        out: dict[int, float] = defaultdict(float)
        for term, qw in prune(query, query_terms).items():
            for person, weight in self.postings.get(term, ()):
                out[person] += qw * weight
        return out
