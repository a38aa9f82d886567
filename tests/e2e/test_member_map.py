"""The map of members and an organisation's profile (possible partners, badge), in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_violations, format_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

MAP = "/members/map/"
ZSTIP = "/organisations/zsambek-future-industry-science-and-innovation-park/"
DEMO_MEMBERS_ON_MAP = 13


def outside_requests(page: Page, site: str) -> list[str]:
    """Collects every request the page makes to anywhere but the site itself."""
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(site) else outside.append(request.url),
    )
    return outside


def open_map(page: Page, site: str) -> None:
    """Opens the page, then brings the map into view: Leaflet loads only then."""
    page.goto(site + MAP)
    page.mouse.move(10, 10)  # the visitor's first move
    page.locator(".member-map-frame").scroll_into_view_if_needed()
    expect(page.locator("#member-map-status")).to_have_text(
        f"The map shows {DEMO_MEMBERS_ON_MAP} members."
    )
    expect(page.locator("#member-map path.map-country").first).to_be_attached()
    settled(page)


def members_drawn(page: Page) -> int:
    """Members on the map: single points plus the numbers shown on the groups."""
    markers = page.locator("#member-map .member-marker").count()
    groups = page.locator("#member-map .member-cluster > span:first-child").all_inner_texts()
    return markers + sum(int(text) for text in groups)


def settled(page: Page) -> None:
    """Waits for the grouping's animation to end (points leaving a group fade out)."""
    expect(page.locator("#member-map .leaflet-cluster-anim")).to_have_count(0)
    page.wait_for_timeout(400)


def test_member_map_draws_outlines_and_every_member(demo_site, page, viewport):
    outside = outside_requests(page, demo_site.url)

    open_map(page, demo_site.url)

    assert page.locator("#member-map path.map-country").count() > 150
    assert page.locator("#member-map .member-marker").count() > 0
    assert page.locator("#member-map .member-cluster").count() > 0
    assert members_drawn(page) == DEMO_MEMBERS_ON_MAP
    expect(page.locator(".map-legend")).to_contain_text("Europe")
    if viewport == "phone":
        page.evaluate(
            "window.scrollBy(0, document.querySelector('#map-heading')"
            ".getBoundingClientRect().top - 16)"
        )
    screenshot(page, "member-map", viewport)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert outside == []
    assert page.console_errors == []


def test_member_map_popup_links_to_the_profile(demo_site, page, viewport):
    open_map(page, demo_site.url)

    page.locator('.member-marker[title="Parque Tecnológico São José dos Campos"]').click()

    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Parque Tecnológico São José dos Campos")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Latin America")
    # At phone width the map pans to show the popup: click once it stands still.
    expect(page.locator(".leaflet-container")).not_to_have_class(re.compile(r"leaflet-pan-anim"))
    link.click()
    expect(page).to_have_url(
        re.compile("/organisations/parque-tecnologico-sao-jose-dos-campos/$"), timeout=15_000
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("São José dos Campos")
    assert page.console_errors == []


def test_member_map_group_opens_on_selection(demo_site, page, viewport):
    open_map(page, demo_site.url)
    points_before = page.locator("#member-map .member-marker").count()

    largest = max(
        page.locator("#member-map .member-cluster").all(),
        key=lambda cluster: int(cluster.locator("span").first.inner_text()),
    )
    largest.focus()
    page.keyboard.press("Enter")

    expect(page.locator("#member-map .member-marker")).not_to_have_count(points_before)
    settled(page)
    assert page.locator("#member-map .member-marker").count() > points_before
    assert members_drawn(page) <= DEMO_MEMBERS_ON_MAP
    assert page.console_errors == []


def test_member_map_loads_leaflet_only_in_view_and_nothing_moves(demo_site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 300})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if "leaflet" in r.url else None)
    page.goto(demo_site.url + MAP)
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.L") == "undefined"
    assert requested == []
    where = (
        "() => document.querySelector('.member-map-frame').getBoundingClientRect().top + scrollY"
    )
    before = page.evaluate(where)
    height = page.locator(".member-map-frame").bounding_box()["height"]

    page.locator(".member-map-frame").scroll_into_view_if_needed()
    expect(page.locator("#member-map[data-ready]")).to_be_attached()

    assert page.evaluate("typeof window.L") == "object"
    assert len(requested) == 4  # two stylesheets, Leaflet and its grouping
    assert page.evaluate(where) == before
    assert page.locator(".member-map-frame").bounding_box()["height"] == height
    context.close()


def test_member_map_without_javascript_is_drawn_by_the_server(demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(demo_site.url + MAP)

    picture = page.locator("svg.member-map__picture")
    expect(picture).to_be_visible()
    assert picture.evaluate("svg => svg.querySelector('image').getBBox().width") == 1000
    bubbles = picture.locator(".map-bubble")
    assert bubbles.count() > 5
    hungary = picture.locator(".map-bubble", has=page.locator("title", has_text="Hungary"))
    assert hungary.locator("title").text_content() == "Hungary: 1"
    assert hungary.locator("text").text_content() == "1"
    countries = page.get_by_role("table").first
    expect(countries.get_by_role("link", name="Thailand")).to_have_attribute(
        "href", "/members/?country=TH"
    )
    expect(page.get_by_role("row", name=re.compile("Zsámbék Future Industry"))).to_contain_text(
        "Hungary"
    )
    context.close()


def test_organisation_profile_shows_possible_partners_and_badge(demo_site, page, viewport):
    outside = outside_requests(page, demo_site.url)
    page.goto(demo_site.url + ZSTIP)

    partners = page.locator("section", has=page.get_by_role("heading", name="Possible partners"))
    expect(partners.get_by_role("listitem")).to_have_count(5)
    expect(partners).to_contain_text("Coventry Science Park")
    expect(partners).to_contain_text("Shares energy efficiency and new materials")
    expect(partners).not_to_contain_text("Zhongguancun Fengtai Science Park")

    badge = page.get_by_role("img", name=re.compile("member of IASP"))
    badge.scroll_into_view_if_needed()
    assert badge.evaluate("image => image.complete && image.naturalWidth") == 320
    snippet = page.get_by_label("HTML for your website")
    expect(snippet).to_have_value(re.compile(r'^<a href="http://[^"]+/organisations/zsambek'))
    expect(page.get_by_role("button", name="Copy the HTML")).to_be_visible()

    if viewport == "phone":
        page.evaluate(
            "window.scrollBy(0, document.querySelector('#partners-heading')"
            ".getBoundingClientRect().top - 16)"
        )
    screenshot(page, "organisation-insights", viewport)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert outside == []
    assert page.console_errors == []


def test_badge_copy_button_copies_the_snippet(demo_site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(demo_site.url + ZSTIP)

    page.get_by_role("button", name="Copy the HTML").click()

    expect(page.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("HTML for your website").input_value()
    context.close()
