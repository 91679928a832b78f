"""NIH RePORTER projects: API v2 ``/projects/search`` JSON to grants, PIs and recipients.

A file holds a search response (``{"meta": ..., "results": [...]}``), a list of
project objects, or one project object; gzipped or not. Each project (one award
for one fiscal year) becomes a :class:`~graph.model_grants_patents.Project`; a
project without a project number is a :class:`~graph.model.SkippedRecord`. A file
that is not JSON, or not RePORTER-shaped, raises :class:`~graph.errors.IngestError`.

:class:`NihReporterConverter` (kind ``nih-reporter``) groups a file's records by
grant (every fiscal year of a project is one grant, keyed so that PubMed's grant
ids join it), resolves each recipient organisation with the
:class:`~ingest.affiliations.AffiliationResolver` (so "UNIVERSITY OF WASHINGTON"
lands on its ROR organisation when loaded), maps RePORTER terms that are MeSH
descriptor labels to subject areas, and writes everything with
:func:`graph.build_grants_patents.write_grant`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graph.build import GraphBuilder
from graph.build_grants_patents import funder_org, project_grant_iri, write_grant
from graph.errors import IngestError
from graph.model import OrgRef, SkippedRecord
from graph.model_grants_patents import IcFunding, PrincipalInvestigator, Project, ProjectOrganization
from graph.store import Store
from graph.uris import slug
from ingest.affiliations import AffiliationResolver, kind_from_name, normalise
from ingest.files import read_bytes
from ingest.mesh_labels import mesh_ui_for_label
from ingest.pipeline import Converter, FileReport

__all__ = [
    "NihReporterConverter", "read_nih_reporter", "parse_reporter_json", "parse_project",
    "title_case", "organization_kind", "resolve_institution",
]

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_ANGLE_TERMS = re.compile(r"<([^<>]+)>")
_SMALL_WORDS = frozenset("of the and for at in on de du des la le del di da y et".split())
_COMPANY = re.compile(
    r"\b(inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|ag|plc|"
    r"s\.?a|n\.?v|b\.?v|lp|llp|pty)\b\.?\s*$",
    re.IGNORECASE,
)
_PROJECT_KEYS = ("appl_id", "project_num", "core_project_num")
_CORPORATE_COMMA = re.compile(
    r",\s*(?=(inc|llc|l\.l\.c|ltd|limited|corp|co|gmbh|ag|plc|s\.a|n\.v|b\.v|lp|llp)\b)", re.IGNORECASE)
_SAINT = re.compile(r"^Saint\s+", re.IGNORECASE)
_ST = re.compile(r"^St\.?\s+", re.IGNORECASE)


class _BadField(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


# --------------------------------------------------------------------------- reading


def read_nih_reporter(path: str | os.PathLike[str]) -> Iterator[Project | SkippedRecord]:
    """Yield the projects of a RePORTER JSON file (gzipped or not), in file order.

    Raises :class:`IngestError` naming the file when it cannot be read, is not JSON,
    or is not a RePORTER response, list of projects or project.
    """
    label = os.fsdecode(os.fspath(path))
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(label, f"not UTF-8 text (byte {exc.start})") from exc
    if not text.strip():
        raise IngestError(label, "empty file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(label, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    return parse_reporter_json(data, label)


def parse_reporter_json(data: Any, source: str = "<json>") -> Iterator[Project | SkippedRecord]:
    """The projects of decoded RePORTER JSON; see :func:`read_nih_reporter`."""
    if isinstance(data, dict) and "results" in data:
        records = data["results"]
        if not isinstance(records, list):
            raise IngestError(source, "'results' is not a list of projects", field="results")
    elif isinstance(data, list):
        records = data
    elif isinstance(data, dict) and any(key in data for key in _PROJECT_KEYS):
        records = [data]
    else:
        raise IngestError(source, "not a RePORTER projects response: expected "
                                  "{\"meta\": ..., \"results\": [...]}, a list of projects or one project")
    return _records(records)


def _records(records: list[Any]) -> Iterator[Project | SkippedRecord]:
    for index, record in enumerate(records, start=1):
        yield parse_project(record, index)


def parse_project(record: Any, index: int = 1) -> Project | SkippedRecord:
    """One RePORTER project object, or why it cannot be used."""
    if not isinstance(record, dict):
        return SkippedRecord(index, None, "record", "not a JSON object")
    appl_id = _text(record.get("appl_id"))
    try:
        return _project(record, appl_id)
    except _BadField as bad:
        return SkippedRecord(index, appl_id or _text(record.get("project_num")), bad.field, bad.reason)


def _project(record: dict[str, Any], appl_id: str | None) -> Project:
    split = _object(record, "project_num_split")
    project_num = _text(record.get("project_num"))
    core = _text(record.get("core_project_num"))
    if not core and split:
        parts = [_text(split.get(k)) for k in ("activity_code", "ic_code", "serial_num")]
        core = "".join(p for p in parts if p) if all(parts) else None
    if not project_num and not core:
        raise _BadField("project_num", "no project number (project_num or core_project_num)")
    admin = _object(record, "agency_ic_admin") or {}
    terms = _terms(record.get("pref_terms"), "pref_terms") or _terms(record.get("terms"), "terms")
    return Project(
        project_num=project_num,
        core_project_num=core,
        appl_id=appl_id,
        subproject_id=_text(record.get("subproject_id")),
        title=_text(record.get("project_title")),
        abstract=_text(record.get("abstract_text")),
        public_health_relevance=_text(record.get("phr_text")),
        fiscal_year=_int(record.get("fiscal_year"), "fiscal_year"),
        award_amount=_number(record.get("award_amount"), "award_amount"),
        direct_cost=_number(record.get("direct_cost_amt"), "direct_cost_amt"),
        indirect_cost=_number(record.get("indirect_cost_amt"), "indirect_cost_amt"),
        project_start=_date(record.get("project_start_date")),
        project_end=_date(record.get("project_end_date")),
        budget_start=_date(record.get("budget_start")),
        budget_end=_date(record.get("budget_end")),
        award_notice_date=_date(record.get("award_notice_date")),
        agency_code=_text(record.get("agency_code")),
        ic_code=_text(admin.get("code")) or (_text(split.get("ic_code")) if split else None),
        ic_abbreviation=_text(admin.get("abbreviation")),
        ic_name=_text(admin.get("name")),
        activity_code=_text(record.get("activity_code")) or (_text(split.get("activity_code")) if split else None),
        funding_mechanism=_text(record.get("funding_mechanism")),
        organization=_organization(_object(record, "organization")),
        principal_investigators=_investigators(record.get("principal_investigators")),
        ic_fundings=_fundings(record.get("agency_ic_fundings")),
        terms=terms,
        detail_url=_url(record.get("project_detail_url")),
    )


def _object(record: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _BadField(key, "not a JSON object")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _BadField(field, "not a list")
    return value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _int(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise _BadField(field, f"not a whole number: {value!r}") from None


def _number(value: Any, field: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _BadField(field, f"not a number: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _BadField(field, f"not a number: {value!r}") from None


def _date(value: Any) -> str | None:
    text = _text(value)
    match = _DATE.match(text) if text else None
    return match.group(1) if match else None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text and text.startswith(("http://", "https://")) else None


def _terms(value: Any, field: str) -> tuple[str, ...]:
    """RePORTER terms: ``"a;b;c"`` (pref_terms) or ``"<a><b>"`` (older terms)."""
    if value is None:
        return ()
    if isinstance(value, list):
        items = [_text(v) for v in value]
    elif isinstance(value, str):
        items = _ANGLE_TERMS.findall(value) if "<" in value else value.split(";")
    else:
        raise _BadField(field, "not a string or list of terms")
    return tuple(dict.fromkeys(t for t in (_text(i) for i in items) if t))


def _organization(org: dict[str, Any] | None) -> ProjectOrganization | None:
    if not org:
        return None
    name = _text(org.get("org_name"))
    if not name:
        return None
    return ProjectOrganization(
        name=name,
        city=_text(org.get("org_city")) or _text(org.get("city")),
        state=_text(org.get("org_state")),
        country=_text(org.get("org_country")) or _text(org.get("country")),
        duns=_ids(org.get("org_duns"), org.get("primary_duns")),
        ueis=_ids(org.get("org_ueis"), org.get("primary_uei")),
        ipf_code=_text(org.get("org_ipf_code")),
        dept_type=_text(org.get("dept_type")),
    )


def _ids(values: Any, primary: Any) -> tuple[str, ...]:
    items = values if isinstance(values, list) else [values]
    found = [_text(primary)] + [_text(v) for v in items]
    return tuple(dict.fromkeys(v for v in found if v))


def _investigators(value: Any) -> tuple[PrincipalInvestigator, ...]:
    pis = []
    for item in _list(value, "principal_investigators"):
        if not isinstance(item, dict):
            raise _BadField("principal_investigators", "an investigator is not a JSON object")
        pi = PrincipalInvestigator(
            profile_id=_text(item.get("profile_id")),
            first_name=_text(item.get("first_name")),
            middle_name=_text(item.get("middle_name")),
            last_name=_text(item.get("last_name")),
            full_name=_text(item.get("full_name")),
            is_contact=item.get("is_contact_pi") is True,
            title=_text(item.get("title")),
        )
        if pi.last_name or pi.first_name:
            pis.append(pi)
    return tuple(pis)


def _fundings(value: Any) -> tuple[IcFunding, ...]:
    fundings = []
    for item in _list(value, "agency_ic_fundings"):
        if not isinstance(item, dict) or not _text(item.get("code")):
            continue
        fundings.append(IcFunding(
            code=_text(item.get("code")) or "",
            abbreviation=_text(item.get("abbreviation")),
            name=_text(item.get("name")),
            fiscal_year=_int(item.get("fy"), "agency_ic_fundings"),
            total_cost=_number(item.get("total_cost"), "agency_ic_fundings"),
        ))
    return tuple(fundings)


# --------------------------------------------------------------------------- mapping


def title_case(text: str) -> str:
    """``"University of Washington"`` for RePORTER's ``"UNIVERSITY OF WASHINGTON"``;
    text that is not all capitals is kept."""
    if not text.isupper():
        return text
    words = []
    for position, word in enumerate(text.lower().split()):
        if position and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


def organization_kind(name: str) -> str:
    """company for names ending in Inc, LLC, Corp, ...; else hospital, university or
    institution from the name."""
    return "company" if _COMPANY.search(name) else kind_from_name(name)


Tick = Callable[[int], None]


class NihReporterConverter(Converter):
    """NIH RePORTER API v2 project JSON: grants, principal investigators, recipients."""

    kind = "nih-reporter"
    has_people = True

    def __init__(self, store: Store):
        super().__init__(store)
        from ingest.kinds import load_org_index  # noqa: PLC0415 - ingest.kinds imports this module

        self.resolver = AffiliationResolver(store.minter, load_org_index(store))
        self._orgs: dict[ProjectOrganization, tuple[OrgRef, ...]] = {}

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        timings = report.timings
        grants: dict[str, list[Project]] = {}
        with timings.stage("parse"):
            items = list(read_nih_reporter(path))
        for item in items:
            tick(1)
            if isinstance(item, SkippedRecord):
                report.skipped.append(item.describe(path.name))
                continue
            report.records += 1
            grants.setdefault(project_grant_iri(self.store.minter, item), []).append(item)
        for projects in grants.values():
            with timings.stage("affiliations"):
                recipients = [self.recipients(p.organization) for p in projects]
            with timings.stage("map"):
                latest = max(projects, key=lambda p: (p.fiscal_year or 0, p.appl_id or ""))
                write_grant(builder, projects, recipients, funder_org(self.store.minter, latest),
                            _topics(projects))
        with timings.stage("map"):
            for match in self.resolver.matches.values():
                builder.affiliation_match(match)

    def recipients(self, org: ProjectOrganization | None) -> tuple[OrgRef, ...]:
        """The institution a project's organisation is: a loaded ROR organisation when the
        resolver finds one, else one minted from the name."""
        if org is None:
            return ()
        cached = self._orgs.get(org)
        if cached is None:
            ref = resolve_institution(self.resolver, title_case(org.name),
                                      title_case(org.city) if org.city else None,
                                      title_case(org.country) if org.country else None)
            self._orgs[org] = cached = (ref,)
        return cached


def resolve_institution(resolver: AffiliationResolver, name: str, city: str | None = None,
                        country: str | None = None, government: bool = False) -> OrgRef:
    """The organisation a name (of an institution in ``city``, ``country``) stands for.

    The resolver is asked for the name (with the country, so that it never picks an
    organisation of another country), then, when that finds no loaded organisation,
    for the name with its city ("Washington University" in St. Louis -> "Washington
    University in St. Louis", the way ROR names many institutions). Failing both, an
    organisation is minted from the name (company, government agency, hospital,
    university or institution).
    """
    flat = " ".join(_CORPORATE_COMMA.sub(" ", name).replace(",", " ").split())
    tail = [country] if country else []
    found = _institutions(resolver, [flat, *tail])
    if found and not found[0].describe:
        return found[0]
    if city:
        cities = dict.fromkeys([city, _SAINT.sub("St. ", city), _ST.sub("Saint ", city)])
        for variant in (f"{flat} {word} {c}" for c in cities for word in ("in", "at")):
            hit = _institutions(resolver, [variant, *tail])
            if hit and not hit[0].describe:
                return hit[0]
    kind = "government" if government else organization_kind(name)
    return OrgRef(resolver.minter.org(slug(normalise(name))), name, kind)


def _institutions(resolver: AffiliationResolver, segments: list[str]) -> list[OrgRef]:
    return [r for r in resolver.resolve([", ".join(segments)]) if r.kind != "department"]


def _topics(projects: list[Project]) -> list[tuple[str, str]]:
    """(MeSH UI, term) for the projects' terms that are MeSH descriptor labels."""
    topics: dict[str, str] = {}
    for project in projects:
        for term in project.terms:
            ui = mesh_ui_for_label(term)
            if ui and ui not in topics:
                topics[ui] = term
    return list(topics.items())
