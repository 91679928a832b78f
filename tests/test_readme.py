"""The README's settings table lists every setting, with its default."""

from __future__ import annotations

from pathlib import Path

from api.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.env


def test_quick_start_is_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick and "make test" in quick
