"""The graph store: source graphs with provenance, and queries over their union.

Each ingested file lives in its own named graph, described in the provenance graph
(source kind, file name, sha256, record count, time, hubgraph version). Queries
see, as their default graph, the union of the active source graphs, the provenance
graph and the store's own default graph; graphs that clients write themselves keep
standard SPARQL behaviour (reachable with ``GRAPH``, not merged).

Oxigraph evaluates a multi-graph default graph as a multiset, and a pattern over
several graphs costs one index lookup per graph, so the default graph is kept
materialised in one graph (``graph/union``: the active sources, the resolution graph
and the provenance graph) and maintained on every load, removal and derived-graph
change; a crash while it is being changed leaves a marker that makes the next writer
rebuild it. The store default graph joins it only when clients wrote to it.

Readers never see half a change, and a writer killed at any point leaves the old state
or the new one: there are two union graphs, ``graph/union`` and ``graph/union-b``, and
a pointer in the hidden graph ``graph/state`` says which one queries read. A writer
loads new source graphs and brings the spare union up to the new state with the bulk
loader (nothing readers see), then one transaction applies the change to the provenance
and derived graphs and moves the pointer; the change is then replayed on the previous
union, which becomes the spare. A query that raced a switch runs again.

Backends: embedded on-disk Oxigraph (the default) and in-memory Oxigraph (tests),
both through :class:`Store`, and any SPARQL 1.1 server (``sparql+http://...``) through
:class:`graph.store_remote.RemoteStore`.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from graph import ntriples as nt
from graph.errors import BadQuery, StoreError
from graph.namespaces import DCTERMS, HG, PREFIXES, PROV, RDF, RDFS, XSD
from graph.sparql_client import inline_bindings
from graph.uris import DEFAULT_BASE, Minter, slug

if TYPE_CHECKING:
    from graph.sparql_client import RemoteOptions

__all__ = ["Store", "SourceInfo", "PreparedSource", "DerivedChange", "MEMORY", "VERSION"]

MEMORY = ":memory:"
#: Additions to a derived graph larger than this go through the bulk loader.
BULK_THRESHOLD = 50_000
#: Tries of a backup whose source files a writing process compacted away meanwhile.
BACKUP_ATTEMPTS = 3
VERSION = "0.1.0"
_LIVE_UNION = ox.NamedNode(f"{HG}liveUnion")
_STALE = ox.NamedNode(f"{HG}unionStale")

_SOURCES_QUERY = f"""
SELECT ?g ?kind ?path ?name ?sha ?records ?skipped ?triples ?at ?software WHERE {{
  GRAPH ?prov {{
    ?g a <{HG}SourceGraph> ; <{HG}sourceKind> ?kind ; <{HG}sourcePath> ?path ;
       <{DCTERMS}source> ?name ; <{HG}sha256> ?sha ; <{HG}recordCount> ?records ;
       <{HG}skippedCount> ?skipped ; <{HG}tripleCount> ?triples ;
       <{PROV}generatedAtTime> ?at ; <{HG}softwareVersion> ?software .
  }}
}} ORDER BY ?kind ?name
"""


@dataclass(frozen=True, slots=True)
class PreparedSource:
    """A source file converted to N-Triples (``data``), ready to load."""

    kind: str
    path: str
    sha256: str
    data: Path
    records: int
    skipped: int
    triples: int
    replaces: SourceInfo | None = None
    private_data: Path | None = None


@dataclass(frozen=True, slots=True)
class DerivedChange:
    """A difference to apply to a derived graph (the resolution graph), with the N-Triples
    lines that describe the graph in the provenance graph."""

    graph: ox.NamedNode
    remove: set[ox.Triple]
    add: set[ox.Triple]
    description: list[str]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One ingested file, as its provenance records it."""

    graph: str
    kind: str
    path: str
    name: str
    sha256: str
    records: int
    skipped: int
    triples: int
    loaded_at: str
    software: str

    def as_dict(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in self.__slots__}


_INTEGERS = frozenset(f"{XSD}{t}" for t in ("integer", "long", "int"))
_FLOATS = frozenset(f"{XSD}{t}" for t in ("decimal", "double", "float"))
_BOOLEAN = f"{XSD}boolean"


def _python(term: Any) -> Any:
    """A query result term as a plain Python value (IRIs and literals as str, numbers as int/float)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in _INTEGERS:
            return int(term.value)
        if dt in _FLOATS:
            return float(term.value)
        if dt == _BOOLEAN:
            return term.value == "true"
        return term.value
    return term.value


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, where the C library has one."""
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def _release_freed_memory() -> None:
    """Hand the memory a finished query freed back to the system: glibc keeps it otherwise
    (gigabytes, after the hash joins of a large read)."""
    if _TRIM is not None:
        _TRIM(0)


def _dicts(result: Any) -> Iterator[dict[str, Any]]:
    """The rows of a SELECT result as dicts of plain Python values."""
    names = [v.value for v in result.variables]
    for row in result:
        yield {name: _python(row[name]) for name in names}


class Store:
    """A hubgraph store over one Oxigraph store (on disk or in memory)."""

    def __init__(self, ox_store: ox.Store, location: str, base: str = DEFAULT_BASE, read_only: bool = False):
        self.ox = ox_store
        self.location = location
        self.minter = Minter(base)
        self._unions = (ox.NamedNode(self.minter.graph("union")), ox.NamedNode(self.minter.graph("union-b")))
        self._state = ox.NamedNode(self.minter.graph("state"))
        self._reading = threading.local()
        self.provenance = ox.NamedNode(self.minter.graph("provenance"))
        self.resolution = ox.NamedNode(self.minter.graph("resolution"))
        #: Summaries derived after each ingest (graph.summaries): internal, like the union.
        self.summaries = ox.NamedNode(self.minter.graph("summaries"))
        self._graph_prefix = self.minter.graph("")
        self._private_prefix = self.minter.graph("private/")
        self._meta = ox.NamedNode(self.minter.graph("") + "store")
        self._active: tuple[str, set[str]] | None = None
        #: A read-only opener never sees later writes, so what each query asks about the
        #: store's graphs is read once (they cost several lookups a query).
        self._fixed: dict[str, Any] | None = {} if read_only else None

    def _once(self, name: str, read: Callable[[], Any]) -> Any:
        """``read()``, kept after the first call on a store opened read-only."""
        if self._fixed is None:
            return read()
        if name not in self._fixed:
            self._fixed[name] = read()
        return self._fixed[name]

    @property
    def union(self) -> ox.NamedNode:
        """The union graph queries read now (inside a write, the one being prepared)."""
        pinned: ox.NamedNode | None = getattr(self._reading, "union", None)
        return pinned or self._live_union() or self._unions[0]

    def _live_union(self) -> ox.NamedNode | None:
        return self._once("union", self._read_live_union)

    def _read_live_union(self) -> ox.NamedNode | None:
        for quad in self.ox.quads_for_pattern(self._meta, _LIVE_UNION, None, self._state):
            return quad.object  # type: ignore[return-value]
        return None

    def _consistent(self, run: Callable[[], Any]) -> Any:
        """``run()``, run again when a writer switched unions meanwhile: the snapshot a query
        reads and the union it names then belong to the same state."""
        while True:
            live = self.union
            result = run()
            if self.union == live:
                return result

    @classmethod
    def open(cls, location: str = MEMORY, base: str = DEFAULT_BASE, read_only: bool = False,
             remote: RemoteOptions | None = None) -> Store:
        """Open (creating if needed) the store at ``location``, or in memory for ``:memory:``,
        or the remote store at ``sparql+http(s)://...`` (reached with ``remote``)."""
        if location.startswith(("sparql+http://", "sparql+https://")):
            from graph.store_remote import RemoteStore

            return RemoteStore.connect(location, base, remote)
        if location == MEMORY:
            return cls(ox.Store(), MEMORY, base)
        try:
            if read_only:
                return cls(ox.Store.read_only(location), location, base, read_only=True)
            Path(location).mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(location), location, base)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the store at '{location}' is in use by another process "
                    f"(stop the other hubgraph command or server, or set HUBGRAPH_STORE): {exc}"
                ) from exc
            raise StoreError(f"cannot open the store at '{location}': {exc}") from exc

    # -- reading ----------------------------------------------------------------

    def sources(self) -> list[SourceInfo]:
        """Every active source graph, by kind and file name."""
        rows = self.ox.query(_SOURCES_QUERY, default_graph=self.provenance,
                             named_graphs=[self.provenance])
        return [
            SourceInfo(
                graph=r["g"].value, kind=r["kind"].value, path=r["path"].value,
                name=r["name"].value, sha256=r["sha"].value, records=int(r["records"].value),
                skipped=int(r["skipped"].value), triples=int(r["triples"].value),
                loaded_at=r["at"].value, software=r["software"].value,
            )
            for r in rows
        ]

    def version(self) -> str:
        """A token that changes whenever the store's content changes."""
        return self._once("version", self._read_version)

    def _read_version(self) -> str:
        for quad in self.ox.quads_for_pattern(self._meta, ox.NamedNode(f"{HG}storeVersion"), None, self.provenance):
            return str(quad.object.value)
        return "empty"

    def named_graphs(self) -> list[ox.NamedNode]:
        """Graphs a query may name with GRAPH: active sources, resolution, provenance and
        client graphs; never the union or a private graph."""
        return list(self._once("named", self._read_named_graphs))

    def _read_named_graphs(self) -> list[ox.NamedNode]:
        active = self._active_graphs() | {self.provenance.value, self.resolution.value}
        return [
            g for g in self.ox.named_graphs()
            if isinstance(g, ox.NamedNode)
            and (g.value in active or not g.value.startswith(self._graph_prefix))
        ]

    def _active_graphs(self) -> set[str]:
        """The active source graphs' IRIs, cached per store version (read on every query)."""
        version, cached = self.version(), self._active
        if cached is None or cached[0] != version:
            cached = self._active = (version, {s.graph for s in self.sources()})
        return cached[1]

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None, private: bool = False) -> Any:
        """Run a SPARQL query over the union default graph, with the private graphs added
        to it when ``private``; return Oxigraph's result."""
        sparql, subs = _bound(sparql, substitutions)
        shown = self.private_graphs() if private else []
        try:
            return self._consistent(lambda: self.ox.query(
                sparql,
                default_graph=self._default_graphs() + shown,
                named_graphs=self.named_graphs() + shown,
                substitutions=subs,
            ))
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def _default_graphs(self) -> list[Any]:
        """The graphs the default graph is made of: the materialised union (the resolution
        and provenance graphs apart in a store built before they joined it), and the store
        default graph when clients wrote to it."""
        return list(self._once("default", self._read_default_graphs))

    def _read_default_graphs(self) -> list[Any]:
        graphs: list[Any] = [self.union] if self._union_complete() else [self.union, self.resolution, self.provenance]
        if any(True for _ in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())):
            graphs.append(ox.DefaultGraph())
        return graphs

    def _union_complete(self) -> bool:
        """Whether the union holds the provenance (and resolution) graph: its store version."""
        meta = (self._meta, ox.NamedNode(f"{HG}storeVersion"), None)
        return (any(True for _ in self.ox.quads_for_pattern(*meta, self.union))
                or not any(True for _ in self.ox.quads_for_pattern(*meta, self.provenance)))

    def select(self, sparql: str, *, private: bool = False, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of plain Python values (``private``: see :meth:`query`)."""
        return list(_dicts(self.query(sparql, bindings or None, private)))

    def rows(self, sparql: str, *, private: bool = False, **bindings: Any) -> Iterator[dict[str, Any]]:
        """:meth:`select` one row at a time, for reads too large to hold as a list of dicts."""
        yield from _dicts(self.query(sparql, bindings or None, private))
        _release_freed_memory()

    def select_in(self, graph: ox.NamedNode, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT over one of hubgraph's internal graphs (such as the summaries)
        as the default graph, as dicts of plain Python values."""
        sparql, subs = _bound(sparql, bindings)
        current = self._current_internal(graph) or graph
        return list(_dicts(self.ox.query(sparql, default_graph=current, named_graphs=[], substitutions=subs)))

    def replace_internal(self, graph: ox.NamedNode, data: Path) -> None:
        """Replace the content of an internal derived graph (such as the summaries) with an
        N-Triples file. The data is bulk loaded into a fresh graph ``{graph}/{uuid}`` that one
        small update then makes current, so readers (:meth:`select_in`) see the old content
        or the new, never a mix; versions older than the previous one are dropped."""
        fresh = ox.NamedNode(f"{graph.value}/{uuid.uuid4().hex}")
        self.ox.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=fresh)
        previous = self._current_internal(graph)
        pointer = f"{graph} <{DCTERMS}hasVersion>"
        self.ox.update(f"DELETE WHERE {{ GRAPH {graph} {{ {pointer} ?v }} }} ;"
                       f"INSERT DATA {{ GRAPH {graph} {{ {pointer} {fresh} }} }}")
        for g in list(self.ox.named_graphs()):
            if getattr(g, "value", "").startswith(graph.value + "/") and g not in (fresh, previous):
                self.ox.remove_graph(g)

    def _current_internal(self, graph: ox.NamedNode) -> Any:
        """The graph holding the current content of an internal derived graph, if any."""
        for quad in self.ox.quads_for_pattern(graph, ox.NamedNode(f"{DCTERMS}hasVersion"), None, graph):
            return quad.object
        return None

    def triple_count(self) -> int:
        """Distinct triples in the default graph (the union of sources and provenance)."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"])

    # -- writing ----------------------------------------------------------------

    def find_source(self, kind: str, path: str, sha256: str) -> tuple[SourceInfo | None, SourceInfo | None]:
        """The source with the same content (already loaded) and the one with the same path."""
        same_content = same_path = None
        for source in self.sources():
            if source.kind != kind:
                continue
            if source.sha256 == sha256:
                same_content = source
            if source.path == path:
                same_path = source
        return same_content, same_path

    def _source_infos(self, prepared: Sequence[PreparedSource]) -> list[SourceInfo]:
        """The provenance records of prepared sources about to be loaded now."""
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            SourceInfo(
                graph=self.minter.graph(f"{slug(p.kind)}/{slug(os.path.basename(p.path), 60)}-{p.sha256[:12]}"),
                kind=p.kind, path=p.path, name=os.path.basename(p.path), sha256=p.sha256,
                records=p.records, skipped=p.skipped, triples=p.triples, loaded_at=now,
                software=f"hubgraph {VERSION}",
            )
            for p in prepared
        ]

    def load_sources(self, prepared: Sequence[PreparedSource],
                     derive: Callable[[], DerivedChange | None] | None = None) -> list[SourceInfo]:
        """Load prepared N-Triples files, each as the graph of one source, atomically.

        The bulk loader writes every file into its own graph and into the spare union;
        ``derive`` computes its change (identity resolution) from that new state; then one
        transaction retires the graphs they replace, applies the change and switches
        readers to the new state. If anything fails the store is left as it was.
        """
        self._drop_stale_graphs()
        infos = self._source_infos(prepared)
        graphs = [ox.NamedNode(info.graph) for info in infos]
        replaced = [p.replaces for p in prepared if p.replaces is not None]
        try:
            for p, g in zip(prepared, graphs):
                self.ox.bulk_load(path=str(p.data), format=ox.RdfFormat.N_TRIPLES, to_graph=g)
                if p.private_data is not None:
                    self.ox.bulk_load(path=str(p.private_data), format=ox.RdfFormat.N_TRIPLES,
                                      to_graph=self.private_graph(g.value))
            finish = self._publish(infos, replaced, [p.data for p in prepared], derive)
        except BaseException as exc:
            for graph in graphs:
                self.ox.remove_graph(graph)
                self.ox.remove_graph(self.private_graph(graph.value))
            if isinstance(exc, (OSError, SyntaxError, ValueError)):
                names = ", ".join(info.name for info in infos)
                raise StoreError(f"loading {names} into the store failed: {exc}") from exc
            raise
        finish()
        for old in replaced:
            self.ox.remove_graph(ox.NamedNode(old.graph))
            self.ox.remove_graph(self.private_graph(old.graph))
        return infos

    def _publish(self, new: Sequence[SourceInfo], old: Sequence[SourceInfo], files: Sequence[Path],
                 derive: Callable[[], DerivedChange | None] | None) -> Callable[[], None]:
        """Make a change visible in one step: sources ``new`` (already in their graphs, their
        data in ``files``) in, ``old`` out, and the change ``derive`` computes on that state.

        The spare union is brought up to the new state first (invisible to readers); one
        transaction then changes the provenance and derived graphs and points readers at
        it. The function returned brings the previous union up to the same state, making it
        the spare. A crash before the switch leaves the old state, after it the new one;
        a spare left behind is rebuilt by the next writer.
        """
        live, spare = self._ready_unions()
        new_graphs = [ox.NamedNode(i.graph) for i in new]
        version = uuid.uuid4().hex
        self._set_union_dirty(True)
        self._merge(spare, files, old, keep=new_graphs)
        self._reading.union = spare
        try:
            change = derive() if derive is not None else None
        finally:
            self._reading.union = None
        ops = self._derived_parts(change, spare, own=True) if change is not None else []
        ops.append(self._provenance_update(new, old, spare, version, own=True))
        ops.append(f"DELETE WHERE {{ GRAPH {self._state} {{ {self._meta} {_LIVE_UNION} ?u }} }} ;"
                   f"INSERT DATA {{ GRAPH {self._state} {{ {self._meta} {_LIVE_UNION} {spare} }} }}")
        self.ox.update("\n".join(ops))

        def finish() -> None:
            self._merge(live, files, old, keep=[])
            ops = self._derived_parts(change, live, own=False) if change is not None else []
            ops.append(self._provenance_update(new, old, live, version, own=False))
            self.ox.update("\n".join(ops))
            self._set_union_dirty(False)
        return finish

    def _merge(self, union: ox.NamedNode, files: Sequence[Path], old: Sequence[SourceInfo],
               keep: list[ox.NamedNode]) -> None:
        """Add the triples of N-Triples ``files`` to ``union`` and delete those only ``old``
        sources held (bulk loads and one update each: only for a union readers do not see)."""
        for data in files:
            self.ox.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=union)
        for source in old:
            self._unmerge(ox.NamedNode(source.graph), keep, union)

    def _ready_unions(self) -> tuple[ox.NamedNode, ox.NamedNode]:
        """(the union readers see, the spare), the spare first rebuilt as a copy of the
        other when it is not known to be in step (after a crash, or in an older store)."""
        live = self._live_union()
        current = live or self._unions[0]
        spare = self._unions[1] if current == self._unions[0] else self._unions[0]
        if live is None or self._union_dirty():
            self.ox.remove_graph(spare)
            self.ox.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, spare)
                                for q in self.ox.quads_for_pattern(None, None, None, current))
            self.ox.update(f"DELETE WHERE {{ GRAPH {self._state} {{ ?s ?p ?o }} }} ;"
                           f"INSERT DATA {{ GRAPH {self._state} {{ {self._meta} {_LIVE_UNION} {current} }} }}")
        return current, spare

    def private_graph(self, source_graph: str) -> ox.NamedNode:
        """The private companion of a source graph (emails and other private fields): never
        in the default graph, never reachable with GRAPH, never dumped."""
        return ox.NamedNode(source_graph.replace(self._graph_prefix, self._private_prefix, 1))

    def remove_source(self, graph: str) -> SourceInfo:
        """Remove one source graph and its provenance, in one step for readers."""
        match = [s for s in self.sources() if s.graph == graph]
        if not match:
            raise StoreError(f"no ingested source has the graph <{graph}>; see 'hubgraph sources'")
        self._publish([], match, [], None)()
        self.ox.remove_graph(ox.NamedNode(graph))
        self.ox.remove_graph(self.private_graph(graph))
        return match[0]

    def update_derived(self, change: DerivedChange) -> None:
        """Apply a change to a derived graph (such as the resolution graph) with its
        provenance description and a new store version, in one step for readers."""
        self._publish([], [], [], lambda: change)()

    def _derived_parts(self, change: DerivedChange, union: ox.NamedNode, own: bool) -> list[str]:
        """SPARQL Update operations (each ending in ';') for a derived-graph change in
        ``union`` (``own``: in the derived graph and its provenance record too).

        A derived graph shares no triple with a source graph. A large addition to a union
        (which readers do not see yet) is bulk loaded right away instead.
        """
        g = str(change.graph)
        parts = []
        bulk = len(change.add) > BULK_THRESHOLD
        if bulk:
            data = "".join(f"{t} .\n" for t in change.add).encode("utf-8")
            self.ox.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=union)
        provs = [union, self.provenance] if own else [union]
        for prov in provs:
            parts.append(f"DELETE WHERE {{ GRAPH {prov} {{ {g} ?p ?o }} }} ;")
        for target in ([union, change.graph] if own else [union]):
            if change.remove:
                parts.append(f"DELETE DATA {{ GRAPH {target} {{ {' . '.join(map(str, change.remove))} }} }} ;")
            if change.add and not (bulk and target == union):
                parts.append(f"INSERT DATA {{ GRAPH {target} {{ {' . '.join(map(str, change.add))} }} }} ;")
        for prov in provs:
            parts.append(f"INSERT DATA {{ GRAPH {prov} {{ {' '.join(change.description)} }} }} ;")
        return parts

    def remove_mentions(self, mentions: Sequence[str]) -> None:
        """Delete the mentions of removed people (and their memberships) from every source
        graph and the union, so that no output shows them; resolution re-applies this after
        every ingest, so they stay removed."""
        if not mentions:
            return
        nodes = [*mentions, *(f"{m}/membership" for m in mentions)]
        values = " ".join(nt.iri(m) for m in nodes)
        self.ox.update(
            f"DELETE {{ GRAPH ?g {{ ?m ?p ?o }} }} WHERE {{ VALUES ?m {{ {values} }} GRAPH ?g {{ ?m ?p ?o }} }} ;"
            f"DELETE {{ GRAPH ?g {{ ?s ?p ?m }} }} WHERE {{ VALUES ?m {{ {values} }} GRAPH ?g {{ ?s ?p ?m }} }}"
        )

    def graph_triples(self, graph: ox.NamedNode) -> set[ox.Triple]:
        """Every triple of one named graph."""
        return {ox.Triple(q.subject, q.predicate, q.object)
                for q in self.ox.quads_for_pattern(None, None, None, graph)}

    def rebuild_union(self) -> None:
        """Recompute the union from the active source graphs, the resolution graph and the
        provenance graph (into the spare, which then becomes the union readers see)."""
        self._drop_stale_graphs()
        current = self.union
        spare = self._unions[1] if current == self._unions[0] else self._unions[0]
        self._set_union_dirty(True)
        self.ox.remove_graph(spare)
        for graph in [s.graph for s in self.sources()] + [self.resolution.value, self.provenance.value]:
            self.ox.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, spare)
                                for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        self.ox.update(f"DELETE WHERE {{ GRAPH {self._state} {{ {self._meta} {_LIVE_UNION} ?u }} }} ;"
                       f"INSERT DATA {{ GRAPH {self._state} {{ {self._meta} {_LIVE_UNION} {spare} }} }}")

    def repair(self) -> None:
        """Finish or undo what an interrupted writer left behind."""
        if not self._union_complete():
            self.rebuild_union()
        self._drop_stale_graphs()
        self._ready_unions()

    def _unmerge(self, graph: ox.NamedNode, keep: list[ox.NamedNode], union: ox.NamedNode) -> None:
        """Delete from ``union`` the triples of ``graph`` that no other active graph holds."""
        others = [ox.NamedNode(s.graph) for s in self.sources() if s.graph != graph.value] + keep
        others += [self.resolution, self.provenance]
        values = " ".join(str(g) for g in others)
        guard = (
            f"FILTER NOT EXISTS {{ VALUES ?other {{ {values} }} GRAPH ?other {{ ?s ?p ?o }} }}"
            if others else ""
        )
        self.ox.update(
            f"DELETE {{ GRAPH {union} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} {guard} }}"
        )

    def _drop_stale_graphs(self) -> None:
        """Drop source graphs (and private companions) that no provenance record names:
        what a failed or interrupted load left behind."""
        keep = self._kept_graphs()
        for g in list(self.ox.named_graphs()):
            value = getattr(g, "value", "")
            if value.startswith(self._graph_prefix) and value not in keep \
                    and not value.startswith(self.summaries.value + "/"):
                self.ox.remove_graph(g)

    def _kept_graphs(self) -> set[str]:
        """hubgraph's own graphs in use: active sources, their private companions, and the
        union, provenance, resolution and summaries graphs."""
        active = {s.graph for s in self.sources()}
        keep = active | {self.private_graph(g).value for g in active}
        return keep | self._internal() | {self.provenance.value, self.resolution.value, self.summaries.value}

    def _internal(self) -> set[str]:
        """The graphs only the store itself reads: both unions and the state graph."""
        return {self._unions[0].value, self._unions[1].value, self._state.value}

    def _union_dirty(self) -> bool:
        """Whether the spare union may differ from the one readers see."""
        return any(True for _ in self.ox.quads_for_pattern(self._meta, _STALE, None, self._state))

    def _set_union_dirty(self, dirty: bool) -> None:
        verb = "INSERT DATA" if dirty else "DELETE DATA"
        self.ox.update(f"{verb} {{ GRAPH {self._state} {{ {self._meta} {_STALE} {nt.boolean(True)} }} }}")

    def _provenance_update(self, new: Sequence[SourceInfo], old: Sequence[SourceInfo],
                           union: ox.NamedNode, version: str, own: bool) -> str:
        """One SPARQL update that swaps provenance records and sets the store version in
        ``union`` (``own``: in the provenance graph too)."""
        triples = [f"{self._meta} <{HG}storeVersion> {nt.lit(version)} ."]
        for info in new:
            triples.extend(self._provenance_triples(info))
        parts = []
        for prov in ((self.provenance, union) if own else (union,)):
            parts.extend(f"DELETE WHERE {{ GRAPH {prov} {{ <{o.graph}> ?p ?o }} }} ;" for o in old)
            parts.append(f"DELETE WHERE {{ GRAPH {prov} {{ {self._meta} <{HG}storeVersion> ?v }} }} ;")
            parts.append(f"INSERT DATA {{ GRAPH {prov} {{ {' '.join(triples)} }} }} ;")
        return "\n".join(parts)

    def _provenance_triples(self, info: SourceInfo) -> list[str]:
        g = nt.iri(info.graph)
        agent = nt.iri(self.minter.agent(info.software))
        return [
            f"{g} <{RDF}type> <{HG}SourceGraph> .",
            f"{g} <{RDF}type> <{PROV}Entity> .",
            f"{g} <{RDFS}label> {nt.lit(f'{info.kind}: {info.name}')} .",
            f"{g} <{HG}sourceKind> {nt.lit(info.kind)} .",
            f"{g} <{HG}sourcePath> {nt.lit(info.path)} .",
            f"{g} <{DCTERMS}source> {nt.lit(info.name)} .",
            f"{g} <{HG}sha256> {nt.lit(info.sha256)} .",
            f"{g} <{HG}recordCount> {nt.integer(info.records)} .",
            f"{g} <{HG}skippedCount> {nt.integer(info.skipped)} .",
            f"{g} <{HG}tripleCount> {nt.integer(info.triples)} .",
            f"{g} <{PROV}generatedAtTime> {nt.typed(info.loaded_at, 'dateTime')} .",
            f"{g} <{HG}softwareVersion> {nt.lit(info.software)} .",
            f"{g} <{PROV}wasAttributedTo> {agent} .",
            f"{agent} <{RDF}type> <{PROV}SoftwareAgent> .",
            f"{agent} <{RDFS}label> {nt.lit(info.software)} .",
        ]

    # -- export -----------------------------------------------------------------

    def dump(self, out: IO[bytes], rdf_format: ox.RdfFormat) -> None:
        """Write the public dataset: source graphs and provenance (quads), or their union (triples)."""
        if rdf_format.supports_datasets:
            graphs = [ox.NamedNode(s.graph) for s in self.sources()] + [self.resolution, self.provenance]
            quads: Iterator[ox.Quad] = (
                q for g in graphs for q in self.ox.quads_for_pattern(None, None, None, g)
            )
            ox.serialize(quads, out, rdf_format)
        else:
            triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            ox.serialize(triples, out, rdf_format, prefixes=PREFIXES)

    def flush(self) -> None:
        """Make writes durable (a no-op in memory)."""
        if self.location != MEMORY:
            self.ox.flush()

    def backup(self, target: str) -> None:
        """Write a consistent copy of the on-disk store to the new folder ``target`` (works
        on a store opened read-only; not while another process writes to it); the copy
        opens as a store of its own."""
        if self.location == MEMORY:
            raise StoreError("an in-memory store has no backup: use 'hubgraph export' to save its data")
        if Path(target).exists():
            raise StoreError(f"the backup folder '{target}' exists already: give a new folder")
        source = self.ox
        for attempt in range(1, BACKUP_ATTEMPTS + 1):
            try:
                source.backup(target)
                return
            except OSError as exc:
                for partial in (Path(target), Path(f"{target}.tmp")):
                    shutil.rmtree(partial, ignore_errors=True)
                if attempt == BACKUP_ATTEMPTS:
                    raise StoreError(f"backing up the store at '{self.location}' to '{target}' failed "
                                     f"{attempt} times: {exc}") from exc
            # A read-only view links the files it opened with; the writing process may have
            # compacted some away since. A fresh view sees the files as they are now.
            time.sleep(0.5 * attempt)
            source = ox.Store.read_only(self.location)

    @classmethod
    def restore(cls, backup: str, location: str, base: str = DEFAULT_BASE) -> Store:
        """Restore the backup folder ``backup`` (of a store minting IRIs under ``base``) as
        the store at ``location``, which must not hold data yet; return the restored store."""
        if location == MEMORY or location.startswith(("sparql+http://", "sparql+https://")):
            raise StoreError(f"restore writes an on-disk store; '{location}' is not a folder")
        target = Path(location)
        if target.exists() and any(target.iterdir()):
            raise StoreError(f"the store folder '{location}' is not empty: restore into a new or empty folder")
        try:
            saved = cls(ox.Store.read_only(backup), backup, base)
        except OSError as exc:
            raise StoreError(f"'{backup}' is not a hubgraph backup: {exc}") from exc
        if not saved.ox.contains_named_graph(saved.provenance):
            raise StoreError(f"'{backup}' is a store but not a hubgraph one (it has no provenance graph)")
        if target.exists():
            target.rmdir()
        saved.backup(location)
        del saved
        return cls.open(location, base)

    # -- SPARQL endpoint and Graph Store Protocol: client graphs ----------------------

    def is_protected(self, graph: str) -> bool:
        """Whether ``graph`` is one of hubgraph's own graphs (sources, union, resolution,
        provenance, private): clients may never write there."""
        return graph.startswith(self._graph_prefix)

    def is_visible(self, graph: str, private: bool = False) -> bool:
        """Whether a query may read ``graph``: client graphs and the graphs of
        :meth:`named_graphs`; never the union; a private graph only when ``private``."""
        if not self.is_protected(graph):
            return True
        shown = self.named_graphs() + (self.private_graphs() if private else [])
        return any(g.value == graph for g in shown)

    def private_graphs(self) -> list[ox.NamedNode]:
        """The private companions of the active sources that hold anything."""
        existing = {g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)}
        return [p for g in sorted(self._active_graphs()) if (p := self.private_graph(g)).value in existing]

    def client_graphs(self) -> list[ox.NamedNode]:
        """The named graphs clients wrote (every named graph outside hubgraph's own)."""
        return [g for g in self.ox.named_graphs()
                if isinstance(g, ox.NamedNode) and not self.is_protected(g.value)]

    def run_query(self, sparql: str, default_graph: Sequence[str] | None = None,
                  named_graphs: Sequence[str] | None = None, base_iri: str | None = None,
                  private: bool = False) -> Any:
        """Run a SPARQL query over an explicit dataset (graph IRIs), or over the hubgraph
        dataset of :meth:`query` when both are None, with the private graphs added to it
        when ``private``. The caller checks visibility."""
        try:
            if default_graph is None and named_graphs is None:
                # only the hubgraph graphs that exist, and no named-graph list when nothing
                # is hidden: the engine's plain dataset where the store holds client data only
                def run() -> Any:
                    own = any(self.ox.contains_named_graph(g) for g in (self.union, self.resolution, self.provenance))
                    shown = self.private_graphs() if private else []
                    visible = self.named_graphs() + shown
                    every = [g for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]
                    return self.ox.query(
                        sparql, base_iri=base_iri,
                        default_graph=self._default_graphs() + shown if own else None,
                        named_graphs=None if len(visible) == len(every) else visible,
                    )
                return self._consistent(run)
            return self.ox.query(
                sparql, base_iri=base_iri,
                default_graph=[ox.NamedNode(g) for g in default_graph or []],
                named_graphs=[ox.NamedNode(g) for g in named_graphs or []],
            )
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update as given (the endpoint checks first that it only writes
        client graphs or the store default graph)."""
        try:
            self.ox.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def has_graph(self, graph: str | None) -> bool:
        """Whether a graph exists (``None``: the store default graph, which always does)."""
        if graph is None:
            return True
        return self.ox.contains_named_graph(ox.NamedNode(graph))

    def read_graph(self, graph: str | None) -> list[ox.Triple]:
        """The triples of a client-readable graph (``None``: the store default graph)."""
        g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in self.ox.quads_for_pattern(None, None, None, g)]

    def write_graph(self, graph: str | None, triples: Sequence[ox.Triple], replace: bool) -> None:
        """Replace (``replace``) or merge into a client graph (``None``: the store default graph)."""
        g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        if graph is not None and self.is_protected(graph):
            raise StoreError(f"<{graph}> is one of hubgraph's own graphs; clients cannot write it")
        if replace:
            if graph is None:
                self.ox.clear_graph(g)
            else:
                self.ox.remove_graph(g)
        if isinstance(g, ox.NamedNode):
            self.ox.add_graph(g)
        self.ox.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples])

    def drop_graph(self, graph: str | None) -> None:
        """Remove a client graph (``None``: empty the store default graph)."""
        if graph is None:
            self.ox.clear_graph(ox.DefaultGraph())
            return
        if self.is_protected(graph):
            raise StoreError(f"<{graph}> is one of hubgraph's own graphs; clients cannot remove it")
        self.ox.remove_graph(ox.NamedNode(graph))


def _bound(sparql: str, bindings: dict[str, Any] | None) -> tuple[str, dict[ox.Variable, Any] | None]:
    """The query and substitutions to run for ``bindings``: written into the query where
    :func:`inline_bindings` can (Oxigraph plans constants, while it filters a full
    evaluation by substitutions), else as substitutions."""
    if not bindings:
        return sparql, None
    terms = {k: _term(v) for k, v in bindings.items()}
    inlined = inline_bindings(sparql, terms)
    if inlined is None:
        return sparql, {ox.Variable(k): term for k, term in terms.items()}
    return inlined, None


def _term(value: Any) -> Any:
    """A Python value as an Oxigraph term, for query substitutions."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    return ox.Literal(value)
