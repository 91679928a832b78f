"""``hubgraph map KIND [ID] -o FILE``: standalone map files that open offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import cli
from tests.support import open_location
from tests.ui_data import build_hostile_store


@pytest.fixture(scope="module")
def store_dir(cli_store: str) -> str:
    build_hostile_store(open_location(cli_store)).flush()
    return cli_store


def map_data(html: str) -> dict:
    block = re.search(r'<script type="application/json" class="hg-map-data">(.*?)</script>', html, re.S)
    assert block
    return json.loads(block.group(1))


@pytest.mark.parametrize("args", [["ego", "local-ui-hostile-P1"], ["ego", "0000-0002-1825-0097", "--depth", "2"],
                                  ["org", "local-ui-hostile-H"], ["partnership"], ["partnership", "local-ui-hostile-U"],
                                  ["pipeline"]])
def test_map_files_open_offline(store_dir: str, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "map", *args, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.IGNORECASE)
    assert "vis-network" in html and "hubgraphMaps" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    data = map_data(html)
    assert f"wrote {out}: {len(data['nodes'])} nodes, {len(data['edges'])} edges" in result.output
    for node in data["nodes"]:
        assert node.get("url", "http").startswith("http")  # pages of the IRIs themselves


def test_ego_file_has_the_person_and_coauthors(store_dir: str, tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    CliRunner().invoke(cli, ["--store", str(store_dir), "map", "ego", "local-ui-hostile-P1", "-o", str(out)],
                       catch_exceptions=False)
    labels = {n["label"] for n in map_data(out.read_text(encoding="utf-8"))["nodes"]}
    assert {"<script>alert(1)</script> Smith", "<img src=x onerror=alert(1)> Jones", "Ada Lovelace"} <= labels


def test_errors_name_the_problem(store_dir: str, tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["--store", str(store_dir), "map", "ego", "-o", str(tmp_path / "x.html")])
    assert missing.exit_code == 2 and "the ego map needs the ID of a person" in missing.output
    unknown = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "--store", str(store_dir),
                              "map", "org", "nowhere", "-o", str(tmp_path / "x.html")],
                             capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert unknown.returncode == 1 and "no organization is known as 'nowhere'" in unknown.stderr
    assert not (tmp_path / "x.html").exists()
