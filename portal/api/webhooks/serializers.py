from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.models import WebhookDelivery, WebhookSubscription
from portal.webhooks.models import MAX_EVENTS, SUBSCRIBABLE_EVENTS


class EventListField(serializers.ListField):
    """A list whose wrong items are errors of the field itself, as the API's other lists."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            details = error.detail.values() if isinstance(error.detail, dict) else [error.detail]
            raise serializers.ValidationError(
                [item for errors in details for item in errors]
            ) from None


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as its owner reads and writes it; the secret is never read back."""

    url = serializers.URLField(
        max_length=500,
        help_text=_(
            "The HTTPS address the events are posted to. It must resolve to public addresses "
            "only (not a private, loopback or link-local one)."
        ),
    )
    events = EventListField(
        child=serializers.ChoiceField(choices=[(e.value, e.label) for e in SUBSCRIBABLE_EVENTS]),
        min_length=1,
        max_length=MAX_EVENTS,
        help_text=_("The events to be told of, each once."),
    )
    paused = serializers.BooleanField(
        source="is_paused",
        read_only=True,
        help_text=_("A paused subscription is sent nothing until it is resumed."),
    )
    paused_at = serializers.DateTimeField(read_only=True, allow_null=True)
    pause_reason = serializers.CharField(
        read_only=True, help_text=_("Why it was paused; empty while it is not.")
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "description",
            "events",
            "paused",
            "paused_at",
            "pause_reason",
            "created",
            "modified",
        ]
        read_only_fields = ["id", "created", "modified"]


class WebhookSecretSerializer(WebhookSubscriptionSerializer):
    """A subscription just created, or whose secret was just replaced: the secret, once."""

    secret = serializers.CharField(
        read_only=True,
        help_text=_("The key the deliveries are signed with. Keep it now: it is not shown again."),
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text=_("When the try was made."))
    status = serializers.IntegerField(
        allow_null=True, help_text=_("The HTTP status the receiver answered; null if none.")
    )
    error = serializers.CharField(
        help_text=_("Why no answer came (a timeout, a refused address…); empty otherwise.")
    )
    duration_ms = serializers.IntegerField(help_text=_("How long the try took."))

    class Meta:
        ref_name = "WebhookAttempt"

    def to_representation(self, attempt):
        # Stored as ISO text in the log; written as the API writes every moment.
        moment = parse_datetime(attempt.get("at") or "")
        return super().to_representation({**attempt, "at": moment})


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(
        source="uuid", read_only=True, help_text=_("As sent in the Portal-Delivery header.")
    )
    event_id = serializers.UUIDField(
        read_only=True, help_text=_("The event's id, the payload's `id`.")
    )
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "state",
            "payload",
            "attempts",
            "attempt_count",
            "created",
            "last_attempt_at",
            "next_attempt_at",
        ]
        read_only_fields = fields
