"""Patents: USPTO Red Book XML (grants and applications) and Pap2Pat paper-patent pairs.

USPTO XML
    ``us-patent-grant`` and ``us-patent-application`` documents (DTD v4.x). A bulk
    file concatenates many documents, each with its own ``<?xml?>`` declaration:
    :func:`split_xml_documents` streams them one at a time. A document that is not
    well-formed (a cut-off last document included) or has no publication number is a
    :class:`~graph.model.SkippedRecord`; a file in which no document could be read
    raises :class:`~graph.errors.IngestError`.

Pap2Pat JSON
    A pair folder ``<OpenAlex work id>-<US publication number>/`` holds
    ``patent.json`` (id, authors = inventors, title, date = filing/priority date,
    abstract, sections, claims) and ``paper.json`` (id = SemOpenAlex work IRI,
    authors, title, date, abstract, sections). ``patent.json`` becomes a
    :class:`~graph.model_grants_patents.Patent` paired with the folder's paper;
    ``paper.json`` a :class:`~graph.model_grants_patents.PaperPatentPair`.

Both give the grants a federal research statement names ("made with government
support under AG034605 ... awarded by the National Institutes of Health"), which
join the NIH grant nodes of PubMed and RePORTER.

:class:`PatentsConverter` (kind ``patents``) resolves organisation assignees with the
:class:`~ingest.affiliations.AffiliationResolver` ("Washington University" lands on
its ROR organisation when loaded), cited papers' DOIs with the
:class:`~ingest.papers.PaperIndex`, and writes with
:mod:`graph.build_grants_patents`.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from graph.build import GraphBuilder
from graph.build_grants_patents import openalex_paper_iri, write_paired_paper, write_patent
from graph.errors import IngestError
from graph.model import OrgRef, SkippedRecord
from graph.model_grants_patents import (
    Assignee, CitedPaper, CitedPatent, Inventor, PaperPatentPair, Patent,
)
from graph.namespaces import HG
from graph.store import Store
from graph.uris import nih_grant_key
from ingest.affiliations import AffiliationResolver
from ingest.nih_reporter import resolve_institution
from ingest.papers import PaperIndex
from ingest.pipeline import Converter, FileReport

__all__ = [
    "PatentsConverter", "read_patents", "split_xml_documents", "parse_uspto_document",
    "parse_pap2pat", "patent_number", "split_name", "federal_grants", "uspto_date",
]

Record = Patent | PaperPatentPair | SkippedRecord

_PATENT_ROOTS = ("us-patent-grant", "us-patent-application")
_XML_DECL = re.compile(rb"^\s*(\xef\xbb\xbf)?\s*<\?xml[\s?]")
_SPACE = re.compile(r"\s+")
_PAIR_FOLDER = re.compile(r"^(W\d+)-(US[0-9A-Z]+)$", re.IGNORECASE)
_US_APPLICATION = re.compile(r"^((?:19|20)\d\d)/?(\d{1,7})$")
_US_SPECIAL = re.compile(r"^(RE|PP|D|H|T|X|AI)0*(\d+)$")
_US_KIND = re.compile(r"^(\d+|(?:RE|PP|D|H|T)\d+)([ABCEPS]\d?)$")
_IPC = re.compile(r"^([A-H]\d{2}[A-Z])\s*0*(\d+)\s*/\s*(\d+)")
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;]+)", re.IGNORECASE)
_GOVERNMENT = re.compile(
    r"government (support|rights|has certain rights|may have certain rights)|federally[ -]sponsored|"
    r"federal (research|funding|grant)|statement regarding federally|made with (the )?(support|funding)",
    re.IGNORECASE,
)
_NIH_TEXT = re.compile(
    r"\bNIH\b|National Institutes? (?:of|on|for)|Public Health Service|\bUSPHS\b|\bHHS\b|"
    r"Health and Human Services|National (?:Cancer|Eye|Heart|Human Genome|Library of Medicine)",
    re.IGNORECASE,
)
_GRANT_NUMBER = re.compile(
    r"\b(?:\d\s?)?(?:[A-Z][0-9A-Z]{2}[\s-]?)?[A-Z]{2}[\s-]?\d{5,6}(?:-\d{2}[A-Z0-9]*)?\b"
)
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv v phd ph.d. md m.d.".split())
_PARTICLES = frozenset("van von de der den del della di da dos das du la le ten ter vander vanden".split())


# --------------------------------------------------------------------------- helpers


def _text(elem: etree._Element | None) -> str | None:
    if elem is None:
        return None
    value = _SPACE.sub(" ", "".join(elem.itertext())).strip()
    return value or None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


def uspto_date(value: str | None) -> str | None:
    """``2015-01-06`` for ``20150106``; ``2010-11`` for ``20101100``; None for ``00000000``."""
    if not value:
        return None
    digits = value.strip()
    if not digits.isdigit() or len(digits) != 8 or digits[:4] == "0000":
        return None
    year, month, day = digits[:4], digits[4:6], digits[6:]
    if month == "00":
        return year
    if day == "00":
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"


def patent_number(doc_number: str, country: str | None = "US") -> str:
    """The normalised number of a patent document: country code + number, no kind code,
    no punctuation, no leading zeros on US grants.

    >>> patent_number("08930553"), patent_number("2007/0140112"), patent_number("US20180372720")
    ('US8930553', 'US20070140112', 'US20180372720')
    >>> patent_number("RE041234"), patent_number("2006/021957", "WO")
    ('USRE41234', 'WO2006021957')
    """
    country = (country or "US").strip().upper() or "US"
    raw = doc_number.strip().upper().replace(" ", "").replace(",", "")
    if raw.startswith(country) and len(raw) > len(country) and (raw[len(country)].isdigit() or country == "US"):
        raw = raw[len(country):]
    if country == "US":
        app = _US_APPLICATION.match(raw)
        if app and ("/" in raw or len(raw) == 11):
            return f"US{app.group(1)}{int(app.group(2)):07d}"
        kind = _US_KIND.match(raw)
        if kind and not raw.isdigit():
            raw = kind.group(1)
        if raw.isdigit():
            return f"US{raw}" if len(raw) == 11 else f"US{int(raw)}"
        special = _US_SPECIAL.match(raw)
        if special:
            return f"US{special.group(1)}{special.group(2)}"
    return country + re.sub(r"[^0-9A-Z]", "", raw)


def _ipc_code(text: str) -> str:
    """``A61B 5/00`` for ``A61B005/00`` or ``A61B 5/00``."""
    match = _IPC.match(text.strip())
    return f"{match.group(1)} {match.group(2)}/{match.group(3)}" if match else _SPACE.sub(" ", text.strip())


def _uspc_code(text: str) -> str:
    """USPC ``class/subclass`` from the fixed-width field: class in 3 characters,
    subclass in 3, then its decimal digits (``709228`` -> ``709/228``, ``714  4`` ->
    ``714/4``, ``34053912`` -> ``340/539.12``, ``600300000`` -> ``600/300``)."""
    cls, sub, decimals = text[:3].strip(), text[3:6].strip(), text[6:].strip().rstrip("0")
    if cls.isdigit():
        cls = cls.lstrip("0") or "0"
    if sub.isdigit():
        sub = sub.lstrip("0") or "0"
    if not sub:
        return cls
    return f"{cls}/{sub}" + (f".{decimals}" if decimals else "")


def split_name(name: str) -> tuple[str | None, str | None]:
    """(family, given) of a full name ("Randall J. Bateman" -> Bateman, Randall J.).

    "Family, Given" is understood; suffixes (Jr., III) are dropped; particles (van,
    de) stay with the family name.
    """
    name = _SPACE.sub(" ", name).strip()
    if not name:
        return None, None
    if "," in name:
        family, _, given = name.partition(",")
        given_words = [w for w in given.split() if w.lower() not in _SUFFIXES]
        return family.strip() or None, " ".join(given_words) or None
    words = [w for w in name.split() if w.lower().rstrip(",") not in _SUFFIXES] or name.split()
    if len(words) == 1:
        return words[0], None
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def federal_grants(paragraphs: Iterable[str]) -> tuple[str, ...]:
    """NIH grant numbers named by federal research statements among ``paragraphs``
    (statements not naming NIH or an institute of it are ignored)."""
    found: dict[str, None] = {}
    for text in paragraphs:
        if not (_GOVERNMENT.search(text) and _NIH_TEXT.search(text)):
            continue
        for match in _GRANT_NUMBER.finditer(text):
            number = match.group().strip()
            if nih_grant_key(number):
                found[number] = None
    return tuple(found)


def _cited_paper(text: str) -> CitedPaper | None:
    pmid = _PMID.search(text)
    doi = _DOI.search(text)
    if not pmid and not doi:
        return None
    return CitedPaper(text, pmid.group(1) if pmid else None,
                      doi.group(1).rstrip(".)]").lower() if doi else None)


# --------------------------------------------------------------------------- USPTO XML


def split_xml_documents(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """The XML documents of a file that concatenates them, each with the line it starts on."""
    buffer: list[bytes] = []
    start = 0
    for line_no, line in enumerate(stream, start=1):
        if _XML_DECL.match(line) and any(chunk.strip() for chunk in buffer):
            yield start, b"".join(buffer)
            buffer = []
        if not buffer:
            start = line_no
        buffer.append(line)
    if any(chunk.strip() for chunk in buffer):
        yield start, b"".join(buffer)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                           remove_comments=True, remove_pis=True, recover=False)


_DOC_NUMBER = re.compile(rb"<doc-number>\s*([^<\s]+)\s*</doc-number>")


def parse_uspto_document(data: bytes, index: int = 1, line: int = 1) -> Patent | SkippedRecord:
    """One USPTO grant or application document, or why it cannot be used."""
    guess = _DOC_NUMBER.search(data)
    record_id = guess.group(1).decode("ascii", "replace") if guess else None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        where = line + (exc.lineno or 1) - 1
        return SkippedRecord(index, record_id, "xml", f"malformed or truncated XML at line {where}: {exc.msg}")
    if root.tag not in _PATENT_ROOTS:
        return SkippedRecord(index, record_id, "root",
                             f"<{root.tag}> is not a us-patent-grant or us-patent-application document")
    kind = "grant" if root.tag == "us-patent-grant" else "application"
    biblio = root.find("us-bibliographic-data-grant" if kind == "grant" else "us-bibliographic-data-application")
    if biblio is None:
        return SkippedRecord(index, record_id, "us-bibliographic-data", "no bibliographic data")
    pub = biblio.find("publication-reference/document-id")
    doc_number = _text(pub.find("doc-number")) if pub is not None else None
    if pub is None or not doc_number:
        return SkippedRecord(index, record_id, "publication-reference/doc-number", "no publication number")
    country = _text(pub.find("country")) or "US"
    app = biblio.find("application-reference/document-id")
    parties = biblio.find("us-parties")
    if parties is None:
        parties = biblio.find("parties")
    return Patent(
        number=patent_number(doc_number, country),
        kind=kind,
        title=_text(biblio.find("invention-title")),
        abstract=_text(root.find("abstract")),
        kind_code=_text(pub.find("kind")),
        application_number=_text(app.find("doc-number")) if app is not None else None,
        filed=uspto_date(_text(app.find("date"))) if app is not None else None,
        published=uspto_date(_text(pub.find("date"))),
        inventors=_inventors(parties),
        assignees=_assignees(biblio),
        cpc=_cpc(biblio),
        ipc=_ipc(biblio),
        uspc=_uspc(biblio),
        cited_patents=_cited_patents(biblio),
        cited_papers=_cited_papers(biblio),
        grants=federal_grants(_description_paragraphs(root)),
    )


def _address(book: etree._Element) -> tuple[str | None, str | None, str | None]:
    address = book.find("address")
    if address is None:
        return None, None, None
    country = _text(address.find("country"))
    if country and country.lower() == "unknown":
        country = None
    return _text(address.find("city")), _text(address.find("state")), country


def _inventors(parties: etree._Element | None) -> tuple[Inventor, ...]:
    if parties is None:
        return ()
    people = list(parties.iterfind("inventors/inventor"))
    if not people:
        people = [a for a in parties.iterfind("us-applicants/us-applicant") if "inventor" in a.get("app-type", "")]
        people += [a for a in parties.iterfind("applicants/applicant") if "inventor" in a.get("app-type", "")]
    inventors = []
    for person in people:
        book = person.find("addressbook")
        if book is None:
            continue
        family, given = _text(book.find("last-name")), _text(book.find("first-name"))
        if not family and not given:
            continue
        city, state, country = _address(book)
        inventors.append(Inventor(len(inventors) + 1, family, given, city, state, country))
    return tuple(inventors)


def _assignees(biblio: etree._Element) -> tuple[Assignee, ...]:
    assignees = []
    for assignee in biblio.iterfind("assignees/assignee"):
        book = assignee.find("addressbook")
        if book is None:
            book = assignee
        name = _text(book.find("orgname"))
        family, given = _text(book.find("last-name")), _text(book.find("first-name"))
        if not (name or family):
            continue
        city, state, country = _address(book)
        assignees.append(Assignee(name, None if name else family, None if name else given,
                                  _text(book.find("role")), city, state, country))
    return tuple(assignees)


def _classification_symbol(elem: etree._Element) -> str | None:
    parts = [_text(elem.find(tag)) or "" for tag in ("section", "class", "subclass", "main-group", "subgroup")]
    if not all(parts[:4]):
        return None
    return f"{parts[0]}{parts[1]}{parts[2]} {parts[3]}/{parts[4] or '00'}"


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _cpc(biblio: etree._Element) -> tuple[str, ...]:
    return _unique(_classification_symbol(c) for c in biblio.iterfind("classifications-cpc//classification-cpc"))


def _ipc(biblio: etree._Element) -> tuple[str, ...]:
    codes = [_classification_symbol(c) for c in biblio.iterfind("classifications-ipcr/classification-ipcr")]
    for old in biblio.iterfind("classification-ipc"):
        for tag in ("main-classification", "further-classification"):
            codes += [_ipc_code(t) for e in old.iterfind(tag) if (t := _text(e))]
    return _unique(codes)


def _uspc(biblio: etree._Element) -> tuple[str, ...]:
    codes: list[str | None] = []
    for national in biblio.iterfind("classification-national"):
        for tag in ("main-classification", "further-classification"):
            codes += [_uspc_code(e.text) for e in national.iterfind(tag) if e.text and e.text.strip()]
    return _unique(codes)


def _citations(biblio: etree._Element) -> Iterator[etree._Element]:
    for holder in ("us-references-cited", "references-cited"):
        for container in biblio.iterfind(holder):
            yield from container


def _cited_patents(biblio: etree._Element) -> tuple[CitedPatent, ...]:
    cited: dict[str, CitedPatent] = {}
    for citation in _citations(biblio):
        doc = citation.find("patcit/document-id")
        number = _text(doc.find("doc-number")) if doc is not None else None
        if doc is None or not number:
            continue
        country = _text(doc.find("country")) or "US"
        normalised = patent_number(number, country)
        cited.setdefault(normalised, CitedPatent(
            normalised, country, number, _text(doc.find("kind")), _text(doc.find("name")),
            uspto_date(_text(doc.find("date"))), _text(citation.find("category")),
        ))
    return tuple(cited.values())


def _cited_papers(biblio: etree._Element) -> tuple[CitedPaper, ...]:
    papers = []
    for citation in _citations(biblio):
        text = _text(citation.find("nplcit/othercit"))
        paper = _cited_paper(text) if text else None
        if paper is not None:
            papers.append(paper)
    return tuple(papers)


def _description_paragraphs(root: etree._Element) -> Iterator[str]:
    description = root.find("description")
    if description is None:
        return
    for p in description.iter("p"):
        text = _text(p)
        if text:
            yield text


def parse_uspto_xml(stream: IO[bytes], source: str) -> Iterator[Patent | SkippedRecord]:
    """The patents of a USPTO XML file of one or many concatenated documents.

    Raises :class:`IngestError` when no document of the file could be read (a single
    truncated document, a file of non-patent documents).
    """
    index = good = 0
    first_problem: SkippedRecord | None = None
    for index, (line, data) in enumerate(split_xml_documents(stream), start=1):
        record = parse_uspto_document(data, index, line)
        if isinstance(record, SkippedRecord):
            first_problem = first_problem or record
        else:
            good += 1
        yield record
    if index == 0:
        raise IngestError(source, "no XML documents found")
    if good == 0 and first_problem is not None:
        raise IngestError(source, f"no patent document could be read: {first_problem.reason}",
                          record=first_problem.record_id, field=first_problem.field)


# --------------------------------------------------------------------------- Pap2Pat JSON


def _sections_text(sections: Any) -> Iterator[str]:
    """Every paragraph of Pap2Pat ``sections`` (nested title / paragraphs / subsections),
    each headed by its section title so that a "GOVERNMENT LICENSE RIGHTS" heading counts."""
    if not isinstance(sections, list):
        return
    for section in sections:
        if not isinstance(section, dict):
            continue
        title = _clean(section.get("title")) or ""
        for paragraph in section.get("paragraphs") or ():
            if isinstance(paragraph, str):
                yield f"{title}: {paragraph}"
        yield from _sections_text(section.get("subsections"))


def _pair_folder(path: Path) -> tuple[str | None, str | None]:
    """(OpenAlex work id, patent number) that a Pap2Pat pair folder's name gives."""
    match = _PAIR_FOLDER.match(path.parent.name)
    if not match:
        return None, None
    return match.group(1).upper(), patent_number(match.group(2))


def _sibling_id(path: Path, name: str) -> str | None:
    try:
        data = json.loads((path.parent / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _clean(data.get("id")) if isinstance(data, dict) else None


def _work_id(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"(W\d+)\s*$", value, re.IGNORECASE)
    return match.group(1).upper() if match else None


def _iso_date(value: str | None) -> str | None:
    """``2018-06-25`` for Pap2Pat's ``2018-06-25 00:00:00``."""
    match = re.match(r"^(\d{4})(-\d{2}(-\d{2})?)?", value or "")
    return match.group() if match else None


def parse_pap2pat(data: Any, path: Path, index: int = 1) -> Patent | PaperPatentPair | SkippedRecord:
    """A Pap2Pat ``patent.json`` or ``paper.json`` object (told apart by its id)."""
    if not isinstance(data, dict):
        return SkippedRecord(index, None, "record", "not a JSON object")
    raw_id = _clean(data.get("id"))
    authors = data.get("authors") or []
    if not isinstance(authors, list):
        return SkippedRecord(index, raw_id, "authors", "not a list of names")
    names = tuple(n for n in (_clean(a) for a in authors) if n)
    date = _iso_date(_clean(data.get("date")))
    folder_work, folder_patent = _pair_folder(path)
    is_paper = raw_id is not None and ("openalex" in raw_id.lower() or _work_id(raw_id) == raw_id.upper())
    if raw_id is None:
        return SkippedRecord(index, None, "id", "no id (a US publication number or an OpenAlex work IRI)")
    if is_paper:
        work = _work_id(raw_id)
        if work is None:
            return SkippedRecord(index, raw_id, "id", "not an OpenAlex work IRI")
        patent = folder_patent
        if patent is None and (sibling := _sibling_id(path, "patent.json")):
            patent = patent_number(sibling)
        return PaperPatentPair(work, patent, _clean(data.get("title")), date,
                               _clean(data.get("abstract")), names)
    if not re.match(r"^US\s*[\dA-Z/,]+$", raw_id, re.IGNORECASE):
        return SkippedRecord(index, raw_id, "id", "not a US publication number")
    number = patent_number(raw_id)
    paper = folder_work or _work_id(_sibling_id(path, "paper.json"))
    inventors = []
    for name in names:
        family, given = split_name(name)
        if family or given:
            inventors.append(Inventor(len(inventors) + 1, family, given))
    digits = number[2:]
    return Patent(
        number=number,
        kind="application" if len(digits) == 11 and digits.isdigit() else "grant",
        title=_clean(data.get("title")),
        abstract=_clean(data.get("abstract")),
        filed=date,
        inventors=tuple(inventors),
        grants=federal_grants(_sections_text(data.get("sections"))),
        paired_papers=(paper,) if paper else (),
    )


# --------------------------------------------------------------------------- files


def read_patents(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Yield the records of a USPTO XML file or a Pap2Pat JSON file (gzipped or not).

    Raises :class:`IngestError` naming the file when it cannot be read or parsed at all.
    """
    file = Path(path)
    label = os.fsdecode(os.fspath(path))
    try:
        raw = open(file, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise IngestError(label, f"cannot open file: {exc.strerror or exc}") from exc
    stream: IO[bytes] = raw
    try:
        if raw.peek(2)[:2] == b"\x1f\x8b":
            stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        head = _first_byte(stream)
        if not head:
            raise IngestError(label, "empty file")
        if head == b"<":
            yield from parse_uspto_xml(stream, label)
        elif head in (b"{", b"["):
            yield from _json_records(stream, file, label)
        else:
            raise IngestError(label, "neither USPTO XML nor Pap2Pat JSON")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise IngestError(label, f"truncated or corrupt gzip data ({exc})") from exc
    except OSError as exc:
        raise IngestError(label, f"cannot read file: {exc}") from exc
    finally:
        if stream is not raw:
            stream.close()
        raw.close()


def _first_byte(stream: IO[bytes]) -> bytes:
    """The first byte that is not white space or a BOM, peeked (nothing is consumed)."""
    peek = getattr(stream, "peek", None)
    data = peek(64) if peek else b""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def _json_records(stream: IO[bytes], path: Path, source: str) -> Iterator[Record]:
    try:
        data = json.loads(stream.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(source, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    items = data if isinstance(data, list) else [data]
    if isinstance(data, dict) and "id" not in data:
        raise IngestError(source, "not a Pap2Pat patent.json or paper.json (no \"id\")")
    for index, item in enumerate(items, start=1):
        yield parse_pap2pat(item, path, index)


# --------------------------------------------------------------------------- converter

Tick = Callable[[int], None]


class PatentsConverter(Converter):
    """USPTO patent grant / application XML and Pap2Pat paper-patent pair JSON."""

    kind = "patents"
    has_people = True

    def __init__(self, store: Store):
        super().__init__(store)
        from ingest.kinds import load_org_index  # noqa: PLC0415 - ingest.kinds imports this module

        self.resolver = AffiliationResolver(store.minter, load_org_index(store))
        self._papers: PaperIndex | None = None
        self._orgs: dict[Assignee, OrgRef] = {}

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        timings = report.timings
        for item in self.usable(read_patents(path), path.name, report, tick):
            if isinstance(item, PaperPatentPair):
                with timings.stage("map"):
                    iri, describe = self.paper_for_work(item.work_id)
                    write_paired_paper(builder, item, [split_name(a) for a in item.authors], iri, describe)
                continue
            with timings.stage("affiliations"):
                orgs = list(dict.fromkeys(self.assignee_org(a) for a in item.assignees if not a.is_person))
            with timings.stage("map"):
                write_patent(builder, item, orgs, self._paper_iris(item),
                             [self.paper_for_work(w)[0] for w in item.paired_papers])
        with timings.stage("map"):
            for match in self.resolver.matches.values():
                builder.affiliation_match(match)

    def paper_for_work(self, work_id: str) -> tuple[str, bool]:
        """The paper node of an OpenAlex work, and whether this source describes it: the
        paper another source (OpenAlex, by its ``hg:externalId "openalex:W…"``) already
        gave that id, else ``paper/openalex-{W-id}`` described from the pair."""
        own = openalex_paper_iri(self.store.minter, work_id)
        rows = self.store.select(
            f'SELECT ?p WHERE {{ ?p <{HG}externalId> "openalex:{work_id}" FILTER(?p != <{own}>) }} ORDER BY ?p')
        return (rows[0]["p"], False) if rows else (own, True)

    def _paper_iris(self, patent: Patent) -> list[str]:
        if not patent.cited_papers:
            return []
        if self._papers is None:
            self._papers = PaperIndex.load(self.store)
        iris = (self._papers.iri(c.pmid, c.doi) for c in patent.cited_papers)
        return [i for i in iris if i]

    def assignee_org(self, assignee: Assignee) -> OrgRef:
        """The organisation an assignee is (see :func:`ingest.nih_reporter.resolve_institution`)."""
        cached = self._orgs.get(assignee)
        if cached is None:
            cached = resolve_institution(self.resolver, assignee.name or "", assignee.city, assignee.country,
                                         government=assignee.type_code in ("06", "07", "08", "09"))
            self._orgs[assignee] = cached
        return cached
