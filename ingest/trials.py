"""ClinicalTrials.gov studies: API v2 JSON and legacy ``<clinical_study>`` XML.

:func:`read_trials` detects the format from the content (gzipped or not) and yields
:class:`~graph.model_trials.Trial` records, or :class:`~graph.model.SkippedRecord` for a study
it cannot use (no NCT id, not a JSON object, ...):

- **API v2 JSON**: one study (``{"protocolSection": ...}``), a JSON array of studies, or a search
  response ``{"studies": [...], "nextPageToken": ...}``. The array is decoded one study at a
  time, so a large response never exists as Python objects all at once.
- **Legacy XML**: ``<clinical_study>`` (one study per file, as the old bulk download gave them;
  a wrapper element holding several is read too), streamed with ``iterparse``.

A file that cannot be parsed at all (invalid JSON or XML, a truncated file, JSON of another
kind) raises :class:`~graph.errors.IngestError` naming it.

Values are normalised as :mod:`graph.model_trials` says. Officials' names ("Randall J
Bateman, MD") are parsed into family name, given names and initials with degrees and titles
dropped (:func:`parse_person_name`); strings that name no person ("Medical Director", "Call
1-877-CTLILLY ...", "GSK Clinical Trials") keep ``family=None`` and are not written as people.

:class:`TrialsConverter` is the ``trials`` kind of ``hubgraph ingest``: it resolves sponsor,
collaborator and affiliation names to organisations (ROR first, as for PubMed affiliations)
and writes each study with :func:`graph.build_trials.write_trial`.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from graph.build import GraphBuilder
from graph.build_trials import write_trial
from graph.errors import IngestError
from graph.model import AffiliationMatch, OrgRef, SkippedRecord
from graph.model_trials import (
    Condition, Intervention, Official, Sponsor, Trial, TrialMeshTerm, TrialOrgs, TrialReference,
)
from graph.store import Store
from graph.uris import fold, slug
from ingest.affiliations import AffiliationResolver, kind_from_name, normalise
from ingest.files import read_bytes
from ingest.mesh_labels import mesh_ui_for_label
from ingest.pipeline import Converter, FileReport

__all__ = [
    "TrialsConverter", "read_trials", "parse_trials_json", "parse_trials_xml", "parse_study_json",
    "parse_study_xml", "parse_person_name", "mesh_ui",
]

TrialRecord = Trial | SkippedRecord

_NCT = re.compile(r"^NCT\d{8}$")
_SPACE = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")
_PLACEHOLDER = re.compile(r"^\[.*\]$")


# --------------------------------------------------------------------------- values


def _clean(value: object) -> str | None:
    """A trimmed, one-line string, or None for a missing, empty or non-string value."""
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", value).strip()
    return text or None


def _block(value: object) -> str | None:
    """A text block with its paragraphs kept and each paragraph's lines joined."""
    if not isinstance(value, str):
        return None
    paragraphs = (_SPACE.sub(" ", p).strip() for p in _PARAGRAPHS.split(value.strip()))
    text = "\n\n".join(p for p in paragraphs if p)
    return text or None


def _code(value: str | None) -> str | None:
    """``Active, not recruiting`` -> ``ACTIVE_NOT_RECRUITING`` (v2 enumerations pass unchanged)."""
    if not value:
        return None
    return re.sub(r"[^A-Z0-9]+", "_", value.upper()).strip("_") or None


_STATUS = {"UNKNOWN_STATUS": "UNKNOWN"}
_STUDY_TYPES = {"INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"}
_SPONSOR_CLASSES = {
    "INDUSTRY": "INDUSTRY", "NIH": "NIH", "U_S_FED": "FED", "FED": "FED", "OTHER_GOV": "OTHER_GOV",
    "INDIVIDUAL": "INDIV", "INDIV": "INDIV", "NETWORK": "NETWORK", "OTHER": "OTHER", "UNKNOWN": "UNKNOWN",
}
_REFERENCE_KINDS = {"BACKGROUND", "RESULT", "DERIVED"}


def _status(value: str | None) -> str | None:
    code = _code(value)
    return _STATUS.get(code or "", code)


def _study_type(value: str | None) -> str | None:
    """``Observational [Patient Registry]`` -> ``OBSERVATIONAL``; ``N/A`` -> None."""
    code = _code(value)
    if not code:
        return None
    for kind in _STUDY_TYPES:
        if code.startswith(kind):
            return kind
    return None


def _phases(values: Iterable[str]) -> tuple[str, ...]:
    """``Phase 1/Phase 2`` -> ``("PHASE1", "PHASE2")``; ``N/A`` -> ``("NA",)``."""
    phases: list[str] = []
    for value in values:
        parts = ["NA"] if value.strip().upper() in ("N/A", "NA", "NOT APPLICABLE") else value.split("/")
        for part in parts:
            code = _code(part)
            if code:
                phases.append(re.sub(r"^(EARLY_)?PHASE_(\d)$", r"\1PHASE\2", code))
    return tuple(dict.fromkeys(phases))


def _sponsor_class(value: str | None) -> str | None:
    code = _code(value)
    return _SPONSOR_CLASSES.get(code or "", code)


def _role(value: str | None) -> str | None:
    """``PRINCIPAL_INVESTIGATOR`` -> ``Principal Investigator`` (legacy wording kept)."""
    if not value:
        return None
    if value.isupper() or "_" in value:
        return " ".join(w.capitalize() for w in value.replace("_", " ").split())
    return value


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LEGACY_DATE = re.compile(r"^([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})$")


def _date(value: str | None) -> str | None:
    """ISO 8601 at the source's precision: ``2012-12``, ``October 2015`` -> ``2015-10``,
    ``January 15, 2013`` -> ``2013-01-15``; anything else -> None."""
    if not value:
        return None
    if _ISO_DATE.match(value):
        return value
    match = _LEGACY_DATE.match(value)
    if match and match.group(1).lower() in _MONTHS:
        month = _MONTHS[match.group(1).lower()]
        day = match.group(2)
        return f"{match.group(3)}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return None


def mesh_ui(value: str | None) -> str | None:
    """A MeSH descriptor UI in NLM's own form.

    AACT-derived records pad six-digit UIs to nine digits (``D000003550`` for ``D003550``).
    NLM gave six-digit UIs up to D066331 and nine-digit ones from D000066388 on, so a padded
    UI below that is shortened; a real nine-digit UI (``D000089183``) is kept.
    """
    if not value:
        return None
    ui = value.strip().upper()
    match = re.fullmatch(r"([DCQ])(\d{6}|\d{9})", ui)
    if not match:
        return None
    letter, digits = match.groups()
    if len(digits) == 9 and int(digits) < 66340:
        return f"{letter}{int(digits):06d}"
    return ui


def _placeholder(name: str | None) -> bool:
    """True for names CT.gov withholds ("[Redacted]")."""
    return bool(name) and bool(_PLACEHOLDER.match(name or ""))


# --------------------------------------------------------------------------- names

_DEGREES = frozenset("""
    MD PHD MPH MS MSC BS BSC BA MA MBA DO DPHIL MPHIL FRCP FRCPC FRCS FRCSC FACP FACC FAAN FAHA FACS
    FRACP FRACS MRCP MRCPCH MRCPSYCH FRCPSYCH FRANZCP FRCOG FRCR FRCA FFPM FESC FCCP FAAP FACOG FACE
    FASN FAAD MBBS MBCHB MBBCH MB BCH BM BCHIR CHB MMED MM BDS DDS DMD DMSC PHARMD RPH RN BSN MSN NP
    APRN CRNP PAC DRPH SCD DSC MHS MHSC MSCE MSCI MSCR CCRP CCRC PSYD EDD DVM DM LCSW OTR DPT MBE
    MPA MSW MSPH MHA MMSC DABR MED PHARM DRMED MDPHD MSCPH DNP MN MPHARM
""".split())
_TITLES = frozenset("DR DOC DOCTOR PROF PROFESSOR MR MRS MS MISS SIR MED PD PRIV DOZ".split())
_SUFFIXES = frozenset("JR SR II III IV".split())
_OCCUPATIONS = frozenset("""
    lecturer professor assistant associate operator consultant investigator resident fellow chief
    head director surgeon physician researcher coordinator manager nurse scientist specialist
""".split())
_NOT_A_PERSON = frozenset("""
    clinical trial trials medical study studies call cares management transparency leader team
    department dept inc llc ltd gmbh corporation corp company co pharmaceuticals pharmaceutical pharma
    sponsor contact information research development center centre hospital university institute
    registry program programme office global services group unit limited plc redacted central
    use sa ag bv srl spa pty foundation association network consortium laboratories laboratory
    biosciences therapeutics biotech healthcare medicine
""".split())
_PARTICLES = frozenset("van von de der den del della dei di da dos das du la le ten ter zu bin al".split())
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w'’.\-]*$")
_PARENTHESES = re.compile(r"\([^()]*\)")


def _bare(token: str) -> str:
    """``Ph.D.`` -> ``PHD``: a token upper-cased without dots, for the degree and title lists."""
    return re.sub(r"[.\s\-]", "", token).upper()


def _is_degree(token: str, after_comma: bool) -> bool:
    """A degree such as MD or Ph.D. Without a comma before it only a token written like a degree
    counts (``MD``, ``PhD``, ``M.D.``), so that family names such as "Ma" or "Do" stay."""
    bare = _bare(token)
    if bare not in _DEGREES and bare not in _SUFFIXES:
        return False
    if after_comma:
        return True
    return token.isupper() or "." in token or token not in (token.capitalize(), token.lower())


def _is_extra(part: str) -> bool:
    """True when a comma-separated part holds only degrees, titles and occupations ("MD MPH PhD",
    "Ph D", "operator MD", "Prof.")."""
    tokens = part.split()
    if not tokens:
        return True
    if _bare(part) in _DEGREES:
        return True
    return all(_bare(t) in _DEGREES or _bare(t) in _TITLES or _bare(t) in _SUFFIXES
               or t.lower().strip(".") in _OCCUPATIONS for t in tokens)


def _recase(token: str) -> str:
    """``PERRIGAULT`` -> ``Perrigault``, ``khazragy`` -> ``Khazragy``; mixed case is kept."""
    if token.isupper() or token.islower():
        return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), token)
    return token


def _given_tokens(tokens: list[str]) -> list[str]:
    """Given-name tokens with dots dropped and glued initials split ("J.P." -> "J", "P")."""
    out: list[str] = []
    for token in tokens:
        if "." in token and all(len(p) <= 1 for p in token.split(".")):
            out.extend(p.upper() for p in token.split(".") if p)
            continue
        token = token.strip(".")
        if token.isupper() and len(token) <= 3 and not set(token.lower()) & set("aeiouy"):
            out.extend(token)  # "JP" -> "J", "P"
        elif token:
            out.append(_recase(token))
    return out


def _initials(given: list[str]) -> str:
    return "".join(part[0].upper() for token in given for part in re.split(r"[-‐]", token) if part)


def parse_person_name(text: str | None, not_names: Iterable[str | None] = ()) -> tuple[str, str | None, str | None] | None:
    """``(family, given, initials)`` of a person's name as CT.gov writes it, or None when the
    string names no person.

    >>> parse_person_name("Randall J Bateman, MD")
    ('Bateman', 'Randall J', 'RJ')
    >>> parse_person_name("M. Louise Markert, M.D., Ph.D")
    ('Markert', 'M Louise', 'ML')
    >>> parse_person_name("Arbelaez, Ana Maria")
    ('Arbelaez', 'Ana Maria', 'AM')
    >>> parse_person_name("Medical Director") is None
    True

    ``not_names`` are organisation names of the same record (sponsor, affiliation): a string
    equal to one of them is an organisation standing in for a person ("Bristol-Myers Squibb").
    """
    if not text:
        return None
    raw = _SPACE.sub(" ", _PARENTHESES.sub(" ", text)).strip(" ,;")
    if not raw or re.search(r"[\d@&/]", raw) or _placeholder(text.strip()):
        return None
    key = normalise(raw)
    if any(key == normalise(n) for n in not_names if n):
        return None
    parts = [p.strip() for p in raw.split(",")]
    head, tail = parts[0].split(), [p for p in parts[1:] if p]
    if any(re.sub(r"[^a-z]", "", fold(t)) in _NOT_A_PERSON for t in head):
        return None
    while head and _bare(head[0]) in _TITLES and len(head) > 1:
        head = head[1:]
    for position, token in enumerate(head):  # "M Elhafeez Assistant Professor ..." -> "M Elhafeez"
        if position and token.lower().strip(".") in _OCCUPATIONS:
            head = head[:position]
            break
    while len(head) > 1 and _is_degree(head[-1], after_comma=False):
        head = head[:-1]
    if not head or not all(_NAME_TOKEN.match(t) for t in head):
        return None
    if len(head) == 1:  # "Family, Given"
        given_part = tail[0] if tail and not _is_extra(tail[0]) else None
        if given_part is None:
            return None
        given_tokens = given_part.split()
        if not all(_NAME_TOKEN.match(t) for t in given_tokens) or any(
                re.sub(r"[^a-z]", "", fold(t)) in _NOT_A_PERSON for t in given_tokens):
            return None
        while given_tokens and _bare(given_tokens[-1]) in _SUFFIXES:
            given_tokens = given_tokens[:-1]
        given = _given_tokens(given_tokens)
        if not given:
            return None
        return _recase(head[0].strip(".")), " ".join(given), _initials(given)
    while len(head) > 2 and _bare(head[-1]) in _SUFFIXES:
        head = head[:-1]
    last = head[-1].strip(".")
    if last.isupper() and len(last) <= 3 and not set(last.lower()) & set("aeiouy") and not head[0].isupper():
        family_tokens, given = head[:-1], list(last)  # "Bateman RJ"
    else:
        family_tokens, rest = [head[-1]], head[:-1]
        while len(rest) > 1 and rest[-1].lower() in _PARTICLES:
            family_tokens.insert(0, rest.pop())
        given = _given_tokens(rest)
    family = " ".join(t if t.lower() in _PARTICLES and i < len(family_tokens) - 1 else _recase(t.strip("."))
                      for i, t in enumerate(family_tokens))
    if not family or not given:
        return None
    return family, " ".join(given), _initials(given)


def _official(name: str | None, role: str | None, affiliation: str | None, source: str,
              not_names: Iterable[str | None]) -> Official | None:
    name = _clean(name)
    if not name or _placeholder(name):
        return None
    affiliation = _clean(affiliation)
    if _placeholder(affiliation):
        affiliation = None
    parsed = parse_person_name(name, [affiliation, *not_names])
    family, given, initials = parsed if parsed else (None, None, None)
    if affiliation and parsed and _same_words(affiliation, name):
        affiliation = None  # "investigatorAffiliation": "Arbelaez, Ana Maria" is the person again
    return Official(name, _role(_clean(role)), affiliation, family, given, initials, source)


def _same_words(a: str, b: str) -> bool:
    return set(normalise(a).split()) == set(normalise(b).split())


def _given_words(official: Official) -> set[str]:
    return {w for w in normalise(official.given or "").split() if len(w) > 1}


def _same_person(a: Official, b: Official) -> bool:
    """Same family name, and the same first initial or a shared given name ("R. Jeffrey Chang"
    and "Jeffrey Chang")."""
    if normalise(a.family or "") != normalise(b.family or ""):
        return False
    return (a.initials or "")[:1] == (b.initials or "")[:1] or bool(_given_words(a) & _given_words(b))


def _people(officials: list[Official], responsible: Official | None, sponsor: Official | None) -> tuple[Official, ...]:
    """Overall officials, then the responsible-party investigator and an individual sponsor
    unless they are one of the people already listed."""
    out = list(officials)
    for extra in (responsible, sponsor):
        if extra is None or not extra.is_person:
            continue
        if not any(o.is_person and _same_person(o, extra) for o in out):
            out.append(extra)
    return tuple(out)


def _individual(lead: Sponsor | None, responsible: Official | None) -> Sponsor | None:
    """The lead sponsor, with class ``INDIV`` when it is the sponsor-investigator named as
    responsible party (legacy records class such a person "Other")."""
    if lead is None or lead.sponsor_class == "INDIV" or responsible is None:
        return lead
    if responsible.role != "Sponsor-Investigator" or not responsible.is_person:
        return lead
    parsed = parse_person_name(lead.name)
    if parsed and _same_person(Official(lead.name, family=parsed[0], given=parsed[1], initials=parsed[2]),
                               responsible):
        return Sponsor(lead.name, "INDIV")
    return lead


def _conditions(texts: Iterable[str], mesh: tuple[TrialMeshTerm, ...]) -> tuple[Condition, ...]:
    """Conditions with the MeSH UI they name: one of NLM's terms for the record by label, else
    the bundled descriptor list."""
    by_label = {term.label.casefold(): term.ui for term in mesh if term.ui}
    out = []
    for text in dict.fromkeys(texts):
        out.append(Condition(text, by_label.get(text.casefold()) or mesh_ui_for_label(text)))
    return tuple(out)


# --------------------------------------------------------------------------- API v2 JSON


class _Bad(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    return [text for item in _list(value) if (text := _clean(item))]


def parse_study_json(study: object, index: int) -> TrialRecord:
    """One API v2 study (``{"protocolSection": ..., "derivedSection": ...}``) as a Trial."""
    nct = None
    try:
        if not isinstance(study, dict):
            raise _Bad("study", f"expected a JSON object, got {type(study).__name__}")
        protocol = study.get("protocolSection")
        if not isinstance(protocol, dict):
            raise _Bad("protocolSection", "missing protocolSection")
        ident = _obj(protocol.get("identificationModule"))
        nct = _clean(ident.get("nctId"))
        if not nct:
            raise _Bad("identificationModule.nctId", "missing NCT id")
        nct = nct.upper()
        if not _NCT.match(nct):
            raise _Bad("identificationModule.nctId", f"not an NCT id: {nct!r}")
        return _study_json(protocol, _obj(study.get("derivedSection")), nct, ident)
    except _Bad as bad:
        return SkippedRecord(index, nct, bad.field, bad.reason)


def _study_json(protocol: dict[str, Any], derived: dict[str, Any], nct: str, ident: dict[str, Any]) -> Trial:
    status = _obj(protocol.get("statusModule"))
    design = _obj(protocol.get("designModule"))
    conditions = _obj(protocol.get("conditionsModule"))
    sponsors = _obj(protocol.get("sponsorCollaboratorsModule"))
    contacts = _obj(protocol.get("contactsLocationsModule"))
    title = _clean(ident.get("briefTitle")) or _clean(ident.get("officialTitle")) or _clean(ident.get("acronym")) or nct
    mesh = tuple(
        TrialMeshTerm(label, mesh_ui(_clean(m.get("id"))))
        for m in map(_obj, _list(_obj(derived.get("conditionBrowseModule")).get("meshes")))
        if (label := _clean(m.get("term")))
    )
    lead = _sponsor_json(sponsors.get("leadSponsor"))
    collaborators = tuple(s for item in _list(sponsors.get("collaborators")) if (s := _sponsor_json(item)))
    org_names = [lead.name if lead else None, *(c.name for c in collaborators)]
    officials = [
        o for item in map(_obj, _list(contacts.get("overallOfficials")))
        if (o := _official(item.get("name"), item.get("role"), item.get("affiliation"), "overall_official", org_names))
    ]
    party = _obj(sponsors.get("responsibleParty"))
    responsible = None
    party_type = _code(_clean(party.get("type")))
    if party_type in ("PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"):
        role = "Principal Investigator" if party_type == "PRINCIPAL_INVESTIGATOR" else "Sponsor-Investigator"
        responsible = _official(party.get("investigatorFullName"), role, party.get("investigatorAffiliation"),
                                "responsible_party", [])
    lead = _individual(lead, responsible)
    individual = None
    if lead and lead.sponsor_class == "INDIV":
        individual = _official(lead.name, "Sponsor-Investigator", None, "lead_sponsor", [])
    arms = _obj(protocol.get("armsInterventionsModule"))
    interventions = tuple(
        Intervention(name, _code(_clean(item.get("type"))), _block(item.get("description")),
                     tuple(_strings(item.get("otherNames"))))
        for item in map(_obj, _list(arms.get("interventions")))
        if (name := _clean(item.get("name")))
    )
    references = tuple(
        TrialReference(_pmid(item.get("pmid")), _reference_kind(_clean(item.get("type"))), _clean(item.get("citation")))
        for item in map(_obj, _list(_obj(protocol.get("referencesModule")).get("references")))
    )
    return Trial(
        nct_id=nct,
        title=title,
        official_title=_clean(ident.get("officialTitle")),
        acronym=_clean(ident.get("acronym")),
        brief_summary=_block(_obj(protocol.get("descriptionModule")).get("briefSummary")),
        status=_status(_clean(status.get("overallStatus"))),
        phases=_phases(_strings(design.get("phases"))),
        study_type=_study_type(_clean(design.get("studyType"))),
        start_date=_date(_clean(_obj(status.get("startDateStruct")).get("date"))),
        completion_date=_date(_clean(_obj(status.get("completionDateStruct")).get("date"))),
        conditions=_conditions(_strings(conditions.get("conditions")), mesh),
        condition_mesh=mesh,
        keywords=tuple(dict.fromkeys(_strings(conditions.get("keywords")))),
        interventions=interventions,
        lead_sponsor=lead,
        collaborators=collaborators,
        officials=_people(officials, responsible, individual),
        references=references,
    )


def _sponsor_json(value: object) -> Sponsor | None:
    item = _obj(value)
    name = _clean(item.get("name"))
    if not name or _placeholder(name):
        return None
    return Sponsor(name, _sponsor_class(_clean(item.get("class"))))


def _pmid(value: object) -> str | None:
    text = _clean(str(value)) if isinstance(value, int) else _clean(value)
    return text if text and text.isdigit() else None


def _reference_kind(value: str | None) -> str | None:
    code = _code(value)
    return code if code in _REFERENCE_KINDS else None


_JSON_WS = " \t\r\n"


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _JSON_WS:
        pos += 1
    return pos


def _expect(text: str, pos: int, chars: str, source: str) -> str:
    if pos >= len(text):
        raise IngestError(source, "invalid JSON: unexpected end of file (truncated?)")
    if text[pos] not in chars:
        line = text.count("\n", 0, pos) + 1
        raise IngestError(source, f"invalid JSON at line {line}: expected {' or '.join(repr(c) for c in chars)}")
    return text[pos]


_END = object()


def _json_items(text: str, pos: int, decoder: json.JSONDecoder, source: str) -> Iterator[tuple[object, int]]:
    """``(value, position after it)`` for each value of the JSON array that starts at
    ``text[pos]``, decoded one at a time; last comes ``(_END, position after "]")``."""
    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        yield _END, pos + 1
        return
    while True:
        value, pos = decoder.raw_decode(text, _skip_ws(text, pos))
        yield value, pos
        pos = _skip_ws(text, pos)
        if _expect(text, pos, ",]", source) == "]":
            yield _END, pos + 1
            return
        pos += 1


def parse_trials_json(text: str, source: str = "<json>") -> Iterator[TrialRecord]:
    """Yield the studies of API v2 JSON text: one study, an array, or ``{"studies": [...]}``."""
    decoder = json.JSONDecoder()
    try:
        pos = _skip_ws(text, 0)
        start = _expect(text, pos, "[{", source)
        index = 0
        if start == "[":
            for value, pos in _json_items(text, pos, decoder, source):
                if value is _END:
                    break
                index += 1
                yield parse_study_json(value, index)
        else:
            found, fields = False, {}
            pos = _skip_ws(text, pos + 1)
            if _expect(text, pos, '"}', source) == '"':
                while True:
                    key, pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    _expect(text, pos, ":", source)
                    pos = _skip_ws(text, pos + 1)
                    if key == "studies" and pos < len(text) and text[pos] == "[":
                        found = True
                        for value, pos in _json_items(text, pos, decoder, source):
                            if value is _END:
                                break
                            index += 1
                            yield parse_study_json(value, index)
                    else:
                        fields[key], pos = decoder.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if _expect(text, pos, ",}", source) == "}":
                        break
                    pos = _skip_ws(text, pos + 1)
                    _expect(text, pos, '"', source)
            pos += 1
            if not found:
                if "protocolSection" not in fields:
                    raise IngestError(source, _not_v2_message(fields))
                index = 1
                yield parse_study_json(fields, 1)
        if _skip_ws(text, pos) < len(text):
            raise IngestError(source, f"invalid JSON: extra data after line {text.count(chr(10), 0, pos) + 1}")
    except json.JSONDecodeError as exc:
        raise IngestError(source, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if index == 0:
        raise IngestError(source, "no studies: the JSON array of studies is empty")


def _not_v2_message(fields: dict[str, Any]) -> str:
    if fields.keys() & {"FullStudiesResponse", "FullStudy", "StudyFieldsResponse"}:
        return "ClinicalTrials.gov classic API (v1) JSON is not supported; download the study from API v2"
    return ('not ClinicalTrials.gov API v2 JSON: expected a study {"protocolSection": ...}, '
            'an array of studies or a search response {"studies": [...]}')


# --------------------------------------------------------------------------- legacy XML


def _xtext(elem: etree._Element, path: str) -> str | None:
    return _clean(elem.findtext(path))


def _xtexts(elem: etree._Element, path: str) -> list[str]:
    return [text for e in elem.findall(path) if (text := _clean(e.text))]


def parse_study_xml(elem: etree._Element, index: int) -> TrialRecord:
    """One ``<clinical_study>`` element as a Trial."""
    nct = _xtext(elem, "id_info/nct_id")
    if not nct:
        return SkippedRecord(index, None, "id_info/nct_id", "missing NCT id")
    nct = nct.upper()
    if not _NCT.match(nct):
        return SkippedRecord(index, nct, "id_info/nct_id", f"not an NCT id: {nct!r}")
    title = (_xtext(elem, "brief_title") or _xtext(elem, "official_title") or _xtext(elem, "acronym") or nct)
    mesh = tuple(TrialMeshTerm(label, mesh_ui_for_label(label)) for label in _xtexts(elem, "condition_browse/mesh_term"))
    lead = _sponsor_xml(elem.find("sponsors/lead_sponsor"))
    collaborators = tuple(s for e in elem.findall("sponsors/collaborator") if (s := _sponsor_xml(e)))
    org_names = [lead.name if lead else None, *(c.name for c in collaborators)]
    officials = [o for e in elem.findall("overall_official") if (o := _official_xml(e, org_names))]
    responsible = None
    party = elem.find("responsible_party")
    if party is not None:
        party_type = _code(_xtext(party, "responsible_party_type"))
        if party_type in ("PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"):
            role = "Principal Investigator" if party_type == "PRINCIPAL_INVESTIGATOR" else "Sponsor-Investigator"
            responsible = _official(_xtext(party, "investigator_full_name"), role,
                                    _xtext(party, "investigator_affiliation"), "responsible_party", [])
    lead = _individual(lead, responsible)
    individual = None
    if lead and lead.sponsor_class == "INDIV":
        individual = _official(lead.name, "Sponsor-Investigator", None, "lead_sponsor", [])
    interventions = tuple(
        Intervention(name, _code(_xtext(e, "intervention_type")), _block(e.findtext("description")),
                     tuple(_xtexts(e, "other_name")))
        for e in elem.findall("intervention") if (name := _xtext(e, "intervention_name"))
    )
    references = tuple(
        TrialReference(_pmid(e.findtext("PMID")), kind, _clean(e.findtext("citation")))
        for tag, kind in (("reference", "BACKGROUND"), ("results_reference", "RESULT"))
        for e in elem.findall(tag)
    )
    return Trial(
        nct_id=nct,
        title=title,
        official_title=_xtext(elem, "official_title"),
        acronym=_xtext(elem, "acronym"),
        brief_summary=_block(elem.findtext("brief_summary/textblock")),
        status=_status(_xtext(elem, "overall_status")),
        phases=_phases(_xtexts(elem, "phase")),
        study_type=_study_type(_xtext(elem, "study_type")),
        start_date=_date(_xtext(elem, "start_date")),
        completion_date=_date(_xtext(elem, "completion_date")),
        conditions=_conditions(_xtexts(elem, "condition"), mesh),
        condition_mesh=mesh,
        keywords=tuple(dict.fromkeys(_xtexts(elem, "keyword"))),
        interventions=interventions,
        lead_sponsor=lead,
        collaborators=collaborators,
        officials=_people(officials, responsible, individual),
        references=references,
    )


def _sponsor_xml(elem: etree._Element | None) -> Sponsor | None:
    if elem is None:
        return None
    name = _xtext(elem, "agency")
    if not name or _placeholder(name):
        return None
    return Sponsor(name, _sponsor_class(_xtext(elem, "agency_class")))


def _official_xml(elem: etree._Element, org_names: list[str | None]) -> Official | None:
    """An ``<overall_official>``: the whole name sits in ``last_name`` in current files; older
    files split it into first/middle/last name and degrees."""
    first, middle = _xtext(elem, "first_name"), _xtext(elem, "middle_name")
    name = " ".join(p for p in (first, middle, _xtext(elem, "last_name")) if p)
    return _official(name, _xtext(elem, "role"), _xtext(elem, "affiliation"), "overall_official", org_names)


def parse_trials_xml(stream: BinaryIO, source: str = "<xml>") -> Iterator[TrialRecord]:
    """Yield the ``<clinical_study>`` records of a legacy XML stream."""
    context = etree.iterparse(
        stream, events=("end",), tag="clinical_study", resolve_entities=False, no_network=True,
        huge_tree=True, load_dtd=False, remove_comments=True, remove_pis=True,
    )
    index = 0
    try:
        for _event, elem in context:
            index += 1
            record = parse_study_xml(elem, index)
            parent = elem.getparent()
            elem.clear(keep_tail=True)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
            yield record
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else (exc.position or (0,))[0]
        raise IngestError(source, f"XML syntax error at line {line}: {exc.msg}") from exc
    if index == 0:
        root = context.root
        tag = root.tag if root is not None else None
        raise IngestError(source, f"no <clinical_study> records (root element <{tag}>); "
                                  "expected ClinicalTrials.gov legacy XML")


# --------------------------------------------------------------------------- files

_LEADING = b"\xef\xbb\xbf \t\r\n"


def read_trials(path: str | os.PathLike[str]) -> Iterator[TrialRecord]:
    """Yield the studies of a ClinicalTrials.gov file (API v2 JSON or legacy XML, gzipped or not).

    Raises :class:`IngestError` naming the file when it cannot be read or parsed at all.
    """
    label = os.fsdecode(os.fspath(path))
    data = read_bytes(path)
    try:
        first = data.lstrip(_LEADING)[:1]
        if not first:
            raise IngestError(label, "empty file")
        if first in (b"{", b"["):
            yield from parse_trials_json(data.decode("utf-8-sig"), label)
        elif first == b"<":
            yield from parse_trials_xml(io.BytesIO(data), label)
        else:
            raise IngestError(label, "not ClinicalTrials.gov data: expected API v2 JSON or legacy "
                                     "<clinical_study> XML")
    except UnicodeDecodeError as exc:
        raise IngestError(label, f"not UTF-8 text ({exc.reason})") from exc


# --------------------------------------------------------------------------- converter

Tick = Callable[[int], None]
_DASH = re.compile(r"\s+[-–—]\s+")
_LEGAL_FORM = re.compile(
    r"\s+(inc|incorporated|corp|corporation|co|ltd|limited|llc|gmbh|ag|sa|s a|srl|s r l|spa|s p a|plc|"
    r"bv|b v|nv|n v|a s|ab|kk)$"
)
_COMPANY = re.compile(
    r"\b(inc|incorporated|corp|corporation|company|co|ltd|limited|llc|gmbh|ag|sa|s\.a|s\.r\.l|srl|spa|"
    r"plc|bv|nv|a/s|ab|kk|pharmaceuticals?|pharma|therapeutics|biosciences?|biotech|biopharma)\b\.?",
    re.IGNORECASE,
)


class TrialsConverter(Converter):
    """ClinicalTrials.gov API v2 JSON and legacy XML: trials, sponsors, investigators."""

    kind = "trials"
    has_people = True

    def __init__(self, store: Store):
        super().__init__(store)
        from ingest.kinds import load_org_index  # here: ingest.kinds may register this converter

        self.index = load_org_index(store)
        self.resolver = AffiliationResolver(store.minter, self.index)
        self._sponsors: dict[tuple[str, str | None], OrgRef | None] = {}
        self._affiliations: dict[tuple[str, tuple[tuple[str, str | None], ...]], tuple[OrgRef, ...]] = {}

    def convert(self, path: Path, builder: GraphBuilder, report: FileReport, tick: Tick) -> None:
        timings = report.timings
        records = iter(read_trials(path))
        seen: set[str] = set()
        while True:
            with timings.stage("parse"):
                item = next(records, None)
            if item is None:
                break
            tick(1)
            if isinstance(item, SkippedRecord):
                report.skipped.append(item.describe(path.name))
                continue
            if item.nct_id in seen:
                report.skipped.append(f"{path.name}: {item.nct_id}: the study is in the file twice; "
                                      "the first record is kept")
                continue
            seen.add(item.nct_id)
            report.records += 1
            for official in item.officials:
                if not official.is_person:
                    report.warnings.append(f"{path.name}: {item.nct_id}: official {official.name!r} "
                                           "names no person; left out")
            with timings.stage("affiliations"):
                orgs = self.organizations(item)
            with timings.stage("map"):
                write_trial(builder, item, orgs)
        with timings.stage("map"):
            for match in self.resolver.matches.values():
                builder.affiliation_match(match)

    def organizations(self, trial: Trial) -> TrialOrgs:
        """The organisations of a trial's sponsor, collaborators and officials' affiliations."""
        lead = trial.lead_sponsor
        sponsor = self.sponsor_org(lead) if lead else None
        collaborators = tuple(self.sponsor_org(c) for c in trial.collaborators)
        sponsors = tuple(s for s in (lead, *trial.collaborators) if s is not None)
        officials = tuple(
            self.affiliation_orgs(o.affiliation, sponsors) if o.is_person and o.affiliation else ()
            for o in trial.officials
        )
        return TrialOrgs(sponsor, collaborators, officials)

    def sponsor_org(self, sponsor: Sponsor) -> OrgRef | None:
        """The organisation a sponsor stands for: a ROR organisation (by name or alias, or as the
        affiliation resolver finds it), else one minted from the whole name. None for a person
        (class ``INDIV``) or a withheld name."""
        key = (sponsor.name, sponsor.sponsor_class)
        if key not in self._sponsors:
            self._sponsors[key] = self._sponsor_org(sponsor)
        return self._sponsors[key]

    def _sponsor_org(self, sponsor: Sponsor) -> OrgRef | None:
        name = sponsor.name
        if _placeholder(name) or sponsor.sponsor_class == "INDIV":
            return None
        bare = _bare_org(name)
        for candidate in dict.fromkeys((name, bare)):
            ror = self._exact(candidate)
            if ror:
                return ror
        # A sponsor name is one organisation's name, commas and all ("National Heart, Lung, and
        # Blood Institute"): the resolver, made for affiliation strings, may only find a ROR
        # organisation in it ("Harvard Medical School (HMS and HSDM)", "University Health
        # Network, Toronto"), never cut a name of its own out of it.
        for ref in self.resolver.resolve([name]):
            if ref.kind != "department" and not ref.describe:
                return ref
        kind = "institution" if sponsor.sponsor_class == "INDUSTRY" else None
        return self._minted(bare or name, kind)

    def affiliation_orgs(self, text: str, sponsors: tuple[Sponsor, ...] = ()) -> tuple[OrgRef, ...]:
        """The department and institution of an official's affiliation ("Department of
        Psychiatry - Medical University of South Carolina"): a ROR organisation by name, the
        record's sponsor when the affiliation names it ("Orlando Health" for "Orlando Health,
        Inc."), what the affiliation resolver finds, or a company minted from its name; nothing
        for a phone number or a bare speciality ("Obstetrics and Gynecology")."""
        key = (text, tuple((s.name, s.sponsor_class) for s in sponsors))
        if key not in self._affiliations:
            self._affiliations[key] = self._affiliation_orgs(text, sponsors)
        return self._affiliations[key]

    def _affiliation_orgs(self, text: str, sponsors: tuple[Sponsor, ...]) -> tuple[OrgRef, ...]:
        if _placeholder(text) or len(re.findall(r"\d", text)) >= 5 or not re.search(r"[^\W\d_]{2}", text):
            return ()
        ror = self._exact(text)
        if ror:
            return (ror,)
        for sponsor in sponsors:
            if sponsor.sponsor_class != "INDIV" and _org_key(sponsor.name) == _org_key(text):
                org = self.sponsor_org(sponsor)
                return (org,) if org else ()
        refs = self.resolver.resolve([_DASH.sub(", ", text)])
        if refs:
            return refs
        bare = _bare_org(text)
        if _COMPANY.search(bare):  # "Alzheon Inc.": a company the resolver does not recognise
            return (self._minted(bare, "institution"),)
        return ()

    def _exact(self, name: str) -> OrgRef | None:
        hit = self.index.exact(name)
        if hit is None:
            return None
        org, kind, method, confidence = hit
        self.resolver.matches.setdefault(name, AffiliationMatch(name, org, method, confidence))
        return OrgRef(org, self.index.labels.get(org, name), kind, describe=False)

    def _minted(self, name: str, kind: str | None = None) -> OrgRef:
        """An organisation this source names, keyed on its name without legal form, so that
        "Celgene" and "Celgene Corporation" are one."""
        return OrgRef(self.store.minter.org(slug(_org_key(name))), name, kind or kind_from_name(name))


def _bare_org(name: str) -> str:
    """An organisation name without parenthesised acronyms: "National Institute on Aging (NIA)"."""
    return _SPACE.sub(" ", _PARENTHESES.sub(" ", name)).strip(" ,;")


def _org_key(name: str) -> str:
    """The matching form of an organisation name without its legal form ("Inc.", "Co., Ltd.")."""
    key = normalise(_bare_org(name))
    while True:
        shorter = _LEGAL_FORM.sub("", key)
        if shorter == key or not shorter:
            return key
        key = shorter
