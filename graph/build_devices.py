"""FDA device records as triples, written with a :class:`graph.build.GraphBuilder`.

A device is a ``schema:MedicalDevice`` named by its submission number (or UDI device
identifier), so that the same number read from several files is one node::

    <device/k222728> a schema:MedicalDevice ;
        rdfs:label "Radiation Planning Assistant" ; schema:name "Radiation Planning Assistant" ;
        dcterms:identifier "K222728" ; hg:submissionType "510(k)" ;
        hg:decisionDate "2023-05-17"^^xsd:date ; dcterms:dateSubmitted "2022-09-08"^^xsd:date ;
        hg:productCode <device-type/MUJ> ; hg:reviewPanel <device-panel/RA> ;
        schema:manufacturer <org/ror-04twxam07> ; hg:aiEnabled true .
    <device-type/MUJ> a hg:DeviceType ; dcterms:identifier "MUJ" ;
        rdfs:label "System, Planning, Radiation Therapy Treatment" ;
        hg:reviewPanel <device-panel/RA> ; hg:deviceClass "2" ; hg:regulationNumber "892.5050" .
    <device-panel/RA> a hg:ReviewPanel ; rdfs:label "Radiology" ; skos:notation "RA" .

A PMA supplement (``P140011/S008``) is ``dcterms:isVersionOf`` its PMA; a UDI device
links the submissions that cleared it with ``hg:premarketSubmission``. A submission
known only by such a reference is written with its number and type alone.
"""

from __future__ import annotations

from graph import ntriples as nt
from graph.build import GraphBuilder
from graph.model import OrgRef
from graph.model_devices import (
    REVIEW_PANELS, SUBMISSION_TYPES, Device, DeviceMatch, DeviceType, panel_code, submission_kind,
)
from graph.namespaces import DCTERMS, FOAF, HG, RDF, RDFS, SCHEMA, SKOS, VIVO
from graph.uris import Minter, slug

__all__ = ["write_device", "write_device_type", "write_device_match", "panel_iri"]

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
IDENTIFIER = f"<{DCTERMS}identifier>"
SUBMISSION_TYPE = f"<{HG}submissionType>"
REVIEW_PANEL = f"<{HG}reviewPanel>"


def panel_iri(minter: Minter, code: str | None, name: str | None = None) -> str | None:
    """The IRI of a review panel, by its two-letter code (or, unknown, its name)."""
    if code:
        return f"{minter.base}device-panel/{code.upper()}"
    if name and slug(name):
        return f"{minter.base}device-panel/{slug(name)}"
    return None


def write_device(builder: GraphBuilder, device: Device, applicant: OrgRef | None) -> None:
    """A device record, its product codes, review panel and applicant organisation."""
    m = builder.minter
    d = nt.iri(m.device(device.number))
    lines = [
        f"{d} {A} <{SCHEMA}MedicalDevice> .\n",
        f"{d} {IDENTIFIER} {nt.lit(device.number)} .\n",
        f"{d} {SUBMISSION_TYPE} {nt.lit(SUBMISSION_TYPES.get(device.kind, device.kind))} .\n",
    ]
    add = lines.append
    name = device.name or device.brand_name
    if name:
        add(f"{d} {LABEL} {nt.lit(name)} .\n")
        add(f"{d} <{SCHEMA}name> {nt.lit(name)} .\n")
    if device.decision_date:
        add(f"{d} <{HG}decisionDate> {nt.typed(device.decision_date, 'date')} .\n")
    if device.received_date:
        add(f"{d} <{DCTERMS}dateSubmitted> {nt.typed(device.received_date, 'date')} .\n")
    if device.published:
        add(f"{d} <{DCTERMS}issued> {nt.typed(device.published, 'date')} .\n")
    if device.decision_code:
        add(f"{d} <{HG}decisionCode> {nt.lit(device.decision_code)} .\n")
    if device.decision_description:
        add(f"{d} <{HG}decisionDescription> {nt.lit(device.decision_description)} .\n")
    if device.model_number:
        add(f"{d} <{SCHEMA}model> {nt.lit(device.model_number)} .\n")
    if device.description:
        add(f"{d} <{SCHEMA}description> {nt.lit(device.description)} .\n")
    if device.url:
        add(f"{d} <{SCHEMA}url> {nt.iri(device.url)} .\n")
    if device.ai_enabled:
        add(f"{d} <{HG}aiEnabled> {nt.boolean(True)} .\n")
    panel = panel_iri(m, device.panel, device.panel_name)
    if panel:
        add(f"{d} {REVIEW_PANEL} {nt.iri(panel)} .\n")
        _panel_lines(builder, panel, device.panel, device.panel_name, lines)
    codes = [device.product_code] if device.product_code else []
    codes += [t.product_code for t in device.product_types if t.product_code not in codes]
    for code in codes:
        add(f"{d} <{HG}productCode> {nt.iri(m.device_type(code))} .\n")
        _device_type_lines(builder, DeviceType(code), lines)
    for device_type in device.product_types:
        _device_type_lines(builder, device_type, lines)
    if device.base_number and device.base_number != device.number:
        base = nt.iri(m.device(device.base_number))
        add(f"{d} <{DCTERMS}isVersionOf> {base} .\n")
        _submission_lines(builder, device.base_number, lines)
    for number in device.submissions:
        add(f"{d} <{HG}premarketSubmission> {nt.iri(m.device(number))} .\n")
        _submission_lines(builder, number, lines)
    if applicant is not None:
        add(f"{d} <{SCHEMA}manufacturer> {nt.iri(applicant.iri)} .\n")
        _org_lines(builder, applicant, lines)
    builder.emit(lines)


def write_device_type(builder: GraphBuilder, device_type: DeviceType) -> None:
    """A product code of the classification database, with panel, class and regulation."""
    lines: list[str] = []
    _device_type_lines(builder, device_type, lines)
    builder.emit(lines)


def _device_type_lines(builder: GraphBuilder, dt: DeviceType, lines: list[str]) -> None:
    m = builder.minter
    t = nt.iri(m.device_type(dt.product_code))
    add = lines.append
    if builder.first(t):
        add(f"{t} {A} <{HG}DeviceType> .\n")
        add(f"{t} {IDENTIFIER} {nt.lit(dt.product_code.upper())} .\n")
    if not builder.first("device-type " + repr(dt)):
        return  # described alike before in this graph
    if dt.name:
        add(f"{t} {LABEL} {nt.lit(dt.name)} .\n")
    for predicate, code in ((REVIEW_PANEL, dt.review_panel), (f"<{HG}medicalSpecialty>", dt.medical_specialty)):
        panel = panel_iri(m, code)
        if panel:
            add(f"{t} {predicate} {nt.iri(panel)} .\n")
            _panel_lines(builder, panel, code, None, lines)
    if dt.device_class:
        add(f"{t} <{HG}deviceClass> {nt.lit(dt.device_class)} .\n")
    if dt.regulation_number:
        add(f"{t} <{HG}regulationNumber> {nt.lit(dt.regulation_number)} .\n")
    if dt.definition:
        add(f"{t} <{SKOS}definition> {nt.lit(dt.definition)} .\n")
    if dt.implant is not None:
        add(f"{t} <{HG}implant> {nt.boolean(dt.implant)} .\n")
    if dt.life_sustaining is not None:
        add(f"{t} <{HG}lifeSustaining> {nt.boolean(dt.life_sustaining)} .\n")


def _panel_lines(builder: GraphBuilder, panel: str, code: str | None, name: str | None,
                 lines: list[str]) -> None:
    p = nt.iri(panel)
    if not builder.first(p):
        return
    code = panel_code(code) or panel_code(name)
    label = REVIEW_PANELS.get(code or "") or name or code or ""
    lines.append(f"{p} {A} <{HG}ReviewPanel> .\n")
    lines.append(f"{p} {LABEL} {nt.lit(label)} .\n")
    if code:
        lines.append(f"{p} <{SKOS}notation> {nt.lit(code)} .\n")


def _submission_lines(builder: GraphBuilder, number: str, lines: list[str]) -> None:
    """A submission known only by its number (cited by a UDI record or a PMA supplement)."""
    s = nt.iri(builder.minter.device(number))
    if not builder.first("submission " + s):
        return
    kind = submission_kind(number)
    lines.append(f"{s} {A} <{SCHEMA}MedicalDevice> .\n")
    lines.append(f"{s} {IDENTIFIER} {nt.lit(number)} .\n")
    if kind:
        lines.append(f"{s} {SUBMISSION_TYPE} {nt.lit(SUBMISSION_TYPES[kind])} .\n")
    base = number.partition("/")[0]
    if base != number:
        lines.append(f"{s} <{DCTERMS}isVersionOf> {nt.iri(builder.minter.device(base))} .\n")
        _submission_lines(builder, base, lines)


def _org_lines(builder: GraphBuilder, org: OrgRef, lines: list[str]) -> None:
    """An applicant: a company is a vivo:PrivateCompany; others as the builder writes them."""
    if org.kind != "company":
        builder.org_lines(org, lines)
        return
    o = nt.iri(org.iri)
    if not org.describe or not builder.first(o):
        return
    lines.append(f"{o} {A} <{FOAF}Organization> .\n")
    lines.append(f"{o} {A} <{VIVO}PrivateCompany> .\n")
    lines.append(f"{o} {LABEL} {nt.lit(org.label)} .\n")


def write_device_match(builder: GraphBuilder, match: DeviceMatch) -> None:
    """A trial's device intervention linked to the FDA device it is, with the match record
    (confidence and evidence) that says why."""
    intervention, device = nt.iri(match.intervention), nt.iri(match.device)
    record = nt.iri(f"{match.intervention}/device-match/{match.device.rsplit('/', 1)[-1]}")
    builder.emit([
        f"{intervention} <{HG}fdaDevice> {device} .\n",
        f"{record} {A} <{HG}DeviceMatch> .\n",
        f"{record} <{HG}matchedIntervention> {intervention} .\n",
        f"{record} <{HG}matchedDevice> {device} .\n",
        f"{record} <{HG}confidence> {nt.decimal(match.confidence)} .\n",
        *(f"{record} <{HG}matchEvidence> {nt.lit(e)} .\n" for e in match.evidence),
    ])
