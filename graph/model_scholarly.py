"""Plain records of the scholarly sources: ORCID records, OpenAlex entities, Crossref works.

Like :mod:`graph.model`, every record is a frozen dataclass of source values, trimmed
and normalised (a DOI lower case without resolver, an ORCID iD as ``0000-0002-1825-0097``,
a ROR id bare, a date ISO 8601 at the precision the source gives) but not interpreted.
The parsers in :mod:`ingest.orcid`, :mod:`ingest.openalex` and :mod:`ingest.crossref`
yield them; :mod:`graph.build_scholarly` writes them. Nothing here knows about RDF.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "InstitutionRef",
    "Topic",
    "WorkAuthor",
    "Work",
    "OrcidPerson",
    "OrcidWork",
    "OrcidEmployment",
    "OpenAlexAuthor",
    "OpenAlexInstitution",
    "UnmodelledRecord",
    "PaperSlot",
]


@dataclass(frozen=True, slots=True)
class InstitutionRef:
    """An organisation a source names: ``ror_id`` when the source disambiguated it.

    ``type`` is the source's organisation type in ROR's vocabulary (education,
    healthcare, company, ...) when it gives one; ``source_id`` the source's own id
    (``openalex:I27837315``).
    """

    name: str | None
    ror_id: str | None = None
    type: str | None = None
    country_code: str | None = None
    city: str | None = None
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    """A concept of a source's own scheme (an OpenAlex topic, subfield, field or domain).

    ``iri`` is the source's IRI for it; ``broader`` the IRI of the next concept up.
    """

    iri: str
    label: str
    broader: str | None = None


@dataclass(frozen=True, slots=True)
class WorkAuthor:
    """One author of a work as a source lists it; ``position`` counts from 1 in source order.

    A person has ``family_name`` and/or ``given_name``; a group author has
    ``collective_name`` instead. ``affiliations`` are affiliation strings as given;
    ``institutions`` the organisations the source resolved them to.
    """

    position: int
    family_name: str | None = None
    given_name: str | None = None
    collective_name: str | None = None
    orcid: str | None = None
    affiliations: tuple[str, ...] = ()
    institutions: tuple[InstitutionRef, ...] = ()
    source_id: str | None = None

    @property
    def named(self) -> bool:
        return bool(self.family_name or self.given_name)


@dataclass(frozen=True, slots=True)
class Work:
    """A work (paper) as ORCID, OpenAlex or Crossref describes it.

    ``source`` is ``orcid``, ``openalex`` or ``crossref``; ``source_id`` the source's own
    id written ``scheme:value`` (``openalex:W2741809807``), if any. ``pmid`` and ``doi``
    identify the paper; ``date`` is ISO 8601 at the source's precision, ``year`` its year.
    ``topics`` lists the work's topics first, then the broader concepts they need.
    """

    source: str
    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    source_id: str | None = None
    type: str | None = None
    year: int | None = None
    date: str | None = None
    journal_title: str | None = None
    issn: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    language: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    topic_iris: tuple[str, ...] = ()
    mesh_uis: tuple[str, ...] = ()
    authors: tuple[WorkAuthor, ...] = ()


# -- ORCID --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrcidPerson:
    """The person section of an ORCID record: the names its owner gives."""

    orcid: str
    family_name: str | None = None
    given_name: str | None = None
    credit_name: str | None = None


@dataclass(frozen=True, slots=True)
class OrcidWork:
    """A work group of an ORCID record (or a single work): the owner claims it.

    ``claimant_family`` / ``claimant_given`` are the owner's name as this work's entry
    gives it (its contributor with the owner's ORCID, or the owner as its source), for
    files without a person section.
    """

    orcid: str
    work: Work
    put_code: str | None = None
    claimant_family: str | None = None
    claimant_given: str | None = None


@dataclass(frozen=True, slots=True)
class OrcidEmployment:
    """An employment of an ORCID record's owner. ``start`` / ``end`` are ISO dates at the
    precision given; ``key`` identifies it within the record (its put-code)."""

    orcid: str
    key: str
    organization: InstitutionRef
    department: str | None = None
    role_title: str | None = None
    start: str | None = None
    end: str | None = None


# -- OpenAlex -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenAlexAuthor:
    """An OpenAlex author entity (``A...``) with its last known institutions."""

    openalex_id: str
    family_name: str | None = None
    given_name: str | None = None
    orcid: str | None = None
    institutions: tuple[InstitutionRef, ...] = ()


@dataclass(frozen=True, slots=True)
class OpenAlexInstitution:
    """An OpenAlex institution entity (``I...``); ``ror_id`` is bare.

    ``relationships`` are (kind, bare ROR id) pairs of associated institutions, kind
    ``parent``, ``child`` or ``related``.
    """

    openalex_id: str
    name: str
    ror_id: str | None = None
    type: str | None = None
    country_code: str | None = None
    city: str | None = None
    geonames_id: str | None = None
    lat: float | None = None
    lng: float | None = None
    homepage: str | None = None
    acronyms: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    wikidata: str | None = None
    relationships: tuple[tuple[str, str], ...] = ()


# -- shared ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnmodelledRecord:
    """A record of a kind hubgraph does not model (an OpenAlex source, a Crossref member):
    left out with a warning, not an error."""

    index: int
    record_id: str | None
    kind: str

    def describe(self, source: str) -> str:
        rid = f" ({self.record_id})" if self.record_id else ""
        return f"{source}: record {self.index}{rid}: {self.kind} records are not modelled; skipped"


@dataclass(frozen=True, slots=True)
class PaperSlot:
    """Where a work lands and what this source may say about it.

    ``iri`` is the one paper IRI for the work's PMID or DOI. ``describe`` is True when
    this source is the one that describes the paper (a DOI-only paper no other source
    describes); ``ranked`` when its author list is the paper's ranked author list.
    """

    iri: str
    describe: bool = False
    ranked: bool = False
