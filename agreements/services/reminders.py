"""Reminders before an agreement expires: 90 and 30 days before `expires_on`, the contacts of
every party (members' area) and staff are told by e-mail, each reminder once per agreement.

`send_due_reminders` is safe to run many times a day (by cron, a systemd timer, or the worker's
daily task, agreements/tasks.py): a reminder is recorded in the same transaction that queues its
mail, and the record's unique constraint keeps a second run, or two at once, from sending it
again. A day missed is caught up: an agreement 80 days from expiry that never had its 90-day
reminder gets it then; one found 25 days from expiry with neither gets the 30-day one only.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute, send_templated_mail

from ..models import Agreement, AgreementReminder
from .notices import admin_url, area_url, contact_addresses, staff_addresses

logger = logging.getLogger(__name__)

# Days before expiry, nearest last.
REMINDER_DAYS = sorted(AgreementReminder.DaysBefore.values, reverse=True)


def renewal_url(agreement: Agreement) -> str:
    """Where a party's contact proposes the agreement's renewal: the members' area's renewal
    form, filled in from this agreement."""
    return absolute(reverse("account:agreement-renew", kwargs={"slug": agreement.slug}))


def due_reminder(agreement: Agreement, today: datetime.date, sent: set[int]) -> int | None:
    """The reminder the agreement is due today: the nearest threshold it has passed, unless
    that one was sent (an earlier, farther one that was missed is not sent any more)."""
    days_left = (agreement.expires_on - today).days
    if days_left < 0:
        return None
    nearest = None
    for days_before in REMINDER_DAYS:
        if days_left <= days_before:
            nearest = days_before
    if nearest is None or nearest in sent:
        return None
    return nearest


@dataclass(frozen=True)
class ReminderRun:
    sent: list[AgreementReminder]
    messages: int


def send_due_reminders(*, today: datetime.date | None = None) -> ReminderRun:
    """Send every reminder due today, each agreement in its own transaction (one that fails
    is logged and left for the next run; the others are sent)."""
    today = today or timezone.localdate()
    agreements = (
        Agreement.objects.due_for_reminders(today, max(REMINDER_DAYS))
        .with_parties()
        .prefetch_related("reminders")
        .order_by("expires_on", "pk")
    )
    staff = staff_addresses()
    sent, messages = [], 0
    for agreement in agreements:
        already = {reminder.days_before for reminder in agreement.reminders.all()}
        days_before = due_reminder(agreement, today, already)
        if days_before is None:
            continue
        try:
            reminder, count = remind(agreement=agreement, days_before=days_before, staff=staff)
        except IntegrityError:
            continue  # another run sent it in the meantime
        except Exception:
            logger.exception("Could not send the expiry reminder of %s", agreement.slug)
            continue
        sent.append(reminder)
        messages += count
    return ReminderRun(sent=sent, messages=messages)


@transaction.atomic
def remind(
    *, agreement: Agreement, days_before: int, staff: list[str] | None = None
) -> tuple[AgreementReminder, int]:
    """Record the reminder and queue its mail (on commit): the parties' contacts get links to
    the members' area, staff to the admin. The reminder and the number of messages, returned."""
    staff = staff_addresses() if staff is None else staff
    organisations = [party.organisation for party in agreement.parties.all()]
    by_organisation = contact_addresses(organisations)
    contacts = sorted({address for addresses in by_organisation.values() for address in addresses})
    # Someone both staff and a party's contact is told once, as a contact.
    staff_only = sorted(set(staff) - set(contacts))
    reminder = AgreementReminder.objects.create(
        agreement=agreement,
        days_before=days_before,
        expires_on=agreement.expires_on,
        recipient_count=len(contacts) + len(staff_only),
    )
    context = {
        "agreement": agreement,
        "parties": organisations,
        "expires_on": agreement.expires_on,
        "days_before": days_before,
    }
    send_templated_mail(
        "email/agreements/expiry_reminder",
        to=contacts,
        context={
            **context,
            "for_staff": False,
            "url": area_url(agreement),
            "renewal_url": renewal_url(agreement),
        },
    )
    send_templated_mail(
        "email/agreements/expiry_reminder",
        to=staff_only,
        context={
            **context,
            "for_staff": True,
            "url": admin_url(agreement),
            "public_url": (
                absolute(agreement.get_absolute_url())
                if agreement.is_public and agreement.status != Agreement.Status.DRAFT
                else ""
            ),
            "renewal_url": absolute(reverse("admin:agreements_agreement_add")),
        },
    )
    return reminder, len(contacts) + len(staff_only)
