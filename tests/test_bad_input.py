"""Every public query parameter, tried with what an attacker or a broken client sends.

Wrong types, huge values, odd unicode, SQL and HTML injection: the answer is a page or a
400/404, never a server error, and nothing sent is written back into a page unescaped.
"""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "1; DROP TABLE members_organisation; --",
    "x" * 5000,
    "\x00",
    "nul\x00inside",
    "\u202egnp.exe\ufeff\U0001f642",
    "-1",
    "0",
    "99999999999999999999999",
    "2025-13-45",
    "../../etc/passwd",
    "{{ 7|add:7 }}",
    "%s%s%s%n",
    "[]",
]

PUBLIC_PARAMETERS = {
    "/search/": ["q", "type", "page"],
    "/members/": ["q", "country", "division", "kind", "category", "topic", "page"],
    "/people/": ["q", "conference", "country", "organisation", "page"],
    "/conferences/": ["kind", "division", "year", "country", "topic", "page"],
    "/agreements/": ["year", "topic", "country", "party", "kind", "status", "page"],
    "/agreements/network/": ["year_from", "year_to", "topic", "division", "country"],
    "/members/map/": ["page"],
    "/divisions/": ["page"],
    "/topics/": ["page"],
    "/conferences/upcoming.ics": ["page"],
    "/conferences/feed.atom": ["page"],
    "/agreements/feed.atom": ["page"],
}
API_PARAMETERS = {
    "/api/v1/conferences/": ["kind", "year", "date_from", "when", "topic", "search", "expand"],
    "/api/v1/sessions/": ["conference", "day", "kind", "search", "ordering"],
    "/api/v1/organisations/": ["country", "member", "category", "search", "page_size"],
    "/api/v1/people/": ["organisation", "role", "search", "modified_since"],
    "/api/v1/memberships/": ["current", "started_after", "status", "page"],
    "/api/v1/agreements/": ["party", "year", "signed_after", "status", "search", "ordering"],
    "/api/v1/network/": ["party", "year_from", "division", "search", "format", "limit"],
    "/api/v1/topics/": ["search", "ordering", "modified_since", "page_size"],
}
DETAIL_PATHS = [
    "/organisations/{}/",
    "/people/{}/",
    "/conferences/{}/",
    "/agreements/{}/",
    "/api/v1/organisations/{}/",
    "/api/v1/sessions/{}/",
]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def assert_safe(response, payload: str) -> None:
    assert response.status_code < 500, (response.status_code, payload)
    body = response.content.decode("utf-8", errors="replace")
    if payload in (SCRIPT, '"><img src=x onerror=alert(1)>'):
        assert payload not in body, "reflected unescaped"
    assert "Traceback" not in body


@pytest.mark.parametrize("path", list(PUBLIC_PARAMETERS))
def test_public_pages_survive_every_payload_in_every_parameter(demo, client, path):
    for parameter in PUBLIC_PARAMETERS[path]:
        for payload in PAYLOADS:
            assert_safe(client.get(path, {parameter: payload}), payload)
    # All at once, and repeated parameters.
    assert_safe(client.get(path, dict.fromkeys(PUBLIC_PARAMETERS[path], SCRIPT)), SCRIPT)
    query = "&".join(f"{name}=a&{name}=b" for name in PUBLIC_PARAMETERS[path])
    assert_safe(client.get(f"{path}?{query}"), "")


@pytest.mark.parametrize("path", list(API_PARAMETERS))
def test_api_lists_survive_every_payload_in_every_parameter(demo, client, path):
    for parameter in API_PARAMETERS[path]:
        for payload in PAYLOADS:
            response = client.get(path, {parameter: payload})
            assert_safe(response, payload)
            assert response["Content-Type"].startswith("application/json"), (parameter, payload)


@pytest.mark.parametrize("pattern", DETAIL_PATHS)
def test_detail_pages_with_odd_slugs_are_not_found(demo, client, pattern):
    for payload in ["%3Cscript%3E", "x" * 500, "%00", "..%2F..%2Fetc", "%F0%9F%99%82", "1'--"]:
        response = client.get(pattern.format(payload))
        assert response.status_code == 404, (pattern, payload)
        assert b"<script>" not in response.content


def test_search_shows_the_query_escaped(demo, client):
    response = client.get("/search/", {"q": SCRIPT})

    body = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_unparseable_query_string_is_not_an_error(demo, client):
    response = client.get("/members/?%zz=%zz&&=&country")

    assert response.status_code == 200


def test_api_write_with_garbage_bodies_is_a_400(demo, staff_api_client):
    for body in ["not json", "[]", '{"name": ' + '"x"' * 3 + "}", "\x00", '{"name": null}']:
        response = staff_api_client.post(
            "/api/v1/organisations/", body, content_type="application/json"
        )
        assert response.status_code == 400, body
        assert response.json()["type"] in {"validation_error", "client_error"}


@pytest.mark.parametrize("ordering", ["--name", "---name", "-", "--"])
def test_api_ordering_with_more_than_one_minus_is_a_400_naming_it(demo, client, ordering):
    response = client.get("/api/v1/organisations/", {"ordering": ordering})

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ordering"


def test_a_document_name_with_a_nul_byte_is_not_found(demo, client):
    assert client.get("/agreements/documents/x.pdf%00").status_code == 404


@pytest.mark.parametrize(
    "moment",
    ["1447-12-08T04:59:20.161-22:40", "2025-01-31T12:00:00+23:59", "0001-01-01T00:00-05:00"],
)
def test_modified_since_with_any_offset_is_answered_not_an_error(demo, client, moment):
    response = client.get("/api/v1/divisions/", {"modified_since": moment})

    assert response.status_code in (200, 400)
    assert response.status_code == 200 or response.json()["errors"][0]["attr"] == "modified_since"
