"""/api/v1/network/: filters, the limit and refused parameters."""

import pytest

from tests.agreements import network_api
from tests.agreements.network_api import EMPTY, NETWORK_URL, edges, node_slugs
from tests.api_support import error_attrs, errors
from tests.factories import (
    DivisionFactory,
    OrganisationFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db

graph = network_api.graph  # shared fixture, defined in network_api
schema = network_api.schema  # shared fixture, defined in network_api


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"smart", "old", "kind", "latest"}),
        ({"party": "taguspark"}, {"smart", "old"}),
        ({"party": ["taguspark", "cmu-step"]}, {"smart"}),
        ({"year": "2024"}, {"smart"}),
        ({"year_from": "2022"}, {"smart", "kind", "latest"}),
        ({"year_to": "2022"}, {"old", "kind"}),
        ({"year_from": "2020", "year_to": "2024"}, {"smart", "kind"}),
        ({"signed_after": "2022-12-31", "signed_before": "2024-12-31"}, {"smart", "kind"}),
        ({"topic": "energy"}, {"smart", "latest"}),
        ({"status": "expired"}, {"old"}),
        ({"kind": "mou"}, {"kind"}),
        ({"conference": "beijing-2025"}, {"smart"}),
        ({"country": "BR"}, {"kind", "latest"}),
        ({"country": "TH", "year_from": "2023"}, {"smart"}),
        ({"country": "CN", "year_to": "2024"}, {"old"}),
        ({"division": "europe"}, {"smart", "old"}),
        ({"division": "asia"}, {"smart", "old", "kind", "latest"}),
        ({"division": "asia", "year_to": "2020"}, {"old"}),
        ({"search": "Science Park"}, {"smart", "old", "kind", "latest"}),
    ],
)
def test_network_filters_like_the_agreements(api_client, graph, query, expected):
    response = api_client.get(NETWORK_URL, query)

    assert {agreement for agreement, _source, _target in edges(response)} == expected


def test_network_nodes_are_the_parties_of_the_matching_agreements(api_client, graph):
    response = api_client.get(NETWORK_URL, {"division": "europe"})

    names = [node["name"] for node in response.json()["nodes"]]
    assert names == sorted(names)
    counts = {node["slug"]: node["agreement_count"] for node in response.json()["nodes"]}
    assert counts == {"taguspark": 2, "cmu-step": 1, "zpark": 1}


def test_network_existing_organisation_without_agreements_gives_an_empty_graph(api_client, graph):
    OrganisationFactory(slug="loner")
    DivisionFactory(slug="empty")

    for query in ({"party": "loner"}, {"division": "empty"}):
        response = api_client.get(NETWORK_URL, query)
        assert response.json() == EMPTY, query


def test_network_counts_the_organisations_and_agreements_that_match(api_client, graph):
    response = api_client.get(NETWORK_URL, {"country": "BR"})

    body = response.json()
    assert (body["organisation_count"], body["agreement_count"]) == (3, 2)
    assert len(body["nodes"]) == 3


def test_network_limit_keeps_those_with_most_agreements_and_the_edges_among_them(api_client, graph):
    response = api_client.get(NETWORK_URL, {"limit": "3"})

    body = response.json()
    # Each park signed two of the four; on a tie, the lower id first: zpark is left out.
    counts = {node["slug"]: node["agreement_count"] for node in body["nodes"]}
    assert counts == {"taguspark": 2, "tecnopuc": 2, "cmu-step": 2}
    assert edges(response) == {
        ("kind", "tecnopuc", "cmu-step"),
        ("smart", "taguspark", "cmu-step"),
    }
    assert (body["organisation_count"], body["agreement_count"]) == (4, 4)


def test_network_limit_ranks_by_the_filtered_agreements(api_client, graph):
    response = api_client.get(NETWORK_URL, {"limit": "1", "year_from": "2024"})

    body = response.json()
    assert [(node["slug"], node["agreement_count"]) for node in body["nodes"]] == [("taguspark", 1)]
    assert body["edges"] == []
    assert (body["organisation_count"], body["agreement_count"]) == (4, 2)


def test_network_limit_cuts_an_agreement_of_three_down_to_its_shown_pairs(api_client):
    first, second, third = (OrganisationFactory(slug=slug) for slug in ("p1", "p2", "p3"))
    agreement_between(first, second, third, slug="three")
    agreement_between(first, second, slug="two")

    response = api_client.get(NETWORK_URL, {"limit": "2"})

    assert set(node_slugs(response)) == {"p1", "p2"}
    assert edges(response) == {("three", "p1", "p2"), ("two", "p1", "p2")}


def test_network_is_limited_to_the_maximum_by_default(api_client, graph, monkeypatch):
    monkeypatch.setattr("agreements.filters.NETWORK_MAX_LIMIT", 2)

    response = api_client.get(NETWORK_URL)

    assert set(node_slugs(response)) == {"taguspark", "tecnopuc"}
    assert response.json()["organisation_count"] == 4


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ({"party": "no-such-park"}, "party"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"conference": "no-such-conference"}, "conference"),
        ({"division": "no-such-division"}, "division"),
        ({"year": "last"}, "year"),
        ({"year_from": "soon"}, "year_from"),
        ({"year_to": "99999"}, "year_to"),
        ({"signed_after": "2025-02-30"}, "signed_after"),
        ({"status": "lost"}, "status"),
        ({"kind": "treaty"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"country": "hu"}, "country"),
        ({"year_from": "2024", "year_to": "2020"}, "year_to"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"page": "2"}, "page"),
        ({"page_size": "10"}, "page_size"),
        ({"modified_since": "2025-01-01"}, "modified_since"),
        ({"ordering": "title"}, "ordering"),
        ({"expand": "parties"}, "expand"),
        ({"format": "csv"}, "format"),
        ({"edges": "1"}, "edges"),
        ({"search": "park\x00"}, "search"),
    ],
)
def test_network_refuses_a_bad_parameter_naming_it(api_client, query, attr):
    response = api_client.get(NETWORK_URL, query)

    assert error_attrs(response) == [attr]


def test_network_refuses_a_year_range_that_ends_before_it_starts(api_client, schema):
    response = api_client.get(NETWORK_URL, {"year_from": "2024", "year_to": "2020"})

    assert errors(response) == [("year_to", "before_year_from")]
    assert response.json()["errors"][0]["detail"] == (
        "The last year cannot be before the first year."
    )
    component = schema["components"]["schemas"]["NetworkListYearToErrorComponent"]
    assert "before_year_from" in component["properties"]["code"]["enum"]
