from .conference import (
    Conference,
    ConferenceHost,
    ConferenceQuerySet,
    complete_conferences,
    conference_cover_path,
)
from .outcomes import Award, Decision, Quote
from .programme import Appearance, Session, SessionQuerySet

__all__ = [
    "Appearance",
    "Award",
    "Conference",
    "ConferenceHost",
    "ConferenceQuerySet",
    "Decision",
    "Quote",
    "Session",
    "SessionQuerySet",
    "complete_conferences",
    "conference_cover_path",
]
