"""Settings, read in one place from ``HUBGRAPH_*`` environment variables.

Each setting is declared once below (name, default, cast, help); the CLI, the
README table and a docs test are driven from this table.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.uris import DEFAULT_BASE

__all__ = ["Setting", "SETTINGS", "Settings", "load_settings"]


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its environment variable is ``HUBGRAPH_<NAME>``."""

    name: str
    default: Any
    cast: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return f"HUBGRAPH_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "./hubgraph-data", str,
            "Where the graph lives: a folder for the embedded on-disk store, or ':memory:'."),
    Setting("base_uri", DEFAULT_BASE, str,
            "Base of every minted IRI; the default dereferences on the default server address."),
    Setting("curation", "./curation.toml", str,
            "The curation file: manual merge/split/never decisions, opt-out and removal lists."),
    Setting("update_token", "", str,
            "Bearer token that enables SPARQL Update and Graph Store writes; empty: read-only."),
    Setting("query_timeout", 30.0, float, "Time limit of one SPARQL query, in seconds."),
    Setting("max_rows", 100_000, int, "Most result rows one SPARQL query may return."),
    Setting("service_allow", "", str,
            "Space-separated IRIs that SERVICE and LOAD may reach; empty: none."),
    Setting("cors_origins", "", str, "Space-separated origins allowed by CORS; empty: CORS off."),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """The values of every setting."""

    store: str
    base_uri: str
    curation: str
    update_token: str = ""
    query_timeout: float = 30.0
    max_rows: int = 100_000
    service_allow: str = ""
    cors_origins: str = ""


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``environ`` (default: the process environment), then ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env)
        if raw is None:
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.cast(raw)
        except ValueError as exc:
            raise ValueError(
                f"Setting {setting.env} has value '{raw}', not a valid {setting.cast.__name__}."
            ) from exc
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
