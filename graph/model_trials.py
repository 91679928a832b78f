"""Records of ClinicalTrials.gov studies, as :mod:`ingest.trials` reads them.

Both source formats (API v2 JSON and legacy ``<clinical_study>`` XML) give the same
records. Coded values are normalised to the API v2 enumerations, whatever the format:

- ``status``: ``COMPLETED``, ``RECRUITING``, ``ACTIVE_NOT_RECRUITING``, ``UNKNOWN``, ...
  (legacy "Active, not recruiting" -> ``ACTIVE_NOT_RECRUITING``, "Unknown status" -> ``UNKNOWN``);
- ``phases``: ``EARLY_PHASE1``, ``PHASE1`` ... ``PHASE4``, ``NA`` (legacy "Phase 1/Phase 2" ->
  ``("PHASE1", "PHASE2")``, "N/A" -> ``("NA",)``);
- ``study_type``: ``INTERVENTIONAL``, ``OBSERVATIONAL`` or ``EXPANDED_ACCESS``;
- intervention ``kind``: ``DRUG``, ``DEVICE``, ``BIOLOGICAL``, ``PROCEDURE``, ``RADIATION``,
  ``BEHAVIORAL``, ``GENETIC``, ``DIETARY_SUPPLEMENT``, ``COMBINATION_PRODUCT``,
  ``DIAGNOSTIC_TEST``, ``OTHER``;
- sponsor ``sponsor_class``: ``INDUSTRY``, ``NIH``, ``FED``, ``OTHER_GOV``, ``INDIV``,
  ``NETWORK``, ``OTHER``, ``UNKNOWN``;
- reference ``kind``: ``BACKGROUND``, ``RESULT`` or ``DERIVED`` (legacy ``<reference>`` is
  background, ``<results_reference>`` a result).

Dates are ISO 8601 at the precision the source gives (``2021-12-22``, ``2028-07``).
Official roles keep CT.gov's wording: "Principal Investigator", "Study Director",
"Study Chair", and "Sponsor-Investigator" for a person who is the sponsor. Nothing here
knows about RDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import OrgRef

__all__ = [
    "TrialMeshTerm", "Condition", "Intervention", "Sponsor", "Official", "TrialReference", "Trial",
    "TrialOrgs",
]


@dataclass(frozen=True, slots=True)
class TrialMeshTerm:
    """A MeSH descriptor NLM assigned to the study's conditions (``derivedSection`` /
    ``condition_browse``); ``ui`` is None when only the label is known and no UI was found."""

    label: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition as the sponsor wrote it; ``ui`` is the MeSH descriptor it names, when known."""

    text: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class Intervention:
    """A drug, device, procedure, ... the study tests (``kind`` normalised, see module doc)."""

    name: str
    kind: str | None = None
    description: str | None = None
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sponsor:
    """The lead sponsor or a collaborator, by name, with CT.gov's agency class."""

    name: str
    sponsor_class: str | None = None


@dataclass(frozen=True, slots=True)
class Official:
    """A person responsible for the study: an overall official, the investigator named as
    responsible party, or an individual lead sponsor (``source`` says which:
    ``overall_official``, ``responsible_party`` or ``lead_sponsor``).

    ``name`` is the string as given ("Randall J Bateman, MD"); ``family``, ``given`` and
    ``initials`` are parsed from it (degrees dropped). ``family`` is None when the string
    names no person ("Medical Director", "Call 1-877-CTLILLY ...").
    """

    name: str
    role: str | None = None
    affiliation: str | None = None
    family: str | None = None
    given: str | None = None
    initials: str | None = None
    source: str = "overall_official"

    @property
    def is_person(self) -> bool:
        return self.family is not None


@dataclass(frozen=True, slots=True)
class TrialReference:
    """A publication the record cites; ``pmid`` is None for citations without one."""

    pmid: str | None
    kind: str | None = None
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class Trial:
    """A ClinicalTrials.gov study record (``nct_id`` upper case, ``NCT`` + 8 digits)."""

    nct_id: str
    title: str
    official_title: str | None = None
    acronym: str | None = None
    brief_summary: str | None = None
    status: str | None = None
    phases: tuple[str, ...] = ()
    study_type: str | None = None
    start_date: str | None = None
    completion_date: str | None = None
    conditions: tuple[Condition, ...] = ()
    condition_mesh: tuple[TrialMeshTerm, ...] = ()
    keywords: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    lead_sponsor: Sponsor | None = None
    collaborators: tuple[Sponsor, ...] = ()
    officials: tuple[Official, ...] = ()
    references: tuple[TrialReference, ...] = ()

    @property
    def pmids(self) -> tuple[str, ...]:
        """The PMIDs of the references, each once, in record order."""
        return tuple(dict.fromkeys(r.pmid for r in self.references if r.pmid))


@dataclass(frozen=True, slots=True)
class TrialOrgs:
    """The organisations a trial's names resolved to: the lead sponsor (None for an individual
    or a redacted sponsor), each collaborator (aligned with ``Trial.collaborators``, None where
    a name resolved to nothing) and each official's affiliations (aligned with
    ``Trial.officials``)."""

    sponsor: OrgRef | None = None
    collaborators: tuple[OrgRef | None, ...] = ()
    officials: tuple[tuple[OrgRef, ...], ...] = ()
