"""The app's routers, one per concern; :func:`api.app.create_app` includes each."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers import health, entities, linked_data, search
from api.routers import graph_store as graph_store_router
from api.routers import sparql as sparql_router
from api.routers import query_page
from api.routers import dashboard, maps, pages
from api.routers import match as match_router

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [health.router, entities.router, search.router, linked_data.router, query_page.router, sparql_router.router, graph_store_router.router, match_router.router, pages.router, maps.router, dashboard.router]
