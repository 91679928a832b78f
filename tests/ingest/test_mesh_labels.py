"""Resolving MeSH labels to UIs with the bundled descriptor list."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import MeshDescriptor
from ingest.mesh import read_mesh
from ingest.mesh_labels import mesh_ui_for_label

DESC_XML = Path(__file__).resolve().parent.parent / "data" / "mesh" / "desc-samples.xml"


@pytest.mark.parametrize(
    ("label", "ui"),
    [
        ("Calcimycin", "D000001"),
        ("Diabetes Mellitus", "D003920"),
        ("diabetes mellitus", "D003920"),
        ("NEOPLASMS", "D009369"),
        ("  Alzheimer Disease ", "D000544"),
        ("Abdomen, Acute", "D000006"),
        ("Humans", "D006801"),
    ],
)
def test_known_labels(label: str, ui: str) -> None:
    assert mesh_ui_for_label(label) == ui


@pytest.mark.parametrize("label", ["", "Diabetes", "Diabetes Mellitus, Type 9", "Tumors"])
def test_unknown_labels_and_entry_terms_do_not_match(label: str) -> None:
    # Exact descriptor names only: "Tumors" is an entry term of Neoplasms, not a name.
    assert mesh_ui_for_label(label) is None


def test_agrees_with_descriptor_xml_for_topical_descriptors() -> None:
    descriptors = [r for r in read_mesh(DESC_XML) if isinstance(r, MeshDescriptor)]
    topical = [d for d in descriptors if d.tree_numbers and d.tree_numbers[0][0] not in "VZ"]
    assert len(topical) == 16
    for descriptor in topical:
        assert mesh_ui_for_label(descriptor.label) == descriptor.ui, descriptor.label
