"""The one exception hierarchy of hubgraph.

::

    HubgraphError
    ├── IngestError          a source file cannot be read at all; the store is unchanged
    ├── StoreError           the store cannot be opened or written
    ├── BadQuery             a SPARQL query does not parse or cannot run
    └── UnknownEntity        an identifier names nothing in the graph
"""

from __future__ import annotations

__all__ = ["HubgraphError", "IngestError", "StoreError", "BadQuery", "UnknownEntity"]


class HubgraphError(Exception):
    """Base class of every error hubgraph raises on purpose."""


class IngestError(HubgraphError):
    """A source file cannot be parsed at all; nothing was written."""

    def __init__(self, path: str, message: str, record: str | None = None, field: str | None = None):
        self.path = path
        self.record = record
        self.field = field
        where = path
        if record:
            where += f", record {record}"
        if field:
            where += f", field {field}"
        super().__init__(f"{where}: {message}")


class StoreError(HubgraphError):
    """The store cannot be opened, read or written."""


class BadQuery(HubgraphError):
    """A SPARQL query is malformed or cannot be evaluated."""


class UnknownEntity(HubgraphError):
    """An identifier names nothing in the graph."""
