import datetime
import functools

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from core.admin import (
    HTTPS_URL_FIELDS,
    HistoryAdmin,
    ImportExportAdminMixin,
    ProtectedDeletionAdminMixin,
    SubquerySearchMixin,
    TolerantAutocompleteMixin,
    name_protecting_rows,
)
from core.timezones import zones_by_country, zones_for_country
from core.widgets import TimeZoneSelect
from members.models import Organisation, Person

from .forms import QuoteInlineFormSet
from .models import Appearance, Award, Conference, ConferenceHost, Decision, Quote, Session
from .programme_editor import programme_view
from .resources import ConferenceResource
from .services import set_publication


class ProgrammeGapFilter(admin.SimpleListFilter):
    """Sessions that still lack something the programme shows."""

    title = _("programme gap")
    parameter_name = "gap"
    GAPS = {
        "speakers": (
            _("No speakers"),
            ~Q(Exists(Appearance.objects.filter(session=OuterRef("pk")))),
        ),
        "times": (_("No start time"), Q(start_time__isnull=True)),
        "room": (_("No room or place"), Q(location="")),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _condition) in self.GAPS.items()]

    def queryset(self, request, queryset):
        if self.value() in self.GAPS:
            return queryset.filter(self.GAPS[self.value()][1])
        return queryset


class ConferenceHostInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = ConferenceHost
    fields = ["organisation", "role", "order"]
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ConferenceHost]:
        # Each row's heading is str(host), which names the organisation.
        return super().get_queryset(request).select_related("organisation")


class SessionInline(TolerantAutocompleteMixin, admin.TabularInline):
    """The programme at a glance; the programme editor edits it whole, with the speakers."""

    model = Session
    fields = ["day", "start_time", "end_time", "kind", "title", "location", "order"]
    show_change_link = True
    extra = 0


class DecisionInline(TolerantAutocompleteMixin, admin.StackedInline):
    model = Decision
    fk_name = "conference"
    fields = [
        "kind",
        "title",
        "text",
        ("host_city", "host_country", "host_year"),
        ("host_organisation", "resulting_conference"),
    ]
    autocomplete_fields = ["host_organisation", "resulting_conference"]
    extra = 0


class AwardInline(TolerantAutocompleteMixin, admin.StackedInline):
    model = Award
    fields = ["name", ("recipient_person", "recipient_organisation"), "citation"]
    autocomplete_fields = ["recipient_person", "recipient_organisation"]
    extra = 0


class QuoteInline(TolerantAutocompleteMixin, admin.StackedInline):
    model = Quote
    formset = QuoteInlineFormSet
    fields = [("person", "session"), "text"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Quote]:
        # Each row's heading is str(quote), which names the person.
        return super().get_queryset(request).select_related("person")


STILL_AHEAD = (Conference.Status.PLANNED, Conference.Status.REGISTRATION_OPEN)


def conference_warnings(conference: Conference, today: datetime.date) -> list[str]:
    """What looks wrong in a saved conference, though the record is valid."""
    warnings = []
    if conference.end_date < today and conference.status in STILL_AHEAD:
        warnings.append(
            _(
                "“%(title)s” ended on %(end)s but is still “%(status)s”: set its status to "
                "“Held” or “Cancelled”."
            )
            % {
                "title": conference.title,
                "end": conference.end_date.isoformat(),
                "status": conference.get_status_display(),
            }
        )
    zones = zones_for_country(conference.country.code)
    if conference.time_zone == "UTC" and zones:
        if len(zones) == 1:
            warnings.append(
                _(
                    "The time zone is UTC, but %(country)s keeps %(zone)s: choose it, unless the "
                    "programme's times really are in UTC."
                )
                % {"country": conference.country.name, "zone": zones[0]}
            )
        else:
            warnings.append(
                _(
                    "The time zone is UTC: choose the zone of %(country)s where the conference "
                    "takes place (%(zones)s)."
                )
                % {"country": conference.country.name, "zones": ", ".join(zones)}
            )
    return warnings


class ConferenceAttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("past_not_held", _("Past, still planned or open for registration")),
            ("utc", _("In UTC, though the country keeps its own zone")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "past_not_held":
            return queryset.filter(Q(end_date__lt=timezone.localdate()) & Q(status__in=STILL_AHEAD))
        if self.value() == "utc":
            return queryset.filter(time_zone="UTC", country__in=list(zones_by_country()))
        return queryset


@admin.register(Conference)
class ConferenceAdmin(
    SubquerySearchMixin, ProtectedDeletionAdminMixin, ImportExportAdminMixin, HistoryAdmin
):
    resource_classes = [ConferenceResource]
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "title",
        "kind",
        "edition",
        "dates",
        "place",
        "status",
        "is_published",
        "session_count",
        "programme_link",
    ]
    list_filter = [
        "is_published",
        ConferenceAttentionFilter,
        "kind",
        "status",
        "division",
        ("country", CountryFilter),
    ]
    actions = ["publish", "unpublish"]
    list_select_related = ["division"]
    # Said here, not left to the model: the sessions' count groups the rows, and a grouped
    # query keeps no default order (the autocomplete pages it).
    ordering = ["-start_date", "pk"]
    search_fields = ["title", "slug", "theme", "city", "venue", "hosts__name"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topics", "participating_organisations"]
    inlines = [ConferenceHostInline, SessionInline, DecisionInline, AwardInline, QuoteInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "kind",
                    "edition",
                    "division",
                    "status",
                    "is_published",
                    "theme",
                ]
            },
        ),
        (
            _("When and where"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "date_precision",
                    "time_zone",
                    ("city", "country"),
                    "venue",
                ]
            },
        ),
        (
            _("Public page"),
            {"fields": ["description", "topics", "cover_image", "website", "registration_url"]},
        ),
        (_("Who took part"), {"fields": ["participating_organisations"]}),
        (
            _("After the event"),
            {"fields": [("participant_count", "participant_count_is_minimum"), "report"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Conference]:
        return super().get_queryset(request).for_admin_list()

    class Media:
        js = ["core/admin-accessible-names.js"]

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "time_zone":
            kwargs["widget"] = TimeZoneSelect(country_field="country")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def response_add(self, request: HttpRequest, obj: Conference, *args) -> HttpResponse:
        response = super().response_add(request, obj, *args)
        self._warn(request, obj)
        return response

    def response_change(self, request: HttpRequest, obj: Conference) -> HttpResponse:
        response = super().response_change(request, obj)
        self._warn(request, obj)
        return response

    def _warn(self, request: HttpRequest, conference: Conference) -> None:
        for warning in conference_warnings(conference, timezone.localdate()):
            self.message_user(request, warning, messages.WARNING)

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, conference: Conference) -> str:
        return f"{conference.start_date.isoformat()} – {conference.end_date.isoformat()}"

    @admin.display(description=_("place"), ordering="city")
    def place(self, conference: Conference) -> str:
        return ", ".join(part for part in (conference.city, conference.country.name) if part)

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, conference: Conference) -> int:
        return conference.session_count

    @admin.display(description=_("programme"))
    def programme_link(self, conference: Conference) -> str:
        url = reverse("admin:conferences_conference_programme", args=[conference.pk])
        return format_html('<a href="{}">{}</a>', url, _("Programme"))

    def get_urls(self) -> list[URLPattern]:
        view = functools.partial(programme_view, model_admin=self)
        return [
            path(
                "<path:object_id>/programme/",
                self.admin_site.admin_view(view),
                name="conferences_conference_programme",
            ),
            *super().get_urls(),
        ]

    @admin.action(permissions=["change"], description=_("Publish the selected conferences"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Conference]) -> None:
        publish_selected(self, request, queryset, published=True)

    @admin.action(
        permissions=["change"], description=_("Take the selected conferences back to drafts")
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Conference]) -> None:
        publish_selected(self, request, queryset, published=False)


def publish_selected(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *, published: bool
) -> None:
    """The publishing actions of conferences and sessions, through the service."""
    model = model_admin.model
    # Without the changelist's annotations: the service saves each row.
    records = list(model.objects.filter(pk__in=queryset.values("pk")))
    changed = set_publication(records=records, published=published, changed_by=request.user)
    values = {"count": len(changed)}
    if published:
        message = ngettext("%(count)d published.", "%(count)d published.", len(changed))
    else:
        message = ngettext(
            "%(count)d taken back to drafts.", "%(count)d taken back to drafts.", len(changed)
        )
    unchanged = len(records) - len(changed)
    if unchanged:
        message += " " + ngettext(
            "%(unchanged)d was already so.", "%(unchanged)d were already so.", unchanged
        )
        values["unchanged"] = unchanged
    model_admin.message_user(request, message % values, messages.SUCCESS)


@admin.register(ConferenceHost)
class ConferenceHostAdmin(HistoryAdmin):
    list_display = ["organisation", "conference", "role", "order"]
    list_filter = ["role", "conference__kind"]
    list_select_related = ["organisation", "conference"]
    search_fields = ["organisation__name", "organisation__short_name", "conference__title"]
    date_hierarchy = "conference__start_date"
    autocomplete_fields = ["conference", "organisation"]


class AppearanceInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = Appearance
    fields = ["person", "role", "capacity", "order"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appearance]:
        # Each row's heading is str(appearance), which names the person.
        return super().get_queryset(request).select_related("person")


@admin.register(Session)
class SessionAdmin(SubquerySearchMixin, HistoryAdmin):
    list_display = [
        "title",
        "conference",
        "kind",
        "day",
        "start_time",
        "end_time",
        "is_published",
        "appearance_count",
    ]
    list_filter = ["is_published", "kind", ProgrammeGapFilter, "conference__kind", "conference"]
    actions = ["publish", "unpublish"]
    list_select_related = ["conference"]
    search_fields = [
        "title",
        "description",
        "location",
        "conference__title",
        "appearances__person__name",
    ]
    date_hierarchy = "day"
    autocomplete_fields = ["conference", "topics", "organisations_visited"]
    inlines = [AppearanceInline]
    fields = [
        "conference",
        "kind",
        "is_published",
        "title",
        "description",
        "day",
        ("start_time", "end_time"),
        "location",
        "order",
        "topics",
        "organisations_visited",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Session]:
        return super().get_queryset(request).for_admin_list()

    @admin.display(description=_("people"), ordering="appearance_count")
    def appearance_count(self, session: Session) -> int:
        return session.appearance_count

    @admin.action(permissions=["change"], description=_("Publish the selected sessions"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        publish_selected(self, request, queryset, published=True)

    @admin.action(
        permissions=["change"], description=_("Hold the selected sessions back from the programme")
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        publish_selected(self, request, queryset, published=False)


@admin.register(Appearance)
class AppearanceAdmin(HistoryAdmin):
    list_display = ["person", "role", "session", "conference", "capacity"]
    list_filter = ["role", "session__kind", "session__conference__kind"]
    list_select_related = ["person", "session__conference"]
    search_fields = ["person__name", "capacity", "session__title", "session__conference__title"]
    date_hierarchy = "session__day"
    autocomplete_fields = ["session", "person"]

    @admin.display(description=_("conference"), ordering="session__conference__start_date")
    def conference(self, appearance: Appearance) -> Conference:
        return appearance.session.conference


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = [
        "title",
        "conference",
        "kind",
        "host_city",
        "host_country",
        "host_year",
        "resulting_conference",
    ]
    list_filter = ["kind", ("host_country", CountryFilter)]
    list_select_related = ["conference", "resulting_conference"]
    search_fields = ["title", "text", "host_city", "conference__title", "host_organisation__name"]
    date_hierarchy = "conference__start_date"
    autocomplete_fields = ["conference", "host_organisation", "resulting_conference"]


@admin.register(Award)
class AwardAdmin(HistoryAdmin):
    list_display = ["name", "recipient", "conference"]
    list_filter = ["name"]
    list_select_related = ["conference", "recipient_person", "recipient_organisation"]
    search_fields = [
        "name",
        "citation",
        "recipient_person__name",
        "recipient_organisation__name",
        "conference__title",
    ]
    date_hierarchy = "conference__start_date"
    autocomplete_fields = ["conference", "recipient_person", "recipient_organisation"]

    @admin.display(description=_("recipient"))
    def recipient(self, award: Award) -> str:
        return str(award.recipient or "")


@admin.register(Quote)
class QuoteAdmin(HistoryAdmin):
    list_display = ["excerpt", "person", "conference", "session"]
    list_filter = ["conference__kind"]
    list_select_related = ["person", "conference", "session"]
    search_fields = ["text", "person__name", "conference__title", "session__title"]
    date_hierarchy = "conference__start_date"
    autocomplete_fields = ["conference", "person", "session"]

    @admin.display(description=_("quote"), ordering="text")
    def excerpt(self, quote: Quote) -> str:
        return quote.text if len(quote.text) <= 80 else f"{quote.text[:79]}…"


name_protecting_rows(
    ConferenceHost, protects=Organisation, shown_as="conference", label=_("Host of the conference")
)
name_protecting_rows(
    Appearance, protects=Person, shown_as="session", label=_("Taking part in the session")
)
