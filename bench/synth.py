#!/usr/bin/env python3
"""Synthetic PubMed efetch XML and ROR v2 JSON for scale tests.

The output goes through the real ingest path: ``DIR/pubmed_00001.xml[.gz]`` ...
hold ``<PubmedArticleSet><PubmedArticle>...`` records with the element structure of
NCBI efetch output, and ``DIR/ror.json`` is a JSON array of ROR schema v2 records for
every synthetic institution that affiliations name.

The world behind the papers is invented but shaped like the real one:

* 6-12 institutions (more with more people): universities paired with hospitals in
  a few invented cities, each with 5-25 departments; some hospitals are children of
  a university or of a health system, others are ``related`` to the university.
* People with given/family names drawn from large lists where common family names
  are common (so "Smith J" at two institutions are two different people), a home
  department, ~10% a second affiliation (mostly at the partner institution), ~15%
  an ORCID with a valid ISO 7064 11,2 check character.
* Long-tailed productivity (Pareto weights: a few prolific PIs, most people on 1-3
  papers) and team sizes (median ~6, ~2% of papers with 20+ authors, rare
  consortium papers with 50-300 authors); co-authors come mostly from the same
  department, its partner departments and the partner hospital/university.
* Years 2000-2024 with volume growing ~8% a year; MeSH headings drawn with Zipf
  popularity from the real descriptor list, with per-department topic preferences,
  MajorTopicYN flags and real qualifiers.

Everything is deterministic given the seed (one :class:`random.Random`); the same
seed gives byte-identical files, also gzipped (mtime 0, no file name in the header).
The paper stream does not depend on ``papers``, ``per_file`` or ``gzip``: a smaller
run is a prefix of a larger one with the same seed and people.

Papers are written as they are generated; memory holds the people and institution
tables only. ``generate(..., on_paper=callback)`` reports each paper's authors as
indexes into ``build_world(people, seed).people`` (ground truth for author
disambiguation and productivity checks).

Usage::

    python bench/synth.py --papers 100000 --people 40000 --out /tmp/synth [--seed 1]
        [--per-file 5000] [--gzip]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip as _gzip
import io
import itertools
import json
import math
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = [
    "SynthSummary",
    "World",
    "build_world",
    "generate",
    "write_nquads",
    "load_mesh_descriptors",
    "orcid_check_char",
    "ror_checksum",
    "main",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
MESH_BUNDLED = REPO_ROOT / "ingest" / "data" / "mesh_descriptors.csv.gz"
MESH_SHARED = Path("/work/shared/data/mesh/mesh_descriptors_labels.csv")

PMID_START = 90000001
DOI_PREFIX = "10.5555/synth."
YEARS = tuple(range(2000, 2025))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

XML_HEADER = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
XML_FOOTER = "</PubmedArticleSet>\n"

_FILE_RE = re.compile(r"^pubmed_\d{5}\.xml(\.gz)?$")


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`generate` wrote.

    ``authorships`` counts person author slots (collective/consortium names are not
    counted); ``people`` is the size of the people table (not everybody need appear).
    """

    files: int
    papers: int
    people: int
    authorships: int
    institutions: int


# ---------------------------------------------------------------------------
# Check characters
# ---------------------------------------------------------------------------

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def orcid_check_char(base15: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for ch in base15:
        total = (total + int(ch)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def ror_checksum(prefix7: str) -> str:
    """Two-digit ISO 7064 MOD 97-10 checksum of a ROR id's first 7 characters."""
    n = 0
    for ch in prefix7:
        n = n * 32 + _CROCKFORD.index(ch)
    return "%02d" % (98 - (n * 100) % 97)


def _issn_check(digits7: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits7, range(8, 1, -1)))
    c = (11 - total % 11) % 11
    return "X" if c == 10 else str(c)


# ---------------------------------------------------------------------------
# Vocabulary (all invented, except real MeSH/NIH identifiers)
# ---------------------------------------------------------------------------

# city, subdivision code, subdivision name, country code, country name,
# continent code, continent name, lat, lng, country as written in affiliations
_CITIES = (
    ("Northbridge", "MA", "Massachusetts", "US", "United States", "NA", "North America", 42.151, -71.649, "USA"),
    ("Harlow Bay", "CA", "California", "US", "United States", "NA", "North America", 37.612, -122.318, "USA"),
    ("Corvallen", "OH", "Ohio", "US", "United States", "NA", "North America", 40.018, -82.913, "USA"),
    ("Westmere", "WA", "Washington", "US", "United States", "NA", "North America", 47.521, -122.204, "USA"),
    ("Ashford Falls", "PA", "Pennsylvania", "US", "United States", "NA", "North America", 40.437, -79.951, "USA"),
    ("Lindenport", "MN", "Minnesota", "US", "United States", "NA", "North America", 44.923, -93.247, "USA"),
    ("Kestrel Point", "TX", "Texas", "US", "United States", "NA", "North America", 29.784, -95.391, "USA"),
    ("Brennan Hills", "NC", "North Carolina", "US", "United States", "NA", "North America", 35.921, -79.012, "USA"),
    ("Marlow Springs", "CO", "Colorado", "US", "United States", "NA", "North America", 39.712, -104.987, "USA"),
    ("Eastharbor", "MD", "Maryland", "US", "United States", "NA", "North America", 39.301, -76.588, "USA"),
    ("Calderholme", "ENG", "England", "GB", "United Kingdom", "EU", "Europe", 53.462, -2.231, "UK"),
    ("Rivermouth", "ON", "Ontario", "CA", "Canada", "NA", "North America", 43.478, -80.529, "Canada"),
)
_US_ZIP2 = {"MA": "02", "CA": "94", "OH": "43", "WA": "98", "PA": "15", "MN": "55", "TX": "77", "NC": "27",
            "CO": "80", "MD": "21"}

_SAINTS = ("Elara", "Corwin", "Isadora", "Mireille", "Tobiah", "Venna", "Oriel", "Lucan")
_BENEFACTORS = ("Whitcombe", "Halvorsen", "Ambrose Tallis", "Penrith", "Okonkwo-Hale", "Vandermeer")

# name, kind, MeSH label keywords (case-insensitive substrings) for topic preferences
# kinds: clin = clinical department, div = division of medicine, eng = engineering,
# sci = basic/quantitative science
_DEPARTMENTS = (
    ("Department of Neurology", "clin", ("neuro", "brain", "alzheimer", "dementia", "cognit", "stroke", "epilep", "parkinson")),
    ("Department of Psychiatry", "clin", ("mental", "depress", "schizo", "anxiety", "psychiat", "bipolar", "behavior")),
    ("Department of Radiology", "clin", ("imaging", "tomography", "radiograph", "magnetic resonance", "ultrason", "contrast media")),
    ("Department of Medicine", "clin", ("diabetes", "hypertension", "infect", "inflamm", "kidney", "obesity")),
    ("Department of Pediatrics", "clin", ("child", "infant", "pediatric", "neonat", "adolescen")),
    ("Department of Surgery", "clin", ("surg", "transplant", "wound", "postoperative", "anastomo")),
    ("Department of Pathology", "clin", ("patholog", "biopsy", "histolog", "staining", "autopsy")),
    ("Department of Oncology", "clin", ("neoplasm", "cancer", "tumor", "carcinoma", "lymphoma", "leukemia", "antineoplastic")),
    ("Department of Emergency Medicine", "clin", ("emergenc", "trauma", "resuscitation", "critical", "injur")),
    ("Department of Anesthesiology", "clin", ("anesthe", "analges", "pain", "sedation")),
    ("Department of Neurosurgery", "clin", ("neurosurg", "spinal", "craniotomy", "hydroceph", "brain neoplasms")),
    ("Department of Orthopaedic Surgery", "clin", ("bone", "fracture", "joint", "orthop", "arthro", "cartilage")),
    ("Department of Ophthalmology", "clin", ("eye", "retin", "visual", "glaucoma", "cornea", "macular")),
    ("Department of Obstetrics and Gynecology", "clin", ("pregnan", "fetal", "obstetric", "uter", "ovar", "placenta")),
    ("School of Nursing", "clin", ("nursing", "patient care", "caregiver", "quality of life", "nurse")),
    ("Division of Cardiology", "div", ("heart", "cardi", "coronary", "myocard", "atrial", "ventricular")),
    ("Division of Infectious Diseases", "div", ("infect", "bacteri", "virus", "hiv", "antibacterial", "vaccin")),
    ("Division of Endocrinology", "div", ("diabetes", "insulin", "thyroid", "endocrin", "glucose", "obesity")),
    ("Division of Pulmonary and Critical Care Medicine", "div", ("lung", "pulmonary", "respirat", "asthma", "ventilat")),
    ("Division of Gastroenterology", "div", ("liver", "intestin", "gastro", "colon", "hepat", "pancrea")),
    ("Division of Nephrology", "div", ("kidney", "renal", "dialysis", "nephr")),
    ("Division of Rheumatology", "div", ("arthritis", "lupus", "rheumat", "autoimmun")),
    ("Division of Hematology", "div", ("blood", "anemia", "hemoglobin", "thrombo", "hematolog", "platelet")),
    ("Department of Biomedical Engineering", "eng", ("biomedical engineering", "equipment design", "prosthe", "biomechan", "tissue engineering", "signal processing")),
    ("Department of Electrical Engineering", "eng", ("electr", "signal processing", "algorithm", "wireless", "electrodes", "equipment design")),
    ("Department of Computer Science", "eng", ("algorithm", "machine learning", "software", "computer", "artificial intelligence", "deep learning")),
    ("Department of Mechanical Engineering", "eng", ("biomechan", "stress, mechanical", "robot", "elastic", "equipment failure")),
    ("Department of Chemical Engineering", "eng", ("polymer", "nanopart", "drug carriers", "hydrogel", "biocompatible")),
    ("Department of Materials Science and Engineering", "eng", ("biocompatible", "nanostruct", "surface properties", "materials", "polymer")),
    ("Department of Biostatistics", "sci", ("statistic", "models, statistical", "bayes", "regression", "cohort", "data interpretation")),
    ("Department of Epidemiology", "sci", ("epidemiolog", "cohort", "risk factors", "incidence", "prevalence", "population")),
    ("Department of Biochemistry", "sci", ("protein", "enzyme", "peptide", "kinase", "metabol", "amino acid")),
    ("Department of Molecular Biology", "sci", ("gene", "rna", "dna", "transcription", "mutation", "chromatin")),
    ("Department of Genetics", "sci", ("genom", "polymorphism", "mutation", "genetic", "exome", "allele")),
    ("Department of Pharmacology", "sci", ("drug", "pharmac", "receptor", "dose-response", "inhibitor")),
    ("Department of Physiology", "sci", ("physiolog", "membrane potential", "ion channel", "calcium", "homeostasis")),
    ("Department of Microbiology and Immunology", "sci", ("immun", "antibod", "t-lymphocyte", "bacteri", "cytokine", "antigen")),
    ("Department of Chemistry", "sci", ("chemi", "spectrometry", "chromatography", "molecular structure", "catalysis")),
    ("Department of Physics", "sci", ("physic", "optic", "laser", "radiation", "spectrum")),
    ("Department of Psychology", "sci", ("cognit", "memory", "behavior", "attention", "emotion", "learning")),
    ("Department of Neuroscience", "sci", ("neuron", "synap", "hippocamp", "neurotransmit", "axon", "brain")),
    ("Department of Public Health Sciences", "sci", ("public health", "health policy", "socioeconomic", "health services", "prevent")),
    ("Department of Health Informatics", "sci", ("informatics", "electronic health records", "databases", "software", "data mining")),
    ("Department of Cell Biology", "sci", ("cell", "cytoskeleton", "mitochondria", "apoptosis", "autophagy")),
)
_DEPT_KIND = {name: kind for name, kind, _ in _DEPARTMENTS}
_DEPT_NAMES_BY_KIND: dict[str, tuple[str, ...]] = {}
for _n, _k, _ in _DEPARTMENTS:
    _DEPT_NAMES_BY_KIND[_k] = _DEPT_NAMES_BY_KIND.get(_k, ()) + (_n,)

# Very common family names first: the weights fall off with position (Zipf-like).
_FAMILY_NAMES = """
Smith Wang Li Zhang Kim Lee Johnson Chen Liu Nguyen Brown Williams Patel Garcia Jones Miller
Yang Park Davis Singh Huang Martin Rodriguez Zhao Wu Zhou Taylor Anderson Thomas Kumar Martinez
Choi Sato Suzuki Muller Schmidt Rossi Wilson Moore Jackson White Harris Thompson Young Allen King
Wright Scott Hernandez Lopez Gonzalez Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner
Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy
Cooper Richardson Cox Howard Ward Peterson Gray James Watson Brooks Kelly Sanders Price Bennett
Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Flores Butler Simmons
Foster Bryant Alexander Russell Griffin Diaz Hayes Myers Ford Hamilton Graham Sullivan Wallace
Tanaka Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Xu Sun Ma Zhu Hu Guo He Lin Luo Gao
Tran Pham Le Hoang Shah Sharma Gupta Reddy Rao Iyer Das Chowdhury Khan Ahmed Ali Hassan Ibrahim
Rahman Hussein Cohen Levy Friedman Katz Schwartz Silva Santos Oliveira Souza Pereira Costa Ferreira
Almeida Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf
Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Bernard Dubois Durand Leroy Moreau
Lefebvre Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Hansen
Jensen Nielsen Pedersen Jansen Bakker Visser Smit Meijer Mulder Kowalski Nowak Novak Horvat
Ivanov Petrov Popescu O'Brien O'Connor Walsh McCarthy Byrne Fitzgerald Kennedy Fernandez Sanchez
Ramirez Torres Gomez Morales Ortiz Cruz Reyes Ruiz Alvarez Castillo Jimenez Vargas Romero Herrera
Medina Aguilar Castro Guzman Mendoza Rojas Wheeler Chapman Oliver Montgomery Richards Williamson
Johnston Banks Bishop Howell Morrison Harvey Little Burton Stanley Dixon Warren Mason Boyd Henry
Crawford Hicks Hunter Porter Tucker Stevens Simpson Webb Wells Freeman Murray Marshall Gibson Ellis
Harrison Fisher Reynolds Owens Jordan West Cole Woods Hart Cunningham Bradley Lane Andrews Harper
Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Sims Austin Peters Franklin Lawson
Fields Ryan Carr Chavez Kowalczyk Lewandowski Zielinska Dimitrov Georgiou Papadopoulos Yilmaz
Kaya Demir Sahin Celik Ozturk Haddad Nasser Farouk Mensah Okafor Adeyemi Owusu Mwangi Kamau Otieno
Bhatt Mehta Desai Joshi Kapoor Malhotra Banerjee Mukherjee Chatterjee Bose Sen Ghosh Nair Menon
Pillai Varghese Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori Abe
Ikeda Hashimoto Ishikawa Ogawa Goto Okada Hasegawa Fujita Jung Kang Cho Yoon Jang Lim Han Shin Seo
Kwon Hwang Ahn Song Yoo Hong Jeon Ko Moon Yang Son Bae Baek Heo Nam Sim Noh Ha Kwak Sung Cha
Lindqvist Lindgren Berg Dahl Holm Strand Sandberg Lund Nyberg Ek Virtanen Korhonen Nieminen
Makinen Hamalainen Laine Heikkinen Koskinen Jarvinen Lehtonen Saarinen Salminen Haugen Lie Bakke
Moen Halvorsen Kristiansen Solberg Dahlberg Brandt Vogel Frank Bauer Lang Zimmermann Braun Kruger
Hofmann Hartmann Werner Krause Meier Lehmann Kohler Herrmann Konig Walter Mayer Huber Kaiser
Fuchs Peters Moller Weiss Jung Hahn Keller Vogt Sommer Graf Roth Beck Lorenz Baumann Franke
Albrecht Ludwig Winter Simon Kraus Martens Schubert Jacobs Peeters Maes Claes Wouters Goossens
De Smet Dupont Lambert Fontaine Rousseau Vincent Muller Girard Mercier Blanc Guerin Boyer Garnier
Chevalier Francois Legrand Gauthier Perrin Robin Clement Morin Nicolas Henry Roussel Mathieu
Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel Meyer Dufour Meunier Brun Blanchard
Giraud Joly Riviere Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche Renard Schmitt
Roy Leclerc Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier
Philippe Bourgeois Pierre Benoit Rey Leclercq Payet Rolland Leblanc Guillaume Prevost
""".split()
# a few names with diacritics and particles, as in real data
_FAMILY_NAMES += ["M\u00fcller", "Garc\u00eda", "S\u00f8rensen", "G\u00f3mez", "Jonsd\u00f3ttir",
                  "Wi\u015bniewski", "Ros\u00e9n", "van der Berg", "de Vries", "van Dijk", "da Silva",
                  "Nu\u00f1ez", "\u00d6zdemir", "Dvo\u0159\u00e1k", "Sch\u00e4fer", "Pirttil\u00e4"]

_GIVEN_NAMES = """
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward
Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin
Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Henry Peter Adam
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret
Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca
Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha
Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia
Wei Jing Li Min Hui Yan Xin Jun Lei Hao Yu Ying Fang Ping Tao Qiang Hong Mei Jian Yong Lin
Hiroshi Takeshi Kenji Yuki Akira Naoko Keiko Satoshi Haruka Daisuke Ji-Hoon Min-Jun Seo-Yeon
Hyun Soo-Jin Young Sung Anand Priya Rahul Anjali Vikram Deepa Sanjay Kavita Arjun Meera Ravi Sunita
Mohammed Ahmed Fatima Omar Layla Youssef Aisha Hassan Leila Karim Noor Tariq Zainab Ibrahim
Lars Anders Erik Karin Ingrid Sven Astrid Nils Johan Maja Elin Henrik Mikael Sofia Kristina
Hans Klaus Jurgen Stefan Andreas Katrin Petra Sabine Ulrike Matthias Tobias Florian Julia Lena
Jean-Pierre Marie Pierre Sophie Nathalie Philippe Isabelle Francois Camille Antoine Claire Luc
Giovanni Marco Luca Francesca Alessandro Chiara Paolo Giulia Matteo Elena Carlos Juan Jose Luis
Ana Miguel Javier Lucia Pablo Carmen Diego Sofia Rafael Beatriz Joao Pedro Mariana Tiago Gabriela
Olga Dmitri Sergei Natalia Ivan Tatiana Pavel Irina Piotr Katarzyna Tomasz Agnieszka Jan Eva
Kwame Ama Chinedu Ngozi Oluwaseun Adebayo Wanjiru Kofi Amara Tendai Sanna-Kaisa Niamh Siobhan
Ciaran Aoife Declan Grainne Rhys Gareth Megan Fiona Alasdair Morag
""".split()
_GIVEN_NAMES += ["Ren\u00e9", "Jos\u00e9", "Zo\u00eb", "S\u00f8ren", "Bj\u00f6rn", "Ma\u0142gorzata", "Ag\u00fcero"]
_MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"

# Real MeSH check tags (not drawn from the descriptor list, so always present).
_HUMANS = ("D006801", "Humans")
_ANIMALS = ("D000818", "Animals")
_MALE = ("D008297", "Male")
_FEMALE = ("D005260", "Female")
_AGE_GROUPS = (("D055815", "Young Adult"), ("D000328", "Adult"), ("D008875", "Middle Aged"),
               ("D000368", "Aged"), ("D000369", "Aged, 80 and over"))
_CHILD_GROUPS = (("D002648", "Child"), ("D000293", "Adolescent"), ("D007223", "Infant"))
_ANIMAL_SPECIES = (("D051379", "Mice"), ("D051381", "Rats"), ("D008810", "Mice, Inbred C57BL"),
                   ("D008822", "Mice, Transgenic"))

# Real MeSH qualifiers with approximate relative frequencies.
_QUALIFIERS = (
    ("Q000378", "metabolism", 110), ("Q000235", "genetics", 60), ("Q000473", "pathology", 38),
    ("Q000502", "physiology", 24), ("Q000187", "drug effects", 16), ("Q000494", "pharmacology", 13),
    ("Q000737", "chemistry", 12), ("Q000503", "physiopathology", 9), ("Q000134", "cerebrospinal fluid", 8),
    ("Q000276", "immunology", 7), ("Q000166", "cytology", 7), ("Q000379", "methods", 7),
    ("Q000000981", "diagnostic imaging", 5), ("Q000097", "blood", 5), ("Q000453", "epidemiology", 5),
    ("Q000627", "therapeutic use", 5), ("Q000175", "diagnosis", 5), ("Q000188", "drug therapy", 4),
    ("Q000209", "etiology", 4), ("Q000201", "enzymology", 4), ("Q000523", "psychology", 3),
    ("Q000032", "analysis", 3), ("Q000037", "antagonists & inhibitors", 3), ("Q000150", "complications", 3),
    ("Q000628", "therapy", 3), ("Q000601", "surgery", 3), ("Q000401", "mortality", 2),
)

# Built-in fallback when neither MeSH file is available (real descriptors).
_FALLBACK_MESH = (
    ("D000544", "Alzheimer Disease"), ("D016229", "Amyloid beta-Peptides"), ("D015415", "Biomarkers"),
    ("D001921", "Brain"), ("D009474", "Neurons"), ("D016875", "tau Proteins"), ("D006624", "Hippocampus"),
    ("D009154", "Mutation"), ("D002478", "Cells, Cultured"), ("D004195", "Disease Models, Animal"),
    ("D003072", "Cognition Disorders"), ("D003704", "Dementia"), ("D010300", "Parkinson Disease"),
    ("D020521", "Stroke"), ("D004827", "Epilepsy"), ("D003863", "Depression"), ("D012559", "Schizophrenia"),
    ("D008279", "Magnetic Resonance Imaging"), ("D014057", "Tomography, X-Ray Computed"),
    ("D003920", "Diabetes Mellitus"), ("D006973", "Hypertension"), ("D009765", "Obesity"),
    ("D009369", "Neoplasms"), ("D001943", "Breast Neoplasms"), ("D008175", "Lung Neoplasms"),
    ("D006331", "Heart Diseases"), ("D003324", "Coronary Artery Disease"), ("D009203", "Myocardial Infarction"),
    ("D001281", "Atrial Fibrillation"), ("D015658", "HIV Infections"), ("D007239", "Infections"),
    ("D008168", "Lung"), ("D001249", "Asthma"), ("D008099", "Liver"), ("D007668", "Kidney"),
    ("D001172", "Arthritis, Rheumatoid"), ("D008180", "Lupus Erythematosus, Systemic"),
    ("D000465", "Algorithms"), ("D000069550", "Machine Learning"), ("D012984", "Software"),
    ("D004867", "Equipment Design"), ("D001696", "Biomechanical Phenomena"), ("D011108", "Polymers"),
    ("D053758", "Nanoparticles"), ("D015331", "Cohort Studies"), ("D012307", "Risk Factors"),
    ("D015994", "Incidence"), ("D015995", "Prevalence"), ("D011506", "Proteins"), ("D004798", "Enzymes"),
    ("D005796", "Genes"), ("D012313", "RNA"), ("D004247", "DNA"), ("D011110", "Polymorphism, Genetic"),
    ("D011956", "Receptors, Drug"), ("D002118", "Calcium"), ("D007109", "Immunity"), ("D000906", "Antibodies"),
    ("D016207", "Cytokines"), ("D008568", "Memory"), ("D001519", "Behavior"), ("D013569", "Synapses"),
    ("D011634", "Public Health"), ("D057286", "Electronic Health Records"), ("D017209", "Apoptosis"),
    ("D008928", "Mitochondria"), ("D001835", "Body Weight"), ("D011446", "Prospective Studies"),
    ("D012189", "Retrospective Studies"), ("D016896", "Treatment Outcome"), ("D011788", "Quality of Life"),
    ("D013997", "Time Factors"), ("D016015", "Logistic Models"), ("D011379", "Prognosis"),
)

_PUB_TYPES = {
    "article": ("D016428", "Journal Article"),
    "nih": ("D052061", "Research Support, N.I.H., Extramural"),
    "nonus": ("D013485", "Research Support, Non-U.S. Gov't"),
    "usgov": ("D013486", "Research Support, U.S. Gov't, Non-P.H.S."),
    "review": ("D016454", "Review"),
    "multi": ("D016448", "Multicenter Study"),
    "rct": ("D016449", "Randomized Controlled Trial"),
    "comparative": ("D003160", "Comparative Study"),
    "trial": ("D016430", "Clinical Trial"),
    "meta": ("D017418", "Meta-Analysis"),
    "case": ("D002363", "Case Reports"),
}

# Real NIH institute codes and agency names; grant numbers are invented.
_NIH = (
    ("AG", "NIA NIH HHS", 30), ("NS", "NINDS NIH HHS", 12), ("MH", "NIMH NIH HHS", 6),
    ("HL", "NHLBI NIH HHS", 8), ("CA", "NCI NIH HHS", 10), ("EB", "NIBIB NIH HHS", 4),
    ("DK", "NIDDK NIH HHS", 5), ("GM", "NIGMS NIH HHS", 6), ("AI", "NIAID NIH HHS", 5),
    ("HD", "NICHD NIH HHS", 3), ("EY", "NEI NIH HHS", 2), ("TR", "NCATS NIH HHS", 2),
)
_NIH_ACTIVITIES = ("R01", "R01", "R01", "R21", "P30", "P50", "U01", "K23", "K08", "T32", "F31", "R03")
_OTHER_FUNDERS = (("Medical Research Council", "United Kingdom"), ("Wellcome Trust", "United Kingdom"),
                  ("Canadian Institutes of Health Research", "Canada"))

_JOURNAL_HOUSES = ("Meridian", "Halcyon", "Aldergrove", "Brightwater", "Calloway", "Thornfield", "Larkspur")
_JOURNAL_PATTERNS = ("Journal of {f}", "Annals of {f}", "{f} Reports", "International Journal of {f}",
                     "Archives of {f}", "Translational {f}", "{f} Letters", "Clinical {f} Research")
_JOURNAL_FIELDS = {
    "Neurology": ("Neurology", "Department of Neurology", "Department of Neuroscience", "Department of Neurosurgery"),
    "Clinical Neuroscience": ("Clinical Neuroscience", "Department of Neurology", "Department of Psychiatry", "Department of Neuroscience"),
    "Psychiatry": ("Psychiatry", "Department of Psychiatry", "Department of Psychology"),
    "Medical Imaging": ("Medical Imaging", "Department of Radiology", "Department of Biomedical Engineering"),
    "Internal Medicine": ("Internal Medicine", "Department of Medicine", "Division of Endocrinology", "Division of Nephrology"),
    "Pediatrics": ("Pediatrics", "Department of Pediatrics", "Department of Obstetrics and Gynecology"),
    "Surgery": ("Surgery", "Department of Surgery", "Department of Orthopaedic Surgery", "Department of Neurosurgery", "Department of Anesthesiology"),
    "Pathology": ("Pathology", "Department of Pathology", "Department of Cell Biology"),
    "Oncology": ("Oncology", "Department of Oncology", "Division of Hematology"),
    "Emergency Care": ("Emergency Care", "Department of Emergency Medicine", "Division of Pulmonary and Critical Care Medicine"),
    "Ophthalmology": ("Ophthalmology", "Department of Ophthalmology"),
    "Nursing": ("Nursing", "School of Nursing"),
    "Cardiology": ("Cardiology", "Division of Cardiology"),
    "Infectious Diseases": ("Infectious Diseases", "Division of Infectious Diseases", "Department of Microbiology and Immunology"),
    "Gastroenterology": ("Gastroenterology", "Division of Gastroenterology"),
    "Rheumatology": ("Rheumatology", "Division of Rheumatology"),
    "Biomedical Engineering": ("Biomedical Engineering", "Department of Biomedical Engineering", "Department of Mechanical Engineering", "Department of Electrical Engineering"),
    "Medical Informatics": ("Medical Informatics", "Department of Computer Science", "Department of Health Informatics", "Department of Electrical Engineering"),
    "Biomaterials": ("Biomaterials", "Department of Chemical Engineering", "Department of Materials Science and Engineering", "Department of Chemistry"),
    "Biostatistics": ("Biostatistics", "Department of Biostatistics", "Department of Epidemiology"),
    "Epidemiology": ("Epidemiology", "Department of Epidemiology", "Department of Public Health Sciences"),
    "Molecular Biology": ("Molecular Biology", "Department of Molecular Biology", "Department of Biochemistry", "Department of Cell Biology"),
    "Genetics": ("Genetics", "Department of Genetics", "Department of Molecular Biology"),
    "Pharmacology": ("Pharmacology", "Department of Pharmacology", "Department of Physiology"),
    "Biophysics": ("Biophysics", "Department of Physics", "Department of Physiology"),
}
_JOURNAL_GENERAL = ("Medicine", "Biomedical Science", "Health Sciences", "Life Sciences")
_ISO_WORDS = {
    "Journal": "J", "Annals": "Ann", "Reports": "Rep", "International": "Int", "Archives": "Arch",
    "Translational": "Transl", "Letters": "Lett", "Clinical": "Clin", "Research": "Res",
    "Neurology": "Neurol", "Neuroscience": "Neurosci", "Psychiatry": "Psychiatry", "Medical": "Med",
    "Imaging": "Imaging", "Internal": "Intern", "Medicine": "Med", "Pediatrics": "Pediatr",
    "Surgery": "Surg", "Pathology": "Pathol", "Oncology": "Oncol", "Emergency": "Emerg", "Care": "Care",
    "Ophthalmology": "Ophthalmol", "Nursing": "Nurs", "Cardiology": "Cardiol", "Infectious": "Infect",
    "Diseases": "Dis", "Gastroenterology": "Gastroenterol", "Rheumatology": "Rheumatol",
    "Biomedical": "Biomed", "Engineering": "Eng", "Informatics": "Inform", "Biomaterials": "Biomater",
    "Biostatistics": "Biostat", "Epidemiology": "Epidemiol", "Molecular": "Mol", "Biology": "Biol",
    "Genetics": "Genet", "Pharmacology": "Pharmacol", "Biophysics": "Biophys", "Science": "Sci",
    "Health": "Health", "Sciences": "Sci", "Life": "Life",
}

# Affiliation variants: (weight, key); see _affiliation_variants.
_AFF_VARIANTS = ((40, "full"), (18, "nozip"), (10, "dept_abbrev"), (10, "nodept"), (6, "acronym"),
                 (8, "alias"), (8, "state_full"))


# ---------------------------------------------------------------------------
# MeSH descriptors
# ---------------------------------------------------------------------------

def _open_text(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(_gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _read_mesh_csv(path: Path) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    with _open_text(path) as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        if "ui" in header:
            ui_col = header.index("ui")
            label_col = header.index("label") if "label" in header else 1
        elif "id" in header:
            ui_col = header.index("id")
            label_col = header.index("subject") if "subject" in header else (
                header.index("label") if "label" in header else len(header) - 1)
        else:  # no header: ui,label
            ui_col, label_col = 0, 1
            if len(header) >= 2:
                out[header[0].rsplit("/", 1)[-1].upper()] = header[1]
        for row in reader:
            if len(row) <= max(ui_col, label_col):
                continue
            ui = row[ui_col].strip().rsplit("/", 1)[-1]
            label = row[label_col].strip()
            if ui.startswith("D") and ui[1:].isdigit() and label:
                out[ui] = label
    return tuple(sorted(out.items()))


@lru_cache(maxsize=4)
def _load_mesh_cached(path_str: str) -> tuple[tuple[str, str], ...]:
    if path_str == "":
        return _FALLBACK_MESH
    rows = _read_mesh_csv(Path(path_str))
    return rows if len(rows) >= 20 else _FALLBACK_MESH


def load_mesh_descriptors(path: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(ui, label) pairs sorted by UI.

    Reads ``path`` if given, else the bundled ``ingest/data/mesh_descriptors.csv.gz``
    (columns ``ui,label``), else the shared ``mesh_descriptors_labels.csv``
    (``id,scheme,subject`` with MeSH URIs), else a small built-in list.
    """
    if path is None:
        for cand in (MESH_BUNDLED, MESH_SHARED):
            if cand.is_file():
                path = cand
                break
    try:
        return _load_mesh_cached(str(path) if path is not None else "")
    except (OSError, csv.Error, EOFError, UnicodeDecodeError):
        if path is not None and path not in (MESH_BUNDLED, MESH_SHARED):
            raise
        return _FALLBACK_MESH


def _term(label: str) -> str:
    """A MeSH label as running text: 'Mice, Transgenic' -> 'transgenic mice'."""
    if label.count(", ") == 1:
        a, b = label.split(", ")
        label = f"{b} {a}"
    words = []
    for word in label.split(" "):
        parts = []
        for w in word.split("-"):
            if w[1:].lower() == w[1:] and not any(c.isdigit() for c in w):
                w = w.lower()
            parts.append(w)
        words.append("-".join(parts))
    return " ".join(words)


@lru_cache(maxsize=4)
def _dept_matches(descriptors: tuple[tuple[str, str], ...]) -> dict[str, tuple[int, ...]]:
    """Department name -> indexes of descriptors whose label matches its keywords."""
    text = "\n".join(label.lower() for _, label in descriptors)
    starts = [0]
    for label in descriptors[:-1]:
        starts.append(starts[-1] + len(label[1]) + 1)
    out = {}
    for name, _, kws in _DEPARTMENTS:
        rx = re.compile("|".join(re.escape(k) for k in kws))
        hits: list[int] = []
        last = -1
        for m in rx.finditer(text):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i != last:
                hits.append(i)
                last = i
        out[name] = tuple(hits)
    return out


# ---------------------------------------------------------------------------
# World: institutions, departments, people
# ---------------------------------------------------------------------------

class _Inst:
    __slots__ = ("idx", "name", "kind", "role", "city", "ror_id", "acronym", "alias", "domain",
                 "postcode", "established", "depts", "partners", "rels", "member_cw", "members",
                 "geonames_id", "child_of_uni")

    def __init__(self, idx, name, kind, role, city):
        self.idx = idx
        self.name = name
        self.kind = kind  # "education" | "healthcare"
        self.role = role  # U (university), H (main hospital), X (extra hospital), S (health system)
        self.city = city
        self.child_of_uni = False
        self.depts: list[_Dept] = []
        self.partners: list[int] = []
        self.rels: list[tuple[str, int]] = []
        self.members: list[int] = []
        self.member_cw: list[float] = []


class _Dept:
    __slots__ = ("idx", "inst", "name", "variants", "pool", "pool_cw", "partners", "members",
                 "member_cw", "journals", "journal_cw", "fresh")

    def __init__(self, idx, inst, name):
        self.idx = idx
        self.inst = inst
        self.name = name
        self.partners: list[int] = []
        self.members: list[int] = []
        self.member_cw: list[float] = []


class _Person:
    __slots__ = ("idx", "family", "given", "initials", "orcid", "dept", "dept2", "email",
                 "name_xml", "orcid_xml", "orcid_url_xml", "weight")


@dataclass
class World:
    """The synthetic institutions, departments and people behind the papers."""

    institutions: list
    departments: list
    people: list
    descriptors: tuple
    ror_records: list


def _acronym(name: str) -> str:
    skip = {"of", "and", "the", "St.", "for"}
    letters = []
    for w in name.replace("'s", "").replace("-", " ").split():
        if w in skip:
            if w == "St.":
                letters.append("S")
            continue
        letters.append(w[0].upper())
    return "".join(letters)


def _alias(name: str) -> str:
    alias = (name.replace("University", "Univ.").replace("Hospital", "Hosp.")
             .replace("Medical Center", "Med. Ctr.").replace("General", "Gen.")
             .replace("Health System", "Health Sys.").replace("Institute of Technology", "Inst. of Tech."))
    if alias == name:
        alias = name + " (main campus)"
    return alias


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _ror_id(rng: random.Random, used: set) -> str:
    while True:
        prefix = "0" + "".join(rng.choice(_CROCKFORD) for _ in range(6))
        if prefix not in used:
            used.add(prefix)
            return f"https://ror.org/{prefix}{ror_checksum(prefix)}"


def _n_institutions(people: int) -> int:
    return max(6, min(12, 6 + int(math.log2(max(1.0, people / 400)))))


def _zipf_cw(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(n)))


def _build_institutions(rng: random.Random, n: int) -> list[_Inst]:
    cities = list(range(len(_CITIES)))
    rng.shuffle(cities)
    saints = list(_SAINTS)
    rng.shuffle(saints)
    benefactors = list(_BENEFACTORS)
    rng.shuffle(benefactors)
    # (role, city slot); the first six are three university-hospital pairs.
    plan = [("U", 0), ("H", 0), ("U", 1), ("H", 1), ("U", 2), ("H", 2), ("X", 0), ("S", 0),
            ("U", 3), ("H", 3), ("X", 1), ("U", 4), ("H", 4), ("X", 2)]
    insts: list[_Inst] = []
    unis: dict[int, _Inst] = {}
    for role, slot in plan[:n]:
        city = _CITIES[cities[slot]]
        cname = city[0]
        if role == "U":
            style = rng.randrange(4)
            name = (f"{cname} University", f"University of {cname}", f"{cname} State University",
                    f"{cname} Institute of Technology")[style]
            inst = _Inst(len(insts), name, "education", role, city)
            unis[slot] = inst
        elif role == "H":
            uni = unis.get(slot)
            if slot % 2 == 1 and uni is not None:
                # a university's own hospital: its child in ROR
                if "Institute" in uni.name:
                    name = f"{cname} University Medical Center"
                else:
                    name = f"{uni.name} Medical Center"
                inst = _Inst(len(insts), name, "healthcare", role, city)
                inst.child_of_uni = True
                insts.append(inst)
                continue
            else:
                name = rng.choice((f"{cname} General Hospital", f"{cname} Memorial Hospital",
                                   f"{cname} Regional Medical Center"))
            inst = _Inst(len(insts), name, "healthcare", role, city)
        elif role == "X":
            if rng.random() < 0.6:
                name = f"St. {saints.pop()} Medical Center"
            else:
                name = f"{benefactors.pop()} Children's Hospital"
            inst = _Inst(len(insts), name, "healthcare", role, city)
        else:  # health system
            name = f"{cname} Health System"
            inst = _Inst(len(insts), name, "healthcare", role, city)
        insts.append(inst)
    return insts


def _link_institutions(rng: random.Random, insts: list[_Inst]) -> None:
    """ROR relationships and collaboration partners (same city)."""
    by_city: dict[str, list[_Inst]] = {}
    for inst in insts:
        by_city.setdefault(inst.city[0], []).append(inst)

    def rel(a: _Inst, typ: str, b: _Inst) -> None:
        inverse = {"parent": "child", "child": "parent", "related": "related"}[typ]
        if (typ, b.idx) not in a.rels:
            a.rels.append((typ, b.idx))
        if (inverse, a.idx) not in b.rels:
            b.rels.append((inverse, a.idx))

    for members in by_city.values():
        uni = next((i for i in members if i.role == "U"), None)
        system = next((i for i in members if i.role == "S"), None)
        for inst in members:
            if inst.role in ("H", "X"):
                if system is not None:
                    rel(inst, "parent", system)
                if uni is not None:
                    if inst.child_of_uni:
                        rel(inst, "parent", uni)
                    else:
                        rel(inst, "related", uni)
            elif inst.role == "S" and uni is not None:
                rel(inst, "related", uni)
        people_holders = [i for i in members if i.role != "S"]
        for inst in people_holders:
            inst.partners = [o.idx for o in people_holders if o is not inst]
    # institutions alone in their city get a partner elsewhere (a cross-city tie)
    holders = [i for i in insts if i.role != "S"]
    for inst in holders:
        if not inst.partners:
            other_kind = [o for o in holders if o is not inst and o.kind != inst.kind]
            pool = other_kind or [o for o in holders if o is not inst]
            if pool:
                inst.partners = [rng.choice(pool).idx]


def _affiliation_variants(dept_name: str, inst: _Inst) -> list[str]:
    city = inst.city
    cname, sub, sub_full, country = city[0], city[1], city[2], city[9]
    if city[3] == "US":
        loc_zip = f"{cname}, {sub} {inst.postcode}, {country}"
        loc = f"{cname}, {sub}, {country}"
        loc_full = f"{cname}, {sub_full} {inst.postcode}"
    elif city[3] == "GB":
        loc_zip = f"{cname} {inst.postcode}, {country}"
        loc = f"{cname}, {country}"
        loc_full = f"{cname}, {sub_full}, {country}"
    else:
        loc_zip = f"{cname}, {sub} {inst.postcode}, {country}"
        loc = f"{cname}, {sub}, {country}"
        loc_full = f"{cname}, {sub_full}, {country}"
    abbrev = dept_name.replace("Department of ", "Dept. of ").replace("Division of ", "Div. of ")
    variants = {
        "full": f"{dept_name}, {inst.name}, {loc_zip}.",
        "nozip": f"{dept_name}, {inst.name}, {loc}.",
        "dept_abbrev": f"{abbrev}, {inst.name}, {loc}.",
        "nodept": f"{inst.name}, {loc_zip}.",
        "acronym": f"{dept_name}, {inst.acronym}, {loc}.",
        "alias": f"{dept_name}, {inst.alias}, {loc_zip}.",
        "state_full": f"{dept_name}, {inst.name}, {loc_full}.",
    }
    return [escape(variants[key]) for _, key in _AFF_VARIANTS]


_AFF_CW = list(itertools.accumulate(w for w, _ in _AFF_VARIANTS))


def _initials(given: str) -> str:
    parts = re.split(r"[\s-]+", given)
    return "".join(p[0].upper() for p in parts if p)


def _make_orcid(rng: random.Random, used: set) -> str:
    while True:
        n = rng.randrange(150000000000000, 350000000000000)  # 0000-0001-5... .. 0000-0003-5...
        if n not in used:
            used.add(n)
            break
    base = "%015d" % n
    digits = base + orcid_check_char(base)
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def _weighted_pick(rng_random, items, cw):
    return items[bisect.bisect_right(cw, rng_random() * cw[-1])]


def _build_world(rng: random.Random, people: int, descriptors: tuple[tuple[str, str], ...]) -> World:
    if people < 1:
        raise ValueError("people must be >= 1")
    insts = _build_institutions(rng, _n_institutions(people))
    used_ror: set = set()
    used_domains: set = set()
    used_acr: set = set()
    for inst in insts:
        inst.ror_id = _ror_id(rng, used_ror)
        acr = _acronym(inst.name)
        while acr in used_acr:
            acr += inst.city[0][0]
        used_acr.add(acr)
        inst.acronym = acr
        inst.alias = _alias(inst.name)
        base = _slug(inst.city[0]) if inst.role == "U" else acr.lower()
        dom = f"{base}.example.{'edu' if inst.kind == 'education' else 'org'}"
        while dom in used_domains:
            base += "x"
            dom = f"{base}.example.{'edu' if inst.kind == 'education' else 'org'}"
        used_domains.add(dom)
        inst.domain = dom
        if inst.city[3] == "US":
            inst.postcode = "%s%03d" % (_US_ZIP2[inst.city[1]], rng.randrange(1000))
        elif inst.city[3] == "GB":
            inst.postcode = f"M{rng.randrange(1, 40)} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        else:
            inst.postcode = (f"{rng.choice('KLMN')}{rng.randrange(10)}{rng.choice('ABCEGHJKLMNPRSTVXY')} "
                             f"{rng.randrange(10)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randrange(10)}")
        inst.established = rng.randrange(1850, 1995)
        inst.geonames_id = 9000000 + _CITIES.index(inst.city) * 1000 + 1
    _link_institutions(rng, insts)

    # Departments
    depts: list[_Dept] = []
    dept_weight: list[float] = []
    for inst in insts:
        if inst.role == "S":
            continue
        if inst.role == "U":
            k = rng.randint(10, 25)
            names = list(_DEPT_NAMES_BY_KIND["sci"] + _DEPT_NAMES_BY_KIND["eng"])
            if "Institute of Technology" in inst.name:
                k = min(k, len(names))
            else:  # a university with a medical school
                names += _DEPT_NAMES_BY_KIND["clin"]
            size = 1.6
        else:
            k = rng.randint(5, 20)
            names = list(_DEPT_NAMES_BY_KIND["clin"] + _DEPT_NAMES_BY_KIND["div"]) + [
                "Department of Biostatistics", "Department of Epidemiology", "Department of Genetics"]
            size = 1.0 if inst.role == "H" else 0.5
        rng.shuffle(names)
        # a few core departments exist wherever the institution has them at all
        for core in ("Department of Neurology", "Department of Radiology", "Department of Biomedical Engineering"):
            if core in names[k:]:
                names.remove(core)
                names.insert(0, core)
        for name in names[:k]:
            d = _Dept(len(depts), inst.idx, name)
            d.variants = _affiliation_variants(name, inst)
            depts.append(d)
            inst.depts.append(d)
            dept_weight.append(size * rng.lognormvariate(0.0, 0.7))

    # Department partners: same name (or same kind) at partner institutions, plus
    # engineering/science <-> clinical ties inside a city.
    for d in depts:
        inst = insts[d.inst]
        same_inst = [o.idx for o in inst.depts if o is not d]
        rng.shuffle(same_inst)
        cand = same_inst[:2]
        for pidx in inst.partners:
            p = insts[pidx]
            same = [o.idx for o in p.depts if o.name == d.name]
            cand.extend(same)
            kind = _DEPT_KIND[d.name]
            if kind in ("eng", "sci"):
                cross = [o.idx for o in p.depts if _DEPT_KIND[o.name] in ("clin", "div")]
            else:
                cross = [o.idx for o in p.depts if _DEPT_KIND[o.name] == kind or _DEPT_KIND[o.name] in ("eng", "sci")]
            rng.shuffle(cross)
            cand.extend(cross[:2])
        seen = []
        for c in cand:
            if c not in seen and c != d.idx:
                seen.append(c)
        d.partners = seen

    # MeSH topic pools per department name
    n_desc = len(descriptors)
    matches = _dept_matches(descriptors)
    pools: dict[str, tuple[list[int], list[float]]] = {}
    for name, _, _ in _DEPARTMENTS:
        hits = list(matches[name])
        rng.shuffle(hits)
        hits = hits[:400]
        if len(hits) < 12:
            extra = [rng.randrange(n_desc) for _ in range(12)]
            hits.extend(e for e in extra if e not in hits)
        pools[name] = (hits, _zipf_cw(len(hits), 1.0))
    for d in depts:
        d.pool, d.pool_cw = pools[d.name]

    # People
    dept_cw = list(itertools.accumulate(dept_weight))
    fam_cw = _zipf_cw(len(_FAMILY_NAMES), 0.75)
    given_cw = _zipf_cw(len(_GIVEN_NAMES), 0.35)
    used_orcid: set = set()
    weight_cap = max(20.0, min(400.0, people / 4))
    persons: list[_Person] = []
    rr = rng.random
    for i in range(people):
        p = _Person()
        p.idx = i
        p.family = _weighted_pick(rr, _FAMILY_NAMES, fam_cw)
        given = _weighted_pick(rr, _GIVEN_NAMES, given_cw)
        if rr() < 0.35:
            given = f"{given} {rng.choice(_MIDDLE_INITIALS)}"
        p.given = given
        p.initials = _initials(given)
        p.orcid = _make_orcid(rng, used_orcid) if rr() < 0.15 else None
        d = depts[bisect.bisect_right(dept_cw, rr() * dept_cw[-1])]
        p.dept = d.idx
        p.dept2 = None
        if rr() < 0.10:
            inst = insts[d.inst]
            cands: list[_Dept] = []
            if inst.partners and rr() < 0.75:
                for pidx in inst.partners:
                    cands.extend(o for o in insts[pidx].depts if o.name == d.name)
                if not cands:
                    cands = [o for pidx in inst.partners for o in insts[pidx].depts]
            if not cands:
                cands = [o for o in depts if o.inst != d.inst] or [o for o in depts if o is not d]
            if cands:
                p.dept2 = rng.choice(cands).idx
        # Pareto productivity (heavier-tailed than Lotka's law) with a cap that
        # grows with the table: a few very prolific PIs, most people rare.
        p.weight = min(rng.paretovariate(0.8), weight_cap)
        local = _slug(p.given.split()[0])[:1] + _slug(p.family)
        p.email = local or f"author{i}"
        p.name_xml = (f"<LastName>{escape(p.family)}</LastName><ForeName>{escape(p.given)}</ForeName>"
                      f"<Initials>{p.initials}</Initials>")
        if p.orcid:
            p.orcid_xml = f'<Identifier Source="ORCID">{p.orcid}</Identifier>'
            p.orcid_url_xml = f'<Identifier Source="ORCID">https://orcid.org/{p.orcid}</Identifier>'
        else:
            p.orcid_xml = p.orcid_url_xml = ""
        persons.append(p)
        depts[p.dept].members.append(i)
        insts[d.inst].members.append(i)

    for group in itertools.chain(depts, insts):
        group.member_cw = list(itertools.accumulate(persons[m].weight for m in group.members))
    for d in depts:  # newcomers: members not yet on any paper, in random order
        d.fresh = list(d.members)
        rng.shuffle(d.fresh)

    # Journals by field
    _assign_journals(rng, depts)

    ror = [_ror_record(inst, insts) for inst in insts]
    return World(institutions=insts, departments=depts, people=persons, descriptors=descriptors,
                 ror_records=ror)


class _Journal:
    __slots__ = ("title", "iso", "issn", "issn_type", "nlm_id", "start_year", "xml_head", "xml_tail",
                 "medline_info")


def _iso_abbrev(title: str) -> str:
    return " ".join(_ISO_WORDS.get(w, w) for w in title.split() if w not in ("of", "and", "in"))


def _assign_journals(rng: random.Random, depts: list[_Dept]) -> None:
    houses = list(_JOURNAL_HOUSES)
    used_titles: set = set()
    used_issn: set = set()

    def make(field: str) -> _Journal:
        while True:
            title = rng.choice(houses) + " " + rng.choice(_JOURNAL_PATTERNS).format(f=field)
            if title not in used_titles:
                used_titles.add(title)
                break
        j = _Journal()
        j.title = title
        j.iso = _iso_abbrev(title)
        while True:
            d7 = "9%06d" % rng.randrange(10 ** 6)
            if d7 not in used_issn:
                used_issn.add(d7)
                break
        j.issn = f"{d7[:4]}-{d7[4:]}{_issn_check(d7)}"
        j.issn_type = rng.choice(("Electronic", "Print"))
        j.nlm_id = str(rng.randrange(101000000, 101999999))
        j.start_year = rng.randrange(1960, 2000)
        j.xml_head = f'<Journal><ISSN IssnType="{j.issn_type}">{j.issn}</ISSN><JournalIssue CitedMedium="Internet">'
        j.xml_tail = f"<Title>{escape(j.title)}</Title><ISOAbbreviation>{escape(j.iso)}</ISOAbbreviation></Journal>"
        j.medline_info = (f"<MedlineJournalInfo><Country>United States</Country><MedlineTA>{escape(j.iso)}</MedlineTA>"
                          f"<NlmUniqueID>{j.nlm_id}</NlmUniqueID><ISSNLinking>{j.issn}</ISSNLinking></MedlineJournalInfo>")
        return j

    general = [make(f) for f in _JOURNAL_GENERAL for _ in range(2)]
    by_dept: dict[str, list[_Journal]] = {}
    for field, spec in _JOURNAL_FIELDS.items():
        for _ in range(1 if len(spec) <= 2 else 2 if field not in ("Neurology", "Oncology") else 3):
            j = make(field)
            for dname in spec[1:]:
                by_dept.setdefault(dname, []).append(j)
    for d in depts:
        js = by_dept.get(d.name, []) + general
        d.journals = js
        d.journal_cw = _zipf_cw(len(js), 0.8)


def _ror_record(inst: _Inst, insts: list[_Inst]) -> dict:
    c = inst.city
    names = [
        {"lang": "en", "types": ["ror_display", "label"], "value": inst.name},
        {"lang": "en", "types": ["alias"], "value": inst.alias},
        {"lang": None, "types": ["acronym"], "value": inst.acronym},
    ]
    return {
        "admin": {
            "created": {"date": "2018-11-14", "schema_version": "1.0"},
            "last_modified": {"date": "2025-03-26", "schema_version": "2.1"},
        },
        "domains": [inst.domain],
        "established": inst.established,
        "external_ids": [],
        "id": inst.ror_id,
        "links": [{"type": "website", "value": f"https://www.{inst.domain}"}],
        "locations": [
            {
                "geonames_details": {
                    "continent_code": c[5],
                    "continent_name": c[6],
                    "country_code": c[3],
                    "country_name": c[4],
                    "country_subdivision_code": c[1],
                    "country_subdivision_name": c[2],
                    "lat": c[7],
                    "lng": c[8],
                    "name": c[0],
                },
                "geonames_id": inst.geonames_id,
            }
        ],
        "names": names,
        "relationships": [
            {"label": insts[j].name, "type": typ, "id": insts[j].ror_id} for typ, j in inst.rels
        ],
        "status": "active",
        "types": [inst.kind],
    }


def build_world(people: int, seed: int = 1, mesh_path: Path | None = None) -> World:
    """The world :func:`generate` builds for ``people`` and ``seed`` (for tests)."""
    return _build_world(random.Random(seed), people, load_mesh_descriptors(mesh_path))


# ---------------------------------------------------------------------------
# Papers
# ---------------------------------------------------------------------------

_TITLE_TEMPLATES = (
    "{A} and {b} in {c}.",
    "Association of {b} with {c}: a {design} study.",
    "{A}-related changes in {b} among patients with {c}.",
    "Effects of {b} on {c} in {pop}.",
    "{A} as a predictor of {b}: results from a {design} study.",
    "Role of {b} in {c}.",
    "{A}, {b}, and {c}: {design} evidence.",
    "A {design} analysis of {b} and {c} in {pop}.",
    "Novel approaches to {b} in {c}.",
)
_DESIGNS = ("prospective cohort", "cross-sectional", "retrospective", "randomized", "case-control",
            "longitudinal", "multicenter", "population-based", "pilot", "translational")
_POPS = ("older adults", "children", "adults", "patients", "healthy volunteers", "transgenic mice",
         "a community cohort", "hospitalized patients", "outpatients", "a rat model")
_METHODS = ("magnetic resonance imaging", "mass spectrometry", "RNA sequencing", "immunohistochemistry",
            "a machine learning classifier", "multivariable regression", "electroencephalography",
            "enzyme-linked immunosorbent assay", "whole-exome sequencing", "wearable sensors")

_ABSTRACT_PARTS = (
    ("BACKGROUND", "BACKGROUND", (
        "{A} is increasingly recognized as an important factor in {c}, but its relationship with {b} remains unclear.",
        "Although {b} has been studied extensively, little is known about how it interacts with {a} in {pop}.",
        "{A} and {b} are common in {pop} and both have been linked to adverse outcomes in {c}.",
    )),
    ("OBJECTIVE", "OBJECTIVE", (
        "We aimed to determine whether {a} is associated with {b} in {pop}.",
        "This study evaluated the contribution of {b} to {c} using {method}.",
        "Our objective was to characterize {a} and to test its value as a marker of {b}.",
    )),
    ("METHODS", "METHODS", (
        "We enrolled {n} participants from {k} centers between {y1} and {y2} and measured {b} using {method}.",
        "In this {design} study of {n} {pop}, {a} was assessed at baseline and after {m} months of follow-up.",
        "Samples from {n} individuals were analyzed with {method}, and associations were estimated with adjusted models.",
    )),
    ("RESULTS", "RESULTS", (
        "{A} was associated with {b} (odds ratio, {or_}; 95% CI, {lo}-{hi}; P {p}).",
        "Compared with controls, participants with {c} showed a {pct}% difference in {b} (P {p}).",
        "During a median follow-up of {fu} years, {ev} participants developed {c}; higher {a} predicted this outcome (hazard ratio, {or_}; 95% CI, {lo}-{hi}).",
        "The area under the receiver operating characteristic curve for {b} was 0.{auc} (95% CI, 0.{auclo}-0.{auchi}).",
    )),
    ("CONCLUSIONS", "CONCLUSIONS", (
        "These findings suggest that {a} contributes to {c} and may be a target for intervention.",
        "{A} may help identify {pop} at risk of {c}, although replication in larger cohorts is needed.",
        "Our results support a role for {b} in {c} and motivate further mechanistic studies.",
    )),
)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


_MODE_LOCAL = (0.70, 0.70, 1.01, 1.01)  # one institution only
_MODE_PAIR = (0.50, 0.68, 0.80, 0.96)  # with the partner hospital/university
_MODE_WIDE = (0.35, 0.50, 0.60, 0.75)  # plus anybody
_MODE_CONSORTIUM = (0.10, 0.20, 0.40, 0.60)


class _PaperWriter:
    """Generates papers one at a time from a world and an RNG."""

    def __init__(self, rng: random.Random, world: World):
        self.rng = rng
        self.w = world
        self.people = world.people
        self.depts = world.departments
        self.insts = world.institutions
        self.all_cw = list(itertools.accumulate(p.weight for p in world.people))
        self.used = bytearray(len(world.people))  # person has been on a paper
        self.fresh_pos = [0] * len(world.departments)
        desc = world.descriptors
        self.desc_ui = [d[0] for d in desc]
        self.desc_label_esc = [escape(d[1]) for d in desc]
        self.desc_term = [_term(d[1]) for d in desc]
        order = list(range(len(desc)))
        rng.shuffle(order)
        self.global_order = order
        self.global_cw = _zipf_cw(len(order), 1.05)
        self.year_cw = list(itertools.accumulate(1.08 ** (y - 2000) for y in YEARS))
        self.qual_cw = list(itertools.accumulate(q[2] for q in _QUALIFIERS))
        self.qual_xml = [(q[0], escape(q[1])) for q in _QUALIFIERS]
        self.nih_cw = list(itertools.accumulate(n[2] for n in _NIH))
        self.grants: dict[int, list[str]] = {}
        self.all_journals = []
        seen = set()
        for d in self.depts:
            for j in d.journals:
                if id(j) not in seen:
                    seen.add(id(j))
                    self.all_journals.append(j)
        self.authorships = 0
        self.last_team: list[int] = []
        #: year, topic descriptor indexes (major ones first), number of major topics and title
        #: of the last article (for write_nquads)
        self.last_paper: tuple[int, list[int], int, str] = (0, [], 0, "")

    # -- people -------------------------------------------------------------
    def _pick_from(self, members: list[int], cw: list[float]) -> int:
        return members[bisect.bisect_right(cw, self.rng.random() * cw[-1])]

    def _team_size(self) -> int:
        r = self.rng.random()
        if r < 0.004:  # consortium paper
            return int(math.exp(self.rng.uniform(math.log(50), math.log(300))))
        if r < 0.04:
            return 1
        if r < 0.10:
            return 2
        return max(2, min(45, round(self.rng.lognormvariate(math.log(6.3), 0.55))))

    def _team(self, pi: int, size: int) -> list[int]:
        rng = self.rng
        rr = rng.random
        people = self.people
        depts = self.depts
        insts = self.insts
        size = min(size, len(people))
        consortium = size >= 50
        p = people[pi]
        d = depts[p.dept]
        inst = insts[d.inst]
        # Cumulative thresholds for where the next co-author comes from: same
        # department, a partner department, same institution, the partner
        # institution (hospital <-> university), anywhere.
        if consortium:
            th = _MODE_CONSORTIUM
        else:
            r = rr()
            th = _MODE_LOCAL if r < 0.45 else _MODE_PAIR if r < 0.87 else _MODE_WIDE
        team = [pi]
        chosen = {pi}
        used = self.used
        fresh = d.fresh
        attempts = 0
        limit = size * 6 + 10
        while len(team) < size and attempts < limit:
            attempts += 1
            r = rr()
            if r < th[0]:
                if len(d.members) <= 1:
                    continue
                fp = self.fresh_pos[d.idx]
                while fp < len(fresh) and used[fresh[fp]]:
                    fp += 1
                self.fresh_pos[d.idx] = fp
                if fp < len(fresh) and rr() < 0.2:
                    cand = fresh[fp]  # a newcomer (student, fellow) joins the group
                else:
                    cand = self._pick_from(d.members, d.member_cw)
            elif r < th[1]:
                if not d.partners:
                    continue
                pd = depts[d.partners[int(rr() * len(d.partners))]]
                if not pd.members:
                    continue
                cand = self._pick_from(pd.members, pd.member_cw)
            elif r < th[2]:
                if len(inst.members) <= 1:
                    continue
                cand = self._pick_from(inst.members, inst.member_cw)
            elif r < th[3]:
                if not inst.partners:
                    continue
                pi_ = insts[inst.partners[int(rr() * len(inst.partners))]]
                if not pi_.members:
                    continue
                cand = self._pick_from(pi_.members, pi_.member_cw)
            else:
                cand = bisect.bisect_right(self.all_cw, rr() * self.all_cw[-1])
            if cand not in chosen:
                chosen.add(cand)
                team.append(cand)
        for m in team:
            used[m] = 1
        # author order: PI last (usually), the rest shuffled
        others = team[1:]
        rng.shuffle(others)
        r = rr()
        if r < 0.72 or len(team) == 1:
            return others + [pi]
        if r < 0.92:
            return [pi] + others
        pos = int(rr() * len(team))
        others.insert(pos, pi)
        return others

    def _author_xml(self, person: _Person, first_or_last: bool, year: int) -> str:
        rr = self.rng.random
        parts = ['<Author ValidYN="Y">', person.name_xml]
        # ORCID exists since 2012 and not every journal passes it on
        if person.orcid and year >= 2012 and rr() < 0.85:
            parts.append(person.orcid_url_xml if rr() < 0.3 else person.orcid_xml)
        if rr() >= 0.05:
            d = self.depts[person.dept]
            affs = [d.variants[bisect.bisect_right(_AFF_CW, rr() * _AFF_CW[-1])]]
            if person.dept2 is not None and rr() < 0.8:
                d2 = self.depts[person.dept2]
                affs.append(d2.variants[bisect.bisect_right(_AFF_CW, rr() * _AFF_CW[-1])])
                if rr() < 0.2:
                    affs = ["; ".join(a.rstrip(".") for a in affs) + "."]
            if first_or_last and rr() < 0.3:
                dom = self.insts[self.depts[person.dept].inst].domain
                if rr() < 0.5:
                    affs[0] = f"{affs[0]} {person.email}@{dom}"
                else:
                    affs[0] = f"{affs[0]} Electronic address: {person.email}@{dom}."
            for a in affs:
                parts.append(f"<AffiliationInfo><Affiliation>{a}</Affiliation></AffiliationInfo>")
        parts.append("</Author>")
        return "".join(parts)

    # -- topics -------------------------------------------------------------
    def _mesh(self, dept: _Dept, dept2: _Dept | None) -> tuple[list[str], list[int]]:
        """MeshHeadingList XML parts and the topic descriptor indexes (major first)."""
        rng = self.rng
        rr = rng.random
        n = rng.randint(5, 15)
        checks: list[tuple[str, str]] = []
        r = rr()
        if r < 0.68:
            checks.append(_HUMANS)
            if rr() < 0.6:
                checks.append(_FEMALE)
            if rr() < 0.6:
                checks.append(_MALE)
            if dept.name == "Department of Pediatrics" and rr() < 0.8:
                checks.append(_CHILD_GROUPS[int(rr() * 3)])
            else:
                for ag in _AGE_GROUPS:
                    if rr() < 0.3:
                        checks.append(ag)
        elif r < 0.93:
            checks.append(_ANIMALS)
            checks.append(_ANIMAL_SPECIES[int(rr() * len(_ANIMAL_SPECIES))])
            if rr() < 0.3:
                checks.append(_MALE)
        n_topics = max(2, n - len(checks))
        topics: list[int] = []
        seen: set = set()
        attempts = 0
        while len(topics) < n_topics and attempts < n_topics * 4:
            attempts += 1
            r = rr()
            if r < 0.45:
                idx = dept.pool[bisect.bisect_right(dept.pool_cw, rr() * dept.pool_cw[-1])]
            elif r < 0.6 and dept2 is not None:
                idx = dept2.pool[bisect.bisect_right(dept2.pool_cw, rr() * dept2.pool_cw[-1])]
            else:
                idx = self.global_order[bisect.bisect_right(self.global_cw, rr() * self.global_cw[-1])]
            if idx not in seen:
                seen.add(idx)
                topics.append(idx)
        n_major = min(len(topics), 1 + int(rr() * 3))
        self.last_n_major = n_major
        entries = []  # (sort key, xml)
        for ui, label in checks:
            if ui in seen:
                continue
            entries.append((label.lower(), f'<MeshHeading><DescriptorName UI="{ui}" MajorTopicYN="N">{escape(label)}</DescriptorName></MeshHeading>'))
        for pos, idx in enumerate(topics):
            major = pos < n_major
            quals = []
            if rr() < 0.4:
                nq = 1 if rr() < 0.8 else 2
                qseen = []
                for _ in range(nq):
                    q = bisect.bisect_right(self.qual_cw, rr() * self.qual_cw[-1])
                    if q not in qseen:
                        qseen.append(q)
                q_major_on = major and rr() < 0.7
                for qi, q in enumerate(qseen):
                    qui, qlabel = self.qual_xml[q]
                    flag = "Y" if (q_major_on and qi == 0) else "N"
                    quals.append(f'<QualifierName UI="{qui}" MajorTopicYN="{flag}">{qlabel}</QualifierName>')
                d_flag = "Y" if (major and not q_major_on) else "N"
            else:
                d_flag = "Y" if major else "N"
            label_esc = self.desc_label_esc[idx]
            entries.append((self.w.descriptors[idx][1].lower(),
                            f'<MeshHeading><DescriptorName UI="{self.desc_ui[idx]}" MajorTopicYN="{d_flag}">'
                            f'{label_esc}</DescriptorName>{"".join(quals)}</MeshHeading>'))
        entries.sort()
        return [e[1] for e in entries], topics

    # -- text ---------------------------------------------------------------
    def _fill(self, topics: list[int]) -> dict:
        rng = self.rng
        rr = rng.random
        terms = self.desc_term
        t = [terms[i] for i in topics[:3]]
        while len(t) < 3:
            t.append(terms[self.global_order[int(rr() * 50)]])
        lo = 1.05 + rr() * 0.8
        hi = lo + 0.1 + rr() * 1.2
        auc = 60 + int(rr() * 35)
        y1 = 1990 + int(rr() * 20)
        return {
            "a": t[0], "A": _cap(t[0]), "b": t[1], "c": t[2],
            "design": _DESIGNS[int(rr() * len(_DESIGNS))],
            "pop": _POPS[int(rr() * len(_POPS))],
            "method": _METHODS[int(rr() * len(_METHODS))],
            "n": 20 + int(rr() * rr() * 4000), "k": 1 + int(rr() * 15),
            "y1": y1, "y2": y1 + 1 + int(rr() * 10), "m": 3 + int(rr() * 33),
            "or_": f"{(lo + hi) / 2:.2f}", "lo": f"{lo:.2f}", "hi": f"{hi:.2f}",
            "p": rng.choice(("< .001", "= .002", "= .01", "= .03", "= .04", "< .05")),
            "pct": 5 + int(rr() * 60), "fu": f"{1 + rr() * 9:.1f}", "ev": 10 + int(rr() * 400),
            "auc": auc, "auclo": auc - 4, "auchi": min(99, auc + 4),
        }

    def _abstract(self, f: dict) -> str:
        rng = self.rng
        structured = rng.random() < 0.4
        out = ["<Abstract>"]
        plain = []
        for label, cat, templates in _ABSTRACT_PARTS:
            n = 2 if label in ("METHODS", "RESULTS") else 1
            picks = rng.sample(templates, n) if n <= len(templates) else templates
            text = " ".join(tpl.format(**f) for tpl in picks)
            if structured:
                out.append(f'<AbstractText Label="{label}" NlmCategory="{cat}">{escape(text)}</AbstractText>')
            else:
                plain.append(text)
        if not structured:
            out.append(f"<AbstractText>{escape(' '.join(plain))}</AbstractText>")
        out.append("</Abstract>")
        return "".join(out)

    def _grants(self, pi: int) -> list[str]:
        rng = self.rng
        g = self.grants.get(pi)
        if g is None:
            g = []
            for _ in range(1 + int(rng.random() * 3)):
                if rng.random() < 0.8:
                    ic, agency, _w = _NIH[bisect.bisect_right(self.nih_cw, rng.random() * self.nih_cw[-1])]
                    act = rng.choice(_NIH_ACTIVITIES)
                    gid = f"{act} {ic}{rng.randrange(10 ** 6):06d}"
                    g.append(f"<Grant><GrantID>{gid}</GrantID><Acronym>{ic}</Acronym>"
                             f"<Agency>{agency}</Agency><Country>United States</Country></Grant>")
                else:
                    agency, country = rng.choice(_OTHER_FUNDERS)
                    gid = f"MR/{rng.choice('KLMNPRST')}{rng.randrange(10 ** 6):06d}/1"
                    g.append(f"<Grant><GrantID>{gid}</GrantID><Agency>{escape(agency)}</Agency>"
                             f"<Country>{country}</Country></Grant>")
            self.grants[pi] = g
        return g

    # -- one article ----------------------------------------------------------
    def article(self, pmid: int) -> str:
        rng = self.rng
        rr = rng.random
        people = self.people
        pi = bisect.bisect_right(self.all_cw, rr() * self.all_cw[-1])
        size = self._team_size()
        is_review = size <= 6 and rr() < 0.08
        if is_review:
            size = min(size, 4)
        team = self._team(pi, size)
        self.last_team = team
        self.authorships += len(team)
        pi_p = people[pi]
        dept = self.depts[pi_p.dept]
        # a second topic source: another department on the team, when there is one
        dept2 = None
        for m in team:
            dm = people[m].dept
            if dm != pi_p.dept:
                dept2 = self.depts[dm]
                break
        year = YEARS[bisect.bisect_right(self.year_cw, rr() * self.year_cw[-1])]
        month = 1 + int(rr() * 12)
        day = 1 + int(rr() * 28)
        if rr() < 0.75:
            journal = dept.journals[bisect.bisect_right(dept.journal_cw, rr() * dept.journal_cw[-1])]
        else:
            journal = self.all_journals[int(rr() * len(self.all_journals))]
        mesh_xml, topics = self._mesh(dept, dept2)
        f = self._fill(topics)
        title = rng.choice(_TITLE_TEMPLATES).format(**f)
        if is_review:
            title = title[:-1] + ": a review."
        self.last_paper = (year, topics, self.last_n_major, title)
        doi = f"{DOI_PREFIX}{pmid}"
        start = 1 + int(rr() * 2500)
        end = start + 3 + int(rr() * 14)
        end_s = str(end)
        start_s = str(start)
        short_end = end_s
        if len(end_s) == len(start_s):
            k = 0
            while k < len(end_s) - 1 and end_s[k] == start_s[k]:
                k += 1
            short_end = end_s[k:]
        volume = max(1, year - journal.start_year + 1)
        issue = 1 + (month - 1) // (1 + int(rr() * 3))
        last = len(team) - 1
        authors = "".join(self._author_xml(people[m], i == 0 or i == last, year) for i, m in enumerate(team))
        if size >= 50:
            authors += (f'<Author ValidYN="Y"><CollectiveName>{escape(_cap(f["b"]))} Research Consortium'
                        f"</CollectiveName></Author>")
        # publication types, grants
        ptypes = [_PUB_TYPES["article"]]
        grants: list[str] = []
        if rr() < 0.45:
            grants = self._grants(pi)
            if rr() < 0.5 and len(grants) > 1:
                grants = grants[: 1 + int(rr() * len(grants))]
            if any("NIH HHS" in g for g in grants):
                ptypes.append(_PUB_TYPES["nih"])
        if rr() < 0.5:
            ptypes.append(_PUB_TYPES["nonus"])
        if rr() < 0.04:
            ptypes.append(_PUB_TYPES["usgov"])
        if is_review:
            ptypes.append(_PUB_TYPES["review"])
        elif size >= 50 or (size >= 10 and rr() < 0.2):
            ptypes.append(_PUB_TYPES["multi"])
        r = rr()
        if not is_review:
            if r < 0.03:
                ptypes.append(_PUB_TYPES["rct"])
            elif r < 0.09:
                ptypes.append(_PUB_TYPES["comparative"])
            elif r < 0.11:
                ptypes.append(_PUB_TYPES["trial"])
            elif r < 0.12:
                ptypes.append(_PUB_TYPES["meta"])
            elif r < 0.14 and size <= 6:
                ptypes.append(_PUB_TYPES["case"])
        ptypes.sort(key=lambda t: (t[0] != "D016428", t[1]))
        pt_xml = "".join(f'<PublicationType UI="{ui}">{escape(lbl)}</PublicationType>' for ui, lbl in ptypes)
        kw_xml = ""
        if rr() < 0.45:
            kws = []
            for idx in topics[: 3 + int(rr() * 4)]:
                k = self.desc_term[idx].lower()
                if k not in kws:
                    kws.append(k)
            kw_xml = ('<KeywordList Owner="NOTNLM">'
                      + "".join(f'<Keyword MajorTopicYN="N">{escape(k)}</Keyword>' for k in kws)
                      + "</KeywordList>")
        rev_year = min(2025, year + 1 + int(rr() * 3))
        completed = year if month < 12 else min(2025, year + 1)
        grant_xml = f'<GrantList CompleteYN="Y">{"".join(grants)}</GrantList>' if grants else ""
        return "".join((
            '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">',
            f'<PMID Version="1">{pmid}</PMID>',
            f"<DateCompleted><Year>{completed}</Year><Month>{(month % 12) + 1:02d}</Month><Day>{day:02d}</Day></DateCompleted>",
            f"<DateRevised><Year>{rev_year}</Year><Month>{1 + int(rr() * 12):02d}</Month><Day>{1 + int(rr() * 28):02d}</Day></DateRevised>",
            '<Article PubModel="Print-Electronic">',
            journal.xml_head,
            f"<Volume>{volume}</Volume><Issue>{issue}</Issue>",
            f"<PubDate><Year>{year}</Year><Month>{MONTHS[month - 1]}</Month><Day>{day:02d}</Day></PubDate>",
            "</JournalIssue>",
            journal.xml_tail,
            f"<ArticleTitle>{escape(title)}</ArticleTitle>",
            f"<Pagination><StartPage>{start_s}</StartPage><EndPage>{end_s}</EndPage>"
            f"<MedlinePgn>{start_s}-{short_end}</MedlinePgn></Pagination>",
            f'<ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>',
            self._abstract(f),
            f'<AuthorList CompleteYN="Y">{authors}</AuthorList>',
            "<Language>eng</Language>",
            grant_xml,
            f"<PublicationTypeList>{pt_xml}</PublicationTypeList>",
            "</Article>",
            journal.medline_info,
            "<CitationSubset>IM</CitationSubset>",
            f"<MeshHeadingList>{''.join(mesh_xml)}</MeshHeadingList>",
            kw_xml,
            "</MedlineCitation><PubmedData><History>",
            f'<PubMedPubDate PubStatus="entrez"><Year>{year}</Year><Month>{month}</Month><Day>{day}</Day>'
            "<Hour>6</Hour><Minute>0</Minute></PubMedPubDate>",
            f'<PubMedPubDate PubStatus="pubmed"><Year>{year}</Year><Month>{month}</Month><Day>{day}</Day>'
            "<Hour>6</Hour><Minute>0</Minute></PubMedPubDate>",
            "</History><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>",
            f'<ArticleId IdType="pubmed">{pmid}</ArticleId><ArticleId IdType="doi">{doi}</ArticleId>',
            "</ArticleIdList></PubmedData></PubmedArticle>\n",
        ))


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def _open_out(path: Path, gz: bool):
    raw = open(path, "wb")
    if gz:
        stream = _gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0)
    else:
        stream = raw
    text = io.TextIOWrapper(stream, encoding="ascii", errors="xmlcharrefreplace", newline="\n",
                            write_through=False)
    return text, raw


def generate(out_dir: Path, papers: int, people: int, seed: int = 1, per_file: int = 5000,
             gzip: bool = False, *, mesh_path: Path | None = None,
             on_paper: Callable[[int, list[int]], None] | None = None) -> SynthSummary:
    """Write ``pubmed_NNNNN.xml[.gz]`` files and ``ror.json`` into ``out_dir``.

    Earlier ``pubmed_NNNNN.xml``/``.xml.gz`` files in ``out_dir`` are removed first,
    so that a rerun with fewer papers or another compression leaves no stale data.

    ``mesh_path`` overrides the MeSH descriptor list (see
    :func:`load_mesh_descriptors`). ``on_paper(pmid, person_indexes)`` is called
    after each article with its authors in order, as indexes into
    ``build_world(people, seed).people``: the ground truth for author
    disambiguation and productivity checks.
    """
    if papers < 0:
        raise ValueError("papers must be >= 0")
    if per_file < 1:
        raise ValueError("per_file must be >= 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(out_dir.iterdir()):
        if _FILE_RE.match(old.name) and old.is_file():
            old.unlink()
    rng = random.Random(seed)
    world = _build_world(rng, people, load_mesh_descriptors(mesh_path))
    with open(out_dir / "ror.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(world.ror_records, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    writer = _PaperWriter(rng, world)
    suffix = ".xml.gz" if gzip else ".xml"
    n_files = 0
    pmid = PMID_START
    remaining = papers
    while remaining > 0:
        n_files += 1
        count = min(per_file, remaining)
        text, raw = _open_out(out_dir / f"pubmed_{n_files:05d}{suffix}", gzip)
        try:
            text.write(XML_HEADER)
            for _ in range(count):
                text.write(writer.article(pmid))
                if on_paper is not None:
                    on_paper(pmid, list(writer.last_team))
                pmid += 1
            text.write(XML_FOOTER)
        finally:
            text.close()
            raw.close()
        remaining -= count
    return SynthSummary(files=n_files, papers=papers, people=len(world.people),
                        authorships=writer.authorships, institutions=len(world.institutions))


def write_nquads(path: Path, papers: int, people: int, base: str, graph: str, seed: int = 1) -> int:
    """Write the graph of ``papers`` synthetic papers as N-Quads in the model's shape, for bulk
    loading at sizes the ingest path cannot reach in a session: papers (title, year, MeSH
    headings), authorships (rank, department affiliation), persons (as identity resolution
    would make them, one per synthetic person) and organisations, all in ``graph`` (the
    store's union graph). The same seed and people give the same papers as :func:`generate`.
    Returns the number of quads."""
    rng = random.Random(seed)
    world = _build_world(rng, people, load_mesh_descriptors())
    writer = _PaperWriter(rng, world)
    rdf, xsd = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2001/XMLSchema#"
    vivo, hg = "http://vivoweb.org/ontology/core#", "https://w3id.org/hubgraph/ontology#"
    foaf, skos, rdfs = "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/2000/01/rdf-schema#"
    g = f"<{graph}> .\n"

    def lit(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    count = 0
    with open(path, "w", encoding="utf-8") as out:
        def emit(s: str, p: str, o: str) -> None:
            nonlocal count
            out.write(f"{s} <{p}> {o} {g}")
            count += 1
        for inst in world.institutions:
            node = f"<{base}org/synth-{inst.idx}>"
            kind = "University" if inst.kind == "education" else "Hospital"
            emit(node, rdf + "type", f"<{foaf}Organization>")
            emit(node, rdf + "type", f"<{vivo}{kind}>")
            emit(node, rdfs + "label", lit(inst.name))
        for dept in world.departments:
            node = f"<{base}org/synth-{dept.inst}/{dept.idx}>"
            emit(node, rdf + "type", f"<{foaf}Organization>")
            emit(node, rdf + "type", f"<{vivo}AcademicDepartment>")
            emit(node, rdfs + "label", lit(dept.name))
            emit(node, "http://www.w3.org/ns/org#subOrganizationOf", f"<{base}org/synth-{dept.inst}>")
        for ui, label in world.descriptors:
            emit(f"<http://id.nlm.nih.gov/mesh/{ui}>", rdf + "type", f"<{skos}Concept>")
            emit(f"<http://id.nlm.nih.gov/mesh/{ui}>", skos + "prefLabel", lit(label))
        seen: set[int] = set()
        for pmid in range(PMID_START, PMID_START + papers):
            writer.article(pmid)
            year, topics, n_major, title = writer.last_paper
            paper = f"<{base}paper/pmid-{pmid}>"
            emit(paper, rdf + "type", "<http://purl.org/ontology/bibo/AcademicArticle>")
            emit(paper, "http://purl.org/dc/terms/title", lit(title))
            emit(paper, "http://purl.org/spar/fabio/hasPublicationYear", f'"{year}"^^<{xsd}gYear>')
            for i, topic in enumerate(topics):
                heading = f"<{base}paper/pmid-{pmid}/mesh/{world.descriptors[topic][0]}>"
                emit(paper, hg + "meshHeading", heading)
                emit(heading, hg + "descriptor", f"<http://id.nlm.nih.gov/mesh/{world.descriptors[topic][0]}>")
                emit(heading, hg + "majorTopic", f'"{str(i < n_major).lower()}"^^<{xsd}boolean>')
            for rank, index in enumerate(writer.last_team, 1):
                person = world.people[index]
                slot = f"<{base}authorship/pmid-{pmid}-{rank}>"
                node = f"<{base}person/synth-{index}>"
                emit(slot, rdf + "type", f"<{vivo}Authorship>")
                emit(slot, vivo + "relates", paper)
                emit(slot, vivo + "rank", f'"{rank}"^^<{xsd}integer>')
                dept = world.departments[person.dept]
                emit(slot, hg + "affiliation", f"<{base}org/synth-{dept.inst}/{dept.idx}>")
                emit(slot, vivo + "relates", node)
                emit(slot, hg + "resolvedTo", node)
                if index not in seen:
                    seen.add(index)
                    emit(node, rdf + "type", f"<{foaf}Person>")
                    emit(node, foaf + "name", lit(f"{person.given} {person.family}"))
                    if person.orcid:
                        emit(node, vivo + "orcidId", f"<https://orcid.org/{person.orcid}>")
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write synthetic PubMed efetch XML and ROR v2 JSON for scale tests.")
    ap.add_argument("--papers", type=int, required=True, help="number of PubmedArticle records")
    ap.add_argument("--people", type=int, required=True, help="number of distinct people")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-file", type=int, default=5000, help="articles per XML file (default 5000)")
    ap.add_argument("--gzip", action="store_true", help="write .xml.gz")
    ap.add_argument("--mesh", type=Path, default=None, help="MeSH descriptor CSV (ui,label)")
    args = ap.parse_args(argv)
    if args.people < 1 or args.papers < 0 or args.per_file < 1:
        ap.error("need --people >= 1, --papers >= 0, --per-file >= 1")
    t0 = time.perf_counter()
    s = generate(args.out, args.papers, args.people, seed=args.seed, per_file=args.per_file,
                 gzip=args.gzip, mesh_path=args.mesh)
    dt = time.perf_counter() - t0
    print(f"synth: {s.papers} papers in {s.files} files, {s.people} people, {s.authorships} authorships, "
          f"{s.institutions} institutions -> {args.out} ({dt:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
