"""ClinicalTrials.gov studies: parsing both formats, ingest into the graph, bad input (real files).

The fixtures in ``tests/data/trials`` are real records (see its SOURCES.md): the DIAN-TU platform
trial (API v2 JSON, Randall J Bateman, Washington University), a device trial, a trial citing
papers without PMIDs, an individual-sponsor trial, legacy XML records, and the PubMed record of
one paper the DIAN-TU trial cites (so that trials meet papers and investigators meet authors).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_trials import Official, Sponsor, Trial, TrialMeshTerm
from graph.namespaces import HG, sparql_prefixes
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from ingest.trials import (
    TrialsConverter, mesh_ui, parse_person_name, parse_study_json, parse_trials_json, read_trials,
)
from tests.support import DATA, shared_or_skip

TRIALS = DATA / "trials"
DIAN_TU = TRIALS / "NCT05269394.json"
DEVICE = TRIALS / "NCT04207047.json"
PRIDE = TRIALS / "NCT03630471.json"
INDIVIDUAL = TRIALS / "NCT00763412.json"
NEUROSTAR = TRIALS / "NCT02586688.xml"
ORTEL = TRIALS / "NCT00482794.xml"
REDACTED = TRIALS / "NCT03182660.xml"
SPONSOR_INVESTIGATOR = TRIALS / "NCT00734539.xml"
TRIAL_FILES = sorted(TRIALS.glob("NCT*"))
PAPER = TRIALS / "pubmed-34155411.xml"
ROR = [DATA / "ror" / "ror_v2_sample.json", DATA / "ror" / "ror_v1_sample.json"]
BATEMAN_ORCID = "0000-0002-7729-1702"


def one(path: Path) -> Trial:
    [trial] = list(read_trials(path))
    assert isinstance(trial, Trial)
    return trial


def select(store: Store, body: str) -> list[dict]:
    return store.select(sparql_prefixes() + body)


def ask(store: Store, body: str) -> bool:
    return bool(store.query(sparql_prefixes() + body))


def fresh_store() -> Store:
    """An in-memory store holding one paper: identity resolution cannot yet run over a store
    whose mentions are all trial officials (see test_a_store_of_trials_only_resolves)."""
    store = Store.open()
    ingest_files(store, CONVERTERS["pubmed"](store), [PAPER])
    return store


def snapshot(store: Store) -> tuple:
    return (store.triple_count(), [s.graph for s in store.sources()],
            sorted(str(g) for g in store.ox.named_graphs()))


# -- API v2 JSON ---------------------------------------------------------------------------


def test_dian_tu_v2_study_values():
    trial = one(DIAN_TU)
    assert trial.nct_id == "NCT05269394" and trial.acronym == "DIAN-TU"
    assert trial.title.startswith("Dominantly Inherited Alzheimer Network Trial: An Opportunity to Prevent Dementia")
    assert trial.official_title.startswith("A Phase II/III Multicenter Randomized, Double-Blind")
    assert (trial.status, trial.phases, trial.study_type) == ("ACTIVE_NOT_RECRUITING", ("PHASE2", "PHASE3"),
                                                              "INTERVENTIONAL")
    assert (trial.start_date, trial.completion_date) == ("2021-12-22", "2028-07")
    assert trial.condition_mesh == (TrialMeshTerm("Alzheimer Disease", "D000544"), TrialMeshTerm("Dementia", "D003704"))
    assert [(c.text, c.ui) for c in trial.conditions] == [
        ("Alzheimers Disease", None), ("Dementia", "D003704"), ("Alzheimers Disease, Familial", None)]
    assert trial.lead_sponsor == Sponsor("Washington University School of Medicine", "OTHER")
    assert trial.collaborators == (
        Sponsor("Alzheimer's Association", "OTHER"), Sponsor("National Institute on Aging (NIA)", "NIH"),
        Sponsor("Accelerating Medicines Partnership (AMP)", "OTHER"), Sponsor("Eisai Inc.", "INDUSTRY"))
    assert trial.officials == (Official(
        "Randall J Bateman, MD", "Study Director", "Washington University School of Medicine",
        "Bateman", "Randall J", "RJ", "overall_official"),)
    assert [(i.name, i.kind) for i in trial.interventions] == [
        ("E2814", "DRUG"), ("Lecanemab", "DRUG"), ("Matching Placebo (E2814)", "DRUG")]
    assert len(trial.references) == 12 and {r.kind for r in trial.references} == {"BACKGROUND"}
    assert {"1759558", "23332364", "34155411", "10805776"} <= set(trial.pmids)
    assert "DIAN-TU" in trial.keywords


def test_device_trial_keeps_each_device_with_its_sponsor():
    trial = one(DEVICE)
    assert trial.lead_sponsor == Sponsor("LUTRONIC Corporation", "INDUSTRY")
    assert [(i.name, i.kind) for i in trial.interventions] == [
        ("Genius", "DEVICE"), ("eC02", "DEVICE"), ("PicoPlus", "DEVICE"), ("LaseMD", "DEVICE"),
        ("LaseMD Flex", "DEVICE")]
    assert trial.interventions[0].description.startswith("The Infini Radiofrequency System (K121481)")
    assert trial.officials == () and trial.condition_mesh == ()
    assert [(c.text, c.ui) for c in trial.conditions] == [("Abdominoplasty", "D061645")]  # bundled MeSH list
    assert (trial.status, trial.phases, trial.completion_date) == ("UNKNOWN", ("NA",), "2020-03-31")


def test_references_without_pmid_keep_their_citation():
    trial = one(PRIDE)
    assert len(trial.references) == 12 and len(trial.pmids) == 10
    no_pmid = [r for r in trial.references if r.pmid is None]
    assert len(no_pmid) == 2 and no_pmid[0].citation.startswith("Lazarus RS, Folkman S.")
    assert [r.pmid for r in trial.references if r.kind == "DERIVED"] == ["34582460", "32585185", "31533783"]
    [patel] = trial.officials
    assert (patel.family, patel.given, patel.role, patel.affiliation) == (
        "Patel", "Vikram", "Principal Investigator", "Harvard Medical School (HMS and HSDM)")


def test_padded_mesh_uis_and_an_individual_sponsor():
    trial = one(INDIVIDUAL)
    # AACT pads six-digit UIs to nine digits; the record's real UIs come back.
    assert [(t.label, t.ui) for t in trial.condition_mesh][:3] == [
        ("Cystic Fibrosis", "D003550"), ("Exocrine Pancreatic Insufficiency", "D010188"),
        ("Diabetes Mellitus", "D003920")]
    assert trial.lead_sponsor == Sponsor("Arbelaez, Ana Maria", "INDIV")
    # The overall official, then the responsible-party investigator (who is also the sponsor,
    # listed once); her "affiliation" repeats her own name and is dropped.
    assert [(o.family, o.given, o.initials, o.role, o.affiliation, o.source) for o in trial.officials] == [
        ("White", "Neil H", "NH", "Study Chair", "Washington University School of Medicine", "overall_official"),
        ("Arbelaez", "Ana Maria", "AM", "Principal Investigator", None, "responsible_party")]
    assert (trial.start_date, trial.phases) == ("2006-11", ("NA",))


def test_mesh_ui_normalisation():
    assert mesh_ui("D000003550") == "D003550"
    assert mesh_ui("D000089183") == "D000089183"  # a real nine-digit UI
    assert mesh_ui("d000544") == "D000544"
    assert mesh_ui("Alzheimer") is None and mesh_ui(None) is None


# -- legacy XML ---------------------------------------------------------------------------


def test_neurostar_legacy_xml_values():
    trial = one(NEUROSTAR)
    assert trial.nct_id == "NCT02586688"
    assert trial.title == ("Safety and Effectiveness of NeuroStar® Transcranial Magnetic Stimulation (TMS) "
                           "Therapy in Depressed Adolescents")
    assert (trial.status, trial.phases, trial.study_type) == ("ACTIVE_NOT_RECRUITING", ("NA",), "INTERVENTIONAL")
    assert (trial.start_date, trial.completion_date) == ("2015-10", "2018-12")
    assert trial.lead_sponsor == Sponsor("Neuronetics", "OTHER") and trial.collaborators == ()
    assert [(t.label, t.ui) for t in trial.condition_mesh] == [
        ("Depressive Disorder", "D003866"), ("Depression", "D003863"), ("Depressive Disorder, Major", "D003865")]
    assert [(c.text, c.ui) for c in trial.conditions] == [("Major Depressive Disorder", None)]
    assert [i.kind for i in trial.interventions] == ["DEVICE"] * 3
    assert trial.interventions[0].name == "Active NeuroStar® Transcranial Magnetic Stimulation (TMS)"
    assert trial.interventions[0].other_names == ("TMS", "NeuroStar®")
    assert [(o.family, o.given, o.role, o.affiliation) for o in trial.officials] == [
        ("Croarkin", "Paul", "Principal Investigator", "Mayo Clinic"),
        ("Heart", "Karen", "Study Director", "Neuronetics")]
    assert [(r.pmid, r.kind) for r in trial.references] == [
        ("17573044", "RESULT"), ("22689344", "RESULT"), ("21951987", "RESULT")]
    assert trial.brief_summary.startswith("To evaluate the safety and efficacy of daily, active Neurostar® TMS")
    assert "\n" not in trial.brief_summary


def test_legacy_background_references_and_dates():
    trial = one(ORTEL)
    assert trial.pmids == ("11882732", "11953980", "12393658", "12192084", "16475047")
    assert {r.kind for r in trial.references} == {"BACKGROUND"}
    [ortel] = trial.officials
    assert (ortel.name, ortel.family, ortel.given, ortel.initials) == (
        "Thomas L. Ortel, MD, PhD", "Ortel", "Thomas L", "TL")


def test_a_sponsor_investigator_is_a_person_not_an_organisation():
    trial = one(SPONSOR_INVESTIGATOR)
    # Legacy XML classes the sponsor "Other"; the responsible party says it is the investigator.
    assert trial.lead_sponsor == Sponsor("Daniel Benjamin", "INDIV")
    people = [(o.family, o.given) for o in trial.officials if o.is_person]
    assert people == [("Benjamin", "Daniel K")]  # "Daniel Benjamin" again as responsible party: once


def test_a_redacted_record_has_no_sponsor():
    trial = one(REDACTED)
    assert trial.lead_sponsor is None and trial.officials == ()
    assert (trial.status, trial.study_type) == ("WITHHELD", None)
    assert trial.title == "[Trial of device that is not approved or cleared by the U.S. FDA]"


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Randall J Bateman, MD", ("Bateman", "Randall J", "RJ")),
    ("M. Louise Markert, M.D., Ph.D", ("Markert", "M Louise", "ML")),
    ("GERALD CHANQUES, MD, Ph D", ("Chanques", "Gerald", "G")),
    ("Daniel K Benjamin, MD MPH PhD", ("Benjamin", "Daniel K", "DK")),
    ("Pierre-François PERRIGAULT, MD", ("Perrigault", "Pierre-François", "PF")),
    ("Megan E. B. Clowse, MD, MPH", ("Clowse", "Megan E B", "MEB")),
    ("Charlotte S. Hartman, Pharm.D.", ("Hartman", "Charlotte S", "CS")),
    ("Johnstone Kumwenda, MD, MBBS, MMED", ("Kumwenda", "Johnstone", "J")),
    ("Salwa S Hays, Prof", ("Hays", "Salwa S", "SS")),
    ("Turgut Donmez, operator MD", ("Donmez", "Turgut", "T")),
    ("n khazragy lecturer, phD", ("Khazragy", "N", "N")),
    ("M Elhafeez Assistant Professor Obstetrics and Gy, phD", ("Elhafeez", "M", "M")),
    ("Dong-Xin Wang, MD, PhD", ("Wang", "Dong-Xin", "DX")),
    ("Arbelaez, Ana Maria", ("Arbelaez", "Ana Maria", "AM")),
    ("Prof. Dr. med. Hans Müller", ("Müller", "Hans", "H")),
    ("Anna de la Cruz", ("de la Cruz", "Anna", "A")),
    ("Jane Ma", ("Ma", "Jane", "J")),  # a family name that is also a degree, written as a name
    ("Medical Director", None),
    ("Clinical Trials", None),
    ("GSK Clinical Trials", None),
    ("Shire Physician", None),
    ("UCB Cares", None),
    ("Clinical Transparency (Dept. 2834)", None),
    ("Janssen Research & Development, LLC Clinical Trial", None),
    ("4968 Clinical Trial Leader", None),
    ("Call 1-877-CTLILLY (1-877-285-4559) or 1-317-615-4559 Mon - Fri 9 AM - 5 PM Eastern time", None),
    ("Sanofi", None),
    ("[Redacted]", None),
])
def test_official_names(text, expected):
    assert parse_person_name(text) == expected


def test_an_organisation_named_as_official_is_no_person():
    assert parse_person_name("Bristol-Myers Squibb", ["Bristol-Myers Squibb"]) is None
    assert parse_person_name("Bristol-Myers Squibb") == ("Squibb", "Bristol-Myers", "BM")  # why the check exists


def test_a_placeholder_official_is_kept_unparsed():
    study = json.loads(DIAN_TU.read_text(encoding="utf-8"))
    study["protocolSection"]["contactsLocationsModule"]["overallOfficials"] = [
        {"name": "Medical Director", "affiliation": "Biogen", "role": "STUDY_DIRECTOR"},
        {"name": "Randall J Bateman, MD", "affiliation": "Washington University School of Medicine",
         "role": "PRINCIPAL_INVESTIGATOR"}]
    trial = parse_study_json(study, 1)
    assert [(o.name, o.is_person, o.role) for o in trial.officials] == [
        ("Medical Director", False, "Study Director"), ("Randall J Bateman, MD", True, "Principal Investigator")]


# -- file shapes ---------------------------------------------------------------------------


def _studies() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in (DIAN_TU, DEVICE, PRIDE)]


def test_a_json_array_and_a_search_response_give_the_same_trials(tmp_path: Path):
    single = [one(p) for p in (DIAN_TU, DEVICE, PRIDE)]
    array = tmp_path / "studies.json"
    array.write_text(json.dumps(_studies()), encoding="utf-8")
    search = tmp_path / "search.json.gz"
    search.write_bytes(gzip.compress(json.dumps(
        {"totalCount": 3, "studies": _studies(), "nextPageToken": "NF0g5JGBlPMuwQ"}, indent=2).encode()))
    assert list(read_trials(array)) == single
    assert list(read_trials(search)) == single


def test_bad_studies_in_an_array_are_skipped_and_the_rest_read():
    studies = _studies()
    del studies[1]["protocolSection"]["identificationModule"]["nctId"]
    studies[2]["protocolSection"]["identificationModule"]["nctId"] = "NCT123"
    text = json.dumps([studies[0], studies[1], "not a study", {"derivedSection": {}}, studies[2]])
    records = list(parse_trials_json(text, "x.json"))
    assert isinstance(records[0], Trial) and records[0].nct_id == "NCT05269394"
    assert [(r.index, r.record_id, r.field) for r in records[1:]] == [
        (2, None, "identificationModule.nctId"), (3, None, "study"), (4, None, "protocolSection"),
        (5, "NCT123", "identificationModule.nctId")]
    assert all(isinstance(r, SkippedRecord) for r in records[1:])
    assert records[1].reason == "missing NCT id"


def test_legacy_xml_without_nct_id_is_a_skipped_record(tmp_path: Path):
    path = tmp_path / "study.xml"
    path.write_bytes(NEUROSTAR.read_bytes().replace(b"<nct_id>NCT02586688</nct_id>", b""))
    [record] = list(read_trials(path))
    assert isinstance(record, SkippedRecord) and record.field == "id_info/nct_id"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("cut.json", DIAN_TU.read_bytes()[:5000], "invalid JSON"),
    ("garbage.json", b'{"protocolSection": {"identificationModule": }', "invalid JSON at line 1"),
    ("v1.json", b'{"FullStudiesResponse": {"FullStudies": []}}', r"classic API \(v1\)"),
    ("other.json", b'{"items": []}', "not ClinicalTrials.gov API v2 JSON"),
    ("extra.json", DIAN_TU.read_bytes() + b"\n{}", "extra data"),
    ("cut.xml", NEUROSTAR.read_bytes()[:4000], "XML syntax error"),
    ("pubmed.xml", PAPER.read_bytes(), "no <clinical_study> records"),
    ("empty.json", b"  \n", "empty file"),
    ("none.json", b'{"totalCount": 0, "studies": []}', "no studies"),
    ("text.txt", b"NCT02586688 is a trial", "not ClinicalTrials.gov data"),
    ("cut.json.gz", gzip.compress(DIAN_TU.read_bytes())[:3000], "truncated gzip"),
])
def test_unreadable_files_raise_ingest_error_naming_the_file(tmp_path: Path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        list(read_trials(path))
    assert name in str(info.value)


# -- into the graph ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store.open()  # in memory
    ingest_files(store, CONVERTERS["ror"](store), ROR)
    ingest_files(store, CONVERTERS["pubmed"](store), [PAPER])
    reports = ingest_files(store, TrialsConverter(store), TRIAL_FILES)
    assert [r.status for r in reports] == ["loaded"] * len(TRIAL_FILES)
    assert sum(r.records for r in reports) == len(TRIAL_FILES) and not any(r.skipped for r in reports)
    return store


def test_every_study_is_a_trial_with_its_nct_id(store):
    rows = select(store, """SELECT ?t ?id WHERE { ?t a schema:MedicalTrial ; dcterms:identifier ?id ;
                                                   rdfs:label ?l ; schema:name ?l }""")
    assert sorted(r["id"] for r in rows) == sorted(p.stem for p in TRIAL_FILES)
    assert all(r["t"] == store.minter.trial(r["id"]) for r in rows)
    [dian] = select(store, f"""SELECT ?status ?start ?end ?type ?acronym WHERE {{
        <{store.minter.trial("NCT05269394")}> schema:status ?status ; schema:startDate ?start ;
            schema:endDate ?end ; hg:studyType ?type ; schema:alternateName ?acronym }}""")
    assert dian == {"status": "ACTIVE_NOT_RECRUITING", "start": "2021-12-22", "end": "2028-07",
                    "type": "INTERVENTIONAL", "acronym": "DIAN-TU"}
    assert ask(store, """ASK { ?t dcterms:identifier "NCT05269394" ; schema:startDate ?d
                               FILTER(DATATYPE(?d) = xsd:date) }""")
    phases = select(store, 'SELECT ?p WHERE { ?t dcterms:identifier "NCT05269394" ; schema:phase ?p } ORDER BY ?p')
    assert [r["p"] for r in phases] == ["PHASE2", "PHASE3"]


def test_sponsors_and_collaborators_are_organisations(store):
    rows = select(store, """SELECT ?id ?label WHERE { ?t dcterms:identifier ?id ; schema:sponsor ?o .
                                                      ?o a foaf:Organization ; rdfs:label ?label }""")
    sponsors = {r["id"]: r["label"] for r in rows}
    assert sponsors["NCT05269394"] == "Washington University School of Medicine"
    assert sponsors["NCT04207047"] == "LUTRONIC Corporation"
    assert sponsors["NCT02586688"] == "Neuronetics"
    # An individual sponsor and a redacted one are no organisations.
    assert not {"NCT00763412", "NCT00734539", "NCT03182660"} & set(sponsors)
    assert ask(store, 'ASK { ?t dcterms:identifier "NCT04207047" ; schema:sponsor ?o . ?o a vivo:PrivateCompany }')
    collaborators = select(store, """SELECT ?label WHERE { ?t dcterms:identifier "NCT05269394" ;
                                       dcterms:contributor ?o . ?o rdfs:label ?label } ORDER BY ?label""")
    assert [r["label"] for r in collaborators] == [
        "Accelerating Medicines Partnership", "Alzheimer's Association", "Eisai Inc.", "National Institute on Aging"]
    # A collaborator named in ROR is the ROR organisation: Harvard Medical School (HMS and HSDM).
    assert ask(store, 'ASK { ?t dcterms:identifier "NCT03630471" ; dcterms:contributor ?o . ?o vivo:rorId ?id }')


def test_conditions_are_mesh_concepts_or_text(store):
    rows = select(store, """SELECT ?c ?label WHERE { ?t dcterms:identifier "NCT05269394" ; schema:healthCondition ?c .
                                                     OPTIONAL { ?c a skos:Concept ; skos:prefLabel ?label } }""")
    concepts = {r["c"]: r["label"] for r in rows if r["label"]}
    assert concepts == {"http://id.nlm.nih.gov/mesh/D000544": "Alzheimer Disease",
                        "http://id.nlm.nih.gov/mesh/D003704": "Dementia"}
    assert sorted(r["c"] for r in rows if not r["label"]) == ["Alzheimers Disease", "Alzheimers Disease, Familial"]
    # Legacy XML names MeSH terms by label only: the UI comes from the bundled list.
    assert ask(store, 'ASK { ?t dcterms:identifier "NCT02586688" ; schema:healthCondition mesh:D003865 }')


def test_referenced_pmids_link_to_paper_nodes_and_say_nothing_else_about_them(store):
    refs = select(store, 'SELECT ?p WHERE { ?t dcterms:identifier "NCT05269394" ; dcterms:references ?p }')
    assert len(refs) == 12 and {store.minter.paper("34155411"), store.minter.paper("1759558")} <= {r["p"] for r in refs}
    # The paper PubMed describes is the node the trial points to.
    assert select(store, """SELECT ?title WHERE { ?t dcterms:identifier "NCT05269394" ; dcterms:references ?p .
                                                  ?p a bibo:AcademicArticle ; dcterms:title ?title }""") == [
        {"title": "A trial of gantenerumab or solanezumab in dominantly inherited Alzheimer's disease."}]
    # The trial graphs hold no triple about any paper.
    assert not ask(store, """ASK { GRAPH ?g { ?p ?x ?y } ?g hg:sourceKind "trials" .
                                   FILTER(CONTAINS(STR(?p), "/paper/")) }""")
    # Results references also say the paper is about the trial.
    about = select(store, 'SELECT ?p WHERE { ?t dcterms:identifier "NCT02586688" ; schema:subjectOf ?p }')
    assert {r["p"] for r in about} == {store.minter.paper(p) for p in ("17573044", "22689344", "21951987")}


def test_device_interventions_are_medical_devices(store):
    rows = select(store, """SELECT ?name WHERE { ?t dcterms:identifier "NCT04207047" ; schema:studySubject ?d .
                                                 ?d a schema:MedicalDevice ; schema:name ?name ;
                                                    hg:interventionType "DEVICE" } ORDER BY ?name""")
    assert [r["name"] for r in rows] == ["Genius", "LaseMD", "LaseMD Flex", "PicoPlus", "eC02"]
    assert ask(store, """ASK { ?t dcterms:identifier "NCT05269394" ; schema:studySubject ?d .
                               ?d a schema:Drug ; schema:name "E2814" }""")


def test_officials_are_person_mentions_resolved_to_persons(store):
    rows = select(store, """SELECT ?id ?m ?written ?role ?person WHERE {
        ?t dcterms:identifier ?id ; hg:investigator ?m .
        ?m a hg:PersonMention ; hg:nameAsWritten ?written ; hg:resolvedTo ?person .
        ?person a foaf:Person .
        OPTIONAL { ?m schema:roleName ?role } }""")
    by_name = {r["written"]: r for r in rows}
    assert set(by_name) == {"Bateman RJ", "Patel V", "White NH", "Arbelaez AM", "Croarkin P", "Heart K",
                            "Ortel TL", "Benjamin DK"}
    assert by_name["Bateman RJ"]["m"] == store.minter.trial("NCT05269394") + "/official/1"
    assert by_name["Bateman RJ"]["role"] == "Study Director"
    assert by_name["Croarkin P"]["role"] == "Principal Investigator"
    # Every mention is resolved exactly once.
    assert not ask(store, """ASK { ?t hg:investigator ?m FILTER NOT EXISTS { ?m hg:resolvedTo ?p } }""")
    # Affiliations: the text as given and the organisation it names (Mayo Clinic from ROR).
    [croarkin] = select(store, """SELECT ?text ?ror WHERE { ?m hg:nameAsWritten "Croarkin P" ;
                                    hg:affiliationText ?text ; hg:affiliation ?o . ?o vivo:rorId ?ror }""")
    assert croarkin == {"text": "Mayo Clinic", "ror": "02qp3tb03"}


def test_trial_official_person_paper_path(store):
    """The DIAN-TU study director is the Randall J Bateman who wrote a paper the trial cites."""
    person = store.minter.person(f"orcid-{BATEMAN_ORCID}")
    rows = select(store, """SELECT DISTINCT ?person ?name ?paper WHERE {
        ?trial dcterms:identifier "NCT05269394" ; hg:investigator ?m ; dcterms:references ?paper .
        ?m hg:resolvedTo ?person ; hg:affiliation ?org .
        ?person foaf:name ?name .
        ?authorship a vivo:Authorship ; vivo:relates ?person , ?paper .
        ?paper a bibo:AcademicArticle }""")
    assert rows == [{"person": person, "name": "Randall J Bateman", "paper": store.minter.paper("34155411")}]


def test_only_documented_hg_terms_are_written(store):
    rows = select(store, f"""SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {{ ?s ?t ?o }} UNION {{ ?s a ?t }} }}
                                                        ?g hg:sourceKind "trials"
                                                        FILTER(STRSTARTS(STR(?t), "{HG}")) }}""")
    used = {r["t"].removeprefix(HG) for r in rows}
    assert used <= {
        "PersonMention", "nameAsWritten", "mentionFamilyName", "mentionGivenName", "mentionInitials",
        "investigator", "affiliation", "affiliationText", "studyType", "interventionType", "Institution",
        "AffiliationMatch", "matchedText", "matchedOrganization", "matchMethod", "confidence",
    }
    assert {"investigator", "studyType", "interventionType", "PersonMention"} <= used


def test_an_unreadable_file_changes_nothing(tmp_path: Path):
    store = fresh_store()
    ingest_files(store, TrialsConverter(store), [DEVICE])
    before = snapshot(store)
    cut = tmp_path / "cut.xml"
    cut.write_bytes(NEUROSTAR.read_bytes()[:4000])
    with pytest.raises(IngestError, match="cut.xml"):
        ingest_files(store, TrialsConverter(store), [DIAN_TU, cut])
    assert snapshot(store) == before


def test_skipped_and_repeated_studies_are_reported(tmp_path: Path):
    studies = _studies()
    del studies[1]["protocolSection"]["identificationModule"]["nctId"]
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"studies": [studies[0], studies[1], studies[2], studies[0]]}), encoding="utf-8")
    store = fresh_store()
    [report] = ingest_files(store, TrialsConverter(store), [path])
    assert report.status == "loaded" and report.records == 2
    assert report.skipped == [
        "page.json: record 2, field identificationModule.nctId: missing NCT id",
        "page.json: NCT05269394: the study is in the file twice; the first record is kept"]
    assert len(select(store, "SELECT ?t WHERE { ?t a schema:MedicalTrial }")) == 2
    [again] = ingest_files(store, TrialsConverter(store), [path])
    assert again.status == "unchanged"


def test_officials_naming_no_person_are_warned_about(tmp_path: Path):
    study = json.loads(DIAN_TU.read_text(encoding="utf-8"))
    study["protocolSection"]["contactsLocationsModule"]["overallOfficials"].append(
        {"name": "Clinical Trials", "affiliation": "Hoffmann-La Roche", "role": "STUDY_DIRECTOR"})
    path = tmp_path / "study.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    store = fresh_store()
    [report] = ingest_files(store, TrialsConverter(store), [path])
    assert report.warnings == ["study.json: NCT05269394: official 'Clinical Trials' names no person; left out"]
    assert len(select(store, "SELECT ?m WHERE { ?t hg:investigator ?m }")) == 1


def test_a_store_of_trials_only_resolves():
    store = Store.open()
    ingest_files(store, TrialsConverter(store), [DIAN_TU])
    assert ask(store, "ASK { ?t hg:investigator ?m . ?m hg:resolvedTo ?p . ?p a foaf:Person }")


# -- the whole shared set (slow) -----------------------------------------------------------------


@pytest.mark.slow
def test_every_shared_clinicaltrials_file_loads():
    folder = shared_or_skip("clinicaltrials")
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".json", ".xml"))
    store = fresh_store()
    reports = ingest_files(store, TrialsConverter(store), files)
    assert len(reports) == len(files) == 87
    assert all(r.status == "loaded" and r.records == 1 and not r.skipped for r in reports)
    counts = select(store, """SELECT
        (COUNT(DISTINCT ?t) AS ?trials) WHERE { ?t a schema:MedicalTrial }""")[0]
    # 87 files, 86 studies: NCT00980226.xml holds NCT00081588 again (an AACT id-mismatch copy).
    assert counts["trials"] == 86
    officials = select(store, """SELECT (COUNT(DISTINCT ?m) AS ?n) (COUNT(DISTINCT ?p) AS ?people) WHERE {
        ?t hg:investigator ?m . ?m a hg:PersonMention ; hg:resolvedTo ?p . ?p a foaf:Person }""")[0]
    # 101 officials and investigators named; 25 name no person ("Medical Director", "Call 1-877-CTLILLY
    # ...", "Clinical Trials"), and a responsible party who is also an overall official counts once.
    assert officials == {"n": 75, "people": 75}
    assert sum(len(r.warnings) for r in reports) == 25
    assert not ask(store, "ASK { ?t hg:investigator ?m FILTER NOT EXISTS { ?m hg:resolvedTo ?p } }")
    sponsors = select(store, """SELECT (COUNT(DISTINCT ?t) AS ?trials) (COUNT(DISTINCT ?o) AS ?orgs)
                                WHERE { ?t schema:sponsor ?o . ?o a foaf:Organization }""")[0]
    assert sponsors == {"trials": 80, "orgs": 67}  # the other 6: five sponsor-investigators, one redacted
    pmids = select(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?t dcterms:references ?p }")
    assert pmids[0]["n"] == 173
    devices = select(store, """SELECT (COUNT(DISTINCT ?d) AS ?n) (COUNT(DISTINCT ?t) AS ?trials)
                               WHERE { ?t schema:studySubject ?d . ?d a schema:MedicalDevice }""")
    assert devices == [{"n": 10, "trials": 4}]
