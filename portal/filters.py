"""Filters of lists that cross apps: people by the conferences they took part in."""

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from conferences.models import Appearance, Conference
from core.countries import country_choices
from core.filters import FACET_LIMIT, Facet, FacetedFilterSet, documented
from members.filters import COUNTRY_HELP
from members.models import Organisation, Person


def recent_conferences_with_speakers(limit: int) -> QuerySet:
    """The slugs of the latest conferences with anyone on their programme."""
    on_programme = Appearance.objects.filter(
        session__conference=OuterRef("pk"), session__is_published=True
    )
    return (
        Conference.objects.published()
        .filter(Exists(on_programme))
        .order_by("-start_date", "title")
        .values_list("slug", flat=True)[:limit]
    )


class PersonFilter(FacetedFilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="search",
        widget=forms.SearchInput,
        max_length=200,
    )
    conference = django_filters.ModelChoiceFilter(
        label=_("Conference"),
        field_name="appearances__session__conference",
        queryset=Conference.objects.published(),
        to_field_name="slug",
        empty_label=_("All conferences"),
        distinct=True,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, empty_label=_("All countries")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="affiliation",
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        empty_label=_("All organisations"),
    )

    facets = {
        "conference": Facet(
            "appearances__session__conference__slug",
            "appearances__session__conference__title",
            order_by=(
                "-appearances__session__conference__start_date",
                "appearances__session__conference__title",
            ),
            limit=FACET_LIMIT,
            offered=lambda: recent_conferences_with_speakers(FACET_LIMIT),
        ),
        "country": Facet("country"),
        "organisation": Facet(
            "affiliation__slug",
            "affiliation__name",
            order_by=("-facet_count", "affiliation__name"),
            limit=FACET_LIMIT,
        ),
    }

    class Meta:
        model = Person
        fields = ["q", "conference", "country", "organisation"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value)

    # The unfiltered list's counts as the worker keeps them (members/directory.py), when the
    # page reads them; None: every count is a query.
    kept: dict | None = None

    def is_unfiltered(self) -> bool:
        self.form.is_valid()
        return all(value in (None, "") for value in self.form.cleaned_data.values())

    def kept_total(self) -> int | None:
        return self.kept["total"] if self.kept is not None and self.is_unfiltered() else None

    def kept_facet_counts(self, name: str) -> list[tuple[str, str, int]] | None:
        if self.kept is None or not self.is_unfiltered():
            return None
        limit = self.facets[name].limit
        if name == "organisation":
            return [tuple(row) for row in self.kept["organisations"][:limit]]
        if name == "conference" and "conferences" in self.kept:
            return [tuple(row) for row in self.kept["conferences"][:limit]]
        if name == "country":
            counts = self.kept["countries"]
            return [
                (value, label, counts[value])
                for value, label in self.form.fields[name].choices
                if value in counts
            ]
        return None

    def facet_counts(self, name: str, facet: Facet) -> list[tuple[str, str, int]]:
        kept = self.kept_facet_counts(name)
        if kept is not None:
            return kept
        return self.counted_facet(name, facet)

    def counted_facet(self, name: str, facet: Facet) -> list[tuple[str, str, int]]:
        """The conference facet counts from the appearances' side: the offered conferences'
        appearances of the people the other filters leave, grouped by conference.

        Counted from the people's side, the query joined every person to their appearances
        and excluded those without any through an anti-join PostgreSQL planned for one row:
        it looped over the whole join for each of thousands of rows.
        """
        if name != "conference":
            return super().facet_counts(name, facet)
        conference = "session__conference"
        rows = (
            Appearance.objects.filter(
                person__in=self.queryset_without(name).order_by().values("pk"),
                **{f"{conference}__slug__in": list(facet.offered())},
            )
            .values(f"{conference}__slug", f"{conference}__title")
            .annotate(facet_count=Count("person", distinct=True))
            .order_by(f"-{conference}__start_date", f"{conference}__title")[: facet.limit]
        )
        counted = [
            (row[f"{conference}__slug"], row[f"{conference}__title"], row["facet_count"])
            for row in rows
        ]
        return self._keep_selected(name, facet, counted)


class PersonApiFilter(PersonFilter):
    """The people page's filters for the API, with `role=`.

    `conference` and `role` together mean one appearance: that role at that conference.
    """

    q = None
    conference = documented(
        PersonFilter.base_filters["conference"],
        _("People appearing in a session of this conference (its slug)."),
    )
    country = documented(PersonFilter.base_filters["country"], COUNTRY_HELP)
    organisation = documented(
        PersonFilter.base_filters["organisation"],
        _("People affiliated to this organisation (its slug)."),
    )
    role = django_filters.ChoiceFilter(
        choices=Appearance.Role.choices,
        help_text=_("People with this role in a session (at that conference, with conference)."),
    )

    # Filters that select people through their appearances, with the lookup on Appearance.
    appearance_lookups = {"conference": "session__conference", "role": "role"}

    class Meta:
        model = Person
        fields = ["conference", "country", "organisation", "role"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        appearance = {}
        for name, value in self.form.cleaned_data.items():
            if name not in self.appearance_lookups:
                queryset = self.filters[name].filter(queryset, value)
            elif value not in (None, ""):
                appearance[self.appearance_lookups[name]] = value
        if appearance:
            people = Appearance.objects.filter(**appearance).values("person")
            queryset = queryset.filter(pk__in=people)
        return queryset
