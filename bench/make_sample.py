#!/usr/bin/env python3
"""Rebuild the bundled demo data in ``data/sample/`` from the shared real-data folder.

The sample is a Boston-area slice of the real records staged in ``shared/data``
(see ``data/sample/SOURCES.md``):

* ``pubmed/boston.xml.gz``: the Alzforum ``PubmedArticle`` records with at least one
  affiliation naming a Boston-area institution, newest first by PubDate year (then
  PMID) up to ``--max-papers`` records and ``--max-pubmed-bytes`` gzipped bytes,
  written in source order. Each record is copied byte for byte from the source
  file (and checked to parse with lxml), inside the source's XML declaration,
  DOCTYPE and ``<PubmedArticleSet>`` root.
* ``pubmed/medline_sample.nbib``: the Biopython MEDLINE text fixture, copied.
* ``ror/ror_boston.json``: schema v2 ROR records (unchanged) for the Boston-area
  organisations, the organisations the selected papers' affiliations name, and
  their ROR parents, children and successors, up to ``--max-ror`` records in all.
* ``ror/ror_boston_v1.json``: the same selection from the schema v1 file.
* ``mesh/desc-samples.xml``: the MeSH descriptor sample, copied.

The output is deterministic: gzip with mtime 0 and no file name, JSON sorted by id
and formatted as in the shared files, so each record's text is unchanged.

Usage::

    python bench/make_sample.py [--shared ../shared/data] [--out data/sample]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

REPO = Path(__file__).resolve().parent.parent

#: Affiliation text naming a Boston-area institution ("Brigham Young", "Mount Sinai
#: Beth Israel" and McLean, Virginia are elsewhere).
BOSTON = re.compile(
    r"Massachusetts General Hospital|Brigham(?! Young)|Harvard|Boston|\bMIT\b|"
    r"Massachusetts Institute of Technology|Beth Israel Deaconess|Dana[- ]Farber|"
    r"McLean Hospital|Tufts|Broad Institute"
)
#: Cities of Greater Boston (and Worcester) used to tell Boston-area ROR records.
BOSTON_CITIES = frozenset({
    "Boston", "Cambridge", "Somerville", "Worcester", "Brookline", "Newton", "Waltham", "Belmont",
    "Charlestown", "Medford", "Bedford", "Framingham", "Lexington", "Chestnut Hill", "Jamaica Plain",
})

_RECORD = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.DOTALL)
_HEADER = re.compile(rb"\A.*?<PubmedArticleSet>\s*", re.DOTALL)
_YEAR = re.compile(r"\d{4}")

JsonRecord = dict[str, Any]


# --------------------------------------------------------------------------- PubMed


@dataclass(frozen=True)
class Paper:
    """One source record: its raw XML bytes and what the selection needs from it."""

    order: int
    pmid: int
    year: int
    xml: bytes
    affiliations: tuple[str, ...]
    authors: tuple[str, ...]
    orcids: tuple[str, ...]


def read_papers(files: Iterable[Path]) -> tuple[bytes, list[Paper]]:
    """The XML header of the first file and every ``PubmedArticle`` of all files, in order."""
    header = b""
    papers: list[Paper] = []
    for path in files:
        raw = gzip.decompress(path.read_bytes())
        header = header or _HEADER.match(raw).group(0).rstrip() + b"\n"
        for chunk in _RECORD.findall(raw):
            papers.append(_paper(len(papers), chunk))
    return header, papers


def _paper(order: int, chunk: bytes) -> Paper:
    """Parse one record's bytes with lxml and keep the fields used for selection."""
    elem = etree.fromstring(chunk)
    pub_date = elem.find("MedlineCitation/Article/Journal/JournalIssue/PubDate")
    when = "" if pub_date is None else pub_date.findtext("Year") or pub_date.findtext("MedlineDate") or ""
    year = _YEAR.search(when)
    affiliations = tuple("".join(a.itertext()).strip() for a in elem.iter("Affiliation"))
    return Paper(
        order=order,
        pmid=int(elem.findtext("MedlineCitation/PMID")),
        year=int(year.group(0)) if year else 0,
        xml=chunk,
        affiliations=tuple(a for a in affiliations if a),
        authors=tuple(map(_author_name, elem.iterfind("MedlineCitation/Article/AuthorList/Author"))),
        orcids=tuple(i.text or "" for i in elem.iterfind(".//Author/Identifier[@Source='ORCID']")),
    )


def _author_name(author: etree._Element) -> str:
    """"Family Initials" (or the collective name) of an ``Author`` element."""
    name = author.findtext("LastName") or author.findtext("CollectiveName") or ""
    return f"{name} {author.findtext('Initials') or ''}".strip()


def pubmed_document(header: bytes, papers: list[Paper]) -> bytes:
    """A ``PubmedArticleSet`` document of ``papers`` in source order, gzipped deterministically."""
    body = b"\n".join(p.xml for p in sorted(papers, key=lambda p: p.order))
    text = header + body + b"\n</PubmedArticleSet>\n"
    return gzip_bytes(text)


def gzip_bytes(data: bytes) -> bytes:
    """gzip at level 9 with mtime 0 and no file name, so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def select_papers(header: bytes, papers: list[Paper], max_papers: int, max_bytes: int) -> list[Paper]:
    """The newest Boston-area papers (year, then PMID, descending) that fit both caps."""
    boston = [p for p in papers if any(BOSTON.search(a) for a in p.affiliations)]
    boston.sort(key=lambda p: (p.year, p.pmid), reverse=True)
    low, high = 0, min(len(boston), max_papers)
    while low < high:  # largest prefix whose gzipped document fits max_bytes
        middle = (low + high + 1) // 2
        if len(pubmed_document(header, boston[:middle])) <= max_bytes:
            low = middle
        else:
            high = middle - 1
    return sorted(boston[:low], key=lambda p: p.order)


# --------------------------------------------------------------------------- ROR


def normalise(text: str) -> str:
    """Matching form of a name: accents folded, lower case, punctuation dropped, no leading "the"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", folded.replace("&", " and ")).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def ror_id(record: JsonRecord) -> str:
    """The bare ROR id of a v1 or v2 record."""
    return record["id"].rsplit("/", 1)[-1]


def ror_names(record: JsonRecord) -> dict[str, bool]:
    """Every normalised name of a v1 or v2 record, mapped to True for its display name."""
    if "names" in record:
        names = [(n["value"], "ror_display" in n["types"]) for n in record["names"]]
    else:
        others = [*record.get("aliases", []), *record.get("acronyms", []),
                  *(label["label"] for label in record.get("labels", []))]
        names = [(record["name"], True), *((name, False) for name in others)]
    found: dict[str, bool] = {}
    for value, display in names:
        if key := normalise(value):
            found[key] = found.get(key, False) or display
    return found


def ror_relatives(record: JsonRecord, kinds: frozenset[str]) -> list[str]:
    """Ids of the records this one names in ``relationships`` with a type in ``kinds``."""
    return [rel["id"].rsplit("/", 1)[-1] for rel in record.get("relationships", [])
            if rel["type"].lower() in kinds]


def ror_places(record: JsonRecord) -> list[tuple[str | None, str | None, str | None]]:
    """(country code, city, state or region) of each location of a v1 or v2 record."""
    if "locations" in record:
        details = [loc.get("geonames_details") or {} for loc in record["locations"]]
        return [(d.get("country_code"), d.get("name"), d.get("country_subdivision_name")) for d in details]
    country = (record.get("country") or {}).get("country_code")
    places = []
    for address in record.get("addresses", []):
        admin1 = ((address.get("geonames_city") or {}).get("geonames_admin1") or {}).get("name")
        places.append((country, address.get("city"), admin1))
    return places


def is_boston(record: JsonRecord) -> bool:
    """True for a record located in Massachusetts or a Greater Boston city (US)."""
    return any(country == "US" and (state == "Massachusetts" or city in BOSTON_CITIES)
               for country, city, state in ror_places(record))


def affiliation_segments(text: str) -> Iterator[str]:
    """Normalised candidate names in an affiliation: comma segments, adjacent pairs, "X and Y" halves."""
    for part in text.split(";"):
        segments = [normalise(s) for s in part.split(",")]
        segments = [s for s in segments if s]
        for position, segment in enumerate(segments):
            yield segment
            yield from segment.split(" and ")
            if position + 1 < len(segments):
                yield f"{segment} {segments[position + 1]}"


def ror_cities(record: JsonRecord) -> set[str]:
    """The normalised city names of a v1 or v2 record."""
    return {normalise(city) for _, city, _ in ror_places(record) if city}


def count_named(papers: list[Paper], records: dict[str, JsonRecord]) -> Counter[str]:
    """How many distinct affiliation strings of ``papers`` name each ROR record.

    A display name always counts; an alias, acronym or label counts only where the
    affiliation also names the record's city, so that "Institute of Neuropathology"
    (an alias of LMU Munich's institute) or "UT" (Toulouse) elsewhere do not count.
    """
    index: dict[str, list[tuple[str, bool]]] = {}
    for rid, record in records.items():
        for name, display in ror_names(record).items():
            index.setdefault(name, []).append((rid, display))
    cities = {rid: ror_cities(record) for rid, record in records.items()}
    named: Counter[str] = Counter()
    for text in sorted({a for p in papers for a in p.affiliations}):
        words = f" {normalise(text)} "
        hits = {hit for segment in affiliation_segments(text) for hit in index.get(segment, [])}
        named.update({rid for rid, display in hits
                      if display or any(f" {city} " in words for city in cities[rid])})
    return named


def select_ror(records: dict[str, JsonRecord], named: Counter[str], limit: int) -> list[str]:
    """Ids to keep, in priority order, until about ``limit``.

    Every Boston-area record with its parents, children and successors; then the other
    records the papers name, most named first, each with its parents and successor.
    """
    family, upward = frozenset({"parent", "child", "successor"}), frozenset({"parent", "successor"})
    boston = sorted((rid for rid, r in records.items() if is_boston(r)), key=lambda r: (-named[r], r))
    others = sorted((rid for rid in named if rid not in boston), key=lambda r: (-named[r], r))
    chosen = dict.fromkeys(boston)
    for rid in boston:
        chosen.update(dict.fromkeys(k for k in ror_relatives(records[rid], family) if k in records))
    for rid in others:
        if len(chosen) >= limit:
            break
        chosen[rid] = None
        chosen.update(dict.fromkeys(k for k in ror_relatives(records[rid], upward) if k in records))
    return list(chosen)


def load_ror(shared: Path) -> tuple[dict[str, JsonRecord], dict[str, JsonRecord]]:
    """(v2 records by id, alzforum file first; v1 records by id)."""
    v2: dict[str, JsonRecord] = {}
    for name in ("ror_v2_alzforum_institutions.json", "ror_v2_healthcare_subset.json"):
        for record in json.loads((shared / "ror" / name).read_text(encoding="utf-8")):
            v2.setdefault(ror_id(record), record)
    v1 = {ror_id(r): r for r in json.loads(
        (shared / "ror" / "ror_v2_alzforum_institutions_v1.json").read_text(encoding="utf-8"))}
    return v2, v1


def write_json(path: Path, records: list[JsonRecord]) -> None:
    """A JSON array of records sorted by id, formatted like the shared files (indent 1, UTF-8)."""
    records = sorted(records, key=ror_id)
    path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO / ".." / "shared" / "data",
                        help="the shared real-data folder (default: ../shared/data from the repo root)")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "sample",
                        help="output folder (default: data/sample in the repo)")
    parser.add_argument("--max-papers", type=int, default=600)
    parser.add_argument("--max-pubmed-bytes", type=int, default=2_000_000, help="cap on boston.xml.gz")
    parser.add_argument("--max-ror", type=int, default=150, help="cap on ROR records, v1 and v2 together")
    args = parser.parse_args(argv)
    shared, out = args.shared.resolve(), args.out
    for folder in ("pubmed", "ror", "mesh"):
        (out / folder).mkdir(parents=True, exist_ok=True)

    header, papers = read_papers(sorted((shared / "pubmed" / "alzforum").glob("pubmed_*.xml.gz")))
    selected = select_papers(header, papers, args.max_papers, args.max_pubmed_bytes)
    (out / "pubmed" / "boston.xml.gz").write_bytes(pubmed_document(header, selected))
    shutil.copyfile(shared / "pubmed" / "fixtures" / "biopython_pubmed_result2.medline.txt",
                    out / "pubmed" / "medline_sample.nbib")
    shutil.copyfile(shared / "mesh" / "desc-samples.xml", out / "mesh" / "desc-samples.xml")

    v2, v1 = load_ror(shared)
    everything = {**v1, **v2}  # v2 wins where both exist
    named = count_named(selected, everything)
    keep = select_ror(everything, named, args.max_ror)
    write_json(out / "ror" / "ror_boston.json", [v2[r] for r in keep if r in v2])
    write_json(out / "ror" / "ror_boston_v1.json", [v1[r] for r in keep if r in v1 and r not in v2])

    affiliations = [a for p in selected for a in p.affiliations]
    summary = {
        "source_papers": len(papers),
        "boston_papers": sum(any(BOSTON.search(a) for a in p.affiliations) for p in papers),
        "papers": len(selected),
        "years": f"{min(p.year for p in selected)}-{max(p.year for p in selected)}",
        "author_slots": sum(len(p.authors) for p in selected),
        "distinct_author_names": len({a for p in selected for a in p.authors}),
        "orcid_ids": len({o for p in selected for o in p.orcids}),
        "affiliation_slots": len(affiliations),
        "distinct_affiliations": len(set(affiliations)),
        "boston_affiliations": len({a for a in affiliations if BOSTON.search(a)}),
        "ror_v2": sum(r in v2 for r in keep),
        "ror_v1": sum(r in v1 and r not in v2 for r in keep),
        "ror_boston": sum(is_boston(everything[r]) for r in keep),
        "ror_named_by_papers": sum(r in named for r in keep),
    }
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
