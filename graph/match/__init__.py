"""Matchmaking: ranked, explained collaborator suggestions for a person, a free-text need
or a team of needs (see docs/matchmaking.md).

- :mod:`graph.match.index`: what the engine reads from the graph, built once per store version;
- :mod:`graph.match.profiles`, :mod:`graph.match.text`: topic profiles and the text model;
- :mod:`graph.match.proximity`, :mod:`graph.match.organisation`: graph and organisational signals;
- :mod:`graph.match.engine`: :func:`suggest`, the one entry point; :mod:`graph.match.explain`: reasons;
- :mod:`graph.match.weights`: the frozen combination and its provenance.
"""

from __future__ import annotations

from graph.match.engine import COMPONENTS, INSTITUTION_KINDS, Filters, MatchResult, Suggestion, split_needs, suggest

__all__ = ["suggest", "Filters", "MatchResult", "Suggestion", "COMPONENTS", "INSTITUTION_KINDS", "split_needs"]
