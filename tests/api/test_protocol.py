"""What every endpoint shares: parameters, paging, formats, CORS."""

import csv
import io

import pytest

from tests.api_support import error_attrs
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_root_lists_every_endpoint(api_client):
    response = api_client.get("/api/v1/")

    assert response.status_code == 200
    endpoints = response.json()
    assert endpoints["topics"] == "http://testserver/api/v1/topics/"
    assert {
        "conferences",
        "sessions",
        "organisations",
        "people",
        "memberships",
        "divisions",
        "topics",
        "agreements",
        "network",
    } <= set(endpoints)


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("contry=FR", "contry"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page_size=201", "page_size"),
        ("page_size=-1", "page_size"),
        ("ordering=password", "ordering"),
        ("ordering=", "ordering"),
        ("modified_since=yesterday", "modified_since"),
        ("modified_since=2025-02-30", "modified_since"),
        ("format=xml", "format"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(api_client, query, attr):
    response = api_client.get(f"/api/v1/topics/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "validation_error"
    assert error_attrs(response) == [attr]


def test_filter_parameters_are_unknown_on_a_detail(api_client):
    TopicFactory(slug="energy")

    response = api_client.get("/api/v1/topics/energy/?search=x")

    assert response.status_code == 400
    assert error_attrs(response) == ["search"]


def test_page_past_the_end_is_a_404(api_client):
    TopicFactory()

    response = api_client.get("/api/v1/topics/?page=2")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_pages_cover_every_record_once_in_a_stable_order(api_client):
    topics = [TopicFactory(slug=f"topic-{number}") for number in range(7)]
    # Two timestamps for seven rows: only the primary key can keep the order stable.
    for number, topic in enumerate(topics):
        stamp = "2025-01-01T00:00:00Z" if number % 2 else "2024-01-01T00:00:00Z"
        type(topic).objects.filter(pk=topic.pk).update(modified=stamp)

    seen, url = [], "/api/v1/topics/?page_size=3&ordering=-modified"
    while url:
        page = api_client.get(url).json()
        seen += [topic["slug"] for topic in page["results"]]
        url = page["next"]

    assert sorted(seen) == [f"topic-{number}" for number in range(7)]
    assert len(seen) == 7
    assert seen[:4] == ["topic-1", "topic-3", "topic-5", "topic-0"]


def test_paging_links_are_in_the_body_and_the_link_header(api_client):
    for number in range(3):
        TopicFactory(slug=f"topic-{number}")

    response = api_client.get("/api/v1/topics/?page_size=1&page=2")

    body = response.json()
    assert body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/topics/?page=3&page_size=1"
    assert body["previous"] == "http://testserver/api/v1/topics/?page_size=1"
    assert response["Link"] == (
        '<http://testserver/api/v1/topics/?page=3&page_size=1>; rel="next", '
        '<http://testserver/api/v1/topics/?page_size=1>; rel="prev"'
    )


def test_modified_since_keeps_the_recent_records(api_client):
    old = TopicFactory(slug="old")
    TopicFactory(slug="new")
    type(old).objects.filter(pk=old.pk).update(modified="2020-01-01T00:00:00Z")

    response = api_client.get("/api/v1/topics/?modified_since=2024-06-01T00:00:00%2B02:00")

    assert [topic["slug"] for topic in response.json()["results"]] == ["new"]


def test_search_and_ordering(api_client):
    TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    TopicFactory(name="New materials", slug="new-materials")
    TopicFactory(name="Renewable energy", slug="renewable-energy")

    response = api_client.get("/api/v1/topics/?search=energy&ordering=-name")

    assert [t["slug"] for t in response.json()["results"]] == [
        "renewable-energy",
        "energy-efficiency",
    ]


def test_csv_has_a_header_and_one_row_per_record(api_client):
    TopicFactory(name="=SUM(A1)", slug="formula", description="Looks like a formula")

    response = api_client.get("/api/v1/topics/?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="topic.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["slug"] == "formula"
    assert rows[0]["name"] == "'=SUM(A1)"  # not run as a formula by a spreadsheet
    assert rows[0]["url"] == "http://testserver/api/v1/topics/formula/"


def test_csv_of_an_empty_list_still_has_its_header(api_client):
    response = api_client.get("/api/v1/topics/", HTTP_ACCEPT="text/csv")

    assert response.content.decode().splitlines()[0].startswith("id,slug,name,")


def test_csv_is_not_offered_on_a_detail(api_client):
    TopicFactory(slug="energy")

    response = api_client.get("/api/v1/topics/energy/?format=csv")

    assert response.status_code == 400
    assert error_attrs(response) == ["format"]


def test_cors_lets_any_website_read(api_client):
    response = api_client.get("/api/v1/topics/", HTTP_ORIGIN="https://park.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "etag" in response["Access-Control-Expose-Headers"].lower()


def test_cors_preflight_offers_reading_only(api_client):
    response = api_client.options(
        "/api/v1/topics/",
        HTTP_ORIGIN="https://park.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_cors_headers_stay_off_the_public_pages(client):
    response = client.get("/", HTTP_ORIGIN="https://park.example")

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/topics/a.b(c/", "/api/v1/x"])
def test_unknown_api_address_is_a_json_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
