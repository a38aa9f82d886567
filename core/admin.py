"""What every app's admin shares: history and revert, import and export, protected deletion."""

from django.contrib import messages
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import QuerySet
from django.db.models.fields.files import ImageFieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.results import Result
from import_export.tmp_storages import CacheStorage
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

from .import_templates import TEMPLATE_FORMATS, template_csv, template_xlsx

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


class HistoryAdmin(SimpleHistoryAdmin):
    """Each record's History page, from which staff who may change the record can revert it.

    django-simple-history shows a viewer the old version read-only, but would save one posted
    to it; only staff who may change the record can revert. Its revert form shows the links
    (topics, …) the record has now; here it shows those of the version being restored.
    """

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
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or self.revert_disabled(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


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
