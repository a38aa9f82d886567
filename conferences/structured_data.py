"""A conference page's schema.org description and summary: the event, its sessions, speakers."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.dates import date_text, iso_date
from core.dependencies import depends_on_record
from members.models import Organisation
from members.structured_data import organisation_reference

from .models import Appearance, Conference, Session
from .templatetags.conference_tags import date_range


class Speaker:
    """A person on the programme, once, with every role they had."""

    def __init__(self, person, capacity: str, affiliation: str = "") -> None:
        self.person = person
        self.capacity = capacity
        self.affiliation = affiliation  # the name of the person's organisation
        self.roles: list[str] = []
        self.link = ""  # the name, linked to the person's page, as the page shows it


def speakers_of(
    sessions, role_label: Callable[[Any], str], only: set[int] | None = None
) -> list[Speaker]:
    """The people on a programme (conferences/programme.py: `programme_of()`), once each, or
    those of them whose ids are in `only`; `role_label` names an appearance's role."""
    speakers: dict[int, Speaker] = {}
    for session in sessions:
        for appearance in session.appearances:
            if only is not None and appearance.person_id not in only:
                continue
            if appearance.person_id not in speakers:
                speakers[appearance.person_id] = Speaker(
                    appearance.person, appearance.capacity, affiliation_name(appearance)
                )
            speaker = speakers[appearance.person_id]
            speaker.capacity = speaker.capacity or appearance.capacity
            role = role_label(appearance)
            if role not in speaker.roles:
                speaker.roles.append(role)
    return sorted(speakers.values(), key=lambda speaker: speaker.person.name.casefold())


def affiliation_name(appearance: Appearance) -> str:
    """As annotated by Session.objects.for_programme(), else through the person."""
    if hasattr(appearance, "affiliation_name"):
        # Read through a join: a page showing it depends on the organisation all the same.
        depends_on_record(Organisation, appearance.affiliation_pk)
        return appearance.affiliation_name or ""
    affiliation = appearance.person.affiliation
    return affiliation.name if affiliation else ""


def schema_date(conference: Conference, date) -> str:
    """ISO 8601 cut to what is known: "2025-09-15", "2026-10" or "2027"."""
    return iso_date(date, conference.date_precision)


def place_json_ld(conference: Conference) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "addressCountry": conference.country.code}
    if conference.city:
        address["addressLocality"] = conference.city
    place = {"@type": "Place", "address": address}
    place["name"] = conference.venue or ", ".join(
        part for part in (conference.city, conference.country.name) if part
    )
    return place


def event_json_ld(conference: Conference, request: HttpRequest) -> dict[str, Any]:
    """schema.org Event for the conference: what search engines read of an event (its name,
    dates, place, status, organisers, address). Each programme item describes itself, as part
    of this event, on its own page: listing them all here doubled a large programme's page."""
    url = request.build_absolute_uri(conference.get_absolute_url())
    hosts = list(conference.host_links.all())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": conference.title,
        "startDate": schema_date(conference, conference.start_date),
        "endDate": schema_date(conference, conference.end_date),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place_json_ld(conference),
    }
    if conference.state.schema_event_status:
        data["eventStatus"] = conference.state.schema_event_status
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
    if conference.state.offers_registration:
        data["offers"] = {
            "@type": "Offer",
            "url": conference.registration_url,
            "availability": "https://schema.org/InStock",
        }
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
    performers = [performer(appearance.person, request) for appearance in session.appearances.all()]
    if performers:
        data["performer"] = performers
    return data


def performer(person, request: HttpRequest) -> dict[str, Any]:
    """A person on the programme by name and page; a removed person by name alone."""
    data = {"@type": "Person", "name": person.name}
    if person.removed_at is None:
        data["url"] = request.build_absolute_uri(person.get_absolute_url())
    return data


def session_page_json_ld(session: Session, request: HttpRequest) -> dict[str, Any]:
    """A session's own page: the session as an Event, part of its conference's."""
    conference = session.conference
    data = {"@context": "https://schema.org", **session_json_ld(session, request)}
    data["@id"] = data["url"]
    place = place_json_ld(conference)
    if session.location:
        place["name"] = f"{session.location}, {place['name']}"
    data["location"] = place
    data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
    if conference.state.schema_event_status:
        data["eventStatus"] = conference.state.schema_event_status
    data["superEvent"] = {
        "@type": "Event",
        "@id": request.build_absolute_uri(conference.get_absolute_url()),
        "name": conference.title,
        "url": request.build_absolute_uri(conference.get_absolute_url()),
    }
    topics = [topic.name for topic in session.topics.all()]
    if topics:
        data["keywords"] = ", ".join(topics)
    return data


def session_meta_description(session: Session) -> str:
    conference = session.conference
    summary = _("%(kind)s at %(conference)s, %(day)s.") % {
        "kind": session.get_kind_display(),
        "conference": conference.title,
        "day": date_text(session.day),
    }
    return f"{summary} {session.description}".strip()[:300]


def meta_description(conference: Conference) -> str:
    place = ", ".join(part for part in (conference.city, conference.country.name) if part)
    summary = f"{date_range(conference)}, {place}."
    return f"{summary} {conference.theme}".strip()
