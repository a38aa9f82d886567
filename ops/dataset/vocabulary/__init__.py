"""The words the synthetic dataset is made of: places, names, topics and titles.

Cities carry rough coordinates and their IANA time zone, so that an organisation placed in a
city lies in its country and a conference there keeps the local time. Names are romanised,
so that every name gives a non-empty ASCII slug.
"""

from .agreements import AGREEMENT_KINDS
from .events import (
    AWARDS,
    OTHER_DECISIONS,
    OTHER_EVENTS,
    QUOTES,
    SESSION_ANGLES,
    THEMES,
    VENUES,
)
from .organisations import (
    FIELDS,
    LOCAL_PATTERNS,
    NAME_QUALIFIERS,
    ORGANISATION_PATTERNS,
    WORDS,
)
from .people import (
    ASSOCIATION_BOARD,
    DIVISION_BOARD,
    HONORIFICS,
    JOB_TITLES,
    OFFICE_TITLES,
    PEOPLE,
)
from .places import (
    AFRICA,
    ASIA_PACIFIC,
    COUNTRIES,
    DIVISIONS,
    EUROPE,
    LATIN_AMERICA,
    NORTH_AMERICA,
    WANA,
    City,
    Country,
)
from .topics import TOPICS

__all__ = [
    "AFRICA",
    "AGREEMENT_KINDS",
    "ASIA_PACIFIC",
    "ASSOCIATION_BOARD",
    "AWARDS",
    "COUNTRIES",
    "DIVISIONS",
    "DIVISION_BOARD",
    "EUROPE",
    "FIELDS",
    "HONORIFICS",
    "JOB_TITLES",
    "LATIN_AMERICA",
    "LOCAL_PATTERNS",
    "NAME_QUALIFIERS",
    "NORTH_AMERICA",
    "OFFICE_TITLES",
    "ORGANISATION_PATTERNS",
    "OTHER_DECISIONS",
    "OTHER_EVENTS",
    "PEOPLE",
    "QUOTES",
    "SESSION_ANGLES",
    "THEMES",
    "TOPICS",
    "VENUES",
    "WANA",
    "WORDS",
    "City",
    "Country",
]
