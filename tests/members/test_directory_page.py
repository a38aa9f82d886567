"""The member directory: its filters and their facet counts, search, paging, logos and queries."""

import datetime
import re

import pytest
from django.urls import reverse

from core import aggregates
from core.pagination import CappedPaginator
from members.filters import OrganisationFilter
from members.models import Membership, Organisation
from portal.tasks import refresh_aggregates
from tests.factories import DivisionFactory, MembershipFactory, OrganisationFactory, TopicFactory
from tests.members.pages import cmu_step, member, options, png

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:organisation-list")


def coventry(**kwargs) -> Organisation:
    return member(
        name="Coventry Science Park", slug="coventry-science-park", country="GB", city="Coventry"
    )


# The member directory


def test_directory_filtered_by_country_lists_only_that_country(client):
    cmu_step()
    coventry()

    response = client.get(DIRECTORY, {"country": "TH"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Chiang Mai University Science and Technology Park" in content
    assert "CMU STeP" in content
    assert "Coventry Science Park" not in content
    assert "1 member" in content


def test_directory_unfiltered_lists_every_current_member(client):
    cmu_step()
    coventry()

    content = client.get(DIRECTORY).content.decode()

    assert "Chiang Mai University Science and Technology Park" in content
    assert "Coventry Science Park" in content
    assert "2 members" in content


def test_directory_search_matches_name_or_short_name_ignoring_case(client):
    cmu_step()
    coventry()
    member(name="Parque Tecnológico São José dos Campos", country="BR")

    by_short_name = client.get(DIRECTORY, {"q": "cmu step"}).content.decode()
    by_name = client.get(DIRECTORY, {"q": "COVENTRY"}).content.decode()
    with_accents = client.get(DIRECTORY, {"q": "são josé"}).content.decode()

    assert "CMU STeP" in by_short_name
    assert "Coventry Science Park" not in by_short_name
    assert "Coventry Science Park" in by_name
    assert "CMU STeP" not in by_name
    assert "Parque Tecnológico São José dos Campos" in with_accents
    assert "1 member" in with_accents


def test_directory_leaves_out_non_members_and_former_members(client):
    cmu_step()
    OrganisationFactory(name="Never Joined Park")
    former = OrganisationFactory(name="Former Member Park")
    MembershipFactory(
        organisation=former,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2018, 12, 31),
    )
    MembershipFactory(
        organisation=OrganisationFactory(name="Pending Park"), status=Membership.Status.PENDING
    )

    content = client.get(DIRECTORY).content.decode()

    assert "CMU STeP" in content
    assert "Never Joined Park" not in content
    assert "Former Member Park" not in content
    assert "Pending Park" not in content
    assert "1 member" in content


def test_directory_facet_counts_apply_the_other_filters(client):
    europe = DivisionFactory(name="Europe", slug="europe")
    asia = DivisionFactory(name="Asia Pacific", slug="asia-pacific")
    health = TopicFactory(name="Health", slug="health")
    for number in range(3):
        park = member(name=f"Thai Park {number}", country="TH", division=asia)
        park.topics.add(health)
    member(
        name="Thai University",
        country="TH",
        division=asia,
        kind=Organisation.Kind.UNIVERSITY,
        category=Membership.Category.AFFILIATED,
    )
    member(name="Coventry Science Park", country="GB", division=europe)
    member(name="Cambridge Science Park", country="GB", division=europe)
    OrganisationFactory(name="Not A Member", country="TH", division=asia)

    unfiltered = client.get(DIRECTORY)
    by_country = client.get(DIRECTORY, {"country": "TH"})
    by_kind = client.get(DIRECTORY, {"kind": "science_park"})

    assert options(unfiltered, "country") == {
        "": "All countries",
        "TH": "Thailand (4)",
        "GB": "United Kingdom (2)",
    }
    assert options(unfiltered, "division") == {
        "": "All divisions",
        "asia-pacific": "Asia Pacific (4)",
        "europe": "Europe (2)",
    }
    assert options(unfiltered, "category") == {
        "": "All categories",
        "full": "Full member (5)",
        "affiliated": "Affiliated member (1)",
    }
    assert options(unfiltered, "topic") == {"": "All topics", "health": "Health (3)"}
    # A facet counts with the other filters applied, and ignores its own choice.
    assert options(by_country, "kind") == {
        "": "All kinds",
        "science_park": "Science park (3)",
        "university": "University (1)",
    }
    assert options(by_country, "country") == options(unfiltered, "country")
    assert options(by_kind, "country") == {
        "": "All countries",
        "TH": "Thailand (3)",
        "GB": "United Kingdom (2)",
    }
    assert options(by_kind, "division")["asia-pacific"] == "Asia Pacific (3)"


def test_directory_keeps_the_chosen_value_when_other_filters_leave_none(client):
    member(name="Thai University", country="TH", kind=Organisation.Kind.UNIVERSITY)
    member(name="Coventry Science Park", country="GB")

    response = client.get(DIRECTORY, {"country": "TH", "kind": "science_park"})

    assert options(response, "country") == {
        "": "All countries",
        "TH": "Thailand (0)",
        "GB": "United Kingdom (1)",
    }
    assert '<option value="TH" selected>' in response.content.decode()
    assert "No member matches these filters." in response.content.decode()


def test_directory_filters_by_division_kind_category_and_topic(client):
    europe = DivisionFactory(slug="europe")
    health = TopicFactory(slug="health")
    wanted = member(name="Wanted Park", division=europe, category=Membership.Category.ASSOCIATE)
    wanted.topics.add(health)
    member(name="Other Division Park", category=Membership.Category.ASSOCIATE).topics.add(health)
    member(name="Other Category Park", division=europe).topics.add(health)
    member(name="Other Kind Park", division=europe, kind=Organisation.Kind.UNIVERSITY)

    response = client.get(
        DIRECTORY,
        {"division": "europe", "kind": "science_park", "category": "associate", "topic": "health"},
    )

    content = response.content.decode()
    assert "Wanted Park" in content
    assert "1 member" in content
    assert "Other Division Park" not in content
    assert "Other Category Park" not in content
    assert "Other Kind Park" not in content


@pytest.mark.parametrize(
    "query",
    [
        {"country": "ZZ"},
        {"division": "no-such-division"},
        {"kind": "spaceport"},
        {"category": "platinum"},
        {"topic": "no-such-topic"},
        {"q": "park\x00"},
        {"division": "\x00", "topic": "\x00", "country": "\x00"},
        {"q": "x" * 500},
        {"page": "last"},
    ],
)
def test_directory_invalid_filter_values_do_not_fail(client, query):
    cmu_step()

    response = client.get(DIRECTORY, query)

    assert response.status_code == 200
    assert "CMU STeP" in response.content.decode()


def test_directory_invalid_filter_value_is_explained(client):
    cmu_step()

    content = client.get(DIRECTORY, {"country": "ZZ"}).content.decode()

    assert "Select a valid choice" in content


def test_directory_page_out_of_range_is_not_found(client):
    cmu_step()

    assert client.get(DIRECTORY, {"page": "9"}).status_code == 404
    assert client.get(DIRECTORY, {"page": "two"}).status_code == 404


def test_directory_pagination_keeps_the_filters(client):
    for number in range(30):
        member(name=f"Thai Park {number:02}", slug=f"thai-park-{number:02}", country="TH")
    coventry()

    first = client.get(DIRECTORY, {"country": "TH"}).content.decode()
    second = client.get(DIRECTORY, {"country": "TH", "page": "2"}).content.decode()

    assert "30 members" in first
    assert 'href="?country=TH&amp;page=2"' in first
    assert "Page 1 of 2" in first
    assert "Thai Park 00" in first
    assert "Thai Park 29" not in first
    assert "Thai Park 29" in second
    assert 'href="?country=TH&amp;page=1"' in second
    assert "Coventry Science Park" not in second


def test_directory_logos_are_sized_described_and_lazy_after_the_first_row(client):
    for number in range(6):
        park = member(name=f"Park {number}", slug=f"park-{number}")
        park.logo.save("logo.png", png(600, 300))
    member(name="Park Without Logo", slug="park-without-logo")

    content = client.get(DIRECTORY).content.decode()

    images = re.findall(r"<img [^>]*>", content.split('id="results-heading"')[1])
    assert len(images) == 6
    assert all('width="176" height="88"' in image for image in images)
    assert 'alt="Logo of Park 0"' in images[0]
    assert ["loading=" in image for image in images] == [False] * 4 + [True] * 2
    assert "No logo" in content


def test_directory_never_shows_contact_email(client):
    cmu_step(contact_email="secret-contact@cmustep.example")

    content = client.get(DIRECTORY).content.decode()

    assert "secret-contact" not in content


# The kept counts (members/directory.py) and the page; the worker has counted.
DIRECTORY_QUERIES = 2


def recount() -> None:
    refresh_aggregates.call(changed_at=aggregates.clock())


@pytest.mark.parametrize("count", [1, 8])
def test_directory_query_count_is_fixed(client, django_assert_num_queries, count):
    division = DivisionFactory()
    countries = ["TH", "GB", "CN", "ES", "BR", "SA", "KR", "ZA"]
    for number in range(count):
        park = member(country=countries[number], division=division)
        park.topics.add(TopicFactory(), TopicFactory())
        park.logo.save("logo.png", png(200, 100))
    recount()

    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(DIRECTORY)

    assert f"{count} member" in response.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_directory_query_count_is_fixed_when_filtered(client, django_assert_num_queries, count):
    for _number in range(count):
        member(country="TH", kind=Organisation.Kind.UNIVERSITY)
    recount()

    # Country and kind: the kept counts answer the count and every facet, the topics' too.
    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(DIRECTORY, {"country": "TH", "kind": "university"})

    assert f"{count} member" in response.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_directory_query_count_is_fixed_when_searched(client, django_assert_num_queries, count):
    division = DivisionFactory(slug="asia-pacific")
    topic = TopicFactory(slug="health")
    for _number in range(count):
        member(country="TH", division=division).topics.add(topic)
    recount()

    # A name search is counted by the database: the count and one query per facet
    # (country, division, kind, category, topic), and the chosen division and topic are
    # looked up to validate them.
    with django_assert_num_queries(DIRECTORY_QUERIES + 6 + 2):
        response = client.get(
            DIRECTORY, {"country": "TH", "division": "asia-pacific", "topic": "health", "q": "park"}
        )

    assert f"{count} member" in response.content.decode()


def test_directory_counts_match_the_database_whichever_filters(client):
    europe = DivisionFactory(name="Europe", slug="europe")
    health = TopicFactory(name="Health", slug="health")
    member(name="Coventry Science Park", country="GB", division=europe).topics.add(health)
    member(name="Thai University", country="TH", kind=Organisation.Kind.UNIVERSITY)
    energy = TopicFactory(name="Energy", slug="energy")
    member(name="Thai Park", country="TH", category=Membership.Category.ASSOCIATE).topics.add(
        health, energy
    )
    member(name="Thai Energy Park", country="TH", division=europe).topics.add(energy)
    recount()

    for query in [
        {},
        {"country": "TH"},
        {"topic": "health"},
        {"kind": "science_park", "category": "associate"},
        {"division": "europe", "topic": "health"},
        {"country": "TH", "topic": "energy"},
        {"country": "TH", "kind": "science_park"},
        {"country": "GB", "topic": "energy"},
    ]:
        kept = client.get(DIRECTORY, query)
        counted = client.get(DIRECTORY, {**query, "q": "t"})  # every name has a "t"
        for name in ["country", "division", "kind", "category", "topic"]:
            assert options(kept, name) == options(counted, name), (query, name)
        assert kept.context["paginator"].count == counted.context["paginator"].count


def test_directory_count_is_written_with_thousands_separated(client, monkeypatch):
    member(name="Thai Park", country="TH")
    recount()
    monkeypatch.setattr(OrganisationFilter, "kept_total", lambda filterset: 12345)

    content = client.get(DIRECTORY).content.decode()

    assert "12,345 members" in content


def test_directory_count_kept_by_the_worker_is_exact_past_the_cap(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_cap", 2)
    for number in range(3):
        member(name=f"Thai Park {number}", country="TH")
    recount()

    unfiltered = client.get(DIRECTORY).content.decode()
    by_country = client.get(DIRECTORY, {"country": "TH"}).content.decode()
    searched = client.get(DIRECTORY, {"q": "thai"}).content.decode()

    assert "3 members" in unfiltered
    assert "3 members" in by_country
    assert "More than 2 members" in searched


def test_directory_counted_before_a_change_is_kept_until_the_worker_counts(client, settings):
    member(name="Coventry Science Park", country="GB")
    recount()
    member(name="Cambridge Science Park", country="GB")
    settings.AGGREGATES_MAX_LAG_SECONDS = 300

    response = client.get(DIRECTORY)

    # The worker has not counted the new member yet: the page says what it counted, and
    # the cache keeps it until the recount.
    assert "1 member" in response.content.decode()
    assert response["X-Cache"] == "miss"
    assert client.get(DIRECTORY)["X-Cache"] == "hit"
    recount()
    assert "2 members" in client.get(DIRECTORY).content.decode()
