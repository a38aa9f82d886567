from collections.abc import Callable

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.countries import country_choices, country_name
from members.models import Division, Topic

from .aggregates import ListFacts, kept_list_facts
from .models import Conference, Session


def topics_in_use():
    """Topics of some conference or session: the others would only ever list nothing.

    EXISTS per topic: one index probe each, where IN would read every session's links."""
    return Topic.objects.filter(
        Exists(Conference.topics.through.objects.filter(topic=OuterRef("pk")))
        | Exists(Session.topics.through.objects.filter(topic=OuterRef("pk")))
    )


def kept_by_reference(choices: Callable[[], list]) -> Callable[[], list]:
    """`choices` in a function, which deepcopy() keeps as it is."""
    return lambda: choices()


class ConferenceFilter(django_filters.FilterSet):
    """The conference list's filters, for the public page and the API alike.

    Year and country offer only the values some conference has; both come from one query of
    the kept aggregates (conferences/aggregates.py), run only when the form is validated or
    drawn.
    """

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Conference.Kind.choices, empty_label=_("Any kind")
    )
    division = django_filters.ModelChoiceFilter(
        label=_("Division"),
        queryset=Division.objects.all(),
        to_field_name="slug",
        empty_label=_("Any division"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("Any year")
    )
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("Any country"))
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=topics_in_use(),
        to_field_name="slug",
        method="filter_topic",
        empty_label=_("Any topic"),
    )

    class Meta:
        model = Conference
        fields = ["kind", "division", "year", "country", "topic"]

    # Filters whose choices are read from the conferences: (filter, method giving the choices).
    choices_from_data = (("year", "year_choices"), ("country", "country_choices"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_facts: ListFacts | None = None
        for name, method in self.choices_from_data:
            # A function, not the bound method: the form deep-copies its fields' choices, and
            # with a bound method this filterset, whose copy would read the aggregate again.
            self.filters[name].extra["choices"] = kept_by_reference(getattr(self, method))

    def kept_facts(self) -> ListFacts:
        """The list's facts the worker keeps (conferences/aggregates.py), read once."""
        if self._kept_facts is None:
            self._kept_facts = kept_list_facts()
        return self._kept_facts

    @property
    def choices_are_lagging(self) -> bool:
        return self._kept_facts is not None and self._kept_facts.is_lagging

    def kept_choices(self) -> dict[str, list]:
        """The division and topic choices as the worker kept them (slug, name), for drawing
        the form; none from a count stored before they were kept."""
        facts = self.kept_facts()
        kept = {"division": facts.divisions, "topic": facts.topics}
        return {name: choices for name, choices in kept.items() if choices is not None}

    def years_and_countries(self) -> tuple[list[int], list[str]]:
        return self.kept_facts().years, self.kept_facts().countries

    def year_choices(self) -> list[tuple[str, str]]:
        return [(str(year), str(year)) for year in self.years_and_countries()[0]]

    def country_choices(self) -> list[tuple[str, str]]:
        names = [(code, country_name(code)) for code in self.years_and_countries()[1]]
        return sorted(names, key=lambda choice: choice[1])

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__year__lte=year, end_date__year__gte=year)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(
            Q(pk__in=Conference.topics.through.objects.filter(topic=value).values("conference_id"))
            | Q(
                pk__in=Session.topics.through.objects.filter(topic=value).values(
                    "session__conference_id"
                )
            )
        )


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CountryCodeField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case."""

    def to_python(self, value):
        return super().to_python(value).upper()


class CountryFilter(django_filters.CharFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", country_choices)
        super().__init__(*args, **kwargs)


class SlugFilter(django_filters.ModelChoiceFilter):
    """A related record by its slug; a slug that names nothing is an error, not an empty list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        # Django refuses null characters in a lookup before this validator would; declaring
        # it lists the error code in the OpenAPI schema.
        kwargs.setdefault("validators", [ProhibitNullCharactersValidator()])
        super().__init__(*args, **kwargs)


class ConferenceApiFilter(ConferenceFilter):
    """The conference list's filters with what partners also ask for: status, dates, upcoming.

    The public page offers only the years and countries some conference has; the API takes
    any year or country code (an empty list is an answer) and any topic.
    """

    kind = django_filters.ChoiceFilter(choices=Conference.Kind.choices, help_text=_("Kind."))
    division = SlugFilter(
        queryset=Division.objects.all(), help_text=_("The division's slug (see /divisions/).")
    )
    year = IntegerFilter(
        method="filter_year",
        min_value=1,
        max_value=9999,
        help_text=_("Conferences taking place (at least partly) in this year, e.g. 2025."),
    )
    country = CountryFilter(
        field_name="country", help_text=_("ISO 3166-1 alpha-2 country code, e.g. CN.")
    )
    topic = SlugFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        method="filter_topic",
        help_text=_(
            "A topic's slug (see /topics/): conferences tagged with it or with a session on it."
        ),
    )
    status = django_filters.ChoiceFilter(choices=Conference.Status.choices, help_text=_("Status."))
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        help_text=_(
            "upcoming: not yet ended and not cancelled (as the website lists them); "
            "past: ended before today."
        ),
    )
    date_from = django_filters.DateFilter(
        field_name="end_date",
        lookup_expr="gte",
        help_text=_("Conferences still running on or after this date (ISO 8601, e.g. 2025-01-31)."),
    )
    date_to = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        help_text=_("Conferences started on or before this date (ISO 8601, e.g. 2025-12-31)."),
    )

    choices_from_data = ()

    class Meta(ConferenceFilter.Meta):
        fields = [
            *ConferenceFilter.Meta.fields,
            "status",
            "when",
            "date_from",
            "date_to",
        ]

    def filter_year(self, queryset, name, value: int):
        # The hint tells the OpenAPI schema that the year is an integer.
        return super().filter_year(queryset, name, value)

    def filter_when(self, queryset, name, value: str):
        return queryset.upcoming() if value == "upcoming" else queryset.past()


class SessionFilter(django_filters.FilterSet):
    """The programme items' filters, for the API."""

    conference = SlugFilter(
        queryset=Conference.objects.all(), help_text=_("The conference's slug (see /conferences/).")
    )
    day = django_filters.DateFilter(help_text=_("The day (ISO 8601, e.g. 2025-09-16)."))
    kind = django_filters.ChoiceFilter(choices=Session.Kind.choices, help_text=_("Kind."))
    topic = SlugFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        help_text=_("A topic's slug (see /topics/)."),
    )

    class Meta:
        model = Session
        fields = ["conference", "day", "kind", "topic"]
