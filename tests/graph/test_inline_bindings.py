"""``inline_bindings`` writes bound variables into a query for Oxigraph's planner: the
rewritten query must answer exactly as the original with substitutions, and be refused
where a rewrite could change the answer."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.sparql_client import inline_bindings

EX = "http://example.org/"
ALICE, BOB = ox.NamedNode(EX + "alice"), ox.NamedNode(EX + "bob")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    data = f"""
    @prefix e: <{EX}> .
    e:alice e:name "Alice" ; e:knows e:bob, e:carol ; e:wrote e:p1, e:p2 .
    e:bob e:name "Bob" ; e:knows e:carol ; e:wrote e:p1 .
    e:carol e:name "Carol" .
    e:p1 e:title "One" . e:p2 e:title "Two" .
    """
    s = ox.Store()
    s.load(data.encode(), ox.RdfFormat.TURTLE)
    return s


def answers(store: ox.Store, sparql: str, bindings: dict[str, ox.NamedNode]) -> tuple[set, set]:
    """(rewritten answer, original answer with substitutions) as comparable sets."""
    inlined = inline_bindings(sparql, bindings)
    assert inlined is not None, sparql
    assert all(f"?{name} " not in inlined.split("WHERE", 1)[1].split("BIND", 1)[0] for name in bindings)

    def rows(result: ox.QuerySolutions | ox.QueryTriples) -> set:
        if isinstance(result, ox.QueryTriples):
            return {str(t) for t in result}
        return {tuple(str(row[v]) if row[v] is not None else None for v in result.variables) for row in result}

    substitutions = {ox.Variable(k): v for k, v in bindings.items()}
    return rows(store.query(inlined)), rows(store.query(sparql, substitutions=substitutions))


@pytest.mark.parametrize("sparql", [
    f"SELECT ?who ?n WHERE {{ ?who <{EX}knows> ?x . ?x <{EX}name> ?n }}",
    f"SELECT ?who (COUNT(?p) AS ?papers) WHERE {{ ?who <{EX}wrote> ?p OPTIONAL {{ ?p <{EX}title> ?t }} }} GROUP BY ?who",
    f"SELECT ?who ?n WHERE {{ ?who <{EX}name> ?n FILTER(?who != <{EX}carol>) }}",
    f"CONSTRUCT {{ ?who <{EX}coauthor> ?other }} WHERE {{ ?who <{EX}wrote> ?p . ?other <{EX}wrote> ?p "
    f"FILTER(?other != ?who) }}",
    f"CONSTRUCT {{ ?who ?p ?o }} WHERE {{ {{ ?who ?p ?o }} UNION {{ ?o ?p ?who }} }}",
])
@pytest.mark.parametrize("who", [ALICE, BOB, ox.NamedNode(EX + "nobody")])
def test_the_rewritten_query_answers_as_the_original(store: ox.Store, sparql: str, who: ox.NamedNode) -> None:
    rewritten, original = answers(store, sparql, {"who": who})
    assert rewritten == original
    if who != ox.NamedNode(EX + "nobody"):
        assert rewritten  # the comparison is not between two empty answers


@pytest.mark.parametrize("sparql", [
    f"SELECT ?who WHERE {{ {{ SELECT ?who WHERE {{ ?who <{EX}name> ?n }} }} }}",  # subquery
    f"SELECT ?who WHERE {{ VALUES ?x {{ 1 }} ?who <{EX}name> ?n }}",  # VALUES
    f"SELECT ?n WHERE {{ <{EX}alice> <{EX}name> ?n BIND(?n AS ?who) }}",  # assigned in the query
    "CONSTRUCT WHERE { ?who ?p ?o }",  # the template is the pattern
    "ASK { ?who ?p ?o }",
])
def test_queries_a_rewrite_could_change_are_left_alone(sparql: str) -> None:
    assert inline_bindings(sparql, {"who": ALICE}) is None


def test_blank_nodes_are_left_alone() -> None:
    assert inline_bindings("SELECT ?who WHERE { ?who ?p ?o }", {"who": ox.BlankNode()}) is None
