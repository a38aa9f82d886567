"""/api/v1/conferences/: every filter and its 400s, search, ordering and paging."""

import datetime

import pytest

from conferences.models import Conference
from tests.conferences.conference_api import LIST, dated, division_conference, slugs
from tests.factories import ConferenceFactory, DivisionFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


# Filters


@pytest.fixture
def spread():
    """Conferences of every kind, in several years, countries and states."""
    europe = DivisionFactory(slug="europe")
    asia = DivisionFactory(slug="asia")
    energy = TopicFactory(slug="energy")
    health = TopicFactory(slug="health")
    world = ConferenceFactory(
        slug="world-2024",
        start_date=datetime.date(2024, 9, 2),
        end_date=datetime.date(2024, 9, 5),
        country="CN",
    )
    world.topics.add(energy)
    europe_2025 = division_conference(
        europe,
        slug="europe-2025",
        start_date=datetime.date(2025, 5, 12),
        end_date=datetime.date(2025, 5, 14),
        country="SE",
    )
    # Tagged only through a session.
    SessionFactory(conference=europe_2025).topics.add(health)
    division_conference(
        asia,
        slug="asia-2025",
        start_date=datetime.date(2025, 12, 30),
        end_date=datetime.date(2026, 1, 2),
        country="TH",
        status=Conference.Status.CANCELLED,
    )
    ConferenceFactory(
        kind=Conference.Kind.OTHER,
        edition=None,
        slug="webinar-2023",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 1),
        country="ES",
        status=Conference.Status.HELD,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=world", ["world-2024"]),
        ("kind=division", ["asia-2025", "europe-2025"]),
        ("division=europe", ["europe-2025"]),
        ("year=2025", ["asia-2025", "europe-2025"]),
        # A conference over New Year takes place in both years.
        ("year=2026", ["asia-2025"]),
        ("year=1990", []),
        ("country=SE", ["europe-2025"]),
        ("country=th", ["asia-2025"]),
        # A valid code that no conference has is an empty answer, not an error.
        ("country=FR", []),
        ("topic=energy", ["world-2024"]),
        ("topic=health", ["europe-2025"]),
        ("status=cancelled", ["asia-2025"]),
        ("status=held", ["europe-2025", "world-2024", "webinar-2023"]),
        ("date_from=2025-01-01", ["asia-2025", "europe-2025"]),
        ("date_to=2024-12-31", ["world-2024", "webinar-2023"]),
        ("date_from=2024-09-05&date_to=2025-05-12", ["europe-2025", "world-2024"]),
        ("date_from=2024-09-06&date_to=2025-05-11", []),
        ("kind=division&country=TH&year=2025", ["asia-2025"]),
    ],
)
def test_filter(api_client, spread, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200, response.json()
    assert slugs(response) == expected


def test_filter_when_upcoming_or_past(api_client):
    dated(10, slug="soon")
    dated(-1, length=3, slug="running")
    dated(20, slug="called-off", status=Conference.Status.CANCELLED)
    dated(-30, slug="last-month")

    upcoming = api_client.get(f"{LIST}?when=upcoming&ordering=start_date")
    past = api_client.get(f"{LIST}?when=past")

    assert slugs(upcoming) == ["running", "soon"]
    assert slugs(past) == ["last-month"]


@pytest.mark.parametrize(
    ("query", "attr", "code"),
    [
        ("kind=summit", "kind", "invalid_choice"),
        ("status=postponed", "status", "invalid_choice"),
        ("when=someday", "when", "invalid_choice"),
        ("division=atlantis", "division", "invalid_choice"),
        ("topic=alchemy", "topic", "invalid_choice"),
        ("country=XX", "country", "invalid_choice"),
        ("country=China", "country", "invalid_choice"),
        ("year=twenty", "year", "invalid"),
        ("year=0", "year", "min_value"),
        ("year=10000", "year", "max_value"),
        ("date_from=2025-13-01", "date_from", "invalid"),
        ("date_to=yesterday", "date_to", "invalid"),
        ("ordering=venue", "ordering", "invalid_choice"),
        ("expand=sessions", "expand", "invalid_choice"),
        ("modified_since=last-week", "modified_since", "invalid"),
        ("colour=blue", "colour", "unknown_parameter"),
    ],
)
def test_filter_error_names_the_parameter(api_client, spread, query, attr, code):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert [(error["attr"], error["code"]) for error in response.json()["errors"]] == [(attr, code)]


def test_modified_since_lists_only_changes(api_client):
    old = ConferenceFactory(slug="old")
    Conference.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    ConferenceFactory(slug="new")

    response = api_client.get(f"{LIST}?modified_since=2021-01-01T00:00:00Z")

    assert slugs(response) == ["new"]


# Search and ordering


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Linköping", ["city"]),
        ("ecosystems", ["theme"]),
        ("Convention", ["venue"]),
        ("Summit", ["title"]),
        ("nothing-like-it", []),
    ],
)
def test_search_looks_in_title_theme_city_and_venue(api_client, term, expected):
    ConferenceFactory(slug="city", city="Linköping")
    ConferenceFactory(slug="theme", theme="Innovation ecosystems")
    ConferenceFactory(slug="venue", venue="Convention Centre")
    ConferenceFactory(slug="title", title="Science Park Summit")

    assert slugs(api_client.get(f"{LIST}?search={term}")) == expected


@pytest.fixture
def three():
    ConferenceFactory(
        slug="b",
        title="Bravo",
        edition=2,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 2),
    )
    ConferenceFactory(
        slug="a",
        title="Alpha",
        edition=3,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 1, 2),
    )
    ConferenceFactory(
        slug="c",
        title="Charlie",
        edition=1,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 1, 2),
    )


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("start_date", ["c", "b", "a"]),
        ("-start_date", ["a", "b", "c"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
        ("edition", ["c", "b", "a"]),
        ("-edition", ["a", "b", "c"]),
        ("modified", ["b", "a", "c"]),
    ],
)
def test_ordering(api_client, three, ordering, expected):
    assert slugs(api_client.get(f"{LIST}?ordering={ordering}")) == expected


def test_paging_is_stable_when_dates_tie(api_client):
    for number in range(7):
        ConferenceFactory(slug=f"same-day-{number}")

    seen = []
    url = f"{LIST}?page_size=3"
    while url:
        data = api_client.get(url).json()
        assert data["count"] == 7
        seen += [row["slug"] for row in data["results"]]
        url = data["next"]

    assert sorted(seen) == sorted(f"same-day-{number}" for number in range(7))
    assert len(seen) == 7


def test_paging_answers_count_next_and_previous(api_client):
    for number in range(3):
        ConferenceFactory(slug=f"c{number}")

    data = api_client.get(f"{LIST}?page_size=2&page=2").json()

    assert data["count"] == 3
    assert data["next"] is None
    assert data["previous"] == "http://testserver/api/v1/conferences/?page_size=2"
    assert len(data["results"]) == 1
