"""Every write to agreements: the API, the admin, the members' area, imports and the demo
loader call these. `records` keeps the agreements themselves; `confirmations` the parties'
answers to a member's record of one; `notices` the mail about them."""

from .confirmations import (
    PROPOSER_FIELDS,
    ask_correction,
    confirm_agreement,
    propose_agreement,
    update_proposed_agreement,
)
from .notices import answered_version, ask_again_if_changed
from .records import (
    UPDATABLE_FIELDS,
    add_agreement_documents,
    create_agreement,
    record_agreement,
    set_agreement_visibility,
    update_agreement,
)

__all__ = [
    "PROPOSER_FIELDS",
    "UPDATABLE_FIELDS",
    "add_agreement_documents",
    "answered_version",
    "ask_again_if_changed",
    "ask_correction",
    "confirm_agreement",
    "create_agreement",
    "propose_agreement",
    "record_agreement",
    "set_agreement_visibility",
    "update_agreement",
    "update_proposed_agreement",
]
