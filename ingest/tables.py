"""Read an institution's own tables (a folder of CSV files) into records.

:func:`read_tables` reads up to four files from one folder and returns
:class:`~graph.model.Tables`:

* ``people.csv``: ``id, given_name, family_name, orcid, email, institution, department,
  position, role, start, end`` (``email`` is private);
* ``organizations.csv``: ``id, name, ror, kind, parent``;
* ``works.csv``: ``id, title, year, doi, pmid, abstract, keywords, topics``;
* ``authorships.csv``: ``work_id, person_id, rank, role``.

Any file may be absent, but not all four. Header names are case-insensitive and
trimmed; values are trimmed and an empty value is None. Unknown columns are ignored
with a warning. Ids are kept exactly as given (after trimming). ORCID iDs, DOIs and
ROR ids are normalised; lists (``keywords``, ``topics``) are separated by ``;``.

Bad input stops reading with :class:`graph.errors.IngestError` naming the file, the
line (1-based; the header is line 1; for a record spanning several lines, the line it
starts on) and the column: a missing required column or value, a value that is not
valid for its column, a duplicate id, an authorship naming an unknown work or person,
an organisation parent that is neither a row id nor a ROR id. Things that are odd but
usable (unknown columns, an unknown organisation kind or person role, an unexpected
CSV file in the folder) go to :attr:`Tables.warnings`, each naming file and line or
column.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import IngestError
from graph.model import TableAuthorship, TableOrganization, TablePerson, Tables, TableWork
from ingest.pubmed import normalize_doi, normalize_orcid
from ingest.ror import bare_ror_id

__all__ = [
    "read_tables",
    "TABLE_FILES",
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "ORGANIZATION_KINDS",
    "PERSON_ROLES",
    "LIST_SEPARATOR",
]

PEOPLE = "people.csv"
ORGANIZATIONS = "organizations.csv"
WORKS = "works.csv"
AUTHORSHIPS = "authorships.csv"

#: The files :func:`read_tables` reads, in the order it reads them.
TABLE_FILES = (ORGANIZATIONS, PEOPLE, WORKS, AUTHORSHIPS)

#: The columns of each file, in documentation order.
COLUMNS: dict[str, tuple[str, ...]] = {
    PEOPLE: ("id", "given_name", "family_name", "orcid", "email", "institution", "department",
             "position", "role", "start", "end"),
    ORGANIZATIONS: ("id", "name", "ror", "kind", "parent"),
    WORKS: ("id", "title", "year", "doi", "pmid", "abstract", "keywords", "topics"),
    AUTHORSHIPS: ("work_id", "person_id", "rank", "role"),
}

#: Required columns of each file; a tuple of names means "at least one of these".
REQUIRED_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    PEOPLE: (("id",), ("family_name", "given_name")),
    ORGANIZATIONS: (("id",), ("name",)),
    WORKS: (("id",), ("title",)),
    AUTHORSHIPS: (("work_id",), ("person_id",)),
}

#: Organisation kinds; another kind is kept (lower-cased) with a warning.
ORGANIZATION_KINDS = ("institution", "hospital", "university", "department", "lab")

#: Person roles; another role is kept (lower-cased) with a warning.
PERSON_ROLES = ("clinician", "researcher", "engineer", "trainee")

#: Separator of the list columns ``keywords`` and ``topics``.
LIST_SEPARATOR = ";"

_MESH_UI = re.compile(r"[Dd]\d{6}(?:\d{3})?")
_YEAR = re.compile(r"\d{4}")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/")


@dataclass(frozen=True, slots=True)
class _Row:
    """One data row: its starting line and its values by (known) column name."""

    line: int
    values: dict[str, str | None]

    def get(self, column: str) -> str | None:
        return self.values.get(column)


class _Table:
    """One CSV file, read: where it is, its rows and its known columns."""

    def __init__(self, path: Path, rows: list[_Row], columns: tuple[str, ...]):
        self.path = path
        self.rows = rows
        self.columns = columns

    @property
    def name(self) -> str:
        return self.path.name

    def error(self, line: int, column: str | None, message: str) -> IngestError:
        return IngestError(str(self.path), message, record=f"line {line}", field=column)


# --------------------------------------------------------------------------- reading


def read_tables(folder: str | os.PathLike[str]) -> Tables:
    """Read the institutional tables in ``folder``; raise IngestError on bad input."""
    root = Path(folder)
    if not root.is_dir():
        raise IngestError(str(folder), "not a folder; expected a folder holding " + _expected())
    present = {name: root / name for name in TABLE_FILES if (root / name).is_file()}
    for path in present.values():
        if path.resolve().parent != root.resolve():
            raise IngestError(str(path), f"a link to {path.resolve()}, outside the folder {folder}; "
                                         "copy the table into the folder instead")
    if not present:
        raise IngestError(str(folder), "no institutional tables found; expected " + _expected())
    warnings: list[str] = []
    for extra in sorted(p.name for p in root.iterdir()):
        if extra.lower().endswith(".csv") and extra not in present:
            warnings.append(f"{extra}: not one of {', '.join(TABLE_FILES)}; ignored")

    tables = {name: _read_csv(path, warnings) for name, path in present.items()}

    organizations = _organizations(tables[ORGANIZATIONS], warnings) if ORGANIZATIONS in tables else ()
    people = _people(tables[PEOPLE], warnings) if PEOPLE in tables else ()
    works = _works(tables[WORKS]) if WORKS in tables else ()
    authorships = (
        _authorships(
            tables[AUTHORSHIPS], warnings,
            {w.id for w in works} if WORKS in tables else None,
            {p.id for p in people} if PEOPLE in tables else None,
        )
        if AUTHORSHIPS in tables else ()
    )
    return Tables(
        people=people, organizations=organizations, works=works, authorships=authorships,
        warnings=tuple(warnings),
    )


def _expected() -> str:
    return "one or more of " + ", ".join(TABLE_FILES)


def _read_csv(path: Path, warnings: list[str]) -> _Table:
    """Decode, parse and check the header of one file; rows keep their starting line."""
    name = path.name
    table = _Table(path, [], ())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise table.error(
            line, None,
            f"not UTF-8 text: byte 0x{data[offset]:02x} at position {column} of the line "
            "(save the file as UTF-8)",
        ) from exc

    records = _records(text, table)
    first = next(records, None)
    if first is None:
        raise table.error(1, COLUMNS[name][0], "the file is empty; expected a header row naming the columns "
                          + ", ".join(COLUMNS[name]))
    header_line, header = first
    known = COLUMNS[name]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    unknown_keys: set[str] = set()
    named = len(header)
    while named and not header[named - 1].strip():
        named -= 1  # empty cells at the end of the header are trailing commas
    for index, raw in enumerate(header[:named]):
        column = raw.strip().lower()
        if not column:
            unknown.append(f"(unnamed column {index + 1})")
        elif column in positions:
            raise table.error(header_line, column, f"column {column} appears twice in the header")
        elif column in known:
            positions[column] = index
        elif column not in unknown_keys:
            unknown_keys.add(column)
            unknown.append(raw.strip())
    if unknown:
        warnings.append(f"{name}, line {header_line}: unknown columns ignored: {', '.join(unknown)}")
    for group in REQUIRED_COLUMNS[name]:
        if not any(column in positions for column in group):
            wanted = " or ".join(group)
            raise table.error(header_line, group[0], f"required column {wanted} is missing from the header")

    width = len(header)
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line or a row of empty cells
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            raise table.error(
                line, None,
                f"the row has {len(cells)} values but the header has {width} columns "
                "(is a value with a comma not quoted?)",
            )
        values: dict[str, str | None] = {}
        for column, index in positions.items():
            value = cells[index].strip() if index < len(cells) else ""
            values[column] = value or None
        table.rows.append(_Row(line, values))
    table.columns = tuple(positions)
    return table


def _records(text: str, table: _Table) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise table.error(start, None, f"not valid CSV: {exc}") from exc
        last = reader.line_num
        if cells:
            yield start, cells


# --------------------------------------------------------------------------- values


def _required(table: _Table, row: _Row, column: str) -> str:
    value = row.get(column)
    if value is None:
        raise table.error(row.line, column, f"a value is required in column {column}")
    return value


def _unique_id(table: _Table, row: _Row, column: str, seen: dict[str, int]) -> str:
    value = _required(table, row, column)
    if value in seen:
        raise table.error(row.line, column, f"duplicate id {value!r} (first at line {seen[value]})")
    seen[value] = row.line
    return value


def _checked(table: _Table, row: _Row, column: str, convert: Callable[[str], str | None],
             what: str) -> str | None:
    """The normalised value of an optional column; a present value that does not convert is an error."""
    value = row.get(column)
    if value is None:
        return None
    result = convert(value)
    if result is None:
        raise table.error(row.line, column, f"{value!r} is not {what}")
    return result


def _ror(value: str) -> str | None:
    """The bare ROR id of an id or URL in any case (ROR ids are lower case)."""
    return bare_ror_id(value.lower())


def _looks_like_ror(value: str) -> bool:
    return _ror(value) is not None or value.lower().startswith(_ROR_PREFIXES)


def _iso_date(value: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a real calendar date), else None."""
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return value


def _year(value: str) -> str | None:
    return value if _YEAR.fullmatch(value) else None


def _pmid(value: str) -> str | None:
    return value if value.isascii() and value.isdigit() else None


def _rank(value: str) -> str | None:
    return value if value.isascii() and value.isdigit() and int(value) > 0 else None


def _split(value: str | None) -> tuple[str, ...]:
    """A ``;``-separated list: items trimmed, empty items and repeats dropped."""
    if value is None:
        return ()
    items: list[str] = []
    for item in value.split(LIST_SEPARATOR):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return tuple(items)


def _topic(item: str) -> str:
    """MeSH UIs upper-cased (``d000544`` -> ``D000544``); labels kept as given."""
    return item.upper() if _MESH_UI.fullmatch(item) else item


def _vocabulary(table: _Table, row: _Row, column: str, known: tuple[str, ...], what: str,
                warnings: list[str]) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    lowered = value.lower()
    if lowered not in known:
        warnings.append(
            f"{table.name}, line {row.line}, column {column}: unknown {what} {value!r} kept as "
            f"{lowered!r} (known: {', '.join(known)})"
        )
    return lowered


# --------------------------------------------------------------------------- files


def _organizations(table: _Table, warnings: list[str]) -> tuple[TableOrganization, ...]:
    seen: dict[str, int] = {}
    rows: list[tuple[_Row, TableOrganization]] = []
    ror_lines: dict[str, int] = {}
    for row in table.rows:
        org_id = _unique_id(table, row, "id", seen)
        name = _required(table, row, "name")
        ror = _checked(table, row, "ror", _ror, "a ROR id (such as 03vek6s52 or https://ror.org/03vek6s52)")
        if ror is not None:
            if ror in ror_lines:
                warnings.append(
                    f"{table.name}, line {row.line}, column ror: ROR id {ror} is also given at line "
                    f"{ror_lines[ror]}"
                )
            else:
                ror_lines[ror] = row.line
        kind = _vocabulary(table, row, "kind", ORGANIZATION_KINDS, "kind", warnings)
        rows.append((row, TableOrganization(org_id, row.line, name, ror=ror, kind=kind,
                                            parent=row.get("parent"))))

    out: list[TableOrganization] = []
    for row, org in rows:
        parent = org.parent
        if parent is not None:
            if parent == org.id:
                raise table.error(row.line, "parent", f"organisation {org.id!r} cannot be its own parent")
            if parent not in seen:
                bare = _ror(parent)
                if bare is None:
                    raise table.error(
                        row.line, "parent",
                        f"{parent!r} is neither the id of a row of {table.name} nor a ROR id",
                    )
                parent = bare
        out.append(
            TableOrganization(org.id, org.line, org.name, ror=org.ror, kind=org.kind, parent=parent)
        )
    _check_cycles(table, out)
    return tuple(out)


def _check_cycles(table: _Table, orgs: list[TableOrganization]) -> None:
    """Parents given by row id must not loop."""
    parent_of = {o.id: o.parent for o in orgs if o.parent is not None}
    line_of = {o.id: o.line for o in orgs}
    for start in parent_of:
        path = [start]
        node = parent_of.get(start)
        while node is not None and node in line_of:
            if node == start:
                loop = " -> ".join([*path, start])
                raise table.error(line_of[start], "parent", f"the parents form a loop: {loop}")
            if node in path:
                break  # a loop not through start; found when starting from one of its members
            path.append(node)
            node = parent_of.get(node)


def _people(table: _Table, warnings: list[str]) -> tuple[TablePerson, ...]:
    seen: dict[str, int] = {}
    out: list[TablePerson] = []
    for row in table.rows:
        person_id = _unique_id(table, row, "id", seen)
        given, family = row.get("given_name"), row.get("family_name")
        if given is None and family is None:
            column = "family_name" if "family_name" in table.columns else "given_name"
            raise table.error(row.line, column, "a value is required in column family_name or given_name")
        orcid = _checked(table, row, "orcid", normalize_orcid,
                         "a valid ORCID iD (such as 0000-0002-1825-0097; the last character is a checksum)")
        email = row.get("email")
        if email is not None and not _email_like(email):
            warnings.append(f"{table.name}, line {row.line}, column email: the value does not look "
                            "like an e-mail address (kept)")
        institution = row.get("institution")
        if institution is not None and _looks_like_ror(institution):
            institution = _checked(table, row, "institution", _ror,
                                   "a ROR id (such as 03vek6s52 or https://ror.org/03vek6s52)")
        role = _vocabulary(table, row, "role", PERSON_ROLES, "role", warnings)
        date_help = "a year or an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
        start = _checked(table, row, "start", _iso_date, date_help)
        end = _checked(table, row, "end", _iso_date, date_help)
        if start is not None and end is not None:
            common = min(len(start), len(end))
            if end[:common] < start[:common]:
                raise table.error(row.line, "end", f"end {end} is before start {start}")
        out.append(TablePerson(
            person_id, row.line, given_name=given, family_name=family, orcid=orcid, email=email,
            institution=institution, department=row.get("department"), position=row.get("position"),
            role=role, start=start, end=end,
        ))
    return tuple(out)


def _email_like(value: str) -> bool:
    local, at, domain = value.partition("@")
    return bool(local and at and "." in domain and " " not in value)


def _works(table: _Table) -> tuple[TableWork, ...]:
    seen: dict[str, int] = {}
    out: list[TableWork] = []
    for row in table.rows:
        work_id = _unique_id(table, row, "id", seen)
        title = _required(table, row, "title")
        year = _checked(table, row, "year", _year, "a year (an integer such as 2021)")
        doi = _checked(table, row, "doi", normalize_doi, "a DOI (such as 10.1000/xyz123 or https://doi.org/10.1000/xyz123)")
        pmid = _checked(table, row, "pmid", _pmid, "a PMID (digits only)")
        out.append(TableWork(
            work_id, row.line, title, year=int(year) if year is not None else None, doi=doi, pmid=pmid,
            abstract=row.get("abstract"), keywords=_split(row.get("keywords")),
            topics=tuple(dict.fromkeys(_topic(t) for t in _split(row.get("topics")))),
        ))
    return tuple(out)


def _authorships(table: _Table, warnings: list[str], work_ids: set[str] | None,
                 person_ids: set[str] | None) -> tuple[TableAuthorship, ...]:
    pairs: dict[tuple[str, str], int] = {}
    ranks: dict[tuple[str, int], int] = {}
    out: list[TableAuthorship] = []
    for row in table.rows:
        work_id = _required(table, row, "work_id")
        person_id = _required(table, row, "person_id")
        if work_ids is not None and work_id not in work_ids:
            raise table.error(row.line, "work_id", f"no row of {WORKS} has id {work_id!r}")
        if person_ids is not None and person_id not in person_ids:
            raise table.error(row.line, "person_id", f"no row of {PEOPLE} has id {person_id!r}")
        if (work_id, person_id) in pairs:
            raise table.error(
                row.line, "person_id",
                f"duplicate authorship of person {person_id!r} on work {work_id!r} "
                f"(first at line {pairs[work_id, person_id]})",
            )
        pairs[work_id, person_id] = row.line
        rank_text = _checked(table, row, "rank", _rank, "a rank (a positive integer: 1 for the first author)")
        rank = int(rank_text) if rank_text is not None else None
        if rank is not None:
            if (work_id, rank) in ranks:
                warnings.append(
                    f"{table.name}, line {row.line}, column rank: work {work_id!r} already has an author "
                    f"at rank {rank} (line {ranks[work_id, rank]})"
                )
            else:
                ranks[work_id, rank] = row.line
        out.append(TableAuthorship(work_id, person_id, row.line, rank=rank, role=row.get("role")))
    return tuple(out)
