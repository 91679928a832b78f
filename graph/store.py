"""The graph store: source graphs with provenance, and queries over their union.

Each ingested file lives in its own named graph, described in the provenance graph
(source kind, file name, sha256, record count, time, hubgraph version). Queries
see, as their default graph, the union of the active source graphs, the provenance
graph and the store's own default graph; graphs that clients write themselves keep
standard SPARQL behaviour (reachable with ``GRAPH``, not merged).

Oxigraph evaluates a multi-graph default graph as a multiset, so the union is kept
materialised in one graph (``graph/union``) and maintained on every load and
removal; a crash while it is being changed leaves a marker that makes the next
writer rebuild it.

Backends: embedded on-disk Oxigraph (the default) and in-memory Oxigraph (tests),
both through :class:`Store`.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph import ntriples as nt
from graph.errors import BadQuery, StoreError
from graph.namespaces import DCTERMS, HG, PREFIXES, PROV, RDF, RDFS, XSD
from graph.uris import DEFAULT_BASE, Minter, slug

__all__ = ["Store", "SourceInfo", "PreparedSource", "DerivedChange", "MEMORY", "VERSION"]

MEMORY = ":memory:"
#: Additions to a derived graph larger than this go through the bulk loader.
BULK_THRESHOLD = 50_000
VERSION = "0.1.0"

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


def _python(term: Any) -> Any:
    """A query result term as a plain Python value (IRIs and literals as str, numbers as int/float)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in (f"{XSD}integer", f"{XSD}long", f"{XSD}int"):
            return int(term.value)
        if dt in (f"{XSD}decimal", f"{XSD}double", f"{XSD}float"):
            return float(term.value)
        if dt == f"{XSD}boolean":
            return term.value == "true"
        return term.value
    return term.value


class Store:
    """A hubgraph store over one Oxigraph store (on disk or in memory)."""

    def __init__(self, ox_store: ox.Store, location: str, base: str = DEFAULT_BASE):
        self.ox = ox_store
        self.location = location
        self.minter = Minter(base)
        self.union = ox.NamedNode(self.minter.graph("union"))
        self.provenance = ox.NamedNode(self.minter.graph("provenance"))
        self.resolution = ox.NamedNode(self.minter.graph("resolution"))
        self._graph_prefix = self.minter.graph("")
        self._private_prefix = self.minter.graph("private/")
        self._meta = ox.NamedNode(self.minter.graph("") + "store")

    @classmethod
    def open(cls, location: str = MEMORY, base: str = DEFAULT_BASE, read_only: bool = False) -> Store:
        """Open (creating if needed) the store at ``location``, or in memory for ``:memory:``."""
        if location == MEMORY:
            return cls(ox.Store(), MEMORY, base)
        try:
            if read_only:
                return cls(ox.Store.read_only(location), location, base)
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
        for quad in self.ox.quads_for_pattern(self._meta, ox.NamedNode(f"{HG}storeVersion"), None, self.provenance):
            return str(quad.object.value)
        return "empty"

    def named_graphs(self) -> list[ox.NamedNode]:
        """Graphs a query may name with GRAPH: active sources, resolution, provenance and
        client graphs; never the union or a private graph."""
        active = {s.graph for s in self.sources()} | {self.provenance.value, self.resolution.value}
        return [
            g for g in self.ox.named_graphs()
            if isinstance(g, ox.NamedNode)
            and (g.value in active or not g.value.startswith(self._graph_prefix))
        ]

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        """Run a SPARQL query over the union default graph; return Oxigraph's result."""
        subs = None
        if substitutions:
            subs = {ox.Variable(k): _term(v) for k, v in substitutions.items()}
        try:
            return self.ox.query(
                sparql,
                default_graph=[self.union, self.resolution, self.provenance, ox.DefaultGraph()],
                named_graphs=self.named_graphs(),
                substitutions=subs,
            )
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of plain Python values."""
        result = self.query(sparql, bindings or None)
        names = [v.value for v in result.variables]
        return [{name: _python(row[name]) for name in names} for row in result]

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

    def load_sources(self, prepared: Sequence[PreparedSource],
                     derive: Callable[[], DerivedChange | None] | None = None) -> list[SourceInfo]:
        """Load prepared N-Triples files, each as the graph of one source, atomically.

        One bulk load writes every file into its own graph and into the union; the
        new graphs then become visible, the ones they replace retire and the change
        ``derive`` computes from the new state (identity resolution) is applied, in a
        single transaction. If anything fails the store is left as it was.
        """
        self._drop_stale_graphs()
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        infos = [
            SourceInfo(
                graph=self.minter.graph(f"{slug(p.kind)}/{slug(os.path.basename(p.path), 60)}-{p.sha256[:12]}"),
                kind=p.kind, path=p.path, name=os.path.basename(p.path), sha256=p.sha256,
                records=p.records, skipped=p.skipped, triples=p.triples, loaded_at=now,
                software=f"hubgraph {VERSION}",
            )
            for p in prepared
        ]
        graphs = [ox.NamedNode(info.graph) for info in infos]
        replaced = [p.replaces for p in prepared if p.replaces is not None]
        self._set_union_dirty(True)
        try:
            stream = _QuadStream([(p.data, g) for p, g in zip(prepared, graphs)], self.union)
            self.ox.bulk_load(io.BufferedReader(stream, 1 << 20), ox.RdfFormat.N_QUADS)
            for p, g in zip(prepared, graphs):
                if p.private_data is not None:
                    self.ox.bulk_load(path=str(p.private_data), format=ox.RdfFormat.N_TRIPLES,
                                      to_graph=self.private_graph(g.value))
            for old in replaced:
                self._unmerge(ox.NamedNode(old.graph), keep=graphs)
            change = derive() if derive is not None else None
            derived = self._derived_parts(change) if change is not None else []
            self.ox.update("\n".join(derived + [self._provenance_update(infos, replaced)]))
        except BaseException as exc:
            for graph in graphs:
                self.ox.remove_graph(graph)
                self.ox.remove_graph(self.private_graph(graph.value))
            self.rebuild_union()
            if isinstance(exc, (OSError, SyntaxError, ValueError)):
                names = ", ".join(info.name for info in infos)
                raise StoreError(f"loading {names} into the store failed: {exc}") from exc
            raise
        for old in replaced:
            self.ox.remove_graph(ox.NamedNode(old.graph))
            self.ox.remove_graph(self.private_graph(old.graph))
        return infos

    def private_graph(self, source_graph: str) -> ox.NamedNode:
        """The private companion of a source graph (emails and other private fields): never
        in the default graph, never reachable with GRAPH, never dumped."""
        return ox.NamedNode(source_graph.replace(self._graph_prefix, self._private_prefix, 1))

    def remove_source(self, graph: str) -> SourceInfo:
        """Remove one source graph and its provenance."""
        match = [s for s in self.sources() if s.graph == graph]
        if not match:
            raise StoreError(f"no ingested source has the graph <{graph}>; see 'hubgraph sources'")
        self._set_union_dirty(True)
        try:
            self._unmerge(ox.NamedNode(graph), keep=[])
            self.ox.update(self._provenance_update([], [match[0]]))
        except BaseException:
            self.rebuild_union()
            raise
        self.ox.remove_graph(ox.NamedNode(graph))
        self.ox.remove_graph(self.private_graph(graph))
        return match[0]

    def update_derived(self, change: DerivedChange) -> None:
        """Apply a change to a derived graph (such as the resolution graph) in one
        transaction with its provenance description and a new store version.

        A very large addition (a first build) goes through the bulk loader first.
        """
        parts = self._derived_parts(change)
        parts.append(f"DELETE WHERE {{ GRAPH {self.provenance} {{ {self._meta} <{HG}storeVersion> ?v }} }} ;")
        version = f"{self._meta} <{HG}storeVersion> {nt.lit(uuid.uuid4().hex)} ."
        parts.append(f"INSERT DATA {{ GRAPH {self.provenance} {{ {version} }} }}")
        self.ox.update("\n".join(parts))

    def _derived_parts(self, change: DerivedChange) -> list[str]:
        """SPARQL Update operations (each ending in ';') for a derived-graph change; a large
        addition is bulk loaded right away instead."""
        g, prov = str(change.graph), str(self.provenance)
        if len(change.add) > BULK_THRESHOLD:
            data = "".join(f"{t} .\n" for t in change.add).encode("utf-8")
            self.ox.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=change.graph)
            add: set[ox.Triple] = set()
        else:
            add = change.add
        parts = [f"DELETE WHERE {{ GRAPH {prov} {{ {g} ?p ?o }} }} ;"]
        if change.remove:
            parts.append(f"DELETE DATA {{ GRAPH {g} {{ {' . '.join(map(str, change.remove))} }} }} ;")
        if add:
            parts.append(f"INSERT DATA {{ GRAPH {g} {{ {' . '.join(map(str, add))} }} }} ;")
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
        """Recompute the union graph from the active source graphs."""
        self.ox.remove_graph(self.union)
        for source in self.sources():
            self.ox.update(f"ADD <{source.graph}> TO <{self.union.value}>")
        self._set_union_dirty(False)

    def repair(self) -> None:
        """Finish or undo what an interrupted writer left behind."""
        if self._union_dirty():
            self.rebuild_union()
        self._drop_stale_graphs()

    def _unmerge(self, graph: ox.NamedNode, keep: list[ox.NamedNode]) -> None:
        """Delete from the union the triples of ``graph`` that no other active graph holds."""
        others = [ox.NamedNode(s.graph) for s in self.sources() if s.graph != graph.value] + keep
        values = " ".join(str(g) for g in others)
        guard = (
            f"FILTER NOT EXISTS {{ VALUES ?other {{ {values} }} GRAPH ?other {{ ?s ?p ?o }} }}"
            if others else ""
        )
        self.ox.update(
            f"DELETE {{ GRAPH {self.union} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} {guard} }}"
        )

    def _drop_stale_graphs(self) -> None:
        """Drop source graphs (and private companions) that no provenance record names:
        what a failed or interrupted load left behind."""
        active = {s.graph for s in self.sources()}
        keep = active | {self.private_graph(g).value for g in active}
        keep |= {self.union.value, self.provenance.value, self.resolution.value}
        for g in list(self.ox.named_graphs()):
            value = getattr(g, "value", "")
            if value.startswith(self._graph_prefix) and value not in keep:
                self.ox.remove_graph(g)

    def _union_dirty(self) -> bool:
        pattern = self.ox.quads_for_pattern(self._meta, ox.NamedNode(f"{HG}unionStale"), None, self.provenance)
        return any(True for _ in pattern)

    def _set_union_dirty(self, dirty: bool) -> None:
        flag = f"{self._meta} <{HG}unionStale> {nt.boolean(True)}"
        verb = "INSERT DATA" if dirty else "DELETE DATA"
        self.ox.update(f"{verb} {{ GRAPH {self.provenance} {{ {flag} }} }}")

    def _provenance_update(self, new: Sequence[SourceInfo], old: Sequence[SourceInfo]) -> str:
        """One SPARQL update that swaps provenance records and bumps the store version."""
        prov = str(self.provenance)
        parts = [f"DELETE WHERE {{ GRAPH {prov} {{ <{o.graph}> ?p ?o }} }} ;" for o in old]
        parts.append(f"DELETE WHERE {{ GRAPH {prov} {{ {self._meta} <{HG}storeVersion> ?v }} }} ;")
        if self._union_dirty():
            parts.append(f"DELETE DATA {{ GRAPH {prov} {{ {self._meta} <{HG}unionStale> {nt.boolean(True)} }} }} ;")
        triples = [f"{self._meta} <{HG}storeVersion> {nt.lit(uuid.uuid4().hex)} ."]
        for info in new:
            triples.extend(self._provenance_triples(info))
        parts.append(f"INSERT DATA {{ GRAPH {prov} {{ {' '.join(triples)} }} }}")
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

    # -- SPARQL endpoint and Graph Store Protocol: client graphs ----------------------

    def is_protected(self, graph: str) -> bool:
        """Whether ``graph`` is one of hubgraph's own graphs (sources, union, resolution,
        provenance, private): clients may never write there."""
        return graph.startswith(self._graph_prefix)

    def is_visible(self, graph: str) -> bool:
        """Whether a query may read ``graph``: client graphs and the graphs of
        :meth:`named_graphs`; never the union or a private graph."""
        if not self.is_protected(graph):
            return True
        return any(g.value == graph for g in self.named_graphs())

    def client_graphs(self) -> list[ox.NamedNode]:
        """The named graphs clients wrote (every named graph outside hubgraph's own)."""
        return [g for g in self.ox.named_graphs()
                if isinstance(g, ox.NamedNode) and not self.is_protected(g.value)]

    def run_query(self, sparql: str, default_graph: Sequence[str] | None = None,
                  named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> Any:
        """Run a SPARQL query over an explicit dataset (graph IRIs), or over the hubgraph
        dataset of :meth:`query` when both are None. The caller checks visibility."""
        try:
            if default_graph is None and named_graphs is None:
                # only the hubgraph graphs that exist, and no named-graph list when nothing
                # is hidden: the engine's plain dataset where the store holds client data only
                own = [g for g in (self.union, self.resolution, self.provenance)
                       if self.ox.contains_named_graph(g)]
                visible = self.named_graphs()
                every = [g for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]
                return self.ox.query(
                    sparql, base_iri=base_iri,
                    default_graph=[*own, ox.DefaultGraph()] if own else None,
                    named_graphs=None if len(visible) == len(every) else visible,
                )
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


class _QuadStream(io.RawIOBase):
    """N-Triples files read as N-Quads, each triple twice: in its source graph and in the union."""

    def __init__(self, files: list[tuple[Path, ox.NamedNode]], union: ox.NamedNode):
        self._files = iter(files)
        self._union = f" {union} .\n".encode()
        self._handle: IO[bytes] | None = None
        self._graph = b""
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._next_lines()
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _next_lines(self) -> bytes | None:
        while True:
            if self._handle is None:
                nxt = next(self._files, None)
                if nxt is None:
                    return None
                path, graph = nxt
                self._handle = open(path, "rb")
                self._graph = f" {graph} .\n".encode()
            lines = self._handle.readlines(1 << 20)
            if lines:
                g, u = self._graph, self._union
                out = []
                for line in lines:
                    body = line[:-3]  # every line ends with " .\n"
                    out.append(body + g)
                    out.append(body + u)
                return b"".join(out)
            self._handle.close()
            self._handle = None


def _term(value: Any) -> Any:
    """A Python value as an Oxigraph term, for query substitutions."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    return ox.Literal(value)
