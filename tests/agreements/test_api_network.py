"""/api/v1/network/: the cooperation graph, organisations as nodes and agreements as edges."""

import datetime

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from agreements.models import Agreement
from tests.api_support import error_attrs, errors
from tests.factories import (
    AgreementPartyFactory,
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db

NETWORK_URL = reverse("api:network-list")
BASE = "http://testserver"
EMPTY = {"nodes": [], "edges": [], "organisation_count": 0, "agreement_count": 0}


def edges(response) -> set[tuple[str, str, str]]:
    assert response.status_code == 200, response.content
    return {
        (edge["agreement"], edge["source"], edge["target"]) for edge in response.json()["edges"]
    }


def node_slugs(response) -> list[str]:
    return [node["slug"] for node in response.json()["nodes"]]


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


@pytest.fixture
def graph():
    """Four agreements that each filter tells apart."""
    energy = TopicFactory(slug="energy")
    europe, asia = DivisionFactory(slug="europe"), DivisionFactory(slug="asia")
    beijing = ConferenceFactory(slug="beijing-2025")
    taguspark = OrganisationFactory(slug="taguspark", country="PT", division=europe)
    tecnopuc = OrganisationFactory(slug="tecnopuc", country="BR", division=None)
    step = OrganisationFactory(slug="cmu-step", country="TH", division=asia)
    zpark = OrganisationFactory(slug="zpark", country="CN", division=asia)
    agreement_between(
        taguspark,
        step,
        slug="smart",
        signed_on=datetime.date(2024, 5, 1),
        topics=[energy],
        signed_at_conference=beijing,
    )
    agreement_between(
        taguspark,
        zpark,
        slug="old",
        signed_on=datetime.date(2019, 5, 1),
        status=Agreement.Status.EXPIRED,
    )
    agreement_between(
        tecnopuc,
        step,
        slug="kind",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2022, 12, 31),
    )
    agreement_between(
        tecnopuc, zpark, slug="latest", signed_on=datetime.date(2025, 9, 19), topics=[energy]
    )


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


@pytest.mark.parametrize("rows", [1, 5])
def test_network_query_budget(api_client, django_assert_num_queries, rows):
    for index in range(rows):
        rich_agreement(index)

    with django_assert_num_queries(NETWORK_QUERIES):
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


# The schema describes the graph.


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_network_schema_describes_nodes_and_edges(schema):
    operation = schema["paths"]["/api/v1/network/"]["get"]
    components = schema["components"]["schemas"]

    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"$ref": "#/components/schemas/Network"}
    network = components["Network"]["properties"]
    assert network["nodes"]["items"] == {"$ref": "#/components/schemas/NetworkNode"}
    assert network["edges"]["items"] == {"$ref": "#/components/schemas/NetworkEdge"}
    assert set(components["NetworkNode"]["properties"]) == {
        "id",
        "slug",
        "name",
        "country",
        "division",
        "is_member",
        "agreement_count",
        "url",
        "web_url",
    }
    edge = components["NetworkEdge"]["properties"]
    assert set(edge) == {"agreement", "source", "target", "year", "topics", "kind", "status"}
    assert edge["year"]["nullable"] is True
    assert network["organisation_count"]["type"] == "integer"
    assert network["agreement_count"]["type"] == "integer"
    assert set(components["Network"]["required"]) == {
        "nodes",
        "edges",
        "organisation_count",
        "agreement_count",
    }
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {
        "party",
        "year",
        "year_from",
        "year_to",
        "division",
        "country",
        "topic",
        "search",
        "limit",
    } <= names
    assert not {"page", "page_size", "ordering", "expand"} & names


def test_network_schema_documents_the_limit_and_the_country(schema):
    operation = schema["paths"]["/api/v1/network/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}

    assert parameters["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
        "default": 500,
    }
    assert parameters["limit"]["description"].startswith(
        "At most this many organisations, from 1 to 500 (500 when left out)"
    )
    assert "ISO 3166" in parameters["country"]["description"]
    assert parameters["year_to"]["schema"]["maximum"] == 2200
    assert "`limit` organisations that signed the most" in operation["description"]


def test_agreement_schema_documents_filters_and_writes(schema):
    operations = schema["paths"]["/api/v1/agreements/"]
    parameters = {parameter["name"]: parameter for parameter in operations["get"]["parameters"]}

    assert parameters["party"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert parameters["party"]["explode"] is True
    assert parameters["signed_after"]["schema"] == {"type": "string", "format": "date"}
    assert parameters["year"]["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2200}
    assert {"year", "topic", "status", "kind", "conference", "country"} <= set(parameters)
    assert "expand" in parameters
    created = operations["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/AgreementDetail"}
    request_body = operations["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert request_body == {"$ref": "#/components/schemas/AgreementWriteRequest"}


def test_agreement_schema_lists_the_write_refusals_by_field(schema):
    components = schema["components"]["schemas"]

    for action in ("Create", "Update", "PartialUpdate"):
        parties = components[f"Agreements{action}PartiesErrorComponent"]["properties"]
        assert {"too_few_parties", "duplicate_party", "does_not_exist"} <= set(
            parties["code"]["enum"]
        )
        slug = components[f"Agreements{action}SlugErrorComponent"]["properties"]
        assert "unique" in slug["code"]["enum"]
    source_url = components["Agreement"]["properties"]["source_url"]
    assert {"type": "string", "maxLength": 0} in source_url["oneOf"]
