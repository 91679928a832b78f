"""ORCID public API v3.0 records, JSON or XML: person, works, employments, a full record,
a single work.

``hubgraph ingest orcid FILE...``. The owner of a record is a person mention
``orcid-record/{orcid}`` carrying the ORCID iD (so identity resolution makes it the
person ``orcid-{orcid}``) and the names of the person section. Each work group with a
PMID or DOI (external ids of relationship ``self``) is the paper
:class:`ingest.papers.PaperIndex` gives for them, claimed by the owner through an
``hg:ClaimedAuthorship`` mention (ORCID says nothing of the author's rank, and the
paper's ranked author list is PubMed's or the DOI source's); see
:mod:`graph.build_scholarly`. A work group with neither is skipped. Each employment is
an ``org:Membership`` of the owner's mention in its organisation (the ROR organisation
when ORCID's disambiguation is ROR, else the one the name resolves to; its department
when it names one), with the role title and dates.

A file whose JSON or XML does not parse raises :class:`graph.errors.IngestError`; a
record whose owner's ORCID iD cannot be found is skipped (field ``path``). Sections
hubgraph does not model (educations, fundings, peer reviews, ...) are left out with a
warning.

JSON and XML share element names (``given-names``, ``external-id-type``, ...), so one
reader, :class:`Node`, walks both; JSON wraps values as ``{"value": ...}`` and lists
summaries under ``summaries``, which it hides.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from graph.build import GraphBuilder
from graph.build_scholarly import ScholarlyBuilder
from graph.errors import IngestError
from graph.model import OrgRef, SkippedRecord
from graph.model_scholarly import (
    InstitutionRef, OrcidEmployment, OrcidPerson, OrcidWork, UnmodelledRecord, Work,
)
from graph.namespaces import ORCID
from graph.uris import Minter
from ingest.crossref import (
    ScholarlyConverter, clean_text, iso_date, load_json, modelled, normalize_pmid,
    split_name, year_of,
)
from ingest.files import read_bytes
from ingest.pipeline import FileReport
from ingest.pubmed import normalize_doi, normalize_orcid
from ingest.ror import bare_ror_id

__all__ = ["OrcidConverter", "Node", "parse_orcid", "read_orcid"]

Tick = Callable[[int], None]
Item = OrcidPerson | OrcidWork | OrcidEmployment | SkippedRecord | UnmodelledRecord

_ORCID_IN_PATH = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
#: Record sections hubgraph does not model (left out with a warning).
_UNMODELLED = (
    "educations", "education", "distinctions", "distinction", "invited-positions", "invited-position",
    "memberships", "membership", "qualifications", "qualification", "services", "service", "fundings",
    "funding", "peer-reviews", "peer-review", "research-resources", "research-resource", "other-names",
    "researcher-urls", "keywords", "external-identifiers", "address", "addresses", "email", "emails",
    "biography", "personal-details", "activities",
)


class Node:
    """A JSON value or an XML element of an ORCID document, read the same way."""

    __slots__ = ("raw",)

    def __init__(self, raw: object):
        self.raw = raw

    def _children(self, name: str) -> list[object]:
        raw = self.raw
        if isinstance(raw, dict):
            value = raw.get(name)
            if value is None:
                return []
            return [v for v in value if v is not None] if isinstance(value, list) else [value]
        if isinstance(raw, etree._Element):
            return [c for c in raw if isinstance(c.tag, str) and etree.QName(c).localname == name]
        return []

    def get(self, *path: str) -> Node | None:
        """The first child named ``path[0]``, then its first child ``path[1]``, ..."""
        node: Node | None = self
        for name in path:
            children = node._children(name) if node is not None else []
            node = Node(children[0]) if children else None
        return node

    def all(self, name: str) -> list[Node]:
        return [Node(c) for c in self._children(name)]

    def value(self) -> str | None:
        """The text of this node (``{"value": ...}`` unwrapped), whitespace collapsed."""
        raw = self.raw
        if isinstance(raw, dict):
            raw = raw.get("value")
        if isinstance(raw, etree._Element):
            raw = "".join(raw.itertext())
        if isinstance(raw, bool):
            return None
        if isinstance(raw, (int, float)):
            return str(raw)
        return clean_text(raw) if isinstance(raw, str) else None

    def text(self, *path: str) -> str | None:
        node = self.get(*path)
        return node.value() if node is not None else None

    def attr(self, name: str) -> str | None:
        """An XML attribute, or the JSON member of that name (put-code, path)."""
        if isinstance(self.raw, etree._Element):
            value = self.raw.get(name)
            return value.strip() if value and value.strip() else None
        return self.text(name)

    @property
    def name(self) -> str | None:
        if isinstance(self.raw, etree._Element):
            return etree.QName(self.raw).localname
        return None


# -- reading ---------------------------------------------------------------------------------


def read_orcid(path: str | os.PathLike[str]) -> Iterator[Item]:
    """The person, works and employments of an ORCID API v3.0 file (JSON or XML, gzipped or not)."""
    name = os.fspath(path)
    raw = read_bytes(name)
    first = raw.lstrip()[:1]
    if first == b"<":
        yield from parse_orcid(Node(_parse_xml(raw, name)), name)
    elif first in (b"{", b"["):
        yield from parse_orcid(Node(load_json(name, raw)), name)
    elif not first:
        raise IngestError(name, "empty file")
    else:
        raise IngestError(name, "not an ORCID record: expected JSON or XML")


def _parse_xml(raw: bytes, source: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(source, f"XML syntax error: {exc}") from exc


def parse_orcid(root: Node, source: str = "<orcid>") -> Iterator[Item]:
    """The records of a decoded ORCID document (a JSON object or an XML root element)."""
    if not isinstance(root.raw, (dict, etree._Element)):
        raise IngestError(source, "not an ORCID record: expected a JSON object")
    kind = _kind(root)
    if kind is None:
        raise IngestError(source, "not an ORCID API v3.0 record, person, works, employments or work")
    orcid = _owner(root)
    if kind in _UNMODELLED:
        yield UnmodelledRecord(1, orcid, f"ORCID {kind}")
        return
    if orcid is None:
        yield SkippedRecord(1, None, "path", "no ORCID iD of the record's owner")
        return
    counter = iter(range(1, 1 << 30))
    if kind == "record":
        person = root.get("person")
        if person is not None:
            yield _person(person, orcid)
        activities = root.get("activities-summary")
        if activities is not None:
            employments = activities.get("employments")
            if employments is not None:
                yield from _employments(employments, orcid, counter)
            works = activities.get("works")
            if works is not None:
                yield from _works(works, orcid, counter)
    elif kind == "person":
        yield _person(root, orcid)
    elif kind == "works":
        yield from _works(root, orcid, counter)
    elif kind == "work":
        yield _work(root, [root], orcid, next(counter))
    elif kind == "employments":
        yield from _employments(root, orcid, counter)
    elif kind == "employment":
        yield _employment(root, orcid, next(counter), set())


def _kind(root: Node) -> str | None:
    """What an ORCID document is: record, person, works, work, employments, employment or
    the name of a section hubgraph leaves out."""
    if root.name is not None:  # XML: the root element says
        name = root.name.removesuffix("-summary")
        known = ("record", "person", "works", "work", "employments", "employment")
        return name if name in known or name in _UNMODELLED else None
    path = root.text("path") or ""
    section = path.rstrip("/").rsplit("/", 1)[-1] if path.count("/") >= 2 else ""
    if root.get("orcid-identifier") is not None or root.get("activities-summary") is not None:
        return "record"
    if section.isdigit():  # /{orcid}/work/123
        section = path.rstrip("/").rsplit("/", 2)[-2]
    if section in ("person", "works", "work", "employments", "employment") or section in _UNMODELLED:
        return section
    if root.get("group") is not None and root.get("group", "work-summary") is not None:
        return "works"
    if root.get("name") is not None and root.get("emails") is not None:
        return "person"
    if root.get("put-code") is not None and root.get("title") is not None:
        return "work"
    if root.get("affiliation-group") is not None:
        return "employments"
    return None


def _owner(root: Node) -> str | None:
    """The ORCID iD of the record's owner, from its path or orcid-identifier."""
    person = root.get("person")
    for text in (root.text("orcid-identifier", "path"), root.attr("path"), root.text("name", "path"),
                 person.attr("path") if person is not None else None):
        match = _ORCID_IN_PATH.search(text or "")
        if match and normalize_orcid(match.group(1)):
            return match.group(1)
    return None


def _person(person: Node, orcid: str) -> OrcidPerson:
    name = person.get("name")
    if name is None:
        return OrcidPerson(orcid)
    return OrcidPerson(orcid, family_name=name.text("family-name"), given_name=name.text("given-names"),
                       credit_name=name.text("credit-name"))


# -- works ------------------------------------------------------------------------------------


def _works(works: Node, orcid: str, counter: Iterator[int]) -> Iterator[OrcidWork | SkippedRecord]:
    for group in works.all("group"):
        yield _work(group, group.all("work-summary"), orcid, next(counter))


def _work(group: Node, summaries: list[Node], orcid: str, index: int) -> OrcidWork | SkippedRecord:
    """A work group (or a single work) as one work: its ids from the group and every
    summary, its title and date from the first (preferred) summary."""
    first = summaries[0] if summaries else group
    put_code = first.attr("put-code")
    pmid = doi = None
    for node in [group, *summaries]:
        for ext in _all(node, "external-ids", "external-id"):
            if (ext.text("external-id-relationship") or "self").lower() != "self":
                continue
            kind, value = (ext.text("external-id-type") or "").lower(), ext.text("external-id-value")
            if kind == "pmid" and pmid is None:
                pmid = normalize_pmid(value)
            elif kind == "doi" and doi is None:
                doi = normalize_doi(value) or normalize_doi(ext.text("external-id-normalized"))
    record_id = f"{orcid}/work/{put_code}" if put_code else orcid
    if pmid is None and doi is None:
        return SkippedRecord(index, record_id, "external-ids", "no PMID or DOI identifies the work")
    date = _date(first.get("publication-date"))
    work = Work(
        source="orcid",
        pmid=pmid,
        doi=doi,
        title=first.text("title", "title"),
        type=first.text("type"),
        date=date,
        year=year_of(date),
        journal_title=first.text("journal-title"),
        language=first.text("language-code"),
    )
    family, given = _claimant(summaries or [group], orcid)
    return OrcidWork(orcid, work, put_code, family, given)


def _claimant(entries: list[Node], orcid: str) -> tuple[str | None, str | None]:
    """The owner's name as a work entry gives it: a contributor with the owner's ORCID iD,
    or the owner as the entry's source."""
    for entry in entries:
        for contributor in _all(entry, "contributors", "contributor"):
            if _path_orcid(contributor.get("contributor-orcid")) == orcid:
                name = contributor.text("credit-name")
                if name:
                    return split_name(name)
        source = entry.get("source")
        if source is None:
            continue
        if _path_orcid(source.get("source-orcid")) == orcid and source.text("source-name"):
            return split_name(source.text("source-name"))
        if _path_orcid(source.get("assertion-origin-orcid")) == orcid and source.text("assertion-origin-name"):
            return split_name(source.text("assertion-origin-name"))
    return None, None


def _all(node: Node, parent: str, name: str) -> list[Node]:
    """The ``name`` children of ``node``'s first ``parent`` child."""
    holder = node.get(parent)
    return holder.all(name) if holder is not None else []


def _path_orcid(node: Node | None) -> str | None:
    if node is None:
        return None
    match = _ORCID_IN_PATH.search(node.text("path") or node.text("uri") or "")
    return match.group(1) if match else None


def _date(node: Node | None) -> str | None:
    if node is None:
        return None
    return iso_date(node.text("year"), node.text("month"), node.text("day"))


# -- employments ----------------------------------------------------------------------------------


def _employments(employments: Node, orcid: str, counter: Iterator[int]) -> Iterator[OrcidEmployment | SkippedRecord]:
    keys: set[str] = set()
    for group in employments.all("affiliation-group"):
        summaries = [s.get("employment-summary") for s in group.all("summaries")]
        for summary in [s for s in summaries if s is not None] + group.all("employment-summary"):
            yield _employment(summary, orcid, next(counter), keys)
    for summary in employments.all("employment-summary"):  # API 2.x lists them directly
        yield _employment(summary, orcid, next(counter), keys)


def _employment(summary: Node, orcid: str, index: int, keys: set[str]) -> OrcidEmployment | SkippedRecord:
    put_code = summary.attr("put-code")
    key = put_code or str(index)
    while key in keys:  # put-codes are unique in real records; keep two apart anyway
        key += "-2"
    keys.add(key)
    org = summary.get("organization")
    name = org.text("name") if org is not None else None
    if org is None or not name:
        return SkippedRecord(index, f"{orcid}/employment/{put_code or index}", "organization",
                             "no organisation name")
    disambiguated = org.get("disambiguated-organization")
    ror = None
    if disambiguated is not None and (disambiguated.text("disambiguation-source") or "").upper() == "ROR":
        ror = bare_ror_id(disambiguated.text("disambiguated-organization-identifier") or "")
    return OrcidEmployment(
        orcid=orcid,
        key=key,
        organization=InstitutionRef(name, ror, country_code=org.text("address", "country"),
                                    city=org.text("address", "city")),
        department=summary.text("department-name"),
        role_title=summary.text("role-title"),
        start=_date(summary.get("start-date")),
        end=_date(summary.get("end-date")),
    )


# -- converting ------------------------------------------------------------------------------------


class OrcidConverter(ScholarlyConverter):
    """ORCID API v3.0 JSON and XML (person, works, employments, full record, single work)."""

    kind = "orcid"

    def __init__(self, store):
        super().__init__(store)
        #: The names person sections gave, by ORCID iD (for works files of the same command).
        self.names: dict[str, tuple[str | None, str | None]] = {}

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        sb = self.begin(path, builder)
        seen: set[str] = set()
        named: set[str] = set()
        for item in self.usable(modelled(read_orcid(path), path, report), path.name, report, tick):
            seen.add(item.orcid)
            with report.timings.stage("map"):
                if isinstance(item, OrcidPerson):
                    self._person(sb, item)
                elif isinstance(item, OrcidWork):
                    if self._work(sb, item):
                        named.add(item.orcid)
                else:
                    self._employment(sb, item)
        for orcid in sorted(seen - named - self.names.keys()):
            report.warnings.append(
                f"{path.name}: no name for ORCID iD {orcid} in this file; ingest its person record "
                "too, or its person may have no name")
        with report.timings.stage("map"):
            self.finish(builder)

    def _person(self, sb: ScholarlyBuilder, person: OrcidPerson) -> None:
        family, given = person.family_name, person.given_name
        if not family and not given and person.credit_name:
            family, given = split_name(person.credit_name)
        if family or given:
            self.names[person.orcid] = (family, given)
        self._record(sb, person.orcid, (family, given))

    def _record(self, sb: ScholarlyBuilder, orcid: str, name: tuple[str | None, str | None]) -> str:
        """The record owner's mention, written once per graph."""
        mention = sb.orcid_record(orcid)
        if sb.builder.first("orcid-record " + mention):
            sb.person_mention(mention, name[0], name[1], orcid, source=f"{ORCID}{orcid}")
        return mention

    def _work(self, sb: ScholarlyBuilder, item: OrcidWork) -> bool:
        """The owner's claim of the work; True when it carries a name for the owner."""
        slot = self.papers.slot(item.work.pmid, item.work.doi, author_list=False)
        if slot is None:
            return False
        sb.paper(slot, item.work)
        family, given = self.names.get(item.orcid) or (item.claimant_family, item.claimant_given)
        sb.claimed_authorship(sb.orcid_authorship(slot.iri, item.orcid), slot.iri, family, given, item.orcid)
        return bool(family or given)

    def _employment(self, sb: ScholarlyBuilder, item: OrcidEmployment) -> None:
        name = self.names.get(item.orcid, (None, None))
        mention = self._record(sb, item.orcid, name)
        orgs = self.orgs.institution(sb, item.organization)
        institution = next((o for o in reversed(orgs) if o.kind != "department"), None)
        if institution is None:
            return
        department = next((o for o in orgs if o.kind == "department"), None)
        if item.department:
            department = _department(sb.minter, institution, item.department)
        sb.affiliations(mention, [o for o in (department, institution) if o is not None])
        sb.membership(sb.employment(item.orcid, item.key), mention, department or institution,
                      item.role_title, item.start, item.end)


def _department(minter: Minter, institution: OrgRef, name: str) -> OrgRef:
    key = institution.iri.removeprefix(minter.org(""))
    return OrgRef(minter.department(key, name), name, "department", parent=institution.iri)
