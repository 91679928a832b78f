"""Institutional tables (a folder of CSV files): the sample folder, a fixture folder, and bad input.

Good input is read from ``data/sample/tables`` and ``tests/data/tables/good``; every bad variant
is written into ``tmp_path`` by the test that needs it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import TableAuthorship, TableOrganization, TablePerson, Tables, TableWork
from ingest.pubmed import normalize_orcid
from ingest.tables import COLUMNS, ORGANIZATION_KINDS, PERSON_ROLES, TABLE_FILES, read_tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "tables"
GOOD = ROOT / "tests" / "data" / "tables" / "good"

PEOPLE_HEADER = "id,given_name,family_name,orcid,email,institution,department,position,role,start,end\n"
ORGS_HEADER = "id,name,ror,kind,parent\n"
WORKS_HEADER = "id,title,year,doi,pmid,abstract,keywords,topics\n"
AUTH_HEADER = "work_id,person_id,rank,role\n"


def write(folder: Path, **files: str | bytes) -> Path:
    """Write ``people="..."`` etc. as ``people.csv`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, content in files.items():
        path = folder / f"{stem}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


def error_of(folder: Path) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_tables(folder)
    return caught.value


def assert_names(error: IngestError, file: str, line: int, column: str | None) -> None:
    """The message names the file, the line and the column (and the attributes agree)."""
    message = str(error)
    assert file in message, message
    assert Path(error.path).name == file
    assert f"line {line}" in message, message
    assert error.record == f"line {line}"
    if column is not None:
        assert f"field {column}" in message, message
        assert error.field == column


# --- the sample folder ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Tables:
    return read_tables(SAMPLE)


def test_sample_counts_and_no_warnings(sample: Tables) -> None:
    assert len(sample.people) == 26
    assert len(sample.organizations) == 19
    assert len(sample.works) == 15
    assert len(sample.authorships) == 58
    assert sample.warnings == ()


def test_sample_has_all_four_files_and_a_readme() -> None:
    assert sorted(p.name for p in SAMPLE.iterdir()) == sorted([*TABLE_FILES, "README.md"])
    assert "invented" in (SAMPLE / "README.md").read_text(encoding="utf-8")


def test_sample_institutions_have_their_ror_ids(sample: Tables) -> None:
    orgs = {o.id: o for o in sample.organizations}
    assert {o.name: o.ror for o in sample.organizations if o.ror} == {
        "Massachusetts General Hospital": "002pd6e78",
        "Brigham and Women's Hospital": "04b6nzv94",
        "Massachusetts Institute of Technology": "042nb2s44",
        "Harvard University": "03vek6s52",
    }
    assert orgs["MGH"].kind == "hospital" and orgs["MGH"].parent == "04py2rh25"  # a ROR parent
    assert orgs["MIT-EECS"] == TableOrganization(
        "MIT-EECS", 15, "Electrical Engineering and Computer Science", kind="department", parent="MIT"
    )
    assert orgs["MGH-NEUR-EEG"].name == "Clinical Neurophysiology Lab, Neurology"  # quoted comma
    assert {o.kind for o in sample.organizations} <= set(ORGANIZATION_KINDS)
    for org in sample.organizations:  # every parent is a row id or a ROR id
        assert org.parent is None or org.parent in orgs or org.parent == "04py2rh25"


def test_sample_people(sample: Tables) -> None:
    people = {p.id: p for p in sample.people}
    assert people["0041172"] == TablePerson(
        "0041172", 2, given_name="Eleanor", family_name="Whitcombe", orcid="0000-0003-4255-5031",
        email="e.whitcombe@example.org", institution="002pd6e78", department="Neurology",
        position="Associate Professor of Neurology", role="clinician", start="2009-07-01",
    )
    # ids are kept exactly: leading zeros stay, nothing becomes a number
    assert all(isinstance(p.id, str) and len(p.id) == 7 and p.id.startswith("00") for p in sample.people)
    assert people["0047731"].orcid == "0000-0003-9106-5493"  # given as an orcid.org URL
    assert people["0047731"].family_name == "Aguilar-Reyes" and people["0047731"].given_name == "Tomás"
    assert people["0061377"].institution == "042nb2s44"  # given as a ROR URL
    assert people["0036652"].institution == "Massachusetts General Hospital"  # given as a name
    assert people["0038804"].position == "Physician, Cardiac Arrhythmia Service"
    assert people["0052210"].end == "2024-06-30" and people["0041388"].start == "2016-09"
    assert people["0070612"].email is None
    assert {p.role for p in sample.people} == set(PERSON_ROLES)
    orcids = [p.orcid for p in sample.people if p.orcid]
    assert len(orcids) == 10 and all(normalize_orcid(o) == o for o in orcids)
    assert all(p.email.endswith("@example.org") for p in sample.people if p.email)
    # two different people with one name: two rows, two ids
    assert sorted(p.id for p in sample.people if (p.given_name, p.family_name) == ("Wei", "Zhang")) == [
        "0045560", "0061377"
    ]


def test_sample_works(sample: Tables) -> None:
    works = {w.id: w for w in sample.works}
    ecg = works["W-2019-014"]
    assert ecg.year == 2019 and ecg.doi == "10.5555/hubgraph.2019.014" and ecg.pmid is None
    assert ecg.keywords == ("wearable ECG", "postoperative atrial fibrillation", "Holter monitoring")
    assert ecg.topics == ("D000076251", "D004562", "D001281", "D018670")
    assert works["W-2020-003"].doi == "10.5555/hubgraph.2020.003"  # resolver prefix dropped
    assert works["W-2021-007"].doi == "10.5555/hubgraph.2021.007"  # lower-cased
    assert works["W-2021-007"].topics[-1] == "Heart rate variability"  # a free-text label
    assert works["W-2023-017"].doi is None
    assert works["W-2021-022"].topics[0] == "D000544"  # Alzheimer Disease


def test_sample_mesh_uis_are_real_descriptors(sample: Tables) -> None:
    import csv
    import gzip
    import io

    packed = (ROOT / "ingest" / "data" / "mesh_descriptors.csv.gz").read_bytes()
    uis = {row["ui"] for row in csv.DictReader(io.StringIO(gzip.decompress(packed).decode("utf-8")))}
    used = {t for w in sample.works for t in w.topics if t[:1] == "D" and t[1:].isdigit()}
    assert len(used) >= 20
    assert used <= uis


def test_sample_authorships_link_known_rows(sample: Tables) -> None:
    people = {p.id for p in sample.people}
    works = {w.id for w in sample.works}
    assert all(a.work_id in works and a.person_id in people for a in sample.authorships)
    assert {a.work_id for a in sample.authorships} == works
    first = sample.authorships[0]
    assert first == TableAuthorship("W-2019-014", "0049920", 2, rank=1, role="first")
    for work in works:
        ranks = sorted(a.rank for a in sample.authorships if a.work_id == work)
        assert ranks == list(range(1, len(ranks) + 1))


# --- the fixture folder ---------------------------------------------------------------


@pytest.fixture(scope="module")
def good() -> Tables:
    return read_tables(GOOD)


def test_good_people_bom_crlf_header_case_and_multiline(good: Tables) -> None:
    assert [p.id for p in good.people] == ["007", "P-12", "p-12", "x1"]  # trimmed, case kept
    okonkwo, upper, lower, solo = good.people
    assert okonkwo == TablePerson(
        "007", 2, given_name="Adaeze", family_name="Okonkwo", orcid="0000-0002-1825-0097",
        email="a.okonkwo@example.org", institution="002pd6e78", department="Neurology",
        position="Associate Professor, Neurology", role="clinician", start="2010-07-01",
    )
    assert upper.line == 3 and upper.position == "Research Engineer\nSignal Processing Group"
    assert upper.orcid == "0000-0002-1694-233X"  # given without hyphens
    assert (upper.start, upper.end) == ("2018", "2023-06")
    assert lower.line == 6  # the quoted line break and the blank line are counted
    assert lower.institution == "Harvard University" and lower.orcid is None
    assert solo.family_name is None and solo.given_name == "Solo"


def test_good_organizations_kinds_and_parents(good: Tables) -> None:
    orgs = {o.id: o for o in good.organizations}
    assert orgs["mgh"].kind == "hospital"  # lower-cased
    assert orgs["mgh"].ror == "002pd6e78" and orgs["mgh"].parent == "04py2rh25"
    assert orgs["mgh-neuro"].parent == "mgh"
    assert orgs["mit-eecs"].parent == "042nb2s44"  # a ROR URL parent, bare
    assert orgs["core-1"].kind == "core facility"  # unknown kind kept


def test_ror_ids_in_any_case(tmp_path: Path) -> None:
    write(tmp_path, organizations=ORGS_HEADER + "a,A,HTTPS://ROR.ORG/03VEK6S52,,\nb,B,,,042NB2S44\n",
          people=PEOPLE_HEADER + "p1,Ann,Lee,,,Https://Ror.org/002PD6E78,,,,,\n")
    tables = read_tables(tmp_path)
    assert [(o.ror, o.parent) for o in tables.organizations] == [("03vek6s52", None), (None, "042nb2s44")]
    assert tables.people[0].institution == "002pd6e78"


def test_good_works_lists_and_normalisation(good: Tables) -> None:
    w1, w2 = good.works
    assert w1 == TableWork(
        "W1", 2, "EEG, wearables and seizures", year=2021, doi="10.5555/abc.123", pmid="34567890",
        abstract="Line one.\nLine two.", keywords=("EEG", "wearables"),
        topics=("D004569", "Seizures", "D000076251"),
    )
    assert w2 == TableWork("W2", 4, "A title only")


def test_good_authorships_use_ids_exactly(good: Tables) -> None:
    assert [(a.work_id, a.person_id, a.rank, a.role) for a in good.authorships] == [
        ("W1", "007", 1, "first"),
        ("W1", "P-12", 2, None),
        ("W1", "p-12", 3, "corresponding"),
        ("W2", "x1", None, None),
    ]
    assert [a.line for a in good.authorships] == [2, 3, 4, 5]


def test_good_warnings_name_file_line_and_column(good: Tables) -> None:
    assert good.warnings == (
        "people.csv, line 1: unknown columns ignored: Phone",
        "organizations.csv, line 6, column kind: unknown kind 'core facility' kept as 'core facility' "
        "(known: institution, hospital, university, department, lab)",
    )


# --- absent files and warnings --------------------------------------------------------


@pytest.mark.parametrize("only", TABLE_FILES)
def test_each_file_alone_is_enough(tmp_path: Path, only: str) -> None:
    shutil.copy(SAMPLE / only, tmp_path / only)
    tables = read_tables(tmp_path)
    counts = {
        "people.csv": len(tables.people), "organizations.csv": len(tables.organizations),
        "works.csv": len(tables.works), "authorships.csv": len(tables.authorships),
    }
    assert counts == {name: ({"people.csv": 26, "organizations.csv": 19, "works.csv": 15,
                              "authorships.csv": 58}[name] if name == only else 0) for name in TABLE_FILES}
    assert tables.warnings == ()


def test_authorships_are_not_checked_against_absent_files(tmp_path: Path) -> None:
    write(tmp_path, authorships=AUTH_HEADER + "w9,p9,1,\n", people=PEOPLE_HEADER + "p9,Ann,Lee,,,,,,,,\n")
    tables = read_tables(tmp_path)  # no works.csv: w9 is not checked
    assert tables.authorships == (TableAuthorship("w9", "p9", 2, rank=1),)


def test_path_accepts_str(tmp_path: Path) -> None:
    write(tmp_path, works=WORKS_HEADER + "w,T,,,,,,\n")
    assert read_tables(str(tmp_path)).works == (TableWork("w", 2, "T"),)


def test_no_tables_in_folder(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here", encoding="utf-8")
    error = error_of(tmp_path)
    assert str(tmp_path) in str(error)
    for name in TABLE_FILES:
        assert name in str(error)


def test_folder_that_does_not_exist(tmp_path: Path) -> None:
    error = error_of(tmp_path / "missing")
    assert "missing" in str(error) and "people.csv" in str(error)


def test_unknown_columns_warn(tmp_path: Path) -> None:
    write(tmp_path, organizations="ID,Name,Notes,Cost Centre,notes\nu1,Unit One,x,42,y\n")
    tables = read_tables(tmp_path)
    assert tables.organizations == (TableOrganization("u1", 2, "Unit One"),)
    assert tables.warnings == ("organizations.csv, line 1: unknown columns ignored: Notes, Cost Centre",)


def test_unnamed_column_warns_but_trailing_comma_does_not(tmp_path: Path) -> None:
    write(tmp_path, works="id,,title,\nw1,zzz,Title,\n")
    tables = read_tables(tmp_path)
    assert tables.works == (TableWork("w1", 2, "Title"),)
    assert tables.warnings == ("works.csv, line 1: unknown columns ignored: (unnamed column 2)",)


def test_unknown_kind_and_role_are_kept_lower_cased_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, organizations=ORGS_HEADER + "c1,Clinical Trials Unit,,Core Facility,\n",
          people=PEOPLE_HEADER + "p1,Ann,Lee,,,,,,Nurse Scientist,,\n")
    tables = read_tables(tmp_path)
    assert tables.organizations[0].kind == "core facility"
    assert tables.people[0].role == "nurse scientist"
    assert tables.warnings == (
        "organizations.csv, line 2, column kind: unknown kind 'Core Facility' kept as 'core facility' "
        "(known: institution, hospital, university, department, lab)",
        "people.csv, line 2, column role: unknown role 'Nurse Scientist' kept as 'nurse scientist' "
        "(known: clinician, researcher, engineer, trainee)",
    )


def test_other_warnings(tmp_path: Path) -> None:
    write(
        tmp_path,
        organizations=ORGS_HEADER + "a,A,03vek6s52,,\nb,B,https://ror.org/03vek6s52,,\n",
        people=PEOPLE_HEADER + "p1,Ann,Lee,,not-an-address,,,,,,\np2,Bo,Ng,,,,,,,,\n",
        works=WORKS_HEADER + "w1,T,,,,,,\n",
        authorships=AUTH_HEADER + "w1,p1,1,\nw1,p2,1,\n",
        person="id\n",
    )
    warnings = read_tables(tmp_path).warnings
    assert warnings == (
        "person.csv: not one of organizations.csv, people.csv, works.csv, authorships.csv; ignored",
        "organizations.csv, line 3, column ror: ROR id 03vek6s52 is also given at line 2",
        "people.csv, line 2, column email: the value does not look like an e-mail address (kept)",
        "authorships.csv, line 3, column rank: work 'w1' already has an author at rank 1 (line 2)",
    )
    assert "not-an-address" not in " ".join(warnings)  # private values are not echoed


def test_blank_rows_and_short_rows(tmp_path: Path) -> None:
    write(tmp_path, people=PEOPLE_HEADER + "\n,,,\np1,Ann,Lee\n  ,  \n")
    tables = read_tables(tmp_path)
    assert tables.people == (TablePerson("p1", 4, given_name="Ann", family_name="Lee"),)


def test_empty_values_are_none_and_values_are_trimmed(tmp_path: Path) -> None:
    write(tmp_path, people=PEOPLE_HEADER + " p1 ,  Ann , Lee ,  ,  , , Neurology ,,  researcher ,2020 , \n")
    person = read_tables(tmp_path).people[0]
    assert person == TablePerson("p1", 2, given_name="Ann", family_name="Lee", department="Neurology",
                                 role="researcher", start="2020")


def test_header_only_files_are_empty_tables(tmp_path: Path) -> None:
    write(tmp_path, people=PEOPLE_HEADER, works=WORKS_HEADER)
    assert read_tables(tmp_path) == Tables()


def test_columns_constant_matches_model() -> None:
    assert set(COLUMNS["people.csv"]) == set(TablePerson.__dataclass_fields__) - {"line"}
    assert set(COLUMNS["organizations.csv"]) == set(TableOrganization.__dataclass_fields__) - {"line"}
    assert set(COLUMNS["works.csv"]) == set(TableWork.__dataclass_fields__) - {"line"}
    assert set(COLUMNS["authorships.csv"]) == set(TableAuthorship.__dataclass_fields__) - {"line"}


# --- bad input: every error names file, line and column -------------------------------


@pytest.mark.parametrize(
    ("stem", "content", "column"),
    [
        ("people", "given_name,family_name\nAnn,Lee\n", "id"),
        ("people", "id,orcid,email\np1,,\n", "family_name"),
        ("organizations", "id,ror\no1,03vek6s52\n", "name"),
        ("organizations", "name,ror\nHarvard,03vek6s52\n", "id"),
        ("works", "id,year\nw1,2020\n", "title"),
        ("works", "ID , Year\nw1,2020\n", "title"),
        ("authorships", "work_id,rank\nw1,1\n", "person_id"),
        ("authorships", "person_id\np1\n", "work_id"),
    ],
)
def test_missing_required_column(tmp_path: Path, stem: str, content: str, column: str) -> None:
    error = error_of(write(tmp_path, **{stem: content}))
    assert_names(error, f"{stem}.csv", 1, column)
    assert "missing" in str(error)


def test_people_need_only_one_name_column(tmp_path: Path) -> None:
    write(tmp_path, people="id,given_name\np1,Ann\n")
    assert read_tables(tmp_path).people == (TablePerson("p1", 2, given_name="Ann"),)


def test_empty_file_is_a_missing_header(tmp_path: Path) -> None:
    assert_names(error_of(write(tmp_path, works="")), "works.csv", 1, "id")


def test_duplicate_column_in_header(tmp_path: Path) -> None:
    assert_names(error_of(write(tmp_path, works="id,title,Title\nw,a,b\n")), "works.csv", 1, "title")


@pytest.mark.parametrize(
    ("stem", "content", "line", "column"),
    [
        # missing required values
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,,\n,Bo,Ng,,,,,,,,\n", 3, "id"),
        ("people", PEOPLE_HEADER + "p1,,,0000-0002-1825-0097,,,,,,,\n", 2, "family_name"),
        ("people", "id,given_name\np1,\n", 2, "given_name"),
        ("organizations", ORGS_HEADER + "o1, ,,,\n", 2, "name"),
        ("works", WORKS_HEADER + "w1,,2020,,,,,\n", 2, "title"),
        ("authorships", AUTH_HEADER + ",p1,1,\n", 2, "work_id"),
        ("authorships", AUTH_HEADER + "w1,,1,\n", 2, "person_id"),
        # bad values
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,0000-0002-1825-0098,,,,,,,\n", 2, "orcid"),
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,Ann Lee,,,,,,,\n", 2, "orcid"),
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,https://ror.org/notanid,,,,,\n", 2, "institution"),
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,01/07/2010,\n", 2, "start"),
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,2021-13,\n", 2, "start"),
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,,2021-02-30\n", 2, "end"),
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,2020-05-01,2019\n", 2, "end"),
        ("organizations", ORGS_HEADER + "o1,Harvard,https://ror.org/xyz,,\n", 2, "ror"),
        ("organizations", ORGS_HEADER + "o1,Harvard,Harvard University,,\n", 2, "ror"),
        ("works", WORKS_HEADER + "w1,T,2020.0,,,,,\n", 2, "year"),
        ("works", WORKS_HEADER + "w1,T,twenty,,,,,\n", 2, "year"),
        ("works", WORKS_HEADER + "w1,T,,doi:unknown,,,,\n", 2, "doi"),
        ("works", WORKS_HEADER + "w1,T,,,PMC123456,,,\n", 2, "pmid"),
        ("works", WORKS_HEADER + "w1,T,,,12 34,,,\n", 2, "pmid"),
        ("authorships", AUTH_HEADER + "w1,p1,0,\n", 2, "rank"),
        ("authorships", AUTH_HEADER + "w1,p1,-1,\n", 2, "rank"),
        ("authorships", AUTH_HEADER + "w1,p1,first,\n", 2, "rank"),
        ("authorships", AUTH_HEADER + "w1,p1,1.5,\n", 2, "rank"),
        # duplicate ids within a file (ids compared exactly, after trimming)
        ("people", PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,,\nP1,Bo,Ng,,,,,,,,\n p1 ,Cy,Oh,,,,,,,,\n", 4, "id"),
        ("organizations", ORGS_HEADER + "o1,A,,,\no1,B,,,\n", 3, "id"),
        ("works", WORKS_HEADER + "w1,A,,,,,,\nw2,B,,,,,,\nw1,C,,,,,,\n", 4, "id"),
        ("authorships", AUTH_HEADER + "w1,p1,1,\nw1,p1,2,\n", 3, "person_id"),
        # organisation parents
        ("organizations", ORGS_HEADER + "o1,A,,,\no2,B,,,o3\n", 3, "parent"),
        ("organizations", ORGS_HEADER + "o1,A,,,o1\n", 2, "parent"),
        ("organizations", ORGS_HEADER + "o1,A,,,o2\no2,B,,,o1\n", 2, "parent"),
    ],
)
def test_bad_value(tmp_path: Path, stem: str, content: str, line: int, column: str) -> None:
    assert_names(error_of(write(tmp_path, **{stem: content})), f"{stem}.csv", line, column)


def test_error_line_is_where_a_multiline_record_starts(tmp_path: Path) -> None:
    content = WORKS_HEADER + 'w1,"A title\nover two lines",2020,,,,,\nw2,"B",,,,"an\n\nabstract",,\nw3,C,2O21,,,,,\n'
    assert_names(error_of(write(tmp_path, works=content)), "works.csv", 7, "year")
    content = WORKS_HEADER + 'w1,A,,,,,,\r\nw2,"B\r\nB",MMXX,,,,,\r\n'
    assert_names(error_of(write(tmp_path, works=content)), "works.csv", 3, "year")


def test_bom_and_header_case_in_an_error(tmp_path: Path) -> None:
    content = "\ufeff ID ,Title, YEAR \nw1,T,soon\n"
    assert_names(error_of(write(tmp_path, works=content)), "works.csv", 2, "year")


@pytest.mark.parametrize(("stem", "content", "line", "column"), [
    ("authorships", AUTH_HEADER + "w1,p1,1,\nw2,p1,1,\n", 3, "work_id"),
    ("authorships", AUTH_HEADER + "w1,p1,1,\nw1,P1,2,\n", 3, "person_id"),
])
def test_authorship_names_unknown_work_or_person(tmp_path: Path, stem: str, content: str, line: int,
                                                 column: str) -> None:
    write(tmp_path, works=WORKS_HEADER + "w1,T,,,,,,\n", people=PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,,\n")
    assert_names(error_of(write(tmp_path, **{stem: content})), "authorships.csv", line, column)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    content = (PEOPLE_HEADER + "p1,Ann,Lee,,,,,,,,\np2,Ren\xe9e,Dubois,,,,,,,,\n").encode("latin-1")
    error = error_of(write(tmp_path, people=content))
    assert_names(error, "people.csv", 3, None)
    assert "UTF-8" in str(error)


def test_utf16_is_not_utf8(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, works=(WORKS_HEADER + "w,T,,,,,,\n").encode("utf-16")))
    assert_names(error, "works.csv", 1, None)


def test_broken_quoting_names_the_line(tmp_path: Path) -> None:
    content = WORKS_HEADER + 'w1,A,,,,,,\nw2,"B" and more,,,,,,\n'
    error = error_of(write(tmp_path, works=content))
    assert_names(error, "works.csv", 3, None)
    assert "CSV" in str(error)


def test_too_many_values_names_the_line(tmp_path: Path) -> None:
    content = ORGS_HEADER + "o1,A,,,\no2,Smith, Jones and Co,,department,o1\n"
    error = error_of(write(tmp_path, organizations=content))
    assert_names(error, "organizations.csv", 3, None)
    assert "quoted" in str(error)


def test_extra_empty_values_are_fine(tmp_path: Path) -> None:
    write(tmp_path, organizations=ORGS_HEADER + "o1,A,,,,,\n")
    assert read_tables(tmp_path).organizations == (TableOrganization("o1", 2, "A"),)


def test_first_error_in_file_order_wins(tmp_path: Path) -> None:
    # organizations.csv is read before people.csv, works.csv and authorships.csv
    write(tmp_path, organizations=ORGS_HEADER + "o1,,,,\n", people=PEOPLE_HEADER + ",A,B,,,,,,,,\n")
    assert_names(error_of(tmp_path), "organizations.csv", 2, "name")


# --- docs/ingest.md stays true --------------------------------------------------------

DOC = ROOT / "docs" / "ingest.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_doc_full_example_reads_as_documented(doc: str, tmp_path: Path) -> None:
    import re

    example = doc[doc.index("### A full example"):]
    blocks = re.findall(r"`(\w+)\.csv`:\n\n```csv\n(.*?)```", example, re.S)
    assert [name for name, _ in blocks] == ["organizations", "people", "works", "authorships"]
    write(tmp_path, **dict(blocks))
    tables = read_tables(tmp_path)
    assert tables.warnings == ()
    assert (len(tables.organizations), len(tables.people), len(tables.works), len(tables.authorships)) == (
        5, 4, 2, 5
    )
    # the values the Python snippet in the document shows
    assert tables.people[0].id == "0041172"
    assert tables.people[0].orcid == "0000-0003-4255-5031"
    assert tables.works[0].doi == "10.5555/hubgraph.2020.003"
    assert tables.works[0].topics == ("D000077321", "D004569", "D004827")
    for line in ("tables.people[0].id        # '0041172'", "tables.works[0].doi        # '10.5555/hubgraph.2020.003'",
                 "tables.works[0].topics     # ('D000077321', 'D004569', 'D004827')"):
        assert line in example


def test_doc_column_tables_match_the_reader(doc: str) -> None:
    import re

    for name, columns in COLUMNS.items():
        section = doc[doc.index(f"### `{name}`"):]
        section = section[: section.index("\n### ", 1)]
        documented = re.findall(r"^\| `(\w+)` \|", section, re.M)
        assert tuple(documented) == columns, name
    assert "`email` is private" in doc.replace("**", "")
    assert "hubgraph ingest table DIR" in doc
    for kind in ("pubmed", "mesh", "ror", "table"):
        assert f"(`hubgraph ingest {kind}`)" in doc
    for word in (*ORGANIZATION_KINDS, *PERSON_ROLES):
        assert f"`{word}`" in doc


def test_doc_warning_and_error_examples_are_real(doc: str, good: Tables, tmp_path: Path) -> None:
    assert good.warnings[1] in doc
    rows = "".join(f"p{n},Ann,Lee,,,,,,,,\n" for n in range(2, 14))
    write(tmp_path, people=PEOPLE_HEADER + rows + "p14,Eleanor,Whitcombe,0000-0003-4255-5032,,,,,,,\n")
    message = str(error_of(tmp_path))
    assert f"Error: /data/research-office/people.csv{message.removeprefix(str(tmp_path / 'people.csv'))}" in doc
