import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conferences.models import Conference
from core.admin import (
    HTTPS_URL_FIELDS,
    HistoryAdmin,
    ImportExportAdminMixin,
    SubquerySearchMixin,
    TolerantAutocompleteMixin,
    name_protecting_rows,
)
from members.models import Organisation, Person

from .confirmations import (
    PUBLISH_REFUSED,
    is_fully_confirmed,
    may_be_published,
    may_be_published_with,
    party_states,
)
from .forms import AgreementPartyFormSet
from .models import MINIMUM_PARTIES, Agreement, AgreementDocument, AgreementParty
from .resources import AgreementResource
from .services import (
    answered_version,
    ask_again_if_changed,
    set_agreement_visibility,
    settle_agreement,
)


class AgreementPartyInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyFormSet
    fields = ["organisation", "signatory", "signed_on", "reference_number", "order"]
    autocomplete_fields = ["organisation", "signatory"]
    min_num = MINIMUM_PARTIES
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgreementParty]:
        # Each row's heading is str(party), the organisation's name.
        return super().get_queryset(request).select_related("organisation")


class AgreementDocumentInline(admin.TabularInline):
    """The agreement's PDFs: each checked by the PDF parser on upload (the field's validator),
    kept private until its public box is ticked."""

    model = AgreementDocument
    fields = ["kind", "title", "language", "file", "is_public", "order"]
    extra = 0


class AgreementDocumentsFilter(admin.SimpleListFilter):
    title = _("documents")
    parameter_name = "documents"

    def lookups(self, request, model_admin):
        return [
            ("public", _("With a public document")),
            ("private", _("With documents for staff only")),
            ("none", _("Without documents")),
        ]

    def queryset(self, request, queryset):
        documents = AgreementDocument.objects.filter(agreement=OuterRef("pk"))
        if self.value() == "public":
            return queryset.filter(Exists(documents.filter(is_public=True)))
        if self.value() == "private":
            return queryset.filter(Exists(documents)).exclude(
                Exists(documents.filter(is_public=True))
            )
        if self.value() == "none":
            return queryset.exclude(Exists(documents))
        return queryset


SIGNED_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.ACTIVE)


class AgreementAdminForm(forms.ModelForm):
    """Left blank, the signing city and country are those of the conference where it was signed."""

    def clean(self) -> dict:
        data = super().clean()
        conference = data.get("signed_at_conference")
        if conference is not None:
            if "signed_city" in self.fields and not data.get("signed_city"):
                data["signed_city"] = conference.city
            if "signed_country" in self.fields and not data.get("signed_country"):
                data["signed_country"] = conference.country.code
        return data

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the new values
        publishing = self.cleaned_data.get("is_public") and not self.initial.get("is_public")
        if not publishing or self.instance.pk is None or self.has_error("is_public"):
            return
        topics = self.cleaned_data.get("topics")
        if topics is None:
            topics = self.instance.topics.all()
        if not may_be_published_with(self.instance, topics=topics):
            self.add_error("is_public", PUBLISH_REFUSED)


def agreement_warnings(agreement: Agreement, today: datetime.date) -> list[str]:
    """What looks wrong in a saved agreement, though the record is valid."""
    if agreement.status in SIGNED_STATUSES and agreement.signed_on and agreement.signed_on > today:
        return [
            _(
                "“%(title)s” is “%(status)s” but dated %(date)s, in the future: check the "
                "signing date, or keep it as a draft until it is signed."
            )
            % {
                "title": agreement.title,
                "status": agreement.get_status_display(),
                "date": agreement.signed_on.isoformat(),
            }
        ]
    return []


class AgreementAttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("signed_in_future", _("Signed, dated in the future"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "signed_in_future":
            return queryset.filter(status__in=SIGNED_STATUSES, signed_on__gt=timezone.localdate())


class ConfirmationsFilter(admin.SimpleListFilter):
    """Agreements members recorded: every party has confirmed the record as it stands, or not."""

    title = _("confirmations")
    parameter_name = "confirmations"

    def lookups(self, request, model_admin):
        return [("complete", _("Complete")), ("waiting", _("Waiting"))]

    def queryset(self, request, queryset):
        if self.value() not in ("complete", "waiting"):
            return queryset
        # Whether a party's answer matches is known only once the record's fingerprint is made
        # (agreements/confirmations.py); members' records are few.
        proposed = Agreement.objects.exclude(proposed_by=None, proposed_for=None)
        complete = [a.pk for a in proposed.for_confirmations() if is_fully_confirmed(a)]
        if self.value() == "complete":
            return queryset.filter(pk__in=complete)
        return queryset.filter(pk__in=proposed.values("pk")).exclude(pk__in=complete)


class AgreementExpiringFilter(admin.SimpleListFilter):
    """Agreements in force whose expiry date falls within the next 90 days."""

    title = _("expiring")
    parameter_name = "expiring"
    DAYS = 90

    @classmethod
    def condition(cls, today: datetime.date | None = None) -> Q:
        today = today or timezone.localdate()
        return Q(expires_on__range=(today, today + datetime.timedelta(days=cls.DAYS))) & ~Q(
            status__in=[Agreement.Status.EXPIRED, Agreement.Status.TERMINATED]
        )

    def lookups(self, request, model_admin):
        return [(str(self.DAYS), _("Within %(days)d days") % {"days": self.DAYS})]

    def queryset(self, request, queryset):
        if self.value() == str(self.DAYS):
            return queryset.filter(self.condition())
        return queryset


@admin.register(Agreement)
class AgreementAdmin(SubquerySearchMixin, ImportExportAdminMixin, HistoryAdmin):
    resource_classes = [AgreementResource]
    form = AgreementAdminForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "title",
        "party_names",
        "kind",
        "signed_on",
        "status",
        "expires_on",
        "is_public",
    ]
    list_filter = [
        AgreementAttentionFilter,
        "status",
        AgreementExpiringFilter,
        ConfirmationsFilter,
        "kind",
        "is_public",
        AgreementDocumentsFilter,
    ]
    list_select_related = ["signed_at_conference"]
    search_fields = [
        "title",
        "slug",
        "summary",
        "parties__organisation__name",
        "parties__organisation__short_name",
    ]
    date_hierarchy = "signed_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["signed_at_conference", "topics", "follows"]
    inlines = [AgreementPartyInline, AgreementDocumentInline]
    actions = ["make_public", "make_private"]
    readonly_fields = ["confirmation_states", "expiry_reminders"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "is_public"]}),
        (
            _("Signing"),
            {"fields": ["signed_on", "signed_at_conference", ("signed_city", "signed_country")]},
        ),
        (
            _("Dates"),
            {
                "fields": [
                    ("effective_on", "expires_on"),
                    ("terminated_on", "termination_reason"),
                    "expiry_reminders",
                ],
                "description": _(
                    "Unless it is a draft, the status follows these dates, checked every day."
                ),
            },
        ),
        (_("Amends or renews"), {"fields": [("follows", "relation")]}),
        (_("Content"), {"fields": ["summary", "topics", "source_url"]}),
        (_("Confirmations"), {"fields": ["confirmation_states", "confirmation_note"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        parties = AgreementParty.objects.select_related("organisation")
        return (
            super()
            .get_queryset(request)
            .for_admin_list()
            .prefetch_related(Prefetch("parties", queryset=parties))
        )

    class Media:
        js = ["core/admin-conference-place.js", "core/admin-accessible-names.js"]

    def get_urls(self) -> list:
        opts = self.model._meta
        return [
            path(
                "conference-place/<int:pk>/",
                self.admin_site.admin_view(self.conference_place_view),
                name=f"{opts.app_label}_{opts.model_name}_conference_place",
            ),
            *super().get_urls(),
        ]

    def conference_place_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        """Where a conference took place, for the form's script to fill the signing place."""
        may_edit = self.has_add_permission(request) or self.has_change_permission(request)
        if not (may_edit and request.user.has_perm("conferences.view_conference")):
            raise PermissionDenied
        conference = get_object_or_404(Conference.objects.only("city", "country"), pk=pk)
        return JsonResponse({"city": conference.city, "country": conference.country.code})

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "signed_at_conference" and formfield is not None:
            opts = self.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_conference_place", args=[0])
            formfield.widget.attrs.update(
                {
                    "data-place-url": url,
                    "data-city-field": "signed_city",
                    "data-country-field": "signed_country",
                }
            )
        return formfield

    @admin.display(description=_("expiry reminders sent"))
    def expiry_reminders(self, agreement: Agreement) -> str:
        reminders = list(agreement.reminders.all()) if agreement.pk else []
        if not reminders:
            return _("None yet: the parties' contacts and staff are told 90 and 30 days before.")
        return format_html_join(
            "; ",
            "{} ({}, {})",
            (
                (
                    reminder.get_days_before_display(),
                    date_format(timezone.localtime(reminder.sent_at), "DATE_FORMAT"),
                    ngettext("%d recipient", "%d recipients", reminder.recipient_count)
                    % reminder.recipient_count,
                )
                for reminder in reminders
            ),
        )

    @admin.display(description=_("parties' answers"))
    def confirmation_states(self, agreement: Agreement) -> str:
        if agreement.pk is None or not (agreement.proposed_for_id or agreement.proposed_by_id):
            return _("Not recorded by a member: nobody is asked to confirm it.")
        states = party_states(Agreement.objects.for_confirmations().get(pk=agreement.pk))
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: <strong>{}</strong>{}</li>",
                (
                    (
                        state.organisation.display_name,
                        state.label,
                        f" — {state.message}" if state.message else "",
                    )
                    for state in states
                ),
            ),
        )

    def save_model(self, request: HttpRequest, obj: Agreement, form, change: bool) -> None:
        # What the parties answered, read before the save changes it (save_related asks again).
        obj._answered_version = answered_version(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        agreement = form.instance
        # The concluding date from the parties' dates just saved, the status from the dates.
        settle_agreement(agreement=agreement, changed_by=request.user)
        ask_again_if_changed(agreement, getattr(agreement, "_answered_version", None))
        published_now = agreement.is_public and not form.initial.get("is_public", False)
        if published_now and agreement.proposed_for_id:
            stored = Agreement.objects.for_confirmations().get(pk=agreement.pk)
            if not may_be_published(stored):
                # The parties changed in the same save: what was confirmed is not what is saved.
                set_agreement_visibility(agreements=[stored], public=False, changed_by=request.user)
                agreement.is_public = False
                self.message_user(request, PUBLISH_REFUSED, messages.ERROR)

    def response_add(self, request: HttpRequest, obj: Agreement, *args) -> HttpResponse:
        response = super().response_add(request, obj, *args)
        self._warn(request, obj)
        return response

    def response_change(self, request: HttpRequest, obj: Agreement) -> HttpResponse:
        response = super().response_change(request, obj)
        self._warn(request, obj)
        return response

    def _warn(self, request: HttpRequest, agreement: Agreement) -> None:
        for warning in agreement_warnings(agreement, timezone.localdate()):
            self.message_user(request, warning, messages.WARNING)

    def view_on_site(self, agreement: Agreement) -> str | None:
        # The public page exists only for public agreements.
        if Agreement.objects.public().filter(pk=agreement.pk).exists():
            return agreement.get_absolute_url()
        return None

    @admin.display(description=_("parties"))
    def party_names(self, agreement: Agreement) -> str:
        return "; ".join(party.organisation.display_name for party in agreement.parties.all())

    @admin.action(permissions=["change"], description=_("Show the selected agreements to visitors"))
    def make_public(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        self._set_public(request, queryset, public=True)

    @admin.action(
        permissions=["change"], description=_("Hide the selected agreements from visitors")
    )
    def make_private(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        self._set_public(request, queryset, public=False)

    def _set_public(
        self, request: HttpRequest, queryset: QuerySet[Agreement], *, public: bool
    ) -> None:
        # Without the changelist's annotations and prefetches: the service saves each row.
        agreements = list(Agreement.objects.filter(pk__in=queryset.values("pk")))
        try:
            set_agreement_visibility(agreements=agreements, public=public, changed_by=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return
        count = len(agreements)
        if public:
            message = ngettext(
                "%(count)d agreement is now public.", "%(count)d agreements are now public.", count
            )
        else:
            message = ngettext(
                "%(count)d agreement is now hidden.", "%(count)d agreements are now hidden.", count
            )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(AgreementParty)
class AgreementPartyAdmin(HistoryAdmin):
    """Every signature, searchable by organisation or signatory.

    Parties are removed on their agreement's page, where the two-party minimum is checked.
    Deleting the agreement itself still deletes its parties.
    """

    list_display = ["organisation", "agreement", "signatory", "signed_on", "reference_number"]
    list_filter = ["agreement__status", "agreement__kind"]
    list_select_related = ["organisation", "agreement", "signatory"]
    search_fields = [
        "organisation__name",
        "organisation__short_name",
        "agreement__title",
        "signatory__name",
        "reference_number",
    ]
    date_hierarchy = "agreement__signed_on"
    autocomplete_fields = ["agreement", "organisation", "signatory"]

    def save_model(self, request: HttpRequest, obj: AgreementParty, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A party's signing date may conclude the agreement, and so move its status.
        settle_agreement(agreement=obj.agreement, changed_by=request.user)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        party = self.get_object(request, unquote(object_id))
        # Without the delete permission, the 403 comes first (Django's own check, below).
        keeps_minimum = party is not None and self.has_delete_permission(request, party)
        if keeps_minimum and party.agreement.parties.count() <= MINIMUM_PARTIES:
            self.message_user(
                request,
                _(
                    "An agreement keeps at least %(minimum)s parties. Replace this one on the "
                    "agreement's page."
                )
                % {"minimum": MINIMUM_PARTIES},
                messages.ERROR,
            )
            return redirect("admin:agreements_agreement_change", party.agreement_id)
        return super().delete_view(request, object_id, extra_context)


name_protecting_rows(
    AgreementParty, protects=Organisation, shown_as="agreement", label=_("Party to the agreement")
)
name_protecting_rows(
    AgreementParty, protects=Person, shown_as="agreement", label=_("Signatory of the agreement")
)
