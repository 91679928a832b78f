"""/api/people/{id}/neighbourhood: co-authors of co-authors and topic overlap from the
summaries kept at ingest, checked against the NetworkX projections of the same graph."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.projection import coauthorship, person_topic
from graph.store import Store

ORCID = "0000-0002-7729-1702"  # Randall J Bateman in the sample


@pytest.fixture(scope="module")
def client(sample_store: Store) -> Iterator[TestClient]:
    yield TestClient(create_app(load_settings(environ={}, store=":memory:"), sample_store))


def test_coauthors_of_coauthors_are_two_steps_away_through_that_many_coauthors(
        client: TestClient, sample_store: Store) -> None:
    body = client.get(f"/api/people/{ORCID}/neighbourhood", params={"limit": 500}).json()
    person, graph = body["uri"], coauthorship(sample_store)
    direct = set(graph[person])
    expected = {}
    for other in set().union(*(graph[c] for c in direct)) - direct - {person}:
        expected[other] = len(direct & set(graph[other]))
    reached = {r["uri"]: r["via"] for r in body["coauthors_of_coauthors"]}
    assert reached and len(reached) == min(len(expected), 500)
    assert all(expected[uri] == via for uri, via in reached.items())
    vias = [r["via"] for r in body["coauthors_of_coauthors"]]
    assert vias == sorted(vias, reverse=True) and vias[0] == max(expected.values())


def test_topic_overlap_counts_shared_mesh_topics(client: TestClient, sample_store: Store) -> None:
    body = client.get(f"/api/people/{ORCID}/neighbourhood", params={"min_shared": 5}).json()
    person, topics = body["uri"], person_topic(sample_store)
    mine = set(topics[person])
    assert body["topic_overlap"]
    for row in body["topic_overlap"]:
        assert row["shared_topics"] >= 5 and row["shared_topics"] == len(mine & set(topics[row["uri"]]))


def test_an_unknown_person_is_a_404(client: TestClient) -> None:
    response = client.get("/api/people/nobody-at-all/neighbourhood")
    assert response.status_code == 404 and "nobody-at-all" in response.json()["error"]
