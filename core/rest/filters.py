import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

# Parameters any endpoint may take besides its filters.
COMMON_PARAMETERS = {"format"}
LIST_PARAMETERS = {"page", "page_size"}


def known_parameters(view) -> set[str]:
    names = set(COMMON_PARAMETERS)
    if getattr(view, "expansions", None):
        names.add("expand")
    if view.action != "list" and getattr(view, "detail", False):
        return names | set(getattr(view, "extra_parameters", ()))
    if getattr(view, "pagination_class", None) is not None:
        names |= LIST_PARAMETERS
    if ModifiedSinceFilter in getattr(view, "filter_backends", ()):
        names.add(ModifiedSinceFilter.parameter)
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        names |= set(filterset_class.base_filters)
    if getattr(view, "search_fields", None):
        names.add(api_settings.SEARCH_PARAM)
    if getattr(view, "ordering_fields", None):
        names.add(api_settings.ORDERING_PARAM)
    if getattr(view, "group_by_fields", None):
        names.add("group_by")
    return names | set(getattr(view, "extra_parameters", ()))


def check_parameters(request, view) -> None:
    """A misspelt parameter is a 400, not a filter silently ignored."""
    unknown = sorted(set(request.query_params) - known_parameters(view))
    if unknown:
        raise ValidationError(
            {name: [_("Unknown parameter. The API documentation lists them.")] for name in unknown},
            code="unknown_parameter",
        )


def parse_moment(raw: str) -> datetime.datetime | None:
    """An ISO 8601 date-time, or a date meaning its midnight UTC; naive times are UTC."""
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            if day is None:
                return None
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 text may carry.
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # year 1 with a negative offset, year 9999 with a positive one
        return None


class ModifiedSinceFilter(filters.BaseFilterBackend):
    """`?modified_since=2025-01-31T12:00:00Z`: only the records changed since, for syncing."""

    parameter = "modified_since"

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.parameter)
        if raw is None or getattr(view, "action", None) != "list":
            return queryset
        moment = parse_moment(raw)
        if moment is None:
            raise ValidationError(
                {self.parameter: [_("Enter an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z.")]},
                code="invalid",
            )
        return queryset.filter(modified__gte=moment)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.parameter,
                "in": "query",
                "required": False,
                "description": _(
                    "Only records created or changed at or after this moment (ISO 8601; a "
                    "date means its midnight UTC). Keep the time of your last sync and pass it "
                    "here to fetch only what changed."
                ),
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=` with the fields a list allows; anything else is a 400.

    The primary key always breaks ties, so that paging never skips or repeats a record.
    """

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            fields = [term.strip() for term in raw.split(",") if term.strip()]
            allowed = {name for name, _label in self.get_valid_fields(queryset, view, {})}
            # One "-" reverses a field; "--title" names no field.
            wrong = [term for term in fields if term.removeprefix("-") not in allowed]
            if wrong or not fields:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Order by one or more of: %(fields)s (prefix “-” to reverse).")
                            % {"fields": ", ".join(sorted(allowed))}
                        ]
                    },
                    code="invalid_choice",
                )
            ordering = fields
        else:
            ordering = list(self.get_default_ordering(view) or queryset.query.order_by)
            ordering = ordering or list(queryset.model._meta.ordering)
        if not {"pk", "-pk", "id", "-id"} & {str(term) for term in ordering}:
            ordering.append("pk")
        return ordering

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = sorted(name for name, _label in self.get_valid_fields(None, view, {}))
        for parameter in parameters:
            parameter["description"] = _(
                "Comma-separated fields to order by, “-” for descending. One of: %(fields)s."
            ) % {"fields": ", ".join(fields)}
        return parameters


class SearchFilter(filters.SearchFilter):
    """`?search=` words; a NUL character is a 400 naming `search` (the database refuses it)."""

    def get_search_terms(self, request):
        raw = request.query_params.get(self.search_param, "")
        if "\x00" in raw:
            raise ValidationError(
                {self.search_param: [_("Null characters are not allowed.")]},
                code="null_characters_not_allowed",
            )
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [
            field.lstrip("^=@$").replace("__", " ")
            for field in self.get_search_fields(view, None) or ()
        ]
        for parameter in parameters:
            parameter["description"] = _(
                "Words to look for (all of them, anywhere, any case) in: %(fields)s."
            ) % {"fields": ", ".join(fields)}
        return parameters
