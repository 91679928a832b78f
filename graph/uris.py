"""Minting hubgraph IRIs from identifiers.

Every entity IRI is ``{base}{kind}/{key}`` where ``key`` comes from a stable
identifier (PMID, ORCID, ROR id, ...), so the same record always gets the same IRI
and a URI once minted stays valid across re-ingests. MeSH concepts keep NLM's own
IRIs.

>>> m = Minter("http://127.0.0.1:8000/id/")
>>> m.paper("19622817")
'http://127.0.0.1:8000/id/paper/pmid-19622817'
>>> slug("Department of Neurology & Neurosurgery")
'department-of-neurology-neurosurgery'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote
from dataclasses import dataclass

from graph.namespaces import MESH

__all__ = ["DEFAULT_BASE", "Minter", "slug", "fold", "department_slug", "local_key", "nih_grant_key"]

DEFAULT_BASE = "http://127.0.0.1:8000/id/"

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: accents dropped, punctuation kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def slug(text: str, limit: int = 80) -> str:
    """A readable IRI path segment: folded, words joined by hyphens, length-capped.

    Long texts are cut and get a short hash so that two long names never collide.
    """
    words = _NON_WORD.sub("-", fold(text).replace("&", " ")).strip("-")
    if len(words) <= limit:
        return words or "x"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{words[:limit].rstrip('-')}-{digest}"


def local_key(local_id: str) -> str:
    """An institution's id as an IRI segment, case and all ("P-12" and "p-12" stay apart).

    >>> local_key("P-12"), local_key("W 1/a")
    ('P-12', 'W%201%2Fa')
    """
    return quote(local_id, safe="-._~")


_NIH_GRANT = re.compile(
    r"^(?:\d)?\s*(?:[A-Z]\d{2}|[A-Z]{2}\d|[A-Z]\d[A-Z])?\s*-?\s*([A-Z]{2})\s*-?\s*(\d{4,6})(?:\s*-.*)?$"
)


_NIH_AGENCY = re.compile(r"\bNIH\b|\bHHS\b|National Institutes? of", re.IGNORECASE)


def nih_grant_key(grant_id: str) -> str | None:
    """``ag009287`` for NIH grant numbers in any of their usual spellings, else None.

    >>> nih_grant_key("AG09287"), nih_grant_key("R01 AG009287"), nih_grant_key("5R01AG009287-05")
    ('ag009287', 'ag009287', 'ag009287')
    >>> nih_grant_key("P50 AG05681-20"), nih_grant_key("MR/L023784/1")
    ('ag005681', None)
    """
    match = _NIH_GRANT.match(grant_id.strip().upper())
    if not match:
        return None
    return f"{match.group(1).lower()}{int(match.group(2)):06d}"


_DEPARTMENT_WORDS = re.compile(r"\b(department|dept|of|the|for)\b")


def department_slug(name: str) -> str:
    """The part of a department's name that says which one it is, as a slug.

    >>> department_slug("Dept. of Neurology") == department_slug("Neurology Department")
    True
    """
    core = slug(_DEPARTMENT_WORDS.sub(" ", fold(name)))
    return core if core != "x" else slug(name)


@dataclass(frozen=True, slots=True)
class Minter:
    """Mints entity IRIs under one base (which must end with ``/`` or ``#``)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            raise ValueError(f"base IRI '{self.base}' must end with '/' or '#'")

    def paper(self, pmid: str) -> str:
        return f"{self.base}paper/pmid-{pmid}"

    def paper_doi(self, doi: str) -> str:
        """A paper known by its DOI only (lower case, no resolver prefix)."""
        return f"{self.base}paper/doi-{quote(doi, safe='')}"

    def trial(self, nct_id: str) -> str:
        """A clinical trial by its ClinicalTrials.gov id (NCT01234567)."""
        return f"{self.base}trial/{nct_id.upper()}"

    def device(self, number: str) -> str:
        """An FDA device: a submission (K, P or DEN number) or a UDI device identifier."""
        return f"{self.base}device/{slug(number)}"

    def device_type(self, product_code: str) -> str:
        """An FDA product code (three letters, such as DQA)."""
        return f"{self.base}device-type/{product_code.upper()}"

    def patent(self, number: str) -> str:
        """A patent or patent application by its publication number (US10123456B2)."""
        return f"{self.base}patent/{slug(number)}"

    def authorship(self, pmid: str, rank: int) -> str:
        return f"{self.base}authorship/pmid-{pmid}-{rank}"

    def mesh_heading(self, pmid: str, descriptor_key: str) -> str:
        return f"{self.base}paper/pmid-{pmid}/mesh/{descriptor_key}"

    def person(self, key: str) -> str:
        return f"{self.base}person/{key}"

    def org(self, key: str) -> str:
        return f"{self.base}org/{key}"

    def ror_org(self, ror_id: str) -> str:
        return f"{self.base}org/ror-{ror_id}"

    def department(self, institution_key: str, name: str) -> str:
        """One IRI for "Dept. of Neurology", "Department of Neurology" and "Neurology Department"."""
        return f"{self.base}org/{institution_key}/{department_slug(name)}"

    def role(self, name: str) -> str:
        """A membership role (clinician, researcher, engineer, trainee)."""
        return f"{self.base}role/{slug(name)}"

    def record(self, scope: str, local_id: str) -> str:
        """A row of an institution's people table."""
        return f"{self.base}record/{slug(scope)}/{local_key(local_id)}"

    def local(self, kind: str, scope: str, local_id: str) -> str:
        """An entity known only by an institution's local id (paper, organisation)."""
        return f"{self.base}{kind}/local-{slug(scope)}-{local_key(local_id)}"

    def journal(self, nlm_id: str | None, issn: str | None, title: str) -> str:
        if nlm_id:
            return f"{self.base}journal/nlm-{slug(nlm_id)}"
        if issn:
            return f"{self.base}journal/issn-{slug(issn)}"
        return f"{self.base}journal/{slug(title)}"

    def grant(self, grant_id: str, agency: str | None) -> str:
        """A grant; NIH grants key on institute and serial number, so that PubMed's
        "AG09287" and RePORTER's "5R01AG009287-05" are one grant."""
        nih = nih_grant_key(grant_id) if agency is None or _NIH_AGENCY.search(agency) else None
        if nih:
            return f"{self.base}grant/nih/{nih}"
        return f"{self.base}grant/{slug(agency or 'unknown')}/{slug(grant_id)}"

    def affiliation_match(self, text: str) -> str:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        return f"{self.base}affiliation-match/{digest}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    def agent(self, software: str) -> str:
        """The PROV agent for a software version such as "hubgraph 0.1.0"."""
        return f"{self.base}agent/{slug(software)}"

    @staticmethod
    def mesh(ui: str) -> str:
        return f"{MESH}{ui}"
