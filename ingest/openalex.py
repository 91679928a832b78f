"""OpenAlex entities: works (``W...``), authors (``A...``) and institutions (``I...``).

``hubgraph ingest openalex FILE...``: an entity object, an API list response
(``{"meta": ..., "results": [...]}``), a JSON array or JSON Lines (a snapshot file),
plain or gzipped.

* A work is the paper :class:`ingest.papers.PaperIndex` gives for its PMID or DOI
  (``ids.pmid``, ``doi``). When no other source describes it (a DOI-only paper) it gets
  the work's title, date, journal, biblio, abstract, keywords (``vivo:freetextKeyword``),
  MeSH terms and topics (``skos:Concept`` of the OpenAlex topics scheme, with their
  subfield, field and domain as broader concepts), and its authorships become the
  paper's ranked author list (``vivo:Authorship``, ``vivo:rank`` from the author order).
  Otherwise (a PubMed paper) only its OpenAlex id is added, and each author with an
  ORCID iD is an ``hg:ClaimedAuthorship`` of it. Authors carry their raw affiliation
  strings and the institutions OpenAlex resolved them to (their ROR organisations).
* An author is a person mention ``openalex-author/{A-id}`` with its ORCID iD and its last
  known institutions (``hg:affiliation``).
* An institution is its ROR organisation (``org/ror-{id}``), described (names, type,
  place, related organisations) unless another source (ROR) already describes it.

Entities of other types (sources ``S``, concepts ``C``, publishers ``P``, funders ``F``,
topics ``T``, keywords, ...) are left out with a warning; an entity without an id, or a
work without a PMID or DOI, is skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.build import GraphBuilder
from graph.build_scholarly import OPENALEX
from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_scholarly import (
    InstitutionRef, OpenAlexAuthor, OpenAlexInstitution, Topic, UnmodelledRecord, Work, WorkAuthor,
)
from graph.uris import slug
from ingest.affiliations import kind_from_name, normalise
from ingest.crossref import (
    ScholarlyConverter, clean_text, iso_date, load_json, modelled, normalize_pmid, split_name, year_of,
)
from ingest.pipeline import FileReport
from ingest.pubmed import normalize_doi, normalize_orcid
from ingest.ror import bare_ror_id

__all__ = ["OpenAlexConverter", "parse_openalex", "read_openalex"]

Tick = Callable[[int], None]
Item = Work | OpenAlexAuthor | OpenAlexInstitution | SkippedRecord | UnmodelledRecord

_ENTITY = re.compile(r"^(?:https?://(?:api\.)?openalex\.org/)?(?:(?P<kind>[a-z][a-z-]*)/)?(?P<id>[A-Za-z]\d+|[\w.-]+)$")
_KINDS = {
    "W": "work", "A": "author", "I": "institution", "S": "OpenAlex source", "C": "OpenAlex concept",
    "P": "OpenAlex publisher", "F": "OpenAlex funder", "T": "OpenAlex topic",
}
_DESCRIPTOR_UI = re.compile(r"^D\d{6,9}$")
_WIKIDATA = re.compile(r"(Q\d+)$")


def read_openalex(path: str | os.PathLike[str]) -> Iterator[Item]:
    """The entities of an OpenAlex JSON (or JSON Lines) file."""
    name = os.fspath(path)
    yield from parse_openalex(load_json(name), name)


def parse_openalex(data: object, source: str = "<json>") -> Iterator[Item]:
    """The entities of decoded OpenAlex JSON: an entity, ``{"results": [...]}`` or a list."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        records = data["results"]
    elif isinstance(data, dict) and ("id" in data or "display_name" in data):
        records = [data]
    elif isinstance(data, list):
        records = data
    else:
        raise IngestError(source, 'expected an OpenAlex entity, a list response {"results": [...]} '
                                  "or a JSON array of entities")
    for index, record in enumerate(records, start=1):
        yield _entity(record, index)


def _entity(record: object, index: int) -> Item:
    if not isinstance(record, dict):
        return SkippedRecord(index, None, "id", "not a JSON object")
    raw_id = record.get("id")
    match = _ENTITY.match(raw_id.strip()) if isinstance(raw_id, str) else None
    if match is None:
        return SkippedRecord(index, None, "id", "no OpenAlex id")
    oid, path_kind = match.group("id"), match.group("kind")
    kind = oid[0].upper() if re.fullmatch(r"[A-Za-z]\d+", oid) else ""
    if not kind and path_kind:  # keywords/..., subfields/..., fields/..., domains/..., sdgs/...
        return UnmodelledRecord(index, f"{path_kind}/{oid}", f"OpenAlex {path_kind}")
    oid = kind + oid[1:] if kind else oid
    if kind == "W":
        return _work(record, oid, index)
    if kind == "A":
        return _author(record, oid, index)
    if kind == "I":
        return _institution(record, oid, index)
    return UnmodelledRecord(index, oid, _KINDS.get(kind, "unknown OpenAlex entity"))


def _short(value: object) -> str | None:
    """``W2741809807`` from ``https://openalex.org/W2741809807``."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


# -- works ------------------------------------------------------------------------------------------


def _work(rec: dict, oid: str, index: int) -> Work | SkippedRecord:
    ids = rec.get("ids") if isinstance(rec.get("ids"), dict) else {}
    pmid = normalize_pmid(ids.get("pmid"))
    doi_value = rec.get("doi") or ids.get("doi")
    doi = normalize_doi(doi_value) if isinstance(doi_value, str) else None
    if pmid is None and doi is None:
        return SkippedRecord(index, oid, "ids", "no PMID or DOI identifies the work")
    date = rec.get("publication_date")
    date = iso_date(*(date.split("-") + [None, None])[:3]) if isinstance(date, str) else None
    date = date or iso_date(rec.get("publication_year"))
    biblio = rec.get("biblio") if isinstance(rec.get("biblio"), dict) else {}
    first, last = clean_text(biblio.get("first_page")), clean_text(biblio.get("last_page"))
    pages = f"{first}-{last}" if first and last and first != last else first or last
    venue = (rec.get("primary_location") or {}).get("source") or {}
    journal = venue if isinstance(venue, dict) and venue.get("type") in ("journal", None) else {}
    topics, topic_iris = _topics(rec.get("topics"))
    return Work(
        source="openalex",
        source_id=f"openalex:{oid}",
        pmid=pmid,
        doi=doi,
        title=clean_text(rec.get("title")) or clean_text(rec.get("display_name")),
        type=rec.get("type") if isinstance(rec.get("type"), str) else None,
        date=date,
        year=year_of(date),
        journal_title=clean_text(journal.get("display_name")),
        issn=journal.get("issn_l") if isinstance(journal.get("issn_l"), str) else None,
        volume=clean_text(biblio.get("volume")),
        issue=clean_text(biblio.get("issue")),
        pages=pages,
        language=clean_text(rec.get("language")),
        abstract=_abstract(rec.get("abstract_inverted_index")),
        keywords=tuple(dict.fromkeys(k for k in (clean_text(kw.get("display_name")) for kw in _dicts(rec.get("keywords"))) if k)),
        topics=topics,
        topic_iris=topic_iris,
        mesh_uis=tuple(dict.fromkeys(m["descriptor_ui"] for m in _dicts(rec.get("mesh"))
                                     if _DESCRIPTOR_UI.match(str(m.get("descriptor_ui", ""))))),
        authors=tuple(_authorship(a, n) for n, a in enumerate(_dicts(rec.get("authorships")), 1)),
    )


def _authorship(authorship: dict, position: int) -> WorkAuthor:
    author = authorship.get("author") if isinstance(authorship.get("author"), dict) else {}
    family, given = split_name(author.get("display_name") or authorship.get("raw_author_name"))
    orcid = author.get("orcid")
    author_id = _short(author.get("id"))
    return WorkAuthor(
        position=position,
        family_name=family,
        given_name=given,
        orcid=normalize_orcid(orcid) if isinstance(orcid, str) else None,
        affiliations=tuple(dict.fromkeys(t for t in map(clean_text, authorship.get("raw_affiliation_strings") or ()) if t)),
        institutions=tuple(_institution_ref(i) for i in _dicts(authorship.get("institutions"))),
        source_id=f"openalex:{author_id}" if author_id else None,
    )


def _institution_ref(inst: dict) -> InstitutionRef:
    oid = _short(inst.get("id"))
    return InstitutionRef(
        name=clean_text(inst.get("display_name")),
        ror_id=bare_ror_id(inst["ror"]) if isinstance(inst.get("ror"), str) else None,
        type=inst.get("type") if isinstance(inst.get("type"), str) else None,
        country_code=inst.get("country_code") if isinstance(inst.get("country_code"), str) else None,
        source_id=f"openalex:{oid}" if oid else None,
    )


def _topics(values: object) -> tuple[tuple[Topic, ...], tuple[str, ...]]:
    """The work's topics with their subfields, fields and domains, and the topics' IRIs."""
    concepts: dict[str, Topic] = {}
    own: list[str] = []
    for topic in _dicts(values):
        chain = [topic] + [topic.get(level) for level in ("subfield", "field", "domain")]
        chain = [c for c in chain if isinstance(c, dict) and isinstance(c.get("id"), str)
                 and clean_text(c.get("display_name"))]
        if not chain or chain[0] is not topic:
            continue
        own.append(chain[0]["id"])
        for concept, broader in zip(chain, chain[1:] + [None]):
            iri = concept["id"]
            concepts.setdefault(iri, Topic(iri, clean_text(concept["display_name"]) or iri,
                                           broader["id"] if broader else None))
    return tuple(concepts.values()), tuple(dict.fromkeys(own))


def _abstract(index: object) -> str | None:
    """The abstract text of an inverted index ({word: [positions]})."""
    if not isinstance(index, dict) or not index:
        return None
    words: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else ():
            if isinstance(position, int):
                words[position] = word
    return clean_text(" ".join(words[i] for i in sorted(words)))


# -- authors and institutions ---------------------------------------------------------------------


def _author(rec: dict, oid: str, index: int) -> OpenAlexAuthor | SkippedRecord:
    family, given = split_name(rec.get("display_name"))
    if not (family or given):
        return SkippedRecord(index, oid, "display_name", "no name")
    institutions = _dicts(rec.get("last_known_institutions"))
    if not institutions and isinstance(rec.get("last_known_institution"), dict):
        institutions = [rec["last_known_institution"]]
    orcid = rec.get("orcid") or (rec.get("ids") or {}).get("orcid")
    return OpenAlexAuthor(
        openalex_id=oid,
        family_name=family,
        given_name=given,
        orcid=normalize_orcid(orcid) if isinstance(orcid, str) else None,
        institutions=tuple(_institution_ref(i) for i in institutions),
    )


def _institution(rec: dict, oid: str, index: int) -> OpenAlexInstitution | SkippedRecord:
    name = clean_text(rec.get("display_name"))
    if not name:
        return SkippedRecord(index, oid, "display_name", "no name")
    geo = rec.get("geo") if isinstance(rec.get("geo"), dict) else {}
    ids = rec.get("ids") if isinstance(rec.get("ids"), dict) else {}
    wikidata = _WIKIDATA.search(ids.get("wikidata") or "") if isinstance(ids.get("wikidata"), str) else None
    relationships = []
    for other in _dicts(rec.get("associated_institutions")):
        ror = bare_ror_id(other["ror"]) if isinstance(other.get("ror"), str) else None
        kind = str(other.get("relationship", "")).lower()
        if ror and kind in ("parent", "child", "related"):
            relationships.append((kind, ror))
    geonames = geo.get("geonames_city_id")
    return OpenAlexInstitution(
        openalex_id=oid,
        name=name,
        ror_id=bare_ror_id(rec["ror"]) if isinstance(rec.get("ror"), str) else None,
        type=rec.get("type") if isinstance(rec.get("type"), str) else None,
        country_code=geo.get("country_code") or rec.get("country_code"),
        city=clean_text(geo.get("city")),
        geonames_id=str(geonames) if isinstance(geonames, (str, int)) and str(geonames).isdigit() else None,
        lat=_float(geo.get("latitude")),
        lng=_float(geo.get("longitude")),
        homepage=rec.get("homepage_url") if isinstance(rec.get("homepage_url"), str) else None,
        acronyms=tuple(a for a in map(clean_text, rec.get("display_name_acronyms") or ()) if a),
        alternatives=tuple(a for a in map(clean_text, rec.get("display_name_alternatives") or ()) if a),
        wikidata=wikidata.group(1) if wikidata else None,
        relationships=tuple(relationships),
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _dicts(values: object) -> list[dict]:
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


# -- converting ---------------------------------------------------------------------------------------


_KIND_OF_TYPE = {"education": "university", "healthcare": "hospital"}


class OpenAlexConverter(ScholarlyConverter):
    """OpenAlex works, authors and institutions."""

    kind = "openalex"

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        sb = self.begin(path, builder)
        for item in self.usable(modelled(read_openalex(path), path, report), path.name, report, tick):
            with report.timings.stage("map"):
                if isinstance(item, Work):
                    self.write_work(sb, item)
                elif isinstance(item, OpenAlexAuthor):
                    orgs = tuple(o for inst in item.institutions for o in self.orgs.institution(sb, inst))
                    sb.person_mention(sb.openalex_author(item.openalex_id), item.family_name, item.given_name,
                                      item.orcid, source=OPENALEX + item.openalex_id, orgs=orgs,
                                      source_id=f"openalex:{item.openalex_id}")
                else:
                    self._institution(sb, item)
        with report.timings.stage("map"):
            self.finish(builder)

    def _institution(self, sb, rec: OpenAlexInstitution) -> None:
        minter = self.store.minter
        if rec.ror_id:
            iri = minter.ror_org(rec.ror_id)
            describe = self.papers.take("org", iri, again=True)
        else:
            iri = minter.org(slug(normalise(rec.name)))
            describe = True
        kind = self.orgs.index.kinds.get(iri) or _KIND_OF_TYPE.get(rec.type or "") or kind_from_name(rec.name)
        sb.openalex_institution(iri, rec, kind, describe)
