"""One paper node per PMID or DOI, whichever source names it."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.queries import load_query
from graph.store import Store
from graph.uris import Minter

__all__ = ["PaperIndex"]


@dataclass
class PaperIndex:
    """The papers already in the store by DOI, so that a source that gives a DOI but no
    PMID lands on the PubMed paper with that DOI."""

    minter: Minter
    by_doi: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store) -> PaperIndex:
        """Every paper's DOI, in one query."""
        index = cls(store.minter)
        for row in store.select(load_query("paper_dois")):
            index.by_doi.setdefault(row["doi"], row["paper"])
        return index

    def iri(self, pmid: str | None, doi: str | None) -> str | None:
        """The IRI of the paper with this PMID or DOI (None when neither is given)."""
        if pmid:
            return self.minter.paper(pmid)
        if doi:
            doi = doi.lower()
            return self.by_doi.setdefault(doi, self.minter.paper_doi(doi))
        return None
