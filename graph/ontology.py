"""The hubgraph ontology file, loaded into every store as a source graph."""

from __future__ import annotations

import tempfile
from hashlib import sha256
from pathlib import Path

import pyoxigraph as ox

from graph.store import PreparedSource, Store

__all__ = ["ONTOLOGY_PATH", "ensure_ontology"]

ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")


def ensure_ontology(store: Store) -> None:
    """Load the bundled ontology unless this exact version is already loaded."""
    data = ONTOLOGY_PATH.read_bytes()
    digest = sha256(data).hexdigest()
    same_content, _ = store.find_source("ontology", str(ONTOLOGY_PATH), digest)
    if same_content is not None:
        return
    previous = next((s for s in store.sources() if s.kind == "ontology"), None)
    triples = list(ox.parse(data, ox.RdfFormat.TURTLE))
    with tempfile.TemporaryDirectory(prefix="ontology-") as scratch:
        nt_path = Path(scratch) / "ontology.nt"
        ox.serialize(triples, str(nt_path), ox.RdfFormat.N_TRIPLES)
        store.load_sources([PreparedSource("ontology", str(ONTOLOGY_PATH), digest, nt_path,
                                           records=1, skipped=0, triples=len(triples),
                                           replaces=previous)])
