"""Streaming readers for PubMed/MEDLINE citations.

Three entry points yield :class:`graph.model.Article` records (or
:class:`graph.model.SkippedRecord` for a citation that cannot be used):

* :func:`parse_pubmed_xml` reads efetch XML (``<PubmedArticleSet>``) and the older
  MEDLINE baseline XML (``<MedlineCitationSet>``, DTD 2016 and earlier);
* :func:`parse_medline_text` reads the MEDLINE/nbib tagged text format;
* :func:`read_pubmed` opens a file (plain or gzipped) and picks one of the two.

A file that cannot be parsed at all raises :class:`graph.errors.IngestError`, possibly
after some records were already yielded.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from lxml import etree

from graph.errors import IngestError
from graph.model import (
    Article,
    AuthorMention,
    GrantRef,
    MeshHeading,
    MeshQualifier,
    PublicationType,
    SkippedRecord,
)
from ingest.files import GZIP_MAGIC

__all__ = [
    "parse_pubmed_xml",
    "parse_medline_text",
    "read_pubmed",
    "normalize_orcid",
    "normalize_doi",
]

# --------------------------------------------------------------------------- helpers

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")

_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "dx.doi.org/",
    "doi:",
)
_ORCID_PREFIXES = (
    "https://orcid.org/",
    "http://orcid.org/",
    "https://www.orcid.org/",
    "http://www.orcid.org/",
    "orcid.org/",
    "orcid:",
)
_NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "V", "2nd", "3rd", "4th"})


def _clean(value: str | None) -> str | None:
    """Collapse runs of whitespace; empty becomes None."""
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def _full_text(elem: etree._Element | None) -> str | None:
    """Text of an element including inline markup (``<i>``, ``<sup>``), collapsed."""
    if elem is None:
        return None
    if len(elem):
        return _clean("".join(elem.itertext()))
    return _clean(elem.text)


def normalize_orcid(value: str) -> str | None:
    """Return the canonical ``0000-0002-1694-233X`` form of an ORCID iD, or None.

    Accepts the bare iD with or without hyphens and ``orcid.org`` URLs; the ISO 7064
    11,2 check character must be right.
    """
    if not value:
        return None
    text = value.strip()
    lower = text.lower()
    for prefix in _ORCID_PREFIXES:
        if lower.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    if "-" in text:
        groups = text.split("-")
        if len(groups) != 4 or any(len(g) != 4 for g in groups):
            return None
        text = "".join(groups)
    if len(text) != 16:
        return None
    body, check = text[:15], text[15].upper()
    if not text.isascii() or not body.isdigit() or not (check.isdigit() or check == "X"):
        return None
    total = 0
    for ch in body:
        total = (total + ord(ch) - 48) * 2
    result = (12 - total % 11) % 11
    if check != ("X" if result == 10 else chr(48 + result)):
        return None
    text = body + check
    return f"{text[0:4]}-{text[4:8]}-{text[8:12]}-{text[12:16]}"


def normalize_doi(value: str | None) -> str | None:
    """Return a DOI lower-cased without resolver prefix, or None if it is not a DOI."""
    if not value:
        return None
    text = value.strip().lower()
    for prefix in _DOI_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    if text.startswith("10.") and "/" in text:
        return text
    return None


def _month_number(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value[:3].lower()) if value.isalpha() else None


def _iso_date(year: str | None, month: str | None, day: str | None) -> str | None:
    """ISO date at the precision the parts allow; None without a 4-digit year."""
    if not year:
        return None
    year = year.strip()
    if len(year) != 4 or not year.isdigit():
        return None
    number = _month_number(month)
    if number is None:
        return year
    out = f"{year}-{number:02d}"
    if day:
        day = day.strip()
        if day.isdigit():
            d = int(day)
            limit = _DAYS_IN_MONTH[number]
            if number == 2 and not _is_leap(int(year)):
                limit = 28
            if 1 <= d <= limit:
                out = f"{out}-{d:02d}"
    return out


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _free_date(value: str | None) -> str | None:
    """Parse ``MedlineDate``/``DP`` text: ``2003 Apr 23-30`` -> ``2003-04``.

    Only leading parts that are single values are kept: a day or month range drops
    that part; a year range keeps its first year.
    """
    if not value:
        return None
    tokens = value.split()
    if not tokens:
        return None
    first = tokens[0]
    year = first[:4]
    if not (year.isdigit() and (len(first) == 4 or not first[4].isdigit())):
        match = _YEAR_RE.search(value)
        return match.group(0) if match else None
    if len(first) != 4 or len(tokens) < 2:
        return year
    month = _month_number(tokens[1])
    if month is None:
        return year
    day = tokens[2] if len(tokens) == 3 and tokens[2].isdigit() else None
    return _iso_date(year, tokens[1], day)


def _year_of(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _authors_with_article_affiliation(
    authors: list[AuthorMention], affiliation: str | None
) -> tuple[AuthorMention, ...]:
    """Attach an article-level affiliation to the first author when no author has one."""
    if affiliation and authors and not any(a.affiliations for a in authors):
        first = authors[0]
        authors[0] = AuthorMention(
            rank=first.rank,
            family_name=first.family_name,
            given_name=first.given_name,
            initials=first.initials,
            suffix=first.suffix,
            collective_name=first.collective_name,
            orcid=first.orcid,
            affiliations=(affiliation,),
        )
    return tuple(authors)


# --------------------------------------------------------------------------- XML

_XML_RECORD_TAGS = ("PubmedArticle", "MedlineCitation", "PubmedBookArticle")
_XML_ROOTS = ("PubmedArticleSet", "MedlineCitationSet")


def parse_pubmed_xml(stream: BinaryIO, source: str = "<stream>") -> Iterator[Article | SkippedRecord]:
    """Yield the citations of a PubMed efetch or MEDLINE XML stream, in file order.

    Raises :class:`IngestError` (naming ``source``) on malformed XML, a root element
    that is neither ``PubmedArticleSet`` nor ``MedlineCitationSet``, or a document
    without any citation.
    """
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=_XML_RECORD_TAGS,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    index = 0
    try:
        for _event, elem in context:
            tag = elem.tag
            parent = elem.getparent()
            if parent is not None and parent.tag == "PubmedArticle":
                continue  # the MedlineCitation of a PubmedArticle: handled at its end
            if index == 0:
                _check_root(elem, source)
            index += 1
            if tag == "PubmedBookArticle":
                record: Article | SkippedRecord = SkippedRecord(
                    index,
                    _clean(elem.findtext("BookDocument/PMID")),
                    "PubmedBookArticle",
                    "book records are not supported",
                )
            elif tag == "PubmedArticle":
                record = _xml_record(elem.find("MedlineCitation"), elem.find("PubmedData"), index)
            else:
                record = _xml_record(elem, None, index)
            elem.clear(keep_tail=True)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
            yield record
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else (exc.position or (0,))[0]
        raise IngestError(source, f"XML syntax error at line {line}: {exc.msg}") from exc
    if index == 0:
        root = context.root
        if root is not None and root.tag not in _XML_ROOTS:
            raise IngestError(source, _wrong_root_message(root.tag))
        raise IngestError(source, "no PubmedArticle or MedlineCitation records found")


def _wrong_root_message(tag: object) -> str:
    return f"wrong root element <{tag}>, expected <PubmedArticleSet> or <MedlineCitationSet>"


def _check_root(elem: etree._Element, source: str) -> None:
    root = elem
    while (up := root.getparent()) is not None:
        root = up
    if root.tag not in _XML_ROOTS:
        raise IngestError(source, _wrong_root_message(root.tag))


def _xml_record(
    citation: etree._Element | None, pubmed_data: etree._Element | None, index: int
) -> Article | SkippedRecord:
    """Build one Article from a MedlineCitation (and the PubmedData next to it)."""
    if citation is None:
        return SkippedRecord(index, None, "MedlineCitation", "PubmedArticle has no MedlineCitation")

    pmid_elem = citation.find("PMID")
    pmid = _clean(pmid_elem.text) if pmid_elem is not None else None
    if pmid is None:
        return SkippedRecord(index, None, "PMID", "missing PMID")
    if not pmid.isdigit() or not pmid.isascii():
        return SkippedRecord(index, pmid, "PMID", f"PMID is not a number: {pmid!r}")

    article = None
    nlm_journal_id = medline_ta = issn_linking = None
    date_completed = date_created = None
    mesh: list[MeshHeading] = []
    keywords: dict[str, None] = {}
    for child in citation:
        ctag = child.tag
        if ctag == "Article":
            article = child
        elif ctag == "MeshHeadingList":
            mesh.extend(_xml_mesh(child))
        elif ctag == "KeywordList":
            for kw in child.iterchildren("Keyword"):
                text = _full_text(kw)
                if text:
                    keywords[text] = None
        elif ctag == "MedlineJournalInfo":
            for info in child:
                itag = info.tag
                if itag == "NlmUniqueID":
                    nlm_journal_id = _clean(info.text)
                elif itag == "MedlineTA":
                    medline_ta = _clean(info.text)
                elif itag == "ISSNLinking":
                    issn_linking = _clean(info.text)
        elif ctag == "DateCompleted":
            date_completed = child
        elif ctag == "DateCreated":
            date_created = child
    if article is None:
        return SkippedRecord(index, pmid, "Article", "MedlineCitation has no Article")

    title = abstract = journal_title = journal_abbrev = issn = None
    volume = issue = pages = language = date = None
    vernacular = article_affiliation = None
    eloc_doi = None
    article_date = None
    authors: list[AuthorMention] = []
    publication_types: list[PublicationType] = []
    grants: list[GrantRef] = []
    trials: list[str] = []
    for child in article:
        ctag = child.tag
        if ctag == "ArticleTitle":
            title = _full_text(child)
        elif ctag == "Journal":
            for jchild in child:
                jtag = jchild.tag
                if jtag == "Title":
                    journal_title = _clean(jchild.text)
                elif jtag == "ISOAbbreviation":
                    journal_abbrev = _clean(jchild.text)
                elif jtag == "ISSN":
                    issn = _clean(jchild.text)
                elif jtag == "JournalIssue":
                    for ichild in jchild:
                        itag = ichild.tag
                        if itag == "Volume":
                            volume = _clean(ichild.text)
                        elif itag == "Issue":
                            issue = _clean(ichild.text)
                        elif itag == "PubDate":
                            date = _xml_pub_date(ichild)
        elif ctag == "AuthorList":
            authors = _xml_authors(child)
        elif ctag == "Abstract":
            abstract = _xml_abstract(child)
        elif ctag == "Pagination":
            pages = _clean(child.findtext("MedlinePgn"))
            if pages is None:
                start = _clean(child.findtext("StartPage"))
                end = _clean(child.findtext("EndPage"))
                pages = f"{start}-{end}" if start and end else start
        elif ctag == "ELocationID":
            if eloc_doi is None and child.get("EIdType") == "doi" and child.get("ValidYN") != "N":
                eloc_doi = normalize_doi(child.text)
        elif ctag == "Language":
            if language is None:
                language = _clean(child.text)
        elif ctag == "PublicationTypeList":
            for pt in child.iterchildren("PublicationType"):
                label = _clean(pt.text)
                if label:
                    publication_types.append(PublicationType(label, _clean(pt.get("UI"))))
        elif ctag == "GrantList":
            grants = _xml_grants(child)
        elif ctag == "DataBankList":
            trials.extend(_xml_trial_ids(child))
        elif ctag == "ArticleDate":
            if article_date is None:
                article_date = child
        elif ctag == "VernacularTitle":
            vernacular = _full_text(child)
        elif ctag == "Affiliation":
            article_affiliation = _full_text(child)

    if not title:
        title = vernacular
    if not title:
        return SkippedRecord(index, pmid, "ArticleTitle", "empty ArticleTitle and VernacularTitle")

    if date is None:
        for fallback in (article_date, date_completed, date_created):
            if fallback is not None:
                date = _iso_date(
                    fallback.findtext("Year"), fallback.findtext("Month"), fallback.findtext("Day")
                )
                if date is not None:
                    break

    doi = None
    if pubmed_data is not None:
        id_list = pubmed_data.find("ArticleIdList")
        if id_list is not None:
            for aid in id_list.iterchildren("ArticleId"):
                if aid.get("IdType") == "doi":
                    doi = normalize_doi(aid.text)
                    if doi:
                        break
    if doi is None:
        doi = eloc_doi

    return Article(
        pmid=pmid,
        title=title,
        abstract=abstract,
        journal_title=journal_title,
        journal_abbrev=journal_abbrev or medline_ta,
        issn=issn or issn_linking,
        nlm_journal_id=nlm_journal_id,
        volume=volume,
        issue=issue,
        pages=pages,
        year=_year_of(date),
        date=date,
        doi=doi,
        language=language,
        authors=_authors_with_article_affiliation(authors, article_affiliation),
        mesh_headings=tuple(mesh),
        keywords=tuple(keywords),
        publication_types=tuple(publication_types),
        grants=tuple(grants),
        trial_ids=tuple(dict.fromkeys(trials)),
    )


def _xml_trial_ids(databank_list: etree._Element) -> Iterator[str]:
    """ClinicalTrials.gov ids (NCT01234567) a paper names in its DataBankList."""
    for bank in databank_list.iterchildren("DataBank"):
        if (bank.findtext("DataBankName") or "").strip() != "ClinicalTrials.gov":
            continue
        for accession in bank.iter("AccessionNumber"):
            value = (accession.text or "").strip().upper()
            if _NCT.fullmatch(value):
                yield value


def _xml_pub_date(pub_date: etree._Element) -> str | None:
    year = month = day = medline_date = None
    for child in pub_date:
        tag = child.tag
        if tag == "Year":
            year = child.text
        elif tag == "Month":
            month = child.text
        elif tag == "Day":
            day = child.text
        elif tag == "MedlineDate":
            medline_date = child.text
    if year:
        return _iso_date(year, month, day)
    return _free_date(medline_date)


def _xml_abstract(abstract: etree._Element) -> str | None:
    parts = []
    for part in abstract.iterchildren("AbstractText"):
        text = _full_text(part)
        if not text:
            continue
        label = _clean(part.get("Label"))
        parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts) if parts else None


def _xml_authors(author_list: etree._Element) -> list[AuthorMention]:
    authors: list[AuthorMention] = []
    rank = 0
    for author in author_list.iterchildren("Author"):
        if author.get("ValidYN") == "N":
            continue
        rank += 1
        last = fore = first = initials = suffix = collective = orcid = None
        affiliations: list[str] = []
        for child in author:
            tag = child.tag
            text = child.text
            if tag == "LastName":
                last = " ".join(text.split()) or None if text else None
            elif tag == "ForeName":
                fore = " ".join(text.split()) or None if text else None
            elif tag == "Initials":
                initials = " ".join(text.split()) or None if text else None
            elif tag == "AffiliationInfo":
                for info in child.iterchildren("Affiliation"):
                    aff = _full_text(info)
                    if aff:
                        affiliations.append(aff)
            elif tag == "Identifier":
                if orcid is None and text and child.get("Source") == "ORCID":
                    orcid = normalize_orcid(text)
            elif tag == "CollectiveName":
                collective = _full_text(child)
            elif tag == "Suffix":
                suffix = _clean(text)
            elif tag == "Affiliation":
                aff = _full_text(child)
                if aff:
                    affiliations.append(aff)
            elif tag == "FirstName":
                first = _clean(text)
        authors.append(
            AuthorMention(
                rank=rank,
                family_name=last,
                given_name=fore or first,
                initials=initials,
                suffix=suffix,
                collective_name=collective,
                orcid=orcid,
                affiliations=tuple(affiliations),
            )
        )
    return authors


def _xml_mesh(mesh_list: etree._Element) -> Iterator[MeshHeading]:
    for heading in mesh_list.iterchildren("MeshHeading"):
        label = ui = None
        major = False
        qualifiers: list[MeshQualifier] = []
        for child in heading:
            tag = child.tag
            text = child.text
            if tag == "DescriptorName":
                label = " ".join(text.split()) if text else None
                ui = child.get("UI")
                major = child.get("MajorTopicYN") == "Y"
            elif tag == "QualifierName" and text:
                qlabel = " ".join(text.split())
                if qlabel:
                    qualifiers.append(
                        MeshQualifier(qlabel, child.get("UI"), child.get("MajorTopicYN") == "Y")
                    )
        if label:
            yield MeshHeading(label, ui, major, tuple(qualifiers))


def _xml_grants(grant_list: etree._Element) -> list[GrantRef]:
    grants = []
    for grant in grant_list.iterchildren("Grant"):
        grant_id = agency = acronym = country = None
        for child in grant:
            tag = child.tag
            if tag == "GrantID":
                grant_id = _clean(child.text)
            elif tag == "Agency":
                agency = _clean(child.text)
            elif tag == "Acronym":
                acronym = _clean(child.text)
            elif tag == "Country":
                country = _clean(child.text)
        if grant_id:
            grants.append(GrantRef(grant_id, agency, acronym, country))
    return grants


# --------------------------------------------------------------------------- MEDLINE text

_NCT = re.compile(r"NCT\d{8}")

# Tags this reader uses; a block of lines with none of them is not a record.
_MEDLINE_KNOWN_TAGS = frozenset(
    {
        "PMID", "TI", "TT", "AB", "FAU", "AU", "AD", "AUID", "CN", "MH", "OT", "PT", "GR",
        "JT", "TA", "JID", "IS", "DP", "DEP", "DCOM", "DA", "LID", "AID", "VI", "IP", "PG",
        "LA",
    }
)  # fmt: skip


def parse_medline_text(lines: Iterable[str], source: str = "<stream>") -> Iterator[Article | SkippedRecord]:
    """Yield the citations of MEDLINE/nbib tagged text (``PMID- ...``), in file order.

    Records are separated by blank lines. Raises :class:`IngestError` if the text
    holds no MEDLINE record at all.
    """
    index = 0
    lineno = 0
    fields: list[tuple[str, list[str]]] = []
    known = False
    try:
        for raw in lines:
            lineno += 1
            line = raw.rstrip("\r\n")
            if not line or line.isspace():
                if fields:
                    if known:
                        index += 1
                        yield _medline_record(fields, index)
                    fields = []
                    known = False
                continue
            if line.startswith("      "):
                if fields:
                    fields[-1][1].append(line)
                continue
            if len(line) >= 5 and line[4] == "-":
                tag = line[:4].rstrip()
                if tag.isalpha() and tag.isupper():
                    fields.append((tag, [line[5:]]))
                    if tag in _MEDLINE_KNOWN_TAGS:
                        known = True
                    continue
            if fields:  # a wrapped line without the usual indent
                fields[-1][1].append(line)
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not UTF-8 text after line {lineno} ({exc.reason})") from exc
    if fields and known:
        index += 1
        yield _medline_record(fields, index)
    if index == 0:
        raise IngestError(source, "no MEDLINE records found (expected lines like 'PMID- 12345')")


def _medline_record(fields: list[tuple[str, list[str]]], index: int) -> Article | SkippedRecord:
    """Build one Article from the (tag, lines) pairs of a MEDLINE text record."""
    single: dict[str, str] = {}
    authors: list[dict] = []
    current: dict | None = None
    article_affiliations: list[str] = []
    mesh: list[MeshHeading] = []
    keywords: dict[str, None] = {}
    publication_types: list[PublicationType] = []
    grants: list[GrantRef] = []
    trials: list[str] = []
    issns: list[str] = []
    dois: dict[str, str] = {}

    for tag, parts in fields:
        value = " ".join(" ".join(parts).split())
        if tag == "FAU":
            current = _medline_full_author(value)
            authors.append(current)
        elif tag == "AU":
            if current is not None and current.get("from_fau") and "au" not in current:
                current["au"] = value
                _medline_initials(current, value)
            elif value:
                current = _medline_short_author(value)
                authors.append(current)
        elif tag == "CN":
            current = {"collective": value or None}
            authors.append(current)
        elif tag == "AD":
            if not value:
                continue
            if current is None:
                article_affiliations.append(value)
            else:
                current.setdefault("affiliations", []).append(value)
        elif tag == "AUID":
            if current is not None and value[:6].upper() == "ORCID:" and "orcid" not in current:
                current["orcid"] = normalize_orcid(value[6:])
        elif tag == "MH":
            heading = _medline_mesh(value)
            if heading is not None:
                mesh.append(heading)
        elif tag == "OT":
            keyword = value.lstrip("*").strip()
            if keyword:
                keywords[keyword] = None
        elif tag == "PT":
            if value:
                publication_types.append(PublicationType(value))
        elif tag == "SI":
            bank, _, accession = value.partition("/")
            if bank == "ClinicalTrials.gov" and _NCT.fullmatch(accession.strip().upper()):
                trials.append(accession.strip().upper())
        elif tag == "GR":
            grant = _medline_grant(value)
            if grant is not None:
                grants.append(grant)
        elif tag == "IS":
            if value:
                issns.append(value)
        elif tag == "AID" or tag == "LID":
            if value.endswith("[doi]") and tag not in dois:
                doi = normalize_doi(value[:-5])
                if doi:
                    dois[tag] = doi
        elif tag not in single:
            single[tag] = value

    pmid = single.get("PMID") or None
    if pmid is None:
        return SkippedRecord(index, None, "PMID", "missing PMID")
    if not pmid.isdigit() or not pmid.isascii():
        return SkippedRecord(index, pmid, "PMID", f"PMID is not a number: {pmid!r}")
    title = single.get("TI") or single.get("TT")
    if not title:
        return SkippedRecord(index, pmid, "ArticleTitle", "empty TI and TT")

    date = _free_date(single.get("DP"))
    if date is None:
        for tag in ("DEP", "DCOM", "DA"):
            compact = single.get(tag, "")
            if len(compact) >= 4:
                date = _iso_date(compact[:4], compact[4:6] or None, compact[6:8] or None)
                if date is not None:
                    break

    issn = None
    for value in issns:
        if not value.endswith("(Linking)"):
            issn = value
            break
    else:
        issn = issns[0] if issns else None
    if issn is not None:
        issn = issn.partition("(")[0].strip() or None

    mentions = [
        AuthorMention(
            rank=rank,
            family_name=a.get("family"),
            given_name=a.get("given"),
            initials=a.get("initials"),
            suffix=a.get("suffix"),
            collective_name=a.get("collective"),
            orcid=a.get("orcid"),
            affiliations=tuple(a.get("affiliations", ())),
        )
        for rank, a in enumerate(authors, 1)
    ]
    article_affiliation = article_affiliations[0] if article_affiliations else None

    return Article(
        pmid=pmid,
        title=title,
        abstract=single.get("AB") or None,
        journal_title=single.get("JT") or None,
        journal_abbrev=single.get("TA") or None,
        issn=issn,
        nlm_journal_id=single.get("JID") or None,
        volume=single.get("VI") or None,
        issue=single.get("IP") or None,
        pages=single.get("PG") or None,
        year=_year_of(date),
        date=date,
        doi=dois.get("AID") or dois.get("LID"),
        language=single.get("LA") or None,
        authors=_authors_with_article_affiliation(mentions, article_affiliation),
        mesh_headings=tuple(mesh),
        keywords=tuple(keywords),
        publication_types=tuple(publication_types),
        grants=tuple(grants),
        trial_ids=tuple(dict.fromkeys(trials)),
    )


def _medline_full_author(value: str) -> dict:
    """``FAU - de Hoon, M J L`` (optionally ``, Jr``) -> name parts."""
    family, _, rest = value.partition(",")
    given, _, suffix = rest.partition(",")
    given = given.strip()
    suffix = suffix.strip()
    if not suffix and given:
        head, _, last = given.rpartition(" ")
        if head and last in _NAME_SUFFIXES:
            given, suffix = head, last
    return {
        "from_fau": True,
        "family": family.strip() or None,
        "given": given or None,
        "suffix": suffix or None,
    }


def _medline_initials(author: dict, au: str) -> None:
    """Take the initials from ``AU - de Hoon MJ`` for an author read from FAU."""
    family = author.get("family")
    if family and au.startswith(family + " "):
        rest = au[len(family) + 1 :].split()
    else:
        rest = au.split()[-1:]
    if rest and rest[-1] in _NAME_SUFFIXES:
        rest = rest[:-1]
    if rest:
        author["initials"] = rest[0]


def _medline_short_author(value: str) -> dict:
    """``AU - Casbon JA`` without a preceding FAU -> name parts."""
    tokens = value.split()
    suffix = None
    if len(tokens) > 2 and tokens[-1] in _NAME_SUFFIXES:
        suffix = tokens.pop()
    initials = None
    if len(tokens) > 1 and tokens[-1].isalpha() and tokens[-1].isupper():
        initials = tokens.pop()
    return {"family": " ".join(tokens) or None, "initials": initials, "suffix": suffix}


def _medline_mesh(value: str) -> MeshHeading | None:
    """``Alzheimer Disease/*genetics/metabolism`` -> heading with qualifiers."""
    descriptor, *qualifiers = value.split("/")
    major = descriptor.startswith("*")
    label = descriptor.lstrip("*").strip()
    if not label:
        return None
    quals = []
    for qualifier in qualifiers:
        qlabel = qualifier.lstrip("*").strip()
        if qlabel:
            quals.append(MeshQualifier(qlabel, None, qualifier.lstrip().startswith("*")))
    return MeshHeading(label, None, major, tuple(quals))


def _medline_grant(value: str) -> GrantRef | None:
    """``AG09287/AG/NIA NIH HHS/United States`` -> grant (id/acronym/agency/country)."""
    parts = [p.strip() for p in value.split("/")]
    if len(parts) >= 4:
        grant_id = "/".join(parts[:-3])
        acronym, agency, country = parts[-3:]
    elif len(parts) == 3:
        grant_id, agency, country = parts
        acronym = None
    elif len(parts) == 2 and any(ch.isdigit() for ch in parts[0]):
        grant_id, agency = parts
        acronym = country = None
    else:
        return None
    if not grant_id:
        return None
    return GrantRef(grant_id, agency or None, acronym or None, country or None)


# --------------------------------------------------------------------------- files

_UTF8_BOM = b"\xef\xbb\xbf"
_BLANK = b" \t\r\n"


def read_pubmed(path: str | os.PathLike) -> Iterator[Article | SkippedRecord]:
    """Yield the citations of a PubMed XML or MEDLINE text file, gzipped or not.

    The kind is detected from the content. Raises :class:`IngestError` (naming the
    file) when the file cannot be read or parsed at all.
    """
    name = os.fspath(path)
    label = os.fsdecode(name)
    try:
        raw = open(name, "rb")  # noqa: SIM115 - closed by the ExitStack below
    except OSError as exc:
        raise IngestError(label, f"cannot open file: {exc.strerror or exc}") from exc
    with contextlib.ExitStack() as stack:
        stack.callback(raw.close)
        try:
            stream: BinaryIO = raw
            if raw.peek(2)[:2] == GZIP_MAGIC:
                gz = gzip.GzipFile(fileobj=raw, mode="rb")
                stack.callback(gz.close)
                stream = gz  # type: ignore[assignment]
            first = _first_significant_byte(stream)
            if not first:
                raise IngestError(label, "empty file")
            if first == b"<":
                yield from parse_pubmed_xml(stream, label)
            else:
                yield from parse_medline_text(_utf8_lines(stream, label), label)
        except EOFError as exc:
            raise IngestError(label, f"truncated gzip stream ({exc})") from exc
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise IngestError(label, f"corrupt gzip stream ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise IngestError(label, f"not UTF-8 text ({exc.reason})") from exc
        except OSError as exc:
            raise IngestError(label, f"cannot read file: {exc}") from exc


def _utf8_lines(stream: BinaryIO, source: str) -> Iterator[str]:
    """Decode a binary stream line by line, naming the first line that is not UTF-8."""
    encoding = "utf-8-sig"  # a BOM may start the first line only
    for lineno, raw in enumerate(stream, 1):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise IngestError(
                source, f"not UTF-8 text at line {lineno}, byte {exc.start + 1} ({exc.reason})"
            ) from exc
        encoding = "utf-8"


def _first_significant_byte(stream: BinaryIO) -> bytes:
    """The first byte after any BOM and whitespace, without consuming it if possible."""
    while True:
        head = stream.peek(64)  # type: ignore[attr-defined]
        if not head:
            return b""
        rest = head[3:] if head.startswith(_UTF8_BOM) else head
        rest = rest.lstrip(_BLANK)
        if rest:
            return rest[:1]
        stream.read(len(head))  # only blanks buffered: skip them
