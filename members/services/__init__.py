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
from .privacy import anonymise_person, record_consent, request_removal
from .proposals import (
    ORGANISATION_PROPOSAL_FIELDS,
    PERSON_PROPOSAL_FIELDS,
    approve_proposal,
    propose_organisation_change,
    propose_person_change,
    reject_proposal,
    withdraw_proposal,
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
    "ORGANISATION_PROPOSAL_FIELDS",
    "PERSON_FIELDS",
    "PERSON_PROPOSAL_FIELDS",
    "accept_invitation",
    "anonymise_person",
    "approve_proposal",
    "create_organisation",
    "create_person",
    "invitation_refusal",
    "invite_member",
    "propose_organisation_change",
    "propose_person_change",
    "record_consent",
    "reject_proposal",
    "remove_contact",
    "request_removal",
    "resend_invitation",
    "revoke_invitation",
    "update_organisation",
    "update_person",
    "withdraw_proposal",
]
