"""The removed feed, /api/v1/removed/: what left the lists, recorded once, from every path."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from conferences.services import set_publication
from core.models import Tombstone
from members.services import anonymise_person
from ops.backups.scope import backed_up_models
from tests.admin_support import admin_url
from tests.conferences.test_admin import conference_data_of
from tests.factories import (
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/removed/"


def feed(client, **params) -> list[tuple[str, int, str]]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [(row["resource"], row["id"], row["reason"]) for row in response.json()["results"]]


def delete(record) -> int:
    """Deletes the record; its id, which the deleted instance no longer holds."""
    pk = record.pk
    record.delete()
    return pk


def stones() -> list[tuple[str, int, str]]:
    return list(Tombstone.objects.values_list("resource", "object_id", "reason"))


# Each reason, once, whichever way the record left.


def test_conference_unpublished_in_the_admin_form(staff_client):
    conference = ConferenceFactory()

    response = staff_client.post(
        admin_url("conferences", "conference", "change", conference.pk),
        conference_data_of(conference),  # the "published" box left unticked
    )

    assert response.status_code == 302
    assert stones() == [("conferences", conference.pk, "unpublished")]


def test_conference_unpublished_by_the_bulk_action_once(staff_client):
    conference = ConferenceFactory()
    url = admin_url("conferences", "conference", "changelist")
    data = {"action": "unpublish", "_selected_action": [conference.pk]}

    staff_client.post(url, data)
    staff_client.post(url, data)  # already a draft: nothing more leaves

    assert stones() == [("conferences", conference.pk, "unpublished")]


def test_conference_unpublished_through_the_api(staff_api_client):
    conference = ConferenceFactory(slug="world-conference-40")

    response = staff_api_client.patch(
        "/api/v1/conferences/world-conference-40/", {"is_published": False}, format="json"
    )

    assert response.status_code == 200
    assert feed(APIClient()) == [("conferences", conference.pk, "unpublished")]


def test_a_draft_never_public_leaves_no_public_tombstone(staff_api_client):
    draft = ConferenceFactory(is_published=False)
    SessionFactory(conference=draft, is_published=True)
    draft.title = "Still a draft"
    draft.save()

    pk = draft.pk
    draft.delete()

    assert feed(APIClient()) == []
    # A staff mirror holds drafts: it is told of the deletion.
    assert ("conferences", pk, "deleted") in feed(staff_api_client)


def test_session_unpublished_and_deleted(api_client):
    session = SessionFactory(is_published=True)
    other = SessionFactory(conference=session.conference, is_published=True)

    set_publication(records=[session], published=False)
    other_pk = delete(other)

    assert feed(api_client) == [
        ("sessions", session.pk, "unpublished"),
        ("sessions", other_pk, "deleted"),
    ]


def test_unpublished_conference_lists_its_published_sessions(api_client):
    conference = ConferenceFactory()
    shown = SessionFactory(conference=conference, is_published=True)
    SessionFactory(conference=conference, is_published=False)

    set_publication(records=[conference], published=False)

    assert feed(api_client) == [
        ("conferences", conference.pk, "unpublished"),
        ("sessions", shown.pk, "unpublished"),
    ]
    # Its draft sessions changing or going tell nobody anything more.
    shown_pk = delete(shown)
    assert feed(api_client, resource="sessions") == [("sessions", shown_pk, "unpublished")]
    assert Tombstone.objects.get(resource="sessions", reason="deleted").was_public is False


def test_session_moved_to_a_draft_conference_leaves(api_client):
    session = SessionFactory(is_published=True)
    draft = ConferenceFactory(is_published=False)

    session.conference = draft
    session.save()
    session.conference = ConferenceFactory()  # published: back
    session.save()
    session.conference = draft
    session.save()

    assert feed(api_client) == [("sessions", session.pk, "unpublished")]


def test_deleted_conference_lists_its_sessions(api_client, staff_client):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference, is_published=True)

    response = staff_client.post(
        admin_url("conferences", "conference", "delete", conference.pk), {"post": "yes"}
    )

    assert response.status_code == 302
    assert sorted(feed(api_client)) == [
        ("conferences", conference.pk, "deleted"),
        ("sessions", session.pk, "deleted"),
    ]


def test_agreement_made_private_through_the_api(staff_api_client):
    agreement = bilateral_agreement(is_public=True)

    response = staff_api_client.patch(
        f"/api/v1/agreements/{agreement.slug}/", {"is_public": False}, format="json"
    )

    assert response.status_code == 200, response.content
    assert feed(APIClient()) == [("agreements", agreement.pk, "made_private")]


def test_agreement_back_to_draft_is_unpublished(api_client):
    agreement = bilateral_agreement(is_public=True)

    agreement.status = agreement.Status.DRAFT
    agreement.save()

    assert feed(api_client) == [("agreements", agreement.pk, "unpublished")]


def test_agreement_deleted_by_the_bulk_action(api_client, staff_client):
    agreement = bilateral_agreement(is_public=True)
    private = bilateral_agreement(is_public=False)
    data = {"action": "delete_selected", "_selected_action": [agreement.pk, private.pk]}

    response = staff_client.post(
        admin_url("agreements", "agreement", "changelist"), {**data, "post": "yes"}
    )

    assert response.status_code == 302
    assert feed(api_client) == [("agreements", agreement.pk, "deleted")]


def test_person_removed_by_the_admin_action(api_client, staff_client):
    person = PersonFactory(name="Ada Chen", slug="ada-chen")
    data = {"action": "remove_and_anonymise", "_selected_action": [person.pk], "confirmed": "yes"}

    staff_client.post(admin_url("members", "person", "changelist"), data)

    rows = api_client.get(URL).json()["results"]
    assert [(row["resource"], row["id"], row["reason"]) for row in rows] == [
        ("people", person.pk, "removed")
    ]
    # The slug the record has now: the name it carried is gone from here too.
    assert rows[0]["slug"] == f"removed-{person.pk}"


def test_person_removed_by_the_service_once(api_client, staff_user):
    person = PersonFactory()

    anonymise_person(person=person, approved_by=staff_user)
    person.refresh_from_db()
    person.job_title = "Retired"
    person.save()

    assert feed(api_client) == [("people", person.pk, "removed")]


def test_organisation_membership_and_topic_deleted(api_client):
    organisation = OrganisationFactory(slug="old-park")
    membership = MembershipFactory()
    topic = TopicFactory()

    topic_slug = topic.slug
    ids = [delete(record) for record in (organisation, membership, topic)]

    rows = api_client.get(URL).json()["results"]
    assert [(row["resource"], row["id"], row["slug"]) for row in rows] == [
        ("organisations", ids[0], "old-park"),
        ("memberships", ids[1], ""),
        ("topics", ids[2], topic_slug),
    ]


# Records that come back.


def test_republished_conference_is_listed_again_with_its_sessions(api_client):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference, is_published=True)
    set_publication(records=[conference], published=False)
    left = timezone.now()

    set_publication(records=[conference], published=True)

    # Nothing tells a mirror to drop them, and both are modified after they left.
    assert feed(api_client) == []
    conferences = api_client.get("/api/v1/conferences/", {"modified_since": left.isoformat()})
    sessions = api_client.get("/api/v1/sessions/", {"modified_since": left.isoformat()})
    assert [row["slug"] for row in conferences.json()["results"]] == [conference.slug]
    assert [row["id"] for row in sessions.json()["results"]] == [session.pk]


def test_a_session_published_again_in_a_draft_conference_stays_gone(api_client):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference, is_published=True)
    set_publication(records=[conference], published=False)

    set_publication(records=[session], published=False)
    set_publication(records=[session], published=True)

    assert ("sessions", session.pk, "unpublished") in feed(api_client)


def test_a_deletion_stays_when_the_id_is_seen_again(api_client):
    agreement = bilateral_agreement(is_public=True)
    agreement.is_public = False
    agreement.save()
    agreement.is_public = True
    agreement.save()
    pk = delete(agreement)

    assert feed(api_client) == [("agreements", pk, "deleted")]


# Who reads what.


def test_partner_reads_what_anonymous_callers_read(api_client, partner_client):
    conference = ConferenceFactory()
    set_publication(records=[conference], published=False)

    assert feed(partner_client) == [("conferences", conference.pk, "unpublished")]


def test_staff_are_told_of_deletions_only(staff_api_client):
    conference = ConferenceFactory()
    agreement = bilateral_agreement(is_public=True)
    person = PersonFactory()
    set_publication(records=[conference], published=False)
    agreement.is_public = False
    agreement.save()
    person.removed_at = timezone.now()
    person.save()
    topic = delete(TopicFactory())

    # Their lists still hold drafts, private agreements and removed people.
    assert feed(staff_api_client) == [("topics", topic, "deleted")]


# Parameters.


def test_since_and_resource_narrow_the_feed(api_client):
    first = delete(TopicFactory())
    middle = timezone.now()
    second = delete(OrganisationFactory())

    assert feed(api_client, since=middle.isoformat()) == [("organisations", second, "deleted")]
    assert feed(api_client, resource="topics") == [("topics", first, "deleted")]
    assert feed(api_client, since=(middle + datetime.timedelta(days=1)).date().isoformat()) == []


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-13-01"}, "since"),
        ({"since": "9999-12-31T23:59:59-23:00"}, "since"),
        ({"since": "2025-01-01\x00"}, "since"),
        ({"resource": "network"}, "resource"),
        ({"resource": "conference"}, "resource"),
        ({"modified_since": "2025-01-01"}, "modified_since"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api_client, params, name):
    response = api_client.get(URL, params)

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == [name]


def test_the_feed_is_paged_oldest_first_with_a_stable_order(api_client):
    moment = timezone.now()
    topics = [delete(TopicFactory()) for _ in range(3)]
    Tombstone.objects.update(removed_at=moment)  # the same moment: the id breaks the tie

    first = api_client.get(URL, {"page_size": 2}).json()
    second = api_client.get(URL, {"page_size": 2, "page": 2}).json()

    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == topics
    assert first["count"] == 3 and first["next"]


def test_the_feed_is_cached_and_conditional_like_other_lists(api_client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    TopicFactory().delete()
    first = api_client.get(URL)
    assert first.status_code == 200 and first["ETag"]

    again = api_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    OrganisationFactory().delete()
    fresh = api_client.get(URL)
    assert fresh.json()["count"] == 2


# Query budgets: the same for one row and many.


@pytest.mark.parametrize("rows", [1, 5])
def test_feed_query_budget(api_client, django_assert_num_queries, rows):
    for _ in range(rows):
        TopicFactory().delete()

    with django_assert_num_queries(2):  # count, page
        response = api_client.get(URL)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_feed_query_budget_for_staff(staff_api_client, django_assert_num_queries, rows):
    for _ in range(rows):
        TopicFactory().delete()
    staff_api_client.get(URL)  # the token and the permissions, loaded on the first call

    with django_assert_num_queries(3):  # token, count, page (a superuser: no permission read)
        response = staff_api_client.get(URL)

    assert len(response.json()["results"]) == rows


def test_tombstones_are_backed_up():
    """A restored portal still tells mirrors what left before the backup was made."""
    assert Tombstone in backed_up_models()
