from .organisations import (
    Membership,
    MembershipQuerySet,
    Organisation,
    OrganisationQuerySet,
    organisation_logo_path,
)
from .people import Office, OfficeQuerySet, Person, PersonQuerySet, person_photo_path
from .vocabulary import Division, Topic

__all__ = [
    "Division",
    "Membership",
    "MembershipQuerySet",
    "Office",
    "OfficeQuerySet",
    "Organisation",
    "OrganisationQuerySet",
    "Person",
    "PersonQuerySet",
    "Topic",
    "organisation_logo_path",
    "person_photo_path",
]
