"""FDA medical device data: parsers and the ``fda-devices`` converter.

Formats, told apart by content (a ``.gz`` or ``.zip`` wrapper is opened first):

* openFDA JSON, an API response ``{"meta": ..., "results": [...]}``, a bare array of
  results or one result, from ``/device/510k``, ``/device/pma``,
  ``/device/classification`` or ``/device/udi`` — the endpoint is read from each
  result's fields (``k_number``, ``pma_number``, ``identifiers``, ``review_panel``);
* the enriched JSON of the FDA's AI-enabled device list (``submission_id`` ...);
* GUDID XML (``<device>`` elements in namespace ``http://www.fda.gov/cdrh/gudid``);
* the FDA's AI-enabled device list XML (``<row>`` elements whose Submission_number is
  an Excel ``=HYPERLINK("url", "K222728")`` formula);
* ``foiclass.txt``, the product-code classification file: pipe-delimited, no quoting,
  Windows-1252 (Latin-1) text with CRLF line ends and a header row naming the columns.

JSON is read as a stream (one result at a time), XML with ``iterparse`` and the
classification file line by line. A record that cannot be used is yielded as a
:class:`~graph.model.SkippedRecord` naming its index, number and field; a file that
cannot be read at all raises :class:`~graph.errors.IngestError` naming the file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from lxml import etree

from graph.build import GraphBuilder
from graph.build_devices import write_device, write_device_type
from graph.errors import IngestError
from graph.model import OrgRef, SkippedRecord
from graph.model_devices import SUBMISSION_NUMBER, Device, DeviceType, panel_code, submission_kind
from graph.store import Store
from graph.uris import slug
from ingest.affiliations import AffiliationResolver, kind_from_name, normalise
from ingest.files import GZIP_MAGIC
from ingest.pipeline import Converter, FileReport

__all__ = [
    "FdaRecord", "FdaDevicesConverter", "read_fda", "parse_fda_json", "parse_fda_xml",
    "parse_foiclass", "GUDID_NS",
]

FdaRecord = Device | DeviceType | SkippedRecord
Tick = Callable[[int], None]

GUDID_NS = "http://www.fda.gov/cdrh/gudid"

_ZIP_MAGIC = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"
_BLANK = b" \t\r\n"
_SPACE = re.compile(r"\s+")
_PRODUCT_CODE = re.compile(r"[A-Z]{3}")
_DEVICE_CLASSES = frozenset("123NUF")
_HYPERLINK = re.compile(r'^=?\s*HYPERLINK\(\s*"([^"]*)"\s*[,;]\s*"([^"]*)"\s*\)\s*$', re.IGNORECASE)
_URL_ID = re.compile(r"[?&]ID=([A-Za-z0-9/]+)")
_C1 = re.compile("[\x80-\x9f]")
_FORMATS = ("openFDA device JSON (510k, PMA, classification, UDI), GUDID XML, "
            "the AI-enabled device list (XML or JSON) or foiclass.txt")


class _BadField(Exception):
    """A record field that cannot be used; the record is skipped."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# -- values ------------------------------------------------------------------------------


def _fix_c1(text: str) -> str:
    """Windows-1252 punctuation that was decoded as Latin-1 (U+0099 -> ™, U+0093 -> “)."""
    def fix(match: re.Match[str]) -> str:
        try:
            return match.group().encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return ""
    return _C1.sub(fix, text)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = _SPACE.sub(" ", _fix_c1(value)).strip()
    return text or None


def _text(obj: dict[str, Any], key: str) -> str | None:
    """A text field of a JSON record: trimmed, None when absent or empty."""
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):  # openfda.* are lists in bulk files
        return _clean(value[0]) if value else None
    raise _BadField(key, f"expected text, found {type(value).__name__}")


def _submission_number(value: str | None, field: str) -> str:
    if not value:
        raise _BadField(field, "missing submission number")
    number = value.strip().upper().replace(" ", "")
    if not SUBMISSION_NUMBER.fullmatch(number):
        raise _BadField(field, f"'{value}' is not a K, DEN, P or H submission number")
    return number


def _supplement(value: str | None, field: str) -> str | None:
    """``S008`` for "S008", "008" or "8"; None for an original ("", "000")."""
    if not value:
        return None
    digits = value.strip().upper().removeprefix("S")
    if not digits.isdigit():
        raise _BadField(field, f"'{value}' is not a supplement number")
    return None if int(digits) == 0 else "S" + digits.zfill(3)


def _date(value: str | None, field: str) -> str | None:
    """ISO ``YYYY-MM-DD`` of ``2023-05-17``, ``20230517`` or ``05/17/2023``."""
    if not value:
        return None
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise _BadField(field, f"'{value}' is not a date")


def _product_code(value: str | None, field: str) -> str | None:
    if not value:
        return None
    code = value.strip().upper()
    if not _PRODUCT_CODE.fullmatch(code):
        raise _BadField(field, f"'{value}' is not a three-letter product code")
    return code


def _device_class(value: str | None, field: str) -> str | None:
    if not value:
        return None
    code = value.strip().upper()
    if code not in _DEVICE_CLASSES:
        raise _BadField(field, f"'{value}' is not a device class (1, 2, 3, N, U or F)")
    return code


def _flag(value: object, field: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("y", "yes", "true", "1"):
        return True
    if text in ("n", "no", "false", "0"):
        return False
    raise _BadField(field, f"'{value}' is not a Y/N flag")


def _object(value: object, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _BadField(field, f"expected an object, found {type(value).__name__}")
    return value


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _BadField(field, f"expected a list, found {type(value).__name__}")
    return value


def _premarket(number: str | None, supplement: str | None) -> str | None:
    """``K094035`` or ``P950002/S001`` for a submission a UDI record cites; None if unusable."""
    try:
        base = _submission_number(number, "submission_number")
        supp = _supplement(supplement, "supplement_number")
    except _BadField:
        return None  # GUDID lists exempt devices with placeholder numbers: not a submission
    if "/" in base or base[0] not in "PH" or not supp:
        return base
    return f"{base}/{supp}"


# -- JSON ---------------------------------------------------------------------------------


def _json_record(obj: object, index: int) -> FdaRecord:
    if not isinstance(obj, dict):
        return SkippedRecord(index, None, "record", f"expected a JSON object, found {type(obj).__name__}")
    try:
        keys = obj.keys()
        if "k_number" in keys or keys & {"clearance_type", "review_advisory_committee", "statement_or_summary"}:
            return _clearance(obj)
        if "pma_number" in keys or keys & {"trade_name", "supplement_number", "supplement_type", "ao_statement"}:
            return _pma(obj)
        if "submission_id" in keys or keys >= {"device", "company", "code"}:
            return _ai_json(obj)
        if keys & {"identifiers", "public_device_record_key", "brand_name", "company_name"}:
            return _udi(obj)
        if "product_code" in keys and keys & {"review_panel", "device_class", "regulation_number",
                                                   "medical_specialty"}:
            return _classification(obj)
    except _BadField as exc:
        return SkippedRecord(index, _json_id(obj), exc.field, exc.reason)
    return SkippedRecord(index, None, "record", "not an openFDA 510(k), PMA, classification or UDI record, "
                                                "nor an AI-enabled device list entry")


def _json_id(obj: dict[str, Any]) -> str | None:
    keys = ["k_number", "pma_number", "submission_id"]
    if not obj.keys() & {"applicant", "company", "company_name", "identifiers"}:
        keys.append("product_code")  # a classification record
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    for ident in obj.get("identifiers") or ():
        if isinstance(ident, dict) and isinstance(ident.get("id"), str):
            return ident["id"]
    return None


def _openfda_type(code: str | None, block: object) -> tuple[DeviceType, ...]:
    """What a 510(k) or PMA record's ``openfda`` block says about its product code."""
    info = _object(block, "openfda")
    if not code or not info:
        return ()
    return (DeviceType(
        code,
        name=_text(info, "device_name"),
        medical_specialty=panel_code(_text(info, "medical_specialty_description")),
        device_class=_device_class(_text(info, "device_class"), "openfda.device_class"),
        regulation_number=_text(info, "regulation_number"),
    ),)


def _clearance(obj: dict[str, Any]) -> Device:
    """A /device/510k result (510(k) or De Novo)."""
    number = _submission_number(_text(obj, "k_number"), "k_number")
    code = _product_code(_text(obj, "product_code"), "product_code")
    panel_name = _text(obj, "advisory_committee_description")
    return Device(
        number, submission_kind(number) or "510k",
        name=_text(obj, "device_name"),
        applicant=_text(obj, "applicant"),
        decision_date=_date(_text(obj, "decision_date"), "decision_date"),
        received_date=_date(_text(obj, "date_received"), "date_received"),
        product_code=code,
        panel=panel_code(_text(obj, "advisory_committee")) or panel_code(panel_name),
        panel_name=panel_name,
        decision_code=_text(obj, "decision_code"),
        decision_description=_text(obj, "decision_description"),
        product_types=_openfda_type(code, obj.get("openfda")),
    )


def _pma(obj: dict[str, Any]) -> Device:
    """A /device/pma result: an original PMA or one of its supplements."""
    base = _submission_number(_text(obj, "pma_number"), "pma_number")
    if base[0] not in "PH" or "/" in base:
        raise _BadField("pma_number", f"'{base}' is not a PMA or HDE number")
    supplement = _supplement(_text(obj, "supplement_number"), "supplement_number")
    code = _product_code(_text(obj, "product_code"), "product_code")
    panel_name = _text(obj, "advisory_committee_description")
    return Device(
        f"{base}/{supplement}" if supplement else base, submission_kind(base) or "pma",
        name=_text(obj, "trade_name") or _text(obj, "generic_name"),
        applicant=_text(obj, "applicant"),
        decision_date=_date(_text(obj, "decision_date"), "decision_date"),
        received_date=_date(_text(obj, "date_received"), "date_received"),
        product_code=code,
        panel=panel_code(_text(obj, "advisory_committee")) or panel_code(panel_name),
        panel_name=panel_name,
        decision_code=_text(obj, "decision_code"),
        supplement_number=supplement,
        base_number=base if supplement else None,
        product_types=_openfda_type(code, obj.get("openfda")),
    )


def _classification(obj: dict[str, Any]) -> DeviceType:
    """A /device/classification result."""
    code = _product_code(_text(obj, "product_code"), "product_code")
    if code is None:
        raise _BadField("product_code", "missing product code")
    return DeviceType(
        code,
        name=_text(obj, "device_name"),
        review_panel=panel_code(_text(obj, "review_panel")),
        medical_specialty=panel_code(_text(obj, "medical_specialty"))
        or panel_code(_text(obj, "medical_specialty_description")),
        device_class=_device_class(_text(obj, "device_class"), "device_class"),
        regulation_number=_text(obj, "regulation_number"),
        definition=_text(obj, "definition"),
        submission_type_id=_text(obj, "submission_type_id"),
        implant=_flag(obj.get("implant_flag"), "implant_flag"),
        life_sustaining=_flag(obj.get("life_sustain_support_flag"), "life_sustain_support_flag"),
    )


def _udi(obj: dict[str, Any]) -> Device:
    """A /device/udi result, keyed by its primary device identifier."""
    primary = None
    for i, ident in enumerate(_list(obj.get("identifiers"), "identifiers")):
        ident = _object(ident, f"identifiers[{i}]")
        if (_text(ident, "type") or "").lower() == "primary":
            primary = _text(ident, "id")
            break
    if not primary:
        raise _BadField("identifiers", "no primary device identifier")
    types = []
    for i, item in enumerate(_list(obj.get("product_codes"), "product_codes")):
        item = _object(item, f"product_codes[{i}]")
        code = _product_code(_text(item, "code"), f"product_codes[{i}].code")
        if code and all(t.product_code != code for t in types):
            info = _object(item.get("openfda"), f"product_codes[{i}].openfda")
            types.append(DeviceType(
                code,
                name=_text(item, "name") or _text(info, "device_name"),
                medical_specialty=panel_code(_text(info, "medical_specialty_description")),
                device_class=_device_class(_text(info, "device_class"), f"product_codes[{i}].openfda.device_class"),
                regulation_number=_text(info, "regulation_number"),
            ))
    submissions = []
    for i, item in enumerate(_list(obj.get("premarket_submissions"), "premarket_submissions")):
        item = _object(item, f"premarket_submissions[{i}]")
        number = _premarket(_text(item, "submission_number"), _text(item, "supplement_number"))
        if number and number not in submissions:
            submissions.append(number)
    brand = _text(obj, "brand_name")
    return Device(
        primary, "udi",
        name=brand,
        applicant=_text(obj, "company_name"),
        product_code=types[0].product_code if types else None,
        brand_name=brand,
        model_number=_text(obj, "version_or_model_number"),
        description=_text(obj, "device_description"),
        published=_date(_text(obj, "publish_date"), "publish_date"),
        product_types=tuple(types),
        submissions=tuple(submissions),
    )


def _ai_json(obj: dict[str, Any]) -> Device:
    """An entry of the enriched JSON of the AI-enabled device list."""
    number = _submission_number(_text(obj, "submission_id"), "submission_id")
    panel_name = _text(obj, "panel")
    url = _text(obj, "submission_url")
    return Device(
        number, submission_kind(number) or "510k",
        name=_text(obj, "device"),
        applicant=_text(obj, "company"),
        decision_date=_date(_text(obj, "date"), "date"),
        received_date=_date(_text(obj, "received_date"), "received_date"),
        product_code=_product_code(_text(obj, "code"), "code"),
        panel=panel_code(panel_name),
        panel_name=panel_name,
        supplement_number=number.partition("/")[2] or None,
        base_number=number.partition("/")[0] if "/" in number else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        ai_enabled=True,
    )


class _JsonStream:
    """Reads a JSON document a value at a time, without loading the whole file."""

    _CHUNK = 1 << 16
    _TAIL = 64  # a literal or number cut by the buffer's end is shorter than this
    _WS = " \t\r\n"

    def __init__(self, text: io.TextIOBase, source: str):
        self._text = text
        self.source = source
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # line of self._buf[0]
        self._decoder = json.JSONDecoder()

    def _fill(self, grow: bool = False) -> bool:
        """Read on; ``grow`` reads as much again as is buffered (a value larger than a chunk)."""
        if self._eof:
            return False
        chunk = self._text.read(max(self._CHUNK, len(self._buf) - self._pos) if grow else self._CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._line += self._buf.count("\n", 0, self._pos)
        self._buf = self._buf[self._pos:] + chunk
        self._pos = 0
        return True

    def peek(self) -> str | None:
        """The next character that is not whitespace, or None at the end."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in self._WS:
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._fill():
                return None

    def take(self, expected: str) -> str:
        """Consume the next character, one of ``expected``; return it."""
        found = self.peek()
        if found is None or found not in expected:
            what = "the end of the file" if found is None else repr(found)
            self.fail(f"expected {' or '.join(repr(c) for c in expected)}, found {what}")
        self._pos += 1
        return found  # type: ignore[return-value]

    def value(self) -> Any:
        if self.peek() is None:
            self.fail("unexpected end of the file")
        while True:
            try:
                obj, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                # Cut off by the end of the buffer (a string, or a value near the end), read on;
                # an error well inside the buffer is an error in the file.
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self._buf) - self._TAIL
                if cut and self._fill(grow=True):
                    continue
                self.fail(exc.msg, exc.pos)
            if end == len(self._buf) and self._fill(grow=True):
                continue  # a number may go on in the next chunk
            self._pos = end
            return obj

    def array(self) -> Iterator[Any]:
        self.take("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            if self.take(",]") == "]":
                return

    def fail(self, message: str, pos: int | None = None) -> NoReturn:
        at = self._pos if pos is None else pos
        line = self._line + self._buf.count("\n", 0, at)
        raise IngestError(self.source, f"invalid JSON at line {line}: {message}")


def parse_fda_json(stream: BinaryIO, source: str = "<stream>") -> Iterator[FdaRecord]:
    """Yield the records of an openFDA response, a JSON array of records or one record."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")
    reader = _JsonStream(text, source)
    index = 0
    recognised = 0
    first_keys: list[str] = []

    def records(values: Iterable[Any]) -> Iterator[FdaRecord]:
        nonlocal index, recognised
        for value in values:
            index += 1
            if index == 1 and isinstance(value, dict):
                first_keys.extend(list(value)[:8])
            record = _json_record(value, index)
            if not (isinstance(record, SkippedRecord) and record.field == "record"):
                recognised += 1
            yield record

    try:
        start = reader.peek()
        if start == "[":
            yield from records(reader.array())
        elif start == "{":
            top: dict[str, Any] = {}
            seen_results = False
            reader.take("{")
            if reader.peek() == "}":
                reader.take("}")
            else:
                while True:
                    key = reader.value()
                    if not isinstance(key, str):
                        reader.fail("expected an object key")
                    reader.take(":")
                    if key == "results" and reader.peek() == "[":
                        seen_results = True
                        yield from records(reader.array())
                    else:
                        top[key] = reader.value()
                    if reader.take(",}") == "}":
                        break
            if not seen_results:
                if isinstance(top.get("error"), dict):
                    error = top["error"]
                    raise IngestError(source, f"openFDA error response: {error.get('code', '')} "
                                              f"{error.get('message', '')}".strip())
                yield from records([top])
        else:
            reader.fail("expected a JSON object or array")
        if reader.peek() is not None:
            reader.fail("extra data after the JSON document")
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not UTF-8 text ({exc.reason})") from exc
    finally:
        text.detach()
    if index and not recognised:
        raise IngestError(source, f"no FDA device records found (the first record has keys {first_keys}); "
                                  f"expected {_FORMATS}")


# -- XML ----------------------------------------------------------------------------------


def _local(elem: etree._Element) -> str:
    return etree.QName(elem).localname if isinstance(elem.tag, str) else ""


def _kids(elem: etree._Element | None, name: str) -> list[etree._Element]:
    """Child elements by local name (GUDID files put some children in no namespace)."""
    if elem is None:
        return []
    return [child for child in elem if _local(child) == name]


def _kid(elem: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        found = _kids(elem, name)
        elem = found[0] if found else None
    return elem


def _xtext(elem: etree._Element | None, *path: str) -> str | None:
    found = _kid(elem, *path)
    return _clean("".join(found.itertext())) if found is not None else None


def _gudid_device(elem: etree._Element) -> Device:
    """A GUDID ``<device>``, keyed by its primary device identifier."""
    primary = None
    for ident in _kids(_kid(elem, "identifiers"), "identifier"):
        if (_xtext(ident, "deviceIdType") or "").lower() == "primary":
            primary = _xtext(ident, "deviceId")
            break
    primary = primary or elem.get("deviceid") or _xtext(elem, "deviceId")
    if not primary:
        raise _BadField("identifiers", "no primary device identifier")
    types: list[DeviceType] = []
    for i, item in enumerate(_kids(_kid(elem, "productCodes"), "fdaProductCode")):
        code = _product_code(_xtext(item, "productCode"), f"productCodes[{i}]")
        if code and all(t.product_code != code for t in types):
            types.append(DeviceType(code, name=_xtext(item, "productCodeName")))
    submissions: list[str] = []
    for item in _kids(_kid(elem, "premarketSubmissions"), "premarketSubmission"):
        number = _premarket(_xtext(item, "submissionNumber"), _xtext(item, "supplementNumber"))
        if number and number not in submissions:
            submissions.append(number)
    brand = _xtext(elem, "brandName")
    return Device(
        primary, "udi",
        name=brand,
        applicant=_xtext(elem, "companyName"),
        product_code=types[0].product_code if types else None,
        brand_name=brand,
        model_number=_xtext(elem, "versionModelNumber"),
        description=_xtext(elem, "deviceDescription"),
        published=_date(_xtext(elem, "devicePublishDate"), "devicePublishDate"),
        product_types=tuple(types),
        submissions=tuple(submissions),
    )


def _ai_row(elem: etree._Element) -> Device:
    """A ``<row>`` of the AI-enabled device list XML."""
    raw = _xtext(elem, "Submission_number")
    if not raw:
        raise _BadField("Submission_number", "missing submission number")
    url = None
    link = _HYPERLINK.match(raw)
    if link:
        url, raw = link.group(1) or None, link.group(2)
        if not SUBMISSION_NUMBER.fullmatch(raw.strip().upper()) and url and (found := _URL_ID.search(url)):
            raw = found.group(1)
    number = _submission_number(raw, "Submission_number")
    panel_name = _xtext(elem, "Panel")
    return Device(
        number, submission_kind(number) or "510k",
        name=_xtext(elem, "Device"),
        applicant=_xtext(elem, "Company"),
        decision_date=_date(_xtext(elem, "Date_of_final_decision"), "Date_of_final_decision"),
        product_code=_product_code(_xtext(elem, "Primary_product_code"), "Primary_product_code"),
        panel=panel_code(panel_name),
        panel_name=panel_name,
        supplement_number=number.partition("/")[2] or None,
        base_number=number.partition("/")[0] if "/" in number else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
        ai_enabled=True,
    )


def _xml_id(elem: etree._Element) -> str | None:
    text = _xtext(elem, "Submission_number") or ""
    link = _HYPERLINK.match(text)
    return (link.group(2) if link else text) or elem.get("deviceid") or _xtext(elem, "deviceId")


def parse_fda_xml(stream: BinaryIO, source: str = "<stream>") -> Iterator[FdaRecord]:
    """Yield the devices of a GUDID XML file or of the AI-enabled device list XML."""
    context = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True,
        load_dtd=False, remove_comments=True, remove_pis=True, collect_ids=False,
    )
    depth = 0
    index = 0
    root_tag = None
    try:
        for event, elem in context:
            if event == "start":
                if root_tag is None:
                    root_tag = _local(elem)
                depth += 1
                continue
            depth -= 1
            name = _local(elem)
            gudid = name == "device" and (etree.QName(elem).namespace == GUDID_NS or _kid(elem, "identifiers") is not None)
            if depth > 1 or not (gudid or (name == "row" and depth == 1)):
                continue
            index += 1
            try:
                record: FdaRecord = _gudid_device(elem) if gudid else _ai_row(elem)
            except _BadField as exc:
                record = SkippedRecord(index, _xml_id(elem), exc.field, exc.reason)
            parent = elem.getparent()
            elem.clear(keep_tail=True)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
            yield record
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else (exc.position or (0,))[0]
        raise IngestError(source, f"XML syntax error at line {line}: {exc.msg}") from exc
    if index == 0:
        raise IngestError(source, f"no GUDID <device> or AI-enabled device list <row> records found "
                                  f"(root element <{root_tag}>); expected {_FORMATS}")


# -- foiclass.txt -------------------------------------------------------------------------


def _decode_line(raw: bytes) -> str:
    """A line of the classification file: UTF-8 if it is, else Windows-1252 (Latin-1)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _checked_rows(reader: Any, source: str) -> Iterator[list[str]]:
    """The rows of a csv reader, its errors (a field over the size limit) as IngestError."""
    try:
        yield from reader
    except csv.Error as exc:
        raise IngestError(source, f"line {reader.line_num}: {exc}") from exc


def parse_foiclass(stream: BinaryIO, source: str = "<stream>") -> Iterator[FdaRecord]:
    """Yield the product codes of the FDA classification file (``foiclass.txt``)."""

    def lines() -> Iterator[str]:
        for number, raw in enumerate(stream, 1):
            if b"\0" in raw:
                raise IngestError(source, f"NUL bytes at line {number}: UTF-16 or binary data, "
                                          "expected Latin-1 (Windows-1252) or UTF-8 text")
            yield _decode_line(raw.removeprefix(_UTF8_BOM) if number == 1 else raw)

    reader = _checked_rows(csv.reader(lines(), delimiter="|", quoting=csv.QUOTE_NONE), source)
    try:
        header = [column.strip().upper() for column in next(reader)]
    except StopIteration:
        raise IngestError(source, "empty file") from None
    columns = {name: i for i, name in enumerate(header)}
    if "PRODUCTCODE" not in columns or "DEVICENAME" not in columns:
        raise IngestError(source, f"not a classification file: the header has no PRODUCTCODE and DEVICENAME "
                                  f"columns; expected {_FORMATS}")
    index = 0
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        index += 1
        code_cell = row[columns["PRODUCTCODE"]].strip() if len(row) > columns["PRODUCTCODE"] else None
        if len(row) != len(header):
            yield SkippedRecord(index, code_cell or None, "row",
                                f"{len(row)} fields where the header names {len(header)}")
            continue

        def cell(name: str) -> str | None:
            return _clean(row[columns[name]]) if name in columns else None

        try:
            code = _product_code(cell("PRODUCTCODE"), "PRODUCTCODE")
            if code is None:
                raise _BadField("PRODUCTCODE", "missing product code")
            yield DeviceType(
                code,
                name=cell("DEVICENAME"),
                review_panel=panel_code(cell("REVIEW_PANEL")),
                medical_specialty=panel_code(cell("MEDICALSPECIALTY")),
                device_class=_device_class(cell("DEVICECLASS"), "DEVICECLASS"),
                regulation_number=cell("REGULATIONNUMBER"),
                definition=cell("DEFINITION"),
                submission_type_id=cell("SUBMISSION_TYPE_ID"),
                implant=_flag(cell("IMPLANT_FLAG"), "Implant_Flag"),
                life_sustaining=_flag(cell("LIFE_SUSTAIN_SUPPORT_FLAG"), "Life_Sustain_support_flag"),
            )
        except _BadField as exc:
            yield SkippedRecord(index, code_cell or None, exc.field, exc.reason)


# -- files --------------------------------------------------------------------------------


def _first_significant(stream: BinaryIO) -> bytes:
    """The first bytes after any BOM and whitespace, without consuming them where possible."""
    while True:
        head = stream.peek(64)  # type: ignore[attr-defined]
        if not head:
            return b""
        rest = head[3:] if head.startswith(_UTF8_BOM) else head
        rest = rest.lstrip(_BLANK)
        if rest:
            return rest
        stream.read(len(head))  # only blanks buffered: skip them


def _parse_stream(stream: BinaryIO, label: str) -> Iterator[FdaRecord]:
    head = _first_significant(stream)
    if not head:
        raise IngestError(label, "empty file")
    if head[:1] in (b"{", b"["):
        yield from parse_fda_json(stream, label)
    elif head[:1] == b"<":
        yield from parse_fda_xml(stream, label)
    elif b"\0" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(label, f"UTF-16 or binary data; expected {_FORMATS}")
    else:
        first_line = stream.peek(4096).split(b"\n", 1)[0]  # type: ignore[attr-defined]
        if b"|" in first_line and b"PRODUCTCODE" in first_line.upper():
            yield from parse_foiclass(stream, label)
        else:
            raise IngestError(label, f"unknown format; expected {_FORMATS}")


def read_fda(path: str | os.PathLike[str]) -> Iterator[FdaRecord]:
    """Yield the records of an FDA device file, gzipped, zipped or plain.

    The format is detected from the content. Raises :class:`IngestError` (naming the
    file) when the file cannot be read or parsed at all.
    """
    name = os.fspath(path)
    label = os.fsdecode(name)
    try:
        raw = open(name, "rb")  # noqa: SIM115 - closed by the ExitStack below
    except OSError as exc:
        raise IngestError(label, f"cannot open file: {exc.strerror or exc}") from exc
    with contextlib.ExitStack() as stack:
        stack.callback(raw.close)
        try:
            magic = raw.peek(4)[:4]
            if magic[:2] == GZIP_MAGIC:
                gz = gzip.GzipFile(fileobj=raw, mode="rb")
                stack.callback(gz.close)
                yield from _parse_stream(io.BufferedReader(gz), label)  # type: ignore[arg-type]
            elif magic == _ZIP_MAGIC:
                archive = zipfile.ZipFile(raw)
                stack.callback(archive.close)
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    raise IngestError(label, "empty zip archive")
                for member in members:
                    with archive.open(member) as inner:
                        yield from _parse_stream(io.BufferedReader(inner), f"{label}:{member.filename}")  # type: ignore[arg-type]
            else:
                yield from _parse_stream(raw, label)
        except EOFError as exc:
            raise IngestError(label, f"truncated compressed data ({exc})") from exc
        except (gzip.BadGzipFile, zipfile.BadZipFile, zlib.error) as exc:
            raise IngestError(label, f"corrupt compressed data ({exc})") from exc
        except OSError as exc:
            raise IngestError(label, f"cannot read file: {exc}") from exc


# -- the converter ------------------------------------------------------------------------

#: Legal forms that end company names ("Co., Ltd.", "B.V.", "GmbH & Co. KG"), normalised.
_LEGAL_FORM = re.compile(
    r"(?:\s+(?:inc|incorporated|llc|l l c|ltd|limited|co|corp|corporation|company|gmbh|mbh|ag|kg|"
    r"sa|s a|sas|s a s|sarl|srl|s r l|spa|s p a|bv|b v|nv|n v|ab|oy|oyj|as|a s|aps|kk|plc|pty|pte|"
    r"lp|llp|ulc|se|sl|s l|ltda|usa inc))+$"
)


#: Names of universities, hospitals and research institutes, not companies ("GE HealthCare" is one).
_ACADEMIC = re.compile(
    r"universi|college|hospital|medical (center|centre)|clinic\b|klinikum|school of|institut|"
    r"foundation|academy|cancer (center|centre)|health system|\bnih\b|national institutes?\b",
    re.IGNORECASE,
)


def company_key(name: str) -> str:
    """The matching form of a company name, without its legal form ("Quantib B.V." -> "quantib")."""
    key = normalise(name)
    bare = _LEGAL_FORM.sub("", key)
    return bare or key


class FdaDevicesConverter(Converter):
    """FDA device files: openFDA 510(k)/PMA/classification/UDI JSON, GUDID XML, the
    AI-enabled device list (XML and enriched JSON) and ``foiclass.txt``.

    Applicants are resolved to loaded ROR organisations where their name matches one
    ("University of Texas MD Anderson Cancer Center"); other names become organisations
    of their own, companies keyed on their name without its legal form.
    """

    kind = "fda-devices"
    has_devices = True

    def __init__(self, store: Store):
        super().__init__(store)
        from ingest.kinds import load_org_index  # here: ingest.kinds lists this converter

        self.resolver = AffiliationResolver(store.minter, load_org_index(store))
        self._applicants: dict[str, OrgRef | None] = {}

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        timings = report.timings
        for item in self.usable(read_fda(path), path.name, report, tick):
            if isinstance(item, DeviceType):
                with timings.stage("map"):
                    write_device_type(builder, item)
                continue
            with timings.stage("affiliations"):
                applicant = self.applicant(item.applicant)
            with timings.stage("map"):
                write_device(builder, item, applicant)
        with timings.stage("map"):
            for match in self.resolver.matches.values():
                builder.affiliation_match(match)

    def applicant(self, name: str | None) -> OrgRef | None:
        """The organisation an applicant or labeler name stands for."""
        if not name:
            return None
        if name not in self._applicants:
            self._applicants[name] = self._resolve(name)
        return self._applicants[name]

    def _resolve(self, name: str) -> OrgRef | None:
        refs = [r for r in self.resolver.resolve([name]) if r.kind != "department"]
        for ref in refs:
            if not ref.describe:  # a loaded ROR organisation
                return ref
        minter = self.store.minter
        key = normalise(name)
        if not slug(key):
            return None
        if _ACADEMIC.search(name) and not _LEGAL_FORM.search(key):
            # the IRI an affiliation naming it mints too (ingest.affiliations)
            return OrgRef(minter.org(slug(key)), name, kind_from_name(name))
        return OrgRef(minter.org(slug(company_key(name))), name, "company")
