"""The FastAPI app, built by a factory from settings and a store (no import-time globals)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.limits import Limits
from api.response_cache import ResponseCache
from api.routers import ROUTERS
from api.security_headers import SecurityHeaders
from api.settings import Settings, load_settings, remote_options
from api.warmup import start_warming
from graph.store import VERSION, Store

__all__ = ["create_app", "app_from_environment"]


def create_app(settings: Settings, store: Store) -> FastAPI:
    """A hubgraph app serving ``store``; when it starts serving, the caches pages and
    matchmaking read are built in the background (``HUBGRAPH_WARM``)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            start_warming(store)
        yield

    app = FastAPI(title="hubgraph", version=VERSION, lifespan=lifespan,
                  description="A knowledge graph of hospital-university research partnerships: "
                              "SPARQL, linked data, search and a JSON API.")
    app.state.settings = settings
    app.state.store = store
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(Limits, settings=settings)
    app.add_middleware(ResponseCache, store=store, max_bytes=settings.response_cache_mb << 20)
    if settings.cors_origins.split():
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins.split(),
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    app.add_middleware(SecurityHeaders)
    return app


def app_from_environment() -> FastAPI:
    """The app one server process serves, built from the ``HUBGRAPH_*`` environment (the
    factory ``hubgraph serve --workers N`` hands uvicorn): with several workers, each opens
    the embedded store read-only."""
    settings = load_settings()
    store = Store.open(settings.store, settings.base_uri, read_only=settings.workers > 1,
                       remote=remote_options(settings))
    return create_app(settings, store)
