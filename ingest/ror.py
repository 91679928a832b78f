"""Read ROR organisation records (schema v1 or v2) from JSON.

:func:`parse_ror_json` takes decoded JSON (a data dump array, one record, or an
API response) and yields :class:`~graph.model.RorOrganization` records, or
:class:`~graph.model.SkippedRecord` for a record it cannot use.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from graph.errors import IngestError
from graph.model import RorLocation, RorOrganization, RorRelationship, SkippedRecord
from ingest.files import read_bytes

__all__ = ["parse_ror_json", "read_ror", "bare_ror_id"]

RorRecord = RorOrganization | SkippedRecord
JsonObject = dict[str, Any]

_ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/")
_ROR_ID = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}")


class _BadField(Exception):
    """A record field that cannot be used; the record is skipped."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def bare_ror_id(value: str) -> str | None:
    """The bare 9-character ROR id of ``https://ror.org/03vek6s52`` or ``03vek6s52``."""
    text = value.strip()
    for prefix in _ROR_PREFIXES:
        text = text.removeprefix(prefix)
    return text if _ROR_ID.fullmatch(text) else None


def parse_ror_json(data: object, source: str = "<json>") -> Iterator[RorRecord]:
    """Yield the organisations in decoded ROR JSON (array, record or ``{"items": [...]}``)."""
    for index, record in enumerate(_records(data, source), start=1):
        yield _parse_record(record, index)


def _records(data: object, source: str) -> list[object]:
    """The records held by a JSON document."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("items"), list):
            return data["items"]
        if data.keys() & {"id", "names", "name"}:
            return [data]
    raise IngestError(
        source, 'expected a ROR record, a JSON array of records or an API response {"items": [...]}'
    )


def _parse_record(record: object, index: int) -> RorRecord:
    """Normalise one record, or say why it was skipped."""
    try:
        obj = _object(record, "record")
        ror_id = _ror_id(obj.get("id"), "id")
        if "names" in obj:
            return _parse_v2(obj, ror_id)
        if "name" in obj:
            return _parse_v1(obj, ror_id)
        raise _BadField("name", "missing organisation name")
    except _BadField as bad:
        return SkippedRecord(index, _record_id(record), bad.field, bad.reason)


def _record_id(record: object) -> str | None:
    """The record's id as written, to name it in a skip message."""
    value = record.get("id") if isinstance(record, dict) else None
    if not isinstance(value, str):
        return None
    return value.strip() or None


# --- schema v2 ----------------------------------------------------------------------


def _parse_v2(record: JsonObject, ror_id: str) -> RorOrganization:
    """Normalise a schema v2 record (``names``, ``locations``, typed ``links``)."""
    names = [_name_v2(item) for item in _list(record.get("names"), "names")]
    display = [value for value, types, _ in names if "ror_display" in types]
    if not display:
        raise _BadField("names", "no ror_display name")
    return RorOrganization(
        ror_id=ror_id,
        name=display[0],
        schema_version="2",
        status=_status(record),
        types=_types(record),
        aliases=tuple(value for value, types, _ in names if "alias" in types),
        acronyms=tuple(value for value, types, _ in names if "acronym" in types),
        labels=tuple((value, lang) for value, types, lang in names if "label" in types),
        established=_year(record.get("established")),
        links=_unique(_link_v2(link) for link in _list(record.get("links"), "links")),
        locations=tuple(_location_v2(item) for item in _list(record.get("locations"), "locations")),
        external_ids=_external_ids_v2(record.get("external_ids")),
        relationships=_relationships(record.get("relationships")),
    )


def _name_v2(item: object) -> tuple[str, frozenset[str], str | None]:
    """One v2 name: its value, its types and its language."""
    name = _object(item, "names")
    value = _str(name.get("value"), "names")
    if value is None:
        raise _BadField("names", "a name has no value")
    types = frozenset(_str_list(name.get("types"), "names"))
    return value, types, _str(name.get("lang"), "names")


def _link_v2(item: object) -> str | None:
    """The URL of a v2 link ``{type, value}``."""
    return _str(_object(item, "links").get("value"), "links")


def _location_v2(item: object) -> RorLocation:
    """A v2 location (GeoNames id plus ``geonames_details``)."""
    location = _object(item, "locations")
    details = _object(location.get("geonames_details") or {}, "locations")
    return RorLocation(
        geonames_id=_id_text(location.get("geonames_id"), "locations"),
        city=_str(details.get("name"), "locations"),
        country_code=_str(details.get("country_code"), "locations"),
        country_name=_str(details.get("country_name"), "locations"),
        lat=_float(details.get("lat"), "locations"),
        lng=_float(details.get("lng"), "locations"),
    )


def _external_ids_v2(value: object) -> tuple[tuple[str, str], ...]:
    """v2 external ids: a list of ``{type, preferred, all}``."""
    pairs = []
    for item in _list(value, "external_ids"):
        entry = _object(item, "external_ids")
        pair = _external_id(entry.get("type"), entry.get("preferred"), entry.get("all"))
        if pair is not None:
            pairs.append(pair)
    return tuple(pairs)


# --- schema v1 ----------------------------------------------------------------------


def _parse_v1(record: JsonObject, ror_id: str) -> RorOrganization:
    """Normalise a schema v1 record (``name``, ``addresses``, capitalised types)."""
    name = _str(record.get("name"), "name")
    if name is None:
        raise _BadField("name", "missing organisation name")
    country = _object(record.get("country") or {}, "country")
    wikipedia = _str(record.get("wikipedia_url"), "wikipedia_url")
    addresses = _list(record.get("addresses"), "addresses")
    return RorOrganization(
        ror_id=ror_id,
        name=name,
        schema_version="1",
        status=_status(record),
        types=_types(record),
        aliases=_str_list(record.get("aliases"), "aliases"),
        acronyms=_str_list(record.get("acronyms"), "acronyms"),
        labels=tuple(_label_v1(item) for item in _list(record.get("labels"), "labels")),
        established=_year(record.get("established")),
        links=_unique([*_str_list(record.get("links"), "links"), wikipedia]),
        locations=tuple(_location_v1(item, country) for item in addresses),
        external_ids=_external_ids_v1(record.get("external_ids")),
        relationships=_relationships(record.get("relationships")),
    )


def _label_v1(item: object) -> tuple[str, str | None]:
    """A v1 label ``{label, iso639}``."""
    label = _object(item, "labels")
    value = _str(label.get("label"), "labels")
    if value is None:
        raise _BadField("labels", "a label has no text")
    return value, _str(label.get("iso639"), "labels")


def _location_v1(item: object, country: JsonObject) -> RorLocation:
    """A v1 address, with the record's country."""
    address = _object(item, "addresses")
    city = _object(address.get("geonames_city") or {}, "addresses")
    return RorLocation(
        geonames_id=_id_text(city.get("id"), "addresses"),
        city=_str(address.get("city"), "addresses") or _str(city.get("city"), "addresses"),
        country_code=_str(country.get("country_code"), "country"),
        country_name=_str(country.get("country_name"), "country"),
        lat=_float(address.get("lat"), "addresses"),
        lng=_float(address.get("lng"), "addresses"),
    )


def _external_ids_v1(value: object) -> tuple[tuple[str, str], ...]:
    """v1 external ids: ``{"GRID": {preferred, all}, ...}``."""
    pairs = []
    for kind, item in _object(value or {}, "external_ids").items():
        entry = _object(item, "external_ids")
        pair = _external_id(kind, entry.get("preferred"), entry.get("all"))
        if pair is not None:
            pairs.append(pair)
    return tuple(pairs)


# --- fields common to both schemas ---------------------------------------------------


def _ror_id(value: object, field: str) -> str:
    """A bare ROR id from a full or bare id."""
    text = _str(value, field)
    if text is None:
        raise _BadField(field, "missing ROR id")
    bare = bare_ror_id(text)
    if bare is None:
        raise _BadField(field, f"not a ROR id: {text!r}")
    return bare


def _status(record: JsonObject) -> str:
    """The record status, lower case (``active`` when absent)."""
    status = _str(record.get("status"), "status")
    return status.lower() if status else "active"


def _types(record: JsonObject) -> tuple[str, ...]:
    """The organisation types, lower case."""
    return _unique(kind.lower() for kind in _str_list(record.get("types"), "types"))


def _relationships(value: object) -> tuple[RorRelationship, ...]:
    """Links to other records, kinds lower case and ids bare."""
    relationships = []
    for item in _list(value, "relationships"):
        link = _object(item, "relationships")
        kind = _str(link.get("type"), "relationships")
        if kind is None:
            raise _BadField("relationships", "a relationship has no type")
        relationships.append(
            RorRelationship(
                kind=kind.lower(),
                ror_id=_ror_id(link.get("id"), "relationships"),
                label=_str(link.get("label"), "relationships"),
            )
        )
    return tuple(relationships)


def _external_id(kind: object, preferred: object, all_ids: object) -> tuple[str, str] | None:
    """``(type, id)`` with the preferred id, else the first listed one; None if none."""
    name = _str(kind, "external_ids")
    listed = [all_ids] if isinstance(all_ids, str) else _list(all_ids, "external_ids")
    candidates = [_str(preferred, "external_ids"), *(_str(v, "external_ids") for v in listed)]
    chosen = next((c for c in candidates if c), None)
    if name is None or chosen is None:
        return None
    return name.lower(), chosen


def _year(value: object) -> int | None:
    """The founding year, or None."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise _BadField("established", f"not a year: {value!r}")


# --- JSON shape checks ----------------------------------------------------------------


def _object(value: object, field: str) -> JsonObject:
    if not isinstance(value, dict):
        raise _BadField(field, "expected a JSON object")
    return value


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _BadField(field, "expected a JSON array")
    return value


def _str(value: object, field: str) -> str | None:
    """A trimmed string, None when null or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadField(field, f"expected a string, got {value!r}")
    return value.strip() or None


def _str_list(value: object, field: str) -> tuple[str, ...]:
    """The non-blank strings of a JSON array."""
    return tuple(text for item in _list(value, field) if (text := _str(item, field)))


def _id_text(value: object, field: str) -> str | None:
    """A numeric or string identifier as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _str(value, field)


def _float(value: object, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _BadField(field, f"expected a number, got {value!r}")


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """The non-empty values, first occurrence kept, in order."""
    return tuple(dict.fromkeys(v for v in values if v))


# --- files ------------------------------------------------------------------------------


def read_ror(path: str | os.PathLike[str]) -> Iterator[RorRecord]:
    """Yield the organisations of a ROR ``.json`` or ``.json.gz`` file."""
    name = os.fspath(path)
    yield from parse_ror_json(_load_json(name), name)


def _load_json(path: str) -> object:
    """Decode a JSON file, gunzipping it first if needed."""
    raw = read_bytes(path)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise IngestError(path, f"invalid JSON at {where}: {exc.msg}") from exc
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not UTF-8 text (byte {exc.start})") from exc
