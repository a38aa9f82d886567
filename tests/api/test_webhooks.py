"""/api/v1/webhooks/: a token manages its own subscriptions and reads their delivery log."""

import pytest

from portal.models import WebhookDelivery, WebhookSubscription
from tests.api_support import error_attrs, errors
from tests.factories import WEBHOOK_URL, webhook_delivery, webhook_subscription

pytestmark = pytest.mark.django_db

LIST = "/api/v1/webhooks/"


def detail(subscription) -> str:
    return f"{LIST}{subscription.pk}/"


def test_anonymous_callers_are_refused(api_client):
    subscription = webhook_subscription()

    for response in (
        api_client.get(LIST),
        api_client.post(LIST, {"url": WEBHOOK_URL, "events": ["ping"]}, format="json"),
        api_client.get(detail(subscription)),
        api_client.post(f"{detail(subscription)}test/"),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_partner_creates_a_subscription_and_sees_its_secret_once(partner_client, partner_token):
    response = partner_client.post(
        LIST,
        {
            "url": WEBHOOK_URL,
            "events": ["agreement.published", "membership.started"],
            "description": "Our member map",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    subscription = WebhookSubscription.objects.get()
    assert subscription.token == partner_token
    assert body["secret"] == subscription.secret
    assert body["secret"].startswith("whsec_")
    assert (body["url"], body["events"], body["description"], body["paused"]) == (
        WEBHOOK_URL,
        ["agreement.published", "membership.started"],
        "Our member map",
        False,
    )
    read = partner_client.get(detail(subscription)).json()
    assert "secret" not in read
    assert read["id"] == subscription.pk


def test_a_token_sees_only_its_own_subscriptions(partner_client, partner_token):
    own = webhook_subscription(token=partner_token, description="Ours")
    other = webhook_subscription(description="Theirs")

    listed = partner_client.get(LIST).json()

    assert [row["description"] for row in listed["results"]] == ["Ours"]
    assert partner_client.get(detail(other)).status_code == 404
    assert (
        partner_client.patch(detail(other), {"description": "x"}, format="json").status_code == 404
    )
    assert partner_client.delete(detail(other)).status_code == 404
    assert partner_client.post(f"{detail(other)}test/").status_code == 404
    assert partner_client.get(f"{detail(other)}deliveries/").status_code == 404
    assert WebhookSubscription.objects.get(pk=other.pk).description == "Theirs"
    assert partner_client.get(detail(own)).status_code == 200


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"url": "https://10.0.0.7/hooks", "events": ["ping"]}, ["events"]),
        ({"url": "https://10.0.0.7/hooks", "events": ["agreement.published"]}, ["url"]),
        ({"url": "https://169.254.169.254/", "events": ["agreement.published"]}, ["url"]),
        ({"url": "http://93.184.215.14/hooks", "events": ["agreement.published"]}, ["url"]),
        ({"url": "not an address", "events": ["agreement.published"]}, ["url"]),
        ({"url": "https://a\x00b.example/", "events": ["agreement.published"]}, ["url", "url"]),
        ({"url": WEBHOOK_URL, "events": []}, ["events"]),
        ({"url": WEBHOOK_URL, "events": "agreement.published"}, ["events"]),
        ({"url": WEBHOOK_URL, "events": ["agreement.published"] * 2}, ["events"]),
        (
            {"url": WEBHOOK_URL, "events": ["agreement.published"], "description": "a\nb"},
            ["description"],
        ),
        ({"url": ["x"], "events": [{"a": 1}]}, ["url", "events"]),
        ({}, ["url", "events"]),
    ],
)
def test_hostile_input_is_a_400_naming_the_field(partner_client, payload, fields):
    response = partner_client.post(LIST, payload, format="json")

    assert error_attrs(response) == fields
    assert WebhookSubscription.objects.count() == 0


def test_the_address_refused_says_why(partner_client):
    response = partner_client.post(
        LIST, {"url": "https://127.0.0.1/hooks", "events": ["agreement.published"]}, format="json"
    )

    assert errors(response) == [("url", "address_refused")]
    assert response.json()["errors"][0]["detail"] == (
        "Deliveries go to public addresses only: 127.0.0.1 is a loopback address."
    )


def test_a_subscription_is_changed_and_deleted_with_its_history(partner_client, partner_token):
    subscription = webhook_subscription(token=partner_token)

    response = partner_client.patch(
        detail(subscription), {"events": ["conference.published"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["events"] == ["conference.published"]
    assert subscription.history.count() == 2

    assert partner_client.delete(detail(subscription)).status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert subscription.history.first().history_type == "-"


def test_rotating_the_secret_shows_the_new_one(partner_client, partner_token):
    subscription = webhook_subscription(token=partner_token)
    old = subscription.secret

    response = partner_client.post(f"{detail(subscription)}rotate-secret/")

    subscription.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["secret"] == subscription.secret != old


def test_a_test_event_is_queued_and_logged(partner_client, partner_token, receiver):
    subscription = webhook_subscription(token=partner_token)

    response = partner_client.post(f"{detail(subscription)}test/")

    assert response.status_code == 202
    assert response.json()["event"] == "ping"
    assert WebhookDelivery.objects.get().event == "ping"


def test_a_paused_subscription_is_resumed(partner_client, partner_token):
    from portal.webhooks.services import pause_subscription

    subscription = webhook_subscription(token=partner_token)
    pause_subscription(subscription=subscription, reason="Too many failures")
    assert errors(partner_client.post(f"{detail(subscription)}test/")) == [
        ("non_field_errors", "paused")
    ]

    response = partner_client.post(f"{detail(subscription)}resume/")

    assert response.status_code == 200
    assert (response.json()["paused"], response.json()["pause_reason"]) == (False, "")


def test_the_delivery_log_lists_the_tries(partner_client, partner_token):
    subscription = webhook_subscription(token=partner_token)
    delivery = webhook_delivery(subscription=subscription)

    body = partner_client.get(f"{detail(subscription)}deliveries/").json()

    (row,) = body["results"]
    assert row["id"] == str(delivery.uuid)
    assert (row["event"], row["state"], row["attempt_count"]) == (
        "agreement.published",
        "pending",
        1,
    )
    assert row["attempts"] == [
        {"at": "2026-01-05T10:00:00Z", "status": 500, "error": "", "duration_ms": 12}
    ]
    assert (
        partner_client.get(f"{detail(subscription)}deliveries/?state=delivered").json()["count"]
        == 0
    )
    assert error_attrs(partner_client.get(f"{detail(subscription)}deliveries/?state=lost")) == [
        "state"
    ]
    assert error_attrs(partner_client.get(f"{LIST}?colour=blue")) == ["colour"]


@pytest.mark.parametrize("path", ["abc/", "99999999999999999999999/", "0/"])
def test_a_malformed_id_is_a_404(partner_client, path):
    assert partner_client.get(f"{LIST}{path}").status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_list_query_count_is_fixed(partner_client, partner_token, django_assert_num_queries, rows):
    for _ in range(rows):
        webhook_subscription(token=partner_token)
    partner_client.get(LIST)  # the token's last use is recorded once a minute

    with django_assert_num_queries(3):  # the token, the count, the page
        response = partner_client.get(LIST)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_deliveries_query_count_is_fixed(
    partner_client, partner_token, django_assert_num_queries, rows
):
    subscription = webhook_subscription(token=partner_token)
    for _ in range(rows):
        webhook_delivery(subscription=subscription)
    partner_client.get(LIST)

    with django_assert_num_queries(4):  # the token, the subscription, the count, the page
        response = partner_client.get(f"{detail(subscription)}deliveries/")

    assert len(response.json()["results"]) == rows
