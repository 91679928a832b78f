"""The web UI's pages: home (search and headline figures), person, organisation, topic,
paper, trial, device, grant and patent, each with its map and its queries."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from api.routers.ui_support import PAGE_SEGMENTS, not_found, page_link, query_link, raw_id, render, resolve_entity
from graph import analytics, lookup, summaries
from graph.errors import UnknownEntity
from graph.match.engine import suggest
from graph.namespaces import PREFIXES
from graph.queries import load_query
from graph.store import Store
from viz import maps
from viz.charts import bar_chart
from viz.render import render_fragment

__all__ = ["router", "entity_page"]

router = APIRouter(tags=["ui"], include_in_schema=False)

#: Most partner organisations an organisation page lists.
PARTNERS = 15


def _map(request: Request, store: Store, kind: str, iri: str | None, **options: Any) -> Any:
    network = maps.build_map(store, kind, iri, **options)
    return render_fragment(network, page_link(store), expand_url="/maps/expand")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    """Search box with suggestions, and the graph's headline figures."""
    figures = analytics.headline(store)
    return render(request, "home.html", title="hubgraph", figures=figures,
                  queries=[("Entity counts", query_link("stats_counts"))])


@router.get("/person/{id:path}", response_class=HTMLResponse)
def person_page(id: str, request: Request, store: StoreDep, depth: int = 1) -> HTMLResponse:
    """One person: organisations, topics, papers, trials, grants, patents, devices and map."""
    return _page(request, store, "person", raw_id(request, "/person/", id), depth=depth if depth in (1, 2) else 1)


#: Suggested collaborators a person page shows, and organisations named per kind of link.
SUGGESTIONS = 10
SHOWN_ORGS = 3


def _reason_lines(reasons: dict[str, Any]) -> list[str]:
    """A suggestion's reasons as short sentences for the page."""
    lines = []
    if reasons.get("shared_topics"):
        lines.append("Shared topics: " + ", ".join(t["label"] or t["uri"].rsplit("/", 1)[-1]
                                                   for t in reasons["shared_topics"]))
    if reasons.get("complementary_topics"):
        lines.append("Brings: " + ", ".join(t["label"] or t["uri"].rsplit("/", 1)[-1]
                                            for t in reasons["complementary_topics"][:3]))
    path = reasons.get("introduction_path")
    if path and len(path) > 2:
        lines.append("Introduction: " + " → ".join(p["name"] for p in path))
    names_by_link: dict[str, list[str]] = {}
    for org in reasons.get("organisations", ()):
        names = names_by_link.setdefault(org["link"], [])
        name = org["name"] or org["uri"].rsplit("/", 1)[-1]  # an organisation without a label
        if name not in names:
            names.append(name)
    for link, names in names_by_link.items():
        more = f" and {len(names) - SHOWN_ORGS} more" if len(names) > SHOWN_ORGS else ""
        lines.append(f"{link.capitalize()}: {', '.join(names[:SHOWN_ORGS])}{more}")
    if reasons.get("complementarity"):
        lines.append("Complementary: " + ", ".join(map(str, reasons["complementarity"])))
    return lines


def _suggestions(store: Store, iri: str) -> list[dict[str, Any]]:
    """The person's suggested collaborators, as the person template shows them."""
    try:
        result = suggest(store, person=iri, k=SUGGESTIONS)
    except (UnknownEntity, ValueError):
        return []
    return [{"uri": s.uri, "name": s.name, "score": s.score, "new": not s.existing_collaborator,
             "reasons": _reason_lines(s.reasons)} for s in result.suggestions]


def _person(request: Request, store: Store, iri: str, depth: int = 1) -> HTMLResponse:
    view = lookup.person_view(store, iri)
    suggestions = _suggestions(store, iri)
    rows = store.select(load_query("ui_person_items"), person=iri)
    items: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        items.setdefault(row["kind"], []).append(row)
    score = analytics.centrality(store).get(iri)
    queries = [("This person", query_link("api_person", person=iri)),
               ("Their organisations", query_link("api_person_organizations", person=iri)),
               ("Their papers", query_link("api_person_papers", person=iri)),
               ("Their trials, grants, patents and devices", query_link("ui_person_items", person=iri))]
    return render(request, "person.html", title=view["name"], person=view, items=items, score=score,
                  suggestions=suggestions, depth=depth, queries=queries,
                  map=_map(request, store, "ego", iri, depth=depth, view=view, items=rows))


@router.get("/org/{id:path}/partners.csv")
def org_partners_csv(id: str, request: Request, store: StoreDep) -> Response:
    """The partner organisations of one organisation, papers per year, as CSV."""
    try:
        iri = resolve_entity(store, "organization", raw_id(request, "/org/", id).removesuffix("/partners.csv"))
    except UnknownEntity as exc:
        return not_found(request, str(exc))
    partners, years = _partners(store, iri)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["partner", "label", "papers", *years])
    for p in partners:
        writer.writerow([p["uri"], p["label"], p["papers"], *(p["years"].get(y, 0) for y in years)])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="partners.csv"'})


def _partners(store: Store, org: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Partner units of an organisation's units: shared papers in all and per year."""
    units = analytics.unit_collaboration(store)
    own = maps.descendants(store, org)
    found: dict[str, dict[str, Any]] = {}
    for u in own & set(units):
        for other, edge in units[u].items():
            if other in own:
                continue
            entry = found.setdefault(other, {"uri": other, "label": units.nodes[other]["label"],
                                             "side": units.nodes[other]["side"], "papers": 0, "years": Counter()})
            entry["papers"] += edge["weight"]
            entry["years"].update(edge["years"])
    ranked = sorted(found.values(), key=lambda p: (-p["papers"], p["label"]))[:PARTNERS]
    years = sorted({y for p in ranked for y in p["years"]})
    return ranked, years


@router.get("/org/{id:path}", response_class=HTMLResponse)
def org_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One organisation: people, sub-units, topics, partners over time and its map."""
    return _page(request, store, "organization", raw_id(request, "/org/", id))


def _org(request: Request, store: Store, iri: str) -> HTMLResponse:
    view = lookup.organization_view(store, iri)
    people = summaries.org_people(store, iri)
    topics = summaries.org_topics(store, iri)
    partners, years = _partners(store, iri)
    chart = bar_chart(f"Papers shared with partner units of {view['name']}",
                      [(p["label"], p["papers"]) for p in partners])
    queries = [("This organisation", query_link("api_organization", org=iri)),
               ("Its people", query_link("ui_org_people", org=iri)),
               ("Its topics", query_link("ui_org_topics", org=iri)),
               ("Units and their papers (partners)", query_link("ui_paper_units"))]
    return render(request, "org.html", title=view["name"] or iri, org=view, people=people[:60],
                  people_total=len(people), topics=topics, partners=partners, years=years, chart=chart,
                  csv_href=f"{page_link(store)(iri)}/partners.csv" if page_link(store)(iri) else None,
                  queries=queries, map=_map(request, store, "org", iri))


@router.get("/topic/{id:path}", response_class=HTMLResponse)
def topic_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One MeSH topic: broader and narrower topics, people, papers and its map."""
    return _page(request, store, "topic", id)


def _topic(request: Request, store: Store, iri: str) -> HTMLResponse:
    related = store.select(load_query("ui_topic"), topic=iri)
    queries = [("Its people", query_link("ui_topic_people", topic=iri)),
               ("Its papers", query_link("ui_topic_papers", topic=iri)),
               ("Broader and narrower topics", query_link("ui_topic", topic=iri))]
    return render(request, "topic.html", title=lookup.label_of(store, iri) or iri, iri=iri,
                  notation=iri.rsplit("/", 1)[-1], related=related,
                  people=store.select(load_query("ui_topic_people"), topic=iri)[:60],
                  papers=store.select(load_query("ui_topic_papers"), topic=iri), queries=queries,
                  map=_map(request, store, "topic", iri))


@router.get("/paper/{id:path}", response_class=HTMLResponse)
def paper_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One paper: authors, topics and the trials and devices it leads to."""
    return _page(request, store, "paper", raw_id(request, "/paper/", id))


def _paper(request: Request, store: Store, iri: str) -> HTMLResponse:
    view = lookup.paper_view(store, iri)
    queries = [("This paper", query_link("api_paper", paper=iri)),
               ("Its authors", query_link("api_paper_authors", paper=iri)),
               ("The pipeline", query_link("ui_pipeline"))]
    return render(request, "paper.html", title=view["title"] or iri, paper=view, queries=queries,
                  pipeline=_pipeline_links(store, iri))


def _pipeline_links(store: Store, iri: str) -> dict[str, list[dict[str, Any]]]:
    graph = analytics.pipeline(store)
    if iri not in graph:
        return {"from": [], "to": []}

    def node(n: str) -> dict[str, Any]:
        return {"uri": n, "label": graph.nodes[n]["label"] or n, "kind": graph.nodes[n]["kind"]}

    return {"from": [node(n) for n in graph.predecessors(iri)], "to": [node(n) for n in graph.successors(iri)]}


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _item(kind: str) -> Any:
    def page(request: Request, store: Store, iri: str) -> HTMLResponse:
        return _item_page(request, store, kind, iri)
    return page


def _item_page(request: Request, store: Store, kind: str, iri: str) -> HTMLResponse:
    view = lookup.entity_view(store, iri)
    values = [(_curie(p), v) for p, vs in sorted(view["values"].items()) for v in vs]
    links = [dict(link, property=_curie(link["property"])) for link in view["links"]]
    people = store.select(load_query("ui_item_people"), item=iri)
    pipeline = _pipeline_links(store, iri)
    in_pipeline = iri in analytics.pipeline(store)
    queries = [("This entity", query_link("api_entity_links", entity=iri)),
               ("Its people", query_link("ui_item_people", item=iri))]
    return render(request, "item.html", title=view["label"] or view["identifier"] or iri, kind=kind,
                  item=view, values=values, links=links, people=people, pipeline=pipeline, queries=queries,
                  map=_map(request, store, "pipeline", iri) if in_pipeline else None)


@router.get("/trial/{id:path}", response_class=HTMLResponse)
def trial_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One clinical trial: its record, investigators, papers and devices."""
    return _page(request, store, "trial", raw_id(request, "/trial/", id))


@router.get("/device/{id:path}", response_class=HTMLResponse)
def device_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One medical device: its record, maker and the trials that lead to it."""
    return _page(request, store, "device", raw_id(request, "/device/", id))


@router.get("/grant/{id:path}", response_class=HTMLResponse)
def grant_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One grant: its record and investigators."""
    return _page(request, store, "grant", raw_id(request, "/grant/", id))


@router.get("/patent/{id:path}", response_class=HTMLResponse)
def patent_page(id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One patent: its record and inventors."""
    return _page(request, store, "patent", raw_id(request, "/patent/", id))


_RENDERERS: dict[str, Any] = {"person": _person, "organization": _org, "topic": _topic, "paper": _paper,
                               **{k: _item(k) for k in ("trial", "device", "grant", "patent")}}


def _page(request: Request, store: Store, kind: str, ident: str, **options: Any) -> HTMLResponse:
    """The page of the ``kind`` entity ``ident`` names, or the 404 page."""
    try:
        iri = resolve_entity(store, kind, ident)
    except UnknownEntity as exc:
        return not_found(request, str(exc))
    return _RENDERERS[kind](request, store, iri, **options)


def entity_page(request: Request, store: Store, iri: str) -> HTMLResponse | None:
    """The rich page of an entity IRI (for ``/id/...`` in a browser), or None when it has none."""
    link = page_link(store)(iri)
    if not link or link.startswith("/id/"):
        return None
    segment = link.split("/", 2)[1]
    kind = PAGE_SEGMENTS.get(segment, segment)
    try:
        return _RENDERERS[kind](request, store, lookup.resolve(store, kind, iri))
    except UnknownEntity:
        return None
