"""The API reference and guide: server-rendered from the schema, readable without JavaScript."""

import html
import itertools
import re

import pytest

from portal.api.reference import schema
from tests.factories import PageFactory
from tests.hostile_support import CORPUS, query

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def operations():
    for path, item in schema()["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def section(page: str, operation_id: str) -> str:
    """The HTML of one operation's section, found by its anchor."""
    match = re.search(
        rf'<section id="{re.escape(operation_id)}" class="api-op".*?</section>', page, re.S
    )
    assert match, f"no section for {operation_id}"
    return match[0]


@pytest.fixture
def reference_page(client) -> str:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_operation_appears_with_its_parameters_responses_and_an_example(reference_page):
    seen = 0
    for path, method, operation in operations():
        body = section(reference_page, operation["operationId"])
        assert f"{method.upper()}</span> <code>{html.escape(path)}</code>" in body
        for parameter in operation.get("parameters", []):
            assert (
                f'<dt><code>{parameter["name"]}</code> <span class="api-meta">{parameter["in"]}'
                in body
            ), (
                operation["operationId"],
                parameter["name"],
            )
        shared = re.search(r'<li><code>([\d, ]+)</code> <a href="#errors">', body)
        told_above = shared[1].split(", ") if shared else []
        for status in operation["responses"]:
            assert f"<li><code>{status}</code>" in body or status in told_above, status
        assert '<pre class="api-example"><code>curl -s' in body
        seen += 1
    assert seen == 42


def test_errors_alike_everywhere_are_described_once(reference_page):
    errors = reference_page.split('<h3 id="errors">', 1)[1].split("</ul>", 1)[0]

    assert "<li><code>429</code> Too Many Requests" in errors
    assert "code <code>throttled</code>" in errors
    assert "<li><code>400</code>" not in errors  # each operation's 400 names its own fields


def test_table_of_contents_links_every_operation_by_tag(reference_page):
    toc = reference_page.split('<nav class="api-toc"', 1)[1].split("</nav>", 1)[0]

    for _path, _method, operation in operations():
        assert f'href="#{operation["operationId"]}"' in toc
    for tag in {operation["tags"][0] for _p, _m, operation in operations()}:
        assert f'href="#tag-{tag}"' in toc


def test_a_write_shows_its_body_fields_token_and_error_fields(reference_page):
    body = section(reference_page, "organisations_create")

    assert "Needs a token." in body
    assert '<dt><code>name</code> <span class="api-meta">string · required</span></dt>' in body
    assert "-H &#x27;Authorization: Bearer &lt;key&gt;&#x27;" in body
    record = '<a href="/api/v1/docs/records/#record-OrganisationDetail">'
    assert f"<li><code>201</code> Created: {record}" in body
    assert "code <code>invalid" in body  # the 400's error codes


def test_records_page_lists_the_fields_of_every_record_the_reference_links(client, reference_page):
    records = client.get("/api/v1/docs/records/").content.decode()

    for name in set(re.findall(r'href="/api/v1/docs/records/#record-(\w+)"', reference_page)):
        assert f'<section id="record-{name}" class="api-record"' in records
    detail = records.split('id="record-OrganisationDetail"', 1)[1].split("</section>", 1)[0]
    assert "<dt><code>slug</code>" in detail
    assert "<script" not in records


def test_a_list_shows_enum_values_formats_and_its_answer(reference_page):
    body = section(reference_page, "conferences_list")

    assert "<code>division | other | world</code>" in body  # ?kind=
    assert "application/json, text/csv, text/calendar" in body
    assert "'http://testserver/api/v1/conferences/'</code>" in body
    assert "Answer (200)" in body
    # A guide section named in a description links to it.
    assert '<a href="/api/v1/docs/guide/#section-counts-by-a-field">“Counts by a field”</a>' in body


def test_reference_needs_no_script_and_links_back_to_the_portal(reference_page):
    assert "<script" not in reference_page
    assert 'class="site-header"' in reference_page
    assert '<nav class="breadcrumbs"' in reference_page
    assert 'href="/api/v1/docs/console/"' in reference_page
    assert 'href="/api/v1/docs/guide/"' in reference_page


def test_ids_on_the_reference_are_unique(reference_page):
    ids = re.findall(r'\sid="([^"]+)"', reference_page)

    assert len(ids) == len(set(ids))
    for target in set(re.findall(r'href="#([^"]+)"', reference_page)):
        assert target in ids, target


def test_reference_headings_do_not_skip_a_level(reference_page):
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", reference_page)]

    assert levels[0] == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))


@pytest.mark.parametrize("rows", [1, 3])
def test_reference_and_guide_query_budget(client, django_assert_num_queries, rows):
    pages = PageFactory.create_batch(rows, in_menu=True)
    client.get("/api/v1/docs/")  # the schema, generated once per process; the menu, cached

    with django_assert_num_queries(0):
        reference = client.get("/api/v1/docs/")
    with django_assert_num_queries(0):
        guide = client.get("/api/v1/docs/guide/")

    for response in (reference, guide):
        assert response.status_code == 200
        assert all(page.title in response.content.decode() for page in pages)


def test_guide_renders_the_schemas_description_and_links_to_operations(client):
    response = client.get("/api/v1/docs/guide/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<script" not in page
    assert '<h2 id="section-keeping-a-copy-in-sync">Keeping a copy in sync</h2>' in page
    assert '<a href="#section-keeping-a-copy-in-sync">' in page  # its contents
    assert '<a href="/api/v1/docs/#agreements_list"><code>GET /api/v1/agreements/' in page
    assert '<a href="/api/v1/docs/">The reference: every operation</a>' in page


def test_console_serves_swagger_ui_with_a_way_back(client):
    response = client.get("/api/v1/docs/console/")
    page = response.content.decode()

    assert response.status_code == 200
    assert '<a href="/api/v1/docs/">' in page
    assert "swagger-ui-bundle.js" in page
    script = client.get("/api/v1/docs/console/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/docs/", "/api/v1/docs/guide/", "/api/v1/docs/records/", "/api/v1/docs/console/"],
)
def test_hostile_query_strings_never_fail(client, url):
    for value in CORPUS:
        for name in ("q", "script", "lang", "format", "page"):
            response = client.get(f"{url}?{query([(name, value)])}")
            assert response.status_code < 500, (name, value)
