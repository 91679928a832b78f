"""Resource limits at the HTTP layer, as one ASGI middleware.

* request bodies larger than ``max_body`` bytes: 413, before the route reads them;
* at most ``max_concurrent`` heavy requests at once (SPARQL queries and updates, Graph
  Store requests, the dump); more wait for a place, first come first served, up to
  ``queue_wait`` seconds, and at most ``max_queued`` of them: past either, 503 with
  ``Retry-After``, while every other route (``/health``, search, entity pages) keeps
  answering;
* responses that announce more than ``max_download`` bytes (``Content-Length``): 413
  instead of the body.

Every refusal uses the one JSON error shape of :mod:`api.errors`.
"""

from __future__ import annotations

import asyncio
import json

from api.asgi import ASGIApp, Message, Receive, Scope, Send
from api.errors import error_body
from api.settings import Settings

__all__ = ["Limits", "HEAVY_PREFIXES"]


#: Paths whose requests count against ``max_concurrent``.
HEAVY_PREFIXES = ("/sparql", "/query", "/update", "/store", "/dump.nq.gz")
RETRY_AFTER = "2"


class Limits:
    """ASGI middleware enforcing ``max_body``, ``max_concurrent`` (with its queue) and
    ``max_download``."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.max_body = settings.max_body
        self.max_concurrent = settings.max_concurrent
        self.queue_wait = settings.queue_wait
        self.max_queued = settings.max_queued
        self.max_download = settings.max_download
        self.places = asyncio.Semaphore(settings.max_concurrent)
        self.queued = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        checked = await self._checked(scope, receive)
        if checked is None:
            await _refuse(send, 413, f"the request body is larger than {self.max_body} bytes, the "
                                     "limit of this server (HUBGRAPH_MAX_BODY)")
            return
        receive = checked
        if not scope["path"].startswith(HEAVY_PREFIXES):
            await self.app(scope, receive, self._capped(send))
            return
        refusal = await self._take_place()
        if refusal:
            await _refuse(send, 503, f"the server is busy: {self.max_concurrent} queries or downloads are "
                                     f"running (HUBGRAPH_MAX_CONCURRENT) and {refusal}; try again shortly",
                          {"retry-after": RETRY_AFTER})
            return
        try:
            await self.app(scope, receive, self._capped(send))
        finally:
            self.places.release()

    async def _take_place(self) -> str | None:
        """Wait for a heavy request's place; None once taken, else why the request is refused."""
        if not self.places.locked():
            await self.places.acquire()  # free: returns at once
            return None
        if self.queued >= self.max_queued:
            return f"{self.queued} more are waiting (HUBGRAPH_MAX_QUEUED)"
        self.queued += 1
        try:
            await asyncio.wait_for(self.places.acquire(), timeout=self.queue_wait)
        except TimeoutError:
            return f"none finished within {self.queue_wait:g} s (HUBGRAPH_QUEUE_WAIT)"
        finally:
            self.queued -= 1
        return None

    async def _checked(self, scope: Scope, receive: Receive) -> Receive | None:
        """The ``receive`` the app should use, or None when the body is too large (a body
        without Content-Length is read here to be measured, then replayed)."""
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            return receive if length.isdigit() and int(length) <= self.max_body else None
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            return receive
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                return None
            more = message.get("more_body", False)
        return _replay(b"".join(chunks), receive)

    def _capped(self, send: Send) -> Send:
        """``send`` that turns a response announcing more than ``max_download`` bytes into a 413."""
        refused = False

        async def capped(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                length = dict(message.get("headers", [])).get(b"content-length", b"0")
                if length.isdigit() and int(length) > self.max_download:
                    refused = True
                    await _refuse(send, 413, f"the response would be {int(length)} bytes, more than "
                                             f"{self.max_download} (HUBGRAPH_MAX_DOWNLOAD); narrow the "
                                             "request, or use 'hubgraph export' on the server")
                    return
            elif refused:
                return
            await send(message)

        return capped


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the already-read body, then defers to the client."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


async def _refuse(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    """Send the JSON error response ``status`` with ``message``."""
    payload = json.dumps(error_body(status, message)).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
