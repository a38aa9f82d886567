"""Staff in the admin, in Chromium: a Viewer logs in with the group alone and reads the
dashboard; an editor changes a conference and reverts the change from its history. Each
page passes axe, and at desktop width nothing scrolls sideways."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from agreements.models import Agreement
from conferences.models import Conference
from portal.roles import VIEWERS, ensure_staff_groups
from tests.e2e.conftest import VIEWPORTS, axe_violations, format_violations, screenshot
from tests.factories import StaffUserFactory, UserFactory
from tests.test_import_export import ORGANISATION_HEADER, organisation_row

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # the factories' password


def log_in(page: Page, site_url: str, username: str, viewport: str) -> None:
    page.goto(site_url + "/admin/login/?next=/admin/")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def assert_accessible(page: Page, what: str) -> None:
    errors_before = len(page.console_errors)
    violations = axe_violations(page)
    # axe's own injected styles are refused by the page's Content-Security-Policy: those
    # messages are the audit's, not the page's.
    del page.console_errors[errors_before:]
    assert violations == [], f"{what}: {format_violations(violations)}"


def assert_fits_the_screen(page: Page, viewport: str, what: str) -> None:
    """At desktop width (1280 px) the page does not scroll sideways."""
    if viewport != "desktop":
        return
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["desktop"]["width"], f"{what} is {width} px wide"


def test_viewer_logs_in_with_the_group_alone_and_reads_the_dashboard(demo_site, page, viewport):
    ensure_staff_groups()  # the transactional test database starts empty
    viewer = UserFactory(username="viewer", is_staff=False)
    viewer.groups.add(Group.objects.get(name=VIEWERS))

    log_in(page, demo_site.url, "viewer", viewport)

    expect(page.get_by_role("heading", level=1)).to_have_text("What needs attention")
    dashboard = page.locator(".staff-dashboard")
    expect(dashboard.get_by_role("heading", name="Draft conferences")).to_be_visible()
    expect(dashboard.get_by_role("heading", name="Memberships")).to_be_visible()
    expect(dashboard.get_by_role("heading", name="Changed today")).to_be_visible()
    expect(page.get_by_text("Staff accounts and partner access")).to_have_count(0)
    assert_accessible(page, "dashboard")
    assert_fits_the_screen(page, viewport, "the dashboard")
    screenshot(page, "admin-dashboard", viewport)

    changed = dashboard.locator("#panel-changed a").first
    label = changed.inner_text()
    count = int(label.rsplit(": ", 1)[1])
    changed.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(min(count, 100))
    assert page.console_errors == []


def test_user_without_a_role_is_told_plainly(demo_site, page, viewport):
    UserFactory(username="outsider", is_staff=True)

    log_in(page, demo_site.url, "outsider", viewport)

    expect(page.locator(".errornote")).to_contain_text("has no access to the staff admin")
    assert_accessible(page, "login with an error")


def test_editor_reverts_a_change_from_the_history(demo_site, page, viewport):
    StaffUserFactory(username="editor")
    conference = Conference.objects.filter(sessions__isnull=False).distinct().first()
    old_venue = conference.venue
    change_url = f"{demo_site.url}/admin/conferences/conference/{conference.pk}/change/"
    log_in(page, demo_site.url, "editor", viewport)

    page.goto(change_url)
    assert_fits_the_screen(page, viewport, "a conference with its programme")
    page.get_by_label("Venue").fill("Temporary Hall")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").first.click()
    expect(page.locator("#change-history")).to_contain_text(f"Venue: {old_venue or 'none'}")
    expect(page.locator("#change-history")).to_contain_text("Temporary Hall")
    expect(page.locator("#change-history")).not_to_contain_text("None")
    assert_accessible(page, "history list")
    assert_fits_the_screen(page, viewport, "the history list")

    page.locator("#change-history tbody tr").nth(1).locator("th a").click()
    expect(page.locator(".breadcrumbs")).to_contain_text(conference.title[:20])
    expect(page.locator(".breadcrumbs")).not_to_contain_text("Historical")
    expect(page.get_by_label("Venue")).to_have_value(old_venue)
    assert_accessible(page, "history version")
    page.get_by_role("button", name="Revert").first.click()

    expect(page).to_have_url(change_url)
    expect(page.locator(".messagelist")).to_contain_text("is back as it was on")
    expect(page.get_by_label("Venue")).to_have_value(old_venue)
    conference.refresh_from_db()
    assert conference.venue == old_venue
    assert page.console_errors == []


def test_wide_admin_pages_fit_a_desktop_screen(demo_site, page, viewport):
    if viewport != "desktop":
        pytest.skip("the width is checked at 1280 px")
    StaffUserFactory(username="editor")
    log_in(page, demo_site.url, "editor", viewport)
    agreement = Agreement.objects.first()

    page.goto(f"{demo_site.url}/admin/agreements/agreement/{agreement.pk}/change/")
    assert_fits_the_screen(page, viewport, "an agreement with its parties")

    rows = [
        organisation_row(slug=f"park-{index}", name="A" * 200, kind="no-such-kind")
        for index in range(3)
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ORGANISATION_HEADER)
    writer.writeheader()
    writer.writerows(rows)
    page.goto(f"{demo_site.url}/admin/members/organisation/import/")
    page.locator("select[name=format]").select_option(label="csv")
    page.locator("input[name=import_file]").set_input_files(
        files=[{"name": "parks.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}]
    )
    page.locator("input[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(re.compile("Line 2"))
    assert_fits_the_screen(page, viewport, "the import errors")
