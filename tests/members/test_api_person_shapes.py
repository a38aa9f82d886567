"""/api/v1/people/: list and detail shapes, expansions, CSV, hidden data, query budgets."""

import csv
import datetime
import io

import pytest

from conferences.models import Appearance
from members.models import Office
from tests.factories import (
    AppearanceFactory,
    AwardFactory,
    ConferenceFactory,
    DivisionFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    person_with_photo,
)
from tests.members.person_api import LIST, slugs

pytestmark = pytest.mark.django_db


# The list shape


def test_list_shows_a_person_with_every_field(api_client):
    step = OrganisationFactory(slug="cmu-step", name="CMU STeP")
    asia = DivisionFactory(slug="asia-pacific", name="Asia Pacific")
    person = PersonFactory(
        honorific="Dr",
        name="Ada Lovelace",
        slug="ada-lovelace",
        job_title="Director",
        affiliation=step,
        country="TH",
        website="https://ada.example/",
        email="ada@step.example",
        bio="Not in the list shape.",
    )
    OfficeFactory(
        person=person,
        title="President",
        body=Office.Body.DIVISION,
        division=asia,
        started_on=datetime.date(2023, 1, 1),
    )
    OfficeFactory(
        person=person,
        title="Treasurer",
        body=Office.Body.DIVISION,
        division=asia,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2018, 12, 31),
    )

    response = api_client.get(LIST)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": person.pk,
        "slug": "ada-lovelace",
        "honorific": "Dr",
        "name": "Ada Lovelace",
        "job_title": "Director",
        "affiliation": {
            "id": step.pk,
            "slug": "cmu-step",
            "name": "CMU STeP",
            "url": "http://testserver/api/v1/organisations/cmu-step/",
        },
        "country": "TH",
        "photo": None,
        "website": "https://ada.example/",
        "current_offices": [
            {
                "title": "President",
                "full_title": "President, Asia Pacific",
                "body": "division",
                "division": {
                    "id": asia.pk,
                    "slug": "asia-pacific",
                    "name": "Asia Pacific",
                    "url": "http://testserver/api/v1/divisions/asia-pacific/",
                },
                "organisation": None,
                "started_on": "2023-01-01",
                "ended_on": None,
            }
        ],
        "url": "http://testserver/api/v1/people/ada-lovelace/",
        "web_url": "http://testserver/people/ada-lovelace/",
        "created": person.created.isoformat().replace("+00:00", "Z"),
        "modified": person.modified.isoformat().replace("+00:00", "Z"),
    }


def test_person_without_affiliation_or_country(api_client):
    PersonFactory(affiliation=None, country="")

    [row] = api_client.get(LIST).json()["results"]

    assert row["affiliation"] is None
    assert row["country"] == ""
    assert row["current_offices"] == []


def test_photo_is_an_absolute_url_with_its_size(api_client):
    person_with_photo(slug="with-photo")

    [row] = api_client.get(LIST).json()["results"]

    assert row["photo"]["url"].startswith("http://testserver/media/people/photos/with-photo-")
    assert (row["photo"]["width"], row["photo"]["height"]) == (300, 400)


# Query budgets


def many_people(count: int) -> None:
    """People, each with an affiliation, a division office and an organisation office."""
    beijing = ConferenceFactory(slug="beijing-2025")
    for _ in range(count):
        person = PersonFactory()
        OfficeFactory(person=person)
        OfficeFactory(
            person=person,
            body=Office.Body.ORGANISATION,
            division=None,
            organisation=OrganisationFactory(),
        )
        AppearanceFactory(person=person, session__conference=beijing)


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # count, page with affiliations, current offices with their divisions and organisations
        ("", 3),
        # + affiliations with membership, + their topics
        ("?expand=affiliation", 5),
        # + the conference looked up by its slug
        ("?conference=beijing-2025&role=speaker&country=SE", 4),
        ("?format=csv", 3),
    ],
)
def test_list_query_budget(api_client, django_assert_num_queries, count, query, queries):
    many_people(count)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}{query}")

    assert response.status_code == 200
    rows = response.content.decode().splitlines()[1:] if "csv" in query else slugs(response)
    assert len(rows) == count


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # person, current offices, offices, appearances, awards
        ("", 5),
        # + affiliation, + its topics
        ("?expand=affiliation", 7),
    ],
)
def test_detail_query_budget(api_client, django_assert_num_queries, count, query, queries):
    person = PersonFactory(slug="ada")
    for number in range(count):
        OfficeFactory(person=person, ended_on=datetime.date(2000 + number, 12, 31))
        AppearanceFactory(person=person)
        AwardFactory(recipient_person=person)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}ada/{query}")

    assert response.status_code == 200
    assert len(response.json()["appearances"]) == count


# Expansion


def test_expand_gives_the_affiliation_in_full(api_client):
    step = OrganisationFactory(slug="step", country="TH")
    PersonFactory(slug="ada", affiliation=step)
    PersonFactory(slug="bo", affiliation=None)

    rows = api_client.get(f"{LIST}?expand=affiliation").json()["results"]

    affiliations = {row["slug"]: row["affiliation"] for row in rows}
    assert affiliations["ada"]["slug"] == "step"
    assert affiliations["ada"]["country_name"] == "Thailand"
    assert affiliations["ada"]["is_member"] is False
    assert affiliations["bo"] is None


# CSV


def test_csv_has_one_row_per_person_with_references_as_slugs(api_client):
    step = OrganisationFactory(slug="step")
    PersonFactory(slug="ada", name="Ada", affiliation=step, country="TH", email="ada@x.example")
    PersonFactory(slug="bo", name="Bo", affiliation=None)

    response = api_client.get(f"{LIST}?format=csv")

    assert response.status_code == 200
    assert 'filename="person.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["slug"], row["affiliation"], row["country"]) for row in rows] == [
        ("ada", "step", "TH"),
        ("bo", "", "SE"),
    ]
    assert rows[0]["url"] == "http://testserver/api/v1/people/ada/"
    assert "email" not in rows[0]


# Non-public data


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_email_is_hidden_from_anonymous_and_partner_callers(request, caller):
    client = request.getfixturevalue(caller)
    PersonFactory(slug="ada", email="ada@step.example")

    listed = client.get(LIST).json()["results"][0]
    detail = client.get(f"{LIST}ada/").json()
    exported = client.get(f"{LIST}?format=csv").content.decode()

    assert "email" not in listed
    assert "email" not in detail
    assert "ada@step.example" not in exported


def test_email_reaches_staff_tokens(staff_api_client):
    PersonFactory(slug="ada", email="ada@step.example")

    assert staff_api_client.get(LIST).json()["results"][0]["email"] == "ada@step.example"
    assert staff_api_client.get(f"{LIST}ada/").json()["email"] == "ada@step.example"


# Detail


def test_detail_adds_bio_offices_appearances_and_awards(api_client):
    step = OrganisationFactory(slug="step", name="STeP")
    ada = PersonFactory(slug="ada", bio="Pioneer.")
    OfficeFactory(
        person=ada,
        title="CEO",
        body=Office.Body.ORGANISATION,
        division=None,
        organisation=step,
        started_on=datetime.date(2020, 1, 1),
    )
    OfficeFactory(
        person=ada,
        title="Treasurer",
        body=Office.Body.ASSOCIATION,
        division=None,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2012, 12, 31),
    )
    beijing = ConferenceFactory(slug="beijing-2025", title="Beijing 2025")
    session = SessionFactory(conference=beijing, title="Opening plenary")
    AppearanceFactory(
        person=ada, session=session, role=Appearance.Role.KEYNOTE, capacity="CEO, STeP"
    )
    AwardFactory(conference=beijing, name="Presidential Medal", recipient_person=ada)

    body = api_client.get(f"{LIST}ada/").json()

    assert body["bio"] == "Pioneer."
    assert [office["full_title"] for office in body["current_offices"]] == ["CEO, STeP"]
    assert [(office["title"], office["ended_on"]) for office in body["offices"]] == [
        ("CEO", None),
        ("Treasurer", "2012-12-31"),
    ]
    assert body["offices"][0]["organisation"]["slug"] == "step"
    beijing_reference = {
        "id": beijing.pk,
        "slug": "beijing-2025",
        "name": "Beijing 2025",
        "url": "http://testserver/api/v1/conferences/beijing-2025/",
    }
    assert body["appearances"] == [
        {
            "conference": beijing_reference,
            "session": {"id": session.pk, "title": "Opening plenary"},
            "role": "keynote",
            "capacity": "CEO, STeP",
        }
    ]
    assert body["awards"] == [
        {"name": "Presidential Medal", "conference": beijing_reference, "citation": ""}
    ]
