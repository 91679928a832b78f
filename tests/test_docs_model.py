"""docs/model.md and docs/queries/*.rq, checked against a store built from real data.

The store holds the ROR, MeSH and PubMed (Alzforum) samples in ``tests/data`` and the invented
institutional tables in ``data/sample/tables``; the tables are ingested with the curation file
the document shows (one merge, one opt-out), and identity resolution runs after the PubMed and
the tables ingests. The tests keep the model document honest: every example query runs and
returns rows, the document quotes each query file verbatim, every class and predicate in the
data is documented, every ``hg:`` term is defined in ``graph/ontology.ttl``, and the modelling
rules the document states hold in the data (persons only in the resolution graph, one link per
mention, private graphs invisible, ...).
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
from graph.namespaces import FOAF, HG, PREFIXES, RDF, sparql_prefixes
from graph.ontology import ONTOLOGY_PATH
from graph.store import Store
from graph.uris import Minter
from ingest.curation import read_curation
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "data" / "sample" / "tables"
DOC = ROOT / "docs" / "model.md"
QUERY_DIR = ROOT / "docs" / "queries"
ALL_QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))
#: Queries over the innovation sources: they run on the sample store of
#: tests/test_pipeline_queries.py (devices, trials, grants, patents), not on this one.
INNOVATION_QUERIES = frozenset({
    "pipeline_person", "pipeline_department", "pipeline_paths", "devices_by_institution_panel",
    "trial_clinicians_of_university_devices",
})
QUERY_FILES = [p for p in ALL_QUERY_FILES if p.stem not in INNOVATION_QUERIES]

#: The curation file applied with the tables (docs/model.md shows it verbatim).
CURATION = """\
[[merge]]
mentions = ["pmid:19622817/29", "pmid:8748926/1", "pmid:15324367/13"]

[people]
opt_out = ["0000-0002-1355-776X"]
"""

#: ``<!-- query: name -->`` followed by a fenced sparql block.
QUERY_BLOCK = re.compile(r"^<!-- query: ([A-Za-z0-9_.-]+) -->\n```sparql\n(.*?)^```[ \t]*$", re.M | re.S)

PREFIXES_SPARQL = sparql_prefixes()


@pytest.fixture(scope="module")
def store(module_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = module_store
    ingest_files(store, CONVERTERS["ror"](store),
                 [DATA / "ror" / "ror_v2_sample.json", DATA / "ror" / "ror_v1_sample.json"])
    ingest_files(store, CONVERTERS["mesh"](store), [DATA / "mesh" / "desc-samples.xml"])
    ingest_files(store, CONVERTERS["pubmed"](store), [DATA / "pubmed" / "pubmed_0_to_99.xml.gz"])
    curation = tmp_path_factory.mktemp("curation") / "curation.toml"
    curation.write_text(CURATION, encoding="utf-8")
    ingest_files(store, CONVERTERS["table"](store), [TABLES], people=read_curation(curation))
    return store


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def ask(store: Store, body: str) -> bool:
    return bool(store.query(PREFIXES_SPARQL + body))


def select(store: Store, body: str) -> list[dict]:
    return store.select(PREFIXES_SPARQL + body)


def person_iri(store: Store, key: str) -> str:
    return store.minter.person(key)


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


def test_there_are_twelve_to_sixteen_example_queries():
    assert 12 <= len(QUERY_FILES) <= 16, [p.name for p in QUERY_FILES]
    names = {p.stem for p in QUERY_FILES}
    assert {"authorship_person", "low_confidence_links", "retired_person_iris", "table_people"} <= names


def test_no_example_query_hard_codes_a_person_iri():
    for path in ALL_QUERY_FILES:
        assert "/person/" not in path.read_text(encoding="utf-8"), path.name


#: Virtuoso 7.2.5 answers the transitive skos:broader* of papers_by_topic.rq with no rows on
#: some fresh instances (seen in CI, never reproduced locally); the other backends must pass.
VIRTUOSO_BROADER = pytest.mark.xfail(strict=False, reason=(
    "Virtuoso 7.2.5 sometimes answers skos:broader* (papers_by_topic.rq) with no rows on a fresh instance"))


def _mark_virtuoso_broader(request: pytest.FixtureRequest, backend: str, name: str) -> None:
    if backend == "virtuoso" and name == "papers_by_topic":
        request.applymarker(VIRTUOSO_BROADER)


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_example_query_runs_and_returns_rows(store, path, backend, request):
    _mark_virtuoso_broader(request, backend, path.stem)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{path.name} must start with a comment saying what it returns"
    # Each query declares its own prefixes; the store predeclares none.
    rows = store.select(text)
    assert rows, f"{path.name} returned no rows on the sample store"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_example_query_runs_with_predeclared_prefixes(store, path, backend, request):
    """`hubgraph query --file` prepends the standard prefixes; the queries must still parse."""
    _mark_virtuoso_broader(request, backend, path.stem)
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


def test_papers_by_topic_takes_in_narrower_topics(store, backend, request):
    _mark_virtuoso_broader(request, backend, "papers_by_topic")
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
    # The tables give MGH and Harvard co-authored papers; ROR links them.
    assert before[(mgh, harvard)]["coauthoredPapers"] == 4 and before[(mgh, harvard)]["rorLinked"] == 1
    # Authors 2 and 3 of PMID 19622817 at MGH and at Harvard (and author 3 at MGH too).
    affiliation = f"<{HG}affiliation>"
    triples = (f"<{base}authorship/pmid-19622817-2> {affiliation} <{mgh}> . "
               f"<{base}authorship/pmid-19622817-3> {affiliation} <{harvard}> . "
               f"<{base}authorship/pmid-19622817-3> {affiliation} <{mgh}> .")
    with extra_triples(store, triples):
        rows = store.select(query)
    after = {(r["hospital"], r["university"]): r for r in rows}
    assert after[(mgh, harvard)]["coauthoredPapers"] == 5
    assert after[(mgh, harvard)]["rorLinked"] == 1
    counts = [r["coauthoredPapers"] for r in rows]
    assert counts == sorted(counts, reverse=True)  # strongest pairs first
    # Pairs of other hospitals are untouched.
    assert {k: v for k, v in after.items() if k[0] != mgh} == {k: v for k, v in before.items() if k[0] != mgh}


def test_authorship_person_traces_a_pmid_and_rank_to_its_person(store):
    rows = store.select((QUERY_DIR / "authorship_person.rq").read_text(encoding="utf-8"))
    blennow = person_iri(store, "n-blennow-kaj")
    mentions = select(store, f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m hg:resolvedTo <{blennow}> }}")[0]["n"]
    assert mentions >= 3  # at least the three curated ones
    assert rows == [{
        "authorship": f"{store.minter.base}authorship/pmid-19622817-29", "nameAsWritten": "Blennow K",
        "person": blennow, "name": "Kaj Blennow", "confidence": 1.0, "evidence": "curation",
        "mentions": mentions,
    }]
    # The same person straight from the authorship IRI, as the document shows.
    direct = select(store, f"""
        SELECT ?person WHERE {{ <{store.minter.authorship("19622817", 29)}> vivo:relates ?person .
                                ?person a foaf:Person }}
    """)
    assert direct == [{"person": blennow}]


def test_low_confidence_links_are_below_the_threshold_and_name_their_mention(store):
    rows = store.select((QUERY_DIR / "low_confidence_links.rq").read_text(encoding="utf-8"))
    assert rows and all(r["confidence"] < 0.8 for r in rows)
    assert [r["confidence"] for r in rows] == sorted(r["confidence"] for r in rows)
    for row in rows:
        assert row["curationRef"].startswith("pmid:")
        pmid, rank = row["curationRef"][5:].split("/")
        assert row["mention"] == store.minter.authorship(pmid, int(rank))


def test_retired_person_iris_are_the_curated_blennow_merge(store):
    rows = store.select((QUERY_DIR / "retired_person_iris.rq").read_text(encoding="utf-8"))
    blennow = person_iri(store, "n-blennow-kaj")
    assert rows == [
        {"retired": person_iri(store, "n-blennow-k"), "current": blennow, "name": "Kaj Blennow"},
        {"retired": person_iri(store, "n-blennow-k-2"), "current": blennow, "name": "Kaj Blennow"},
    ]


def test_table_people_lists_every_people_row_with_its_membership(store):
    rows = store.select((QUERY_DIR / "table_people.rq").read_text(encoding="utf-8"))
    assert len(rows) == 26 and len({r["record"] for r in rows}) == 26
    by_id = {r["localId"]: r for r in rows}
    whitcombe = by_id["0041172"]  # kept exactly as given, leading zero included
    assert whitcombe["person"] == person_iri(store, "orcid-0000-0003-4255-5031")
    assert (whitcombe["role"], whitcombe["position"], whitcombe["unitName"], whitcombe["institutionName"],
            whitcombe["start"], whitcombe["end"]) == (
        "clinician", "Associate Professor of Neurology", "Neurology", "Massachusetts General Hospital",
        "2009-07-01", None)
    assert by_id["0052210"]["end"] == "2024-06-30"
    assert by_id["0038804"]["person"] == person_iri(store, "local-tables-0038804")
    assert [r["localId"] for r in rows if r["optedOut"]] == ["0070588"]


def test_doc_quotes_every_query_file_verbatim(doc):
    blocks = QUERY_BLOCK.findall(doc)
    names = [name for name, _ in blocks]
    assert len(names) == len(set(names)), "a query is included twice"
    for name, body in blocks:
        path = QUERY_DIR / f"{name}.rq"
        assert path.is_file(), f"docs/model.md includes '{name}' but {path} does not exist"
        assert body.strip() == path.read_text(encoding="utf-8").strip(), f"docs/model.md differs from {path.name}"
    assert sorted(names) == sorted(p.stem for p in ALL_QUERY_FILES), "every .rq file must be included in the doc"


def test_every_query_marker_has_a_sparql_block(doc):
    markers = re.findall(r"<!-- query: ([^ ]+) -->", doc)
    assert sorted(markers) == sorted(name for name, _ in QUERY_BLOCK.findall(doc))


def test_doc_shows_the_curation_file_the_tests_apply(doc):
    assert f"```toml\n{CURATION}```" in doc


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
    """Through the default graph (sources + resolution) as before; the paper link is in the
    source graph, the person link in the resolution graph."""
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
        HAVING (COUNT(DISTINCT ?paper) != 1 || COUNT(DISTINCT ?person) != 1 || COUNT(DISTINCT ?x) != 2)
    """)
    assert bad == []
    resolution = store.resolution.value
    # Paper links are in a source graph and never in the resolution graph.
    assert not ask(store, f"""
        ASK {{ ?a a vivo:Authorship . ?a vivo:relates ?paper . ?paper a bibo:AcademicArticle
               FILTER NOT EXISTS {{ GRAPH ?g {{ ?a vivo:relates ?paper }} FILTER(?g != <{resolution}>) }} }}
    """)
    assert not ask(store, f"ASK {{ GRAPH <{resolution}> {{ ?a vivo:relates ?p }} ?p a bibo:AcademicArticle }}")
    # Person links are in the resolution graph only, equal hg:resolvedTo, and come back as vivo:relatedBy.
    assert not ask(store, f"""
        ASK {{ ?a a vivo:Authorship ; vivo:relates ?person . ?person a foaf:Person
               FILTER NOT EXISTS {{ GRAPH <{resolution}> {{ ?a vivo:relates ?person ; hg:resolvedTo ?person .
                                                           ?person vivo:relatedBy ?a }} }} }}
    """)
    assert not ask(store, f"""
        ASK {{ GRAPH ?g {{ ?a vivo:relates ?person }} ?person a foaf:Person FILTER(?g != <{resolution}>) }}
    """)
    assert not ask(store, "ASK { ?person a foaf:Person ; vivo:relatedBy ?a FILTER NOT EXISTS { ?a vivo:relates ?person } }")


def test_every_mention_has_one_link_with_confidence_and_evidence(store):
    mentions = select(store, """
        SELECT ?kind (COUNT(DISTINCT ?m) AS ?n) WHERE {
          { ?m a vivo:Authorship BIND("authorship" AS ?kind) } UNION { ?m a hg:PersonRecord BIND("record" AS ?kind) }
        } GROUP BY ?kind ORDER BY ?kind
    """)
    assert mentions == [{"kind": "authorship", "n": 1095 + 58}, {"kind": "record", "n": 26}]
    bad = select(store, """
        SELECT ?m (COUNT(DISTINCT ?p) AS ?people) (COUNT(DISTINCT ?c) AS ?confidences)
               (COUNT(DISTINCT ?e) AS ?evidence)
        WHERE {
          { ?m a vivo:Authorship } UNION { ?m a hg:PersonRecord }
          OPTIONAL { ?m hg:resolvedTo ?p . ?p a foaf:Person }
          OPTIONAL { ?m hg:resolutionConfidence ?c }
          OPTIONAL { ?m hg:resolutionEvidence ?e }
        }
        GROUP BY ?m
        HAVING (COUNT(DISTINCT ?p) != 1 || COUNT(DISTINCT ?c) != 1 || COUNT(DISTINCT ?e) < 1)
    """)
    assert bad == []
    assert not ask(store, """
        ASK { ?m hg:resolutionConfidence ?c
              FILTER(DATATYPE(?c) != xsd:decimal || ?c < 0 || ?c > 1) }
    """)
    kinds = {r["e"] for r in select(store, "SELECT DISTINCT ?e WHERE { ?m hg:resolutionEvidence ?e }")}
    assert {"name", "local-id", "coauthors", "curation"} <= kinds
    assert kinds <= {"orcid", "local-id", "name", "coauthors", "affiliation", "topics", "years", "curation"}
    # Only mentions are resolved; a people-table record is not a VIVO relationship.
    assert not ask(store, """
        ASK { ?m hg:resolvedTo ?p FILTER NOT EXISTS { { ?m a vivo:Authorship } UNION { ?m a hg:PersonRecord } } }
    """)
    assert not ask(store, "ASK { ?r a hg:PersonRecord ; vivo:relates ?x }")
    assert not ask(store, "ASK { ?a a hg:CollectiveAuthorship ; hg:resolvedTo ?p }")


def test_persons_live_only_in_the_resolution_graph(store):
    resolution = store.resolution.value
    prefix = store.minter.person("")
    persons = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{resolution}> {{ ?p a foaf:Person }} }}")
    assert persons[0]["n"] == select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person }")[0]["n"] > 1000
    for predicate in ("foaf:name", "foaf:familyName", "foaf:givenName", "vivo:orcidId", "hg:optedOut",
                      "hg:resolvedTo", "hg:resolutionConfidence", "hg:resolutionEvidence"):
        assert not ask(store, f"ASK {{ GRAPH ?g {{ ?s {predicate} ?o }} FILTER(?g != <{resolution}>) }}"), predicate
    assert not ask(store, f"""
        ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{resolution}>)
               FILTER(STRSTARTS(STR(?s), "{prefix}") || (isIRI(?o) && STRSTARTS(STR(?o), "{prefix}"))) }}
    """)
    # Mentions carry what their source says, through the hg:mention* fields.
    mention = select(store, f"""
        SELECT ?p ?o WHERE {{ GRAPH ?g {{ <{store.minter.authorship("19622817", 29)}> ?p ?o }}
                              FILTER(?g != <{resolution}>) FILTER(isLiteral(?o)) }} ORDER BY ?p
    """)
    assert {(r["p"].rsplit("#", 1)[-1], r["o"]) for r in mention} == {
        ("rank", 29), ("nameAsWritten", "Blennow K"), ("mentionFamilyName", "Blennow"),
        ("mentionGivenName", "Kaj"), ("mentionInitials", "K")}


def test_person_keys_follow_identifiers(store):
    prefix = store.minter.person("")
    rows = select(store, """
        SELECT ?p ?orcid (SAMPLE(?id) AS ?localId) WHERE {
          ?p a foaf:Person . OPTIONAL { ?p vivo:orcidId ?orcid } OPTIONAL { ?p hg:localId ?id }
        } GROUP BY ?p ?orcid
    """)
    assert len(rows) > 1000
    kinds = {"orcid": 0, "local": 0, "n": 0}
    for row in rows:
        key = row["p"].removeprefix(prefix)
        if row["orcid"]:
            assert key == "orcid-" + row["orcid"].removeprefix("https://orcid.org/"), row
            kinds["orcid"] += 1
        elif row["localId"]:
            assert key == "local-tables-" + row["localId"], row
            kinds["local"] += 1
        else:
            assert key.startswith("n-"), row
            kinds["n"] += 1
    assert kinds["orcid"] == 10 and kinds["local"] == 16  # the sample tables' people


def test_the_two_wei_zhangs_of_the_tables_are_two_people(store):
    rows = select(store, """
        SELECT ?id ?person WHERE { ?r a hg:PersonRecord ; hg:localId ?id ; hg:resolvedTo ?person .
                                   ?person foaf:name "Wei Zhang" } ORDER BY ?id
    """)
    assert rows == [{"id": "0045560", "person": person_iri(store, "local-tables-0045560")},
                    {"id": "0061377", "person": person_iri(store, "local-tables-0061377")}]


def test_table_mentions_of_one_person_resolve_to_the_person_of_their_record(store):
    assert not ask(store, """
        ASK { ?a a vivo:Authorship ; hg:localId ?id ; hg:localScope ?scope ; hg:resolvedTo ?p .
              ?r a hg:PersonRecord ; hg:localId ?id ; hg:localScope ?scope ; hg:resolvedTo ?q FILTER(?p != ?q) }
    """)
    rows = select(store, """
        SELECT ?m ?c ?e WHERE { ?m hg:localId "0041172" ; hg:resolutionConfidence ?c ; hg:resolutionEvidence ?e .
                                ?m hg:resolvedTo ?p . ?p vivo:orcidId <https://orcid.org/0000-0003-4255-5031> }
    """)
    assert len(rows) == 5 and {(r["c"], r["e"]) for r in rows} == {(1.0, "local-id")}


def test_retired_person_iris_point_to_one_current_person_and_say_nothing_else(store):
    rows = select(store, """
        SELECT ?old (COUNT(DISTINCT ?new) AS ?targets) WHERE {
          ?old owl:sameAs ?new . ?new a foaf:Person .
        } GROUP BY ?old
    """)
    assert {r["old"] for r in rows} == {person_iri(store, "n-blennow-k"), person_iri(store, "n-blennow-k-2")}
    for row in rows:
        assert row["targets"] == 1
        triples = select(store, f"SELECT ?p ?o WHERE {{ <{row['old']}> ?p ?o }}")
        assert {(t["p"], t["o"]) for t in triples} == {
            (f"{PREFIXES['owl']}sameAs", person_iri(store, "n-blennow-kaj")),
            (f"{PREFIXES['dcterms']}isReplacedBy", person_iri(store, "n-blennow-kaj"))}
        assert not ask(store, f"ASK {{ <{row['old']}> a foaf:Person }}")
        assert not ask(store, f"ASK {{ ?m hg:resolvedTo <{row['old']}> }}")


def test_the_curation_file_merges_and_opts_out(store):
    curated = select(store, """
        SELECT ?m WHERE { ?m hg:resolvedTo ?p ; hg:resolutionEvidence "curation" ; hg:resolutionConfidence 1.0 }
        ORDER BY ?m
    """)
    assert [r["m"] for r in curated] == sorted(store.minter.authorship(pmid, rank) for pmid, rank in
                                               (("15324367", 13), ("19622817", 29), ("8748926", 1)))
    assert select(store, "SELECT ?p ?name WHERE { ?p hg:optedOut true ; foaf:name ?name }") == [
        {"p": person_iri(store, "orcid-0000-0002-1355-776X"), "name": "Olivia Brandt"}]
    assert not ask(store, 'ASK { ?p hg:optedOut ?v FILTER(DATATYPE(?v) != xsd:boolean || ?v != true) }')


def test_the_resolution_graph_has_its_provenance_record(store):
    resolution = store.resolution.value
    record = select(store, f"""
        SELECT ?mentions ?persons ?at WHERE {{
          <{resolution}> a hg:ResolutionGraph ; hg:mentionCount ?mentions ; hg:personCount ?persons ;
                         prov:generatedAtTime ?at }}
    """)
    assert len(record) == 1
    assert record[0]["mentions"] == select(store, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m hg:resolvedTo ?p }")[0]["n"]
    assert record[0]["persons"] == select(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a foaf:Person }")[0]["n"]
    assert ask(store, f"ASK {{ GRAPH <{resolution}> {{ ?s ?p ?o }} }}")


# -- private graphs ------------------------------------------------------------------------


MBOX = ox.NamedNode(f"{FOAF}mbox")


def test_the_private_graph_is_not_visible(store):
    # The Oxigraph store holds the e-mail addresses of the tables (so the checks below can fail) ...
    quads = list(store.ox.quads_for_pattern(None, MBOX, None, None))
    assert len(quads) == 25
    assert all(q.object.value.startswith("mailto:") and q.object.value.endswith("@example.org") for q in quads)
    private = {q.graph_name.value for q in quads}
    assert private == {store.minter.graph("private/table/") + quads[0].graph_name.value.rsplit("/", 1)[-1]}
    # ... but no query through the store sees them: not in the default graph, not with GRAPH.
    assert store.select("SELECT ?g WHERE { GRAPH ?g { ?s <http://xmlns.com/foaf/0.1/mbox> ?o } }") == []
    assert store.select("SELECT * WHERE { ?s <http://xmlns.com/foaf/0.1/mbox> ?o }") == []
    graph = next(iter(private))
    assert store.select(f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == []
    assert store.select('SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "@example.org")) }') == []


@pytest.mark.parametrize("rdf_format", [ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE], ids=["nquads", "turtle"])
def test_dumps_hold_no_private_field(store, rdf_format):
    out = io.BytesIO()
    store.dump(out, rdf_format)
    data = out.getvalue()
    assert b"Whitcombe" in data  # the public part of the people table is there
    assert b"mailto:" not in data and b"@example.org" not in data and b"/graph/private/" not in data


# -- known bugs: the code does not yet do what docs/model.md and docs/ingest.md say ---------


def test_the_domain_of_every_hg_property_holds(store, backend, request):
    if backend == "virtuoso":
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            "Virtuoso 7.2.5 answers rdfs:subClassOf* inside FILTER NOT EXISTS wrongly (and refuses "
            "the other forms); a test-only query, hubgraph's own paths have one end bound")))
    bad = select(store, """
        SELECT ?property ?domain (SAMPLE(?s) AS ?example) (COUNT(DISTINCT ?s) AS ?subjects) WHERE {
          ?property rdfs:domain ?domain . FILTER(STRSTARTS(STR(?property), STR(hg:)))
          ?s ?property ?o .
          FILTER NOT EXISTS { ?s a/rdfs:subClassOf* ?domain }
          FILTER NOT EXISTS { ?s a bibo:AcademicArticle FILTER(?domain = bibo:Document) }
        } GROUP BY ?property ?domain
    """)
    assert bad == []


def test_a_people_table_department_named_like_its_organizations_row_is_that_row(store):
    assert ask(store, f"""
        ASK {{ <{store.minter.record("tables", "0041172")}> hg:affiliation ?department .
               ?department hg:localId "MGH-NEUR" }}
    """)


def test_a_removed_person_leaves_no_trace_in_the_public_dataset(backend, tmp_path):
    from ingest.curation import PeopleLists
    from tests.support import open_backend

    store = open_backend(backend, tmp_path)
    ingest_files(store, CONVERTERS["table"](store), [TABLES], people=PeopleLists(remove=("0070612",)))
    assert not ask(store, 'ASK { ?p a foaf:Person ; foaf:name "Ethan Park" }')  # this part holds
    record = store.minter.record("tables", "0070612")
    assert not ask(store, f'ASK {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{record}")) }}')
    assert not ask(store, 'ASK { GRAPH ?g { ?m hg:localId "0070612" } }')
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    assert b"0070612" not in out.getvalue()


# -- modelling rules (continued) --------------------------------------------------------------


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
        HAVING (MIN(?r) != 1 || MAX(?r) != COUNT(?a) || COUNT(DISTINCT ?r) != COUNT(?a))
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
                "hg:CollectiveAuthorship", "hg:SourceGraph", "skos:Concept", "org:Role", "foaf:Person"):
        assert not ask(store, f"ASK {{ ?x a {cls} FILTER NOT EXISTS {{ ?x rdfs:label ?l }} }}"), cls


def test_dates_are_typed_by_precision(store):
    rows = select(store, """
        SELECT DISTINCT ?dt WHERE { ?p dcterms:issued ?d BIND(STR(DATATYPE(?d)) AS ?dt) }
    """)
    allowed = {f"{PREFIXES['xsd']}{t}" for t in ("date", "gYearMonth", "gYear")}
    assert rows and {r["dt"] for r in rows} <= allowed
    assert not ask(store, """
        ASK { ?p dcterms:issued|schema:startDate|schema:endDate ?d
              FILTER((DATATYPE(?d) = xsd:date && STRLEN(STR(?d)) != 10)
                  || (DATATYPE(?d) = xsd:gYearMonth && STRLEN(STR(?d)) != 7)
                  || (DATATYPE(?d) = xsd:gYear && STRLEN(STR(?d)) != 4)
                  || !(DATATYPE(?d) IN (xsd:date, xsd:gYearMonth, xsd:gYear))) }
    """)
    membership_dates = select(store, """
        SELECT DISTINCT ?dt WHERE { ?m schema:startDate|schema:endDate ?d BIND(STR(DATATYPE(?d)) AS ?dt) }
    """)
    assert {r["dt"] for r in membership_dates} == allowed  # the tables use all three precisions
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
    assert sorted(r["kind"] for r in rows) == ["mesh", "ontology", "pubmed", "ror", "ror", "table"]
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
    # The mention keeps what the source gave, in mention fields, not as a person.
    assert graph.query(PREFIXES_SPARQL + """
        ASK { ?a a vivo:Authorship ; hg:mentionGivenName "Ana" ; hg:nameAsWritten "Ana" ;
                 hg:mentionOrcid <https://orcid.org/0000-0002-1825-0097> }
    """)


def test_a_nameless_author_slot_is_left_out_and_ranks_keep_source_positions():
    mentions = [AuthorMention(rank=1), AuthorMention(rank=2, family_name="Smith", given_name="Jo"),
                AuthorMention(rank=3, collective_name="Study Group")]
    graph = _build([(Article(pmid="5", title="E"), mentions)])
    rows = graph.query(PREFIXES_SPARQL + "SELECT ?r WHERE { ?a vivo:rank ?r } ORDER BY ?r")
    assert [int(row["r"].value) for row in rows] == [2, 3]


def test_an_author_slot_with_only_an_orcid_is_left_out():
    graph = _build([(Article(pmid="6", title="F"), [AuthorMention(rank=1, orcid="0000-0002-1825-0097")])])
    assert not graph.query(PREFIXES_SPARQL + "ASK { ?a vivo:rank ?r }")
    assert not graph.query(PREFIXES_SPARQL + 'ASK { ?x ?p ?l FILTER(isLiteral(?l) && STR(?l) = "") }')


def test_a_source_graph_holds_mentions_and_no_person():
    mentions = [AuthorMention(rank=1, family_name="Mattsson", given_name="Niklas", initials="N"),
                AuthorMention(rank=2, family_name="Zetterberg", initials="H", orcid="0000-0002-1825-0097")]
    graph = _build([(Article(pmid="7", title="G"), mentions)])
    assert not graph.query(PREFIXES_SPARQL + "ASK { ?p a foaf:Person }")
    assert not graph.query(PREFIXES_SPARQL + "ASK { ?s foaf:name|foaf:familyName|foaf:givenName|vivo:orcidId ?o }")
    assert not graph.query(PREFIXES_SPARQL + "ASK { ?a a vivo:Authorship ; vivo:relates ?x FILTER NOT EXISTS { ?x a bibo:AcademicArticle } }")
    rows = graph.query(PREFIXES_SPARQL + """
        SELECT ?written ?family ?given ?initials WHERE {
          ?a vivo:rank 1 ; hg:nameAsWritten ?written ; hg:mentionFamilyName ?family ;
             hg:mentionGivenName ?given ; hg:mentionInitials ?initials }
    """)
    assert [tuple(row[v].value for v in ("written", "family", "given", "initials")) for row in rows] == [
        ("Mattsson N", "Mattsson", "Niklas", "N")]


def _build_people(write) -> ox.Store:
    out = io.StringIO()
    write(GraphBuilder(Minter(), out))
    graph = ox.Store()
    graph.load(out.getvalue().encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return graph


def test_a_mononym_person_has_that_name_as_family_name_and_no_given_name():
    graph = _build_people(lambda b: b.person("n-madonna", None, "Madonna", None))
    rows = graph.query(PREFIXES_SPARQL + """
        SELECT ?name ?label ?family WHERE { ?p a foaf:Person ; foaf:name ?name ; rdfs:label ?label ;
                                              foaf:familyName ?family }
    """)
    assert [(r["name"].value, r["label"].value, r["family"].value) for r in rows] == [("Madonna",) * 3]
    assert not graph.query(PREFIXES_SPARQL + "ASK { ?p foaf:givenName ?g }")


def test_a_mention_link_carries_confidence_and_evidence_and_relates_authorships_only():
    def write(b: GraphBuilder) -> None:
        b.person("n-smith-jo", "Smith", "Jo", None)
        b.mention_link("http://127.0.0.1:8000/id/authorship/pmid-5-2", "n-smith-jo", 0.9371, ["name", "coauthors"], True)
        b.mention_link("http://127.0.0.1:8000/id/record/t/p1", "n-smith-jo", 1.0, ["local-id"], False)
        b.retired_person("n-smith-j", "n-smith-jo")
    graph = _build_people(write)
    person = "<http://127.0.0.1:8000/id/person/n-smith-jo>"
    assert graph.query(PREFIXES_SPARQL + f"""
        ASK {{ <http://127.0.0.1:8000/id/authorship/pmid-5-2> hg:resolvedTo {person} ; vivo:relates {person} ;
                   hg:resolutionConfidence "0.9371"^^xsd:decimal ; hg:resolutionEvidence "name", "coauthors" .
               {person} vivo:relatedBy <http://127.0.0.1:8000/id/authorship/pmid-5-2> .
               <http://127.0.0.1:8000/id/record/t/p1> hg:resolvedTo {person} ; hg:resolutionEvidence "local-id" .
               <http://127.0.0.1:8000/id/person/n-smith-j> owl:sameAs {person} ; dcterms:isReplacedBy {person} }}
    """)
    assert not graph.query(PREFIXES_SPARQL + "ASK { <http://127.0.0.1:8000/id/record/t/p1> vivo:relates ?x }")
