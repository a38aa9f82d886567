"""The bulk downloads (portal/downloads.py, /api/v1/downloads/): each file holds exactly what an
anonymous caller pages through, is served with a strong ETag, and is rebuilt after changes."""

import csv
import datetime
import gzip
import io
import json
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django_tasks_db.models import DBTaskResult

from conferences.models import Conference
from core import cache as safe
from core.storage import DownloadStorage
from members.models import Organisation
from portal import downloads, tasks
from portal.tasks import rebuild_downloads
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
    agreement_between,
)
from tests.mail_support import DATABASE_TASKS

from .test_fuzz import api_schema, keep_test_connection  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

REBUILD_TASK = "portal.tasks.rebuild_downloads"


@pytest.fixture
def downloads_root(settings, tmp_path, monkeypatch):
    """An empty folder for the files, seen by a worker process started afterwards too; the
    records' addresses read as the test client's."""
    folder = tmp_path / "downloads"
    settings.DOWNLOADS_ROOT = folder
    monkeypatch.setenv("DOWNLOADS_ROOT", str(folder))
    settings.SITE_URL = "http://testserver"
    settings.PAGE_CACHE_SECONDS = 0
    return folder


@pytest.fixture
def outage_forgotten():
    safe.reset()
    yield
    safe.reset()


def mixed_records():
    """Public records of every list, and the ones an anonymous caller never sees."""
    division = DivisionFactory(name="Europe", slug="europe")
    topic = TopicFactory(name="Clean energy", slug="clean-energy")
    park = OrganisationFactory(name="Park A", slug="park-a", division=division)
    other = OrganisationFactory(name="Park B", slug="park-b")
    park.topics.add(topic)
    MembershipFactory(organisation=park)
    published = ConferenceFactory(
        slug="world-2025", kind=Conference.Kind.DIVISION, edition=None, division=division
    )
    ConferenceHostFactory(conference=published, organisation=park)
    draft = ConferenceFactory(slug="world-2026-draft", is_published=False)
    SessionFactory(conference=published, title="Opening")
    SessionFactory(conference=draft, title="Secret plenary")
    PersonFactory(name="Ana Speaker", slug="ana-speaker")
    PersonFactory(name="Removed Person", slug="removed-person", removed_at="2025-01-01T00:00Z")
    agreement_between(park, other, slug="public-agreement", topics=[topic])
    agreement_between(park, other, slug="private-agreement", is_public=False)
    AgreementPartyFactory(agreement=AgreementFactory(slug="draft-agreement", status="draft"))
    return published


def fetch(client, name: str):
    response = client.get(f"/api/v1/downloads/{name}")
    assert response.status_code == 200, response.content
    return response, gzip.decompress(b"".join(response.streaming_content)).decode()


def jsonl_records(client, resource: str) -> list[dict]:
    _response, text = fetch(client, f"{resource}.jsonl.gz")
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.splitlines()]


def csv_rows(client, resource: str) -> list[list[str]]:
    _response, text = fetch(client, f"{resource}.csv.gz")
    return list(csv.reader(io.StringIO(text, newline="")))


def api_pages(client, resource: str, fmt: str = "json") -> list:
    """Every row of the list, paging through it as an anonymous mirror does today."""
    rows, page = [], 1
    while True:
        response = client.get(f"/api/v1/{resource}/", {"page": page, "format": fmt})
        assert response.status_code == 200, response.content
        if fmt == "csv":
            table = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
            header, body = table[0], table[1:]
            rows = rows or [header]
            rows.extend(body)
            more = "next" in response.headers.get("Link", "")
        else:
            data = response.json()
            rows.extend(data["results"])
            more = data["next"] is not None
        if not more:
            return rows
        page += 1


def by_content(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def test_every_list_has_a_file_in_each_format():
    assert sorted(downloads.resources()) == [
        "agreements",
        "conferences",
        "divisions",
        "memberships",
        "organisations",
        "people",
        "sessions",
        "topics",
    ]


def test_each_jsonl_file_holds_exactly_the_records_the_anonymous_api_lists(
    downloads_root, client, settings
):
    settings.API_MAX_PAGE_SIZE = 100
    mixed_records()
    downloads.build_downloads()

    for resource in downloads.resources():
        from_file = jsonl_records(client, resource)
        assert by_content(from_file) == by_content(api_pages(client, resource)), resource
        # In the order of their ids.
        assert [row["id"] for row in from_file] == sorted(row["id"] for row in from_file)


def test_each_csv_file_holds_exactly_the_rows_of_the_anonymous_api_csv(downloads_root, client):
    mixed_records()
    downloads.build_downloads()

    for resource in downloads.resources():
        header, *rows = csv_rows(client, resource)
        api_header, *api_rows = api_pages(client, resource, "csv")
        assert header == api_header, resource
        assert sorted(rows) == sorted(api_rows), resource


def test_the_csv_columns_are_the_fields_of_the_list(downloads_root, client):
    mixed_records()
    downloads.build_downloads()

    header, row = csv_rows(client, "conferences")[:2]
    record = dict(zip(header, row, strict=True))
    assert header[:3] == ["id", "slug", "kind"]
    assert record["slug"] == "world-2025"
    # References as slugs, hosts with their role, lists joined by "; ".
    assert record["division"] == "europe"
    assert record["hosts"] == "park-a (host)"
    assert record["is_published"] == "true"


def test_records_an_anonymous_caller_cannot_see_are_in_no_file(downloads_root, client):
    mixed_records()
    downloads.build_downloads()

    conferences = {row["slug"] for row in jsonl_records(client, "conferences")}
    sessions = {row["title"] for row in jsonl_records(client, "sessions")}
    people = {row["slug"] for row in jsonl_records(client, "people")}
    agreements = {row["slug"] for row in jsonl_records(client, "agreements")}
    assert conferences == {"world-2025"}
    assert sessions == {"Opening"}
    assert "removed-person" not in people and "ana-speaker" in people
    assert agreements == {"public-agreement"}
    everything = "".join(
        fetch(client, downloads.file_name(resource, fmt))[1]
        for resource in downloads.resources()
        for fmt in downloads.FORMATS
    )
    for secret in ("world-2026-draft", "Secret plenary", "Removed Person", "private-agreement"):
        assert secret not in everything


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(downloads_root, client):
    OrganisationFactory(name='=HYPERLINK("http://evil.example")', slug="evil", city="+1-2")
    OrganisationFactory(name="@SUM(A1)", slug="at-sum", city="-3")
    downloads.build_downloads()

    header, *rows = csv_rows(client, "organisations")
    cells = {row[header.index("slug")]: row for row in rows}
    assert cells["evil"][header.index("name")] == '\'=HYPERLINK("http://evil.example")'
    assert cells["evil"][header.index("city")] == "'+1-2"
    assert cells["at-sum"][header.index("name")] == "'@SUM(A1)"
    assert cells["at-sum"][header.index("city")] == "'-3"
    # JSON keeps the value as it is: it runs nowhere.
    names = {row["name"] for row in jsonl_records(client, "organisations")}
    assert '=HYPERLINK("http://evil.example")' in names


def test_the_index_lists_each_file_with_its_address_size_count_and_etag(downloads_root, client):
    mixed_records()
    manifest = downloads.build_downloads()

    response = client.get("/api/v1/downloads/")

    assert response.status_code == 200
    index = response.json()
    assert index["built_at"] == manifest["built_at"]
    started = datetime.datetime.fromisoformat(index["started_at"])
    assert started.timestamp() == pytest.approx(manifest["started_at"])
    assert started <= datetime.datetime.fromisoformat(index["built_at"])
    assert len(index["files"]) == 2 * len(downloads.resources())
    entry = next(
        f for f in index["files"] if f["resource"] == "conferences" and f["format"] == "csv"
    )
    file_response, text = fetch(client, "conferences.csv.gz")
    assert entry["url"] == "http://testserver/api/v1/downloads/conferences.csv.gz"
    assert entry["count"] == 1
    assert entry["size"] == int(file_response["Content-Length"])
    assert entry["etag"] == file_response["ETag"]
    assert len(text.splitlines()) == 2


def test_a_file_is_sent_as_gzip_with_a_strong_etag_and_last_modified(downloads_root, client):
    mixed_records()
    downloads.build_downloads()

    response = client.get("/api/v1/downloads/people.jsonl.gz", HTTP_ACCEPT_ENCODING="gzip")
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"] == 'attachment; filename="people.jsonl.gz"'
    # Sent as it is stored: not compressed again, so the ETag stays strong.
    assert "Content-Encoding" not in response
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 66
    assert response["Last-Modified"].endswith("GMT")
    assert int(response["Content-Length"]) == len(body)
    assert body[:2] == b"\x1f\x8b"


def test_if_none_match_with_the_current_etag_answers_304_and_a_stale_one_the_file(
    downloads_root, client
):
    mixed_records()
    downloads.build_downloads()
    etag = client.get("/api/v1/downloads/topics.csv.gz")["ETag"]

    current = client.get("/api/v1/downloads/topics.csv.gz", HTTP_IF_NONE_MATCH=etag)
    stale = client.get("/api/v1/downloads/topics.csv.gz", HTTP_IF_NONE_MATCH='"0123"')

    assert current.status_code == 304
    assert current["ETag"] == etag
    assert stale.status_code == 200
    assert stale["ETag"] == etag


def test_head_gives_the_headers_of_the_file_without_its_body(downloads_root, client):
    mixed_records()
    downloads.build_downloads()
    full = client.get("/api/v1/downloads/sessions.csv.gz")

    head = client.head("/api/v1/downloads/sessions.csv.gz")

    assert head.status_code == 200
    assert head.content == b""
    for header in ("ETag", "Last-Modified", "Content-Length", "Content-Type"):
        assert head[header] == full[header]


def test_a_rebuild_of_the_same_records_keeps_the_etag_and_a_change_gives_a_new_one(
    downloads_root, client
):
    published = mixed_records()
    first = downloads.build_downloads()["files"]["conferences.jsonl.gz"]
    again = downloads.build_downloads()["files"]["conferences.jsonl.gz"]
    assert again == first

    Conference.objects.filter(pk=published.pk).update(title="Renamed conference")
    changed = downloads.build_downloads()["files"]["conferences.jsonl.gz"]

    assert changed["etag"] != first["etag"]
    assert client.get("/api/v1/downloads/conferences.jsonl.gz")["ETag"] == f'"{changed["etag"]}"'
    assert [r["title"] for r in jsonl_records(client, "conferences")] == ["Renamed conference"]


def test_files_of_older_builds_are_removed_but_the_previous_build_is_kept(downloads_root):
    park = OrganisationFactory(name="Park", slug="park")
    builds = []
    for name in ("One", "Two", "Three"):
        Organisation.objects.filter(pk=park.pk).update(name=name)
        builds.append(downloads.build_downloads()["files"]["organisations.jsonl.gz"])

    stored = {p.name for p in (downloads_root / "files").iterdir()}
    assert builds[2]["stored_as"].split("/")[1] in stored
    assert builds[1]["stored_as"].split("/")[1] in stored
    assert builds[0]["stored_as"].split("/")[1] not in stored


@pytest.mark.parametrize(
    "name",
    [
        "unknown.jsonl.gz",
        "conferences.xml.gz",
        "conferences.jsonl",
        "Conferences.jsonl.gz",
        "network.jsonl.gz",
        "removed.csv.gz",
        "manifest.json",
        "..%2Fmanifest.json",
        "%2e%2e",
        "conferences.jsonl.gz%00",
        "x" * 5000,
    ],
)
def test_an_unknown_file_is_the_apis_json_404(downloads_root, client, name):
    downloads.build_downloads()

    response = client.get(f"/api/v1/downloads/{name}")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_a_file_not_built_yet_is_a_503_with_retry_after_and_asks_for_a_build(
    downloads_root, client, settings
):
    settings.DOWNLOADS_REBUILD_DELAY_SECONDS = 60
    TopicFactory(slug="clean-energy")
    assert client.get("/api/v1/downloads/").json() == {
        "started_at": None,
        "built_at": None,
        "files": [],
    }

    response = client.get("/api/v1/downloads/topics.jsonl.gz")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "not_built",
                "detail": "This file is being built. Try again later.",
                "attr": None,
            }
        ],
    }
    # The immediate task backend of the tests has built them in the meantime.
    assert len(client.get("/api/v1/downloads/").json()["files"]) == 16
    assert [row["slug"] for row in jsonl_records(client, "topics")] == ["clean-energy"]


def test_storage_that_does_not_answer_makes_the_files_unavailable_not_a_server_error(
    downloads_root, client, monkeypatch, caplog
):
    downloads.build_downloads()

    def unreachable(self, name, mode="rb"):
        raise RuntimeError("Could not connect to the endpoint URL")

    monkeypatch.setattr(DownloadStorage, "open", unreachable)
    index = client.get("/api/v1/downloads/")
    file = client.get("/api/v1/downloads/topics.csv.gz")

    assert index.status_code == 200
    assert index.json()["files"] == []
    assert file.status_code == 503
    assert "could not be read" in caplog.text


def test_a_file_gone_from_storage_is_a_503_until_the_next_build(downloads_root, client):
    TopicFactory(slug="clean-energy")
    manifest = downloads.build_downloads()
    (downloads_root / manifest["files"]["topics.csv.gz"]["stored_as"]).unlink()

    assert client.get("/api/v1/downloads/topics.csv.gz").status_code == 503
    # The immediate task backend of the tests has rebuilt it in the meantime.
    assert client.get("/api/v1/downloads/topics.csv.gz").status_code == 200


def test_parameters_the_endpoints_do_not_take_are_400s(downloads_root, client):
    downloads.build_downloads()

    assert client.get("/api/v1/downloads/?page=2").status_code == 400
    assert client.get("/api/v1/downloads/?format=csv").status_code == 400
    assert client.get("/api/v1/downloads/topics.csv.gz?since=1").status_code == 400


# Building: queries and memory


# Queries to build one file of a list (one chunk): the list's own query and its prefetches.
BUILD_QUERIES = {
    "agreements": 5,  # with the agreements following each, and their documents
    "conferences": 3,
    # the divisions, and their kept counts: read, counted again after the changes (members
    # and conferences, one grouped query each) and stored
    "divisions": 5,
    "memberships": 1,
    "organisations": 2,
    "people": 2,
    "sessions": 4,
    "topics": 1,
}


@pytest.mark.parametrize("fmt", downloads.FORMATS)
@pytest.mark.parametrize("resource", sorted(BUILD_QUERIES))
def test_a_file_is_built_in_the_same_queries_for_one_record_and_many(
    resource, fmt, downloads_root, django_assert_num_queries
):
    mixed_records()
    with django_assert_num_queries(BUILD_QUERIES[resource]):
        one = downloads.write_file(resource, fmt, io.BytesIO())
    for n in range(6):
        mixed_records_again(n)

    with django_assert_num_queries(BUILD_QUERIES[resource]):
        many = downloads.write_file(resource, fmt, io.BytesIO())

    assert one >= 1
    assert many > one


def mixed_records_again(n: int) -> None:
    division = DivisionFactory(name=f"Extra division {n}", slug=f"extra-division-{n}")
    topic = TopicFactory(name=f"Extra topic {n}", slug=f"extra-topic-{n}")
    park = OrganisationFactory(name=f"Park {n}", slug=f"extra-park-{n}", division=division)
    other = OrganisationFactory(name=f"Other {n}", slug=f"extra-other-{n}")
    park.topics.add(topic)
    MembershipFactory(organisation=park)
    conference = ConferenceFactory(
        slug=f"extra-world-{n}", kind=Conference.Kind.DIVISION, edition=None, division=division
    )
    conference.topics.add(topic)
    ConferenceHostFactory(conference=conference, organisation=park)
    SessionFactory(conference=conference).topics.add(topic)
    PersonFactory(name=f"Person {n}", slug=f"extra-person-{n}")
    agreement_between(park, other, slug=f"extra-agreement-{n}", topics=[topic])


def test_records_are_read_a_chunk_at_a_time_in_a_fixed_number_of_queries_each(
    downloads_root, monkeypatch, django_assert_num_queries
):
    for n in range(5):
        OrganisationFactory(name=f"Park {n}", slug=f"park-{n}")
    monkeypatch.setattr(downloads, "CHUNK_SIZE", 2)
    target = io.BytesIO()

    # Three chunks (2, 2, 1), each one query for the organisations and one for their topics.
    with django_assert_num_queries(6):
        count = downloads.write_file("organisations", "jsonl", target)

    assert count == 5
    slugs = [json.loads(line)["slug"] for line in gzip.decompress(target.getvalue()).splitlines()]
    assert slugs == [f"park-{n}" for n in range(5)]


# Rebuilding after changes


@pytest.fixture
def rebuild_on_change(settings, downloads_root):
    settings.DOWNLOADS_REBUILD_ON_CHANGE = True
    settings.DOWNLOADS_REBUILD_DELAY_SECONDS = 60
    settings.TASKS = DATABASE_TASKS
    cache.delete(downloads.SCHEDULED_KEY)


@pytest.mark.django_db(transaction=True)
def test_a_thousand_saves_ask_for_one_rebuild(rebuild_on_change):
    park = OrganisationFactory(name="Park", slug="park")
    for n in range(1000):
        park.name = f"Park {n}"
        park.save()

    (queued,) = DBTaskResult.objects.filter(task_path=REBUILD_TASK)
    # Later, so that the saves that follow the first are in it.
    assert 55 < (queued.run_after - queued.enqueued_at).total_seconds() <= 60


@pytest.mark.django_db(transaction=True)
def test_many_saves_in_one_transaction_ask_once_even_without_the_cache(
    rebuild_on_change, monkeypatch, outage_forgotten
):
    monkeypatch.setattr(cache, "add", _refuse)

    with transaction.atomic():
        for n in range(50):
            OrganisationFactory(name=f"Park {n}", slug=f"park-{n}")

    assert DBTaskResult.objects.filter(task_path=REBUILD_TASK).count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_cache_saves_still_succeed_and_needless_rebuilds_are_skipped(
    rebuild_on_change, monkeypatch, outage_forgotten
):
    monkeypatch.setattr(cache, "add", _refuse)
    park = OrganisationFactory(name="Park", slug="park")
    for n in range(20):
        park.name = f"Park {n}"
        park.save()

    park.refresh_from_db()
    assert park.name == "Park 19"
    # Each save asked (more rebuilds than with the cache, never a lost one) ...
    # (each write of its own, the record's and its history's, when not in a transaction) ...
    queued = list(DBTaskResult.objects.filter(task_path=REBUILD_TASK).order_by("enqueued_at"))
    assert len(queued) >= 21
    # ... but the first rebuild to run, begun after all of them, makes the others needless.
    time.sleep(downloads.CLOCK_MARGIN_SECONDS)
    ran = [rebuild_downloads.call(**task.args_kwargs["kwargs"]) for task in queued]
    assert ran == [True] + [False] * (len(queued) - 1)
    organisations = downloads.read_manifest()["files"]["organisations.jsonl.gz"]
    assert organisations["count"] == 1


def test_a_queue_that_does_not_answer_never_fails_the_save(
    rebuild_on_change, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class QueueDown:
        def get_backend(self):
            return SimpleNamespace(supports_defer=False)

        def enqueue(self, **kwargs):
            raise DatabaseError("the task table cannot be written")

    monkeypatch.setattr(tasks, "rebuild_downloads", QueueDown())

    with django_capture_on_commit_callbacks(execute=True):
        park = OrganisationFactory(name="Saved anyway", slug="park")

    assert Organisation.objects.get(pk=park.pk).name == "Saved anyway"
    assert "could not be queued" in caplog.text


def test_changes_outside_the_record_apps_ask_for_no_rebuild(
    rebuild_on_change, django_capture_on_commit_callbacks, staff_user
):
    with django_capture_on_commit_callbacks() as callbacks:
        staff_user.first_name = "Changed"
        staff_user.save()

    assert downloads.schedule_rebuild not in callbacks


@pytest.mark.django_db(transaction=True)
def test_the_worker_rebuilds_the_files_after_a_change(downloads_root, settings, task_worker):
    settings.DOWNLOADS_REBUILD_ON_CHANGE = True
    settings.DOWNLOADS_REBUILD_DELAY_SECONDS = 0
    from django.test import Client

    client = Client()
    conference = ConferenceFactory(slug="world-2025", title="Before")
    deadline = time.monotonic() + 60
    while client.get("/api/v1/downloads/conferences.jsonl.gz").status_code != 200:
        assert time.monotonic() < deadline, task_worker.stop()
        time.sleep(0.2)
    before = client.get("/api/v1/downloads/conferences.jsonl.gz")["ETag"]

    conference.title = "After the change"
    conference.save()

    deadline = time.monotonic() + 60
    while client.get("/api/v1/downloads/conferences.jsonl.gz")["ETag"] == before:
        assert time.monotonic() < deadline, task_worker.stop()
        time.sleep(0.2)
    assert [row["title"] for row in jsonl_records(client, "conferences")] == ["After the change"]


def _refuse(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")


# Schemathesis (tests/api/test_fuzz.py) on these endpoints alone, before and after a build.


@pytest.mark.parametrize("built", [False, True])
def test_generated_requests_to_the_downloads_get_documented_answers(downloads_root, request, built):
    from schemathesis import GenerationMode

    from .test_fuzz import run

    schema = request.getfixturevalue("api_schema")
    if built:
        downloads.build_downloads()
    operations = [
        result.ok() for result in schema.get_all_operations() if "/downloads/" in result.ok().path
    ]
    assert sorted(operation.path for operation in operations) == [
        "/api/v1/downloads/",
        "/api/v1/downloads/{name}",
    ]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(operation, mode, {})
