"""Organisational proximity (same department, same institution, paired institutions) and
complementarity (clinician with researcher or engineer, hospital with university)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Org", "Affiliations", "organisation_links", "complementarity", "SAME_DEPARTMENT",
           "SAME_INSTITUTION", "PAIRED_INSTITUTIONS"]

SAME_DEPARTMENT, SAME_INSTITUTION, PAIRED_INSTITUTIONS = 1.0, 0.6, 0.4
CLINICAL = frozenset({"clinician"})
TECHNICAL = frozenset({"researcher", "engineer"})
DEPARTMENT_KINDS = frozenset({"department", "lab"})


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation: IRI, label, kind (hospital, university, department, ...), parents
    and linked organisations (indexes)."""

    uri: str
    label: str | None
    kind: str
    parents: tuple[int, ...] = ()
    links: tuple[int, ...] = ()


@dataclass(slots=True)
class Affiliations:
    """What one person belongs to: departments, institutions (indexes), their kinds and roles."""

    departments: set[int] = field(default_factory=set)
    institutions: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)

    def add(self, index: int, orgs: list[Org]) -> None:
        """Add an organisation (a department also adds its institutions)."""
        org = orgs[index]
        if org.kind in DEPARTMENT_KINDS:
            self.departments.add(index)
            for parent in org.parents:
                self._institution(parent, orgs)
        else:
            self._institution(index, orgs)

    def _institution(self, index: int, orgs: list[Org]) -> None:
        self.institutions.add(index)
        self.kinds.add(orgs[index].kind)


def _paired(a: int, b: int, orgs: list[Org]) -> bool:
    oa, ob = orgs[a], orgs[b]
    return b in oa.parents or a in ob.parents or b in oa.links or a in ob.links


def organisation_links(a: Affiliations, b: Affiliations, orgs: list[Org]) -> tuple[float, list[tuple[int, str]]]:
    """The organisational score of two people and the links behind it: (org index, "same
    department" / "same institution" / "paired institution")."""
    links: list[tuple[int, str]] = [(d, "same department") for d in sorted(a.departments & b.departments)]
    links += [(i, "same institution") for i in sorted(a.institutions & b.institutions)]
    if links:
        return (SAME_DEPARTMENT if a.departments & b.departments else SAME_INSTITUTION), links
    paired = sorted({y for x in a.institutions for y in b.institutions if _paired(x, y, orgs)})
    if paired:
        return PAIRED_INSTITUTIONS, [(y, "paired institution") for y in paired]
    return 0.0, []


def complementarity(a: Affiliations, b: Affiliations) -> tuple[float, list[str]]:
    """1.0 for a clinician with a researcher or engineer, 0.5 for a hospital-only person with
    a university-only one (or the reverse); with the reasons."""
    reasons = []
    score = 0.0
    for left, right in ((a, b), (b, a)):
        if left.roles & CLINICAL and right.roles & TECHNICAL:
            score = 1.0
            reasons.append(f"{sorted(left.roles & CLINICAL)[0]} + {sorted(right.roles & TECHNICAL)[0]}")
    hospital_only = lambda x: "hospital" in x.kinds and "university" not in x.kinds  # noqa: E731
    university_only = lambda x: "university" in x.kinds and "hospital" not in x.kinds  # noqa: E731
    if (hospital_only(a) and university_only(b)) or (university_only(a) and hospital_only(b)):
        score = max(score, 0.5)
        reasons.append("hospital + university")
    return score, reasons
