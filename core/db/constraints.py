"""Database constraints that several models share, and where their errors are shown."""

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def coordinate_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Latitude and longitude are both set or both empty, and lie on the globe."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_coordinates_both_or_neither",
            violation_error_code="both_or_neither",
            violation_error_message=_("Give both latitude and longitude, or neither."),
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


def missing_coordinate(record: models.Model) -> str:
    """The coordinate a record with only one of them lacks: the field to fill in."""
    return "longitude" if record.longitude is None else "latitude"


def date_order_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """`end` is empty or not before `start`."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=_("The end date cannot be before the start date."),
    )


class ConstraintErrorFields(models.Model):
    """Reports the listed constraints' violations on a field, not on the whole record.

    Django names a field only for a unique constraint on that one field; any other
    constraint's error belongs to no field, so a form shows it above all fields and the API
    without an `attr`. `constraint_error_fields` maps a constraint's name to the field the
    person would change (or to a function of the record giving it). The rule stays in the
    constraint, its message and code too: the admin, the API and imports, all going through
    `full_clean()`, show the same error beside the same field.

    Name a field the constraint refers to: when the field is left out of the check (not in
    the form), Django skips the constraint too.
    """

    constraint_error_fields: ClassVar[dict[str, str | Callable[[Any], str]]] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # Model.validate_constraints, with the field looked up for each constraint's error.
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self._constraint_error_field(constraint, error)
                    if field is None:
                        errors = error.update_error_dict(errors)
                    else:
                        errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)

    def _constraint_error_field(
        self, constraint: models.BaseConstraint, error: ValidationError
    ) -> str | None:
        field = self.constraint_error_fields.get(constraint.name)
        if callable(field):
            return field(self)
        if field is not None:
            return field
        fields = getattr(constraint, "fields", ())
        if getattr(error, "code", None) == "unique" and len(fields) == 1:
            return fields[0]  # as Django does
        return None
