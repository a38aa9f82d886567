import copy
from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from conferences.models import Conference
from core.countries import country_choices
from core.db.prepared import PreparedRows
from core.filters import PreparedChoices
from members.models import Division, Organisation, Topic

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


# The focus areas the page offers, as (slug, name): compiled once (core/db/prepared.py), and
# read without the server-side cursor and the records a model select iterates with.
_TOPICS_OFFERED = PreparedRows(lambda: topic_choices(None).values_list("slug", "name"))


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # For the API schema: a whole number (the schema would guess a date from the field).
        schema = {"type": "integer", "description": self.label}
        for key, extra in (("minimum", "min_value"), ("maximum", "max_value")):
            if extra in self.extra:
                schema[key] = self.extra[extra]
        extend_schema_field(schema)(self)


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
        choices=country_choices,
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
            "The parties of the agreements listed. To choose several, hold Ctrl (⌘ on a Mac): "
            "only the agreements they all signed are then listed. Every organisation's own "
            "page links to its agreements."
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

    def offer_parties(self, agreements: Iterable[Agreement]) -> None:
        """Offer as parties those chosen and those of the `agreements` listed.

        Any organisation with a public agreement is accepted, but listing them all made the
        page a hundred kilobytes of options at ten thousand organisations.
        """
        chosen = self.form.cleaned_data.get("party") or [] if self.form.is_valid() else []
        offered = {organisation.slug: organisation.name for organisation in chosen}
        for agreement in agreements:
            for party in agreement.parties.all():
                offered.setdefault(party.organisation.slug, party.organisation.name)
        self.form.fields["party"].widget.choices = PreparedChoices(
            sorted(offered.items(), key=lambda choice: (choice[1].casefold(), choice[0]))
        )

    def offer_topics(self) -> None:
        """Draw the focus areas of the public agreements (those `topic` accepts) from their
        slugs and names."""
        field = self.form.fields["topic"]
        field.widget.choices = PreparedChoices([("", field.empty_label), *_TOPICS_OFFERED.tuples()])


# A slug with a NUL character is refused before it is looked up; the code is named here so
# that the API schema lists it among the parameter's errors.
SLUG_ERRORS = {"null_characters_not_allowed": _("Null characters are not allowed.")}


class AgreementApiFilter(AgreementFilter):
    """The agreement filters of the API.

    Choices are every organisation, topic and status, not only those with a public agreement
    (as on the page): a slug that exists but matches nothing gives an empty list, and only a
    slug that does not exist gives a 400.
    """

    party = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Organisation.objects.all(),
        error_messages=SLUG_ERRORS,
        method="filter_parties",
        label=_("Party"),
        help_text=_(
            "Slug of an organisation that signed. Repeat the parameter for the agreements "
            "signed by all of them: ?party=a&party=b gives the agreements between a and b."
        ),
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        error_messages=SLUG_ERRORS,
        label=_("Focus area"),
        help_text=_("Slug of a topic (focus area) of the agreement."),
    )
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices, label=_("Status"))
    signed_after = django_filters.DateFilter(
        field_name="signed_on",
        lookup_expr="gte",
        label=_("Signed on or after"),
        help_text=_("ISO date, e.g. 2025-01-01; the day itself included."),
    )
    signed_before = django_filters.DateFilter(
        field_name="signed_on",
        lookup_expr="lte",
        label=_("Signed on or before"),
        help_text=_("ISO date, e.g. 2025-12-31; the day itself included."),
    )
    conference = django_filters.ModelChoiceFilter(
        field_name="signed_at_conference",
        to_field_name="slug",
        queryset=Conference.objects.all(),
        error_messages=SLUG_ERRORS,
        label=_("Signed at conference"),
        help_text=_("Slug of the conference at which the agreement was signed."),
    )

    class Meta:
        model = Agreement
        fields = [
            "party",
            "year",
            "signed_after",
            "signed_before",
            "topic",
            "status",
            "kind",
            "conference",
            "country",
        ]

    def filter_parties(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # `value` holds the Organisations of the slugs given (the hint is for the schema).
        # One join per party, each matching at most one row: no duplicates to remove.
        for organisation in value:
            queryset = queryset.filter(parties__organisation=organisation)
        return queryset


# How many organisations a network graph shows: on the page, and at most (and by default) in
# the API. A whole graph of 100,000 agreements is no use to a browser or a partner.
NETWORK_PAGE_LIMIT = 100
NETWORK_MAX_LIMIT = 500


class NetworkForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        first, last = cleaned_data.get("year_from"), cleaned_data.get("year_to")
        if first is not None and last is not None and last < first:
            self.add_error(
                "year_to",
                forms.ValidationError(
                    _("The last year cannot be before the first year."), code="before_year_from"
                ),
            )
        return cleaned_data


class NodeLimitFilter(django_filters.Filter):
    """The size of the graph, not a filter of the agreements: the view reads the value."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {
            "type": "integer",
            "minimum": self.extra["min_value"],
            "maximum": self.extra["max_value"],
            "default": NETWORK_MAX_LIMIT,
            "description": self.extra["help_text"],
        }
        extend_schema_field(schema)(self)

    def filter(self, queryset: QuerySet, value) -> QuerySet:
        return queryset


class NetworkFilter(AgreementApiFilter):
    """The agreement filters, plus the year range, division and graph size a graph needs."""

    year_from = YearFilter(
        field_name="signed_on",
        lookup_expr="year__gte",
        label=_("Signed in or after this year"),
        min_value=1900,
        max_value=2200,
    )
    year_to = YearFilter(
        field_name="signed_on",
        lookup_expr="year__lte",
        label=_("Signed in or before this year"),
        min_value=1900,
        max_value=2200,
    )
    division = django_filters.ModelChoiceFilter(
        queryset=Division.objects.all(),
        error_messages=SLUG_ERRORS,
        to_field_name="slug",
        method="filter_division",
        label=_("Division of a party"),
        empty_label=_("All divisions"),
        help_text=_("Slug of a division: the agreements with at least one party in it."),
    )
    country = django_filters.ChoiceFilter(
        choices=country_choices,
        method="filter_country",
        label=_("Country of a party"),
        empty_label=_("All countries"),
        help_text=_(
            "ISO 3166 code of a country, e.g. HU: the agreements with at least one party there."
        ),
    )
    limit = NodeLimitFilter(
        label=_("Most organisations"),
        min_value=1,
        max_value=NETWORK_MAX_LIMIT,
        help_text=format_lazy(
            _(
                "At most this many organisations, from 1 to {max} ({max} when left out): "
                "those that signed the most of the matching agreements (on a tie, the lower "
                "`id` first), with the edges among them. `organisation_count` in the answer "
                "says how many signed them in all."
            ),
            max=NETWORK_MAX_LIMIT,
        ),
    )

    class Meta(AgreementApiFilter.Meta):
        fields = [
            *AgreementApiFilter.Meta.fields,
            "year_from",
            "year_to",
            "division",
            "limit",
        ]
        form = NetworkForm

    def filter_division(self, queryset: QuerySet, name: str, value: Division) -> QuerySet:
        return queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organisation__division=value
                )
            )
        )

    @property
    def node_limit(self) -> int:
        """The `limit` asked for, once the filters are valid."""
        return getattr(self.form, "cleaned_data", {}).get("limit") or NETWORK_MAX_LIMIT


class NetworkPageFilter(NetworkFilter):
    """The network page's form: the year range, focus area, division and country.

    The page always shows NETWORK_PAGE_LIMIT organisations; the API's other filters are not
    offered there (and are ignored when sent).
    """

    topic = copy.deepcopy(AgreementFilter.base_filters["topic"])
    # Not offered on the page.
    party = year = signed_after = signed_before = status = kind = conference = limit = None

    class Meta(NetworkFilter.Meta):
        fields = ["year_from", "year_to", "topic", "division", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The API's help speaks of slugs and codes; a select needs none.
        for name in ("division", "country"):
            self.filters[name].extra.pop("help_text", None)

    @property
    def node_limit(self) -> int:
        return NETWORK_PAGE_LIMIT
