import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members.models import Organisation, Topic

from .models import Agreement, AgreementParty

PUBLIC_STATUSES = [
    (value, label) for value, label in Agreement.Status.choices if value != Agreement.Status.DRAFT
]


def party_choices(request) -> QuerySet[Organisation]:
    # Only organisations that can match: a party to a private agreement stays unlisted.
    return Organisation.objects.filter(
        pk__in=AgreementParty.objects.filter(agreement__in=Agreement.objects.public()).values(
            "organisation"
        )
    )


def topic_choices(request) -> QuerySet[Topic]:
    return Topic.objects.filter(
        pk__in=Agreement.topics.through.objects.filter(
            agreement__in=Agreement.objects.public()
        ).values("topic")
    )


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class AgreementFilter(django_filters.FilterSet):
    """Filters for the public agreement list and the API.

    `party` may be repeated: `?party=a&party=b` keeps the agreements that both signed.
    """

    year = YearFilter(
        field_name="signed_on",
        lookup_expr="year",
        label=_("Year signed"),
        min_value=1900,
        max_value=2200,
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=topic_choices,
        label=_("Focus area"),
        empty_label=_("All focus areas"),
    )
    country = django_filters.ChoiceFilter(
        choices=lambda: list(countries),
        method="filter_country",
        label=_("Country of a party"),
        empty_label=_("All countries"),
    )
    party = django_filters.ModelMultipleChoiceFilter(
        field_name="parties__organisation__slug",
        to_field_name="slug",
        queryset=party_choices,
        conjoined=True,
        # One join per chosen party, each matching at most one row: no duplicates to remove.
        distinct=False,
        label=_("Parties"),
        help_text=_(
            "To choose several, hold Ctrl (⌘ on a Mac). With several, only the agreements "
            "they all signed are listed."
        ),
    )
    kind = django_filters.ChoiceFilter(
        choices=Agreement.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        choices=PUBLIC_STATUSES, label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = Agreement
        fields = ["year", "topic", "country", "party", "kind", "status"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(agreement=OuterRef("pk"), organisation__country=value)
            )
        )
