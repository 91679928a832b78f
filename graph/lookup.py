"""Entities by any of their identifiers, and their JSON descriptions for the REST API.

:func:`resolve` turns a hubgraph IRI, its slug, an ORCID iD, a PMID, a DOI, a ROR id, an NCT
id or an institution's local id into the entity IRI with one query; the ``*_view`` functions
describe one entity with a few aggregated queries (``graph/queries/api_*.rq``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from graph.errors import UnknownEntity
from graph.namespaces import BIBO, FOAF, HG, ORCID, SCHEMA, VIVO
from graph.queries import load_query
from graph.store import Store

__all__ = ["Kind", "KINDS", "resolve", "person_view", "person_emails", "organization_view", "paper_view",
           "entity_view", "org_kind", "label_of"]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of entity the API serves: its IRI segment and RDF class."""

    name: str
    segment: str
    rdf_class: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("person", "person", f"{FOAF}Person"),
    Kind("organization", "org", f"{FOAF}Organization"),
    Kind("paper", "paper", f"{BIBO}AcademicArticle"),
    Kind("trial", "trial", f"{SCHEMA}MedicalTrial"),
    Kind("device", "device", f"{SCHEMA}MedicalDevice"),
    Kind("grant", "grant", f"{VIVO}Grant"),
    Kind("patent", "patent", f"{BIBO}Patent"),
)}

_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
_NONE = "urn:hubgraph:none"

#: Organisation classes, most specific first, and the kind each one names.
_ORG_KINDS = (
    (f"{VIVO}Laboratory", "lab"),
    (f"{VIVO}AcademicDepartment", "department"),
    (f"{VIVO}Hospital", "hospital"),
    (f"{VIVO}University", "university"),
    (f"{VIVO}FundingOrganization", "funder"),
    (f"{VIVO}NonProfitCompany", "nonprofit"),
    (f"{VIVO}PrivateCompany", "company"),
    (f"{VIVO}GovernmentAgency", "government"),
    (f"{VIVO}ResearchOrganization", "research"),
    (f"{HG}Institution", "institution"),
)


def org_kind(types: str | None) -> str:
    """The kind of an organisation from its space-separated classes."""
    present = set((types or "").split())
    for iri, kind in _ORG_KINDS:
        if iri in present:
            return kind
    return "organization"


def _candidates(store: Store, kind: Kind, ident: str) -> dict[str, str]:
    """The substitutions of ``api_resolve``: a candidate IRI, ORCID iD and literal key."""
    base = store.minter.base
    ident = unquote(ident.strip())
    uri, orcid, key = _NONE, _NONE, ident
    if ident.startswith(base):
        uri = ident
    elif (m := _ORCID.match(ident)) and kind.name == "person":
        orcid = f"{ORCID}{m.group(1).upper()}"
    elif ident.lower().startswith(("https://ror.org/", "http://ror.org/")):
        key = ident.rstrip("/").rsplit("/", 1)[-1]
    elif ident.lower().startswith(("https://doi.org/", "http://doi.org/", "doi:")):
        key = re.sub(r"^(https?://doi\.org/|doi:)", "", ident, flags=re.IGNORECASE).lower()
    elif not ident.startswith(("http://", "https://")):
        prefix = f"{kind.segment}/"
        path = ident[len(prefix):] if ident.startswith(prefix) else ident
        uri = f"{base}{prefix}{re.sub(r'%(?![0-9A-Fa-f]{2})', '%25', quote(path, safe='/-._~%'))}"
        if kind.name == "trial":
            key = ident.upper()
        elif ident.startswith("10."):
            key = ident.lower()
    return {"uri": uri, "orcid": orcid, "key": key}


def resolve(store: Store, kind: str, ident: str) -> str:
    """The IRI of the ``kind`` entity that ``ident`` names; :class:`UnknownEntity` if none."""
    k = KINDS[kind]
    subs = _candidates(store, k, ident)
    rows = store.select(load_query("api_resolve"), **{"class": k.rdf_class}, **subs) if ident.strip() else []
    if not rows or rows[0]["entity"] is None:
        raise UnknownEntity(f"no {kind} is known as '{ident}'")
    return str(rows[0]["entity"])


def label_of(store: Store, uri: str) -> str | None:
    """The label of any entity, or None."""
    rows = store.select(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?s (MIN(?l) AS ?label) WHERE { ?s rdfs:label|foaf:name|skos:prefLabel ?l } GROUP BY ?s", s=uri)
    return rows[0]["label"] if rows else None


def person_view(store: Store, person: str) -> dict[str, Any]:
    """One person: name, identifiers, organisations, top topics and papers."""
    rows = store.select(load_query("api_person"), person=person)
    if not rows or rows[0]["name"] is None:
        raise UnknownEntity(f"no person <{person}>")
    row = rows[0]
    papers = store.select(load_query("api_person_papers"), person=person)
    orgs = store.select(load_query("api_person_organizations"), person=person)
    topics = store.select(load_query("api_person_topics"), person=person)
    return {
        "uri": person,
        "name": row["name"],
        "orcid": row["orcid"],
        "local_ids": sorted((row["localIds"] or "").split()),
        "opted_out": bool(row["optedOut"]),
        "organizations": [
            {"uri": o["org"], "name": o["name"], "kind": org_kind(o["types"]),
             "via": sorted((o["via"] or "").split()), "papers": int(o["papers"] or 0)}
            for o in orgs
        ],
        "topics": [{"uri": t["topic"], "label": t["label"], "papers": int(t["papers"])} for t in topics],
        "paper_count": int(row["papers"] or 0),
        "papers": [
            {"uri": p["paper"], "pmid": p["pmid"], "doi": p["doi"], "title": p["title"], "year": p["year"]}
            for p in papers
        ],
    }


def person_emails(store: Store, person: str) -> list[str]:
    """The email addresses the private graphs hold for one person: private fields, for
    callers allowed to see them only."""
    return [r["email"] for r in store.select(load_query("api_person_emails"), private=True, person=person)]


def organization_view(store: Store, org: str) -> dict[str, Any]:
    """One organisation: name, ROR id, kind, parents, departments and number of people."""
    rows = store.select(load_query("api_organization"), org=org)
    if not rows or rows[0]["org"] is None:
        raise UnknownEntity(f"no organization <{org}>")
    row = rows[0]
    links = store.select(load_query("api_organization_links"), org=org)

    def linked(rel: str) -> list[dict[str, Any]]:
        return [{"uri": r["other"], "name": r["name"]} for r in links if r["rel"] == rel]

    parents = linked("parent")
    people = store.select(load_query("api_organization_people"), org=org)
    return {
        "uri": org,
        "name": row["prefName"] or row["name"],
        "ror": row["ror"],
        "kind": org_kind(row["types"]),
        "parent": parents[0] if parents else None,
        "parents": parents,
        "departments": linked("department"),
        "people_count": int(people[0]["people"]) if people else 0,
    }


def paper_view(store: Store, paper: str) -> dict[str, Any]:
    """One paper: identifiers, title, year, authors in rank order and MeSH topics."""
    rows = store.select(load_query("api_paper"), paper=paper)
    if not rows or rows[0]["paper"] is None:
        raise UnknownEntity(f"no paper <{paper}>")
    row = rows[0]
    authors = store.select(load_query("api_paper_authors"), paper=paper)
    topics = store.select(load_query("api_paper_topics"), paper=paper)
    return {
        "uri": paper,
        "pmid": row["pmid"],
        "doi": row["doi"],
        "title": row["title"],
        "year": row["year"],
        "authors": [{"rank": int(a["rank"]), "name": a["name"], "uri": a["person"]} for a in authors],
        "topics": [{"uri": t["topic"], "label": t["label"]} for t in topics],
    }


#: Properties that name an entity, in order of preference.
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", f"{SCHEMA}name", "http://purl.org/dc/terms/title")
_IDENTIFIERS = ("http://purl.org/dc/terms/identifier", f"{VIVO}sponsorAwardId", f"{VIVO}patentNumber")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def entity_view(store: Store, uri: str) -> dict[str, Any]:
    """Any other entity (trial, device, grant, patent): label, identifier, types, its
    literal values and its links to other entities (with their labels)."""
    rows = store.select(load_query("api_entity_links"), entity=uri)
    if not rows:
        raise UnknownEntity(f"no entity <{uri}>")
    label = identifier = None
    types: list[str] = []
    values: dict[str, list[str]] = {}
    links: list[dict[str, Any]] = []
    for r in rows:
        prop, value = r["property"], r["value"]
        if prop == _RDF_TYPE:
            types.append(value)
        elif r["valueLabel"] is not None or (isinstance(value, str) and value.startswith(("http://", "https://"))
                                             and prop not in _LABELS):
            links.append({"property": prop, "uri": value, "label": r["valueLabel"]})
        else:
            values.setdefault(prop, []).append(str(value))
    for prop in _LABELS:
        if prop in values and label is None:
            label = values[prop][0]
    for prop in _IDENTIFIERS:
        if prop in values and identifier is None:
            identifier = values[prop][0]
    return {"uri": uri, "label": label, "identifier": identifier, "types": sorted(types),
            "values": values, "links": links}

