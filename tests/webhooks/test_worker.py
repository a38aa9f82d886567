"""Webhooks end to end: a real `db_worker` process delivers to a real HTTP receiver on a
loopback port (allowed by WEBHOOK_ALLOWED_NETWORKS), and mails staff through a real SMTP
server (tests/webhook_support.py, tests/mail_support.py)."""

import json
import time

import pytest

from agreements.services.records import set_agreement_visibility
from portal.models import WebhookDelivery, WebhookSubscription
from portal.webhooks.services import send_test_event
from portal.webhooks.signing import verify
from tests.factories import StaffUserFactory, bilateral_agreement, webhook_subscription
from tests.mail_support import text_of

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.2)


def test_a_withdrawn_agreement_reaches_the_receiver_after_a_failure_and_the_removed_feed(
    webhook_worker, http_receiver, client
):
    agreement = bilateral_agreement(slug="lisbon-porto")
    subscription = webhook_subscription(
        url=http_receiver.url, events=["agreement.withdrawn", "agreement.changed"]
    )
    http_receiver.statuses = [500]  # the first try fails; the next one arrives

    set_agreement_visibility(agreements=[agreement], public=False, changed_by=None)

    failed, delivered = http_receiver.wait_for(2)
    for request in (failed, delivered):
        headers = request["headers"]
        timestamp = int(headers["Portal-Signature"].split(",")[0].removeprefix("t="))
        assert verify(
            subscription.secret, headers["Portal-Signature"], request["body"], now=timestamp
        )
        assert abs(time.time() - timestamp) < 60
        assert headers["Portal-Event"] == "agreement.withdrawn"
        assert headers["Content-Type"] == "application/json"
        assert request["path"] == "/hooks/portal"
    assert (failed["status"], delivered["status"]) == (500, 200)
    assert failed["body"] == delivered["body"]
    payload = json.loads(delivered["body"])
    assert payload["type"] == "agreement.withdrawn"
    assert (payload["data"]["id"], payload["data"]["slug"], payload["data"]["reason"]) == (
        agreement.pk,
        "lisbon-porto",
        "made_private",
    )
    wait_until(lambda: WebhookDelivery.objects.filter(state="delivered").exists())
    delivery = WebhookDelivery.objects.get()
    assert str(delivery.uuid) == delivered["headers"]["Portal-Delivery"]
    assert [attempt["status"] for attempt in delivery.attempts] == [500, 200]

    removed = client.get("/api/v1/removed/").json()["results"]
    assert [(row["resource"], row["slug"], row["reason"]) for row in removed] == [
        ("agreements", "lisbon-porto", "made_private")
    ]


def test_repeated_failures_pause_the_subscription_and_staff_are_mailed(
    webhook_worker, http_receiver, smtp_server
):
    StaffUserFactory(is_superuser=True, email="webmaster@iasp.example")
    subscription = webhook_subscription(url=http_receiver.url, description="Member map")
    http_receiver.statuses = [500] * 20

    send_test_event(subscription=subscription)
    send_test_event(subscription=subscription)

    (message,) = smtp_server.wait_for_mail_to("webmaster@iasp.example")
    assert message["Subject"] == "[IASP] Webhook paused: Member map"
    assert "Paused after 2 failed deliveries in a row; the last answer: HTTP 500" in text_of(
        message
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.is_paused
    assert len(http_receiver.requests) == 6  # two deliveries, three tries each
    assert sorted(WebhookDelivery.objects.values_list("state", flat=True)) == [
        "failed",
        "failed",
    ]
