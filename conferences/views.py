from functools import cached_property
from typing import Any

from django.db.models.functions import Least
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.dependencies import PreciseCacheMixin
from core.filters import PreparedChoices
from core.pagination import CappedPaginator
from members.models import Division, Topic

from . import calendar
from .filters import ConferenceFilter
from .models import Conference, ConferenceHost


class ListPaginator(CappedPaginator):
    """Counts as every capped list does (without the list's order: an index on the filter
    alone then answers), or not at all when the count is known (`known_count`, exact: it is
    not capped)."""

    known_count: int | None = None

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return super().count

    @property
    def count_is_capped(self) -> bool:
        return self.known_count is None and super().count_is_capped


class ConferenceListView(PreciseCacheMixin, ListView):
    """Upcoming conferences (soonest first) above the past ones (newest first, paginated).

    The first page shows the UPCOMING_SHOWN soonest; when more are announced, a link lists
    them all, paginated (`?when=upcoming`). The worker keeps the number of all the past ones
    (conferences/aggregates.py); a filtered list is counted, up to the cap ("more than").
    """

    template_name = "conferences/conference_list.html"
    paginate_by = 20
    paginator_class = ListPaginator
    # Which conferences are listed and counted in the filters; the rest it shows it loads.
    cache_depends_on = (Conference, ConferenceHost, Division, Topic)
    context_object_name = "past_conferences"
    UPCOMING_SHOWN = 20

    def get_queryset(self):
        self.filterset = ConferenceFilter(
            self.request.GET or None, queryset=Conference.objects.published().for_list()
        )
        # An invalid filter lists nothing; the form shows why.
        if self.filterset.is_bound and not self.filterset.is_valid():
            self.matching = Conference.objects.none()
        else:
            self.matching = self.filterset.qs
        self.today = timezone.localdate()
        self.listing_upcoming = self.request.GET.get("when") == "upcoming"
        if self.listing_upcoming:
            return self.upcoming()
        return self.matching.past(today=self.today).order_by("-start_date", "-pk")

    def is_filtered(self) -> bool:
        return any(self.request.GET.get(name) for name in self.filterset.filters)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        if not self.listing_upcoming and not self.is_filtered():
            # All the past conferences: the worker keeps their number.
            paginator.known_count = self.filterset.kept_facts().past_count
        return paginator

    def upcoming(self):
        # Least(start, end) is the start date (the end never precedes it), in an expression
        # no index orders: PostgreSQL then reads the few upcoming ones by their end date and
        # sorts them, where ordering by the start date's index would walk past every past one.
        return self.matching.upcoming(today=self.today).order_by(
            Least("start_date", "end_date"), "pk"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = list(page.object_list)
        upcoming = []
        if page.number == 1 and not self.listing_upcoming:
            upcoming = list(self.upcoming()[: self.UPCOMING_SHOWN + 1])
        load_choices(self.filterset.form, kept=self.filterset.kept_choices())
        context.update(
            filter=self.filterset,
            past_conferences=page.object_list,
            upcoming_conferences=upcoming[: self.UPCOMING_SHOWN],
            more_upcoming=len(upcoming) > self.UPCOMING_SHOWN,
            listing_upcoming=self.listing_upcoming,
            is_filtered=self.is_filtered(),
        )
        return context


def load_choices(form, *, kept: dict[str, list] | None = None) -> None:
    """Run the select boxes' queries now, so that drawing the form in the template runs none.

    `kept` gives the (value, label) pairs of some selects as the worker kept them: those are
    drawn from them, after the field's empty choice, and read nothing."""
    kept = kept or {}
    for name, field in form.fields.items():
        if name in kept:
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            field.widget.choices = PreparedChoices([*empty, *map(tuple, kept[name])])
        elif hasattr(field, "choices"):
            # iter() first: list() would ask a ModelChoiceIterator for its length, a COUNT query.
            field.widget.choices = PreparedChoices(list(iter(field.choices)))


class ConferenceCalendarView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        conference = get_object_or_404(Conference.objects.published().for_calendar(), slug=slug)
        cal = calendar.conference_calendar(conference, request=request)
        if not cal.walk("VEVENT"):
            # Known only by its month or year, with no programme: nothing to add yet.
            raise Http404(_("This conference has no days to add to a calendar yet."))
        return calendar.response(cal, filename=f"{conference.slug}.ics")


class UpcomingCalendarView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        conferences = Conference.objects.published().upcoming().order_by("start_date", "pk")
        cal = calendar.upcoming_calendar(conferences, request=request)
        return calendar.response(cal, filename="upcoming-conferences.ics")
