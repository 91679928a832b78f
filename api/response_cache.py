"""Answers to repeated GET requests, kept per store version, as one ASGI middleware.

Everything hubgraph serves over GET (pages, maps, the JSON API, linked data, SPARQL query
results) depends only on the request and on the store's content, which changes only when
an ingest publishes a new store version. So a successful answer is kept, keyed by the
request's path, query string and the headers that choose its form (``Accept`` and the
browser's ``Sec-Fetch-*``), and given again until the version changes; the first request
after an ingest computes afresh. Client writes (SPARQL Update, Graph Store) do not change
the version: any other method than GET on the SPARQL and Graph Store paths empties this
process's cache, and no answer is kept longer than :data:`MAX_AGE` seconds, which bounds
what other server processes may show of such a write. A request with an
``Authorization`` header (private fields, updates) always goes to the app and its answer
is never kept. The cache holds at most ``response_cache_mb`` MiB (least recently used
answers go first); answers say ``X-Hubgraph-Cache: hit`` or ``miss``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from api.asgi import ASGIApp, Message, Receive, Scope, Send
from graph.store import Store

__all__ = ["ResponseCache", "HEADER"]


HEADER = b"x-hubgraph-cache"
#: Request headers that choose an answer's form (everything else about it is in the URL).
KEY_HEADERS = (b"accept", b"sec-fetch-dest", b"sec-fetch-mode")
#: Never kept: the whole-graph dump and Graph Store reads are large and rare.
UNCACHED_PREFIXES = ("/dump", "/store", "/health")
#: Paths where a request other than GET may write client graphs.
WRITE_PREFIXES = ("/sparql", "/query", "/update", "/store")
#: Seconds an answer is kept at most.
MAX_AGE = 60.0


@dataclass(frozen=True, slots=True)
class Answer:
    """A kept answer: its status, headers and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    kept_at: float


class ResponseCache:
    """ASGI middleware keeping successful GET answers until the store version changes."""

    def __init__(self, app: ASGIApp, store: Store, max_bytes: int):
        self.app = app
        self.store = store
        self.max_bytes = max_bytes
        self.version: str | None = None
        self.kept: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            try:
                await self.app(scope, receive, send)
            finally:
                if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD") \
                        and scope["path"].startswith(WRITE_PREFIXES):
                    with self.lock:
                        self._clear(None)
            return
        version = self.store.version()
        key = self._key(scope)
        with self.lock:
            if version != self.version:
                self._clear(version)
            answer = self.kept.get(key)
            if answer is not None and time.monotonic() - answer.kept_at > MAX_AGE:
                self.size -= len(self.kept.pop(key).body)
                answer = None
            if answer is not None:
                self.kept.move_to_end(key)
        if answer is not None:
            await _replay(send, answer)
            return
        await self.app(scope, receive, self._recording(send, key, version))

    def _clear(self, version: str | None) -> None:
        """Forget every answer; later ones belong to ``version`` (None: read it again)."""
        self.kept.clear()
        self.size, self.version = 0, version

    def _cacheable(self, scope: Scope) -> bool:
        return (self.max_bytes > 0 and scope["type"] == "http" and scope["method"] == "GET"
                and not scope["path"].startswith(UNCACHED_PREFIXES)
                and not any(name == b"authorization" for name, _ in scope["headers"]))

    @staticmethod
    def _key(scope: Scope) -> tuple[Any, ...]:
        headers = dict((name.lower(), value) for name, value in scope["headers"] if name.lower() in KEY_HEADERS)
        return (scope["path"], scope["query_string"], *(headers.get(name, b"") for name in KEY_HEADERS))

    def _recording(self, send: Send, key: tuple[Any, ...], version: str) -> Send:
        """``send``, also keeping a 200 answer that fits the cache."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def record(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (HEADER, b"miss")]
                if message["status"] == 200:
                    start = message
            elif message["type"] == "http.response.body" and start is not None:
                body = message.get("body", b"")
                size += len(body)
                chunks.append(body)
                if size > self.max_bytes // 8:  # one answer may take an eighth of the room
                    start = None
                elif not message.get("more_body", False):
                    headers = [(n, v) for n, v in start["headers"] if n.lower() != HEADER]
                    self._keep(key, version, Answer(200, headers, b"".join(chunks), time.monotonic()))
            await send(message)

        return record

    def _keep(self, key: tuple[Any, ...], version: str, answer: Answer) -> None:
        with self.lock:
            if version != self.version or key in self.kept:
                return
            self.kept[key] = answer
            self.size += len(answer.body)
            while self.size > self.max_bytes:
                _, dropped = self.kept.popitem(last=False)
                self.size -= len(dropped.body)


async def _replay(send: Send, answer: Answer) -> None:
    await send({"type": "http.response.start", "status": answer.status,
                "headers": [*answer.headers, (HEADER, b"hit")]})
    await send({"type": "http.response.body", "body": answer.body})
