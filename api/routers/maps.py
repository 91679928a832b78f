"""Maps in the browser: ``/maps/{kind}[/{id}]`` as a page (or its data with ``?format=json``),
``/maps/expand?node=`` for a node's neighbours, and the map scripts at ``/maps/assets/``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from api.errors import error_response
from api.routers.ui_support import not_found, page_link, query_link, raw_id, render, resolve_entity
from graph.errors import UnknownEntity
from graph.store import Store
from viz import maps
from viz.model import DEFAULT_CAP, to_data
from viz.render import ASSETS, asset, render_fragment

__all__ = ["router", "ENTITY_KINDS", "resolve_map_entity"]

router = APIRouter(tags=["maps"])

#: The kind of entity each map takes; for partnership and pipeline maps the entity is optional.
ENTITY_KINDS = {"ego": ("person",), "org": ("organization",), "topic": ("topic",),
                "partnership": ("organization",), "pipeline": ("person", "paper", "trial", "device")}
#: The queries each map is built from.
MAP_QUERIES = {"ego": ("coauthorship", "api_person_organizations", "api_person_topics", "ui_person_items"),
               "org": ("ui_units", "ui_paper_units"), "topic": ("ui_topic_people", "ui_topic", "coauthorship"),
               "partnership": ("ui_units", "ui_paper_units", "person_organization"),
               "pipeline": ("ui_pipeline",)}
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@router.get("/maps/assets/{name}", include_in_schema=False)
def map_asset(name: str) -> Response:
    """The vis-network script (bundled with pyvis) and the map's own script and styles."""
    if name not in ASSETS:
        return error_response(404, f"no map asset '{name}'")
    return Response(asset(name), media_type=_TYPES[name[name.rindex("."):]],
                    headers={"Cache-Control": "public, max-age=3600"})


@router.get("/maps/expand")
def expand(store: StoreDep, node: Annotated[str, Query(description="the IRI of a node on a map")]) -> Any:
    """The neighbours of one map node (nodes and edges), for the map's "expand"."""
    data = to_data(maps.expand(store, node), page_link(store))
    return {"nodes": data["nodes"], "edges": data["edges"]}


def resolve_map_entity(store: Store, kind: str, ident: str) -> str:
    """The IRI of the entity a ``kind`` map is drawn around, from any of its identifiers."""
    for entity_kind in ENTITY_KINDS[kind]:
        try:
            return resolve_entity(store, entity_kind, ident)
        except UnknownEntity:
            continue
    raise UnknownEntity(f"no {' or '.join(ENTITY_KINDS[kind])} is known as '{ident}'")


@router.get("/maps/{kind}", include_in_schema=False)
@router.get("/maps/{kind}/{id:path}")
def map_page(kind: str, request: Request, store: StoreDep, id: str | None = None,
             depth: Annotated[int, Query(ge=1, le=2)] = 1,
             limit: Annotated[int, Query(ge=10, le=2000)] = DEFAULT_CAP,
             format: str | None = None) -> Response:
    """A map of kind ego, org, topic, partnership or pipeline: a page, or its nodes and edges
    as JSON with ``?format=json``."""
    wants_json = format == "json"
    if kind not in maps.MAP_KINDS:
        message = f"no map kind '{kind}'; use one of {', '.join(maps.MAP_KINDS)}"
        return error_response(404, message) if wants_json else not_found(request, message)
    try:
        iri = resolve_map_entity(store, kind, raw_id(request, f"/maps/{kind}/", id)) if id else None
        network = maps.build_map(store, kind, iri, depth=depth, limit=limit)
    except (UnknownEntity, ValueError) as exc:
        return error_response(404, str(exc)) if wants_json else not_found(request, str(exc))
    if wants_json:
        return JSONResponse(to_data(network, page_link(store)))
    queries = [(name, query_link(name)) for name in MAP_QUERIES[kind]]
    return render(request, "map.html", title=network.title, queries=queries, iri=iri,
                  map=render_fragment(network, page_link(store), expand_url="/maps/expand"))
