"""The matchmaking engine on a hand-built graph where the right answers are known, on the
sample graph, and on a graph built from institutional tables only."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import UnknownEntity
from graph.match import Filters, suggest
from graph.match.index import match_index
from graph.match.proximity import introduction_path
from graph.projection import coauthorship
from graph.store import Store
from tests.support import DATA, ROOT

TABLES = DATA / "match"
BATEMAN = "0000-0002-7729-1702"


def tables_store(folder: Path, store: Store) -> Store:
    """``store`` with the institutional tables of ``folder`` ingested."""
    from ingest.curation import PeopleLists
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    ingest_files(store, CONVERTERS["table"](store), [str(folder)], people=PeopleLists())
    return store


@pytest.fixture(scope="module")
def small(module_store: Store) -> Store:
    """Anna (hospital clinician) - Cara - Ben (university engineer) on wearable ECG; Dan and
    Gus on oncology; Eve co-authors with Anna in 2020."""
    return tables_store(TABLES, module_store)


def names(result) -> list[str]:
    return [s.name for s in result.suggestions]


def test_the_known_best_new_collaborator_ranks_first(small: Store) -> None:
    result = suggest(small, person="P-ANNA", k=10, filters=Filters(new_only=True))
    assert names(result)[0] == "Ben Brooks"
    assert names(result).index("Ben Brooks") < names(result).index("Dan Dawson")
    assert "Cara Chen" not in names(result) and "Eve Evans" not in names(result)
    ben = result.suggestions[0]
    assert ben.components["text"] > 0 and ben.components["proximity"] > 0 and ben.components["topic"] > 0
    assert ben.score == pytest.approx(sum(result.weights[c] * v for c, v in ben.components.items()), abs=1e-4)
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_reasons_follow_the_graph(small: Store) -> None:
    ben = suggest(small, person="P-ANNA", k=1, filters=Filters(new_only=True)).suggestions[0]
    path = [step["name"] for step in ben.reasons["introduction_path"]]
    assert path == ["Anna Alvarez", "Cara Chen", "Ben Brooks"]
    ecg = [t for t in ben.reasons["shared_topics"] if t["uri"].endswith("D004562")]
    assert ecg and [p["title"] for p in ecg[0]["papers"]] == ["Deep learning signal processing of wearable ECG sensors"]
    assert {p["title"] for p in ecg[0]["query_papers"]} == {
        "Wearable ECG patch for arrhythmia detection in cardiac patients",
        "Atrial fibrillation screening with ECG monitoring"}
    assert "ecg" in {t["term"] for t in ben.reasons["shared_terms"]}
    assert set(ben.reasons["complementarity"]) == {"clinician + engineer", "hospital + university"}
    assert ben.reasons["activity"]["papers"] == 1


def test_existing_collaborators_are_flagged_by_default(small: Store) -> None:
    result = suggest(small, person="P-ANNA", k=10)
    flagged = {s.name for s in result.suggestions if s.existing_collaborator}
    assert flagged == {"Cara Chen", "Eve Evans"}
    cara = next(s for s in result.suggestions if s.name == "Cara Chen")
    assert [p["name"] for p in cara.reasons["introduction_path"]] == ["Anna Alvarez", "Cara Chen"]
    assert cara.reasons["organisations"] == []


def test_every_identifier_form_names_the_same_person(small: Store) -> None:
    index = match_index(small)
    anna = next(p for p in index.people if p.local_ids == ("P-ANNA",))
    slug = anna.uri.rsplit("/person/", 1)[1]
    forms = [anna.uri, slug, "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "P-ANNA"]
    results = [suggest(small, person=form, k=3) for form in forms]
    assert {r.query["person"]["uri"] for r in results} == {anna.uri}
    assert len({tuple(names(r)) for r in results}) == 1
    ben = next(s for s in results[0].suggestions if s.name == "Ben Brooks")
    assert ben.local_id == "P-BEN" and ben.uri.startswith("http") and ben.orcid is None
    with pytest.raises(UnknownEntity):
        suggest(small, person="nobody-at-all", k=3)


def test_filters_are_honoured(small: Store) -> None:
    def only(**kw) -> set[str]:
        return set(names(suggest(small, person="P-ANNA", k=10, filters=Filters(**kw))))

    assert only(institution_kind="hospital") == {"Eve Evans"}
    assert only(institution_kind="university") == {"Ben Brooks", "Cara Chen", "Dan Dawson", "Gus Garcia"}
    assert only(role="engineer") == {"Ben Brooks"}
    assert only(department="UNIV-ONC") == {"Dan Dawson", "Gus Garcia"}
    assert only(institution="UNIV", role="researcher") == {"Cara Chen", "Dan Dawson", "Gus Garcia"}
    assert only(active_since=2016) == {"Ben Brooks", "Cara Chen", "Eve Evans"}
    with pytest.raises(ValueError, match="institution kind"):
        suggest(small, person="P-ANNA", filters=Filters(institution_kind="garage"))


def test_as_of_sees_nothing_later(small: Store) -> None:
    result = suggest(small, person="P-ANNA", k=10, as_of=2016)
    assert "Eve Evans" not in names(result)
    assert not any(s.existing_collaborator for s in result.suggestions if s.name != "Cara Chen")
    ben = next(s for s in result.suggestions if s.name == "Ben Brooks")
    assert all(p["year"] <= 2016 for t in ben.reasons["shared_topics"] for p in t["query_papers"])


def test_needs_and_teams(small: Store) -> None:
    ecg = suggest(small, need="ECG signal processing with deep learning", k=3)
    assert names(ecg)[0] in {"Cara Chen", "Ben Brooks"}
    assert ecg.suggestions[0].reasons["shared_terms"]
    onc = suggest(small, need="breast cancer immunotherapy", k=2)
    assert set(names(onc)) == {"Dan Dawson", "Gus Garcia"}
    team = suggest(small, team="wearable ECG signal processing; tumor immunotherapy", k=5)
    covered = [need for s in team.suggestions for need in s.covers]
    assert sorted(covered) == ["tumor immunotherapy", "wearable ECG signal processing"]
    assert team.query["uncovered"] == []
    with pytest.raises(ValueError, match="exactly one"):
        suggest(small, person="P-ANNA", need="ECG")


def test_the_sample_graph_gives_explained_suggestions(sample_store: Store) -> None:
    result = suggest(sample_store, person=BATEMAN, k=10)
    assert len(result.suggestions) == 10
    graph = coauthorship(sample_store)
    for s in result.suggestions:
        assert s.uri != result.query["person"]["uri"] and s.reasons["shared_topics"]
        path = [p["uri"] for p in s.reasons["introduction_path"] or []]
        assert all(graph.has_edge(a, b) for a, b in zip(path, path[1:]))
        assert s.existing_collaborator == graph.has_edge(result.query["person"]["uri"], s.uri)
        topic = s.reasons["shared_topics"][0]
        paper = topic["papers"][0]["uri"]
        rows = sample_store.select(
            "PREFIX vivo: <http://vivoweb.org/ontology/core#> PREFIX hg: <https://w3id.org/hubgraph/ontology#> "
            "SELECT (COUNT(*) AS ?n) ?paper ?person ?topic WHERE { ?a vivo:relates ?paper, ?person . "
            "{ ?paper hg:meshHeading/hg:descriptor ?topic } UNION { ?paper vivo:hasSubjectArea ?topic } } "
            "GROUP BY ?paper ?person ?topic", paper=paper, person=s.uri, topic=topic["uri"])
        assert rows[0]["n"] > 0


@pytest.mark.parametrize("as_of", [None, 2015])
def test_the_index_adjacency_is_the_coauthorship_projection(sample_store: Store, as_of: int | None) -> None:
    index = match_index(sample_store, as_of)
    graph = coauthorship(sample_store, as_of=as_of)
    expected: dict[int, dict[int, float]] = {}
    for a, b, data in graph.edges(data=True):
        expected.setdefault(index.ids[a], {})[index.ids[b]] = data["weight"]
        expected.setdefault(index.ids[b], {})[index.ids[a]] = data["weight"]
    assert expected
    for person, neighbours in index.adj.items():
        total = sum(expected[person].values())
        assert {other: round(share * total, 9) for other, share in neighbours} == expected[person]
    assert set(index.adj) == set(expected)


def test_introduction_paths_go_around_avoided_people() -> None:
    # 0 - 1 - 3 and 0 - 2 - 4 - 3: the short way passes 1
    edges = [(0, 1), (1, 3), (0, 2), (2, 4), (4, 3)]
    adj: dict[int, list[tuple[int, float]]] = {}
    for a, b in edges:
        adj.setdefault(a, []).append((b, 1.0))
        adj.setdefault(b, []).append((a, 1.0))
    assert introduction_path(adj, 0, 3) == [0, 1, 3]
    assert introduction_path(adj, 0, 3, avoid={1}) == [0, 2, 4, 3]
    assert introduction_path(adj, 0, 3, avoid={1, 4}) is None
    # the ends themselves may be avoided people: only those between them are left out
    assert introduction_path(adj, 0, 3, avoid={0, 3}) == [0, 1, 3]


def test_tables_alone_are_enough(store: Store) -> None:
    tables_store(ROOT / "data" / "sample" / "tables", store)
    result = suggest(store, person="0041172", k=5)
    assert result.suggestions and list(result.query["person"]["local_ids"]) == ["0041172"]
    assert all(s.local_id for s in result.suggestions)
    need = suggest(store, need="wearable ECG", k=3)
    assert any("ecg" in {t["term"] for t in s.reasons["shared_terms"]} for s in need.suggestions)
