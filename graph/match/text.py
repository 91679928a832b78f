"""A sparse text model: TF-IDF vectors of papers (title, keywords, abstract), summed into
people with the same authorship and recency weights as topic profiles."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from graph.match.sparse import Vector, normalise, prune

__all__ = ["tokens", "Vocabulary", "text_profiles"]

_WORD = re.compile(r"[a-z0-9][a-z0-9\-]*[a-z0-9]|[a-z0-9]")
STOPWORDS = frozenset("""
a about after all also an and any are as at be been before between both but by can could did do does
during each either for from had has have how however if in into is it its may more most no not of on
or other our over same should since so some such than that the their them then there these they this
those through to under up use used using was we were what when where whether which while who will with
within without would study studies patients patient results result method methods background
objective objectives conclusion conclusions introduction among based associated association data
analysis increased new two one three via vs versus per
""".split())
#: Terms kept per paper and per person.
PAPER_TERMS, PERSON_TERMS = 60, 100


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without accents, stop words or one-letter words."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in _WORD.findall(folded) if len(w) > 1 and w not in STOPWORDS]


class Vocabulary:
    """Term ids and their inverse document frequencies."""

    def __init__(self, documents: Sequence[list[str]]):
        df: Counter[str] = Counter()
        for words in documents:
            df.update(set(words))
        self.ids = {term: i for i, term in enumerate(sorted(df))}
        self.terms = sorted(df)
        n = len(documents)
        self.idf = [math.log((n + 1) / (df[t] + 0.5)) for t in self.terms]

    def vector(self, words: list[str]) -> Vector:
        """The unit TF-IDF vector of a word list (unknown words are ignored)."""
        counts = Counter(self.ids[w] for w in words if w in self.ids)
        return normalise(prune({t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items()}, PAPER_TERMS))


def text_profiles(paper_words: Mapping[int, list[str]], papers: Mapping[int, Sequence[tuple[int, float]]]
                  ) -> tuple[Vocabulary, dict[int, Vector], dict[int, Vector]]:
    """The vocabulary, each paper's unit vector and each person's (``papers``: person ->
    (paper, weight))."""
    ids = sorted(paper_words)
    vocabulary = Vocabulary([paper_words[p] for p in ids])
    paper_vectors = {p: vocabulary.vector(paper_words[p]) for p in ids}
    people: dict[int, Vector] = {}
    for person, held in papers.items():
        acc: Vector = defaultdict(float)
        for paper, weight in held:
            for term, value in paper_vectors.get(paper, {}).items():
                acc[term] += weight * value
        if acc:
            people[person] = normalise(prune(acc, PERSON_TERMS))
    return vocabulary, paper_vectors, people
