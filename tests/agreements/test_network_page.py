"""/agreements/network/: the cooperation network as a graph (drawn from the API) and a table."""

import datetime
import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from agreements.models import Agreement
from core import aggregates
from portal.tasks import refresh_aggregates
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)
from tests.mail_support import DATABASE_TASKS

pytestmark = pytest.mark.django_db

NETWORK_URL = reverse("agreements:network")


def table_rows(response) -> list[tuple[str, ...]]:
    """The organisations table as text: one tuple of cells per row, in page order."""
    assert response.status_code == 200
    body = response.content.decode()
    table = re.search(r'<table class="network-table">.*?<tbody>(.*?)</tbody>', body, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [
        tuple(
            html.unescape(" ".join(re.sub(r"<[^>]+>", "", cell).split()))
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        )
        for row in rows
    ]


def names(response) -> list[str]:
    return [row[0] for row in table_rows(response)]


def api_url(response) -> str:
    match = re.search(r'data-api-url="([^"]+)"', response.content.decode())
    assert match is not None
    return html.unescape(match.group(1))


def summary(response) -> str:
    match = re.search(
        r'<p class="network-summary" id="network-summary">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    assert match is not None
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


@pytest.fixture
def network():
    """Four parks in three divisions and four agreements that the filters tell apart."""
    europe = DivisionFactory(name="Europe", slug="europe")
    asia = DivisionFactory(name="Asia Pacific", slug="asia-pacific")
    energy = TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    zstip = OrganisationFactory(name="Zsámbék Park", slug="zstip", country="HU", division=europe)
    taguspark = OrganisationFactory(
        name="Taguspark", slug="taguspark", country="PT", division=europe
    )
    fengtai = OrganisationFactory(name="Fengtai Park", slug="fengtai", country="CN", division=asia)
    tecnopuc = OrganisationFactory(name="Tecnopuc", slug="tecnopuc", country="BR", division=None)
    MembershipFactory(organisation=zstip)
    agreement_between(
        zstip, fengtai, slug="zstip-fengtai", signed_on=datetime.date(2025, 9, 19), topics=[energy]
    )
    agreement_between(zstip, taguspark, slug="zstip-taguspark", signed_on=datetime.date(2021, 3, 1))
    agreement_between(zstip, tecnopuc, slug="zstip-tecnopuc", signed_on=datetime.date(2018, 5, 2))
    agreement_between(taguspark, tecnopuc, slug="old", signed_on=datetime.date(2012, 1, 1))


def test_network_page_lists_the_organisations_most_agreements_first(client, network):
    response = client.get(NETWORK_URL)

    assert table_rows(response) == [
        ("Zsámbék Park", "Europe", "Hungary", "Yes", "3"),
        ("Taguspark", "Europe", "Portugal", "No", "2"),
        ("Tecnopuc", "", "Brazil", "No", "2"),
        ("Fengtai Park", "Asia Pacific", "China", "No", "1"),
    ]
    body = response.content.decode()
    assert '<th scope="row"><a href="/organisations/zstip/">Zsámbék Park</a></th>' in body
    assert '<th scope="col" class="numeric">Agreements</th>' in body
    assert "<caption>The organisations in the graph, most agreements first</caption>" in body
    assert summary(response) == (
        "Shown: all 4 organisations that signed the 4 matching agreements."
    )


def test_network_page_graph_reads_the_api_with_the_page_size(client, network):
    response = client.get(NETWORK_URL)

    body = response.content.decode()
    assert api_url(response) == "/api/v1/network/?limit=100"
    assert 'id="network-graph" class="network-graph" role="img"' in body
    # The server draws a first picture; the script loads Cytoscape once the graph is in view.
    assert '<svg class="network-picture" viewBox="0 0 800 ' in body
    assert '<script src="/static/vendor/' not in body
    assert (
        '<script src="/static/js/network.js" '
        'data-cytoscape="/static/vendor/cytoscape-3.34.4/cytoscape.min.js" defer></script>'
    ) in body
    assert '<script id="network-text" type="application/json">' in body
    assert 'id="__________cytoscape_stylesheet" href="/static/css/network.css"' in body


def test_network_page_legend_gives_each_division_its_colour_and_count(client, network):
    DivisionFactory(name="Africa", slug="africa")  # first by name, with nobody shown

    response = client.get(NETWORK_URL)

    legend = re.findall(
        r'<li data-division="([^"]*)"><span class="network-legend__swatch '
        r'division-colour-(\w+)" aria-hidden="true"></span>([^<]+) '
        r'<span class="muted">\((\d+)\)</span>',
        response.content.decode(),
    )
    # Colours follow the place among all divisions, so Africa keeps colour 0 to itself.
    assert legend == [
        ("asia-pacific", "1", "Asia Pacific", "1"),
        ("europe", "2", "Europe", "2"),
        ("", "none", "No division", "1"),
    ]


def test_network_page_is_in_the_insights_navigation(client, network):
    body = client.get(NETWORK_URL).content.decode()

    assert f'<li><a href="{NETWORK_URL}" aria-current="page">Cooperation network</a></li>' in body
    assert "<h1>Cooperation network</h1>" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year_from": "2019"}, ["Zsámbék Park", "Fengtai Park", "Taguspark"]),
        ({"year_to": "2018"}, ["Tecnopuc", "Taguspark", "Zsámbék Park"]),
        ({"year_from": "2018", "year_to": "2021"}, ["Zsámbék Park", "Taguspark", "Tecnopuc"]),
        ({"year_from": "2025", "year_to": "2025"}, ["Fengtai Park", "Zsámbék Park"]),
        ({"topic": "energy-efficiency"}, ["Fengtai Park", "Zsámbék Park"]),
        ({"division": "asia-pacific"}, ["Fengtai Park", "Zsámbék Park"]),
        ({"country": "BR"}, ["Tecnopuc", "Taguspark", "Zsámbék Park"]),
        ({"country": "PT", "year_from": "2020"}, ["Taguspark", "Zsámbék Park"]),
    ],
)
def test_network_page_filters_the_organisations(client, network, query, expected):
    response = client.get(NETWORK_URL, query)

    assert names(response) == expected


def test_network_page_counts_only_the_matching_agreements(client, network):
    response = client.get(NETWORK_URL, {"country": "BR"})

    counts = {row[0]: row[-1] for row in table_rows(response)}
    assert counts == {"Tecnopuc": "2", "Taguspark": "1", "Zsámbék Park": "1"}
    assert summary(response) == (
        "Shown: all 3 organisations that signed the 2 matching agreements."
    )


def test_network_page_passes_its_filters_to_the_api(client, network):
    response = client.get(
        NETWORK_URL,
        {
            "year_from": " 2018 ",
            "year_to": "2025",
            "topic": "energy-efficiency",
            "division": "europe",
            "country": "HU",
        },
    )

    assert api_url(response) == (
        "/api/v1/network/?limit=100&year_from=2018&year_to=2025&topic=energy-efficiency"
        "&division=europe&country=HU"
    )
    assert names(response) == ["Fengtai Park", "Zsámbék Park"]


def test_network_page_leaves_out_drafts_and_private_agreements(client):
    a, b, c = (OrganisationFactory(name=name) for name in ("Park A", "Park B", "Park C"))
    agreement_between(a, b)
    agreement_between(a, c, is_public=False)
    agreement_between(b, c, status=Agreement.Status.DRAFT, signed_on=None)

    response = client.get(NETWORK_URL)

    assert names(response) == ["Park A", "Park B"]


def test_network_page_is_capped_and_says_so(client, network, monkeypatch):
    monkeypatch.setattr("agreements.filters.NETWORK_PAGE_LIMIT", 2)

    response = client.get(NETWORK_URL)

    # The two with most agreements; on a tie, the older record.
    assert names(response) == ["Zsámbék Park", "Taguspark"]
    assert api_url(response) == "/api/v1/network/?limit=2"
    assert summary(response) == (
        "Shown: the 2 organisations that signed the most of the 4 matching agreements, "
        "of 4 that signed them. Narrow the filters to see others."
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year_from": "soon"}, "year_from", "Enter a whole number."),
        ({"year_to": "99999"}, "year_to", "Ensure this value is less than or equal to 2200."),
        ({"year_from": "1850"}, "year_from", "Ensure this value is greater than or equal to 1900."),
        (
            {"year_from": "2024", "year_to": "2020"},
            "year_to",
            "The last year cannot be before the first year.",
        ),
        (
            {"topic": "no-such-topic"},
            "topic",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        (
            {"division": "no-such-division"},
            "division",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        (
            {"country": "XX"},
            "country",
            "Select a valid choice. XX is not one of the available choices.",
        ),
        (
            {"division": "europe\x00"},
            "division",
            "Null characters are not allowed.",
        ),
    ],
)
def test_network_page_shows_a_field_error_for_bad_input(client, network, query, field, message):
    response = client.get(NETWORK_URL, query)

    body = response.content.decode()
    assert response.status_code == 200
    field_html = re.search(rf'<label for="id_{field}">.*?</div>', body, re.S).group(0)
    assert f'<ul class="errorlist"><li>{message}</li></ul>' in field_html
    assert "Some filters could not be used. Correct the fields marked in the filter form." in body
    assert table_rows(response) == []
    assert "data-api-url" not in body
    assert "cytoscape.min.js" not in body


HOSTILE = [
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "x" * 5000,
    "\x00",
    "nul\x00inside",
    "99999999999999999999999",
    "-1",
    "2025-13-45",
    "[]",
]


@pytest.mark.parametrize("parameter", ["year_from", "year_to", "topic", "division", "country"])
def test_network_page_refuses_hostile_values_with_a_field_error(client, network, parameter):
    for value in HOSTILE:
        response = client.get(NETWORK_URL, {parameter: value})

        body = response.content.decode()
        assert response.status_code == 200, value
        assert f'<label for="id_{parameter}">' in body
        assert "Some filters could not be used." in body, value
        assert "<script>alert(1)</script>" not in body


def test_network_page_ignores_parameters_it_does_not_offer(client, network):
    response = client.get(
        NETWORK_URL, {"party": "nobody", "limit": "0", "page": "x", "status": "lost"}
    )

    assert len(names(response)) == 4
    assert api_url(response) == "/api/v1/network/?limit=100"


def test_network_page_without_matching_agreements_says_so(client, network):
    response = client.get(NETWORK_URL, {"year_from": "2200"})

    body = response.content.decode()
    assert "No agreement matches these filters." in body
    assert f'<a href="{NETWORK_URL}">Show the whole network</a>' in body
    assert table_rows(response) == []
    assert "cytoscape.min.js" not in body


def test_network_page_without_agreements_at_all_says_so(client):
    OrganisationFactory()

    body = client.get(NETWORK_URL).content.decode()

    assert "No agreements have been published yet." in body


def test_network_page_topic_choices_are_those_with_public_agreements(client, network):
    TopicFactory(name="Unused topic", slug="unused")

    body = client.get(NETWORK_URL).content.decode()

    assert '<option value="energy-efficiency">Energy efficiency</option>' in body
    assert 'value="unused"' not in body
    assert '<option value="" selected>All divisions</option>' in body
    assert '<option value="HU">Hungary</option>' in body


def test_network_page_with_the_demo_shows_zstip_and_its_partner(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)

    response = client.get(NETWORK_URL, {"country": "HU"})

    rows = table_rows(response)
    assert [row[0] for row in rows] == [
        "Zhongguancun Fengtai Science Park",
        "Zsámbék Future Industry Science and Innovation Park",
    ]
    assert rows[1][1:] == ("Europe", "Hungary", "Yes", "1")
    assert rows[0][1:3] == ("Asia Pacific", "China")


# Query budget: the same number of queries for one agreement and for many.


def many_agreements(count: int) -> None:
    topic = TopicFactory(slug="budget-topic")
    division = DivisionFactory(slug="budget-division")
    for index in range(count):
        parties = [OrganisationFactory(division=division) for _ in range(3)]
        MembershipFactory(organisation=parties[0])
        agreement_between(
            *parties, topics=[topic, TopicFactory()], signed_on=datetime.date(2020, 1, index + 1)
        )


# The form's topic and division choices, the legend's divisions, and the network (the
# parties' ranking, the nodes, the agreements' count, the linked agreements, their shown
# parties and their topics).
PAGE_QUERIES = 9
# Without filters: the network of every public agreement the worker keeps, in one query.
KEPT_PAGE_QUERIES = 4
# Kept by none yet: the request builds it and keeps it (read, a capped count of the public
# agreements that says it may, the network, one write).
UNKEPT_PAGE_QUERIES = PAGE_QUERIES + 3


@pytest.mark.parametrize("count", [1, 12])
def test_network_page_query_budget(client, django_assert_num_queries, count):
    many_agreements(count)
    refresh_aggregates.call(changed_at=aggregates.clock())

    with django_assert_num_queries(KEPT_PAGE_QUERIES):
        response = client.get(NETWORK_URL)

    assert len(table_rows(response)) == 3 * count


@pytest.mark.parametrize("count", [1, 12])
def test_network_page_query_budget_before_the_network_is_kept(
    client, django_assert_num_queries, count
):
    many_agreements(count)

    with django_assert_num_queries(UNKEPT_PAGE_QUERIES):
        response = client.get(NETWORK_URL)

    assert len(table_rows(response)) == 3 * count


@pytest.mark.parametrize("count", [1, 12])
def test_network_page_query_budget_with_filters(client, django_assert_num_queries, count):
    many_agreements(count)

    # The chosen topic and division are each looked up once.
    with django_assert_num_queries(PAGE_QUERIES + 2):
        response = client.get(
            NETWORK_URL,
            {
                "topic": "budget-topic",
                "division": "budget-division",
                "country": "SE",
                "year_from": "2020",
                "year_to": "2021",
            },
        )

    assert len(table_rows(response)) == 3 * count


def test_network_page_query_budget_past_the_cap(client, django_assert_num_queries, monkeypatch):
    # A size the worker does not keep: built for the request.
    monkeypatch.setattr("agreements.filters.NETWORK_PAGE_LIMIT", 5)
    many_agreements(12)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(NETWORK_URL)

    assert len(table_rows(response)) == 5


def test_agreement_list_links_to_the_network(client):
    body = client.get(reverse("agreements:agreement-list")).content.decode()

    assert (
        f'<a href="{NETWORK_URL}">See who cooperates with whom: the cooperation network</a>' in body
    )


@pytest.fixture
def too_many_to_count_here(monkeypatch):
    """More public agreements than a request may count the network of."""
    from agreements import network

    monkeypatch.setattr(network, "COUNTED_IN_REQUEST", 1)
    europe = DivisionFactory(name="Europe", slug="europe")
    alpha, beta, gamma = (
        OrganisationFactory(name=name, division=europe) for name in ("Alpha", "Beta", "Gamma")
    )
    agreement_between(alpha, beta, signed_on=datetime.date(2021, 1, 1))
    agreement_between(beta, gamma, signed_on=datetime.date(2022, 1, 1))


def asked_counts() -> list[int]:
    """The limits of the network counts queued for the worker."""
    return [
        result.args_kwargs["kwargs"]["limit"]
        for result in DBTaskResult.objects.filter(task_path="agreements.tasks.count_public_network")
    ]


def test_network_never_counted_is_counted_by_the_worker_not_the_visitor(
    client, api_client, too_many_to_count_here, settings
):
    from agreements import tasks

    settings.TASKS = DATABASE_TASKS

    page = client.get(NETWORK_URL)

    assert "The network of all agreements is being counted" in page.content.decode()
    assert table_rows(page) == []
    assert "no-store" in page["Cache-Control"]
    assert asked_counts() == [100]
    api = api_client.get("/api/v1/network/")
    assert api.status_code == 503
    assert api["Retry-After"] == "60"
    assert api.json()["errors"][0]["code"] == "network_being_counted"
    assert asked_counts() == [100, 500]

    # Once the worker has counted it, the page shows it.
    tasks.count_public_network.call(limit=100, asked_at=0)
    shown = client.get(NETWORK_URL)
    assert [row[0] for row in table_rows(shown)] == ["Beta", "Alpha", "Gamma"]


def test_network_counted_too_long_ago_is_served_while_the_worker_recounts(
    client, too_many_to_count_here, settings
):
    from agreements import tasks
    from core.models import Aggregate

    tasks.count_public_network.call(limit=100, asked_at=0)
    Aggregate.objects.update(computed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    settings.TASKS = DATABASE_TASKS

    page = client.get(NETWORK_URL)

    assert [row[0] for row in table_rows(page)] == ["Beta", "Alpha", "Gamma"]
    # Lagging past the allowed lag: served, but not kept by the page cache.
    assert page.get("X-Cache") is None
    assert asked_counts() == [100]


def test_network_drawing_escapes_names_and_draws_each_link(client):
    europe = DivisionFactory(name="Europe", slug="europe")
    odd = OrganisationFactory(name='A & B <"Park">', slug="a-and-b", division=europe)
    beta = OrganisationFactory(name="Beta", slug="beta", division=europe)
    gamma = OrganisationFactory(name="Gamma with a rather long name indeed", division=europe)
    agreement_between(odd, beta, signed_on=datetime.date(2021, 1, 1))
    agreement_between(beta, gamma, signed_on=datetime.date(2022, 1, 1))

    body = client.get(NETWORK_URL).content.decode()

    picture = re.search(r'<svg class="network-picture".*?</svg>', body, re.S).group(0)
    assert picture.count("<line ") == 2
    assert 'data-slug="a-and-b"><title>A &amp; B &lt;&quot;Park&quot;&gt;</title><circle' in picture
    assert ">Gamma with a rather lon…</text>" in picture
    assert f'<a href="{odd.get_absolute_url()}">A &amp; B &lt;&quot;Park&quot;&gt;</a>' in body


def node_colours(response) -> dict[str, str]:
    """Each drawn organisation's colour, by slug."""
    nodes = re.findall(
        r'<g class="network-picture__node division-colour-(\w+)" data-slug="([^"]+)">',
        response.content.decode(),
    )
    return {slug: colour for colour, slug in nodes}


def test_network_page_draws_a_kept_network_once_per_count_and_colours(
    client, network, settings, monkeypatch
):
    from agreements import views

    drawn = []
    draw = views.draw_network
    monkeypatch.setattr(views, "draw_network", lambda *args: drawn.append(args) or draw(*args))
    settings.PAGE_CACHE_SECONDS = 0  # every request makes the page

    first = client.get(NETWORK_URL)
    assert client.get(NETWORK_URL).content == first.content
    assert len(drawn) == 1
    assert node_colours(first)["zstip"] == "1"

    # Served while the worker would recount it (the same kept count), with colours moved by a
    # division first by name: drawn again, in the new colours.
    settings.AGGREGATES_MAX_LAG_SECONDS = 300
    DivisionFactory(name="Africa", slug="africa")
    assert node_colours(client.get(NETWORK_URL))["zstip"] == "2"
    assert len(drawn) == 2

    # Counted again with a new agreement: drawn again, with it.
    agreement_between(
        OrganisationFactory(name="Kista Park", slug="kista", division=None),
        OrganisationFactory(name="Lund Park", slug="lund", division=None),
        slug="kista-lund",
    )
    aggregates.refresh()
    assert "Kista Park" in names(client.get(NETWORK_URL))
    assert len(drawn) == 3
