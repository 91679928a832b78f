"""Author disambiguation: name rules, hard constraints, curation, and real PubMed data."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from graph.model import Article, Cluster, Curation, Mention
from graph.uris import Minter
from ingest.affiliations import AffiliationResolver, OrgIndex
from ingest.clustering import (
    CONFIRMED,
    IDENTICAL,
    INCOMPATIBLE,
    INITIAL,
    SAME_FIRST,
    baseline_clusters,
    block_key,
    cluster_mentions,
    family_key,
    mention_name,
    mentions_from_articles,
    name_agreement,
    names_compatible,
    parse_given,
)
from ingest.pubmed import read_pubmed
from tests.support import DATA, shared_or_skip

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    """bench/resolution.py (for its scoring), registered before it runs."""
    name = "hubgraph_bench_resolution"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "resolution.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# --------------------------------------------------------------------------- builders

TOPICS = ("D000544", "D016229", "D016875")


def paper(pmid: int, *authors: str | dict, year: int = 2020, orgs: tuple[str, ...] = ("org/north",),
          topics: tuple[str, ...] = TOPICS) -> list[Mention]:
    """Mentions of one paper; an author is "Family, Given" or a dict of Mention fields."""
    out = []
    for rank, author in enumerate(authors, 1):
        fields = {"name": author} if isinstance(author, str) else dict(author)
        family, _, given = fields.pop("name").partition(", ")
        values = {"family_name": family, "given_name": given or None, "work": str(pmid), "year": year,
                  "orgs": orgs, "topics": topics} | fields
        out.append(Mention(f"p{pmid}-{rank}", **values))
    return out


def filler(count: int = 30, start: int = 900) -> list[Mention]:
    """Unrelated papers, so that the co-authors of a scenario are rare in the corpus."""
    return [m for i in range(count)
            for m in paper(start + i, f"Filler{i}, Xavier", f"Other{i}, Yolanda",
                           orgs=(f"org/f{i}",), topics=(f"D9{i:05d}",), year=2000 + i % 20)]


LAB = ("Berg, Lars", "Holm, Eva", "Dahl, Nils")


def cluster_of(clusters: Sequence[Cluster], mention_id: str) -> set[str]:
    for cluster in clusters:
        ids = {link.mention for link in cluster.mentions}
        if mention_id in ids:
            return ids
    raise AssertionError(f"{mention_id} is in no cluster")


def together(clusters: Sequence[Cluster], *ids: str) -> bool:
    return set(ids) <= cluster_of(clusters, ids[0])


def link_of(clusters: Sequence[Cluster], mention_id: str):
    return next(link for c in clusters for link in c.mentions if link.mention == mention_id)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("given", "initials", "tokens"), [
    ("John A", None, ("john", "a")),
    ("J A", None, ("j", "a")),
    ("JA", None, ("j", "a")),
    ("J.A.", None, ("j", "a")),
    ("Jean-Pierre", None, ("jean", "pierre")),
    ("J-P", None, ("j", "p")),
    ("José María", None, ("jose", "maria")),
    ("AMY", None, ("amy",)),
    ("Li", None, ("li",)),
    (None, "VMY", ("v", "m", "y")),
    (None, None, ()),
])
def test_parse_given(given: str | None, initials: str | None, tokens: tuple[str, ...]) -> None:
    assert parse_given(given, initials).tokens == tokens


@pytest.mark.parametrize(("family", "given", "key", "rest"), [
    ("Müller", "Jürgen", "muller", "Jürgen"),
    ("van der Lee", "Sven J", "vanderlee", "Sven J"),
    ("Van der Lee", "Sven", "vanderlee", "Sven"),
    ("O'Brien", "Kate", "obrien", "Kate"),
    ("Mattsson-Carlgren", "Niklas", "mattssoncarlgren", "Niklas"),
    ("Broeckhoven", "Christine Van", "vanbroeckhoven", "Christine"),  # particle stranded in the given name
    (None, "Madonna", "madonna", None),  # a mononym keys by itself
])
def test_family_key(family: str | None, given: str, key: str, rest: str | None) -> None:
    assert family_key(family, given) == (key, rest)


@pytest.mark.parametrize(("a", "b", "level"), [
    ("John Andrew", "John Andrew", IDENTICAL),
    ("José", "Jose", IDENTICAL),  # diacritics folded
    ("Jean-Pierre", "Jean Pierre", IDENTICAL),
    ("Ji-Hoon", "Jihoon", IDENTICAL),  # hyphenated parts glued
    ("C Dirk", "C Dirk", IDENTICAL),
    ("John", "John A", SAME_FIRST),  # missing middle: compatible, weaker
    ("John Andrew", "John A", SAME_FIRST),
    ("John A", "J A", CONFIRMED),
    ("John Andrew", "J A", CONFIRMED),
    ("Jean-Pierre", "J-P", CONFIRMED),
    ("Jean-Pierre", "JP", CONFIRMED),
    ("M Arfan", "Mohammad A", CONFIRMED),
    ("Phil L", "Philip L", CONFIRMED),  # a shortened name, confirmed by the middle initial
    ("J", "John", INITIAL),
    ("J", "John A", INITIAL),
    ("John", "James", INCOMPATIBLE),
    ("John A", "John B", INCOMPATIBLE),  # conflicting middle initials
    ("J A", "J B", INCOMPATIBLE),
    ("J", "K", INCOMPATIBLE),
    ("Jean-Pierre", "Jean", INCOMPATIBLE),  # "Jean" is another name than "Jean-Pierre"
    ("Jean-Pierre", "Jean-Paul", INCOMPATIBLE),
    ("Seung-Jae", "Seung-Hye", INCOMPATIBLE),
    ("Phil", "Philip", INCOMPATIBLE),  # a bare prefix is not enough ("Jia" / "Jiaqi")
    ("Jia", "Jiaqi", INCOMPATIBLE),
    ("Christina", "Christine", INCOMPATIBLE),
])
def test_name_agreement(a: str, b: str, level: int) -> None:
    assert name_agreement(parse_given(a), parse_given(b)) == level
    assert name_agreement(parse_given(b), parse_given(a)) == level
    assert names_compatible(parse_given(a), parse_given(b)) == (level != INCOMPATIBLE)


def test_a_missing_given_name_conflicts_with_nothing_but_agrees_with_nothing() -> None:
    assert names_compatible(parse_given(None), parse_given("John"))
    assert name_agreement(parse_given(None), parse_given("John")) == INCOMPATIBLE


def test_block_key_and_mention_name() -> None:
    assert block_key(Mention("a", family_name="Müller", given_name="Jürgen A")) == "muller|j"
    assert block_key(Mention("b", family_name="Smith", initials="JA")) == "smith|j"
    assert mention_name(Mention("c", given_name="Madonna"))[0] == "madonna"


# --------------------------------------------------------------------------- soft evidence


def scenario_lab(name: str = "Quist, Anna", *, papers: int = 3, **extra) -> list[Mention]:
    return [m for i in range(papers) for m in paper(i + 1, {"name": name, **extra}, *LAB, year=2018 + i)]


def test_every_mention_lands_in_exactly_one_cluster_with_valid_links() -> None:
    mentions = scenario_lab() + paper(10, "Quist, Alice", "Wang, Y", "Wang, Y") + filler()
    clusters = cluster_mentions(mentions)
    ids = [link.mention for c in clusters for link in c.mentions]
    assert sorted(ids) == sorted(m.id for m in mentions)
    for cluster in clusters:
        for link in cluster.mentions:
            assert 0.0 <= link.confidence <= 1.0
            assert link.evidence and all(isinstance(e, str) for e in link.evidence)


def test_shared_coauthors_institution_and_topics_merge_a_name() -> None:
    clusters = cluster_mentions(scenario_lab() + filler())
    assert together(clusters, "p1-1", "p2-1", "p3-1")
    link = link_of(clusters, "p1-1")
    assert {"name", "coauthors", "affiliation", "topics"} <= set(link.evidence)
    assert 0.9 < link.confidence <= 1.0


def test_initials_merge_on_shared_coauthors_only() -> None:
    base = scenario_lab(papers=2) + filler()
    with_lab = cluster_mentions(base + paper(5, "Quist, A", *LAB, year=2019))
    assert together(with_lab, "p1-1", "p5-1")
    alone = cluster_mentions(base + paper(5, "Quist, A", "Nobody, Zed", year=2019))
    assert not together(alone, "p1-1", "p5-1")


@pytest.mark.parametrize("other", ["Quist, Alice", "Quist, Anna C", "Quist, James"])
def test_incompatible_given_names_never_merge(other: str) -> None:
    mentions = scenario_lab("Quist, Anna B", papers=2) + paper(7, other, *LAB, year=2019) + filler()
    clusters = cluster_mentions(mentions)
    assert together(clusters, "p1-1", "p2-1")
    assert not together(clusters, "p1-1", "p7-1")


def test_two_authors_of_one_paper_are_two_people() -> None:
    mentions = paper(1, "Wang, Y", "Wang, Y", *LAB) + paper(2, "Wang, Y", *LAB) + filler()
    clusters = cluster_mentions(mentions)
    assert not together(clusters, "p1-1", "p1-2")


def test_a_rare_full_name_merges_on_the_name_alone_with_low_confidence() -> None:
    mentions = (paper(1, "Quixotlan, Aurelio B", orgs=(), topics=())
                + paper(2, "Quixotlan, Aurelio B", orgs=(), topics=(), year=2021) + filler())
    clusters = cluster_mentions(mentions)
    assert together(clusters, "p1-1", "p2-1")
    link = link_of(clusters, "p1-1")
    assert link.evidence[0] == "name" and "coauthors" not in link.evidence
    assert link.confidence < link_of(cluster_mentions(scenario_lab() + filler()), "p1-1").confidence


def test_a_common_name_needs_more_than_the_name_and_an_institution() -> None:
    # "Wang" with many first names, "Yan" with many family names: "Wang Yan" is common.
    crowd = [m for i, first in enumerate(
        "Wei Li Jing Min Hui Lei Hao Ying Fang Ping Tao Qiang Hong Mei Jian Yong Lin Jun Xin Yu".split())
        for m in paper(100 + i, f"Wang, {first}", f"{first}son, Yan", orgs=(f"org/c{i}",),
                       topics=(f"D8{i:05d}",))]
    pair = paper(1, "Wang, Yan", "Alpha, Ann", topics=("D1",)) + paper(2, "Wang, Yan", "Beta, Bob", topics=("D2",))
    assert not together(cluster_mentions(pair + crowd + filler()), "p1-1", "p2-1")
    rare = (paper(1, "Quixotlan, Aurelio", "Alpha, Ann", topics=("D1",))
            + paper(2, "Quixotlan, Aurelio", "Beta, Bob", topics=("D2",)))
    assert together(cluster_mentions(rare + crowd + filler()), "p1-1", "p2-1")


# --------------------------------------------------------------------------- hard evidence


def test_one_orcid_is_one_person_whatever_the_names() -> None:
    orcid = "0000-0002-1825-0097"
    mentions = paper(1, {"name": "Martens, Yuka A", "orcid": orcid}) + paper(2, {"name": "Atagi, Yuka", "orcid": orcid})
    clusters = cluster_mentions(mentions + filler())
    assert together(clusters, "p1-1", "p2-1")
    assert link_of(clusters, "p2-1").evidence == ("orcid",)
    assert link_of(clusters, "p2-1").confidence == 1.0


def test_two_orcids_are_two_people_whatever_the_evidence() -> None:
    mentions = (paper(1, {"name": "Quist, Anna B", "orcid": "0000-0002-1825-0097"}, *LAB)
                + paper(2, {"name": "Quist, Anna B", "orcid": "0000-0001-5109-3700"}, *LAB))
    assert not together(cluster_mentions(mentions + filler()), "p1-1", "p2-1")


def test_local_ids() -> None:
    same = (paper(1, {"name": "Smith, J", "local_id": "7", "local_scope": "uni"})
            + paper(2, {"name": "Smith, John", "local_id": "7", "local_scope": "uni"}))
    clusters = cluster_mentions(same + filler())
    assert together(clusters, "p1-1", "p2-1")
    assert link_of(clusters, "p1-1").evidence == ("local-id",)
    two = (paper(1, {"name": "Quist, Anna B", "local_id": "7", "local_scope": "uni"}, *LAB)
           + paper(2, {"name": "Quist, Anna B", "local_id": "8", "local_scope": "uni"}, *LAB))
    assert not together(cluster_mentions(two + filler()), "p1-1", "p2-1")
    scopes = (paper(1, {"name": "Quist, Anna", "local_id": "7", "local_scope": "uni"})
              + paper(2, {"name": "Quist, Alice", "local_id": "7", "local_scope": "hospital"}))
    assert not together(cluster_mentions(scopes + filler()), "p1-1", "p2-1")


def test_a_chain_of_merges_never_joins_two_orcids() -> None:
    mentions = (paper(1, {"name": "Quist, Anna", "orcid": "0000-0002-1825-0097"}, *LAB)
                + paper(2, {"name": "Quist, Anna", "orcid": "0000-0001-5109-3700"}, *LAB)
                + paper(3, "Quist, Anna", *LAB) + paper(4, "Quist, A", *LAB))
    clusters = cluster_mentions(mentions + filler())
    assert not together(clusters, "p1-1", "p2-1")


def test_a_chain_through_initials_never_joins_incompatible_names() -> None:
    mentions = (paper(1, "Quist, Anna", *LAB) + paper(2, "Quist, Alice", *LAB)
                + paper(3, "Quist, A", *LAB) + paper(4, "Quist, A", *LAB))
    clusters = cluster_mentions(mentions + filler())
    assert not together(clusters, "p1-1", "p2-1")
    for cluster in clusters:
        given = [m.given_name for m in mentions for link in cluster.mentions if link.mention == m.id]
        assert not {"Anna", "Alice"} <= set(given)


# --------------------------------------------------------------------------- curation


def test_curation_merge_wins_over_names() -> None:
    mentions = paper(1, "Quist, Anna") + paper(2, "Berg, Lars") + filler()
    clusters = cluster_mentions(mentions, Curation(merge=(("p1-1", "p2-1"),)))
    assert together(clusters, "p1-1", "p2-1")
    assert link_of(clusters, "p1-1") == link_of(clusters, "p1-1").__class__("p1-1", 1.0, ("curation",))


def test_curation_split_and_never() -> None:
    mentions = scenario_lab() + filler()
    split = cluster_mentions(mentions, Curation(split=("p2-1",)))
    assert cluster_of(split, "p2-1") == {"p2-1"}
    assert together(split, "p1-1", "p3-1")
    assert link_of(split, "p2-1").evidence == ("curation",)
    never = cluster_mentions(mentions, Curation(never=(("p1-1", "p3-1"),)))
    assert not together(never, "p1-1", "p3-1")


def test_curation_that_contradicts_itself_is_refused_and_unknown_ids_are_ignored() -> None:
    mentions = scenario_lab() + filler()
    with pytest.raises(ValueError, match="never pair"):
        cluster_mentions(mentions, Curation(merge=(("p1-1", "p2-1"),), never=(("p1-1", "p2-1"),)))
    with pytest.raises(ValueError, match="merges and splits"):
        cluster_mentions(mentions, Curation(merge=(("p1-1", "p2-1"),), split=("p2-1",)))
    plain = cluster_mentions(mentions)
    assert cluster_mentions(mentions, Curation(merge=(("nope", "p1-1"),), split=("gone",),
                                               never=(("x", "y"),))) == plain


# --------------------------------------------------------------------------- determinism, baseline


def test_same_input_in_any_order_gives_the_same_clusters() -> None:
    mentions = scenario_lab() + paper(10, "Quist, A", *LAB) + paper(11, "Wang, Y", "Wang, Y") + filler()
    first = cluster_mentions(mentions)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    assert cluster_mentions(shuffled) == first
    smallest = [min(link.mention for link in c.mentions) for c in first]
    assert smallest == sorted(smallest)
    for cluster in first:
        ids = [link.mention for link in cluster.mentions]
        assert ids == sorted(ids)


def test_repeated_mention_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        cluster_mentions([Mention("a", family_name="X"), Mention("a", family_name="Y")])


def test_baseline_groups_by_folded_family_name_and_first_initial() -> None:
    mentions = [Mention("a", family_name="Müller", given_name="J"), Mention("b", family_name="Muller", given_name="John"),
                Mention("c", family_name="Muller", given_name="Karl"), Mention("d", family_name="Van der Berg", given_name="J"),
                Mention("e", family_name="van der Berg", initials="JA")]
    groups = [{link.mention for link in c.mentions} for c in baseline_clusters(mentions)]
    assert groups == [{"a", "b"}, {"c"}, {"d", "e"}]


# --------------------------------------------------------------------------- real data


def articles(path: Path) -> list[Article]:
    return [a for a in read_pubmed(path) if isinstance(a, Article)]


def test_mentions_from_articles() -> None:
    resolver = AffiliationResolver(Minter(), OrgIndex())
    arts = articles(DATA / "pubmed" / "reciter_wex2004.xml")
    mentions = mentions_from_articles(arts, resolver, hide_orcid=True)
    first = arts[0]
    assert mentions[0].id == f"pmid-{first.pmid}-1"
    assert mentions[0].work == first.pmid and mentions[0].year == first.year
    assert mentions[0].topics == tuple(h.ui for h in first.mesh_headings if h.ui)
    assert all(m.orcid is None for m in mentions)
    assert all("/" not in o.removeprefix(Minter().org("")) for m in mentions for o in m.orgs)  # no departments
    assert any(m.orgs for m in mentions)
    assert len(mentions) == sum(1 for a in arts for au in a.authors if not au.is_collective)


def test_reciter_author_is_one_person() -> None:
    mentions = mentions_from_articles(articles(DATA / "pubmed" / "reciter_wex2004.xml"), None)
    xu = {m.id for m in mentions if m.family_name == "Xu"}
    assert len({m.work for m in mentions if m.id in xu}) == 6  # the author of all six papers
    clusters = cluster_mentions(mentions)
    assert [c for c in clusters if {link.mention for link in c.mentions} & xu] == [
        c for c in clusters if {link.mention for link in c.mentions} == xu]
    assert len([c for c in clusters if {link.mention for link in c.mentions} & xu]) == 1


def test_a_real_file_keeps_every_constraint() -> None:
    mentions = mentions_from_articles(articles(DATA / "pubmed" / "pubmed_0_to_99.xml.gz"), None)
    by_id = {m.id: m for m in mentions}
    clusters = cluster_mentions(mentions)
    for cluster in clusters:
        members = [by_id[link.mention] for link in cluster.mentions]
        assert len({m.work for m in members}) == len(members)  # never two authors of one paper
        assert len({block_key(m) for m in members}) == 1  # no ORCIDs: never across name blocks
        names = [mention_name(m)[1] for m in members]
        assert all(names_compatible(x, y) for x in names for y in names)
    for family, given in (("Blennow", "Kaj"), ("Trojanowski", "John Q")):
        ids = {m.id for m in mentions if (m.family_name, m.given_name) == (family, given)}
        assert len(ids) >= 3 and ids <= cluster_of(clusters, min(ids))
    assert len(clusters) > len(baseline_clusters(mentions))


def test_orcid_hidden_scoring_on_an_alzforum_file() -> None:
    path = shared_or_skip("pubmed", "alzforum", "pubmed_3500_to_3599.xml.gz")
    bench = _bench()
    mentions = mentions_from_articles(articles(path), None)
    truth = bench.orcid_truth(mentions)
    scores = bench.score(cluster_mentions(bench.hidden(mentions)), truth)
    assert scores.mentions > 400 and scores.true_pairs > 20
    assert scores.b3_precision == 1.0 and scores.pair_precision == 1.0
    assert scores.b3_recall > 0.95 and scores.pair_recall > 0.8
    baseline = bench.score(baseline_clusters(bench.hidden(mentions)), truth)
    assert baseline.pair_precision < 1.0


def test_scoring() -> None:
    bench = _bench()
    clusters = [Cluster((_l("a"), _l("b"))), Cluster((_l("c"),)), Cluster((_l("d"),))]
    s = bench.score(clusters, {"a": 1, "b": 2, "c": 2, "d": 3})
    assert (s.b3_precision, s.b3_recall) == (0.5 * 2 / 4 + 2 / 4, (1 + 0.5 + 0.5 + 1) / 4)
    assert (s.pair_precision, s.pair_recall, s.true_pairs, s.predicted_pairs) == (0.0, 0.0, 1, 1)


def _l(mention: str):
    from graph.model import MentionLink

    return MentionLink(mention, 1.0, ("name",))


@pytest.mark.slow
def test_alzforum_targets() -> None:
    shared_or_skip("pubmed", "alzforum")
    bench = _bench()
    resolver = bench.ror_resolver(bench.ALZFORUM_ROR) if all(p.exists() for p in bench.ALZFORUM_ROR) else None
    mentions = mentions_from_articles(bench.read_articles(sorted(bench.ALZFORUM.glob("*.xml.gz"))), resolver)
    truth = bench.orcid_truth(mentions)
    ours = bench.score(cluster_mentions(bench.hidden(mentions)), truth)
    base = bench.score(baseline_clusters(bench.hidden(mentions)), truth)
    assert ours.b3_f1 >= 0.99 and ours.pair_f1 >= 0.97
    assert ours.b3_precision >= 0.98 and ours.pair_precision >= 0.98
    assert ours.b3_precision > base.b3_precision and ours.pair_precision > base.pair_precision
