from .contacts import (
    Contact,
    ContactQuerySet,
    Invitation,
    InvitationQuerySet,
    Proposal,
    ProposalQuerySet,
    hash_token,
)
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
    "Contact",
    "ContactQuerySet",
    "Division",
    "Invitation",
    "InvitationQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Office",
    "OfficeQuerySet",
    "Organisation",
    "OrganisationQuerySet",
    "Person",
    "PersonQuerySet",
    "Proposal",
    "ProposalQuerySet",
    "Topic",
    "hash_token",
    "organisation_logo_path",
    "person_photo_path",
]
