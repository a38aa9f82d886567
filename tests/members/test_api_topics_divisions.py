"""/api/v1/topics/ and /api/v1/divisions/: the shared vocabulary and the regional chapters."""

import csv
import datetime
import io

import pytest

from conferences.models import Conference
from core import aggregates
from core.db.counts import count_of
from members.models import Division, Membership, Organisation
from ops.dataset import generate_dataset
from portal.selectors import divisions_with_counts
from portal.tasks import refresh_aggregates
from tests.api_support import error_attrs
from tests.factories import (
    AgreementFactory,
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


# Topics


def test_topic_shows_its_counts(api_client):
    energy = TopicFactory(name="Energy efficiency", slug="energy", description="Using less.")
    OrganisationFactory().topics.add(energy)
    OrganisationFactory().topics.add(energy)
    SessionFactory().topics.add(energy)
    AgreementFactory().topics.add(energy)
    AgreementFactory(is_public=False).topics.add(energy)

    response = api_client.get("/api/v1/topics/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": energy.pk,
            "slug": "energy",
            "name": "Energy efficiency",
            "description": "Using less.",
            "organisation_count": 2,
            "session_count": 1,
            # Non-public agreements are not counted.
            "agreement_count": 1,
            "url": "http://testserver/api/v1/topics/energy/",
            "web_url": "http://testserver/topics/energy/",
            "created": energy.created.isoformat().replace("+00:00", "Z"),
            "modified": energy.modified.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_topic_detail_by_slug(api_client):
    TopicFactory(slug="energy", name="Energy")

    response = api_client.get("/api/v1/topics/energy/")

    assert response.status_code == 200
    assert response.json()["name"] == "Energy"
    assert response.json()["organisation_count"] == 0
    assert api_client.get("/api/v1/topics/nothing/").status_code == 404


def test_topics_search_name_and_description(api_client):
    TopicFactory(slug="energy", name="Energy efficiency")
    TopicFactory(slug="health", name="Health", description="Hospitals and life sciences.")

    assert slugs(api_client.get("/api/v1/topics/?search=efficien")) == ["energy"]
    assert slugs(api_client.get("/api/v1/topics/?search=hospital")) == ["health"]


def test_topics_ordering(api_client):
    TopicFactory(slug="health", name="Health")
    TopicFactory(slug="energy", name="Energy")

    assert slugs(api_client.get("/api/v1/topics/")) == ["energy", "health"]
    assert slugs(api_client.get("/api/v1/topics/?ordering=-name")) == ["health", "energy"]
    assert slugs(api_client.get("/api/v1/topics/?ordering=modified")) == ["health", "energy"]


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("ordering=organisation_count", "ordering"),
        ("name=Energy", "name"),
        ("expand=organisations", "expand"),
        ("page_size=201", "page_size"),
    ],
)
def test_topics_bad_parameter_is_a_400_naming_it(api_client, query, attr):
    response = api_client.get(f"/api/v1/topics/?{query}")

    assert response.status_code == 400
    assert error_attrs(response) == [attr]


def test_topics_csv(api_client):
    OrganisationFactory().topics.add(TopicFactory(slug="energy", name="Energy"))

    response = api_client.get("/api/v1/topics/?format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["slug"], row["name"], row["organisation_count"]) for row in rows] == [
        ("energy", "Energy", "1")
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_topics_query_budget(api_client, django_assert_num_queries, count):
    for _ in range(count):
        topic = TopicFactory()
        OrganisationFactory().topics.add(topic)
        SessionFactory().topics.add(topic)

    # count, page with its counts
    with django_assert_num_queries(2):
        response = api_client.get("/api/v1/topics/")

    assert len(response.json()["results"]) == count


def test_topic_detail_query_budget(api_client, django_assert_num_queries):
    TopicFactory(slug="energy")

    with django_assert_num_queries(1):
        assert api_client.get("/api/v1/topics/energy/").status_code == 200


# Divisions


def test_division_shows_its_counts(api_client):
    asia = DivisionFactory(
        name="Asia Pacific",
        slug="asia-pacific",
        description="East and South-East Asia, Oceania.",
        website="https://asia.example/",
    )
    member = OrganisationFactory(division=asia)
    MembershipFactory(organisation=member)
    former = OrganisationFactory(division=asia)
    MembershipFactory(
        organisation=former,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2000, 1, 1),
        ended_on=datetime.date(2001, 1, 1),
    )
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=asia)

    response = api_client.get("/api/v1/divisions/")

    assert response.json()["results"] == [
        {
            "id": asia.pk,
            "slug": "asia-pacific",
            "name": "Asia Pacific",
            "description": "East and South-East Asia, Oceania.",
            "website": "https://asia.example/",
            # Current members only.
            "member_count": 1,
            "conference_count": 1,
            "url": "http://testserver/api/v1/divisions/asia-pacific/",
            "web_url": "http://testserver/divisions/asia-pacific/",
            "created": asia.created.isoformat().replace("+00:00", "Z"),
            "modified": asia.modified.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_division_detail_by_slug(api_client):
    DivisionFactory(slug="europe", name="Europe")

    response = api_client.get("/api/v1/divisions/europe/")

    assert response.status_code == 200
    assert response.json()["name"] == "Europe"
    assert api_client.get("/api/v1/divisions/atlantis/").status_code == 404


def test_divisions_search_and_ordering(api_client):
    DivisionFactory(slug="europe", name="Europe", description="From Lisbon to Helsinki.")
    DivisionFactory(slug="asia", name="Asia Pacific")

    assert slugs(api_client.get("/api/v1/divisions/")) == ["asia", "europe"]
    assert slugs(api_client.get("/api/v1/divisions/?ordering=-name")) == ["europe", "asia"]
    assert slugs(api_client.get("/api/v1/divisions/?ordering=-modified")) == ["asia", "europe"]
    assert slugs(api_client.get("/api/v1/divisions/?search=helsinki")) == ["europe"]
    assert slugs(api_client.get("/api/v1/divisions/?search=pacific")) == ["asia"]


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("ordering=member_count", "ordering"),
        ("country=SE", "country"),
        ("expand=members", "expand"),
        ("page=0", "page"),
    ],
)
def test_divisions_bad_parameter_is_a_400_naming_it(api_client, query, attr):
    response = api_client.get(f"/api/v1/divisions/?{query}")

    assert response.status_code == 400
    assert error_attrs(response) == [attr]


@pytest.mark.parametrize("count", [1, 5])
def test_divisions_query_budget(api_client, django_assert_num_queries, count):
    for _ in range(count):
        division = DivisionFactory()
        MembershipFactory(organisation__division=division)
        ConferenceFactory(kind=Conference.Kind.DIVISION, division=division)
    refresh_aggregates.call(changed_at=aggregates.clock())

    # the kept counts (core/aggregates.py), count, page
    with django_assert_num_queries(3):
        response = api_client.get("/api/v1/divisions/")

    assert [row["member_count"] for row in response.json()["results"]] == [1] * count


def test_division_detail_query_budget(api_client, django_assert_num_queries):
    DivisionFactory(slug="europe")
    refresh_aggregates.call(changed_at=aggregates.clock())

    # the kept counts, the division
    with django_assert_num_queries(2):
        assert api_client.get("/api/v1/divisions/europe/").status_code == 200


def test_division_counts_are_the_workers_until_it_counts_again(api_client, settings):
    europe = DivisionFactory(slug="europe")
    MembershipFactory(organisation__division=europe)
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=europe)
    refresh_aggregates.call(changed_at=aggregates.clock())
    MembershipFactory(organisation__division=europe)
    settings.AGGREGATES_MAX_LAG_SECONDS = 300

    counted = api_client.get("/api/v1/divisions/europe/").json()
    expanded = api_client.get("/api/v1/organisations/?expand=division").json()["results"]

    assert (counted["member_count"], counted["conference_count"]) == (1, 1)
    assert {row["division"]["member_count"] for row in expanded} == {1}
    refresh_aggregates.call(changed_at=aggregates.clock())
    assert api_client.get("/api/v1/divisions/europe/").json()["member_count"] == 2


def test_kept_division_counts_equal_the_counts_made_per_division():
    generate_dataset(scale=0.02, seed=1)
    refresh_aggregates.call(changed_at=aggregates.clock())

    inline = Division.objects.annotate(
        member_count=count_of(Organisation.objects.current_members(), "division"),
        conference_count=count_of(Conference.objects.published(), "division"),
    )
    expected = {(d.pk, d.member_count, d.conference_count) for d in inline}
    kept = {(d.pk, d.member_count, d.conference_count) for d in divisions_with_counts()}
    assert kept == expected
    assert any(member_count for _pk, member_count, _conferences in kept)
