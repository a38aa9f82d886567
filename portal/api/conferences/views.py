import datetime

from django.db.models import F
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from icalendar import Calendar
from rest_framework.response import Response

from conferences import calendar
from conferences.filters import ConferenceApiFilter, SessionFilter
from conferences.models import Conference, ConferenceHost, Session
from core import dependencies
from core.rest.grouping import by_choice, by_country, by_record, by_year
from core.rest.permissions import may_read_private
from core.rest.viewsets import PortalViewSet, PortalWriteViewSet
from members.models import Division, Topic
from portal import selectors

from .renderers import ICalendarRenderer, LinkRowsCSVRenderer
from .rows import ConferenceRows
from .serializers import (
    ConferenceDetailSerializer,
    ConferenceSerializer,
    ConferenceWriteSerializer,
    SessionSerializer,
)

# Time zone rules for a year either side keep a calendar file small.
ONE_YEAR = datetime.timedelta(days=366)


class CalendarMixin:
    """`?format=ics`: lists and details as iCalendar, built by conferences/calendar.py."""

    list_renderer_classes = (LinkRowsCSVRenderer, ICalendarRenderer)
    detail_renderer_classes = (ICalendarRenderer,)

    @property
    def wants_calendar(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == ICalendarRenderer.format

    def list(self, request, *args, **kwargs):
        if not self.wants_calendar:
            return super().list(request, *args, **kwargs)
        records = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The paging links, as in JSON and CSV: a calendar is one page of the list.
        links = self.get_paginated_response([]).headers.get("Link")
        response = self.calendar_response(self.list_calendar(records), f"{self.basename}s.ics")
        if links:
            response["Link"] = links
        return response

    def retrieve(self, request, *args, **kwargs):
        if not self.wants_calendar:
            return super().retrieve(request, *args, **kwargs)
        record = self.get_object()
        return self.calendar_response(self.detail_calendar(record), self.calendar_filename(record))

    def calendar_response(self, cal: Calendar, filename: str) -> Response:
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        return Response(cal, headers={"Content-Disposition": disposition})


WRITES = ["create", "update", "partial_update"]


# Codes the schema cannot find by itself: a function validator's, the edition's uniqueness
# (which the model reports on the field) and any other rule of the model's.
@extend_validation_errors(["invalid_time_zone"], field_name="time_zone", actions=WRITES)
@extend_validation_errors(["unique"], field_name="edition", actions=WRITES)
@extend_validation_errors(["invalid"], field_name="non_field_errors", actions=WRITES)
@extend_schema_view(
    create=extend_schema(responses={201: ConferenceDetailSerializer}),
    update=extend_schema(responses={200: ConferenceDetailSerializer}),
    partial_update=extend_schema(responses={200: ConferenceDetailSerializer}),
)
class ConferenceViewSet(CalendarMixin, PortalWriteViewSet):
    """World and division conferences and other events of the association.

    `?format=ics` gives a list as a calendar of all-day events, one per conference, and a
    conference as its programme (one event per session).
    """

    serializer_class = ConferenceSerializer
    list_rows = ConferenceRows
    detail_serializer_class = ConferenceDetailSerializer
    write_serializer_class = ConferenceWriteSerializer
    filterset_class = ConferenceApiFilter
    cache_precise_actions = ("retrieve",)
    cache_list_depends_on = (Conference, ConferenceHost, Division, Topic)

    def get_object(self):
        conference = super().get_object()
        dependencies.depends_on_tags(conference.series_tag)  # the previous and next editions
        if self.action == "retrieve" and not self.wants_calendar:
            self.complete_detail(conference)
        return conference

    def complete_detail(self, record: Conference) -> None:
        selectors.complete_conferences([record])

    search_fields = ["title", "theme", "city", "venue"]
    ordering_fields = ["start_date", "title", "edition", "modified"]
    ordering = ["-start_date", "-pk"]
    group_by_fields = {
        "year": by_year("start_date", description=gettext_lazy("the year it starts")),
        "country": by_country("country", description=gettext_lazy("its country")),
        "division": by_record("division", description=gettext_lazy("its division")),
        "kind": by_choice("kind", Conference.Kind.choices, description=gettext_lazy("its kind")),
        "status": by_choice(
            "status", Conference.Status.choices, description=gettext_lazy("its status")
        ),
    }

    def get_queryset(self):
        staff = may_read_private(self.request, Conference)
        conferences = Conference.objects.all() if staff else Conference.objects.published()
        if self.wants_calendar:
            if self.action == "list":
                return conferences
            return conferences.for_calendar(held_back_sessions=staff)
        if self.action == "list":
            return conferences.for_api()
        return selectors.with_public_agreements(
            conferences.for_api_detail(held_back_sessions=staff)
        )

    def list_calendar(self, conferences) -> Calendar:
        return calendar.upcoming_calendar(conferences, request=self.request)

    def detail_calendar(self, conference) -> Calendar:
        return calendar.conference_calendar(conference, request=self.request)

    def calendar_filename(self, conference) -> str:
        return f"{conference.slug}.ics"


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=gettext_lazy("The session's id."),
            )
        ]
    )
)
class SessionViewSet(CalendarMixin, PortalViewSet):
    """Programme items of the conferences: sessions, visits, ceremonies.

    Times are wall-clock times of the conference's time zone; `starts_at` and `ends_at` give
    them with their offset. `?format=ics` gives a list or a session as calendar events.
    """

    serializer_class = SessionSerializer
    lookup_field = "pk"
    cache_precise_actions = ("retrieve",)
    filterset_class = SessionFilter
    search_fields = ["title", "description"]
    ordering_fields = ["day", "start_time", "title", "modified"]
    # Whole-day items open each day, on every database.
    ordering = ["day", F("start_time").asc(nulls_first=True), "order", "pk"]
    group_by_fields = {
        "kind": by_choice("kind", Session.Kind.choices, description=gettext_lazy("its kind")),
        "topic": by_record("topics", description=gettext_lazy("each of its topics"), many=True),
    }

    def get_queryset(self):
        if may_read_private(self.request, Session):
            return Session.objects.for_api()
        return Session.objects.published().for_api()

    def list_calendar(self, sessions) -> Calendar:
        return sessions_calendar(sessions, name=_("Sessions"), request=self.request)

    def detail_calendar(self, session) -> Calendar:
        return sessions_calendar([session], name=session.title, request=self.request)

    def calendar_filename(self, session) -> str:
        return f"session-{session.pk}.ics"


def sessions_calendar(sessions, *, name: str, request) -> Calendar:
    """Sessions of any conferences as events, with the time zones they need."""
    cal = calendar.new_calendar(name)
    for session in sessions:
        cal.add_component(calendar.session_event(session, request=request))
    days = [session.day for session in sessions]
    if days:
        cal.add_missing_timezones(first_date=min(days) - ONE_YEAR, last_date=max(days) + ONE_YEAR)
    return cal


ROUTES = [
    ("conferences", ConferenceViewSet, "conference"),
    ("sessions", SessionViewSet, "session"),
]
