"""A visitor's journey and an accessibility audit of every page type, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import VIEWPORTS, axe_violations, format_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_TYPES = {
    "home": "/",
    "conference-list": "/conferences/",
    "conference": "/conferences/world-conference-2025-beijing/",
    "division-conference": "/conferences/asia-pacific-division-conference-2026-chiang-mai/",
    "person-list": "/people/",
    "person": "/people/hao-tang/",
    "directory": "/members/?country=TH",
    "organisation": "/organisations/zsambek-future-industry-science-and-innovation-park/",
    "division-list": "/divisions/",
    "division": "/divisions/asia-pacific/",
    "agreement-list": "/agreements/",
    "agreement": (
        "/agreements/cooperation-agreement-between-zstip-and-zhongguancun-fengtai-science-park/"
    ),
    "topic-list": "/topics/",
    "topic": "/topics/energy-efficiency/",
    "search": "/search/?q=science+park",
    "page": "/pages/about/",
    "not-found": "/no-such-page/",
}


def open_nav_link(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_visitor_goes_from_home_to_a_conference_a_speaker_a_park_and_its_agreement(
    demo_site, page, viewport
):
    page.goto(demo_site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Science Parks Portal")

    page.get_by_role(
        "link", name="42nd World Conference on Science Parks and Areas of Innovation"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("42nd World Conference")
    expect(page.locator("main")).to_contain_text("15–19 September 2025")
    expect(page.locator("main")).to_contain_text("General Assembly")
    expect(page.locator("main")).to_contain_text("Dhahran")

    open_nav_link(page, "Conferences")
    page.get_by_role("link", name="Asia Pacific Division Conference 2026").first.click()
    expect(page.locator("main")).to_contain_text("2–4 June 2026")
    page.get_by_role("link", name="Hao Tang").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hao Tang")
    expect(page.locator("main")).to_contain_text("Asia Pacific")

    open_nav_link(page, "Members")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if viewport == "phone":  # the results come first; the filters fold behind a button
        page.locator("summary", has_text="Find members").click()
    country = page.get_by_label("Country")
    hungary = country.locator("option", has_text="Hungary").get_attribute("value")
    country.select_option(hungary)
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"country=HU"))
    main = page.locator("main")
    expect(main).to_contain_text("Zsámbék Future Industry Science and Innovation Park")
    expect(main).not_to_contain_text("Coventry Science Park")

    page.get_by_role("link", name=re.compile("Zsámbék Future Industry")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zsámbék")
    page.get_by_role("link", name=re.compile("Cooperation agreement between ZSTIP")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cooperation agreement")
    expect(page.locator("main")).to_contain_text("Zhongguancun Fengtai Science Park")
    expect(page.locator("main")).to_contain_text("Energy efficiency")

    assert page.console_errors == []


def test_every_page_type_has_no_serious_accessibility_violation(demo_site, page, viewport):
    failures = {}
    for name, path in PAGE_TYPES.items():
        response = page.goto(demo_site.url + path)
        expected = 404 if name == "not-found" else 200
        assert response.status == expected, f"{path} answered {response.status}"
        if name == "not-found":  # the browser logs the page's own 404; nothing else may fail
            page.console_errors.remove(
                "Failed to load resource: the server responded with a status of 404 (Not Found)"
            )
        screenshot(page, name, viewport)
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert not failures, format_violations(failures)
    assert page.console_errors == []


def test_keyboard_user_can_skip_to_the_content(demo_site, page, viewport):
    page.goto(demo_site.url + "/conferences/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_phone_layout_has_no_horizontal_scroll(demo_site, browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    for path in PAGE_TYPES.values():
        page.goto(demo_site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
    context.close()
