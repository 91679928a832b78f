"""The query page: ``GET /sparql`` for a browser, and the app's ``/static`` files.

A GET ``/sparql`` whose Accept header prefers ``text/html`` gets an HTML page: a query
editor, the named example queries (``docs/queries/*.rq`` and :mod:`graph.queries`) and,
for a ``query=``, its results as a table with download links for each format. Every
other request (and any with ``format=``) goes to the SPARQL protocol route unchanged;
results are computed by :func:`api.routers.sparql.run_query`, the protocol's own code
path (time limit and row cap included).

A request with ``query=`` is answered with the page only when it is a browser's page
navigation (``Sec-Fetch-Dest: document`` or ``Sec-Fetch-Mode: navigate``, sent by every
current browser), so tools that send a browser-like Accept header still get results.
"""

from __future__ import annotations

import html
import json
import mimetypes
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import PrivateDep, SettingsDep, StoreDep
from api.errors import error_response
from api.routers import sparql as sparql_router
from api.sparql_formats import SparqlError, parse_accept
from graph.errors import BadQuery
from graph.queries import QUERY_DIR, load_query
from graph.store import Store

__all__ = ["router", "wants_page", "examples", "STATIC_DIR", "TEMPLATE_DIR"]

router = APIRouter(tags=["ui"])

API_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = API_DIR / "static"
TEMPLATE_DIR = API_DIR / "templates"
DOCS_QUERY_DIR = API_DIR.parent / "docs" / "queries"

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
SOLUTION_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("ttl", "nt", "rdfxml", "jsonld")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# -- deciding ---------------------------------------------------------------------------


def _html_q(accept: str | None) -> tuple[float, float]:
    """(q of text/html, best q of anything else) in an Accept header."""
    html_q, other_q = 0.0, 0.0
    for media, q, _ in parse_accept(accept or ""):
        if media in ("text/html", "application/xhtml+xml"):
            html_q = max(html_q, q)
        elif media not in ("*/*", "text/*", "application/*"):
            other_q = max(other_q, q)
    return html_q, other_q


def wants_page(request: Request) -> bool:
    """True when this GET /sparql should be answered with the query page."""
    params = request.query_params
    if "format" in params or "output" in params or "update" in params:
        return False
    html_q, other_q = _html_q(request.headers.get("accept"))
    if html_q <= 0 or html_q < other_q:
        return False
    if "query" in params:
        dest = request.headers.get("sec-fetch-dest", "").lower()
        mode = request.headers.get("sec-fetch-mode", "").lower()
        return dest == "document" or mode == "navigate"
    return True


# -- examples ----------------------------------------------------------------------------


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            if title:
                return title
        elif line:
            break
    return fallback


#: Query files that read the store's internal graphs, which the endpoint does not show.
HIDDEN_QUERY_PREFIXES = ("summary_",)


def examples() -> list[tuple[str, str, str]]:
    """(name, title, text) of each example query: docs/queries then graph/queries."""
    found: list[tuple[str, str, str]] = []
    if DOCS_QUERY_DIR.is_dir():
        for path in sorted(DOCS_QUERY_DIR.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            found.append((path.stem, _title(text, path.stem), text))
    for path in sorted(QUERY_DIR.glob("*.rq")):
        if path.stem.startswith(HIDDEN_QUERY_PREFIXES):
            continue
        text = load_query(path.stem)
        found.append((path.stem, _title(text, path.stem), text))
    return found


# -- rendering ---------------------------------------------------------------------------

_esc = html.escape


def _iri_html(store: Store, iri: str) -> str:
    base = store.minter.base
    if iri.startswith(base):
        href = "/id/" + iri[len(base):]
        return f'<a href="{_esc(href)}" title="{_esc(iri)}">{_esc(iri)}</a>'
    return f"<code>&lt;{_esc(iri)}&gt;</code>"


def _json_term_html(store: Store, term: dict[str, Any] | None) -> str:
    if not term:
        return ""
    kind, value = term.get("type"), str(term.get("value", ""))
    if kind == "uri":
        return _iri_html(store, value)
    if kind == "bnode":
        return f"<code>_:{_esc(value)}</code>"
    if kind == "triple":
        inner = term.get("value")
        if not isinstance(inner, dict):
            return _esc(str(inner))
        parts = [_json_term_html(store, inner.get(k)) for k in ("subject", "predicate", "object")]
        return "&lt;&lt; " + " ".join(parts) + " &gt;&gt;"
    extra = ""
    if term.get("xml:lang"):
        extra = f' <small class="lang">@{_esc(str(term["xml:lang"]))}</small>'
    elif term.get("datatype") and term["datatype"] not in (XSD_STRING, RDF_LANG_STRING):
        extra = f' <small class="dt">^^{_esc(str(term["datatype"]))}</small>'
    return _esc(value) + extra


def _ox_term_html(store: Store, term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return _iri_html(store, term.value)
    if isinstance(term, ox.BlankNode):
        return f"<code>_:{_esc(term.value)}</code>"
    if isinstance(term, ox.Literal):
        extra = ""
        if term.language:
            extra = f' <small class="lang">@{_esc(term.language)}</small>'
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            extra = f' <small class="dt">^^{_esc(term.datatype.value)}</small>'
        return _esc(term.value) + extra
    return _esc(str(term))


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="results"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _downloads(query: str, formats: tuple[str, ...]) -> str:
    links = " ".join(
        f'<a href="/sparql?{_esc(urlencode({"query": query, "format": f}))}" download>{f}</a>'
        for f in formats)
    return f'<p class="downloads">Download: {links}</p>'


async def _results_html(request: Request, store: Store, settings: Any, query: str) -> str:
    """The results of ``query`` as HTML, computed by the protocol's own ``run_query``:
    SPARQL JSON results for SELECT/ASK and Turtle for CONSTRUCT/DESCRIBE."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key in ("default-graph-uri", "named-graph-uri"):
            params.setdefault(key, []).append(value)
    # a media type fits the solution kinds only, so graphs fall back to Turtle
    params["format"] = ["application/sparql-results+json"]
    try:
        response = await sparql_router.run_query(request, store, settings, query, params)
    except SparqlError as exc:
        return f'<p class="error">Error {exc.status}: {_esc(exc.message)}</p>'
    except BadQuery as exc:
        return f'<p class="error">Error 400: {_esc(str(exc))}</p>'
    media = (response.media_type or "").split(";")[0]
    body = bytes(response.body)
    if media == "application/sparql-results+json":
        data = json.loads(body)
        if "boolean" in data:
            answer = "true" if data["boolean"] else "false"
            return (f'<p class="boolean">Answer: <strong>{answer}</strong></p>'
                    + _downloads(query, ("json", "xml")))
        variables = [str(v) for v in data.get("head", {}).get("vars", [])]
        bindings = data.get("results", {}).get("bindings", [])
        rows = [[_json_term_html(store, b.get(v)) for v in variables] for b in bindings]
        count = f'<p class="count">{len(rows)} row{"" if len(rows) == 1 else "s"}</p>'
        return count + _table([_esc(v) for v in variables], rows) + _downloads(query, SOLUTION_FORMATS)
    triples = list(ox.parse(body, ox.RdfFormat.TURTLE))
    rows = [[_ox_term_html(store, t.subject), _ox_term_html(store, t.predicate),
             _ox_term_html(store, t.object)] for t in triples]
    count = f'<p class="count">{len(rows)} triple{"" if len(rows) == 1 else "s"}</p>'
    return count + _table(["subject", "predicate", "object"], rows) + _downloads(query, GRAPH_FORMATS)


def _examples_html() -> str:
    items = []
    for name, title, text in examples():
        href = "/sparql?" + urlencode({"query": text})
        items.append(
            f'<li><a class="example" href="{_esc(href)}" data-query="{_esc(text)}" '
            f'title="{_esc(name)}">{_esc(title)}</a> <small>{_esc(name)}</small></li>')
    return "<ul class=\"examples\">" + "".join(items) + "</ul>" if items else "<p>No examples.</p>"


DEFAULT_QUERY = "SELECT ?s ?p ?o\nWHERE { ?s ?p ?o }\nLIMIT 25\n"


async def render_page(request: Request, store: Store, settings: Any) -> str:
    query = request.query_params.get("query")
    results = await _results_html(request, store, settings, query) if query else ""
    template = Template((TEMPLATE_DIR / "sparql.html").read_text(encoding="utf-8"))
    return template.substitute(
        query=_esc(query if query is not None else DEFAULT_QUERY),
        examples=_examples_html(),
        results=results,
        base=_esc(store.minter.base),
    )


# -- routes ------------------------------------------------------------------------------


@router.get("/sparql", include_in_schema=False)
async def sparql_page(request: Request, store: StoreDep, settings: SettingsDep, private: PrivateDep) -> Response:
    """The query page for a browser (never with private fields); anything else is the SPARQL protocol's."""
    if not wants_page(request):
        return await sparql_router.sparql(request, store, settings, private)
    return HTMLResponse(await render_page(request, store, settings), headers={"Vary": "Accept"})


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> Response:
    """A file of ``api/static`` (names in that folder only)."""
    allowed = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()} if STATIC_DIR.is_dir() else {}
    path = allowed.get(name)
    if path is None:
        return error_response(404, f"no static file '{name}'")
    media = STATIC_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(path.read_bytes(), media_type=media, headers={"Cache-Control": "public, max-age=3600"})
