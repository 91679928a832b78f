"""Patents: real USPTO grant / application XML and Pap2Pat pairs, through to the graph."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_grants_patents import PaperPatentPair, Patent
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.patents import (
    PatentsConverter, federal_grants, patent_number, read_patents, split_name, uspto_date,
)
from ingest.pipeline import Converter, ingest_files
from tests.support import DATA, shared_or_skip

FOLDER = DATA / "patents"
IBM = FOLDER / "US08930553.xml"
HMICRO = FOLDER / "US08926509_trimmed.xml"
BLOOD_SUGAR = FOLDER / "US20050004437A1.xml"
XML_FILES = [HMICRO, IBM, BLOOD_SUGAR]
BATEMAN_PAIR = FOLDER / "pap2pat" / "W2789872951-US20180372720"
KENTUCKY_PAIR = FOLDER / "pap2pat" / "W1776329700-US20160281163"
PAIR_FILES = [BATEMAN_PAIR / "patent.json", BATEMAN_PAIR / "paper.json",
              KENTUCKY_PAIR / "patent.json", KENTUCKY_PAIR / "paper.json"]
PUBMED_BATEMAN = FOLDER / "pubmed_bateman.xml"
ROR = DATA / "nih_reporter" / "ror_v2_recipients.json"
BASE = "http://127.0.0.1:8000/id/"
P = """PREFIX hg: <https://w3id.org/hubgraph/ontology#>
PREFIX vivo: <http://vivoweb.org/ontology/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def select(store: Store, body: str, **bind: str) -> list[dict]:
    """Rows of a query with the prefixes above, ``?name`` replaced by the IRI ``bind[name]``."""
    for name, iri in bind.items():
        body = re.sub(rf"\?{name}\b", f"<{iri}>", body)
    return store.select(P + body)


def ingest(store: Store, *paths: Path):
    return ingest_files(store, PatentsConverter(store), list(paths))


def background(store: Store) -> None:
    """Bateman's PubMed papers: a population of authors for identity resolution."""
    ingest_files(store, CONVERTERS["pubmed"](store), [PUBMED_BATEMAN])


def snapshot(store: Store) -> tuple:
    return (store.triple_count(), [s.graph for s in store.sources()],
            sorted(str(g) for g in store.ox.named_graphs()))


def variant(tmp_path: Path, source: Path, name: str, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def only(path: Path) -> Patent:
    [record] = read_patents(path)
    assert isinstance(record, Patent)
    return record


# -- parsing USPTO XML -------------------------------------------------------------------


def test_a_grant_parses_with_its_real_values() -> None:
    patent = only(IBM)
    assert (patent.number, patent.kind, patent.kind_code, patent.publication_id) == (
        "US8930553", "grant", "B2", "US8930553B2")
    assert patent.title == "Managing mid-dialog session initiation protocol (SIP) messages"
    assert (patent.application_number, patent.filed, patent.published) == ("13648029", "2012-10-09", "2015-01-06")
    assert [(i.rank, i.family_name, i.given_name, i.location) for i in patent.inventors] == [
        (1, "Nissim", "Nitzan", "Rehovot, IL"), (2, "Pulito", "Brian", "Lexington, KY, US"),
        (3, "Zinger", "Asaf", "Rehovot, IL")]
    [assignee] = patent.assignees
    assert (assignee.name, assignee.type_code, assignee.city, assignee.state) == (
        "International Business Machines Corporation", "02", "Armonk", "NY")
    assert (patent.ipc, patent.uspc, patent.cpc) == (("G06F 15/16",), ("709/228",), ())
    assert len(patent.cited_patents) == 16
    first = patent.cited_patents[0]
    assert (first.number, first.kind, first.name, first.date, first.category) == (
        "US7844851", "B2", "Cosmadopoulos et al.", "2010-11", "cited by applicant")
    assert "US20070140112" in {c.number for c in patent.cited_patents}  # "2007/0140112"
    assert patent.abstract and patent.abstract.startswith("Processing mid-dialog SIP messages")


def test_a_medical_device_grant_with_cpc_codes_and_many_citations() -> None:
    patent = only(HMICRO)
    assert patent.title == "Wireless physiological sensor patches and systems"
    assert patent.cpc[0] == "A61B 5/0205" and "A61B 2560/0209" in patent.cpc
    assert "340/539.12" in patent.uspc
    assert [i.family_name for i in patent.inventors] == ["Magar", "Sattiraju", "Niknejad", "Yun", "Beck"]
    assert patent.inventors[2].location == "Berkeley, CA, US"
    assert [a.name for a in patent.assignees] == ["Hmicro, Inc."]
    assert len(patent.cited_patents) == 122  # 130 patent citations, some repeated
    assert patent.cited_papers == ()  # its 30 non-patent citations give no PMID or DOI


def test_an_application_parses() -> None:
    patent = only(BLOOD_SUGAR)
    assert (patent.number, patent.kind, patent.kind_code) == ("US20050004437", "application", "A1")
    assert (patent.filed, patent.published) == ("2004-04-23", "2005-01-06")
    assert [(i.family_name, i.city, i.country) for i in patent.inventors] == [
        ("Kaufmann", "Bern", "CH"), ("Vering", "Bremgarten b. Bern", "CH")]
    assert patent.assignees == ()
    assert (patent.ipc, patent.uspc) == (("A61B 5/00",), ("600/300", "128/905", "345/952"))


def test_patent_numbers_dates_and_names_normalise() -> None:
    assert patent_number("08930553") == "US8930553"
    assert patent_number("2007/0140112") == patent_number("20070140112") == "US20070140112"
    assert patent_number("US20180372720") == "US20180372720"
    assert patent_number("7844851B2") == "US7844851"
    assert patent_number("RE041234") == "USRE41234"
    assert patent_number("D0512345") == "USD512345"
    assert patent_number("2006/021957", "WO") == "WO2006021957"
    assert patent_number("1234567", "EP") == "EP1234567"
    assert (uspto_date("20150106"), uspto_date("20101100"), uspto_date("00000000")) == ("2015-01-06", "2010-11", None)
    assert split_name("Randall J. Bateman") == ("Bateman", "Randall J.")
    assert split_name("Christine A. F. Von Arnim") == ("Von Arnim", "Christine A. F.")
    assert split_name("Maria Catarina da Silva") == ("da Silva", "Maria Catarina")
    assert split_name("John Smith Jr.") == ("Smith", "John")
    assert split_name("Bateman, Randall J") == ("Bateman", "Randall J")
    assert split_name("Prusiner") == ("Prusiner", None)


def test_federal_research_statements_name_nih_grants_only() -> None:
    assert federal_grants([
        "The subject technology was made with government support under grants AG034605, AG004542 "
        "and AG010836 awarded by National Institute on Aging.",
        "This invention was made with government support under grant number R01 MH107659-01 awarded by "
        "the National Institutes of Health. The government has certain rights in this invention.",
        "This invention was made with government support under CBET 1234567 awarded by the National "
        "Science Foundation.",
        "Grant AG099999 is mentioned outside any statement.",
    ]) == ("AG034605", "AG004542", "AG010836", "R01 MH107659-01")


def test_concatenated_documents_are_split_and_streamed(tmp_path: Path) -> None:
    bulk = tmp_path / "ipg-bulk.xml"
    bulk.write_bytes(b"".join(p.read_bytes().rstrip() + b"\n" for p in XML_FILES))
    records = list(read_patents(bulk))
    assert [r.number for r in records if isinstance(r, Patent)] == ["US8926509", "US8930553", "US20050004437"]


def test_a_broken_document_in_a_bulk_file_is_skipped(store: Store, tmp_path: Path) -> None:
    good, cut = IBM.read_bytes(), BLOOD_SUGAR.read_bytes()
    bulk = tmp_path / "bulk.xml"
    bulk.write_bytes(good + cut[: len(cut) // 2] + b"\n" + HMICRO.read_bytes())
    records = list(read_patents(bulk))
    assert [type(r) for r in records] == [Patent, SkippedRecord, Patent]
    assert records[1].field == "xml" and records[1].record_id == "20050004437"
    background(store)
    [report] = ingest(store, bulk)
    assert report.records == 2
    [reason] = report.skipped
    assert "bulk.xml" in reason and "record 2" in reason and "truncated" in reason
    numbers = {r["n"] for r in select(store, "SELECT ?n WHERE { ?p a bibo:Patent ; dcterms:title ?t ; vivo:patentNumber ?n }")}
    assert numbers == {"US8930553", "US8926509"}


def test_a_document_without_a_publication_number_is_skipped(tmp_path: Path) -> None:
    text = IBM.read_text(encoding="utf-8")
    missing = re.sub(r"(<publication-reference>\s*<document-id>\s*<country>US</country>\s*)<doc-number>08930553</doc-number>",
                     r"\1", text, count=1)
    assert missing != text
    bulk = tmp_path / "bulk.xml"
    bulk.write_text(missing + BLOOD_SUGAR.read_text(encoding="utf-8"), encoding="utf-8")
    skipped, patent = read_patents(bulk)
    assert isinstance(skipped, SkippedRecord) and skipped.field == "publication-reference/doc-number"
    assert isinstance(patent, Patent) and patent.number == "US20050004437"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("cut.xml", IBM.read_bytes()[:5000], "truncated"),
    ("no-number.xml", re.sub(rb"<doc-number>08930553</doc-number>", b"", IBM.read_bytes(), count=1),
     "no publication number"),
    ("other.xml", b'<?xml version="1.0"?><sequence-cwu id="SEQLST-0"/>\n', "not a us-patent-grant"),
    ("empty.xml", b"  \n", "empty file"),
    ("text.xml", b"hello", "neither USPTO XML nor Pap2Pat JSON"),
    ("bad.json", b'{"id": "US20180372720", "authors": [', "invalid JSON"),
    ("odd.json", b'{"title": "no id"}', "no \\\"id\\\""),
])
def test_unreadable_files_stop_with_the_file_named_and_change_nothing(
        store: Store, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    background(store)
    before = snapshot(store)
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(IngestError, match=message) as caught:
        ingest(store, IBM, bad)
    assert name in str(caught.value)
    assert snapshot(store) == before


# -- parsing Pap2Pat -----------------------------------------------------------------------------


def test_pap2pat_patent_and_paper_parse_as_a_pair() -> None:
    patent = only(BATEMAN_PAIR / "patent.json")
    assert (patent.number, patent.kind, patent.filed) == ("US20180372720", "application", "2018-06-25")
    assert patent.title and patent.title.startswith("STABLE ISOTOPE LABELING KINETICS")
    assert [(i.family_name, i.given_name) for i in patent.inventors] == [
        ("Wildburger", "Norelle C."), ("Bateman", "Randall J."), ("Elbert", "Donald"), ("Gyngard", "Frank")]
    assert patent.paired_papers == ("W2789872951",)
    [paper] = read_patents(BATEMAN_PAIR / "paper.json")
    assert isinstance(paper, PaperPatentPair)
    assert (paper.work_id, paper.patent_number, paper.date) == ("W2789872951", "US20180372720", "2018-03-22")
    assert len(paper.authors) == 14 and paper.authors[7] == "Randall J. Bateman"
    assert only(KENTUCKY_PAIR / "patent.json").grants == ("AG034605", "AG004542", "AG010836")


def test_a_pap2pat_list_with_a_record_without_id_skips_it(tmp_path: Path) -> None:
    good = json.loads((BATEMAN_PAIR / "patent.json").read_text(encoding="utf-8"))
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps([good, {"title": "nothing else"}]), encoding="utf-8")
    patent, skipped = read_patents(path)
    assert isinstance(patent, Patent) and patent.paired_papers == ()  # no pair folder here
    assert isinstance(skipped, SkippedRecord) and skipped.field == "id"


# -- the graph ------------------------------------------------------------------------------------


def test_patents_with_inventors_assignees_codes_and_cited_patents(store: Store) -> None:
    background(store)
    reports = ingest(store, *XML_FILES)
    assert [r.records for r in reports] == [1, 1, 1] and not any(r.skipped for r in reports)
    rows = select(store, """SELECT ?n ?title ?kind ?filed ?issued (COUNT(DISTINCT ?inv) AS ?inventors)
        (COUNT(DISTINCT ?cited) AS ?cites) WHERE {
        ?p a bibo:Patent ; rdfs:label ?title ; vivo:patentNumber ?n ; hg:patentKind ?kind ;
           dcterms:dateSubmitted ?filed ; dcterms:issued ?issued ; hg:inventor ?inv .
        OPTIONAL { ?p dcterms:references ?cited . ?cited a bibo:Patent }
        } GROUP BY ?n ?title ?kind ?filed ?issued ORDER BY ?n""")
    assert [(r["n"], r["kind"], r["filed"], r["issued"], r["inventors"], r["cites"]) for r in rows] == [
        ("US20050004437", "application", "2004-04-23", "2005-01-06", 2, 0),
        ("US8926509", "grant", "2008-06-05", "2015-01-06", 5, 122),
        ("US8930553", "grant", "2012-10-09", "2015-01-06", 3, 16),
    ]
    inventors = select(store, """SELECT ?rank ?name ?place ?org WHERE { ?p hg:inventor ?m . ?m a hg:PersonMention ;
        vivo:rank ?rank ; hg:affiliationText ?place ; hg:affiliation ?org ; hg:resolvedTo ?person .
        ?person a foaf:Person ; foaf:name ?name } ORDER BY ?rank""", p=BASE + "patent/us8930553")
    assert [(r["rank"], r["name"], r["place"]) for r in inventors] == [
        (1, "Nitzan Nissim", "Rehovot, IL"), (2, "Brian Pulito", "Lexington, KY, US"), (3, "Asaf Zinger", "Rehovot, IL")]
    ibm = BASE + "org/international-business-machines-corporation"
    assert {r["org"] for r in inventors} == {ibm}
    assert select(store, "SELECT ?org ?label WHERE { ?p vivo:assignee ?org . ?org a vivo:PrivateCompany ; rdfs:label ?label }",
                  p=BASE + "patent/us8930553") == [{"org": ibm, "label": "International Business Machines Corporation"}]
    codes = select(store, "SELECT ?c WHERE { ?p hg:cpcCode ?c }", p=BASE + "patent/us8926509")
    assert len(codes) == 19 and {"c": "A61B 5/0205"} in codes
    assert select(store, "SELECT ?ipc ?uspc ?id WHERE { ?p hg:ipcCode ?ipc ; hg:uspcCode ?uspc ; dcterms:identifier ?id }",
                  p=BASE + "patent/us8930553") == [{"ipc": "G06F 15/16", "uspc": "709/228", "id": "US8930553B2"}]
    assert select(store, "SELECT ?n WHERE { ?p dcterms:references ?c . ?c vivo:patentNumber ?n FILTER(?n = 'US20070140112') }",
                  p=BASE + "patent/us8930553") == [{"n": "US20070140112"}]


def test_patents_alone_in_an_empty_store_resolve_their_inventors() -> None:
    store = Store.open()
    ingest(store, IBM)
    rows = select(store, "SELECT ?m ?person WHERE { ?p hg:inventor ?m . ?m hg:resolvedTo ?person }")
    assert len(rows) == 3 and len({r["person"] for r in rows}) == 3


def test_a_cited_patent_is_the_node_of_its_own_record(store: Store, tmp_path: Path) -> None:
    citing = variant(tmp_path, IBM, "citing.xml", "<us-references-cited>", """<us-references-cited>
<us-citation><patcit num="00000"><document-id><country>US</country><doc-number>8926509</doc-number>
<kind>B2</kind><name>Magar et al.</name><date>20150100</date></document-id></patcit>
<category>cited by examiner</category></us-citation>""")
    background(store)
    ingest(store, citing, HMICRO)
    rows = select(store, "SELECT ?title WHERE { ?p dcterms:references ?c . ?c dcterms:title ?title }",
                  p=BASE + "patent/us8930553")
    assert rows == [{"title": "Wireless physiological sensor patches and systems"}]


def test_washington_university_as_assignee_joins_its_ror_organisation(store: Store, tmp_path: Path) -> None:
    assigned = variant(tmp_path, BLOOD_SUGAR, "assigned.xml", "</parties>", """</parties>
<assignees><assignee><addressbook><orgname>Washington University</orgname><role>02</role>
<address><city>St. Louis</city><state>MO</state><country>US</country></address></addressbook></assignee></assignees>""")
    ingest_files(store, CONVERTERS["ror"](store), [ROR])
    background(store)
    ingest(store, assigned)
    wustl = BASE + "org/ror-01yc7t268"
    assert select(store, "SELECT ?o WHERE { ?p vivo:assignee ?o }", p=BASE + "patent/us20050004437") == [{"o": wustl}]
    orgs = select(store, "SELECT DISTINCT ?o WHERE { ?p hg:inventor/hg:affiliation ?o }", p=BASE + "patent/us20050004437")
    assert orgs == [{"o": wustl}]


def test_non_patent_citations_with_pmid_or_doi_reference_papers(store: Store, tmp_path: Path) -> None:
    cites = variant(tmp_path, IBM, "npl.xml", "<us-references-cited>", """<us-references-cited>
<us-citation><nplcit num="00100"><othercit>Potter R, et al. Increased in vivo amyloid-beta42 production.
Sci Transl Med 2013;5(189):189ra77. doi:10.1126/scitranslmed.3005615.</othercit></nplcit>
<category>cited by applicant</category></us-citation>
<us-citation><nplcit num="00101"><othercit>Patterson BW et al., Ann Neurol 2015, PMID: 29220873</othercit></nplcit>
<category>cited by applicant</category></us-citation>""")
    [patent] = read_patents(cites)
    assert isinstance(patent, Patent)
    assert [(c.pmid, c.doi) for c in patent.cited_papers] == [(None, "10.1126/scitranslmed.3005615"), ("29220873", None)]
    background(store)
    ingest(store, cites)
    rows = select(store, "SELECT ?paper WHERE { ?p dcterms:references ?paper . ?paper a bibo:AcademicArticle } ORDER BY ?paper",
                  p=BASE + "patent/us8930553")
    # the DOI lands on the PubMed paper that has it
    assert rows == [{"paper": BASE + "paper/pmid-23761040"}, {"paper": BASE + "paper/pmid-29220873"}]


def test_federal_research_statements_link_patents_to_nih_grants(store: Store, tmp_path: Path) -> None:
    funded = variant(tmp_path, BLOOD_SUGAR, "funded.xml", '<heading level="2" id="d0e266">', """<heading level="2" id="gov">STATEMENT REGARDING FEDERALLY SPONSORED RESEARCH</heading>
<p id="P-0000" num="0000">This invention was made with government support under grant number R01 AG023456 awarded by the National Institutes of Health. The government has certain rights in the invention.</p>
<heading level="2" id="d0e266">""")
    background(store)
    ingest(store, funded, KENTUCKY_PAIR / "patent.json")
    rows = select(store, "SELECT ?p ?g WHERE { ?p a bibo:Patent ; vivo:informationResourceSupportedBy ?g . ?g a vivo:Grant } ORDER BY ?p ?g")
    assert rows == [
        {"p": BASE + "patent/us20050004437", "g": BASE + "grant/nih/ag023456"},
        {"p": BASE + "patent/us20160281163", "g": BASE + "grant/nih/ag004542"},
        {"p": BASE + "patent/us20160281163", "g": BASE + "grant/nih/ag010836"},
        {"p": BASE + "patent/us20160281163", "g": BASE + "grant/nih/ag034605"},
    ]


def test_a_pair_links_bateman_s_patent_to_his_papers(store: Store) -> None:
    background(store)
    reports = ingest(store, *PAIR_FILES)
    assert all(r.status == "loaded" and r.records == 1 for r in reports)
    patent, paper = BASE + "patent/us20180372720", BASE + "paper/openalex-W2789872951"
    assert select(store, "SELECT ?x WHERE { ?p dcterms:relation ?x }", p=patent) == [{"x": paper}]
    assert select(store, "SELECT ?x WHERE { ?q dcterms:relation ?x }", q=paper) == [{"x": patent}]
    # the paired paper's author Bateman is the Bateman of the PubMed papers (shared co-authors),
    # so the patent reaches his other papers
    rows = select(store, """SELECT DISTINCT ?other WHERE {
        ?p dcterms:relation ?paper . ?a a vivo:Authorship ; vivo:relates ?paper ; hg:mentionFamilyName "Bateman" ;
           hg:resolvedTo ?person . ?b vivo:relates ?person , ?other . ?other a bibo:AcademicArticle
        FILTER(?other != ?paper) } ORDER BY ?other""", p=patent)
    assert rows == [{"other": BASE + f"paper/pmid-{pmid}"} for pmid in ("23761040", "27992627", "29220873")]
    inventors = select(store, """SELECT ?name WHERE { ?p hg:inventor ?m . ?m vivo:rank ?r ; hg:resolvedTo ?person .
        ?person foaf:name ?name } ORDER BY ?r""", p=patent)
    # co-inventors count as co-authors for identity resolution, so an inventor joins the
    # PubMed person with the fuller name ("Donald L. Elbert")
    assert [r["name"] for r in inventors] == ["Norelle C. Wildburger", "Randall J. Bateman", "Donald L. Elbert", "Frank Gyngard"]
    authors = select(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a vivo:Authorship ; vivo:relates ?paper ; hg:resolvedTo ?x }",
                     paper=paper)
    assert authors == [{"n": 14}]


class _OpenAlexIds(Converter):
    """Stands in for an OpenAlex ingest that gave a PubMed paper its OpenAlex id."""

    kind = "test-openalex-ids"

    def convert(self, path, builder, report, tick) -> None:  # noqa: ANN001 - the Converter signature
        builder.emit([f'<{BASE}paper/pmid-23761040> <https://w3id.org/hubgraph/ontology#externalId> '
                      f'"openalex:{path.read_text().strip()}" .\n'])
        report.records = 1


def test_a_pair_paper_that_openalex_already_named_is_linked_not_described(store: Store, tmp_path: Path) -> None:
    background(store)
    ids = tmp_path / "ids.txt"
    ids.write_text("W2789872951")
    ingest_files(store, _OpenAlexIds(store), [ids])
    ingest(store, *PAIR_FILES[:2])
    known = BASE + "paper/pmid-23761040"
    patent = BASE + "patent/us20180372720"
    assert select(store, "SELECT ?x WHERE { ?p dcterms:relation ?x }", p=patent) == [{"x": known}]
    assert select(store, "SELECT ?x WHERE { ?q dcterms:relation ?x }", q=known) == [{"x": patent}]
    assert select(store, "SELECT ?t WHERE { ?q ?p ?o . ?q a ?t }", q=BASE + "paper/openalex-W2789872951") == []
    [row] = select(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a vivo:relates ?q ; a vivo:Authorship }", q=known)
    assert row["n"] == 15  # PubMed's author list only


def test_reingesting_unchanged_files_is_a_no_op(store: Store, tmp_path: Path) -> None:
    background(store)
    ingest(store, IBM, *PAIR_FILES)
    before = snapshot(store)
    assert {r.status for r in ingest(store, IBM, *PAIR_FILES)} == {"unchanged"}
    assert snapshot(store) == before


def test_a_gzipped_bulk_file_reads_like_the_plain_one(tmp_path: Path) -> None:
    import gzip

    packed = tmp_path / "US08930553.xml.gz"
    with open(IBM, "rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert list(read_patents(packed)) == list(read_patents(IBM))


# -- every shared file ----------------------------------------------------------------------------


@pytest.mark.slow
def test_every_shared_patent_file_ingests() -> None:
    folder = shared_or_skip("patents")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".xml", ".json"))
    store = Store.open()
    background(store)
    reports = ingest(store, *files)
    assert all(r.status == "loaded" and not r.skipped for r in reports)
    [row] = select(store, """SELECT (COUNT(DISTINCT ?p) AS ?patents) (COUNT(DISTINCT ?m) AS ?inventors)
        (COUNT(DISTINCT ?person) AS ?persons) WHERE {
        ?p a bibo:Patent ; dcterms:title ?t ; hg:inventor ?m . ?m hg:resolvedTo ?person }""")
    assert row["patents"] == 16 and row["inventors"] >= 70 and row["persons"] >= 60
    [cited] = select(store, """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?p hg:inventor ?m ; dcterms:references ?c .
        ?c a bibo:Patent }""")
    assert cited["n"] >= 130
    pairs = select(store, """SELECT ?p ?paper WHERE { ?p a bibo:Patent ; dcterms:relation ?paper .
        ?paper a bibo:AcademicArticle ; vivo:relatedBy ?a }""")
    assert len({(r["p"], r["paper"]) for r in pairs}) == 13
    grants = select(store, "SELECT DISTINCT ?g WHERE { ?p a bibo:Patent ; vivo:informationResourceSupportedBy ?g }")
    assert {BASE + "grant/nih/ag034605", BASE + "grant/nih/mh107659"} <= {r["g"] for r in grants}
