"""Which conference records the API lists, and when they leave its view (core/departures.py)."""

from django.utils import timezone

from core import departures
from core.models import Tombstone

from .models import Conference, Session


def conference_published(values) -> bool:
    return Conference.objects.filter(pk=values["conference_id"], is_published=True).exists()


def sessions_left_with(conference: Conference) -> None:
    """An unpublished conference takes its published sessions out of view: each is listed."""
    departures.record(
        "sessions",
        Session.objects.filter(conference=conference, is_published=True).only("pk"),
        reason=Tombstone.Reason.UNPUBLISHED,
    )


def sessions_back_with(conference: Conference) -> None:
    """Published again: its sessions are back, and listed as modified so that a mirror that
    dropped them reads them again. Only their time changes, so no history entry is due."""
    sessions = Session.objects.filter(conference=conference, is_published=True)
    departures.forget("sessions", sessions.values_list("pk", flat=True))
    sessions.update(modified=timezone.now())


def watch() -> None:
    departures.watch(
        Conference,
        resource="conferences",
        fields=["is_published"],
        shown=lambda values: values["is_published"],
        on_departure=sessions_left_with,
        on_return=sessions_back_with,
    )
    departures.watch(
        Session,
        resource="sessions",
        # Moved to a draft conference, a session leaves too.
        fields=["is_published", "conference_id"],
        shown=lambda values: values["is_published"],
        also_shown=conference_published,
    )
