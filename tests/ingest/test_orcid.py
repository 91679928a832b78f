"""ORCID API v3.0 records (JSON and XML): parsing, and what ingest makes of them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_scholarly import OrcidEmployment, OrcidPerson, OrcidWork, UnmodelledRecord
from graph.namespaces import sparql_prefixes
from graph.store import Store
from ingest.kinds import PubmedConverter, RorConverter
from ingest.orcid import OrcidConverter, read_orcid
from ingest.pipeline import ingest_files
from tests.support import DATA, shared_or_skip

ORCID_DATA = DATA / "orcid"
EGLEN = "0000-0001-8607-8025"
PERSON = ORCID_DATA / f"{EGLEN}_person.json"
WORKS = ORCID_DATA / f"{EGLEN}_works.json.gz"
P = sparql_prefixes()

#: A PubMed record of one of Stephen Eglen's papers, as his ORCID works give it (PMID, DOI,
#: title), reduced to its one author the test needs, who carries his ORCID iD.
EGLEN_PUBMED = f"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">27415786</PMID>
<Article><Journal><Title>PLoS computational biology</Title></Journal>
<ArticleTitle>Ten Simple Rules for Taking Advantage of Git and GitHub.</ArticleTitle>
<AuthorList><Author><LastName>Eglen</LastName><ForeName>Stephen J</ForeName><Initials>SJ</Initials>
<Identifier Source="ORCID">{EGLEN}</Identifier></Author></AuthorList></Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">27415786</ArticleId>
<ArticleId IdType="doi">10.1371/journal.pcbi.1004947</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle></PubmedArticleSet>
"""


def ingest(store: Store, *paths: Path):
    return ingest_files(store, OrcidConverter(store), list(paths))


def with_pubmed(store: Store, tmp_path: Path) -> Store:
    """The store with Eglen's PubMed paper in it."""
    paper = tmp_path / "eglen-pubmed.xml"
    paper.write_text(EGLEN_PUBMED, encoding="utf-8")
    ingest_files(store, PubmedConverter(store), [paper])
    return store


def select(store: Store, query: str, **iris: str) -> list[dict]:
    """Rows of a query with the standard prefixes; ``$name`` in it stands for the IRI ``iris[name]``."""
    for name in sorted(iris, key=len, reverse=True):
        query = query.replace(f"${name}", f"<{iris[name]}>")
    return store.select(P + query)


def work_iri(store: Store, doi: str) -> str:
    return store.minter.paper_doi(doi)


# -- parsing -------------------------------------------------------------------------------


def test_person_json_gives_the_names_of_the_person_section() -> None:
    assert list(read_orcid(PERSON)) == [OrcidPerson(EGLEN, family_name="Eglen", given_name="Stephen")]


def test_works_json_gives_one_work_per_group_with_pmid_or_doi() -> None:
    items = list(read_orcid(WORKS))
    works = [i for i in items if isinstance(i, OrcidWork)]
    skipped = [i for i in items if isinstance(i, SkippedRecord)]
    assert len(items) == 74 and len(works) == 60 and len(skipped) == 14
    assert sum(1 for w in works if w.work.pmid) == 40 and sum(1 for w in works if w.work.doi) == 54
    assert {s.field for s in skipped} == {"external-ids"}
    git = next(w for w in works if w.work.pmid == "27415786")
    assert (git.work.doi, git.work.title, git.work.date, git.work.year, git.put_code) == (
        "10.1371/journal.pcbi.1004947", "Ten Simple Rules for Taking Advantage of Git and GitHub.",
        "2016-07", 2016, "28902900")
    first = works[0]
    assert (first.work.doi, first.work.title, first.work.journal_title, first.work.date) == (
        "10.7557/19.5311", "Open Code and Peer Review", "Open Science Talk", "2020-02-04")
    # Self-asserted entries name their owner: the name of a works file without a person section.
    assert {(w.claimant_family, w.claimant_given) for w in works} >= {("Eglen", "Stephen")}


def test_xml_record_gives_person_employment_and_skips_works_without_ids() -> None:
    items = list(read_orcid(ORCID_DATA / "record-3.0.xml"))
    person, employment, skipped = items
    assert person == OrcidPerson("8888-8888-8888-8880", "family-name", "give-names", "credit-name")
    assert isinstance(employment, OrcidEmployment)
    assert (employment.organization.name, employment.organization.ror_id, employment.department,
            employment.role_title, employment.start, employment.end) == (
        "employment-org", None, "employment:department-name", "employment:role-title", "1948-02-02", "2025")
    assert isinstance(skipped, SkippedRecord) and skipped.field == "external-ids"  # an "agr" id only


def test_json_full_record_reads_like_xml() -> None:
    person, employment, skipped = read_orcid(ORCID_DATA / "record-full-3.0.json")
    assert person == OrcidPerson("0000-0002-7319-2192", "releasecandidate1", "Three")
    assert (employment.key, employment.organization.name, employment.department, employment.role_title) == (
        "9266", "common:name", "department-name", "role-title")
    # Its DOIs are a "version-of" id and a self id that is not a DOI: neither identifies it.
    assert skipped.field == "external-ids" and skipped.record_id == "0000-0002-7319-2192/work/178602"


def test_employments_xml_keeps_two_entries_with_one_put_code_apart() -> None:
    items = list(read_orcid(ORCID_DATA / "employments-3.0.xml"))
    assert [e.key for e in items] == ["1", "1-2"]  # type: ignore[union-attr]


def test_xml_works_read_like_json(tmp_path: Path) -> None:
    text = (ORCID_DATA / "works-3.0.xml").read_text(encoding="utf-8")
    text = text.replace("<common:external-id-value>123456</common:external-id-value>",
                        "<common:external-id-value>10.1371/JOURNAL.PCBI.1004947</common:external-id-value>", 1)
    text = text.replace("<common:external-id-relationship>part-of</common:external-id-relationship>",
                        "<common:external-id-relationship>self</common:external-id-relationship>", 1)
    path = tmp_path / "works.xml"
    path.write_text(text, encoding="utf-8")
    work, arxiv, bibcode = read_orcid(path)
    assert isinstance(work, OrcidWork)
    assert (work.orcid, work.put_code, work.work.doi, work.work.title, work.work.type, work.work.date) == (
        "8888-8888-8888-8880", "3356", "10.1371/journal.pcbi.1004947", "Work # 0", "conference-paper", "2017-03-03")
    assert isinstance(arxiv, SkippedRecord) and isinstance(bibcode, SkippedRecord)


def test_single_work_without_pmid_or_doi_is_skipped() -> None:
    [item] = read_orcid(ORCID_DATA / "0000-0002-0734-2199_work_77226586.json")
    assert item == SkippedRecord(1, "0000-0002-0734-2199/work/77226586", "external-ids",
                                 "no PMID or DOI identifies the work")


def test_single_work_names_its_owner_from_its_contributors(tmp_path: Path) -> None:
    data = json.loads((ORCID_DATA / "0000-0002-0734-2199_work_77226586.json").read_text(encoding="utf-8"))
    data["external-ids"]["external-id"].append(
        {"external-id-type": "doi", "external-id-value": "10.1234/example", "external-id-relationship": "self"})
    path = tmp_path / "work.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    [item] = read_orcid(path)
    assert isinstance(item, OrcidWork)
    assert (item.work.doi, item.claimant_family, item.claimant_given, item.work.journal_title) == (
        "10.1234/example", "Kreutzer", "Sebastian", "Ancient TL")


def test_a_record_without_its_owners_orcid_is_skipped() -> None:
    [item] = read_orcid(ORCID_DATA / "work-full-3.0.xml")  # the sample has no path
    assert isinstance(item, SkippedRecord) and item.field == "path"


def test_sections_hubgraph_does_not_model_give_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "educations.json"
    path.write_text(json.dumps({"affiliation-group": [], "path": f"/{EGLEN}/educations"}), encoding="utf-8")
    assert list(read_orcid(path)) == [UnmodelledRecord(1, EGLEN, "ORCID educations")]
    store = Store.open()
    [report] = ingest(store, path)
    assert report.records == 0 and not report.skipped
    assert report.warnings == ["educations.json: record 1 (0000-0001-8607-8025): ORCID educations records "
                               "are not modelled; skipped"]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"path": "/0000-0001-8607-8025/person", "name": ', "invalid JSON at line 1"),
    (b"<person:person><person:name></person:person>", "XML syntax error"),
    (b"", "empty file"),
    (b"name: Eglen", "expected JSON or XML"),
    (b'{"hello": "world"}', "not an ORCID API v3.0 record"),
    (b"[1, 2]", "expected a JSON object"),
])
def test_malformed_files_raise_ingest_error_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad-orcid.json"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        list(read_orcid(path))
    assert "bad-orcid.json" in str(info.value)
    store = Store.open()
    with pytest.raises(IngestError, match="bad-orcid.json"):
        ingest(store, path)
    assert [s.kind for s in store.sources()] == ["ontology"]


# -- ingest ----------------------------------------------------------------------------------------


def test_orcid_works_join_pubmed_papers_by_pmid(store: Store, tmp_path: Path) -> None:
    with_pubmed(store, tmp_path)
    person_report, works_report = ingest(store, PERSON, WORKS)
    assert (person_report.records, works_report.records, len(works_report.skipped)) == (1, 60, 14)
    assert not works_report.warnings
    paper = store.minter.paper("27415786")
    claim = f"{paper}/orcid-authorship/{EGLEN}"
    assert select(store, "SELECT ?paper WHERE { $claim a hg:ClaimedAuthorship , hg:PersonMention ; hg:claims ?paper }",
                  claim=claim) == [{"paper": paper}]
    # One paper node for the PMID and the DOI; ORCID adds no title or type to PubMed's paper.
    assert select(store, 'SELECT ?p WHERE { ?p bibo:doi "10.1371/journal.pcbi.1004947" }') == [{"p": paper}]
    assert select(store, "SELECT ?t WHERE { $p dcterms:title ?t }", p=paper) == [
        {"t": "Ten Simple Rules for Taking Advantage of Git and GitHub."}]
    assert not select(store, "SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), 'doi-10.1371')) }")
    assert not select(store, "SELECT ?c WHERE { ?c vivo:rank ?r ; a hg:ClaimedAuthorship }")


def test_the_orcid_person_is_one_person_across_orcid_and_pubmed(store: Store, tmp_path: Path) -> None:
    with_pubmed(store, tmp_path)
    ingest(store, PERSON, WORKS)
    person = store.minter.person(f"orcid-{EGLEN}")
    rows = select(store, "SELECT DISTINCT ?p WHERE { ?m hg:mentionOrcid $o ; hg:resolvedTo ?p }",
                  o=f"https://orcid.org/{EGLEN}")
    assert rows == [{"p": person}]
    [row] = select(store, "SELECT ?name ?family WHERE { $p a foaf:Person ; foaf:name ?name ; foaf:familyName ?family }",
                   p=person)
    assert row["family"] == "Eglen" and row["name"] in ("Stephen Eglen", "Stephen J Eglen")
    # The PubMed authorship relates the person; the ORCID record and its 60 claims resolve to it.
    assert select(store, "SELECT ?a WHERE { ?a a vivo:Authorship ; vivo:relates $p }", p=person) == [
        {"a": store.minter.authorship("27415786", 1)}]
    [counts] = select(store, """SELECT (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?r) AS ?records) WHERE {
        { ?c a hg:ClaimedAuthorship ; hg:resolvedTo $p } UNION { ?r dcterms:source ?src ; hg:resolvedTo $p } }""",
                      p=person)
    assert counts == {"claims": 60, "records": 1}
    assert not select(store, "SELECT ?c WHERE { ?c a hg:ClaimedAuthorship ; vivo:relates ?x }")


def test_doi_only_works_are_papers_described_by_orcid(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest(store, WORKS)
    paper = work_iri(store, "10.7557/19.5311")
    [row] = select(store, """SELECT ?title ?label ?year ?journal WHERE {
        $p a bibo:AcademicArticle ; dcterms:title ?title ; rdfs:label ?label ; bibo:doi "10.7557/19.5311" ;
           fabio:hasPublicationYear ?year ; dcterms:issued "2020-02-04"^^xsd:date ;
           vivo:hasPublicationVenue/rdfs:label ?journal }""", p=paper)
    assert row == {"title": "Open Code and Peer Review", "label": "Open Code and Peer Review", "year": "2020",
                   "journal": "Open Science Talk"}
    # 60 claimed works: 20 DOI-only papers described here, 40 PMID papers (one of them in PubMed).
    [counts] = select(store, f"""SELECT (COUNT(DISTINCT ?w) AS ?works) (COUNT(DISTINCT ?d) AS ?described) WHERE {{
        ?c a hg:ClaimedAuthorship ; hg:claims ?w .
        OPTIONAL {{ ?w dcterms:title ?t FILTER(STRSTARTS(STR(?w), "{store.minter.paper_doi('')}")) BIND(?w AS ?d) }} }}""")
    assert counts == {"works": 60, "described": 20}
    # Without a person section, the claims carry the name the works' own entries give.
    names = select(store, "SELECT DISTINCT ?f ?g WHERE { ?c a hg:ClaimedAuthorship ; hg:mentionFamilyName ?f ; "
                          "hg:mentionGivenName ?g }")
    assert names == [{"f": "Eglen", "g": "Stephen"}]


def test_reingesting_a_changed_works_file_keeps_its_papers_described(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    data = json.loads(gzip.decompress(WORKS.read_bytes()))
    path = tmp_path / "works.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ingest(store, path)
    data["group"] = data["group"][1:]
    path.write_text(json.dumps(data), encoding="utf-8")
    [report] = ingest(store, path)
    assert report.status == "replaced" and report.records == 59
    assert not select(store, "SELECT ?t WHERE { $p dcterms:title ?t }", p=work_iri(store, "10.7557/19.5311"))
    assert select(store, "SELECT ?t WHERE { $p dcterms:title ?t }", p=work_iri(store, "10.7557/5.4910")) == [
        {"t": "CODECHECK: An open-science initiative to facilitate sharing of computer programs and results "
              "presented in scientific publications"}]


def test_employments_become_memberships_of_the_record_mention(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    reports = ingest(store, ORCID_DATA / "record-full-3.0.json", ORCID_DATA / "record-3.0.xml")
    assert [r.records for r in reports] == [2, 2] and [len(r.skipped) for r in reports] == [1, 1]
    rows = select(store, """SELECT ?person ?name ?role ?dept ?inst ?start ?end WHERE {
        ?m a org:Membership ; org:member ?mention ; rdfs:label ?role ; org:organization ?d ;
           schema:startDate ?start ; schema:endDate ?end .
        ?d a vivo:AcademicDepartment ; rdfs:label ?dept ; org:subOrganizationOf/rdfs:label ?inst .
        ?mention hg:resolvedTo ?person ; hg:affiliation ?d . ?person foaf:name ?name } ORDER BY ?name""")
    minter = store.minter
    assert rows == [
        {"person": minter.person("orcid-0000-0002-7319-2192"), "name": "Three releasecandidate1",
         "role": "role-title", "dept": "department-name", "inst": "common:name",
         "start": "1948-02-02", "end": "1948-02-02"},
        {"person": minter.person("orcid-8888-8888-8888-8880"), "name": "give-names family-name",
         "role": "employment:role-title", "dept": "employment:department-name", "inst": "employment-org",
         "start": "1948-02-02", "end": "2025"},
    ]
    types = {r["t"] for r in select(store, "SELECT DISTINCT (DATATYPE(?d) AS ?t) WHERE { ?m a org:Membership ; "
                                           "schema:startDate|schema:endDate ?d }")}
    assert types == {"http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#gYear"}


def test_an_employment_disambiguated_by_ror_is_the_ror_organisation(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest_files(store, RorConverter(store), [DATA / "ror" / "ror_v2_sample.json"])
    data = json.loads((ORCID_DATA / "record-full-3.0.json").read_text(encoding="utf-8"))
    summary = data["activities-summary"]["employments"]["affiliation-group"][0]["summaries"][0]["employment-summary"]
    summary["organization"] = {"name": "Harvard University", "address": {"city": "Cambridge", "country": "US"},
                               "disambiguated-organization": {
                                   "disambiguated-organization-identifier": "https://ror.org/03vek6s52",
                                   "disambiguation-source": "ROR"}}
    summary["department-name"] = None
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ingest(store, path)
    harvard = store.minter.ror_org("03vek6s52")
    assert select(store, "SELECT ?o WHERE { ?m a org:Membership ; org:organization ?o }") == [{"o": harvard}]
    # ROR describes Harvard; the ORCID graph only points at it.
    labels = select(store, "SELECT ?g ?l WHERE { GRAPH ?g { $o rdfs:label ?l } }", o=harvard)
    assert [r["l"] for r in labels] == ["Harvard University"]
    orcid_graph = next(s.graph for s in store.sources() if s.kind == "orcid")
    assert labels[0]["g"] != orcid_graph


def test_an_employments_file_without_names_warns(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    [report] = ingest(store, ORCID_DATA / "employments-3.0.xml")
    assert report.records == 2
    assert report.warnings == ["employments-3.0.xml: no name for ORCID iD 8888-8888-8888-8880 in this file; "
                               "ingest its person record too, or its person may have no name"]
    assert len(select(store, "SELECT ?m WHERE { ?m a org:Membership }")) == 2


def test_orcid_alone_in_an_empty_store_resolves_to_one_person() -> None:
    store = Store.open()
    ingest(store, PERSON, WORKS)  # no paper has a ranked author list: no mention has a work
    assert select(store, "SELECT ?p ?name WHERE { ?p a foaf:Person ; foaf:name ?name }") == [
        {"p": store.minter.person(f"orcid-{EGLEN}"), "name": "Stephen Eglen"}]


@pytest.mark.slow
def test_every_shared_orcid_record_ingests() -> None:
    folder = shared_or_skip("orcid", "api_v3_records")
    store = Store.open()
    reports = ingest(store, *sorted(folder.iterdir()))
    assert len(reports) == 6 and all(r.status == "loaded" for r in reports)
    assert sum(r.records for r in reports) == 3 + 60 + 97
    persons = {r["p"] for r in select(store, "SELECT ?p WHERE { ?m dcterms:source ?s ; hg:resolvedTo ?p }")}
    assert persons == {store.minter.person(f"orcid-{o}")
                       for o in (EGLEN, "0000-0002-1642-628X", "0000-0003-1444-9135")}
