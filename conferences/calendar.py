"""iCalendar files: one conference's programme, and the upcoming conferences to subscribe to."""

import datetime
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from core.countries import country_name

from .models import Appearance, Conference, Session

ONE_DAY = datetime.timedelta(days=1)


def one_line(text: str) -> str:
    """`text` with its line breaks and other control characters as single spaces.

    New records cannot hold them (core.validators.validate_single_line); one saved before that
    rule must still give a calendar, whose one-line properties refuse a bare line break.
    """
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def new_calendar(name: str, description: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.ASSOCIATION_SHORT_NAME}//{settings.SITE_NAME}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", one_line(name))
    if description:
        cal.add("x-wr-caldesc", description)
    return cal


def uid_domain(request: HttpRequest) -> str:
    domain, _port = split_domain_port(request.get_host())
    return domain or "localhost"


def place_of(conference: Conference) -> str:
    parts = (conference.venue, conference.city, country_name(conference.country))
    return ", ".join(one_line(part) for part in parts if part)


def conference_event(conference: Conference, *, request: HttpRequest) -> Event:
    """The whole conference as one all-day event; DTEND is exclusive, hence the extra day."""
    event = Event()
    event.add("uid", f"conference-{conference.pk}@{uid_domain(request)}")
    event.add("dtstamp", conference.modified)
    event.add("dtstart", conference.start_date)
    event.add("dtend", conference.end_date + ONE_DAY)
    event.add("summary", one_line(conference.title))
    event.add("status", conference.state.ical_status)
    # A conference is news, not an appointment: it should not mark the days as busy.
    event.add("transp", "TRANSPARENT")
    event.add("location", place_of(conference))
    event.add("url", request.build_absolute_uri(conference.get_absolute_url()))
    description = "\n\n".join(line for line in (conference.theme, conference.description) if line)
    if description:
        event.add("description", description)
    return event


def choice_labels() -> dict[str, dict[str, str]]:
    """The session kinds' and roles' labels in the active language, translated once per
    calendar: get_FOO_display() translates every label of the field on each call."""
    return {
        "kind": {value: str(label) for value, label in Session.Kind.choices},
        "role": {value: str(label) for value, label in Appearance.Role.choices},
    }


def session_event(
    session: Session,
    *,
    request: HttpRequest,
    labels: dict[str, dict[str, str]] | None = None,
    place: str | None = None,
) -> Event:
    """`labels` and `place` (the conference's `place_of`) are the same for every session of a
    calendar: worked out once for it."""
    labels = labels or choice_labels()
    conference = session.conference
    place = place_of(conference) if place is None else place
    event = Event()
    event.add("uid", f"session-{session.pk}@{uid_domain(request)}")
    event.add("dtstamp", session.modified)
    if session.starts_at is None:
        event.add("dtstart", session.day)
        event.add("dtend", session.day + ONE_DAY)
    else:
        event.add("dtstart", session.starts_at)
        if session.ends_at is not None:
            event.add("dtend", session.ends_at)
    event.add("summary", one_line(session.title))
    event.add("categories", [labels["kind"].get(session.kind, session.kind)])
    event.add(
        "location",
        ", ".join(p for p in (one_line(session.location), place) if p),
    )
    event.add("url", request.build_absolute_uri(session.get_absolute_url()))
    if conference.state.is_cancelled:
        event.add("status", "CANCELLED")
    lines = [session.description]
    speaker_format = _("%(name)s (%(role)s)")
    speakers = [
        speaker_format % {"name": a.person.name, "role": labels["role"].get(a.role, a.role)}
        + (f", {a.capacity}" if a.capacity else "")
        for a in session.appearances.all()
    ]
    if speakers:
        lines.append("\n".join(speakers))
    lines.append(conference.title)
    event.add("description", "\n\n".join(line for line in lines if line))
    return event


def conference_calendar(conference: Conference, *, request: HttpRequest) -> Calendar:
    """One event per programme item; the whole conference when there is no programme yet
    and its days are known. A conference known only by its month or year is no event
    spanning the whole month or year (it would mark days it will not take): its calendar
    holds no event until its days are announced."""
    cal = new_calendar(conference.title, conference.theme)
    cal.add("x-wr-timezone", conference.time_zone)
    sessions = list(conference.sessions.all())
    labels = choice_labels()
    place = place_of(conference)
    for session in sessions:
        cal.add_component(session_event(session, request=request, labels=labels, place=place))
    if not sessions and conference.state.in_calendars:
        cal.add_component(conference_event(conference, request=request))
    # VTIMEZONE rules only for the years around the conference keep the file small.
    add_missing_timezones(
        cal,
        first_date=conference.start_date - datetime.timedelta(days=366),
        last_date=conference.end_date + datetime.timedelta(days=366),
    )
    return cal


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_date: datetime.date, last_date: datetime.date) -> Timezone | None:
    """A zone's VTIMEZONE for these dates, worked out once per process: icalendar finds the
    transitions by asking the zone its offset hour by hour (several ms a calendar). Shared
    between calendars, so read-only."""
    try:
        return Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
    except ValueError:  # a zone icalendar does not know: no VTIMEZONE, as it does
        return None


def add_missing_timezones(
    cal: Calendar, *, first_date: datetime.date, last_date: datetime.date
) -> None:
    """Calendar.add_missing_timezones(), with the VTIMEZONE components kept (`vtimezone`)."""
    position = len(cal.timezones)
    for tzid in sorted(cal.get_missing_tzids()):
        timezone = vtimezone(tzid, first_date, last_date)
        if timezone is not None:
            cal.subcomponents.insert(position, timezone)
            position += 1


def upcoming_calendar(conferences: Iterable[Conference], *, request: HttpRequest) -> Calendar:
    """An all-day event per conference whose days are known; the others join the calendar
    once their days are announced (subscribers see them at the next refresh)."""
    association = {"short": settings.ASSOCIATION_SHORT_NAME, "name": settings.ASSOCIATION_NAME}
    cal = new_calendar(
        _("%(short)s upcoming conferences") % association,
        _("World and division conferences of the %(name)s.") % association,
    )
    cal.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for conference in conferences:
        if conference.state.in_calendars:
            cal.add_component(conference_event(conference, request=request))
    return cal


# RFC 5545: a content line longer than 75 octets goes on in lines starting with a space.
FOLD_OCTETS = 75
ESCAPES = "\\^"


def fold(line: str) -> str:
    """`line` folded exactly as icalendar folds it: pieces of at most 74 octets, an escape
    (a backslash or a caret) never left at the end of a piece, a character never split.

    icalendar measures every character one by one, a third of the time a programme's
    calendar took; an ASCII line (almost every line) is cut by position instead.
    """
    if line.isascii():
        if len(line) < FOLD_OCTETS:
            return line
        width = FOLD_OCTETS - 1
        pieces = []
        start = 0
        while len(line) - start > width:
            end = start + width
            if line[end - 1] in ESCAPES and end - start > 1:
                end -= 1
            pieces.append(line[start:end])
            start = end
        pieces.append(line[start:])
        return "\r\n ".join(pieces)
    pieces, piece, octets = [], [], 0
    for char in line:
        size = len(char.encode())
        if piece and octets + size >= FOLD_OCTETS:
            if len(piece) > 1 and piece[-1] in ESCAPES:
                carried = piece.pop()
                pieces.append("".join(piece))
                piece, octets = [carried], len(carried.encode())
            else:
                pieces.append("".join(piece))
                piece, octets = [], 0
        piece.append(char)
        octets += size
    if piece:
        pieces.append("".join(piece))
    return "\r\n ".join(pieces)


def to_ical(cal: Calendar) -> bytes:
    """`cal.to_ical()`, folded by `fold`."""
    return b"".join(fold(line).encode() + b"\r\n" for line in cal.content_lines() if line)


def response(cal: Calendar, *, filename: str) -> HttpResponse:
    result = HttpResponse(to_ical(cal), content_type="text/calendar; charset=utf-8")
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    result["Content-Disposition"] = disposition
    return result
