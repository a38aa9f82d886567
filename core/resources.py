"""Spreadsheet import and export in the admin (django-import-export).

Records are identified by their slugs, and so are the records they refer to: a division, an
affiliation, topics. Every row is checked with the model's own validation, as the admin form
checks it, and an import is written in one transaction: one bad row and nothing is written.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import resources, widgets

from .timezones import time_zone_names

# A column's allowed values are listed in full up to this many; beyond, it says what it takes.
LISTED_VALUES_LIMIT = 1000


@dataclass(frozen=True)
class TemplateColumn:
    """One column of an import template: what it takes, an example, the values it allows."""

    name: str
    required: bool
    accepts: str
    example: str = ""
    values: tuple[tuple[str, str], ...] = ()  # (value, meaning), when a column takes a list
    several: bool = False  # comma-separated values


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record by its slug; an unknown slug is an error naming it."""

    def __init__(self, model: type[models.Model], **kwargs) -> None:
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs) -> models.Model | None:
        slug = str(value or "").strip()
        if not slug:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(slug=slug)
        except self.model.DoesNotExist:
            raise ValueError(
                _("There is no %(model)s with the slug “%(slug)s”.")
                % {"model": self.model._meta.verbose_name, "slug": slug}
            ) from None


class SlugListWidget(widgets.ManyToManyWidget):
    """Related records as comma-separated slugs, in the order given."""

    def __init__(self, model: type[models.Model], **kwargs) -> None:
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs) -> list[models.Model]:
        slugs = [slug.strip() for slug in str(value or "").split(self.separator) if slug.strip()]
        found = {obj.slug: obj for obj in self.model.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise ValueError(
                _("There is no %(model)s with the slug %(slugs)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "slugs": ", ".join(f"“{slug}”" for slug in unknown),
                }
            )
        return [found[slug] for slug in slugs]

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        records = value.all() if hasattr(value, "all") else value
        return ", ".join(record.slug for record in records)


class CountryWidget(widgets.CharWidget):
    """A two-letter country code, whatever the case it was typed in."""

    def clean(self, value, row=None, **kwargs) -> str:
        return str(value or "").strip().upper()


class TimeZoneWidget(widgets.CharWidget):
    """An IANA time zone name, as the model checks it."""

    def clean(self, value, row=None, **kwargs) -> str:
        return str(value or "").strip()


class DateWidget(widgets.DateWidget):
    """A date; a spreadsheet's date cell arrives as a datetime at midnight."""

    def clean(self, value, row=None, **kwargs) -> datetime.date | None:
        value = super().clean(value, row, **kwargs)
        return value.date() if isinstance(value, datetime.datetime) else value


class PortalResource(resources.ModelResource):
    """What every import shares: slugs identify rows; validation as in the admin; all or nothing."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        # An empty spreadsheet cell is an empty text, as in the admin's forms, not NULL.
        "TextField": widgets.CharWidget,
        "DateField": DateWidget,
    }

    class Meta:
        import_id_fields = ["slug"]
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def import_data(self, dataset, **kwargs):
        # A row that fails validation rolls back the whole import, not only itself.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs) -> None:
        """Also check the many-to-many columns, which the library reads only after saving.

        An unknown slug is then reported with the row's other errors, before anything is written.
        """
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    # Import templates: the columns as the import reads them, an example row, allowed values.

    # Columns that must be filled in besides those the model requires.
    template_required: frozenset[str] = frozenset()
    # Fixed example values by column; `template_example()` adds those read from the database.
    template_examples: dict[str, str] = {}

    def template_example(self) -> dict[str, str]:
        """A row that imports as a new record: the examples, with a slug no record has."""
        example = dict(self.template_examples)
        if "slug" in example:
            example["slug"] = unused_slug(self._meta.model, example["slug"])
        return example

    def template_columns(self) -> list[TemplateColumn]:
        example = self.template_example()
        return [
            self._template_column(field, example.get(field.column_name, ""))
            for field in self.get_import_fields()
        ]

    def _template_column(self, field, example: str) -> TemplateColumn:
        model_field = self._model_field(field.attribute)
        widget = field.widget
        required = field.column_name in self.template_required or (
            model_field is not None
            and not getattr(model_field, "blank", True)
            and not isinstance(model_field, models.BooleanField)
        )
        column = {"name": field.column_name, "required": required, "example": example}
        if field.column_name in self._meta.import_id_fields:
            column["accepts"] = _(
                "The record's slug (lower-case letters, digits, hyphens): a new slug adds a "
                "record, an existing one updates it."
            )
        elif isinstance(widget, SlugListWidget):
            related = widget.model._meta
            column["accepts"] = _("Slugs of %(records)s, separated by commas.") % {
                "records": related.verbose_name_plural
            }
            column["values"] = related_slugs(widget.model)
            column["several"] = True
        elif isinstance(widget, SlugWidget):
            column["accepts"] = _("The slug of a %(record)s.") % {
                "record": widget.model._meta.verbose_name
            }
            column["values"] = related_slugs(widget.model)
        elif isinstance(widget, CountryWidget):
            column["accepts"] = _("A two-letter country code (ISO 3166-1).")
            column["values"] = tuple((code, str(name)) for code, name in countries)
        elif isinstance(widget, TimeZoneWidget):
            column["accepts"] = _("An IANA time zone name, such as Asia/Shanghai.")
            column["values"] = tuple((name, "") for name in time_zone_names())
        elif model_field is not None and model_field.choices:
            column["accepts"] = _("One of the values listed (the value, not its meaning).")
            column["values"] = tuple(
                (str(value), str(label)) for value, label in model_field.flatchoices
            )
        elif isinstance(model_field, models.BooleanField):
            column["accepts"] = _("1 for yes, 0 for no.")
            column["values"] = (("1", _("yes")), ("0", _("no")))
        else:
            column["accepts"] = describe_field(model_field)
        return TemplateColumn(**column)

    def _model_field(self, attribute: str | None) -> models.Field | None:
        try:
            return self._meta.model._meta.get_field(attribute or "")
        except FieldDoesNotExist:
            return None


def describe_field(field: models.Field | None) -> str:
    """What a plain column takes, by its model field."""
    if isinstance(field, models.DateField):
        return _("A date as YYYY-MM-DD, e.g. 2026-09-14.")
    if isinstance(field, models.URLField):
        return _("A web address, e.g. https://www.example.org/.")
    if isinstance(field, models.EmailField):
        return _("An e-mail address.")
    if isinstance(field, models.DecimalField | models.FloatField):
        return _("A number, with a point for decimals.")
    if isinstance(field, models.IntegerField):
        return _("A whole number.")
    if isinstance(field, models.CharField) and field.max_length:
        return _("Text on one line, up to %(length)s characters.") % {"length": field.max_length}
    return _("Text.")


def related_slugs(model: type[models.Model]) -> tuple[tuple[str, str], ...]:
    """The slugs a column may name, with the record each names; none when too many to list."""
    rows = list(model._default_manager.order_by("slug")[: LISTED_VALUES_LIMIT + 1])
    if len(rows) > LISTED_VALUES_LIMIT:
        return ()
    return tuple((row.slug, str(row)) for row in rows)


def first_slugs(model: type[models.Model], count: int = 1) -> list[str]:
    """Slugs of existing records for an example row, the oldest first."""
    return list(model._default_manager.order_by("pk").values_list("slug", flat=True)[:count])


def unused_slug(model: type[models.Model], slug: str) -> str:
    taken = set(model._default_manager.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
