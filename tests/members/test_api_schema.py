"""What the schema promises about the members endpoints matches what they send."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def parameters(schema: dict, path: str) -> dict[str, dict]:
    return {
        parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]
    }


def error_codes(schema: dict, component: str) -> set[str]:
    return set(schema["components"]["schemas"][component]["properties"]["code"]["enum"])


def test_filters_are_documented_with_their_types(schema):
    organisations = parameters(schema, "/api/v1/organisations/")
    people = parameters(schema, "/api/v1/people/")
    memberships = parameters(schema, "/api/v1/memberships/")

    assert {"country", "division", "kind", "category", "topic", "member"} <= set(organisations)
    assert organisations["member"]["schema"]["type"] == "boolean"
    assert "q" not in organisations
    assert {"organisation", "conference", "role", "country"} <= set(people)
    assert memberships["current"]["schema"]["type"] == "boolean"
    assert memberships["started_after"]["schema"]["format"] == "date"


@pytest.mark.parametrize(
    ("component", "field"),
    [("Organisation", "website"), ("Person", "website"), ("Person", "country")],
)
def test_blank_text_is_documented_as_allowed(schema, component, field):
    """Read-only fields that may be "" say so: a partner's validator must accept them."""
    property_schema = schema["components"]["schemas"][component]["properties"][field]

    assert len(property_schema["oneOf"]) == 2


@pytest.mark.parametrize(
    ("component", "code"),
    [
        ("OrganisationsListMemberErrorComponent", "invalid"),
        ("OrganisationsListTopicErrorComponent", "null_characters_not_allowed"),
        ("PeopleListConferenceErrorComponent", "null_characters_not_allowed"),
        ("MembershipsListCurrentErrorComponent", "invalid"),
        ("MembershipsListStartedAfterErrorComponent", "invalid"),
        ("OrganisationsCreateNameErrorComponent", "unique"),
        ("OrganisationsCreateRorIdErrorComponent", "unique"),
        ("OrganisationsPartialUpdateLongitudeErrorComponent", "both_or_neither"),
    ],
)
def test_error_codes_the_endpoints_send_are_documented(schema, component, code):
    assert code in error_codes(schema, component)


def test_writes_answer_with_the_detail_shape(schema):
    create = schema["paths"]["/api/v1/organisations/"]["post"]["responses"]["201"]
    update = schema["paths"]["/api/v1/people/{slug}/"]["patch"]["responses"]["200"]

    assert create["content"]["application/json"]["schema"]["$ref"].endswith("/OrganisationDetail")
    assert update["content"]["application/json"]["schema"]["$ref"].endswith("/PersonDetail")


def test_the_schema_is_built_without_the_database(django_assert_num_queries):
    # Read by `manage.py spectacular` at build time, and by the docs page: no kept counts.
    with django_assert_num_queries(0):
        SchemaGenerator().get_schema(request=None, public=True)
