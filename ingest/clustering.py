"""Author disambiguation: person mentions grouped into persons.

:func:`cluster_mentions` turns :class:`~graph.model.Mention` records (authorships,
roster rows) into :class:`~graph.model.Cluster` records, one per person. It works in
four steps, all deterministic:

1. **Names.** Every mention gets a family key (folded, punctuation and spaces
   dropped, a particle stranded at the end of the given name such as
   "Broeckhoven, Christine Van" moved back) and given-name tokens ("Jean-Pierre" ->
   ``jean pierre``, "JP" -> ``j p``). Mentions are blocked by family key + first
   initial; only mentions of one block are compared, so the work grows with the
   block sizes, not with the square of the input.
2. **Hard evidence.** Curated merges, one ORCID, one local id of one scope join
   mentions outright; different ORCIDs, different local ids of one scope, curated
   ``never`` pairs and ``split`` mentions, two authors of one paper and
   incompatible given names ("John" / "James", "John A" / "John B") keep them apart.
   These constraints are checked on whole clusters, so a chain of merges can never
   join two mentions that conflict.
3. **Soft evidence.** Within a block, name-compatible pairs (every pair of a small
   first-name group; pairs sharing a co-author, an institution or the whole given name,
   nearby in time, in a large one) are scored in points: the name agreement (identical
   given names 2.5, +0.5 with a middle name; same first name 2; initials 0-0.5),
   shared co-authors (weighed by rarity, a co-author key counting only when the given
   names behind it agree, discounted on large teams), a shared institution (1) or
   similar affiliation words (0.5), shared MeSH topics (0.5-1), close years (0.25) or
   far ones (-0.5). A pair merges when its points, less the ambiguity of the name,
   reach MERGE_BAR. The ambiguity grows with how common the name is: for a spelled-out
   first name, the expected number of other people with that full name (distinct first
   names of the family x distinct families of the first name / distinct names: "Wang
   Yan" or "Smith John" is crowded, "Zetterberg Henrik" is not); for initials, how
   many first names of the block the initial may stand for. So a rare full name with a
   middle initial merges on the name alone (with a low confidence) while "Wang Y"
   needs several rare shared co-authors. Pairs are merged strongest first; merging two
   clusters seen only at different institutions costs up to ELSEWHERE more points.
4. **Output.** Clusters are sorted by their smallest mention id; each
   :class:`~graph.model.MentionLink` carries the confidence and evidence of the
   strongest decision that put the mention there (``orcid``, ``local-id`` and
   ``curation`` at 1.0; a singleton is ``name`` at 1.0).

Known limits, all on the side of keeping people apart: a family name written two ways
("Mattsson-Carlgren" / "Mattsson", a swapped given/family name) or a misspelt or
shortened first name ("Jeffery" / "Jeffrey", "Zach" / "Zachary") splits a person;
so do conflicting middle initials.

:func:`baseline_clusters` is the naive family name + first initial grouping, and
:func:`mentions_from_articles` turns parsed PubMed articles into mentions.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from graph.model import Article, Cluster, Curation, Mention, MentionLink
from graph.uris import fold
from ingest.affiliations import AffiliationResolver

__all__ = [
    "INCOMPATIBLE",
    "INITIAL",
    "CONFIRMED",
    "SAME_FIRST",
    "IDENTICAL",
    "GivenName",
    "parse_given",
    "family_key",
    "name_agreement",
    "names_compatible",
    "mention_name",
    "block_key",
    "cluster_mentions",
    "baseline_clusters",
    "mentions_from_articles",
]

# --------------------------------------------------------------------------- names

_PARTICLES = frozenset(
    "van von de der den del della dei di da dos das du la le ten ter vander vanden zu".split()
)
_SPLIT_GIVEN = re.compile(r"[.\-‐‑–]+")
_HYPHEN = re.compile(r"[\-‐‑–]")
_NON_LETTER = re.compile(r"[^a-z]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = frozenset("aeiouy")

# name agreement levels, weakest to strongest
INCOMPATIBLE, INITIAL, CONFIRMED, SAME_FIRST, IDENTICAL = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class GivenName:
    """Folded given-name tokens (a one-letter token is an initial); ``width`` is how many
    tokens the first written name has ("Jean-Pierre" -> 2); ``glued`` is the name with
    hyphenated parts joined ("Ji-Hoon" -> ``jihoon``), when there are any."""

    tokens: tuple[str, ...]
    width: int = 1
    glued: tuple[str, ...] | None = None

    @property
    def initial(self) -> str:
        return self.tokens[0][0] if self.tokens else ""

    @property
    def is_full(self) -> bool:
        """True when the first name is spelled out, not just an initial."""
        return bool(self.tokens) and len(self.tokens[0]) > 1


def _word_tokens(raw: str) -> list[str]:
    """One written word part as tokens: all-caps initials ("JP") split into letters."""
    letters = _NON_LETTER.sub("", fold(raw))
    if not letters:
        return []
    upper = raw.isupper() and raw.isalpha()
    if upper and (len(letters) <= 2 or (len(letters) == 3 and not _VOWELS & set(letters))):
        return list(letters)
    return [letters]


def parse_given(given: str | None, initials: str | None = None) -> GivenName:
    """Tokens of a given name; the PubMed ``initials`` only when the name is missing.

    >>> parse_given("Jean-Pierre")
    GivenName(tokens=('jean', 'pierre'), width=2, glued=('jeanpierre',))
    >>> parse_given("J-P").tokens, parse_given("JP").tokens, parse_given(None, "JA").tokens
    (('j', 'p'), ('j', 'p'), ('j', 'a'))
    """
    if not given:
        return GivenName(tuple(_NON_LETTER.sub("", fold(initials or ""))))
    tokens: list[str] = []
    glued: list[str] = []
    width = 0
    for word in given.split():
        parts = [t for part in _SPLIT_GIVEN.split(word) if part for t in _word_tokens(part)]
        if not parts:
            continue
        hyphenated = len(parts) > 1 and _HYPHEN.search(word) is not None
        if not tokens:
            width = len(parts) if hyphenated else 1
        tokens.extend(parts)
        if hyphenated and all(len(p) > 1 for p in parts):
            glued.append("".join(parts))
        else:
            glued.extend(parts)
    if not tokens:
        return parse_given(None, initials)
    return GivenName(tuple(tokens), width, tuple(glued) if glued != tokens else None)


def family_key(family: str | None, given: str | None = None) -> tuple[str, str | None]:
    """The blocking form of a family name, and the given name left after moving a
    stranded particle back ("Broeckhoven", "Christine Van" -> ``vanbroeckhoven``,
    "Christine"). A mononym (no family name) keys by itself."""
    words = given.split() if given else []
    moved: list[str] = []
    while len(words) > 1 and fold(words[-1]).strip(".") in _PARTICLES:
        moved.insert(0, words.pop())
    if moved:
        family = " ".join(moved + [family or ""])
        given = " ".join(words)
    key = _NON_ALNUM.sub("", fold(family or ""))
    if not key:
        return _NON_ALNUM.sub("", fold(given or "")), None
    return key, given


def _token_agreement(x: str, y: str) -> int:
    """How two given-name tokens agree: 2 the same name, 1 an initial of it, 0 not."""
    if x == y:
        return 2 if len(x) > 1 else 1
    if len(x) == 1 or len(y) == 1:
        return 1 if x[0] == y[0] else 0
    return 0


def _nickname(x: str, y: str) -> bool:
    """True when one spelled-out name shortens the other ("Phil" / "Philip")."""
    short, long = (x, y) if len(x) < len(y) else (y, x)
    return len(short) >= 3 and len(long) >= len(short) + 2 and long.startswith(short)


def _tokens_agreement(a: tuple[str, ...], wa: int, b: tuple[str, ...], wb: int) -> int:
    first = _token_agreement(a[0], b[0])
    nickname = not first and len(a) > 1 and len(b) > 1 and _nickname(a[0], b[0])
    if not first and not nickname:
        return INCOMPATIBLE
    if first == 2 and (len(a) < wb or len(b) < wa):
        return INCOMPATIBLE  # "Jean" is not "Jean-Pierre"
    confirmed = False
    for x, y in zip(a[1:], b[1:]):
        if not _token_agreement(x, y):
            return INCOMPATIBLE
        confirmed = True
    if a == b and any(len(t) > 1 for t in a):
        return IDENTICAL
    if first == 2:
        return SAME_FIRST
    return CONFIRMED if confirmed else INITIAL


def name_agreement(a: GivenName, b: GivenName) -> int:
    """How well two given names agree, from INCOMPATIBLE (0) to IDENTICAL (4).

    IDENTICAL: the same given names, at least one spelled out; SAME_FIRST: the same full
    first name, a middle name missing or abbreviated on one side; CONFIRMED: an initial
    or a shortened name confirmed by a second token ("J A" / "John A", "Phil L" /
    "Philip L"); INITIAL: a lone initial matches. A missing given name agrees with
    nothing (0) but conflicts with nothing either (see :func:`names_compatible`).

    >>> name_agreement(parse_given("John A"), parse_given("J A")), name_agreement(parse_given("John"), parse_given("James"))
    (2, 0)
    """
    if not a.tokens or not b.tokens:
        return INCOMPATIBLE
    best = _tokens_agreement(a.tokens, a.width, b.tokens, b.width)
    if a.glued is not None or b.glued is not None:
        ga, gb = a.glued or a.tokens, b.glued or b.tokens
        best = max(best, _tokens_agreement(ga, 1 if a.glued else a.width, gb, 1 if b.glued else b.width))
    return best


def names_compatible(a: GivenName, b: GivenName) -> bool:
    """False only when the given names say two different people."""
    return not a.tokens or not b.tokens or name_agreement(a, b) > INCOMPATIBLE


def mention_name(mention: Mention) -> tuple[str, GivenName]:
    """The family key and given name of a mention (initials used only without a given
    name; a mononym keys by itself and has no given name)."""
    family, given = family_key(mention.family_name, mention.given_name)
    return family, parse_given(given, mention.initials if given or mention.family_name else None)


def block_key(mention: Mention) -> str:
    """Folded family name + first initial: the block a mention is compared within.

    >>> block_key(Mention("m1", family_name="Müller-Lüdenscheid", given_name="Jürgen"))
    'mullerludenscheid|j'
    """
    family, given = mention_name(mention)
    return f"{family}|{given.initial}"


# --------------------------------------------------------------------------- mentions


@dataclass(slots=True)
class _Item:
    """A mention with what the comparisons need, precomputed."""

    index: int
    mention: Mention
    family: str
    given: GivenName
    block: str
    orgs: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    coauthors: frozenset[str] = frozenset()
    team_names: dict[str, tuple[int, ...]] = field(default_factory=dict)
    team: int = 0
    word_mass: float = 0.0
    topic_mass: float = 0.0
    first: str = ""
    name_id: int = 0


_EMAIL = re.compile(r"(?<!\S)\S+@\S+")
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")


def _affiliation_words(texts: Sequence[str], cache: dict[str, frozenset[str]]) -> frozenset[str]:
    """Folded words of three letters or more in the affiliation strings, emails dropped."""
    words: frozenset[str] = frozenset()
    for text in texts:
        found = cache.get(text)
        if found is None:
            found = cache[text] = frozenset(_WORD.findall(_EMAIL.sub(" ", fold(text))))
        words = words | found if words else found
    return words


def _prepare(mentions: Sequence[Mention]) -> list[_Item]:
    """Name keys and co-author keys of every mention, in the order given. The co-author
    keys of a mention are the blocks of everybody on its paper, its own included (one
    set per paper, with the given names behind each key)."""
    items = []
    name_ids: dict[GivenName, int] = {}
    words: dict[str, frozenset[str]] = {}
    names: dict[tuple[str | None, str | None, str | None], tuple[str, GivenName, int]] = {}
    for index, mention in enumerate(mentions):
        written = (mention.family_name, mention.given_name, mention.initials)
        known = names.get(written)
        if known is None:
            family, name = mention_name(mention)
            known = names[written] = (family, name, name_ids.setdefault(name, len(name_ids)))
        family, name, name_id = known
        items.append(_Item(index, mention, family, name, f"{family}|{name.initial}",
                           orgs=frozenset(mention.orgs), words=_affiliation_words(mention.affiliations, words),
                           topics=frozenset(mention.topics),
                           first=_first(name) if name.tokens else "", name_id=name_id))
    by_work: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        if item.mention.work is not None:
            by_work[item.mention.work].append(item)
    for team in by_work.values():
        blocks: dict[str, list[int]] = defaultdict(list)
        for item in team:
            blocks[item.block].append(item.name_id)
        keys = frozenset(blocks)
        team_names = {k: tuple(v) for k, v in blocks.items()}
        for item in team:
            item.coauthors = keys
            item.team_names = team_names
            item.team = len(team)
    return items


def mentions_from_articles(
    articles: Iterable[Article], resolver: AffiliationResolver | None = None, hide_orcid: bool = False
) -> list[Mention]:
    """One mention per person author slot (``pmid-<PMID>-<rank>``), with the paper as
    work, its year, its MeSH descriptor UIs as topics and the institutions the resolver
    finds in the affiliations; ORCIDs left out when ``hide_orcid``."""
    mentions = []
    for article in articles:
        topics = tuple(dict.fromkeys(h.ui for h in article.mesh_headings if h.ui))
        for author in article.authors:
            if author.is_collective or not (author.family_name or author.given_name):
                continue
            orgs: tuple[str, ...] = ()
            if resolver is not None and author.affiliations:
                refs = resolver.resolve(author.affiliations)
                orgs = tuple(dict.fromkeys(r.iri for r in refs if r.kind != "department"))
            mentions.append(Mention(
                id=f"pmid-{article.pmid}-{author.rank}",
                family_name=author.family_name,
                given_name=author.given_name,
                initials=author.initials,
                orcid=None if hide_orcid else author.orcid,
                work=article.pmid,
                year=article.year,
                orgs=orgs,
                affiliations=author.affiliations,
                topics=topics,
            ))
    return mentions


# --------------------------------------------------------------------------- evidence

_NAME_POINTS = {IDENTICAL: 2.5, SAME_FIRST: 2.0, CONFIRMED: 0.5, INITIAL: 0.0}
MERGE_BAR = 3.0
"""Points a pair needs (plus the name's ambiguity) to merge."""
ELSEWHERE = 1.0
"""Most points taken off a merge of two clusters seen at different institutions only
(no more than the name's ambiguity: someone with a rare name may move)."""


@dataclass(slots=True)
class _Stats:
    """Corpus-wide weights of the evidence: how rare each topic, affiliation word and
    co-author key is, and how many distinct names share a family or a first name."""

    topic_idf: dict[str, float]
    word_idf: dict[str, float]
    author_weight: dict[str, int]
    family_firsts: dict[str, int]
    first_families: dict[str, int]
    block_firsts: dict[str, int]
    names: int

    @classmethod
    def of(cls, items: Sequence[_Item]) -> _Stats:
        """Count over ``items`` and store each item's total topic and word weight."""
        topic_df: dict[str, int] = defaultdict(int)
        word_df: dict[str, int] = defaultdict(int)
        author_df: dict[str, int] = defaultdict(int)
        works: set[str] = set()
        names: set[tuple[str, str]] = set()
        for item in items:
            work = item.mention.work
            if work is None or work not in works:
                if work is not None:
                    works.add(work)
                for topic in item.topics:
                    topic_df[topic] += 1
            for word in item.words:
                word_df[word] += 1
            author_df[item.block] += 1
            if item.given.is_full:
                names.add((item.family, _first(item.given)))
        n_works, n_items = len(works) + 1, len(items) + 1
        scale = math.log(n_works) or 1.0  # one work (or none): nothing to weigh against
        family_firsts = _count(f for f, _ in names)
        first_families = _count(g for _, g in names)
        stats = cls(
            {t: math.log(n_works / df) for t, df in topic_df.items()},
            {w: math.log(n_items / df) for w, df in word_df.items()},
            {k: round(_FIXED * (max(math.log(n_works / df), 0.0) / scale) ** 2) for k, df in author_df.items()},
            family_firsts, first_families, _count(f"{f}|{g[0]}" for f, g in names), max(len(names), 1),
        )
        for item in items:
            item.topic_mass = math.fsum(stats.topic_idf[t] for t in item.topics)
            item.word_mass = math.fsum(stats.word_idf[w] for w in item.words)
        return stats

    def ambiguity(self, family: str, block: str, first: str | None) -> float:
        """How many other people a name may stand for, in points.

        For a spelled-out ``first`` name: the expected number of other people with that
        full name if family and first names combined at random (distinct first names of
        the family x distinct family names of the first name / distinct names); for
        initials (``first`` None): how many spelled-out first names of the block the
        initial may stand for.
        """
        if first is not None:
            expected = self.family_firsts.get(family, 1) * self.first_families.get(first, 1) / self.names
            return math.log2(1.0 + 4.0 * expected)
        return math.log2(1.0 + self.block_firsts.get(block, 0))


def _count(keys: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return counts


def _first(given: GivenName) -> str:
    """The first spelled-out given name, hyphenated parts glued ("C Dirk" -> ``dirk``)."""
    tokens = given.glued or given.tokens
    return next((t for t in tokens if len(t) > 1), tokens[0])


def _overlap(a: frozenset[str], b: frozenset[str], mass_a: float, mass_b: float,
             idf: dict[str, float]) -> float:
    """Jaccard overlap with every element weighted by its rarity (idf)."""
    shared = a & b
    if not shared:
        return 0.0
    common = math.fsum(idf[x] for x in shared)  # fsum: the same whatever the set order
    union = mass_a + mass_b - common
    return common / union if union > 0 else 0.0


_FIXED = 1 << 30
"""Co-author weights are kept as integers in units of 1/_FIXED."""
_EVIDENCE = ("name", "coauthors", "affiliation", "topics", "years")
_COAUTHORS, _AFFILIATION, _TOPICS, _YEARS = 2, 4, 8, 16
_EVIDENCE_TUPLES = tuple(
    tuple(e for bit, e in enumerate(_EVIDENCE) if mask >> bit & 1) for mask in range(32)
)


class _Scorer:
    """Scores pairs of mentions, caching what depends on the names only."""

    def __init__(self, stats: _Stats, items: Sequence[_Item]):
        self.stats = stats
        self._names = {item.name_id: item.given for item in items}
        self._levels: dict[tuple[int, int], int] = {}
        self._ambiguity: dict[tuple[str, str, bool], float] = {}

    def level(self, a: _Item, b: _Item) -> int:
        return self._level(a.name_id, b.name_id)

    def _level(self, x: int, y: int) -> int:
        key = (x, y) if x <= y else (y, x)
        level = self._levels.get(key)
        if level is None:
            gx, gy = self._names[x], self._names[y]
            level = self._levels[key] = name_agreement(gx, gy) or (-1 if names_compatible(gx, gy) else 0)
        return level

    def ambiguity(self, a: _Item, b: _Item, level: int) -> float:
        full = level >= SAME_FIRST
        first = (a.first if len(a.first) > 1 else b.first) if full else ""
        key = (a.block, first, full)
        points = self._ambiguity.get(key)
        if points is None:
            points = self._ambiguity[key] = self.stats.ambiguity(a.family, a.block, first if full else None)
        return points

    def coauthors(self, a: _Item, b: _Item, shared: frozenset[str]) -> float:
        """Shared co-authors weighed by rarity; a co-author key counts only when the given
        names behind it agree ("Wang Zeyou" and "Wang Zhong Quan" are both "wang|z")."""
        weight = self.stats.author_weight
        names_a, names_b = a.team_names, b.team_names
        total = 0  # fixed point: an integer sum is the same in any set order
        for key in shared:
            if key != a.block:
                xs, ys = names_a[key], names_b[key]
                if xs[0] == ys[0] or any(self._level(x, y) for x in xs for y in ys):
                    total += weight[key]
        return total / _FIXED

    def score(self, a: _Item, b: _Item, level: int) -> tuple[float, int, float]:
        """Points for two mentions being one person, the evidence (a bit mask) and the
        name's ambiguity (already taken off the points)."""
        stats = self.stats
        mask = 1
        points = _NAME_POINTS[level]
        if level == IDENTICAL and len(a.given.tokens) > 1:
            points += 0.5
        shared = a.coauthors & b.coauthors
        if len(shared) > 1:  # the block itself is always there
            effective = self.coauthors(a, b, shared)
            team = a.team if a.team < b.team else b.team
            if team > 15:
                effective *= 15 / team
            points += 1.5 * min(effective, 1.0) + min(max(effective - 1.0, 0.0), 2.0)
            mask |= _COAUTHORS
        if a.orgs and b.orgs and not a.orgs.isdisjoint(b.orgs):
            points += 1.0
            mask |= _AFFILIATION
        elif _overlap(a.words, b.words, a.word_mass, b.word_mass, stats.word_idf) >= 0.5:
            points += 0.5
            mask |= _AFFILIATION
        topics = _overlap(a.topics, b.topics, a.topic_mass, b.topic_mass, stats.topic_idf)
        if topics >= 0.15:
            points += 1.0 if topics >= 0.3 else 0.5
            mask |= _TOPICS
        ya, yb = a.mention.year, b.mention.year
        if ya is not None and yb is not None:
            gap = abs(ya - yb)
            if gap <= 3:
                points += 0.25
                mask |= _YEARS
            elif gap >= 15:
                points -= 0.5
        ambiguity = self.ambiguity(a, b, level)
        return points - ambiguity, mask, ambiguity


def _confidence(margin: float) -> float:
    """Probability-like confidence for a merge that cleared the bar by ``margin`` points."""
    return round(1.0 / (1.0 + math.exp(-(margin + 1.0))), 3)


# --------------------------------------------------------------------------- clusters


@dataclass(slots=True)
class _Group:
    """What a cluster holds that a merge must not contradict."""

    members: list[int]
    orcids: set[str]
    local: dict[str, set[str]]
    works: set[str]
    names: set[GivenName]
    orgs: set[str]
    never: set[int] = field(default_factory=set)
    frozen: bool = False


class _Forest:
    """Union-find over mentions with per-cluster constraints."""

    def __init__(self, items: Sequence[_Item]):
        self.items = items
        self.parent = list(range(len(items)))
        self.groups: list[_Group | None] = [None] * len(items)
        self._compatible: dict[tuple[GivenName, GivenName], bool] = {}

    def _at(self, root: int) -> _Group:
        """The constraints of the cluster rooted at ``root``, made on first use."""
        group = self.groups[root]
        if group is None:
            item = self.items[root]
            m = item.mention
            group = self.groups[root] = _Group(
                [root],
                {m.orcid} if m.orcid else set(),
                {m.local_scope or "": {m.local_id}} if m.local_id else {},
                {m.work} if m.work is not None else set(),
                {item.given} if item.given.tokens else set(),
                set(item.orgs),
            )
        return group

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def group(self, i: int) -> _Group:
        return self._at(self.find(i))

    def members(self) -> Iterator[list[int]]:
        """The mention indexes of every cluster."""
        for root, parent in enumerate(self.parent):
            if parent == root:
                group = self.groups[root]
                yield group.members if group is not None else [root]

    def conflict(self, ra: int, rb: int, soft: bool) -> bool:
        """True when clusters ``ra`` and ``rb`` may not be one person. Hard evidence
        (ORCID, local id) overrides names and shared papers; nothing overrides curation,
        two ORCIDs or two local ids of one scope."""
        a, b = self._at(ra), self._at(rb)
        if a.frozen or b.frozen or len(a.orcids | b.orcids) > 1:
            return True
        for scope in a.local.keys() & b.local.keys():
            if len(a.local[scope] | b.local[scope]) > 1:
                return True
        small, other = (a, rb) if len(a.never) <= len(b.never) else (b, ra)
        if any(self.find(x) == other for x in small.never):
            return True
        if soft:
            if not a.works.isdisjoint(b.works):
                return True
            return not all(self._names_fit(x, y) for x in a.names for y in b.names)
        return False

    def elsewhere(self, ra: int, rb: int) -> bool:
        """True when both clusters name institutions and none in common."""
        a, b = self._at(ra), self._at(rb)
        return bool(a.orgs) and bool(b.orgs) and a.orgs.isdisjoint(b.orgs)

    def _names_fit(self, x: GivenName, y: GivenName) -> bool:
        key = (x, y)
        fit = self._compatible.get(key)
        if fit is None:
            fit = self._compatible[key] = self._compatible[(y, x)] = names_compatible(x, y)
        return fit

    def union(self, ra: int, rb: int) -> int:
        a, b = self._at(ra), self._at(rb)
        if len(a.members) < len(b.members):
            ra, rb, a, b = rb, ra, b, a
        self.parent[rb] = ra
        a.members.extend(b.members)
        a.orcids |= b.orcids
        for scope, ids in b.local.items():
            a.local.setdefault(scope, set()).update(ids)
        a.works |= b.works
        a.names |= b.names
        a.orgs |= b.orgs
        a.never |= b.never
        a.frozen = a.frozen or b.frozen
        self.groups[rb] = None
        return ra


# --------------------------------------------------------------------------- clustering

ALL_PAIRS_LIMIT = 20
"""Blocks up to this size compare every pair; larger ones only pairs that share a
co-author, an institution or a spelled-out given name (within a sliding window)."""
WINDOW = 5

_Link = tuple[float, tuple[str, ...]]


def cluster_mentions(mentions: Sequence[Mention], curation: Curation | None = None) -> list[Cluster]:
    """Group mentions into persons; every mention lands in exactly one cluster.

    Clusters come sorted by their smallest mention id, links within a cluster by
    mention id; the input order does not matter. Raises ValueError for repeated
    mention ids or a curation that contradicts itself (a ``never`` pair or a ``split``
    mention inside a ``merge`` group).
    """
    ordered = _without_misattributed_orcids(sorted(mentions, key=lambda m: m.id))
    for first, second in zip(ordered, ordered[1:]):
        if first.id == second.id:
            raise ValueError(f"mention id {first.id!r} appears twice")
    items = _prepare(ordered)
    forest = _Forest(items)
    links: dict[int, _Link] = {}
    _apply_curation(forest, curation or Curation(), {m.id: i for i, m in enumerate(ordered)}, links)
    _merge_on_identifiers(forest, items, links)
    scorer = _Scorer(_Stats.of(items), items)
    edges = sorted((-margin, i, j, evidence, ambiguity) for margin, i, j, evidence, ambiguity in _edges(items, scorer))
    for negative, i, j, evidence, ambiguity in edges:
        margin = -negative
        ra, rb = forest.find(i), forest.find(j)
        if ra != rb:
            if forest.conflict(ra, rb, soft=True):
                continue
            if not evidence & _AFFILIATION and forest.elsewhere(ra, rb):
                margin -= min(ELSEWHERE, ambiguity)
                if margin < 0:
                    continue
            forest.union(ra, rb)
        link = (_confidence(margin), _EVIDENCE_TUPLES[evidence])
        for k in (i, j):
            if k not in links or links[k][0] < link[0]:
                links[k] = link
    return _clusters(forest, items, links)


def _keep_link(links: dict[int, _Link], index: int, link: _Link) -> None:
    if index not in links or links[index][0] < link[0]:
        links[index] = link


def _apply_curation(forest: _Forest, curation: Curation, index_of: dict[str, int],
                    links: dict[int, _Link]) -> None:
    """Forced merges, frozen singletons and never-pairs; ids not in the input are ignored."""
    curated: _Link = (1.0, ("curation",))
    never = [(index_of[a], index_of[b]) for a, b in curation.never if a in index_of and b in index_of]
    split = {index_of[s] for s in curation.split if s in index_of}
    for group in curation.merge:
        present = sorted({index_of[m] for m in group if m in index_of})
        if len(present) > 1 and split & set(present):
            raise ValueError(f"curation both merges and splits {sorted(group)}")
        for k in present:
            root = forest.find(present[0])
            other = forest.find(k)
            if root != other:
                forest.union(root, other)
            if len(present) > 1:
                _keep_link(links, k, curated)
    for a, b in never:
        if forest.find(a) == forest.find(b):
            raise ValueError(f"curation merges a never pair: {forest.items[a].mention.id!r}, "
                             f"{forest.items[b].mention.id!r}")
        forest.group(a).never.add(b)
        forest.group(b).never.add(a)
    for k in split:
        forest.group(k).frozen = True
        links[k] = curated


def _without_misattributed_orcids(mentions: list[Mention]) -> list[Mention]:
    """Drop an ORCID iD from mentions whose family name is not the one most mentions with
    that iD carry: a source that put a colleague's iD on an author (it happens in PubMed)
    must not weld two people together."""
    families: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.orcid:
            families[m.orcid][family_key(m.family_name, m.given_name)[0]] += 1
    majority = {orcid: counts.most_common(1)[0] for orcid, counts in families.items()}
    kept = []
    for m in mentions:
        if m.orcid:
            family, count = majority[m.orcid]
            if family_key(m.family_name, m.given_name)[0] != family and count > 1:
                m = replace(m, orcid=None)
        kept.append(m)
    return kept


def _merge_on_identifiers(forest: _Forest, items: Sequence[_Item], links: dict[int, _Link]) -> None:
    """One ORCID, or one local id of one scope: one person (unless a hard conflict says not)."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for item in items:
        m = item.mention
        if m.orcid:
            by_key[("orcid", m.orcid)].append(item.index)
        if m.local_id:
            by_key[("local-id", f"{m.local_scope or ''}\x1f{m.local_id}")].append(item.index)
    for (kind, _), indexes in sorted(by_key.items()):
        for k in indexes:
            _keep_link(links, k, (1.0, (kind,)))
        for k in indexes[1:]:
            ra, rb = forest.find(indexes[0]), forest.find(k)
            if ra != rb and not forest.conflict(ra, rb, soft=False):
                forest.union(ra, rb)


def _edges(items: Sequence[_Item], scorer: _Scorer) -> Iterator[tuple[float, int, int, int, float]]:
    """Scored pairs that clear the bar, block by block: (margin, i, j, evidence mask,
    ambiguity of the name)."""
    blocks: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        if item.given.tokens:
            blocks[item.block].append(item)
    for key in sorted(blocks):
        for a, b in _pairs(blocks[key]):
            if a.mention.work is not None and a.mention.work == b.mention.work:
                continue
            level = scorer.level(a, b)
            if level <= INCOMPATIBLE:
                continue
            points, evidence, ambiguity = scorer.score(a, b, level)
            if points >= MERGE_BAR:
                yield points - MERGE_BAR, a.index, b.index, evidence, ambiguity


def _pairs(block: list[_Item]) -> Iterator[tuple[_Item, _Item]]:
    """The pairs of a block worth scoring, each once, lower index first.

    Mentions with a spelled-out first name are compared within their first name (a
    hyphenated one is filed under both "ji" and "jihoon"): every pair of a small group,
    pairs sharing a co-author, an institution or the whole given name in a large one. A
    mention with initials only can merge on shared co-authors only, so it is paired with
    those it shares one with.
    """
    named: dict[str, list[_Item]] = defaultdict(list)
    twice: set[int] = set()
    initials: list[_Item] = []
    for item in block:
        if item.given.is_full:
            named[item.given.tokens[0]].append(item)
            if item.first != item.given.tokens[0]:
                named[item.first].append(item)
                twice.add(item.index)
        else:
            initials.append(item)
    seen: set[tuple[int, int]] = set()
    for first in sorted(named):
        group = named[first]
        if len(group) <= ALL_PAIRS_LIMIT:
            for x, a in enumerate(group):
                for b in group[x + 1:]:
                    if a.index in twice and b.index in twice:
                        yield from _once(((a, b),), seen)
                    else:
                        yield (a, b) if a.index < b.index else (b, a)
        else:
            yield from _once(_shared_pairs(group, _group_keys), seen)
    if initials:
        yield from _once(_initial_pairs(block), seen)


def _group_keys(item: _Item) -> Iterator[str]:
    yield "n" + " ".join(item.given.tokens)
    yield from ("o" + org for org in item.orgs)
    yield from _coauthor_keys(item)


def _coauthor_keys(item: _Item) -> Iterator[str]:
    return ("c" + key for key in item.coauthors if key != item.block)


def _shared_pairs(items: list[_Item], keys: Callable[[_Item], Iterable[str]]) -> Iterator[tuple[_Item, _Item]]:
    """Pairs that share a key, each mention paired with the next WINDOW in time per key."""
    postings: dict[str, list[_Item]] = defaultdict(list)
    for item in sorted(items, key=lambda it: (it.mention.year or 0, it.index)):
        for key in keys(item):
            postings[key].append(item)
    for key in sorted(postings):
        posting = postings[key]
        for x, a in enumerate(posting):
            for b in posting[x + 1: x + 1 + WINDOW]:
                yield a, b


def _initial_pairs(block: list[_Item]) -> Iterator[tuple[_Item, _Item]]:
    """Each mention with initials only, paired with the WINDOW mentions before and after
    it in time that share a co-author with it."""
    postings: dict[str, list[_Item]] = defaultdict(list)
    for item in sorted(block, key=lambda it: (it.mention.year or 0, it.index)):
        for key in _coauthor_keys(item):
            postings[key].append(item)
    for key in sorted(postings):
        posting = postings[key]
        if len(posting) < 2 or all(it.given.is_full for it in posting):
            continue
        for x, a in enumerate(posting):
            if not a.given.is_full:
                for b in posting[max(0, x - WINDOW): x + 1 + WINDOW]:
                    if b is not a:
                        yield a, b


def _once(pairs: Iterable[tuple[_Item, _Item]], seen: set[tuple[int, int]]) -> Iterator[tuple[_Item, _Item]]:
    for a, b in pairs:
        if a.index > b.index:
            a, b = b, a
        key = (a.index, b.index)
        if key not in seen:
            seen.add(key)
            yield a, b


def _clusters(forest: _Forest, items: Sequence[_Item], links: dict[int, _Link]) -> list[Cluster]:
    """The clusters, sorted by smallest mention id (ids are sorted, so by index)."""
    out = []
    for members in forest.members():
        members = sorted(members)
        out.append((members[0], Cluster(tuple(_link(items[k], links.get(k)) for k in members))))
    out.sort(key=lambda pair: pair[0])
    return [cluster for _, cluster in out]


def _link(item: _Item, link: _Link | None) -> MentionLink:
    if link is None:  # a singleton, or joined through hard evidence only
        m = item.mention
        kind = "orcid" if m.orcid else "local-id" if m.local_id else "name"
        link = (1.0, (kind,))
    return MentionLink(item.mention.id, link[0], link[1])


def baseline_clusters(mentions: Sequence[Mention]) -> list[Cluster]:
    """The naive grouping by folded family name + first initial (a benchmark baseline)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        groups[block_key(mention)].append(mention.id)
    clusters = sorted(sorted(ids) for ids in groups.values())
    return [Cluster(tuple(MentionLink(i, 1.0, ("name",)) for i in ids)) for ids in clusters]
