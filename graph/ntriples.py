"""Formatting RDF terms as N-Triples text, the bulk-load format of every store.

>>> iri("http://example.org/a b")
'<http://example.org/a%20b>'
>>> lit('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
>>> typed("2009", "gYear")
'"2009"^^<http://www.w3.org/2001/XMLSchema#gYear>'
"""

from __future__ import annotations

import re

from graph.namespaces import XSD

__all__ = ["iri", "lit", "typed", "lang_lit", "boolean", "integer", "decimal"]

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str) -> str:
    """``<value>`` with characters N-Triples forbids in IRIs percent-encoded."""
    if _IRI_UNSAFE.search(value):
        value = _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), value)
    return f"<{value}>"


def lit(value: str) -> str:
    """A plain string literal."""
    return f'"{value.translate(_LITERAL_ESCAPES)}"'


def lang_lit(value: str, lang: str) -> str:
    """A language-tagged literal."""
    return f'"{value.translate(_LITERAL_ESCAPES)}"@{lang}'


def typed(value: str, xsd_type: str) -> str:
    """A literal typed with an XML Schema datatype (``gYear``, ``date``, ...)."""
    return f'"{value.translate(_LITERAL_ESCAPES)}"^^<{XSD}{xsd_type}>'


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def decimal(value: float) -> str:
    return f'"{value:.4f}"^^<{XSD}decimal>'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD}boolean>'
