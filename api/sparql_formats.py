"""What the SPARQL endpoint needs besides routing: a scan of query text, content
negotiation, result serialisation, and running queries under a time limit.

The scan is a tokenizer, not a parser: it skips strings, IRIs and comments, tracks
``PREFIX``/``BASE`` declarations and brace depth, and reports the dataset clauses
(``FROM``/``FROM NAMED``), ``SERVICE`` and ``LOAD`` targets, ``GRAPH ?var``, every
IRI mentioned, and the places where an update names ``ALL``/``NAMED`` graphs or opens
the ``WHERE`` of a ``DELETE``/``INSERT`` (where protocol ``USING`` clauses go). The
engine parses the text again afterwards and reports real syntax errors.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import json
import re
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin

import pyoxigraph as ox

__all__ = [
    "parse_accept",
    "SparqlError", "TimeLimitExceeded", "Scan", "scan", "negotiate", "RESULT_FORMATS", "GRAPH_FORMATS",
    "serialize_solutions", "serialize_boolean", "serialize_triples", "run_limited", "MAX_WORKERS",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class SparqlError(Exception):
    """An endpoint error with its HTTP status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class TimeLimitExceeded(SparqlError):
    """An operation ran past its time limit (503); its worker may still be running."""


# -- scanning ---------------------------------------------------------------------

_PN_CHARS = r"A-Za-z0-9_\-\u00B7\u00C0-\uFFFF"
_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")"
    r"|(?P<var>[?$][" + _PN_CHARS + r"]+)"
    r"|(?P<pname>(?:[A-Za-z\u00C0-\uFFFF](?:[" + _PN_CHARS + r".]*[" + _PN_CHARS + r"])?)?:"
    r"(?:[" + _PN_CHARS + r":%\\]|\.(?=[" + _PN_CHARS + r":%\\]))*)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<other>.)",
    re.S,
)


@dataclass
class Scan:
    """What :func:`scan` found in a query or update."""

    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    services: list[str | None] = field(default_factory=list)  # None: a variable endpoint
    loads: list[str] = field(default_factory=list)
    iris: set[str] = field(default_factory=set)
    var_graph: bool = False
    using: bool = False
    with_: bool = False
    #: (start, end, keyword, silent) of each ``CLEAR``/``DROP`` ``ALL``/``NAMED`` operation
    all_named: list[tuple[int, int, str, bool, str]] = field(default_factory=list)
    #: offsets of the ``WHERE`` of each ``DELETE``/``INSERT`` operation
    modify_wheres: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def scan(text: str, base: str | None = None) -> Scan:
    """Scan SPARQL ``text`` (a query or an update); see the module docstring."""
    toks = _tokens(text)
    result = Scan()
    prefixes: dict[str, str] = {}

    def iri_of(tok: _Tok | None) -> str | None:
        if tok is None:
            return None
        if tok.kind == "iri":
            inner = tok.text[1:-1]
            return urljoin(base, inner) if base else inner
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix in prefixes:
                return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    def word(i: int) -> str:
        return toks[i].text.upper() if 0 <= i < len(toks) and toks[i].kind == "word" else ""

    def at(i: int) -> _Tok | None:
        return toks[i] if 0 <= i < len(toks) else None

    depth = 0
    in_modify = False
    for i, tok in enumerate(toks):
        if tok.kind == "other":
            if tok.text == "{":
                depth += 1
            elif tok.text == "}":
                depth = max(0, depth - 1)
            elif tok.text == ";" and depth == 0:
                in_modify = False
            continue
        if tok.kind in ("iri", "pname"):
            resolved = iri_of(tok)
            if resolved is not None:
                result.iris.add(resolved)
            continue
        if tok.kind != "word":
            continue
        kw = tok.text.upper()
        if kw == "PREFIX" and at(i + 1) is not None and at(i + 1).kind == "pname":  # type: ignore[union-attr]
            name = toks[i + 1].text.partition(":")[0]
            value = iri_of(at(i + 2))
            if value is not None:
                prefixes[name] = value
        elif kw == "BASE":
            nxt = at(i + 1)
            if nxt is not None and nxt.kind == "iri":
                base = iri_of(nxt)
        elif kw == "FROM":
            named = word(i + 1) == "NAMED"
            target = iri_of(at(i + 2 if named else i + 1))
            if target is not None:
                (result.from_named if named else result.from_default).append(target)
        elif kw in ("SERVICE", "LOAD"):
            j = i + 2 if word(i + 1) == "SILENT" else i + 1
            nxt = at(j)
            target = iri_of(nxt)
            if kw == "SERVICE":
                result.services.append(target)
            else:
                result.loads.append(target or (nxt.text if nxt else ""))
        elif kw == "GRAPH":
            nxt = at(i + 1)
            if nxt is not None and nxt.kind == "var":
                result.var_graph = True
        elif kw == "USING" and depth == 0:
            result.using = True
        elif kw == "WITH" and depth == 0:
            result.with_ = True
        elif kw in ("CLEAR", "DROP") and depth == 0:
            silent = word(i + 1) == "SILENT"
            j = i + 2 if silent else i + 1
            target = word(j)
            if target in ("ALL", "NAMED"):
                result.all_named.append((tok.start, toks[j].end, kw, silent, target))
        elif kw in ("INSERT", "DELETE") and depth == 0:
            nxt = word(i + 1)
            if nxt not in ("DATA", "WHERE") and not (kw == "INSERT" and in_modify):
                in_modify = True
        elif kw == "WHERE" and depth == 0 and in_modify:
            result.modify_wheres.append(tok.start)
            in_modify = False
    return result


# -- content negotiation --------------------------------------------------------------

#: name -> (media type, extra accepted media types)
RESULT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json": ("application/sparql-results+json", ("application/json",)),
    "xml": ("application/sparql-results+xml", ("application/xml", "text/xml")),
    "csv": ("text/csv", ()),
    "tsv": ("text/tab-separated-values", ()),
}
GRAPH_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("text/turtle", ("application/x-turtle",)),
    "ntriples": ("application/n-triples", ("text/plain",)),
    "rdfxml": ("application/rdf+xml", ("application/xml", "text/xml")),
    "jsonld": ("application/ld+json", ("application/json",)),
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
}
_FORMAT_ALIASES = {
    "srj": "json", "sparql-json": "json", "srx": "xml", "sparql-xml": "xml",
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "rdf": "rdfxml",
    "rdf+xml": "rdfxml", "json-ld": "jsonld",
}


def parse_accept(accept: str) -> list[tuple[str, float, int]]:
    """(media type, q, position) of each range in an Accept header."""
    out = []
    for pos, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media, q, pos))
    return out


def negotiate(kind: str, accept: str | None, fmt: str | None) -> str:
    """The format name for a result of ``kind`` ("solutions", "boolean" or "graph"),
    from a ``format`` parameter (a name or a media type) or else the Accept header."""
    table = GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
    offered = list(table) if kind != "boolean" else ["json", "xml"]
    default = offered[0]
    if fmt:
        name = _FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if name in offered:
            return name
        if name in ("json", "xml") and kind == "graph":  # a browser asking for JSON/XML
            return {"json": "jsonld", "xml": "rdfxml"}[name]
        if "/" not in name:
            if kind != "graph" and name in GRAPH_FORMATS or kind == "graph" and name in RESULT_FORMATS:
                return default  # a format of the other kind: answer in the default one
            raise SparqlError(400, f"unknown format '{fmt}'; use one of {', '.join(offered)}")
        accept = name
    if not accept:
        return default
    best: tuple[float, int, int, str] | None = None
    for media, q, pos in parse_accept(accept):
        if q <= 0:
            continue
        for rank, name in enumerate(offered):
            main, extra = table[name]
            types = (main, *extra)
            if media in types:
                specificity = 2
            elif media == "*/*" or (media.endswith("/*") and any(t.startswith(media[:-1]) for t in types)):
                specificity = 0 if media == "*/*" else 1
            else:
                continue
            # the preferred name for a wildcard is the default order; exact matches first
            key = (q, specificity, -pos if specificity else -rank, name)
            if best is None or key[:3] > best[:3]:
                best = key
    if best is None:
        # nothing listed fits this kind of result (clients often send the SELECT types
        # for every query): answer in the default type rather than 406, as RFC 9110 allows
        return default
    return best[3]


def media_type(name: str) -> str:
    table = GRAPH_FORMATS if name in GRAPH_FORMATS else RESULT_FORMATS
    media = table[name][0]
    return f"{media}; charset=utf-8"


# -- serialisation ----------------------------------------------------------------


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term: Any) -> str:
    esc = html.escape
    if isinstance(term, ox.NamedNode):
        return f"<uri>{esc(term.value, quote=False)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{esc(term.value, quote=False)}</bnode>"
    if isinstance(term, ox.Literal):
        value = esc(term.value, quote=False)
        if term.language:
            return f'<literal xml:lang="{esc(term.language)}">{value}</literal>'
        if term.datatype.value != XSD_STRING:
            return f'<literal datatype="{esc(term.datatype.value)}">{value}</literal>'
        return f"<literal>{value}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_field(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        value = f"_:{term.value}"
    elif isinstance(term, ox.Triple):
        value = str(term)
    else:
        value = term.value
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def serialize_solutions(variables: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """SELECT results in ``fmt`` (json, xml, csv or tsv)."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        parts.extend(f'<variable name="{html.escape(v)}"/>' for v in variables)
        parts.append("</head>\n<results>\n")
        for row in rows:
            parts.append("<result>")
            parts.extend(f'<binding name="{html.escape(v)}">{_xml_term(t)}</binding>'
                         for v, t in zip(variables, row) if t is not None)
            parts.append("</result>\n")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)]
        lines.extend(",".join(_csv_field(t) for t in row) for row in rows)
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise SparqlError(406, f"SELECT results are not available as {fmt}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """ASK results in ``fmt`` (json or xml)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
                f"<head></head>\n<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n").encode("utf-8")
    raise SparqlError(406, f"ASK results are not available as {fmt}")


def serialize_triples(triples: list[Any], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (CONSTRUCT/DESCRIBE results, graphs) in an RDF format."""
    rdf_format = RDF_FORMATS[fmt]
    kwargs: dict[str, Any] = {}
    if prefixes and fmt in ("turtle", "rdfxml"):
        kwargs["prefixes"] = prefixes
    data = ox.serialize(triples, None, rdf_format, **kwargs)
    return data if isinstance(data, bytes) else b""


# -- bounded, time-limited execution ------------------------------------------------

#: Most SPARQL operations running at once, counting those whose client gave up waiting:
#: the engine cannot be interrupted, so a query past its time limit keeps its worker
#: thread until it finishes (stopping at the next result row it yields). When every
#: slot is taken, new queries are refused with 503 instead of piling up threads.
MAX_WORKERS = 8
_SLOTS = threading.BoundedSemaphore(MAX_WORKERS)

T = TypeVar("T")


async def run_limited(work: Callable[[threading.Event], T], timeout: float, what: str = "query") -> T:
    """Run ``work(cancelled)`` in a worker thread; give up waiting after ``timeout`` seconds
    (503), setting ``cancelled`` so that the worker stops at its next row."""
    if not _SLOTS.acquire(blocking=False):
        raise SparqlError(503, f"the server is busy: {MAX_WORKERS} SPARQL operations are running; "
                               "try again shortly", headers={"Retry-After": "5"})
    future: concurrent.futures.Future[T] = concurrent.futures.Future()
    cancelled = threading.Event()

    def run() -> None:
        try:
            if not future.set_running_or_notify_cancel():
                return
            try:
                value = work(cancelled)
            except BaseException as exc:  # handed to the waiting request
                # drop the frames' locals here: engine objects must die on their own thread
                chained: BaseException | None = exc
                while chained is not None:
                    traceback.clear_frames(chained.__traceback__)
                    chained = chained.__context__ or chained.__cause__
                future.set_exception(exc.with_traceback(None))
            else:
                future.set_result(value)
        except Exception:  # the waiting loop is gone (its client left): nothing to tell
            pass
        finally:
            _SLOTS.release()

    threading.Thread(target=run, name="hubgraph-sparql", daemon=True).start()
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except TimeoutError:
        cancelled.set()
        raise TimeLimitExceeded(503, f"the {what} ran past the time limit of {timeout:g} s "
                               "(HUBGRAPH_QUERY_TIMEOUT) and was abandoned; narrow it or add a LIMIT",
                          headers={"Retry-After": "30"}) from None
