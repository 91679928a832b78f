"""Plain records for grants (NIH RePORTER) and patents (USPTO, Pap2Pat pairs).

Like :mod:`graph.model`, every record is a frozen dataclass holding source values
as read, trimmed but not interpreted; :mod:`ingest.nih_reporter` and
:mod:`ingest.patents` produce them and :mod:`graph.build_grants_patents` turns them
into triples. Dates are ISO 8601 (``2023-08-01``) at the precision the source gives.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ProjectOrganization",
    "PrincipalInvestigator",
    "IcFunding",
    "Project",
    "Inventor",
    "Assignee",
    "CitedPatent",
    "CitedPaper",
    "Patent",
    "PaperPatentPair",
]


# -- NIH RePORTER -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectOrganization:
    """The organisation a RePORTER project was awarded to (``org_name`` is often upper case).

    ``duns`` and ``ueis`` are every DUNS / UEI number RePORTER lists; ``ipf_code`` is
    NIH's institution profile number; ``dept_type`` is NIH's department category
    ("PHARMACOLOGY"), not a department name.
    """

    name: str
    city: str | None = None
    state: str | None = None
    country: str | None = None
    duns: tuple[str, ...] = ()
    ueis: tuple[str, ...] = ()
    ipf_code: str | None = None
    dept_type: str | None = None


@dataclass(frozen=True, slots=True)
class PrincipalInvestigator:
    """A principal investigator of a project, as RePORTER names them.

    ``profile_id`` is the PI's NIH eRA profile id (stable across a PI's grants).
    """

    profile_id: str | None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    is_contact: bool = False
    title: str | None = None


@dataclass(frozen=True, slots=True)
class IcFunding:
    """What one NIH institute or centre put into a project in a fiscal year."""

    code: str
    abbreviation: str | None = None
    name: str | None = None
    fiscal_year: int | None = None
    total_cost: float | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """One RePORTER v2 ``/projects/search`` result: an NIH award for one fiscal year.

    ``project_num`` is the full award number (``1R15DE032063-01A1``),
    ``core_project_num`` the number shared by every year of the project
    (``R15DE032063``); ``subproject_id`` is set for a component of a multi-project
    award. ``agency_code`` is the awarding agency (``NIH``, ``AHRQ``, ...) and
    ``ic_*`` the administering institute (``DE``, ``NIDCR``, ...). ``terms`` are the
    RePORTER thesaurus terms (``pref_terms`` when given, else ``terms``).
    """

    project_num: str | None
    core_project_num: str | None
    appl_id: str | None = None
    subproject_id: str | None = None
    title: str | None = None
    abstract: str | None = None
    public_health_relevance: str | None = None
    fiscal_year: int | None = None
    award_amount: float | None = None
    direct_cost: float | None = None
    indirect_cost: float | None = None
    project_start: str | None = None
    project_end: str | None = None
    budget_start: str | None = None
    budget_end: str | None = None
    award_notice_date: str | None = None
    agency_code: str | None = None
    ic_code: str | None = None
    ic_abbreviation: str | None = None
    ic_name: str | None = None
    activity_code: str | None = None
    funding_mechanism: str | None = None
    organization: ProjectOrganization | None = None
    principal_investigators: tuple[PrincipalInvestigator, ...] = ()
    ic_fundings: tuple[IcFunding, ...] = ()
    terms: tuple[str, ...] = ()
    detail_url: str | None = None

    @property
    def grant_number(self) -> str | None:
        """The number the grant node keys on: the core project number, else the full one."""
        return self.core_project_num or self.project_num


# -- patents ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inventor:
    """An inventor in source order (``rank`` counts from 1), with the residence the
    patent gives (city, state, country code)."""

    rank: int
    family_name: str | None = None
    given_name: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None

    @property
    def location(self) -> str | None:
        """``"Berkeley, CA, US"``, or None when the patent gives no residence."""
        parts = [p for p in (self.city, self.state, self.country) if p]
        return ", ".join(parts) if parts else None


@dataclass(frozen=True, slots=True)
class Assignee:
    """A patent owner: an organisation (``name``) or a person (``family_name``).

    ``type_code`` is USPTO's assignee type: 02 US company or corporation (universities
    included), 03 foreign company, 04 US individual, 05 foreign individual, 06 US
    federal government, 07 foreign government, 08 US county, 09 US state government.
    """

    name: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    type_code: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None

    @property
    def is_person(self) -> bool:
        return self.name is None


@dataclass(frozen=True, slots=True)
class CitedPatent:
    """A patent document a patent cites. ``number`` is normalised (see
    :func:`ingest.patents.patent_number`); ``category`` says who cited it ("cited by
    examiner", "cited by applicant")."""

    number: str
    country: str | None = None
    doc_number: str | None = None
    kind: str | None = None
    name: str | None = None
    date: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class CitedPaper:
    """A non-patent reference with a PMID or DOI found in its text (DOI lower case)."""

    text: str
    pmid: str | None = None
    doi: str | None = None


@dataclass(frozen=True, slots=True)
class Patent:
    """A patent grant or a published patent application.

    ``number`` is the normalised publication number without kind code
    (``US8930553``, ``US20050004437``); ``kind`` is ``grant`` or ``application``;
    ``kind_code`` the USPTO kind (``B2``, ``A1``) when given. ``filed`` is the
    application (or, for Pap2Pat, priority/filing) date, ``published`` the grant or
    publication date. Classification codes are ``A61B 5/0205`` (CPC, IPC) and
    ``709/228`` (USPC). ``grants`` are grant numbers named in the federal research
    statement (``AG034605``); ``paired_papers`` OpenAlex work ids (``W2789872951``)
    of papers Pap2Pat pairs with the patent.
    """

    number: str
    kind: str
    title: str | None = None
    abstract: str | None = None
    kind_code: str | None = None
    application_number: str | None = None
    filed: str | None = None
    published: str | None = None
    inventors: tuple[Inventor, ...] = ()
    assignees: tuple[Assignee, ...] = ()
    cpc: tuple[str, ...] = ()
    ipc: tuple[str, ...] = ()
    uspc: tuple[str, ...] = ()
    cited_patents: tuple[CitedPatent, ...] = ()
    cited_papers: tuple[CitedPaper, ...] = ()
    grants: tuple[str, ...] = ()
    paired_papers: tuple[str, ...] = ()

    @property
    def publication_id(self) -> str:
        """The number with its kind code (``US8930553B2``) when the code is known."""
        return self.number + (self.kind_code or "")


@dataclass(frozen=True, slots=True)
class PaperPatentPair:
    """The paper side of a Pap2Pat paper-patent pair (``paper.json``): a paper by
    people who are also inventors of ``patent_number``.

    ``work_id`` is the OpenAlex work id (``W2789872951``); ``authors`` are full names
    in source order ("Randall J. Bateman").
    """

    work_id: str
    patent_number: str | None
    title: str | None = None
    date: str | None = None
    abstract: str | None = None
    authors: tuple[str, ...] = ()
