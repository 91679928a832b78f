"""Affiliation strings to departments and institutions, on real strings from PubMed."""

from __future__ import annotations

import pytest

from graph.store import Store
from graph.uris import Minter
from ingest.affiliations import AffiliationResolver, OrgIndex, RorName, kind_from_name, split_affiliation
from ingest.kinds import CONVERTERS, load_org_index
from ingest.pipeline import ingest_files
from tests.support import shared_or_skip

ORG = "http://127.0.0.1:8000/id/org/"


@pytest.fixture(scope="module")
def resolver() -> AffiliationResolver:
    """A resolver over the real ROR records behind the Alzforum affiliations."""
    files = [shared_or_skip("ror", name) for name in (
        "ror_v2_alzforum_institutions.json", "ror_v2_alzforum_institutions_v1.json",
        "ror_v2_healthcare_subset.json")]
    store = Store.open()
    ingest_files(store, CONVERTERS["ror"](store), files)
    return AffiliationResolver(store.minter, load_org_index(store))


def resolve(resolver: AffiliationResolver, text: str) -> list[tuple[str, str, str]]:
    return [(r.kind, r.label, r.iri.removeprefix(ORG)) for r in resolver.resolve([text])]


@pytest.mark.parametrize("text,expected", [
    ("Department of Neurology, Massachusetts General Hospital, Boston, MA 02114, USA.",
     [("department", "Department of Neurology", "ror-002pd6e78/neurology"),
      ("hospital", "Massachusetts General Hospital", "ror-002pd6e78")]),
    ("Department of Neurology, University of California, San Francisco, CA, USA",
     [("department", "Department of Neurology", "ror-043mz5j54/neurology"),
      ("university", "University of California, San Francisco", "ror-043mz5j54")]),
    # an institute named first is a unit of the university named after it
    ("Institute of Neuroscience and Physiology, Department of Neurochemistry and Psychiatry, "
     "The Sahlgrenska Academy at University of Gothenburg, Mölndal, Sweden. niklas.mattsson@neuro.gu.se",
     [("department", "Department of Neurochemistry and Psychiatry",
       "ror-01tm6cn81/neurochemistry-and-psychiatry"),
      ("university", "University of Gothenburg", "ror-01tm6cn81")]),
    # withdrawn ROR record: its successor stands in
    ("Harvard Medical School and Beth Israel Deaconess Medical Center, Boston, MA",
     [("university", "Harvard University", "ror-03vek6s52")]),
    ("Massachusetts General Hospital/Harvard Medical School, Boston, MA",
     [("hospital", "Massachusetts General Hospital", "ror-002pd6e78")]),
    ("Boston University School of Public Health, Boston, MA",
     [("university", "Boston University", "ror-05qwgg493")]),
    ("University of Pittsburgh School of Medicine (S.B.B., R.A.S.), Pittsburgh, PA",
     [("university", "University of Pittsburgh", "ror-01an3r305")]),
])
def test_real_affiliations_resolve_to_ror(resolver: AffiliationResolver, text: str, expected) -> None:
    assert resolve(resolver, text) == expected


@pytest.mark.parametrize("text,wrong", [
    ("Department of Psychiatry, Washington University, St. Louis, MO, USA.", "University of Washington"),
    ("Department of Neuroscience, University of Torino, Torino, Italy.", "University of Toronto"),
    ("Department of Psychiatry, Brown University School of Medicine, Providence, RI, USA.", "Boston University"),
    ("Department of Neurology, University Medical Center Groningen, Groningen, The Netherlands",
     "Universitätsmedizin Göttingen"),
    ("Department of Biology, Brigham Young University, Provo, UT, USA", "Université de Toulouse"),
    ("Institute for Ageing and Health, Newcastle University, Newcastle upon Tyne, UK",
     "University of Newcastle Australia"),
])
def test_near_names_and_other_countries_do_not_match(resolver: AffiliationResolver, text: str, wrong: str) -> None:
    labels = [label for _, label, _ in resolve(resolver, text)]
    assert labels and wrong not in labels
    assert all(not iri.startswith("ror-") for _, _, iri in resolve(resolver, text))


def test_matches_record_method_and_confidence(resolver: AffiliationResolver) -> None:
    resolver.resolve(["Department of Neurology, Boston University School of Medicine, Boston, MA"])
    match = resolver.matches["Boston University"]
    assert (match.method, match.org_iri) == ("exact", ORG + "ror-05qwgg493")
    assert 0 < match.confidence <= 1


def test_fuzzy_match_needs_distinctive_words_to_agree() -> None:
    index = OrgIndex.build([
        RorName("o:1", "Karolinska Institutet", False, "university", "SE"),
        RorName("o:2", "Boston University", False, "university", "US"),
    ])
    assert index.fuzzy("Karolinska Institute")[:3] == ("o:1", "university", "fuzzy")
    assert index.fuzzy("Brown University") is None


def test_ambiguous_names_and_short_acronyms_match_nothing() -> None:
    index = OrgIndex.build([
        RorName("o:1", "Saint Mary Hospital", False, "hospital"),
        RorName("o:2", "St Mary", True, "hospital"),
        RorName("o:3", "St Mary", True, "hospital"),
        RorName("o:4", "UT", True, "university"),
    ])
    assert index.exact("Saint Mary Hospital")[0] == "o:1"
    assert index.exact("St Mary") is None and index.exact("UT") is None


def test_without_ror_institutions_are_minted_from_their_names() -> None:
    resolver = AffiliationResolver(Minter(), OrgIndex())
    refs = resolver.resolve(["Department of Chemistry, Case Western Reserve University, Cleveland, Ohio 44106, USA."])
    assert [(r.kind, r.iri.removeprefix(ORG)) for r in refs] == [
        ("department", "case-western-reserve-university/chemistry"),
        ("university", "case-western-reserve-university"),
    ]
    assert resolver.resolve(["School of Medicine, Boston, MA"]) == ()


def test_split_affiliation_drops_emails_initials_and_from_the() -> None:
    assert split_affiliation("From the Dept of X (A.B., C.D.), Y University, Z. a@b.org; Q Hospital") == [
        ["Dept of X", "Y University", "Z"], ["Q Hospital"]]


def test_kind_from_name() -> None:
    assert kind_from_name("Brigham and Women's Hospital") == "hospital"
    assert kind_from_name("Utah State University") == "university"
    assert kind_from_name("Allen Institute for Brain Science") == "institution"
