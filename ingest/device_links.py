"""Join device interventions of trials to FDA devices whose name and applicant match.

ClinicalTrials.gov names a device intervention ("Active NeuroStar® TMS") but gives no
submission number. A trial's device is taken to be an FDA device when both hold:

- **name**: the distinctive words of one name (brand words, without "system", "active",
  "sham" and the like) are contained in the other's, at least half of the shorter set,
  sharing at least one word of four or more letters;
- **applicant**: the device's applicant is the trial's lead sponsor or a collaborator:
  the same organisation node, or the same company name once legal suffixes are dropped
  (or, a little less sure, a near-identical one).

A name alone never links: "Genius" (a Lutronic laser) is not Hologic's "Genius Digital
Diagnostics System". Each link carries a confidence and its evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from graph.model_devices import DeviceMatch
from graph.queries import load_query
from graph.store import Store

__all__ = ["match_devices", "name_words", "company_key"]

#: Words that describe any device or trial arm, not a particular product.
GENERIC_WORDS = frozenset("""
a an and the of for with in on to by or at from as via use using based new
system systems device devices therapy treatment treatments kit unit set model version
active sham placebo control controls standard usual care arm group open label
digital software algorithm tm r
""".split())

#: Legal and filler words dropped from company names before comparing them.
COMPANY_WORDS = frozenset("""
inc incorporated corp corporation co company llc ltd limited plc gmbh ag sa sas spa bv nv
the holdings group
""".split())

#: Confidence of each kind of applicant agreement.
APPLICANT_CONFIDENCE = {"same-organisation": 1.0, "same-name": 0.95, "similar-name": 0.85}

#: Smallest share of the shorter name's distinctive words found in the other name.
MIN_NAME_OVERLAP = 0.5

#: Smallest rapidfuzz ratio for two company names to count as the same company.
MIN_COMPANY_RATIO = 92


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.findall(r"[a-z0-9]+", plain)


def name_words(name: str) -> frozenset[str]:
    """The distinctive words of a device or intervention name."""
    return frozenset(w for w in _words(name) if w not in GENERIC_WORDS)


def company_key(name: str) -> str:
    """A company name without case, punctuation and legal suffixes ("NEURONETICS, INC." -> "neuronetics")."""
    return " ".join(w for w in _words(name) if w not in COMPANY_WORDS)


def _name_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    shared = a & b
    if not shared or not any(len(w) >= 4 and not w.isdigit() for w in shared):
        return 0.0
    return len(shared) / min(len(a), len(b))


def _applicant_agreement(device_orgs: dict[str, set[str]], trial_orgs: dict[str, set[str]]) -> str | None:
    """How the device's applicant agrees with the trial's organisations, if it does."""
    if device_orgs.keys() & trial_orgs.keys():
        return "same-organisation"
    device_keys = {company_key(n) for names in device_orgs.values() for n in names} - {""}
    trial_keys = {company_key(n) for names in trial_orgs.values() for n in names} - {""}
    if device_keys & trial_keys:
        return "same-name"
    if any(fuzz.ratio(d, t) >= MIN_COMPANY_RATIO for d in device_keys for t in trial_keys):
        return "similar-name"
    return None


class _Side:
    """Names and organisations of each node of one side (interventions or devices)."""

    def __init__(self, rows: Iterable[dict[str, str]], node: str) -> None:
        self.names: dict[str, set[frozenset[str]]] = defaultdict(set)
        self.orgs: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in rows:
            words = name_words(row["name"])
            if words:
                self.names[row[node]].add(words)
            org_names = self.orgs[row[node]][row["org"]]
            if row.get("orgName"):
                org_names.add(row["orgName"])


def match_devices(store: Store) -> list[DeviceMatch]:
    """Every (trial intervention, FDA device) pair whose name and applicant match."""
    interventions = _Side(store.select(load_query("device_match_interventions")), "intervention")
    devices = _Side(store.select(load_query("device_match_devices")), "device")
    by_word: dict[str, set[str]] = defaultdict(set)
    for device, names in devices.names.items():
        for words in names:
            for word in words:
                by_word[word].add(device)
    matches = []
    for intervention, names in sorted(interventions.names.items()):
        candidates = {d for words in names for w in words for d in by_word.get(w, ())}
        for device in sorted(candidates):
            overlap = max(_name_overlap(a, b) for a in names for b in devices.names[device])
            if overlap < MIN_NAME_OVERLAP:
                continue
            agreement = _applicant_agreement(devices.orgs[device], interventions.orgs[intervention])
            if agreement is None:
                continue
            confidence = min(0.5 + 0.5 * overlap, APPLICANT_CONFIDENCE[agreement])
            matches.append(DeviceMatch(intervention, device, round(confidence, 2),
                                       (f"name-overlap:{overlap:.2f}", f"applicant:{agreement}")))
    return matches
