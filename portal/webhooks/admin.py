"""Staff set up partners' webhook subscriptions and read their delivery log."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HTTPS_URL_FIELDS, HistoryAdmin

from . import services
from .models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=_("address"),
        max_length=500,
        assume_scheme="https",
        help_text=WebhookSubscription._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=[(event.value, event.label) for event in SUBSCRIBABLE_EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookSubscription
        fields = ["token", "url", "description", "events"]


class DeliveryInline(admin.TabularInline):
    """The latest deliveries, to read: the full log is under Webhook deliveries."""

    model = WebhookDelivery
    fields = ["created", "event", "state", "attempt_count", "last_status", "last_attempt_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ["-created", "-pk"]
    verbose_name_plural = _("deliveries")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-created", "-pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last answer"))
    def last_status(self, delivery: WebhookDelivery):
        return delivery.last_status or "—"


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(HistoryAdmin):
    form = WebhookSubscriptionForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["__str__", "url", "token", "state", "failures_in_row", "modified"]
    list_filter = [("paused_at", admin.EmptyFieldListFilter), "token__access"]
    list_select_related = ["token"]
    search_fields = ["url", "description", "token__name", "token__prefix"]
    autocomplete_fields = ["token"]
    readonly_fields = ["secret", "state", "paused_at", "pause_reason", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["token", "url", "description", "events"]}),
        (
            _("Delivery"),
            {
                "fields": ["secret", "state", "paused_at", "pause_reason", "created", "modified"],
                "description": _(
                    "The secret signs each delivery: give it to the partner over a safe "
                    "channel. Replacing it (the action in the list) stops the old one at once."
                ),
            },
        ),
    ]
    inlines = [DeliveryInline]
    actions = ["send_test_event", "resume", "rotate_secret"]

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        # A version has no secret to restore; changes go through the services.
        return True

    @admin.display(description=_("state"))
    def state(self, subscription: WebhookSubscription) -> str:
        return _("paused") if subscription.is_paused else _("active")

    def get_urls(self):
        test = path(
            "<path:object_id>/test/",
            self.admin_site.admin_view(self.test_view),
            name="portal_webhooksubscription_test",
        )
        return [test, *super().get_urls()]

    def test_view(self, request: HttpRequest, object_id: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        subscription = self.get_object(request, object_id)
        if subscription is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, subscription):
            raise PermissionDenied
        self._send_test(request, [subscription])
        return HttpResponseRedirect(
            reverse("admin:portal_webhooksubscription_change", args=[subscription.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        may_send_test = self.has_change_permission(request)
        extra_context = {**(extra_context or {}), "may_send_test": may_send_test}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {"url": data["url"], "events": data["events"], "description": data["description"]}
        if change:
            services.update_subscription(subscription=obj, changed_by=request.user, **fields)
        else:
            services.create_subscription(
                subscription=obj, token=data["token"], changed_by=request.user, **fields
            )

    def delete_model(self, request, obj):
        services.delete_subscription(subscription=obj, changed_by=request.user)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            services.delete_subscription(subscription=subscription, changed_by=request.user)

    def _send_test(self, request, subscriptions) -> None:
        sent = 0
        for subscription in subscriptions:
            try:
                services.send_test_event(subscription=subscription)
                sent += 1
            except ValidationError as error:
                self.message_user(request, f"{subscription}: {error.messages[0]}", messages.ERROR)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "A test event is on its way to %d subscription; its delivery is logged below.",
                    "A test event is on its way to %d subscriptions.",
                    sent,
                )
                % sent,
                messages.SUCCESS,
            )

    @admin.action(permissions=["change"], description=_("Send a test event"))
    def send_test_event(self, request, queryset):
        self._send_test(request, list(queryset))

    @admin.action(permissions=["change"], description=_("Resume the selected subscriptions"))
    def resume(self, request, queryset):
        paused = list(queryset.filter(paused_at__isnull=False))
        for subscription in paused:
            services.resume_subscription(subscription=subscription, changed_by=request.user)
        self.message_user(
            request,
            ngettext("%d subscription resumed.", "%d subscriptions resumed.", len(paused))
            % len(paused),
            messages.SUCCESS,
        )

    @admin.action(permissions=["change"], description=_("Replace the signing secrets"))
    def rotate_secret(self, request, queryset):
        subscriptions = list(queryset)
        for subscription in subscriptions:
            services.rotate_secret(subscription=subscription, changed_by=request.user)
        self.message_user(
            request,
            ngettext(
                "%d secret replaced: the partner needs the new one, shown on the subscription.",
                "%d secrets replaced: the partners need the new ones, shown on each subscription.",
                len(subscriptions),
            )
            % len(subscriptions),
            messages.WARNING,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log, to read: deliveries are made by the portal, never by hand."""

    list_display = ["created", "event", "subscription", "state", "attempt_count", "last_attempt_at"]
    list_filter = ["state", "event", "created"]
    list_select_related = ["subscription"]
    search_fields = ["uuid", "event_id", "subscription__url", "subscription__description"]
    date_hierarchy = "created"
    fields = [
        "uuid",
        "subscription",
        "event",
        "event_id",
        "state",
        "created",
        "last_attempt_at",
        "next_attempt_at",
        "tries",
        "payload",
    ]
    readonly_fields = fields

    @admin.display(description=_("tries"))
    def tries(self, delivery: WebhookDelivery):
        if not delivery.attempts:
            return "—"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} — {} {} ({} ms)</li>",
                (
                    (
                        attempt.get("at", ""),
                        attempt.get("status") or "",
                        attempt.get("error", ""),
                        attempt.get("duration_ms", 0),
                    )
                    for attempt in delivery.attempts
                ),
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
