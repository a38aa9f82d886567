"""Staff set up subscriptions in the admin, through the same services as the API."""

import pytest
from django.urls import reverse

from portal.models import WebhookDelivery, WebhookSubscription
from tests.factories import WEBHOOK_URL, StaffUserFactory, api_token, webhook_subscription

pytestmark = pytest.mark.django_db

ADD = "admin:portal_webhooksubscription_add"


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffUserFactory(is_superuser=True, username="admin"))
    return client


def form(token, **changes) -> dict:
    return {
        "token": token.pk,
        "url": WEBHOOK_URL,
        "description": "Member map",
        "events": ["membership.started", "membership.ended"],
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "deliveries-MIN_NUM_FORMS": "0",
        "deliveries-MAX_NUM_FORMS": "0",
        **changes,
    }


def test_staff_add_a_subscription_with_its_secret_and_history(superuser_client):
    token = api_token(name="Member map site")

    response = superuser_client.post(reverse(ADD), form(token))

    assert response.status_code == 302, response.context["adminform"].form.errors
    subscription = WebhookSubscription.objects.get()
    assert (subscription.token, subscription.events) == (
        token,
        ["membership.started", "membership.ended"],
    )
    assert subscription.secret.startswith("whsec_")
    assert subscription.history.get().history_user.username == "admin"
    page = superuser_client.get(
        reverse("admin:portal_webhooksubscription_change", args=[subscription.pk])
    )
    assert subscription.secret in page.text
    assert "Send a test event" in page.text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://192.168.1.1/hooks", "192.168.1.1 is a private address."),
        ("http://93.184.215.14/hooks", "The address must start with https://."),
    ],
)
def test_an_internal_address_is_a_field_error(superuser_client, url, message):
    response = superuser_client.post(reverse(ADD), form(api_token(), url=url))

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["url"]
    assert error.endswith(message)
    assert not WebhookSubscription.objects.exists()


def test_the_test_button_sends_a_ping(
    superuser_client, receiver, django_capture_on_commit_callbacks
):
    subscription = webhook_subscription()
    url = reverse("admin:portal_webhooksubscription_test", args=[subscription.pk])

    assert superuser_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, follow=True)

    assert "A test event is on its way" in response.text
    assert receiver.events == ["ping"]
    assert WebhookDelivery.objects.get().state == "delivered"


def test_staff_resume_a_paused_subscription_and_replace_its_secret(superuser_client):
    from portal.webhooks.services import pause_subscription

    subscription = webhook_subscription()
    old_secret = subscription.secret
    pause_subscription(subscription=subscription, reason="Failing")
    changelist = reverse("admin:portal_webhooksubscription_changelist")

    superuser_client.post(changelist, {"action": "resume", "_selected_action": [subscription.pk]})
    superuser_client.post(
        changelist, {"action": "rotate_secret", "_selected_action": [subscription.pk]}
    )

    subscription.refresh_from_db()
    assert (subscription.is_paused, subscription.pause_reason) == (False, "")
    assert subscription.secret != old_secret


def test_the_delivery_log_is_read_only(superuser_client):
    from tests.factories import webhook_delivery

    delivery = webhook_delivery()

    page = superuser_client.get(reverse("admin:portal_webhookdelivery_change", args=[delivery.pk]))

    assert page.status_code == 200
    assert "2026-01-05T10:00:00+00:00 — 500" in page.text
    assert 'name="_save"' not in page.text
