"""/api/v1/network/: the graph's shape, audiences, formats and query budget."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core import aggregates
from portal.tasks import refresh_aggregates
from tests.agreements import network_api
from tests.agreements.network_api import BASE, EMPTY, NETWORK_URL, edges, node_slugs
from tests.factories import (
    AgreementPartyFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db

graph = network_api.graph  # shared fixture, defined in network_api


def test_network_gives_nodes_and_an_edge_for_each_pair_of_parties(api_client):
    europe = DivisionFactory(slug="europe")
    taguspark = OrganisationFactory(
        name="Taguspark", slug="taguspark", country="PT", division=europe
    )
    step = OrganisationFactory(name="CMU STeP", slug="cmu-step", country="TH", division=None)
    zpark = OrganisationFactory(name="Zhongguancun", slug="zpark", country="CN")
    MembershipFactory(organisation=taguspark)
    energy, health = TopicFactory(slug="energy"), TopicFactory(slug="health")
    agreement_between(
        taguspark,
        step,
        slug="two",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2024, 5, 1),
        topics=[energy],
    )
    agreement_between(
        zpark,
        taguspark,
        step,
        slug="three",
        status=Agreement.Status.ACTIVE,
        signed_on=datetime.date(2025, 9, 19),
        topics=[energy, health],
    )

    response = api_client.get(NETWORK_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["nodes"] == [
        {
            "id": step.pk,
            "slug": "cmu-step",
            "name": "CMU STeP",
            "country": "TH",
            "division": None,
            "is_member": False,
            "agreement_count": 2,
            "url": f"{BASE}/api/v1/organisations/cmu-step/",
            "web_url": f"{BASE}/organisations/cmu-step/",
        },
        {
            "id": taguspark.pk,
            "slug": "taguspark",
            "name": "Taguspark",
            "country": "PT",
            "division": "europe",
            "is_member": True,
            "agreement_count": 2,
            "url": f"{BASE}/api/v1/organisations/taguspark/",
            "web_url": f"{BASE}/organisations/taguspark/",
        },
        {
            "id": zpark.pk,
            "slug": "zpark",
            "name": "Zhongguancun",
            "country": "CN",
            "division": zpark.division.slug,
            "is_member": False,
            "agreement_count": 1,
            "url": f"{BASE}/api/v1/organisations/zpark/",
            "web_url": f"{BASE}/organisations/zpark/",
        },
    ]
    assert body["edges"] == [
        {
            "agreement": "two",
            "source": "taguspark",
            "target": "cmu-step",
            "year": 2024,
            "topics": ["energy"],
            "kind": "mou",
            "status": "signed",
        },
        *(
            {
                "agreement": "three",
                "source": source,
                "target": target,
                "year": 2025,
                "topics": ["energy", "health"],
                "kind": "cooperation",
                "status": "active",
            }
            for source, target in (
                ("zpark", "taguspark"),
                ("zpark", "cmu-step"),
                ("taguspark", "cmu-step"),
            )
        ),
    ]


def test_network_without_agreements_is_empty(api_client):
    OrganisationFactory()

    response = api_client.get(NETWORK_URL)

    assert response.json() == EMPTY


@pytest.fixture
def mixed_visibility():
    a, b, c = (OrganisationFactory(slug=slug) for slug in ("park-a", "park-b", "park-c"))
    agreement_between(a, b, slug="shown")
    agreement_between(a, c, slug="private", is_public=False)
    agreement_between(b, c, slug="draft", status=Agreement.Status.DRAFT, signed_on=None)


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_network_leaves_out_non_public_agreements_and_their_parties(
    caller, request, mixed_visibility
):
    client = request.getfixturevalue(caller)

    response = client.get(NETWORK_URL)

    assert edges(response) == {("shown", "park-a", "park-b")}
    assert node_slugs(response) == ["park-a", "park-b"]
    assert [node["agreement_count"] for node in response.json()["nodes"]] == [1, 1]
    assert edges(client.get(NETWORK_URL, {"party": "park-c"})) == set()


def test_network_shows_everything_to_staff_tokens(staff_api_client, mixed_visibility):
    response = staff_api_client.get(NETWORK_URL)

    assert edges(response) == {
        ("shown", "park-a", "park-b"),
        ("private", "park-a", "park-c"),
        ("draft", "park-b", "park-c"),
    }
    draft = next(edge for edge in response.json()["edges"] if edge["agreement"] == "draft")
    assert (draft["year"], draft["status"]) == (None, "draft")


def test_network_is_json_only(api_client):
    assert api_client.get(NETWORK_URL, {"format": "json"}).status_code == 200
    assert api_client.get(NETWORK_URL, HTTP_ACCEPT="text/csv").status_code == 406


def test_network_has_no_detail_route():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("api:network-detail", kwargs={"slug": "x"})


def test_network_is_listed_in_the_api_root(api_client):
    response = api_client.get(reverse("api:api-root"))

    assert response.json()["network"] == f"{BASE}/api/v1/network/"
    assert response.json()["agreements"] == f"{BASE}/api/v1/agreements/"


def test_network_answers_not_modified_to_a_conditional_request(api_client, graph):
    first = api_client.get(NETWORK_URL)

    again = api_client.get(NETWORK_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


# Query budget: the same number of queries for a small and a larger graph.


def rich_agreement(index: int) -> Agreement:
    parties = [OrganisationFactory(division=DivisionFactory()) for _ in range(3)]
    MembershipFactory(organisation=parties[0])
    return agreement_between(
        *parties,
        topics=[TopicFactory(), TopicFactory()],
        signed_on=datetime.date(2020 + index, 1, 1),
    )


# The ranking of the parties; the nodes (with division and membership); the agreements'
# count; the agreements between shown nodes, their shown parties and their topics.
NETWORK_QUERIES = 6
# Without filters, for anyone but staff: the network the worker keeps, in one query; kept by
# none yet, the request builds it and keeps it (read, a capped count of the public agreements
# that says it may, the network, one write).
KEPT_NETWORK_QUERIES = 1
UNKEPT_NETWORK_QUERIES = NETWORK_QUERIES + 3


@pytest.mark.parametrize("rows", [1, 5])
def test_network_query_budget(api_client, django_assert_num_queries, rows):
    for index in range(rows):
        rich_agreement(index)
    refresh_aggregates.call(changed_at=aggregates.clock())

    with django_assert_num_queries(KEPT_NETWORK_QUERIES):
        response = api_client.get(NETWORK_URL)

    assert len(response.json()["edges"]) == 3 * rows
    assert len(response.json()["nodes"]) == 3 * rows


@pytest.mark.parametrize("rows", [1, 5])
def test_network_query_budget_before_the_network_is_kept(
    api_client, django_assert_num_queries, rows
):
    for index in range(rows):
        rich_agreement(index)

    with django_assert_num_queries(UNKEPT_NETWORK_QUERIES):
        response = api_client.get(NETWORK_URL)

    assert len(response.json()["edges"]) == 3 * rows
    assert len(response.json()["nodes"]) == 3 * rows


@pytest.mark.parametrize("rows", [1, 5])
def test_network_query_budget_with_filters(api_client, django_assert_num_queries, rows):
    division = DivisionFactory(slug="central")
    for index in range(rows):
        agreement = rich_agreement(index)
        AgreementPartyFactory(
            agreement=agreement, organisation=OrganisationFactory(division=division), order=9
        )

    # Each slug filter looks its record up once.
    with django_assert_num_queries(NETWORK_QUERIES + 1):
        response = api_client.get(NETWORK_URL, {"division": "central", "year_from": "2020"})

    assert len(response.json()["edges"]) == 6 * rows


@pytest.mark.parametrize("rows", [1, 5])
def test_network_query_budget_with_a_limit(api_client, django_assert_num_queries, rows):
    for index in range(rows):
        rich_agreement(index)

    with django_assert_num_queries(NETWORK_QUERIES):
        response = api_client.get(NETWORK_URL, {"limit": "2"})

    assert len(response.json()["nodes"]) == 2
    assert response.json()["organisation_count"] == 3 * rows
