"""Crossref REST API works: parsing, and what ingest makes of them (and the shared helpers)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_scholarly import UnmodelledRecord, Work, WorkAuthor
from graph.namespaces import sparql_prefixes
from graph.store import Store
from ingest.crossref import CrossrefConverter, clean_text, iso_date, read_crossref, split_name
from ingest.kinds import PubmedConverter, RorConverter
from ingest.orcid import OrcidConverter
from ingest.pipeline import ingest_files
from tests.support import DATA, shared_or_skip

CR = DATA / "crossref"
PONE = CR / "work_10.1371_journal.pone.0033693.json"
SREP = CR / "work_10.1038_srep16696.json"
LIST = CR / "works_query_ecology_boettiger.json.gz"
BOETTIGER = "0000-0002-1642-628X"
P = sparql_prefixes()

#: PMID 26582456 as PubMed gives it (the DOI of the Crossref work), reduced to its first author.
SREP_PUBMED = """<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">26582456</PMID>
<Article><Journal><Title>Scientific reports</Title></Journal>
<ArticleTitle>Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson's disease genetically related mutants.</ArticleTitle>
<AuthorList><Author><LastName>Tosatto</LastName><ForeName>Laura</ForeName><Initials>L</Initials></Author></AuthorList>
</Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">26582456</ArticleId>
<ArticleId IdType="doi">10.1038/srep16696</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>
"""


def ingest(store: Store, *paths: Path):
    return ingest_files(store, CrossrefConverter(store), list(paths))


def select(store: Store, query: str, **iris: str) -> list[dict]:
    """Rows of a query with the standard prefixes; ``$name`` stands for the IRI ``iris[name]``."""
    for name in sorted(iris, key=len, reverse=True):
        query = query.replace(f"${name}", f"<{iris[name]}>")
    return store.select(P + query)


def list_items() -> list[dict]:
    return json.loads(gzip.decompress(LIST.read_bytes()))["message"]["items"]


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- parsing -------------------------------------------------------------------------------------


def test_single_work_real_values() -> None:
    [work] = read_crossref(PONE)
    assert isinstance(work, Work)
    assert (work.doi, work.date, work.year, work.journal_title, work.issn, work.volume, work.issue, work.pages,
            work.language, work.type) == (
        "10.1371/journal.pone.0033693", "2012-03-21", 2012, "PLoS ONE", "1932-6203", "7", "3", "e33693", "en",
        "journal-article")
    assert work.title == ("Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia "
                          "in the Basal Ganglia of Mice")
    assert [(a.position, a.family_name, a.given_name) for a in work.authors] == [
        (1, "Sadasivan", "Shankar"), (2, "Pond", "Brooks B."), (3, "Pani", "Amar K."), (4, "Qu", "Chunxu"),
        (5, "Jiao", "Yun"), (6, "Smeyne", "Richard J.")]


def test_list_response_gives_every_item_with_markup_cleaned() -> None:
    works = list(read_crossref(LIST))
    assert len(works) == 20 and all(isinstance(w, Work) for w in works)
    by_doi = {w.doi: w for w in works}
    assert by_doi["10.1111/j.2041-210x.2012.00247.x"].title == "Treebase: anRpackage for discovery, access and " \
                                                              "manipulation of online phylogenies"
    forecast = by_doi["10.1111/ele.14024"]
    assert forecast.abstract.startswith("Encouraged by decision makers’ appetite")  # the JATS title is dropped
    assert forecast.authors[0] == WorkAuthor(1, "Boettiger", "Carl", None, BOETTIGER, (
        "Department of Environmental Science, Policy, and Management University of California Berkeley "
        "California USA",))
    rnexml = by_doi["10.1111/2041-210x.12469"]
    assert rnexml.authors[0].affiliations == (
        "Department of Environmental Science Policy and Management University of California Berkeley CA USA",)
    assert by_doi["10.1002/ece3.2314"].authors[1].affiliations[0].startswith(
        "Department of Environmental Science, Policy, & Management")  # &amp; unescaped
    assert sum(1 for w in works for a in w.authors if a.orcid) == 29


def test_group_authors_and_ror_affiliations(tmp_path: Path) -> None:
    item = dict(list_items()[0])
    item["author"] = [
        {"name": "The rOpenSci Community", "sequence": "first", "affiliation": []},
        {"given": "Carl", "family": "Boettiger", "ORCID": f"http://orcid.org/{BOETTIGER}", "affiliation": [
            {"name": "University of California, Berkeley",
             "id": [{"id": "https://ror.org/01an7q238", "id-type": "ROR", "asserted-by": "publisher"}]}]},
    ]
    [work] = read_crossref(write(tmp_path, "work.json", {"message-type": "work", "message": item}))
    group, carl = work.authors
    assert (group.position, group.collective_name, group.named) == (1, "The rOpenSci Community", False)
    assert (carl.orcid, carl.institutions[0].ror_id, carl.institutions[0].name) == (
        BOETTIGER, "01an7q238", "University of California, Berkeley")


def test_works_without_doi_are_skipped_and_other_messages_left_out(tmp_path: Path) -> None:
    items = list_items()[:2]
    items[0] = dict(items[0], DOI=None)
    items[1] = dict(items[1], DOI="not a doi")
    path = write(tmp_path, "list.json", {"message-type": "work-list", "message": {"items": items}})
    assert list(read_crossref(path)) == [SkippedRecord(1, None, "DOI", "no DOI"),
                                         SkippedRecord(2, None, "DOI", "not a DOI")]
    member = write(tmp_path, "member.json", {"status": "ok", "message-type": "member", "message": {"id": 311}})
    assert list(read_crossref(member)) == [UnmodelledRecord(1, None, "Crossref member")]


def test_bare_works_and_arrays_of_works(tmp_path: Path) -> None:
    items = list_items()[:3]
    assert [w.doi for w in read_crossref(write(tmp_path, "a.json", items))] == [i["DOI"].lower() for i in items]
    [work] = read_crossref(write(tmp_path, "b.json", items[0]))
    assert work.doi == "10.1111/ele.14024"


@pytest.mark.parametrize(("content", "message"), [
    (b'{"message-type": "work", "message": {', "invalid JSON at line 1"),
    (b'{"message-type": "work-list", "message": {"total-results": 0}}', '"items" array'),
    (b'{"status": "ok"}', "expected a Crossref works response"),
    (b"", "empty file"),
])
def test_malformed_files_raise_ingest_error_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad-crossref.json"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        list(read_crossref(path))
    assert "bad-crossref.json" in str(info.value)
    store = Store.open()
    with pytest.raises(IngestError, match="bad-crossref.json"):
        ingest(store, path)


def test_helpers() -> None:
    assert split_name("Jevin D. West") == ("West", "Jevin D.")
    assert split_name("Larivière, Vincent") == ("Larivière", "Vincent")
    assert split_name("Perry de Valpine") == ("de Valpine", "Perry")
    assert split_name("Madonna") == ("Madonna", None)
    assert split_name("Martin Luther King Jr.") == ("King", "Martin Luther")
    assert split_name("  ") == (None, None)
    assert iso_date(2012, 3, 21) == "2012-03-21" and iso_date("2012", "02", "30") == "2012-02"
    assert iso_date(2012, 13) == "2012" and iso_date("12") is None and iso_date(None) is None
    assert clean_text("The role of\n   <scp>AI</scp>\n in") == "The role of AI in"
    assert clean_text("<jats:title>Abstract</jats:title><jats:p>Text &amp; more</jats:p>") == "Text & more"


# -- ingest ------------------------------------------------------------------------------------------


def test_a_list_response_gives_described_papers_with_ranked_authors(store: Store) -> None:
    [report] = ingest(store, LIST)
    assert (report.status, report.records, report.skipped, report.warnings) == ("loaded", 20, [], [])
    papers = select(store, "SELECT ?p WHERE { ?p a bibo:AcademicArticle }")
    assert len(papers) == 20
    paper = store.minter.paper_doi("10.1111/ele.14024")
    [row] = select(store, """SELECT ?title ?journal ?issn WHERE { $p dcterms:title ?title ;
        bibo:doi "10.1111/ele.14024" ; dcterms:issued "2022-05-30"^^xsd:date ; bibo:volume "25" ;
        vivo:hasPublicationVenue ?j . ?j rdfs:label ?journal ; bibo:issn ?issn }""", p=paper)
    assert row == {"title": "The forecast trap", "journal": "Ecology Letters", "issn": "1461-023X"}
    # Carl Boettiger is one person, by ORCID iD where Crossref gives it and by name where it does not.
    carl = store.minter.person(f"orcid-{BOETTIGER}")
    rows = select(store, """SELECT ?paper ?r WHERE { ?a a vivo:Authorship ; vivo:relates $person, ?paper ;
                                                    vivo:rank ?r . ?paper a bibo:AcademicArticle }""", person=carl)
    assert len(rows) >= 11 and {r["paper"] for r in rows} >= {paper}
    [first] = select(store, "SELECT ?text WHERE { ?a vivo:relates $p ; vivo:rank 1 ; hg:affiliationText ?text }",
                     p=paper)
    assert first["text"].startswith("Department of Environmental Science, Policy, and Management")
    # With no ROR organisations loaded, affiliation strings stay text and mint no organisation.
    assert not select(store, "SELECT ?o WHERE { ?a hg:affiliation ?o }")


def test_affiliations_matching_loaded_organisations_link_them(tmp_path: Path) -> None:
    store = Store.open()
    ingest_files(store, RorConverter(store), [DATA / "ror" / "ror_v1_sample.json"])
    item = dict(list_items()[0])
    item["author"] = [dict(item["author"][0], affiliation=[
        {"name": "Department of Neurology, Massachusetts General Hospital, Boston, MA, USA"},
        {"name": "Department of Environmental Science, Policy, and Management University of California Berkeley"}])]
    ingest(store, write(tmp_path, "work.json", {"message-type": "work", "message": item}))
    mgh = store.minter.ror_org("002pd6e78")
    rows = select(store, """SELECT ?o ?label WHERE { ?a vivo:rank 1 ; hg:affiliation ?o .
                                                     OPTIONAL { ?o rdfs:label ?label } } ORDER BY ?o""")
    assert rows == [{"o": mgh, "label": "Massachusetts General Hospital"},
                    {"o": f"{mgh}/neurology", "label": "Department of Neurology"}]
    assert len(select(store, "SELECT ?t WHERE { ?a vivo:rank 1 ; hg:affiliationText ?t }")) == 2


def test_authorship_rules_hold(store: Store) -> None:
    ingest(store, LIST, PONE)
    bad = select(store, """
        SELECT ?a WHERE {
          ?a a vivo:Authorship .
          OPTIONAL { ?a vivo:relates ?paper . ?paper a bibo:AcademicArticle }
          OPTIONAL { ?a vivo:relates ?person . ?person a foaf:Person }
        } GROUP BY ?a HAVING (COUNT(DISTINCT ?paper) != 1 || COUNT(DISTINCT ?person) != 1)""")
    assert bad == []
    gaps = select(store, """
        SELECT ?paper WHERE { ?paper a bibo:AcademicArticle ; vivo:relatedBy ?a . ?a vivo:rank ?r }
        GROUP BY ?paper HAVING (MIN(?r) != 1 || MAX(?r) != COUNT(?a) || COUNT(DISTINCT ?r) != COUNT(?a))""")
    assert gaps == []
    assert not select(store, 'SELECT ?x WHERE { ?x ?p ?l FILTER(isLiteral(?l) && STR(?l) = "") }')


def test_a_crossref_work_with_a_pubmed_doi_lands_on_the_pubmed_paper(tmp_path: Path) -> None:
    store = Store.open()
    pubmed = tmp_path / "pubmed.xml"
    pubmed.write_text(SREP_PUBMED, encoding="utf-8")
    ingest_files(store, PubmedConverter(store), [pubmed])
    [report] = ingest(store, SREP)
    assert report.records == 1
    assert select(store, 'SELECT ?p WHERE { ?p bibo:doi "10.1038/srep16696" }') == [
        {"p": store.minter.paper("26582456")}]
    # PubMed gives the paper and its author list; Crossref names no ORCID iD, so it adds nothing.
    assert report.triples == 0
    assert len(select(store, "SELECT ?a WHERE { ?a vivo:rank ?r }")) == 1


def test_a_second_source_of_a_doi_only_paper_adds_claims_only(tmp_path: Path) -> None:
    store = Store.open()
    ingest(store, LIST)
    item = next(i for i in list_items() if i["DOI"] == "10.1111/2041-210x.14013")
    item = dict(item, title=["Another title"])
    [report] = ingest(store, write(tmp_path, "single.json", {"message-type": "work", "message": item}))
    paper = store.minter.paper_doi("10.1111/2041-210x.14013")
    assert select(store, "SELECT ?t WHERE { $p dcterms:title ?t }", p=paper) == [
        {"t": "Limits to ecological forecasting: Estimating uncertainty for critical transitions with deep learning"}]
    claims = select(store, "SELECT ?c WHERE { ?c a hg:ClaimedAuthorship ; hg:claims $p } ORDER BY ?c", p=paper)
    assert [c["c"] for c in claims] == [f"{paper}/crossref-authorship/{BOETTIGER}",
                                        f"{paper}/crossref-authorship/0000-0003-2588-7843"]
    assert [r["r"] for r in select(store, "SELECT ?r WHERE { ?a vivo:relates $p ; vivo:rank ?r } ORDER BY ?r",
                                   p=paper)] == [1, 2]


def test_orcid_claims_and_crossref_author_lists_meet_on_one_paper_and_person(tmp_path: Path) -> None:
    store = Store.open()
    ingest(store, LIST)
    person = tmp_path / "person.json"
    person.write_text((DATA / "orcid" / "0000-0001-8607-8025_person.json").read_text(encoding="utf-8")
                      .replace("0000-0001-8607-8025", BOETTIGER).replace('"Stephen"', '"Carl"')
                      .replace('"Eglen"', '"Boettiger"'), encoding="utf-8")
    works = tmp_path / "works.json"
    works.write_text(json.dumps({"path": f"/{BOETTIGER}/works", "group": [{"external-ids": {"external-id": [
        {"external-id-type": "doi", "external-id-value": "10.1111/ELE.14024", "external-id-relationship": "self"}]},
        "work-summary": [{"put-code": 1, "title": {"title": {"value": "The forecast trap"}}}]}]}), encoding="utf-8")
    ingest_files(store, OrcidConverter(store), [person, works])
    paper = store.minter.paper_doi("10.1111/ele.14024")
    carl = store.minter.person(f"orcid-{BOETTIGER}")
    assert select(store, "SELECT ?c WHERE { ?c hg:claims $p ; hg:resolvedTo $person }", p=paper, person=carl) == [
        {"c": f"{paper}/orcid-authorship/{BOETTIGER}"}]
    assert select(store, "SELECT ?r WHERE { ?a vivo:relates $p, $person ; vivo:rank ?r }", p=paper, person=carl) == [
        {"r": 1}]
    assert len(select(store, "SELECT ?t WHERE { $p dcterms:title ?t }", p=paper)) == 1


@pytest.mark.slow
def test_every_shared_crossref_file_ingests() -> None:
    folder = shared_or_skip("crossref")
    store = Store.open()
    reports = ingest(store, *sorted(folder.glob("*.json")))
    assert all(r.status == "loaded" and not r.skipped for r in reports)
    assert sum(r.records for r in reports) == 23
    assert len(select(store, "SELECT ?p WHERE { ?p a bibo:AcademicArticle }")) == 23
