"""The JSON API: every entity route with each identifier form, collaborators, paths, 404s."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.store import Store
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from ingest.resolve import resolve_store
from tests.support import DATA

ROOT = DATA.parents[1]
BASE = "http://127.0.0.1:8000/id/"
WHITCOMBE = f"{BASE}person/orcid-0000-0003-4255-5031"
GOLDBERG = f"{BASE}person/orcid-0000-0002-8058-0337"
BLENNOW = f"{BASE}person/n-blennow-kaj"
PAPER = f"{BASE}paper/pmid-19622817"
MGH = f"{BASE}org/ror-002pd6e78"


def build_store(store: Store) -> Store:
    """The sample store, built in the empty ``store``: ROR, 100 PubMed records, the
    institutional tables, the tests' merge."""
    for kind, paths in (
        ("ror", [DATA / "ror" / "ror_v2_sample.json", DATA / "ror" / "ror_v1_sample.json"]),
        ("pubmed", [DATA / "pubmed" / "pubmed_0_to_99.xml.gz"]),
        ("table", [ROOT / "data" / "sample" / "tables"]),
    ):
        ingest_files(store, CONVERTERS[kind](store), paths)
    resolve_store(store, PeopleLists(merge=(("pmid:19622817/29", "pmid:8748926/1", "pmid:15324367/13"),)))
    return store


@pytest.fixture(scope="module")
def client(module_store: Store) -> Iterator[TestClient]:
    store = build_store(module_store)
    yield TestClient(create_app(load_settings(environ={}, store=":memory:"), store))


@pytest.mark.parametrize("ident", [
    WHITCOMBE, "orcid-0000-0003-4255-5031", "0000-0003-4255-5031",
    "https://orcid.org/0000-0003-4255-5031", "0041172",
])
def test_person_by_every_identifier(client: TestClient, ident: str) -> None:
    response = client.get(f"/api/people/{quote(ident, safe='')}")
    assert response.status_code == 200, response.text
    person = response.json()
    assert person["uri"] == WHITCOMBE and person["name"] == "Eleanor Whitcombe"
    assert person["orcid"] == "https://orcid.org/0000-0003-4255-5031"
    assert person["local_ids"] == ["0041172"]
    assert person["paper_count"] == len(person["papers"]) >= 1
    kinds = {o["kind"] for o in person["organizations"]}
    assert "hospital" in kinds and "department" in kinds
    assert all(t["papers"] >= 1 for t in person["topics"])
    assert all(p["title"] for p in person["papers"])


def test_person_topics_counts_and_papers(client: TestClient) -> None:
    person = client.get("/api/people/n-blennow-kaj").json()
    assert person["paper_count"] == 5  # three of his own, two from the curated merge
    top = person["topics"][0]
    assert top["papers"] >= 3 and top["label"]
    assert {p["pmid"] for p in person["papers"]} >= {"19622817"}


def test_retired_person_slug_gives_the_current_person(client: TestClient) -> None:
    assert client.get("/api/people/n-blennow-k").json()["uri"] == BLENNOW


@pytest.mark.parametrize("ident", [PAPER, "pmid-19622817", "19622817", "10.1001/jama.2009.1064",
                                   "https://doi.org/10.1001/JAMA.2009.1064"])
def test_paper_by_every_identifier(client: TestClient, ident: str) -> None:
    response = client.get(f"/api/papers/{quote(ident, safe='')}")
    assert response.status_code == 200, response.text
    paper = response.json()
    assert paper["uri"] == PAPER and paper["pmid"] == "19622817" and paper["year"] == 2009
    assert paper["doi"] == "10.1001/jama.2009.1064"
    assert paper["title"].startswith("CSF biomarkers")
    ranks = [a["rank"] for a in paper["authors"]]
    assert ranks == sorted(ranks) and ranks[0] == 1 and len(ranks) == 29
    assert paper["authors"][-1] == {"rank": 29, "name": "Kaj Blennow", "uri": BLENNOW}
    assert any(t["label"] == "Alzheimer Disease" for t in paper["topics"])


@pytest.mark.parametrize("ident", [MGH, "ror-002pd6e78", "002pd6e78", "https://ror.org/002pd6e78", "MGH"])
def test_organization_by_every_identifier(client: TestClient, ident: str) -> None:
    response = client.get(f"/api/organizations/{quote(ident, safe='')}")
    assert response.status_code == 200, response.text
    org = response.json()
    assert org["uri"] == MGH and org["name"] == "Massachusetts General Hospital"
    assert org["ror"] == "002pd6e78" and org["kind"] == "hospital"
    assert org["parent"]["uri"] == f"{BASE}org/ror-04py2rh25"
    assert org["departments"] and all(d["uri"] for d in org["departments"])
    assert org["people_count"] >= 5


def test_grant_by_slug_and_award_id(client: TestClient) -> None:
    grant = client.get("/api/grants/nih/ag014249").json()
    assert grant["uri"] == f"{BASE}grant/nih/ag014249" and grant["label"] == "AG14249"
    assert any(link["label"] == "NIA NIH HHS" for link in grant["links"])
    assert client.get("/api/grants/AG14249").json()["uri"] == grant["uri"]


@pytest.mark.parametrize("route", ["people", "organizations", "papers", "trials", "devices", "grants", "patents"])
def test_unknown_identifiers_are_404_in_the_error_shape(client: TestClient, route: str) -> None:
    response = client.get(f"/api/{route}/no-such-thing-42")
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and body["status"] == 404 and "no-such-thing-42" in body["error"]


def test_a_paper_is_not_a_person(client: TestClient) -> None:
    assert client.get("/api/people/19622817").status_code == 404
    assert client.get(f"/api/people/{quote(PAPER, safe='')}").status_code == 404


def test_collaborators(client: TestClient) -> None:
    body = client.get("/api/people/n-blennow-kaj/collaborators").json()
    assert body["uri"] == BLENNOW
    first = body["collaborators"][0]
    assert first["shared_papers"] >= 2 and first["first_year"] <= first["last_year"]
    counts = [c["shared_papers"] for c in body["collaborators"]]
    assert counts == sorted(counts, reverse=True) and len(counts) >= 90
    assert client.get("/api/people/nobody-at-all/collaborators").status_code == 404


def test_path_between_co_authors_of_co_authors(client: TestClient) -> None:
    body = client.get("/api/path", params={"from": "0000-0003-4255-5031", "to": "0070233"}).json()
    assert body["source"] == WHITCOMBE and body["target"] == GOLDBERG
    assert 1 <= len(body["paths"]) <= 5
    for chain in body["paths"]:
        assert len(chain) == 3
        assert chain[0] == {"uri": WHITCOMBE, "name": "Eleanor Whitcombe"}
        assert chain[-1]["uri"] == GOLDBERG


def test_path_when_not_connected_and_unknown(client: TestClient) -> None:
    body = client.get("/api/path", params={"from": WHITCOMBE, "to": BLENNOW}).json()
    assert body["paths"] == []
    missing = client.get("/api/path", params={"from": WHITCOMBE, "to": "nobody-at-all"})
    assert missing.status_code == 404 and missing.json()["ok"] is False
    assert client.get("/api/path", params={"from": WHITCOMBE}).status_code == 422


def test_every_route_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for route in ("/api/people/{id}", "/api/search", "/api/path", "/id/{path}", "/dump.nq.gz"):
        assert route in schema["paths"], sorted(schema["paths"])
        assert schema["paths"][route]["get"]["summary"] or schema["paths"][route]["get"]["description"]
