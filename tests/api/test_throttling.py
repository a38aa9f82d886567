import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def rates(**rates):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    )


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_caller_over_the_rate_gets_429_with_retry_after(api_client):
    TopicFactory()
    with rates(anon="2/minute", partner="100/minute", staff="100/minute"):
        statuses = [api_client.get("/api/v1/topics/").status_code for _ in range(3)]
        refused = api_client.get("/api/v1/topics/")

    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["errors"][0]["code"] == "throttled"


def test_partner_token_has_its_own_higher_rate(api_client, partner_token):
    with rates(anon="1/minute", partner="3/minute", staff="100/minute"):
        assert api_client.get("/api/v1/topics/").status_code == 200
        assert api_client.get("/api/v1/topics/").status_code == 429
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
        statuses = [api_client.get("/api/v1/topics/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_rate_none_means_unlimited(api_client):
    with rates(anon="none", partner="none", staff="none"):
        statuses = {api_client.get("/api/v1/topics/").status_code for _ in range(5)}

    assert statuses == {200}


@pytest.fixture
def cache_down(monkeypatch):
    import redis

    from core import cache as safe

    def refuse(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    safe.reset()
    for method in ("get", "set", "add"):
        monkeypatch.setattr(cache, method, refuse)
    yield
    safe.reset()


def test_callers_are_let_through_and_the_outage_logged_when_the_cache_is_down(
    api_client, cache_down, caplog
):
    TopicFactory()
    with rates(anon="1/minute", partner="1/minute", staff="1/minute"):
        statuses = [api_client.get("/api/v1/topics/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert "The cache does not answer" in caplog.text
