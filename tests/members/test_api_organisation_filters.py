"""/api/v1/organisations/: filters and their 400s, search, ordering and paging."""

import datetime

import pytest

from members.models import Membership, Organisation
from tests.api_support import error_attrs
from tests.factories import DivisionFactory, MembershipFactory, OrganisationFactory, TopicFactory
from tests.members.organisation_api import LIST, former_member, slugs

pytestmark = pytest.mark.django_db


# Filters


@pytest.fixture
def organisations():
    """Four organisations differing in every filtered field."""
    asia = DivisionFactory(slug="asia-pacific")
    europe = DivisionFactory(slug="europe")
    energy = TopicFactory(slug="energy")
    health = TopicFactory(slug="health")
    step = OrganisationFactory(slug="step", country="TH", division=asia)
    step.topics.add(energy)
    MembershipFactory(organisation=step, category=Membership.Category.FULL)
    mjolk = OrganisationFactory(slug="mjolk", country="SE", division=europe)
    mjolk.topics.add(energy, health)
    MembershipFactory(organisation=mjolk, category=Membership.Category.AFFILIATED)
    former = former_member(slug="former", country="SE", division=europe)
    former.topics.add(health)
    OrganisationFactory(
        slug="university", country="TH", division=None, kind=Organisation.Kind.UNIVERSITY
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=TH", ["step", "university"]),
        ("country=SE", ["mjolk", "former"]),
        ("division=europe", ["mjolk", "former"]),
        ("kind=university", ["university"]),
        ("kind=science_park", ["step", "mjolk", "former"]),
        ("category=full", ["step"]),
        ("category=affiliated", ["mjolk"]),
        ("category=honorary", []),
        ("topic=energy", ["step", "mjolk"]),
        ("topic=health", ["mjolk", "former"]),
        ("member=true", ["step", "mjolk"]),
        ("member=false", ["former", "university"]),
        ("member=1", ["step", "mjolk"]),
        ("member=FALSE", ["former", "university"]),
        ("member=true&country=SE", ["mjolk"]),
        ("topic=energy&division=asia-pacific", ["step"]),
    ],
)
def test_filters_select_organisations(api_client, organisations, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert sorted(slugs(response)) == sorted(expected)
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("country=XX", "country"),
        ("country=th", "country"),
        ("division=atlantis", "division"),
        ("kind=spaceport", "kind"),
        ("category=gold", "category"),
        ("topic=no-such-topic", "topic"),
        ("topic=energy%00", "topic"),
        ("member=maybe", "member"),
        ("member=yes", "member"),
        ("q=step", "q"),
        ("ordering=city", "ordering"),
        ("expand=people", "expand"),
    ],
)
def test_bad_filter_is_a_400_naming_it(api_client, organisations, query, attr):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert error_attrs(response) == [attr]


def test_search_looks_in_name_short_name_and_city(api_client):
    OrganisationFactory(slug="step", name="Science and Technology Park", short_name="CMU STeP")
    OrganisationFactory(slug="ideon", name="Ideon", city="Lund")
    OrganisationFactory(slug="kista", name="Kista Science City", city="Stockholm")

    assert slugs(api_client.get(f"{LIST}?search=cmu")) == ["step"]
    assert slugs(api_client.get(f"{LIST}?search=lund")) == ["ideon"]
    assert slugs(api_client.get(f"{LIST}?search=science&ordering=name")) == ["kista", "step"]
    assert slugs(api_client.get(f"{LIST}?search=nowhere")) == []


def test_ordering_by_name_country_and_modified(api_client):
    OrganisationFactory(slug="b", name="Beta", country="SE")
    OrganisationFactory(slug="a", name="Alpha", country="TH")
    OrganisationFactory(slug="c", name="Gamma", country="CN")

    assert slugs(api_client.get(LIST)) == ["a", "b", "c"]
    assert slugs(api_client.get(f"{LIST}?ordering=-name")) == ["c", "b", "a"]
    assert slugs(api_client.get(f"{LIST}?ordering=country")) == ["c", "b", "a"]
    assert slugs(api_client.get(f"{LIST}?ordering=-modified")) == ["c", "a", "b"]


# Paging


def test_pages_give_count_next_and_previous(api_client):
    for number in range(5):
        OrganisationFactory(slug=f"park-{number}", name=f"Park {number}")

    first = api_client.get(f"{LIST}?page_size=2").json()
    last = api_client.get(f"{LIST}?page_size=2&page=3").json()

    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{LIST}?page=2&page_size=2"
    assert [row["slug"] for row in first["results"]] == ["park-0", "park-1"]
    assert last["next"] is None
    assert last["previous"] == f"http://testserver{LIST}?page=2&page_size=2"
    assert [row["slug"] for row in last["results"]] == ["park-4"]


def test_paging_in_a_tied_order_gives_every_record_once(api_client):
    created = {OrganisationFactory(country="SE").slug for _ in range(7)}

    seen = []
    url = f"{LIST}?ordering=country&page_size=3"
    while url:
        page = api_client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(created)
    assert len(seen) == 7


@pytest.mark.parametrize(("size", "status"), [(200, 200), (201, 400)])
def test_page_size_is_capped_at_200(api_client, size, status):
    OrganisationFactory()

    response = api_client.get(f"{LIST}?page_size={size}")

    assert response.status_code == status
    if status == 400:
        assert error_attrs(response) == ["page_size"]


def test_modified_since_gives_only_what_changed(api_client):
    old = OrganisationFactory(slug="old")
    Organisation.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    OrganisationFactory(slug="new")

    response = api_client.get(f"{LIST}?modified_since=2025-01-01T00:00:00Z")

    assert slugs(response) == ["new"]
