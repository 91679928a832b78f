"""What the reliability tests share: a fingerprint of what readers of a store can see."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from graph.namespaces import HG, PROV
from graph.store import Store

#: Predicates whose values differ between two clean builds of the same data.
VOLATILE = {f"{PROV}generatedAtTime", f"{HG}storeVersion"}


def visible_state(store: Store) -> tuple[frozenset[Any], frozenset[Any]]:
    """(the default graph queries see, the public dataset of :meth:`Store.dump`), each
    without the load times and store versions that differ between clean builds."""
    triples = frozenset(t for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
                        if t.predicate.value not in VOLATILE)
    graphs = [ox.NamedNode(s.graph) for s in store.sources()] + [store.resolution, store.provenance]
    quads = frozenset(q for g in graphs for q in store.ox.quads_for_pattern(None, None, None, g)
                      if q.predicate.value not in VOLATILE)
    return triples, quads
