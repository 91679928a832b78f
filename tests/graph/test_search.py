"""Search: exact and typo-tolerant matches, type filter, pagination, the API, no private data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.search import SearchIndex, index_for, search, tokens
from graph.store import Store
from tests.api.test_rest import BASE, BLENNOW, build_store

WHITCOMBE = f"{BASE}person/orcid-0000-0003-4255-5031"


@pytest.fixture(scope="module")
def store(module_store: Store) -> Iterator[Store]:
    yield build_store(module_store)


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(load_settings(environ={}, store=":memory:"), store))


def test_tokens_fold_accents_and_punctuation() -> None:
    assert tokens("Tomás Aguilar-Reyes") == ["tomas", "aguilar", "reyes"]


def test_exact_name_ranks_first(store: Store) -> None:
    result = search(store, "Kaj Blennow")
    assert result.hits[0].uri == BLENNOW and result.hits[0].type == "person"
    assert result.hits[0].label == "Kaj Blennow"


def test_typo_is_tolerated(store: Store) -> None:
    result = search(store, "Blenow")
    assert BLENNOW in [h.uri for h in result.hits]
    assert search(store, "Whitcomb").hits[0].uri == WHITCOMBE  # a prefix


def test_retired_people_are_not_found(store: Store) -> None:
    assert f"{BASE}person/n-blennow-k" not in [h.uri for h in search(store, "blennow", limit=50).hits]


def test_type_filter_and_kinds(store: Store) -> None:
    topics = search(store, "alzheimer", "topic")
    assert topics.total >= 1 and {h.type for h in topics.hits} == {"topic"}
    assert topics.hits[0].label == "Alzheimer Disease"
    orgs = search(store, "Mass General", "organization")
    assert orgs.hits[0].uri == f"{BASE}org/ror-002pd6e78"
    assert search(store, "Universidad de Harvard", "organization").hits[0].uri == f"{BASE}org/ror-03vek6s52"
    papers = search(store, "csf biomarkers incipient", "paper")
    assert papers.hits[0].uri == f"{BASE}paper/pmid-19622817"


def test_pagination(store: Store) -> None:
    everything = search(store, "alzheimer", limit=100)
    assert everything.total > 20
    page = search(store, "alzheimer", limit=5, offset=5)
    assert [h.uri for h in page.hits] == [h.uri for h in everything.hits[5:10]]
    assert page.total == everything.total
    assert search(store, "alzheimer", limit=5, offset=10_000).hits == []


def test_index_is_cached_per_store_version(store: Store) -> None:
    assert index_for(store) is index_for(store)


def test_private_emails_are_never_indexed(store: Store) -> None:
    index = index_for(store)
    assert isinstance(index, SearchIndex)
    assert not any("example" in token and "org" in token for token in index.vocabulary)
    assert not any(d.label and "@" in d.label for d in index.documents)
    for hit in search(store, "e.whitcombe@example.org", limit=100).hits:
        assert "mailto:" not in hit.uri and "@" not in hit.label


def test_empty_query_finds_nothing(store: Store) -> None:
    assert search(store, "  ...  ").total == 0


def test_api_search(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Blenow"}).json()
    assert body["q"] == "Blenow" and body["total"] >= 1
    assert set(body["hits"][0]) == {"uri", "type", "label", "score"}
    assert BLENNOW in [h["uri"] for h in body["hits"]]
    # every hit dereferences
    for hit in body["hits"][:3]:
        assert client.get("/id/" + hit["uri"][len(BASE):]).status_code == 200
    typed = client.get("/api/search", params={"q": "harvard", "type": "organization", "limit": 2}).json()
    assert len(typed["hits"]) == 2 and typed["total"] >= 3
    assert all(h["type"] == "organization" for h in typed["hits"])
    second = client.get("/api/search", params={"q": "harvard", "type": "organization", "limit": 2,
                                               "offset": 2}).json()
    assert {h["uri"] for h in second["hits"]}.isdisjoint(h["uri"] for h in typed["hits"])


def test_api_search_validates(client: TestClient) -> None:
    assert client.get("/api/search").status_code == 422
    bad = client.get("/api/search", params={"q": "x", "type": "planet"})
    assert bad.status_code == 422 and bad.json()["ok"] is False
    assert client.get("/api/search", params={"q": "x", "limit": 0}).status_code == 422
