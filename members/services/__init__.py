"""Every write to the members app's records, by subject: the records themselves (records.py)
and what the members' area adds."""

from .privacy import anonymise_person, record_consent, request_removal
from .records import (
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    create_organisation,
    create_person,
    update_organisation,
    update_person,
)

__all__ = [
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "anonymise_person",
    "create_organisation",
    "create_person",
    "record_consent",
    "request_removal",
    "update_organisation",
    "update_person",
]
