"""The /api/v1/agreements/ list: filters, search, order, paging."""

import datetime

import pytest

from agreements.models import Agreement
from tests.agreements.agreement_api import LIST_URL, error_attrs, slugs
from tests.factories import (
    ConferenceFactory,
    DivisionFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db


# Filters


@pytest.fixture
def catalogue():
    """Four public agreements that each filter tells apart."""
    energy = TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    health = TopicFactory(slug="health")
    europe = DivisionFactory(slug="europe")
    beijing = ConferenceFactory(slug="beijing-2025")
    taguspark = OrganisationFactory(slug="taguspark", country="PT", division=europe)
    tecnopuc = OrganisationFactory(slug="tecnopuc", country="BR")
    step = OrganisationFactory(slug="cmu-step", country="TH")
    zpark = OrganisationFactory(slug="zpark", country="CN")
    agreement_between(
        taguspark,
        step,
        title="Smart agreement",
        slug="smart",
        signed_on=datetime.date(2024, 5, 1),
        topics=[energy],
        signed_at_conference=beijing,
    )
    agreement_between(
        taguspark,
        zpark,
        title="Old agreement",
        slug="old",
        signed_on=datetime.date(2019, 5, 1),
        status=Agreement.Status.EXPIRED,
        topics=[health],
    )
    agreement_between(
        tecnopuc,
        step,
        title="Kind agreement",
        slug="kind",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2023, 12, 31),
    )
    agreement_between(
        taguspark,
        step,
        zpark,
        title="Three parks",
        slug="three",
        signed_on=datetime.date(2024, 1, 1),
        status=Agreement.Status.ACTIVE,
        topics=[energy, health],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["kind", "old", "smart", "three"]),
        ({"party": "taguspark"}, ["old", "smart", "three"]),
        ({"party": ["taguspark", "cmu-step"]}, ["smart", "three"]),
        ({"party": ["taguspark", "cmu-step", "zpark"]}, ["three"]),
        ({"party": ["tecnopuc", "taguspark"]}, []),
        ({"year": "2024"}, ["smart", "three"]),
        ({"signed_after": "2023-12-31"}, ["kind", "smart", "three"]),
        ({"signed_before": "2023-12-31"}, ["kind", "old"]),
        ({"signed_after": "2024-01-01", "signed_before": "2024-01-01"}, ["three"]),
        ({"topic": "energy-efficiency"}, ["smart", "three"]),
        ({"status": "expired"}, ["old"]),
        ({"status": "active"}, ["three"]),
        ({"kind": "mou"}, ["kind"]),
        ({"conference": "beijing-2025"}, ["smart"]),
        ({"country": "BR"}, ["kind"]),
        ({"country": "CN"}, ["old", "three"]),
        ({"year": "2024", "topic": "health"}, ["three"]),
    ],
)
def test_agreement_list_filter_narrows_the_list(api_client, catalogue, query, expected):
    response = api_client.get(LIST_URL, query)

    assert sorted(slugs(response)) == expected


def test_agreement_list_two_parties_gives_exactly_the_agreements_between_them(api_client):
    a, b, c = (OrganisationFactory(slug=slug) for slug in ("park-a", "park-b", "park-c"))
    agreement_between(a, b, slug="a-b")
    agreement_between(b, a, c, slug="b-a-c")
    agreement_between(a, c, slug="a-c")
    agreement_between(b, c, slug="b-c")

    response = api_client.get(LIST_URL, {"party": ["park-a", "park-b"]})

    assert sorted(slugs(response)) == ["a-b", "b-a-c"]
    assert response.json()["count"] == 2


def test_agreement_list_country_with_two_parties_there_lists_the_agreement_once(api_client):
    agreement_between(OrganisationFactory(country="BR"), OrganisationFactory(country="BR"))

    response = api_client.get(LIST_URL, {"country": "BR"})

    assert response.json()["count"] == 1


def test_agreement_list_existing_slugs_without_public_agreements_give_an_empty_list(api_client):
    """Unlike the page's choices, the API accepts any organisation, topic or conference."""
    loner = OrganisationFactory(slug="loner")
    private_party = OrganisationFactory(slug="private-party")
    agreement_between(private_party, OrganisationFactory(), is_public=False)
    TopicFactory(slug="unused")
    ConferenceFactory(slug="no-signing")
    agreement_between(OrganisationFactory(), OrganisationFactory())

    for query in (
        {"party": "loner"},
        {"party": "private-party"},
        {"party": ["loner", "private-party"]},
        {"topic": "unused"},
        {"conference": "no-signing"},
    ):
        response = api_client.get(LIST_URL, query)
        assert response.status_code == 200, query
        assert response.json() == {
            "count": 0,
            "count_capped": False,
            "next": None,
            "previous": None,
            "results": [],
        }
    assert loner.pk


def test_agreement_list_party_filter_finds_private_agreements_for_staff(staff_api_client):
    party = OrganisationFactory(slug="private-party")
    agreement_between(party, OrganisationFactory(), slug="secret", is_public=False)

    response = staff_api_client.get(LIST_URL, {"party": "private-party"})

    assert slugs(response) == ["secret"]


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ({"party": "no-such-park"}, "party"),
        ({"party": ["park-a", "no-such-park"]}, "party"),
        ({"party": "park\x00a"}, "party"),
        ({"topic": "\x00"}, "topic"),
        ({"search": "park\x00"}, "search"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"conference": "no-such-conference"}, "conference"),
        ({"year": "last"}, "year"),
        ({"year": "1066"}, "year"),
        ({"signed_after": "2025-13-01"}, "signed_after"),
        ({"signed_before": "yesterday"}, "signed_before"),
        ({"status": "lost"}, "status"),
        ({"kind": "treaty"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"ordering": "party"}, "ordering"),
        ({"expand": "signatories"}, "expand"),
        ({"modified_since": "soon"}, "modified_since"),
        ({"page_size": "0"}, "page_size"),
        ({"parties": "park-a"}, "parties"),
        ({"format": "xml"}, "format"),
    ],
)
def test_agreement_list_refuses_a_bad_parameter_naming_it(api_client, query, attr):
    OrganisationFactory(slug="park-a")

    response = api_client.get(LIST_URL, query)

    assert error_attrs(response) == [attr]


def test_agreement_list_modified_since_keeps_the_changed_ones(api_client):
    old = agreement_between(OrganisationFactory(), OrganisationFactory(), slug="old")
    Agreement.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="new")

    response = api_client.get(LIST_URL, {"modified_since": "2021-01-01T00:00:00Z"})

    assert slugs(response) == ["new"]


# Search, order, paging


def test_agreement_list_search_looks_in_title_summary_and_party_names(api_client):
    lisbon = OrganisationFactory(name="Lisbon Science Park")
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="t", title="Solar pact")
    agreement_between(
        OrganisationFactory(), OrganisationFactory(), slug="s", summary="Solar start-ups."
    )
    agreement_between(lisbon, OrganisationFactory(name="Lisbon Tech Hub"), slug="p")
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="other", title="Wind")

    assert sorted(slugs(api_client.get(LIST_URL, {"search": "solar"}))) == ["s", "t"]
    # Two parties match: the agreement is listed once.
    response = api_client.get(LIST_URL, {"search": "Lisbon"})
    assert slugs(response) == ["p"]
    assert response.json()["count"] == 1
    assert slugs(api_client.get(LIST_URL, {"search": "lisbon hub"})) == ["p"]


def test_agreement_list_default_order_is_newest_signed_first(api_client):
    for slug, year in (("middle", 2022), ("newest", 2025), ("oldest", 2019)):
        agreement_between(
            OrganisationFactory(),
            OrganisationFactory(),
            slug=slug,
            signed_on=datetime.date(year, 1, 1),
        )

    assert slugs(api_client.get(LIST_URL)) == ["newest", "middle", "oldest"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("signed_on", ["b", "c", "a"]),
        ("-signed_on", ["a", "c", "b"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
        ("modified", ["c", "a", "b"]),
        ("-modified,title", ["b", "a", "c"]),
    ],
)
def test_agreement_list_ordering(api_client, ordering, expected):
    moments = {"a": 2, "b": 3, "c": 1}
    for slug, (title, year) in {
        "a": ("Alpha", 2025),
        "b": ("Beta", 2019),
        "c": ("Gamma", 2022),
    }.items():
        agreement = agreement_between(
            OrganisationFactory(),
            OrganisationFactory(),
            slug=slug,
            title=title,
            signed_on=datetime.date(year, 1, 1),
        )
        Agreement.objects.filter(pk=agreement.pk).update(
            modified=datetime.datetime(2025, 1, moments[slug], tzinfo=datetime.UTC)
        )

    assert slugs(api_client.get(LIST_URL, {"ordering": ordering})) == expected


def test_agreement_list_pages_neither_skip_nor_repeat_when_all_tie(api_client):
    parties = OrganisationFactory(), OrganisationFactory()
    created = [
        agreement_between(*parties, title="Same", signed_on=datetime.date(2025, 1, 1)).slug
        for _ in range(5)
    ]

    seen, url, pages = [], LIST_URL + "?page_size=2&ordering=title", 0
    while url:
        body = api_client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert seen == created  # ties broken by id, in creation order
