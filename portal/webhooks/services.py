"""Every write to webhook subscriptions and their deliveries: the admin, the API and the
worker call these, so that the history and the rules are never skipped."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts import users_with_permission
from core.db.writes import set_fields
from core.mail import absolute, send_templated_mail

from .events import deliver, payload
from .models import Event, WebhookDelivery, WebhookSubscription, new_secret
from .sending import Outcome

SUBSCRIPTION_FIELDS = frozenset({"url", "events", "description"})


def _save(
    subscription: WebhookSubscription,
    changed_by: AbstractBaseUser | None,
    *,
    check_url: bool = True,
) -> None:
    # The address is resolved and checked when it is set; a pause, a resume or a new secret
    # must not hang on (or fail with) the receiver's name server.
    subscription.full_clean(exclude=None if check_url else ["url"])
    subscription._history_user = changed_by
    subscription.save()


@transaction.atomic
def create_subscription(
    *,
    token,
    url: str,
    events: list[str],
    description: str = "",
    changed_by: AbstractBaseUser | None = None,
    subscription: WebhookSubscription | None = None,
) -> WebhookSubscription:
    """Save a new subscription with a fresh secret; `subscription` is an unsaved one to fill
    (the admin's form)."""
    subscription = subscription or WebhookSubscription()
    subscription.token = token
    subscription.url = url
    subscription.events = events
    subscription.description = description
    subscription.secret = new_secret()
    _save(subscription, changed_by)
    return subscription


@transaction.atomic
def update_subscription(
    *,
    subscription: WebhookSubscription,
    changed_by: AbstractBaseUser | None = None,
    **fields: object,
) -> WebhookSubscription:
    """Change any of SUBSCRIPTION_FIELDS."""
    url_changed = "url" in fields and fields["url"] != subscription.url
    set_fields(subscription, fields, allowed=SUBSCRIPTION_FIELDS)
    _save(subscription, changed_by, check_url=url_changed)
    return subscription


@transaction.atomic
def delete_subscription(
    *, subscription: WebhookSubscription, changed_by: AbstractBaseUser | None = None
) -> None:
    subscription._history_user = changed_by
    subscription.delete()


@transaction.atomic
def rotate_secret(
    *, subscription: WebhookSubscription, changed_by: AbstractBaseUser | None = None
) -> str:
    """A new secret at once: deliveries from now on are signed with it, the old one is gone."""
    subscription.secret = new_secret()
    _save(subscription, changed_by, check_url=False)
    return subscription.secret


def staff_addresses() -> list[str]:
    return list(
        users_with_permission("portal.change_webhooksubscription").values_list("email", flat=True)
    )


@transaction.atomic
def pause_subscription(
    *,
    subscription: WebhookSubscription,
    reason: str,
    changed_by: AbstractBaseUser | None = None,
) -> None:
    """Stop deliveries to the subscription until it is resumed; staff are told by e-mail."""
    if subscription.is_paused:
        return
    subscription.paused_at = timezone.now()
    subscription.pause_reason = reason[:300]
    _save(subscription, changed_by, check_url=False)
    send_templated_mail(
        "email/webhooks/paused",
        to=staff_addresses(),
        context={
            "subscription": subscription,
            "url": absolute(
                reverse("admin:portal_webhooksubscription_change", args=[subscription.pk])
            ),
        },
    )


@transaction.atomic
def resume_subscription(
    *, subscription: WebhookSubscription, changed_by: AbstractBaseUser | None = None
) -> None:
    """Deliveries again, with a fresh count of failures; events of the pause are not replayed."""
    subscription.paused_at = None
    subscription.pause_reason = ""
    subscription.failures_in_row = 0
    _save(subscription, changed_by, check_url=False)


def send_test_event(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """Queue a `ping` to the subscription (once the caller's transaction commits)."""
    if subscription.is_paused:
        raise ValidationError(_("The subscription is paused: resume it first."), code="paused")
    data = {
        "subscription": subscription.pk,
        "message": _("A test event, sent on request."),
    }
    event_id, body = payload(Event.PING, data)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event=Event.PING, event_id=event_id, payload=body
    )
    transaction.on_commit(lambda: deliver([delivery]))
    return delivery


def retry_pause(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS * 2 ** (attempt - 1))


@transaction.atomic
def record_attempt(*, delivery: WebhookDelivery, outcome: Outcome) -> datetime.datetime | None:
    """Note one try; the moment of the next one, or None when the delivery is settled.

    A delivery that used every try counts against its subscription, which is paused after
    WEBHOOK_PAUSE_AFTER of them in a row; one that arrives clears the count.
    """
    # Read again under a lock: the subscription (and its log) may have gone meanwhile.
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
    if delivery is None:
        return None
    now = timezone.now()
    delivery.attempts = [
        *delivery.attempts,
        {
            "at": now.isoformat(),
            "status": outcome.status,
            "error": outcome.error,
            "duration_ms": outcome.duration_ms,
        },
    ]
    delivery.attempt_count = len(delivery.attempts)
    delivery.last_attempt_at = now
    delivery.next_attempt_at = None
    subscriptions = WebhookSubscription.objects.filter(pk=delivery.subscription_id)
    if outcome.delivered:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.save()
        # Bookkeeping, as a token's last use: no history entry for each delivery.
        subscriptions.exclude(failures_in_row=0).update(failures_in_row=0)
        return None
    if delivery.attempt_count < settings.WEBHOOK_ATTEMPTS:
        delivery.next_attempt_at = now + retry_pause(delivery.attempt_count)
        delivery.save()
        return delivery.next_attempt_at
    delivery.state = WebhookDelivery.State.FAILED
    delivery.save()
    subscriptions.update(failures_in_row=F("failures_in_row") + 1)
    subscription = subscriptions.select_for_update().select_related("token").get()
    if subscription.failures_in_row >= settings.WEBHOOK_PAUSE_AFTER:
        pause_subscription(
            subscription=subscription,
            reason=_("Paused after %(count)d failed deliveries in a row; the last answer: %(last)s")
            % {
                "count": subscription.failures_in_row,
                "last": outcome.error or f"HTTP {outcome.status}",
            },
        )
    return None


@transaction.atomic
def give_up(*, delivery: WebhookDelivery, reason: str) -> None:
    """A delivery that will not be tried (its subscription was paused meanwhile)."""
    delivery.state = WebhookDelivery.State.FAILED
    delivery.attempts = [
        *delivery.attempts,
        {"at": timezone.now().isoformat(), "status": None, "error": reason, "duration_ms": 0},
    ]
    delivery.attempt_count = len(delivery.attempts)
    delivery.next_attempt_at = None
    delivery.save()


def prune_deliveries(*, older_than: datetime.timedelta) -> int:
    """Forget settled deliveries older than `older_than` (the log of pending ones is kept);
    how many went. The log is the subscription's bookkeeping, not a record with a history."""
    before = timezone.now() - older_than
    deleted, _by_model = (
        WebhookDelivery.objects.filter(created__lt=before)
        .exclude(state=WebhookDelivery.State.PENDING)
        .delete()
    )
    return deleted
