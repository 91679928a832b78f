"""The one place where records become triples.

A :class:`GraphBuilder` writes the triples of one source graph as N-Triples text to
a stream, describing each shared entity (person, organisation, topic, journal) once
per graph. The model it writes is documented in ``docs/model.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from graph import ntriples as nt
from graph.model import (
    AffiliationMatch,
    Article,
    MeshDescriptor,
    OrgRef,
    ResolvedAuthor,
    RorOrganization,
    TableAuthorship,
    TablePerson,
    TableWork,
)
from graph.namespaces import (
    BIBO, DCTERMS, FABIO, FOAF, GEONAMES, HG, MESH, ORG, ORCID, OWL, RDF, RDFS, ROR, SCHEMA,
    SKOS, VIVO,
)
from graph.uris import Minter, slug

__all__ = ["GraphBuilder", "ORG_KIND_CLASSES", "ROR_TYPE_CLASSES"]

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
SAME_AS = f"<{OWL}sameAs>"
RELATES = f"<{VIVO}relates>"
RELATED_BY = f"<{VIVO}relatedBy>"
SUB_ORG_OF = f"<{ORG}subOrganizationOf>"
PREF_LABEL = f"<{SKOS}prefLabel>"
ALT_LABEL = f"<{SKOS}altLabel>"
FOAF_ORG = f"<{FOAF}Organization>"

#: Classes given to an organisation of each kind, besides foaf:Organization.
ORG_KIND_CLASSES: dict[str, str] = {
    "hospital": f"<{VIVO}Hospital>",
    "university": f"<{VIVO}University>",
    "department": f"<{VIVO}AcademicDepartment>",
    "lab": f"<{VIVO}Laboratory>",
    "funder": f"<{VIVO}FundingOrganization>",
    "institution": f"<{HG}Institution>",
}

#: Classes for ROR organisation types.
ROR_TYPE_CLASSES: dict[str, str] = {
    "healthcare": f"<{VIVO}Hospital>",
    "education": f"<{VIVO}University>",
    "funder": f"<{VIVO}FundingOrganization>",
    "company": f"<{VIVO}PrivateCompany>",
    "government": f"<{VIVO}GovernmentAgency>",
    "nonprofit": f"<{VIVO}NonProfitCompany>",
    "facility": f"<{VIVO}ResearchOrganization>",
    "archive": f"<{VIVO}ResearchOrganization>",
    "other": FOAF_ORG,
}

_DESCRIPTOR_UI = re.compile(r"^[DCQ]\d{6,9}$")


def _date_literal(date: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}.get(len(date))
    return nt.typed(date, kind) if kind else nt.lit(date)


class GraphBuilder:
    """Writes one source graph's triples as N-Triples lines to ``out``."""

    def __init__(self, minter: Minter, out: TextIO, private: TextIO | None = None):
        self.minter = minter
        self._out = out
        self._private = private
        self._seen: set[str] = set()
        self.triples = 0

    def emit(self, lines: list[str]) -> None:
        """Write N-Triples lines (each ending in " .\\n") to the graph."""
        self.triples += len(lines)
        self._out.write("".join(lines))

    def first(self, key: str) -> bool:
        """True the first time ``key`` is described in this graph (describe shared entities once)."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    # -- papers -----------------------------------------------------------------

    def article(self, art: Article, authors: Iterable[ResolvedAuthor]) -> None:
        """A paper with its authorships, people, organisations and topics."""
        m = self.minter
        p = nt.iri(m.paper(art.pmid))
        title = nt.lit(art.title)
        lines = [
            f"{p} {A} <{BIBO}AcademicArticle> .\n",
            f"{p} {LABEL} {title} .\n",
            f"{p} <{DCTERMS}title> {title} .\n",
            f'{p} <{BIBO}pmid> "{art.pmid}" .\n',
        ]
        add = lines.append
        if art.doi:
            add(f"{p} <{BIBO}doi> {nt.lit(art.doi)} .\n")
        if art.abstract:
            add(f"{p} <{BIBO}abstract> {nt.lit(art.abstract)} .\n")
        if art.date:
            add(f"{p} <{DCTERMS}issued> {_date_literal(art.date)} .\n")
        if art.year:
            add(f'{p} <{FABIO}hasPublicationYear> "{art.year:04d}"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
        if art.volume:
            add(f"{p} <{BIBO}volume> {nt.lit(art.volume)} .\n")
        if art.issue:
            add(f"{p} <{BIBO}issue> {nt.lit(art.issue)} .\n")
        if art.pages:
            add(f"{p} <{BIBO}pages> {nt.lit(art.pages)} .\n")
        if art.language:
            add(f"{p} <{DCTERMS}language> {nt.lit(art.language)} .\n")
        if art.journal_title:
            j = nt.iri(m.journal(art.nlm_journal_id, art.issn, art.journal_title))
            add(f"{p} <{VIVO}hasPublicationVenue> {j} .\n")
            if self.first(j):
                jt = nt.lit(art.journal_title)
                add(f"{j} {A} <{BIBO}Journal> .\n")
                add(f"{j} {LABEL} {jt} .\n")
                add(f"{j} <{DCTERMS}title> {jt} .\n")
                if art.issn:
                    add(f"{j} <{BIBO}issn> {nt.lit(art.issn)} .\n")
                if art.journal_abbrev:
                    add(f"{j} <{BIBO}shortTitle> {nt.lit(art.journal_abbrev)} .\n")
        for keyword in art.keywords:
            add(f"{p} <{VIVO}freetextKeyword> {nt.lit(keyword)} .\n")
        for ptype in art.publication_types:
            if ptype.ui and _DESCRIPTOR_UI.match(ptype.ui):
                t = nt.iri(m.mesh(ptype.ui))
                add(f"{p} <{DCTERMS}type> {t} .\n")
                if self.first("label " + t):
                    add(f"{t} {LABEL} {nt.lit(ptype.label)} .\n")
        self._mesh_headings(p, art, lines)
        for grant in art.grants:
            self._grant(p, grant.grant_id, grant.agency, lines)
        for nct in art.trial_ids:
            add(f"{p} <{DCTERMS}relation> {nt.iri(m.trial(nct))} .\n")
        self._authorships(p, art.pmid, authors, lines)
        self.emit(lines)

    def _mesh_headings(self, p: str, art: Article, lines: list[str]) -> None:
        add = lines.append
        for heading in art.mesh_headings:
            if not (heading.ui and _DESCRIPTOR_UI.match(heading.ui)):
                continue
            d = nt.iri(MESH + heading.ui)
            h = nt.iri(self.minter.mesh_heading(art.pmid, heading.ui))
            add(f"{p} <{VIVO}hasSubjectArea> {d} .\n")
            add(f"{p} <{HG}meshHeading> {h} .\n")
            add(f"{h} {A} <{HG}MeshHeading> .\n")
            add(f"{h} <{HG}descriptor> {d} .\n")
            add(f"{h} <{HG}majorTopic> {nt.boolean(heading.major)} .\n")
            if self.first("concept " + d):
                self._concept_lines(d, heading.ui, heading.label, lines)
            for q in heading.qualifiers:
                if not (q.ui and _DESCRIPTOR_UI.match(q.ui)):
                    continue
                qi = nt.iri(MESH + q.ui)
                add(f"{h} <{HG}qualifier> {qi} .\n")
                if q.major:
                    add(f"{h} <{HG}majorQualifier> {qi} .\n")
                if self.first("label " + qi):
                    add(f"{qi} {LABEL} {nt.lit(q.label)} .\n")

    def _concept_lines(self, d: str, ui: str, label: str, lines: list[str]) -> None:
        name = nt.lit(label)
        lines.append(f"{d} {A} <{SKOS}Concept> .\n")
        lines.append(f"{d} {PREF_LABEL} {name} .\n")
        lines.append(f"{d} {LABEL} {name} .\n")
        lines.append(f'{d} <{SKOS}notation> "{ui}" .\n')
        lines.append(f"{d} <{SKOS}inScheme> <{MESH}> .\n")

    def _grant(self, p: str, grant_id: str, agency: str | None, lines: list[str]) -> None:
        g = nt.iri(self.minter.grant(grant_id, agency))
        lines.append(f"{p} <{VIVO}informationResourceSupportedBy> {g} .\n")
        if not self.first(g):
            return
        lines.append(f"{g} {A} <{VIVO}Grant> .\n")
        lines.append(f"{g} {LABEL} {nt.lit(grant_id)} .\n")
        lines.append(f"{g} <{VIVO}sponsorAwardId> {nt.lit(grant_id)} .\n")
        if agency:
            funder = OrgRef(self.minter.org("funder-" + slug(agency)), agency, "funder")
            lines.append(f"{g} <{VIVO}assignedBy> {nt.iri(funder.iri)} .\n")
            self.org_lines(funder, lines)

    def _authorships(
        self, p: str, pmid: str, authors: Iterable[ResolvedAuthor], lines: list[str]
    ) -> None:
        add = lines.append
        for author in authors:
            mention = author.mention
            named = mention.family_name or mention.given_name
            if not named and not mention.collective_name:
                continue  # an author slot with no name at all: nothing to say about it
            a = nt.iri(self.minter.authorship(pmid, mention.rank))
            add(f"{a} <{VIVO}rank> \"{mention.rank}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n")
            add(f"{a} {RELATES} {p} .\n")
            add(f"{p} {RELATED_BY} {a} .\n")
            if not named:
                add(f"{a} {A} <{HG}CollectiveAuthorship> .\n")
                add(f"{a} {LABEL} {nt.lit(mention.collective_name or '')} .\n")
                continue
            add(f"{a} {A} <{VIVO}Authorship> .\n")
            self.mention(a, mention.family_name, mention.given_name, mention.initials,
                                mention.orcid, lines)
            for text in mention.affiliations:
                add(f"{a} <{HG}affiliationText> {nt.lit(text)} .\n")
            for org in author.orgs:
                add(f"{a} <{HG}affiliation> {nt.iri(org.iri)} .\n")
                self.org_lines(org, lines)

    def mention(
        self, m: str, family: str | None, given: str | None, initials: str | None,
        orcid: str | None, lines: list[str],
    ) -> None:
        """A person mention: the name (and ORCID) a source gives, for identity resolution.

        Every source that names people writes its mention nodes with this, so that
        resolution finds them (class hg:PersonMention) and links them to persons.
        """
        lines.append(f"{m} {A} <{HG}PersonMention> .\n")
        written = " ".join(part for part in (family or given, initials) if part)
        if written:
            lines.append(f"{m} <{HG}nameAsWritten> {nt.lit(written)} .\n")
        if family:
            lines.append(f"{m} <{HG}mentionFamilyName> {nt.lit(family)} .\n")
        if given:
            lines.append(f"{m} <{HG}mentionGivenName> {nt.lit(given)} .\n")
        if initials:
            lines.append(f"{m} <{HG}mentionInitials> {nt.lit(initials)} .\n")
        if orcid:
            lines.append(f"{m} <{HG}mentionOrcid> <{ORCID}{orcid}> .\n")

    # -- institutional tables ----------------------------------------------------

    def table_organization(self, org: OrgRef, local_id: str, scope: str) -> None:
        """An organisation row of an institution's tables, with its local id."""
        lines: list[str] = []
        self.org_lines(org, lines)
        o = nt.iri(org.iri)
        if not org.describe and org.parent:
            lines.append(f"{o} {SUB_ORG_OF} {nt.iri(org.parent)} .\n")
        lines.append(f"{o} <{HG}localId> {nt.lit(local_id)} .\n")
        lines.append(f"{o} <{HG}localScope> {nt.lit(scope)} .\n")
        self.emit(lines)

    def person_record(self, row: TablePerson, scope: str, orgs: tuple[OrgRef, ...]) -> None:
        """A people-table row: a person mention with the institution's id, affiliations and
        membership (role, position, dates); its email goes to the private graph."""
        r = nt.iri(self.minter.record(scope, row.id))
        lines = [
            f"{r} {A} <{HG}PersonRecord> .\n",
            f"{r} <{HG}localId> {nt.lit(row.id)} .\n",
            f"{r} <{HG}localScope> {nt.lit(scope)} .\n",
        ]
        self.mention(r, row.family_name, row.given_name, None, row.orcid, lines)
        for org in orgs:
            lines.append(f"{r} <{HG}affiliation> {nt.iri(org.iri)} .\n")
            self.org_lines(org, lines)
        if orgs:
            m = nt.iri(self.minter.record(scope, row.id) + "/membership")
            lines += [
                f"{m} {A} <{ORG}Membership> .\n",
                f"{m} <{ORG}member> {r} .\n",
                f"{m} <{ORG}organization> {nt.iri(orgs[0].iri)} .\n",
            ]
            if row.role:
                role = nt.iri(self.minter.role(row.role))
                lines.append(f"{m} <{ORG}role> {role} .\n")
                if self.first(role):
                    lines.append(f"{role} {A} <{ORG}Role> .\n")
                    lines.append(f"{role} {LABEL} {nt.lit(row.role)} .\n")
            if row.position:
                lines.append(f"{m} {LABEL} {nt.lit(row.position)} .\n")
            if row.start:
                lines.append(f"{m} <{SCHEMA}startDate> {_date_literal(row.start)} .\n")
            if row.end:
                lines.append(f"{m} <{SCHEMA}endDate> {_date_literal(row.end)} .\n")
        self.emit(lines)
        if row.email and self._private is not None:
            self._private.write(f"{r} <{FOAF}mbox> {nt.iri('mailto:' + row.email)} .\n")

    def table_work(self, work: TableWork, scope: str, topic_uis: Iterable[str]) -> str:
        """A works-table row as a paper (the PubMed paper when it has a PMID); returns its IRI."""
        iri = self.minter.paper(work.pmid) if work.pmid else self.minter.local("paper", scope, work.id)
        p = nt.iri(iri)
        title = nt.lit(work.title)
        lines = [
            f"{p} {A} <{BIBO}AcademicArticle> .\n",
            f"{p} {LABEL} {title} .\n",
            f"{p} <{DCTERMS}title> {title} .\n",
            f"{p} <{HG}localId> {nt.lit(work.id)} .\n",
            f"{p} <{HG}localScope> {nt.lit(scope)} .\n",
        ]
        if work.pmid:
            lines.append(f'{p} <{BIBO}pmid> "{work.pmid}" .\n')
        if work.doi:
            lines.append(f"{p} <{BIBO}doi> {nt.lit(work.doi)} .\n")
        if work.year:
            lines.append(f'{p} <{FABIO}hasPublicationYear> "{work.year:04d}"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
        if work.abstract:
            lines.append(f"{p} <{BIBO}abstract> {nt.lit(work.abstract)} .\n")
        for keyword in work.keywords:
            lines.append(f"{p} <{VIVO}freetextKeyword> {nt.lit(keyword)} .\n")
        for ui in topic_uis:
            lines.append(f"{p} <{VIVO}hasSubjectArea> {nt.iri(MESH + ui)} .\n")
        self.emit(lines)
        return iri

    def table_authorship(self, work_iri: str, row: TableAuthorship, rank: int, person: TablePerson,
                         scope: str, orgs: tuple[OrgRef, ...]) -> None:
        """An authorships-table row: an authorship mention carrying the person's local id."""
        a = nt.iri(self.minter.local("authorship", scope, f"{row.work_id}-{row.person_id}"))
        p = nt.iri(work_iri)
        lines = [
            f"{a} {A} <{VIVO}Authorship> .\n",
            f"{a} <{VIVO}rank> \"{rank}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
            f"{a} {RELATES} {p} .\n",
            f"{p} {RELATED_BY} {a} .\n",
            f"{a} <{HG}localId> {nt.lit(person.id)} .\n",
            f"{a} <{HG}localScope> {nt.lit(scope)} .\n",
        ]
        self.mention(a, person.family_name, person.given_name, None, person.orcid, lines)
        for org in orgs:
            lines.append(f"{a} <{HG}affiliation> {nt.iri(org.iri)} .\n")
        self.emit(lines)

    # -- resolved people ----------------------------------------------------------

    def person(
        self, key: str, family: str | None, given: str | None, orcid: str | None,
        local_ids: Iterable[str] = (), opted_out: bool = False,
    ) -> None:
        """A resolved person, named from the fullest name among its mentions."""
        person = nt.iri(self.minter.person(key))
        family = family or given or ""  # a mononym is a family name
        given = given if family != given else None
        name = nt.lit(f"{given or ''} {family}".strip())
        lines = [
            f"{person} {A} <{FOAF}Person> .\n",
            f"{person} <{FOAF}name> {name} .\n",
            f"{person} {LABEL} {name} .\n",
        ]
        if family:
            lines.append(f"{person} <{FOAF}familyName> {nt.lit(family)} .\n")
        if given:
            lines.append(f"{person} <{FOAF}givenName> {nt.lit(given)} .\n")
        if orcid:
            lines.append(f"{person} <{VIVO}orcidId> <{ORCID}{orcid}> .\n")
        for local_id in local_ids:
            lines.append(f"{person} <{HG}localId> {nt.lit(local_id)} .\n")
        if opted_out:
            lines.append(f"{person} <{HG}optedOut> {nt.boolean(True)} .\n")
        self.emit(lines)

    def mention_link(self, mention: str, person_key: str, confidence: float,
                     evidence: Iterable[str], relationship: bool) -> None:
        """Link a mention to its person, with the confidence and evidence of the link; a
        VIVO relationship (authorship, investigator role) also relates the person."""
        m = nt.iri(mention)
        person = nt.iri(self.minter.person(person_key))
        lines = [
            f"{m} <{HG}resolvedTo> {person} .\n",
            f"{m} <{HG}resolutionConfidence> {nt.decimal(confidence)} .\n",
        ]
        if relationship:
            lines.append(f"{m} {RELATES} {person} .\n")
            lines.append(f"{person} {RELATED_BY} {m} .\n")
        lines.extend(f"{m} <{HG}resolutionEvidence> {nt.lit(e)} .\n" for e in evidence)
        self.emit(lines)

    def retired_person(self, old_key: str, new_key: str) -> None:
        """A person IRI that resolution retired, pointing at the person that replaced it."""
        old, new = nt.iri(self.minter.person(old_key)), nt.iri(self.minter.person(new_key))
        self.emit([f"{old} {SAME_AS} {new} .\n", f"{old} <{DCTERMS}isReplacedBy> {new} .\n"])

    def org_lines(self, org: OrgRef, lines: list[str]) -> None:
        o = nt.iri(org.iri)
        if not org.describe or not self.first(o):
            return
        lines.append(f"{o} {A} {FOAF_ORG} .\n")
        lines.append(f"{o} {A} {ORG_KIND_CLASSES.get(org.kind, ORG_KIND_CLASSES['institution'])} .\n")
        lines.append(f"{o} {LABEL} {nt.lit(org.label)} .\n")
        if org.parent:
            lines.append(f"{o} {SUB_ORG_OF} {nt.iri(org.parent)} .\n")

    def affiliation_match(self, match: AffiliationMatch) -> None:
        """Record how an institution name was matched, with its confidence."""
        n = nt.iri(self.minter.affiliation_match(match.text))
        if not self.first(n):
            return
        self.emit([
            f"{n} {A} <{HG}AffiliationMatch> .\n",
            f"{n} <{HG}matchedText> {nt.lit(match.text)} .\n",
            f"{n} <{HG}matchedOrganization> {nt.iri(match.org_iri)} .\n",
            f"{n} <{HG}matchMethod> {nt.lit(match.method)} .\n",
            f"{n} <{HG}confidence> {nt.decimal(match.confidence)} .\n",
        ])

    # -- MeSH -------------------------------------------------------------------

    def mesh_descriptor(self, desc: MeshDescriptor, broader: Iterable[str]) -> None:
        """A MeSH descriptor as a skos:Concept, with skos:broader to ``broader`` UIs."""
        if not _DESCRIPTOR_UI.match(desc.ui):
            return
        d = nt.iri(MESH + desc.ui)
        self.first("concept " + d)
        lines: list[str] = []
        self._concept_lines(d, desc.ui, desc.label, lines)
        for tree in desc.tree_numbers:
            lines.append(f"{d} <http://id.nlm.nih.gov/mesh/vocab#treeNumber> {nt.iri(MESH + tree)} .\n")
            lines.append(f"{nt.iri(MESH + tree)} {LABEL} {nt.lit(tree)} .\n")
        for parent in sorted(set(broader)):
            lines.append(f"{d} <{SKOS}broader> {nt.iri(MESH + parent)} .\n")
        for synonym in desc.synonyms:
            lines.append(f"{d} {ALT_LABEL} {nt.lit(synonym)} .\n")
        if desc.scope_note:
            lines.append(f"{d} <{SKOS}scopeNote> {nt.lit(desc.scope_note)} .\n")
        self.emit(lines)

    # -- ROR --------------------------------------------------------------------

    def ror_organization(self, rec: RorOrganization) -> None:
        """A ROR organisation with names, types, location and relationships."""
        m = self.minter
        o = nt.iri(m.ror_org(rec.ror_id))
        self.first(o)
        name = nt.lit(rec.name)
        lines = [
            f"{o} {A} {FOAF_ORG} .\n",
            f"{o} {LABEL} {name} .\n",
            f"{o} {PREF_LABEL} {name} .\n",
            f"{o} <{VIVO}rorId> {nt.lit(rec.ror_id)} .\n",
            f"{o} {SAME_AS} <{ROR}{rec.ror_id}> .\n",
            f"{o} <{HG}rorStatus> {nt.lit(rec.status)} .\n",
            f"{o} <{HG}rorSchemaVersion> {nt.lit(rec.schema_version)} .\n",
        ]
        add = lines.append
        if not {"healthcare", "education"} & set(rec.types):
            add(f"{o} {A} {ORG_KIND_CLASSES['institution']} .\n")
        for kind in rec.types:
            add(f"{o} <{HG}rorType> {nt.lit(kind)} .\n")
            cls = ROR_TYPE_CLASSES.get(kind)
            if cls and cls != FOAF_ORG:
                add(f"{o} {A} {cls} .\n")
        for alias in rec.aliases:
            add(f"{o} {ALT_LABEL} {nt.lit(alias)} .\n")
        for acronym in rec.acronyms:
            add(f"{o} <{HG}acronym> {nt.lit(acronym)} .\n")
        for value, lang in rec.labels:
            if value == rec.name:
                continue
            add(f"{o} {ALT_LABEL} {nt.lang_lit(value, lang) if lang else nt.lit(value)} .\n")
        if rec.established:
            add(f'{o} <{SCHEMA}foundingDate> "{rec.established:04d}"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
        for link in rec.links:
            add(f"{o} <{FOAF}homepage> {nt.iri(link)} .\n")
        for kind, value in rec.external_ids:
            add(f"{o} <{HG}externalId> {nt.lit(f'{kind}:{value}')} .\n")
            if kind == "wikidata":
                add(f"{o} {SAME_AS} <http://www.wikidata.org/entity/{value}> .\n")
        for loc in rec.locations:
            self._location(o, loc.geonames_id, loc.city, loc.country_code, loc.lat, loc.lng, lines)
        rel_pred = {
            "parent": SUB_ORG_OF,
            "related": f"<{ORG}linkedTo>",
            "successor": f"<{VIVO}hasSuccessorOrganization>",
            "predecessor": f"<{VIVO}hasPredecessorOrganization>",
        }
        for rel in rec.relationships:
            other = nt.iri(m.ror_org(rel.ror_id))
            if rel.kind == "child":
                add(f"{other} {SUB_ORG_OF} {o} .\n")
            elif rel.kind in rel_pred:
                add(f"{o} {rel_pred[rel.kind]} {other} .\n")
        self.emit(lines)

    def _location(
        self, o: str, geonames_id: str | None, city: str | None, country: str | None,
        lat: float | None, lng: float | None, lines: list[str],
    ) -> None:
        if not geonames_id:
            return
        place = nt.iri(f"{GEONAMES}{geonames_id}/")
        lines.append(f"{o} <{SCHEMA}location> {place} .\n")
        if not self.first(place):
            return
        lines.append(f"{place} {A} <{SCHEMA}Place> .\n")
        if city:
            lines.append(f"{place} {LABEL} {nt.lit(city)} .\n")
        if country:
            lines.append(f"{place} <{SCHEMA}addressCountry> {nt.lit(country)} .\n")
        if lat is not None and lng is not None:
            lines.append(f"{place} <{SCHEMA}latitude> {nt.decimal(lat)} .\n")
            lines.append(f"{place} <{SCHEMA}longitude> {nt.decimal(lng)} .\n")
