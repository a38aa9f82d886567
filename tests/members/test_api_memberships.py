"""/api/v1/memberships/: every membership period, by id, read-only."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from members.models import Membership
from tests.api_support import error_attrs
from tests.factories import MembershipFactory, OrganisationFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/memberships/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_list_shows_a_membership_with_every_field(api_client):
    step = OrganisationFactory(slug="step", name="STeP")
    membership = MembershipFactory(
        organisation=step,
        category=Membership.Category.AFFILIATED,
        started_on=datetime.date(2021, 4, 1),
        notes="Paid late in 2023.",
    )

    response = api_client.get(LIST)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": membership.pk,
            "organisation": {
                "id": step.pk,
                "slug": "step",
                "name": "STeP",
                "url": "http://testserver/api/v1/organisations/step/",
            },
            "category": "affiliated",
            "status": "active",
            "started_on": "2021-04-01",
            "ended_on": None,
            "is_current": True,
            "url": f"http://testserver/api/v1/memberships/{membership.pk}/",
            "created": membership.created.isoformat().replace("+00:00", "Z"),
            "modified": membership.modified.isoformat().replace("+00:00", "Z"),
        }
    ]


def test_detail_is_found_by_id(api_client):
    membership = MembershipFactory(status=Membership.Status.PENDING)

    response = api_client.get(f"{LIST}{membership.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == membership.pk
    assert response.json()["status"] == "pending"
    assert response.json()["is_current"] is False


@pytest.mark.parametrize("lookup", ["999999", "abc"])
def test_unknown_membership_is_a_404(api_client, lookup):
    response = api_client.get(f"{LIST}{lookup}/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.fixture
def periods() -> dict[str, Membership]:
    """Memberships of two organisations in every state."""
    step = OrganisationFactory(slug="step", name="A STeP")
    ideon = OrganisationFactory(slug="ideon", name="B Ideon")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return {
        "former": MembershipFactory(
            organisation=step,
            category=Membership.Category.ASSOCIATE,
            status=Membership.Status.FORMER,
            started_on=datetime.date(2005, 1, 1),
            ended_on=datetime.date(2009, 12, 31),
        ),
        "active": MembershipFactory(
            organisation=step,
            category=Membership.Category.FULL,
            started_on=datetime.date(2010, 1, 1),
        ),
        "lapsed": MembershipFactory(
            organisation=ideon,
            category=Membership.Category.FULL,
            status=Membership.Status.LAPSED,
            started_on=datetime.date(2015, 6, 1),
            ended_on=datetime.date(2020, 5, 31),
        ),
        # Accepted, but starts tomorrow: active, not yet current.
        "future": MembershipFactory(
            organisation=ideon,
            category=Membership.Category.PARTNER,
            started_on=tomorrow,
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["active", "former", "future", "lapsed"]),
        ("organisation=step", ["active", "former"]),
        ("category=full", ["active", "lapsed"]),
        ("category=partner", ["future"]),
        ("status=active", ["active", "future"]),
        ("status=former", ["former"]),
        ("current=true", ["active"]),
        ("current=false", ["former", "future", "lapsed"]),
        ("started_after=2010-01-01", ["active", "future", "lapsed"]),
        ("started_before=2010-01-01", ["active", "former"]),
        ("started_after=2006-01-01&started_before=2016-01-01", ["active", "lapsed"]),
        ("organisation=ideon&current=false&category=full", ["lapsed"]),
    ],
)
def test_filters_select_memberships(api_client, periods, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(periods[name].pk for name in expected)


def test_is_current_follows_status_and_dates(api_client, periods):
    rows = api_client.get(LIST).json()["results"]

    current = {row["id"]: row["is_current"] for row in rows}
    assert current == {
        periods["former"].pk: False,
        periods["active"].pk: True,
        periods["lapsed"].pk: False,
        periods["future"].pk: False,
    }


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("organisation=nowhere", "organisation"),
        ("category=gold", "category"),
        ("status=sleeping", "status"),
        ("current=maybe", "current"),
        ("started_after=2025-02-30", "started_after"),
        ("started_after=yesterday", "started_after"),
        ("started_before=01/02/2025", "started_before"),
        ("notes=late", "notes"),
        ("ordering=notes", "ordering"),
        ("expand=division", "expand"),
    ],
)
def test_bad_filter_is_a_400_naming_it(api_client, periods, query, attr):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert error_attrs(response) == [attr]


def test_search_looks_in_the_organisation_name(api_client, periods):
    response = api_client.get(f"{LIST}?search=ideon")

    assert sorted(ids(response)) == sorted([periods["lapsed"].pk, periods["future"].pk])


def test_default_order_is_by_organisation_then_newest_first(api_client, periods):
    assert ids(api_client.get(LIST)) == [
        periods["active"].pk,
        periods["former"].pk,
        periods["future"].pk,
        periods["lapsed"].pk,
    ]


def test_ordering_by_dates(api_client, periods):
    by_start = ids(api_client.get(f"{LIST}?ordering=started_on"))
    ended = ids(
        api_client.get(f"{LIST}?ordering=-ended_on&current=false&started_before=2020-01-01")
    )

    assert by_start == [periods[name].pk for name in ("former", "active", "lapsed", "future")]
    assert ended == [periods["lapsed"].pk, periods["former"].pk]


def test_pages_give_count_next_and_previous(api_client, periods):
    first = api_client.get(f"{LIST}?page_size=3").json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 4
    assert first["previous"] is None
    assert len(first["results"]) == 3
    assert second["next"] is None
    assert len(second["results"]) == 1
    assert {row["id"] for row in first["results"] + second["results"]} == {
        membership.pk for membership in periods.values()
    }


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # count, page with organisations
        ("", 2),
        # + organisations with membership, + their topics
        ("?expand=organisation", 4),
        ("?current=true&category=full&started_after=2000-01-01", 2),
        ("?format=csv", 2),
    ],
)
def test_list_query_budget(api_client, django_assert_num_queries, count, query, queries):
    for _ in range(count):
        organisation = OrganisationFactory()
        organisation.topics.add(TopicFactory())
        MembershipFactory(organisation=organisation)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}{query}")

    assert response.status_code == 200
    rows = response.content.decode().splitlines()[1:] if "csv" in query else ids(response)
    assert len(rows) == count


@pytest.mark.parametrize(("query", "queries"), [("", 1), ("?expand=organisation", 3)])
def test_detail_query_budget(api_client, django_assert_num_queries, query, queries):
    membership = MembershipFactory()

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}{membership.pk}/{query}")

    assert response.status_code == 200


def test_expand_gives_the_organisation_in_full(api_client):
    step = OrganisationFactory(slug="step", country="TH")
    MembershipFactory(organisation=step, started_on=datetime.date(2012, 1, 1))

    [row] = api_client.get(f"{LIST}?expand=organisation").json()["results"]

    assert row["organisation"]["slug"] == "step"
    assert row["organisation"]["country_name"] == "Thailand"
    assert row["organisation"]["membership"] == {"category": "full", "member_since": "2012-01-01"}


def test_csv_has_one_row_per_membership(api_client, periods):
    response = api_client.get(f"{LIST}?format=csv&organisation=step")

    assert 'filename="membership.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [
        (row["organisation"], row["category"], row["ended_on"], row["is_current"]) for row in rows
    ] == [
        ("step", "full", "", "true"),
        ("step", "associate", "2009-12-31", "false"),
    ]
    assert "notes" not in rows[0]


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_staff_notes_are_hidden_from_anonymous_and_partner_callers(request, caller):
    client = request.getfixturevalue(caller)
    membership = MembershipFactory(notes="Paid late.")

    listed = client.get(LIST).json()["results"][0]
    detail = client.get(f"{LIST}{membership.pk}/").json()

    assert "notes" not in listed
    assert "notes" not in detail
    assert "Paid late." not in client.get(f"{LIST}?format=csv").content.decode()


def test_staff_notes_reach_staff_tokens(staff_api_client):
    membership = MembershipFactory(notes="Paid late.")

    assert staff_api_client.get(LIST).json()["results"][0]["notes"] == "Paid late."
    assert staff_api_client.get(f"{LIST}{membership.pk}/").json()["notes"] == "Paid late."


@pytest.mark.parametrize(
    ("caller", "status"),
    [("api_client", 401), ("partner_client", 403), ("staff_api_client", 405)],
)
def test_memberships_are_read_only(request, caller, status):
    client = request.getfixturevalue(caller)
    membership = MembershipFactory()
    data = {"category": "honorary"}

    created = client.post(LIST, data, format="json")
    updated = client.patch(f"{LIST}{membership.pk}/", data, format="json")

    assert (created.status_code, updated.status_code) == (status, status)
    membership.refresh_from_db()
    assert membership.category == Membership.Category.FULL
    assert Membership.objects.count() == 1
