"""/api/v1/organisations/: creating and changing organisations with a staff token."""

import pytest

from members.models import Organisation
from tests.api_support import error_attrs
from tests.factories import DivisionFactory, OrganisationFactory, TopicFactory
from tests.members.organisation_api import LIST

pytestmark = pytest.mark.django_db


# Writes


def new_organisation(**overrides) -> dict:
    data = {
        "name": "Tsinghua University Science Park",
        "short_name": "TusPark",
        "slug": "tuspark",
        "kind": "science_park",
        "country": "CN",
        "city": "Beijing",
        "latitude": 40.0,
        "longitude": 116.33,
        "website": "https://www.tuspark.example/",
        "contact_email": "office@tuspark.example",
        "description": "One of the largest parks.",
        "ror_id": "03cve4549",
        "wikidata_id": "Q7850744",
    }
    return {**data, **overrides}


def test_staff_token_creates_an_organisation(staff_api_client):
    division = DivisionFactory(slug="asia-pacific")
    TopicFactory(slug="energy", name="Energy")
    TopicFactory(slug="health", name="Health")

    response = staff_api_client.post(
        LIST,
        new_organisation(division="asia-pacific", topics=["energy", "health"]),
        format="json",
    )

    assert response.status_code == 201
    saved = Organisation.objects.get(slug="tuspark")
    assert saved.name == "Tsinghua University Science Park"
    assert saved.country.code == "CN"
    assert float(saved.latitude) == 40.0
    assert saved.division == division
    assert saved.contact_email == "office@tuspark.example"
    assert sorted(saved.topics.values_list("slug", flat=True)) == ["energy", "health"]
    body = response.json()
    assert body["url"] == "http://testserver/api/v1/organisations/tuspark/"
    assert body["division"]["slug"] == "asia-pacific"
    assert [topic["slug"] for topic in body["topics"]] == ["energy", "health"]
    assert body["contact_email"] == "office@tuspark.example"
    assert body["memberships"] == []
    assert body["is_member"] is False


def test_staff_token_updates_an_organisation(staff_api_client):
    park = OrganisationFactory(slug="park", city="Lund")
    park.topics.add(TopicFactory(slug="old"))
    TopicFactory(slug="new")

    response = staff_api_client.patch(
        f"{LIST}park/",
        {"city": "Malmö", "topics": ["new"], "division": None},
        format="json",
    )

    assert response.status_code == 200
    park.refresh_from_db()
    assert park.city == "Malmö"
    assert park.division is None
    assert list(park.topics.values_list("slug", flat=True)) == ["new"]
    assert response.json()["city"] == "Malmö"


def test_staff_token_replaces_an_organisation(staff_api_client):
    OrganisationFactory(slug="park")

    response = staff_api_client.put(f"{LIST}park/", new_organisation(slug="park"), format="json")

    assert response.status_code == 200
    assert Organisation.objects.get(slug="park").name == "Tsinghua University Science Park"


@pytest.mark.parametrize(
    ("overrides", "attr"),
    [
        ({"kind": "spaceport"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
        ({"latitude": 95}, "latitude"),
        ({"longitude": None}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"ror_id": "not-a-ror"}, "ror_id"),
        ({"wikidata_id": "P31"}, "wikidata_id"),
        ({"website": "not a url"}, "website"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"division": "atlantis"}, "division"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"slug": "has spaces"}, "slug"),
    ],
)
def test_invalid_organisation_is_a_400_naming_the_field(staff_api_client, overrides, attr):
    response = staff_api_client.post(LIST, new_organisation(**overrides), format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert attr in error_attrs(response)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("existing", "overrides", "attr"),
    [
        # Names are unique per country, whatever the case.
        ({"name": "TSINGHUA university science park", "country": "CN"}, {}, "name"),
        ({"slug": "tuspark"}, {}, "slug"),
        ({"ror_id": "03cve4549"}, {}, "ror_id"),
        ({"wikidata_id": "Q7850744"}, {}, "wikidata_id"),
    ],
)
def test_duplicate_organisation_is_a_400_naming_the_field(
    staff_api_client, existing, overrides, attr
):
    OrganisationFactory(**existing)

    response = staff_api_client.post(LIST, new_organisation(**overrides), format="json")

    assert response.status_code == 400
    assert error_attrs(response) == [attr]
    assert response.json()["errors"][0]["code"] == "unique"
    assert Organisation.objects.count() == 1


def test_same_name_in_another_country_is_allowed(staff_api_client):
    OrganisationFactory(name="Tsinghua University Science Park", country="SE")

    response = staff_api_client.post(LIST, new_organisation(), format="json")

    assert response.status_code == 201


def test_update_keeps_its_own_name_and_checks_coordinates_against_the_record(staff_api_client):
    OrganisationFactory(slug="park", name="Park", latitude=10, longitude=20)

    renamed = staff_api_client.patch(f"{LIST}park/", {"name": "Park"}, format="json")
    half = staff_api_client.patch(f"{LIST}park/", {"longitude": None}, format="json")

    assert renamed.status_code == 200
    assert half.status_code == 400
    assert half.json()["errors"] == [
        {
            "code": "both_or_neither",
            "detail": "Give both latitude and longitude, or neither.",
            "attr": "longitude",
        }
    ]


def test_anonymous_callers_cannot_write(api_client):
    OrganisationFactory(slug="park")

    created = api_client.post(LIST, new_organisation(), format="json")
    updated = api_client.patch(f"{LIST}park/", {"city": "X"}, format="json")

    assert created.status_code == 401
    assert updated.status_code == 401
    assert created.json()["errors"][0]["code"] == "not_authenticated"
    assert Organisation.objects.get(slug="park").city == "Linköping"


def test_partner_tokens_cannot_write(partner_client):
    OrganisationFactory(slug="park")

    created = partner_client.post(LIST, new_organisation(), format="json")
    updated = partner_client.patch(f"{LIST}park/", {"city": "X"}, format="json")

    assert created.status_code == 403
    assert updated.status_code == 403
    assert created.json()["errors"][0]["code"] == "permission_denied"
    assert not Organisation.objects.filter(slug="tuspark").exists()


def test_organisations_cannot_be_deleted_through_the_api(staff_api_client):
    OrganisationFactory(slug="park")

    response = staff_api_client.delete(f"{LIST}park/")

    assert response.status_code == 405
    assert Organisation.objects.filter(slug="park").exists()
