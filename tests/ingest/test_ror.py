"""ROR record parsing (schema v1 and v2), on real ROR records."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from graph.errors import IngestError
from graph.model import RorLocation, RorOrganization, RorRelationship, SkippedRecord
from ingest.ror import bare_ror_id, parse_ror_json, read_ror

DATA = Path(__file__).resolve().parent.parent / "data" / "ror"
V2_FILE = DATA / "ror_v2_sample.json"
V1_FILE = DATA / "ror_v1_sample.json"


def _by_id(path: Path) -> dict[str, RorOrganization]:
    records = list(read_ror(path))
    assert all(isinstance(r, RorOrganization) for r in records)
    return {r.ror_id: r for r in records if isinstance(r, RorOrganization)}


@pytest.fixture(scope="module")
def v2() -> dict[str, RorOrganization]:
    return _by_id(V2_FILE)


@pytest.fixture(scope="module")
def v1() -> dict[str, RorOrganization]:
    return _by_id(V1_FILE)


@pytest.fixture()
def v2_json() -> list[dict[str, Any]]:
    return json.loads(V2_FILE.read_text(encoding="utf-8"))


# --- schema v2 ----------------------------------------------------------------------


def test_v2_reads_every_record(v2: dict[str, RorOrganization]) -> None:
    assert len(v2) == 15
    assert list(v2)[:3] == ["03vek6s52", "042nb2s44", "05qwgg493"]
    assert {r.schema_version for r in v2.values()} == {"2"}


def test_v2_harvard(v2: dict[str, RorOrganization]) -> None:
    harvard = v2["03vek6s52"]
    assert harvard.name == "Harvard University"
    assert harvard.status == "active"
    assert harvard.types == ("education", "funder")
    assert harvard.established == 1636
    assert harvard.labels == (("Harvard University", "en"), ("Universidad de Harvard", "es"))
    assert harvard.links == ("https://www.harvard.edu", "http://en.wikipedia.org/wiki/Harvard_University")
    assert harvard.locations == (
        RorLocation(
            geonames_id="4931972",
            city="Cambridge",
            country_code="US",
            country_name="United States",
            lat=42.3751,
            lng=-71.10561,
        ),
    )
    assert harvard.external_ids == (
        ("fundref", "100007229"),
        ("grid", "grid.38142.3c"),
        ("isni", "0000 0004 1936 754X"),  # no preferred id: the first listed one
        ("wikidata", "Q13371"),
    )


def test_v2_relationships(v2: dict[str, RorOrganization]) -> None:
    harvard = v2["03vek6s52"]
    assert RorRelationship("related", "002pd6e78", "Massachusetts General Hospital") in harvard.relationships
    assert RorRelationship("child", "03c3r2d17", "Center for Astrophysics Harvard & Smithsonian") in (
        harvard.relationships
    )
    assert {rel.kind for rel in harvard.relationships} == {"child", "related"}
    hopkins = v2["037zgn354"]
    assert "predecessor" in {rel.kind for rel in hopkins.relationships}
    cfa = v2["03c3r2d17"]
    assert RorRelationship("parent", "03vek6s52", "Harvard University") in cfa.relationships


def test_v2_name_is_the_ror_display_name(v2: dict[str, RorOrganization]) -> None:
    mit = v2["042nb2s44"]  # its first listed name is the Spanish label
    assert mit.name == "Massachusetts Institute of Technology"
    assert ("Instituto Tecnológico de Massachusetts", "es") in mit.labels
    assert mit.acronyms == ("MIT",)
    assert mit.aliases == ()


def test_v2_aliases_and_acronyms(v2: dict[str, RorOrganization]) -> None:
    bu = v2["05qwgg493"]
    assert (bu.name, bu.aliases, bu.acronyms) == ("Boston University", ("Boston U",), ("BU",))
    assert bu.locations[0].city == "Boston"
    lmu = v2["05591te55"]
    assert lmu.name == "Ludwig-Maximilians-Universität München"
    assert "University of Munich" in lmu.aliases
    assert lmu.labels == (("Ludwig-Maximilians-Universität München", "de"),)


def test_v2_types_locations_and_missing_year(v2: dict[str, RorOrganization]) -> None:
    assert v2["00dvg7y05"].types == ("funder", "healthcare")  # Boston Children's Hospital
    assert v2["02qp3tb03"].locations[0].city == "Rochester"  # Mayo Clinic
    uef = v2["00cyydd11"]
    assert [(loc.city, loc.country_code) for loc in uef.locations] == [("Joensuu", "FI"), ("Kuopio", "FI")]
    assert v2["02ets8c94"].established is None  # Indiana University School of Medicine


# --- schema v1 ----------------------------------------------------------------------


def test_v1_massachusetts_general_hospital(v1: dict[str, RorOrganization]) -> None:
    mgh = v1["002pd6e78"]
    assert mgh.name == "Massachusetts General Hospital"
    assert mgh.schema_version == "1"
    assert mgh.types == ("healthcare",)  # "Healthcare" in the file
    assert (mgh.aliases, mgh.acronyms) == (("Mass General",), ("MGH",))
    assert mgh.labels == (("Hospital General de Massachusetts", "es"),)
    assert mgh.established == 1811
    assert mgh.links == (
        "http://www.massgeneral.org/",
        "https://en.wikipedia.org/wiki/Massachusetts_General_Hospital",
    )
    assert mgh.locations == (
        RorLocation(
            geonames_id="4930956",
            city="Boston",
            country_code="US",
            country_name="United States",
            lat=42.35843,
            lng=-71.05977,
        ),
    )
    assert ("grid", "grid.32224.35") in mgh.external_ids  # "all" is a bare string there
    assert ("fundref", "100005294") in mgh.external_ids
    assert ("isni", "0000 0004 0386 9924") in mgh.external_ids


def test_v1_relationship_types_are_lower_case(v1: dict[str, RorOrganization]) -> None:
    mgh = v1["002pd6e78"]
    assert RorRelationship("parent", "04py2rh25", "Mass General Brigham") in mgh.relationships
    assert {rel.kind for rel in mgh.relationships} == {"related", "parent", "child"}
    bwh = v1["04b6nzv94"]
    assert bwh.name == "Brigham and Women's Hospital"
    assert (bwh.acronyms, bwh.aliases) == (("BWH",), ("The Brigham",))
    mgb = v1["04py2rh25"]
    assert mgb.name == "Mass General Brigham"
    children = {rel.ror_id for rel in mgb.relationships if rel.kind == "child"}
    assert {"002pd6e78", "04b6nzv94"} <= children


def test_v1_withdrawn_record_names_its_successor(v1: dict[str, RorOrganization]) -> None:
    hms = v1["03wevmz92"]
    assert (hms.name, hms.status, hms.types) == ("Harvard Medical School", "withdrawn", ("education",))
    assert RorRelationship("successor", "03vek6s52", "Harvard University") in hms.relationships


# --- document shapes --------------------------------------------------------------------


def test_single_record_and_api_response(v2_json: list[dict[str, Any]]) -> None:
    (single,) = parse_ror_json(v2_json[0])
    assert isinstance(single, RorOrganization) and single.ror_id == "03vek6s52"
    response = {"number_of_results": 2, "items": v2_json[:2]}
    names = [r.name for r in parse_ror_json(response) if isinstance(r, RorOrganization)]
    assert names == ["Harvard University", "Massachusetts Institute of Technology"]


def test_mixed_schemas_in_one_array(v2_json: list[dict[str, Any]]) -> None:
    v1_json = json.loads(V1_FILE.read_text(encoding="utf-8"))
    records = list(parse_ror_json([v2_json[0], v1_json[0]]))
    assert [r.schema_version for r in records if isinstance(r, RorOrganization)] == ["2", "1"]


@pytest.mark.parametrize("top", ["a string", 42, None, {"results": []}])
def test_unknown_top_level_raises(top: object) -> None:
    with pytest.raises(IngestError, match="ror.json: expected a ROR record"):
        list(parse_ror_json(top, "ror.json"))


# --- malformed records ------------------------------------------------------------------


def test_record_without_id_is_skipped(v2_json: list[dict[str, Any]]) -> None:
    del v2_json[1]["id"]
    records = list(parse_ror_json(v2_json, "ror.json"))
    assert records[1] == SkippedRecord(2, None, "id", "missing ROR id")
    parsed = [r.ror_id for r in records if isinstance(r, RorOrganization)]
    assert len(parsed) == 14
    assert parsed[:2] == ["03vek6s52", "05qwgg493"]


def test_record_without_name_is_skipped(v2_json: list[dict[str, Any]]) -> None:
    v1_json = json.loads(V1_FILE.read_text(encoding="utf-8"))
    del v1_json[0]["name"]
    v2_record = copy.deepcopy(v2_json[0])
    v2_record["names"] = [n for n in v2_record["names"] if "ror_display" not in n["types"]]
    records = list(parse_ror_json([v1_json[0], v2_record, v1_json[1]]))
    assert records[0] == SkippedRecord(1, "https://ror.org/002pd6e78", "name", "missing organisation name")
    assert records[1] == SkippedRecord(2, "https://ror.org/03vek6s52", "names", "no ror_display name")
    assert isinstance(records[2], RorOrganization)


def test_bad_ids_and_shapes_are_skipped(v2_json: list[dict[str, Any]]) -> None:
    bad_id = dict(v2_json[0], id="https://ror.org/harvard")
    bad_relation = copy.deepcopy(v2_json[2])
    bad_relation["relationships"][0]["id"] = None
    records = list(parse_ror_json([bad_id, "not a record", bad_relation, v2_json[3]]))
    reason = "not a ROR id: 'https://ror.org/harvard'"
    assert records[0] == SkippedRecord(1, "https://ror.org/harvard", "id", reason)
    assert records[1] == SkippedRecord(2, None, "record", "expected a JSON object")
    assert records[2] == SkippedRecord(3, "https://ror.org/05qwgg493", "relationships", "missing ROR id")
    assert isinstance(records[3], RorOrganization)


@pytest.mark.parametrize(
    ("value", "bare"),
    [
        ("https://ror.org/03vek6s52", "03vek6s52"),
        ("03vek6s52", "03vek6s52"),
        (" ror.org/002pd6e78 ", "002pd6e78"),
        ("https://ror.org/", None),
        ("https://ror.org/03vek6s5", None),
    ],
)
def test_bare_ror_id(value: str, bare: str | None) -> None:
    assert bare_ror_id(value) == bare


# --- files ------------------------------------------------------------------------------


def test_gzipped_dump_is_read(tmp_path: Path) -> None:
    path = tmp_path / "v1.99-2025-01-01-ror-data.json.gz"
    path.write_bytes(gzip.compress(V1_FILE.read_bytes()))
    assert list(read_ror(path)) == list(read_ror(V1_FILE))


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ror_broken.json"
    path.write_bytes(V1_FILE.read_bytes()[:2000])
    with pytest.raises(IngestError, match=r"invalid JSON at line \d+, column \d+") as info:
        list(read_ror(path))
    assert "ror_broken.json" in str(info.value)


def test_unreadable_files_raise_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="missing.json: cannot read the file"):
        list(read_ror(tmp_path / "missing.json"))
    truncated = tmp_path / "dump.json.gz"
    truncated.write_bytes(gzip.compress(V2_FILE.read_bytes())[:500])
    with pytest.raises(IngestError, match="dump.json.gz: truncated or corrupt gzip"):
        list(read_ror(truncated))
    top = tmp_path / "number.json"
    top.write_text("42", encoding="utf-8")
    with pytest.raises(IngestError, match="number.json: expected a ROR record"):
        list(read_ror(top))
