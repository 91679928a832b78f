"""Topic profiles of people, weighted the Profiles RNS way, and their MeSH-tree expansion.

A paper adds to its author's weight for each of its topics: 1.0 for a major topic else
0.25, times 1.0 for a first, last or sole author else 0.25, times a recency factor with
a half-life of 10 years. Each topic is then damped by its specificity (the log of the
inverse share of people who have it), so that "Humans" says little and a rare method
says much. Profiles are unit vectors compared by cosine.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from graph.match.sparse import Vector, normalise, prune

__all__ = ["MAJOR", "MINOR", "LEAD", "MIDDLE", "HALF_LIFE", "authorship_weight", "recency",
           "topic_profiles", "ancestor_profiles", "specificity"]

MAJOR, MINOR = 1.0, 0.25
LEAD, MIDDLE = 1.0, 0.25
HALF_LIFE = 10.0
#: Topics kept per profile.
PROFILE_SIZE = 80


def authorship_weight(rank: int | None, last_rank: int) -> float:
    """1.0 for a first, last or sole author (or an unranked one), 0.25 in the middle."""
    if rank is None or rank == 1 or rank >= last_rank:
        return LEAD
    return MIDDLE


def recency(year: int | None, reference: int, half_life: float = HALF_LIFE) -> float:
    """The weight of a paper of ``year`` seen from ``reference`` (0.5 when undated)."""
    if year is None:
        return 0.5
    return 0.5 ** (max(0, reference - year) / half_life)


def specificity(document_frequency: Mapping[int, int], population: int) -> dict[int, float]:
    """log(N / df) per term, the damping of common terms (never below a small floor)."""
    return {t: max(0.05, math.log((population + 1) / (df + 0.5))) for t, df in document_frequency.items()}


def topic_profiles(papers: Mapping[int, Sequence[tuple[int, float]]],
                   paper_topics: Mapping[int, Sequence[tuple[int, bool]]],
                   population: int) -> tuple[dict[int, Vector], dict[int, float]]:
    """Unit topic vectors per person and the specificity of each topic.

    ``papers``: person -> (paper, authorship weight x recency); ``paper_topics``: paper ->
    (topic, major).
    """
    raw: dict[int, Vector] = {}
    df: dict[int, int] = defaultdict(int)
    for person, held in papers.items():
        vec: Vector = defaultdict(float)
        for paper, weight in held:
            for topic, major in paper_topics.get(paper, ()):
                vec[topic] += weight * (MAJOR if major else MINOR)
        if vec:
            raw[person] = vec
            for topic in vec:
                df[topic] += 1
    spec = specificity(df, population)
    profiles = {p: normalise(prune({t: w * spec[t] for t, w in vec.items()}, PROFILE_SIZE))
                for p, vec in raw.items()}
    return profiles, spec


def ancestor_profiles(profiles: Mapping[int, Vector], broader: Mapping[int, Iterable[int]],
                      levels: int = 3, decay: float = 0.5) -> dict[int, Vector]:
    """Each profile spread to the broader topics of its topics (``decay`` per level, up to
    ``levels`` up), without the topics themselves: similarity in the MeSH tree."""
    if not broader:
        return {}
    out: dict[int, Vector] = {}
    for person, vec in profiles.items():
        spread: Vector = defaultdict(float)
        frontier = dict(vec)
        for _ in range(levels):
            nxt: Vector = defaultdict(float)
            for topic, weight in frontier.items():
                for parent in broader.get(topic, ()):
                    nxt[parent] += weight * decay
            for topic, weight in nxt.items():
                spread[topic] += weight
            frontier = nxt
            if not frontier:
                break
        if spread:
            out[person] = normalise(prune(spread, PROFILE_SIZE))
    return out
