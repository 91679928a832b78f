"""Full-text search over the labels of the public graph, with typo tolerance.

The index is built from one SPARQL query (``graph/queries/api_search_labels.rq``) over the
default graph, so it never sees private graphs; it is cached per store version. A query is
tokenised like the texts; each query token matches index tokens exactly, as a prefix, or as
a near spelling (RapidFuzz ratio), and documents rank by how many query tokens they match,
how well, in which field, and a weight per entity type.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.cache import per_version
from graph.queries import load_query
from graph.store import Store
from graph.uris import fold

__all__ = ["TYPES", "SearchHit", "SearchResult", "SearchIndex", "search", "index_for", "tokens"]

#: Entity types, with the weight of each in the ranking.
TYPES: dict[str, float] = {
    "person": 1.3, "organization": 1.25, "topic": 1.15, "paper": 1.0,
    "trial": 1.05, "device": 1.05, "grant": 0.9, "patent": 1.0,
}
#: Weight of a match by the field it is in.
FIELDS: dict[str, float] = {"name": 1.0, "alt": 0.8, "abstract": 0.3}
EXACT, PREFIX, FUZZY_CUTOFF = 1.0, 0.75, 80.0
#: Query tokens shorter than this match exactly or as a prefix only.
FUZZY_MIN_LENGTH = 4

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case ASCII word tokens of ``text``."""
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One entity found."""

    uri: str
    type: str
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of hits and the number of entities found in all."""

    total: int
    hits: list[SearchHit]


@dataclass(slots=True)
class _Document:
    uri: str
    type: str
    label: str = ""
    folded_labels: set[str] = field(default_factory=set)


class SearchIndex:
    """An inverted index: token -> {document: best field weight}."""

    def __init__(self) -> None:
        self.documents: list[_Document] = []
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.vocabulary: list[str] = []
        self._by_uri: dict[tuple[str, str], int] = {}

    @classmethod
    def build(cls, store: Store) -> SearchIndex:
        """Index every label the search query returns."""
        index = cls()
        rows = store.select(load_query("api_search_labels"))
        rows.sort(key=lambda r: (r["field"] != "name", str(r["text"])))
        for row in rows:
            index.add(str(row["entity"]), row["type"], row["field"], str(row["text"]))
        index.vocabulary = sorted(index.postings)
        return index

    def add(self, uri: str, type_: str, field_name: str, text: str) -> None:
        key = (uri, type_)
        doc_id = self._by_uri.get(key)
        if doc_id is None:
            doc_id = self._by_uri[key] = len(self.documents)
            self.documents.append(_Document(uri, type_))
        doc = self.documents[doc_id]
        if field_name != "abstract":
            if not doc.label and field_name == "name":
                doc.label = text
            doc.folded_labels.add(" ".join(tokens(text)))
        weight = FIELDS.get(field_name, 0.5)
        for token in tokens(text):
            posting = self.postings[token]
            if posting.get(doc_id, 0.0) < weight:
                posting[doc_id] = weight

    def _expand(self, token: str) -> dict[str, float]:
        """Index tokens a query token matches, with the strength of each match."""
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = EXACT
        if len(token) >= 2:
            for other in self._prefixed(token):
                found.setdefault(other, PREFIX)
        if len(token) >= FUZZY_MIN_LENGTH:
            for other, score, _ in process.extract(token, self.vocabulary, scorer=fuzz.ratio,
                                                   score_cutoff=FUZZY_CUTOFF, limit=25):
                found.setdefault(other, 0.7 * score / 100.0)
        return found

    def _prefixed(self, token: str) -> list[str]:
        out = []
        i = bisect_left(self.vocabulary, token)
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(token):
            if self.vocabulary[i] != token:
                out.append(self.vocabulary[i])
            i += 1
            if len(out) >= 200:
                break
        return out

    def search(self, q: str, type_: str | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        """Entities matching ``q`` (optionally of one type), best first."""
        query_tokens = list(dict.fromkeys(tokens(q)))
        if not query_tokens:
            return SearchResult(0, [])
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for token in query_tokens:
            best: dict[int, float] = {}
            for other, strength in self._expand(token).items():
                for doc_id, weight in self.postings[other].items():
                    value = strength * weight
                    if value > best.get(doc_id, 0.0):
                        best[doc_id] = value
            for doc_id, value in best.items():
                scores[doc_id] += value
                matched[doc_id] += 1
        folded_q = " ".join(tokens(q))
        candidates = [d for d in scores if type_ is None or self.documents[d].type == type_]
        most = max((matched[d] for d in candidates), default=0)
        ranked = []
        for doc_id in candidates:
            if matched[doc_id] < most:
                continue
            doc = self.documents[doc_id]
            score = scores[doc_id] / len(query_tokens) * TYPES.get(doc.type, 1.0)
            if folded_q in doc.folded_labels:
                score += 1.0
            ranked.append((round(score, 4), doc.label, doc.uri, doc))
        ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
        page = ranked[offset:offset + limit]
        return SearchResult(len(ranked), [SearchHit(d.uri, d.type, d.label or d.uri, s) for s, _, _, d in page])


def index_for(store: Store) -> SearchIndex:
    """The search index of ``store``, built once per store version."""
    return per_version("search", store, SearchIndex.build)


def search(store: Store, q: str, type_: str | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
    """Search the store's labels; see :class:`SearchIndex`."""
    return index_for(store).search(q, type_, limit, offset)
