"""The cooperation network in a browser: the graph draws, a node opens its organisation."""

import datetime

import pytest

from agreements.services import record_agreement
from members.models import Organisation, Topic
from tests.e2e.conftest import VIEWPORTS, axe_violations, format_violations, screenshot

ZSTIP = "zsambek-future-industry-science-and-innovation-park"

# Agreements between demo organisations, so that the graph has something to show besides
# the demo's one agreement (ZSTIP and Zhongguancun Fengtai).
MORE_AGREEMENTS = [
    (ZSTIP, "science-park-ulm", 2019),
    (ZSTIP, "latvian-technology-center", 2021),
    (ZSTIP, "magurele-science-park", 2023),
    ("zhongguancun-science-park", "zhongguancun-fengtai-science-park", 2018),
    ("zhongguancun-science-park", "thailand-science-park", 2020),
    ("zhongguancun-science-park", "melbourne-innovation-district-rmit-university", 2022),
    ("zhongguancun-science-park", "dhahran-techno-valley", 2024),
    ("thailand-science-park", "science-and-technology-park-chiang-mai-university", 2017),
    ("thailand-science-park", "prince-of-songkla-university-science-park", 2019),
    ("thailand-science-park", "regional-science-park-north", 2021),
    ("science-and-technology-park-chiang-mai-university", "chiang-mai-university", 2016),
    ("la-salle-technova-barcelona", "parque-tecnologico-sao-jose-dos-campos", 2015),
    ("la-salle-technova-barcelona", "linkoping-science-park", 2020),
    ("linkoping-science-park", "noviotech-campus", 2022),
    ("coventry-science-park", "bioindustry-park-silvano-fumero", 2023),
    ("coventry-science-park", "innovation-area-development-partnership", 2018),
    ("dhahran-techno-valley", "andhra-pradesh-medtech-zone", 2025),
]


@pytest.fixture
def network_site(demo_site):
    topics = list(Topic.objects.order_by("name")[:4])
    organisations = Organisation.objects.in_bulk(field_name="slug")
    for index, (first, second, year) in enumerate(MORE_AGREEMENTS):
        parties = [organisations[first], organisations[second]]
        record_agreement(
            title=f"Cooperation between {parties[0].name} and {parties[1].name}",
            slug=f"network-cooperation-{index}",
            kind="mou" if index % 3 else "cooperation",
            parties=parties,
            signed_on=datetime.date(year, 6, 1),
            topics=[topics[index % len(topics)]],
        )
    return demo_site


def painted_pixels(page) -> int:
    """How many pixels of the graph's canvases are painted (not transparent)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#network-graph canvas')).reduce(
            (total, canvas) => {
                if (!canvas.width || !canvas.height) return total;
                const data = canvas.getContext('2d').getImageData(
                    0, 0, canvas.width, canvas.height).data;
                let painted = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
                return total + painted;
            }, 0)"""
    )


def node_position(page, slug: str) -> dict:
    """Where a node is drawn, in the page's viewport coordinates."""
    # Cytoscape keeps its instance on the container; the page itself exposes only
    # data-nodes-drawn.
    return page.evaluate(
        """(slug) => {
            const container = document.getElementById('network-graph');
            const node = container._cyreg.cy.getElementById(slug);
            const box = container.getBoundingClientRect();
            const at = node.renderedPosition();
            return {x: box.left + at.x, y: box.top + at.y};
        }""",
        slug,
    )


def open_graph(page, url: str):
    """Opens the page, then brings the graph into view: Cytoscape loads only then."""
    page.goto(url)
    page.mouse.move(10, 10)  # the visitor's first move
    page.locator("#graph-heading").scroll_into_view_if_needed()
    graph = page.locator("#network-graph[data-nodes-drawn]")
    graph.wait_for()
    return graph


def test_cytoscape_loads_only_once_the_graph_is_in_view_and_nothing_moves(network_site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 400})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if "cytoscape" in r.url else None)
    try:
        page.goto(f"{network_site.url}/agreements/network/")
        page.mouse.move(10, 10)
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.cytoscape") == "undefined"
        assert requested == []
        frame = page.locator(".network-frame")
        before = page.evaluate(
            "() => document.querySelector('.network-frame').getBoundingClientRect().top + scrollY"
        )
        height = frame.bounding_box()["height"]

        frame.scroll_into_view_if_needed()
        page.locator("#network-graph[data-nodes-drawn]").wait_for()

        assert page.evaluate("typeof window.cytoscape") == "function"
        assert len(requested) == 1
        after = page.evaluate(
            "() => document.querySelector('.network-frame').getBoundingClientRect().top + scrollY"
        )
        assert (after, frame.bounding_box()["height"]) == (before, height)
        assert not page.locator(".network-picture").is_visible()
    finally:
        context.close()


def test_visitor_sees_the_network_drawn(network_site, page, viewport):
    graph = open_graph(page, f"{network_site.url}/agreements/network/")

    drawn = int(graph.get_attribute("data-nodes-drawn"))
    rows = page.locator(".network-table tbody tr").count()
    assert drawn == rows == 21
    assert page.locator("#network-graph canvas").count() >= 1
    assert painted_pixels(page) > 2000
    assert page.locator("#network-status").inner_text() == (
        "21 organisations and 18 links between them. Select an organisation to open its page."
    )
    legend = [
        " ".join(text.split()) for text in page.locator(".network-legend li").all_inner_texts()
    ]
    assert legend == [
        "Asia Pacific (9)",
        "Europe (10)",
        "Latin America (1)",
        "West Asia & North Africa (1)",
    ]
    assert page.locator(".network-graph").bounding_box()["width"] <= VIEWPORTS[viewport]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    if viewport == "phone":
        # The phone's picture is one screen: the graph's, under the filter form.
        page.locator("#graph-heading").evaluate(
            "(heading) => heading.scrollIntoView({behavior: 'instant'})"
        )
    screenshot(page, "network", viewport)
    assert page.console_errors == []


def legend_colours(page, selector: str) -> dict[str, str]:
    """Each division in a legend and the colour its swatch is painted in."""
    return page.evaluate(
        """(selector) => Object.fromEntries(Array.from(document.querySelectorAll(selector)).map(
            (swatch) => [swatch.parentElement.firstChild.nextSibling.textContent.trim(),
                         getComputedStyle(swatch).backgroundColor.replace(/ /g, '')]))""",
        selector,
    )


def test_network_and_map_draw_a_division_in_the_same_colour(network_site, page, viewport):
    open_graph(page, f"{network_site.url}/agreements/network/")
    in_network = legend_colours(page, ".network-legend__swatch")
    zstip = page.evaluate(
        """(slug) => document.getElementById('network-graph')._cyreg.cy.getElementById(slug)
            .style('background-color').replace(/ /g, '')""",
        ZSTIP,
    )

    page.goto(f"{network_site.url}/members/map/")
    on_map = legend_colours(page, ".map-legend__swatch")

    shared = sorted(set(in_network) & set(on_map))
    assert shared == ["Asia Pacific", "Europe", "Latin America"]
    assert {name: in_network[name] for name in shared} == {name: on_map[name] for name in shared}
    assert zstip == on_map["Europe"]
    assert len(set(in_network.values())) == len(in_network)
    assert page.console_errors == []


def test_visitor_selects_a_node_and_opens_its_organisation(network_site, page, viewport):
    graph = open_graph(page, f"{network_site.url}/agreements/network/")
    graph.scroll_into_view_if_needed()

    # Cytoscape learns where its container is from the scroll event, sent at the next frame.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    position = node_position(page, ZSTIP)
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(f"**/organisations/{ZSTIP}/")

    assert page.locator("h1").inner_text().startswith("Zsámbék Future Industry")
    assert page.console_errors == []


def test_visitor_filters_the_network_by_country_and_years(network_site, page, viewport):
    open_graph(page, f"{network_site.url}/agreements/network/")
    if viewport == "phone":  # the results come first; the filters fold behind a button
        page.locator("summary", has_text="Filter agreements").click()

    page.select_option("#id_country", "HU")
    page.fill("#id_year_from", "2020")
    page.fill("#id_year_to", "2025")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**country=HU**")
    page.mouse.move(20, 20)
    page.locator("#graph-heading").scroll_into_view_if_needed()
    graph = page.locator("#network-graph[data-nodes-drawn]")
    graph.wait_for()

    # ZSTIP's agreements of 2020 to 2025: with Fengtai, the Latvian centre and Magurele.
    assert graph.get_attribute("data-nodes-drawn") == "4"
    assert page.locator(".network-table tbody th").all_inner_texts() == [
        "Zsámbék Future Industry Science and Innovation Park",
        "Latvian Technology Center",
        "Magurele Science Park",
        "Zhongguancun Fengtai Science Park",
    ]
    assert page.console_errors == []


def test_visitor_gets_field_errors_and_no_graph_for_bad_filters(network_site, page, viewport):
    page.goto(f"{network_site.url}/agreements/network/?year_from=2024&year_to=2020")

    assert page.get_by_role("alert").inner_text().startswith("Some filters could not be used")
    assert "The last year cannot be before the first year." in page.locator(".filters").inner_text()
    assert page.locator("#network-graph").count() == 0
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    assert page.console_errors == []


def test_network_without_javascript_is_drawn_by_the_server(network_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        page.goto(f"{network_site.url}/agreements/network/")

        picture = page.locator("svg.network-picture")
        assert picture.is_visible()
        assert picture.get_attribute("role") == "img"
        assert picture.locator("circle").count() == 21
        assert picture.locator("line").count() == 18
        assert picture.locator(f'[data-slug="{ZSTIP}"] title').text_content() == (
            "Zsámbék Future Industry Science and Innovation Park"
        )
        assert picture.locator("text").count() == 12  # the names of the biggest
        assert page.locator(".network-table tbody tr").count() == 21
        link = page.locator(".network-table").get_by_role(
            "link", name="Zsámbék Future Industry Science and Innovation Park"
        )
        assert link.get_attribute("href") == f"/organisations/{ZSTIP}/"
    finally:
        context.close()


def test_network_graph_falls_back_to_the_picture_when_the_api_fails(network_site, page, viewport):
    page.route("**/api/v1/network/**", lambda route: route.fulfill(status=503, body="{}"))
    page.goto(f"{network_site.url}/agreements/network/")
    page.mouse.move(10, 10)
    page.locator("#graph-heading").scroll_into_view_if_needed()

    status = page.locator("#network-status")
    status.get_by_text("could not be drawn").wait_for()
    assert not page.locator("#network-graph").is_visible()
    assert page.locator(".network-picture circle").count() == 21
    assert page.locator(".network-table tbody tr").count() == 21
