"""Pages staff write, search for what is tagged, and filters that fold away on phones, in
Chromium at desktop and phone width."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import VIEWPORTS, axe_violations, format_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_visitor_opens_the_about_page_from_the_footer(demo_site, page, viewport):
    page.goto(demo_site.url + "/")

    footer = page.get_by_role("navigation", name="About the association")
    expect(footer.get_by_role("link")).to_have_text(["About", "Join", "Contact", "Privacy"])
    footer.get_by_role("link", name="About").click()

    expect(page).to_have_url(re.compile(r"/pages/about/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About the association")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=2, name="What our members do")).to_be_visible()
    expect(main.get_by_role("link", name="member directory")).to_have_attribute("href", "/members/")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="About")).to_have_attribute("aria-current", "page")
    screenshot(page, "page-about", viewport)
    assert_accessible(page)
    assert page.console_errors == []


def test_search_for_energy_shows_pages_topics_and_tagged_organisations(demo_site, page, viewport):
    page.goto(demo_site.url + "/")

    page.get_by_role("searchbox", name="Search the portal").fill("energy")
    page.get_by_role("searchbox", name="Search the portal").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “energy”")
    groups = page.locator("main h2")
    expect(groups.filter(has_text="Pages")).to_be_visible()
    expect(groups.filter(has_text="Topics")).to_be_visible()
    expect(groups.filter(has_text="Organisations")).to_be_visible()
    topics = page.locator("#results-topics")
    expect(topics.get_by_role("link", name="Clean energy")).to_be_visible()
    expect(topics.get_by_role("link", name="Energy efficiency")).to_be_visible()
    pages = page.locator("#results-pages")
    expect(pages.get_by_role("link", name="About the association")).to_be_visible()
    organisations = page.locator("#results-organisations")
    expect(organisations).to_contain_text("Topic: Clean energy")
    screenshot(page, "search-energy", viewport)
    assert_accessible(page)

    topics.get_by_role("link", name="Clean energy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clean energy")
    assert page.console_errors == []


def test_directory_shows_results_first_and_filters_behind_a_button_on_phones(
    demo_site, page, viewport
):
    page.goto(demo_site.url + "/members/")
    toggle = page.locator("summary", has_text="Find members")
    country = page.get_by_label("Country")
    first_result = page.locator("main .grid li").first

    if viewport == "desktop":
        expect(toggle).to_be_hidden()
        expect(country).to_be_visible()
        expect(page.get_by_role("heading", level=2, name="Find members")).to_be_visible()
        assert_accessible(page)
        return

    expect(toggle).to_be_visible()
    expect(country).to_be_hidden()
    box = first_result.bounding_box()
    assert box is not None and box["y"] < VIEWPORTS["phone"]["height"], box
    screenshot(page, "directory-filters", viewport)
    assert_accessible(page)

    toggle.click()
    expect(country).to_be_visible()
    assert_accessible(page)
    country.select_option(country.locator("option", has_text="Hungary").get_attribute("value"))
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"country=HU"))
    expect(page.locator("main")).to_contain_text("Zsámbék Future Industry")
    expect(page.locator("main")).not_to_contain_text("Coventry Science Park")
    expect(toggle).to_contain_text("1 applied")
    expect(country).to_be_hidden()  # the results come first again
    assert page.console_errors == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_filters_work_without_javascript(demo_site, browser, width):
    context = browser.new_context(
        viewport=VIEWPORTS[width], locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(demo_site.url + "/conferences/")
    country = page.get_by_label("Country")

    if width == "phone":
        expect(country).to_be_hidden()
        page.locator("summary", has_text="Filter conferences").click()
    expect(country).to_be_visible()
    context.close()
