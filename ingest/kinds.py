"""The source kinds ``hubgraph ingest`` knows, each a :class:`~ingest.pipeline.Converter`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from graph.build import GraphBuilder
from graph.model import Article, MeshDescriptor, ResolvedAuthor, SkippedRecord
from graph.queries import load_query
from graph.store import Store
from ingest.affiliations import AffiliationResolver, OrgIndex, RorName
from ingest.mesh import read_mesh, tree_parent
from ingest.mesh_labels import mesh_ui_for_label
from ingest.pipeline import Converter, FileReport, Timings
from ingest.pubmed import read_pubmed
from ingest.resolve import person_key
from ingest.ror import read_ror

__all__ = ["CONVERTERS", "PubmedConverter", "MeshConverter", "RorConverter", "load_org_index"]

Tick = Callable[[int], None]


def load_org_index(store: Store) -> OrgIndex:
    """Every name of the ROR organisations in the store, in one query."""
    names = []
    for row in store.select(load_query("ror_names")):
        types = set((row["types"] or "").split())
        kind = "hospital" if "healthcare" in types else "university" if "education" in types else "institution"
        names.append(RorName(row["target"], row["name"], bool(row["isAlias"]), kind, row["country"],
                             bool(row["own"])))
    return OrgIndex.build(names)


class PubmedConverter(Converter):
    """PubMed efetch XML, MedlineCitationSet XML and MEDLINE text."""

    kind = "pubmed"

    def __init__(self, store: Store):
        super().__init__(store)
        self.resolver = AffiliationResolver(store.minter, load_org_index(store))
        self._org_prefix = store.minter.org("")

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        timings = report.timings
        records = iter(read_pubmed(path))
        while True:
            with timings.stage("parse"):
                item = next(records, None)
            if item is None:
                break
            tick(1)
            if isinstance(item, SkippedRecord):
                report.skipped.append(item.describe(path.name))
                continue
            report.records += 1
            authors = self._resolve(item, timings)
            with timings.stage("map"):
                builder.article(_with_mesh_uis(item), authors)
        with timings.stage("map"):
            for match in self.resolver.matches.values():
                builder.affiliation_match(match)

    def _resolve(self, article: Article, timings: Timings) -> list[ResolvedAuthor]:
        resolved = []
        for mention in article.authors:
            with timings.stage("affiliations"):
                orgs = self.resolver.resolve(mention.affiliations)
            with timings.stage("resolve"):
                institution = next((o for o in orgs if o.kind != "department"), None)
                key = person_key(mention, institution.iri.removeprefix(self._org_prefix) if institution else None)
            resolved.append(ResolvedAuthor(mention, key, orgs))
        return resolved


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
        descriptors: list[MeshDescriptor] = []
        with report.timings.stage("parse"):
            for item in read_mesh(path):
                tick(1)
                if isinstance(item, SkippedRecord):
                    report.skipped.append(item.describe(path.name))
                else:
                    descriptors.append(item)
        owner = self._tree_owners()
        owner.update({tree: d.ui for d in descriptors for tree in d.tree_numbers})
        with report.timings.stage("map"):
            for desc in descriptors:
                parents = (owner.get(tree_parent(t) or "") for t in desc.tree_numbers)
                builder.mesh_descriptor(desc, [p for p in parents if p and p != desc.ui])
        report.records = len(descriptors)

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
        records = iter(read_ror(path))
        while True:
            with report.timings.stage("parse"):
                item = next(records, None)
            if item is None:
                break
            tick(1)
            if isinstance(item, SkippedRecord):
                report.skipped.append(item.describe(path.name))
                continue
            if item.schema_version == "1" and item.ror_id in self._has_v2:
                report.skipped.append(
                    f"{path.name}: record {item.ror_id}: schema v1 record skipped, "
                    "a schema v2 record of it is already loaded"
                )
                continue
            report.records += 1
            with report.timings.stage("map"):
                builder.ror_organization(item)


CONVERTERS: dict[str, type[Converter]] = {
    "pubmed": PubmedConverter,
    "mesh": MeshConverter,
    "ror": RorConverter,
}
