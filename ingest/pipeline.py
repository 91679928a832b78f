"""Ingest files into the store: hash, convert, then load each file as one source graph.

Every file is first converted to N-Triples in a scratch folder; only when all
files of a command converted does anything reach the store, and each file's graph
then replaces its previous version in one step. A file whose content is already
loaded is skipped. Bad records are skipped and reported; a file that cannot be
parsed at all stops the command with :class:`graph.errors.IngestError` and the
store unchanged.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from graph.build import GraphBuilder
from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.ontology import ensure_ontology
from graph.store import DerivedChange, PreparedSource, Store
from graph.summaries import maintain as maintain_summaries
from ingest.curation import PeopleLists
from ingest.resolve import Resolution, plan_resolution

__all__ = ["Converter", "FileReport", "Timings", "ingest_files", "sha256_path"]

T = TypeVar("T")


class Timings(dict[str, float]):
    """Seconds spent per stage (parse, resolve, affiliations, map, write)."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start

    def add(self, other: dict[str, float]) -> None:
        for name, seconds in other.items():
            self[name] = self.get(name, 0.0) + seconds


@dataclass
class FileReport:
    """What happened to one file: loaded, replaced or unchanged, with counts."""

    path: str
    kind: str
    status: str = "pending"
    records: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    triples: int = 0
    graph: str | None = None
    timings: Timings = field(default_factory=Timings)

    def summary(self) -> str:
        name = os.path.basename(self.path)
        if self.status == "unchanged":
            return f"{name}: unchanged (already loaded as {self.graph})"
        return (f"{name}: {self.status}, {self.records} records read, {self.triples} triples written, "
                f"{len(self.skipped)} skipped")


class Converter(ABC):
    """Turns one kind of source file into triples; one instance serves a whole command."""

    kind = ""
    #: Whether this kind's files hold person mentions (so resolution runs after them).
    has_people = False
    #: Whether this kind's files hold FDA devices (so resolution re-links trial devices after them).
    has_devices = False
    #: Whether this kind reads folders (of tables) rather than files.
    takes_folders = False

    def __init__(self, store: Store):
        self.store = store

    @abstractmethod
    def convert(self, path: Path, builder: GraphBuilder, report: FileReport,
                tick: Callable[[int], None]) -> None:
        """Write the file's triples with ``builder``, filling ``report``."""

    @staticmethod
    def usable(items: Iterable[T | SkippedRecord], source: str, report: FileReport,
               tick: Callable[[int], None]) -> Iterator[T]:
        """The records a parser yields, with parsing timed, skipped records reported and
        usable ones counted."""
        iterator = iter(items)
        while True:
            with report.timings.stage("parse"):
                item = next(iterator, None)
            if item is None:
                return
            tick(1)
            if isinstance(item, SkippedRecord):
                report.skipped.append(item.describe(source))
                continue
            report.records += 1
            yield item


def sha256_path(path: Path) -> str:
    """Hex sha256 of a file's bytes, or of a folder's files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode("utf-8") + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def ingest_files(
    store: Store, converter: Converter, paths: Sequence[str | os.PathLike[str]],
    progress: bool = False, people: PeopleLists | None = None, summaries: bool = True,
) -> list[FileReport]:
    """Ingest ``paths`` with ``converter``; return one report per file, in order. With
    ``summaries`` false the store's summaries are left stale for a later command (or the
    first reader) to refresh: for scripts that ingest many batches in a row.

    When a source with people changed, identity resolution runs over the new state
    and its result becomes visible in the same transaction as the new sources (its
    time is reported as the ``resolve`` stage of the first file).
    """
    ensure_ontology(store)
    store.repair()
    reports: list[FileReport] = []
    pending: list[tuple[FileReport, str, Path]] = []
    scratch_parent = store.location if os.path.isdir(store.location) else None
    with tempfile.TemporaryDirectory(prefix="ingest-", dir=scratch_parent) as scratch:
        for number, raw_path in enumerate(paths):
            path = Path(raw_path).resolve()
            report = FileReport(str(path), converter.kind)
            reports.append(report)
            if not (path.is_dir() if converter.takes_folders else path.is_file()):
                raise IngestError(str(raw_path), "no such folder" if converter.takes_folders else "no such file")
            sha = sha256_path(path)
            same_content, _ = store.find_source(converter.kind, str(path), sha)
            if same_content is not None:
                report.status, report.graph = "unchanged", same_content.graph
                report.records, report.triples = same_content.records, same_content.triples
                continue
            out = Path(scratch) / f"{number}.nt"
            _convert(converter, path, out, report, progress)
            pending.append((report, sha, out))
        prepared = [
            PreparedSource(converter.kind, report.path, sha, out, records=report.records,
                           skipped=len(report.skipped), triples=report.triples,
                           replaces=store.find_source(converter.kind, report.path, sha)[1],
                           private_data=_private_path(out) if _private_path(out).stat().st_size else None)
            for report, sha, out in pending
        ]
        if prepared:
            resolutions: list[Resolution] = []

            def resolve() -> DerivedChange | None:
                if not (converter.has_people or converter.has_devices):
                    return None
                resolutions.append(plan_resolution(store, people))
                return resolutions[0].change

            start = time.perf_counter()
            infos = store.load_sources(prepared, derive=resolve)
            if resolutions:
                store.remove_mentions(resolutions[0].removed_mentions)
                pending[0][0].timings["resolve"] = resolutions[0].report.seconds
            resolve_seconds = resolutions[0].report.seconds if resolutions else 0.0
            share = (time.perf_counter() - start - resolve_seconds) / sum(max(p.triples, 1) for p in prepared)
            for (report, _, _), item, info in zip(pending, prepared, infos):
                report.timings["write"] = share * max(item.triples, 1)
                report.status = "replaced" if item.replaces else "loaded"
                report.graph = info.graph
            if summaries:
                maintain_summaries(store)
    store.flush()
    return reports


def _private_path(out: Path) -> Path:
    return out.with_suffix(".private.nt")


def _convert(converter: Converter, path: Path, out: Path, report: FileReport, progress: bool) -> None:
    from tqdm import tqdm

    with open(out, "w", encoding="utf-8", buffering=1 << 20) as handle, \
            open(_private_path(out), "w", encoding="utf-8") as private, tqdm(
        desc=path.name, unit=" records", disable=not progress, leave=False, mininterval=0.5,
    ) as bar:
        builder = GraphBuilder(converter.store.minter, handle, private)
        try:
            converter.convert(path, builder, report, bar.update)
        except RecursionError as exc:  # what the json module raises on very deep nesting
            raise IngestError(str(path), "nested too deeply to read (thousands of levels of "
                                         "JSON arrays or objects)") from exc
        report.triples = builder.triples
