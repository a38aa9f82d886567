"""Bodies the API refuses as such (413, 400), never a 500 or a value quietly changed."""

import json

import pytest
from django.conf import settings

from members.models import Organisation
from tests.api_support import errors
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def post_raw(client, body: bytes):
    return client.generic("POST", LIST, body, content_type="application/json")


def test_body_over_the_upload_limit_is_a_413(staff_api_client):
    body = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}).encode()

    response = post_raw(staff_api_client, body)

    assert response.status_code == 413, response.content
    assert response.json()["type"] == "client_error"
    assert errors(response) == [(None, "request_too_large")]
    assert not Organisation.objects.exists()


def test_ten_megabyte_body_is_a_413(staff_api_client):
    response = post_raw(staff_api_client, b'{"name": "' + b"x" * 10_000_000 + b'"}')

    assert response.status_code == 413, response.content
    assert errors(response) == [(None, "request_too_large")]


@pytest.mark.parametrize("levels", [65, 50_000])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_body_is_a_400_parse_error(staff_api_client, opening, levels):
    closing = "]" if opening == "[" else "}"
    body = (opening * levels + "1" + closing * levels).encode()

    response = post_raw(staff_api_client, body)

    assert response.status_code == 400, response.content
    assert errors(response) == [(None, "parse_error")]


def test_nesting_at_the_limit_reaches_the_validation(staff_api_client):
    body = b'{"name": "Park", "extra": ' + b"[" * 63 + b"1" + b"]" * 63 + b"}"  # 64 levels

    response = post_raw(staff_api_client, body)

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"


def test_malformed_json_is_still_a_400_parse_error(staff_api_client):
    response = post_raw(staff_api_client, b'{"name": ')

    assert response.status_code == 400, response.content
    assert errors(response) == [(None, "parse_error")]


def test_a_lone_surrogate_in_a_string_is_a_400_parse_error(staff_api_client):
    # Half a UTF-16 pair is valid JSON escaping but no text: quoting it back could not be encoded.
    response = post_raw(staff_api_client, b'{"name": "Park", "kind": "\\ud800"}')

    assert response.status_code == 400, response.content
    assert errors(response) == [(None, "parse_error")]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_to_an_address_no_route_matches_is_a_404(staff_api_client, method):
    response = staff_api_client.generic(
        method, "/api/v1/no-such-thing/", b"{}", content_type="application/json"
    )

    assert response.status_code == 404, response.content
    assert response.json()["type"] == "client_error"


@pytest.mark.parametrize("country", [0, 0.0, False, [], {"code": "PT"}, "Portugal", "pt", "PRT"])
def test_a_country_that_is_no_iso_code_is_a_400_naming_it(staff_api_client, country):
    person = PersonFactory(country="ES")

    response = staff_api_client.patch(
        f"/api/v1/people/{person.slug}/", {"country": country}, format="json"
    )

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["country"]
    person.refresh_from_db()
    assert person.country.code == "ES"


def test_a_country_code_or_blank_is_written(staff_api_client):
    person = PersonFactory(country="ES")
    url = f"/api/v1/people/{person.slug}/"

    assert staff_api_client.patch(url, {"country": "PT"}, format="json").json()["country"] == "PT"
    assert staff_api_client.patch(url, {"country": ""}, format="json").json()["country"] == ""
