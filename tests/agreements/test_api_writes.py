"""Staff tokens record and change agreements through /api/v1/agreements/."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Agreement
from agreements.services import update_agreement
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:agreement-list")


def detail_url(slug: str) -> str:
    return reverse("api:agreement-detail", kwargs={"slug": slug})


def party_slugs(agreement: Agreement) -> list[str]:
    return [party.organisation.slug for party in agreement.parties.order_by("order")]


def topic_slugs(agreement: Agreement) -> list[str]:
    return sorted(agreement.topics.values_list("slug", flat=True))


def errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    return [(error["attr"], error["code"]) for error in response.json()["errors"]]


@pytest.fixture
def parks():
    return [OrganisationFactory(slug=slug) for slug in ("park-a", "park-b", "park-c")]


@pytest.fixture
def new_agreement(parks) -> dict:
    TopicFactory(slug="energy")
    TopicFactory(slug="health")
    ConferenceFactory(slug="beijing-2025")
    return {
        "title": "Park C and Park A cooperation",
        "kind": "mou",
        "signed_on": "2025-09-19",
        "signed_city": "Beijing",
        "signed_country": "CN",
        "signed_at_conference": "beijing-2025",
        "effective_on": "2025-10-01",
        "expires_on": "2028-09-30",
        "parties": ["park-c", "park-a"],
        "topics": ["energy", "health"],
        "summary": "Soft-landing for start-ups.",
        "source_url": "https://example.org/news/1",
    }


# Create


def test_agreement_create_records_it_with_parties_in_order_and_topics(
    staff_api_client, new_agreement
):
    response = staff_api_client.post(LIST_URL, new_agreement, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "park-c-and-park-a-cooperation"
    # In force since 1 October 2025: its dates make it active.
    assert body["status"] == "active"
    assert body["summary"] == "Soft-landing for start-ups."
    assert [party["organisation"]["slug"] for party in body["parties"]] == ["park-c", "park-a"]
    assert [topic["slug"] for topic in body["topics"]] == ["energy", "health"]
    assert body["signed_at_conference"]["slug"] == "beijing-2025"
    assert body["url"] == "http://testserver/api/v1/agreements/park-c-and-park-a-cooperation/"
    saved = Agreement.objects.get(slug="park-c-and-park-a-cooperation")
    assert party_slugs(saved) == ["park-c", "park-a"]
    assert topic_slugs(saved) == ["energy", "health"]
    assert saved.signed_at_conference.slug == "beijing-2025"
    assert (saved.effective_on, saved.expires_on) == (
        datetime.date(2025, 10, 1),
        datetime.date(2028, 9, 30),
    )
    assert saved.signed_country == "CN"
    assert saved.is_public is True


def test_agreement_create_without_a_date_is_a_draft_with_the_given_slug(staff_api_client, parks):
    response = staff_api_client.post(
        LIST_URL,
        {"title": "Talks", "slug": "talks-2026", "kind": "other", "parties": ["park-a", "park-b"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert Agreement.objects.get(slug="talks-2026").status == Agreement.Status.DRAFT


def test_agreement_create_private_is_seen_by_staff_only(staff_api_client, parks, client):
    response = staff_api_client.post(
        LIST_URL,
        {
            "title": "Quiet deal",
            "kind": "cooperation",
            "signed_on": "2025-01-01",
            "parties": ["park-a", "park-b"],
            "is_public": False,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["is_public"] is False
    assert client.get(detail_url("quiet-deal")).status_code == 404


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"parties": ["park-a"]}, [("parties", "too_few_parties")]),
        ({"parties": []}, [("parties", "too_few_parties")]),
        ({"parties": ["park-a", "park-b", "park-a"]}, [("parties", "duplicate_party")]),
        ({"parties": ["park-a", "no-such-park"]}, [("parties", "does_not_exist")]),
        ({"parties": "park-a"}, [("parties", "not_a_list")]),
        ({"topics": ["no-such-topic"]}, [("topics", "does_not_exist")]),
        (
            {"signed_at_conference": "no-such-conference"},
            [("signed_at_conference", "does_not_exist")],
        ),
        ({"signed_on": None, "status": "signed"}, [("signed_on", "invalid")]),
        ({"signed_on": "19/09/2025"}, [("signed_on", "invalid")]),
        ({"expires_on": "2025-01-01"}, [("expires_on", "invalid")]),
        ({"kind": "treaty"}, [("kind", "invalid_choice")]),
        ({"status": "lost"}, [("status", "invalid_choice")]),
        ({"signed_country": "XX"}, [("signed_country", "invalid_choice")]),
        ({"title": ""}, [("title", "blank")]),
        ({"slug": "not a slug"}, [("slug", "invalid")]),
        ({"title": "!!!"}, [("slug", "required")]),
        ({"source_url": "not a url"}, [("source_url", "invalid")]),
        # PostgreSQL refuses a NUL in a query: refused before the lookup.
        ({"parties": ["park-a", "park-b\x00"]}, [("parties", "invalid")]),
        ({"topics": ["\x00"]}, [("topics", "invalid")]),
        ({"signed_at_conference": "beijing\x00"}, [("signed_at_conference", "invalid")]),
        ({"slug": "a\x00"}, [("slug", "null_characters_not_allowed"), ("slug", "invalid")]),
        (
            {"title": "A\x00"},
            [("title", "control_characters"), ("title", "null_characters_not_allowed")],
        ),
    ],
)
def test_agreement_create_refuses_invalid_data_naming_the_field(
    staff_api_client, new_agreement, change, expected
):
    response = staff_api_client.post(LIST_URL, new_agreement | change, format="json")

    assert errors(response) == expected
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("field", ["title", "kind", "parties"])
def test_agreement_create_requires_the_essentials(staff_api_client, new_agreement, field):
    del new_agreement[field]

    response = staff_api_client.post(LIST_URL, new_agreement, format="json")

    assert errors(response) == [(field, "required")]


@pytest.mark.parametrize("given", [{}, {"slug": "taken"}])
def test_agreement_create_never_overwrites_an_agreement_with_the_same_slug(
    staff_api_client, new_agreement, given
):
    existing = agreement_between(
        OrganisationFactory(), OrganisationFactory(), title="Older", slug="taken"
    )
    new_agreement["title"] = "Taken"

    response = staff_api_client.post(LIST_URL, new_agreement | given, format="json")

    assert errors(response) == [("slug", "unique")]
    existing.refresh_from_db()
    assert existing.title == "Older"


def test_agreement_create_anonymous_is_401(api_client, new_agreement):
    response = api_client.post(LIST_URL, new_agreement, format="json")

    assert response.status_code == 401
    assert response.json()["type"] == "client_error"
    assert not Agreement.objects.exists()


def test_agreement_create_partner_token_is_403(partner_client, new_agreement):
    response = partner_client.post(LIST_URL, new_agreement, format="json")

    assert response.status_code == 403
    assert not Agreement.objects.exists()


# Update


@pytest.fixture
def existing(parks) -> Agreement:
    agreement = AgreementFactory(
        slug="a-b", title="A and B", signed_on=datetime.date(2024, 1, 1), summary="First text."
    )
    AgreementPartyFactory(
        agreement=agreement,
        organisation=parks[0],
        order=0,
        reference_number="A-1",
        signatory=PersonFactory(slug="signer"),
    )
    AgreementPartyFactory(agreement=agreement, organisation=parks[1], order=1)
    agreement.topics.add(TopicFactory(slug="solar"))
    return agreement


def test_agreement_patch_changes_only_what_is_sent(staff_api_client, existing):
    response = staff_api_client.patch(
        detail_url("a-b"), {"title": "A and B, renewed", "status": "active"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "A and B, renewed"
    assert body["status"] == "active"
    assert body["summary"] == "First text."
    existing.refresh_from_db()
    assert (existing.title, existing.status) == ("A and B, renewed", "active")
    assert party_slugs(existing) == ["park-a", "park-b"]
    assert topic_slugs(existing) == ["solar"]


def test_agreement_patch_parties_keeps_what_remaining_parties_had(staff_api_client, existing):
    response = staff_api_client.patch(
        detail_url("a-b"), {"parties": ["park-c", "park-a"]}, format="json"
    )

    assert response.status_code == 200, response.content
    parties = response.json()["parties"]
    assert [party["organisation"]["slug"] for party in parties] == ["park-c", "park-a"]
    assert parties[1]["reference_number"] == "A-1"
    assert parties[1]["signatory"]["slug"] == "signer"
    assert party_slugs(existing) == ["park-c", "park-a"]


def test_agreement_patch_topics_only_moves_modified_for_syncing(staff_api_client, existing):
    TopicFactory(slug="health")
    Agreement.objects.filter(pk=existing.pk).update(
        modified=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )

    response = staff_api_client.patch(detail_url("a-b"), {"topics": ["health"]}, format="json")

    assert response.status_code == 200
    assert [topic["slug"] for topic in response.json()["topics"]] == ["health"]
    existing.refresh_from_db()
    assert existing.modified.year > 2020
    assert topic_slugs(existing) == ["health"]


def test_agreement_put_replaces_the_record(staff_api_client, existing, new_agreement):
    response = staff_api_client.put(
        detail_url("a-b"), new_agreement | {"slug": "a-b-c"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "a-b-c"
    existing.refresh_from_db()
    assert existing.slug == "a-b-c"
    assert existing.title == "Park C and Park A cooperation"
    assert party_slugs(existing) == ["park-c", "park-a"]
    assert topic_slugs(existing) == ["energy", "health"]
    assert existing.expires_on == datetime.date(2028, 9, 30)


def test_agreement_put_leaves_out_nothing_required(staff_api_client, existing):
    response = staff_api_client.put(detail_url("a-b"), {"title": "Only a title"}, format="json")

    assert sorted(attr for attr, _code in errors(response)) == ["kind", "parties"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"parties": ["park-b"]}, [("parties", "too_few_parties")]),
        ({"parties": ["park-b", "park-b"]}, [("parties", "duplicate_party")]),
        ({"status": "signed", "signed_on": None}, [("signed_on", "invalid")]),
        ({"effective_on": "2026-01-01", "expires_on": "2025-01-01"}, [("expires_on", "invalid")]),
        ({"slug": "taken"}, [("slug", "unique")]),
        ({"topics": ["nope"]}, [("topics", "does_not_exist")]),
    ],
)
def test_agreement_patch_refuses_invalid_data_naming_the_field(
    staff_api_client, existing, change, expected
):
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="taken")

    response = staff_api_client.patch(detail_url("a-b"), change, format="json")

    assert errors(response) == expected
    existing.refresh_from_db()
    assert existing.slug == "a-b"
    assert party_slugs(existing) == ["park-a", "park-b"]


def test_agreement_patch_a_private_agreement_with_a_staff_token(staff_api_client, parks):
    agreement_between(*parks[:2], slug="hidden", is_public=False)

    response = staff_api_client.patch(detail_url("hidden"), {"is_public": True}, format="json")

    assert response.status_code == 200
    assert response.json()["is_public"] is True


@pytest.mark.parametrize("method", ["put", "patch"])
def test_agreement_update_anonymous_is_401_and_partner_403(
    api_client, partner_token, existing, method
):
    change = {"title": "Hijacked"}

    anonymous = getattr(api_client, method)(detail_url("a-b"), change, format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
    partner = getattr(api_client, method)(detail_url("a-b"), change, format="json")

    assert (anonymous.status_code, partner.status_code) == (401, 403)
    existing.refresh_from_db()
    assert existing.title == "A and B"


def test_agreement_delete_is_not_allowed(staff_api_client, existing):
    response = staff_api_client.delete(detail_url("a-b"))

    assert response.status_code == 405
    assert Agreement.objects.filter(pk=existing.pk).exists()


# The update service on its own


def test_update_agreement_writes_nothing_when_nothing_changes(existing, parks):
    before = Agreement.objects.get(pk=existing.pk).modified
    agreement = Agreement.objects.get(pk=existing.pk)

    update_agreement(
        agreement=agreement, title="A and B", parties=parks[:2], topics=list(existing.topics.all())
    )

    assert Agreement.objects.get(pk=existing.pk).modified == before


def test_update_agreement_refuses_fields_it_does_not_manage(existing):
    with pytest.raises(TypeError, match="document"):
        update_agreement(agreement=existing, document="x.pdf")
