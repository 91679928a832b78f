"""The app's routers, one per concern; :func:`api.app.create_app` includes each."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers import health

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [health.router]
