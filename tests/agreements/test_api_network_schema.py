"""/api/v1/network/ and /api/v1/agreements/ in the OpenAPI schema."""

import pytest

from tests.agreements import network_api

pytestmark = pytest.mark.django_db

schema = network_api.schema  # shared fixture, defined in network_api


# The schema describes the graph.


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
