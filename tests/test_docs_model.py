"""docs/model.md and docs/queries/*.rq, checked against a store built from real data.

The store holds the ROR, MeSH and PubMed (Alzforum) samples in ``tests/data``. The tests
keep the model document honest: every example query runs and returns rows, the document
quotes each query file verbatim, every class and predicate in the data is documented,
every ``hg:`` term is defined in ``graph/ontology.ttl``, and the modelling rules the
document states hold in the data.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import GraphBuilder
from graph.model import Article, AuthorMention, MeshHeading, PublicationType, ResolvedAuthor
from graph.namespaces import HG, PREFIXES, RDF, sparql_prefixes
from graph.ontology import ONTOLOGY_PATH
from graph.store import Store
from graph.uris import Minter
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "model.md"
QUERY_DIR = ROOT / "docs" / "queries"
QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))

#: ``<!-- query: name -->`` followed by a fenced sparql block.
QUERY_BLOCK = re.compile(r"^<!-- query: ([A-Za-z0-9_.-]+) -->\n```sparql\n(.*?)^```[ \t]*$", re.M | re.S)

PREFIXES_SPARQL = sparql_prefixes()


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store.open()  # in memory
    ingest_files(store, CONVERTERS["ror"](store),
                 [DATA / "ror" / "ror_v2_sample.json", DATA / "ror" / "ror_v1_sample.json"])
    ingest_files(store, CONVERTERS["mesh"](store), [DATA / "mesh" / "desc-samples.xml"])
    ingest_files(store, CONVERTERS["pubmed"](store), [DATA / "pubmed" / "pubmed_0_to_99.xml.gz"])
    return store


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def ask(store: Store, body: str) -> bool:
    return bool(store.query(PREFIXES_SPARQL + body))


def select(store: Store, body: str) -> list[dict]:
    return store.select(PREFIXES_SPARQL + body)


def prefixed(iri: str) -> str | None:
    """``vivo:relates`` for a full IRI, using the longest matching namespace."""
    best = None
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            if best is None or len(namespace) > len(PREFIXES[best]):
                best = name
    if best is None:
        return None
    local = iri[len(PREFIXES[best]):]
    return f"{best}:{local}" if re.fullmatch(r"[A-Za-z_][\w.-]*", local) else None


def mentioned(doc: str, iri: str) -> bool:
    """True when the document names ``iri`` by prefixed name (as a whole term) or in full."""
    if iri in doc:
        return True
    name = prefixed(iri)
    if name is None:
        return False
    return re.search(rf"(?<![\w:/#-]){re.escape(name)}(?![\w-])", doc) is not None


# -- the example queries --------------------------------------------------------------


def test_there_are_eight_to_twelve_example_queries():
    assert 8 <= len(QUERY_FILES) <= 12, [p.name for p in QUERY_FILES]


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_example_query_runs_and_returns_rows(store, path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{path.name} must start with a comment saying what it returns"
    # Each query declares its own prefixes; the store predeclares none.
    rows = store.select(text)
    assert rows, f"{path.name} returned no rows on the sample store"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_example_query_runs_with_predeclared_prefixes(store, path):
    """`hubgraph query --file` prepends the standard prefixes; the queries must still parse."""
    rows = list(store.query(sparql_prefixes() + path.read_text(encoding="utf-8")))
    assert rows


@contextmanager
def extra_triples(store: Store, triples: str) -> Iterator[None]:
    """``triples`` in the store's default graph for the duration of the block."""
    store.ox.update(f"INSERT DATA {{ {triples} }}")
    try:
        yield
    finally:
        store.ox.update(f"DELETE DATA {{ {triples} }}")


def test_papers_by_topic_takes_in_narrower_topics(store):
    query = (QUERY_DIR / "papers_by_topic.rq").read_text(encoding="utf-8")
    direct = {r["pmid"] for r in store.select(query)}
    alzheimer = {r["pmid"] for r in select(store, 'SELECT ?pmid WHERE { ?p vivo:hasSubjectArea mesh:D000544 ; bibo:pmid ?pmid }')}
    assert direct and alzheimer - direct
    # Alzheimer Disease (C10.228.140.380.100) is narrower than Dementia (C10.228.140.380) in MeSH.
    with extra_triples(store, "<http://id.nlm.nih.gov/mesh/D000544> "
                              "<http://www.w3.org/2004/02/skos/core#broader> <http://id.nlm.nih.gov/mesh/D003704> ."):
        rows = store.select(query)
    assert {r["pmid"] for r in rows} == direct | alzheimer
    assert {r["topicLabel"] for r in rows} == {"Dementia", "Alzheimer Disease"}


def test_hospital_university_pairs_count_coauthored_papers(store):
    query = (QUERY_DIR / "hospital_university_pairs.rq").read_text(encoding="utf-8")
    base = store.minter.base
    mgh, harvard = f"{base}org/ror-002pd6e78", f"{base}org/ror-03vek6s52"
    before = {(r["hospital"], r["university"]): r for r in store.select(query)}
    assert before[(mgh, harvard)]["coauthoredPapers"] == 0 and before[(mgh, harvard)]["rorLinked"] == 1
    # Authors 2 and 3 of PMID 19622817 at MGH and at Harvard (and author 3 at MGH too).
    affiliation = f"<{HG}affiliation>"
    triples = (f"<{base}authorship/pmid-19622817-2> {affiliation} <{mgh}> . "
               f"<{base}authorship/pmid-19622817-3> {affiliation} <{harvard}> . "
               f"<{base}authorship/pmid-19622817-3> {affiliation} <{mgh}> .")
    with extra_triples(store, triples):
        after = {(r["hospital"], r["university"]): r for r in store.select(query)}
    assert after[(mgh, harvard)]["coauthoredPapers"] == 1
    assert after[(mgh, harvard)]["rorLinked"] == 1
    assert list(after)[0] == (mgh, harvard)  # strongest pair first


def test_doc_quotes_every_query_file_verbatim(doc):
    blocks = QUERY_BLOCK.findall(doc)
    names = [name for name, _ in blocks]
    assert len(names) == len(set(names)), "a query is included twice"
    for name, body in blocks:
        path = QUERY_DIR / f"{name}.rq"
        assert path.is_file(), f"docs/model.md includes '{name}' but {path} does not exist"
        assert body.strip() == path.read_text(encoding="utf-8").strip(), f"docs/model.md differs from {path.name}"
    assert sorted(names) == sorted(p.stem for p in QUERY_FILES), "every .rq file must be included in the doc"


def test_every_query_marker_has_a_sparql_block(doc):
    markers = re.findall(r"<!-- query: ([^ ]+) -->", doc)
    assert sorted(markers) == sorted(name for name, _ in QUERY_BLOCK.findall(doc))


# -- the document covers the data -------------------------------------------------------


def test_the_mention_check_matches_whole_terms_only(doc):
    assert mentioned("see `vivo:relates`.", "http://vivoweb.org/ontology/core#relates")
    assert mentioned("<http://vivoweb.org/ontology/core#relates>", "http://vivoweb.org/ontology/core#relates")
    assert not mentioned("`hg:majorQualifier`", f"{HG}qualifier")
    assert not mentioned("`vivo:rankOrder`", "http://vivoweb.org/ontology/core#rank")
    assert not mentioned(doc, f"{HG}noSuchTerm")


def test_doc_names_every_predicate_in_the_data(store, doc):
    predicates = [r["p"] for r in store.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
    assert predicates
    missing = sorted(p for p in predicates if not mentioned(doc, p))
    assert not missing, f"predicates written but not documented in docs/model.md: {missing}"


def test_doc_names_every_class_in_the_data(store, doc):
    classes = [r["c"] for r in store.select("SELECT DISTINCT ?c WHERE { ?s a ?c }")]
    assert classes
    missing = sorted(c for c in classes if not mentioned(doc, c))
    assert not missing, f"classes written but not documented in docs/model.md: {missing}"


def test_every_hg_term_in_the_data_is_defined_in_the_ontology(store):
    ontology = ox.Store()
    ontology.load(ONTOLOGY_PATH.read_bytes(), ox.RdfFormat.TURTLE)
    defined = {
        quad.subject.value
        for quad in ontology.quads_for_pattern(None, ox.NamedNode(f"{RDF}type"), None)
        if quad.subject.value.startswith(HG)
    }
    rows = store.select(
        "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s ?p ?t } "
        f'FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{HG}")) }}'
    )
    used = {r["t"] for r in rows}
    assert f"{HG}SourceGraph" in used and f"{HG}affiliation" in used
    assert not sorted(used - defined), f"hg: terms used but not defined in ontology.ttl: {sorted(used - defined)}"


# -- modelling rules ---------------------------------------------------------------------


def test_each_authorship_relates_exactly_one_paper_and_one_person(store):
    assert select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a vivo:Authorship }")[0]["n"] > 1000
    bad = select(store, """
        SELECT ?a (COUNT(DISTINCT ?paper) AS ?papers) (COUNT(DISTINCT ?person) AS ?people)
               (COUNT(DISTINCT ?x) AS ?targets)
        WHERE {
          ?a a vivo:Authorship .
          OPTIONAL { ?a vivo:relates ?paper . ?paper a bibo:AcademicArticle }
          OPTIONAL { ?a vivo:relates ?person . ?person a foaf:Person }
          OPTIONAL { ?a vivo:relates ?x }
        }
        GROUP BY ?a
        HAVING (?papers != 1 || ?people != 1 || ?targets != 2)
    """)
    assert bad == []


def test_collective_authorships_relate_one_paper_and_no_person(store):
    collectives = select(store, """
        SELECT ?a ?label WHERE { ?a a hg:CollectiveAuthorship ; rdfs:label ?label ; vivo:rank ?r }
    """)
    assert {r["label"] for r in collectives} >= {"Alzheimer's Disease Neuroimaging Initiative"}
    assert not ask(store, "ASK { ?a a hg:CollectiveAuthorship ; vivo:relates ?p . ?p a foaf:Person }")
    assert not ask(store, "ASK { ?a a hg:CollectiveAuthorship ; a vivo:Authorship }")
    bad = select(store, """
        SELECT ?a WHERE {
          ?a a hg:CollectiveAuthorship .
          OPTIONAL { ?a vivo:relates ?p . ?p a bibo:AcademicArticle }
        } GROUP BY ?a HAVING (COUNT(DISTINCT ?p) != 1)
    """)
    assert bad == []


def test_ranks_run_from_one_without_gaps_over_all_authors(store):
    bad = select(store, """
        SELECT ?paper (COUNT(?a) AS ?n) (COUNT(DISTINCT ?r) AS ?distinct) (MIN(?r) AS ?lo) (MAX(?r) AS ?hi)
        WHERE {
          ?paper a bibo:AcademicArticle ; vivo:relatedBy ?a .
          { ?a a vivo:Authorship } UNION { ?a a hg:CollectiveAuthorship }
          ?a vivo:rank ?r .
        }
        GROUP BY ?paper
        HAVING (?lo != 1 || ?hi != ?n || ?distinct != ?n)
    """)
    assert bad == []
    assert not ask(store, """
        ASK { { ?a a vivo:Authorship } UNION { ?a a hg:CollectiveAuthorship }
              FILTER NOT EXISTS { ?a vivo:rank ?r } }
    """)
    assert not ask(store, "ASK { ?a vivo:rank ?r FILTER(DATATYPE(?r) != xsd:integer) }")


def test_paper_19622817_has_ranks_1_to_29(store):
    rows = select(store, """
        SELECT ?r WHERE { ?paper bibo:pmid "19622817" . ?a vivo:relates ?paper ; vivo:rank ?r } ORDER BY ?r
    """)
    assert [r["r"] for r in rows] == list(range(1, 30))
    title = select(store, 'SELECT ?t ?doi WHERE { ?p bibo:pmid "19622817" ; dcterms:title ?t ; bibo:doi ?doi }')
    assert title == [{
        "t": "CSF biomarkers and incipient Alzheimer disease in patients with mild cognitive impairment.",
        "doi": "10.1001/jama.2009.1064",
    }]


def test_a_collective_author_keeps_its_rank_among_people(store):
    rows = select(store, """
        SELECT ?r ?kind WHERE {
          ?paper bibo:pmid "19296504" ; vivo:relatedBy ?a .
          ?a vivo:rank ?r ; a ?kind . FILTER(?kind IN (vivo:Authorship, hg:CollectiveAuthorship))
        } ORDER BY ?r
    """)
    assert [r["r"] for r in rows] == list(range(1, 17))
    assert rows[15]["kind"] == f"{HG}CollectiveAuthorship"


def test_pmids_are_plain_digits(store):
    assert select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p bibo:pmid ?id }")[0]["n"] == 91
    assert not ask(store, 'ASK { ?p bibo:pmid ?id FILTER(!REGEX(STR(?id), "^[0-9]+$") || DATATYPE(?id) != xsd:string) }')


def test_dois_are_lower_case_without_resolver(store):
    assert ask(store, "ASK { ?p bibo:doi ?doi }")
    assert not ask(store, """
        ASK { ?p bibo:doi ?doi
              FILTER(LCASE(STR(?doi)) != STR(?doi) || CONTAINS(LCASE(STR(?doi)), "http")
                     || CONTAINS(STR(?doi), "doi.org") || !STRSTARTS(STR(?doi), "10.")) }
    """)


def test_every_person_has_name_family_name_and_label(store):
    assert not ask(store, """
        ASK { ?x a foaf:Person
              FILTER NOT EXISTS { ?x foaf:name ?n ; foaf:familyName ?f ; rdfs:label ?l } }
    """)
    # foaf:name is "Given Family", the same as rdfs:label.
    assert not ask(store, """
        ASK { ?x a foaf:Person ; foaf:name ?n ; foaf:familyName ?f ; rdfs:label ?l ; foaf:givenName ?g
              FILTER(?n != ?l || STR(?n) != CONCAT(STR(?g), " ", STR(?f))) }
    """)
    assert not ask(store, 'ASK { ?x a foaf:Person ; foaf:name|foaf:familyName|rdfs:label ?v FILTER(STR(?v) = "") }')


def test_everything_with_a_name_title_or_preferred_label_has_rdfs_label(store):
    assert not ask(store, """
        ASK { ?x foaf:name|dcterms:title|skos:prefLabel ?v FILTER NOT EXISTS { ?x rdfs:label ?l } }
    """)
    for cls in ("bibo:AcademicArticle", "bibo:Journal", "foaf:Organization", "vivo:Grant",
                "hg:CollectiveAuthorship", "hg:SourceGraph", "skos:Concept"):
        assert not ask(store, f"ASK {{ ?x a {cls} FILTER NOT EXISTS {{ ?x rdfs:label ?l }} }}"), cls


def test_dates_are_typed_by_precision(store):
    rows = select(store, """
        SELECT DISTINCT ?dt WHERE { ?p dcterms:issued ?d BIND(STR(DATATYPE(?d)) AS ?dt) }
    """)
    allowed = {f"{PREFIXES['xsd']}{t}" for t in ("date", "gYearMonth", "gYear")}
    assert rows and {r["dt"] for r in rows} <= allowed
    assert not ask(store, """
        ASK { ?p dcterms:issued ?d
              FILTER((DATATYPE(?d) = xsd:date && STRLEN(STR(?d)) != 10)
                  || (DATATYPE(?d) = xsd:gYearMonth && STRLEN(STR(?d)) != 7)
                  || (DATATYPE(?d) = xsd:gYear && STRLEN(STR(?d)) != 4)) }
    """)
    assert not ask(store, "ASK { ?p fabio:hasPublicationYear ?y FILTER(DATATYPE(?y) != xsd:gYear) }")
    assert not ask(store, """
        ASK { ?p a bibo:AcademicArticle ; dcterms:issued ?d ; fabio:hasPublicationYear ?y
              FILTER(!STRSTARTS(STR(?d), STR(?y))) }
    """)


def test_every_source_graph_has_its_provenance_record(store):
    rows = select(store, """
        SELECT ?g ?kind WHERE {
          ?g a hg:SourceGraph , prov:Entity ; hg:sourceKind ?kind ; dcterms:source ?file ;
             hg:sourcePath ?path ; hg:sha256 ?sha ; hg:recordCount ?records ; hg:skippedCount ?skipped ;
             hg:tripleCount ?triples ; prov:generatedAtTime ?at ; hg:softwareVersion ?software ;
             prov:wasAttributedTo ?agent .
          ?agent a prov:SoftwareAgent .
        }
    """)
    assert sorted(r["kind"] for r in rows) == ["mesh", "ontology", "pubmed", "ror", "ror"]
    for row in rows:  # each source graph is reachable with GRAPH and not empty
        assert ask(store, f"ASK {{ GRAPH <{row['g']}> {{ ?s ?p ?o }} }}"), row["g"]


# -- the same rules on minimal records the samples lack (graph/build.py edge cases) ----------


def _build(articles: Iterable[tuple[Article, list[AuthorMention]]]) -> ox.Store:
    """The triples GraphBuilder writes for ``articles``, in a fresh in-memory store."""
    out = io.StringIO()
    builder = GraphBuilder(Minter(), out)
    for article, mentions in articles:
        builder.article(article, [ResolvedAuthor(m) for m in mentions])
    graph = ox.Store()
    graph.load(out.getvalue().encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return graph


def test_a_descriptor_used_as_heading_is_a_concept_even_if_first_seen_as_publication_type():
    graph = _build([
        (Article(pmid="1", title="A review", publication_types=(PublicationType("Review", "D016454"),)), []),
        (Article(pmid="2", title="About reviews", mesh_headings=(MeshHeading("Review", "D016454"),)), []),
    ])
    assert graph.query(PREFIXES_SPARQL + "ASK { mesh:D016454 a skos:Concept ; skos:prefLabel ?l }")


def test_an_author_without_family_name_is_not_an_unnamed_collective():
    graph = _build([(Article(pmid="3", title="C"), [AuthorMention(rank=1, given_name="Madonna")])])
    assert not graph.query(PREFIXES_SPARQL + 'ASK { ?a rdfs:label ?l FILTER(STR(?l) = "") }')


def test_an_orcid_author_without_family_name_has_no_empty_names():
    mention = AuthorMention(rank=1, given_name="Ana", orcid="0000-0002-1825-0097")
    graph = _build([(Article(pmid="4", title="D"), [mention])])
    assert not graph.query(PREFIXES_SPARQL + 'ASK { ?x ?p ?l FILTER(isLiteral(?l) && STR(?l) = "") }')


def test_a_nameless_author_slot_is_left_out_and_ranks_keep_source_positions():
    mentions = [AuthorMention(rank=1), AuthorMention(rank=2, family_name="Smith", given_name="Jo"),
                AuthorMention(rank=3, collective_name="Study Group")]
    graph = _build([(Article(pmid="5", title="E"), mentions)])
    rows = graph.query(PREFIXES_SPARQL + "SELECT ?r WHERE { ?a vivo:rank ?r } ORDER BY ?r")
    assert [int(row["r"].value) for row in rows] == [2, 3]


def test_an_orcid_author_without_any_name_is_not_a_nameless_person():
    graph = _build([(Article(pmid="6", title="F"), [AuthorMention(rank=1, orcid="0000-0002-1825-0097")])])
    assert not graph.query(PREFIXES_SPARQL + """
        ASK { ?x a foaf:Person
              FILTER NOT EXISTS { ?x foaf:name ?n ; foaf:familyName ?f ; rdfs:label ?l FILTER(STR(?l) != "") } }
    """)
