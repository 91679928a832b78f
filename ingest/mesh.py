"""Read MeSH descriptors from NLM's descriptor XML or MeSH RDF (N-Triples).

Both parsers stream their input and yield :class:`~graph.model.MeshDescriptor`
records, or :class:`~graph.model.SkippedRecord` for a descriptor they cannot use.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from graph.errors import IngestError
from graph.model import MeshDescriptor, SkippedRecord
from ingest.files import GZIP_MAGIC

__all__ = ["parse_mesh_xml", "parse_mesh_ntriples", "read_mesh", "tree_parent"]

MeshRecord = MeshDescriptor | SkippedRecord

_MESH = "http://id.nlm.nih.gov/mesh/"
_MESHV = _MESH + "vocab#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_TREE_NUMBER = _MESHV + "treeNumber"
_DESCRIPTOR_CLASSES = frozenset(
    _MESHV + name
    for name in ("TopicalDescriptor", "PublicationType", "CheckTag", "GeographicalDescriptor")
)
_DESCRIPTOR_UI = re.compile(r"D\d+")
_BLANK = b" \t\r\n\xef\xbb\xbf"  # whitespace and a UTF-8 byte order mark
_SNIFF_BYTES = 256
# XML starts with "<?", "<!" or a tag name; N-Triples with an absolute IRI ("<http:").
_XML_START = re.compile(rb"<(?:[?!]|[A-Za-z_][\w.-]*[\s/>])")


def tree_parent(tree_number: str) -> str | None:
    """The parent of a tree number (``C10.228.140`` -> ``C10.228``); None at a tree top."""
    parent, dot, _ = tree_number.rpartition(".")
    return parent if dot else None


# --- descriptor XML ---------------------------------------------------------------


def parse_mesh_xml(stream: BinaryIO, source: str = "<stream>") -> Iterator[MeshRecord]:
    """Yield the descriptors of a MeSH ``DescriptorRecordSet`` XML stream."""
    try:
        yield from _iter_descriptor_records(stream, source)
    except etree.XMLSyntaxError as exc:
        raise IngestError(source, f"XML syntax error: {exc.msg}") from exc


def _iter_descriptor_records(stream: BinaryIO, source: str) -> Iterator[MeshRecord]:
    """Walk the XML events, turning each top-level ``DescriptorRecord`` into a record."""
    context = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
    )
    root = None
    index = 0
    for event, elem in context:
        if root is None:
            root = elem
            _check_root(root.tag, source)
        elif event == "end" and elem.tag == "DescriptorRecord" and elem.getparent() is root:
            index += 1
            yield _descriptor_from_xml(elem, index)
            elem.clear()
            while elem.getprevious() is not None:
                del root[0]


def _check_root(tag: str, source: str) -> None:
    """Refuse any XML file that is not a descriptor record set."""
    if tag == "SupplementalRecordSet":
        raise IngestError(
            source,
            "supplementary concept records are not supported; give a descriptor file (desc*.xml)",
        )
    if tag != "DescriptorRecordSet":
        raise IngestError(source, f"not a MeSH descriptor file: root element is <{tag}>")


def _descriptor_from_xml(record: etree._Element, index: int) -> MeshRecord:
    """Turn one ``DescriptorRecord`` element into a record."""
    ui = _text(record.find("DescriptorUI"))
    if ui is None:
        return SkippedRecord(index, None, "DescriptorUI", "missing descriptor UI")
    label = _text(record.find("DescriptorName/String"))
    if label is None:
        return SkippedRecord(index, ui, "DescriptorName", "missing descriptor name")
    tree_numbers = _unique(_text(t) for t in record.iterfind("TreeNumberList/TreeNumber"))
    terms = _unique(_text(s) for s in record.iterfind("ConceptList/Concept/TermList/Term/String"))
    scope_note = _text(record.find("ConceptList/Concept[@PreferredConceptYN='Y']/ScopeNote"))
    return MeshDescriptor(
        ui=ui,
        label=label,
        tree_numbers=tree_numbers,
        scope_note=scope_note,
        synonyms=tuple(term for term in terms if term != label),
    )


def _text(elem: etree._Element | None) -> str | None:
    """An element's trimmed text, or None when absent or blank."""
    if elem is None or elem.text is None:
        return None
    return elem.text.strip() or None


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """The non-empty values, first occurrence kept, in order."""
    return tuple(dict.fromkeys(v for v in values if v))


# --- MeSH RDF (N-Triples) ---------------------------------------------------------


@dataclass
class _RdfDescriptor:
    """What the N-Triples say about one descriptor subject so far."""

    typed: bool = False
    labels: list[Literal] = field(default_factory=list)
    tree_numbers: list[str] = field(default_factory=list)


def parse_mesh_ntriples(stream: BinaryIO, source: str = "<stream>") -> Iterator[MeshRecord]:
    """Yield the descriptors (``D…`` subjects) of a MeSH RDF N-Triples stream."""
    subjects: dict[str, _RdfDescriptor] = {}
    try:
        for quad in parse(input=stream, format=RdfFormat.N_TRIPLES):
            ui = _descriptor_ui(quad.subject)
            if ui is not None:
                _note_triple(subjects, ui, quad.predicate.value, quad.object)
    except SyntaxError as exc:
        raise IngestError(source, f"N-Triples syntax error: {exc.msg}") from exc
    for index, (ui, found) in enumerate(subjects.items(), start=1):
        yield _descriptor_from_rdf(ui, found, index)


def _descriptor_ui(subject: object) -> str | None:
    """The descriptor UI a subject IRI names (``…/mesh/D000001``), else None."""
    if not isinstance(subject, NamedNode) or not subject.value.startswith(_MESH):
        return None
    last = subject.value.rsplit("/", 1)[1]
    return last if _DESCRIPTOR_UI.fullmatch(last) else None


def _note_triple(subjects: dict[str, _RdfDescriptor], ui: str, predicate: str, obj: object) -> None:
    """Keep a triple about a descriptor if it gives its class, label or a tree number."""
    if predicate == _RDF_TYPE and isinstance(obj, NamedNode) and obj.value in _DESCRIPTOR_CLASSES:
        subjects.setdefault(ui, _RdfDescriptor()).typed = True
    elif predicate == _RDFS_LABEL and isinstance(obj, Literal):
        subjects.setdefault(ui, _RdfDescriptor()).labels.append(obj)
    elif predicate == _TREE_NUMBER and isinstance(obj, NamedNode):
        subjects.setdefault(ui, _RdfDescriptor()).tree_numbers.append(obj.value.rsplit("/", 1)[1])


def _descriptor_from_rdf(ui: str, found: _RdfDescriptor, index: int) -> MeshRecord:
    """Turn what was gathered about one subject into a record."""
    if not found.typed:
        return SkippedRecord(index, ui, "rdf:type", "not typed as a meshv: descriptor class")
    label = _english_label(found.labels)
    if label is None:
        return SkippedRecord(index, ui, "rdfs:label", "missing descriptor label")
    return MeshDescriptor(ui=ui, label=label, tree_numbers=_unique(found.tree_numbers))


def _english_label(labels: list[Literal]) -> str | None:
    """The English (or untagged) label if there is one, else the first label."""
    preferred = [lit for lit in labels if lit.language in (None, "en")] or labels
    for literal in preferred:
        if literal.value.strip():
            return literal.value.strip()
    return None


# --- files ------------------------------------------------------------------------


def read_mesh(path: str | os.PathLike[str]) -> Iterator[MeshRecord]:
    """Yield the descriptors of a MeSH XML or N-Triples file, gzipped or not."""
    name = os.fspath(path)
    with _wrap_io_errors(name):
        gzipped, head = _sniff(name)
        parser = parse_mesh_xml if _XML_START.match(head) else parse_mesh_ntriples
        with _open(name, gzipped) as stream:
            yield from parser(stream, name)


def _sniff(path: str) -> tuple[bool, bytes]:
    """Whether a file is gzipped, and its first bytes after leading blanks."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
    head = b""
    with _open(path, gzipped) as stream:
        while len(head) < _SNIFF_BYTES and (chunk := stream.read(_SNIFF_BYTES)):
            head = (head + chunk).lstrip(_BLANK)
    if not head:
        raise IngestError(path, "the file is empty")
    return gzipped, head


def _open(path: str, gzipped: bool) -> BinaryIO:
    """Open a file for binary reading, decompressing gzip."""
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


@contextmanager
def _wrap_io_errors(path: str) -> Iterator[None]:
    """Turn read and decompression failures into :class:`IngestError` naming the file."""
    try:
        yield
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise IngestError(path, f"truncated or corrupt gzip data: {exc}") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot read the file: {exc.strerror or exc}") from exc
