"""Database constraints that several models share."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def coordinate_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Latitude and longitude are both set or both empty, and lie on the globe."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_coordinates_both_or_neither",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]


def date_order_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """`end` is empty or not before `start`."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=_("The end date cannot be before the start date."),
    )
