"""MeSH descriptor XML and MeSH RDF parsing, on real NLM sample files."""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import MeshDescriptor, SkippedRecord
from ingest.mesh import parse_mesh_ntriples, parse_mesh_xml, read_mesh, tree_parent

DATA = Path(__file__).resolve().parent.parent / "data" / "mesh"
DESC_XML = DATA / "desc-samples.xml"
MESH_NT = DATA / "meshrdf-samples.nt"


@pytest.fixture(scope="module")
def xml_by_ui() -> dict[str, MeshDescriptor]:
    records = list(read_mesh(DESC_XML))
    assert all(isinstance(r, MeshDescriptor) for r in records)
    return {r.ui: r for r in records if isinstance(r, MeshDescriptor)}


@pytest.fixture(scope="module")
def nt_by_ui() -> dict[str, MeshDescriptor]:
    records = list(read_mesh(MESH_NT))
    assert all(isinstance(r, MeshDescriptor) for r in records)
    return {r.ui: r for r in records if isinstance(r, MeshDescriptor)}


# --- tree_parent --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tree_number", "parent"),
    [
        ("C10.228.140", "C10.228"),
        ("C18.452.394.750", "C18.452.394"),
        ("C19.246", "C19"),
        ("C10", None),
        ("C04", None),
    ],
)
def test_tree_parent(tree_number: str, parent: str | None) -> None:
    assert tree_parent(tree_number) == parent


def test_tree_parent_links_real_descriptors(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    # Diabetes Complications (C19.246.099) sits under Diabetes Mellitus (C19.246).
    assert tree_parent("C19.246.099") in xml_by_ui["D003920"].tree_numbers
    assert "C19.246.099" in xml_by_ui["D048909"].tree_numbers


# --- descriptor XML -----------------------------------------------------------------


def test_xml_reads_every_descriptor_in_order(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    assert len(xml_by_ui) == 20
    assert list(xml_by_ui)[:3] == ["D000001", "D000005", "D000082"]


def test_xml_diabetes_mellitus(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    assert xml_by_ui["D003920"] == MeshDescriptor(
        ui="D003920",
        label="Diabetes Mellitus",
        tree_numbers=("C18.452.394.750", "C19.246"),
        scope_note=(
            "A heterogeneous group of disorders characterized by HYPERGLYCEMIA and "
            "GLUCOSE INTOLERANCE."
        ),
        synonyms=(),
    )


def test_xml_synonyms_exclude_the_label(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    humans = xml_by_ui["D006801"]
    assert humans.synonyms == ("Man, Modern", "Modern Man", "Man (Taxonomy)", "Homo sapiens", "Human")
    neoplasms = xml_by_ui["D009369"]
    assert {"Tumors", "Cancer", "Neoplasm"} <= set(neoplasms.synonyms)
    assert "Neoplasms" not in neoplasms.synonyms


def test_xml_synonyms_include_non_preferred_concepts(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    # "Paracetamol" is a term of the preferred concept, "Acephen" of another concept.
    synonyms = xml_by_ui["D000082"].synonyms
    assert "Paracetamol" in synonyms
    assert "Acephen" in synonyms
    assert len(synonyms) == len(set(synonyms))


def test_xml_scope_note_comes_from_preferred_concept(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    note = xml_by_ui["D006801"].scope_note
    assert note is not None and note.endswith("the species Homo sapiens.")


def test_xml_descriptor_classes(xml_by_ui: dict[str, MeshDescriptor]) -> None:
    female = xml_by_ui["D005260"]  # check tag: no tree numbers, no scope note
    assert (female.label, female.tree_numbers, female.scope_note) == ("Female", (), None)
    assert female.synonyms == ("Females",)
    assert xml_by_ui["D005858"].tree_numbers == ("Z01.542.315", "Z01.586.315")  # Germany
    assert xml_by_ui["D016449"].label == "Randomized Controlled Trial"
    assert xml_by_ui["D016449"].tree_numbers == ("V03.175.250.500.500",)


def test_parse_mesh_xml_reads_a_stream() -> None:
    records = list(parse_mesh_xml(io.BytesIO(DESC_XML.read_bytes())))
    assert len(records) == 20
    first = records[0]
    assert isinstance(first, MeshDescriptor)
    assert (first.ui, first.label, first.tree_numbers) == ("D000001", "Calcimycin", ("D03.438.221.173",))
    assert first.synonyms == ("A-23187", "A 23187", "Antibiotic A23187", "A23187, Antibiotic", "A23187")


def test_xml_record_without_ui_is_skipped() -> None:
    text = DESC_XML.read_text(encoding="utf-8")
    broken = text.replace("<DescriptorUI>D000001</DescriptorUI>\n  <DescriptorName>", "<DescriptorName>", 1)
    assert broken != text
    records = list(parse_mesh_xml(io.BytesIO(broken.encode("utf-8")), "desc-broken.xml"))
    skipped = records[0]
    assert isinstance(skipped, SkippedRecord)
    assert (skipped.index, skipped.record_id, skipped.field) == (1, None, "DescriptorUI")
    assert "desc-broken.xml: record 1" in skipped.describe("desc-broken.xml")
    parsed = [r.ui for r in records if isinstance(r, MeshDescriptor)]
    assert parsed[:2] == ["D000005", "D000082"]
    assert len(parsed) == 19


def test_xml_record_without_name_is_skipped() -> None:
    text = DESC_XML.read_text(encoding="utf-8")
    name = "<DescriptorName>\n   <String>Abdomen</String>\n  </DescriptorName>"
    assert name in text
    records = list(parse_mesh_xml(io.BytesIO(text.replace(name, "", 1).encode("utf-8"))))
    assert records[1] == SkippedRecord(2, "D000005", "DescriptorName", "missing descriptor name")
    assert isinstance(records[2], MeshDescriptor)


def test_truncated_xml_raises_ingest_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "desc2025.xml"
    path.write_bytes(DESC_XML.read_bytes()[:50_000])
    with pytest.raises(IngestError, match="XML syntax error") as info:
        list(read_mesh(path))
    assert "desc2025.xml" in str(info.value)
    assert "line" in str(info.value)


def test_supplementary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "supp2025.xml"
    path.write_text(
        '<SupplementalRecordSet LanguageCode = "eng">\n<SupplementalRecord SCRClass = "1">\n'
        "  <SupplementalRecordUI>C025735</SupplementalRecordUI>\n"
        "</SupplementalRecord>\n</SupplementalRecordSet>\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestError, match=r"supplementary concept records are not supported") as info:
        list(read_mesh(path))
    assert "supp2025.xml" in str(info.value)
    assert "desc*.xml" in str(info.value)


def test_other_xml_is_refused() -> None:
    with pytest.raises(IngestError, match="root element is <QualifierRecordSet>"):
        list(parse_mesh_xml(io.BytesIO(b"<QualifierRecordSet></QualifierRecordSet>"), "qual.xml"))


def test_xml_entities_are_not_expanded() -> None:
    doc = (
        b'<?xml version="1.0"?>\n<!DOCTYPE DescriptorRecordSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<DescriptorRecordSet><DescriptorRecord><DescriptorUI>D000001</DescriptorUI>"
        b"<DescriptorName><String>Calcimycin&x;</String></DescriptorName></DescriptorRecord>"
        b"</DescriptorRecordSet>"
    )
    (record,) = parse_mesh_xml(io.BytesIO(doc))
    assert record == MeshDescriptor(ui="D000001", label="Calcimycin")


# --- MeSH RDF (N-Triples) -------------------------------------------------------------


def test_nt_reads_descriptors_only(nt_by_ui: dict[str, MeshDescriptor]) -> None:
    assert len(nt_by_ui) == 43
    assert all(ui.startswith("D") and ui[1:].isdigit() for ui in nt_by_ui)
    assert "D003920Q000097" not in nt_by_ui  # a descriptor-qualifier pair


def test_nt_diabetes_mellitus(nt_by_ui: dict[str, MeshDescriptor]) -> None:
    assert nt_by_ui["D003920"] == MeshDescriptor(
        ui="D003920", label="Diabetes Mellitus", tree_numbers=("C18.452.394.750", "C19.246")
    )


def test_nt_reads_every_descriptor_class(nt_by_ui: dict[str, MeshDescriptor]) -> None:
    assert nt_by_ui["D005260"].label == "Female"  # CheckTag
    assert nt_by_ui["D005858"].label == "Germany"  # GeographicalDescriptor
    assert nt_by_ui["D016454"].label == "Review"  # PublicationType
    assert nt_by_ui["D009369"].tree_numbers == ("C04",)


def test_xml_and_nt_agree(xml_by_ui: dict[str, MeshDescriptor], nt_by_ui: dict[str, MeshDescriptor]) -> None:
    shared = xml_by_ui.keys() & nt_by_ui.keys()
    assert shared == xml_by_ui.keys()
    for ui in shared:
        assert nt_by_ui[ui].label == xml_by_ui[ui].label, ui
        assert set(nt_by_ui[ui].tree_numbers) == set(xml_by_ui[ui].tree_numbers), ui


def test_nt_prefers_english_label() -> None:
    lines = (
        '<http://id.nlm.nih.gov/mesh/D002493> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"Maladie du syst\\u00E8me nerveux central"@fr .\n'
        '<http://id.nlm.nih.gov/mesh/D002493> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"Central Nervous System Diseases"@en .\n'
        "<http://id.nlm.nih.gov/mesh/D002493> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://id.nlm.nih.gov/mesh/vocab#TopicalDescriptor> .\n"
    )
    (record,) = parse_mesh_ntriples(io.BytesIO(lines.encode("ascii")))
    assert record == MeshDescriptor(ui="D002493", label="Central Nervous System Diseases")


def test_nt_untyped_subject_is_skipped() -> None:
    lines = (
        '<http://id.nlm.nih.gov/mesh/D002493> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"Central Nervous System Diseases"@en .\n'
    )
    (record,) = parse_mesh_ntriples(io.BytesIO(lines.encode("ascii")))
    assert record == SkippedRecord(1, "D002493", "rdf:type", "not typed as a meshv: descriptor class")


def test_nt_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    lines = MESH_NT.read_text(encoding="utf-8").splitlines(keepends=True)[:10]
    path = tmp_path / "mesh-broken.nt"
    broken = '<http://id.nlm.nih.gov/mesh/D000001> "not a predicate" <http://x> .\n'
    path.write_text("".join(lines) + broken, encoding="utf-8")
    with pytest.raises(IngestError, match="N-Triples syntax error") as info:
        list(read_mesh(path))
    assert "mesh-broken.nt" in str(info.value)
    assert "line 11" in str(info.value)


# --- files ------------------------------------------------------------------------


@pytest.mark.parametrize("source", [DESC_XML, MESH_NT])
def test_gzipped_files_are_read(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "mesh.data.gz"  # the name says nothing; the magic bytes do
    with source.open("rb") as raw, gzip.open(path, "wb") as packed:
        shutil.copyfileobj(raw, packed)
    assert list(read_mesh(path)) == list(read_mesh(source))


def test_truncated_gzip_raises_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "desc2025.xml.gz"
    packed = gzip.compress(DESC_XML.read_bytes())
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(IngestError, match="gzip") as info:
        list(read_mesh(path))
    assert "desc2025.xml.gz" in str(info.value)


def test_empty_and_missing_files_raise_ingest_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"\n  \n")
    with pytest.raises(IngestError, match="empty.xml: the file is empty"):
        list(read_mesh(empty))
    with pytest.raises(IngestError, match="missing.nt: cannot read the file"):
        list(read_mesh(tmp_path / "missing.nt"))
