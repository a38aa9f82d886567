"""The Figures page in Chromium: every chart draws, tables stay one click away, no script, no
console error, no serious accessibility violation, at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, axe_violations, format_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

FIGURES = 5

# Per canvas: the data points Chart.js holds above zero, and the pixels it painted.
DRAWN = """() => Array.from(document.querySelectorAll('.figure canvas')).map((canvas) => {
    const chart = Chart.getChart(canvas);
    const points = chart
        ? chart.data.datasets.reduce((n, set) => n + set.data.filter((v) => v > 0).length, 0)
        : 0;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) { painted += 1; } }
    return { points, painted, width: canvas.getBoundingClientRect().width };
})"""


def chart_js_requested(page) -> list[str]:
    requested: list[str] = []
    page.on(
        "request",
        lambda request: requested.append(request.url) if "chart.umd" in request.url else None,
    )
    return requested


def test_every_figure_draws_its_chart(demo_site, page, viewport):
    page.emulate_media(reduced_motion="reduce")
    requested = chart_js_requested(page)
    page.goto(demo_site.url + "/figures/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Figures")
    # The server drew every chart; Chart.js waits for the visitor and the chart in view.
    expect(page.locator(".figure__chart[role='img'] svg.figure__svg")).to_have_count(FIGURES)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.Chart") == "undefined"
    assert requested == []
    box = page.locator("#agreements-per-year .figure__chart")
    before = box.bounding_box()

    page.mouse.move(10, 10)  # the visitor's first move
    for figure in page.locator(".figure__chart").all():
        figure.scroll_into_view_if_needed()
        expect(figure).to_have_class(re.compile("figure__chart--live"))
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.figure canvas'))"
        ".every((canvas) => Chart.getChart(canvas))"
    )
    assert len(requested) == 1
    drawn = page.evaluate(DRAWN)

    assert len(drawn) == FIGURES
    for chart in drawn:
        assert chart["points"] > 0
        assert chart["painted"] > 1000
        assert 0 < chart["width"] <= VIEWPORTS[viewport]["width"]
    # Chart.js draws in the server's box: nothing moved.
    page.evaluate("window.scrollTo(0, 0)")
    assert box.bounding_box() == before
    label = page.locator("#members-per-division .figure__chart").get_attribute("aria-label")
    assert label.startswith("Members per division, bar chart. Largest: ")
    # The charts carry the numbers: the tables are folded away, open on a click.
    expect(page.locator("details[data-figure-table][open]")).to_have_count(0)
    if viewport == "phone":  # the phone's picture shows charts rather than the page's head
        page.locator("#members-per-division").evaluate("(figure) => figure.scrollIntoView()")
    screenshot(page, "figures", viewport)
    figure = page.locator("#agreements-per-year")
    figure.get_by_text("The numbers as a table").click()
    expect(figure.get_by_role("rowheader", name="2025")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert page.console_errors == []


def test_figures_csv_is_downloaded_from_its_link(demo_site, page, viewport):
    page.goto(demo_site.url + "/figures/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Agreements per year as CSV").click()

    assert download.value.suggested_filename == "agreements-per-year.csv"
    body = download.value.path().read_bytes().decode("utf-8")
    assert body.startswith("year,agreements\r\n")
    assert "\r\n2025," in body
    assert page.console_errors == []


def test_figures_without_javascript_are_drawn_by_the_server(demo_site, browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site.url + "/figures/")

    charts = page.locator(".figure__chart svg.figure__svg")
    expect(charts).to_have_count(FIGURES)
    for chart in charts.all():
        expect(chart).to_be_visible()
        assert chart.bounding_box()["height"] > 40
    expect(page.locator(".figure canvas")).to_have_count(0)
    division = page.locator("#members-per-division svg")
    expect(division.locator("text", has_text="Europe")).to_be_visible()
    expect(division.locator("rect title").first).to_have_text("Europe: 9")
    tables = page.locator(".figure table")
    expect(tables).to_have_count(FIGURES)
    page.locator("#members-per-country summary").click()
    expect(
        page.locator("#members-per-country").get_by_role("rowheader", name="Hungary")
    ).to_be_visible()
    context.close()
