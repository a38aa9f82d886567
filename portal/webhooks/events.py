"""Announcing an event: the payload, and a delivery for each subscription that wants it.

An event is announced once the transaction of the save commits: a rolled-back save
announces nothing. Its payload is written when the record is saved (a deleted record is not
there to read later) and sent as it is at each try.
"""

import logging
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute

from .models import WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)


def payload(event: str, data: dict) -> tuple[uuid.UUID, dict]:
    event_id = uuid.uuid4()
    return event_id, {
        "id": str(event_id),
        "type": str(event),
        "created": timezone.now().isoformat(),
        "data": data,
    }


def record_data(record, *, resource: str, view_name: str, lookup: str = "slug") -> dict:
    """What an event says of a record: where to read it in the API."""
    value = getattr(record, lookup)
    return {
        "resource": resource,
        "id": record.pk,
        "slug": getattr(record, "slug", "") or "",
        "url": absolute(reverse(view_name, kwargs={lookup: value})),
    }


def announce(event: str, data: dict) -> None:
    """Queue `event` for its subscribers once the current transaction commits."""
    transaction.on_commit(lambda: fan_out(event, data))


def fan_out(event: str, data: dict) -> list[WebhookDelivery]:
    """One delivery per active subscription that wants `event`, each queued for the worker."""
    try:
        subscriptions = [
            subscription
            for subscription in WebhookSubscription.objects.active().only("pk", "events")
            if subscription.wants(event)
        ]
        if not subscriptions:
            return []
        event_id, body = payload(event, data)
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(subscription=subscription, event=event, event_id=event_id, payload=body)
            for subscription in subscriptions
        )
    except Exception:  # the save is done; a lost announcement is logged, never raised
        logger.exception("Could not record the deliveries of %s %s", event, data)
        return []
    deliver(deliveries)
    return deliveries


def deliver(deliveries: Iterable[WebhookDelivery]) -> None:
    from .tasks import deliver_webhook

    for delivery in deliveries:
        try:
            deliver_webhook.enqueue(delivery_id=delivery.pk)
        except Exception:  # the queue is down: the delivery stays pending in the log
            logger.exception("Could not queue the webhook delivery %s", delivery.pk)
