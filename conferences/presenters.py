"""What a conference's status and dates let the site say and offer, decided in one place.

The record holds a status (planned, registration open, held, cancelled), its dates and how
precisely they are known. Today decides the rest. Pages, the home page, calendars and JSON-LD
all read `conference.state`, so that none of them says "planned" with an "add to your
calendar" button for a conference whose dates have passed:

| status              | dates ahead            | under way           | dates passed     |
|---------------------|------------------------|---------------------|------------------|
| planned             | Planned                | Taking place now    | Past event       |
| registration open   | Registration open      | Taking place now    | Past event       |
| held                | Held                   | Held                | Held             |
| cancelled           | Cancelled              | Cancelled           | Cancelled        |

- "Add to your calendar" and days to go: only for exact days, ahead or under way, not
  cancelled or held. Calendars hold a conference only once its days are known: an event
  covering a whole month or year would block out days it will not take.
- "Exact dates to be announced": only while the month or year is still ahead (or current).
- "Register": only while registration is open, an address is given and the end is ahead.
- A conference only known by its month or year is never "taking place now": its days are
  unknown.
"""

import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Conference

SCHEMA_SCHEDULED = "https://schema.org/EventScheduled"
SCHEMA_CANCELLED = "https://schema.org/EventCancelled"


class ConferenceState:
    """`conference.state`: read-only; `today` is the site's date unless given (tests)."""

    def __init__(self, conference: "Conference", today: datetime.date | None = None) -> None:
        self.conference = conference
        self.today = today or timezone.localdate()

    # The record alone (the model's choices are reached through the instance: this module
    # is imported by the models).
    @property
    def is_cancelled(self) -> bool:
        return self.conference.status == self.conference.Status.CANCELLED

    @property
    def is_held(self) -> bool:
        return self.conference.status == self.conference.Status.HELD

    @property
    def dates_known(self) -> bool:
        return self.conference.date_precision == self.conference.DatePrecision.DAY

    # The record and today.
    @property
    def has_passed(self) -> bool:
        return self.conference.end_date < self.today

    @property
    def is_over(self) -> bool:
        """Held, or its last day behind us, whatever else the record says."""
        return self.is_held or self.has_passed

    @property
    def is_ongoing(self) -> bool:
        return (
            self.dates_known
            and not (self.is_over or self.is_cancelled)
            and self.conference.start_date <= self.today
        )

    @property
    def is_ahead(self) -> bool:
        """Not cancelled, not over: still to come or under way."""
        return not (self.is_over or self.is_cancelled)

    @cached_property
    def label(self) -> str:
        if self.is_cancelled:
            return str(_("Cancelled"))
        if self.is_held:
            return str(_("Held"))
        if self.has_passed:
            return str(_("Past event"))
        if self.is_ongoing:
            return str(_("Taking place now"))
        return self.conference.get_status_display()

    @property
    def badge(self) -> str:
        """What a conference's card flags, "" for nothing worth flagging."""
        if self.is_cancelled or self.is_ongoing:
            return self.label
        if self.is_ahead and self.conference.status == self.conference.Status.REGISTRATION_OPEN:
            return self.label
        return ""

    @property
    def badge_is_muted(self) -> bool:
        return self.is_cancelled

    @property
    def dates_to_be_announced(self) -> bool:
        return not self.dates_known and self.is_ahead

    @property
    def offers_calendar(self) -> bool:
        return self.dates_known and self.is_ahead

    @property
    def offers_registration(self) -> bool:
        return (
            self.is_ahead
            and self.conference.status == self.conference.Status.REGISTRATION_OPEN
            and bool(self.conference.registration_url)
        )

    @property
    def days_to_go(self) -> int | None:
        """Days until the first day, while the day is known and ahead."""
        if not (self.dates_known and self.is_ahead):
            return None
        days = (self.conference.start_date - self.today).days
        return days if days > 0 else None

    @property
    def in_calendars(self) -> bool:
        """Whether calendar files hold the conference itself (see the module's doc)."""
        return self.dates_known

    @property
    def ical_status(self) -> str:
        return "CANCELLED" if self.is_cancelled else "CONFIRMED"

    @property
    def schema_event_status(self) -> str | None:
        """schema.org's eventStatus; none for dates passed with no outcome recorded, where
        the site cannot say whether it took place as scheduled."""
        if self.is_cancelled:
            return SCHEMA_CANCELLED
        if self.has_passed and not self.is_held:
            return None
        return SCHEMA_SCHEDULED
