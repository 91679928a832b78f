"""The hubgraph ontology file, loaded into every store as a source graph."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

import pyoxigraph as ox

from graph.store import Store

__all__ = ["ONTOLOGY_PATH", "ensure_ontology"]

ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")


def ensure_ontology(store: Store) -> None:
    """Load the bundled ontology unless this exact version is already loaded."""
    data = ONTOLOGY_PATH.read_bytes()
    digest = sha256(data).hexdigest()
    same_content, same_path = store.find_source("ontology", str(ONTOLOGY_PATH), digest)
    if same_content is not None:
        return
    previous = same_path or next((s for s in store.sources() if s.kind == "ontology"), None)
    triples = sum(1 for _ in ox.parse(data, ox.RdfFormat.TURTLE))
    store.load_source("ontology", str(ONTOLOGY_PATH), digest, ONTOLOGY_PATH, ox.RdfFormat.TURTLE,
                      records=1, skipped=0, triples=triples, replaces=previous)
