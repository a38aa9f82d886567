"""/api/v1/people/: speakers, office holders and contacts, their filters, shapes and writes."""

import csv
import datetime
import io

import pytest

from conferences.models import Appearance
from members.models import Office, Person
from tests.api_support import error_attrs
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

pytestmark = pytest.mark.django_db

LIST = "/api/v1/people/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


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


# Writes


def new_person(**overrides) -> dict:
    data = {
        "honorific": "Prof.",
        "name": "Grace Hopper",
        "slug": "grace-hopper",
        "job_title": "Rear Admiral",
        "country": "US",
        "bio": "Wrote the first compiler.",
        "email": "grace@navy.example",
        "website": "https://grace.example/",
    }
    return {**data, **overrides}


def test_staff_token_creates_a_person(staff_api_client):
    OrganisationFactory(slug="step")

    response = staff_api_client.post(LIST, new_person(affiliation="step"), format="json")

    assert response.status_code == 201
    saved = Person.objects.get(slug="grace-hopper")
    assert (saved.honorific, saved.name, saved.job_title) == (
        "Prof.",
        "Grace Hopper",
        "Rear Admiral",
    )
    assert saved.affiliation.slug == "step"
    assert saved.country.code == "US"
    assert saved.email == "grace@navy.example"
    body = response.json()
    assert body["affiliation"]["slug"] == "step"
    assert body["bio"] == "Wrote the first compiler."
    assert body["email"] == "grace@navy.example"
    assert body["appearances"] == []


def test_staff_token_updates_a_person(staff_api_client):
    PersonFactory(slug="ada", job_title="Director")

    response = staff_api_client.patch(
        f"{LIST}ada/", {"job_title": "Chair", "affiliation": None}, format="json"
    )

    assert response.status_code == 200
    saved = Person.objects.get(slug="ada")
    assert saved.job_title == "Chair"
    assert saved.affiliation is None
    assert response.json()["job_title"] == "Chair"


@pytest.mark.parametrize(
    ("overrides", "attr"),
    [
        ({"name": ""}, "name"),
        ({"slug": "grace hopper"}, "slug"),
        ({"country": "XX"}, "country"),
        ({"email": "not-an-address"}, "email"),
        ({"website": "nowhere"}, "website"),
        ({"affiliation": "no-such-organisation"}, "affiliation"),
        ({"affiliation": 12}, "affiliation"),
    ],
)
def test_invalid_person_is_a_400_naming_the_field(staff_api_client, overrides, attr):
    response = staff_api_client.post(LIST, new_person(**overrides), format="json")

    assert response.status_code == 400
    assert attr in error_attrs(response)
    assert not Person.objects.exists()


def test_duplicate_slug_is_a_400_naming_it(staff_api_client):
    PersonFactory(slug="grace-hopper")

    response = staff_api_client.post(LIST, new_person(), format="json")

    assert response.status_code == 400
    assert error_attrs(response) == ["slug"]


def test_anonymous_and_partner_callers_cannot_write_people(api_client, partner_token):
    PersonFactory(slug="ada")

    anonymous = api_client.post(LIST, new_person(), format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
    partner = api_client.patch(f"{LIST}ada/", {"name": "X"}, format="json")

    assert anonymous.status_code == 401
    assert partner.status_code == 403
    assert Person.objects.get(slug="ada").name != "X"
    assert not Person.objects.filter(slug="grace-hopper").exists()
