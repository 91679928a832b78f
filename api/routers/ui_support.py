"""What the UI's routers share: the Jinja2 environment (autoescape on), page links for IRIs,
"see the query behind this" links, identifiers of any kind, and the HTML 404 page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.routers.query_page import TEMPLATE_DIR
from graph import lookup
from graph.errors import UnknownEntity
from graph.namespaces import MESH
from graph.queries import load_query
from graph.store import Store

__all__ = ["PAGE_SEGMENTS", "render", "not_found", "page_link", "query_link", "resolve_entity", "raw_id"]

#: IRI segments (``{base}<segment>/...``) that have a page at ``/<segment>/...``.
PAGE_SEGMENTS = {"person": "person", "org": "organization", "paper": "paper", "trial": "trial",
                 "device": "device", "grant": "grant", "patent": "patent"}

_env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True))
_MESH_ID = re.compile(r"^(?:mesh:)?([A-Z]\d{6,9})$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from ``api/templates``; every value is escaped unless the template says otherwise."""
    store: Store = request.app.state.store
    context.setdefault("link", page_link(store))
    context.setdefault("linked_data", getattr(request.state, "linked_data", None))
    html = _env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def not_found(request: Request, message: str) -> HTMLResponse:
    """The HTML 404 page, saying what was not found and how to look for it."""
    return render(request, "not_found.html", status=404, title="Not found", message=message)


def page_link(store: Store) -> Callable[[str | None], str | None]:
    """A function giving the page of an IRI on this server (None when it has none)."""
    base = store.minter.base

    def link(iri: str | None) -> str | None:
        if not iri:
            return None
        if iri.startswith(base):
            rest = iri[len(base):]
            if rest.split("/", 1)[0] in PAGE_SEGMENTS:
                return "/" + rest
            return "/id/" + rest
        if iri.startswith(MESH):
            return "/topic/" + quote(iri[len(MESH):])
        return None

    return link


def query_link(name: str, **bindings: str) -> str:
    """The SPARQL page running ``graph/queries/<name>.rq`` with ``bindings`` written in as
    ``VALUES`` at the start of its outer ``WHERE``."""
    text = load_query(name)
    values = " ".join(f"VALUES ?{var} {{ <{iri}> }}" for var, iri in bindings.items())
    if values:
        match = _WHERE.search(text)
        if match:
            text = f"{text[:match.end()]}\n  {values}{text[match.end():]}"
    return "/sparql?" + urlencode({"query": text})


def resolve_entity(store: Store, kind: str, ident: str) -> str:
    """The IRI of the ``kind`` entity ``ident`` names (any identifier; topics by MeSH id or
    IRI); :class:`UnknownEntity` if none."""
    if kind != "topic":
        return lookup.resolve(store, kind, ident)
    ident = ident.strip()
    match = _MESH_ID.match(ident)
    iri = f"{MESH}{match.group(1)}" if match else ident
    if not iri.startswith(MESH) or lookup.label_of(store, iri) is None:
        raise UnknownEntity(f"no topic is known as '{ident}' (give a MeSH id such as D000544, or its IRI)")
    return iri


def raw_id(request: Request, prefix: str, decoded: str) -> str:
    """The identifier after ``prefix`` as the client sent it, so that percent-encoded slugs
    (``paper/doi-10.1001%2Fjama...``) keep their encoding."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes):
        path = raw.split(b"?", 1)[0].decode("ascii", "replace")
        if path.startswith(prefix):
            return path[len(prefix):]
    return decoded
