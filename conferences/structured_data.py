"""A conference page's schema.org description and summary: the event, its sessions, speakers."""

from typing import Any

from django.http import HttpRequest

from members.structured_data import organisation_reference

from .models import Conference, Session
from .templatetags.conference_tags import date_range

SCHEMA_EVENT_STATUS = {
    Conference.Status.CANCELLED: "https://schema.org/EventCancelled",
}


class Speaker:
    """A person on the programme, once, with every role they had."""

    def __init__(self, person, capacity: str) -> None:
        self.person = person
        self.capacity = capacity
        self.roles: list[str] = []


def speakers_of(sessions: list[Session]) -> list[Speaker]:
    speakers: dict[int, Speaker] = {}
    for session in sessions:
        for appearance in session.appearances.all():
            speaker = speakers.setdefault(
                appearance.person_id, Speaker(appearance.person, appearance.capacity)
            )
            speaker.capacity = speaker.capacity or appearance.capacity
            role = appearance.get_role_display()
            if role not in speaker.roles:
                speaker.roles.append(role)
    return sorted(speakers.values(), key=lambda speaker: speaker.person.name.casefold())


def schema_date(conference: Conference, date) -> str:
    """ISO 8601 cut to what is known: "2025-09-15", "2026-10" or "2027"."""
    if conference.date_precision == Conference.DatePrecision.YEAR:
        return f"{date.year:04d}"
    if conference.date_precision == Conference.DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def event_json_ld(
    conference: Conference, sessions: list[Session], request: HttpRequest
) -> dict[str, Any]:
    """schema.org Event for the conference, with a subEvent per programme item."""
    url = request.build_absolute_uri(conference.get_absolute_url())
    address = {"@type": "PostalAddress", "addressCountry": conference.country.code}
    if conference.city:
        address["addressLocality"] = conference.city
    place = {"@type": "Place", "address": address}
    place["name"] = conference.venue or ", ".join(
        part for part in (conference.city, conference.country.name) if part
    )
    hosts = list(conference.host_links.all())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": conference.title,
        "startDate": schema_date(conference, conference.start_date),
        "endDate": schema_date(conference, conference.end_date),
        "eventStatus": SCHEMA_EVENT_STATUS.get(
            conference.status, "https://schema.org/EventScheduled"
        ),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
    }
    description = conference.theme or conference.description
    if description:
        data["description"] = description
    if conference.cover_image:
        data["image"] = request.build_absolute_uri(conference.cover_image.url)
    organisers = [
        organisation_reference(link.organisation, request)
        for link in hosts
        if link.role in {link.Role.HOST, link.Role.CO_HOST}
    ]
    sponsors = [
        organisation_reference(link.organisation, request)
        for link in hosts
        if link.role not in {link.Role.HOST, link.Role.CO_HOST}
    ]
    if organisers:
        data["organizer"] = organisers
    if sponsors:
        data["sponsor"] = sponsors
    if conference.website:
        data["sameAs"] = conference.website
    if sessions:
        data["subEvent"] = [session_json_ld(session, request) for session in sessions]
    return data


def session_json_ld(session: Session, request: HttpRequest) -> dict[str, Any]:
    starts_at, ends_at = session.starts_at, session.ends_at
    data: dict[str, Any] = {
        "@type": "Event",
        "name": session.title,
        "url": request.build_absolute_uri(session.get_absolute_url()),
        "startDate": starts_at.isoformat() if starts_at else session.day.isoformat(),
    }
    if ends_at:
        data["endDate"] = ends_at.isoformat()
    elif not starts_at:
        data["endDate"] = session.day.isoformat()
    if session.location:
        data["location"] = {"@type": "Place", "name": session.location}
    if session.description:
        data["description"] = session.description
    performers = [
        {
            "@type": "Person",
            "name": appearance.person.name,
            "url": request.build_absolute_uri(appearance.person.get_absolute_url()),
        }
        for appearance in session.appearances.all()
    ]
    if performers:
        data["performer"] = performers
    return data


def meta_description(conference: Conference) -> str:
    place = ", ".join(part for part in (conference.city, conference.country.name) if part)
    summary = f"{date_range(conference)}, {place}."
    return f"{summary} {conference.theme}".strip()
