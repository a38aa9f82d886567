"""Spreadsheet import and export in the admin (django-import-export).

Records are identified by their slugs, and so are the records they refer to: a division, an
affiliation, topics. Every row is checked with the model's own validation, as the admin form
checks it, and an import is written in one transaction: one bad row and nothing is written.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import resources, widgets


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
