"""/api/v1/people/: filters and their 400s, search, ordering and paging."""

import pytest

from conferences.models import Appearance
from tests.api_support import error_attrs
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
)
from tests.members.person_api import LIST, slugs

pytestmark = pytest.mark.django_db


# Filters


@pytest.fixture
def people():
    """Four people: two speakers at Beijing, a moderator at Chiang Mai, one who never spoke."""
    step = OrganisationFactory(slug="step")
    beijing = ConferenceFactory(slug="beijing-2025")
    chiang_mai = ConferenceFactory(slug="chiang-mai-2026")
    ada = PersonFactory(slug="ada", country="TH", affiliation=step)
    bo = PersonFactory(slug="bo", country="CN")
    cy = PersonFactory(slug="cy", country="TH", affiliation=step)
    PersonFactory(slug="di", country="SE")
    AppearanceFactory(person=ada, session__conference=beijing, role=Appearance.Role.KEYNOTE)
    AppearanceFactory(person=ada, session__conference=chiang_mai, role=Appearance.Role.MODERATOR)
    AppearanceFactory(person=bo, session__conference=beijing, role=Appearance.Role.MODERATOR)
    # Two roles in one conference: listed once.
    session = SessionFactory(conference=beijing)
    AppearanceFactory(person=bo, session=session, role=Appearance.Role.SPEAKER)
    AppearanceFactory(person=bo, session=session, role=Appearance.Role.PANELLIST)
    AppearanceFactory(person=cy, session__conference=chiang_mai, role=Appearance.Role.SPEAKER)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organisation=step", ["ada", "cy"]),
        ("conference=beijing-2025", ["ada", "bo"]),
        ("conference=chiang-mai-2026", ["ada", "cy"]),
        ("role=moderator", ["ada", "bo"]),
        ("role=keynote", ["ada"]),
        ("role=trainer", []),
        ("country=TH", ["ada", "cy"]),
        ("country=SE", ["di"]),
        # One appearance: that role at that conference.
        ("conference=chiang-mai-2026&role=moderator", ["ada"]),
        ("conference=beijing-2025&role=moderator", ["bo"]),
        ("conference=chiang-mai-2026&role=keynote", []),
        ("conference=beijing-2025&organisation=step", ["ada"]),
    ],
)
def test_filters_select_people(api_client, people, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert slugs(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("organisation=nowhere", "organisation"),
        ("conference=no-such-conference", "conference"),
        ("conference=beijing%002025", "conference"),
        ("role=juggler", "role"),
        ("country=XX", "country"),
        ("q=ada", "q"),
        ("ordering=country", "ordering"),
        ("expand=offices", "expand"),
    ],
)
def test_bad_filter_is_a_400_naming_it(api_client, people, query, attr):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert error_attrs(response) == [attr]


def test_search_looks_in_name_and_job_title(api_client):
    PersonFactory(slug="ada", name="Ada Lovelace", job_title="Director")
    PersonFactory(slug="bo", name="Bo Li", job_title="Head of incubation")

    assert slugs(api_client.get(f"{LIST}?search=lovelace")) == ["ada"]
    assert slugs(api_client.get(f"{LIST}?search=incubation")) == ["bo"]
    assert slugs(api_client.get(f"{LIST}?search=nobody")) == []


def test_ordering_by_name_and_modified(api_client):
    PersonFactory(slug="bo", name="Bo")
    PersonFactory(slug="ada", name="Ada")

    assert slugs(api_client.get(LIST)) == ["ada", "bo"]
    assert slugs(api_client.get(f"{LIST}?ordering=-name")) == ["bo", "ada"]
    assert slugs(api_client.get(f"{LIST}?ordering=modified")) == ["bo", "ada"]


def test_pages_give_count_next_and_previous(api_client):
    for number in range(3):
        PersonFactory(slug=f"person-{number}", name=f"Person {number}")

    first = api_client.get(f"{LIST}?page_size=2").json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 3
    assert first["previous"] is None
    assert [row["slug"] for row in first["results"]] == ["person-0", "person-1"]
    assert [row["slug"] for row in second["results"]] == ["person-2"]
    assert second["next"] is None
    assert second["previous"] == f"http://testserver{LIST}?page_size=2"
