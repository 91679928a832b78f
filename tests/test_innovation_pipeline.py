"""Every innovation source in ../shared/data with the Alzforum PubMed set, through the CLI
into one on-disk store: the cross-source links of issue 4 (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import cli
from tests.support import SHARED, shared_or_skip

pytestmark = pytest.mark.slow

SOURCES = {
    "ror": ["ror/ror_v2_alzforum_institutions.json", "ror/ror_v2_alzforum_institutions_v1.json"],
    "pubmed": ["pubmed/alzforum/*.xml.gz"],
    "fda-devices": ["openfda/ai-ml-enabled-devices.xml", "openfda/ai-ml-enabled-devices-enriched.json",
                    "openfda/foiclass.txt", "openfda/gudid_test_device.xml"],
    "trials": ["clinicaltrials/**/*.json", "clinicaltrials/**/*.xml"],
    "nih-reporter": ["nih_reporter/*.json"],
    "patents": ["patents/*.xml", "patents/alzheimers/**/*.json"],
    "orcid": ["orcid/api_v3_records/*"],
    "openalex": ["openalex/*.json"],
    "crossref": ["crossref/*.json"],
}


def hubgraph(store: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(store: Path, sparql: str) -> list[dict]:
    doc = json.loads(hubgraph(store, "query", "--format", "json", sparql))
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared_or_skip("pubmed", "alzforum")
    location = tmp_path_factory.mktemp("pipeline") / "store"
    for kind, patterns in SOURCES.items():
        files = sorted({str(p) for pattern in patterns for p in SHARED.glob(pattern) if p.is_file()})
        assert files, kind
        hubgraph(location, "ingest", kind, "--defer-summaries", *files)  # no page figures needed here
    return location


def test_counts(store: Path) -> None:
    counts = json.loads(hubgraph(store, "stats", "--json"))["counts"]
    assert counts["device"] >= 1300 and counts["device_type"] > 6000
    assert counts["trial"] >= 80 and counts["grant"] > 0 and counts["patent"] > 0


def test_no_paper_twice_for_a_pmid_or_doi(store: Path) -> None:
    assert rows(store, """SELECT ?pmid WHERE { ?p bibo:pmid ?pmid } GROUP BY ?pmid
                          HAVING (COUNT(DISTINCT ?p) > 1)""") == []
    assert rows(store, """SELECT ?doi WHERE { ?p bibo:doi ?doi } GROUP BY ?doi
                          HAVING (COUNT(DISTINCT ?p) > 1)""") == []


def test_trials_cite_the_alzforum_papers_and_papers_name_trials(store: Path) -> None:
    cited = rows(store, """SELECT DISTINCT ?paper WHERE {
        ?t a schema:MedicalTrial ; dcterms:references ?paper . ?paper a bibo:AcademicArticle ; bibo:pmid ?pmid }""")
    assert len(cited) >= 10
    named = rows(store, """SELECT DISTINCT ?paper ?t WHERE {
        ?paper dcterms:relation ?t . ?t a schema:MedicalTrial ; dcterms:identifier ?nct }""")
    assert named


def test_bateman_is_one_person_across_papers_trial_and_patent(store: Path) -> None:
    found = rows(store, """SELECT DISTINCT ?person (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
        ?a a vivo:Authorship ; hg:mentionFamilyName "Bateman" ; hg:mentionGivenName ?given ;
           vivo:relates ?paper ; hg:resolvedTo ?person . ?paper a bibo:AcademicArticle ; bibo:pmid ?pmid .
        FILTER(STRSTARTS(?given, "R")) } GROUP BY ?person""")
    assert len(found) == 1 and int(found[0]["papers"]) >= 20
    person = found[0]["person"]
    trial = rows(store, f"""SELECT ?t WHERE {{ ?t a schema:MedicalTrial ; hg:investigator ?m .
        ?m hg:resolvedTo <{person}> }}""")
    assert trial, "Bateman leads a DIAN-TU trial"
    patent = rows(store, f"""SELECT ?p WHERE {{ ?p a bibo:Patent ; hg:inventor ?m . ?m hg:resolvedTo <{person}> }}""")
    assert patent, "Bateman's patent"
