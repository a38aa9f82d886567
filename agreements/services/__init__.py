"""Every write to agreements: the API, the admin, the members' area, imports and the demo
loader call these. `records` keeps the agreements themselves; `lifecycle` their status as
their dates pass; `confirmations` the parties' answers to a member's record of one; `notices`
the mail about them."""

from .confirmations import (
    PROPOSER_FIELDS,
    ask_correction,
    confirm_agreement,
    propose_agreement,
    update_proposed_agreement,
)
from .lifecycle import refresh_agreement_statuses, settle_agreement
from .notices import answered_version, ask_again_if_changed
from .records import (
    UPDATABLE_FIELDS,
    add_agreement_documents,
    concluded_on,
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
    "concluded_on",
    "confirm_agreement",
    "create_agreement",
    "propose_agreement",
    "record_agreement",
    "refresh_agreement_statuses",
    "set_agreement_visibility",
    "settle_agreement",
    "update_agreement",
    "update_proposed_agreement",
]
