"""The web UI's pages over the sample graph (TestClient): every page kind, its map, its
query links, the 404 page, the dashboard's CSVs against its charts, and escaping."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import load_settings
from graph.stats import stats
from graph.store import Store
from tests.ui_data import HOSTILE_TEXTS, build_hostile_store

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(sample_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(environ={}, store=":memory:"), sample_store)) as c:
        yield c


def one(store: Store, query: str) -> str:
    rows = store.select("PREFIX schema: <http://schema.org/> PREFIX vivo: <http://vivoweb.org/ontology/core#> "
                        "PREFIX bibo: <http://purl.org/ontology/bibo/> " + query)
    assert rows, query
    return str(next(iter(rows[0].values())))


def page(client: TestClient, path: str) -> str:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200, (path, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def map_nodes(html: str) -> int:
    import json

    block = re.search(r'<script type="application/json" class="hg-map-data">(.*?)</script>', html, re.S)
    assert block, "the page has a map"
    return len(json.loads(block.group(1))["nodes"])


def query_links(html: str) -> list[str]:
    links = re.findall(r'<a class="query-link" href="([^"]+)"', html)
    assert links, "every page links to the query behind it"
    return [parse_qs(urlsplit(unescape(h)).query).get("query", [""])[0] for h in links]


def test_home_has_search_and_the_graphs_figures(client: TestClient, sample_store: Store) -> None:
    html = page(client, "/")
    assert 'class="search-input" id="home-search"' in html and '<script src="/static/ui.js"' in html
    counts = stats(sample_store)["counts"]
    for key in ("person", "paper", "hospital", "university", "trial", "device"):
        assert re.search(rf'data-key="{key}"><strong>{counts[key]:,}</strong>', html), key
    assert "SELECT ?key (COUNT(DISTINCT ?s) AS ?n)" in query_links(html)[0]


def test_person_page(client: TestClient, sample_store: Store) -> None:
    person = one(sample_store, "SELECT ?p WHERE { ?p vivo:orcidId <https://orcid.org/0000-0002-7729-1702> }")
    view = client.get("/api/people/0000-0002-7729-1702").json()
    html = page(client, "/person/0000-0002-7729-1702")
    text = unescape(html)
    assert f"<h1>{view['name']}</h1>" in text
    for org in view["organizations"][:5]:
        assert org["name"] in text
    for topic in view["topics"][:3]:
        assert topic["label"] in text
    assert view["papers"][0]["title"] in text
    assert "STABLE ISOTOPE LABELING KINETICS" in text and "NCT05269394" in text  # patent and trial
    assert 'id="suggestions"' in html  # the place for issue 6's suggestions
    data = client.get("/maps/ego/0000-0002-7729-1702", params={"format": "json"}).json()
    assert map_nodes(html) == len(data["nodes"]) > 1
    assert '<script src="/maps/assets/vis-network.min.js">' in html
    queries = query_links(html)
    assert any(f"VALUES ?person {{ <{person}> }}" in q for q in queries)
    # the query behind it runs on the SPARQL endpoint and finds the person
    r = client.get("/sparql", params={"query": queries[0]}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["name"]["value"] == view["name"]


def test_person_page_depth_two_has_more_nodes(client: TestClient) -> None:
    one_step = map_nodes(page(client, "/person/0000-0002-7729-1702"))
    two_steps = map_nodes(page(client, "/person/0000-0002-7729-1702?depth=2"))
    assert two_steps > one_step


def test_organisation_page_and_partner_csv(client: TestClient) -> None:
    view = client.get("/api/organizations/https://ror.org/002pd6e78").json()
    html = page(client, "/org/ror-002pd6e78")
    text = unescape(html)
    assert f"<h1>{view['name']}</h1>" in text
    for dept in view["departments"][:5]:
        assert (dept["name"] or dept["uri"]) in text
    chart = html[html.index("<svg"):html.index("</svg>")]
    bars = [(unescape(label), float(value)) for label, value in re.findall(r'data-label="([^"]*)" data-value="([^"]+)"', chart)]
    r = client.get("/org/ror-002pd6e78/partners.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert bars and [(row["label"], float(row["papers"])) for row in rows] == bars
    years = [c for c in rows[0] if c.isdigit()]
    assert all(sum(int(row[y]) for y in years) == int(row["papers"]) for row in rows)
    assert map_nodes(html) > 1


def test_topic_paper_and_item_pages(client: TestClient, sample_store: Store) -> None:
    text = unescape(page(client, "/topic/D000544"))
    assert "<h1>Alzheimer Disease</h1>" in text and "MeSH" in text
    paper = client.get("/api/papers/37791598").json()
    text = unescape(page(client, "/paper/37791598"))
    assert paper["title"] in text and paper["authors"][0]["name"] in text
    text = unescape(page(client, "/trial/NCT05269394"))
    assert "Randall J. Bateman" in text and "investigator" in text
    device = one(sample_store, "SELECT ?d WHERE { ?d a schema:MedicalDevice ; <https://w3id.org/hubgraph/ontology#submissionType> ?t } ORDER BY ?d LIMIT 1")
    view = client.get(f"/api/devices/{device}").json()
    assert view["label"] in unescape(page(client, "/device/" + device.rsplit("/device/", 1)[1]))
    grant = one(sample_store, "SELECT ?g WHERE { ?g a vivo:Grant } ORDER BY ?g LIMIT 1")
    assert "<h1>" in page(client, "/grant/" + grant.rsplit("/grant/", 1)[1])
    assert "STABLE ISOTOPE" in unescape(page(client, "/patent/us20180372720"))


def test_linked_data_iri_in_a_browser_gets_the_rich_page(client: TestClient) -> None:
    html = page(client, "/id/trial/NCT05269394")
    assert "Randall J. Bateman" in unescape(html) and 'class="query-link"' in html
    turtle = client.get("/id/trial/NCT05269394", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("path", ["/person/nobody-at-all", "/org/no-such-org", "/topic/D999999999",
                                  "/paper/99999999999", "/trial/NCT00000000", "/maps/ego/nobody", "/maps/galaxy"])
def test_unknown_ids_get_a_clear_404_page(client: TestClient, path: str) -> None:
    r = client.get(path, headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in r.text and ("is known as" in r.text or "no map kind" in r.text)


def test_dashboard_csvs_match_the_charts(client: TestClient) -> None:
    html = page(client, "/partnership")
    sections = dict(re.findall(r'<section class="chart-box" id="chart-(\w+)">(.*?)</section>', html, re.S))
    assert set(sections) == {"years", "pairs", "bridges", "pipeline"}
    tables = {name: list(csv.DictReader(io.StringIO(client.get(f"/partnership/{name}.csv").text)))
              for name in sections}
    years = re.findall(r'data-series="(\w+)" data-value="(\d+)"', sections["years"])
    assert years == [(s, row[s]) for row in tables["years"] for s in ("hospital", "university", "joint")]
    assert len(tables["years"]) > 3 and sum(int(r["joint"]) for r in tables["years"]) > 0
    for name, column in (("pairs", "papers"), ("bridges", "betweenness"), ("pipeline", "count")):
        values = [float(v) for v in re.findall(r'<g class="bar" data-label="[^"]*" data-value="([^"]+)"', sections[name])]
        assert values == [float(r[column]) for r in tables[name]] and values, name
    assert tables["bridges"][0]["name"] in unescape(html)


@pytest.mark.parametrize("path", ["/maps/partnership", "/maps/pipeline", "/maps/org/002pd6e78",
                                  "/maps/topic/D000544", "/maps/pipeline/NCT05269394", "/maps/ego/0000-0002-7729-1702"])
def test_map_pages_and_their_data(client: TestClient, path: str) -> None:
    html = page(client, path)
    data = client.get(path, params={"format": "json"}).json()
    assert map_nodes(html) == len(data["nodes"]) > 0
    assert query_links(html)
    assert client.get("/maps/assets/vis-network.min.js").text.startswith("/**\n * vis-network")


def test_expand_returns_neighbours(client: TestClient, sample_store: Store) -> None:
    person = one(sample_store, "SELECT ?p WHERE { ?p vivo:orcidId <https://orcid.org/0000-0002-7729-1702> }")
    data = client.get("/maps/expand", params={"node": person}).json()
    assert any(n["id"] == person for n in data["nodes"]) and len(data["nodes"]) > 1
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert any(person in (e["from"], e["to"]) for e in data["edges"])


def test_person_page_suggests_collaborators_with_reasons(client: TestClient, sample_store: Store) -> None:
    from graph.match.engine import suggest

    html = page(client, "/person/0000-0002-7729-1702")
    section = html[html.index('id="suggestions"'):]
    section = section[:section.index("</section>")]
    expected = suggest(sample_store, person="0000-0002-7729-1702", k=10).suggestions
    assert expected and 'id="new-only"' in section
    shown = re.findall(r'<li data-new="([01])"><a href="([^"]+)">', section)
    assert [(flag == "1", href.rsplit("/", 1)[-1]) for flag, href in shown] == [
        (not s.existing_collaborator, s.uri.rsplit("/", 1)[-1]) for s in expected]
    assert "Shared topics: " in section


def test_markup_in_names_and_titles_is_escaped_everywhere(store: Store) -> None:
    build_hostile_store(store)
    with TestClient(create_app(load_settings(environ={}, store=":memory:"), store)) as c:
        paths = ["/", "/partnership", "/maps/partnership", "/maps/ego/local-ui-hostile-P1",
                 "/person/local-ui-hostile-P1", "/person/local-ui-hostile-P2", "/org/local-ui-hostile-H-D",
                 "/org/local-ui-hostile-U", "/maps/org/local-ui-hostile-H",
                 "/partnership/pairs.csv"]
        doi = c.get("/api/search", params={"q": "wearable"}).json()["hits"][0]["uri"]
        paths.append("/paper/" + doi.rsplit("/paper/", 1)[1])
        seen = ""
        for path in paths:
            r = c.get(path, headers=HTML)
            assert r.status_code == 200, path
            if path.endswith(".csv"):
                continue
            body = r.text
            for bad in ("<script>alert", "<img src=x", "<b>Cardio", "</script><script>"):
                assert bad not in body, (path, bad)
            seen += unescape(body)
        for text in HOSTILE_TEXTS[:3]:
            assert text in seen or text.replace("&", "\\u0026") in seen
