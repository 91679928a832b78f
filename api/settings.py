"""Settings, read in one place from ``HUBGRAPH_*`` environment variables.

Each setting is declared once below (name, default, cast, help); the CLI, the
README table and a docs test are driven from this table.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.sparql_client import RemoteOptions
from graph.uris import DEFAULT_BASE

__all__ = ["Setting", "SETTINGS", "Settings", "load_settings", "remote_options"]


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


def boolean(raw: str) -> bool:
    """A yes/no setting: 1, true, yes, on or 0, false, no, off (any case)."""
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "./hubgraph-data", str,
            "Where the graph lives: a folder for the embedded on-disk store, ':memory:', or a remote "
            "SPARQL 1.1 store as sparql+http://host:port/sparql (its query URL)."),
    Setting("store_update_url", "", str, "SPARQL Update URL of a remote store; empty: its query URL."),
    Setting("store_graph_url", "", str,
            "Graph Store Protocol URL of a remote store, for bulk uploads; empty: chunked INSERT DATA."),
    Setting("store_auth", "", str, "How to authenticate to a remote store: basic, digest or bearer; empty: not at all."),
    Setting("store_user", "", str, "User name for a remote store (basic and digest)."),
    Setting("store_password", "", str, "Password for a remote store (bearer: the token)."),
    Setting("store_timeout", 300.0, float, "Time limit of one request to a remote store, in seconds."),
    Setting("base_uri", DEFAULT_BASE, str,
            "Base of every minted IRI; the default dereferences on the default server address."),
    Setting("curation", "./curation.toml", str,
            "The curation file: manual merge/split/never decisions, opt-out and removal lists."),
    Setting("update_token", "", str,
            "Bearer token that enables SPARQL Update and Graph Store writes; empty: read-only."),
    Setting("private_token", "", str,
            "Bearer token that lets a caller see private fields (emails): in the JSON API and in SPARQL; "
            "empty: nobody sees them."),
    Setting("workers", 1, int,
            "Server processes; with more than one, each opens the embedded store read-only "
            "(SPARQL Update and Graph Store writes then need a remote store)."),
    Setting("query_timeout", 30.0, float, "Time limit of one SPARQL query, in seconds."),
    Setting("max_rows", 100_000, int, "Most result rows one SPARQL query may return."),
    Setting("service_allow", "", str,
            "Space-separated IRIs that SERVICE and LOAD may reach; empty: none."),
    Setting("cors_origins", "", str, "Space-separated origins allowed by CORS; empty: CORS off."),
    Setting("warm", True, boolean,
            "Build the search, dashboard and matchmaking caches in the background when the server starts."),
    Setting("max_body", 10_000_000, int, "Largest request body, in bytes (larger: 413)."),
    Setting("max_concurrent", 8, int,
            "Most SPARQL, Graph Store and dump requests served at once (more wait in a queue)."),
    Setting("queue_wait", 10.0, float,
            "Seconds a SPARQL, Graph Store or dump request waits for one of those places "
            "(then: 503 with Retry-After)."),
    Setting("max_queued", 64, int,
            "Most such requests waiting at once (more: 503 with Retry-After at once)."),
    Setting("response_cache_mb", 64, int,
            "MiB of answers to repeated GET requests kept until the next ingest (0: none)."),
    Setting("max_download", 1_000_000_000, int, "Largest response (dump, graph, query result), in bytes (larger: 413)."),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """The values of every setting."""

    store: str
    base_uri: str
    curation: str
    update_token: str = ""
    private_token: str = ""
    workers: int = 1
    query_timeout: float = 30.0
    max_rows: int = 100_000
    service_allow: str = ""
    cors_origins: str = ""
    store_update_url: str = ""
    store_graph_url: str = ""
    store_auth: str = ""
    store_user: str = ""
    store_password: str = ""
    store_timeout: float = 300.0
    max_body: int = 10_000_000
    max_concurrent: int = 8
    queue_wait: float = 10.0
    max_queued: int = 64
    max_download: int = 1_000_000_000
    response_cache_mb: int = 64
    warm: bool = True


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


def remote_options(settings: Settings) -> RemoteOptions:
    """How to reach a remote store (``HUBGRAPH_STORE=sparql+http://...``) besides its query URL."""
    return RemoteOptions(update_url=settings.store_update_url, graph_store_url=settings.store_graph_url,
                         auth=settings.store_auth, user=settings.store_user,
                         password=settings.store_password, timeout=settings.store_timeout)
