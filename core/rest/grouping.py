"""`?group_by=`: a list answered with counts by a field instead of its records.

A viewset declares what it may be grouped by, e.g.

    group_by_fields = {"country": by_country("parties__organisation__country"), ...}

The groups count the records the filters keep, out of those the caller may see (the viewset's
`get_queryset()`), in one query whatever the number of rows: the groups and, as a scalar
subquery, the number of records.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Expression,
    F,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ExtractYear, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

PARAMETER = "group_by"
# Parameters that shape a page of records, which counts do not have.
NOT_WITH_GROUPS = ("page", "page_size", "ordering", "expand")
# Formats the counts come in; a list's others (a calendar) are refused with group_by.
GROUP_FORMATS = ("json", "csv")
CONFLICT_CODE = "not_with_group_by"


@dataclass(frozen=True)
class GroupBy:
    """How to read one grouping: the value counted by, and how each value is named.

    `value` is a field path or an expression; `label` is either a path read beside it (a
    related record's name) or a function of the value. `many` says that a record may fall
    in several groups (a party's country, a topic), for the documentation.
    """

    value: str | Expression
    label: str | Callable[[Any], str]
    description: str
    many: bool = False

    def expression(self) -> Expression:
        return F(self.value) if isinstance(self.value, str) else self.value


def by_country(path: str, *, description: str, many: bool = False) -> GroupBy:
    # A blank country (a person's is optional) is no value, as a missing one.
    return GroupBy(
        NullIf(F(path), Value(""), output_field=CharField()),
        lambda code: str(countries.name(code)) or code,
        description,
        many,
    )


def by_choice(path: str, choices, *, description: str, many: bool = False) -> GroupBy:
    labels = dict(choices)
    return GroupBy(path, lambda value: str(labels.get(value, value)), description, many)


def by_year(path: str, *, description: str) -> GroupBy:
    return GroupBy(ExtractYear(path), str, description)


def by_record(path: str, *, description: str, many: bool = False) -> GroupBy:
    """A related record (division, topic): its slug as the value, its name as the label."""
    return GroupBy(F(f"{path}__slug"), f"{path}__name", description, many)


class SubqueryCount(Subquery):
    """The number of rows of a query, as a scalar subquery the database runs once."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def count_groups(queryset: QuerySet, grouping: GroupBy) -> tuple[int, list[dict]]:
    """(records, groups) of `queryset`: each group {value, label, count}, most records first."""
    # The filters' own joins stay in the subquery: a topic filter does not narrow the topics
    # an organisation is counted under.
    records = queryset.model._default_manager.filter(pk__in=queryset.order_by().values("pk"))
    columns = {"group_value": grouping.expression()}
    if isinstance(grouping.label, str):
        columns["group_label"] = F(grouping.label)
    rows = (
        records.order_by()
        .values(**columns)
        .annotate(
            group_count=Count("pk", distinct=True),
            group_total=SubqueryCount(records.order_by().values("pk")),
        )
    )
    total = 0
    groups = []
    for row in rows:
        total = row["group_total"]
        value = row["group_value"]
        if value in ("", None):
            value = label = None
        elif isinstance(grouping.label, str):
            label = row["group_label"]
        else:
            label = grouping.label(value)
        groups.append(
            {
                "value": None if value is None else str(value),
                "label": label,
                "count": row["group_count"],
            }
        )
    groups.sort(key=lambda group: (-group["count"], group["value"] is None, group["value"] or ""))
    return total, groups


class GroupSerializer(serializers.Serializer):
    value = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy(
            "The value as the filter of the same name takes it (a code, slug or year); null "
            "for the records without one."
        ),
    )
    label = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy("The value's name, for people; null with a null value."),
    )
    count = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Records with this value.")
    )

    class Meta:
        ref_name = "Group"


class GroupsSerializer(serializers.Serializer):
    """The answer of a list asked for `group_by`."""

    group_by = serializers.CharField(
        help_text=gettext_lazy("The field the records are counted by.")
    )
    total = serializers.IntegerField(
        min_value=0,
        help_text=gettext_lazy(
            "The records counted, each once; a record with several values (a topic, a party's "
            "country) counts in each of their groups, so the counts may add up to more."
        ),
    )
    groups = GroupSerializer(
        many=True,
        help_text=gettext_lazy("Most records first, then by value; null last among equals."),
    )

    class Meta:
        ref_name = "Groups"


class GroupByMixin:
    """Lists that answer `?group_by=<field>` with counts; `group_by_fields` names the fields.

    The view's `initial()` sets `grouping` with `parse_group_by()`, once the parameters are
    known to be the endpoint's.
    """

    group_by_fields: dict[str, GroupBy] = {}
    grouping: str | None = None

    def parse_group_by(self, request) -> str | None:
        if self.action != "list" or not self.group_by_fields:
            return None
        raw = request.query_params.get(PARAMETER)
        if raw is None:
            return None
        if raw not in self.group_by_fields:
            raise ValidationError(
                {
                    PARAMETER: [
                        _("Count by one of: %(names)s.")
                        % {"names": ", ".join(sorted(self.group_by_fields))}
                    ]
                },
                code="invalid_choice",
            )
        message = _("Counts by group_by come whole, in one answer: leave this out.")
        conflicts = [name for name in NOT_WITH_GROUPS if name in request.query_params]
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format not in GROUP_FORMATS:
            conflicts.append("format")
        if conflicts:
            raise ValidationError({name: [message] for name in conflicts}, code=CONFLICT_CODE)
        return raw

    def list(self, request, *args, **kwargs):
        if getattr(self, "grouping", None) is None:
            return super().list(request, *args, **kwargs)
        total, groups = count_groups(
            self.filter_queryset(self.get_queryset()), self.group_by_fields[self.grouping]
        )
        response = Response({PARAMETER: self.grouping, "total": total, "groups": groups})
        if request.accepted_renderer.format == "csv":
            filename = f"{self.basename}-by-{self.grouping}.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
