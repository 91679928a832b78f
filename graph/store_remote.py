"""The hubgraph store on a remote SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, ...).

:class:`RemoteStore` is a :class:`graph.store.Store` whose engine is
:class:`RemoteEngine`, the part of pyoxigraph's ``Store`` interface that hubgraph uses,
carried out over HTTP by :class:`graph.sparql_client.SparqlClient`. Source graphs,
provenance, the resolution graph and client graphs are named graphs on the server;
the store default graph is the named graph ``graph/default``.

Readers never see half a change, whatever transactions the server offers (Virtuoso
makes large updates visible row by row): what queries read as their default graph
is a *view*, one named graph holding the active sources, the resolution graph and
the provenance graph. A writer uploads new sources into fresh graphs and builds a
new view beside the current one; the change becomes visible when one triple, the
pointer to the new view, is inserted. A retired view stays for :data:`VIEW_GRACE`
seconds, so queries that started on it finish on it. Readers look the pointer up at
most once every :data:`POINTER_TTL` seconds.

Round trips: a query costs one request (plus the pointer look-up, and two more for
the list of visible named graphs when the query says ``GRAPH``); an ingest uploads
each file in batches of 32 MiB and switches with a handful of updates, whatever
its size. One writer at a time.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from graph import ntriples as nt
from graph.errors import StoreError
from graph.namespaces import DCTERMS, HG, PROV
from graph.sparql_client import RemoteOptions, SparqlClient, bind_values, mentions_graph, update_graphs
from graph.store import DerivedChange, PreparedSource, SourceInfo, Store, _term
from graph.uris import DEFAULT_BASE, Minter

__all__ = ["RemoteStore", "RemoteEngine", "SCHEMES", "SYSTEM_GRAPHS", "VIEW_GRACE", "POINTER_TTL"]

#: Store locations with these prefixes name a remote SPARQL endpoint (the rest is its URL).
SCHEMES = ("sparql+http://", "sparql+https://")
#: Graphs the server keeps for itself: never listed, never written by clients.
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/",
)
#: Seconds a retired view is kept for the queries still reading it.
VIEW_GRACE = 60.0
#: Seconds a reader reuses the view pointer it looked up.
POINTER_TTL = 1.0

_VIEW = f"<{HG}view>"


def _iri(graph: Any, default: str) -> str:
    """A graph of pyoxigraph's interface as an IRI (the store default graph: ``default``)."""
    if graph is None or isinstance(graph, ox.DefaultGraph):
        return default
    return graph.value if isinstance(graph, ox.NamedNode) else str(graph)


def _ntriples(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples).encode("utf-8")


class RemoteEngine:
    """What :class:`graph.store.Store` asks of pyoxigraph's ``Store``, on a remote store."""

    def __init__(self, client: SparqlClient, minter: Minter):
        self.client = client
        self.default_graph = minter.graph("default")
        self.nothing = minter.graph("none")  # a graph that never exists: an empty part of a dataset
        #: hubgraph's record of the graphs it wrote (Virtuoso lists graphs by a full scan)
        self.registry = minter.graph("registry")
        self._entry = f"<{minter.graph('')}store> <{HG}graph>"

    def register(self, graphs: Iterable[str]) -> list[str]:
        """``INSERT DATA`` operations (none, or one) that record ``graphs`` as written."""
        entries = " ".join(f"{self._entry} <{g}> ." for g in sorted(set(graphs)) if g != self.default_graph)
        return [f"INSERT DATA {{ GRAPH <{self.registry}> {{ {entries} }} }}"] if entries else []

    def forget(self, graphs: Iterable[str]) -> list[str]:
        """``DELETE DATA`` operations (none, or one) that drop ``graphs`` from the record."""
        entries = " ".join(f"{self._entry} <{g}> ." for g in sorted(set(graphs)))
        return [f"DELETE DATA {{ GRAPH <{self.registry}> {{ {entries} }} }}"] if entries else []

    def registered(self) -> list[str]:
        """Every graph hubgraph recorded as written, whether it still exists or not."""
        rows = self.client.query(f"SELECT ?g WHERE {{ GRAPH <{self.registry}> {{ {self._entry} ?g }} }}")
        return [row["g"].value for row in rows]

    def hidden(self, graph: str) -> bool:
        """Whether ``graph`` is one of the server's own graphs."""
        return graph.startswith(SYSTEM_GRAPHS)

    def query(self, sparql: str, default_graph: Any = None, named_graphs: Any = None,
              substitutions: dict[Any, Any] | None = None, base_iri: str | None = None) -> Any:
        if substitutions:
            sparql = bind_values(sparql, {getattr(k, "value", k): v for k, v in substitutions.items()})
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        default = self._graphs(default_graph)
        named = self._graphs(named_graphs)
        return self.client.query(sparql, default, named)

    def _graphs(self, graphs: Any) -> list[str] | None:
        if graphs is None:
            return None
        listed = graphs if isinstance(graphs, (list, tuple)) else [graphs]
        return [_iri(g, self.default_graph) for g in listed] or [self.nothing]

    def quads_for_pattern(self, subject: Any, predicate: Any, obj: Any, graph: Any = None) -> list[ox.Quad]:
        terms = [str(t) if t is not None else f"?{n}" for t, n in ((subject, "s"), (predicate, "p"), (obj, "o"))]
        where = f"GRAPH {'?g' if graph is None else f'<{_iri(graph, self.default_graph)}>'} {{ {' '.join(terms)} }}"
        rows = self.client.query(f"SELECT * WHERE {{ {where} }}")
        quads = []
        for row in rows:
            if graph is None:
                name = row["g"].value
                if self.hidden(name):
                    continue
                g = ox.DefaultGraph() if name == self.default_graph else row["g"]
            else:
                g = graph
            s = subject if subject is not None else row["s"]
            p = predicate if predicate is not None else row["p"]
            o = obj if obj is not None else row["o"]
            quads.append(ox.Quad(s, p, o, g))
        return quads

    def named_graphs(self) -> list[ox.NamedNode]:
        """The recorded graphs that hold triples (graphs written past hubgraph are not listed)."""
        rows = self.client.query(f"SELECT ?g WHERE {{ GRAPH <{self.registry}> {{ {self._entry} ?g }} "
                                 "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }")
        return [row["g"] for row in rows]

    def contains_named_graph(self, graph: Any) -> bool:
        return bool(self.client.query(f"ASK {{ GRAPH <{_iri(graph, self.default_graph)}> {{ ?s ?p ?o }} }}"))

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        for op in self.register(update_graphs(sparql)):
            self.client.update(op)
        self.client.update(sparql, default_graph=self.default_graph)

    def upload(self, graph: str, source: Any) -> None:
        """Record ``graph`` and add N-Triples (a file path or bytes) to it."""
        for op in self.register([graph]):
            self.client.update(op)
        self.client.upload(graph, source)

    def bulk_load(self, input: Any = None, format: Any = None, *, path: str | None = None,
                  to_graph: Any = None, **_: Any) -> None:
        if format != ox.RdfFormat.N_TRIPLES or to_graph is None:
            raise StoreError("a remote store bulk loads N-Triples into one named graph only")
        data = input.read() if hasattr(input, "read") else input
        source: Any = path if path is not None else (data.encode("utf-8") if isinstance(data, str) else data)
        self.upload(_iri(to_graph, self.default_graph), source)

    def remove_graph(self, graph: Any) -> None:
        self.client.update(f"DROP SILENT GRAPH <{_iri(graph, self.default_graph)}>")

    def clear_graph(self, graph: Any) -> None:
        self.client.update(f"CLEAR SILENT GRAPH <{_iri(graph, self.default_graph)}>")

    def add_graph(self, graph: Any) -> None:
        """Nothing to do: a remote graph exists once it holds a triple."""

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        by_graph: dict[str, list[ox.Quad]] = {}
        for quad in quads:
            by_graph.setdefault(_iri(quad.graph_name, self.default_graph), []).append(quad)
        for graph, members in by_graph.items():
            self.upload(graph, _ntriples(members))

    def add(self, quad: ox.Quad) -> None:
        self.extend([quad])

    def flush(self) -> None:
        """Nothing to do: the server makes its writes durable."""


class RemoteStore(Store):
    """A hubgraph store on a SPARQL 1.1 server; see the module docstring."""

    ox: RemoteEngine

    def __init__(self, client: SparqlClient, location: str, base: str = DEFAULT_BASE):
        minter = Minter(base)
        super().__init__(RemoteEngine(client, minter), location, base)  # type: ignore[arg-type]
        self.client = client
        weakref.finalize(self, client.close)  # the connection pool goes with the store
        self._pointer = minter.graph("current")
        self._view_prefix = minter.graph("view/")
        self._staging_prefix = minter.graph("staging/")
        self._cached: tuple[float, str] | None = None
        self._pinned = threading.local()

    def backup(self, target: str) -> None:
        """Remote stores are backed up with their server's own tools."""
        raise StoreError(f"hubgraph backs up on-disk stores only; back up the server behind {self.location} "
                         "with its own tools (Virtuoso: checkpoint and copy its database folder)")

    @classmethod
    def connect(cls, location: str, base: str = DEFAULT_BASE, options: RemoteOptions | None = None) -> RemoteStore:
        """The store behind ``sparql+http(s)://...`` (``options``: update and graph store URLs,
        credentials, timeout)."""
        if not location.startswith(SCHEMES):
            raise StoreError(f"'{location}' is not a remote store location (sparql+http://host:port/path)")
        return cls(SparqlClient(location.removeprefix("sparql+"), options or RemoteOptions()), location, base)

    # -- reading: through the current view --------------------------------------------

    def _view(self) -> str:
        """The view queries read now (the one being built, inside a write)."""
        pinned = getattr(self._pinned, "view", None)
        if pinned:
            return pinned
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] > POINTER_TTL:
            views = self._views()
            self._cached = (now, views[-1] if views else self.ox.nothing)
        return self._cached[1]

    def _views(self) -> list[str]:
        rows = self.client.query(f"SELECT ?v WHERE {{ GRAPH <{self._pointer}> {{ {self._meta} {_VIEW} ?v }} }}")
        return sorted(row["v"].value for row in rows)

    def sources(self) -> list[SourceInfo]:
        """Every active source graph, by kind and file name, as the current view records them
        (one property per row: Virtuoso plans a ten-way join slowly)."""
        rows = self.client.query(
            f"SELECT ?g ?p ?o WHERE {{ GRAPH <{self._view()}> {{ ?g a <{HG}SourceGraph> ; ?p ?o }} }}")
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            found.setdefault(row["g"].value, {})[row["p"].value] = row["o"].value
        infos = [
            SourceInfo(
                graph=g, kind=f[f"{HG}sourceKind"], path=f[f"{HG}sourcePath"], name=f[f"{DCTERMS}source"],
                sha256=f[f"{HG}sha256"], records=int(f[f"{HG}recordCount"]),
                skipped=int(f[f"{HG}skippedCount"]), triples=int(f[f"{HG}tripleCount"]),
                loaded_at=f[f"{PROV}generatedAtTime"], software=f[f"{HG}softwareVersion"],
            )
            for g, f in found.items()
        ]
        return sorted(infos, key=lambda s: (s.kind, s.name))

    def version(self) -> str:
        view = self._view()
        return "empty" if view == self.ox.nothing else view

    def query(self, sparql: str, substitutions: dict[str, Any] | None = None, private: bool = False) -> Any:
        subs = {k: _term(v) for k, v in substitutions.items()} if substitutions else None
        shown = self.private_graphs() if private else []
        named = self.named_graphs() + shown if mentions_graph(sparql) else []
        return self.ox.query(sparql, default_graph=self._default_graphs() + shown, named_graphs=named,
                             substitutions=subs)

    def _default_graphs(self) -> list[Any]:
        return [ox.NamedNode(self._view()), ox.DefaultGraph()]

    def run_query(self, sparql: str, default_graph: Sequence[str] | None = None,
                  named_graphs: Sequence[str] | None = None, base_iri: str | None = None,
                  private: bool = False) -> Any:
        if default_graph is None and named_graphs is None:
            shown = self.private_graphs() if private else []
            named = self.named_graphs() + shown if mentions_graph(sparql) else []
            return self.ox.query(sparql, default_graph=self._default_graphs() + shown, named_graphs=named,
                                 base_iri=base_iri)
        return self.ox.query(sparql, base_iri=base_iri,
                             default_graph=[ox.NamedNode(g) for g in default_graph or []],
                             named_graphs=[ox.NamedNode(g) for g in named_graphs or []])

    def is_protected(self, graph: str) -> bool:
        return super().is_protected(graph) or self.ox.hidden(graph)

    # -- writing: fresh graphs, a new view, one pointer ---------------------------------

    def load_sources(self, prepared: Sequence[PreparedSource],
                     derive: Callable[[], DerivedChange | None] | None = None) -> list[SourceInfo]:
        """Upload each file into a fresh graph, then switch to a view that holds them (and the
        change ``derive`` computes from it) in one step. If anything fails before the switch,
        the store is left as it was."""
        self._drop_stale_graphs()
        infos = self._source_infos(prepared)
        uploads = [(info.graph, p.data) for p, info in zip(prepared, infos)]
        uploads += [(self.private_graph(info.graph).value, p.private_data)
                    for p, info in zip(prepared, infos) if p.private_data is not None]
        written = [graph for graph, _ in uploads]
        try:
            self.client.update(" ;\n".join(self.ox.register(written)))
            for graph, data in uploads:
                self.client.upload(graph, data)
        except BaseException as exc:
            self._discard(written)
            if isinstance(exc, StoreError):
                names = ", ".join(info.name for info in infos)
                raise StoreError(f"loading {names} into the store failed: {exc}") from exc
            raise
        self._publish(infos, [p.replaces for p in prepared if p.replaces is not None], derive, written)
        return infos

    def remove_source(self, graph: str) -> SourceInfo:
        match = [s for s in self.sources() if s.graph == graph]
        if not match:
            raise StoreError(f"no ingested source has the graph <{graph}>; see 'hubgraph sources'")
        self._drop_stale_graphs()
        self._publish([], match)
        return match[0]

    def update_derived(self, change: DerivedChange) -> None:
        self._publish([], [], lambda: change)

    def rebuild_union(self) -> None:
        """Build a fresh view from the source, resolution and provenance graphs."""
        self._publish([], [])

    def repair(self) -> None:
        if self._union_dirty():
            self.rebuild_union()
        self._drop_stale_graphs()

    def _publish(self, new: Sequence[SourceInfo], old: Sequence[SourceInfo],
                 derive: Callable[[], DerivedChange | None] | None = None,
                 written: Sequence[str] = ()) -> None:
        """Build a view of the active sources less ``old`` plus ``new`` (already uploaded),
        apply what ``derive`` computes on it, then switch readers to it."""
        retired = {o.graph for o in old}
        view = f"{self._view_prefix}{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        staging: list[str] = []
        try:
            active = [s.graph for s in self.sources() if s.graph not in retired] + [i.graph for i in new]
            # Virtuoso's later operations of a request may not see what its ADD wrote: the
            # view's provenance is copied without the retired records instead of pruned after
            dropped = ", ".join(f"<{g}>" for g in [*retired, self._meta.value])
            copies = [f"ADD SILENT <{g}> TO <{view}>" for g in [*active, self.resolution.value]]
            copies.append(f"INSERT {{ GRAPH <{view}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH {self.provenance} "
                          f"{{ ?s ?p ?o }} FILTER (?s NOT IN ({dropped})) }}")
            copies += self._provenance_ops(view, new, [])[-1:]
            self.client.update(" ;\n".join(self.ox.register([view]) + copies))
            self._pinned.view = view
            try:
                change = derive() if derive is not None else None
            finally:
                self._pinned.view = None
            switch = self._provenance_ops(self.provenance.value, new, old)
            if change is not None:
                self.client.update(" ;\n".join(self._derived_ops(change, view, view, staging)))
                switch = self._derived_ops(change, change.graph.value, self.provenance.value, staging) + switch
        except BaseException:
            self._discard([*written, view, *staging])
            raise
        switch += self.ox.register([self.provenance.value, self.resolution.value])
        switch.append(f"INSERT DATA {{ GRAPH <{self._pointer}> {{ {self._meta} {_VIEW} <{view}> }} }}")
        self.client.update(" ;\n".join(switch))
        self._cached = (time.monotonic(), view)
        self._drop([*staging, *(g for o in old for g in (o.graph, self.private_graph(o.graph).value))])

    def _provenance_ops(self, target: str, new: Sequence[SourceInfo], old: Sequence[SourceInfo]) -> list[str]:
        """Updates that swap source records and the store version in the graph ``target``."""
        ops = [f"DELETE WHERE {{ GRAPH <{target}> {{ <{o.graph}> ?p ?o }} }}" for o in old]
        for flag in ("storeVersion", "unionStale"):
            ops.append(f"DELETE WHERE {{ GRAPH <{target}> {{ {self._meta} <{HG}{flag}> ?v }} }}")
        triples = [f"{self._meta} <{HG}storeVersion> {nt.lit(uuid.uuid4().hex)} ."]
        for info in new:
            triples.extend(self._provenance_triples(info))
        ops.append(f"INSERT DATA {{ GRAPH <{target}> {{ {' '.join(triples)} }} }}")
        return ops

    def _derived_ops(self, change: DerivedChange, target: str, provenance: str, staging: list[str]) -> list[str]:
        """Updates that apply a derived-graph change to ``target`` (its description to
        ``provenance``); its triples go through staging graphs uploaded once."""
        if not staging:
            for triples in (change.remove, change.add):
                staging.append(f"{self._staging_prefix}{uuid.uuid4().hex}")
                if triples:
                    self.ox.upload(staging[-1], _ntriples(triples))
        removed, added = staging
        graph = str(change.graph)
        ops = [f"DELETE WHERE {{ GRAPH <{provenance}> {{ {graph} ?p ?o }} }}"]
        if change.remove:
            ops.append(f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{removed}> {{ ?s ?p ?o }} }}")
        if change.add:
            ops.append(f"ADD SILENT <{added}> TO <{target}>")
        ops.append(f"INSERT DATA {{ GRAPH <{provenance}> {{ {' '.join(change.description)} }} }}")
        return ops

    def _drop(self, graphs: Iterable[str]) -> None:
        graphs = list(graphs)
        if graphs:
            self.client.update(" ;\n".join([f"DROP SILENT GRAPH <{g}>" for g in graphs] + self.ox.forget(graphs)))

    def _discard(self, graphs: Iterable[str]) -> None:
        """Drop what a failed write left; if the store fails that too, the first error is the
        one to report, and the next writer drops the graphs (:meth:`_drop_stale_graphs`)."""
        with contextlib.suppress(StoreError):
            self._drop(graphs)

    def _drop_stale_graphs(self) -> None:
        """Drop what failed writers left behind, and views retired more than
        :data:`VIEW_GRACE` seconds ago, in one update."""
        views = self._views()
        limit = time.time_ns() - int(VIEW_GRACE * 1e9)
        old = [v for v, newer in zip(views, views[1:]) if int(newer[len(self._view_prefix):].split("-")[0]) < limit]
        keep = self._kept_graphs() | set(views[len(old):]) | {self._pointer}
        stale = [g for g in self.ox.registered() if g.startswith(self._graph_prefix) and g not in keep]
        ops = [f"DROP SILENT GRAPH <{g}>" for g in stale] + self.ox.forget(stale)
        ops.extend(f"DELETE DATA {{ GRAPH <{self._pointer}> {{ {self._meta} {_VIEW} <{v}> }} }}" for v in old)
        if ops:
            self.client.update(" ;\n".join(ops))
