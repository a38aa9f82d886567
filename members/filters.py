import copy
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from conferences.models import Appearance, Conference
from core.countries import country_choices
from core.db.counts import joins_many

from .models import Division, Membership, Organisation, Person, Topic

# The most choices a facet over a growing table (conferences, organisations) offers.
FACET_LIMIT = 40


@dataclass(frozen=True)
class Facet:
    """How to count the results behind each choice of one filter.

    `value` is the lookup grouped on; its values are the choice values the filter accepts.
    `label` is the lookup that names a choice; without it, the filter's own choice labels
    are used, in the filter's own order. `limit` keeps only the first choices in `order_by`
    (which may use "facet_count"): a filter over thousands of organisations offers the most
    relevant ones instead of a page-sized list of all of them. `offered` narrows the values
    counted to a few chosen beforehand (a queryset of values), when counting every group
    first would cost more than the page.
    """

    value: str
    label: str | None = None
    order_by: tuple[str, ...] = ()
    limit: int | None = None
    offered: Callable[[], QuerySet] | None = None


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices can show how many results each would give, e.g. "Thailand (3)".

    Each facet is counted over the results of all the *other* filters, so that a visitor
    sees what choosing another value would give. One aggregate query per facet.
    """

    facets: dict[str, Facet] = {}

    def count_facets(self) -> None:
        """Replace the faceted choices with the counted ones, for rendering the form."""
        if not self.is_bound:
            return
        self.form.is_valid()
        for name, facet in self.facets.items():
            field = self.form.fields[name]
            choices = [("", field.empty_label)]
            choices += [
                (
                    value,
                    label
                    if count is None
                    else _("%(label)s (%(count)s)")
                    % {
                        "label": label,
                        "count": count,
                    },
                )
                for value, label, count in self.facet_counts(name, facet)
            ]
            field.widget.choices = choices

    def facet_counts(self, name: str, facet: Facet) -> list[tuple[str, str, int]]:
        queryset = self.queryset_without(name).order_by()
        if facet.offered:
            queryset = queryset.filter(**{f"{facet.value}__in": list(facet.offered())})
        lookups = [facet.value] + ([facet.label] if facet.label else [])
        grouped = queryset.values(*lookups)
        rows = grouped.annotate(
            facet_count=Count("pk", distinct=joins_many(grouped.query))
        ).order_by(*facet.order_by)
        if facet.limit:
            rows = rows.exclude(**{f"{facet.value}__isnull": True})[: facet.limit]
        counts = {}
        for row in rows:
            value = row[facet.value]
            if value in (None, ""):
                continue
            counts[str(value)] = (row[facet.label] if facet.label else None, row["facet_count"])

        if facet.label:
            counted = [(value, label, count) for value, (label, count) in counts.items()]
        else:
            counted = [
                (str(value), label, counts[str(value)][1])
                for value, label in self.form.fields[name].choices
                if str(value) in counts
            ]
        return self._keep_selected(name, facet, counted)

    def _keep_selected(self, name: str, facet: Facet, counted: list) -> list:
        """The chosen value stays in the list, with (0), when the other filters exclude it.

        Past a facet's limit its count is unknown, and it is shown without one.
        """
        selected = self.form.cleaned_data.get(name)
        if selected in (None, ""):
            return counted
        value = getattr(selected, self.filters[name].extra.get("to_field_name") or "pk", selected)
        if any(choice == str(value) for choice, _label, _count in counted):
            return counted
        if facet.label:
            label = str(selected)
        else:
            label = dict(self.form.fields[name].choices).get(value, value)
        return [(str(value), label, None if facet.limit else 0), *counted]

    def queryset_without(self, name: str) -> QuerySet:
        queryset = self.queryset.all()
        for other, value in self.form.cleaned_data.items():
            if other != name:
                queryset = self.filters[other].filter(queryset, value)
        return queryset


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

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        members = Membership.objects.current().filter(category=value)
        return queryset.filter(pk__in=members.values("organisation"))

    def queryset_without(self, name: str) -> QuerySet:
        queryset = super().queryset_without(name)
        if name == "category" and "membership_category" not in queryset.query.annotations:
            queryset = queryset.with_membership()
        return queryset


def recent_conferences_with_speakers(limit: int) -> QuerySet:
    """The slugs of the latest conferences with anyone on their programme."""
    on_programme = Appearance.objects.filter(session__conference=OuterRef("pk"))
    return (
        Conference.objects.filter(Exists(on_programme))
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
        queryset=Conference.objects.all(),
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


class StrictBooleanField(forms.Field):
    """`true` or `false` (also `1`/`0`); anything else is an error, never "no filter"."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        normal = str(value).strip().lower()
        if normal in ("true", "1"):
            return True
        if normal in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def documented(page_filter: django_filters.Filter, help_text: str) -> django_filters.Filter:
    """A page's filter for the API, with the description the API schema shows."""
    api_filter = copy.deepcopy(page_filter)
    api_filter.__dict__.pop("_field", None)
    api_filter.extra["help_text"] = help_text
    return api_filter


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
