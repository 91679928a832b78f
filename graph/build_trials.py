"""ClinicalTrials.gov studies as triples, written through a :class:`~graph.build.GraphBuilder`.

The model (schema.org first, Dublin Core and hubgraph terms where schema.org has none)::

    <trial/NCT05269394> a schema:MedicalTrial ;            # + schema:MedicalObservationalStudy
        rdfs:label / schema:name "brief title" ;           #   for observational studies
        dcterms:title "official title" ; schema:alternateName "DIAN-TU" ;
        dcterms:identifier "NCT05269394" ; schema:url <https://clinicaltrials.gov/study/NCT05269394> ;
        schema:description "brief summary" ;
        schema:status "ACTIVE_NOT_RECRUITING" ; schema:phase "PHASE2", "PHASE3" ;
        hg:studyType "INTERVENTIONAL" ;
        schema:startDate "2021-12-22"^^xsd:date ; schema:endDate "2028-07"^^xsd:gYearMonth ;
        schema:healthCondition mesh:D000544, "Alzheimers Disease, Familial" ;  # MeSH or free text
        schema:keywords "..." ;
        schema:studySubject <trial/NCT05269394/intervention/1> ;
        schema:sponsor <org/ror-01yc7t268> ;                 # lead sponsor
        dcterms:contributor <org/ror-049v75w11> ;          # collaborators
        dcterms:references <paper/pmid-23332364> ;         # every cited PMID
        schema:subjectOf <paper/pmid-36449413> ;           # results and PubMed-derived citations
        hg:investigator <trial/NCT05269394/official/1> .

    <trial/NCT05269394/intervention/1> a schema:Drug ;     # schema:MedicalDevice for devices, ...
        rdfs:label / schema:name "E2814" ; schema:description "..." ;
        schema:alternateName "other name" ; hg:interventionType "DRUG" .

    <trial/NCT05269394/official/1> a hg:PersonMention ;    # resolved to a foaf:Person later
        hg:nameAsWritten "Bateman RJ" ; hg:mentionFamilyName "Bateman" ;
        hg:mentionGivenName "Randall J" ; hg:mentionInitials "RJ" ;
        schema:roleName "Study Director" ;
        hg:affiliation <org/...> ; hg:affiliationText "Washington University School of Medicine" .

Papers are only linked (``minter.paper(pmid)``), never described: the PubMed ingest describes
them. MeSH conditions are described as ``skos:Concept`` with the label the record gives, like
PubMed headings.
"""

from __future__ import annotations

import re

from graph import ntriples as nt
from graph.build import GraphBuilder
from graph.model import OrgRef
from graph.model_trials import Trial, TrialOrgs
from graph.namespaces import DCTERMS, HG, MESH, RDF, RDFS, SCHEMA, SKOS, VIVO

__all__ = ["write_trial", "INTERVENTION_CLASSES", "SPONSOR_CLASS_TYPES", "TRIAL_PAGE"]

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
NAME = f"<{SCHEMA}name>"

#: The public page of a study, for schema:url.
TRIAL_PAGE = "https://clinicaltrials.gov/study/"

#: schema.org class of each CT.gov intervention type (the type itself is kept as hg:interventionType).
INTERVENTION_CLASSES: dict[str, str] = {
    "DRUG": f"{SCHEMA}Drug",
    "BIOLOGICAL": f"{SCHEMA}Drug",  # schema:Drug is "a chemical or biologic substance"
    "DEVICE": f"{SCHEMA}MedicalDevice",
    "PROCEDURE": f"{SCHEMA}MedicalProcedure",
    "RADIATION": f"{SCHEMA}RadiationTherapy",
    "BEHAVIORAL": f"{SCHEMA}MedicalTherapy",
    "DIETARY_SUPPLEMENT": f"{SCHEMA}DietarySupplement",
    "DIAGNOSTIC_TEST": f"{SCHEMA}MedicalTest",
}
_OTHER_INTERVENTION = f"{SCHEMA}MedicalEntity"  # GENETIC, COMBINATION_PRODUCT, OTHER, unknown

#: Extra class of an organisation this source names (not one ROR describes) by sponsor class.
SPONSOR_CLASS_TYPES: dict[str, str] = {
    "INDUSTRY": f"{VIVO}PrivateCompany",
    "NIH": f"{VIVO}GovernmentAgency",
    "FED": f"{VIVO}GovernmentAgency",
    "OTHER_GOV": f"{VIVO}GovernmentAgency",
}

#: References that report on the trial itself (results, and PubMed records naming its NCT id).
_ABOUT_TRIAL = frozenset({"RESULT", "DERIVED"})

_DESCRIPTOR_UI = re.compile(r"^[DCQ]\d{6,9}$")


def _date_literal(date: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}.get(len(date))
    return nt.typed(date, kind) if kind else nt.lit(date)


def write_trial(builder: GraphBuilder, trial: Trial, orgs: TrialOrgs | None = None) -> str:
    """Write one study (see the module doc for the model); return the trial's IRI.

    ``orgs`` holds the organisations the sponsor, collaborator and affiliation names resolved
    to; without it no organisation is linked (names stay as text on the mentions).
    """
    orgs = orgs or TrialOrgs()
    iri = builder.minter.trial(trial.nct_id)
    t = nt.iri(iri)
    title = nt.lit(trial.title)
    lines = [
        f"{t} {A} <{SCHEMA}MedicalTrial> .\n",
        f"{t} {LABEL} {title} .\n",
        f"{t} {NAME} {title} .\n",
        f"{t} <{DCTERMS}identifier> {nt.lit(trial.nct_id)} .\n",
        f"{t} <{SCHEMA}url> {nt.iri(TRIAL_PAGE + trial.nct_id)} .\n",
    ]
    add = lines.append
    if trial.study_type == "OBSERVATIONAL":
        add(f"{t} {A} <{SCHEMA}MedicalObservationalStudy> .\n")
    if trial.study_type:
        add(f"{t} <{HG}studyType> {nt.lit(trial.study_type)} .\n")
    if trial.official_title and trial.official_title != trial.title:
        add(f"{t} <{DCTERMS}title> {nt.lit(trial.official_title)} .\n")
    if trial.acronym:
        add(f"{t} <{SCHEMA}alternateName> {nt.lit(trial.acronym)} .\n")
    if trial.brief_summary:
        add(f"{t} <{SCHEMA}description> {nt.lit(trial.brief_summary)} .\n")
    if trial.status:
        add(f"{t} <{SCHEMA}status> {nt.lit(trial.status)} .\n")
    for phase in trial.phases:
        add(f"{t} <{SCHEMA}phase> {nt.lit(phase)} .\n")
    if trial.start_date:
        add(f"{t} <{SCHEMA}startDate> {_date_literal(trial.start_date)} .\n")
    if trial.completion_date:
        add(f"{t} <{SCHEMA}endDate> {_date_literal(trial.completion_date)} .\n")
    for keyword in trial.keywords:
        add(f"{t} <{SCHEMA}keywords> {nt.lit(keyword)} .\n")
    _conditions(builder, t, trial, lines)
    _interventions(t, iri, trial, lines)
    if orgs.sponsor is not None:
        add(f"{t} <{SCHEMA}sponsor> {nt.iri(orgs.sponsor.iri)} .\n")
        _org(builder, orgs.sponsor, trial.lead_sponsor.sponsor_class if trial.lead_sponsor else None, lines)
    for collaborator, org in zip(trial.collaborators, orgs.collaborators):
        if org is None or (orgs.sponsor is not None and org.iri == orgs.sponsor.iri):
            continue
        add(f"{t} <{DCTERMS}contributor> {nt.iri(org.iri)} .\n")
        _org(builder, org, collaborator.sponsor_class, lines)
    for ref in trial.references:
        if not ref.pmid:
            continue
        paper = nt.iri(builder.minter.paper(ref.pmid))
        add(f"{t} <{DCTERMS}references> {paper} .\n")
        if ref.kind in _ABOUT_TRIAL:
            add(f"{t} <{SCHEMA}subjectOf> {paper} .\n")
    _officials(builder, t, iri, trial, orgs, lines)
    builder.emit(lines)
    return iri


def _conditions(builder: GraphBuilder, t: str, trial: Trial, lines: list[str]) -> None:
    """MeSH conditions as concepts (NLM's terms first, so their labels win), the rest as text."""
    linked: set[str] = set()
    labels = [(term.ui, term.label) for term in trial.condition_mesh]
    labels += [(c.ui, c.text) for c in trial.conditions]
    for ui, label in labels:
        if not ui or not _DESCRIPTOR_UI.match(ui) or ui in linked:
            continue
        linked.add(ui)
        d = nt.iri(MESH + ui)
        lines.append(f"{t} <{SCHEMA}healthCondition> {d} .\n")
        if builder.first("concept " + d):
            name = nt.lit(label)
            lines.append(f"{d} {A} <{SKOS}Concept> .\n")
            lines.append(f"{d} <{SKOS}prefLabel> {name} .\n")
            lines.append(f"{d} {LABEL} {name} .\n")
            lines.append(f'{d} <{SKOS}notation> "{ui}" .\n')
            lines.append(f"{d} <{SKOS}inScheme> <{MESH}> .\n")
    for condition in trial.conditions:
        if not (condition.ui and _DESCRIPTOR_UI.match(condition.ui)):
            lines.append(f"{t} <{SCHEMA}healthCondition> {nt.lit(condition.text)} .\n")


def _interventions(t: str, iri: str, trial: Trial, lines: list[str]) -> None:
    add = lines.append
    for n, item in enumerate(trial.interventions, start=1):
        i = nt.iri(f"{iri}/intervention/{n}")
        name = nt.lit(item.name)
        add(f"{t} <{SCHEMA}studySubject> {i} .\n")
        add(f"{i} {A} <{INTERVENTION_CLASSES.get(item.kind or '', _OTHER_INTERVENTION)}> .\n")
        add(f"{i} {LABEL} {name} .\n")
        add(f"{i} {NAME} {name} .\n")
        if item.kind:
            add(f"{i} <{HG}interventionType> {nt.lit(item.kind)} .\n")
        if item.description:
            add(f"{i} <{SCHEMA}description> {nt.lit(item.description)} .\n")
        for other in item.other_names:
            add(f"{i} <{SCHEMA}alternateName> {nt.lit(other)} .\n")


def _officials(builder: GraphBuilder, t: str, iri: str, trial: Trial, orgs: TrialOrgs,
               lines: list[str]) -> None:
    """Each official who is a person, as a person mention linked from the trial."""
    add = lines.append
    n = 0
    for position, official in enumerate(trial.officials):
        if not official.is_person:
            continue
        n += 1
        m = nt.iri(f"{iri}/official/{n}")
        add(f"{t} <{HG}investigator> {m} .\n")
        builder.mention(m, official.family, official.given, official.initials, None, lines)
        if official.role:
            add(f"{m} <{SCHEMA}roleName> {nt.lit(official.role)} .\n")
        if official.affiliation:
            add(f"{m} <{HG}affiliationText> {nt.lit(official.affiliation)} .\n")
        affiliations = orgs.officials[position] if position < len(orgs.officials) else ()
        for org in affiliations:
            add(f"{m} <{HG}affiliation> {nt.iri(org.iri)} .\n")
            builder.org_lines(org, lines)


def _org(builder: GraphBuilder, org: OrgRef, sponsor_class: str | None, lines: list[str]) -> None:
    """An organisation, described when this source is the one naming it; a company or agency
    this source mints gets the class its sponsor class says."""
    builder.org_lines(org, lines)
    extra = SPONSOR_CLASS_TYPES.get(sponsor_class or "")
    if extra and org.describe and org.kind not in ("hospital", "university", "department"):
        o = nt.iri(org.iri)
        if builder.first(f"class {extra} {o}"):
            lines.append(f"{o} {A} <{extra}> .\n")
