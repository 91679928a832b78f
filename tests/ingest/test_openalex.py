"""OpenAlex works, authors and institutions: parsing, and what ingest makes of them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_scholarly import InstitutionRef, OpenAlexAuthor, OpenAlexInstitution, UnmodelledRecord, Work
from graph.namespaces import sparql_prefixes
from graph.store import Store
from ingest.crossref import CrossrefConverter
from ingest.kinds import PubmedConverter, RorConverter
from ingest.openalex import OpenAlexConverter, read_openalex
from ingest.pipeline import ingest_files
from tests.support import DATA, shared_or_skip

OA = DATA / "openalex"
WORK = OA / "W2741809807.json"
AUTHOR = OA / "A5023888391.json"
INSTITUTION = OA / "I27837315.json"
SOURCE = OA / "S137773608.json"
P = sparql_prefixes()

#: PMID 29456894 ("The state of OA") as PubMed gives it, reduced to its first author.
STATE_OF_OA_PUBMED = """<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">29456894</PMID>
<Article><Journal><Title>PeerJ</Title></Journal>
<ArticleTitle>The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles.</ArticleTitle>
<AuthorList><Author><LastName>Piwowar</LastName><ForeName>Heather</ForeName><Initials>H</Initials></Author></AuthorList>
</Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">29456894</ArticleId>
<ArticleId IdType="doi">10.7717/peerj.4375</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>
"""


def ingest(store: Store, *paths: Path):
    return ingest_files(store, OpenAlexConverter(store), list(paths))


def with_pubmed(store: Store, tmp_path: Path) -> Store:
    """The store with PMID 29456894 in it."""
    path = tmp_path / "pubmed.xml"
    path.write_text(STATE_OF_OA_PUBMED, encoding="utf-8")
    ingest_files(store, PubmedConverter(store), [path])
    return store


def select(store: Store, query: str, **iris: str) -> list[dict]:
    """Rows of a query with the standard prefixes; ``$name`` stands for the IRI ``iris[name]``."""
    for name in sorted(iris, key=len, reverse=True):
        query = query.replace(f"${name}", f"<{iris[name]}>")
    return store.select(P + query)


def doi_only_work(tmp_path: Path) -> Path:
    """The real work without its PMID: a paper no other source describes."""
    data = json.loads(WORK.read_text(encoding="utf-8"))
    del data["ids"]["pmid"]
    path = tmp_path / "W2741809807-doi-only.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- parsing -------------------------------------------------------------------------------------


def test_work_real_values() -> None:
    [work] = read_openalex(WORK)
    assert isinstance(work, Work)
    assert (work.source_id, work.pmid, work.doi, work.year, work.date, work.journal_title, work.issn,
            work.volume, work.pages, work.language) == (
        "openalex:W2741809807", "29456894", "10.7717/peerj.4375", 2018, "2018-02-13", "PeerJ", "2167-8359",
        "6", "e4375", "en")
    assert work.title == "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles"
    assert work.abstract.startswith("Despite growing interest in Open Access (OA) to scholarly literature,")
    assert work.keywords == ("Scholarly Communication", "Web of science", "Open Science", "Citation analysis")
    assert [a.position for a in work.authors] == list(range(1, 10))
    first, third = work.authors[0], work.authors[2]
    assert (first.family_name, first.given_name, first.orcid, first.affiliations, first.source_id) == (
        "Piwowar", "Heather", "0000-0003-1613-5981", ("Impactstory, Sanford, NC, USA",), "openalex:A5048491430")
    assert first.institutions == (InstitutionRef("Impact Technology Development (United States)", "05ppvf150",
                                                 "company", "US", None, "openalex:I4210166736"),)
    assert (third.family_name, third.given_name) == ("Larivière", "Vincent")
    assert [i.ror_id for i in third.institutions] == ["0161xgx34", "002rjbv21"]
    assert all(a.orcid for a in work.authors)


def test_work_topics_carry_their_subfield_field_and_domain() -> None:
    [work] = read_openalex(WORK)
    assert work.topic_iris == ("https://openalex.org/T10102", "https://openalex.org/T13607",
                               "https://openalex.org/T11937")
    topics = {t.iri: t for t in work.topics}
    oa = topics["https://openalex.org/T10102"]
    assert (oa.label, oa.broader) == ("scientometrics and bibliometrics research",
                                      "https://openalex.org/subfields/1804")
    assert topics["https://openalex.org/subfields/1804"].broader == "https://openalex.org/fields/18"
    assert topics["https://openalex.org/fields/18"].broader == "https://openalex.org/domains/2"
    assert topics["https://openalex.org/domains/2"].broader is None


def test_author_and_institution_real_values() -> None:
    [author] = read_openalex(AUTHOR)
    assert author == OpenAlexAuthor("A5023888391", "Priem", "Jason", "0000-0001-6187-6610", (
        InstitutionRef("OurResearch", "02nr0ka47", "nonprofit", "CA", None, "openalex:I4200000001"),))
    [inst] = read_openalex(INSTITUTION)
    assert isinstance(inst, OpenAlexInstitution)
    assert (inst.name, inst.ror_id, inst.type, inst.country_code, inst.city, inst.geonames_id, inst.lat,
            inst.homepage, inst.acronyms, inst.wikidata) == (
        "University of Michigan", "00jmfr291", "funder", "US", "Ann Arbor", "4984247", 42.27756,
        "https://www.umich.edu", ("UM",), "Q230492")
    assert "UMich" in inst.alternatives
    assert ("child", "02bkkgm47") in inst.relationships and ("related", "04pk7zz41") in inst.relationships


def test_entity_types_hubgraph_does_not_model_are_left_out() -> None:
    assert list(read_openalex(SOURCE)) == [UnmodelledRecord(1, "S137773608", "OpenAlex source")]


def test_list_responses_json_lines_and_gzip(tmp_path: Path) -> None:
    entities = [json.loads(p.read_text(encoding="utf-8")) for p in (WORK, AUTHOR, INSTITUTION, SOURCE)]
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps({"meta": {"count": 4}, "results": entities}), encoding="utf-8")
    lines = tmp_path / "snapshot.jsonl.gz"
    lines.write_bytes(gzip.compress("\n".join(json.dumps(e) for e in entities).encode("utf-8")))
    for path in (listing, lines):
        kinds = [type(item).__name__ for item in read_openalex(path)]
        assert kinds == ["Work", "OpenAlexAuthor", "OpenAlexInstitution", "UnmodelledRecord"]


def test_records_without_id_or_paper_ids_are_skipped(tmp_path: Path) -> None:
    work = json.loads(WORK.read_text(encoding="utf-8"))
    no_ids = dict(work, doi=None, ids={"openalex": work["id"]})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([dict(work, id=None), no_ids, {"id": "https://openalex.org/keywords/open-science"}]),
                    encoding="utf-8")
    assert list(read_openalex(path)) == [
        SkippedRecord(1, None, "id", "no OpenAlex id"),
        SkippedRecord(2, "W2741809807", "ids", "no PMID or DOI identifies the work"),
        UnmodelledRecord(3, "keywords/open-science", "OpenAlex keywords"),
    ]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"id": "https://openalex.org/W1", ', "invalid JSON at line 1"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"   ", "empty file"),
    (b'"W2741809807"', "expected an OpenAlex entity"),
    (b"\x1f\x8b\x08\x00truncated", "gzip"),
])
def test_malformed_files_raise_ingest_error_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad-openalex.json"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        list(read_openalex(path))
    assert "bad-openalex.json" in str(info.value)


# -- ingest ------------------------------------------------------------------------------------------


def test_skipped_types_are_warnings_not_errors(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    reports = ingest(store, SOURCE, WORK)
    assert [r.status for r in reports] == ["loaded", "loaded"]
    source, work = reports
    assert (source.records, source.skipped, source.triples) == (0, [], 0)
    assert source.warnings == ["S137773608.json: record 1 (S137773608): OpenAlex source records are not "
                               "modelled; skipped"]
    assert work.records == 1 and not work.warnings


def test_a_work_with_a_pmid_adds_claims_to_the_pubmed_paper(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest(store, WORK)
    paper = store.minter.paper("29456894")
    # PubMed describes the paper: OpenAlex adds its id, and no title, rank or topic.
    assert select(store, "SELECT ?t WHERE { $p dcterms:title ?t }", p=paper) == [
        {"t": "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles."}]
    assert select(store, "SELECT ?id WHERE { $p hg:externalId ?id }", p=paper) == [{"id": "openalex:W2741809807"}]
    assert not select(store, "SELECT ?t WHERE { $p vivo:hasSubjectArea ?t }", p=paper)
    ranks = select(store, "SELECT ?r WHERE { ?a vivo:relates $p ; vivo:rank ?r }", p=paper)
    assert ranks == [{"r": 1}]  # PubMed's author list only
    claims = select(store, """SELECT ?claim ?person ?name WHERE { ?claim a hg:ClaimedAuthorship ; hg:claims $p ;
                                 hg:resolvedTo ?person . ?person foaf:name ?name } ORDER BY ?claim""", p=paper)
    assert len(claims) == 9
    assert claims[0]["claim"] == f"{paper}/openalex-authorship/0000-0001-6187-6610"
    assert {c["name"] for c in claims} >= {"Heather Piwowar", "Jason Priem", "Vincent Larivière"}
    # Affiliations: the strings as given and the ROR organisations OpenAlex resolved them to.
    [row] = select(store, """SELECT ?text ?org ?label WHERE { $c hg:affiliationText ?text ; hg:affiliation ?org .
                                                              ?org rdfs:label ?label ; vivo:rorId "05ppvf150" }""",
                   c=f"{paper}/openalex-authorship/0000-0003-1613-5981")
    assert row == {"text": "Impactstory, Sanford, NC, USA", "org": store.minter.ror_org("05ppvf150"),
                   "label": "Impact Technology Development (United States)"}


def test_a_work_known_by_its_doi_lands_on_the_pubmed_paper(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest(store, doi_only_work(tmp_path))
    paper = store.minter.paper("29456894")
    assert len(select(store, "SELECT ?c WHERE { ?c a hg:ClaimedAuthorship ; hg:claims $p }", p=paper)) == 9
    assert not select(store, "SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), 'doi-10.7717')) }")


def test_a_doi_only_work_is_described_with_its_ranked_author_list(tmp_path: Path) -> None:
    store = Store.open()
    ingest_files(store, CrossrefConverter(store), [DATA / "crossref" / "work_10.1371_journal.pone.0033693.json"])
    ingest(store, doi_only_work(tmp_path))
    paper = store.minter.paper_doi("10.7717/peerj.4375")
    [row] = select(store, """SELECT ?title ?year ?journal ?abstract WHERE {
        $p a bibo:AcademicArticle ; dcterms:title ?title ; fabio:hasPublicationYear ?year ;
           dcterms:issued "2018-02-13"^^xsd:date ; vivo:hasPublicationVenue/bibo:issn "2167-8359" ;
           vivo:hasPublicationVenue/rdfs:label ?journal ; bibo:abstract ?abstract ; bibo:pages "e4375" }""",
                   p=paper)
    assert (row["year"], row["journal"]) == ("2018", "PeerJ")
    rows = select(store, """SELECT ?r ?name WHERE { ?a a vivo:Authorship ; vivo:rank ?r ; vivo:relates $p, ?person .
                                                    ?person a foaf:Person ; foaf:name ?name } ORDER BY ?r""", p=paper)
    assert [r["r"] for r in rows] == list(range(1, 10))
    assert (rows[0]["name"], rows[-1]["name"]) == ("Heather Piwowar", "Stefanie Haustein")
    assert not select(store, "SELECT ?c WHERE { ?c hg:claims ?p }")
    topic = select(store, """SELECT ?label ?domain WHERE { $p vivo:hasSubjectArea ?t .
        ?t a skos:Concept ; skos:prefLabel ?label ; skos:inScheme <https://openalex.org/topics> ;
           skos:broader/skos:broader/skos:broader ?d . ?d rdfs:label ?domain } ORDER BY ?label""", p=paper)
    assert topic[0] == {"label": "Academic Publishing and Open Access", "domain": "Social Sciences"}
    assert {"Open Science", "Citation analysis"} <= {
        r["k"] for r in select(store, "SELECT ?k WHERE { $p vivo:freetextKeyword ?k }", p=paper)}


def test_an_author_is_a_mention_with_its_orcid_and_last_known_institution(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest(store, AUTHOR, WORK)
    mention = f"{store.minter.base}openalex-author/A5023888391"
    [row] = select(store, """SELECT ?person ?name ?org ?label WHERE { $m a hg:PersonMention ;
        dcterms:source <https://openalex.org/A5023888391> ; hg:externalId "openalex:A5023888391" ;
        hg:resolvedTo ?person ; hg:affiliation ?org . ?org rdfs:label ?label . ?person foaf:name ?name }""",
                   m=mention)
    assert row == {"person": store.minter.person("orcid-0000-0001-6187-6610"), "name": "Jason Priem",
                   "org": store.minter.ror_org("02nr0ka47"), "label": "OurResearch"}
    # The author entity and his authorship of the work are one person.
    claim = f"{store.minter.paper('29456894')}/openalex-authorship/0000-0001-6187-6610"
    assert select(store, "SELECT ?p WHERE { $c hg:resolvedTo ?p }", c=claim) == [{"p": row["person"]}]


def test_an_institution_is_its_ror_organisation(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest(store, INSTITUTION)
    umich = store.minter.ror_org("00jmfr291")
    [row] = select(store, """SELECT ?label ?city ?country WHERE { $o a foaf:Organization , vivo:University ;
        rdfs:label ?label ; vivo:rorId "00jmfr291" ; owl:sameAs <https://ror.org/00jmfr291> ;
        hg:acronym "UM" ; skos:altLabel "UMich" ; hg:externalId "openalex:I27837315" ;
        foaf:homepage <https://www.umich.edu> ;
        schema:location <https://sws.geonames.org/4984247/> .
        <https://sws.geonames.org/4984247/> rdfs:label ?city ; schema:addressCountry ?country }""", o=umich)
    assert row == {"label": "University of Michigan", "city": "Ann Arbor", "country": "US"}
    children = select(store, "SELECT ?c WHERE { ?c org:subOrganizationOf $o }", o=umich)
    assert {"c": store.minter.ror_org("02bkkgm47")} in children
    # Its names join the organisation index that affiliation matching uses.
    from ingest.kinds import load_org_index
    assert load_org_index(store).exact("University of Michigan")[0] == umich


def test_an_institution_ror_describes_gets_only_its_openalex_id(tmp_path: Path) -> None:
    store = with_pubmed(Store.open(), tmp_path)
    ingest_files(store, RorConverter(store), [DATA / "ror" / "ror_v2_sample.json"])
    data = json.loads(INSTITUTION.read_text(encoding="utf-8"))
    data.update(ror="https://ror.org/03vek6s52", display_name="Harvard University (OpenAlex)")
    path = tmp_path / "harvard.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ingest(store, path)
    harvard = store.minter.ror_org("03vek6s52")
    assert select(store, "SELECT ?l WHERE { $o rdfs:label ?l }", o=harvard) == [{"l": "Harvard University"}]
    assert select(store, "SELECT ?id WHERE { $o hg:externalId ?id FILTER(STRSTARTS(?id, 'openalex')) }",
                  o=harvard) == [{"id": "openalex:I27837315"}]


@pytest.mark.slow
def test_every_shared_openalex_file_ingests() -> None:
    folder = shared_or_skip("openalex")
    store = Store.open()
    reports = ingest(store, *sorted(folder.glob("*.json")))
    assert all(r.status == "loaded" for r in reports)
    assert sum(r.records for r in reports) == 3 and sum(len(r.warnings) for r in reports) == 1
    assert not any(r.skipped for r in reports)
