"""/api/v1/people/: creating and changing people with a staff token."""

import pytest

from members.models import Person
from tests.api_support import error_attrs
from tests.factories import OrganisationFactory, PersonFactory
from tests.members.person_api import LIST

pytestmark = pytest.mark.django_db


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
