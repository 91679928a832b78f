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

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph import ntriples as nt
from graph.errors import BadQuery, StoreError
from graph.namespaces import DCTERMS, HG, PREFIXES, PROV, RDF, RDFS, XSD
from graph.uris import DEFAULT_BASE, Minter, slug

__all__ = ["Store", "SourceInfo", "MEMORY", "VERSION"]

MEMORY = ":memory:"
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
        self._graph_prefix = self.minter.graph("")
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
        """Graphs a query may name with GRAPH: active sources, provenance and client graphs."""
        active = {s.graph for s in self.sources()}
        graphs = []
        for g in self.ox.named_graphs():
            if not isinstance(g, ox.NamedNode) or g == self.union:
                continue
            if g.value.startswith(self._graph_prefix) and g.value not in active and g != self.provenance:
                continue
            graphs.append(g)
        return graphs

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Any:
        """Run a SPARQL query over the union default graph; return Oxigraph's result."""
        subs = None
        if substitutions:
            subs = {ox.Variable(k): _term(v) for k, v in substitutions.items()}
        try:
            return self.ox.query(
                sparql,
                default_graph=[self.union, self.provenance, ox.DefaultGraph()],
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

    def load_source(
        self, kind: str, path: str, sha256: str, data: Path, data_format: ox.RdfFormat,
        records: int, skipped: int, triples: int, replaces: SourceInfo | None = None,
    ) -> SourceInfo:
        """Load a prepared triples file as the graph of one source, atomically.

        The new graph becomes visible in a single transaction that also retires
        ``replaces``; if anything fails the store is left as it was.
        """
        name = os.path.basename(path)
        graph = ox.NamedNode(self.minter.graph(f"{slug(kind)}/{slug(name, 60)}-{sha256[:12]}"))
        self._drop_stale_graphs()
        try:
            self.ox.bulk_load(path=str(data), format=data_format, to_graph=graph)
        except (OSError, SyntaxError, ValueError) as exc:
            self.ox.remove_graph(graph)
            raise StoreError(f"loading {name} into the store failed: {exc}") from exc
        info = SourceInfo(
            graph=graph.value, kind=kind, path=path, name=name, sha256=sha256, records=records,
            skipped=skipped, triples=triples,
            loaded_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            software=f"hubgraph {VERSION}",
        )
        self._set_union_dirty(True)
        try:
            self.ox.bulk_load(path=str(data), format=data_format, to_graph=self.union)
            if replaces is not None:
                self._unmerge(ox.NamedNode(replaces.graph), keep=[graph])
            self.ox.update(self._provenance_update(info, replaces))
        except BaseException:
            self.ox.remove_graph(graph)
            self.rebuild_union()
            raise
        if replaces is not None:
            self.ox.remove_graph(ox.NamedNode(replaces.graph))
        return info

    def remove_source(self, graph: str) -> SourceInfo:
        """Remove one source graph and its provenance."""
        match = [s for s in self.sources() if s.graph == graph]
        if not match:
            raise StoreError(f"no ingested source has the graph <{graph}>; see 'hubgraph sources'")
        self._set_union_dirty(True)
        try:
            self._unmerge(ox.NamedNode(graph), keep=[])
            self.ox.update(self._provenance_update(None, match[0]))
        except BaseException:
            self.rebuild_union()
            raise
        self.ox.remove_graph(ox.NamedNode(graph))
        return match[0]

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
        """Drop source graphs that no provenance record names (left by a failed load)."""
        active = {s.graph for s in self.sources()}
        for g in list(self.ox.named_graphs()):
            value = getattr(g, "value", "")
            if (
                value.startswith(self._graph_prefix)
                and value not in active
                and g not in (self.union, self.provenance)
            ):
                self.ox.remove_graph(g)

    def _union_dirty(self) -> bool:
        pattern = self.ox.quads_for_pattern(self._meta, ox.NamedNode(f"{HG}unionStale"), None, self.provenance)
        return any(True for _ in pattern)

    def _set_union_dirty(self, dirty: bool) -> None:
        flag = f"{self._meta} <{HG}unionStale> {nt.boolean(True)}"
        verb = "INSERT DATA" if dirty else "DELETE DATA"
        self.ox.update(f"{verb} {{ GRAPH {self.provenance} {{ {flag} }} }}")

    def _provenance_update(self, new: SourceInfo | None, old: SourceInfo | None) -> str:
        """One SPARQL update that swaps provenance records and bumps the store version."""
        prov = str(self.provenance)
        parts = []
        if old is not None:
            parts.append(f"DELETE WHERE {{ GRAPH {prov} {{ <{old.graph}> ?p ?o }} }} ;")
        parts.append(
            f"DELETE WHERE {{ GRAPH {prov} {{ {self._meta} <{HG}storeVersion> ?v }} }} ;"
        )
        triples = [f"{self._meta} <{HG}storeVersion> {nt.lit(uuid.uuid4().hex)} ."]
        if new is not None:
            g = nt.iri(new.graph)
            agent = nt.iri(self.minter.agent(new.software))
            triples += [
                f"{g} <{RDF}type> <{HG}SourceGraph> .",
                f"{g} <{RDF}type> <{PROV}Entity> .",
                f"{g} <{RDFS}label> {nt.lit(f'{new.kind}: {new.name}')} .",
                f"{g} <{HG}sourceKind> {nt.lit(new.kind)} .",
                f"{g} <{HG}sourcePath> {nt.lit(new.path)} .",
                f"{g} <{DCTERMS}source> {nt.lit(new.name)} .",
                f"{g} <{HG}sha256> {nt.lit(new.sha256)} .",
                f"{g} <{HG}recordCount> {nt.integer(new.records)} .",
                f"{g} <{HG}skippedCount> {nt.integer(new.skipped)} .",
                f"{g} <{HG}tripleCount> {nt.integer(new.triples)} .",
                f"{g} <{PROV}generatedAtTime> {nt.typed(new.loaded_at, 'dateTime')} .",
                f"{g} <{HG}softwareVersion> {nt.lit(new.software)} .",
                f"{g} <{PROV}wasAttributedTo> {agent} .",
                f"{agent} <{RDF}type> <{PROV}SoftwareAgent> .",
                f"{agent} <{RDFS}label> {nt.lit(new.software)} .",
            ]
        if self._union_dirty():
            parts.append(f"DELETE DATA {{ GRAPH {prov} {{ {self._meta} <{HG}unionStale> {nt.boolean(True)} }} }} ;")
        parts.append(f"INSERT DATA {{ GRAPH {prov} {{ {' '.join(triples)} }} }}")
        return "\n".join(parts)

    # -- export -----------------------------------------------------------------

    def dump(self, out: IO[bytes], rdf_format: ox.RdfFormat) -> None:
        """Write the public dataset: source graphs and provenance (quads), or their union (triples)."""
        if rdf_format.supports_datasets:
            graphs = [ox.NamedNode(s.graph) for s in self.sources()] + [self.provenance]
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


def _term(value: Any) -> Any:
    """A Python value as an Oxigraph term, for query substitutions."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    return ox.Literal(value)
