"""Triples of the scholarly sources: ORCID records, OpenAlex entities, Crossref works.

:class:`ScholarlyBuilder` writes through a :class:`graph.build.GraphBuilder` (so that
shared entities are described once per graph and person mentions have the one shape
identity resolution reads). The converters in :mod:`ingest` decide, for each work,
which paper it lands on and what this source may say about it (:class:`PaperSlot`):

* a paper another source describes (PubMed for a PMID, or the first source of a
  DOI-only paper) gets only links from this one;
* a DOI-only paper no other source describes gets its title, date, journal, keywords
  and topics from this one;
* a paper's ranked author list (``vivo:Authorship`` with ``vivo:rank`` from 1) comes
  from one source only: PubMed, a works table, or the first of Crossref / OpenAlex to
  give one for a DOI-only paper. Every other author statement is an
  ``hg:ClaimedAuthorship``: a person mention with an ORCID iD that ``hg:claims`` the
  paper, with no rank and no ``vivo:relates``, so that each ``vivo:Authorship`` keeps
  exactly one paper, one person and a gap-free rank.

IRIs (under the store's base): ``orcid-record/{orcid}`` for an ORCID record's owner,
``orcid-record/{orcid}/employment/{put-code}`` for an employment,
``openalex-author/{A-id}`` for an OpenAlex author, ``{paper}/{source}-authorship/{n}``
for the n-th author of a source's ranked author list and
``{paper}/{source}-authorship/{orcid}`` for a claim (``{paper}/orcid-authorship/{orcid}``
for an ORCID record's).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from graph import ntriples as nt
from graph.build import ORG_KIND_CLASSES, GraphBuilder
from graph.model import OrgRef
from graph.model_scholarly import OpenAlexInstitution, PaperSlot, Topic, Work, WorkAuthor
from graph.namespaces import (
    BIBO, DCTERMS, FABIO, FOAF, GEONAMES, HG, MESH, ORG, OWL, RDF, RDFS, ROR, SCHEMA, SKOS,
    VIVO,
)

__all__ = ["ScholarlyBuilder", "OPENALEX", "OPENALEX_TOPICS"]

OPENALEX = "https://openalex.org/"
#: The concept scheme of OpenAlex topics, subfields, fields and domains.
OPENALEX_TOPICS = f"{OPENALEX}topics"

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
RELATES = f"<{VIVO}relates>"
RELATED_BY = f"<{VIVO}relatedBy>"
EXTERNAL_ID = f"<{HG}externalId>"
GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"


def _date_literal(date: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}.get(len(date))
    return nt.typed(date, kind) if kind else nt.lit(date)


class ScholarlyBuilder:
    """Writes ORCID, OpenAlex and Crossref records through one :class:`GraphBuilder`."""

    def __init__(self, builder: GraphBuilder):
        self.builder = builder
        self.minter = builder.minter
        self.base = builder.minter.base

    # -- IRIs -------------------------------------------------------------------

    def orcid_record(self, orcid: str) -> str:
        """The person mention of an ORCID record's owner."""
        return f"{self.base}orcid-record/{orcid}"

    def orcid_authorship(self, paper: str, orcid: str) -> str:
        """An ORCID record's claim to have authored ``paper``."""
        return f"{paper}/orcid-authorship/{orcid}"

    def employment(self, orcid: str, key: str) -> str:
        return f"{self.orcid_record(orcid)}/employment/{quote(key, safe='-._~')}"

    def source_authorship(self, paper: str, source: str, key: int | str) -> str:
        """An author of ``paper`` in ``source``: the n-th of its ranked author list (``key`` an
        integer), or the person with ORCID iD ``key`` claimed as an author."""
        return f"{paper}/{source}-authorship/{key}"

    def openalex_author(self, openalex_id: str) -> str:
        return f"{self.base}openalex-author/{openalex_id}"

    # -- papers -----------------------------------------------------------------

    def paper(self, slot: PaperSlot, work: Work) -> None:
        """What ``work`` says about its paper: a description when this source describes it,
        else only the source's id for it."""
        p = nt.iri(slot.iri)
        lines: list[str] = []
        if work.source_id:
            lines.append(f"{p} {EXTERNAL_ID} {nt.lit(work.source_id)} .\n")
        if slot.describe:
            self._describe_paper(p, work, lines)
        self.builder.emit(lines)

    def _describe_paper(self, p: str, work: Work, lines: list[str]) -> None:
        add = lines.append
        title = nt.lit(work.title or work.doi or "")
        add(f"{p} {A} <{BIBO}AcademicArticle> .\n")
        add(f"{p} {LABEL} {title} .\n")
        if work.title:
            add(f"{p} <{DCTERMS}title> {title} .\n")
        if work.doi:
            add(f"{p} <{BIBO}doi> {nt.lit(work.doi)} .\n")
        if work.pmid:
            add(f'{p} <{BIBO}pmid> "{work.pmid}" .\n')
        if work.date:
            add(f"{p} <{DCTERMS}issued> {_date_literal(work.date)} .\n")
        if work.year:
            add(f'{p} <{FABIO}hasPublicationYear> "{work.year:04d}"^^<{GYEAR}> .\n')
        for predicate, value in ((f"{BIBO}volume", work.volume), (f"{BIBO}issue", work.issue),
                                 (f"{BIBO}pages", work.pages), (f"{DCTERMS}language", work.language),
                                 (f"{BIBO}abstract", work.abstract)):
            if value:
                add(f"{p} <{predicate}> {nt.lit(value)} .\n")
        if work.journal_title:
            j = nt.iri(self.minter.journal(None, work.issn, work.journal_title))
            add(f"{p} <{VIVO}hasPublicationVenue> {j} .\n")
            if self.builder.first(j):
                jt = nt.lit(work.journal_title)
                add(f"{j} {A} <{BIBO}Journal> .\n")
                add(f"{j} {LABEL} {jt} .\n")
                add(f"{j} <{DCTERMS}title> {jt} .\n")
                if work.issn:
                    add(f"{j} <{BIBO}issn> {nt.lit(work.issn)} .\n")
        for keyword in work.keywords:
            add(f"{p} <{VIVO}freetextKeyword> {nt.lit(keyword)} .\n")
        for topic in work.topics:
            self._topic(topic, lines)
        for iri in work.topic_iris:
            add(f"{p} <{VIVO}hasSubjectArea> {nt.iri(iri)} .\n")
        for ui in work.mesh_uis:
            add(f"{p} <{VIVO}hasSubjectArea> {nt.iri(MESH + ui)} .\n")

    def _topic(self, topic: Topic, lines: list[str]) -> None:
        """An OpenAlex topic (or subfield, field, domain) as a concept of the OpenAlex scheme."""
        t = nt.iri(topic.iri)
        if not self.builder.first("concept " + t):
            return
        scheme = nt.iri(OPENALEX_TOPICS)
        if self.builder.first("scheme " + scheme):
            lines.append(f"{scheme} {A} <{SKOS}ConceptScheme> .\n")
            lines.append(f"{scheme} {LABEL} {nt.lit('OpenAlex topics')} .\n")
        name = nt.lit(topic.label)
        lines.append(f"{t} {A} <{SKOS}Concept> .\n")
        lines.append(f"{t} <{SKOS}prefLabel> {name} .\n")
        lines.append(f"{t} {LABEL} {name} .\n")
        lines.append(f"{t} <{SKOS}inScheme> {scheme} .\n")
        if topic.broader:
            lines.append(f"{t} <{SKOS}broader> {nt.iri(topic.broader)} .\n")

    # -- authorships ---------------------------------------------------------------

    def ranked_authorship(self, paper: str, source: str, author: WorkAuthor,
                          orgs: Iterable[OrgRef]) -> None:
        """One author of the paper's ranked author list (a vivo:Authorship, or an
        hg:CollectiveAuthorship for a group author)."""
        if not author.named and not author.collective_name:
            return  # an author slot with no name at all: nothing to say about it
        a = nt.iri(self.source_authorship(paper, source, author.position))
        p = nt.iri(paper)
        lines = [
            f"{a} <{VIVO}rank> {nt.integer(author.position)} .\n",
            f"{a} {RELATES} {p} .\n",
            f"{p} {RELATED_BY} {a} .\n",
        ]
        if not author.named:
            lines.append(f"{a} {A} <{HG}CollectiveAuthorship> .\n")
            lines.append(f"{a} {LABEL} {nt.lit(author.collective_name or '')} .\n")
            self.builder.emit(lines)
            return
        lines.append(f"{a} {A} <{VIVO}Authorship> .\n")
        self._mention_body(a, author.family_name, author.given_name, author.orcid,
                           author.affiliations, orgs, author.source_id, lines)
        self.builder.emit(lines)

    def claimed_authorship(self, mention: str, paper: str, family: str | None, given: str | None,
                           orcid: str, affiliations: Iterable[str] = (), orgs: Iterable[OrgRef] = (),
                           source_id: str | None = None) -> None:
        """A person mention, identified by its ORCID iD, said to have authored ``paper``
        outside the paper's ranked author list."""
        m = nt.iri(mention)
        lines = [
            f"{m} {A} <{HG}ClaimedAuthorship> .\n",
            f"{m} <{HG}claims> {nt.iri(paper)} .\n",
        ]
        self._mention_body(m, family, given, orcid, affiliations, orgs, source_id, lines)
        self.builder.emit(lines)

    def _mention_body(self, m: str, family: str | None, given: str | None, orcid: str | None,
                      affiliations: Iterable[str], orgs: Iterable[OrgRef], source_id: str | None,
                      lines: list[str]) -> None:
        self.builder.mention(m, family, given, None, orcid, lines)
        for text in affiliations:
            lines.append(f"{m} <{HG}affiliationText> {nt.lit(text)} .\n")
        for org in orgs:
            lines.append(f"{m} <{HG}affiliation> {nt.iri(org.iri)} .\n")
            self.builder.org_lines(org, lines)
        if source_id:
            lines.append(f"{m} {EXTERNAL_ID} {nt.lit(source_id)} .\n")

    # -- people -----------------------------------------------------------------------

    def person_mention(self, mention: str, family: str | None, given: str | None, orcid: str | None,
                       source: str, orgs: Iterable[OrgRef] = (), source_id: str | None = None) -> None:
        """The person a profile describes (an ORCID record's owner, an OpenAlex author),
        as a mention taken from ``source`` (the profile's own IRI)."""
        m = nt.iri(mention)
        lines = [f"{m} <{DCTERMS}source> {nt.iri(source)} .\n"]
        self._mention_body(m, family, given, orcid, (), orgs, source_id, lines)
        self.builder.emit(lines)

    def affiliations(self, mention: str, orgs: Iterable[OrgRef]) -> None:
        """Organisations a person mention is affiliated with (hg:affiliation)."""
        m = nt.iri(mention)
        lines: list[str] = []
        for org in orgs:
            lines.append(f"{m} <{HG}affiliation> {nt.iri(org.iri)} .\n")
            self.builder.org_lines(org, lines)
        self.builder.emit(lines)

    def membership(self, iri: str, member: str, organization: OrgRef, role_title: str | None,
                   start: str | None, end: str | None) -> None:
        """An employment: ``member`` (a person mention) in ``organization``."""
        m = nt.iri(iri)
        lines = [
            f"{m} {A} <{ORG}Membership> .\n",
            f"{m} <{ORG}member> {nt.iri(member)} .\n",
            f"{m} <{ORG}organization> {nt.iri(organization.iri)} .\n",
        ]
        if role_title:
            lines.append(f"{m} {LABEL} {nt.lit(role_title)} .\n")
        if start:
            lines.append(f"{m} <{SCHEMA}startDate> {_date_literal(start)} .\n")
        if end:
            lines.append(f"{m} <{SCHEMA}endDate> {_date_literal(end)} .\n")
        self.builder.emit(lines)

    # -- organisations ------------------------------------------------------------------

    def organization(self, ref: OrgRef, ror_id: str | None = None) -> None:
        """An organisation a record names, described when ``ref.describe`` (with its ROR id
        when it has one)."""
        lines: list[str] = []
        o = nt.iri(ref.iri)
        if ror_id:
            if ref.describe and self.builder.first("organization " + o):
                self._ror_org_lines(o, ref.label, ref.kind, ror_id, lines)
        else:
            self.builder.org_lines(ref, lines)
        self.builder.emit(lines)

    def openalex_institution(self, iri: str, rec: OpenAlexInstitution, kind: str, describe: bool) -> None:
        """An OpenAlex institution on its ROR organisation (or a named organisation when it has
        no ROR id): fully described when no other source describes that organisation, else
        only its OpenAlex id is added."""
        o = nt.iri(iri)
        lines = [f"{o} {EXTERNAL_ID} {nt.lit('openalex:' + rec.openalex_id)} .\n"]
        add = lines.append
        if describe and self.builder.first("institution " + o):
            if rec.ror_id:
                self._ror_org_lines(o, rec.name, kind, rec.ror_id, lines)
            else:
                self.builder.org_lines(OrgRef(iri, rec.name, kind), lines)
            for alias in rec.alternatives:
                if alias != rec.name:
                    add(f"{o} <{SKOS}altLabel> {nt.lit(alias)} .\n")
            for acronym in rec.acronyms:
                add(f"{o} <{HG}acronym> {nt.lit(acronym)} .\n")
            if rec.homepage:
                add(f"{o} <{FOAF}homepage> {nt.iri(rec.homepage)} .\n")
            if rec.wikidata:
                add(f"{o} {EXTERNAL_ID} {nt.lit('wikidata:' + rec.wikidata)} .\n")
                add(f"{o} <{OWL}sameAs> <http://www.wikidata.org/entity/{rec.wikidata}> .\n")
            self._place(o, rec, lines)
            predicates = {"parent": f"<{ORG}subOrganizationOf>", "related": f"<{ORG}linkedTo>"}
            for kind_of, ror_id in rec.relationships:
                other = nt.iri(self.minter.ror_org(ror_id))
                if kind_of == "child":
                    add(f"{other} <{ORG}subOrganizationOf> {o} .\n")
                elif kind_of in predicates:
                    add(f"{o} {predicates[kind_of]} {other} .\n")
        self.builder.emit(lines)

    def _ror_org_lines(self, o: str, label: str, kind: str, ror_id: str, lines: list[str]) -> None:
        lines.append(f"{o} {A} <{FOAF}Organization> .\n")
        lines.append(f"{o} {A} {ORG_KIND_CLASSES.get(kind, ORG_KIND_CLASSES['institution'])} .\n")
        lines.append(f"{o} {LABEL} {nt.lit(label)} .\n")
        lines.append(f"{o} <{VIVO}rorId> {nt.lit(ror_id)} .\n")
        lines.append(f"{o} <{OWL}sameAs> <{ROR}{ror_id}> .\n")

    def _place(self, o: str, rec: OpenAlexInstitution, lines: list[str]) -> None:
        if not rec.geonames_id:
            return
        place = nt.iri(f"{GEONAMES}{rec.geonames_id}/")
        lines.append(f"{o} <{SCHEMA}location> {place} .\n")
        if not self.builder.first(place):
            return
        lines.append(f"{place} {A} <{SCHEMA}Place> .\n")
        if rec.city:
            lines.append(f"{place} {LABEL} {nt.lit(rec.city)} .\n")
        if rec.country_code:
            lines.append(f"{place} <{SCHEMA}addressCountry> {nt.lit(rec.country_code)} .\n")
        if rec.lat is not None and rec.lng is not None:
            lines.append(f"{place} <{SCHEMA}latitude> {nt.decimal(rec.lat)} .\n")
            lines.append(f"{place} <{SCHEMA}longitude> {nt.decimal(rec.lng)} .\n")

