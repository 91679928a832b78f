"""Shared needs of the routes, as FastAPI dependencies (swap them in tests with
``app.dependency_overrides``)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from graph.store import Store

__all__ = ["get_store", "get_settings", "sees_private", "bearer_token", "same_token", "StoreDep", "SettingsDep", "PrivateDep"]


def get_store(request: Request) -> Store:
    """The store the app was built with."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer ...`` header; empty without one."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def same_token(given: str, token: str) -> bool:
    """Whether two tokens are equal, compared in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def sees_private(request: Request) -> bool:
    """Whether the caller sent ``Authorization: Bearer <HUBGRAPH_PRIVATE_TOKEN>``; without
    that setting nobody does, and any other token reads the public view."""
    token, given = get_settings(request).private_token, bearer_token(request)
    return bool(token and given) and same_token(given, token)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PrivateDep = Annotated[bool, Depends(sees_private)]
