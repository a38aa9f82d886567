"""An agreement's life after it is recorded: the concluding date and the status follow the
parties' signing dates and the agreement's own dates (entry into force, expiry, termination).

`settle_agreement` brings one agreement in line after a save that did not go through
`create_agreement` or `update_agreement` (the admin's form and inlines); the daily
`refresh_agreement_statuses` moves those whose dates passed since. Both save each agreement on
its own, so that its history says why and the change clock (and with it the page cache and the
partners' conditional requests) moves.
"""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import Agreement
from .records import concluded_on


@transaction.atomic
def settle_agreement(
    *, agreement: Agreement, changed_by: AbstractBaseUser | None = None
) -> list[str]:
    """Set the agreement's `signed_on` from its parties' dates (once each has one) and its
    status from its dates; the fields that changed, saved."""
    stored = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    concluded = concluded_on(list(stored.parties.values_list("signed_on", flat=True)))
    changed = []
    if concluded is not None and stored.signed_on != concluded:
        stored.signed_on = concluded
        changed.append("signed_on")
    status = stored.derived_status()
    if status != stored.status:
        stored.status = status
        changed.append("status")
    if changed:
        if changed_by is not None:
            stored._history_user = changed_by
        stored._change_reason = "Concluding date and status from the dates"
        stored.save(update_fields=[*changed, "modified"])
        for name in changed:
            setattr(agreement, name, getattr(stored, name))
    return changed


def refresh_agreement_statuses(*, today: datetime.date | None = None) -> list[Agreement]:
    """Move every agreement whose dates passed to the status they give today (in force,
    expired, terminated); those moved, returned. Run once a day (README, *Running in
    production*); a second run the same day changes nothing."""
    today = today or timezone.localdate()
    moved = []
    stale = Agreement.objects.stale_status(today).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=pk)
            status = agreement.derived_status(today)
            if status == agreement.status:
                continue  # changed by someone else meanwhile
            agreement.status = status
            agreement._change_reason = "Daily status refresh"
            agreement.save(update_fields=["status", "modified"])
            moved.append(agreement)
    return moved
