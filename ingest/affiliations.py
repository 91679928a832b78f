"""Affiliation strings to departments and institutions.

An affiliation such as ``"Department of Neurology, Massachusetts General Hospital,
Boston, MA, USA."`` is split into segments; the institution is the first segment
that names a loaded ROR organisation (exact name, then alias or acronym, then a
fuzzy match with its score recorded), else the first segment that reads like an
institution (minted from its name). The department is the nearest
department-like segment before it. Institutions are typed hospital or university
from their ROR types, else from their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.model import AffiliationMatch, OrgRef
from graph.uris import Minter, fold, slug

__all__ = ["RorName", "OrgIndex", "AffiliationResolver", "split_affiliation", "kind_from_name"]

FUZZY_CUTOFF = 92.0

_EMAIL = re.compile(r"\S+@\S+|electronic address:.*$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_NORMALISE = re.compile(r"[^a-z0-9]+")
_DEPARTMENT = re.compile(
    r"\b(department|dept|division|unit|laborator(y|ies)|lab|section|program(me)?|service|"
    r"clinic for|center for|centre for|core|group|faculty of)\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"universi|college|hospital|medical (center|centre)|klinikum|clinic\b|institut|"
    r"school of medicine|medical school|health (system|care|sciences)|foundation|"
    r"academy|polytechnic|politecnico|karolinska|inserm|cnrs|\bnih\b|national",
    re.IGNORECASE,
)
_HOSPITAL = re.compile(
    r"hospital|medical (center|centre)|clinic\b|klinikum|infirmary|health ?care|"
    r"health system|cancer center|children's|h[oô]pital|ospedale|hospit",
    re.IGNORECASE,
)
_TOP_LEVEL = re.compile(r"universi|hospital|college|medical (center|centre)|clinic\b|klinikum", re.IGNORECASE)
_GENERIC_WORDS = frozenset(
    "the of and for school medicine medical department dept university hospital college institute "
    "center centre clinic clinical memory research health sciences science faculty graduate "
    "laboratory unit division program".split()
)
_UNIVERSITY = re.compile(r"universi|college|school of|polytechnic|politecnico|academy", re.IGNORECASE)


def normalise(text: str) -> str:
    """Matching form of a name: folded, punctuation dropped, leading "the" removed."""
    words = _NORMALISE.sub(" ", fold(text).replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def kind_from_name(name: str) -> str:
    """hospital, university or institution, guessed from an organisation's name."""
    if _HOSPITAL.search(name):
        return "hospital"
    if _UNIVERSITY.search(name):
        return "university"
    return "institution"


def _is_generic(segment: str) -> bool:
    """True for names that say what an organisation is but not which ("School of Medicine")."""
    return all(word in _GENERIC_WORDS for word in normalise(segment).split())


def _after_at(segment: str) -> str:
    """"Sahlgrenska Academy at University of Gothenburg" -> "University of Gothenburg"."""
    _, at, after = segment.rpartition(" at ")
    return after if at and _TOP_LEVEL.search(after) else segment


def _and_splits(segment: str) -> list[tuple[str, str]]:
    """Every way to cut a segment in two at an " and "."""
    words = segment.split(" and ")
    return [(" and ".join(words[:i]), " and ".join(words[i:])) for i in range(1, len(words))]


def split_affiliation(text: str) -> list[list[str]]:
    """The affiliations in one string (split on ';'), each as its comma-separated segments."""
    text = _EMAIL.sub("", text)
    parts = []
    for part in text.split(";"):
        segments = [_SPACE.sub(" ", s).strip(" .") for s in part.split(",")]
        segments = [s for s in segments if s]
        if segments:
            parts.append(segments)
    return parts


@dataclass(frozen=True, slots=True)
class RorName:
    """One name of a loaded ROR organisation."""

    org: str
    name: str
    is_alias: bool
    kind: str


@dataclass
class OrgIndex:
    """Names of loaded ROR organisations, for exact and fuzzy lookup."""

    names: dict[str, tuple[str, bool, str]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, names: Iterable[RorName]) -> OrgIndex:
        """Index names; a name shared by two organisations matches neither exactly."""
        index = cls()
        for entry in names:
            key = normalise(entry.name)
            if not key:
                continue
            if not entry.is_alias:
                index.labels.setdefault(entry.org, entry.name)
            known = index.names.get(key)
            if known is None:
                index.names[key] = (entry.org, entry.is_alias, entry.kind)
            elif known[0] != entry.org:
                if known[1] and not entry.is_alias:
                    index.names[key] = (entry.org, False, entry.kind)
                elif known[1] == entry.is_alias:
                    index.ambiguous.add(key)
        for key in index.ambiguous:
            index.names.pop(key, None)
        return index

    def exact(self, segment: str) -> tuple[str, str, str, float] | None:
        """(org IRI, kind, method, confidence) for an exact name or alias match."""
        hit = self.names.get(normalise(segment))
        if hit is None:
            return None
        org, is_alias, kind = hit
        return (org, kind, "alias" if is_alias else "exact", 0.95 if is_alias else 1.0)

    def fuzzy(self, segment: str) -> tuple[str, str, str, float] | None:
        """The closest name at or above the cutoff score, if any."""
        key = normalise(segment)
        if len(key) < 8 or not self.names:
            return None
        best = process.extractOne(key, self.names.keys(), scorer=fuzz.token_sort_ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        org, _alias, kind = self.names[best[0]]
        return (org, kind, "fuzzy", round(best[1] / 100.0, 4))


class AffiliationResolver:
    """Resolves affiliation strings to organisations, caching each distinct string."""

    def __init__(self, minter: Minter, index: OrgIndex):
        self.minter = minter
        self.index = index
        self._cache: dict[str, tuple[OrgRef, ...]] = {}
        self._segments: dict[str, tuple[str, str, str, float] | None] = {}
        self.matches: dict[str, AffiliationMatch] = {}

    def resolve(self, texts: Iterable[str]) -> tuple[OrgRef, ...]:
        """Departments and institutions named by an author's affiliation strings."""
        refs: list[OrgRef] = []
        for text in texts:
            cached = self._cache.get(text)
            if cached is None:
                cached = self._cache[text] = self._resolve_one(text)
            refs.extend(r for r in cached if r not in refs)
        return tuple(refs)

    def _resolve_one(self, text: str) -> tuple[OrgRef, ...]:
        refs: list[OrgRef] = []
        for segments in split_affiliation(text):
            refs.extend(self._resolve_segments(segments))
        return tuple(dict.fromkeys(refs))

    def _resolve_segments(self, segments: list[str]) -> list[OrgRef]:
        position, institution = self._institution(segments)
        if institution is None:
            return []
        refs = [institution]
        for segment in reversed(segments[:position]):
            if _DEPARTMENT.search(segment) and not _INSTITUTION.search(segment.split(" of ")[0]):
                key = institution.iri.removeprefix(self.minter.org(""))
                refs.insert(0, OrgRef(self.minter.department(key, segment), segment, "department",
                                      parent=institution.iri))
                break
        return refs

    def _institution(self, segments: list[str]) -> tuple[int, OrgRef | None]:
        for position, segment in enumerate(segments):
            if position + 1 < len(segments):  # "University of California, San Diego"
                joined = f"{segment} {segments[position + 1]}"
                hit = self._lookup(joined, fuzzy=False)
                if hit:
                    return position, self._ref(joined, hit)
            hit = self._lookup(segment, fuzzy=False)
            if hit:
                return position, self._ref(segment, hit)
            for left, right in _and_splits(segment):  # "MGH and Harvard Medical School"
                hit = self._lookup(left, fuzzy=False)
                if hit and self._lookup(right, fuzzy=False):
                    return position, self._ref(left, hit)
        candidates = [
            (position, _after_at(segment)) for position, segment in enumerate(segments)
            if _INSTITUTION.search(segment) and not _DEPARTMENT.match(segment) and not _is_generic(segment)
        ]
        # A university or hospital outranks an institute named before it (often a unit of it).
        candidates.sort(key=lambda c: (not _TOP_LEVEL.search(c[1]), c[0]))
        for position, segment in candidates[:1]:
            hit = self._lookup(segment, fuzzy=True)
            if hit:
                return position, self._ref(segment, hit)
            name = segment.removeprefix("The ").strip()
            iri = self.minter.org(slug(normalise(name)))
            return position, OrgRef(iri, name, kind_from_name(name), describe=True)
        return -1, None

    def _lookup(self, segment: str, fuzzy: bool) -> tuple[str, str, str, float] | None:
        cache_key = f"{int(fuzzy)}{segment}"
        if cache_key in self._segments:
            return self._segments[cache_key]
        hit = self.index.exact(segment)
        if hit is None and fuzzy:
            hit = self.index.fuzzy(segment)
        self._segments[cache_key] = hit
        return hit

    def _ref(self, segment: str, hit: tuple[str, str, str, float]) -> OrgRef:
        org, kind, method, confidence = hit
        if segment not in self.matches:
            self.matches[segment] = AffiliationMatch(segment, org, method, confidence)
        return OrgRef(org, self.index.labels.get(org, segment), kind, describe=False)
