"""Why a person is suggested: shared and complementary topics with the papers behind them,
shared words, the shortest introduction path, organisational links, complementarity and
involvement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.match.organisation import complementarity, organisation_links
from graph.match.proximity import introduction_path
from graph.match.sparse import normalise
from graph.match.text import tokens

if TYPE_CHECKING:
    from graph.match.engine import Query
    from graph.match.index import MatchIndex

__all__ = ["reasons"]

SHOWN_TOPICS, SHOWN_PAPERS, SHOWN_TERMS = 5, 3, 5


def _papers_on(index: MatchIndex, person: int | None, topics: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The person's most recent papers indexed with each of ``topics`` (one pass over their papers)."""
    found: dict[int, list[int]] = {t: [] for t in topics}
    for paper, _ in index.person_papers.get(person, ()):
        for t, _ in index.paper_topics.get(paper, ()):
            if t in found:
                found[t].append(paper)
    out = {}
    for topic, papers in found.items():
        papers.sort(key=lambda paper: (-(index.paper_year.get(paper) or 0), paper))
        out[topic] = [{"uri": index.papers[paper], "title": index.paper_title.get(paper),
                       "year": index.paper_year.get(paper)} for paper in papers[:SHOWN_PAPERS]]
    return out


def _topic(index: MatchIndex, topic: int, weight: float) -> dict[str, Any]:
    return {"uri": index.topics[topic], "label": index.topic_labels[topic], "weight": round(weight, 4)}


def reasons(index: MatchIndex, query: Query, candidate: int) -> dict[str, Any]:
    """The reasons behind suggesting ``candidate`` for ``query``."""
    theirs = index.topic_index.vectors.get(candidate, {})
    if query.person is not None:
        mine = index.topic_index.vectors.get(query.person, {})
        my_terms = index.text_index.vectors.get(query.person, {})
    else:
        words = tokens(query.need or "")
        mine = normalise(index.need_topics(words))
        my_terms = index.vocabulary.vector(words)
    shared = sorted(((t, mine[t] * w) for t, w in theirs.items() if t in mine), key=lambda tw: (-tw[1], tw[0]))
    complementary = sorted(((t, w) for t, w in theirs.items() if t not in mine), key=lambda tw: (-tw[1], tw[0]))
    shown_shared, shown_complementary = shared[:SHOWN_TOPICS], complementary[:SHOWN_TOPICS]
    theirs_on = _papers_on(index, candidate, [t for t, _ in shown_shared + shown_complementary])
    mine_on = _papers_on(index, query.person, [t for t, _ in shown_shared])
    shared_topics = [{**_topic(index, t, w), "papers": theirs_on[t], "query_papers": mine_on[t]}
                     for t, w in shown_shared]
    complementary_topics = [{**_topic(index, t, w), "papers": theirs_on[t], "query_papers": []}
                            for t, w in shown_complementary]
    their_terms = index.text_index.vectors.get(candidate, {})
    terms = sorted(((t, my_terms[t] * w) for t, w in their_terms.items() if t in my_terms),
                   key=lambda tw: (-tw[1], tw[0]))
    out: dict[str, Any] = {
        "shared_topics": shared_topics,
        "complementary_topics": complementary_topics,
        "shared_terms": [{"term": index.vocabulary.terms[t], "weight": round(w, 4)} for t, w in terms[:SHOWN_TERMS]],
        "introduction_path": None,
        "organisations": [],
        "complementarity": [],
        "activity": {"papers": len(index.person_papers.get(candidate, ())),
                     "last_year": index.last_year.get(candidate), **index.involvement.get(candidate, {})},
    }
    if query.person is not None:
        path = introduction_path(index.adj, query.person, candidate, avoid=index.opted_out)
        if path is not None:
            out["introduction_path"] = [{"uri": index.people[p].uri, "name": index.people[p].name} for p in path]
        mine_aff = index.affiliations.get(query.person)
        their_aff = index.affiliations.get(candidate)
        if mine_aff is not None and their_aff is not None:
            _, links = organisation_links(mine_aff, their_aff, index.orgs)
            out["organisations"] = [{"uri": index.orgs[o].uri, "name": index.orgs[o].label, "link": link}
                                    for o, link in links]
            out["complementarity"] = complementarity(mine_aff, their_aff)[1]
    return out
