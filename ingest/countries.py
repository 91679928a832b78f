"""The country an affiliation string ends with, as an ISO 3166 alpha-2 code.

Used to refuse institution matches across countries ("Newcastle University, UK"
is not the University of Newcastle in Australia).

>>> country_of(["Department of Neurology", "Mayo Clinic", "Rochester", "MN 55905", "USA"])
'US'
>>> country_of(["Karolinska Institutet", "Stockholm", "Sweden"])
'SE'
>>> country_of(["Provo", "UT"])
'US'
"""

from __future__ import annotations

import re

__all__ = ["country_of"]

_NAMES = {
    "US": "usa|us|u s a|united states|united states of america|america",
    "GB": "uk|u k|united kingdom|england|scotland|wales|northern ireland|great britain",
    "CA": "canada", "AU": "australia", "NZ": "new zealand", "IE": "ireland",
    "DE": "germany|deutschland", "FR": "france", "IT": "italy|italia", "ES": "spain|espana",
    "PT": "portugal", "NL": "netherlands|the netherlands|holland", "BE": "belgium",
    "LU": "luxembourg", "CH": "switzerland", "AT": "austria", "SE": "sweden", "NO": "norway",
    "DK": "denmark", "FI": "finland", "IS": "iceland", "PL": "poland", "CZ": "czech republic|czechia",
    "HU": "hungary", "GR": "greece", "TR": "turkey|turkiye", "IL": "israel", "RU": "russia",
    "CN": "china|pr china|p r china|people s republic of china", "HK": "hong kong",
    "TW": "taiwan", "JP": "japan", "KR": "korea|south korea|republic of korea", "IN": "india",
    "SG": "singapore", "BR": "brazil", "AR": "argentina", "MX": "mexico", "CL": "chile",
    "CO": "colombia", "ZA": "south africa", "EG": "egypt", "IR": "iran", "SA": "saudi arabia",
    "AE": "united arab emirates|uae", "TH": "thailand", "MY": "malaysia", "ID": "indonesia",
    "PK": "pakistan", "NG": "nigeria", "KE": "kenya", "EE": "estonia", "LT": "lithuania",
    "LV": "latvia", "RO": "romania", "BG": "bulgaria", "RS": "serbia", "HR": "croatia",
    "SI": "slovenia", "SK": "slovakia", "UA": "ukraine", "CY": "cyprus", "MT": "malta",
}
_US_STATES = (
    "al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj "
    "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy "
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada new hampshire new jersey "
    "new mexico new york north carolina north dakota ohio oklahoma oregon pennsylvania "
    "rhode island south carolina south dakota tennessee texas utah vermont virginia washington "
    "west virginia wisconsin wyoming minn mass calif"
)
_BY_NAME = {name: code for code, names in _NAMES.items() for name in names.split("|")}
_STATES = set(_US_STATES.split()) | {"new hampshire", "new jersey", "new mexico", "new york",
                                      "north carolina", "north dakota", "rhode island",
                                      "south carolina", "south dakota", "west virginia"}
_NON_WORD = re.compile(r"[^a-z ]+")


def _words(segment: str) -> str:
    """Lower-case letters of a segment, with postcodes and punctuation dropped."""
    return " ".join(_NON_WORD.sub(" ", segment.lower()).split())


def country_of(segments: list[str]) -> str | None:
    """The country named by the last segments of an affiliation, if any."""
    for segment in reversed(segments[-2:]):
        words = _words(segment)
        if words in _BY_NAME:
            return _BY_NAME[words]
        if words in _STATES:
            return "US"
    return None
