"""Every write to the members app's records, by subject: the records themselves (records.py)
and what the members' area adds."""

from .contacts import (
    accept_invitation,
    invitation_refusal,
    invite_member,
    remove_contact,
    resend_invitation,
    revoke_invitation,
)
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
    "accept_invitation",
    "create_organisation",
    "create_person",
    "invitation_refusal",
    "invite_member",
    "remove_contact",
    "resend_invitation",
    "revoke_invitation",
    "update_organisation",
    "update_person",
]
