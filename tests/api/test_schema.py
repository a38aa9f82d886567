import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from config.api import router

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory) -> dict:
    """The schema as served, generated with validation on and warnings as failures."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Science Parks Portal API"
    assert "## Keeping a copy in sync" in schema["info"]["description"]


def test_every_route_is_in_the_schema(schema):
    paths = set(schema["paths"])
    expected = set()
    for prefix, viewset, _basename in router.registry:
        expected.add(f"/api/v1/{prefix}/")
        if hasattr(viewset, "retrieve"):
            lookup = getattr(viewset, "lookup_url_kwarg", None) or viewset.lookup_field
            lookup = "id" if lookup == "pk" else lookup  # as drf-spectacular names it
            expected.add(f"/api/v1/{prefix}/{{{lookup}}}/")

    assert expected <= paths
    assert len(router.registry) >= 9


def test_served_schema_matches_the_routes(client):
    response = client.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    assert "/api/v1/topics/" in response.json()["paths"]


def test_list_operations_document_paging_sync_and_errors(schema):
    operation = schema["paths"]["/api/v1/topics/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}

    assert {"page", "page_size", "modified_since", "search", "ordering", "format"} <= names
    assert {"200", "304", "400", "401", "404", "429"} <= set(operation["responses"])
    assert "text/csv" in operation["responses"]["200"]["content"]


def test_token_authentication_is_described(schema):
    scheme = schema["components"]["securitySchemes"]["apiToken"]

    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/docs/console/"])
def test_docs_page_loads_only_vendored_assets(client, url):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        source = source.removeprefix("http://testserver")  # the page's canonical address
        assert source.startswith(("/", "#")), f"{source} would leave the site"
        if source.startswith(settings.STATIC_URL) or source.startswith("/static/"):
            relative = source.removeprefix("/static/")
            assert (Path(settings.BASE_DIR) / "static" / relative).is_file(), source


def test_docs_script_points_at_the_schema(client):
    response = client.get("/api/v1/docs/console/?script=")

    assert response.status_code == 200
    assert "/api/v1/schema/" in response.content.decode()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_reads_take_a_token_or_none_and_writes_a_token(schema):
    security = {
        (path, method): operation["security"] for path, method, operation in operations(schema)
    }

    assert security[("/api/v1/topics/", "get")] == [{"apiToken": []}, {}]
    assert security[("/api/v1/organisations/", "post")] == [{"apiToken": []}]
    # A token's own webhook subscriptions are read with that token only.
    assert security[("/api/v1/webhooks/", "get")] == [{"apiToken": []}]
    for (path, method), requirement in security.items():
        if method == "get" and not path.startswith("/api/v1/webhooks/"):
            assert requirement == [{"apiToken": []}, {}], path
        else:
            assert requirement == [{"apiToken": []}], (path, method)


def test_writes_document_the_413_of_a_body_too_large(schema):
    writes = [
        (path, method, operation)
        for path, method, operation in operations(schema)
        if method in {"post", "put", "patch"}
    ]
    code = schema["components"]["schemas"]["Error413"]["properties"]["code"]

    assert writes
    for path, method, operation in writes:
        assert "413" in operation["responses"], (path, method)
    assert "413" not in schema["paths"]["/api/v1/topics/"]["get"]["responses"]
    assert schema["components"]["schemas"][code["$ref"].split("/")[-1]]["enum"] == [
        "request_too_large"
    ]


def test_one_line_fields_document_their_control_characters_error(schema):
    component = schema["components"]["schemas"]["OrganisationsCreateNameErrorComponent"]

    assert "control_characters" in component["properties"]["code"]["enum"]
