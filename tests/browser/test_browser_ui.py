"""The web UI in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright
against ``hubgraph serve`` on 127.0.0.1, over the sample graph plus the hostile tables.

Without Chromium or Playwright these tests skip with the reason; with ``REQUIRE_BROWSER_TESTS=1``
(set by ``.ci/run``) a missing browser fails them instead. ``SCREENSHOTS_DIR`` names a folder
for a screenshot of each page kind.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import build_sample_store
from tests.ui_data import HOSTILE_TABLES

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _require() -> Any:
    """Playwright's sync API, or skip (fail when REQUIRE_BROWSER_TESTS=1)."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "the playwright package is not installed (pip install -e '.[test]')"
    if problem is None and not CHROMIUM:
        problem = "no chromium on PATH (Debian: apt-get install chromium)"
    if problem:
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(f"browser tests are required here, but {problem}")
        pytest.skip(problem)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 120) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - our own server on 127.0.0.1
        return bytes(r.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``hubgraph serve`` over the sample graph and the hostile tables, caches warmed."""
    _require()  # skip before the slow build when there is no browser
    from ingest.curation import PeopleLists
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    folder = tmp_path_factory.mktemp("browser")
    location = str(folder / "store")
    store = build_sample_store(location)
    ingest_files(store, CONVERTERS["table"](store), [HOSTILE_TABLES], people=PeopleLists())
    store.flush()
    del store
    port = _free_port()
    env = dict(os.environ, HUBGRAPH_STORE=location)
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-c", "from api.cli import main; main()", "serve", "--host",
                             "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base + "/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((folder / "server.log").read_text(errors="replace"))
                time.sleep(0.2)
        _get(base + "/partnership")  # whole-graph figures: computed once per store version
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


class Watch:
    """Console errors, page errors, dialogs and requests that would leave 127.0.0.1."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r: Any) -> None:
            if r.request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)

    def clean(self) -> None:
        assert self.errors == [] and self.outside == [] and self.dialogs == []


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    sync_playwright = _require()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    context.close()


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def wait_map(page: Any) -> dict[str, Any]:
    """Wait until the map has stabilised; its node count, and the share of drawn pixels."""
    page.wait_for_selector(".hg-map[data-state=stable]", timeout=30_000)
    page.wait_for_timeout(150)
    return page.evaluate("""() => {
        const m = window.hubgraphMaps[0];
        const canvas = m.root.querySelector("canvas");
        const ctx = canvas.getContext("2d");
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 0; i < data.length; i += 4 * 7) {
            if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) drawn++;
        }
        return {nodes: m.nodes.length, drawn: drawn / (data.length / 28), ms: m.stabilizedMs};
    }""")


PAGES = {
    "home": "/",
    "person": "/person/0000-0002-7729-1702",
    "organisation": "/org/ror-002pd6e78",
    "topic": "/topic/D000544",
    "paper": "/paper/37791598",
    "trial": "/trial/NCT05269394",
    "device": "/maps/pipeline/NCT02586688",
    "dashboard": "/partnership",
}


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_kind_loads_cleanly(server: str, page: Any, kind: str) -> None:
    page.goto(server + PAGES[kind])
    if page.query_selector(".hg-map"):
        assert wait_map(page)["drawn"] > 0.001
    assert page.query_selector("a.query-link") is not None
    shoot(page, kind)
    page.watch.clean()


MAPS = {"ego": "/maps/ego/0000-0002-7729-1702", "org": "/maps/org/002pd6e78", "topic": "/maps/topic/D000544",
        "partnership": "/maps/partnership", "pipeline": "/maps/pipeline"}


@pytest.mark.parametrize("kind", MAPS)
def test_each_map_draws_its_nodes(server: str, page: Any, kind: str) -> None:
    import json

    page.goto(server + MAPS[kind])
    drawn = wait_map(page)
    expected = json.loads(_get(server + MAPS[kind] + "?format=json"))
    assert drawn["nodes"] == len(expected["nodes"]) > 1
    assert drawn["drawn"] > 0.001, "the canvas is blank"
    shoot(page, f"map-{kind}")
    page.watch.clean()


def _node_point(page: Any, node_id: str) -> dict[str, float]:
    return page.evaluate("""(id) => {
        const m = window.hubgraphMaps[0];
        const p = m.network.canvasToDOM(m.network.getPositions([id])[id]);
        const box = m.root.querySelector(".hg-canvas").getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", node_id)


def test_clicking_a_node_opens_its_page(server: str, page: Any) -> None:
    page.goto(server + "/maps/org/002pd6e78")
    wait_map(page)
    target = page.evaluate("""() => window.hubgraphMaps[0].nodes.get().find(n => n.url && !n.focus).id""")
    point = _node_point(page, target)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(lambda url: "/maps/" not in url, timeout=15_000)
    assert page.url.startswith(server + "/org/")
    assert page.query_selector("h1") is not None
    page.watch.clean()


def test_year_filter_changes_the_map(server: str, page: Any) -> None:
    page.goto(server + "/maps/ego/0000-0002-7729-1702")
    wait_map(page)
    before = int(page.get_attribute(".hg-map", "data-visible"))
    last = page.get_attribute(".hg-year-to", "value")
    page.fill(".hg-year-from", last)
    page.dispatch_event(".hg-year-from", "input")
    after = int(page.get_attribute(".hg-map", "data-visible"))
    assert 0 < after < before
    page.watch.clean()


def test_expand_loads_neighbours(server: str, page: Any) -> None:
    page.goto(server + "/maps/ego/0000-0002-7729-1702")
    wait_map(page)
    page.check(".hg-click input[value=expand]")
    before = page.evaluate("window.hubgraphMaps[0].nodes.length")
    target = page.evaluate("""() => window.hubgraphMaps[0].nodes.get()
        .find(n => n.group === 'university' || n.group === 'hospital').id""")
    point = _node_point(page, target)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector(".hg-map[data-expanded]", timeout=15_000)
    assert page.evaluate("window.hubgraphMaps[0].nodes.length") > before
    page.watch.clean()


def test_search_suggests_as_you_type(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.click("#home-search")
    page.keyboard.type("Bateman", delay=60)
    page.wait_for_selector("section.hero ul.suggestions:not([hidden]) a", timeout=10_000)
    first = page.text_content("section.hero ul.suggestions a")
    assert "Bateman" in first
    shoot(page, "search")
    page.click("section.hero ul.suggestions a")
    page.wait_for_url("**/person/**")
    page.watch.clean()


@pytest.mark.parametrize("path", ["/person/local-ui-hostile-P1", "/person/local-ui-hostile-P2",
                                  "/org/local-ui-hostile-H-D", "/maps/ego/local-ui-hostile-P1",
                                  "/maps/partnership/local-ui-hostile-U"])
def test_markup_in_names_renders_as_text(server: str, page: Any, path: str) -> None:
    page.goto(server + path)
    if page.query_selector(".hg-map"):
        wait_map(page)
        labels = page.evaluate("window.hubgraphMaps[0].nodes.get().map(n => n.label)")
        assert any("<" in label for label in labels)
    page.click("input.search-input >> nth=0")
    page.keyboard.type("onerror", delay=40)
    page.wait_for_selector("ul.suggestions:not([hidden]) a", timeout=10_000)
    text = page.inner_text("body")
    assert "<script>alert(1)</script>" in text or "<img src=x onerror=alert(1)>" in text
    assert page.query_selector("img[src=x]") is None
    page.watch.clean()
