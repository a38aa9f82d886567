"""An agreement's life: each party's signature, entry into force, expiry, termination, the
status these dates give, amendments and renewals as a chain."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.models import Agreement
from agreements.network import cooperation_network
from agreements.services import (
    create_agreement,
    refresh_agreement_statuses,
    update_agreement,
)
from tests.agreements.confirmation_support import two_parks
from tests.factories import AgreementFactory, OrganisationFactory, agreement_between

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 15)
PAST = datetime.date(2030, 1, 1)
LATER = datetime.date(2031, 1, 1)
YESTERDAY = datetime.date(2030, 6, 14)

S = Agreement.Status


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# Derived status: (stored status, entry into force, expiry, termination) -> status today.
STATUS_TABLE = [
    (S.DRAFT, PAST, LATER, None, S.DRAFT),
    (S.DRAFT, None, YESTERDAY, None, S.DRAFT),
    (S.SIGNED, None, None, None, S.SIGNED),
    (S.ACTIVE, None, None, None, S.ACTIVE),
    (S.SIGNED, LATER, None, None, S.SIGNED),
    (S.ACTIVE, LATER, None, None, S.SIGNED),
    (S.SIGNED, TODAY, None, None, S.ACTIVE),
    (S.SIGNED, PAST, LATER, None, S.ACTIVE),
    (S.SIGNED, PAST, TODAY, None, S.ACTIVE),
    (S.ACTIVE, PAST, YESTERDAY, None, S.EXPIRED),
    (S.SIGNED, None, YESTERDAY, None, S.EXPIRED),
    (S.ACTIVE, PAST, LATER, TODAY, S.TERMINATED),
    (S.ACTIVE, PAST, LATER, LATER, S.ACTIVE),
    (S.EXPIRED, PAST, YESTERDAY, PAST, S.TERMINATED),
    # Recorded before the dates were kept: the stored status stands.
    (S.TERMINATED, PAST, LATER, None, S.TERMINATED),
    (S.EXPIRED, PAST, None, None, S.EXPIRED),
    (S.EXPIRED, None, None, None, S.EXPIRED),
]


@pytest.mark.parametrize(("stored", "effective", "expires", "terminated", "expected"), STATUS_TABLE)
def test_derived_status_follows_the_dates(stored, effective, expires, terminated, expected):
    agreement = AgreementFactory(
        status=stored,
        signed_on=datetime.date(2029, 12, 1),
        effective_on=effective,
        expires_on=expires,
        terminated_on=terminated,
        termination_reason="Ended by consent." if terminated else "",
    )

    assert agreement.derived_status(TODAY) == expected
    # The same rules in SQL, as the daily refresh reads them.
    annotated = Agreement.objects.with_derived_status(TODAY).get(pk=agreement.pk)
    assert annotated.derived_status == expected


# Constraints: the database refuses the bad states, the model's check names the field.

BAD_STATES = [
    ({"terminated_on": PAST}, "terminated_on", "termination_reason"),
    ({"termination_reason": "Ended."}, "termination_reason", "terminated_on"),
    (
        {"effective_on": TODAY, "terminated_on": PAST, "termination_reason": "Ended."},
        "agreement_terminated_after_entry_into_force",
        "terminated_on",
    ),
    (
        {"signed_on": TODAY, "terminated_on": PAST, "termination_reason": "Ended."},
        "agreement_terminated_after_signature",
        "terminated_on",
    ),
    ({"relation": Agreement.Relation.RENEWS}, "agreement_follows_with_relation", "follows"),
]


@pytest.mark.parametrize(("values", "constraint", "field"), BAD_STATES)
def test_bad_life_states_are_refused_by_the_database_and_named_by_the_model(
    values, constraint, field
):
    agreement = AgreementFactory()
    for name, value in values.items():
        setattr(agreement, name, value)

    with pytest.raises(ValidationError) as excinfo:
        agreement.full_clean()
    assert field in excinfo.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(**values)


def test_an_agreement_cannot_follow_itself_in_the_database():
    agreement = AgreementFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(
            follows=agreement, relation=Agreement.Relation.AMENDS
        )


def test_a_draft_cannot_be_terminated():
    agreement = AgreementFactory(status=S.DRAFT, signed_on=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(
            terminated_on=PAST, termination_reason="Ended."
        )


# Services


def test_create_agreement_takes_the_last_party_signature_as_the_conclusion():
    park_a, park_b = OrganisationFactory(), OrganisationFactory()

    agreement = create_agreement(
        title="Alpha and Beta",
        kind=Agreement.Kind.MOU,
        parties=[park_a, park_b],
        party_dates={park_a.pk: day("2024-03-01"), park_b.pk: day("2024-03-20")},
        effective_on=day("2024-04-01"),
        expires_on=day("2099-03-31"),
    )

    assert agreement.signed_on == day("2024-03-20")
    assert agreement.status == S.ACTIVE
    assert [p.signed_on for p in agreement.parties.all()] == [
        day("2024-03-01"),
        day("2024-03-20"),
    ]


def test_a_party_signing_after_the_conclusion_is_refused():
    park_a, park_b = OrganisationFactory(), OrganisationFactory()

    with pytest.raises(ValidationError) as excinfo:
        create_agreement(
            title="Alpha and Beta",
            kind=Agreement.Kind.MOU,
            parties=[park_a, park_b],
            signed_on=day("2024-03-01"),
            party_dates={park_a.pk: day("2024-03-05")},
        )

    assert excinfo.value.message_dict == {
        "parties": ["A party cannot sign after the agreement was concluded (2024-03-01)."]
    }


def test_update_agreement_refuses_a_chain_that_loops():
    first = agreement_between(OrganisationFactory(), OrganisationFactory())
    second = agreement_between(
        *first.party_organisations, follows=first, relation=Agreement.Relation.RENEWS
    )

    with pytest.raises(ValidationError) as excinfo:
        update_agreement(agreement=first, follows=second, relation=Agreement.Relation.RENEWS)

    assert excinfo.value.message_dict == {
        "follows": ["That agreement already amends or renews this one."]
    }


def test_update_agreement_moves_the_status_when_the_termination_is_recorded():
    agreement = agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        signed_on=day("2023-12-01"),
        effective_on=day("2024-01-01"),
    )

    update_agreement(
        agreement=agreement, terminated_on=day("2025-02-01"), termination_reason="Withdrawn."
    )

    agreement.refresh_from_db()
    assert agreement.status == S.TERMINATED
    assert agreement.history.first().status == S.TERMINATED


# The daily refresh


def test_refresh_moves_the_agreements_whose_dates_passed_and_keeps_history():
    expiring = agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        status=S.ACTIVE,
        effective_on=PAST,
        expires_on=YESTERDAY,
    )
    starting = agreement_between(
        OrganisationFactory(), OrganisationFactory(), status=S.SIGNED, effective_on=TODAY
    )
    untouched = agreement_between(OrganisationFactory(), OrganisationFactory(), status=S.SIGNED)

    moved = refresh_agreement_statuses(today=TODAY)

    assert sorted(a.slug for a in moved) == sorted([expiring.slug, starting.slug])
    expiring.refresh_from_db()
    starting.refresh_from_db()
    untouched.refresh_from_db()
    assert (expiring.status, starting.status, untouched.status) == (S.EXPIRED, S.ACTIVE, S.SIGNED)
    entry = expiring.history.first()
    assert (entry.status, entry.history_change_reason) == (S.EXPIRED, "Daily status refresh")
    # A second run the same day changes nothing.
    assert refresh_agreement_statuses(today=TODAY) == []


def test_refresh_command_says_what_it_moved():
    agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        slug="old-one",
        status=S.ACTIVE,
        effective_on=day("2001-01-01"),
        expires_on=day("2002-01-01"),
    )
    out = StringIO()

    call_command("refresh_agreement_statuses", stdout=out)

    assert out.getvalue() == "  old-one: Expired\n1 agreement(s) moved.\n"
    assert Agreement.objects.get(slug="old-one").status == S.EXPIRED


# The chain on the page, in the API, in the network


@pytest.fixture
def chain():
    park_a, park_b = OrganisationFactory(name="Alpha Park"), OrganisationFactory(name="Beta Park")
    first = agreement_between(
        park_a, park_b, title="First", slug="first", signed_on=day("2015-01-10")
    )
    amendment = agreement_between(
        park_a,
        park_b,
        title="Amendment",
        slug="amendment",
        signed_on=day("2016-05-01"),
        follows=first,
        relation=Agreement.Relation.AMENDS,
    )
    hidden = agreement_between(
        park_a,
        park_b,
        title="Hidden renewal",
        slug="hidden",
        signed_on=day("2019-01-01"),
        is_public=False,
        follows=first,
        relation=Agreement.Relation.RENEWS,
    )
    renewal = agreement_between(
        park_a,
        park_b,
        title="Renewal",
        slug="renewal",
        signed_on=day("2020-01-10"),
        follows=hidden,
        relation=Agreement.Relation.RENEWS,
    )
    return first, amendment, hidden, renewal


def test_page_shows_the_chain_in_order_without_private_links(client, chain):
    first, amendment, _hidden, renewal = chain

    page = client.get(first.get_absolute_url()).content.decode()

    assert "Amendments and renewals" in page
    assert '<strong aria-current="page">First</strong>' in page
    assert f'<a href="{amendment.get_absolute_url()}">Amendment</a>' in page
    assert f'<a href="{renewal.get_absolute_url()}">Renewal</a>' in page
    assert "Hidden renewal" not in page
    assert page.index(">First<") < page.index(">Amendment<") < page.index(">Renewal<")
    renewal_page = client.get(renewal.get_absolute_url()).content.decode()
    assert f'<a href="{first.get_absolute_url()}">First</a>' in renewal_page
    assert "Hidden renewal" not in renewal_page


def test_api_links_the_chain_both_ways_and_hides_private_links(staff_api_client, chain):
    api_client = APIClient()  # anonymous (the `api_client` fixture is the staff one here)

    body = api_client.get("/api/v1/agreements/first/").json()
    staff_body = staff_api_client.get("/api/v1/agreements/first/").json()

    assert [link["slug"] for link in body["amended_by"]] == ["amendment"]
    assert body["renewed_by"] == []
    assert [link["slug"] for link in staff_body["renewed_by"]] == ["hidden"]
    assert staff_body["renewed_by"][0]["url"] == "http://testserver/api/v1/agreements/hidden/"
    amendment_body = api_client.get("/api/v1/agreements/amendment/").json()
    assert amendment_body["amends"]["slug"] == "first"
    assert amendment_body["renews"] is None
    # The renewal of a private agreement: the link is left out for anyone but staff.
    assert api_client.get("/api/v1/agreements/renewal/").json()["renews"] is None
    assert staff_api_client.get("/api/v1/agreements/renewal/").json()["renews"]["slug"] == (
        "hidden"
    )


def test_network_counts_a_renewal_chain_once_and_no_amendment(chain):
    staff_view = cooperation_network(Agreement.objects.all(), limit=10)
    public = cooperation_network(Agreement.objects.public(), limit=10)

    assert [edge.agreement for edge in staff_view.edges] == ["renewal"]
    assert staff_view.agreement_count == 1
    assert [node.agreement_count for node in staff_view.nodes] == [1, 1]
    # Without the private renewal between them, the public chain is still one link.
    assert [edge.agreement for edge in public.edges] == ["renewal"]


def test_api_write_names_the_field_of_a_bad_termination(staff_api_client):
    agreement = agreement_between(
        OrganisationFactory(), OrganisationFactory(), slug="ended", effective_on=PAST
    )

    response = staff_api_client.patch(
        "/api/v1/agreements/ended/", {"terminated_on": "2030-01-02"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "Say why it was terminated.",
            "attr": "termination_reason",
        }
    ]
    agreement.refresh_from_db()
    assert agreement.terminated_on is None


def test_api_write_refuses_an_agreement_following_itself(staff_api_client):
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="self")

    response = staff_api_client.patch(
        "/api/v1/agreements/self/", {"follows": "self", "relation": "amends"}, format="json"
    )

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["follows"]


def test_page_explains_the_life_in_words(client):
    in_force = agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        status=S.ACTIVE,
        effective_on=day("2020-03-01"),
        expires_on=day("2099-02-28"),
    )
    ended = agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        status=S.TERMINATED,
        signed_on=day("2020-02-01"),
        effective_on=day("2020-03-01"),
        terminated_on=day("2021-06-30"),
        termination_reason="One party withdrew",
    )

    in_force_page = client.get(in_force.get_absolute_url()).content.decode()
    ended_page = client.get(ended.get_absolute_url()).content.decode()

    assert "In force since " in in_force_page
    assert '<time datetime="2099-02-28">28 February 2099</time>' in in_force_page
    assert "Terminated on " in ended_page
    assert ": One party withdrew" in ended_page


def test_page_shows_each_party_signature(client):
    agreement = agreement_between(OrganisationFactory(), OrganisationFactory())
    first = agreement.parties.first()
    first.signed_on = day("2025-09-12")
    first.save()

    page = client.get(agreement.get_absolute_url()).content.decode()

    assert 'Signed on <time datetime="2025-09-12">12 September 2025</time>' in page


# Members propose a renewal


def test_member_proposes_a_renewal_filled_in_from_the_agreement(client):
    park_a, alice, park_b, _bruno = two_parks()
    old = agreement_between(park_a, park_b, title="Alpha and Beta cooperate", slug="ab")
    client.force_login(alice)
    url = reverse("account:agreement-renew", kwargs={"slug": "ab"})

    form = client.get(url).context["form"]
    assert form.initial["title"] == "Alpha and Beta cooperate (renewal)"
    assert form.initial["other_parties"] == [park_b]

    response = client.post(
        url,
        {
            "organisation": park_a.pk,
            "other_parties": [park_b.pk],
            "kind": "cooperation",
            "title": "Alpha and Beta cooperate again",
            "signed_on": "2026-03-02",
            "others_signed_on": "2026-03-09",
            "effective_on": "2026-04-01",
            "expires_on": "2029-03-31",
        },
    )

    assert response.status_code == 302
    renewal = Agreement.objects.get(title="Alpha and Beta cooperate again")
    assert (renewal.follows, renewal.relation) == (old, Agreement.Relation.RENEWS)
    assert renewal.signed_on == day("2026-03-09")
    assert renewal.is_public is False
    assert {p.organisation: p.signed_on for p in renewal.parties.all()} == {
        park_a: day("2026-03-02"),
        park_b: day("2026-03-09"),
    }


def test_member_cannot_renew_an_agreement_of_others(client):
    _park_a, alice, _park_b, _bruno = two_parks()
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="theirs")
    client.force_login(alice)

    response = client.get(reverse("account:agreement-renew", kwargs={"slug": "theirs"}))

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_api_list_and_page_cost_the_same_queries_with_chains(
    client, django_assert_num_queries, rows
):
    api_client = APIClient()
    for number in range(rows):
        parks = OrganisationFactory(), OrganisationFactory()
        first = agreement_between(*parks, slug=f"first-{number}")
        agreement_between(
            *parks, slug=f"amends-{number}", follows=first, relation=Agreement.Relation.AMENDS
        )
        agreement_between(
            *parks, slug=f"renews-{number}", follows=first, relation=Agreement.Relation.RENEWS
        )

    # As without chains (test_api_agreement_queries.py): count, agreements with the one each
    # follows, parties, topics, documents, the agreements following them.
    with django_assert_num_queries(6):
        body = api_client.get("/api/v1/agreements/").json()
    assert body["count"] == 3 * rows
    # The page: the agreement with the one it follows, parties, topics, those following it;
    # and one query for the next step of its chain (none here).
    url = Agreement.objects.get(slug="first-0").get_absolute_url()
    with django_assert_num_queries(6):
        client.get(url)
