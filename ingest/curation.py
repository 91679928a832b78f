"""The curation file: manual identity decisions and the opt-out and removal lists.

A TOML file, versioned with the data and applied on every resolution run, where it
always wins (see docs/ingest.md for the full format)::

    # Two mentions that are one person.
    [[merge]]
    mentions = ["pmid:19622817/1", "pmid:12709467/3"]

    # A mention that is not the person resolution put it with.
    [[split]]
    mention = "pmid:10617129/6"

    # Two mentions that must never be one person.
    [[never]]
    mentions = ["pmid:19622817/2", "pmid:10604467/4"]

    [people]
    opt_out = ["0000-0002-1825-0097"]      # left out of suggestions and maps
    remove = ["n-smith-john"]              # removed everywhere, and kept removed

Mentions are named ``pmid:PMID/RANK`` or by their IRI; people by person key or IRI,
ORCID iD, or an institution's local id.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import partial
from typing import Any

from graph.errors import IngestError
from graph.model import Curation
from graph.uris import Minter

__all__ = ["PeopleLists", "mention_iri", "read_curation"]


@dataclass(frozen=True, slots=True)
class PeopleLists:
    """The decisions of a curation file, with mentions and people as written there."""

    merge: tuple[tuple[str, ...], ...] = ()
    split: tuple[str, ...] = ()
    never: tuple[tuple[str, str], ...] = ()
    opt_out: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    path: str = "curation file"

    def curation_for(self, minter: Minter) -> Curation:
        """The merge, split and never decisions with mentions as IRIs."""
        iri = partial(mention_iri, minter=minter)
        return Curation(
            merge=tuple(tuple(iri(r) for r in group) for group in self.merge),
            split=tuple(iri(r) for r in self.split),
            never=tuple((iri(a), iri(b)) for a, b in self.never),
        )

    def matches_opt_out(self, identifiers: set[str], minter: Minter) -> bool:
        """True when any identifier of a person is on the opt-out list."""
        return _matches(self.opt_out, identifiers, minter)

    def matches_removal(self, identifiers: set[str], minter: Minter) -> bool:
        """True when any identifier of a person is on the removal list."""
        return _matches(self.remove, identifiers, minter)


def mention_iri(ref: str, minter: Minter) -> str:
    """``pmid:19622817/1`` -> the authorship IRI; an IRI stays as it is."""
    if ref.startswith("pmid:"):
        pmid, _, rank = ref[5:].partition("/")
        if pmid.isdigit() and rank.isdigit():
            return minter.authorship(pmid, int(rank))
    return ref


def _matches(listed: tuple[str, ...], identifiers: set[str], minter: Minter) -> bool:
    prefix = minter.person("")
    for ref in listed:
        bare = ref.removeprefix(prefix).removeprefix("https://orcid.org/").removeprefix("orcid:")
        if ref in identifiers or bare in identifiers or f"orcid-{bare}" in identifiers:
            return True
    return False


def read_curation(path: str | os.PathLike[str]) -> PeopleLists:
    """Read a curation file; a missing file means no decisions."""
    if not os.path.exists(path):
        return PeopleLists()
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(str(path), f"not a valid TOML curation file: {exc}") from exc
    return PeopleLists(
        merge=tuple(tuple(_strings(path, f"merge[{i}].mentions", e.get("mentions"), 2))
                    for i, e in enumerate(_tables(path, data, "merge"))),
        split=tuple(_string(path, f"split[{i}].mention", e.get("mention"))
                    for i, e in enumerate(_tables(path, data, "split"))),
        never=tuple(tuple(_strings(path, f"never[{i}].mentions", e.get("mentions"), 2, exact=True))  # type: ignore[misc]
                    for i, e in enumerate(_tables(path, data, "never"))),
        opt_out=tuple(_strings(path, "people.opt_out", data.get("people", {}).get("opt_out", []), 0)),
        remove=tuple(_strings(path, "people.remove", data.get("people", {}).get("remove", []), 0)),
        path=str(path),
    )


def _tables(path: Any, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise IngestError(str(path), f"'{key}' must be a list of tables ([[{key}]])", field=key)
    return value


def _string(path: Any, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise IngestError(str(path), "expected a non-empty string", field=where)
    return value.strip()


def _strings(path: Any, where: str, value: Any, at_least: int, exact: bool = False) -> list[str]:
    if not isinstance(value, list):
        raise IngestError(str(path), "expected a list of strings", field=where)
    items = [_string(path, where, v) for v in value]
    if len(items) < at_least or (exact and len(items) != at_least):
        count = f"exactly {at_least}" if exact else f"at least {at_least}"
        raise IngestError(str(path), f"expected {count} entries, got {len(items)}", field=where)
    return items
