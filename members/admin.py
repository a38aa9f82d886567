from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.fields.files import ImageFieldFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result
from import_export.tmp_storages import CacheStorage
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

from agreements.models import AgreementParty
from conferences.models import Appearance, ConferenceHost

from .forms import MembershipForm, MembershipInlineFormSet
from .models import Division, Membership, Office, Organisation, Person, Topic
from .resources import OrganisationResource, PersonResource

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


def organisation_logo(organisation: Organisation, size: int = THUMBNAIL_SIZE) -> str:
    return thumbnail(
        organisation.logo,
        organisation.logo_width,
        organisation.logo_height,
        _("Logo of %(name)s") % {"name": organisation.name},
        size,
    )


def person_photo(person: Person, size: int = THUMBNAIL_SIZE) -> str:
    return thumbnail(
        person.photo,
        person.photo_width,
        person.photo_height,
        _("Photo of %(name)s") % {"name": person.name},
        size,
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


class ImportExportAdminMixin(ImportExportMixin):
    """CSV and XLSX import with a preview, and export, for staff allowed to add and change.

    The uploaded file waits for the confirmation in the cache, which every app server shares
    in production (REDIS_URL), not in one server's temporary folder.
    """

    formats = [CSV, XLSX]
    tmp_storage_class = CacheStorage
    import_template_name = "admin/import_export/import_by_line.html"

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


class ProtectedDeletionAdminMixin:
    """The delete page says that the record cannot be deleted, and which records keep it.

    `protected_by` shows a link row as the record it belongs to: a party as its agreement.
    """

    protected_by: dict[type[models.Model], tuple[str, str]] = {}

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
        if type(obj) in self.protected_by:
            attribute, label = self.protected_by[type(obj)]
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


class CurrentMemberFilter(admin.SimpleListFilter):
    title = _("current member")
    parameter_name = "current_member"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_current_member=True)
        if self.value() == "no":
            return queryset.filter(is_current_member=False)
        return queryset


class CurrentOfficeFilter(admin.SimpleListFilter):
    title = _("held today")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Office.objects.current().values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=Office.objects.current().values("pk"))
        return queryset


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug", "modified"]
    search_fields = ["name", "slug", "description"]
    list_filter = [("description", admin.EmptyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Division)
class DivisionAdmin(ProtectedDeletionAdminMixin, HistoryAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "slug", "website", "organisation_count"]
    search_fields = ["name", "slug"]
    list_filter = [("website", admin.EmptyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Division]:
        return super().get_queryset(request).annotate(organisation_count=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, division: Division) -> int:
        return division.organisation_count


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    fields = ["category", "status", "started_on", "ended_on", "notes"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        # Each row's heading is str(membership), which names the organisation.
        return super().get_queryset(request).select_related("organisation")


@admin.register(Organisation)
class OrganisationAdmin(ProtectedDeletionAdminMixin, ImportExportAdminMixin, HistoryAdmin):
    resource_classes = [OrganisationResource]
    protected_by = {
        AgreementParty: ("agreement", _("Party to the agreement")),
        ConferenceHost: ("conference", _("Host of the conference")),
    }
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "logo_thumbnail",
        "name",
        "short_name",
        "kind",
        "country",
        "city",
        "division",
        "is_current_member",
    ]
    list_display_links = ["name"]
    list_filter = [CurrentMemberFilter, "kind", "division", ("country", CountryFilter)]
    list_select_related = ["division"]
    search_fields = ["name", "short_name", "slug", "city", "ror_id", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["topics"]
    readonly_fields = ["logo_preview"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "division"]}),
        (_("Place"), {"fields": ["country", "city", "latitude", "longitude"]}),
        (
            _("Profile"),
            {"fields": ["description", "topics", "logo", "logo_preview", "website"]},
        ),
        (_("Staff only"), {"fields": ["contact_email"]}),
        (
            _("Identifiers"),
            {
                "fields": ["ror_id", "wikidata_id"],
                "classes": ["collapse"],
                "description": _("Links to the ROR and Wikidata records of this organisation."),
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        current = Membership.objects.current().filter(organisation=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .for_admin_list()
            .annotate(is_current_member=Exists(current))
        )

    @admin.display(description=_("logo"), empty_value="")
    def logo_thumbnail(self, organisation: Organisation) -> str:
        return organisation_logo(organisation)

    @admin.display(description=_("current logo"))
    def logo_preview(self, organisation: Organisation) -> str:
        return organisation_logo(organisation, PREVIEW_SIZE) or "—"

    @admin.display(description=_("current member"), boolean=True, ordering="is_current_member")
    def is_current_member(self, organisation: Organisation) -> bool:
        return organisation.is_current_member


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    form = MembershipForm
    list_display = ["organisation", "category", "status", "started_on", "ended_on"]
    list_filter = ["status", "category", "organisation__division"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__short_name", "notes"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["organisation"]


class OfficeInline(admin.TabularInline):
    model = Office
    fields = ["title", "body", "division", "organisation", "started_on", "ended_on"]
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Office]:
        # Each row's heading is str(office): the person and the full title.
        return super().get_queryset(request).select_related("person", "division", "organisation")


@admin.register(Person)
class PersonAdmin(ProtectedDeletionAdminMixin, ImportExportAdminMixin, HistoryAdmin):
    resource_classes = [PersonResource]
    protected_by = {
        AgreementParty: ("agreement", _("Signatory of the agreement")),
        Appearance: ("session", _("Taking part in the session")),
    }
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["photo_thumbnail", "name", "job_title", "affiliation", "country"]
    list_display_links = ["name"]
    list_filter = [("country", CountryFilter), "affiliation__kind", "affiliation__division"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "job_title", "affiliation__name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    readonly_fields = ["photo_preview"]
    inlines = [OfficeInline]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "slug", "job_title", "affiliation", "country"]}),
        (_("Profile"), {"fields": ["bio", "photo", "photo_preview", "website"]}),
        (_("Staff only"), {"fields": ["email"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).for_admin_list()

    @admin.display(description=_("photo"), empty_value="")
    def photo_thumbnail(self, person: Person) -> str:
        return person_photo(person)

    @admin.display(description=_("current photo"))
    def photo_preview(self, person: Person) -> str:
        return person_photo(person, PREVIEW_SIZE) or "—"


@admin.register(Office)
class OfficeAdmin(HistoryAdmin):
    list_display = ["person", "title", "body", "division", "organisation", "started_on", "ended_on"]
    list_filter = [CurrentOfficeFilter, "body", "division"]
    list_select_related = ["person", "division", "organisation"]
    search_fields = ["person__name", "title", "organisation__name", "division__name"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["person", "organisation"]
