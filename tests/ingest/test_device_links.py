"""Trial device interventions joined to FDA devices by name and applicant, on real records."""

from __future__ import annotations

import pytest

from graph.store import Store
from ingest.curation import PeopleLists
from ingest.device_links import company_key, match_devices, name_words
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from ingest.resolve import resolve_store
from tests.support import DATA

BASE = "http://127.0.0.1:8000/id/"
NEUROSTAR = f"{BASE}device/k061053"
GENIUS_FDA = f"{BASE}device/den210035"
HG = "https://w3id.org/hubgraph/ontology#"


@pytest.fixture(scope="module")
def linked() -> Store:
    """The Neuronetics and Lutronic device trials, the AI-enabled list and a NeuroStar 510(k)."""
    store = Store.open()
    ingest_files(store, CONVERTERS["fda-devices"](store),
                 [DATA / "fda" / "openfda_510k_neurostar.json", DATA / "fda" / "ai-ml-enabled-devices.xml"])
    ingest_files(store, CONVERTERS["trials"](store),
                 [DATA / "trials" / "NCT02586688.xml", DATA / "trials" / "NCT04207047.json"],
                 people=PeopleLists())
    return store


def test_names_keep_brand_words_and_companies_drop_legal_suffixes() -> None:
    assert name_words("Active NeuroStar® Transcranial Magnetic Stimulation (TMS)") == {
        "neurostar", "transcranial", "magnetic", "stimulation", "tms"}
    assert name_words("NEUROSTAR TMS SYSTEM") == {"neurostar", "tms"}
    assert company_key("NEURONETICS, INC.") == company_key("Neuronetics") == "neuronetics"


def test_every_neurostar_arm_is_the_fda_device_with_its_evidence(linked: Store) -> None:
    rows = linked.select(
        "SELECT ?d ?i ?name WHERE { ?i <https://w3id.org/hubgraph/ontology#fdaDevice> ?d ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?name }", d=NEUROSTAR)
    names = sorted(r["name"] for r in rows)
    assert len(names) == 3 and all("NeuroStar" in n for n in names)
    record = linked.select(
        f"SELECT ?d ?c (GROUP_CONCAT(?e; separator=' ') AS ?ev) WHERE {{ ?m a <{HG}DeviceMatch> ; "
        f"<{HG}matchedDevice> ?d ; <{HG}confidence> ?c ; <{HG}matchEvidence> ?e }} GROUP BY ?d ?m ?c", d=NEUROSTAR)
    assert len(record) == 3
    # The 510(k) applicant "NEURONETICS, INC." and the sponsor "Neuronetics" are one organisation node.
    assert all(float(r["c"]) == 1.0 and "applicant:same-organisation" in r["ev"] for r in record)


def test_a_shared_name_with_another_applicant_is_not_a_match(linked: Store) -> None:
    # Lutronic's "Genius" laser (NCT04207047) is not Hologic's Genius Digital Diagnostics System.
    assert linked.select("SELECT ?d WHERE { ?d a <http://schema.org/MedicalDevice> }", d=GENIUS_FDA)
    assert not linked.select(f"SELECT ?d ?i WHERE {{ ?i <{HG}fdaDevice> ?d }}", d=GENIUS_FDA)
    matched = {m.device for m in match_devices(linked)}
    assert matched == {NEUROSTAR}


def test_links_follow_the_sources_they_come_from(linked: Store) -> None:
    store = Store.open()
    ingest_files(store, CONVERTERS["trials"](store), [DATA / "trials" / "NCT02586688.xml"], people=PeopleLists())
    assert not store.select(f"SELECT ?i WHERE {{ ?i <{HG}fdaDevice> ?d }}")
    ingest_files(store, CONVERTERS["fda-devices"](store), [DATA / "fda" / "openfda_510k_neurostar.json"])
    assert len(store.select(f"SELECT ?i WHERE {{ ?i <{HG}fdaDevice> ?d }}")) == 3
    fda = next(s for s in store.sources() if s.kind == "fda-devices")
    store.remove_source(fda.graph)
    resolve_store(store, PeopleLists())
    assert not store.select(f"SELECT ?i WHERE {{ ?i <{HG}fdaDevice> ?d }}")
    assert not store.select(f"SELECT ?m WHERE {{ ?m a <{HG}DeviceMatch> }}")
