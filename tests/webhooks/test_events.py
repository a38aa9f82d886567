"""Which writes announce which events: only what the API shows, once the save commits."""

import datetime

import pytest
from django.db import transaction

from agreements.models import Agreement
from agreements.services.records import set_agreement_visibility
from conferences.services import set_publication
from core.mail import site_url
from members.models import Membership
from portal.models import WebhookDelivery
from tests.factories import (
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    bilateral_agreement,
    webhook_subscription,
)

pytestmark = pytest.mark.django_db

ALL_EVENTS = [
    "conference.published",
    "conference.changed",
    "conference.withdrawn",
    "agreement.published",
    "agreement.changed",
    "agreement.withdrawn",
    "membership.started",
    "membership.ended",
    "organisation.changed",
]


def agreement_events(receiver) -> list[str]:
    return [event for event in receiver.events if event.startswith("agreement.")]


@pytest.fixture
def subscribed(receiver):
    return webhook_subscription(events=ALL_EVENTS)


def test_a_draft_conference_is_not_announced(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conference = ConferenceFactory(is_published=False)
    with django_capture_on_commit_callbacks(execute=True):
        conference.title = "Still a draft"
        conference.save()

    assert receiver.events == []


def test_publishing_a_conference_is_announced_then_its_changes_and_withdrawal(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    conference = ConferenceFactory(is_published=False, slug="world-conference-2027")

    with django_capture_on_commit_callbacks(execute=True):
        set_publication(records=[conference], published=True)
    with django_capture_on_commit_callbacks(execute=True):
        conference.title = "World Conference 2027, Lisbon"
        conference.save()
    with django_capture_on_commit_callbacks(execute=True):
        set_publication(records=[conference], published=False)

    assert receiver.events == [
        "conference.published",
        "conference.changed",
        "conference.withdrawn",
    ]
    assert receiver.payloads[0]["data"] == {
        "resource": "conferences",
        "id": conference.pk,
        "slug": "world-conference-2027",
        "url": f"{site_url()}/api/v1/conferences/world-conference-2027/",
    }
    assert receiver.payloads[2]["data"]["reason"] == "unpublished"


def test_a_private_agreement_is_not_announced_and_making_it_public_is(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = bilateral_agreement(is_public=False)
    assert agreement_events(receiver) == []

    with django_capture_on_commit_callbacks(execute=True):
        set_agreement_visibility(agreements=[agreement], public=True, changed_by=None)

    assert agreement_events(receiver) == ["agreement.published"]


def test_an_agreement_made_private_is_withdrawn(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    agreement = bilateral_agreement(slug="lisbon-porto")

    with django_capture_on_commit_callbacks(execute=True):
        set_agreement_visibility(agreements=[agreement], public=False, changed_by=None)

    assert receiver.events == ["agreement.withdrawn"]
    data = receiver.payloads[0]["data"]
    assert (data["resource"], data["id"], data["slug"], data["reason"]) == (
        "agreements",
        agreement.pk,
        "lisbon-porto",
        "made_private",
    )
    assert data["url"] == f"{site_url()}/api/v1/agreements/lisbon-porto/"


def test_a_deleted_public_agreement_is_withdrawn(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    agreement = bilateral_agreement()

    with django_capture_on_commit_callbacks(execute=True):
        Agreement.objects.get(pk=agreement.pk).delete()

    assert receiver.events == ["agreement.withdrawn"]
    assert receiver.payloads[0]["data"]["reason"] == "deleted"


def test_membership_start_and_end_are_announced(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(slug="parque-tecnologico")
    with django_capture_on_commit_callbacks(execute=True):
        membership = MembershipFactory(
            organisation=organisation,
            status=Membership.Status.ACTIVE,
            started_on=datetime.date(2024, 1, 1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        membership.status = Membership.Status.FORMER
        membership.ended_on = datetime.date(2025, 12, 31)
        membership.save()

    assert receiver.events == ["membership.started", "membership.ended"]
    ended = receiver.payloads[1]["data"]
    assert ended["organisation"]["slug"] == "parque-tecnologico"
    assert (ended["status"], ended["started_on"], ended["ended_on"]) == (
        "former",
        "2024-01-01",
        "2025-12-31",
    )


def test_a_pending_membership_is_not_a_start(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(status=Membership.Status.PENDING)

    assert "membership.started" not in receiver.events


def test_a_rolled_back_save_announces_nothing(
    subscribed, receiver, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        bilateral_agreement()
        raise RuntimeError("the save failed")

    assert receiver.events == []
    assert WebhookDelivery.objects.count() == 0


def test_only_the_events_chosen_are_delivered(receiver, django_capture_on_commit_callbacks):
    webhook_subscription(events=["organisation.changed"])

    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(slug="tecnopolo")
        bilateral_agreement()

    assert set(receiver.events) == {"organisation.changed"}
    assert receiver.payloads[0]["data"]["slug"] == "tecnopolo"


def test_a_paused_subscription_gets_nothing(receiver, django_capture_on_commit_callbacks):
    from portal.webhooks.services import pause_subscription

    subscription = webhook_subscription()
    pause_subscription(subscription=subscription, reason="Down for maintenance")

    with django_capture_on_commit_callbacks(execute=True):
        bilateral_agreement()

    assert receiver.events == []
    assert WebhookDelivery.objects.count() == 0
