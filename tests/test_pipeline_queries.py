"""The innovation pipeline queries of docs/queries, on the bundled sample with its innovation slice.

The store holds what ``make sample`` ingests: the ROR, MeSH and PubMed samples and the
institutional tables of ``data/sample``, then every file of ``data/sample/innovation`` with the
converter of its kind (FDA devices, trials, NIH RePORTER, patents, ORCID, OpenAlex, Crossref).
Each pipeline query must return rows, and the cross-source links the real records give must be
there: trials cite the same paper nodes PubMed describes, a PubMed paper names a trial, Randall J
Bateman is one person across his papers, the DIAN-TU trial and his patent, a device has a product
code with a device type and a review panel, NIH grant ids join.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.namespaces import HG, RDF, sparql_prefixes
from graph.ontology import ONTOLOGY_PATH
from graph.store import Store
from tests.test_docs_model import INNOVATION_QUERIES, mentioned

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
INNOVATION = SAMPLE / "innovation"
QUERY_DIR = ROOT / "docs" / "queries"
DOC = ROOT / "docs" / "model.md"
PIPELINE_FILES = [QUERY_DIR / f"{name}.rq" for name in sorted(INNOVATION_QUERIES)]

#: Kind and file patterns of data/sample/innovation, as the Makefile ingests them.
INNOVATION_KINDS = {
    "fda-devices": ["fda/*"],
    "trials": ["trials/*"],
    "nih-reporter": ["nih_reporter/*.json"],
    "patents": ["patents/pap2pat/*/*.json"],
    "orcid": ["orcid/*"],
    "openalex": ["openalex/*.json"],
    "crossref": ["crossref/*.json"],
}

BATEMAN_ORCID = "https://orcid.org/0000-0002-7729-1702"


def innovation_files(kind: str) -> list[Path]:
    return sorted({p for pattern in INNOVATION_KINDS[kind] for p in INNOVATION.glob(pattern) if p.is_file()})


@pytest.fixture(scope="module")
def store(sample_store: Store) -> Store:
    """The sample graph: ROR, MeSH, PubMed, the tables, then each kind of INNOVATION_KINDS, as
    the Makefile ingests them (tests/conftest.py builds it once per session per backend)."""
    return sample_store


def select(store: Store, body: str) -> list[dict]:
    return store.select(sparql_prefixes() + body)


def ask(store: Store, body: str) -> bool:
    return bool(store.query(sparql_prefixes() + body))


def run(store: Store, name: str) -> list[dict]:
    return store.select((QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8"))


# -- the sample folder ------------------------------------------------------------------------


def test_every_innovation_file_is_ingested_by_one_kind():
    files = {p for p in INNOVATION.rglob("*") if p.is_file()}
    covered = [p for kind in INNOVATION_KINDS for p in innovation_files(kind)]
    assert sorted(covered) == sorted(files) and len(covered) == len(set(covered))


def test_the_innovation_sample_is_small():
    assert sum(p.stat().st_size for p in INNOVATION.rglob("*") if p.is_file()) < 1_100_000


def test_the_innovation_sources_are_recorded(store):
    kinds = {r["kind"] for r in select(store, "SELECT DISTINCT ?kind WHERE { ?g a hg:SourceGraph ; hg:sourceKind ?kind }")}
    assert set(INNOVATION_KINDS) <= kinds


# -- the pipeline queries ----------------------------------------------------------------------


@pytest.mark.parametrize("path", PIPELINE_FILES, ids=[p.stem for p in PIPELINE_FILES])
def test_pipeline_query_runs_and_returns_rows(store, path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "/person/" not in text
    assert store.select(text), f"{path.name} returned no rows on the sample store"
    assert list(store.query(sparql_prefixes() + text))  # with `hubgraph query --file`'s prefixes too


def test_pipeline_person_reaches_papers_trial_and_patent_of_bateman(store):
    rows = run(store, "pipeline_person")
    kinds = {r["kind"] for r in rows}
    assert {"paper", "trial", "patent"} <= kinds
    assert len(rows) == len({(r["kind"], r["item"]) for r in rows})  # one row per item
    trials = [r for r in rows if r["kind"] == "trial"]
    assert [r["item"] for r in trials] == [store.minter.trial("NCT05269394")]
    assert [r["item"] for r in rows if r["kind"] == "patent"] == [store.minter.patent("US20180372720")]
    papers = {r["item"] for r in rows if r["kind"] == "paper"}
    assert store.minter.paper("30217935") in papers and len(papers) >= 12


def test_pipeline_department_has_affiliated_and_member_papers(store):
    rows = run(store, "pipeline_department")
    assert rows and all(r["kind"] == "paper" for r in rows)
    vias = {v for r in rows for v in r["via"].split()}
    assert vias == {"affiliation", "member"}
    assert any("Eleanor Whitcombe" in r["people"] for r in rows)


def test_pipeline_paths_join_a_sample_paper_to_its_trial(store):
    rows = run(store, "pipeline_paths")
    paths = {(r["pmid"], r["nct"]): r for r in rows}
    assert ("37459141", "NCT04437511") in paths
    assert set(paths[("37459141", "NCT04437511")]["link"].split()) == {"cites", "named-by"}


def test_devices_by_institution_panel_counts_md_anderson_in_radiology(store):
    rows = run(store, "devices_by_institution_panel")
    md_anderson = [r for r in rows if "MD Anderson" in r["applicantName"]]
    assert [(r["panelName"], r["devices"], r["exampleDevice"]) for r in md_anderson] == [
        ("Radiology", 1, "Radiation Planning Assistant (RPA)")]
    counts = [r["devices"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    total = select(store, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a schema:MedicalDevice ; schema:manufacturer ?o ; hg:reviewPanel ?p }")
    assert sum(counts) == total[0]["n"] == 51  # 50 on the AI-enabled list and the NeuroStar 510(k)


def test_the_sample_joins_a_trial_device_to_its_fda_clearance(store):
    rows = select(store, "SELECT DISTINCT ?nct ?number WHERE { ?t dcterms:identifier ?nct ; schema:studySubject ?i . "
                         "?i hg:fdaDevice ?d . ?d dcterms:identifier ?number }")
    assert [(r["nct"], r["number"]) for r in rows] == [("NCT02586688", "K061053")]


def test_trial_clinicians_of_university_devices_finds_bateman_through_his_patent(store):
    rows = run(store, "trial_clinicians_of_university_devices")
    assert [(r["name"], r["nct"], r["connection"], r["patent"]) for r in rows] == [
        ("Randall J. Bateman", "NCT05269394", "inventor-investigator", store.minter.patent("US20180372720"))]
    assert "Washington University" in rows[0]["universityName"]


# -- cross-source links --------------------------------------------------------------------------


def test_trials_cite_the_paper_nodes_pubmed_describes(store):
    rows = select(store, """
        SELECT DISTINCT ?trial ?paper ?pmid WHERE {
          ?trial a schema:MedicalTrial ; dcterms:references ?paper .
          ?paper a bibo:AcademicArticle ; bibo:pmid ?pmid ; dcterms:title ?title }
    """)
    assert {(r["trial"], r["paper"]) for r in rows} == {
        (store.minter.trial("NCT04437511"), store.minter.paper("37459141"))}
    assert ask(store, "ASK { ?p bibo:pmid ?pmid } ") and not select(store, """
        SELECT ?pmid WHERE { ?p bibo:pmid ?pmid } GROUP BY ?pmid HAVING (COUNT(DISTINCT ?p) > 1)""")


def test_a_pubmed_paper_names_a_trial(store):
    rows = select(store, """
        SELECT ?paper ?nct WHERE { ?paper bibo:pmid ?pmid ; dcterms:relation ?t .
                                  ?t a schema:MedicalTrial ; dcterms:identifier ?nct }""")
    assert rows == [{"paper": store.minter.paper("37459141"), "nct": "NCT04437511"}]


def test_bateman_is_one_person_across_papers_trial_and_patent(store):
    rows = select(store, """
        SELECT ?person (COUNT(DISTINCT ?paper) AS ?papers) WHERE {{
          ?a hg:mentionFamilyName "Bateman" ; hg:resolvedTo ?person .
          OPTIONAL {{ ?a a vivo:Authorship ; vivo:relates ?paper . ?paper a bibo:AcademicArticle }}
        }} GROUP BY ?person""")
    assert len(rows) == 1 and rows[0]["papers"] == 12  # 11 PubMed papers and the Pap2Pat paper
    person = rows[0]["person"]
    assert ask(store, f"ASK {{ <{person}> vivo:orcidId <{BATEMAN_ORCID}> }}")
    assert ask(store, f"""ASK {{ <{store.minter.trial('NCT05269394')}> hg:investigator ?m . ?m hg:resolvedTo <{person}> .
                               <{store.minter.patent('US20180372720')}> hg:inventor ?i . ?i hg:resolvedTo <{person}> }}""")


def test_the_patent_relates_to_its_paired_paper_both_ways(store):
    patent = store.minter.patent("US20180372720")
    rows = select(store, f"""SELECT ?paper WHERE {{ <{patent}> dcterms:relation ?paper . ?paper dcterms:relation <{patent}> ;
                                                   hg:externalId "openalex:W2789872951" }}""")
    assert len(rows) == 1


def test_a_device_has_product_code_device_type_and_panel(store):
    device = store.minter.device("K222728")
    rows = select(store, f"""
        SELECT ?code ?typeLabel ?panel ?class ?regulation WHERE {{
          <{device}> a schema:MedicalDevice ; hg:productCode ?type ; hg:reviewPanel ?p .
          ?type a hg:DeviceType ; dcterms:identifier ?code ; rdfs:label ?typeLabel ; hg:reviewPanel ?p ;
                hg:deviceClass ?class ; hg:regulationNumber ?regulation .
          ?p a hg:ReviewPanel ; skos:notation ?panel }}""")
    assert rows == [{"code": "MUJ", "typeLabel": "System, Planning, Radiation Therapy Treatment", "panel": "RA",
                     "class": "2", "regulation": "892.5050"}]


def test_nih_grants_join_on_the_pubmed_grant_iri(store):
    # RePORTER writes R15DE032063 on the IRI PubMed would use for "DE032063" / "NIDCR NIH HHS".
    grant = store.minter.grant("DE032063", "NIDCR NIH HHS")
    assert grant.endswith("grant/nih/de032063")
    assert ask(store, f"ASK {{ <{grant}> a vivo:Grant ; vivo:sponsorAwardId \"R15DE032063\" ; vivo:relates ?pi . ?pi a vivo:PrincipalInvestigatorRole ; hg:resolvedTo ?person }}")
    # A PubMed grant several sample papers acknowledge is one node.
    shared = select(store, """
        SELECT ?g (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
          ?paper a bibo:AcademicArticle ; vivo:informationResourceSupportedBy ?g . ?g a vivo:Grant }
        GROUP BY ?g HAVING (COUNT(DISTINCT ?paper) > 1)""")
    assert shared


def test_orcid_claims_join_pubmed_ids(store):
    rows = select(store, """
        SELECT DISTINCT ?paper WHERE {{ ?c a hg:ClaimedAuthorship ; hg:mentionOrcid <https://orcid.org/0000-0001-8607-8025> ;
                                       hg:claims ?paper ; hg:resolvedTo ?person }}""")
    assert len(rows) >= 50


def test_organisations_join_through_ror(store):
    # The trial's official and the ROR record of Mayo Clinic are one organisation node.
    assert ask(store, """ASK { ?t a schema:MedicalTrial ; hg:investigator ?m . ?m hg:affiliation ?o .
                               ?o vivo:rorId ?ror ; owl:sameAs ?rorIri }""")


# -- the document covers the innovation data ------------------------------------------------------


def test_doc_names_every_predicate_and_class_in_the_innovation_data(store):
    doc = DOC.read_text(encoding="utf-8")
    predicates = [r["p"] for r in store.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
    classes = [r["c"] for r in store.select("SELECT DISTINCT ?c WHERE { ?s a ?c }")]
    missing = sorted(t for t in predicates + classes if not mentioned(doc, t))
    assert not missing, f"terms written but not documented in docs/model.md: {missing}"


def test_every_hg_term_in_the_innovation_data_is_defined_in_the_ontology(store):
    ontology = ox.Store()
    ontology.load(ONTOLOGY_PATH.read_bytes(), ox.RdfFormat.TURTLE)
    defined = {q.subject.value for q in ontology.quads_for_pattern(None, ox.NamedNode(f"{RDF}type"), None)
               if q.subject.value.startswith(HG)}
    rows = store.select("SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s ?p ?t } "
                        f'FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{HG}")) }}')
    used = {r["t"] for r in rows}
    assert {f"{HG}productCode", f"{HG}investigator", f"{HG}inventor"} <= used
    assert not sorted(used - defined)


def test_doc_quotes_the_pipeline_queries():
    doc = DOC.read_text(encoding="utf-8")
    for path in PIPELINE_FILES:
        block = re.search(rf"<!-- query: {re.escape(path.stem)} -->\n```sparql\n(.*?)^```", doc, re.M | re.S)
        assert block and block.group(1).strip() == path.read_text(encoding="utf-8").strip(), path.stem
