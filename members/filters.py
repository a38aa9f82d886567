import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.countries import country_choices
from core.filters import Facet, FacetedFilterSet, StrictBooleanFilter, documented

from .directory import KeptDirectoryCounts
from .models import Division, Membership, Organisation, Topic


# The most choices a facet over a growing table (conferences, organisations) offers.
class OrganisationFilter(FacetedFilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="search",
        widget=forms.SearchInput,
        max_length=200,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, empty_label=_("All countries")
    )
    division = django_filters.ModelChoiceFilter(
        label=_("Division"),
        queryset=Division.objects.all(),
        to_field_name="slug",
        empty_label=_("All divisions"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All kinds")
    )
    category = django_filters.ChoiceFilter(
        label=_("Membership category"),
        choices=Membership.Category.choices,
        method="filter_category",
        empty_label=_("All categories"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
        distinct=True,
    )

    facets = {
        "country": Facet("country"),
        "division": Facet("division__slug", "division__name", order_by=("division__name",)),
        "kind": Facet("kind"),
        "category": Facet("membership_category"),
        "topic": Facet("topics__slug", "topics__name", order_by=("topics__name",)),
    }

    class Meta:
        model = Organisation
        fields = ["q", "country", "division", "kind", "category", "topic"]

    # The worker's counts of the current members (members/directory.py), when the view
    # lists current members and reads them; None: every count is a query.
    kept: KeptDirectoryCounts | None = None

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def chosen_values(self) -> dict[str, str]:
        """The valid filters chosen, as the values the kept counts hold (slugs for records)."""
        self.form.is_valid()
        chosen = {}
        for name, value in self.form.cleaned_data.items():
            if value not in (None, ""):
                chosen[name] = getattr(value, "slug", value)
        return chosen

    def kept_total(self) -> int | None:
        """How many members the chosen filters give, from the kept counts when they can tell."""
        if self.kept is None:
            return None
        if "q" in self.chosen_values():
            return None
        return self.kept.total

    def facet_counts(self, name: str, facet: Facet) -> list[tuple[str, str, int]]:
        counted = self.kept_facet_counts(name)
        if counted is None:
            return super().facet_counts(name, facet)
        return self._keep_selected(name, facet, counted)

    def kept_facet_counts(self, name: str) -> list[tuple[str, str, int]] | None:
        if self.kept is None:
            return None
        chosen = self.chosen_values()
        others = set(chosen) - {name}
        if name not in self.kept.per_filter or "q" in others:
            return None
        if name == "topic":
            return self.kept.per_topic()
        counts = self.kept.per_filter[name]
        if name == "division":
            names = self.kept.division_names
            return sorted(
                ((slug, names.get(slug, slug), count) for slug, count in counts.items()),
                key=lambda choice: choice[1],
            )
        return [
            (str(value), label, counts[value])
            for value, label in self.form.fields[name].choices
            if value in counts
        ]

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        members = Membership.objects.current().filter(category=value)
        return queryset.filter(pk__in=members.values("organisation"))

    def queryset_without(self, name: str) -> QuerySet:
        queryset = super().queryset_without(name)
        if name == "category" and "membership_category" not in queryset.query.annotations:
            queryset = queryset.with_membership()
        return queryset


COUNTRY_HELP = _("ISO 3166-1 alpha-2 country code, e.g. TH.")


class OrganisationApiFilter(OrganisationFilter):
    """The directory's filters for the API, over every organisation, with `member=`.

    The API searches with `?search=` (name, short name, city) instead of the page's `q`.
    """

    q = None
    country = documented(OrganisationFilter.base_filters["country"], COUNTRY_HELP)
    division = documented(
        OrganisationFilter.base_filters["division"], _("A division's slug (see /divisions/).")
    )
    kind = documented(OrganisationFilter.base_filters["kind"], _("The kind of organisation."))
    category = documented(
        OrganisationFilter.base_filters["category"],
        _("Current members of this membership category."),
    )
    topic = documented(
        OrganisationFilter.base_filters["topic"], _("A topic's slug (see /topics/).")
    )
    member = StrictBooleanFilter(
        label=_("Current member: true for members today, false for everyone else"),
        method="filter_member",
    )

    class Meta:
        model = Organisation
        fields = ["country", "division", "kind", "category", "topic", "member"]

    def filter_member(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        current = Exists(Membership.objects.current().filter(organisation=OuterRef("pk")))
        return queryset.filter(current if value else ~current)


class MembershipFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        help_text=_("Memberships of this organisation (its slug)."),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
    )
    category = django_filters.ChoiceFilter(choices=Membership.Category.choices)
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices)
    current = StrictBooleanFilter(
        label=_("Running today: true for current memberships, false for the others"),
        field_name="is_current",
    )
    started_after = django_filters.DateFilter(
        label=_("Started on or after this date (YYYY-MM-DD)"),
        field_name="started_on",
        lookup_expr="gte",
        input_formats=["%Y-%m-%d"],
    )
    started_before = django_filters.DateFilter(
        label=_("Started on or before this date (YYYY-MM-DD)"),
        field_name="started_on",
        lookup_expr="lte",
        input_formats=["%Y-%m-%d"],
    )

    class Meta:
        model = Membership
        fields = [
            "organisation",
            "category",
            "status",
            "current",
            "started_after",
            "started_before",
        ]
