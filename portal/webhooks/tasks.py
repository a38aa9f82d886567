"""Sending a delivery, run by the task worker (`manage.py db_worker`).

A receiver that is down, slow or answering an error costs a retry later, after a pause that
doubles at each try (as e-mail does, core/tasks.py), never the save that announced the event.
"""

import json
import logging
import time

from django.utils.translation import gettext as _
from django_tasks import task

from .models import WebhookDelivery
from .sending import post
from .services import give_up, record_attempt
from .signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature

logger = logging.getLogger(__name__)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


@task()
def deliver_webhook(*, delivery_id: int) -> str:
    """Try one delivery; on a failure, enqueue the next try after a growing pause."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return "settled"
    subscription = delivery.subscription
    if subscription.is_paused:
        give_up(delivery=delivery, reason=_("Not sent: the subscription is paused."))
        return "paused"
    body = body_of(delivery)
    headers = {
        SIGNATURE_HEADER: signature(subscription.secret, int(time.time()), body),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.uuid),
    }
    outcome = post(subscription.url, body, headers)
    next_try = record_attempt(delivery=delivery, outcome=outcome)
    if outcome.delivered:
        return "delivered"
    if next_try is None:
        logger.warning(
            "Gave up delivering %s to %s: %s",
            delivery.event,
            subscription.url,
            outcome.error or outcome.status,
        )
        return "failed"
    logger.info(
        "Delivering %s to %s failed (%s); trying again at %s",
        delivery.event,
        subscription.url,
        outcome.error or outcome.status,
        next_try.isoformat(),
    )
    retry = deliver_webhook
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=next_try)
    retry.enqueue(delivery_id=delivery_id)
    return "retrying"
