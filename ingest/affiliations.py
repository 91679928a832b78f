"""Affiliation strings to departments and institutions.

An affiliation such as ``"Department of Neurology, Massachusetts General Hospital,
Boston, MA, USA."`` is cleaned (emails, parenthesised initials, a leading "From
the" dropped) and split into segments. The institution is chosen among them:

1. segments that read as top-level institutions (university, hospital, college,
   medical school, ...) before institutes and centres, which are often units;
2. for each, a loaded ROR organisation by exact name, then alias (acronyms of
   three or more letters), then the name before "School of ..."
   ("Boston University School of Public Health"), then a fuzzy match whose
   distinctive words must agree too ("Brown University" never becomes "Boston
   University") — each with its method and confidence recorded;
3. never an organisation in another country than the one the string ends with;
4. failing all that, an organisation minted from the segment's name.

The department is the nearest department-like segment before the institution.
Institutions are typed hospital or university from their ROR types, else from
their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.model import AffiliationMatch, OrgRef
from graph.uris import Minter, fold, slug
from ingest.countries import country_of

__all__ = ["RorName", "OrgIndex", "Hit", "AffiliationResolver", "split_affiliation", "kind_from_name"]

FUZZY_CUTOFF = 92.0
DISTINCTIVE_CUTOFF = 90.0

_EMAIL = re.compile(r"(?<![^\s;])[^\s;]+@[^\s;]+|electronic address:[^;]*", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)")
_LEADING = re.compile(r"^\s*(from\s+)?(the\s+)?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_NORMALISE = re.compile(r"[^a-z0-9]+")
_DEPARTMENT = re.compile(
    r"\b(department|dept|division|unit|laborator(y|ies)|lab|section|program(me)?|service|"
    r"clinic for|center for|centre for|core|group|faculty of)\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"universi|college|hospital|medical (center|centre)|klinikum|clinic\b|institut|"
    r"school of|medical school|health (system|care|sciences)|foundation|"
    r"academy|polytechnic|politecnico|karolinska|inserm|cnrs|\bnih\b|national",
    re.IGNORECASE,
)
_TOP_LEVEL = re.compile(
    r"universi|hospital|college|medical (center|centre)|clinic\b|klinikum|school of medicine|"
    r"medical school|school of public health|polytechnic|politecnico",
    re.IGNORECASE,
)
_SCHOOL = re.compile(
    r"^(?P<head>.+?)\s+(school of [a-z ]+|medical school|college of medicine|faculty of medicine|"
    r"medical center|medical centre|health system)$",
    re.IGNORECASE,
)
_HOSPITAL = re.compile(
    r"hospital|medical (center|centre)|clinic\b|klinikum|infirmary|health ?care|"
    r"health system|cancer center|children's|h[oô]pital|ospedale|hospit",
    re.IGNORECASE,
)
_UNIVERSITY = re.compile(r"universi|college|school of|polytechnic|politecnico|academy", re.IGNORECASE)
_GENERIC_WORDS = frozenset(
    "the of and for at in school medicine medical department dept university universitat universite "
    "universidad universita hospital college institute institut institutet instituto istituto center centre clinic clinical "
    "memory research health sciences science faculty graduate laboratory unit division program "
    "public national state".split()
)

Hit = tuple[str, str, str, float]
"""(organisation IRI, kind, match method, confidence)."""


def normalise(text: str) -> str:
    """Matching form of a name: folded, punctuation dropped, leading "the" removed."""
    words = _NORMALISE.sub(" ", fold(text).replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _distinctive(key: str) -> str:
    """The words of a normalised name that say which organisation it is."""
    return " ".join(w for w in key.split() if w not in _GENERIC_WORDS)


def kind_from_name(name: str) -> str:
    """hospital, university or institution, guessed from an organisation's name."""
    if _HOSPITAL.search(name):
        return "hospital"
    if _UNIVERSITY.search(name):
        return "university"
    return "institution"


def split_affiliation(text: str) -> list[list[str]]:
    """The affiliations in one string (split on ';'), each as its comma-separated segments."""
    text = _PARENTHESES.sub(" ", _EMAIL.sub("", text))
    parts = []
    for part in text.split(";"):
        segments = [_SPACE.sub(" ", s).strip(" .") for s in part.split(",")]
        segments = [s for s in segments if s]
        if segments:
            segments[0] = _LEADING.sub("", segments[0]) or segments[0]
            parts.append(segments)
    return parts


def _is_acronym(name: str) -> bool:
    """A short all-letters name such as "MRC" or "UCSF"."""
    key = normalise(name).replace(" ", "")
    return len(key) <= 5 and name.strip().isupper()


def _is_generic(segment: str) -> bool:
    """True for names that say what an organisation is but not which ("School of Medicine")."""
    return not _distinctive(normalise(segment))


def _variants(segment: str) -> Iterator[str]:
    """Ways a segment may name an institution: itself, after "at", halves of "and"/"/", its head."""
    yield segment
    _, at, after = segment.rpartition(" at ")
    if at and _TOP_LEVEL.search(after):
        yield after
    for separator in (" and ", "/"):
        words = segment.split(separator)
        for i in range(1, len(words)):
            yield separator.join(words[:i])
            yield separator.join(words[i:])
    school = _SCHOOL.match(segment)
    if school and _INSTITUTION.search(school.group("head")):
        yield school.group("head")


@dataclass(frozen=True, slots=True)
class RorName:
    """One name of a loaded ROR organisation (``own`` is False for a name it inherits
    from a withdrawn predecessor)."""

    org: str
    name: str
    is_alias: bool
    kind: str
    country: str | None = None
    own: bool = True


@dataclass
class OrgIndex:
    """Names of loaded ROR organisations, for exact and fuzzy lookup."""

    names: dict[str, tuple[str, bool, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, names: Iterable[RorName]) -> OrgIndex:
        """Index names; a name two organisations share matches neither (unless one has it as its
        main name). Acronyms shorter than three letters are left out."""
        index = cls()
        ambiguous: set[str] = set()
        for entry in names:
            key = normalise(entry.name)
            if len(key.replace(" ", "")) < 3:
                continue
            if entry.own and not entry.is_alias:
                index.labels[entry.org] = entry.name
            if entry.country:
                index.countries[entry.org] = entry.country
            index.kinds[entry.org] = entry.kind
            known = index.names.get(key)
            if known is None:
                index.names[key] = (entry.org, entry.is_alias, entry.kind)
            elif known[0] != entry.org:
                if known[1] and not entry.is_alias:
                    index.names[key] = (entry.org, False, entry.kind)
                elif known[1] == entry.is_alias:
                    ambiguous.add(key)
        for key in ambiguous:
            index.names.pop(key, None)
        return index

    def exact(self, name: str) -> Hit | None:
        """A match on an organisation's name or one of its aliases."""
        hit = self.names.get(normalise(name))
        if hit is None:
            return None
        org, is_alias, kind = hit
        return (org, kind, "alias" if is_alias else "exact", 0.95 if is_alias else 1.0)

    def fuzzy(self, name: str) -> Hit | None:
        """The closest name at or above the cutoff whose distinctive words agree too."""
        key = normalise(name)
        distinct = _distinctive(key)
        if len(key) < 8 or not distinct or not self.names:
            return None
        for candidate, score, _ in process.extract(key, self.names.keys(), scorer=fuzz.ratio,
                                                   score_cutoff=FUZZY_CUTOFF, limit=3):
            if fuzz.ratio(distinct, _distinctive(candidate)) >= DISTINCTIVE_CUTOFF:
                org, _alias, kind = self.names[candidate]
                return (org, kind, "fuzzy", round(score / 100.0, 4))
        return None


class AffiliationResolver:
    """Resolves affiliation strings to organisations, caching each distinct string."""

    def __init__(self, minter: Minter, index: OrgIndex):
        self.minter = minter
        self.index = index
        self._org_prefix = minter.org("")
        self._cache: dict[str, tuple[OrgRef, ...]] = {}
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
            if _DEPARTMENT.search(segment) and not _TOP_LEVEL.search(segment):
                key = institution.iri.removeprefix(self._org_prefix)
                refs.insert(0, OrgRef(self.minter.department(key, segment), segment, "department",
                                      parent=institution.iri))
                break
        return refs

    def _institution(self, segments: list[str]) -> tuple[int, OrgRef | None]:
        country = country_of(segments)
        candidates = []
        for position, segment in enumerate(segments):
            following = segments[position + 1] if position + 1 < len(segments) else None
            if _DEPARTMENT.match(segment) and not _TOP_LEVEL.search(segment):
                continue
            candidates.append((not _TOP_LEVEL.search(segment), position, segment, following))
        candidates.sort(key=lambda c: (c[0], c[1]))
        for lower_rank in (False, True):
            tier = [c for c in candidates if c[0] == lower_rank]
            for _, position, segment, following in tier:
                found = self._match(segment, following, country, fuzzy=False)
                if found:
                    return position, found
            for _, position, segment, _following in tier:
                found = self._match(segment, None, country, fuzzy=True)
                if found:
                    return position, found
            for _, position, segment, _following in tier:
                if _INSTITUTION.search(segment) and not _is_generic(segment):
                    name = segment.strip()
                    iri = self.minter.org(slug(normalise(name)))
                    return position, OrgRef(iri, name, kind_from_name(name))
        return -1, None

    def _match(self, segment: str, following: str | None, country: str | None,
               fuzzy: bool) -> OrgRef | None:
        names = list(_variants(segment))
        if following and not fuzzy:  # "University of California, San Diego"
            names.insert(0, f"{segment} {following}")
        for name in names:
            hit = self.index.fuzzy(name) if fuzzy else self.index.exact(name)
            if hit is None or _is_generic(name):
                continue
            org_country = self.index.countries.get(hit[0])
            if country and org_country and org_country != country:
                continue
            if _is_acronym(name) and (country is None or org_country != country):
                continue  # "MRC", "UT": acronyms match only where the country confirms them
            if name not in self.matches:
                self.matches[name] = AffiliationMatch(name, hit[0], hit[2], hit[3])
            return OrgRef(hit[0], self.index.labels.get(hit[0], name), hit[1], describe=False)
        return None
