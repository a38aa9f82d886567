"""Rows of a query compiled once per shape and run again with new values (core/db/prepared.py)."""

import datetime
import logging

import pytest
from django.db import connection
from django.db.models import CharField, Count, Value, Window
from django.db.models.functions import TruncDay
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from conferences.models import Conference
from core.db.prepared import NotPreparable, PreparedRows
from members.models import Organisation
from tests.factories import ConferenceFactory, DivisionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def conferences_in(country: str, slugs: list[str]):
    return (
        Conference.objects.filter(country=country, slug__in=slugs)
        .annotate(total=Window(Count("pk")))
        .order_by("start_date", "pk")
        .values("slug", "start_date", "total")
    )


def counted(build, calls: list):
    """`build`, noting the values of each call in `calls`."""

    def counting(**values):
        calls.append(values)
        return build(**values)

    return counting


@pytest.fixture
def conferences():
    def held(country, start):
        return ConferenceFactory(country=country, start_date=start, end_date=start)

    return [
        held("CN", datetime.date(2025, 9, 15)),
        held("CN", datetime.date(2024, 5, 2)),
        held("KR", datetime.date(2026, 3, 1)),
    ]


def test_the_rows_are_those_of_the_query_with_each_requests_values(conferences):
    calls = []
    prepared = PreparedRows(counted(conferences_in, calls))
    slugs = [conference.slug for conference in conferences]

    for country, asked in [("CN", slugs), ("KR", slugs), ("CN", [*slugs[1:], "none"])]:
        rows = prepared.rows(country=country, slugs=asked)
        assert rows == list(conferences_in(country, asked))
    assert prepared.rows(country="CN", slugs=slugs) == [
        # Converted as Django converts them: a date, an integer (SQLite returns text for the
        # date), in the query's order.
        {"slug": conferences[1].slug, "start_date": datetime.date(2024, 5, 2), "total": 2},
        {"slug": conferences[0].slug, "start_date": datetime.date(2025, 9, 15), "total": 2},
    ]
    # Compiled three times for the one shape: with two sets of stand-ins, and with the
    # first values asked for, to check that they give the same SQL.
    assert len(calls) == 3
    assert [value["country"] in {"CN", "KR"} for value in calls] == [False, False, True]

    assert prepared.rows(country="CN", slugs=slugs[:1]) == list(conferences_in("CN", slugs[:1]))
    assert len(calls) == 6


def test_one_query_per_use(conferences):
    prepared = PreparedRows(conferences_in)
    prepared.rows(country="CN", slugs=["a", "b"])

    with CaptureQueriesContext(connection) as queries:
        prepared.rows(country="KR", slugs=["c", "d"])

    assert len(queries) == 1


def test_a_hostile_value_is_a_parameter_not_sql(conferences):
    prepared = PreparedRows(conferences_in)
    prepared.rows(country="CN", slugs=["x"])

    assert prepared.rows(country="CN' OR '1'='1", slugs=["x"]) == []
    assert prepared.rows(country="CN", slugs=["x') OR 1=1 --"]) == []


def test_a_value_of_the_moment_is_never_kept(caplog):
    """A filter on the time now would be frozen at the first request: such a query is run
    as usual each time."""
    organisation = OrganisationFactory(name="Aurora Park")

    def build(name):
        return Organisation.objects.filter(name=name, created__lte=timezone.now()).values("name")

    prepared = PreparedRows(build)
    with pytest.raises(NotPreparable, match="changes by itself"):
        prepared.prepare(name="Aurora Park")

    with caplog.at_level(logging.WARNING, logger="core.db.prepared"):
        assert prepared.rows(name="Aurora Park") == [{"name": "Aurora Park"}]
        assert prepared.rows(name="Aurora Park") == [{"name": "Aurora Park"}]
    assert len([r for r in caplog.records if "not prepared" in r.getMessage()]) == 1
    Organisation.objects.filter(pk=organisation.pk).update(name="Borealis Park")
    assert prepared.rows(name="Borealis Park") == [{"name": "Borealis Park"}]


def test_a_value_rewritten_before_it_reaches_the_sql_is_not_prepared():
    OrganisationFactory(name="Aurora Park")

    def build(word):
        return Organisation.objects.filter(name__icontains=word).values("name")

    prepared = PreparedRows(build)
    with pytest.raises(NotPreparable):
        prepared.prepare(word="aurora")
    assert prepared.rows(word="aurora") == [{"name": "Aurora Park"}]
    assert prepared.rows(word="borealis") == []


def test_a_value_the_query_leaves_out_is_not_prepared():
    prepared = PreparedRows(lambda name, unused: Organisation.objects.values("name"))

    with pytest.raises(NotPreparable, match="does not reach"):
        prepared.prepare(name="x", unused=[1, 2])


def test_a_list_of_another_length_is_compiled_again(conferences):
    calls = []
    prepared = PreparedRows(counted(conferences_in, calls))
    slugs = [conference.slug for conference in conferences]
    assert [row["slug"] for row in prepared.rows(country="CN", slugs=slugs[:1])] == slugs[:1]

    assert [row["slug"] for row in prepared.rows(country="CN", slugs=slugs)] == [
        slugs[1],
        slugs[0],
    ]
    assert len(calls) == 6


def test_what_else_changes_the_sql_is_told_by_the_shape(conferences):
    def build(country):
        queryset = Conference.objects.values("slug").order_by("slug")
        return queryset.filter(country=country) if country else queryset

    prepared = PreparedRows(build, shape=lambda country: bool(country))
    assert len(prepared.rows(country="CN")) == 2
    assert len(prepared.rows(country="KR")) == 1
    assert len(prepared.rows(country="")) == 3


def test_a_value_that_changes_the_sql_unannounced_is_caught(conferences):
    """A stand-in is never empty: the query built with it must be the query built with the
    values asked for, or it is not kept."""

    def build(country):
        queryset = Conference.objects.values("slug").order_by("slug")
        return queryset.filter(country=country) if country else queryset

    prepared = PreparedRows(build)
    with pytest.raises(NotPreparable, match="another branch"):
        prepared.prepare(country="")
    assert len(prepared.rows(country="")) == 3


def test_rows_as_tuples_are_those_of_values_list(conferences):
    def build(country):
        return (
            Conference.objects.filter(country=country)
            .order_by("start_date")
            .values_list("slug", "start_date")
        )

    prepared = PreparedRows(build)

    assert prepared.tuples(country="CN") == list(build("CN"))
    assert prepared.tuples(country="KR") == [(conferences[2].slug, datetime.date(2026, 3, 1))]
    # A query run as usual gives the same tuples.
    unprepared = PreparedRows(lambda country: build(country).filter(created__lte=timezone.now()))
    assert unprepared.tuples(country="CN") == list(build("CN"))


def test_the_active_language_and_time_zone_are_part_of_the_shape():
    """A query may hold a label in the active language or a day in local time: each is
    compiled under its own."""
    noon = datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.UTC)
    OrganisationFactory(name="Aurora Park", created=noon)

    def build(name):
        label = Value(str(gettext_lazy("Yes")), output_field=CharField())
        return (
            Organisation.objects.filter(name=name)
            .annotate(label=label, day=TruncDay("created"))
            .values("label", "day")
        )

    prepared = PreparedRows(build)
    seen = {}
    for language, zone in [("en", "UTC"), ("fr", "UTC"), ("en", "Pacific/Kiritimati")]:
        with translation.override(language), timezone.override(zone):
            (seen[language, zone],) = prepared.rows(name="Aurora Park")
            assert [seen[language, zone]] == list(build("Aurora Park"))

    assert seen["en", "UTC"]["label"] == "Yes" and seen["fr", "UTC"]["label"] == "Oui"
    assert seen["en", "UTC"]["day"].date() == datetime.date(2025, 1, 1)
    assert seen["en", "Pacific/Kiritimati"]["day"].date() == datetime.date(2025, 1, 2)


def test_a_none_or_an_empty_list_is_run_as_usual(conferences):
    """`= NULL` would match nothing where the ORM writes `IS NULL`; an empty list makes
    Django give the query up."""

    def build(division, slugs):
        return Conference.objects.filter(division=division, slug__in=slugs).values("slug")

    prepared = PreparedRows(build)
    slugs = [conference.slug for conference in conferences]
    division = DivisionFactory()

    assert prepared.rows(division=division.pk, slugs=slugs) == []
    assert len(prepared.rows(division=None, slugs=slugs)) == 3
    assert prepared.rows(division=None, slugs=[]) == []


def test_lists_are_told_apart_by_name():
    prepared = PreparedRows(
        lambda names, slugs: (
            Organisation.objects.filter(name__in=names, slug__in=slugs)
            .order_by("slug")
            .values("slug")
        )
    )
    first, second = OrganisationFactory(name="A"), OrganisationFactory(name="B")

    assert prepared.rows(names=["A"], slugs=[first.slug, second.slug]) == [{"slug": first.slug}]
    assert prepared.rows(names=["A", "B"], slugs=[second.slug]) == [{"slug": second.slug}]


def test_a_value_normalised_on_its_way_is_not_prepared():
    """A build that lowers its value would be checked, with a lower-case first value, and
    then given "NAIROBI": the stand-ins are mixed-case and padded so that it is caught."""
    OrganisationFactory(slug="nairobi")

    def build(slug):
        return Organisation.objects.filter(slug=slug.strip().lower()).values("slug")

    prepared = PreparedRows(build)
    with pytest.raises(NotPreparable):
        prepared.prepare(slug="nairobi")
    assert prepared.rows(slug="nairobi") == [{"slug": "nairobi"}]
    assert prepared.rows(slug=" NAIROBI") == [{"slug": "nairobi"}]
