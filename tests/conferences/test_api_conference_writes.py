"""Staff tokens create and update conferences through /api/v1/conferences/, validated as in the
admin; everyone else is refused."""

import datetime

import pytest

from conferences.models import Conference
from tests.api_support import errors
from tests.factories import ConferenceFactory, DivisionFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/conferences/"


def detail(slug: str) -> str:
    return f"{LIST}{slug}/"


def world_conference(**overrides) -> dict:
    return {
        "kind": "world",
        "edition": 43,
        "title": "IASP 2026 Dhahran",
        "slug": "iasp-2026-dhahran",
        "theme": "Innovation in the desert",
        "start_date": "2026-11-02",
        "end_date": "2026-11-05",
        "city": "Dhahran",
        "country": "SA",
        "time_zone": "Asia/Riyadh",
        "status": "registration_open",
        **overrides,
    }


# Creating


def test_staff_creates_a_world_conference(staff_api_client):
    energy = TopicFactory(slug="energy", name="Energy")

    response = staff_api_client.post(
        LIST,
        world_conference(topics=["energy"], participant_count=900, website="https://example.org/"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    conference = Conference.objects.get(slug="iasp-2026-dhahran")
    assert conference.kind == Conference.Kind.WORLD
    assert conference.edition == 43
    assert conference.title == "IASP 2026 Dhahran"
    assert conference.start_date == datetime.date(2026, 11, 2)
    assert conference.end_date == datetime.date(2026, 11, 5)
    assert conference.country.code == "SA"
    assert conference.time_zone == "Asia/Riyadh"
    assert conference.status == Conference.Status.REGISTRATION_OPEN
    assert conference.participant_count == 900
    assert conference.website == "https://example.org/"
    assert conference.division is None
    assert list(conference.topics.all()) == [energy]
    # The answer is the detail shape of the saved record.
    data = response.json()
    assert data["id"] == conference.pk
    assert data["url"] == "http://testserver/api/v1/conferences/iasp-2026-dhahran/"
    assert data["topics"][0]["slug"] == "energy"
    assert data["sessions"] == []
    assert data["previous_edition"] is None


def test_staff_creates_a_division_conference_by_division_slug(staff_api_client):
    europe = DivisionFactory(slug="europe")

    response = staff_api_client.post(
        LIST,
        world_conference(kind="division", division="europe", edition=7, slug="europe-7"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Conference.objects.get(slug="europe-7").division == europe
    assert response.json()["division"]["slug"] == "europe"


def test_defaults_apply_to_fields_left_out(staff_api_client):
    response = staff_api_client.post(
        LIST,
        {
            "kind": "other",
            "title": "Webinar",
            "slug": "webinar",
            "start_date": "2026-03-01",
            "end_date": "2026-03-01",
            "country": "ES",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    webinar = Conference.objects.get(slug="webinar")
    assert webinar.status == Conference.Status.PLANNED
    assert webinar.time_zone == "UTC"
    assert webinar.date_precision == Conference.DatePrecision.DAY
    assert webinar.edition is None


# Updating


def test_staff_updates_with_put(staff_api_client):
    ConferenceFactory(slug="iasp-2026-dhahran", edition=43)
    health = TopicFactory(slug="health")

    response = staff_api_client.put(
        detail("iasp-2026-dhahran"),
        world_conference(theme="A new theme", status="planned", topics=["health"]),
        format="json",
    )

    assert response.status_code == 200, response.json()
    conference = Conference.objects.get(slug="iasp-2026-dhahran")
    assert conference.theme == "A new theme"
    assert conference.city == "Dhahran"
    assert conference.status == Conference.Status.PLANNED
    assert list(conference.topics.all()) == [health]
    assert response.json()["theme"] == "A new theme"


def test_staff_updates_some_fields_with_patch(staff_api_client):
    conference = ConferenceFactory(slug="beijing", city="Beijing", venue="")
    conference.topics.add(TopicFactory())

    response = staff_api_client.patch(
        detail("beijing"),
        {"venue": "China National Convention Center", "participant_count": 1500, "topics": []},
        format="json",
    )

    assert response.status_code == 200, response.json()
    conference.refresh_from_db()
    assert conference.venue == "China National Convention Center"
    assert conference.participant_count == 1500
    assert conference.city == "Beijing"
    assert conference.topics.count() == 0
    assert response.json()["venue"] == "China National Convention Center"
    assert response.json()["topics"] == []


def test_patch_keeps_an_edition_that_is_its_own(staff_api_client):
    ConferenceFactory(slug="beijing", edition=42)

    response = staff_api_client.patch(detail("beijing"), {"edition": 42}, format="json")

    assert response.status_code == 200, response.json()


# Validation: a 400 naming the field


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"kind": "division"}, [("division", "invalid")]),
        ({"division": "europe"}, [("division", "invalid")]),
        ({"end_date": "2026-11-01"}, [("end_date", "invalid")]),
        ({"participant_count_is_minimum": True}, [("participant_count", "invalid")]),
        ({"edition": 42}, [("edition", "unique")]),
        ({"slug": "taken"}, [("slug", "unique")]),
        ({"kind": "summit"}, [("kind", "invalid_choice")]),
        ({"country": "XX"}, [("country", "invalid_choice")]),
        ({"time_zone": "Mars/Olympus"}, [("time_zone", "invalid_time_zone")]),
        ({"division": "atlantis"}, [("division", "does_not_exist")]),
        ({"topics": ["alchemy"]}, [("topics", "does_not_exist")]),
        ({"start_date": "15/09/2026"}, [("start_date", "invalid")]),
        ({"title": ""}, [("title", "blank")]),
        ({"edition": 0}, [("edition", "min_value")]),
        ({"website": "not a web address"}, [("website", "invalid")]),
    ],
)
def test_create_error_names_the_field(staff_api_client, overrides, expected):
    DivisionFactory(slug="europe")
    ConferenceFactory(edition=42, slug="taken")

    response = staff_api_client.post(LIST, world_conference(**overrides), format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert errors(response) == expected
    assert not Conference.objects.filter(title="IASP 2026 Dhahran").exists()


def test_duplicate_edition_within_a_division_names_the_edition(staff_api_client):
    europe = DivisionFactory(slug="europe")
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=europe, edition=7, slug="eu-7")
    # Another division's seventh edition is no duplicate.
    DivisionFactory(slug="asia")

    duplicate = staff_api_client.post(
        LIST, world_conference(kind="division", division="europe", edition=7), format="json"
    )
    other = staff_api_client.post(
        LIST, world_conference(kind="division", division="asia", edition=7), format="json"
    )

    assert errors(duplicate) == [("edition", "unique")]
    assert other.status_code == 201


def test_patch_error_checks_against_the_stored_values(staff_api_client):
    ConferenceFactory(
        slug="beijing", start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 19)
    )

    response = staff_api_client.patch(detail("beijing"), {"end_date": "2025-09-01"}, format="json")

    assert response.status_code == 400
    assert errors(response) == [("end_date", "invalid")]
    assert Conference.objects.get(slug="beijing").end_date == datetime.date(2025, 9, 19)


def test_missing_required_fields_are_named(staff_api_client):
    response = staff_api_client.post(LIST, {}, format="json")

    assert response.status_code == 400
    assert {attr for attr, _code in errors(response)} == {
        "kind",
        "title",
        "slug",
        "start_date",
        "end_date",
        "country",
    }


# Who may write


def test_anonymous_cannot_write(api_client):
    ConferenceFactory(slug="beijing")

    created = api_client.post(LIST, world_conference(), format="json")
    changed = api_client.patch(detail("beijing"), {"theme": "Hacked"}, format="json")

    assert created.status_code == 401
    assert changed.status_code == 401
    assert created["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Conference.objects.get(slug="beijing").theme == ""
    assert not Conference.objects.filter(slug="iasp-2026-dhahran").exists()


def test_partner_token_cannot_write(partner_client):
    ConferenceFactory(slug="beijing")

    created = partner_client.post(LIST, world_conference(), format="json")
    changed = partner_client.put(detail("beijing"), world_conference(), format="json")

    assert created.status_code == 403
    assert changed.status_code == 403
    assert created.json()["type"] == "client_error"
    assert not Conference.objects.filter(slug="iasp-2026-dhahran").exists()


def test_nobody_deletes(staff_api_client):
    ConferenceFactory(slug="beijing")

    response = staff_api_client.delete(detail("beijing"))

    assert response.status_code == 405
    assert Conference.objects.filter(slug="beijing").exists()
