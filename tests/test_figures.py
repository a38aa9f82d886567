"""The Figures page: what is counted (and what is not), its tables, CSV files and queries."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agreements.models import Agreement
from conferences.models import Conference
from core import aggregates
from members.models import Division, Membership
from portal.figures import build_figures
from portal.tasks import refresh_aggregates
from tests.factories import (
    AgreementFactory,
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/figures/"
# The counts the worker keeps, read in one query; with none kept yet, the request counts
# them itself (one aggregate query per figure) and keeps them (one more).
FIGURE_QUERIES = 1
UNCOUNTED_FIGURE_QUERIES = 7


def member(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def known():
    """Members, agreements and conferences with known counts, and records that must not count."""
    today = timezone.localdate()
    europe = DivisionFactory(name="Europe", slug="europe")
    asia = DivisionFactory(name="Asia Pacific", slug="asia-pacific")
    member(country="SE", division=europe)
    member(country="SE", division=europe)
    member(country="HU", division=europe)
    member(country="CN", division=asia)
    member(country="TH", division=None)
    # Not members today: lapsed, former, pending, not yet started, never a member.
    MembershipFactory(organisation__country="DE", organisation__division=europe, status="lapsed")
    MembershipFactory(
        organisation__country="KR",
        organisation__division=asia,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2021, 12, 31),
    )
    MembershipFactory(organisation__country="DE", organisation__division=europe, status="pending")
    MembershipFactory(
        organisation__country="FR",
        organisation__division=europe,
        started_on=today + datetime.timedelta(days=30),
    )
    OrganisationFactory(country="BR", division=None)

    energy = TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    health = TopicFactory(name="Health and life sciences", slug="health")
    AgreementFactory(signed_on=datetime.date(2023, 3, 1)).topics.add(energy)
    AgreementFactory(signed_on=datetime.date(2023, 6, 1)).topics.add(energy, health)
    AgreementFactory(signed_on=datetime.date(2025, 9, 19), status="active").topics.add(health)
    AgreementFactory(signed_on=datetime.date(2025, 10, 1))  # no focus area
    # Not public: hidden from visitors, or still a draft (with or without a date).
    AgreementFactory(signed_on=datetime.date(2023, 5, 1), is_public=False).topics.add(energy)
    AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None).topics.add(energy)
    AgreementFactory(status=Agreement.Status.DRAFT, signed_on=datetime.date(2024, 2, 1))

    def conference(kind, year, **kwargs):
        return ConferenceFactory(
            kind=kind,
            start_date=datetime.date(year, 9, 15),
            end_date=datetime.date(year, 9, 19),
            **kwargs,
        )

    conference(Conference.Kind.WORLD, 2023)
    conference(Conference.Kind.WORLD, 2025)
    conference(Conference.Kind.DIVISION, 2025, division=europe)
    conference(Conference.Kind.OTHER, 2025)
    conference(Conference.Kind.WORLD, 2027, status=Conference.Status.PLANNED)
    conference(Conference.Kind.DIVISION, 2024, division=asia, status=Conference.Status.CANCELLED)


def figure(name):
    (built,) = build_figures([name])
    return built


def table(built):
    return [(row.label, *row.values) for row in built.rows]


# What is counted


def test_members_per_division_counts_current_members_only(known):
    built = figure("members-per-division")

    assert table(built) == [("Europe", 3), ("Asia Pacific", 1), ("No division", 1)]
    assert built.total.values == [5]
    assert built.rows[0].url == "/members/?division=europe"
    assert built.chart["labels"] == ["Europe", "Asia Pacific", "No division"]
    assert built.chart["datasets"][0]["data"] == [3, 1, 1]


def test_members_per_country_counts_current_members_only(known):
    built = figure("members-per-country")

    assert table(built) == [("Sweden", 2), ("China", 1), ("Hungary", 1), ("Thailand", 1)]
    assert built.total.values == [5]
    assert built.rows[0].url == "/members/?country=SE"


def test_members_per_country_chart_shows_the_top_countries_and_the_others_together():
    codes = ["SE", "FI", "NO", "DK", "DE", "FR", "ES", "IT", "PT", "NL", "BE", "AT", "CH"]
    codes += ["PL", "CZ", "HU", "SK", "SI"]  # 18 countries
    for number, code in enumerate(codes):
        for _copy in range(2 if number < 15 else 1):
            member(country=code)

    built = figure("members-per-country")

    assert len(built.rows) == 18  # the table lists every country
    assert len(built.chart["labels"]) == 16
    assert built.chart["labels"][-1] == "Other countries (3)"
    assert built.chart["datasets"][0]["data"][-1] == 3
    assert sum(built.chart["datasets"][0]["data"]) == built.total.values[0] == 33


def test_agreements_per_year_counts_public_agreements_and_shows_empty_years(known):
    built = figure("agreements-per-year")

    assert table(built) == [("2023", 2), ("2024", 0), ("2025", 2)]
    assert built.total.values == [4]
    assert built.rows[0].url == "/agreements/?year=2023"
    assert built.rows[1].url == ""


def test_agreements_per_topic_counts_public_agreements_once_per_topic(known):
    built = figure("agreements-per-topic")

    assert table(built) == [
        ("Energy efficiency", 2),
        ("Health and life sciences", 2),
        ("No focus area", 1),
    ]
    assert built.rows[0].url == "/agreements/?topic=energy-efficiency"
    assert built.chart["labels"] == ["Energy efficiency", "Health and life sciences"]


def test_conferences_per_year_counts_each_kind_and_leaves_out_cancelled_ones(known):
    built = figure("conferences-per-year")

    assert built.headings == [
        "Year",
        "World conference",
        "Division conference",
        "Other event",
        "Total",
    ]
    assert table(built) == [
        ("2023", 1, 0, 0, 1),
        ("2024", 0, 0, 0, 0),
        ("2025", 1, 1, 1, 3),
        ("2026", 0, 0, 0, 0),
        ("2027", 1, 0, 0, 1),
    ]
    assert built.total.values == [3, 1, 1, 5]
    assert built.chart["stacked"] is True
    assert [dataset["data"] for dataset in built.chart["datasets"]] == [
        [1, 0, 1, 0, 1],
        [0, 0, 1, 0, 0],
        [0, 0, 1, 0, 0],
    ]


def test_conferences_chart_leaves_out_kinds_without_any_conference():
    ConferenceFactory(kind=Conference.Kind.WORLD)

    built = figure("conferences-per-year")

    assert [dataset["label"] for dataset in built.chart["datasets"]] == ["World conference"]
    assert len(built.headings) == 5  # the table keeps every kind


def test_figures_with_nothing_to_count_are_empty():
    for built in build_figures(
        [
            "members-per-division",
            "members-per-country",
            "agreements-per-year",
            "agreements-per-topic",
            "conferences-per-year",
        ]
    ):
        assert built.rows == []
        assert built.chart["labels"] == []


# The page


def test_page_shows_every_figure_with_its_table(client, known):
    response = client.get(PAGE)

    assertContains(response, "<h1>Figures</h1>", html=True)
    for title in (
        "Members per division",
        "Members per country",
        "Agreements per year",
        "Agreements per topic",
        "Conferences per year",
    ):
        assertContains(response, f"<caption>{title}</caption>", html=True)
    assertContains(
        response,
        '<tr><th scope="row"><a href="/members/?division=europe">Europe</a></th>'
        '<td class="number">3</td></tr>',
        html=True,
    )
    assertContains(
        response, '<tr><th scope="row">No division</th><td class="number">1</td></tr>', html=True
    )
    assertContains(
        response,
        '<tr><th scope="row"><a href="/members/?country=SE">Sweden</a></th>'
        '<td class="number">2</td></tr>',
        html=True,
    )
    assertContains(
        response,
        '<tr><th scope="row"><a href="/agreements/?topic=health">Health and life sciences</a>'
        '</th><td class="number">2</td></tr>',
        html=True,
    )
    assertContains(
        response,
        '<tr><th scope="row"><a href="/conferences/?year=2025">2025</a></th>'
        '<td class="number">1</td><td class="number">1</td><td class="number">1</td>'
        '<td class="number">3</td></tr>',
        html=True,
    )
    assertContains(
        response,
        '<tr><th scope="row">Total</th><td class="number">3</td><td class="number">1</td>'
        '<td class="number">1</td><td class="number">5</td></tr>',
        html=True,
    )
    assertContains(response, 'href="/figures/agreements-per-year.csv"')
    assertContains(response, 'aria-current="page">Figures</a>')  # the Insights navigation


def test_page_draws_charts_from_a_json_data_block_without_inline_code(client, known):
    response = client.get(PAGE)
    html = response.content.decode()

    data = response.context["charts"]
    assert data["members-per-division"]["labels"] == ["Europe", "Asia Pacific", "No division"]
    assert '<script id="figures-data" type="application/json">' in html
    assert html.count("<script") == 3  # the data block, the loader and the page's script
    # Chart.js is named for the page's script to load once a chart is in view, not loaded.
    assert 'data-chart-js="/static/vendor/chart.js-4.6.1/chart.umd.min.js"' in html
    assert '<script src="/static/vendor/' not in html
    assert "style=" not in html
    assertContains(
        response,
        '<div class="figure__chart" data-figure-chart="members-per-division" role="img" '
        'aria-label="Members per division, bar chart.',
    )
    assert "Largest: Europe (3), Asia Pacific (1), No division (1)." in html


def test_page_draws_every_chart_on_the_server(client, known):
    response = client.get(PAGE)
    html = response.content.decode()

    assert html.count('<svg class="figure__svg"') == 5
    assert "<canvas" not in html  # Chart.js adds its canvas once a chart is in view
    division = html[
        html.index('id="members-per-division"') : html.index('id="members-per-country"')
    ]
    assert "<title>Europe: 3</title>" in division
    assert "<title>Asia Pacific: 1</title>" in division
    assert '<text x="202" y="17" text-anchor="end" dy="0.35em">Europe</text>' in division


def test_page_folds_the_tables_under_the_drawn_charts(client, known):
    response = client.get(PAGE)
    html = response.content.decode()

    # The charts carry the numbers without any script: each table is one click away.
    assert html.count('<details class="figure__table" data-figure-table>') == 5
    assert "data-figure-table open" not in html


def test_page_without_records_says_there_is_nothing_to_count(client):
    response = client.get(PAGE)

    assertContains(response, "Nothing to count yet.", count=5)
    assertNotContains(response, "<canvas")


@pytest.mark.parametrize(
    "value", ["abc", "\x00", "-1", "99999999999999999999999", "<script>alert(1)</script>"]
)
def test_page_and_csv_ignore_query_parameters(client, known, value):
    params = {"year": value, "division": value, "page": value, "format": value}

    page = client.get(PAGE, params)
    csv_file = client.get("/figures/agreements-per-year.csv", params)

    assertContains(page, "<caption>Members per division</caption>", html=True)
    assertNotContains(page, "<script>alert(1)</script>")
    assert csv_file.content.decode() == "year,agreements\r\n2023,2\r\n2024,0\r\n2025,2\r\n"


# CSV files


def test_csv_of_members_per_division(client, known):
    response = client.get("/figures/members-per-division.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="members-per-division.csv"'
    assert response.content.decode("utf-8") == (
        "division,division_slug,members\r\n"
        "Europe,europe,3\r\n"
        "Asia Pacific,asia-pacific,1\r\n"
        "No division,,1\r\n"
    )


def test_csv_of_members_per_country(client, known):
    response = client.get("/figures/members-per-country.csv")

    assert response.content.decode("utf-8") == (
        "country_code,country,members\r\nSE,Sweden,2\r\nCN,China,1\r\nHU,Hungary,1\r\nTH,Thailand,1\r\n"
    )


def test_csv_of_agreements_per_year(client, known):
    response = client.get("/figures/agreements-per-year.csv")

    assert response["Content-Disposition"] == 'attachment; filename="agreements-per-year.csv"'
    assert response.content.decode("utf-8") == "year,agreements\r\n2023,2\r\n2024,0\r\n2025,2\r\n"


def test_csv_of_agreements_per_topic(client, known):
    response = client.get("/figures/agreements-per-topic.csv")

    assert response.content.decode("utf-8") == (
        "topic,topic_slug,agreements\r\n"
        "Energy efficiency,energy-efficiency,2\r\n"
        "Health and life sciences,health,2\r\n"
        "No focus area,,1\r\n"
    )


def test_csv_of_conferences_per_year(client, known):
    response = client.get("/figures/conferences-per-year.csv")

    assert response.content.decode("utf-8") == (
        "year,world,division,other,total\r\n"
        "2023,1,0,0,1\r\n"
        "2024,0,0,0,0\r\n"
        "2025,1,1,1,3\r\n"
        "2026,0,0,0,0\r\n"
        "2027,1,0,0,1\r\n"
    )


def test_csv_keeps_non_ascii_names_in_utf_8(client):
    member(country="HU", division=DivisionFactory(name="Közép-Európa", slug="kozep-europa"))

    response = client.get("/figures/members-per-division.csv")

    assert "Közép-Európa,kozep-europa,1\r\n" in response.content.decode("utf-8")


def test_csv_guards_cells_a_spreadsheet_would_run_as_a_formula(client):
    for name in ("=HYPERLINK(1)", "+SUM(1)", "-2+3", "@cmd"):
        AgreementFactory().topics.add(TopicFactory(name=name))

    body = client.get("/figures/agreements-per-topic.csv").content.decode("utf-8")

    for name in ("=HYPERLINK(1)", "+SUM(1)", "-2+3", "@cmd"):
        assert f"\r\n'{name}," in body
        assert f"\r\n{name}," not in body


@pytest.mark.parametrize(
    "path",
    [
        "/figures/members-per-planet.csv",
        "/figures/members-per-division.xlsx",
        "/figures/members-per-division",
        "/figures/.csv",
        "/figures/%00.csv",
        "/figures/../members-per-division.csv",
    ],
)
def test_csv_of_an_unknown_figure_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_csv_is_only_read(client, known):
    assert client.post("/figures/members-per-division.csv").status_code == 405


# Queries and cache


def records(count: int) -> None:
    topics = [TopicFactory(), TopicFactory()]
    for number in range(count):
        division = DivisionFactory()
        member(country=["SE", "TH", "CN", "BR", "KR", "ZA", "ES", "GB"][number], division=division)
        AgreementFactory(signed_on=datetime.date(2018 + number, 1, 1)).topics.add(*topics)
        ConferenceFactory(start_date=datetime.date(2018 + number, 5, 1))
        ConferenceFactory(
            kind=Conference.Kind.DIVISION,
            division=division,
            start_date=datetime.date(2019 + number, 5, 1),
            end_date=datetime.date(2019 + number, 5, 3),
        )


@pytest.mark.parametrize("count", [1, 8])
def test_page_query_count_is_fixed(client, django_assert_num_queries, count):
    records(count)
    refresh_aggregates.call(changed_at=aggregates.clock())

    with django_assert_num_queries(FIGURE_QUERIES):
        response = client.get(PAGE)

    assert response.context["figures"][0].total.values == [count]


@pytest.mark.parametrize("count", [1, 8])
def test_page_query_count_is_fixed_before_anything_is_counted(
    client, django_assert_num_queries, count
):
    records(count)

    with django_assert_num_queries(UNCOUNTED_FIGURE_QUERIES):
        response = client.get(PAGE)

    assert response.context["figures"][0].total.values == [count]


@pytest.mark.parametrize("count", [1, 8])
def test_csv_query_count_is_fixed(client, django_assert_num_queries, count):
    records(count)
    refresh_aggregates.call(changed_at=aggregates.clock())

    with django_assert_num_queries(1):
        response = client.get("/figures/agreements-per-year.csv")

    assert response.content.decode().count("\r\n") == count + 1


def test_counts_are_kept_until_a_record_changes(django_assert_num_queries, known):
    build_figures(["members-per-division", "agreements-per-year"])

    # Read as they were kept, in one query, not counted again.
    with django_assert_num_queries(1) as queries:
        (built,) = build_figures(["members-per-division"])

    assert '"core_aggregate"' in queries.captured_queries[0]["sql"]
    assert table(built)[0] == ("Europe", 3)


def test_page_and_csv_share_the_kept_counts(client, django_assert_num_queries, known):
    assert client.get(PAGE).status_code == 200

    with django_assert_num_queries(1) as queries:
        response = client.get("/figures/conferences-per-year.csv")

    assert '"core_aggregate"' in queries.captured_queries[0]["sql"]
    assert "2025,1,1,1,3\r\n" in response.content.decode()


def test_a_change_is_counted_at_once(client, known):
    before = client.get(PAGE)
    assertContains(before, '<a href="/members/?division=europe">Europe</a></th>')

    member(country="SE", division=Division.objects.get(slug="europe"))
    AgreementFactory(signed_on=datetime.date(2024, 4, 1))

    after = client.get(PAGE)
    assertContains(
        after,
        '<tr><th scope="row"><a href="/members/?division=europe">Europe</a></th>'
        '<td class="number">4</td></tr>',
        html=True,
    )
    assertContains(
        after,
        '<tr><th scope="row"><a href="/agreements/?year=2024">2024</a></th>'
        '<td class="number">1</td></tr>',
        html=True,
    )
    csv_body = client.get("/figures/agreements-per-year.csv").content.decode()
    assert "2024,1\r\n" in csv_body


def test_a_membership_that_ends_is_not_counted_once_its_day_has_passed(known, monkeypatch):
    lapsing = member(country="NZ", division=None)
    Membership.objects.filter(organisation=lapsing).update(ended_on=timezone.localdate())
    build_figures(["members-per-country"])  # cached today, with New Zealand
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("portal.figures.timezone.localdate", lambda: tomorrow)

    (built,) = build_figures(["members-per-country"])

    assert "New Zealand" not in [row.label for row in built.rows]


def test_counts_are_not_cached_when_the_cache_is_off(settings, django_assert_num_queries, known):
    settings.PAGE_CACHE_SECONDS = 0
    build_figures(["members-per-division"])

    with django_assert_num_queries(1):
        build_figures(["members-per-division"])
