"""Refused tokens cost the caller's address its anonymous rate: keys cannot be tried freely."""

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/topics/"


def anon_rate(rate: str):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": rate, "partner": "100/minute", "staff": "none"},
        }
    )


def with_key(client, key: str):
    return client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_invalid_tokens_past_the_anonymous_rate_get_429_with_retry_after(api_client):
    with anon_rate("2/minute"):
        statuses = [with_key(api_client, f"guess-{n}").status_code for n in range(2)]
        refused = with_key(api_client, "guess-3")

    assert statuses == [401, 401]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert [error["code"] for error in refused.json()["errors"]] == ["throttled"]


def test_invalid_tokens_use_up_the_address_anonymous_reads(api_client):
    TopicFactory()
    with anon_rate("3/minute"):
        guesses = [with_key(api_client, "guess").status_code for _ in range(2)]
        reads = [api_client.get(URL).status_code for _ in range(2)]

    assert guesses == [401, 401]
    assert reads == [200, 429]


@pytest.mark.parametrize("header", ["Bearer", "Bearer two parts", "Bearer caf\u00e9"])
def test_malformed_headers_count_too(api_client, header):
    with anon_rate("1/minute"):
        first = api_client.get(URL, HTTP_AUTHORIZATION=header)
        second = api_client.get(URL, HTTP_AUTHORIZATION=header)

    assert (first.status_code, second.status_code) == (401, 429)


def test_a_valid_token_is_not_held_back_by_its_address_failures(api_client, partner_token):
    with anon_rate("1/minute"):
        with_key(api_client, "guess")
        assert with_key(api_client, "guess").status_code == 429
        response = with_key(api_client, partner_token.key)

    assert response.status_code == 200


def test_without_an_anonymous_rate_invalid_tokens_stay_401(api_client):
    with anon_rate("none"):
        statuses = {with_key(api_client, "guess").status_code for _ in range(5)}

    assert statuses == {401}
