"""Plain records that parsers produce and :mod:`graph.build` turns into triples.

Every record is a frozen dataclass holding source values as read, trimmed but not
interpreted. Parsers in :mod:`ingest` yield these records (or :class:`SkippedRecord`
for a record they could not use); nothing here knows about RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "AuthorMention",
    "MeshQualifier",
    "MeshHeading",
    "PublicationType",
    "GrantRef",
    "Article",
    "MeshDescriptor",
    "RorLocation",
    "RorRelationship",
    "RorOrganization",
    "SkippedRecord",
    "OrgRef",
    "AffiliationMatch",
    "ResolvedAuthor",
    "Mention",
    "MentionLink",
    "Cluster",
    "Curation",
    "TablePerson",
    "TableOrganization",
    "TableWork",
    "TableAuthorship",
    "Tables",
]


@dataclass(frozen=True, slots=True)
class AuthorMention:
    """One author slot of a paper, in source order (``rank`` counts from 1).

    A person has ``family_name`` (and usually ``given_name`` / ``initials``); a
    consortium or group author has ``collective_name`` instead.
    """

    rank: int
    family_name: str | None = None
    given_name: str | None = None
    initials: str | None = None
    suffix: str | None = None
    collective_name: str | None = None
    orcid: str | None = None
    affiliations: tuple[str, ...] = ()

    @property
    def is_collective(self) -> bool:
        return self.collective_name is not None and self.family_name is None


@dataclass(frozen=True, slots=True)
class MeshQualifier:
    """A MeSH qualifier (subheading) attached to a heading."""

    label: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True, slots=True)
class MeshHeading:
    """A MeSH descriptor assigned to a paper, with its qualifiers."""

    label: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()


@dataclass(frozen=True, slots=True)
class PublicationType:
    """A PubMed publication type ("Journal Article", "Review")."""

    label: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class GrantRef:
    """A grant acknowledged by a paper."""

    grant_id: str
    agency: str | None = None
    acronym: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A PubMed/MEDLINE citation.

    ``date`` is ISO 8601 at the precision the source gives (``2009-07-22``,
    ``2009-07`` or ``2009``); ``year`` is its year. ``doi`` is lower case without a
    resolver prefix.
    """

    pmid: str
    title: str
    abstract: str | None = None
    journal_title: str | None = None
    journal_abbrev: str | None = None
    issn: str | None = None
    nlm_journal_id: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    year: int | None = None
    date: str | None = None
    doi: str | None = None
    language: str | None = None
    authors: tuple[AuthorMention, ...] = ()
    mesh_headings: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    publication_types: tuple[PublicationType, ...] = ()
    grants: tuple[GrantRef, ...] = ()
    trial_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeshDescriptor:
    """A MeSH descriptor with its tree numbers (``C10.228.140``)."""

    ui: str
    label: str
    tree_numbers: tuple[str, ...] = ()
    scope_note: str | None = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RorLocation:
    """Where a ROR organisation is (GeoNames city)."""

    geonames_id: str | None = None
    city: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True, slots=True)
class RorRelationship:
    """A link to another ROR record; ``kind`` is lower case: parent, child,
    related, successor or predecessor."""

    kind: str
    ror_id: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class RorOrganization:
    """A ROR record, schema v1 or v2, normalised.

    ``ror_id`` is the bare id (``02qp3tb03``); ``types`` are lower case ROR types
    (``education``, ``healthcare``, ...).
    """

    ror_id: str
    name: str
    schema_version: str
    status: str = "active"
    types: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    labels: tuple[tuple[str, str | None], ...] = ()
    established: int | None = None
    links: tuple[str, ...] = ()
    locations: tuple[RorLocation, ...] = ()
    external_ids: tuple[tuple[str, str], ...] = ()
    relationships: tuple[RorRelationship, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record a parser could not use: where it is and why."""

    index: int
    record_id: str | None
    field: str
    reason: str

    def describe(self, source: str) -> str:
        """Say where the bad record is, for a user."""
        rid = f" ({self.record_id})" if self.record_id else ""
        return f"{source}: record {self.index}{rid}, field {self.field}: {self.reason}"


@dataclass(frozen=True, slots=True)
class OrgRef:
    """An organisation an affiliation string was resolved to.

    ``kind`` is hospital, university, institution or department. ``describe`` is
    False when another source (ROR) already describes the organisation, so only
    the link is written.
    """

    iri: str
    label: str
    kind: str
    parent: str | None = None
    describe: bool = True


@dataclass(frozen=True, slots=True)
class AffiliationMatch:
    """How one institution name in an affiliation string was matched.

    ``method`` is exact, alias or fuzzy; ``confidence`` is in [0, 1].
    """

    text: str
    org_iri: str
    method: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ResolvedAuthor:
    """An author mention with the organisations its affiliations resolved to."""

    mention: AuthorMention
    orgs: tuple[OrgRef, ...] = ()


# -- identity resolution ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """One appearance of a person in a source, as identity resolution sees it.

    ``id`` is the IRI of the mention node (an authorship, a roster row). ``local_id``
    is an institution's own id for the person (a people.csv ``id``); two mentions
    with different local ids of the same ``local_scope`` are never one person.
    ``work`` is the paper the mention authored (its co-authors are the other
    mentions of that work); ``orgs`` are institution IRIs; ``topics`` MeSH UIs.
    """

    id: str
    family_name: str | None = None
    given_name: str | None = None
    initials: str | None = None
    orcid: str | None = None
    local_id: str | None = None
    local_scope: str | None = None
    work: str | None = None
    year: int | None = None
    orgs: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MentionLink:
    """Why a mention belongs to its person: confidence in [0, 1] and the evidence used
    (``orcid``, ``local-id``, ``name``, ``coauthors``, ``affiliation``, ``topics``,
    ``curation``, ...)."""

    mention: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Mentions resolved to one person."""

    mentions: tuple[MentionLink, ...]


@dataclass(frozen=True, slots=True)
class Curation:
    """Manual decisions that always win: merge these mentions, split these mentions off
    into persons of their own, never put these two mentions in one person."""

    merge: tuple[tuple[str, ...], ...] = ()
    split: tuple[str, ...] = ()
    never: tuple[tuple[str, str], ...] = ()


# -- institutional tables -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TablePerson:
    """A row of people.csv. ``email`` is private; ``line`` is the row's line in the file."""

    id: str
    line: int
    given_name: str | None = None
    family_name: str | None = None
    orcid: str | None = None
    email: str | None = None
    institution: str | None = None
    department: str | None = None
    position: str | None = None
    role: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class TableOrganization:
    """A row of organizations.csv; ``parent`` is another row's id or a ROR id."""

    id: str
    line: int
    name: str
    ror: str | None = None
    kind: str | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class TableWork:
    """A row of works.csv; ``topics`` are MeSH UIs or free-text labels."""

    id: str
    line: int
    title: str
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableAuthorship:
    """A row of authorships.csv, linking a works.csv id and a people.csv id."""

    work_id: str
    person_id: str
    line: int
    rank: int | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Tables:
    """An institution's tables, as read from one folder, with the warnings reading gave."""

    people: tuple[TablePerson, ...] = ()
    organizations: tuple[TableOrganization, ...] = ()
    works: tuple[TableWork, ...] = ()
    authorships: tuple[TableAuthorship, ...] = ()
    warnings: tuple[str, ...] = ()
