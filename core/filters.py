"""django-filter pieces every list shares: counted facets, strict booleans, documented filters."""

import copy
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.db.counts import joins_many
from core.departures import WATCHED
from core.rest.filters import parse_moment

FACET_LIMIT = 40


class PreparedChoices(BaseChoiceIterator):
    """A select's choices already as (value, label) pairs, given to its widget as they are:
    a widget normalizes a plain list again, label by label (a country facet has 250)."""

    def __init__(self, choices: list[tuple[str, str]]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


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
        # Translated once, not once per choice (a facet offers up to 250 countries).
        counted = gettext("%(label)s (%(count)s)")
        for name, facet in self.facets.items():
            field = self.form.fields[name]
            choices = [("", field.empty_label)]
            choices += [
                (value, label if count is None else counted % {"label": label, "count": count})
                for value, label, count in self.facet_counts(name, facet)
            ]
            field.widget.choices = PreparedChoices(choices)

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


class MomentField(forms.Field):
    """An ISO 8601 date-time (a date means its midnight UTC), as `modified_since` reads it."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z.")
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        moment = parse_moment(str(value))
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


class MomentFilter(django_filters.Filter):
    field_class = MomentField


def watched_resources() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(WATCHED)]


class TombstoneFilter(django_filters.FilterSet):
    """The removed feed: since when, and of which resource."""

    since = MomentFilter(
        field_name="removed_at",
        lookup_expr="gte",
        help_text=_(
            "Only records that left at or after this moment (ISO 8601; a date means its "
            "midnight UTC): the time your previous sync started."
        ),
    )
    resource = django_filters.ChoiceFilter(
        choices=watched_resources,
        help_text=_("Only the records of this list, by its name in the address."),
    )
