"""NIH RePORTER projects: parsing real API v2 records, grants joining PubMed, PIs resolved."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_grants_patents import Project
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.nih_reporter import NihReporterConverter, parse_reporter_json, read_nih_reporter, title_case
from ingest.pipeline import ingest_files
from tests.support import DATA, shared_or_skip

EXAMPLES = DATA / "nih_reporter" / "reporter_v2_projects_examples.json"
ROR = DATA / "nih_reporter" / "ror_v2_recipients.json"
#: Three real PubMed records (about 40 authors): enough names for resolution to judge how
#: rare a name is (in a store of two names every name looks common).
BACKGROUND = DATA / "patents" / "pubmed_bateman.xml"
BASE = "http://127.0.0.1:8000/id/"
AMIN_GRANT = BASE + "grant/nih/de032063"
PUN_GRANT = BASE + "grant/nih/aa029316"
P = """PREFIX hg: <https://w3id.org/hubgraph/ontology#>
PREFIX vivo: <http://vivoweb.org/ontology/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX mesh: <http://id.nlm.nih.gov/mesh/>
"""

#: Invented PubMed papers acknowledging the two projects (grant ids written the way PubMed writes them).
PUBMED_ACKNOWLEDGING = """<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation>
  <PMID>99999981</PMID><Article><ArticleTitle>FLLL12 in head and neck cancer chemoprevention.</ArticleTitle>
  <AuthorList><Author><LastName>Amin</LastName><ForeName>A R M Ruhul</ForeName><Initials>AR</Initials>
  <AffiliationInfo><Affiliation>Department of Pharmacology, Marshall University, Huntington, WV, USA.</Affiliation>
  </AffiliationInfo></Author></AuthorList>
  <GrantList CompleteYN="Y"><Grant><GrantID>R15 DE032063</GrantID><Acronym>DE</Acronym>
  <Agency>NIDCR NIH HHS</Agency><Country>United States</Country></Grant></GrantList>
  </Article></MedlineCitation></PubmedArticle>
  <PubmedArticle><MedlineCitation><PMID>99999982</PMID><Article>
  <ArticleTitle>Aptamer biosensors on touchscreens.</ArticleTitle>
  <AuthorList><Author><LastName>Pun</LastName><ForeName>Suzie H</ForeName><Initials>SH</Initials>
  <AffiliationInfo><Affiliation>Department of Bioengineering, University of Washington, Seattle, WA, USA.</Affiliation>
  </AffiliationInfo></Author></AuthorList>
  <GrantList CompleteYN="Y"><Grant><GrantID>U01 AA029316</GrantID><Acronym>AA</Acronym>
  <Agency>NIAAA NIH HHS</Agency><Country>United States</Country></Grant></GrantList>
  </Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


def select(store: Store, body: str, **bind: str) -> list[dict]:
    """Rows of a query with the prefixes above, ``?name`` replaced by the IRI ``bind[name]``."""
    for name, iri in bind.items():
        body = re.sub(rf"\?{name}\b", f"<{iri}>", body)
    return store.select(P + body)


def ingest(store: Store, *paths: Path):
    return ingest_files(store, NihReporterConverter(store), list(paths))


def ingest_pubmed(store: Store, tmp_path: Path, text: str = PUBMED_ACKNOWLEDGING) -> None:
    path = tmp_path / "acknowledging.xml"
    path.write_text(text, encoding="utf-8")
    ingest_files(store, CONVERTERS["pubmed"](store), [path])


def snapshot(store: Store) -> tuple:
    return (store.triple_count(), [s.graph for s in store.sources()],
            sorted(str(g) for g in store.ox.named_graphs()))


def examples() -> dict:
    return json.loads(EXAMPLES.read_text(encoding="utf-8"))


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- parsing -----------------------------------------------------------------------------


def test_real_projects_parse_with_their_values() -> None:
    amin, pun = list(read_nih_reporter(EXAMPLES))
    assert isinstance(amin, Project) and isinstance(pun, Project)
    assert (amin.project_num, amin.core_project_num, amin.appl_id) == ("1R15DE032063-01A1", "R15DE032063", "10497514")
    assert (amin.fiscal_year, amin.award_amount, amin.direct_cost) == (2023, 444000.0, 300000.0)
    assert (amin.project_start, amin.project_end, amin.activity_code) == ("2023-08-01", "2026-07-31", "R15")
    assert (amin.agency_code, amin.ic_code, amin.ic_abbreviation) == ("NIH", "DE", "NIDCR")
    assert amin.ic_name == "National Institute of Dental and Craniofacial Research"
    org = amin.organization
    assert org is not None and (org.name, org.city, org.state, org.country) == (
        "MARSHALL UNIVERSITY", "Huntington", "WV", "UNITED STATES")
    assert (org.duns, org.ueis, org.ipf_code) == (("036156615",), ("HH1NQ1B5MPV3",), "4842001")
    [pi] = amin.principal_investigators
    assert (pi.profile_id, pi.first_name, pi.middle_name, pi.last_name, pi.is_contact) == (
        "10583324", "A.R.M.", "Ruhul", "Amin", True)
    assert amin.terms == ("AKT1 gene", "Affect", "Animal Model")
    assert amin.abstract is None  # the source author emptied it
    assert [f.abbreviation for f in amin.ic_fundings] == ["NIDCR", "NIGMS"]
    assert amin.detail_url == "https://reporter.nih.gov/project-details/10497514"

    assert (pun.project_num, pun.core_project_num, pun.project_start) == ("4U01AA029316-02", "U01AA029316", "2020-12-21")
    assert [(p.full_name, p.profile_id, p.is_contact) for p in pun.principal_investigators] == [
        ("Suzie H. Pun", "8012149", True), ("Joshua R Smith", "11273504", False)]
    assert len(pun.terms) == 87 and "Biosensing Techniques" in pun.terms
    assert pun.public_health_relevance and pun.public_health_relevance.startswith("PROJECT NARRATIVE")


def test_a_list_or_a_single_project_reads_like_a_response() -> None:
    data = examples()
    from_response = list(parse_reporter_json(data))
    assert list(parse_reporter_json(data["results"])) == from_response
    assert list(parse_reporter_json(data["results"][1])) == from_response[1:]


def test_older_angle_bracket_terms_and_missing_core_number() -> None:
    record = copy.deepcopy(examples()["results"][0])
    record.pop("pref_terms")
    record["terms"] = "<Affect><Animal Model><Affect>"
    record["core_project_num"] = None
    [project] = parse_reporter_json(record)
    assert project.terms == ("Affect", "Animal Model")
    assert project.core_project_num == "R15DE032063"  # rebuilt from project_num_split


def test_title_case_only_touches_all_capitals() -> None:
    assert title_case("UNIVERSITY OF WASHINGTON") == "University of Washington"
    assert title_case("CHILDREN'S HOSPITAL OF PHILADELPHIA") == "Children's Hospital of Philadelphia"
    assert title_case("Marshall University") == "Marshall University"


# -- the graph -------------------------------------------------------------------------------


def test_grant_nodes_carry_title_ids_amounts_dates_and_funder(store: Store, tmp_path: Path) -> None:
    ingest_pubmed(store, tmp_path)
    [report] = ingest(store, EXAMPLES)
    assert report.status == "loaded" and report.records == 2 and not report.skipped
    [row] = select(store, """SELECT ?title ?year ?amount ?start ?end ?code ?acronym WHERE {
        ?g a vivo:Grant ; dcterms:title ?title ; hg:fiscalYear ?year ; vivo:totalAwardAmount ?amount ;
           schema:startDate ?start ; schema:endDate ?end ; hg:activityCode ?code ;
           vivo:assignedBy ?f . ?f hg:acronym ?acronym }""", g=AMIN_GRANT)
    assert row == {"title": "Targeting oncogenic pathways for chemoprevention of head and neck cancer by FLLL12",
                   "year": "2023", "amount": 444000.0, "start": "2023-08-01", "end": "2026-07-31",
                   "code": "R15", "acronym": "NIDCR"}
    # the funder PubMed names "NIDCR NIH HHS", with RePORTER's full name as a second label
    assert {"NIDCR NIH HHS", "National Institute of Dental and Craniofacial Research"} == {
        r["l"] for r in select(store, "SELECT ?l WHERE { ?g vivo:assignedBy/rdfs:label ?l }", g=AMIN_GRANT)}
    ids = {r["id"] for r in select(store, "SELECT ?id WHERE { ?g vivo:sponsorAwardId ?id }", g=AMIN_GRANT)}
    assert {"R15DE032063", "1R15DE032063-01A1"} <= ids
    [narrative] = select(store, "SELECT ?d WHERE { ?g vivo:description ?d }", g=PUN_GRANT)
    assert narrative["d"].startswith("PROJECT NARRATIVE")


def test_a_pubmed_grant_id_and_the_reporter_project_are_one_grant(store: Store, tmp_path: Path) -> None:
    ingest_pubmed(store, tmp_path)
    ingest(store, EXAMPLES)
    rows = select(store, """SELECT DISTINCT ?g ?title ?funder WHERE {
        <http://127.0.0.1:8000/id/paper/pmid-99999981> vivo:informationResourceSupportedBy ?g .
        ?g dcterms:title ?title ; vivo:assignedBy ?funder }""")
    assert rows == [{"g": AMIN_GRANT, "funder": BASE + "org/funder-nidcr-nih-hhs",
                     "title": "Targeting oncogenic pathways for chemoprevention of head and neck cancer by FLLL12"}]
    grants = select(store, "SELECT ?g WHERE { ?g a vivo:Grant ; vivo:sponsorAwardId ?id FILTER(CONTAINS(?id, 'DE032063') || CONTAINS(?id, 'DE32063')) }")
    assert {r["g"] for r in grants} == {AMIN_GRANT}


def test_principal_investigators_resolve_to_persons_at_the_recipient(store: Store, tmp_path: Path) -> None:
    ingest_files(store, CONVERTERS["ror"](store), [ROR])
    ingest_files(store, CONVERTERS["pubmed"](store), [BACKGROUND])
    ingest_pubmed(store, tmp_path)
    ingest(store, EXAMPLES)
    rows = select(store, """SELECT ?g ?profile ?contact ?name ?org ?text WHERE {
        ?g a vivo:Grant ; vivo:relates ?pi . ?pi a vivo:PrincipalInvestigatorRole , hg:PersonMention ;
           vivo:relatedBy ?g ; hg:piProfileId ?profile ; hg:contactPi ?contact ; hg:affiliation ?org ;
           hg:affiliationText ?text ; hg:resolvedTo ?person . ?person a foaf:Person ; foaf:name ?name }
        ORDER BY ?profile""")
    assert [(r["g"], r["profile"], r["contact"], r["name"]) for r in rows] == [
        (AMIN_GRANT, "10583324", True, "A.R.M. Ruhul Amin"),
        (PUN_GRANT, "11273504", False, "Joshua R Smith"),
        (PUN_GRANT, "8012149", True, "Suzie H. Pun"),
    ]
    uw = BASE + "org/ror-00cvxb145"  # "UNIVERSITY OF WASHINGTON" found its ROR organisation
    assert {r["org"] for r in rows[1:]} == {uw}
    assert rows[1]["text"] == "UNIVERSITY OF WASHINGTON, SEATTLE, WA, UNITED STATES"
    grantees = select(store, "SELECT ?g ?org WHERE { ?g hg:grantee ?org ; vivo:relates ?org } ORDER BY ?g")
    assert grantees == [{"g": PUN_GRANT, "org": uw}, {"g": AMIN_GRANT, "org": BASE + "org/marshall-university"}]
    [marshall] = select(store, "SELECT ?label WHERE { ?o rdfs:label ?label }", o=BASE + "org/marshall-university")
    assert marshall["label"] == "Marshall University"
    ids = {r["id"] for r in select(store, "SELECT ?id WHERE { ?o hg:externalId ?id }", o=uw)}
    assert {"duns:605799469", "uei:HD1WMN6945W6", "nih-ipf:9087701"} <= ids
    # the PubMed author and the PI: one name, one institution, one person
    [pun] = select(store, """SELECT DISTINCT ?person WHERE { ?m hg:mentionFamilyName "Pun" ; hg:resolvedTo ?person }""")
    papers = select(store, """SELECT ?paper WHERE { ?a vivo:relates ?person , ?paper . ?paper a <http://purl.org/ontology/bibo/AcademicArticle> }""",
                    person=pun["person"])
    assert papers == [{"paper": BASE + "paper/pmid-99999982"}]


def test_reporter_alone_in_an_empty_store_resolves_its_pis() -> None:
    store = Store.open()
    [report] = ingest(store, EXAMPLES)
    assert report.records == 2
    rows = select(store, "SELECT ?pi ?person WHERE { ?pi a vivo:PrincipalInvestigatorRole ; hg:resolvedTo ?person }")
    assert len(rows) == 3 and len({r["person"] for r in rows}) == 3


def test_terms_are_keywords_and_mesh_terms_are_subject_areas(store: Store, tmp_path: Path) -> None:
    ingest_pubmed(store, tmp_path)
    ingest(store, EXAMPLES)
    keywords = select(store, "SELECT ?k WHERE { ?g vivo:freetextKeyword ?k }", g=PUN_GRANT)
    assert len(keywords) == 87
    topics = {r["t"] for r in select(store, "SELECT ?t WHERE { ?g vivo:hasSubjectArea ?t }", g=PUN_GRANT)}
    assert {"http://id.nlm.nih.gov/mesh/D015374", "http://id.nlm.nih.gov/mesh/D000086382"} <= topics
    assert "http://id.nlm.nih.gov/mesh/D015374" in {
        r["t"] for r in select(store, 'SELECT ?t WHERE { ?t rdfs:label "Biosensing Techniques" }')}


def test_fiscal_years_of_one_project_are_one_grant(store: Store, tmp_path: Path) -> None:
    first = examples()["results"][0]
    second = copy.deepcopy(first)
    second.update(appl_id=10700001, fiscal_year=2024, project_num="5R15DE032063-02", award_amount=300000,
                  direct_cost_amt=200000)
    second["principal_investigators"][0]["is_contact_pi"] = False
    path = write_json(tmp_path / "two-years.json", {"meta": {}, "results": [first, second]})
    ingest_pubmed(store, tmp_path)
    [report] = ingest(store, path)
    assert report.records == 2
    [row] = select(store, """SELECT (COUNT(DISTINCT ?y) AS ?years) (SAMPLE(?a) AS ?amount)
        (COUNT(DISTINCT ?id) AS ?ids) (COUNT(DISTINCT ?pi) AS ?pis) WHERE {
        ?g hg:fiscalYear ?y ; vivo:totalAwardAmount ?a ; vivo:sponsorAwardId ?id ; vivo:relates ?pi .
        ?pi a vivo:PrincipalInvestigatorRole }""", g=AMIN_GRANT)
    # ids: the core number, both award numbers and PubMed's "R15 DE032063"
    assert row == {"years": 2, "amount": 744000.0, "ids": 4, "pis": 1}
    assert select(store, "SELECT ?c WHERE { ?pi hg:contactPi ?c }",
                        pi=AMIN_GRANT + "/pi/10583324") == [{"c": True}]


def test_a_subproject_is_part_of_its_core_grant(store: Store, tmp_path: Path) -> None:
    record = examples()["results"][1]
    record["subproject_id"] = 5678
    path = write_json(tmp_path / "sub.json", [record])
    ingest_pubmed(store, tmp_path)
    ingest(store, path)
    rows = select(store, "SELECT ?sub ?pi WHERE { ?sub dcterms:isPartOf ?core ; vivo:relates ?pi . ?pi a hg:PersonMention }",
                        core=PUN_GRANT)
    assert {r["sub"] for r in rows} == {PUN_GRANT + "/sub-5678"} and len(rows) == 2
    assert select(store, "SELECT ?t WHERE { ?core a ?t }", core=PUN_GRANT) == [
        {"t": "http://vivoweb.org/ontology/core#Grant"}]


def test_reingesting_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    ingest_pubmed(store, tmp_path)
    ingest(store, EXAMPLES)
    before = snapshot(store)
    [again] = ingest(store, EXAMPLES)
    assert again.status == "unchanged" and snapshot(store) == before


# -- bad input -----------------------------------------------------------------------------


def test_a_project_without_a_number_is_skipped_and_reported(store: Store, tmp_path: Path) -> None:
    data = examples()
    for key in ("project_num", "core_project_num", "project_num_split"):
        data["results"][0].pop(key)
    path = write_json(tmp_path / "no-number.json", data)
    first, second = parse_reporter_json(data)
    assert isinstance(first, SkippedRecord) and first.field == "project_num" and first.record_id == "10497514"
    assert isinstance(second, Project)
    ingest_pubmed(store, tmp_path)
    [report] = ingest(store, path)
    assert report.records == 1
    [reason] = report.skipped
    assert "no-number.json" in reason and "record 1" in reason and "project_num" in reason
    assert select(store, "SELECT ?t WHERE { ?g dcterms:title ?t }", g=AMIN_GRANT) == []


@pytest.mark.parametrize(("text", "message"), [
    ('{"meta": {}, "results": [{"appl_id": 1, ', "invalid JSON"),
    ("not json at all", "invalid JSON"),
    ('{"hello": "world"}', "not a RePORTER projects response"),
    ('{"results": {"appl_id": 1}}', "not a list"),
    ("", "empty file"),
])
def test_unreadable_files_stop_with_the_file_named_and_change_nothing(
        store: Store, tmp_path: Path, text: str, message: str) -> None:
    ingest_pubmed(store, tmp_path)
    before = snapshot(store)
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message) as caught:
        ingest(store, EXAMPLES, bad)
    assert "bad.json" in str(caught.value)
    assert snapshot(store) == before


def test_bad_field_types_skip_the_record() -> None:
    record = examples()["results"][0]
    record["principal_investigators"] = "Amin"
    [skipped] = parse_reporter_json([record])
    assert isinstance(skipped, SkippedRecord) and skipped.field == "principal_investigators"
    record = examples()["results"][0]
    record["award_amount"] = "lots"
    [skipped] = parse_reporter_json([record])
    assert isinstance(skipped, SkippedRecord) and skipped.field == "award_amount"


# -- every shared file ---------------------------------------------------------------------------


@pytest.mark.slow
def test_every_shared_reporter_file_ingests(tmp_path: Path) -> None:
    folder = shared_or_skip("nih_reporter")
    files = sorted(p for p in folder.rglob("*.json"))
    store = Store.open()
    ingest_pubmed(store, tmp_path)
    reports = ingest(store, *files)
    assert all(r.status == "loaded" and not r.skipped for r in reports)
    [row] = select(store, """SELECT (COUNT(DISTINCT ?g) AS ?grants) (COUNT(DISTINCT ?pi) AS ?pis)
        (COUNT(DISTINCT ?person) AS ?persons) WHERE {
        ?g a vivo:Grant ; vivo:relates ?pi . ?pi a vivo:PrincipalInvestigatorRole ; hg:resolvedTo ?person }""")
    assert row["grants"] >= 2 and row["pis"] >= 3 and row["persons"] == row["pis"]
