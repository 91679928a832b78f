"""How each kind of node looks: one table of groups (legend label, colour, shape)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Group", "GROUPS", "vis_groups"]


@dataclass(frozen=True, slots=True)
class Group:
    """A kind of node on a map."""

    label: str
    colour: str
    shape: str = "dot"


GROUPS: dict[str, Group] = {
    "focus": Group("This entity", "#e45756", "star"),
    "person": Group("People", "#4c78a8"),
    "bridge": Group("Bridging people", "#f58518", "diamond"),
    "hospital": Group("Hospital units", "#d62f6b"),
    "university": Group("University units", "#2a9d8f"),
    "organization": Group("Organisations", "#9d755d", "square"),
    "topic": Group("Topics", "#b279a2", "triangle"),
    "paper": Group("Papers", "#72b7b2", "square"),
    "trial": Group("Trials", "#eeca3b", "diamond"),
    "device": Group("Devices", "#54a24b", "hexagon"),
    "summary": Group("Grouped (not shown one by one)", "#bab0ac", "box"),
}


def vis_groups(names: set[str]) -> dict[str, dict[str, object]]:
    """vis-network ``groups`` options for the groups used on a map."""
    return {
        name: {"shape": GROUPS[name].shape,
               "color": {"background": GROUPS[name].colour, "border": "#333",
                         "highlight": {"background": GROUPS[name].colour, "border": "#000"}}}
        for name in sorted(names)
    }
