"""Counts over whole tables kept by the worker (core/aggregates.py, portal/aggregates.py): the
figures and the cooperation network, recounted after changes and read in one query."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains
from rest_framework.test import APIRequestFactory

from agreements.models import Agreement
from agreements.network import (
    KEPT_LIMITS,
    cooperation_network,
    kept_public_network,
    network_payload,
    public_network_key,
)
from core import aggregates
from core.models import Aggregate
from members.models import Organisation
from ops.dataset import generate_dataset
from portal import aggregates as kept
from portal import tasks
from portal.api.agreements.serializers import NetworkSerializer, kept_network_data
from portal.figures import FIGURES, aggregate_key
from portal.selectors import HOME_FIGURES_KEY
from portal.tasks import refresh_aggregates
from tests.factories import (
    AgreementFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)
from tests.mail_support import DATABASE_TASKS

pytestmark = pytest.mark.django_db

REFRESH_TASK = "portal.tasks.refresh_aggregates"
FIGURES_PAGE = "/figures/"
NETWORK_PAGE = "/agreements/network/"
NETWORK_API = "/api/v1/network/"


def as_json(value):
    return json.loads(json.dumps(value))


def recount() -> list[str]:
    return refresh_aggregates.call(changed_at=aggregates.clock())


@pytest.fixture
def lagging(settings):
    """As in production: a kept count is served for a while after a change."""
    settings.AGGREGATES_MAX_LAG_SECONDS = 300


@pytest.fixture
def refresh_on_change(settings):
    settings.AGGREGATES_REFRESH_ON_CHANGE = True
    settings.AGGREGATES_REFRESH_DELAY_SECONDS = 30
    settings.TASKS = DATABASE_TASKS
    cache.delete(kept.SCHEDULED_KEY)


def park(name: str, division=None) -> Organisation:
    organisation = OrganisationFactory(name=name, division=division, country="SE")
    MembershipFactory(organisation=organisation)
    return organisation


def test_kept_counts_equal_the_counts_made_in_the_request():
    generate_dataset(scale=0.02, seed=1)

    recount()

    stored = {aggregate.key: aggregate.payload for aggregate in Aggregate.objects.all()}
    today = timezone.localdate()
    for name, kind in FIGURES.items():
        assert stored[aggregate_key(name)] == as_json(kind.count(today))
    for limit in KEPT_LIMITS:
        inline = cooperation_network(Agreement.objects.public(), limit=limit)
        assert stored[public_network_key(limit)] == as_json(network_payload(inline))
    assert stored[public_network_key(max(KEPT_LIMITS))]["edges"]


def test_kept_network_answers_as_the_api_builds_it():
    generate_dataset(scale=0.02, seed=1)
    recount()
    request = APIRequestFactory().get(NETWORK_API)
    context = {"request": request}
    limit = max(KEPT_LIMITS)

    answer = kept_network_data(kept_public_network(limit).payload, context)

    inline = cooperation_network(Agreement.objects.public(), limit=limit)
    assert as_json(answer) == as_json(NetworkSerializer(inline, context=context).data)


def test_pages_answer_with_nothing_kept_yet(client, api_client):
    europe = DivisionFactory(name="Europe", slug="europe")
    agreement_between(
        park("Alpha", europe), park("Beta", europe), signed_on=datetime.date(2021, 1, 1)
    )
    assert not Aggregate.objects.exists()

    assertContains(
        client.get(FIGURES_PAGE),
        '<tr><th scope="row"><a href="/members/?division=europe">Europe</a></th>'
        '<td class="number">2</td></tr>',
        html=True,
    )
    assertContains(client.get(NETWORK_PAGE), "Alpha")
    assert {node["name"] for node in api_client.get(NETWORK_API).json()["nodes"]} == {
        "Alpha",
        "Beta",
    }
    # What the requests counted is kept for the next ones.
    assert Aggregate.objects.filter(key=aggregate_key("members-per-division")).exists()
    assert Aggregate.objects.filter(key=public_network_key(max(KEPT_LIMITS))).exists()


def europe_row(count: int) -> str:
    return (
        '<tr><th scope="row"><a href="/members/?division=europe">Europe</a></th>'
        f'<td class="number">{count}</td></tr>'
    )


def test_a_figures_page_made_with_lagging_counts_is_kept_until_the_worker_counts(client, lagging):
    europe = DivisionFactory(name="Europe", slug="europe")
    agreement_between(park("Alpha", europe), park("Beta", europe))
    recount()
    agreement_between(park("Gamma", europe), park("Delta", europe))

    made = client.get(FIGURES_PAGE)  # nothing cached yet: made with the lagging counts
    assert made["X-Cache"] == "miss"
    assertContains(made, europe_row(2), html=True)
    assert client.get(FIGURES_PAGE)["X-Cache"] == "hit"

    recount()

    assertContains(client.get(FIGURES_PAGE), europe_row(4), html=True)


def test_a_csv_made_with_lagging_counts_is_kept_until_the_worker_counts(client, lagging):
    """The CSV depends on every change, and on the counts it showed: the worker stores new
    counts without moving the change clock."""
    europe = DivisionFactory(name="Europe", slug="europe")
    park("Alpha", europe)
    recount()
    park("Beta", europe)
    csv_url = "/figures/members-per-division.csv"

    made = client.get(csv_url)
    assert made["X-Cache"] == "miss"
    assert "Europe,europe,1\r\n" in made.content.decode()
    assert client.get(csv_url)["X-Cache"] == "hit"

    recount()

    recounted = client.get(csv_url)
    assert recounted["X-Cache"] == "miss"
    assert "Europe,europe,2\r\n" in recounted.content.decode()


def test_a_change_shows_once_the_worker_has_counted_it(client, api_client, lagging):
    europe = DivisionFactory(name="Europe", slug="europe")
    agreement_between(park("Alpha", europe), park("Beta", europe))
    recount()
    before = client.get(FIGURES_PAGE)
    assert before.context["counted_at"] is not None
    assert before["X-Cache"] == "miss"

    agreement_between(park("Gamma", europe), park("Delta", europe))

    # Until the worker has counted the change, the counts made before it are served: the
    # figures page from the cache, which keeps it until the worker stores new counts ...
    lagging_page = client.get(FIGURES_PAGE)
    assert lagging_page["X-Cache"] == "hit"
    assertContains(lagging_page, europe_row(2), html=True)
    assertNotContains(client.get(NETWORK_PAGE), "Gamma")
    lagging_api = api_client.get(NETWORK_API)
    assert len(lagging_api.json()["nodes"]) == 2
    # ... and the answers that depend on every change are not kept, as they would be after
    # the worker's count.
    assert "no-store" in lagging_api["Cache-Control"]

    assert set(recount()) == set(aggregates.COMPUTERS)

    after_page = client.get(FIGURES_PAGE)
    assert after_page["X-Cache"] == "miss"
    assert after_page.context["figures"][0].total.values == [4]
    assertContains(after_page, europe_row(4), html=True)
    assertContains(client.get(NETWORK_PAGE), "Gamma")
    after_api = api_client.get(NETWORK_API)
    assert len(after_api.json()["nodes"]) == 4
    assert "no-store" not in after_api.get("Cache-Control", "")


def test_counts_lagging_too_long_are_counted_in_the_request(client, lagging, settings):
    europe = DivisionFactory(name="Europe", slug="europe")
    park("Alpha", europe)
    recount()
    park("Beta", europe)
    # No worker ran: the kept counts were made long ago.
    Aggregate.objects.update(computed_at=timezone.now() - datetime.timedelta(seconds=301))

    page = client.get(FIGURES_PAGE)

    assert page.context["figures"][0].total.values == [2]
    assert "no-store" not in page.get("Cache-Control", "")


def test_the_worker_skips_a_recount_a_later_one_made_needless():
    park("Alpha")
    changed_at = aggregates.clock()
    assert set(refresh_aggregates.call(changed_at=changed_at)) == set(aggregates.COMPUTERS)

    assert refresh_aggregates.call(changed_at=changed_at) == []


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_changes_queues_one_recount(refresh_on_change):
    alpha = park("Alpha")
    for number in range(20):
        alpha.name = f"Alpha {number}"
        alpha.save()

    (queued,) = DBTaskResult.objects.filter(task_path=REFRESH_TASK)
    # Later, so that the changes that follow the first are in it.
    assert 25 < (queued.run_after - queued.enqueued_at).total_seconds() <= 30


def test_changes_outside_the_record_apps_queue_no_recount(
    refresh_on_change, django_capture_on_commit_callbacks, staff_user
):
    with django_capture_on_commit_callbacks() as callbacks:
        staff_user.first_name = "Changed"
        staff_user.save()

    assert kept.schedule_refresh not in callbacks


def test_a_queue_that_does_not_answer_never_fails_the_save(
    refresh_on_change, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class QueueDown:
        def get_backend(self):
            return SimpleNamespace(supports_defer=False)

        def enqueue(self, **kwargs):
            raise DatabaseError("the task table cannot be written")

    monkeypatch.setattr(tasks, "refresh_aggregates", QueueDown())

    with django_capture_on_commit_callbacks(execute=True):
        saved = AgreementFactory(title="Saved anyway")
        saved.topics.add(TopicFactory())

    assert Agreement.objects.get(pk=saved.pk).title == "Saved anyway"
    assert "could not be queued" in caplog.text


def test_the_refresh_command_counts_everything(client):
    from django.core.management import call_command

    park("Alpha")

    call_command("refresh_aggregates", verbosity=0)

    assert set(Aggregate.objects.values_list("key", flat=True)) == set(aggregates.COMPUTERS)


# Families: parts kept under keys of their own, read one at a time


@pytest.fixture
def family(monkeypatch):
    """A family counting the current members of each country, by name."""

    def count() -> dict[str, list[str]]:
        members = Organisation.objects.current_members().order_by("name")
        parts: dict[str, list[str]] = {}
        for organisation in members:
            parts.setdefault(organisation.country.code, []).append(organisation.name)
        return parts

    monkeypatch.setitem(aggregates.COMPUTERS, "test:members-by-country", count)
    monkeypatch.setitem(aggregates.COUNTED, "test:members-by-country", (Organisation,))
    monkeypatch.setattr(aggregates, "FAMILIES", {*aggregates.FAMILIES, "test:members-by-country"})
    return "test:members-by-country"


def test_a_family_keeps_each_part_under_its_own_key(family, django_assert_num_queries):
    park("Alpha")
    OrganisationFactory(name="Beta", country="TH")
    MembershipFactory(organisation=Organisation.objects.get(name="Beta"))
    recount()

    with django_assert_num_queries(1):
        kept_parts = aggregates.read_many([f"{family}:SE", f"{family}:TH", f"{family}:FR"])

    assert {key: part.payload for key, part in kept_parts.items()} == {
        f"{family}:SE": ["Alpha"],
        f"{family}:TH": ["Beta"],
        f"{family}:FR": None,
    }
    assert aggregates.read(family).payload == ["SE", "TH"]


def test_a_family_counted_again_drops_the_parts_it_no_longer_has(family):
    beta = OrganisationFactory(name="Beta", country="TH")
    MembershipFactory(organisation=beta)
    recount()
    assert Aggregate.objects.filter(key=f"{family}:TH").exists()

    beta.delete()

    # Counts may not lag here (the test settings): read, the family is counted again.
    assert aggregates.read(f"{family}:TH").payload is None
    assert not Aggregate.objects.filter(key=f"{family}:TH").exists()


def test_a_part_counted_before_a_change_is_served_until_the_worker_counts(family, lagging):
    park("Alpha")
    recount()
    park("Alpha Two")

    assert aggregates.read(f"{family}:SE").payload == ["Alpha"]
    assert aggregates.read(f"{family}:SE").is_lagging
    recount()
    assert aggregates.read(f"{family}:SE").payload == ["Alpha", "Alpha Two"]


# What a process makes of a kept count: once per stored revision.


def test_each_count_stored_has_a_revision_of_its_own():
    key = aggregate_key("members-per-division")
    first = aggregates.store([key])[key]
    second = aggregates.store([key])[key]
    assert first.revision != second.revision
    assert Aggregate.objects.get(key=key).revision == second.revision


def test_what_is_derived_from_a_count_is_made_once_per_revision_and_language():
    key = aggregate_key("members-per-division")
    aggregates.store([key])
    built = []

    def build(payload):
        built.append(payload)
        return object()

    stored = aggregates.read(key)
    first = aggregates.derived(stored, "test", build)
    assert aggregates.derived(aggregates.read(key), "test", build) is first
    assert len(built) == 1
    with translation.override("de"):
        assert aggregates.derived(aggregates.read(key), "test", build) is not first
    assert aggregates.derived(aggregates.read(key), "test", build, "another key") is not first
    assert len(built) == 3

    park("Lund Science Park")
    aggregates.store([key])  # counted again: a new revision, made again
    assert aggregates.derived(aggregates.read(key), "test", build) is not first
    assert built[-1] == as_json(aggregates.read(key).payload)
    assert len(built) == 4


def test_the_derived_values_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(aggregates, "DERIVED_MAX_ENTRIES", 3)
    monkeypatch.setattr(aggregates, "_DERIVED", {})
    key = aggregate_key("members-per-division")
    aggregates.store([key])
    stored = aggregates.read(key)
    for number in range(5):
        aggregates.derived(stored, "test", lambda payload, number=number: number, number)
    assert len(aggregates._DERIVED) == 3
    # The oldest went first: the last three are kept.
    assert aggregates.derived(stored, "test", lambda payload: "made again", 0) == "made again"
    assert aggregates.derived(stored, "test", lambda payload: "made again", 4) == 4


def test_the_figures_page_shows_a_new_count_at_once_in_every_process_that_built_the_old(
    client,
):
    park("Lund Science Park", division=DivisionFactory(name="Nordic"))
    recount()
    assertContains(client.get(FIGURES_PAGE), "Nordic")
    # Counted again elsewhere (the worker): this process built the figures from the old
    # revision, and reads the new one from the database.
    park("Oslo Science Park", division=DivisionFactory(name="Baltic"))
    recount()
    assertContains(client.get(FIGURES_PAGE), "Baltic")


def test_a_new_revision_replaces_what_was_derived_from_the_one_before(monkeypatch):
    monkeypatch.setattr(aggregates, "_DERIVED", {})
    key = aggregate_key("members-per-division")
    for _count in range(3):
        aggregates.store([key])
        aggregates.derived(aggregates.read(key), "test", lambda payload: object())

    # One value kept, made from the revision stored last.
    assert [made[0] for made in aggregates._DERIVED.values()] == [aggregates.read(key).revision]


def test_a_payload_is_sent_once_per_revision(django_assert_num_queries):
    key = aggregate_key("members-per-division")
    aggregates.store([key])
    first = aggregates.read(key).payload
    # Changed behind the portal's back, under the same revision: what this process read of
    # that revision is what it serves, so the database did not send the payload again.
    Aggregate.objects.filter(key=key).update(payload=["not sent"])
    with django_assert_num_queries(1):
        assert aggregates.read(key).payload == first

    # A new revision (a new count stored by any process) is read from the database.
    park("Lund Science Park")
    stored = aggregates.store([key])[key]
    Aggregate.objects.filter(key=key).update(payload=["counted again"])
    with django_assert_num_queries(1):
        assert aggregates.read(key).payload == ["counted again"]
    assert aggregates.read(key).revision == stored.revision


def test_a_payload_held_for_one_key_is_not_served_for_another_of_the_same_revision():
    # Rows kept before revisions existed share one (migration core/0003).
    keys = [aggregate_key("members-per-division"), aggregate_key("members-per-country")]
    aggregates.store(keys)
    shared = Aggregate.objects.get(key=keys[0]).revision
    Aggregate.objects.filter(key=keys[1]).update(revision=shared, payload=["second"])
    assert aggregates.read_stored([keys[0]])[keys[0]].payload != ["second"]

    both = aggregates.read_stored(keys)
    assert both[keys[1]].payload == ["second"]
    assert both[keys[0]].payload != ["second"]


def test_the_payloads_held_are_bounded(monkeypatch):
    monkeypatch.setattr(aggregates, "HELD_MAX_ENTRIES", 2)
    monkeypatch.setattr(aggregates, "_HELD", {})
    keys = [aggregate_key(name) for name in ("members-per-division", "members-per-country")]
    keys.append(HOME_FIGURES_KEY)
    aggregates.store(keys)
    aggregates.read_stored(keys)

    assert len(aggregates._HELD) == 2
