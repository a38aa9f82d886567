import secrets
import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.validators import validate_single_line

from .addresses import validate_receiver

SECRET_PREFIX = "whsec_"
MAX_EVENTS = 20


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class Event(models.TextChoices):
    CONFERENCE_PUBLISHED = "conference.published", _("A conference is published")
    CONFERENCE_CHANGED = "conference.changed", _("A published conference changes")
    CONFERENCE_WITHDRAWN = "conference.withdrawn", _("A conference is withdrawn")
    AGREEMENT_PUBLISHED = "agreement.published", _("An agreement is made public")
    AGREEMENT_CHANGED = "agreement.changed", _("A public agreement changes")
    AGREEMENT_WITHDRAWN = "agreement.withdrawn", _("An agreement is withdrawn")
    MEMBERSHIP_STARTED = "membership.started", _("A membership starts")
    MEMBERSHIP_ENDED = "membership.ended", _("A membership ends")
    ORGANISATION_CHANGED = "organisation.changed", _("An organisation is added or changed")
    PING = "ping", _("A test event, sent on request")


# What a subscription may choose: the test event comes to every subscription when asked for.
SUBSCRIBABLE_EVENTS = [event for event in Event if event != Event.PING]


def validate_events(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."), code="required")
    if len(value) > MAX_EVENTS:
        raise ValidationError(_("Too many events."), code="max_length")
    unknown = [item for item in value if item not in Event.values or item == Event.PING]
    if unknown:
        raise ValidationError(
            _("Unknown events: %(events)s. Choose from: %(choices)s.")
            % {
                "events": ", ".join(str(item) for item in unknown[:5]),
                "choices": ", ".join(SUBSCRIBABLE_EVENTS),
            },
            code="invalid_choice",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each event once, please."), code="duplicate")


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self) -> "WebhookSubscriptionQuerySet":
        """Subscriptions that are sent deliveries: not paused, their token usable."""
        now = timezone.now()
        return self.filter(
            Q(token__expires_at__isnull=True) | Q(token__expires_at__gt=now),
            paused_at__isnull=True,
            token__revoked_at__isnull=True,
        )

    def owned_by(self, token) -> "WebhookSubscriptionQuerySet":
        return self.filter(token=token)


class WebhookSubscription(TimeStampedModel):
    """An address that a token's owner wants told of some events, with its own secret."""

    token = models.ForeignKey(
        "portal.ApiToken",
        verbose_name=_("API token"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        help_text=_("The partner's token: its owner manages the subscription through the API."),
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[validate_receiver],
        help_text=_("The HTTPS address the events are posted to."),
    )
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("What receives the events, e.g. “Member map of our website”."),
    )
    events = models.JSONField(_("events"), default=list, validators=[validate_events])
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    pause_reason = models.CharField(
        _("why it is paused"),
        max_length=300,
        blank=True,
        editable=False,
        validators=[MaxLengthValidator(300)],
    )
    # Deliveries that failed in a row, every try used; reset by one that arrives.
    failures_in_row = models.PositiveIntegerField(
        _("failed deliveries in a row"), default=0, editable=False
    )

    objects = WebhookSubscriptionQuerySet.as_manager()
    # The secret stays out of the history: a rotated secret must be gone for good.
    history = HistoricalRecords(excluded_fields=["secret", "failures_in_row"])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [
            models.CheckConstraint(condition=~Q(url=""), name="webhook_url_not_blank"),
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_secret_not_blank"),
            models.CheckConstraint(
                condition=Q(paused_at__isnull=True, pause_reason="") | Q(paused_at__isnull=False),
                name="webhook_pause_reason_only_when_paused",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.url

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def wants(self, event: str) -> bool:
        return event == Event.PING or event in self.events


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription, with every try and its outcome."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    event_id = models.UUIDField(_("event id"), editable=False)
    payload = models.JSONField(_("payload"), editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Each try: {"at": iso, "status": int|None, "error": str, "duration_ms": int}.
    attempts = models.JSONField(_("tries"), default=list, editable=False)
    attempt_count = models.PositiveSmallIntegerField(_("number of tries"), default=0)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(_("last try"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "-created"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "delivered", "failed"]),
                name="webhook_delivery_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="delivered") | Q(attempt_count__gte=1),
                name="webhook_delivery_delivered_was_tried",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.get_state_display()})"

    @property
    def last_status(self) -> int | None:
        return self.attempts[-1].get("status") if self.attempts else None
