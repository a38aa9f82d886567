import time

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from core.changes import CLOCK_KEY
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def settle_clock(seconds_ago: float = 60) -> float:
    """Pretend the last change happened a while ago."""
    stamp = time.time() - seconds_ago
    cache.set(CLOCK_KEY, stamp, None)
    return stamp


def test_list_and_detail_send_etag_and_last_modified(api_client):
    TopicFactory(slug="energy")
    stamp = settle_clock()

    for url in ("/api/v1/topics/", "/api/v1/topics/energy/"):
        response = api_client.get(url)
        assert response.status_code == 200
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"] == http_date(int(stamp) + 1)
        assert response["Cache-Control"] == "no-cache"
        assert "Authorization" in response["Vary"]


def test_same_etag_gives_304_without_body(api_client):
    TopicFactory(slug="energy")
    etag = api_client.get("/api/v1/topics/")["ETag"]

    response = api_client.get("/api/v1/topics/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_etag_changes_when_a_record_changes(api_client):
    topic = TopicFactory(slug="energy", name="Energy")
    etag = api_client.get("/api/v1/topics/")["ETag"]
    topic.name = "Energy efficiency"
    topic.save()

    response = api_client.get("/api/v1/topics/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Energy efficiency"


def test_if_modified_since_is_answered_without_a_query(api_client, django_assert_num_queries):
    TopicFactory(slug="energy")
    settle_clock()
    last_modified = api_client.get("/api/v1/topics/")["Last-Modified"]

    with django_assert_num_queries(0):
        response = api_client.get("/api/v1/topics/", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_a_change_makes_if_modified_since_fetch_again(api_client):
    topic = TopicFactory(slug="energy", name="Energy")
    settle_clock(seconds_ago=120)
    last_modified = api_client.get("/api/v1/topics/energy/")["Last-Modified"]
    topic.name = "Energy efficiency"
    topic.save()
    settle_clock(seconds_ago=30)

    response = api_client.get("/api/v1/topics/energy/", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 200
    assert response.json()["name"] == "Energy efficiency"


def test_deleting_a_record_moves_the_clock(api_client):
    topic = TopicFactory(slug="energy")
    settle_clock(seconds_ago=120)
    last_modified = api_client.get("/api/v1/topics/")["Last-Modified"]
    topic.delete()
    settle_clock(seconds_ago=30)

    response = api_client.get("/api/v1/topics/", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_no_last_modified_within_a_second_of_a_change(api_client):
    TopicFactory(slug="energy")  # the clock moves to now

    response = api_client.get("/api/v1/topics/")

    assert "Last-Modified" not in response
    assert response["ETag"]


def test_error_responses_carry_no_last_modified(api_client):
    settle_clock()

    response = api_client.get("/api/v1/topics/?page_size=0")

    assert response.status_code == 400
    assert "Last-Modified" not in response


def test_no_304_while_the_clock_cannot_be_read(api_client, monkeypatch):
    import redis

    from core import cache as safe

    TopicFactory(slug="energy")
    settle_clock()
    last_modified = api_client.get("/api/v1/topics/")["Last-Modified"]

    def refuse(*args, **kwargs):
        raise redis.exceptions.TimeoutError("Timeout reading from socket")

    safe.reset()
    for method in ("get", "set", "add"):
        monkeypatch.setattr(cache, method, refuse)
    try:
        response = api_client.get("/api/v1/topics/", HTTP_IF_MODIFIED_SINCE=last_modified)
    finally:
        safe.reset()

    assert response.status_code == 200
    assert "Last-Modified" not in response
    assert response.json()["results"][0]["slug"] == "energy"
