"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

``?default`` names the store's own default graph (what clients write; queries see
it inside the hubgraph default graph), ``?graph=IRI`` a named graph; a path under
``/store/`` names the graph whose IRI is the request URL (direct identification).
GET and HEAD are open (hubgraph's visible graphs included); PUT (replace), POST
(merge; on ``/store`` alone: a new graph, answered with its IRI in Location) and
DELETE need the update token, and never reach hubgraph's own graphs.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from api.deps import SettingsDep, StoreDep
from api.errors import error_response
from api.routers.sparql import check_token
from api.settings import Settings
from api.sparql_formats import SparqlError, media_type, negotiate, run_limited, serialize_triples
from graph.errors import StoreError
from graph.namespaces import PREFIXES
from graph.store import Store

__all__ = ["router", "INPUT_FORMATS"]

EndpointFn = Callable[..., Awaitable[Any]]

router = APIRouter(tags=["graph store"])

#: Media types a graph may be sent in.
INPUT_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
    "text/n3": ox.RdfFormat.N3,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _target(request: Request, direct: str | None) -> tuple[bool, str | None]:
    """(named, IRI) of the graph a request addresses; named False: the default graph;
    (True, None): no graph named (a POST that creates one)."""
    if direct is not None:
        return True, _iri(str(request.url.replace(query="")))
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise SparqlError(400, "name either ?default or ?graph=IRI, not both")
    if len(graphs) > 1:
        raise SparqlError(400, "name one graph (?graph=IRI)")
    if graphs:
        if not graphs[0] or ":" not in graphs[0]:
            raise SparqlError(400, f"?graph must be an absolute IRI (got '{graphs[0]}')")
        return True, _iri(graphs[0])
    if "default" in params:
        return False, None
    return True, None


def _iri(graph: str) -> str:
    """``graph`` when it is a valid IRI, else a 400."""
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise SparqlError(400, f"<{graph}> is not a valid IRI: {exc}") from None
    return graph


def _parse(media: str, body: bytes, base: str) -> list[ox.Triple]:
    fmt = INPUT_FORMATS.get(media)
    if fmt is None:
        accepted = ", ".join(sorted(INPUT_FORMATS))
        raise SparqlError(415, f"cannot read a graph sent as '{media or 'no content type'}'; send one of {accepted}")
    try:
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(body, fmt, base_iri=base, without_named_graphs=True,
                                           rename_blank_nodes=True)]
    except (SyntaxError, ValueError) as exc:
        raise SparqlError(400, f"the {media} body does not parse: {exc}") from None


async def _read_body(request: Request, base: str) -> list[ox.Triple]:
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    body = await request.body()
    if media != "multipart/form-data":
        return _parse(media, body, base)
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    triples: list[ox.Triple] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            triples.extend(_parse(part.get_content_type(), payload, base))
    return triples


async def _get(request: Request, store: Store, settings: Settings, named: bool, graph: str | None) -> Response:
    if named and graph is None:
        raise SparqlError(400, "name a graph: ?default or ?graph=IRI")
    if graph is not None and (not store.is_visible(graph) or not store.has_graph(graph)):
        raise SparqlError(404, f"no graph <{graph}> in the store")
    fmt = negotiate("graph", request.headers.get("accept"), request.query_params.get("format"))

    def work(cancelled: threading.Event) -> bytes:
        triples = store.read_graph(graph)
        if len(triples) > settings.max_rows:
            raise SparqlError(413, f"the graph has more than {settings.max_rows} triples, the cap of "
                                   "this endpoint (HUBGRAPH_MAX_ROWS); use 'hubgraph export' or SPARQL")
        return serialize_triples(triples, fmt, PREFIXES)

    body = await run_limited(work, settings.query_timeout, "graph read")
    if request.method == "HEAD":
        return Response(status_code=200, media_type=media_type(fmt),
                        headers={"Content-Length": str(len(body)), "Vary": "Accept"})
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})


async def _write(request: Request, store: Store, settings: Settings, named: bool, graph: str | None) -> Response:
    check_token(request, settings)
    method = request.method
    created_iri = None
    if named and graph is None:
        if method != "POST":
            raise SparqlError(400, "name a graph: ?default or ?graph=IRI")
        graph = created_iri = f"{settings.base_uri}client/{uuid.uuid4()}"
    if graph is not None and store.is_protected(graph):
        raise SparqlError(403, f"<{graph}> is one of hubgraph's own graphs (under "
                               f"{store.minter.graph('')}): clients cannot write it")
    if method == "DELETE":
        if graph is not None and not store.has_graph(graph):
            raise SparqlError(404, f"no graph <{graph}> in the store")
        store.drop_graph(graph)
        return Response(status_code=204)
    triples = await _read_body(request, graph or str(request.url.replace(query="")))
    existed = graph is None or store.has_graph(graph)

    def work(_: threading.Event) -> None:
        store.write_graph(graph, triples, replace=(method == "PUT"))

    await run_limited(work, settings.query_timeout, "graph write")
    if created_iri is not None:
        return Response(status_code=201, headers={"Location": created_iri})
    return Response(status_code=204 if existed else 201)


async def _dispatch(request: Request, store: Store, settings: Settings, direct: str | None) -> Response:
    try:
        named, graph = _target(request, direct)
        if request.method in ("GET", "HEAD"):
            return await _get(request, store, settings, named, graph)
        return await _write(request, store, settings, named, graph)
    except SparqlError as exc:
        if request.method == "HEAD":
            return Response(status_code=exc.status, headers=exc.headers)
        return error_response(exc.status, exc.message, headers=exc.headers)
    except StoreError as exc:
        return error_response(403, str(exc))


def _each_method(path: str, name: str) -> Callable[[EndpointFn], EndpointFn]:
    """Register an endpoint for every Graph Store method, each with its own OpenAPI id."""
    def register(endpoint: EndpointFn) -> EndpointFn:
        for method in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            router.add_api_route(path, endpoint, methods=[method], operation_id=f"{name}_{method.lower()}")
        return endpoint
    return register


@_each_method("/store", "graph_store")
async def graph_store(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Graph Store HTTP Protocol, indirect identification: ``?default`` or ``?graph=IRI``."""
    return await _dispatch(request, store, settings, None)


@_each_method("/store/{path:path}", "graph_store_direct")
async def graph_store_direct(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Graph Store HTTP Protocol, direct identification: the graph IRI is the request URL."""
    return await _dispatch(request, store, settings, path)
