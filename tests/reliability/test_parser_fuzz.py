"""Bad input, property-based: every converter of ``hubgraph ingest`` is fed truncated,
mis-encoded, oversized and structurally wrong versions of the real small files under
tests/data, through the real ``ingest_files`` path into a store that already holds data.

Each ingest ends either in success (bad records skipped and listed, each naming the
file) or in a :class:`graph.errors.HubgraphError` whose message names the file, and a
failed ingest leaves every quad of the store as it was. The fast variants run a few
examples per seed file; the ``slow`` ones run many more.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import HubgraphError
from graph.store import Store
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA

#: Seed files of every converter (tests/data paths), each format a converter reads.
SEEDS: dict[str, list[str]] = {
    "pubmed": ["pubmed/pubmed-29768149.xml", "pubmed/biopython_pubmed_result2.medline.txt"],
    "mesh": ["mesh/desc-samples.xml", "mesh/meshrdf-samples.nt"],
    "ror": ["ror/ror_v2_sample.json", "ror/ror_v1_sample.json"],
    "table": ["tables/good"],
    "fda-devices": ["fda/openfda_510k.json", "fda/ai-ml-enabled-devices.xml", "fda/foiclass.txt",
                    "fda/gudid_test_device.xml"],
    "trials": ["trials/NCT04207047.json", "trials/NCT03182660.xml"],
    "nih-reporter": ["nih_reporter/reporter_v2_projects_examples.json"],
    "patents": ["patents/US20050004437A1.xml", "patents/pap2pat/W1776329700-US20160281163/patent.json"],
    "orcid": ["orcid/0000-0001-8607-8025_person.json", "orcid/work-full-3.0.xml"],
    "openalex": ["openalex/A5023888391.json"],
    "crossref": ["crossref/work_10.1371_journal.pone.0033693.json"],
}
CASES = [pytest.param(kind, seed, id=seed.rsplit("/", 1)[-1]) for kind, seeds in SEEDS.items() for seed in seeds]
BIG = 3_000_000
DEEP = 50_000
FAST = settings(max_examples=8, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=30)

Mutation = Callable[[st.DataObject, bytes], bytes]


@pytest.fixture(scope="module")
def store() -> Store:
    """A store that already holds data: ROR records, a PubMed file, the institutional tables."""
    store = Store.open()
    for kind, path in (("ror", DATA / "ror" / "ror_v2_sample.json"),
                       ("pubmed", DATA / "pubmed" / "pubmed-29768149.xml"),
                       ("table", DATA / "tables" / "good")):
        ingest_files(store, CONVERTERS[kind](store), [path], people=PeopleLists())
    return store


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def every_quad(store: Store) -> frozenset[Any]:
    return frozenset(store.ox.quads_for_pattern(None, None, None, None))


# -- mutations ---------------------------------------------------------------------------


def truncated(data: st.DataObject, raw: bytes) -> bytes:
    return raw[:data.draw(st.integers(0, len(raw) - 1), label="cut at")]


def mis_encoded(data: st.DataObject, raw: bytes) -> bytes:
    how = data.draw(st.sampled_from(["latin-1", "utf-16", "utf-16-le", "invalid bytes"]), label="encoding")
    if how != "invalid bytes":
        return raw.decode("utf-8", "replace").encode(how, "replace")
    at = data.draw(st.integers(0, len(raw)), label="at")
    junk = data.draw(st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x80abc", b"\x00\x00"]))
    return raw[:at] + junk + raw[at:]


def oversized(data: st.DataObject, raw: bytes) -> bytes:
    how = data.draw(st.sampled_from(["big field", "deep nesting"]), label="how")
    if how == "deep nesting":
        if _is_json(raw):
            return _nest_json(data, raw)
        return b"<a>" * DEEP + b"</a>" * DEEP if raw.lstrip()[:1] == b"<" else raw + b"(" * DEEP + b"\n"
    if _is_json(raw):
        doc = json.loads(raw)
        _replace_leaf(data, doc, lambda old: "x" * BIG if isinstance(old, str) else old)
        return json.dumps(doc).encode("utf-8")
    # inside some element's text, or some line's content
    marks = [i + 1 for i, byte in enumerate(raw) if byte in b">,|\t"] or [len(raw)]
    at = data.draw(st.sampled_from(marks), label="at")
    return raw[:at] + b"A" * BIG + raw[at:]


def structurally_wrong(data: st.DataObject, raw: bytes) -> bytes:
    if _is_json(raw) and data.draw(st.booleans(), label="json-aware"):
        doc = json.loads(raw)
        values = st.sampled_from([None, 0, -1, 1.5, True, "", "x", [], {}, [None], {"id": None}])
        for _ in range(data.draw(st.integers(1, 6), label="edits")):
            # a copy: the same [] or {} put in twice could be walked into and made circular
            _replace_leaf(data, doc, lambda _: copy.deepcopy(data.draw(values, label="value")), anywhere=True)
        return json.dumps(doc).encode("utf-8")
    out = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 8), label="edits")):
        if not out:
            break
        start = data.draw(st.integers(0, len(out) - 1), label="start")
        end = min(len(out), start + data.draw(st.integers(1, 400), label="length"))
        op = data.draw(st.sampled_from(["delete", "duplicate", "move"]), label="op")
        span = bytes(out[start:end])
        if op != "duplicate":
            del out[start:end]
        target = data.draw(st.integers(0, len(out)), label="to") if op == "move" else start
        out[target:target] = span
    return bytes(out)


def _is_json(raw: bytes) -> bool:
    if raw.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(raw)
    except ValueError:
        return False
    return True


def _nest_json(data: st.DataObject, raw: bytes) -> bytes:
    doc = json.loads(raw)
    text = "[" * DEEP + "]" * DEEP
    if data.draw(st.booleans(), label="whole file"):
        return text.encode()
    marker = "__hubgraph_deep__"
    _replace_leaf(data, doc, lambda _: marker, anywhere=True)
    return json.dumps(doc).replace(json.dumps(marker), text).encode()


def _replace_leaf(data: st.DataObject, doc: Any, new: Callable[[Any], Any], anywhere: bool = False) -> None:
    """Replace one value in a decoded JSON document, walking down from the top (``anywhere``:
    possibly a whole subtree)."""
    node = doc
    while isinstance(node, (dict, list)) and node:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = data.draw(st.sampled_from(keys), label="key")
        child = node[key]
        if not isinstance(child, (dict, list)) or not child or (anywhere and data.draw(st.booleans(), label="stop")):
            node[key] = new(child)
            return
        node = child


# -- the property ------------------------------------------------------------------------


def write_input(workdir: Path, kind: str, seed: str, mutate: Mutation, data: st.DataObject) -> Path:
    """The mutated copy of a seed file (for tables: of one file of the seed folder)."""
    source = DATA / seed
    target = workdir / kind / source.name
    if target.is_dir():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
        victim = target / data.draw(st.sampled_from(sorted(p.name for p in source.iterdir())), label="table")
    else:
        victim = target
        shutil.copyfile(source, target)
    victim.write_bytes(mutate(data, (source / victim.name if source.is_dir() else source).read_bytes()))
    return target


def check_ingest(store: Store, kind: str, path: Path) -> None:
    """Success with skipped records that name the file, or a HubgraphError naming the file
    and the store exactly as it was."""
    before = every_quad(store)
    try:
        [report] = ingest_files(store, CONVERTERS[kind](store), [path], people=PeopleLists())
    except HubgraphError as exc:
        assert path.name in str(exc), f"the error does not name the file: {exc}"
        assert every_quad(store) == before, "a failed ingest changed the store"
        return
    assert report.status in ("loaded", "replaced", "unchanged")
    for reason in report.skipped:
        assert path.name in reason, f"a skipped record does not name the file: {reason}"


def fuzz(mutate: Mutation, examples: settings) -> Callable[..., None]:
    @pytest.mark.parametrize("kind, seed", CASES)
    @examples
    @given(data=st.data())
    def test(store: Store, workdir: Path, kind: str, seed: str, data: st.DataObject) -> None:
        check_ingest(store, kind, write_input(workdir, kind, seed, mutate, data))
    return test


test_truncated_input = fuzz(truncated, FAST)
test_mis_encoded_input = fuzz(mis_encoded, FAST)
test_oversized_input = fuzz(oversized, settings(FAST, max_examples=3))
test_structurally_wrong_input = fuzz(structurally_wrong, FAST)

test_truncated_input_long = pytest.mark.slow(fuzz(truncated, SLOW))
test_mis_encoded_input_long = pytest.mark.slow(fuzz(mis_encoded, SLOW))
test_oversized_input_long = pytest.mark.slow(fuzz(oversized, settings(SLOW, max_examples=8)))
test_structurally_wrong_input_long = pytest.mark.slow(fuzz(structurally_wrong, SLOW))


def test_a_deeply_nested_json_file_is_an_ingest_error(store: Store, workdir: Path) -> None:
    """Regression: the json module's RecursionError escaped as is."""
    path = workdir / "deep.json"
    path.write_bytes(b"[" * DEEP + b"]" * DEEP)
    for kind in ("ror", "nih-reporter", "patents", "crossref", "openalex", "orcid"):
        with pytest.raises(HubgraphError, match=r"deep\.json: nested too deeply"):
            ingest_files(store, CONVERTERS[kind](store), [path], people=PeopleLists())


def test_an_oversized_classification_field_is_an_ingest_error(store: Store, workdir: Path) -> None:
    """Regression: csv's 'field larger than field limit' escaped as csv.Error."""
    path = workdir / "foiclass.txt"
    raw = (DATA / "fda" / "foiclass.txt").read_bytes()
    first = raw.index(b"\n") + 1
    path.write_bytes(raw[:first] + b"A" * BIG + raw[first:])
    with pytest.raises(HubgraphError, match="foiclass.txt.*line"):
        ingest_files(store, CONVERTERS["fda-devices"](store), [path], people=PeopleLists())


def test_a_huge_affiliation_without_spaces_ingests(store: Store, workdir: Path) -> None:
    """Regression: the e-mail patterns of affiliation parsing and identity resolution were
    quadratic in the length of a run without spaces (minutes for 200 kB, hours for MBs)."""
    path = workdir / "long-affiliation.xml"
    raw = (DATA / "pubmed" / "pubmed-29768149.xml").read_bytes()
    at = raw.index(b"<Affiliation>") + len(b"<Affiliation>")
    path.write_bytes(raw[:at] + b"x." * 1_000_000 + raw[at:])
    [report] = ingest_files(store, CONVERTERS["pubmed"](store), [path], people=PeopleLists())
    assert report.status == "loaded" and report.records == 1
