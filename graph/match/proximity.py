"""Closeness in the co-authorship graph: personalised PageRank from one person (computed
locally by push, so it only touches the few hops around them) and the shortest chain of
co-authors that could introduce two people."""

from __future__ import annotations

from collections import deque
from collections.abc import Container, Iterable, Sequence
from itertools import chain

import numpy as np

__all__ = ["Adjacency", "adjacency", "personalised_pagerank", "introduction_path", "rings"]

#: person -> (neighbour, transition probability), probabilities proportional to shared papers.
Adjacency = dict[int, list[tuple[int, float]]]

RESTART = 0.15
TOLERANCE = 1e-4


def adjacency(teams: Iterable[Sequence[int]], max_team_size: int) -> Adjacency:
    """Integer adjacency lists of the co-authorship graph of ``teams`` (the distinct authors
    of each paper; papers of more than ``max_team_size`` people are left out, as in
    :func:`graph.projection.coauthorship`), with transition probabilities proportional to
    shared papers."""
    kept = [team for team in teams if 1 < len(team) <= max_team_size]
    if not kept:
        return {}
    people = np.fromiter(chain.from_iterable(kept), dtype=np.int64)
    team = np.repeat(np.arange(len(kept)), [len(t) for t in kept])
    # each pair of team-mates: slot i with slot i + gap of the same team
    firsts, seconds = [], []
    for gap in range(1, max(map(len, kept))):
        same = team[:-gap] == team[gap:]
        firsts.append(people[:-gap][same])
        seconds.append(people[gap:][same])
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    size = int(people.max()) + 1
    keys, shared = np.unique(np.minimum(a, b) * size + np.maximum(a, b), return_counts=True)
    low, high = keys // size, keys % size
    source, target = np.concatenate([low, high]), np.concatenate([high, low])
    weight = np.concatenate([shared, shared]).astype(np.float64)
    order = np.lexsort((target, source))
    source, target, weight = source[order], target[order], weight[order]
    probability = weight / np.bincount(source, weights=weight)[source]
    starts = np.flatnonzero(np.diff(source, prepend=-1))
    ends = [*starts[1:].tolist(), len(source)]
    targets, probabilities = target.tolist(), probability.tolist()
    return {person: list(zip(targets[s:e], probabilities[s:e]))
            for person, s, e in zip(source[starts].tolist(), starts.tolist(), ends)}


def personalised_pagerank(adj: Adjacency, seed: int, restart: float = RESTART,
                          tolerance: float = TOLERANCE) -> dict[int, float]:
    """Approximate personalised PageRank of every person near ``seed`` (Andersen-Chung-Lang
    push: residuals below ``tolerance`` per neighbour stay unpushed), seed excluded."""
    rank: dict[int, float] = {}
    residual: dict[int, float] = {seed: 1.0}
    queue = deque([seed])
    while queue:
        u = queue.popleft()
        r = residual.pop(u, 0.0)
        nbrs = adj.get(u)
        if not nbrs:
            rank[u] = rank.get(u, 0.0) + r
            continue
        rank[u] = rank.get(u, 0.0) + restart * r
        spread = (1 - restart) * r
        for v, p in nbrs:
            before = residual.get(v, 0.0)
            after = before + spread * p
            residual[v] = after
            threshold = tolerance * len(adj.get(v, ())) or tolerance
            if before < threshold <= after:
                queue.append(v)
    rank.pop(seed, None)
    return rank


def rings(adj: Adjacency, seed: int, depth: int) -> list[set[int]]:
    """The people at distance 1, 2, ... ``depth`` from ``seed``."""
    seen = {seed}
    frontier = {seed}
    out: list[set[int]] = []
    for _ in range(depth):
        nxt = {v for u in frontier for v, _ in adj.get(u, ()) if v not in seen}
        seen |= nxt
        out.append(nxt)
        frontier = nxt
    return out


def introduction_path(adj: Adjacency, a: int, b: int, max_hops: int = 4,
                      avoid: Container[int] = frozenset()) -> list[int] | None:
    """A shortest chain of co-authors from ``a`` to ``b`` (both included) of at most
    ``max_hops`` edges with nobody in ``avoid`` between them, or None."""
    if a == b:
        return [a]
    parents_a: dict[int, int | None] = {a: None}
    parents_b: dict[int, int | None] = {b: None}
    front_a, front_b = [a], [b]
    for step in range(max_hops):
        grow_a = len(front_a) <= len(front_b)
        front, parents, others = (front_a, parents_a, parents_b) if grow_a else (front_b, parents_b, parents_a)
        nxt = []
        for u in front:
            for v, _ in adj.get(u, ()):
                if v in parents or (v in avoid and v not in others):
                    continue
                parents[v] = u
                if v in others:
                    return _join(v, parents_a, parents_b)
                nxt.append(v)
        if grow_a:
            front_a = nxt
        else:
            front_b = nxt
        if not nxt:
            return None
    return None


def _join(meet: int, parents_a: dict[int, int | None], parents_b: dict[int, int | None]) -> list[int]:
    left: list[int] = []
    node: int | None = meet
    while node is not None:
        left.append(node)
        node = parents_a[node]
    left.reverse()
    node = parents_b[meet]
    while node is not None:
        left.append(node)
        node = parents_b[node]
    return left
