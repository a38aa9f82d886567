"""Cached answers for anonymous callers: served without a query, dropped at the first change."""

import gzip
import json

import pytest
from rest_framework.test import APIClient

from core.page_cache import accepted_codings
from tests.factories import MembershipFactory, OrganisationFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    organisation = OrganisationFactory(name="Chiang Mai Science Park", slug="cm-park")
    MembershipFactory(organisation=organisation)
    return organisation


def test_second_visit_to_a_page_is_served_from_the_cache(client, park, django_assert_num_queries):
    first = client.get("/members/")
    with django_assert_num_queries(0):
        second = client.get("/members/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "Chiang Mai Science Park" in second.content.decode()
    assert second["Content-Security-Policy"] and second["ETag"]


def test_a_change_is_visible_at_once(client, park):
    client.get(park.get_absolute_url())
    park.name = "Chiang Mai University Science Park"
    park.save()

    response = client.get(park.get_absolute_url())

    assert response["X-Cache"] == "miss"
    assert "Chiang Mai University Science Park" in response.content.decode()


def test_a_new_link_between_records_is_visible_at_once(client, park):
    client.get(park.get_absolute_url())
    park.topics.add(TopicFactory(name="Energy efficiency"))

    assert "Energy efficiency" in client.get(park.get_absolute_url()).content.decode()


def test_logged_in_staff_are_never_served_from_the_cache(staff_client, client, park):
    client.get("/members/")

    response = staff_client.get("/members/")

    assert "X-Cache" not in response


def test_cache_can_be_turned_off(client, park, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/members/")

    assert "X-Cache" not in client.get("/members/")


def test_api_answer_is_cached_after_access_and_parameters_are_checked(
    api_client, park, django_assert_num_queries
):
    api_client.get("/api/v1/organisations/")
    with django_assert_num_queries(0):
        cached = api_client.get("/api/v1/organisations/")
    refused = api_client.get("/api/v1/organisations/?contry=TH")

    assert cached["X-Cache"] == "hit"
    assert cached.json()["results"][0]["name"] == "Chiang Mai Science Park"
    assert refused.status_code == 400


def test_api_formats_are_cached_apart(api_client, park):
    api_client.get("/api/v1/organisations/")

    response = api_client.get("/api/v1/organisations/?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().startswith("id,slug,name")


def test_partner_shares_the_public_answer_but_is_still_counted(
    partner_client, park, django_assert_num_queries
):
    partner_client.get("/api/v1/organisations/")
    with django_assert_num_queries(1):  # the token
        response = partner_client.get("/api/v1/organisations/")

    assert response["X-Cache"] == "hit"


def test_staff_token_answers_are_neither_cached_nor_served_from_the_cache(staff_api_client, park):
    api_client = APIClient()  # the fixture's client carries the staff token
    park.contact_email = "office@cm-park.example"
    park.save()
    api_client.get(f"/api/v1/organisations/{park.slug}/")

    staff = staff_api_client.get(f"/api/v1/organisations/{park.slug}/")
    anonymous = api_client.get(f"/api/v1/organisations/{park.slug}/")

    assert "X-Cache" not in staff
    assert staff.json()["contact_email"] == "office@cm-park.example"
    assert anonymous["X-Cache"] == "hit"
    assert "contact_email" not in anonymous.json()


def test_pages_are_compressed_for_browsers_that_accept_it(client, park):
    response = client.get("/members/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Chiang Mai Science Park" in gzip.decompress(response.content).decode()


def test_unchanged_page_answers_304_to_its_etag(client, park):
    etag = client.get("/members/")["ETag"]

    response = client.get("/members/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_cached_page_is_kept_compressed_for_callers_that_take_gzip(client, park, monkeypatch):
    calls = []
    original = gzip.compress
    monkeypatch.setattr(
        "django.utils.text.gzip_compress", lambda *a, **k: calls.append(1) or original(*a)
    )
    first = client.get("/members/", HTTP_ACCEPT_ENCODING="gzip, br")
    second = client.get("/members/", HTTP_ACCEPT_ENCODING="br, gzip;q=0.8, deflate")
    plain = client.get("/members/")

    assert (first["X-Cache"], second["X-Cache"], plain["X-Cache"]) == ("miss", "hit", "miss")
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"]
    assert second.content == first.content
    assert int(second["Content-Length"]) == len(second.content)
    assert "Chiang Mai Science Park" in gzip.decompress(second.content).decode()
    assert not plain.has_header("Content-Encoding")
    assert "Chiang Mai Science Park" in plain.content.decode()
    assert len(calls) == 1  # compressed once, on the miss


def test_callers_taking_other_codings_have_answers_of_their_own(client, park):
    # An answer may come in brotli to whoever takes it (the member map's points): a caller
    # that takes gzip only, or nothing, is never sent an answer kept for another.
    for header in ("gzip, br", "gzip", "", "br;q=0, gzip;q=0"):
        client.get("/members/", HTTP_ACCEPT_ENCODING=header)

    again = [
        client.get("/members/", HTTP_ACCEPT_ENCODING=header)
        for header in ("br, gzip", "x-gzip", "identity", "gzip;q=0")
    ]

    assert [answer["X-Cache"] for answer in again] == ["hit"] * 4
    assert [answer.get("Content-Encoding") for answer in again] == ["gzip", "gzip", None, None]


@pytest.mark.parametrize(
    "header, codings",
    [
        ("gzip, deflate, br", {"br", "gzip"}),
        ("gzip", {"gzip"}),
        ("x-gzip", {"gzip"}),
        ("GZIP;Q=1.0", {"gzip"}),
        ("br;q=0, gzip;q=0.5", {"gzip"}),
        ("gzip;q=0", set()),
        ("gzip; q=0.000", set()),
        ("*", {"br", "gzip"}),
        ("*;q=0, br", {"br"}),
        ("br;q=0, *", {"gzip"}),
        ("identity", set()),
        ("", set()),
        ("gzipper, xbr", set()),
        ("gzip;q=x, br;q=1e9", {"br", "gzip"}),
        ("br;q=nan, gzip;q=-1", set()),
        (",,;;q=;=,", set()),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, codings):
    assert accepted_codings(header) == codings


def test_cached_api_answer_is_kept_compressed(park):
    api = APIClient()
    first = api.get("/api/v1/organisations/", HTTP_ACCEPT_ENCODING="gzip")
    second = api.get("/api/v1/organisations/", HTTP_ACCEPT_ENCODING="gzip")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second["Content-Encoding"] == "gzip"
    assert second["ETag"] == first["ETag"]
    body = json.loads(gzip.decompress(second.content))
    assert [row["name"] for row in body["results"]] == ["Chiang Mai Science Park"]


# Headers: a cached answer carries exactly what the freshly built one carried.

PER_REQUEST_HEADERS = {"Date", "Age", "Expires", "X-Cache"}


def comparable_headers(response) -> dict[str, str]:
    return {
        name: value for name, value in response.headers.items() if name not in PER_REQUEST_HEADERS
    }


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/members/",
        "/organisations/cm-park/",
        "/sitemap.xml",
        "/api/v1/organisations/",
        "/api/v1/organisations/?format=csv",
        "/api/v1/organisations/cm-park/",
    ],
)
def test_a_cached_answer_carries_the_headers_of_the_fresh_one(client, park, url):
    first = client.get(url)
    second = client.get(url)

    assert (first.status_code, first["X-Cache"], second["X-Cache"]) == (200, "miss", "hit")
    assert comparable_headers(second) == comparable_headers(first)
    assert second.content == first.content


def test_a_cached_page_keeps_x_frame_options_and_the_sitemap_its_robots_tag(client, park):
    for _ in range(2):
        page = client.get("/members/")
        sitemap = client.get("/sitemap.xml")

    assert (page["X-Cache"], sitemap["X-Cache"]) == ("hit", "hit")
    assert page["X-Frame-Options"] == "DENY"
    assert sitemap["X-Robots-Tag"] == "noindex, noodp, noarchive"


# The key: everything the answer depends on.


def test_pages_for_two_hosts_are_cached_apart(client, park, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org", "parks.example.net"]

    client.get("/sitemap.xml", HTTP_HOST="portal.example.org")
    other = client.get("/sitemap.xml", HTTP_HOST="parks.example.net")
    again = client.get("/sitemap.xml", HTTP_HOST="parks.example.net")

    assert other["X-Cache"] == "miss"
    assert "http://parks.example.net/organisations/cm-park/" in other.content.decode()
    assert "portal.example.org" not in other.content.decode()
    assert again["X-Cache"] == "hit"


def test_api_answers_for_two_hosts_are_cached_apart(api_client, park, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org", "parks.example.net"]
    api_client.get("/api/v1/organisations/?page_size=1", HTTP_HOST="portal.example.org")

    other = api_client.get("/api/v1/organisations/?page_size=1", HTTP_HOST="parks.example.net")

    assert other["X-Cache"] == "miss"
    assert "portal.example.org" not in other.content.decode()


def test_api_answers_indented_on_request_are_cached_apart(api_client, park):
    indented = api_client.get("/api/v1/organisations/", HTTP_ACCEPT="application/json; indent=8")
    plain = api_client.get("/api/v1/organisations/", HTTP_ACCEPT="application/json")
    again = api_client.get("/api/v1/organisations/?format=json")

    assert b'\n        "count"' in indented.content
    assert plain["X-Cache"] == "miss"
    assert b"\n" not in plain.content
    assert again.content == plain.content


# Sessions: only a session that really holds a login or messages passes the cache by.


def test_a_junk_session_cookie_is_served_from_the_cache(client, park):
    client.cookies["sessionid"] = "junk-not-a-session"

    first = client.get("/members/")
    second = client.get("/members/")

    assert (first.status_code, second["X-Cache"]) == (200, "hit")
    assert "Chiang Mai Science Park" in second.content.decode()


def test_a_session_cookie_of_no_login_is_served_from_the_cache(client, park):
    client.cookies["sessionid"] = "abcdefghijklmnopqrstuvwxyz012345"  # well formed, unknown
    client.get("/members/")

    assert client.get("/members/")["X-Cache"] == "hit"


def test_logged_in_staff_get_fresh_pages_after_anonymous_visits(staff_client, park):
    from django.test import Client

    Client().get("/members/")
    Client().get("/members/")
    park.name = "Renamed Park"
    park.save(update_fields=["name"])  # moves the clock: the anonymous copy is for before
    Client().get("/members/")

    response = staff_client.get("/members/")
    again = staff_client.get("/members/")

    assert "X-Cache" not in response and "X-Cache" not in again
    assert "Renamed Park" in again.content.decode()


def test_pages_seen_by_staff_are_not_kept_for_visitors(staff_client, park):
    from django.test import Client

    staff_client.get("/members/")

    assert Client().get("/members/")["X-Cache"] == "miss"


def test_a_session_holding_messages_passes_the_cache_by(client, park):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_messages"] = "[]"
    session.save()
    client.get("/members/")
    client.cookies["sessionid"] = session.session_key

    assert "X-Cache" not in client.get("/members/")
