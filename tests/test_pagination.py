"""Counts that stop at a cap, on the API and behind the public lists."""

import pytest
from django.core.paginator import EmptyPage

from core.pagination import CappedPaginator, DeepPaginator
from members.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_organisations():
    return [OrganisationFactory(name=f"Park {index}") for index in range(7)]


@pytest.fixture
def cap_of_four(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_cap", 4)


def names(page) -> list[str]:
    return [organisation.name for organisation in page.object_list]


def test_count_is_exact_under_the_cap(seven_organisations):
    paginator = CappedPaginator(Organisation.objects.order_by("name"), 3)

    assert (paginator.count, paginator.count_is_capped, paginator.num_pages) == (7, False, 3)
    assert names(paginator.page(3)) == ["Park 6"]
    assert not paginator.page(3).has_next()


def test_count_stops_at_the_cap_and_pages_go_on_past_it(
    seven_organisations, cap_of_four, django_assert_num_queries
):
    paginator = CappedPaginator(Organisation.objects.order_by("name"), 3)

    with django_assert_num_queries(2):
        second = paginator.page(2)
        assert names(second) == ["Park 3", "Park 4", "Park 5"]
    assert (paginator.shown_count, paginator.count_is_capped) == (4, True)
    assert second.has_next()
    assert (second.start_index(), second.end_index()) == (4, 6)

    last = paginator.page(3)
    assert names(last) == ["Park 6"]
    assert not last.has_next()
    assert last.end_index() == 7
    with pytest.raises(EmptyPage):
        paginator.page(4)
    with pytest.raises(EmptyPage):
        paginator.page(0)


def test_api_list_says_when_its_count_is_capped(api_client, seven_organisations, cap_of_four):
    response = api_client.get("/api/v1/organisations/", {"page_size": 3, "page": 3})

    body = response.json()
    assert (body["count"], body["count_capped"], body["next"]) == (4, True, None)
    assert [row["name"] for row in body["results"]] == ["Park 6"]
    assert "page=2" in body["previous"]

    first = api_client.get("/api/v1/organisations/", {"page_size": 3}).json()
    assert first["next"].endswith("page=2&page_size=3")


def test_api_count_is_exact_under_the_cap(api_client, seven_organisations):
    body = api_client.get("/api/v1/organisations/", {"page_size": 3}).json()

    assert (body["count"], body["count_capped"]) == (7, False)


def test_api_schema_documents_the_capped_count(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedOrganisationList"]

    assert page["properties"]["count_capped"]["type"] == "boolean"
    assert "count_capped" in page["required"]


@pytest.mark.parametrize(
    ("url", "words"),
    # The member directory's and the people's counts are kept by the worker, exact past the
    # cap (tests/members/); searched, they say "more than" too.
    [
        ("/members/?q=park", "members"),
        ("/people/?q=person", "people"),
        ("/agreements/", "agreements"),
    ],
)
def test_public_lists_say_more_than_the_cap(client, monkeypatch, url, words):
    from tests.factories import AgreementFactory, MembershipFactory, PersonFactory

    monkeypatch.setattr(CappedPaginator, "count_cap", 2)
    for number in range(3):
        MembershipFactory(organisation__name=f"Park {number}")
        PersonFactory()
        AgreementFactory()

    content = client.get(url).content.decode()

    assert f"More than 2 {words}" in content
    assert f"3 {words}" not in content


@pytest.mark.parametrize("page", ["9223372036854775807", "1000000001"])
def test_a_page_past_any_list_is_empty_not_an_error(
    seven_organisations, cap_of_four, client, api_client, page
):
    paginator = CappedPaginator(Organisation.objects.order_by("name"), 3)
    with pytest.raises(EmptyPage):
        paginator.page(page)
    # The offset would overflow the database's integers: a page past the end, not a 500.
    assert client.get("/members/", {"page": page}).status_code == 404
    assert api_client.get("/api/v1/organisations/", {"page": page}).status_code == 404


@pytest.mark.parametrize("capped", [False, True])
def test_deep_pages_read_through_their_keys_show_the_same_rows(
    seven_organisations, monkeypatch, django_assert_num_queries, capped
):
    if capped:
        monkeypatch.setattr(CappedPaginator, "count_cap", 4)
    queryset = Organisation.objects.order_by("name")
    plain, deep = CappedPaginator(queryset, 3), DeepPaginator(queryset, 3)

    for number in (1, 2, 3):
        expected = names(plain.page(number))
        with django_assert_num_queries(2 if number == 1 else 1) as context:
            page = deep.page(number)
            assert names(page) == expected
        assert page.has_next() == (number < 3)
        # The count is kept from the first page; the page itself is one query.
        assert ("IN (SELECT" in context.captured_queries[-1]["sql"]) == (number > 1)


def test_api_agreements_deep_pages_follow_the_list_order_past_the_cap(api_client, monkeypatch):
    import datetime

    from tests.factories import bilateral_agreement

    monkeypatch.setattr(CappedPaginator, "count_cap", 2)
    for day in range(1, 6):
        bilateral_agreement(title=f"Agreement {day}", signed_on=datetime.date(2024, 1, day))

    pages = [
        api_client.get("/api/v1/agreements/", {"page_size": 2, "page": page}).json()
        for page in (1, 2, 3)
    ]

    assert [[row["title"] for row in page["results"]] for page in pages] == [
        ["Agreement 5", "Agreement 4"],
        ["Agreement 3", "Agreement 2"],
        ["Agreement 1"],
    ]
    assert [(page["count"], page["count_capped"]) for page in pages] == [(2, True)] * 3
    assert [page["next"] is not None for page in pages] == [True, True, False]


def count_query(paginator, captured) -> str:
    with captured:
        paginator.count  # noqa: B018
    (query,) = captured.captured_queries
    return query["sql"]


@pytest.mark.parametrize("cap", [4, 10_000])
def test_the_count_reads_keys_alone_and_counts_as_the_list_would(
    seven_organisations, monkeypatch, cap
):
    from django.db import connection
    from django.db.models import Count, Value
    from django.test.utils import CaptureQueriesContext

    from members.models import Membership, Topic

    monkeypatch.setattr(CappedPaginator, "count_cap", cap)
    topics = [Topic.objects.create(name=f"Topic {index}", slug=f"t{index}") for index in range(2)]
    for organisation in seven_organisations[:3]:
        organisation.topics.set(topics)
    annotated = Organisation.objects.with_membership().order_by("member_since", "name")
    querysets = {
        # Annotations a row: read for the list, not for its count.
        "annotated": annotated,
        # DISTINCT over a join: counted as distinct rows still.
        "distinct": Organisation.objects.filter(topics__in=topics).distinct().order_by("name"),
        # DISTINCT over an annotation, a grouping: counted as they are.
        "distinct annotation": Organisation.objects.annotate(one=Value(1))
        .distinct()
        .order_by("name"),
        "grouped": Organisation.objects.annotate(tags=Count("topics"))
        .filter(tags__gte=1)
        .order_by("name"),
    }
    for name, queryset in querysets.items():
        expected = min(len(queryset.all()), cap + 1)
        assert CappedPaginator(queryset, 3).count == expected, name

    sql = count_query(CappedPaginator(annotated, 3), CaptureQueriesContext(connection))
    assert Membership._meta.db_table not in sql
    assert "ORDER BY" not in sql


def test_rows_of_values_and_slices_are_counted_as_they_are(seven_organisations):
    countries = Organisation.objects.values("country").distinct().order_by("country")
    assert CappedPaginator(countries, 3).count == len(countries.all())
    first_five = Organisation.objects.order_by("name")[:5]
    assert CappedPaginator(first_five, 3).count == 5
