"""FDA device data: parsing every format, and the ``fda-devices`` converter into the store."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import SkippedRecord
from graph.model_devices import Device, DeviceType, panel_code, submission_kind
from graph.namespaces import sparql_prefixes
from graph.store import Store
from ingest.fda import FdaDevicesConverter, company_key, read_fda
from ingest.kinds import RorConverter
from ingest.pipeline import ingest_files
from tests.support import DATA, shared_or_skip

FDA = DATA / "fda"
AI_XML = FDA / "ai-ml-enabled-devices.xml"
AI_JSON = FDA / "ai-ml-enabled-devices-enriched.json"
FOICLASS = FDA / "foiclass.txt"
GUDID = FDA / "gudid_test_device.xml"
K510 = FDA / "openfda_510k.json"
PMA = FDA / "openfda_pma.json"
CLASSIFICATION = FDA / "openfda_classification.json"
UDI = FDA / "openfda_udi.json"
ROR_MD_ANDERSON = FDA / "ror_md_anderson.json"
ALL_FIXTURES = [AI_XML, AI_JSON, FOICLASS, GUDID, K510, PMA, CLASSIFICATION, UDI]

AI_NUMBERS = [
    "K252054", "K250023", "K252105", "K251527", "K252371", "K251483", "K251987", "K251167", "K251002",
    "K250649", "K251399", "DEN240068", "P140011/S008", "DEN230041", "DEN210035", "DEN230027", "K222728",
    "DEN220024", "DEN200055", "DEN200038", "P200003", "DEN180001", "DEN160044", "K173839", "DEN170073",
    "P160009", "K120489", "K080896", "P010034", "P970058",
]
P = sparql_prefixes()


def records(path: Path) -> list[Device | DeviceType | SkippedRecord]:
    return list(read_fda(path))


def devices(path: Path) -> dict[str, Device]:
    found = records(path)
    assert all(isinstance(r, Device) for r in found), [r for r in found if not isinstance(r, Device)]
    return {r.number: r for r in found if isinstance(r, Device)}


def device_types(path: Path) -> dict[str, DeviceType]:
    found = records(path)
    assert all(isinstance(r, DeviceType) for r in found), [r for r in found if not isinstance(r, DeviceType)]
    return {r.product_code: r for r in found if isinstance(r, DeviceType)}


def skipped(path: Path) -> list[SkippedRecord]:
    return [r for r in records(path) if isinstance(r, SkippedRecord)]


def ingest(store: Store, *paths: Path):
    return ingest_files(store, FdaDevicesConverter(store), list(paths))


def count(store: Store, where: str) -> int:
    return int(store.select(P + f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {where} }}")[0]["n"])


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- the AI-enabled device list ---------------------------------------------------------------


def test_ai_list_xml_rows_are_devices() -> None:
    found = devices(AI_XML)
    assert list(found) == AI_NUMBERS
    rpa = found["K222728"]
    assert rpa == Device(
        "K222728", "510k",
        name="Radiation Planning Assistant (RPA)",
        applicant="University of Texas, MD Anderson Cancer Center",
        decision_date="2023-05-17",
        product_code="MUJ",
        panel="RA",
        panel_name="Radiology",
        url="https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfPMN/pmn.cfm?ID=K222728",
        ai_enabled=True,
    )
    assert {d.kind for d in found.values()} == {"510k", "de novo", "pma"}
    assert found["DEN170073"].kind == "de novo" and found["DEN170073"].product_code == "QAS"


def test_ai_list_xml_pma_supplement_and_source_quirks() -> None:
    found = devices(AI_XML)
    supplement = found["P140011/S008"]
    assert (supplement.kind, supplement.base_number, supplement.supplement_number) == ("pma", "P140011", "S008")
    assert supplement.applicant == "SIEMENS MEDICAL SOLUTIONS USA, INC."
    # Windows-1252 characters the source decoded as C1 controls are repaired.
    assert found["K251399"].name == "SIGNA\u2122 Sprint"
    assert found["DEN210035"].name.startswith("\u201cGenius\u2122 Digital Diagnostics System")
    assert found["DEN230027"].applicant == "Ankon Technologies co., ltd"  # was "\t\n..."
    assert found["K173839"].panel == "TX"  # "Clinical Toxcicology" in the source
    assert found["P010034"].name == "SECOND LOOK \u2122"


def test_ai_list_json_is_the_same_devices_with_received_dates() -> None:
    from_json = devices(AI_JSON)
    from_xml = devices(AI_XML)
    assert list(from_json) == AI_NUMBERS
    rpa = from_json["K222728"]
    assert rpa.received_date == "2022-09-08"
    assert rpa.decision_date == from_xml["K222728"].decision_date == "2023-05-17"
    for number in AI_NUMBERS:
        a, b = from_json[number], from_xml[number]
        assert (a.kind, a.decision_date, a.product_code, a.panel, a.ai_enabled, a.base_number) == \
               (b.kind, b.decision_date, b.product_code, b.panel, b.ai_enabled, b.base_number), number
    assert from_json["K251399"].name == "SIGNATM Sprint"  # the enriched JSON spells ™ out
    assert from_json["DEN170073"].received_date is None  # empty in the source


# -- foiclass.txt ---------------------------------------------------------------------------------


def test_foiclass_rows_are_device_types() -> None:
    found = device_types(FOICLASS)
    assert len(found) == 50
    assert found["MUJ"] == DeviceType(
        "MUJ", name="System, Planning, Radiation Therapy Treatment", review_panel="RA", medical_specialty="RA",
        device_class="2", regulation_number="892.5050", submission_type_id="1", implant=False,
        life_sustaining=False,
    )
    assert found["QAS"].definition.startswith("Radiological computer-assisted triage and notification software")
    assert found["NIP"].implant is True and found["NIP"].life_sustaining is True
    assert found["MYN"].medical_specialty is None and found["MYN"].device_class == "3"
    assert {t.device_class for t in found.values()} == {"1", "2", "3", "F", "N", "U"}  # 'f' in the file
    assert "MG" in {t.review_panel for t in found.values()}


def test_foiclass_is_read_as_windows_1252_and_also_as_utf8(tmp_path: Path) -> None:
    found = device_types(FOICLASS)
    text = " ".join(t.definition or "" for t in found.values())
    assert "\u2019" in text or "\u201c" in text  # ’ “ from bytes 0x92 0x93
    assert not any("\x80" <= ch <= "\x9f" for ch in text)
    utf8 = tmp_path / "foiclass-utf8.txt"
    utf8.write_text(FOICLASS.read_bytes().decode("cp1252"), encoding="utf-8", newline="")
    assert device_types(utf8) == found


def test_foiclass_bad_rows_are_skipped(tmp_path: Path) -> None:
    lines = FOICLASS.read_bytes().split(b"\r\n")
    lines[1] = lines[1] + b"|extra"            # BRW: 19 fields
    lines[2] = b"|".join([b"AN", b"AN", b""] + lines[2].split(b"|")[3:])   # PNV: no product code
    lines[3] = lines[3].replace(b"|2|", b"|7|", 1)  # PUG: device class 7
    bad = tmp_path / "foiclass.txt"
    bad.write_bytes(b"\r\n".join(lines))
    found = records(bad)
    assert len(found) == 50
    assert [(s.index, s.record_id, s.field) for s in found if isinstance(s, SkippedRecord)] == [
        (1, "BRW", "row"), (2, None, "PRODUCTCODE"), (3, "PUG", "DEVICECLASS"),
    ]


def test_utf16_foiclass_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "foiclass.txt"
    bad.write_bytes(FOICLASS.read_bytes().decode("cp1252").encode("utf-16"))
    with pytest.raises(IngestError, match="UTF-16") as info:
        records(bad)
    assert info.value.path == str(bad)


# -- GUDID XML and openFDA UDI JSON -------------------------------------------------------------------


def test_gudid_device() -> None:
    [device] = devices(GUDID).values()
    assert (device.number, device.kind) == ("00844588018923", "udi")
    assert device.name == device.brand_name == "CS2 Acet. Cup Sys. - VitalitE"
    assert device.applicant == "CONSENSUS ORTHOPEDICS, INC."
    assert device.model_number == "1107-0-3258"
    assert device.description == "Acet. Insert, VitalitE"
    assert device.published == "2015-09-24"
    assert device.product_code == "OQG"
    assert [t.product_code for t in device.product_types] == ["OQG", "MAX"]
    assert device.product_types[0].name == (
        "Hip Prosthesis, semi-constrained, cemented, metal/polymer, + additive, porous, uncemented")
    assert device.submissions == ("K094035", "P950002/S001")


def test_openfda_udi_is_the_same_device_as_gudid() -> None:
    [json_device] = devices(UDI).values()
    [xml_device] = devices(GUDID).values()
    fields = ("number", "kind", "name", "applicant", "model_number", "description", "published",
              "product_code", "submissions")
    assert [getattr(json_device, f) for f in fields] == [getattr(xml_device, f) for f in fields]
    oqg = json_device.product_types[0]
    assert (oqg.device_class, oqg.regulation_number, oqg.medical_specialty) == ("2", "888.3358", "OR")


# -- openFDA 510(k), PMA, classification ----------------------------------------------------------------


def test_openfda_510k() -> None:
    found = devices(K510)
    assert list(found) == ["K222728", "K251399", "DEN170073", "DEN180001"]
    rpa = found["K222728"]
    assert (rpa.kind, rpa.applicant, rpa.decision_date, rpa.received_date) == (
        "510k", "University of Texas MD Anderson Cancer Center", "2023-05-17", "2022-09-08")
    assert (rpa.decision_code, rpa.decision_description, rpa.panel) == ("SESE", "Substantially Equivalent", "RA")
    assert not rpa.ai_enabled
    assert rpa.product_types == (DeviceType(
        "MUJ", name="System, Planning, Radiation Therapy Treatment", medical_specialty="RA", device_class="2",
        regulation_number="892.5050"),)
    assert found["DEN170073"].kind == "de novo" and found["DEN170073"].decision_code == "DENG"


def test_openfda_pma_originals_and_supplements() -> None:
    found = devices(PMA)
    assert list(found) == ["P140011/S008", "P160009", "P970058"]
    supplement = found["P140011/S008"]
    assert (supplement.base_number, supplement.supplement_number, supplement.name) == (
        "P140011", "S008", "MAMMOMAT B.brilliant with Tomosynthesis Option")
    original = found["P160009"]
    assert (original.kind, original.base_number, original.supplement_number) == ("pma", None, None)
    assert original.name == "PowerLook\u00ae Tomo Detection Software"


def test_openfda_classification() -> None:
    found = device_types(CLASSIFICATION)
    assert list(found) == ["MUJ", "QAS", "MYN", "OTE", "NIP"]
    from_file = device_types(FOICLASS)
    for code in ("MUJ", "QAS"):
        assert found[code] == from_file[code]
    assert found["NIP"].implant is True and found["NIP"].definition == from_file["NIP"].definition
    assert found["MYN"].medical_specialty == "RA"  # no medical_specialty: from its description


@pytest.mark.parametrize(("fixture", "schema"), [
    (K510, "openfda_deviceclearance_schema.json"),
    (FDA / "openfda_510k_neurostar.json", "openfda_deviceclearance_schema.json"),
    (PMA, "openfda_devicepma_schema.json"),
    (CLASSIFICATION, "openfda_deviceclass_schema.json"),
    (UDI, "openfda_deviceudi_schema.json"),
])
def test_fixtures_validate_against_the_openfda_schemas(fixture: Path, schema: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_data = json.loads(shared_or_skip("openfda", schema).read_text(encoding="utf-8"))
    draft3 = jsonschema.Draft3Validator
    # The UDI schema types dates as "date", which draft 3 does not define: dates are strings.
    checker = draft3.TYPE_CHECKER.redefine("date", lambda _checker, value: isinstance(value, str))
    validator = jsonschema.validators.extend(draft3, type_checker=checker)(
        schema_data, format_checker=draft3.FORMAT_CHECKER)
    response = json.loads(fixture.read_text(encoding="utf-8"))
    assert set(response) == {"meta", "results"} and response["results"]
    for record in response["results"]:
        assert not [e.message for e in validator.iter_errors(record)]
        assert set(record) <= set(schema_data["properties"])  # only fields the endpoint has
    text_field = next(k for k, v in schema_data["properties"].items() if v.get("type") == "string")
    assert list(validator.iter_errors({**response["results"][0], text_field: 5}))  # the schema bites
    if "decision_date" in schema_data["properties"]:
        assert list(validator.iter_errors({"decision_date": "2023-02-30"}))  # dates are checked


# -- format detection and wrappers ------------------------------------------------------------------------


def test_json_array_single_record_gzip_and_zip(tmp_path: Path) -> None:
    results = json.loads(K510.read_text(encoding="utf-8"))["results"]
    expected = devices(K510)
    assert devices(write_json(tmp_path / "array.json", results)) == expected
    assert list(devices(write_json(tmp_path / "one.json", results[0]))) == ["K222728"]
    gz = tmp_path / "510k.json.gz"
    gz.write_bytes(gzip.compress(K510.read_bytes()))
    assert devices(gz) == expected
    archive = tmp_path / "device-510k-0001-of-0001.json.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(K510, "device-510k-0001-of-0001.json")
    assert devices(archive) == expected
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf  \n" + K510.read_bytes())
    assert devices(bom) == expected


def test_json_stream_reads_values_split_across_chunks(tmp_path: Path) -> None:
    results = json.loads(AI_JSON.read_text(encoding="utf-8")) * 40  # > several 64 KiB chunks
    big = write_json(tmp_path / "big.json", {"meta": {"n": 12345678901234567890}, "results": results,
                                             "trailer": [1.5, None]})
    found = records(big)
    assert len(found) == 1200 and all(isinstance(r, Device) for r in found)
    assert found[-1].number == "P970058"


def test_empty_results_are_no_records(tmp_path: Path) -> None:
    assert records(write_json(tmp_path / "none.json", {"meta": {}, "results": []})) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    (b'{"meta": {}, "results": [{"k_number": "K222728"}, {"k_number": ', "invalid JSON at line 1"),
    (b'{"meta": {}, "results": [{"k_number": "K222728"}]}\n]', "extra data"),
    (b'{"error": {"code": "NOT_FOUND", "message": "No matches found!"}}', "openFDA error response: NOT_FOUND"),
    (b'[{"id": "https://ror.org/04twxam07", "names": []}]', "no FDA device records found"),
    (b"code,description\nSE,Substantially Equivalent\n", "unknown format"),
    (b"<?xml version='1.0'?>\n<data>\n  <row>\n    <Device>x</Device>\n  </row>\n", "XML syntax error"),
    (b"<?xml version='1.0'?>\n<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>", "no GUDID <device>"),
    (b'{"results": [{"k_number": "K222728", "device_name": "\xff"}]}', "not UTF-8"),
])
def test_unreadable_files_are_errors_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad-file"
    bad.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        records(bad)
    assert str(info.value).startswith(str(bad))


def test_truncated_real_files_are_errors(tmp_path: Path) -> None:
    for source in (AI_XML, GUDID, AI_JSON, K510):
        bad = tmp_path / source.name
        data = source.read_bytes()
        bad.write_bytes(data[: len(data) * 2 // 3])
        with pytest.raises(IngestError, match="XML syntax error|invalid JSON"):
            records(bad)


def test_bad_records_are_skipped_with_index_number_and_field(tmp_path: Path) -> None:
    results = json.loads(K510.read_text(encoding="utf-8"))["results"]
    no_number = {k: v for k, v in results[0].items() if k != "k_number"}
    bad_date = {**results[1], "decision_date": "2025-13-11"}
    bad_code = {**results[2], "product_code": "Q4S"}
    found = records(write_json(tmp_path / "510k.json", {"results": [no_number, bad_date, bad_code, results[3], 7]}))
    assert [(r.index, r.record_id, r.field) for r in found if isinstance(r, SkippedRecord)] == [
        (1, None, "k_number"), (2, "K251399", "decision_date"), (3, "DEN170073", "product_code"), (5, None, "record"),
    ]
    assert [r.number for r in found if isinstance(r, Device)] == ["DEN180001"]
    xml = AI_XML.read_text(encoding="utf-8").replace("K222728", "K22272")  # in the link and its text
    xml = xml.replace("<Date_of_final_decision>09/29/2025</Date_of_final_decision>",
                      "<Date_of_final_decision>29/09/2025</Date_of_final_decision>")
    (tmp_path / "ai.xml").write_text(xml, encoding="utf-8")
    assert [(s.index, s.record_id, s.field) for s in skipped(tmp_path / "ai.xml")] == [
        (1, "K252054", "Date_of_final_decision"), (2, "K250023", "Date_of_final_decision"),
        (17, "K22272", "Submission_number"),
    ]


def test_values() -> None:
    assert panel_code("Radiology") == panel_code("ra") == "RA"
    assert panel_code("Gastroenterology, Urology") == panel_code("Gastroenterology-Urology") == "GU"
    assert panel_code("Ear, Nose, and Throat") == "EN" and panel_code("Nothing") is None
    assert submission_kind("DEN200038") == "de novo" and submission_kind("P140011/S008") == "pma"
    assert submission_kind("BK200500") == "510k" and submission_kind("X1") is None
    assert company_key("Quantib B.V.") == company_key("QUANTIB BV") == "quantib"
    assert company_key("Shanghai United Imaging Healthcare Co., Ltd.") == "shanghai united imaging healthcare"
    assert company_key("Inc.") == "inc"


# -- into the store ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded() -> Store:
    """Every fixture, after the ROR record of MD Anderson."""
    store = Store.open()
    ingest_files(store, RorConverter(store), [ROR_MD_ANDERSON])
    reports = ingest(store, *ALL_FIXTURES)
    assert [r.status for r in reports] == ["loaded"] * len(ALL_FIXTURES)
    assert all(not r.skipped for r in reports)
    return store


def test_devices_have_product_code_device_type_panel_and_class(loaded: Store) -> None:
    rows = loaded.select(P + """
        SELECT ?label ?type ?typeLabel ?panel ?class ?regulation ?date WHERE {
          ?d a schema:MedicalDevice ; dcterms:identifier "K222728" ; hg:productCode ?t ;
             hg:decisionDate ?date ; hg:submissionType "510(k)" ; rdfs:label ?label .
          ?t a hg:DeviceType ; dcterms:identifier ?type ; rdfs:label ?typeLabel ;
             hg:reviewPanel/rdfs:label ?panel ; hg:deviceClass ?class ; hg:regulationNumber ?regulation .
        }""")
    assert {(r["type"], r["typeLabel"], r["panel"], r["class"], r["regulation"]) for r in rows} == {
        ("MUJ", "System, Planning, Radiation Therapy Treatment", "Radiology", "2", "892.5050")}
    assert {str(r["date"]) for r in rows} == {"2023-05-17"}
    assert {r["label"] for r in rows} == {"Radiation Planning Assistant (RPA)"}
    qas = loaded.select(P + """SELECT ?definition ?implant WHERE {
        ?t dcterms:identifier "QAS" ; a hg:DeviceType ; skos:definition ?definition ; hg:implant ?implant }""")
    assert len(qas) == 1 and qas[0]["implant"] is False
    # devices whose product code the classification file (trimmed) has, in Radiology
    assert count(loaded, '?d a schema:MedicalDevice ; hg:productCode/hg:reviewPanel/skos:notation "RA"') == 10


def test_academic_applicant_joins_its_ror_organisation(loaded: Store) -> None:
    rows = loaded.select(P + """SELECT DISTINCT ?org ?name WHERE {
        ?d dcterms:identifier "K222728" ; schema:manufacturer ?org . ?org vivo:rorId ?id ; rdfs:label ?name }""")
    assert len(rows) == 1
    assert rows[0]["org"].endswith("/org/ror-04twxam07")
    assert rows[0]["name"] == "The University of Texas MD Anderson Cancer Center"


def test_companies_are_organisations_keyed_without_legal_form(loaded: Store) -> None:
    rows = loaded.select(P + """SELECT DISTINCT ?org WHERE {
        ?d dcterms:identifier ?n ; schema:manufacturer ?org . ?org a vivo:PrivateCompany , foaf:Organization ;
        rdfs:label ?label FILTER(?n IN ("P140011/S008")) }""")
    assert [r["org"].rsplit("/", 1)[1] for r in rows] == ["siemens-medical-solutions"]
    assert count(loaded, "?d schema:manufacturer ?o FILTER NOT EXISTS { ?o a foaf:Organization ; rdfs:label ?l }") == 0
    hologic = loaded.select(P + """SELECT DISTINCT ?org WHERE {
        ?d schema:manufacturer ?org ; dcterms:identifier ?n FILTER(?n IN ("P970058", "DEN210035")) }""")
    assert len(hologic) == 1  # "Hologic, Inc." and "Hologic Inc."


def test_the_same_number_from_several_files_is_one_device(loaded: Store) -> None:
    rpa = loaded.select(P + 'SELECT DISTINCT ?d WHERE { ?d dcterms:identifier "K222728" }')
    assert len(rpa) == 1
    ai = count(loaded, "?d a schema:MedicalDevice ; hg:aiEnabled true")
    assert ai == 30  # the XML and the JSON list the same 30 devices
    assert count(loaded, '?d dcterms:identifier "00844588018923"') == 1  # GUDID XML and openFDA UDI
    # 30 AI-list devices, P140011 (the PMA of a supplement), K251399 etc. again from openFDA,
    # DEN180001 ..., the UDI device and the submissions it cites.
    numbers = {r["n"] for r in loaded.select(P + "SELECT ?n WHERE { ?d a schema:MedicalDevice ; dcterms:identifier ?n }")}
    assert numbers == set(AI_NUMBERS) | {"P140011", "00844588018923", "K094035", "P950002/S001", "P950002"}
    assert count(loaded, "?d a schema:MedicalDevice") == 35


def test_supplements_and_udi_submissions_are_linked(loaded: Store) -> None:
    assert loaded.select(P + """SELECT ?type WHERE { ?s dcterms:identifier "P140011/S008" ; dcterms:isVersionOf ?p .
        ?p dcterms:identifier "P140011" ; hg:submissionType ?type }""") == [{"type": "PMA"}]
    rows = loaded.select(P + """SELECT ?n ?type WHERE { ?u dcterms:identifier "00844588018923" ;
        hg:submissionType "UDI" ; hg:premarketSubmission ?s . ?s dcterms:identifier ?n ; hg:submissionType ?type }
        ORDER BY ?n""")
    assert rows == [{"n": "K094035", "type": "510(k)"}, {"n": "P950002/S001", "type": "PMA"}]
    codes = loaded.select(P + """SELECT ?c ?class WHERE { ?u dcterms:identifier "00844588018923" ;
        hg:productCode ?t . ?t dcterms:identifier ?c ; hg:deviceClass ?class } ORDER BY ?c""")
    assert codes == [{"c": "MAX", "class": "2"}, {"c": "OQG", "class": "2"}]


def test_graph_rules_hold(loaded: Store) -> None:
    assert count(loaded, '?d ?p ?l FILTER(isLiteral(?l) && STR(?l) = "")') == 0
    assert count(loaded, "?d schema:name|skos:prefLabel ?v FILTER NOT EXISTS { ?d rdfs:label ?l }") == 0
    # (a device type only an AI-list row names has its code, not a name: no label)
    for cls in ("hg:ReviewPanel", "foaf:Organization"):
        assert count(loaded, f"?d a {cls} FILTER NOT EXISTS {{ ?d rdfs:label ?l }}") == 0, cls
    assert count(loaded, "?d hg:decisionDate|dcterms:dateSubmitted|dcterms:issued ?v "
                         "FILTER(DATATYPE(?v) != xsd:date)") == 0
    assert count(loaded, "?d a hg:ReviewPanel") == count(loaded, "?d a hg:ReviewPanel ; skos:notation ?c")


def test_without_ror_academic_applicants_are_minted_like_affiliations() -> None:
    store = Store.open()
    ingest(store, AI_XML, AI_JSON, K510)
    rows = store.select(P + """SELECT DISTINCT ?org WHERE {
        ?d dcterms:identifier "K222728" ; schema:manufacturer ?org . ?org a vivo:Hospital }""")
    assert [r["org"].rsplit("/", 1)[1] for r in rows] == ["university-of-texas-md-anderson-cancer-center"]


def test_skipped_records_are_reported(tmp_path: Path) -> None:
    results = json.loads(K510.read_text(encoding="utf-8"))["results"]
    path = write_json(tmp_path / "510k.json", {"results": [{**results[0], "k_number": ""}, results[1]]})
    store = Store.open()
    [report] = ingest(store, path)
    assert report.records == 1
    assert report.skipped == ["510k.json: record 1, field k_number: missing submission number"]
    assert count(store, "?d a schema:MedicalDevice") == 1


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_an_unreadable_file_leaves_the_store_unchanged(tmp_path: Path, backend: str) -> None:
    from tests.support import open_backend

    store = open_backend(backend, tmp_path)
    ingest(store, FOICLASS)
    before = store.triple_count()
    truncated = tmp_path / "ai.xml"
    truncated.write_bytes(AI_XML.read_bytes()[:5000])
    utf16 = tmp_path / "foiclass-utf16.txt"
    utf16.write_bytes(FOICLASS.read_bytes().decode("cp1252").encode("utf-16"))
    bad_json = tmp_path / "510k.json"
    bad_json.write_bytes(K510.read_bytes()[:-20])
    for bad in (truncated, utf16, bad_json):
        with pytest.raises(IngestError) as info:
            ingest(store, AI_JSON, bad)  # a good file first: nothing of it is loaded either
        assert info.value.path == str(bad)
        assert store.triple_count() == before
    assert count(store, "?d a schema:MedicalDevice") == 0


def test_ingesting_the_same_file_again_changes_nothing() -> None:
    store = Store.open()
    ingest(store, AI_XML)
    before = store.triple_count()
    [report] = ingest(store, AI_XML)
    assert report.status == "unchanged" and store.triple_count() == before


# -- the full shared files --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_shared_openfda_data_file() -> None:
    folder = shared_or_skip("openfda")
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and not p.name.endswith("_schema.json") and p.suffix != ".csv")
    assert {p.name for p in files} == {"ai-ml-enabled-devices.xml", "ai-ml-enabled-devices-enriched.json",
                                       "foiclass.txt", "gudid_test_device.xml"}
    store = Store.open()
    ror = shared_or_skip("ror", "ror_v2_alzforum_institutions.json")
    ingest_files(store, RorConverter(store), [ror])
    reports = ingest(store, *files)
    assert all(r.status == "loaded" and not r.skipped for r in reports)
    by_name = {Path(r.path).name: r.records for r in reports}
    assert by_name == {"ai-ml-enabled-devices.xml": 1357, "ai-ml-enabled-devices-enriched.json": 1357,
                       "foiclass.txt": 6530, "gudid_test_device.xml": 1}
    devices_n = count(store, "?d a schema:MedicalDevice")
    assert devices_n >= 1300
    assert count(store, "?d a schema:MedicalDevice ; hg:aiEnabled true") == 1357
    kinds = {r["k"]: int(r["n"]) for r in store.select(P + """SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d a schema:MedicalDevice ; hg:aiEnabled true ; hg:submissionType ?k } GROUP BY ?k""")}
    assert kinds == {"510(k)": 1304, "De Novo": 37, "PMA": 16}
    panels = {r["p"]: int(r["n"]) for r in store.select(P + """SELECT ?p (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d hg:aiEnabled true ; hg:reviewPanel/rdfs:label ?p } GROUP BY ?p""")}
    assert panels["Radiology"] == 1039 and panels["Cardiovascular"] == 130
    assert count(store, "?d a hg:DeviceType") >= 6530
    # AI devices whose product code the (2019) classification file describes, with a class
    assert count(store, "?d hg:aiEnabled true ; hg:productCode/hg:deviceClass ?c") > 700
    [rpa] = store.select(P + """SELECT ?org WHERE { ?d dcterms:identifier "K222728" ; schema:manufacturer ?org }""")
    assert rpa["org"].endswith("/org/ror-04twxam07")
    assert count(store, "?d a vivo:PrivateCompany") > 400
