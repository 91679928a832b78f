"""The source kinds ``hubgraph ingest`` knows, each a :class:`~ingest.pipeline.Converter`."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from graph.build import GraphBuilder
from graph.model import (
    Article, OrgRef, ResolvedAuthor, TablePerson, Tables,
)
from graph.queries import load_query
from graph.store import Store
from graph.uris import department_slug, slug
from ingest.affiliations import AffiliationResolver, OrgIndex, RorName, kind_from_name, normalise
from ingest.crossref import CrossrefConverter
from ingest.fda import FdaDevicesConverter
from ingest.mesh import read_mesh, tree_parent
from ingest.nih_reporter import NihReporterConverter
from ingest.openalex import OpenAlexConverter
from ingest.orcid import OrcidConverter
from ingest.patents import PatentsConverter
from ingest.mesh_labels import mesh_ui_for_label
from ingest.pipeline import Converter, FileReport, Timings
from ingest.pubmed import read_pubmed
from ingest.ror import bare_ror_id, read_ror
from ingest.tables import read_tables
from ingest.trials import TrialsConverter

__all__ = [
    "CONVERTERS", "PubmedConverter", "MeshConverter", "RorConverter", "TablesConverter", "load_org_index",
]

Tick = Callable[[int], None]


def load_org_index(store: Store) -> OrgIndex:
    """Every name of the ROR organisations in the store, in two queries. A withdrawn
    organisation's names answer with its loaded successor."""
    kinds: dict[str, str] = {}
    countries: dict[str, str | None] = {}
    successors: dict[str, list[str]] = {}
    for row in store.select(load_query("ror_organizations")):
        types = set((row["types"] or "").split())
        kinds[row["org"]] = "hospital" if "healthcare" in types else "university" if "education" in types else "institution"
        countries[row["org"]] = row["country"]
        if row["successor"]:
            successors.setdefault(row["org"], []).append(row["successor"])
    names = []
    for row in store.select(load_query("ror_names")):
        org = row["org"]
        for target in successors.get(org, [org]):
            names.append(RorName(target, row["name"], bool(row["isAlias"]),
                                 kinds.get(target, "institution"), countries.get(target), target == org))
    return OrgIndex.build(names)


class PubmedConverter(Converter):
    """PubMed efetch XML, MedlineCitationSet XML and MEDLINE text."""

    kind = "pubmed"
    has_people = True

    def __init__(self, store: Store):
        super().__init__(store)
        self.resolver = AffiliationResolver(store.minter, load_org_index(store))

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        for article in self.usable(read_pubmed(path), path.name, report, tick):
            authors = self._resolve(article, report.timings)
            with report.timings.stage("map"):
                builder.article(_with_mesh_uis(article), authors)
        with report.timings.stage("map"):
            for match in self.resolver.matches.values():
                builder.affiliation_match(match)

    def _resolve(self, article: Article, timings: Timings) -> list[ResolvedAuthor]:
        with timings.stage("affiliations"):
            return [ResolvedAuthor(m, self.resolver.resolve(m.affiliations)) for m in article.authors]


def _with_mesh_uis(article: Article) -> Article:
    """MEDLINE text gives MeSH labels only: look their UIs up in the bundled list."""
    if all(h.ui for h in article.mesh_headings):
        return article
    headings = tuple(
        h if h.ui else dataclasses.replace(h, ui=mesh_ui_for_label(h.label))
        for h in article.mesh_headings
    )
    return dataclasses.replace(article, mesh_headings=headings)


class MeshConverter(Converter):
    """MeSH descriptor XML and MeSH RDF N-Triples; tree numbers become skos:broader."""

    kind = "mesh"

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        descriptors = list(self.usable(read_mesh(path), path.name, report, tick))
        owner = self._tree_owners()
        owner.update({tree: d.ui for d in descriptors for tree in d.tree_numbers})
        with report.timings.stage("map"):
            for desc in descriptors:
                parents = (owner.get(tree_parent(t) or "") for t in desc.tree_numbers)
                builder.mesh_descriptor(desc, [p for p in parents if p and p != desc.ui])

    def _tree_owners(self) -> dict[str, str]:
        """Tree number -> descriptor UI for descriptors already in the store."""
        rows = self.store.select(load_query("mesh_tree_numbers"))
        return {row["tree"]: row["ui"] for row in rows}


class RorConverter(Converter):
    """ROR JSON, schema v2 and v1 (v1 only for records the store has no v2 of)."""

    kind = "ror"

    def __init__(self, store: Store):
        super().__init__(store)
        rows = store.select(load_query("ror_v2_ids"))
        self._has_v2 = {row["id"] for row in rows}

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        for item in self.usable(read_ror(path), path.name, report, tick):
            if item.schema_version == "1" and item.ror_id in self._has_v2:
                report.records -= 1
                report.skipped.append(
                    f"{path.name}: record {item.ror_id}: schema v1 record skipped, "
                    "a schema v2 record of it is already loaded"
                )
                continue
            with report.timings.stage("map"):
                builder.ror_organization(item)


class TablesConverter(Converter):
    """A folder of an institution's CSV tables (people, organizations, works, authorships)."""

    kind = "table"
    has_people = True
    takes_folders = True

    def __init__(self, store: Store):
        super().__init__(store)
        self.index = load_org_index(store)

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        with report.timings.stage("parse"):
            tables = read_tables(path)
        report.warnings.extend(tables.warnings)
        scope = path.name
        with report.timings.stage("map"):
            orgs = self._organizations(tables, scope, builder)
            people = {row.id: row for row in tables.people}
            named = {(o.parent, department_slug(o.label)): o for o in orgs.values() if o.parent}
            affiliations = {row.id: self._person_orgs(row, orgs, named) for row in tables.people}
            for row in tables.people:
                builder.person_record(row, scope, affiliations[row.id])
            works = {row.id: builder.table_work(row, scope, _topic_uis(row.topics)) for row in tables.works}
            ranks: Counter[str] = Counter()
            for row in tables.authorships:
                ranks[row.work_id] += 1
                person = people.get(row.person_id)
                work = works.get(row.work_id)
                if person is None or work is None:
                    report.skipped.append(f"{path.name}/authorships.csv: line {row.line}: "
                                          "needs people.csv and works.csv rows for its ids")
                    continue
                builder.table_authorship(work, row, row.rank or ranks[row.work_id], person, scope,
                                         affiliations[person.id])
        report.records = len(tables.people) + len(tables.organizations) + len(tables.works) + len(tables.authorships)
        tick(report.records)

    def _organizations(self, tables: Tables, scope: str, builder: GraphBuilder) -> dict[str, OrgRef]:
        minter = self.store.minter
        iris = {row.id: minter.ror_org(row.ror) if row.ror else minter.local("org", scope, row.id)
                for row in tables.organizations}
        refs = {}
        for row in tables.organizations:
            parent = iris.get(row.parent or "") or (minter.ror_org(p) if (p := bare_ror_id(row.parent or "")) else None)
            ref = OrgRef(iris[row.id], row.name, row.kind or "institution", parent, describe=not row.ror)
            builder.table_organization(ref, row.id, scope)
            refs[row.id] = ref
        return refs

    def _person_orgs(self, row: TablePerson, orgs: dict[str, OrgRef],
                     named: dict[tuple[str | None, str], OrgRef]) -> tuple[OrgRef, ...]:
        """The department and institution of a people-table row (a department named by its
        organizations.csv id, or by the name of a row under the person's institution)."""
        institution = self._institution(row.institution, orgs) if row.institution else None
        by_name = named.get((institution.iri if institution else None, department_slug(row.department or "")))
        if row.department in orgs:
            department = orgs[row.department]
        elif by_name is not None:
            department = by_name
        elif row.department and institution is not None:
            key = institution.iri.removeprefix(self.store.minter.org(""))
            department = OrgRef(self.store.minter.department(key, row.department), row.department,
                                "department", parent=institution.iri)
        else:
            department = None
        return tuple(o for o in (department, institution) if o is not None)

    def _institution(self, value: str, orgs: dict[str, OrgRef]) -> OrgRef:
        """An institution named by ROR id, organizations.csv id, or name."""
        minter = self.store.minter
        if value in orgs:
            return orgs[value]
        ror = bare_ror_id(value)
        if ror:
            iri = minter.ror_org(ror)
            return OrgRef(iri, self.index.labels.get(iri, value), self.index.kinds.get(iri, "institution"),
                          describe=False)
        hit = self.index.exact(value)
        if hit:
            return OrgRef(hit[0], self.index.labels.get(hit[0], value), hit[1], describe=False)
        return OrgRef(minter.org(slug(normalise(value))), value, kind_from_name(value))


def _topic_uis(topics: Iterable[str]) -> list[str]:
    """MeSH UIs of works-table topics given as UIs or labels (unknown labels are dropped)."""
    uis = []
    for topic in topics:
        ui = topic if topic[:1] == "D" and topic[1:].isdigit() else mesh_ui_for_label(topic)
        if ui:
            uis.append(ui)
    return uis


CONVERTERS: dict[str, type[Converter]] = {
    "pubmed": PubmedConverter,
    "mesh": MeshConverter,
    "ror": RorConverter,
    "table": TablesConverter,
    "fda-devices": FdaDevicesConverter,
    "trials": TrialsConverter,
    "nih-reporter": NihReporterConverter,
    "patents": PatentsConverter,
    "orcid": OrcidConverter,
    "openalex": OpenAlexConverter,
    "crossref": CrossrefConverter,
}
