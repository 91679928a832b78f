"""Sparse vectors (``dict[int, float]``) and an inverted index that scores them by dot
product into a dense array over people (NumPy: a query adds up a few hundred thousand
postings, which a Python loop does a hundred times slower)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

import numpy as np

__all__ = ["Vector", "normalise", "prune", "SparseIndex", "top", "dense"]

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


def dense(scores: Vector, size: int) -> np.ndarray:
    """A sparse vector as a dense array of ``size`` entries."""
    out = np.zeros(size)
    if scores:
        out[np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))] = list(scores.values())
    return out


def _ranked(scores: np.ndarray, items: np.ndarray) -> np.ndarray:
    """``items`` best score first, ties by index."""
    return items[np.lexsort((items, -scores[items]))]


def top(scores: np.ndarray, n: int, keep: Callable[[int], bool] | None = None) -> list[tuple[int, float]]:
    """The ``n`` best (item, score) pairs with a positive score, best first, ties by index;
    ``keep`` filters (asked first of the best ``2n + 16`` only, which usually hold ``n`` kept
    items)."""
    positive = np.flatnonzero(scores > 0)
    first = n if keep is None else 2 * n + 16
    if len(positive) > first:
        values = scores[positive]
        cut = np.partition(values, len(values) - first)[len(values) - first]
        best = _ranked(scores, positive[values >= cut])[:first]
    else:
        best = _ranked(scores, positive)
    kept = [int(i) for i in best if keep is None or keep(int(i))]
    if len(kept) < n and len(positive) > first:
        kept = []
        for i in _ranked(scores, positive):
            if keep(int(i)):
                kept.append(int(i))
                if len(kept) == n:
                    break
    return [(i, float(scores[i])) for i in kept[:n]]


class SparseIndex:
    """Unit vectors of ``size`` people over terms, with postings for fast cosine scoring.

    Postings keep each term's ``posting_cap`` largest weights (impact ordering), so a
    very common term costs a bounded amount per query.
    """

    def __init__(self, vectors: dict[int, Vector], size: int, posting_cap: int = 5000):
        self.vectors = vectors
        self.size = size
        count = sum(len(v) for v in vectors.values())
        terms = np.empty(count, dtype=np.int64)
        people = np.empty(count, dtype=np.int64)
        weights = np.empty(count)
        at = 0
        for person, vector in vectors.items():
            end = at + len(vector)
            terms[at:end] = list(vector.keys())
            people[at:end] = person
            weights[at:end] = list(vector.values())
            at = end
        order = np.lexsort((people, -weights, terms))
        terms, self._people, self._weights = terms[order], people[order], weights[order]
        starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]]) if count else np.empty(0, dtype=np.int64)
        ends = np.r_[starts[1:], count]
        self._postings = {int(terms[s]): (int(s), int(min(e, s + posting_cap))) for s, e in zip(starts, ends)}

    def scores(self, query: Vector, query_terms: int = 40) -> np.ndarray:
        """Cosine of ``query`` (a unit vector) with every person (zero for those sharing
        none of its ``query_terms`` largest terms)."""
        spans = [(self._postings[t], qw) for t, qw in prune(query, query_terms).items() if t in self._postings]
        if not spans:
            return np.zeros(self.size)
        people = np.concatenate([self._people[s:e] for (s, e), _ in spans])
        weights = np.concatenate([self._weights[s:e] * qw for (s, e), qw in spans])
        return np.bincount(people, weights=weights, minlength=self.size)
