"""hubgraph backup and restore: an online, consistent copy of the on-disk store that
restores into an empty folder with exactly the same quads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import StoreError
from graph.store import Store
from tests.support import DATA, ROOT

CLI = [sys.executable, "-c", "from api.cli import main; main()"]


def hubgraph(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--store", str(store), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def quads(location: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(location)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("backup") / "store"
    for kind, path in (("ror", DATA / "ror" / "ror_v2_sample.json"), ("pubmed", DATA / "pubmed" / "pubmed_0_to_99.xml.gz")):
        assert hubgraph(store, "ingest", kind, str(path), "--no-progress").returncode == 0
    return store


def test_backup_while_the_store_is_in_use_restores_to_the_same_quads(built: Path, tmp_path: Path) -> None:
    writer = Store.open(str(built))  # held open, as a server holds it
    try:
        done = hubgraph(built, "backup", str(tmp_path / "copy"))
    finally:
        del writer
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stdout
    restored = tmp_path / "restored"
    done = hubgraph(restored, "restore", str(tmp_path / "copy"))
    assert done.returncode == 0, done.stderr
    assert quads(restored) == quads(built)
    stats = hubgraph(restored, "stats", "--json")
    assert stats.returncode == 0 and '"paper": 91' in stats.stdout


def test_restore_never_overwrites_a_store(built: Path, tmp_path: Path) -> None:
    assert hubgraph(built, "backup", str(tmp_path / "copy")).returncode == 0
    done = hubgraph(built, "restore", str(tmp_path / "copy"))
    assert done.returncode == 1 and "is not empty" in done.stderr


def test_backup_refuses_an_existing_folder_and_a_memory_store(built: Path, tmp_path: Path) -> None:
    done = hubgraph(built, "backup", str(tmp_path))
    assert done.returncode == 1 and "exists already" in done.stderr
    with pytest.raises(StoreError, match="in-memory store has no backup"):
        Store.open().backup(str(tmp_path / "m"))


def test_restore_refuses_what_is_not_a_hubgraph_backup(tmp_path: Path) -> None:
    plain = ox.Store(str(tmp_path / "plain"))
    plain.flush()
    del plain
    done = hubgraph(tmp_path / "new", "restore", str(tmp_path / "plain"))
    assert done.returncode == 1 and "not a hubgraph one" in done.stderr
