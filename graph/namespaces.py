"""The RDF vocabularies hubgraph uses, as IRI prefixes.

Standard vocabularies come first; ``HG`` is our own namespace, used only where no
standard term fits (every ``hg:`` term is defined in ``graph/ontology.ttl``).
"""

from __future__ import annotations

__all__ = ["PREFIXES", "sparql_prefixes"] + [
    "RDF", "RDFS", "OWL", "XSD", "FOAF", "VIVO", "BIBO", "ORG", "SKOS", "DCTERMS",
    "PROV", "SCHEMA", "FABIO", "MESH", "MESHV", "HG", "ORCID", "ROR", "GEONAMES",
]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
VIVO = "http://vivoweb.org/ontology/core#"
BIBO = "http://purl.org/ontology/bibo/"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
FABIO = "http://purl.org/spar/fabio/"
MESH = "http://id.nlm.nih.gov/mesh/"
MESHV = "http://id.nlm.nih.gov/mesh/vocab#"
HG = "https://w3id.org/hubgraph/ontology#"
ORCID = "https://orcid.org/"
ROR = "https://ror.org/"
GEONAMES = "https://sws.geonames.org/"

PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "foaf": FOAF,
    "vivo": VIVO,
    "bibo": BIBO,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "fabio": FABIO,
    "mesh": MESH,
    "meshv": MESHV,
    "hg": HG,
}


def sparql_prefixes() -> str:
    """The PREFIX lines for every vocabulary above, for prepending to a query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
