"""Triples for grants (NIH RePORTER) and patents (USPTO, Pap2Pat), written through a
:class:`graph.build.GraphBuilder`.

Grants
    The grant node is ``Minter.grant(core project number, agency)`` with the agency
    spelled the way PubMed spells it ("NIDCR NIH HHS"), so the RePORTER project and
    every PubMed paper acknowledging it (``DE032063``) share one ``vivo:Grant``. A
    component of a multi-project award is its own grant, ``{core grant}/sub-{id}``,
    ``dcterms:isPartOf`` the core grant. Each principal investigator is a person
    mention ``{grant}/pi/{profile id}`` typed ``vivo:PrincipalInvestigatorRole``: the
    role node of VIVO's PI pattern (grant ``vivo:relates`` role) is the mention, the
    same way a ``vivo:Authorship`` is, and resolution's ``hg:resolvedTo`` stands in for
    VIVO's role-to-person link (persons live only in the resolution graph).

Patents
    ``bibo:Patent`` nodes are ``Minter.patent(number)`` with the number normalised
    (``US8930553``, ``US20050004437``: no kind code, no leading zeros), so a cited
    patent and the patent's own record meet. Inventors are person mentions
    ``{patent}/inventor/{rank}`` linked with ``hg:inventor``; assignees are
    organisations (``vivo:assignee``). Papers a patent cites are ``dcterms:references``;
    the paper Pap2Pat pairs with it is ``dcterms:relation`` (a related work by the same
    people, not a citation), both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from graph import ntriples as nt
from graph.build import ORG_KIND_CLASSES, GraphBuilder
from graph.model import OrgRef
from graph.model_grants_patents import (
    Patent, PaperPatentPair, PrincipalInvestigator, Project, ProjectOrganization,
)
from graph.namespaces import BIBO, DCTERMS, FABIO, FOAF, HG, MESH, RDF, RDFS, SCHEMA, SKOS, VIVO
from graph.uris import Minter, slug

__all__ = [
    "HHS_AGENCIES",
    "pubmed_agency",
    "funder_org",
    "project_grant_iri",
    "pi_mention_iri",
    "openalex_paper_iri",
    "name_case",
    "write_grant",
    "write_patent",
    "write_paired_paper",
    "patent_grant_iri",
]

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
RELATES = f"<{VIVO}relates>"
RELATED_BY = f"<{VIVO}relatedBy>"
_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

#: HHS operating divisions other than NIH that PubMed names as "<code> HHS".
HHS_AGENCIES = frozenset({"AHRQ", "CDC", "FDA", "HRSA", "SAMHSA", "ACF", "ACL", "CMS", "IHS", "ASPR"})

#: Classes for organisation kinds graph.build does not know.
_EXTRA_KINDS = {
    "company": f"<{VIVO}PrivateCompany>",
    "government": f"<{VIVO}GovernmentAgency>",
}


def _date_literal(date: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}.get(len(date))
    return nt.typed(date, kind) if kind else nt.lit(date)


def name_case(text: str | None) -> str | None:
    """``"Smith"`` for an all-capitals ``"SMITH"`` (RePORTER writes many names so);
    mixed case is kept. All capitals would make short given names read as initials."""
    if not text:
        return text
    return text.title() if text.isupper() else text


# -- grants -------------------------------------------------------------------------------


def pubmed_agency(project: Project) -> str:
    """The funding agency of a RePORTER project as PubMed's GrantList spells it
    ("NIDCR NIH HHS", "NIH HHS" for the Office of the Director, "AHRQ HHS")."""
    agency = (project.agency_code or "NIH").upper()
    ic = (project.ic_abbreviation or project.ic_code or "").upper()
    if agency == "NIH":
        return "NIH HHS" if ic in ("", "OD", "NIH") else f"{ic} NIH HHS"
    if agency in HHS_AGENCIES:
        return f"{agency} HHS"
    return agency


def funder_org(minter: Minter, project: Project) -> OrgRef:
    """The administering institute as the funder organisation PubMed grants point to
    (``org/funder-nidcr-nih-hhs``), labelled with its full name."""
    agency = pubmed_agency(project)
    label = project.ic_name or agency
    return OrgRef(minter.org("funder-" + slug(agency)), label, "funder")


def project_grant_iri(minter: Minter, project: Project) -> str:
    """The grant a RePORTER record is about; a subproject is a part of the core grant."""
    number = project.grant_number
    if number is None:
        raise ValueError("a project needs a project number")
    core = minter.grant(number, pubmed_agency(project))
    if project.subproject_id:
        return f"{core}/sub-{slug(project.subproject_id)}"
    return core


def pi_mention_iri(grant_iri: str, pi: PrincipalInvestigator) -> str:
    """``{grant}/pi/{profile id}``, or ``{grant}/pi/name-{name}`` without a profile id."""
    if pi.profile_id:
        return f"{grant_iri}/pi/{slug(pi.profile_id)}"
    name = pi.full_name or " ".join(p for p in (pi.first_name, pi.middle_name, pi.last_name) if p)
    return f"{grant_iri}/pi/name-{slug(name or 'unknown')}"


def _pi_key(pi: PrincipalInvestigator) -> str:
    return pi.profile_id or (pi.full_name or f"{pi.first_name} {pi.last_name}").casefold()


def _org_text(org: ProjectOrganization) -> str:
    return ", ".join(p for p in (org.name, org.city, org.state, org.country) if p)


def write_grant(
    builder: GraphBuilder,
    projects: Sequence[Project],
    recipients: Sequence[tuple[OrgRef, ...]],
    funder: OrgRef | None,
    topics: Iterable[tuple[str, str]] = (),
) -> str:
    """One grant from the RePORTER records of it in a file (one per fiscal year, all with
    the same :func:`project_grant_iri`); ``recipients[i]`` are the organisations
    ``projects[i]``'s organisation resolved to; ``topics`` (MeSH UI, label) pairs.
    Returns the grant IRI."""
    if not projects:
        raise ValueError("a grant needs at least one project record")
    minter = builder.minter
    ordered = sorted(zip(projects, recipients, strict=True),
                     key=lambda pr: (pr[0].fiscal_year or 0, pr[0].appl_id or ""))
    latest = ordered[-1][0]
    iri = project_grant_iri(minter, latest)
    g = nt.iri(iri)
    builder.first(g)
    lines = [f"{g} {A} <{VIVO}Grant> .\n"]
    add = lines.append
    title = next((p.title for p, _ in reversed(ordered) if p.title), None)
    add(f"{g} {LABEL} {nt.lit(title or latest.grant_number or '')} .\n")
    if title:
        add(f"{g} <{DCTERMS}title> {nt.lit(title)} .\n")
    abstract = next((p.abstract or p.public_health_relevance for p, _ in reversed(ordered)
                     if p.abstract or p.public_health_relevance), None)
    if abstract:
        add(f"{g} <{VIVO}description> {nt.lit(abstract)} .\n")
    numbers = dict.fromkeys(n for p, _ in ordered for n in (p.core_project_num, p.project_num) if n)
    for number in numbers:
        add(f"{g} <{VIVO}sponsorAwardId> {nt.lit(number)} .\n")
    for year in sorted({p.fiscal_year for p, _ in ordered if p.fiscal_year}):
        add(f'{g} <{HG}fiscalYear> "{year:04d}"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
    amounts = [p.award_amount for p, _ in ordered if p.award_amount is not None]
    if amounts:
        add(f"{g} <{VIVO}totalAwardAmount> {nt.decimal(sum(amounts))} .\n")
    direct = [p.direct_cost for p, _ in ordered if p.direct_cost is not None]
    if direct:
        add(f"{g} <{VIVO}grantDirectCosts> {nt.decimal(sum(direct))} .\n")
    starts = sorted(p.project_start for p, _ in ordered if p.project_start)
    ends = sorted(p.project_end for p, _ in ordered if p.project_end)
    if starts:
        add(f"{g} <{SCHEMA}startDate> {_date_literal(starts[0])} .\n")
    if ends:
        add(f"{g} <{SCHEMA}endDate> {_date_literal(ends[-1])} .\n")
    for code in dict.fromkeys(p.activity_code for p, _ in ordered if p.activity_code):
        add(f"{g} <{HG}activityCode> {nt.lit(code)} .\n")
    for url in dict.fromkeys(p.detail_url for p, _ in ordered if p.detail_url):
        add(f"{g} <{FOAF}page> {nt.iri(url)} .\n")
    if latest.subproject_id and latest.grant_number:
        core = minter.grant(latest.grant_number, pubmed_agency(latest))
        c = nt.iri(core)
        add(f"{g} <{DCTERMS}isPartOf> {c} .\n")
        if builder.first(c):
            add(f"{c} {A} <{VIVO}Grant> .\n")
            add(f"{c} <{VIVO}sponsorAwardId> {nt.lit(latest.grant_number)} .\n")
    if funder is not None:
        add(f"{g} <{VIVO}assignedBy> {nt.iri(funder.iri)} .\n")
        if funder.describe and builder.first(nt.iri(funder.iri)):
            _describe_org(funder, lines)
            if latest.ic_abbreviation:
                add(f"{nt.iri(funder.iri)} <{HG}acronym> {nt.lit(latest.ic_abbreviation)} .\n")
    for project, orgs in ordered:
        for org in orgs:
            o = nt.iri(org.iri)
            add(f"{g} <{HG}grantee> {o} .\n")
            add(f"{g} {RELATES} {o} .\n")
            org_lines(builder, org, lines)
            if project.organization is not None and org.kind != "department":
                _external_ids(o, project.organization, lines)
    for term in dict.fromkeys(t for p, _ in ordered for t in p.terms):
        add(f"{g} <{VIVO}freetextKeyword> {nt.lit(term)} .\n")
    for ui, label in topics:
        d = nt.iri(MESH + ui)
        add(f"{g} <{VIVO}hasSubjectArea> {d} .\n")
        if builder.first("concept " + d):
            _concept_lines(d, ui, label, lines)
    _principal_investigators(builder, g, ordered, lines)
    builder.emit(lines)
    return iri


def _external_ids(o: str, org: ProjectOrganization, lines: list[str]) -> None:
    ids = [f"duns:{d}" for d in org.duns] + [f"uei:{u}" for u in org.ueis]
    if org.ipf_code:
        ids.append(f"nih-ipf:{org.ipf_code}")
    lines.extend(f"{o} <{HG}externalId> {nt.lit(value)} .\n" for value in dict.fromkeys(ids))


def _principal_investigators(
    builder: GraphBuilder, g: str, ordered: Sequence[tuple[Project, tuple[OrgRef, ...]]],
    lines: list[str],
) -> None:
    """Each PI once per grant (the latest record's spelling), contact PI if contact in any
    year, affiliated with the organisations of the years they were PI."""
    pis: dict[str, PrincipalInvestigator] = {}
    contact: dict[str, bool] = {}
    orgs: dict[str, dict[OrgRef, None]] = {}
    texts: dict[str, dict[str, None]] = {}
    for project, recipients in ordered:
        for pi in project.principal_investigators:
            key = _pi_key(pi)
            pis[key] = pi
            contact[key] = contact.get(key, False) or pi.is_contact
            orgs.setdefault(key, {}).update(dict.fromkeys(recipients))
            if project.organization is not None:
                texts.setdefault(key, {})[_org_text(project.organization)] = None
    add = lines.append
    grant_iri = g[1:-1]
    for key, pi in pis.items():
        m = nt.iri(pi_mention_iri(grant_iri, pi))
        add(f"{g} {RELATES} {m} .\n")
        add(f"{m} {RELATED_BY} {g} .\n")
        add(f"{m} {A} <{VIVO}PrincipalInvestigatorRole> .\n")
        given = " ".join(p for p in (name_case(pi.first_name), name_case(pi.middle_name)) if p) or None
        builder.mention(m, name_case(pi.last_name), given, None, None, lines)
        if pi.profile_id:
            add(f"{m} <{HG}piProfileId> {nt.lit(pi.profile_id)} .\n")
        add(f"{m} <{HG}contactPi> {nt.boolean(contact[key])} .\n")
        for text in texts.get(key, {}):
            add(f"{m} <{HG}affiliationText> {nt.lit(text)} .\n")
        for org in orgs.get(key, {}):
            add(f"{m} <{HG}affiliation> {nt.iri(org.iri)} .\n")


def _concept_lines(d: str, ui: str, label: str, lines: list[str]) -> None:
    name = nt.lit(label)
    lines.append(f"{d} {A} <{SKOS}Concept> .\n")
    lines.append(f"{d} <{SKOS}prefLabel> {name} .\n")
    lines.append(f"{d} {LABEL} {name} .\n")
    lines.append(f'{d} <{SKOS}notation> "{ui}" .\n')
    lines.append(f"{d} <{SKOS}inScheme> <{MESH}> .\n")


# -- organisations --------------------------------------------------------------------------


def org_lines(builder: GraphBuilder, org: OrgRef, lines: list[str]) -> None:
    """Describe an organisation once per graph; companies and government agencies get
    ``vivo:PrivateCompany`` / ``vivo:GovernmentAgency`` (graph.build knows only the
    kinds of affiliations)."""
    if org.kind not in _EXTRA_KINDS:
        builder.org_lines(org, lines)
        return
    o = nt.iri(org.iri)
    if not org.describe or not builder.first(o):
        return
    _describe_org(org, lines)


def _describe_org(org: OrgRef, lines: list[str]) -> None:
    o = nt.iri(org.iri)
    cls = _EXTRA_KINDS.get(org.kind) or ORG_KIND_CLASSES.get(org.kind, ORG_KIND_CLASSES["institution"])
    lines.append(f"{o} {A} <{FOAF}Organization> .\n")
    lines.append(f"{o} {A} {cls} .\n")
    lines.append(f"{o} {LABEL} {nt.lit(org.label)} .\n")
    if org.parent:
        lines.append(f"{o} <http://www.w3.org/ns/org#subOrganizationOf> {nt.iri(org.parent)} .\n")


# -- patents --------------------------------------------------------------------------------


def openalex_paper_iri(minter: Minter, work_id: str) -> str:
    """A paper known by its OpenAlex work id only (``paper/openalex-W2789872951``)."""
    return f"{minter.base}paper/openalex-{work_id.upper()}"


def patent_grant_iri(minter: Minter, number: str) -> str:
    """The grant a patent's federal research statement names (NIH numbers join PubMed's)."""
    return minter.grant(number, "NIH")


def _patent_stub(builder: GraphBuilder, iri: str, number: str, lines: list[str]) -> None:
    c = nt.iri(iri)
    if builder.first(c):
        lines.append(f"{c} {A} <{BIBO}Patent> .\n")
        lines.append(f"{c} <{VIVO}patentNumber> {nt.lit(number)} .\n")


def write_patent(
    builder: GraphBuilder,
    patent: Patent,
    assignees: Sequence[OrgRef],
    cited_papers: Sequence[str] = (),
    paired_papers: Sequence[str] = (),
) -> str:
    """A patent with its inventors (person mentions affiliated with the organisation
    assignees), assignees, classification codes, cited patents, cited papers (IRIs),
    supporting grants and paired papers (IRIs). Returns the patent IRI."""
    minter = builder.minter
    iri = minter.patent(patent.number)
    p = nt.iri(iri)
    builder.first(p)
    lines = [
        f"{p} {A} <{BIBO}Patent> .\n",
        f"{p} {LABEL} {nt.lit(patent.title or patent.number)} .\n",
        f"{p} <{VIVO}patentNumber> {nt.lit(patent.number)} .\n",
        f"{p} <{DCTERMS}identifier> {nt.lit(patent.publication_id)} .\n",
        f"{p} <{HG}patentKind> {nt.lit(patent.kind)} .\n",
    ]
    add = lines.append
    if patent.title:
        add(f"{p} <{DCTERMS}title> {nt.lit(patent.title)} .\n")
    if patent.abstract:
        add(f"{p} <{BIBO}abstract> {nt.lit(patent.abstract)} .\n")
    if patent.filed:
        add(f"{p} <{DCTERMS}dateSubmitted> {_date_literal(patent.filed)} .\n")
    if patent.published:
        add(f"{p} <{DCTERMS}issued> {_date_literal(patent.published)} .\n")
    if patent.application_number:
        add(f"{p} <{HG}applicationNumber> {nt.lit(patent.application_number)} .\n")
    for predicate, codes in (("cpcCode", patent.cpc), ("ipcCode", patent.ipc), ("uspcCode", patent.uspc)):
        for code in codes:
            add(f"{p} <{HG}{predicate}> {nt.lit(code)} .\n")
    for org in assignees:
        add(f"{p} <{VIVO}assignee> {nt.iri(org.iri)} .\n")
        org_lines(builder, org, lines)
    for inventor in patent.inventors:
        m = nt.iri(f"{iri}/inventor/{inventor.rank}")
        add(f"{p} <{HG}inventor> {m} .\n")
        add(f"{m} <{VIVO}rank> \"{inventor.rank}\"^^<{_INTEGER}> .\n")
        builder.mention(m, name_case(inventor.family_name), name_case(inventor.given_name), None, None, lines)
        if inventor.location:
            add(f"{m} <{HG}affiliationText> {nt.lit(inventor.location)} .\n")
        for org in assignees:
            add(f"{m} <{HG}affiliation> {nt.iri(org.iri)} .\n")
    for cited in patent.cited_patents:
        if cited.number == patent.number:
            continue
        c = minter.patent(cited.number)
        add(f"{p} <{DCTERMS}references> {nt.iri(c)} .\n")
        _patent_stub(builder, c, cited.number, lines)
    for paper in dict.fromkeys(cited_papers):
        add(f"{p} <{DCTERMS}references> {nt.iri(paper)} .\n")
    for number in dict.fromkeys(patent.grants):
        g = nt.iri(patent_grant_iri(minter, number))
        add(f"{p} <{VIVO}informationResourceSupportedBy> {g} .\n")
        if builder.first(g):
            add(f"{g} {A} <{VIVO}Grant> .\n")
            add(f"{g} <{VIVO}sponsorAwardId> {nt.lit(number)} .\n")
    for paper in dict.fromkeys(paired_papers):
        add(f"{p} <{DCTERMS}relation> {nt.iri(paper)} .\n")
    builder.emit(lines)
    return iri


_YEAR = re.compile(r"^(\d{4})")


def write_paired_paper(
    builder: GraphBuilder, pair: PaperPatentPair,
    authors: Sequence[tuple[str | None, str | None]], iri: str | None = None, describe: bool = True,
) -> str:
    """The paper of a Pap2Pat pair, related to its patent, with its OpenAlex id
    (``hg:externalId "openalex:W…"``, as the OpenAlex source writes it).

    ``iri`` is the paper node (default: :func:`openalex_paper_iri`). When ``describe``
    (no other source describes the paper) it gets its title, date, abstract and its
    authors as a ranked author list of authorship mentions
    (``{paper}/authorship/{rank}``); ``authors`` are the (family, given) names of
    ``pair.authors``. Returns the paper IRI.
    """
    minter = builder.minter
    iri = iri or openalex_paper_iri(minter, pair.work_id)
    p = nt.iri(iri)
    builder.first(p)
    lines = [f"{p} <{HG}externalId> {nt.lit('openalex:' + pair.work_id)} .\n"]
    add = lines.append
    if describe:
        title = nt.lit(pair.title or pair.work_id)
        add(f"{p} {A} <{BIBO}AcademicArticle> .\n")
        add(f"{p} {LABEL} {title} .\n")
        if pair.title:
            add(f"{p} <{DCTERMS}title> {title} .\n")
        if pair.abstract:
            add(f"{p} <{BIBO}abstract> {nt.lit(pair.abstract)} .\n")
        if pair.date:
            add(f"{p} <{DCTERMS}issued> {_date_literal(pair.date)} .\n")
            if year := _YEAR.match(pair.date):
                add(f'{p} <{FABIO}hasPublicationYear> "{year.group(1)}"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
        for rank, (family, given) in enumerate(authors, start=1):
            if not (family or given):
                continue
            a = nt.iri(f"{iri}/authorship/{rank}")
            add(f"{a} {A} <{VIVO}Authorship> .\n")
            add(f"{a} <{VIVO}rank> \"{rank}\"^^<{_INTEGER}> .\n")
            add(f"{a} {RELATES} {p} .\n")
            add(f"{p} {RELATED_BY} {a} .\n")
            builder.mention(a, family, given, None, None, lines)
    if pair.patent_number:
        c = minter.patent(pair.patent_number)
        add(f"{p} <{DCTERMS}relation> {nt.iri(c)} .\n")
        _patent_stub(builder, c, pair.patent_number, lines)
    builder.emit(lines)
    return iri
