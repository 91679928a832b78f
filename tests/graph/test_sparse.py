"""``top`` picks the best kept items: the same as filtering everything first, whatever the
share of items ``keep`` refuses; ``SparseIndex`` scores are dot products."""

from __future__ import annotations

import heapq
import random

import pytest

from graph.match.sparse import SparseIndex, dense, normalise, top


def filtered_first(scores: dict[int, float], n: int, keep) -> list[tuple[int, float]]:
    items = ((i, s) for i, s in scores.items() if s > 0 and (keep is None or keep(i)))
    return heapq.nlargest(n, items, key=lambda kv: (kv[1], -kv[0]))


@pytest.mark.parametrize("share_kept", [0.0, 0.01, 0.5, 0.99, 1.0])
@pytest.mark.parametrize("n", [1, 10, 100])
def test_top_equals_filtering_everything_first(share_kept: float, n: int) -> None:
    rng = random.Random(n * 100 + int(share_kept * 100))
    for size in (0, 5, 50, 300, 2000):
        # ties (0.5, 1.0), zero and negative scores included
        scores = {i: rng.choice([0.0, 0.5, 1.0, rng.random(), -1.0]) for i in rng.sample(range(5000), size)}
        kept = {i for i in scores if rng.random() < share_kept}
        for keep in (None, kept.__contains__):
            assert top(dense(scores, 5000), n, keep) == filtered_first(scores, n, keep)


def test_index_scores_are_dot_products_over_the_capped_postings() -> None:
    rng = random.Random(7)
    vectors = {p: normalise({t: rng.random() for t in rng.sample(range(60), rng.randint(1, 12))})
               for p in rng.sample(range(500), 300)}
    cap = 40
    index = SparseIndex(vectors, 500, posting_cap=cap)
    kept = {t: {p for p, _ in heapq.nlargest(cap, ((p, v[t]) for p, v in vectors.items() if t in v),
                                             key=lambda pw: (pw[1], -pw[0]))}
            for t in range(60)}
    for _ in range(20):
        query = normalise({t: rng.random() for t in rng.sample(range(70), 8)})
        scores = index.scores(query)
        assert scores.shape == (500,)
        for person in range(500):
            vector = vectors.get(person, {})
            expected = sum(w * vector[t] for t, w in query.items() if t in vector and person in kept[t])
            assert scores[person] == pytest.approx(expected, abs=1e-12)
