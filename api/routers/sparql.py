"""The SPARQL 1.1 Protocol endpoint: queries at ``/sparql`` (alias ``/query``), updates at
``/sparql/update`` (alias ``/update``, and POSTed ``update=`` / ``application/sparql-update``
at ``/sparql`` too).

Queries see the hubgraph dataset (the union default graph and the visible named
graphs) unless the request (``default-graph-uri``/``named-graph-uri``) or the query
(``FROM``/``FROM NAMED``) names a dataset, which is then used exactly. Results come
in SPARQL JSON/XML/CSV/TSV or Turtle/N-Triples/RDF-XML/JSON-LD by Accept or ``format``.

Every operation runs in a worker thread under ``query_timeout`` and ``max_rows``
(see :func:`api.sparql_formats.run_limited`). Updates need ``update_token`` as a
Bearer token and may only write client graphs and the store default graph;
``SERVICE`` and ``LOAD`` may only reach IRIs listed in ``service_allow``.

Updates run one at a time. The engine cannot interrupt an update, and applies each one
atomically (in full, or not at all if it fails): an update past the time limit is
answered with a 503 saying it is still running and will be applied when it finishes,
and further updates are refused (503) until it has.

A GET without ``query`` (and not asking for HTML, see :mod:`api.routers.query_page`)
returns the SPARQL 1.1 Service Description of the endpoint, by Accept.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from api.deps import PrivateDep, SettingsDep, StoreDep, bearer_token, same_token
from api.errors import error_response
from api.settings import Settings
from api.sparql_formats import (
    SparqlError,
    TimeLimitExceeded,
    media_type,
    negotiate,
    run_limited,
    scan,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
)
from graph.errors import BadQuery
from graph.namespaces import DCTERMS, PREFIXES, RDF, RDFS
from graph.store import Store

__all__ = ["router", "check_token", "check_remote", "endpoint_base"]

router = APIRouter(tags=["sparql"])
log = logging.getLogger("hubgraph.sparql")

#: Held while an update runs (also after its request gave up waiting): updates run one at a time.
_UPDATING = threading.Lock()

RDF_TYPE = f"{RDF}type"
FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


# -- shared with the Graph Store router -------------------------------------------------


def check_token(request: Request, settings: Settings) -> None:
    """Refuse a write unless updates are enabled and the request carries the token."""
    token = settings.update_token
    if not token:
        raise SparqlError(403, "this endpoint is read-only: updates and graph store writes are "
                               "disabled (set HUBGRAPH_UPDATE_TOKEN to enable them)")
    given = bearer_token(request)
    if not given:
        raise SparqlError(401, "writes need 'Authorization: Bearer <token>' (HUBGRAPH_UPDATE_TOKEN)",
                          headers={"WWW-Authenticate": 'Bearer realm="hubgraph"'})
    if not same_token(given, token):
        raise SparqlError(403, "the bearer token is not the update token")


def check_remote(settings: Settings, services: list[str | None], loads: list[str]) -> None:
    """Refuse SERVICE and LOAD unless ``service_allow`` names their target."""
    allowed = set(settings.service_allow.split())
    for target in services:
        if target is None:
            raise SparqlError(403, "SERVICE with a variable endpoint is refused: "
                                   "federated queries may only reach IRIs in HUBGRAPH_SERVICE_ALLOW")
        if target not in allowed:
            raise SparqlError(403, f"SERVICE <{target}> is refused: federated queries may only reach "
                                   "IRIs listed in HUBGRAPH_SERVICE_ALLOW")
    for target in loads:
        if target not in allowed:
            raise SparqlError(403, f"LOAD <{target}> is refused: LOAD may only read IRIs listed in "
                                   "HUBGRAPH_SERVICE_ALLOW")


def endpoint_base(request: Request) -> str:
    """The endpoint's own URL: the base IRI of queries and updates."""
    return str(request.url.replace(query=""))


def _error(exc: SparqlError) -> Response:
    return error_response(exc.status, exc.message, headers=exc.headers)


def _charset_ok(content_type: str) -> bool:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SparqlError(400, f"the request body is not UTF-8: {exc}") from None


# -- reading requests ---------------------------------------------------------------------


async def _operation(request: Request) -> tuple[str, str, dict[str, list[str]]]:
    """("query" | "update", text, parameters) of a protocol request."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise SparqlError(400, "updates must be sent with POST, not GET")
        queries = params.get("query", [])
    else:
        content_type = request.headers.get("content-type", "")
        media = content_type.split(";")[0].strip().lower()
        body = await request.body()
        if media == FORM:
            form = parse_qs(_decode(body), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            queries = params.get("query", [])
            updates = params.get("update", [])
            if updates and queries:
                raise SparqlError(400, "a request carries either 'query' or 'update', not both")
            if updates:
                if len(updates) > 1:
                    raise SparqlError(400, "a request carries one 'update' parameter")
                return "update", updates[0], params
        elif media in (QUERY_TYPE, UPDATE_TYPE):
            if not _charset_ok(content_type):
                raise SparqlError(415, f"SPARQL must be sent as UTF-8 (got '{content_type}')")
            if "query" in params or "update" in params:
                raise SparqlError(400, f"a {media} request carries the operation in its body, "
                                       "not in a 'query'/'update' parameter")
            text = _decode(body)
            if media == UPDATE_TYPE:
                return "update", text, params
            queries = [text]
        else:
            raise SparqlError(415, f"POST a query as {FORM} or {QUERY_TYPE}, or an update as "
                                   f"{FORM} or {UPDATE_TYPE} (got '{content_type or 'no content type'}')")
    if not queries:
        raise SparqlError(400, "missing the 'query' parameter")
    if len(queries) > 1:
        raise SparqlError(400, "a request carries one 'query' parameter")
    return "query", queries[0], params


# -- queries ------------------------------------------------------------------------------


def _dataset(store: Store, params: dict[str, list[str]], text: str, base: str,
             private: bool) -> tuple[list[str] | None, list[str] | None, Any]:
    found = scan(text, base)
    default = params.get("default-graph-uri", [])
    named = params.get("named-graph-uri", [])
    if not default and not named and (found.from_default or found.from_named):
        default, named = found.from_default, found.from_named
    for graph in [*default, *named]:
        if not store.is_visible(graph, private):
            raise SparqlError(403, f"the graph <{graph}> is not visible to queries")
    if default or named:
        return default, named, found
    return None, None, found


def _collect(result: Any, cap: int, cancelled: threading.Event) -> list[Any]:
    rows: list[Any] = []
    for row in result:
        if cancelled.is_set():
            break
        rows.append(row)
        if len(rows) > cap:
            raise SparqlError(413, f"the result has more than {cap} rows, the cap of this endpoint "
                                   "(HUBGRAPH_MAX_ROWS); add a LIMIT or narrow the query")
    return rows


async def run_query(request: Request, store: Store, settings: Settings, text: str,
                    params: dict[str, list[str]], private: bool = False) -> Response:
    """Answer a query; ``private``: the caller may read the private graphs."""
    base = endpoint_base(request)
    default, named, found = _dataset(store, params, text, base, private)
    check_remote(settings, found.services, [])
    accept = request.headers.get("accept")
    fmt = (params.get("format") or params.get("output") or [None])[0]

    def work(cancelled: threading.Event) -> tuple[bytes, str]:
        # the engine's result objects must be dropped on the thread that made them
        result = store.run_query(text, default, named, base_iri=base, private=private)
        try:
            return answer(result, cancelled)
        except (OSError, ValueError) as exc:
            raise SparqlError(500, f"query failed: {exc}") from None
        finally:
            result = None

    def answer(result: Any, cancelled: threading.Event) -> tuple[bytes, str]:
        if isinstance(result, ox.QueryBoolean):
            name = negotiate("boolean", accept, fmt)
            return serialize_boolean(bool(result), name), media_type(name)
        if isinstance(result, ox.QuerySolutions):
            name = negotiate("solutions", accept, fmt)
            variables = [v.value for v in result.variables]
            rows = _collect(result, settings.max_rows, cancelled)
            table = [[row[v] for v in variables] for row in rows]
            return serialize_solutions(variables, table, name), media_type(name)
        name = negotiate("graph", accept, fmt)
        triples = _collect(result, settings.max_rows, cancelled)
        return serialize_triples(triples, name, PREFIXES), media_type(name)

    body, media = await run_limited(work, settings.query_timeout, "query")
    return Response(body, media_type=media, headers={"Vary": "Accept, Authorization"})


# -- updates -----------------------------------------------------------------------------


def _prepare_update(store: Store, settings: Settings, text: str, params: dict[str, list[str]],
                    base: str) -> str:
    """The update to run: checked to write only client graphs, with ``ALL``/``NAMED``
    narrowed to client graphs and protocol ``USING`` clauses put in."""
    found = scan(text, base)
    check_remote(settings, [], found.loads)
    check_remote(settings, found.services, [])
    for iri in sorted(found.iris):
        if store.is_protected(iri):
            raise SparqlError(403, f"updates may not touch <{iri}>: graphs under "
                                   f"{store.minter.graph('')} are hubgraph's own and read-only")
    using = params.get("using-graph-uri", [])
    using_named = params.get("using-named-graph-uri", [])
    for iri in [*using, *using_named]:
        if store.is_protected(iri):
            raise SparqlError(403, f"updates may not read <{iri}> through USING: graphs under "
                                   f"{store.minter.graph('')} are hubgraph's own")
    if (using or using_named) and (found.using or found.with_):
        raise SparqlError(400, "using-graph-uri/using-named-graph-uri cannot be combined with "
                               "USING or WITH in the update")
    if found.var_graph and not (using or using_named or found.using) and any(
        store.is_protected(g.value) for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode)
    ):
        raise SparqlError(403, "updates with GRAPH ?variable could reach hubgraph's own graphs; "
                               "name client graphs explicitly, or restrict with USING NAMED")
    edits: list[tuple[int, int, str]] = []
    if using or using_named:
        clause = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
        edits.extend((pos, pos, clause + " ") for pos in found.modify_wheres)
    if found.all_named:
        clients = [g.value for g in store.client_graphs()]
        for start, end, verb, silent, target in found.all_named:
            ops = [f"{verb} SILENT DEFAULT"] if target == "ALL" else []
            ops.extend(f"{verb} SILENT GRAPH <{g}>" for g in clients)
            if not ops:
                ops = [f"CLEAR SILENT GRAPH <{store.minter.graph('')}none>"]
            edits.append((start, end, " ;\n".join(ops)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


async def run_update(request: Request, store: Store, settings: Settings, text: str,
                     params: dict[str, list[str]]) -> Response:
    check_token(request, settings)
    base = endpoint_base(request)
    prepared = _prepare_update(store, settings, text, params, base)
    if not _UPDATING.acquire(blocking=False):
        raise SparqlError(503, "an earlier update is still running (updates run one at a time and "
                               "cannot be interrupted); try again when it has finished",
                          headers={"Retry-After": "30"})
    started = time.monotonic()
    began, late = threading.Event(), threading.Event()

    def work(_: threading.Event) -> None:
        began.set()
        try:
            store.update(prepared, base_iri=base)
        finally:
            _UPDATING.release()
            if late.is_set():
                log.warning("an update that passed the time limit finished after %.1f s",
                            time.monotonic() - started)

    try:
        await run_limited(work, settings.query_timeout, "update")
    except TimeLimitExceeded:
        late.set()
        log.warning("an update passed the time limit of %g s and is still running", settings.query_timeout)
        raise SparqlError(503, f"the update ran past the time limit of {settings.query_timeout:g} s "
                               "(HUBGRAPH_QUERY_TIMEOUT). Updates cannot be interrupted: it is still "
                               "running and will be applied in full when it finishes (or not at all if "
                               "it fails); other updates are refused until then",
                          headers={"Retry-After": "30"}) from None
    except SparqlError:
        if not began.is_set():  # refused before it started (no free worker)
            _UPDATING.release()
        raise
    return Response(status_code=204)


# -- service description ------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
#: The W3C format IRI of each result format the endpoint writes.
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
               "rdfxml": "RDF_XML", "jsonld": "JSON-LD"}


def service_description(store: Store, settings: Settings, endpoint: str) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint: languages, result formats and
    the default dataset (the union default graph and the visible named graphs)."""
    def sd(term: str) -> ox.NamedNode:
        return ox.NamedNode(SD + term)

    a = ox.NamedNode(RDF_TYPE)
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, a, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, ox.NamedNode(f"{DCTERMS}title"), ox.Literal("hubgraph SPARQL endpoint")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL10Query")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, a, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, a, sd("Graph")),
        ox.Triple(default, ox.NamedNode(f"{RDFS}comment"), ox.Literal(
            "the union of the active source graphs, the resolution graph, the provenance graph "
            "and the store default graph")),
    ]
    if settings.update_token:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if settings.service_allow.split():
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    triples.extend(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name))
                   for name in FORMAT_IRIS.values())
    for graph in store.named_graphs():
        node = ox.BlankNode()
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, a, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), graph)]
    return triples


def _describe_service(request: Request, store: Store, settings: Settings) -> Response:
    fmt = request.query_params.get("format") or request.query_params.get("output")
    name = negotiate("graph", request.headers.get("accept"), fmt)
    body = serialize_triples(service_description(store, settings, endpoint_base(request)), name,
                             {**PREFIXES, "sd": SD})
    return Response(body, media_type=media_type(name), headers={"Vary": "Accept"})


# -- routes -------------------------------------------------------------------------------


@router.get("/sparql", operation_id="sparql_get")
@router.post("/sparql", operation_id="sparql_post")
@router.api_route("/query", methods=["GET", "POST"], include_in_schema=False)
async def sparql(request: Request, store: StoreDep, settings: SettingsDep, private: PrivateDep) -> Response:
    """SPARQL 1.1 Protocol: ``query`` by GET or POST (form or application/sparql-query),
    with ``default-graph-uri``/``named-graph-uri``; results by Accept or ``format``
    (json, xml, csv, tsv; turtle, ntriples, rdfxml, jsonld). POSTed updates are
    accepted here too (see ``/sparql/update``)."""
    try:
        if request.method in ("GET", "HEAD") and not {"query", "update"} & set(request.query_params):
            return _describe_service(request, store, settings)
        kind, text, params = await _operation(request)
        if kind == "update":
            return await run_update(request, store, settings, text, params)
        return await run_query(request, store, settings, text, params, private)
    except SparqlError as exc:
        return _error(exc)
    except BadQuery as exc:
        return error_response(400, str(exc))


@router.post("/sparql/update")
@router.post("/update", include_in_schema=False)
async def sparql_update(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """SPARQL 1.1 Update (form ``update=`` or application/sparql-update), with
    ``using-graph-uri``/``using-named-graph-uri``; needs ``Authorization: Bearer <token>``."""
    try:
        kind, text, params = await _operation(request)
        if kind != "update":
            raise SparqlError(400, "this is the update endpoint: send queries to /sparql")
        return await run_update(request, store, settings, text, params)
    except SparqlError as exc:
        return _error(exc)
    except BadQuery as exc:
        return error_response(400, str(exc))
