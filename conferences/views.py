import itertools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from . import calendar
from .filters import ConferenceFilter
from .models import Conference, Session
from .templatetags.conference_tags import date_range

SCHEMA_EVENT_STATUS = {
    Conference.Status.CANCELLED: "https://schema.org/EventCancelled",
}


class ConferenceListView(ListView):
    """Upcoming conferences (soonest first) above the past ones (newest first, paginated)."""

    template_name = "conferences/conference_list.html"
    paginate_by = 20
    context_object_name = "past_conferences"

    def get_queryset(self):
        self.filterset = ConferenceFilter(
            self.request.GET or None, queryset=Conference.objects.for_list()
        )
        # An invalid filter lists nothing; the form shows why.
        if self.filterset.is_bound and not self.filterset.is_valid():
            self.matching = Conference.objects.none()
        else:
            self.matching = self.filterset.qs
        self.today = timezone.localdate()
        return self.matching.past(today=self.today).order_by("-start_date", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = list(page.object_list)
        upcoming = []
        if page.number == 1:
            upcoming = list(self.matching.upcoming(today=self.today).order_by("start_date", "pk"))
        load_choices(self.filterset.form)
        context.update(
            filter=self.filterset,
            past_conferences=page.object_list,
            upcoming_conferences=upcoming,
            is_filtered=any(self.request.GET.get(name) for name in self.filterset.filters),
        )
        return context


def load_choices(form) -> None:
    """Run the select boxes' queries now, so that drawing the form in the template runs none."""
    for field in form.fields.values():
        if hasattr(field, "choices"):
            # iter() first: list() would ask a ModelChoiceIterator for its length, a COUNT query.
            field.widget.choices = list(iter(field.choices))


class ConferenceDetailView(DetailView):
    template_name = "conferences/conference_detail.html"

    def get_queryset(self):
        return Conference.objects.for_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        conference = self.object
        sessions = list(conference.sessions.all())
        series = Conference.objects.for_list().in_series_of(conference)
        context.update(
            programme=[
                (day, list(items))
                for day, items in itertools.groupby(sessions, key=lambda s: s.day)
            ],
            speakers=speakers_of(sessions),
            hosts=list(conference.host_links.all()),
            previous_edition=series.before(conference).first(),
            next_edition=series.after(conference).first(),
            structured_data=event_json_ld(conference, sessions, self.request),
            meta_description=meta_description(conference),
        )
        return context


class ConferenceCalendarView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        conference = get_object_or_404(Conference.objects.for_calendar(), slug=slug)
        cal = calendar.conference_calendar(conference, request=request)
        return calendar.response(cal, filename=f"{conference.slug}.ics")


class UpcomingCalendarView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        conferences = Conference.objects.upcoming().order_by("start_date", "pk")
        cal = calendar.upcoming_calendar(conferences, request=request)
        return calendar.response(cal, filename="upcoming-conferences.ics")


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


def organisation_json_ld(organisation, request: HttpRequest) -> dict[str, Any]:
    data = {
        "@type": "Organization",
        "name": organisation.name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


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
        organisation_json_ld(link.organisation, request)
        for link in hosts
        if link.role in {link.Role.HOST, link.Role.CO_HOST}
    ]
    sponsors = [
        organisation_json_ld(link.organisation, request)
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
