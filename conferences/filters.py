import django_filters
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members.models import Division, Topic

from .models import Conference, Session


def topics_in_use():
    """Topics of some conference or session: the others would only ever list nothing."""
    return Topic.objects.filter(
        Q(pk__in=Conference.topics.through.objects.values("topic_id"))
        | Q(pk__in=Session.topics.through.objects.values("topic_id"))
    )


class ConferenceFilter(django_filters.FilterSet):
    """The conference list's filters, for the public page and the API alike.

    Year and country offer only the values some conference has; both come from one query,
    run only when the form is validated or drawn.
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._years_and_countries = None
        self.filters["year"].extra["choices"] = self.year_choices
        self.filters["country"].extra["choices"] = self.country_choices

    def years_and_countries(self) -> tuple[list[int], list[str]]:
        if self._years_and_countries is None:
            pairs = (
                Conference.objects.order_by()
                .values_list(ExtractYear("start_date"), "country")
                .distinct()
            )
            years, codes = set(), set()
            for year, code in pairs:
                years.add(year)
                codes.add(code)
            self._years_and_countries = (sorted(years, reverse=True), sorted(codes))
        return self._years_and_countries

    def year_choices(self) -> list[tuple[str, str]]:
        return [(str(year), str(year)) for year in self.years_and_countries()[0]]

    def country_choices(self) -> list[tuple[str, str]]:
        names = [(code, countries.name(code)) for code in self.years_and_countries()[1]]
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
