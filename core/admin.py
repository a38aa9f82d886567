"""What every app's admin shares: history and revert, import and export, protected deletion."""

import datetime
import itertools

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import QuerySet
from django.db.models.fields.files import ImageFieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.results import Result
from import_export.tmp_storages import CacheStorage
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import DeletedObject, ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from .history import hold_link_history, record_link_history
from .import_templates import TEMPLATE_FORMATS, template_csv, template_xlsx
from .widgets import TolerantAutocompleteSelect, TolerantAutocompleteSelectMultiple

# A web address typed without a scheme is taken as https (Django 6's default, opted into now).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}

THUMBNAIL_SIZE = 40
PREVIEW_SIZE = 160


def thumbnail(
    image: ImageFieldFile, width: int | None, height: int | None, alt: str, size: int
) -> str:
    """An <img> that fits in a `size` square, from the stored dimensions (no file access)."""
    if not image:
        return ""
    if width and height:
        scale = min(1, size / max(width, height))
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
    else:
        width = height = size
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
        image.url,
        width,
        height,
        alt,
    )


class TolerantAutocompleteMixin:
    """Autocomplete fields that answer a posted value which is not a key with a field error,
    not a server error (core/widgets.py). For model admins and inlines alike."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SubquerySearchMixin:
    """Search in a subquery, leaving the changelist's own query without extra joins.

    Searching through a to-many relation (an agreement's parties, a session's speakers) joins
    it into the query, which multiplies the Count() annotations of `for_admin_list()`.
    """

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term:
            return queryset, False
        matches, _duplicates = super().get_search_results(
            request, self.model._default_manager.all(), search_term
        )
        return queryset.filter(pk__in=matches.values("pk")), False


def readable_value(field: models.Field, value: object) -> str:
    """A value of a record's history as the admin's forms show it: choices by their label,
    related records by name, yes or no, dates as dates."""
    if isinstance(field, models.ManyToManyField):
        reverse_name = get_m2m_reverse_field_name(field)
        names = sorted(str(row[reverse_name]) for row in value or [])
        return ", ".join(names) or gettext("none")
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return gettext("none")
        return gettext("a deleted %(kind)s") % {"kind": value.model._meta.verbose_name}
    if value is None or value == "":
        return gettext("none")
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if field.choices:
        return str(dict(field.flatchoices).get(str(value), value))
    if isinstance(field, models.FileField):
        return getattr(value, "name", None) or str(value) or gettext("none")
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(field, models.TimeField):
        return formats.time_format(value, "TIME_FORMAT")
    return str(value)


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value) -> str:
        return readable_value(self.model._meta.get_field(change.field), value)


class ChangedFilter(admin.SimpleListFilter):
    """Records with an entry in their history since the start of today."""

    title = _("changed")
    parameter_name = "changed"

    @staticmethod
    def start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    @staticmethod
    def changed_records(model: type[models.Model], since: datetime.datetime) -> QuerySet:
        history = getattr(model, model._meta.simple_history_manager_attribute).model
        changed = history.objects.filter(history_date__gte=since).values(model._meta.pk.attname)
        return model._default_manager.filter(pk__in=changed)

    def lookups(self, request, model_admin):
        return [("today", _("Today"))]

    def queryset(self, request, queryset):
        if self.value() == "today":
            since = self.start_of(timezone.localdate())
            return queryset.filter(pk__in=self.changed_records(self.model, since).values("pk"))
        return queryset

    def __init__(self, request, params, model, model_admin):
        self.model = model
        super().__init__(request, params, model, model_admin)


class HistoryAdmin(TolerantAutocompleteMixin, SimpleHistoryAdmin):
    """Each record's History page, from which staff who may change the record can revert it.

    django-simple-history shows a viewer the old version read-only, but would save one posted
    to it; only staff who may change the record can revert. Its revert form shows the links
    (topics, …) the record has now; here it shows those of the version being restored.

    One save is one entry: simple-history would add an entry for each change of the links
    the form saves after the record (a topic removed, one added), so those go into the entry
    of the save itself.
    """

    object_history_template = "simple_history/object_history.html"
    object_history_list_template = "simple_history/object_history_list.html"
    object_history_form_template = "simple_history/object_history_form.html"

    def get_list_filter(self, request: HttpRequest) -> list:
        return [*super().get_list_filter(request), ChangedFilter]

    def get_autocomplete_fields(self, request: HttpRequest) -> tuple:
        # A past version shows its links in plain lists: the autocomplete widget lacks a
        # label for screen readers, and a version is a page to read, seldom to edit.
        if getattr(request, "_history_version_form", False):
            return ()
        return super().get_autocomplete_fields(request)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each entry's changes against the one before, the links of every entry on the page
        read in one query per link field (simple-history would read them per entry)."""
        records = list(historical_records)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        link_fields = getattr(history.model, "_history_m2m_fields", [])
        links = {field.name: self._links_of(records, field) for field in link_fields}
        for newer, older in itertools.pairwise(records):
            delta = newer.diff_against(
                older,
                excluded_fields=list(links),
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            changes = list(delta.changes)
            for name, rows in links.items():
                old, new = rows.get(older.history_id, []), rows.get(newer.history_id, [])
                if {pk for pk, _row in old} != {pk for pk, _row in new}:
                    changes.append(
                        ModelChange(name, [row for _pk, row in old], [row for _pk, row in new])
                    )
            delta = ModelDelta(changes, [change.field for change in changes], older, newer)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    @staticmethod
    def _links_of(records: list, field: models.ManyToManyField) -> dict[int, list[tuple]]:
        """The linked records of each entry: their keys, and rows as simple-history's diff
        gives them."""
        reverse_name = get_m2m_reverse_field_name(field)
        rows_model = getattr(records[0], field.name).model if records else None
        found: dict[int, list[tuple]] = {}
        if rows_model is None:
            return found
        rows = (
            rows_model.objects.filter(history__in=[record.history_id for record in records])
            .select_related(reverse_name)
            .order_by("pk")
        )
        for row in rows:
            linked = getattr(row, reverse_name)
            found.setdefault(row.history_id, []).append((linked.pk, {reverse_name: linked}))
        return found

    def render_history_view(self, request, template, context, **kwargs):
        page = context.get("page_obj")
        if page is not None:  # a reason column only when some entry gives one
            context["show_reasons"] = any(
                record.history_change_reason for record in page.object_list
            )
        return super().render_history_view(request, template, context, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        hold_link_history(obj)  # until log_addition() or log_change(), after the links

    def log_addition(self, request, obj, message):
        record_link_history(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record_link_history(obj)
        return super().log_change(request, obj, message)

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None or not version._history_m2m_fields:
            return form_class
        links = {
            field.name: [
                getattr(row, f"{get_m2m_reverse_field_name(field)}_id")
                for row in getattr(version, field.name).all()
            ]
            for field in version._history_m2m_fields
        }

        class VersionForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(
                    {name: pks for name, pks in links.items() if name in self.fields}
                )

        return VersionForm

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        if not str(version_id).isdigit():
            raise Http404
        request._history_version_form = True
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        version = (
            history.filter(**{self.model._meta.pk.attname: unquote(object_id)})
            .filter(history_id=version_id)
            .select_related("history_user")
            .first()
        )
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or self.revert_disabled(request, obj):
                raise PermissionDenied
            request._reverted_version = version
        context = {"version": version, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, context)

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        version = getattr(request, "_reverted_version", None)
        if version is None:
            return super().response_change(request, obj)
        opts = self.model._meta
        self.message_user(
            request,
            gettext("“%(record)s” is back as it was on %(date)s.")
            % {
                "record": obj,
                "date": formats.date_format(
                    timezone.localtime(version.history_date), "DATETIME_FORMAT"
                ),
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
                current_app=self.admin_site.name,
            )
        )


class ImportByExtensionForm(ImportForm):
    """The upload form: the format is the one the file's name says, unless that is unclear.

    A file named .csv or .xlsx is read as such whatever was chosen; any other name needs a
    chosen format.
    """

    def __init__(self, formats, resources, **kwargs) -> None:
        super().__init__(formats, resources, **kwargs)
        self.format_by_extension = {
            f".{format_class().get_extension()}": str(index)
            for index, format_class in enumerate(formats)
        }
        field = self.fields["format"]
        field.required = False
        field.help_text = gettext("Read from the file's name (.csv, .xlsx) when left empty.")

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("import_file")
        if upload is None:
            return data
        name = str(upload.name).lower()
        by_extension = next(
            (index for ext, index in self.format_by_extension.items() if name.endswith(ext)),
            None,
        )
        if by_extension is not None:
            data["format"] = by_extension
        elif not data.get("format"):
            self.add_error(
                "format",
                gettext("Choose the file's format: its name ends in neither .csv nor .xlsx."),
            )
        return data


class ImportExportAdminMixin(ImportExportMixin):
    """CSV and XLSX import with a preview, and export, for staff allowed to add and change.

    The uploaded file waits for the confirmation in the cache, which every app server shares
    in production (REDIS_URL), not in one server's temporary folder. The import page offers a
    template of the file, with an example row and the values each column allows.
    """

    formats = [CSV, XLSX]
    tmp_storage_class = CacheStorage
    import_template_name = "admin/import_export/import_by_line.html"
    import_form_class = ImportByExtensionForm

    def get_urls(self) -> list:
        opts = self.model._meta
        return [
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.import_file_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_resource(self, request: HttpRequest):
        resource_class = self.get_import_resource_classes(request)[0]
        return resource_class(**self.get_import_resource_kwargs(request))

    def import_file_template_view(self, request: HttpRequest, extension: str) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        if extension not in TEMPLATE_FORMATS:
            raise Http404
        columns = self.import_template_resource(request).template_columns()
        plural = str(self.model._meta.verbose_name_plural)
        if extension == "csv":
            content = template_csv(columns)
        else:
            content = template_xlsx(columns, title=capfirst(plural))
        response = HttpResponse(content, content_type=TEMPLATE_FORMATS[extension])
        filename = f"{self.model._meta.model_name}-import-template.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            opts = self.model._meta
            name = f"admin:{opts.app_label}_{opts.model_name}_import_template"
            response.context_data["import_template"] = {
                "columns": self.import_template_resource(request).template_columns(),
                "csv_url": reverse(name, kwargs={"extension": "csv"}),
                "xlsx_url": reverse(name, kwargs={"extension": "xlsx"}),
            }
        return response

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        # The data may have changed since the preview; the import was then rolled back.
        if result.has_errors() or result.has_validation_errors():
            lines = [line + 1 for line, _errors in result.row_errors()]
            lines += [row.number + 1 for row in result.invalid_rows]
            self.message_user(
                request,
                gettext("Nothing was imported: the file has errors on lines %(lines)s.")
                % {"lines": ", ".join(str(line) for line in sorted(lines)) or "?"},
                messages.ERROR,
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


# How the delete page names a row of a link table that keeps a record from being deleted: as
# the record the row belongs to (a party as its agreement). The apps that own the link tables
# say so in their admin modules, with `name_protecting_rows()`.
PROTECTING_ROWS: dict[tuple[type[models.Model], type[models.Model]], tuple[str, str]] = {}


def name_protecting_rows(
    row_model: type[models.Model], *, protects: type[models.Model], shown_as: str, label: str
) -> None:
    """Rows of `row_model` that keep a `protects` record are shown as their `shown_as`."""
    PROTECTING_ROWS[(row_model, protects)] = (shown_as, label)


class ProtectedDeletionAdminMixin:
    """The delete page says that the record cannot be deleted, and which records keep it."""

    def get_deleted_objects(self, objs, request: HttpRequest) -> tuple:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(objs)
            # Two organisations of one agreement both name it: it is listed once.
            protected = sorted(set(map(self.describe_protected, collector.protected)), key=str)
            if len(objs) == 1:
                message = gettext(
                    "“%(object)s” cannot be deleted while the records listed below refer to it. "
                    "Remove it from them first."
                ) % {"object": objs[0]}
            else:
                message = gettext(
                    "The selected %(objects)s cannot be deleted while the records listed below "
                    "refer to them. Remove them from those records first."
                ) % {"objects": self.model._meta.verbose_name_plural}
            self.message_user(request, message, messages.ERROR)
        return deleted, counts, perms_needed, protected

    def describe_protected(self, obj: models.Model) -> str:
        if (type(obj), self.model) in PROTECTING_ROWS:
            attribute, label = PROTECTING_ROWS[(type(obj), self.model)]
            record = getattr(obj, attribute)
        else:
            record, label = obj, capfirst(obj._meta.verbose_name)
        opts = record._meta
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(record.pk)]
            )
        except NoReverseMatch:
            return format_html("{}: {}", label, record)
        return format_html('{}: <a href="{}">{}</a>', label, url, record)
