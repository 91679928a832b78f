"""First-pass identity of authors: the one function that says who a mention is.

An author with an ORCID is that ORCID. Otherwise the key is the normalised family
name and first initial at the institution of the mention; a mention with no
institution is keyed by family name and full given name instead, the stricter key,
so that two unaffiliated "Smith J" stay apart. Keys are stable, so person IRIs
stay valid across re-ingests.

>>> from graph.model import AuthorMention
>>> person_key(AuthorMention(rank=1, family_name="Zetterberg", given_name="Henrik", initials="H"), None)
'n-zetterberg-henrik'
>>> person_key(AuthorMention(rank=1, family_name="Smith", given_name="John A", initials="JA"), "ror-03vek6s52")
'n-smith-j-ror-03vek6s52'
"""

from __future__ import annotations

from graph.model import AuthorMention
from graph.uris import slug

__all__ = ["person_key"]


def person_key(mention: AuthorMention, institution_key: str | None) -> str | None:
    """The key of the person behind ``mention``; None for a collective or nameless author."""
    surname = mention.family_name or mention.given_name  # a mononym keys by itself
    if not surname:
        return None
    if mention.orcid:
        return f"orcid-{mention.orcid}"
    family = slug(surname, 40)
    given = (mention.given_name or mention.initials or "") if mention.family_name else ""
    if institution_key:
        initial = slug(given)[:1] if given else "x"
        return f"n-{family}-{initial}-{institution_key}"
    return f"n-{family}-{slug(given, 40)}" if given else f"n-{family}"
