"""Linked data: every minted IRI dereferences (Turtle, N-Triples, JSON-LD or HTML), and the
whole public dataset downloads as gzipped N-Quads."""

from __future__ import annotations

import gzip
import html
import io
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from api.deps import StoreDep
from api.errors import error_response
from api.routers import pages
from graph.namespaces import FOAF, PREFIXES, RDFS, SKOS
from graph.queries import load_query
from graph.store import Store

router = APIRouter(tags=["linked data"])

#: Media types served, and the pyoxigraph format of each (None: HTML).
FORMATS: dict[str, ox.RdfFormat | None] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/html": None,
}
#: ``?format=`` shortcuts.
SHORT = {"ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
         "jsonld": "application/ld+json", "json-ld": "application/ld+json", "html": "text/html"}
ALIASES = {"application/x-turtle": "text/turtle", "text/plain": "application/n-triples",
           "application/json": "application/ld+json", "application/xhtml+xml": "text/html"}
DEFAULT = "text/turtle"
LABELS = {f"{RDFS}label", f"{FOAF}name", f"{SKOS}prefLabel"}


def negotiate(accept: str | None, fmt: str | None = None) -> str:
    """The media type to answer with, from ``?format=`` or the Accept header (q-values
    honoured; ties go to the earliest listed); Turtle when nothing matches."""
    if fmt and fmt.lower() in SHORT:
        return SHORT[fmt.lower()]
    best, best_q = DEFAULT, -1.0
    for part in (accept or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = ALIASES.get(pieces[0].lower(), pieces[0].lower())
        q = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in FORMATS and q > best_q and q > 0:
            best, best_q = media, q
        elif media in ("*/*", "text/*") and best_q < 0 and q > 0:
            best_q = q * 0.5  # keep the default, but below any explicit match
    return best


def _describe(store: Store, iri: str) -> list[ox.Triple]:
    return list(store.query(load_query("api_describe"), {"s": iri}))


def _replacement(store: Store, iri: str) -> str | None:
    rows = store.select(load_query("api_replacement"), retired=iri)
    return str(rows[0]["current"]) if rows and rows[0]["current"] else None


def _inline_query(iri: str) -> str:
    """The description query with the IRI written in, for the SPARQL endpoint."""
    text = load_query("api_describe")
    body = text[text.index("CONSTRUCT"):]
    prologue = "".join(line + "\n" for line in text.splitlines() if line.startswith("PREFIX"))
    return prologue + body.replace("?s ", f"<{iri}> ")


def _local_href(store: Store, iri: str) -> str | None:
    """The path on this server of an IRI minted under the store's base."""
    base = store.minter.base
    if iri.startswith(base):
        return "/id/" + iri[len(base):]
    return None


def _term_html(store: Store, term: Any, labels: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        iri = term.value
        text = html.escape(labels.get(iri, iri))
        href = _local_href(store, iri) or (iri if iri.startswith(("http://", "https://")) else None)
        title = f' title="{html.escape(iri)}"' if iri in labels else ""
        return f'<a href="{html.escape(href)}"{title}>{text}</a>' if href else text
    if isinstance(term, ox.Literal):
        extra = ""
        if term.language:
            extra = f' <small>@{html.escape(term.language)}</small>'
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            extra = f' <small>{html.escape(_curie(term.datatype.value))}</small>'
        return html.escape(term.value) + extra
    return html.escape(str(term))


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
        "padding:.3em;text-align:left;vertical-align:top}code{word-break:break-all}</style>"
        f"</head><body>{body}</body></html>\n"
    )


def _html(store: Store, iri: str, triples: list[ox.Triple]) -> str:
    labels: dict[str, str] = {}
    for t in triples:
        if t.predicate.value in LABELS and isinstance(t.object, ox.Literal) and isinstance(t.subject, ox.NamedNode):
            labels.setdefault(t.subject.value, t.object.value)
    title = labels.get(iri, iri)
    rows = []
    own = sorted((t for t in triples if t.subject.value == iri),
                 key=lambda t: (t.predicate.value, str(t.object)))
    for t in own:
        predicate = html.escape(_curie(t.predicate.value))
        rows.append(f'<tr><td><a href="{html.escape(t.predicate.value)}">{predicate}</a></td>'
                    f"<td>{_term_html(store, t.object, labels)}</td></tr>")
    sparql = "/sparql?" + urlencode({"query": _inline_query(iri)})
    path = _local_href(store, iri) or ""
    formats = " · ".join(
        f'<a href="{html.escape(path)}?format={short}">{name}</a>'
        for short, name in (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"))
    )
    body = (
        f"<h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p>"
        f"<table><thead><tr><th>property</th><th>value</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p>{formats} · <a href="{html.escape(sparql)}">see the query behind this</a></p>'
    )
    return _page(title, body)


def _serialize(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    out = io.BytesIO()
    if fmt == ox.RdfFormat.N_TRIPLES:
        ox.serialize(triples, out, fmt)
    else:
        ox.serialize(triples, out, fmt, prefixes=PREFIXES)
    return out.getvalue()


def _not_found(iri: str, media: str) -> Response:
    message = f"nothing describes <{iri}>"
    if media == "text/html":
        body = _page("Not found", f"<h1>Not found</h1><p>{html.escape(message)}</p>")
        return HTMLResponse(body, status_code=404)
    return error_response(404, message)


@router.get("/id/{path:path}", response_class=Response,
            responses={200: {"content": {m: {} for m in FORMATS}}, 301: {"description": "retired IRI"},
                       404: {"description": "nothing describes the IRI"}})
def entity(path: str, request: Request, store: StoreDep, format: str | None = None) -> Response:
    """The description of one entity, in the format the client asks for."""
    iri = store.minter.base + _raw_path(request, path)
    media = negotiate(request.headers.get("accept"), format)
    vary = {"Vary": "Accept"}
    triples = _describe(store, iri)
    if not triples or _only_retired(triples, iri):
        current = _replacement(store, iri)
        if current is not None:
            return RedirectResponse(current, status_code=301, headers=vary)
        if not triples:
            return _not_found(iri, media)
    fmt = FORMATS[media]
    if fmt is None:
        request.state.linked_data = {"path": _local_href(store, iri) or "",
                                     "query": "/sparql?" + urlencode({"query": _inline_query(iri)})}
        rich = pages.entity_page(request, store, iri)
        if rich is not None:
            rich.headers["Vary"] = "Accept"
            return rich
        return HTMLResponse(_html(store, iri, triples), headers=vary)
    return Response(_serialize(triples, fmt), media_type=media, headers=vary)


def _raw_path(request: Request, path: str) -> str:
    """The path after ``/id/`` as the client sent it, so that percent-encoded IRIs
    (``paper/doi-10.1001%2Fjama...``) keep their encoding."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and b"/id/" in raw:
        return raw.split(b"?", 1)[0].split(b"/id/", 1)[1].decode("ascii", "replace")
    return quote(path, safe="/-._~%!$&'()*+,;=:@")


def _only_retired(triples: list[ox.Triple], iri: str) -> bool:
    """True when the IRI is a retired person's: only owl:sameAs / dcterms:isReplacedBy."""
    own = {t.predicate.value for t in triples if t.subject.value == iri}
    return bool(own) and own <= {"http://www.w3.org/2002/07/owl#sameAs", "http://purl.org/dc/terms/isReplacedBy"}


@router.get("/dump.nq.gz", response_class=StreamingResponse,
            responses={200: {"content": {"application/gzip": {}}}})
def dump(store: StoreDep) -> StreamingResponse:
    """The whole public dataset (source, resolution and provenance graphs) as gzipped N-Quads."""
    spool = tempfile.TemporaryFile()
    with gzip.GzipFile(fileobj=spool, mode="wb") as gz:
        store.dump(gz, ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]
    size = spool.tell()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := spool.read(1 << 16):
                yield chunk
        finally:
            spool.close()

    return StreamingResponse(chunks(), media_type="application/gzip",
                             headers={"Content-Disposition": 'attachment; filename="hubgraph.nq.gz"',
                                      "Content-Length": str(size)})
