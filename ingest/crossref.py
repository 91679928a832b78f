"""Crossref REST API works, and what the three scholarly converters share.

Crossref (``hubgraph ingest crossref FILE...``): a works response, single
(``{"message-type": "work", "message": {...}}``) or a list (``"work-list"``, its
``items``), a bare work object or a JSON array of them, plain or gzipped. Each work is a
paper found by its DOI through :class:`ingest.papers.PaperIndex` (so a DOI that PubMed
gives lands on the PubMed paper); see :mod:`graph.build_scholarly` for what is written.
A work without a DOI is skipped; a response of another type (a member, a journal, a
validation failure) is left out with a warning.

Shared by :mod:`ingest.orcid` and :mod:`ingest.openalex` (the lead may move this part to
an ``ingest/scholarly.py``): reading JSON, cleaning source text, splitting display names,
ISO dates, :class:`PaperRegistry` (which paper a work lands on and whether this source
describes it), :class:`OrgMapper` (organisations named by records) and
:class:`ScholarlyConverter`.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from graph.build import GraphBuilder
from graph.build_scholarly import ScholarlyBuilder
from graph.errors import IngestError
from graph.model import OrgRef, SkippedRecord
from graph.model_scholarly import InstitutionRef, PaperSlot, UnmodelledRecord, Work, WorkAuthor
from graph.store import Store
from graph.uris import slug
from ingest.affiliations import AffiliationResolver, kind_from_name, normalise
from ingest.files import read_bytes
from ingest.papers import PaperIndex
from ingest.pipeline import Converter, FileReport
from ingest.pubmed import normalize_doi, normalize_orcid
from ingest.ror import bare_ror_id

__all__ = [
    "CrossrefConverter",
    "parse_crossref",
    "read_crossref",
    "load_json",
    "clean_text",
    "split_name",
    "iso_date",
    "PaperRegistry",
    "OrgMapper",
    "ScholarlyConverter",
    "modelled",
]

T = TypeVar("T")

Tick = Callable[[int], None]

# -- reading files ------------------------------------------------------------------------


def load_json(path: str | os.PathLike[str], raw: bytes | None = None) -> object:
    """The decoded JSON of a file (plain or gzipped); JSON Lines give a list of their objects."""
    name = os.fspath(path)
    if raw is None:
        raw = read_bytes(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(name, f"not UTF-8 text (byte {exc.start})") from exc
    if not text.strip():
        raise IngestError(name, "empty file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # JSON Lines: one object per line
            return _json_lines(name, text)
        raise IngestError(name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc


def _json_lines(name: str, text: str) -> list[object]:
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise IngestError(name, f"invalid JSON at line {lineno}, column {exc.colno}: {exc.msg}") from exc
    return records


# -- source text -----------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]*>")
_JATS_TITLE = re.compile(r"<jats:title>.*?</jats:title>", re.DOTALL)


def clean_text(value: object) -> str | None:
    """Source text without markup (JATS, HTML) or entities, whitespace collapsed; None if empty."""
    if not isinstance(value, str):
        return None
    text = html.unescape(_TAG.sub("", _JATS_TITLE.sub(" ", value)))
    text = " ".join(text.split())
    return text or None


_PARTICLES = frozenset(
    "van von de der den del della dei di da dos das du la le ten ter vander vanden zu bin ibn al el".split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"})


def split_name(display: object) -> tuple[str | None, str | None]:
    """(family, given) of a display name ("Jason Priem", "Priem, Jason", "Vincent van Gogh").

    "Family, Given" splits at the comma; otherwise the last word is the family name,
    with the particles before it ("van", "de la"). A single word is a family name.

    >>> split_name("Jevin D. West"), split_name("Larivière, Vincent"), split_name("Ludwig van Beethoven")
    (('West', 'Jevin D.'), ('Larivière', 'Vincent'), ('van Beethoven', 'Ludwig'))
    """
    text = clean_text(display)
    if not text:
        return None, None
    if "," in text:
        family, _, given = text.partition(",")
        return family.strip() or None, given.strip() or None
    words = text.split()
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    if len(words) == 1:
        return words[0], None
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def iso_date(year: object, month: object = None, day: object = None) -> str | None:
    """ISO 8601 date at the precision the parts allow (``2012-03-21``, ``2012-03``, ``2012``);
    None without a valid year."""
    y, m, d = _int(year), _int(month), _int(day)
    if y is None or not 1000 <= y <= 2999:
        return None
    if m is None or not 1 <= m <= 12:
        return f"{y:04d}"
    if d is None or not 1 <= d <= _DAYS[m]:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date else None


_PMID = re.compile(r"(?:.*?[/:=]\s*)?(\d{1,9})/?")


def normalize_pmid(value: object) -> str | None:
    """The digits of a PMID given bare, as ``PMID:123`` or as a PubMed URL."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _PMID.fullmatch(value.strip())
    if not match or int(match.group(1)) == 0:
        return None
    return str(int(match.group(1)))


# -- which paper, and who describes it ---------------------------------------------------------

_OWNERS_QUERY = """
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX vivo: <http://vivoweb.org/ontology/core#>
SELECT DISTINCT ?s ?g ?aspect WHERE {{
  {{ GRAPH ?g {{ ?s a bibo:AcademicArticle }} FILTER(STRSTARTS(STR(?s), {prefix})) BIND("paper" AS ?aspect) }}
  UNION {{ GRAPH ?g {{ ?a vivo:relates ?s ; vivo:rank ?r }} FILTER(STRSTARTS(STR(?s), {prefix})) BIND("authors" AS ?aspect) }}
  UNION {{ GRAPH ?g {{ ?s vivo:rorId ?id }} BIND("org" AS ?aspect) }}
}}
"""


class PaperRegistry:
    """The one paper IRI of each work, and which source describes what.

    Papers come from :class:`PaperIndex` (a PMID's paper, or the paper a DOI already
    has). A DOI-only paper (``paper/doi-...``) is described by the first source graph
    that describes it, and its ranked author list comes from the first graph that gives
    one; an organisation with a ROR id is described by the first graph that does. "First"
    counts graphs in the store other than the previous version of the file being
    converted, then earlier files and records of this command, so that re-ingesting a
    file gives the same graph.
    """

    def __init__(self, store: Store, kind: str):
        self.minter = store.minter
        self.index = PaperIndex.load(store)
        self._doi_prefix = store.minter.paper_doi("")
        query = _OWNERS_QUERY.format(prefix=json.dumps(self._doi_prefix))
        self._owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in store.select(query):
            self._owners[(row["aspect"], row["s"])].add(row["g"])
        self._graphs: dict[str, set[str]] = defaultdict(set)
        for source in store.sources():
            if source.kind == kind:
                self._graphs[source.path].add(source.graph)
        self._own: set[str] = set()
        self._file = ""
        self._taken: dict[tuple[str, str], str] = {}

    def start_file(self, path: Path) -> None:
        """Say which file is converted next (its previous version does not count as another source)."""
        self._file = str(path)
        self._own = self._graphs.get(self._file, set())

    def take(self, aspect: str, iri: str, again: bool = False) -> bool:
        """True when this file is the one to write ``aspect`` (paper, authors, org) of ``iri``:
        the first time it asks, and every time with ``again`` once it has it."""
        key = (aspect, iri)
        if key in self._taken:
            return again and self._taken[key] == self._file
        if self._owners.get(key, set()) - self._own:
            return False
        self._taken[key] = self._file
        return True

    def slot(self, pmid: str | None, doi: str | None, author_list: bool) -> PaperSlot | None:
        """Where a work with this PMID / DOI lands (None without either); ``author_list``
        says whether the source gives the paper's author list in order."""
        iri = self.index.iri(pmid, doi)
        if iri is None:
            return None
        if pmid and doi:  # a later DOI-only mention of this paper joins it
            self.index.by_doi.setdefault(doi.lower(), iri)
        doi_only = iri.startswith(self._doi_prefix)
        describe = doi_only and self.take("paper", iri)
        ranked = doi_only and author_list and self.take("authors", iri)
        return PaperSlot(iri, describe, ranked)


_KIND_OF_TYPE = {"education": "university", "healthcare": "hospital"}


class OrgMapper:
    """Organisations named by records, as :class:`OrgRef` (ROR ids first, then names)."""

    def __init__(self, store: Store, registry: PaperRegistry):
        from ingest.kinds import load_org_index  # here, so that ingest.kinds may import this module

        self.minter = store.minter
        self.registry = registry
        self.index = load_org_index(store)
        self.resolver = AffiliationResolver(store.minter, self.index)

    def ror(self, sb: ScholarlyBuilder, ror_id: str, name: str | None, type_: str | None = None) -> OrgRef:
        """The organisation with this ROR id, described by this graph when no other source
        describes it."""
        iri = self.minter.ror_org(ror_id)
        label = self.index.labels.get(iri) or name or ror_id
        kind = self.index.kinds.get(iri) or _KIND_OF_TYPE.get(type_ or "") or kind_from_name(label)
        if self.registry.take("org", iri, again=True):
            sb.organization(OrgRef(iri, label, kind), ror_id)
        return OrgRef(iri, label, kind, describe=False)

    def named(self, name: str) -> tuple[OrgRef, ...]:
        """The organisations an organisation name resolves to (its department, if the name
        has one, then its institution); a name that matches nothing becomes an organisation
        of its own."""
        refs = self.resolver.resolve([name])
        if any(r.kind != "department" for r in refs):
            return refs
        return (OrgRef(self.minter.org(slug(normalise(name))), name, kind_from_name(name)),)

    def institution(self, sb: ScholarlyBuilder, inst: InstitutionRef) -> tuple[OrgRef, ...]:
        if inst.ror_id:
            return (self.ror(sb, inst.ror_id, inst.name, inst.type),)
        return self.named(inst.name) if inst.name else ()

    def of_author(self, sb: ScholarlyBuilder, author: WorkAuthor) -> tuple[OrgRef, ...]:
        """An author's organisations: those the source resolved with ROR ids, else the loaded
        (ROR) organisations its affiliation strings match, with their departments, else those
        its institution names resolve to.

        Unlike PubMed's, Crossref's and OpenAlex's affiliation strings often run their parts
        together without commas ("Department of X University of Y Berkeley CA USA"), so a
        string that matches no loaded organisation mints none: its text stays on the mention.
        """
        refs = [self.ror(sb, i.ror_id, i.name, i.type) for i in author.institutions if i.ror_id]
        if not refs:
            refs.extend(self.matched(author.affiliations))
        if not refs:
            for inst in author.institutions:
                refs.extend(self.institution(sb, inst))
        return tuple(dict.fromkeys(refs))

    def matched(self, texts: Iterable[str]) -> list[OrgRef]:
        """The loaded organisations affiliation strings match, and their departments."""
        refs = self.resolver.resolve(texts)
        known = {r.iri for r in refs if not r.describe}
        return [r for r in refs if not r.describe or r.parent in known]


class ScholarlyConverter(Converter):
    """What the ORCID, OpenAlex and Crossref converters share: the paper registry, the
    organisation mapper and writing a work with its authors."""

    has_people = True

    def __init__(self, store: Store):
        super().__init__(store)
        self.papers = PaperRegistry(store, self.kind)
        self.orgs = OrgMapper(store, self.papers)

    def begin(self, path: Path, builder: GraphBuilder) -> ScholarlyBuilder:
        self.papers.start_file(path)
        return ScholarlyBuilder(builder)

    def finish(self, builder: GraphBuilder) -> None:
        """Record how affiliation strings were matched (as the PubMed converter does)."""
        for match in self.orgs.resolver.matches.values():
            builder.affiliation_match(match)

    def write_work(self, sb: ScholarlyBuilder, work: Work) -> PaperSlot | None:
        """A work with its authors: the paper's ranked author list when this source gives it,
        else a claim for each author with an ORCID iD."""
        slot = self.papers.slot(work.pmid, work.doi, author_list=bool(work.authors))
        if slot is None:
            return None
        sb.paper(slot, work)
        for author in work.authors:
            if slot.ranked:
                orgs = self.orgs.of_author(sb, author) if author.named else ()
                sb.ranked_authorship(slot.iri, work.source, author, orgs)
            elif author.orcid:
                sb.claimed_authorship(sb.source_authorship(slot.iri, work.source, author.orcid), slot.iri,
                                      author.family_name, author.given_name, author.orcid,
                                      author.affiliations, self.orgs.of_author(sb, author), author.source_id)
        return slot


def modelled(items: Iterable[T | UnmodelledRecord], path: Path, report: FileReport) -> Iterator[T]:
    """The records hubgraph models; the others become warnings in ``report``."""
    for item in items:
        if isinstance(item, UnmodelledRecord):
            report.warnings.append(item.describe(path.name))
        else:
            yield item


# -- Crossref --------------------------------------------------------------------------------


def read_crossref(path: str | os.PathLike[str]) -> Iterator[Work | SkippedRecord | UnmodelledRecord]:
    """The works of a Crossref REST API response file."""
    name = os.fspath(path)
    yield from parse_crossref(load_json(name), name)


def parse_crossref(data: object, source: str = "<json>") -> Iterator[Work | SkippedRecord | UnmodelledRecord]:
    """The works of decoded Crossref JSON (a ``work`` or ``work-list`` message, a work, a list)."""
    if isinstance(data, dict) and "message-type" in data:
        kind, message = data.get("message-type"), data.get("message")
        if kind == "work":
            items: object = [message]
        elif kind == "work-list":
            items = message.get("items") if isinstance(message, dict) else None
            if not isinstance(items, list):
                raise IngestError(source, 'a "work-list" message must have an "items" array')
        else:
            yield UnmodelledRecord(1, None, f"Crossref {kind}")
            return
    elif isinstance(data, dict) and "DOI" in data:
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise IngestError(source, 'expected a Crossref works response ({"message-type": "work" or '
                                  '"work-list", "message": ...}), a work or a JSON array of works')
    for index, item in enumerate(items, start=1):
        yield _crossref_work(item, index)


def _crossref_work(item: object, index: int) -> Work | SkippedRecord:
    if not isinstance(item, dict):
        return SkippedRecord(index, None, "DOI", "not a JSON object")
    doi = normalize_doi(item.get("DOI") if isinstance(item.get("DOI"), str) else None)
    if doi is None:
        return SkippedRecord(index, None, "DOI", "no DOI" if not item.get("DOI") else "not a DOI")
    date = _date_parts(item.get("issued")) or _date_parts(item.get("published")) \
        or _date_parts(item.get("published-print")) or _date_parts(item.get("published-online"))
    issns = [v for v in item.get("ISSN") or () if isinstance(v, str)]
    return Work(
        source="crossref",
        doi=doi,
        title=_first_text(item.get("title")),
        type=item.get("type") if isinstance(item.get("type"), str) else None,
        date=date,
        year=year_of(date),
        journal_title=_first_text(item.get("container-title")),
        issn=issns[0] if issns else None,
        volume=clean_text(item.get("volume")),
        issue=clean_text(item.get("issue")),
        pages=clean_text(item.get("page")),
        language=clean_text(item.get("language")),
        abstract=clean_text(item.get("abstract")),
        keywords=tuple(dict.fromkeys(k for k in map(clean_text, item.get("subject") or ()) if k)),
        authors=tuple(_crossref_author(a, n) for n, a in enumerate(_dicts(item.get("author")), 1)),
    )


def _crossref_author(author: dict, position: int) -> WorkAuthor:
    affiliations, institutions = [], []
    for aff in _dicts(author.get("affiliation")):
        name = clean_text(aff.get("name"))
        if name:
            affiliations.append(name)
        for ident in _dicts(aff.get("id")):
            ror = bare_ror_id(ident.get("id") or "") if str(ident.get("id-type", "")).upper() == "ROR" else None
            if ror:
                institutions.append(InstitutionRef(name, ror))
    family, given = clean_text(author.get("family")), clean_text(author.get("given"))
    return WorkAuthor(
        position=position,
        family_name=family,
        given_name=given,
        collective_name=None if family or given else clean_text(author.get("name")),
        orcid=normalize_orcid(author.get("ORCID") or "") if isinstance(author.get("ORCID"), str) else None,
        affiliations=tuple(affiliations),
        institutions=tuple(institutions),
    )


def _date_parts(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
        return None
    first = list(parts[0]) + [None, None]
    return iso_date(first[0], first[1], first[2])


def _first_text(values: object) -> str | None:
    if isinstance(values, str):
        return clean_text(values)
    for value in values if isinstance(values, list) else ():
        text = clean_text(value)
        if text:
            return text
    return None


def _dicts(values: object) -> Iterable[dict]:
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


class CrossrefConverter(ScholarlyConverter):
    """Crossref REST API works (single or list responses)."""

    kind = "crossref"

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        sb = self.begin(path, builder)
        for item in self.usable(modelled(read_crossref(path), path, report), path.name, report, tick):
            with report.timings.stage("map"):
                self.write_work(sb, item)
        with report.timings.stage("map"):
            self.finish(builder)
