"""Shared needs of the routes, as FastAPI dependencies (swap them in tests with
``app.dependency_overrides``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from graph.store import Store

__all__ = ["get_store", "get_settings", "StoreDep", "SettingsDep"]


def get_store(request: Request) -> Store:
    """The store the app was built with."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
