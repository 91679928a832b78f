"""``top`` picks the best kept items: the same as filtering everything first, whatever the
share of items ``keep`` refuses."""

from __future__ import annotations

import heapq
import random

import pytest

from graph.match.sparse import top


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
            assert top(scores, n, keep) == filtered_first(scores, n, keep)
