"""Maps as HTML: a fragment for the app's pages (scripts served by the app) and a standalone
file for the CLI (every script inlined, so it opens from disk with no network).

The vis-network script is the copy bundled in the pyvis package; the templates are ours
(pyvis's own load Bootstrap and vis-network from a CDN). Every label and fact travels as
JSON inside a ``<script type="application/json">`` block (``<``, ``>``, ``&`` and ``'``
escaped) and is drawn on the canvas or written with ``textContent``, never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from viz.model import NetworkMap, to_data

__all__ = ["ASSETS", "asset", "vis_script_path", "render_fragment", "render_file"]

HERE = Path(__file__).resolve().parent
#: Files the app serves for map pages (and this module inlines into standalone files).
ASSETS = ("vis-network.min.js", "map.js", "map.css")

_SCRIPT_END = re.compile(r"</(?=script|style)", re.IGNORECASE)
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))


def vis_script_path() -> Path:
    """The vis-network script bundled with pyvis."""
    return Path(str(files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"))


@cache
def asset(name: str) -> str:
    """The text of one of :data:`ASSETS`."""
    if name not in ASSETS:
        raise KeyError(f"no map asset named '{name}'; known: {', '.join(ASSETS)}")
    path = vis_script_path() if name == "vis-network.min.js" else HERE / "assets" / name
    return path.read_text(encoding="utf-8")


def _no_link(_: str) -> None:
    return None


def render_fragment(network: NetworkMap, link: Callable[[str], str | None] = _no_link,
                    expand_url: str | None = None) -> Markup:
    """The map's markup and data, for a page that loads ``map.js`` and vis-network itself."""
    return Markup(_env.get_template("fragment.html").render(
        data=to_data(network, link), expand_url=expand_url))


def render_file(network: NetworkMap, link: Callable[[str], str | None] = _no_link) -> str:
    """A standalone HTML document with the map and every script inlined (works offline)."""
    inline = {name: Markup(_SCRIPT_END.sub(r"<\\/", asset(name))) for name in ASSETS}
    return _env.get_template("file.html").render(
        title=network.title, fragment=render_fragment(network, link), assets=inline)
