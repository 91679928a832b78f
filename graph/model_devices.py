"""Plain records of FDA medical device data, which :mod:`ingest.fda` produces and
:mod:`graph.build_devices` turns into triples.

Like :mod:`graph.model`, every record holds source values as read (trimmed, dates
made ISO 8601, review panels made two-letter codes) and knows nothing about RDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Device", "DeviceType", "REVIEW_PANELS", "SUBMISSION_TYPES", "panel_code", "submission_kind",
    "SUBMISSION_NUMBER", "DeviceMatch",
]

#: FDA review panels (advisory committees) by their two-letter code, as the
#: classification database and the openFDA ``advisory_committee`` fields give them.
REVIEW_PANELS: dict[str, str] = {
    "AN": "Anesthesiology",
    "CV": "Cardiovascular",
    "CH": "Clinical Chemistry",
    "DE": "Dental",
    "EN": "Ear, Nose, and Throat",
    "GU": "Gastroenterology-Urology",
    "HO": "General Hospital",
    "HE": "Hematology",
    "IM": "Immunology",
    "MI": "Microbiology",
    "NE": "Neurology",
    "OB": "Obstetrics and Gynecology",
    "OP": "Ophthalmic",
    "OR": "Orthopedic",
    "PA": "Pathology",
    "PM": "Physical Medicine",
    "RA": "Radiology",
    "SU": "General and Plastic Surgery",
    "TX": "Clinical Toxicology",
    "MG": "Medical Genetics",
}

#: How a device record's ``kind`` is written (``hg:submissionType``).
SUBMISSION_TYPES: dict[str, str] = {
    "510k": "510(k)",
    "pma": "PMA",
    "de novo": "De Novo",
    "hde": "HDE",
    "udi": "UDI",
}

#: A premarket submission number: 510(k) (K, or BK at CBER), De Novo, PMA or HDE, a
#: PMA or HDE supplement written ``P140011/S008``.
SUBMISSION_NUMBER = re.compile(r"(?:K|BK)\d{6}|DEN\d{6}|[PH]\d{6}(?:/S\d{3,4})?")

_PANEL_KEY = re.compile(r"[^a-z]+")
_PANEL_ALIASES = {
    "clinicaltoxcicology": "TX",  # sic, in the FDA's AI-enabled device list
    "earnosethroat": "EN",
    "obstetricsgynecology": "OB",
    "gastroenterologyurology": "GU",
    "generalplasticsurgery": "SU",
    "physicalmedicine": "PM",
    "toxicology": "TX",
}


def _panel_key(name: str) -> str:
    return _PANEL_KEY.sub("", name.lower().replace(" and ", " ").replace("&", " "))


_PANEL_BY_NAME = {_panel_key(name): code for code, name in REVIEW_PANELS.items()} | _PANEL_ALIASES


def panel_code(value: str | None) -> str | None:
    """The two-letter code of a review panel given by code ("RA") or name ("Radiology")."""
    if not value:
        return None
    text = value.strip()
    if text.upper() in REVIEW_PANELS:
        return text.upper()
    return _PANEL_BY_NAME.get(_panel_key(text))


def submission_kind(number: str) -> str | None:
    """``510k``, ``de novo``, ``pma`` or ``hde`` for a submission number, else None."""
    if not SUBMISSION_NUMBER.fullmatch(number):
        return None
    if number.startswith("DEN"):
        return "de novo"
    return {"P": "pma", "H": "hde"}.get(number[0], "510k")


@dataclass(frozen=True, slots=True)
class DeviceType:
    """An FDA product code (``QIH``) from the classification database, or what a device
    record says about its product code.

    ``review_panel`` and ``medical_specialty`` are two-letter panel codes;
    ``device_class`` is ``1``, ``2``, ``3``, ``N`` (not classified), ``U``
    (unclassified) or ``F`` (HDE); ``regulation_number`` is a 21 CFR section
    (``892.2050``). Flags are None where the source does not say.
    """

    product_code: str
    name: str | None = None
    review_panel: str | None = None
    medical_specialty: str | None = None
    device_class: str | None = None
    regulation_number: str | None = None
    definition: str | None = None
    submission_type_id: str | None = None
    implant: bool | None = None
    life_sustaining: bool | None = None


@dataclass(frozen=True, slots=True)
class Device:
    """An FDA device record: a 510(k), De Novo, PMA or HDE submission, or a UDI device.

    ``number`` is the submission number (``K222728``, ``DEN200038``, ``P140011``, a PMA
    supplement as ``P140011/S008``) or, for ``kind`` ``udi``, the primary device
    identifier. ``kind`` is ``510k``, ``de novo``, ``pma``, ``hde`` or ``udi``. Dates are
    ISO ``YYYY-MM-DD``. ``panel`` is the two-letter code of the review panel the
    submission went to, ``panel_name`` its name as given. ``product_types`` describe
    the product codes as the record states them (primary first). ``submissions`` are the
    premarket submission numbers a UDI record cites. ``ai_enabled`` marks devices from
    the FDA's list of AI-enabled medical devices.
    """

    number: str
    kind: str
    name: str | None = None
    applicant: str | None = None
    decision_date: str | None = None
    received_date: str | None = None
    product_code: str | None = None
    panel: str | None = None
    panel_name: str | None = None
    device_class: str | None = None
    decision_code: str | None = None
    decision_description: str | None = None
    supplement_number: str | None = None
    base_number: str | None = None
    brand_name: str | None = None
    model_number: str | None = None
    description: str | None = None
    published: str | None = None
    url: str | None = None
    ai_enabled: bool = False
    product_types: tuple[DeviceType, ...] = ()
    submissions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeviceMatch:
    """A trial's device intervention found to be an FDA device (both IRIs), with the
    confidence of the match (0 to 1) and its evidence ("name-overlap:1.00",
    "applicant:same-name")."""

    intervention: str
    device: str
    confidence: float
    evidence: tuple[str, ...]
