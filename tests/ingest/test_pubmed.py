"""PubMed XML and MEDLINE text parsing, on real PubMed records."""

from __future__ import annotations

import gzip
import io
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from graph.errors import IngestError
from graph.model import Article, AuthorMention, GrantRef, MeshHeading, MeshQualifier, SkippedRecord
from ingest.pubmed import normalize_doi, normalize_orcid, parse_medline_text, parse_pubmed_xml, read_pubmed

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
ALZFORUM = DATA / "pubmed_0_to_99.xml.gz"
MEDLINE16 = DATA / "medline16n0902_first40.xml.gz"
MEDLINE_TXT = DATA / "biopython_pubmed_result2.medline.txt"
CURRENT = DATA / "test_current_medline.xml.gz"


def _articles(records: list[Article | SkippedRecord]) -> dict[str, Article]:
    assert all(isinstance(r, Article) for r in records), [r for r in records if not isinstance(r, Article)]
    return {r.pmid: r for r in records if isinstance(r, Article)}


@pytest.fixture(scope="module")
def alzforum() -> dict[str, Article]:
    return _articles(list(read_pubmed(ALZFORUM)))


@pytest.fixture(scope="module")
def medline16() -> list[Article | SkippedRecord]:
    return list(read_pubmed(MEDLINE16))


@pytest.fixture(scope="module")
def medline_txt() -> dict[str, Article]:
    return _articles(list(read_pubmed(MEDLINE_TXT)))


def _citation(
    pmid: str | None = "1",
    title: str = "A title.",
    article: str = "",
    citation: str = "",
    pubmed_data: str = "",
    authors: str = "",
    pub_date: str = "<Year>2001</Year>",
) -> str:
    """One PubmedArticle, with only the parts a test needs."""
    pmid_xml = f'<PMID Version="1">{pmid}</PMID>' if pmid is not None else ""
    author_xml = f'<AuthorList CompleteYN="Y">{authors}</AuthorList>' if authors else ""
    return (
        f"<PubmedArticle><MedlineCitation>{pmid_xml}"
        f"<Article><Journal><JournalIssue><PubDate>{pub_date}</PubDate></JournalIssue>"
        f"<Title>Journal</Title></Journal><ArticleTitle>{title}</ArticleTitle>{author_xml}{article}</Article>"
        f"{citation}</MedlineCitation><PubmedData>{pubmed_data}</PubmedData></PubmedArticle>"
    )


def _parse(*articles: str) -> list[Article | SkippedRecord]:
    doc = "<?xml version='1.0' encoding='UTF-8'?>\n<PubmedArticleSet>" + "".join(articles) + "</PubmedArticleSet>"
    return list(parse_pubmed_xml(io.BytesIO(doc.encode("utf-8")), "inline.xml"))


def _one(*parts: str, **kwargs: str) -> Article:
    (record,) = _parse(_citation(*parts, **kwargs))
    assert isinstance(record, Article), record
    return record


# --- PubMed efetch XML (real Alzforum file) ------------------------------------------


def test_alzforum_file_reads_every_record(alzforum: dict[str, Article]) -> None:
    assert len(alzforum) == 91
    assert all(pmid.isdigit() for pmid in alzforum)
    assert all(a.title and a.year for a in alzforum.values())


def test_jama_csf_biomarkers_paper(alzforum: dict[str, Article]) -> None:
    art = alzforum["19622817"]
    assert art.title == "CSF biomarkers and incipient Alzheimer disease in patients with mild cognitive impairment."
    assert art.doi == "10.1001/jama.2009.1064"
    assert art.date == "2009-07-22"
    assert art.year == 2009
    assert (art.journal_title, art.journal_abbrev, art.issn) == ("JAMA", "JAMA", "1538-3598")
    assert (art.volume, art.issue, art.pages, art.language) == ("302", "4", "385-93", "eng")
    assert art.nlm_journal_id == "7501160"
    assert [pt.label for pt in art.publication_types] == [
        "Journal Article",
        "Multicenter Study",
        "Research Support, Non-U.S. Gov't",
    ]
    assert art.publication_types[0].ui == "D016428"


def test_jama_authors(alzforum: dict[str, Article]) -> None:
    authors = alzforum["19622817"].authors
    assert len(authors) == 29
    assert [a.rank for a in authors] == list(range(1, 30))
    first = authors[0]
    assert (first.family_name, first.given_name, first.initials) == ("Mattsson", "Niklas", "N")
    assert first.affiliations == (
        "Institute of Neuroscience and Physiology, Department of Neurochemistry and Psychiatry, "
        "The Sahlgrenska Academy at University of Gothenburg, Mölndal, Sweden. niklas.mattsson@neuro.gu.se",
    )
    assert (authors[-1].family_name, authors[-1].given_name) == ("Blennow", "Kaj")


def test_jama_mesh_and_structured_abstract(alzforum: dict[str, Article]) -> None:
    art = alzforum["19622817"]
    (ad,) = [m for m in art.mesh_headings if m.label == "Alzheimer Disease"]
    assert ad == MeshHeading(
        "Alzheimer Disease",
        "D000544",
        False,
        (MeshQualifier("cerebrospinal fluid", "Q000134", True), MeshQualifier("diagnosis", "Q000175", True)),
    )
    assert art.abstract is not None
    lines = art.abstract.split("\n")
    assert lines[0].startswith("CONTEXT: Small single-center studies have shown")
    assert lines[1].startswith("OBJECTIVE: To determine the diagnostic a")


def test_medline_date_with_day_range(alzforum: dict[str, Article]) -> None:
    # <PubDate><MedlineDate>2003 Apr 23-30</MedlineDate></PubDate>
    assert alzforum["12709467"].date == "2003-04"
    assert alzforum["12709467"].year == 2003


def test_collective_names_keep_their_rank(alzforum: dict[str, Article]) -> None:
    authors = alzforum["23477989"].authors
    assert len(authors) == 14
    group = authors[13]
    assert group.rank == 14
    assert group.collective_name == "Australian Imaging Biomarkers and Lifestyle (AIBL) Research Group"
    assert group.family_name is None and group.is_collective
    assert not any(a.is_collective for a in authors[:13])
    (only,) = alzforum["7550356"].authors
    assert (only.rank, only.collective_name) == (1, "Alzheimer's Disease Collaborative Group")


def test_each_pubmed_article_is_read_once() -> None:
    with gzip.open(ALZFORUM) as fh:
        records = list(parse_pubmed_xml(fh))
    assert len(records) == 91
    assert len({r.pmid for r in records if isinstance(r, Article)}) == 91


def test_current_format_orcid() -> None:
    arts = _articles(list(read_pubmed(CURRENT)))
    assert set(arts) == {"36400559", "2930949", "11446611", "28786991"}
    first = arts["28786991"].authors[0]
    assert (first.family_name, first.given_name, first.orcid) == ("Malekinejad", "Mohsen", "0000-0002-5721-6764")
    assert arts["36400559"].keywords == ("Back pain", "Diagnosis", "Management", "Outpatient")
    assert arts["2930949"].doi is None


@pytest.mark.parametrize(
    "name",
    ["pubmed-29768149.xml", "reciter_wex2004.xml", "biopython_entrez_pubmed4.xml", "test_current_medline.xml.gz"],
)
def test_other_fixtures_parse(name: str) -> None:
    records = list(read_pubmed(DATA / name))
    assert records and all(isinstance(r, Article) for r in records)


def test_nejm_record() -> None:
    (art,) = read_pubmed(DATA / "pubmed-29768149.xml")
    assert isinstance(art, Article)
    assert art.pmid == "29768149"
    assert art.doi == "10.1056/nejmoa1715274"  # NEJMoa1715274 in the file: lower-cased
    assert art.date == "2018-05-17"
    assert len(art.authors) == 10
    assert (art.authors[0].family_name, art.authors[0].initials) == ("O'Byrne", "PM")


# --- 2016 MedlineCitationSet format --------------------------------------------------


def test_medline_citation_set(medline16: list[Article | SkippedRecord]) -> None:
    arts = _articles(medline16)
    assert len(arts) == 40
    first = medline16[0]
    assert isinstance(first, Article)
    assert first.pmid == "17942999"
    assert first.title.startswith("Neuroplasticity in the processing of pitch dimensions")
    assert (first.journal_abbrev, first.issn) == ("Restor. Neurol. Neurosci.", "0922-6028")
    assert first.nlm_journal_id == "9005499"
    assert (first.volume, first.issue, first.pages, first.date, first.year) == ("25", "3-4", "195-210", "2007", 2007)
    assert first.doi is None
    assert first.abstract is not None and first.abstract.startswith("PURPOSE: An auditory electrophysiological study")
    assert [a.family_name for a in first.authors] == ["Chandrasekaran", "Gandour", "Krishnan"]
    assert first.authors[0].affiliations[0].startswith("Department of Speech Language & Hearing Sciences, Purdue")
    assert first.grants[0] == GrantRef("R01 DC008549", "NIDCD NIH HHS", "DC", "United States")
    assert MeshHeading("Neuronal Plasticity", "D009473", False, (MeshQualifier("physiology", "Q000502", True),)) in (
        first.mesh_headings
    )


def test_medline_citation_set_collective_and_suffix(medline16: list[Article | SkippedRecord]) -> None:
    arts = _articles(medline16)
    authors = arts["25345997"].authors
    assert len(authors) == 15
    assert (authors[0].rank, authors[0].collective_name) == (1, "Movement Disorder Group")
    assert authors[1].rank == 2 and authors[1].family_name is not None
    (bunn,) = [a for a in arts["22508830"].authors if a.family_name == "Bunn"]
    assert bunn.suffix == "Jr"


def test_medline_citation_set_article_affiliation_and_orcid() -> None:
    # The 2016 DTD allowed one Affiliation per Article; the ORCID URL form is the one
    # medline16n0902 uses (PMID 26411977).
    doc = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE MedlineCitationSet PUBLIC "-//NLM//DTD Medline Citation, 1st January, 2016//EN"
  "https://www.nlm.nih.gov/databases/dtd/nlmmedlinecitationset_160101.dtd">
<MedlineCitationSet>
<MedlineCitation Owner="NLM" Status="MEDLINE">
<PMID Version="1">26411977</PMID>
<DateCreated><Year>2015</Year><Month>09</Month><Day>28</Day></DateCreated>
<Article PubModel="Print">
<Journal><JournalIssue><PubDate><MedlineDate>2015 Oct-Dec</MedlineDate></PubDate></JournalIssue></Journal>
<ArticleTitle>A title.</ArticleTitle>
<Affiliation>Dept of Something, Somewhere.</Affiliation>
<AuthorList CompleteYN="Y">
<Author ValidYN="Y"><LastName>Sugrue</LastName><ForeName>Ann</ForeName><Initials>A</Initials>
<Identifier Source="ORCID">http://orcid.org/0000-0001-9921-6968</Identifier></Author>
<Author ValidYN="Y"><LastName>Other</LastName><Initials>B</Initials></Author>
</AuthorList>
</Article>
</MedlineCitation>
</MedlineCitationSet>
"""
    (art,) = parse_pubmed_xml(io.BytesIO(doc))
    assert isinstance(art, Article)
    assert art.authors[0].affiliations == ("Dept of Something, Somewhere.",)
    assert art.authors[1].affiliations == ()
    assert art.authors[0].orcid == "0000-0001-9921-6968"
    assert art.date == "2015"  # a month range keeps the year only


# --- MEDLINE text -------------------------------------------------------------------


def test_medline_text_records(medline_txt: dict[str, Article]) -> None:
    assert list(medline_txt) == ["16403221", "16377612", "14871861", "14630660"]
    art = medline_txt["16403221"]
    assert art.title == "A high level interface to SCOP and ASTRAL implemented in python."
    assert (art.journal_title, art.journal_abbrev) == ("BMC bioinformatics", "BMC Bioinformatics")
    assert art.issn == "1471-2105"
    assert (art.volume, art.pages, art.date, art.year, art.language) == ("7", "10", "2006", 2006, "eng")
    assert art.doi == "10.1186/1471-2105-7-10"
    assert art.nlm_journal_id == "100965194"
    assert art.abstract is not None
    assert art.abstract.startswith("BACKGROUND: Benchmarking algorithms in structural bioinformatics often")
    assert art.abstract.endswith("use in structural genomics easier and more principled.")
    assert [p.label for p in art.publication_types] == ["Evaluation Studies", "Journal Article"]


def test_medline_text_authors_and_affiliations(medline_txt: dict[str, Article]) -> None:
    authors = medline_txt["16403221"].authors
    assert authors == (
        AuthorMention(
            1,
            "Casbon",
            "James A",
            "JA",
            affiliations=(
                "Bioinformatics, Institute of Cell and Molecular Science, School of Medicine and "
                "Dentistry, Queen Mary, University of London, London EC1 6BQ, UK. j.a.casbon@qmul.ac.uk",
            ),
        ),
        AuthorMention(2, "Crooks", "Gavin E", "GE"),
        AuthorMention(3, "Saqi", "Mansoor A S", "MA"),
    )
    de_hoon = medline_txt["14871861"].authors[0]
    assert (de_hoon.family_name, de_hoon.given_name, de_hoon.initials) == ("de Hoon", "M J L", "MJ")


def test_medline_text_mesh_major_flags(medline_txt: dict[str, Article]) -> None:
    mesh = {m.label: m for m in medline_txt["14630660"].mesh_headings}
    assert mesh["Software"] == MeshHeading("Software", None, True)
    assert mesh["Computer Simulation"] == MeshHeading("Computer Simulation", None, False)
    assert mesh["Information Storage and Retrieval"] == MeshHeading(
        "Information Storage and Retrieval",
        None,
        False,
        (MeshQualifier("methods", None, True), MeshQualifier("standards", None, True)),
    )
    assert all(m.ui is None for m in mesh.values())
    assert medline_txt["16377612"].date == "2006-03-01"
    assert medline_txt["16377612"].mesh_headings[0] == MeshHeading(
        "Chromosome Mapping", None, False, (MeshQualifier("methods", None, True),)
    )


MEDLINE_SAMPLE = """\
PMID- 12345678
OWN - NLM
IS  - 1552-5279 (Electronic)
IS  - 1552-5260 (Linking)
VI  - 19
IP  - 4
DP  - 2003 Apr 23-30
TI  - A long title that
      continues here.
PG  - 100-10
LID - 10.1002/ALZ.12345 [doi]
LID - S1552-5260(23)00001-1 [pii]
AB  - Abstract text.
FAU - Smith, John A, Jr
AU  - Smith JA Jr
AUID- ORCID: https://orcid.org/0000-0002-1694-233X
AD  - Dept A, Univ X.
AD  - Dept B, Hospital Y.
CN  - Alzheimer's Disease Neuroimaging Initiative
FAU - Doe, Jane
AU  - Doe J
AUID- ORCID: 0000-0002-1694-2331
LA  - eng
GR  - AG09287/AG/NIA NIH HHS/United States
GR  - MC_U123/MRC_/Medical Research Council/United Kingdom
PT  - Journal Article
TA  - Alzheimers Dement
JT  - Alzheimer's & dementia : the journal of the Alzheimer's Association
JID - 101231978
MH  - *Alzheimer Disease/*genetics/metabolism
OT  - amyloid
OT  - *tau
OT  - amyloid

PMID- 87654321
TI  - Second record.
DP  - 1998 Winter
"""


def test_medline_text_inline_fields() -> None:
    first, second = parse_medline_text(io.StringIO(MEDLINE_SAMPLE))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "A long title that continues here."
    assert (first.date, first.year) == ("2003-04", 2003)
    assert (first.issn, first.volume, first.issue, first.pages) == ("1552-5279", "19", "4", "100-10")
    assert first.doi == "10.1002/alz.12345"
    assert first.authors == (
        AuthorMention(1, "Smith", "John A", "JA", "Jr", orcid="0000-0002-1694-233X",
                      affiliations=("Dept A, Univ X.", "Dept B, Hospital Y.")),
        AuthorMention(2, collective_name="Alzheimer's Disease Neuroimaging Initiative"),
        AuthorMention(3, "Doe", "Jane", "J"),  # ORCID with a bad check digit is dropped
    )  # fmt: skip
    assert first.grants == (
        GrantRef("AG09287", "NIA NIH HHS", "AG", "United States"),
        GrantRef("MC_U123", "Medical Research Council", "MRC_", "United Kingdom"),
    )
    assert first.mesh_headings == (
        MeshHeading(
            "Alzheimer Disease", None, True, (MeshQualifier("genetics", None, True), MeshQualifier("metabolism"))
        ),
    )
    assert first.keywords == ("amyloid", "tau")
    assert (first.journal_abbrev, first.nlm_journal_id) == ("Alzheimers Dement", "101231978")
    assert (second.pmid, second.title, second.date, second.authors) == ("87654321", "Second record.", "1998", ())


def test_medline_text_without_pmid_is_skipped() -> None:
    text = "PMID- 1\nTI  - One.\n\nTI  - No PMID here.\n\nPMID- x12\nTI  - Bad PMID.\n\nPMID- 3\nTI  - Three.\n"
    records = list(parse_medline_text(text.splitlines(keepends=True), "sample.nbib"))
    assert [type(r) for r in records] == [Article, SkippedRecord, SkippedRecord, Article]
    assert records[1] == SkippedRecord(2, None, "PMID", "missing PMID")
    assert isinstance(records[2], SkippedRecord) and records[2].record_id == "x12"
    assert records[2].index == 3 and records[2].field == "PMID"


def test_medline_text_is_detected_by_content(tmp_path: Path) -> None:
    plain = tmp_path / "export.nbib"
    plain.write_bytes(MEDLINE_SAMPLE.encode("utf-8"))
    zipped = tmp_path / "export.dat"  # gzip found by its magic bytes, not the name
    zipped.write_bytes(gzip.compress(b"\xef\xbb\xbf\n\n" + MEDLINE_SAMPLE.encode("utf-8")))
    for path in (plain, zipped):
        assert [r.pmid for r in read_pubmed(path) if isinstance(r, Article)] == ["12345678", "87654321"]


def test_gzipped_xml_without_gz_name(tmp_path: Path) -> None:
    path = tmp_path / "pubmed.xml"
    path.write_bytes(ALZFORUM.read_bytes())
    assert sum(1 for _ in read_pubmed(path)) == 91


# --- field rules on small inline records ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-0002-1694-233X", "0000-0002-1694-233X"),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
        ("https://orcid.org/0000-0002-1694-233X", "0000-0002-1694-233X"),
        ("http://orcid.org/0000-0001-9921-6968", "0000-0001-9921-6968"),
        ("orcid.org/0000-0001-9921-6968", "0000-0001-9921-6968"),
        (" 0000000283761934 ", "0000-0002-8376-1934"),  # the bare form the Alzforum files use
        ("0000-0002-5721-6764", "0000-0002-5721-6764"),
        ("0000-0002-1694-2331", None),  # wrong check digit
        ("0000-0001-9921-6969", None),
        ("0000-0002-5989-", None),  # truncated, as in one Alzforum record
        ("000-00021-694-233X", None),
        ("0000-0002-1694-233Y", None),
        ("", None),
        ("not an orcid", None),
    ],
)
def test_normalize_orcid(value: str, expected: str | None) -> None:
    assert normalize_orcid(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1001/jama.2009.1064", "10.1001/jama.2009.1064"),
        ("  10.1056/NEJMoa1715274 ", "10.1056/nejmoa1715274"),
        ("https://doi.org/10.1212/WNL.0b013e318225aaa9", "10.1212/wnl.0b013e318225aaa9"),
        ("http://dx.doi.org/10.1016/S0002-9440(10)64700-1", "10.1016/s0002-9440(10)64700-1"),
        ("doi:10.1093/bioinformatics/btk021", "10.1093/bioinformatics/btk021"),
        ("S1474-4422(13)70044-9", None),
        ("e262", None),
        ("", None),
    ],
)
def test_normalize_doi(value: str, expected: str | None) -> None:
    assert normalize_doi(value) == expected


def test_doi_prefers_article_id_and_ignores_references() -> None:
    reference = (
        "<ReferenceList><Reference><Citation>x</Citation><ArticleIdList>"
        '<ArticleId IdType="doi">10.9999/reference</ArticleId></ArticleIdList></Reference></ReferenceList>'
    )
    eloc = '<ELocationID EIdType="doi" ValidYN="Y">10.1000/FROM-ELOC</ELocationID>'
    ids = '<ArticleIdList><ArticleId IdType="doi">https://doi.org/10.1000/From-Id</ArticleId></ArticleIdList>'
    assert _one(article=eloc, pubmed_data=ids + reference).doi == "10.1000/from-id"
    assert _one(article=eloc, pubmed_data=reference).doi == "10.1000/from-eloc"
    assert _one(pubmed_data=reference).doi is None


@pytest.mark.parametrize(
    ("pub_date", "date"),
    [
        ("<Year>2009</Year><Month>Jul</Month><Day>22</Day>", "2009-07-22"),
        ("<Year>2009</Year><Month>07</Month><Day>2</Day>", "2009-07-02"),
        ("<Year>2009</Year><Month>7</Month>", "2009-07"),
        ("<Year>2009</Year><Season>Winter</Season>", "2009"),
        ("<Year>2009</Year><Month>Feb</Month><Day>30</Day>", "2009-02"),
        ("<MedlineDate>2003 Apr 23-30</MedlineDate>", "2003-04"),
        ("<MedlineDate>2006 Mar 1</MedlineDate>", "2006-03-01"),
        ("<MedlineDate>1998 Winter</MedlineDate>", "1998"),
        ("<MedlineDate>2000-2001</MedlineDate>", "2000"),
        ("<MedlineDate>2008 Jul-Aug</MedlineDate>", "2008"),
        ("<MedlineDate>Spring 1997</MedlineDate>", "1997"),
        ("<MedlineDate>n.d.</MedlineDate>", None),
    ],
)
def test_pub_dates(pub_date: str, date: str | None) -> None:
    art = _one(pub_date=pub_date)
    assert art.date == date
    assert art.year == (int(date[:4]) if date else None)


def test_date_falls_back_to_article_date_then_completed() -> None:
    article_date = '<ArticleDate DateType="Electronic"><Year>2011</Year><Month>07</Month><Day>13</Day></ArticleDate>'
    completed = "<DateCompleted><Year>2012</Year><Month>01</Month><Day>05</Day></DateCompleted>"
    assert _one(pub_date="", article=article_date).date == "2011-07-13"
    (record,) = _parse(_citation(pub_date="<MedlineDate>unknown</MedlineDate>").replace(
        "<MedlineCitation><PMID", f"<MedlineCitation>{completed}<PMID"
    ))  # fmt: skip
    assert isinstance(record, Article) and record.date == "2012-01-05"


def test_title_markup_vernacular_and_whitespace() -> None:
    assert _one(title="<i>APOE4</i>  disrupts\n   lipid <sub>2</sub> homeostasis.").title == (
        "APOE4 disrupts lipid 2 homeostasis."
    )
    vernacular = _one(title="", article="<VernacularTitle>Titre en français.</VernacularTitle>")
    assert vernacular.title == "Titre en français."


def test_authors_fields_invalid_and_first_name() -> None:
    authors = (
        '<Author ValidYN="Y"><LastName> van  der Berg </LastName><ForeName>Anna</ForeName>'
        "<Initials>A</Initials><Suffix>3rd</Suffix>"
        '<Identifier Source="ORCID">0000000218250097</Identifier>'
        "<AffiliationInfo><Affiliation>Dept A.</Affiliation></AffiliationInfo>"
        "<AffiliationInfo><Affiliation>Dept B.</Affiliation></AffiliationInfo></Author>"
        '<Author ValidYN="N"><LastName>Wrong</LastName></Author>'
        '<Author><CollectiveName>The Study Group</CollectiveName></Author>'
        "<Author><LastName>Old</LastName><FirstName>Style</FirstName><Affiliation>Dept C.</Affiliation>"
        '<Identifier Source="ORCID">0000-0002-1825-0098</Identifier></Author>'
        "<Author><LastName>Blank</LastName><ForeName>  </ForeName></Author>"
    )
    art = _one(authors=authors)
    assert art.authors == (
        AuthorMention(1, "van der Berg", "Anna", "A", "3rd", orcid="0000-0002-1825-0097",
                      affiliations=("Dept A.", "Dept B.")),
        AuthorMention(2, collective_name="The Study Group"),
        AuthorMention(3, "Old", "Style", affiliations=("Dept C.",)),  # bad ORCID checksum
        AuthorMention(4, "Blank"),
    )  # fmt: skip


def test_keywords_grants_and_mesh() -> None:
    citation = (
        '<MeshHeadingList><MeshHeading><DescriptorName UI="D000544" MajorTopicYN="Y">Alzheimer Disease'
        '</DescriptorName></MeshHeading></MeshHeadingList>'
        '<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">tau</Keyword><Keyword>  <i>APOE</i> </Keyword>'
        "</KeywordList><KeywordList><Keyword>tau</Keyword><Keyword>amyloid</Keyword></KeywordList>"
    )
    grants = (
        "<GrantList><Grant><GrantID>P30 AG010161</GrantID><Acronym>AG</Acronym><Agency>NIA NIH HHS</Agency>"
        "<Country>United States</Country></Grant><Grant><Agency>Wellcome Trust</Agency></Grant></GrantList>"
    )
    art = _one(citation=citation, article=grants)
    assert art.keywords == ("tau", "APOE", "amyloid")
    assert art.grants == (GrantRef("P30 AG010161", "NIA NIH HHS", "AG", "United States"),)
    assert art.mesh_headings == (MeshHeading("Alzheimer Disease", "D000544", True),)
    assert art.abstract is None


# --- malformed input -----------------------------------------------------------------


def test_record_without_pmid_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "some.xml"
    doc = (
        "<PubmedArticleSet>"
        + _citation("111", "One.")
        + _citation(None, "No PMID.")
        + _citation("PMC123", "Bad PMID.")
        + _citation("444", "")
        + _citation("555", "Five.")
        + "</PubmedArticleSet>"
    )
    path.write_text(doc, encoding="utf-8")
    records = list(read_pubmed(path))
    assert [type(r) for r in records] == [Article, SkippedRecord, SkippedRecord, SkippedRecord, Article]
    assert records[1] == SkippedRecord(2, None, "PMID", "missing PMID")
    assert isinstance(records[2], SkippedRecord)
    assert (records[2].index, records[2].record_id, records[2].field) == (3, "PMC123", "PMID")
    assert isinstance(records[3], SkippedRecord)
    assert (records[3].index, records[3].record_id, records[3].field) == (4, "444", "ArticleTitle")
    assert [r.pmid for r in records if isinstance(r, Article)] == ["111", "555"]
    assert "record 2" in records[1].describe(str(path))


def test_truncated_gzip_raises_ingest_error(tmp_path: Path) -> None:
    data = ALZFORUM.read_bytes()
    path = tmp_path / "pubmed_cut.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated gzip") as info:
        list(read_pubmed(path))
    assert "pubmed_cut.xml.gz" in str(info.value)


def test_error_may_come_after_records() -> None:
    doc = b"<PubmedArticleSet>" + _citation("1").encode() + b"<PubmedArticle><MedlineCitation>"
    records = parse_pubmed_xml(io.BytesIO(doc), "cut.xml")
    assert isinstance(next(records), Article)
    with pytest.raises(IngestError, match=r"cut\.xml: XML syntax error at line 1"):
        next(records)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02\xff\xfe garbage \x80\x81", "not UTF-8"),
        (b"Just some notes.\nNothing - here is MEDLINE.\n", "no MEDLINE records"),
        (b"<PubmedArticleSet><PubmedArticle><MedlineCitation></PubmedArticle>", "XML syntax error at line 1"),
        (b"<html><body><p>Error</p></body></html>", "wrong root element <html>"),
        (b'<?xml version="1.0"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n', "no PubmedArticle"),
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x1f\x8b\x08\x00garbage-after-magic", "gzip"),
    ],
)
def test_unreadable_files_raise_ingest_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=re.escape(message)) as info:
        list(read_pubmed(path))
    assert str(info.value).startswith(str(path))


def test_non_utf8_medline_text_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(MEDLINE_SAMPLE.encode("utf-8") + b"\nPMID- 3\nTI  - Caf\xe9.\n")
    bad_line = MEDLINE_SAMPLE.count("\n") + 3
    with pytest.raises(IngestError, match=f"not UTF-8 text at line {bad_line}, byte 10"):
        list(read_pubmed(path))


def test_wrong_root_with_records_is_refused() -> None:
    doc = b"<Other>" + _citation("1").encode() + b"</Other>"
    with pytest.raises(IngestError, match="wrong root element <Other>"):
        list(parse_pubmed_xml(io.BytesIO(doc)))


def test_missing_file_raises_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot open"):
        list(read_pubmed(tmp_path / "missing.xml"))


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
        f'<!ENTITY ext SYSTEM "{secret.as_uri()}">\n<!ENTITY big "BOOM">\n]>\n'
        f"<PubmedArticleSet>{_citation('1', 'Title &ext; &big; end.')}</PubmedArticleSet>"
    )
    (art,) = parse_pubmed_xml(io.BytesIO(doc.encode()))
    assert isinstance(art, Article)
    assert "TOP-SECRET" not in art.title and "BOOM" not in art.title
    assert art.title.startswith("Title") and art.title.endswith("end.")


# --- memory -------------------------------------------------------------------------

_REPEATS = 20_000


def _write_repeated_file(path: Path) -> int:
    """Write a PubmedArticleSet holding one real PubmedArticle many times; return bytes."""
    with gzip.open(ALZFORUM) as fh:
        text = fh.read()
    # PMID 8232972: a small (3 KB) record with authors, affiliation, MeSH and references
    own_pmid = re.compile(rb'<PubmedArticle>\s*<MedlineCitation[^>]*>\s*<PMID Version="1">8232972</PMID>')
    (article,) = [a for a in re.findall(rb"<PubmedArticle>.*?</PubmedArticle>", text, re.S) if own_pmid.match(a)]
    article += b"\n"
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n')
        for _ in range(_REPEATS // 1000):
            out.write(article * 1000)
        out.write(b"</PubmedArticleSet>\n")
    return path.stat().st_size


# The child's own peak (VmHWM, reset at exec); ru_maxrss would include what the forking
# pytest process had grown to, which says nothing about the parser.
_RSS_SCRIPT = """
import resource, sys
from ingest.pubmed import read_pubmed
n = sum(1 for _ in read_pubmed(sys.argv[1]))
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n, peak)
"""


@pytest.mark.slow
def test_memory_stays_flat_on_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "repeated.xml"
    size = _write_repeated_file(path)
    assert size > 50_000_000

    tracemalloc.start()
    try:
        count = 0
        for record in read_pubmed(path):
            assert isinstance(record, Article)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == _REPEATS
    assert peak < 30_000_000, peak

    # tracemalloc does not see libxml2's memory: check the whole process in a child.
    pytest.importorskip("resource")
    done = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(path)], capture_output=True, text=True, check=True, timeout=300
    )
    records, max_rss_kib = map(int, done.stdout.split())
    assert records == _REPEATS
    assert max_rss_kib * 1024 < 150_000_000, max_rss_kib
