"""Tests for bench/synth.py, the synthetic PubMed/ROR generator for scale tests."""

from __future__ import annotations

import collections
import csv
import gzip
import importlib.util
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
SYNTH_PATH = REPO / "bench" / "synth.py"


def _load_synth():
    name = "hubgraph_bench_synth"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SYNTH_PATH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look the module up while the class is built
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()

PAPERS = 300
PEOPLE = 200
SEED = 1
PER_FILE = 100
ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ROR_RE = re.compile(r"^https://ror\.org/(0[0-9a-hjkmnp-tv-z]{6})(\d{2})$")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A small generated set plus the ground truth of who wrote what."""
    out = tmp_path_factory.mktemp("synth")
    truth: dict[int, list[int]] = {}
    summary = synth.generate(out, PAPERS, PEOPLE, seed=SEED, per_file=PER_FILE,
                             on_paper=lambda pmid, team: truth.__setitem__(pmid, team))
    return out, summary, truth


@pytest.fixture(scope="module")
def articles(run):
    out, _, _ = run
    result = []
    for path in sorted(out.glob("pubmed_*.xml")):
        tree = etree.parse(str(path))
        assert tree.getroot().tag == "PubmedArticleSet"
        result.extend(tree.getroot().findall("PubmedArticle"))
    return result


@pytest.fixture(scope="module")
def ror(run):
    out, _, _ = run
    return json.loads((out / "ror.json").read_text(encoding="utf-8"))


def _persons(article):
    return [a for a in article.findall("MedlineCitation/Article/AuthorList/Author")
            if a.find("LastName") is not None]


def _tree_bytes(directory: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(directory.iterdir()):
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        out[p.name.removesuffix(".gz")] = data
    return out


# --------------------------------------------------------------------------- files


def test_summary_and_file_layout(run):
    out, summary, truth = run
    assert summary == synth.SynthSummary(files=3, papers=PAPERS, people=PEOPLE,
                                         authorships=sum(len(t) for t in truth.values()),
                                         institutions=len(json.loads((out / "ror.json").read_text())))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["pubmed_00001.xml", "pubmed_00002.xml", "pubmed_00003.xml", "ror.json"]
    head = (out / "pubmed_00001.xml").read_bytes()[:400].decode("ascii")
    assert head.startswith('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC')
    assert "<PubmedArticleSet>" in head


def test_every_file_parses_and_pmids_unique(run, articles):
    out, _, truth = run
    for path in sorted(out.glob("pubmed_*.xml")):
        root = etree.parse(str(path)).getroot()
        assert len(root.findall("PubmedArticle")) == PER_FILE
    pmids = [a.findtext("MedlineCitation/PMID") for a in articles]
    assert len(pmids) == PAPERS
    assert len(set(pmids)) == PAPERS
    assert all(p.isdigit() for p in pmids)
    assert [int(p) for p in pmids] == sorted(truth)
    for a in articles:
        pmid = a.findtext("MedlineCitation/PMID")
        ids = {i.get("IdType"): i.text for i in a.findall("PubmedData/ArticleIdList/ArticleId")}
        assert ids == {"pubmed": pmid, "doi": f"10.5555/synth.{pmid}"}
        assert a.findtext("MedlineCitation/Article/ELocationID[@EIdType='doi']") == ids["doi"]


def test_article_fields_look_like_efetch(articles):
    months = set(synth.MONTHS)
    for a in articles:
        art = a.find("MedlineCitation/Article")
        title = art.findtext("ArticleTitle")
        assert title and title.endswith(".")
        abstract = " ".join("".join(t.itertext()) for t in art.findall("Abstract/AbstractText"))
        assert 500 <= len(abstract) <= 2500
        j = art.find("Journal")
        assert j.findtext("Title") and j.findtext("ISOAbbreviation")
        assert re.fullmatch(r"\d{4}-\d{3}[\dX]", j.findtext("ISSN"))
        date = j.find("JournalIssue/PubDate")
        assert 2000 <= int(date.findtext("Year")) <= 2024
        assert date.findtext("Month") in months
        assert 1 <= int(date.findtext("Day")) <= 31
        assert art.findtext("Language") == "eng"
        ptypes = [p.text for p in art.findall("PublicationTypeList/PublicationType")]
        assert ptypes[0] == "Journal Article"
        for author in _persons(a):
            assert author.findtext("ForeName")
            assert author.findtext("Initials")
            assert author.findtext("Initials")[0] == author.findtext("ForeName")[0].upper() or \
                not author.findtext("ForeName")[0].isascii()
    assert any(a.find(".//GrantList/Grant/GrantID") is not None for a in articles)
    assert any(a.find("MedlineCitation/KeywordList/Keyword") is not None for a in articles)
    assert any(a.find(".//AbstractText[@Label]") is not None for a in articles)
    assert any(a.find(".//AbstractText[@Label]") is None for a in articles)


def test_years_grow_over_time(articles):
    years = [int(a.findtext("MedlineCitation/Article/Journal/JournalIssue/PubDate/Year")) for a in articles]
    early = sum(2000 <= y <= 2007 for y in years)
    late = sum(2017 <= y <= 2024 for y in years)
    assert late > 2 * early > 0


def test_mesh_headings(articles):
    descriptors = dict(synth.load_mesh_descriptors())
    qualifiers = {ui for ui, _, _ in synth._QUALIFIERS}
    popularity = collections.Counter()
    for a in articles:
        headings = a.findall("MedlineCitation/MeshHeadingList/MeshHeading")
        assert 5 <= len(headings) <= 15
        labels = [h.findtext("DescriptorName").lower() for h in headings]
        assert labels == sorted(labels)
        majors = 0
        for h in headings:
            d = h.find("DescriptorName")
            assert re.fullmatch(r"D\d{6,9}", d.get("UI"))
            assert d.get("MajorTopicYN") in ("Y", "N")
            majors += d.get("MajorTopicYN") == "Y"
            for q in h.findall("QualifierName"):
                assert q.get("UI") in qualifiers
                majors += q.get("MajorTopicYN") == "Y"
            if d.get("UI") in descriptors:
                assert descriptors[d.get("UI")] == d.text
            popularity[d.get("UI")] += 1
        assert majors >= 1
    assert any(a.find(".//MeshHeading/QualifierName") is not None for a in articles)
    # Zipf-like: the popular descriptors recur across many papers
    counts = sorted(popularity.values(), reverse=True)
    assert counts[0] >= 0.3 * len(articles)
    if len(descriptors) >= 1000:  # the real list, not the small built-in fallback
        assert sum(c == 1 for c in counts) > len(counts) / 3


# --------------------------------------------------------------------------- people


def test_team_sizes_have_a_long_tail(articles):
    sizes = sorted(len(_persons(a)) for a in articles)
    assert 3 <= statistics.median(sizes) <= 10
    assert sizes[-1] >= 20
    assert sum(2 <= s <= 10 for s in sizes) / len(sizes) > 0.6
    assert sizes[0] >= 1


def test_productivity_is_skewed(run):
    _, _, truth = run
    counts = collections.Counter(p for team in truth.values() for p in team)
    values = sorted(counts.values(), reverse=True)
    top = max(1, PEOPLE // 20)
    share = sum(values[:top]) / sum(values)
    assert share > 0.15  # top 5% of people hold three times their share or more
    assert values[0] >= 5 * statistics.median(values)
    assert len(counts) >= 0.9 * PEOPLE  # nearly everybody appears


def test_productivity_is_skewed_in_the_xml(articles):
    # without the ground truth: homonyms merge, the skew is still plain
    counts = collections.Counter((a.findtext("LastName"), a.findtext("ForeName"))
                                 for art in articles for a in _persons(art))
    values = sorted(counts.values(), reverse=True)
    top = max(1, len(values) // 20)
    assert sum(values[:top]) / sum(values) > 0.15


def test_truth_matches_author_names(run, articles):
    _, _, truth = run
    world = synth.build_world(PEOPLE, seed=SEED)
    for a in articles[:50]:
        pmid = int(a.findtext("MedlineCitation/PMID"))
        names = [(x.findtext("LastName"), x.findtext("ForeName")) for x in _persons(a)]
        assert names == [(world.people[i].family, world.people[i].given) for i in truth[pmid]]


def test_orcids_valid_unique_and_in_both_forms(run, articles):
    seen: dict[str, set] = collections.defaultdict(set)
    forms = collections.Counter()
    for art in articles:
        for a in _persons(art):
            for ident in a.findall("Identifier[@Source='ORCID']"):
                value = ident.text
                if value.startswith("https://orcid.org/"):
                    forms["url"] += 1
                    value = value.removeprefix("https://orcid.org/")
                else:
                    forms["bare"] += 1
                assert ORCID_RE.fullmatch(value), value
                digits = value.replace("-", "")
                assert synth.orcid_check_char(digits[:15]) == digits[15]
                seen[value].add((a.findtext("LastName"), a.findtext("ForeName")))
    assert forms["url"] > 0 and forms["bare"] > 0
    assert seen
    assert all(len(names) == 1 for names in seen.values())  # one person per ORCID
    world = synth.build_world(PEOPLE, seed=SEED)
    orcids = [p.orcid for p in world.people if p.orcid]
    assert len(orcids) == len(set(orcids))
    assert 0.08 <= len(orcids) / PEOPLE <= 0.25


def test_check_characters_against_known_identifiers():
    assert synth.orcid_check_char("000000021825009") == "7"  # 0000-0002-1825-0097
    assert synth.orcid_check_char("000000021694233") == "X"  # 0000-0002-1694-233X
    assert synth.ror_checksum("00q6h8f") == "30"  # https://ror.org/00q6h8f30
    assert synth.ror_checksum("05grdyy") == "37"  # https://ror.org/05grdyy37


def test_name_collisions_across_institutions():
    world = synth.build_world(PEOPLE, seed=SEED)
    by_name = collections.defaultdict(set)
    for p in world.people:
        by_name[(p.family, p.initials)].add(world.departments[p.dept].inst)
    assert any(len(insts) >= 2 for insts in by_name.values())
    family = collections.Counter(p.family for p in world.people)
    assert family.most_common(1)[0][1] >= 5  # common family names are common


def test_world_shape():
    for people in (200, 40000):
        world = synth.build_world(people, seed=SEED)
        insts = world.institutions
        assert 6 <= len(insts) <= 12
        kinds = collections.Counter(i.kind for i in insts)
        assert kinds["education"] >= 3 and kinds["healthcare"] >= 3
        for inst in insts:
            if inst.role != "S":
                assert 5 <= len(inst.depts) <= 25
        second = sum(p.dept2 is not None for p in world.people) / people
        assert 0.04 <= second <= 0.2
    assert len(synth.build_world(40000, seed=SEED).institutions) > len(synth.build_world(200, seed=SEED).institutions)


# --------------------------------------------------------------------------- ROR


def _ror_name_index(ror):
    index = {}
    for rec in ror:
        for n in rec["names"]:
            index[n["value"]] = rec
    return index


def test_ror_records_have_v2_shape(ror):
    ids = {r["id"] for r in ror}
    assert len(ids) == len(ror)
    types = collections.Counter()
    rel_types = collections.Counter()
    for rec in ror:
        m = ROR_RE.fullmatch(rec["id"])
        assert m, rec["id"]
        assert synth.ror_checksum(m.group(1)) == m.group(2)
        assert rec["status"] == "active"
        assert rec["types"] in (["education"], ["healthcare"])
        types[rec["types"][0]] += 1
        display = [n for n in rec["names"] if "ror_display" in n["types"]]
        assert len(display) == 1
        assert any(n["types"] == ["acronym"] for n in rec["names"])
        geo = rec["locations"][0]["geonames_details"]
        assert {"name", "country_code", "country_name", "lat", "lng"} <= set(geo)
        assert isinstance(rec["locations"][0]["geonames_id"], int)
        assert rec["domains"] and rec["links"][0]["type"] == "website"
        for rel in rec["relationships"]:
            assert rel["id"] in ids
            rel_types[rel["type"]] += 1
            other = next(r for r in ror if r["id"] == rel["id"])
            inverse = {"parent": "child", "child": "parent", "related": "related"}[rel["type"]]
            assert any(x["type"] == inverse and x["id"] == rec["id"] for x in other["relationships"])
            assert rel["label"] == next(n["value"] for n in other["names"] if "ror_display" in n["types"])
    assert types["education"] >= 3 and types["healthcare"] >= 3
    assert rel_types["related"] >= 2 and rel_types["parent"] >= 1 and rel_types["child"] >= 1


def test_ror_lists_every_institution_named_in_affiliations(ror, articles):
    index = _ror_name_index(ror)
    named = set()
    mixed_papers = 0
    variants = collections.Counter()
    for art in articles:
        paper_types = set()
        for a in _persons(art):
            for aff in a.findall("AffiliationInfo/Affiliation"):
                for segment in aff.text.split("; "):
                    parts = [p.strip() for p in segment.split(",")]
                    hits = [index[p] for p in parts if p in index]
                    assert hits, segment
                    named.add(hits[0]["id"])
                    paper_types.add(hits[0]["types"][0])
                    variants["dept" if re.match(r"(Department|Dept\.|Division|Div\.|School) of", parts[0])
                             else "nodept"] += 1
                    if "@" in segment:
                        variants["email"] += 1
        mixed_papers += paper_types == {"education", "healthcare"}
    assert mixed_papers / len(articles) > 0.1  # hospital-university collaboration
    assert variants["dept"] and variants["nodept"] and variants["email"]
    # every institution that has departments is named somewhere
    world = synth.build_world(PEOPLE, seed=SEED)
    with_people = {i.ror_id for i in world.institutions if i.members}
    assert with_people <= named


# --------------------------------------------------------------------------- determinism, gzip, CLI


def test_same_seed_same_bytes_other_seed_differs(run, tmp_path):
    out, _, _ = run
    again = synth.generate(tmp_path / "a", PAPERS, PEOPLE, seed=SEED, per_file=PER_FILE)
    assert again.files == 3
    assert _tree_bytes(tmp_path / "a") == _tree_bytes(out)
    synth.generate(tmp_path / "b", PAPERS, PEOPLE, seed=SEED + 1, per_file=PER_FILE)
    other = _tree_bytes(tmp_path / "b")
    base = _tree_bytes(out)
    assert other.keys() == base.keys()
    assert all(other[k] != base[k] for k in base)


def test_cli_output_is_independent_of_hash_seed(run, tmp_path):
    out, _, _ = run
    results = []
    for hash_seed in ("0", "12345"):
        target = tmp_path / f"cli{hash_seed}"
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        proc = subprocess.run(
            [sys.executable, str(SYNTH_PATH), "--papers", str(PAPERS), "--people", str(PEOPLE),
             "--out", str(target), "--seed", str(SEED), "--per-file", str(PER_FILE)],
            capture_output=True, text=True, env=env, check=True, timeout=120,
        )
        lines = proc.stdout.strip().splitlines()
        assert len(lines) == 1 and f"{PAPERS} papers" in lines[0] and "institutions" in lines[0]
        results.append(_tree_bytes(target))
    assert results[0] == results[1] == _tree_bytes(out)


def test_gzip_output_decompresses_to_the_same_xml(run, tmp_path):
    out, summary, _ = run
    gz = synth.generate(tmp_path / "gz", PAPERS, PEOPLE, seed=SEED, per_file=PER_FILE, gzip=True)
    assert gz == summary
    files = sorted(p.name for p in (tmp_path / "gz").glob("pubmed_*"))
    assert files == ["pubmed_00001.xml.gz", "pubmed_00002.xml.gz", "pubmed_00003.xml.gz"]
    assert _tree_bytes(tmp_path / "gz") == _tree_bytes(out)
    # byte-identical gzip too (no mtime or name in the header)
    synth.generate(tmp_path / "gz2", PAPERS, PEOPLE, seed=SEED, per_file=PER_FILE, gzip=True)
    for name in files:
        assert (tmp_path / "gz" / name).read_bytes() == (tmp_path / "gz2" / name).read_bytes()
    with gzip.open(tmp_path / "gz" / files[0], "rb") as fh:
        assert len(etree.parse(fh).getroot()) == PER_FILE


def test_smaller_run_is_a_prefix_and_stale_files_go(run, tmp_path):
    out, _, _ = run
    target = tmp_path / "p"
    synth.generate(target, PAPERS, PEOPLE, seed=SEED, per_file=PER_FILE, gzip=True)
    summary = synth.generate(target, 130, PEOPLE, seed=SEED, per_file=50)
    assert summary.files == 3
    assert sorted(p.name for p in target.iterdir()) == [
        "pubmed_00001.xml", "pubmed_00002.xml", "pubmed_00003.xml", "ror.json"]

    def lines(directory):
        result = []
        for p in sorted(directory.glob("pubmed_*.xml")):
            result += [ln for ln in p.read_text("ascii").splitlines() if ln.startswith("<PubmedArticle>")]
        return result

    small = lines(target)
    assert len(small) == 130
    assert small == lines(out)[:130]
    assert (target / "ror.json").read_bytes() == (out / "ror.json").read_bytes()


def test_main_prints_one_line(tmp_path, capsys):
    assert synth.main(["--papers", "7", "--people", "30", "--out", str(tmp_path / "m"), "--per-file", "3"]) == 0
    text = capsys.readouterr().out
    assert text.count("\n") == 1 and "7 papers in 3 files" in text
    assert len(list((tmp_path / "m").glob("pubmed_*.xml"))) == 3


def test_zero_papers_and_bad_arguments(tmp_path):
    s = synth.generate(tmp_path / "z", 0, 10)
    assert s.files == 0 and s.papers == 0 and s.authorships == 0
    assert (tmp_path / "z" / "ror.json").is_file()
    with pytest.raises(ValueError):
        synth.generate(tmp_path / "z", 10, 0)
    with pytest.raises(ValueError):
        synth.generate(tmp_path / "z", 10, 10, per_file=0)


# --------------------------------------------------------------------------- MeSH input


def test_mesh_list_formats(tmp_path):
    bundled = tmp_path / "mesh_descriptors.csv.gz"
    with gzip.open(bundled, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ui", "label"])
        for i in range(30):
            w.writerow([f"D{i:06d}", f"Topic {i}, Special" if i % 3 == 0 else f"Topic {i}"])
    shared = tmp_path / "mesh_descriptors_labels.csv"
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "scheme", "subject"])
    for i in range(30):
        w.writerow([f"https://id.nlm.nih.gov/mesh/D{i:06d}", "MeSH",
                    f"Topic {i}, Special" if i % 3 == 0 else f"Topic {i}"])
    shared.write_text(buf.getvalue(), encoding="utf-8")
    a = synth.load_mesh_descriptors(bundled)
    b = synth.load_mesh_descriptors(shared)
    assert a == b
    assert len(a) == 30 and a[0] == ("D000000", "Topic 0, Special")
    # a run with a custom list only uses its descriptors (and the check tags)
    out = tmp_path / "run"
    synth.generate(out, 20, 40, mesh_path=shared)
    uis = {d.get("UI") for d in etree.parse(str(out / "pubmed_00001.xml")).iter("DescriptorName")}
    check_tags = {"D006801", "D000818", "D008297", "D005260", "D055815", "D000328", "D008875", "D000368",
                  "D000369", "D002648", "D000293", "D007223", "D051379", "D051381", "D008810", "D008822"}
    assert uis - check_tags <= {ui for ui, _ in a}


def test_default_mesh_list_is_real():
    rows = synth.load_mesh_descriptors()
    labels = dict(rows)
    assert len(rows) >= 20
    assert all(re.fullmatch(r"D\d+", ui) for ui, _ in rows)
    assert labels.get("D000544", "Alzheimer Disease") == "Alzheimer Disease"


# --------------------------------------------------------------------------- memory


@pytest.mark.slow
def test_memory_does_not_grow_with_papers(tmp_path):
    peaks = []
    for papers in (1500, 6000):
        tracemalloc.start()
        synth.generate(tmp_path / str(papers), papers, 1500, per_file=3000)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 1.3 + 2_000_000
