"""The matchmaking engine: ranked, explained suggestions of people for a person, a free-text
need or a team of needs.

Every signal is its own component, scored for a pool of candidates (the best few hundred of
each signal, after the filters) and scaled to [0, 1] within the query; the suggestion's
score is their weighted sum (:mod:`graph.match.weights`). ``as_of`` sees the graph as it
was at the end of a year: nothing published later reaches profiles, text or the graph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from graph.lookup import resolve
from graph.match.explain import reasons
from graph.match.index import MatchIndex, Person, match_index
from graph.match.organisation import complementarity, organisation_links
from graph.match.profiles import ancestor_profiles
from graph.match.proximity import personalised_pagerank
from graph.match.sparse import dense, normalise, top
from graph.match.text import tokens
from graph.match.weights import NEED_WEIGHTS, PERSON_WEIGHTS
from graph.store import Store

__all__ = ["COMPONENTS", "INSTITUTION_KINDS", "Filters", "Query", "Suggestion", "MatchResult",
           "suggest", "component_scores", "combine", "ranking", "split_needs"]

COMPONENTS = ("topic", "tree", "text", "proximity", "organisation", "complementarity", "activity")
INSTITUTION_KINDS = ("hospital", "university")
#: Candidates taken from each signal.
POOL = 400
MAX_K = 1000


@dataclass(frozen=True, slots=True)
class Filters:
    """Which people may be suggested; ``institution`` and ``department`` are organisation
    IRIs (the engine's :func:`suggest` resolves any identifier)."""

    institution_kind: str | None = None
    institution: str | None = None
    department: str | None = None
    role: str | None = None
    active_since: int | None = None
    new_only: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """One question: a person (index) or a need (text)."""

    person: int | None = None
    need: str | None = None


@dataclass
class Suggestion:
    """One suggested person: identifiers, score, component scores and reasons."""

    rank: int
    uri: str
    name: str
    orcid: str | None
    local_id: str | None
    local_ids: list[str]
    score: float
    components: dict[str, float]
    existing_collaborator: bool
    reasons: dict[str, Any]
    covers: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    """The query as understood, the weights used and the suggestions, best first."""

    query: dict[str, Any]
    weights: dict[str, float]
    suggestions: list[Suggestion]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (sharing the reasons, which each query builds afresh: a deep
        copy took a tenth of a request)."""
        return {"query": self.query, "weights": self.weights,
                "suggestions": [{f.name: getattr(s, f.name) for f in fields(s)} for s in self.suggestions]}


def split_needs(team: str) -> list[str]:
    """The needs of a ``"need one; need two"`` team string."""
    return [n.strip() for n in team.split(";") if n.strip()]


def _keep(index: MatchIndex, query: Query, filters: Filters) -> Any:
    """The candidate predicate of a query."""
    org_filters = [index_of for index_of in (_org_index(index, filters.institution),
                                             _org_index(index, filters.department)) if index_of != -2]
    known = index.present
    collaborators = {v for v, _ in index.adj.get(query.person, ())} if query.person is not None else set()
    role = filters.role.lower() if filters.role else None

    def keep(p: int) -> bool:
        if p == query.person or p not in known or p in index.opted_out:
            return False
        if filters.new_only and p in collaborators:
            return False
        aff = index.affiliations.get(p)
        if filters.institution_kind and (aff is None or filters.institution_kind not in aff.kinds):
            return False
        for org in org_filters:
            if aff is None or (org not in aff.institutions and org not in aff.departments):
                return False
        if role and (aff is None or role not in aff.roles):
            return False
        if filters.active_since and index.last_year.get(p, 0) < filters.active_since:
            return False
        return True
    return keep


def _org_index(index: MatchIndex, uri: str | None) -> int:
    """-2 when there is no filter, -1 when the organisation has nobody."""
    if uri is None:
        return -2
    return next((i for i, o in enumerate(index.orgs) if o.uri == uri), -1)


def _raw(index: MatchIndex, query: Query) -> dict[str, np.ndarray]:
    """The signals of a query over everybody, unscaled."""
    if query.person is not None:
        p = query.person
        return {
            "topic": index.topic_index.scores(index.topic_index.vectors.get(p, {})),
            "tree": index.tree_index.scores(index.tree_index.vectors.get(p, {})),
            "text": index.text_index.scores(index.text_index.vectors.get(p, {})),
            "proximity": dense(personalised_pagerank(index.adj, p), len(index.people)),
        }
    words = tokens(query.need or "")
    topics = normalise(index.need_topics(words))
    tree = ancestor_profiles({0: topics}, index.broader).get(0, {})
    return {
        "topic": index.topic_index.scores(topics),
        "tree": index.tree_index.scores(tree),
        "text": index.text_index.scores(index.vocabulary.vector(words)),
    }


def component_scores(index: MatchIndex, query: Query, filters: Filters = Filters(),
                     pool: int = POOL) -> dict[str, dict[int, float]]:
    """Every component's score, in [0, 1], for the candidate pool of a query: the best
    ``pool`` people of each signal that passes the filters (for a person query also the most
    active ones; a need's candidates must match it in topics or text)."""
    keep = _keep(index, query, filters)
    raw = _raw(index, query)
    best = {name: top(scores, pool, keep) for name, scores in raw.items()}
    members = {p for pairs in best.values() for p, _ in pairs}
    taken = 0
    for p in index.activity_order if query.person is not None else ():
        if taken >= pool:
            break
        if keep(p):
            members.add(p)
            taken += 1
    out: dict[str, dict[int, float]] = {}
    for name, scores in raw.items():
        ceiling = best[name][0][1] if best[name] else 0.0
        out[name] = {p: min(1.0, float(scores[p]) / ceiling) for p in members if scores[p] > 0} if ceiling else {}
    out["activity"] = {p: index.activity[p] for p in members if p in index.activity}
    if query.person is not None:
        mine = index.affiliations.get(query.person)
        org: dict[int, float] = {}
        comp: dict[int, float] = {}
        if mine is not None:
            for p in members:
                theirs = index.affiliations.get(p)
                if theirs is not None:
                    org[p] = organisation_links(mine, theirs, index.orgs)[0]
                    comp[p] = complementarity(mine, theirs)[0]
        out["organisation"] = {p: s for p, s in org.items() if s > 0}
        out["complementarity"] = {p: s for p, s in comp.items() if s > 0}
    out["_pool"] = {p: 0.0 for p in members}
    return out


def combine(components: dict[str, dict[int, float]], weights: dict[str, float]) -> dict[int, float]:
    """The weighted sum of the components for every candidate of the pool."""
    total = {p: 0.0 for p in components["_pool"]}
    for name, weight in weights.items():
        if weight:
            for p, s in components.get(name, {}).items():
                total[p] += weight * s
    return total


def _default_weights(query: Query) -> dict[str, float]:
    return dict(PERSON_WEIGHTS if query.person is not None else NEED_WEIGHTS)


def ranking(index: MatchIndex, query: Query, filters: Filters = Filters(),
            weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
    """The candidate pool of a query ranked by score, best first (ties by index); everybody
    else who passes the filters comes after, unscored."""
    scores = combine(component_scores(index, query, filters), weights or _default_weights(query))
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _person_query(store: Store, index: MatchIndex, ident: str) -> int:
    uri = resolve(store, "person", ident)
    if uri not in index.ids:
        raise ValueError(f"'{ident}' names <{uri}>, who has no record in the graph"
                         + (f" up to {index.as_of}" if index.as_of is not None else ""))
    return index.ids[uri]


def _resolve_filters(store: Store, filters: Filters) -> Filters:
    if filters.institution_kind is not None and filters.institution_kind not in INSTITUTION_KINDS:
        raise ValueError(f"institution kind must be one of {', '.join(INSTITUTION_KINDS)}, "
                         f"not '{filters.institution_kind}'")
    return Filters(
        institution_kind=filters.institution_kind,
        institution=resolve(store, "organization", filters.institution) if filters.institution else None,
        department=resolve(store, "organization", filters.department) if filters.department else None,
        role=filters.role, active_since=filters.active_since, new_only=filters.new_only,
    )


def _suggestion(index: MatchIndex, rank: int, p: int, score: float, query: Query,
                components: dict[str, dict[int, float]], explain: bool) -> Suggestion:
    person: Person = index.people[p]
    collaborators = {v for v, _ in index.adj.get(query.person, ())} if query.person is not None else set()
    return Suggestion(
        rank=rank, uri=person.uri, name=person.name, orcid=person.orcid,
        local_id=person.local_ids[0] if person.local_ids else None, local_ids=list(person.local_ids),
        score=round(score, 6),
        components={c: round(components.get(c, {}).get(p, 0.0), 6) for c in COMPONENTS if c in components},
        existing_collaborator=p in collaborators,
        reasons=reasons(index, query, p) if explain else {},
    )


def suggest(store: Store, *, person: str | None = None, need: str | None = None, team: str | None = None,
            k: int = 10, filters: Filters = Filters(), as_of: int | None = None,
            weights: dict[str, float] | None = None, explain: bool = True) -> MatchResult:
    """Suggestions for exactly one of ``person`` (any identifier), ``need`` (free text) or
    ``team`` (needs separated by ';'), best first, at most ``k``."""
    if sum(x is not None and x != "" for x in (person, need, team)) != 1:
        raise ValueError("give exactly one of person, need or team")
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K}, not {k}")
    resolved = _resolve_filters(store, filters)
    index = match_index(store, as_of)
    described: dict[str, Any] = {"k": k, "as_of": as_of, "filters": asdict(resolved)}
    if team is not None:
        return _team(index, split_needs(team), k, resolved, weights, explain, described)
    query = Query(person=_person_query(store, index, person)) if person is not None else Query(need=need)
    used = weights or _default_weights(query)
    components = component_scores(index, query, resolved)
    ranked = sorted(combine(components, used).items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    if query.person is not None:
        described.update(kind="person", person=asdict(index.people[query.person]))
    else:
        described.update(kind="need", need=need)
    return MatchResult(described, used, [_suggestion(index, i + 1, p, s, query, components, explain)
                                         for i, (p, s) in enumerate(ranked)])


def _team(index: MatchIndex, needs: list[str], k: int, filters: Filters, weights: dict[str, float] | None,
          explain: bool, described: dict[str, Any]) -> MatchResult:
    """A small team covering the needs: greedily the person who adds most coverage, until
    every need is covered or the team has ``k`` people. A person covers a need when their
    topical match to it (every component but activity) is at least half the best one's."""
    if not needs:
        raise ValueError("a team needs at least one need, separated by ';'")
    used = weights or dict(NEED_WEIGHTS)
    topical = {c: w for c, w in used.items() if c != "activity"}
    per_need: list[tuple[Query, dict[str, dict[int, float]], dict[int, float], dict[int, float]]] = []
    for need in needs:
        query = Query(need=need)
        components = component_scores(index, query, filters)
        match = combine(components, topical)
        best = max(match.values(), default=0.0)
        per_need.append((query, components, {p: s / best for p, s in match.items() if s > 0} if best else {},
                         combine(components, used)))
    chosen: list[Suggestion] = []
    covered: set[int] = set()
    while len(chosen) < k and len(covered) < len(needs):
        gains: dict[int, float] = {}
        for i, (_, _, relevance, score) in enumerate(per_need):
            if i not in covered:
                for p, s in relevance.items():
                    gains[p] = gains.get(p, 0.0) + s + 1e-3 * score[p]
        for suggestion in chosen:
            gains.pop(index.ids[suggestion.uri], None)
        if not gains:
            break
        p, gain = min(gains.items(), key=lambda kv: (-kv[1], kv[0]))
        covers = [i for i, (_, _, relevance, _) in enumerate(per_need)
                  if i not in covered and relevance.get(p, 0.0) >= 0.5]
        if not covers:
            break
        query, components, _, _ = per_need[covers[0]]
        suggestion = _suggestion(index, len(chosen) + 1, p, gain, query, components, explain)
        suggestion.covers = [needs[i] for i in covers]
        chosen.append(suggestion)
        covered.update(covers)
    described.update(kind="team", needs=needs, uncovered=[n for i, n in enumerate(needs) if i not in covered])
    return MatchResult(described, used, chosen)
