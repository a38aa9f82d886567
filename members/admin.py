import datetime

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from core.admin import (
    HTTPS_URL_FIELDS,
    PREVIEW_SIZE,
    THUMBNAIL_SIZE,
    HistoryAdmin,
    ImportExportAdminMixin,
    ProtectedDeletionAdminMixin,
    TolerantAutocompleteMixin,
    thumbnail,
)

from .forms import MembershipForm, MembershipInlineFormSet
from .models import Division, Membership, Office, Organisation, Person, Topic
from .resources import OrganisationResource, PersonResource
from .services import anonymise_person


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


class MembershipEndingFilter(admin.SimpleListFilter):
    """Running memberships whose end date falls within the next 60 days."""

    title = _("ending")
    parameter_name = "ending"
    DAYS = 60

    @classmethod
    def condition(cls, today: datetime.date | None = None) -> Q:
        today = today or timezone.localdate()
        return Q(
            status__in=Membership.OPEN_STATUSES,
            ended_on__range=(today, today + datetime.timedelta(days=cls.DAYS)),
        )

    def lookups(self, request, model_admin):
        return [(str(self.DAYS), _("Within %(days)d days") % {"days": self.DAYS})]

    def queryset(self, request, queryset):
        if self.value() == str(self.DAYS):
            return queryset.filter(self.condition())
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


class MembershipInline(TolerantAutocompleteMixin, admin.TabularInline):
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
    list_filter = ["status", "category", MembershipEndingFilter, "organisation__division"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__short_name", "notes"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["organisation"]


class OfficeInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = Office
    fields = ["title", "body", "division", "organisation", "started_on", "ended_on"]
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Office]:
        # Each row's heading is str(office): the person and the full title.
        return super().get_queryset(request).select_related("person", "division", "organisation")


class RemovedPersonFilter(admin.SimpleListFilter):
    title = _("removed")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(removed_at__isnull=True)
        return queryset


@admin.register(Person)
class PersonAdmin(ProtectedDeletionAdminMixin, ImportExportAdminMixin, HistoryAdmin):
    resource_classes = [PersonResource]
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "photo_thumbnail",
        "name",
        "job_title",
        "affiliation",
        "country",
        "display_consent",
        "removal",
    ]
    list_display_links = ["name"]
    list_filter = [
        ("country", CountryFilter),
        "affiliation__kind",
        "affiliation__division",
        "display_consent",
        RemovedPersonFilter,
    ]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "job_title", "affiliation__name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]
    raw_id_fields = ["user"]
    readonly_fields = ["photo_preview", "removed_at"]
    inlines = [OfficeInline]
    actions = ["remove_and_anonymise"]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "slug", "job_title", "affiliation", "country"]}),
        (_("Profile"), {"fields": ["bio", "photo", "photo_preview", "website"]}),
        (_("Staff only"), {"fields": ["email"]}),
        (
            _("Consent and account"),
            {
                "fields": [
                    "display_consent",
                    "consent_recorded_on",
                    "consent_note",
                    "user",
                    "removed_at",
                ]
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Person, form, change: bool) -> None:
        # Ticking or unticking the consent dates it, unless staff give the date themselves.
        if (
            "display_consent" in form.changed_data
            and "consent_recorded_on" not in form.changed_data
        ):
            obj.consent_recorded_on = timezone.localdate()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("removed"), ordering="removed_at", empty_value="")
    def removal(self, person: Person) -> str:
        if person.removed_at is None:
            return ""
        return _("Removed on %(date)s") % {"date": date_format(person.removed_at.date())}

    @admin.action(permissions=["delete"], description=_("Remove and anonymise"))
    def remove_and_anonymise(self, request: HttpRequest, queryset: QuerySet[Person]):
        people = list(queryset.filter(removed_at__isnull=True).order_by("name", "pk"))
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Remove and anonymise"),
                "opts": self.model._meta,
                "people": people,
                "already_removed": queryset.filter(removed_at__isnull=False).count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "selected": [str(person.pk) for person in people],
            }
            return TemplateResponse(
                request, "admin/members/person/remove_confirmation.html", context
            )
        for person in people:
            anonymise_person(person=person, approved_by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d person removed and anonymised.",
                "%(count)d people removed and anonymised.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )
        return None

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


# The members' area in the admin: invitations and contacts, and the review queue of proposals.
from . import admin_contacts, admin_proposals  # noqa: E402, F401
