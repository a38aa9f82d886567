"""A delivery: signed, tried again after a failure, and a subscription paused after many.

The task runs at once here (TASKS_BACKEND=immediate); tests/webhooks/test_worker.py runs the
same through a real worker and a real receiver.
"""

import json

import pytest
from django.test import override_settings

from portal.models import WebhookDelivery, WebhookSubscription
from portal.webhooks import tasks
from portal.webhooks.sending import Outcome
from portal.webhooks.services import resume_subscription, send_test_event
from portal.webhooks.signing import verify
from tests.factories import StaffUserFactory, bilateral_agreement, webhook_subscription

pytestmark = pytest.mark.django_db


def test_a_delivery_is_signed_with_the_subscriptions_secret(
    receiver, django_capture_on_commit_callbacks
):
    subscription = webhook_subscription()

    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_test_event(subscription=subscription)

    ((url, payload, headers),) = receiver.requests
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(headers["Portal-Signature"].split(",")[0].removeprefix("t="))
    assert url == subscription.url
    assert verify(subscription.secret, headers["Portal-Signature"], body, now=timestamp)
    assert headers["Portal-Event"] == "ping"
    assert headers["Portal-Delivery"] == str(delivery.uuid)
    assert payload["type"] == "ping"
    assert payload["id"] == str(delivery.event_id)
    assert payload["data"]["subscription"] == subscription.pk
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempt_count, delivery.attempts[0]["status"]) == (
        "delivered",
        1,
        200,
    )


@override_settings(WEBHOOK_ATTEMPTS=3, WEBHOOK_PAUSE_AFTER=5)
def test_a_failed_try_is_tried_again_until_it_arrives(receiver, django_capture_on_commit_callbacks):
    subscription = webhook_subscription()
    receiver.statuses = [500, 503]

    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_test_event(subscription=subscription)

    delivery.refresh_from_db()
    assert [attempt["status"] for attempt in delivery.attempts] == [500, 503, 200]
    assert delivery.state == WebhookDelivery.State.DELIVERED
    # The same event each time, with a fresh signature.
    assert len({payload["id"] for payload in receiver.payloads}) == 1
    subscription.refresh_from_db()
    assert subscription.failures_in_row == 0


@override_settings(WEBHOOK_ATTEMPTS=2, WEBHOOK_PAUSE_AFTER=2)
def test_repeated_failures_pause_the_subscription_and_staff_are_told(
    receiver, django_capture_on_commit_callbacks, mailoutbox
):
    StaffUserFactory(is_superuser=True, email="webmaster@iasp.example")
    subscription = webhook_subscription(description="Member map")
    receiver.statuses = [500] * 10

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_test_event(subscription=subscription)

    subscription.refresh_from_db()
    assert subscription.is_paused
    assert subscription.pause_reason == (
        "Paused after 2 failed deliveries in a row; the last answer: HTTP 500"
    )
    assert len(receiver.requests) == 4
    assert list(WebhookDelivery.objects.values_list("state", flat=True)) == ["failed", "failed"]
    (message,) = mailoutbox
    assert message.to == ["webmaster@iasp.example"]
    assert message.subject == "[IASP] Webhook paused: Member map"
    assert "Paused after 2 failed deliveries in a row" in message.body

    # Paused: nothing more is sent, until it is resumed.
    with django_capture_on_commit_callbacks(execute=True):
        bilateral_agreement()
    assert len(receiver.requests) == 4

    resume_subscription(subscription=subscription)
    receiver.statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        bilateral_agreement()
    assert receiver.events[-1] == "agreement.published"
    assert WebhookSubscription.objects.get().failures_in_row == 0


def test_a_delivery_queued_before_a_pause_is_not_sent(receiver):
    from portal.webhooks.events import payload
    from portal.webhooks.services import pause_subscription

    subscription = webhook_subscription()
    event_id, body = payload("ping", {})
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="ping", event_id=event_id, payload=body
    )
    pause_subscription(subscription=subscription, reason="By hand")

    assert tasks.deliver_webhook.call(delivery_id=delivery.pk) == "paused"

    delivery.refresh_from_db()
    assert receiver.requests == []
    assert delivery.state == "failed"
    assert delivery.attempts[0]["error"] == "Not sent: the subscription is paused."


def test_an_internal_address_is_refused_at_delivery_time(monkeypatch):
    """A host that resolved to a public address when saved and to loopback now: refused."""
    from portal.webhooks import addresses, sending

    subscription = webhook_subscription()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url="https://rebind.example/")

    def loopback(host, port, *args, **kwargs):
        return [(2, 1, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", loopback)

    outcome = sending.post("https://rebind.example/", b"{}", {})

    assert outcome == Outcome(
        None,
        "Deliveries go to public addresses only: 127.0.0.1 is a loopback address.",
        outcome.duration_ms,
    )


def test_a_queue_that_is_down_costs_the_delivery_not_the_save(
    receiver, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    class DownQueue:
        def enqueue(self, **kwargs):
            raise ConnectionError("the queue's database is gone")

    webhook_subscription()
    monkeypatch.setattr(tasks, "deliver_webhook", DownQueue())

    with django_capture_on_commit_callbacks(execute=True):
        agreement = bilateral_agreement()

    assert agreement.pk is not None
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().state == "pending"
    assert "Could not queue the webhook delivery" in caplog.text


def test_a_subscription_deleted_during_a_try_ends_the_delivery_quietly(monkeypatch):
    from portal.webhooks.services import delete_subscription

    subscription = webhook_subscription()
    delivery = send_test_event(subscription=subscription)

    def deleted_meanwhile(url, body, headers):
        delete_subscription(subscription=WebhookSubscription.objects.get())
        return Outcome(500, "", 4)

    monkeypatch.setattr(tasks, "post", deleted_meanwhile)

    assert tasks.deliver_webhook.call(delivery_id=delivery.pk) == "failed"
    assert not WebhookDelivery.objects.exists()


def test_pausing_does_not_resolve_the_address_again(monkeypatch, mailoutbox):
    from portal.webhooks import addresses
    from portal.webhooks.services import pause_subscription, resume_subscription, rotate_secret

    subscription = webhook_subscription()

    def no_dns(*args, **kwargs):
        raise AssertionError("resolved again")

    monkeypatch.setattr(addresses, "check", no_dns)
    pause_subscription(subscription=subscription, reason="Failing")
    resume_subscription(subscription=subscription)
    rotate_secret(subscription=subscription)

    assert WebhookSubscription.objects.get().is_paused is False


def test_old_settled_deliveries_are_pruned():
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    subscription = webhook_subscription()
    old = timezone.now() - datetime.timedelta(days=120)
    from tests.factories import webhook_delivery

    kept_pending = webhook_delivery(subscription=subscription, created=old)
    kept_recent = webhook_delivery(subscription=subscription, state="failed")
    webhook_delivery(subscription=subscription, created=old, state="failed")

    call_command("prune_webhook_deliveries", "--days", "90", verbosity=0)

    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {
        kept_pending.pk,
        kept_recent.pk,
    }
