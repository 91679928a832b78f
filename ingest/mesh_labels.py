"""Resolve MeSH descriptor labels to UIs with the bundled descriptor list.

For sources that name MeSH descriptors only by label (MEDLINE text,
ClinicalTrials.gov conditions, RePORTER terms). The list is
``ingest/data/mesh_descriptors.csv.gz`` (see ``ingest/data/SOURCES.md``).
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib import resources

__all__ = ["mesh_ui_for_label"]

_DATA_FILE = "mesh_descriptors.csv.gz"


def mesh_ui_for_label(label: str) -> str | None:
    """The UI of the descriptor with this label (case-insensitive, exact), or None."""
    return _ui_by_label().get(label.strip().casefold())


@cache
def _ui_by_label() -> dict[str, str]:
    """The bundled list as a map from case-folded label to UI, read once."""
    packed = resources.files("ingest").joinpath("data", _DATA_FILE).read_bytes()
    text = io.StringIO(gzip.decompress(packed).decode("utf-8"), newline="")
    return {row["label"].casefold(): row["ui"] for row in csv.DictReader(text)}
