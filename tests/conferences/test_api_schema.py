"""The OpenAPI schema describes the conferences' and sessions' parameters as they behave."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # Warnings fail tests/api/test_schema.py; here only this app's operations matter.
        call_command("spectacular", "--validate", "--file", str(path))
    return yaml.safe_load(path.read_text())


def parameters(schema: dict, path: str, method: str = "get") -> dict[str, dict]:
    operation = schema["paths"][path][method]
    return {parameter["name"]: parameter for parameter in operation["parameters"]}


def test_conference_list_documents_every_filter_with_its_type(schema):
    found = parameters(schema, "/api/v1/conferences/")

    assert found["kind"]["schema"]["enum"] == ["division", "other", "world"]
    assert found["status"]["schema"]["enum"] == [
        "cancelled",
        "held",
        "planned",
        "registration_open",
    ]
    assert found["when"]["schema"]["enum"] == ["past", "upcoming"]
    assert found["year"]["schema"]["type"] == "integer"
    assert found["date_from"]["schema"] == {"type": "string", "format": "date"}
    assert found["date_to"]["schema"] == {"type": "string", "format": "date"}
    for name in ("division", "topic", "country"):
        assert found[name]["schema"]["type"] == "string"
        assert "enum" not in found[name]["schema"]
    assert "slug" in found["division"]["description"]
    assert "ISO 3166-1" in found["country"]["description"]
    assert "start_date" in found["ordering"]["description"]
    assert found["format"]["schema"]["enum"] == ["csv", "ics", "json"]
    assert {"search", "page", "page_size", "modified_since", "expand"} <= set(found)
    assert "hosts" in found["expand"]["description"]


def test_conference_list_documents_calendar_and_csv_responses(schema):
    content = schema["paths"]["/api/v1/conferences/"]["get"]["responses"]["200"]["content"]

    assert {"application/json", "text/csv", "text/calendar"} <= set(content)


def test_conference_writes_answer_with_the_detail_shape(schema):
    operations = schema["paths"]["/api/v1/conferences/{slug}/"]
    created = schema["paths"]["/api/v1/conferences/"]["post"]["responses"]["201"]

    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/ConferenceDetail")
    for method in ("put", "patch"):
        response = operations[method]["responses"]["200"]
        assert response["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ConferenceDetail"
        )


def test_session_list_documents_every_filter_with_its_type(schema):
    found = parameters(schema, "/api/v1/sessions/")

    assert found["day"]["schema"] == {"type": "string", "format": "date"}
    assert "technical_visit" in found["kind"]["schema"]["enum"]
    assert found["conference"]["schema"]["type"] == "string"
    assert found["topic"]["schema"]["type"] == "string"
    assert {"search", "ordering", "page", "page_size", "modified_since", "expand"} <= set(found)


def test_session_detail_is_looked_up_by_integer_id(schema):
    found = parameters(schema, "/api/v1/sessions/{id}/")

    assert found["id"]["schema"] == {"type": "integer"}
    assert found["format"]["schema"]["enum"] == ["ics", "json"]


def test_session_moments_are_nullable_date_times(schema):
    properties = schema["components"]["schemas"]["Session"]["properties"]

    assert properties["starts_at"]["format"] == "date-time"
    assert properties["starts_at"]["nullable"] is True
    assert properties["ends_at"]["nullable"] is True
