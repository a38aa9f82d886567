"""A conference prepared in private: an editor keys it, previews the draft on its real page,
and publishes it; a visitor sees nothing of it until then. In Chromium, desktop and phone."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from conferences.models import Conference
from portal.roles import EDITORS, ensure_staff_groups
from tests.e2e.conftest import VIEWPORTS, axe_violations, format_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long editor passphrase"
TITLE = "Science Parks Summit on Water"


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    ensure_staff_groups()
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def log_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + "/admin/")


def test_draft_preview_publish(live_server, editor, browser, page, viewport):
    base = live_server.url
    next_year = datetime.date.today().year + 1
    log_in(page, base)

    page.goto(base + "/admin/conferences/conference/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_kind").select_option("other")
    page.locator("#id_start_date").fill(f"{next_year}-04-20")
    page.locator("#id_end_date").fill(f"{next_year}-04-22")
    page.locator("#id_country").select_option("PT")
    page.locator("#id_city").fill("Porto")
    published = page.locator("#id_is_published")
    expect(published).not_to_be_checked()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    conference = Conference.objects.get(title=TITLE)
    assert conference.is_published is False

    # A visitor finds nothing: no page, no entry in the list.
    visitor = browser.new_context(viewport=VIEWPORTS[viewport])
    anonymous = visitor.new_page()
    assert anonymous.goto(base + conference.get_absolute_url()).status == 404
    anonymous.goto(base + "/conferences/")
    expect(anonymous.locator("main")).not_to_contain_text(TITLE)

    # The editor previews it on the real page, marked as a draft.
    page.get_by_role("link", name="View on site").click()
    preview = page
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.get_by_role("note", name="Preview")).to_contain_text("Draft — not public.")
    violations = axe_violations(preview)
    assert violations == [], format_violations(violations)

    # Back in the admin, the editor publishes it from the banner's link.
    preview.get_by_role("link", name="Edit or publish in the admin").click()
    preview.locator("#id_is_published").check()
    preview.locator("input[name=_save]").click()
    expect(preview.locator(".messagelist")).to_contain_text("was changed successfully")

    anonymous.goto(base + "/conferences/")
    expect(anonymous.locator("main")).to_contain_text(TITLE)
    anonymous.get_by_role("link", name=TITLE).first.click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(anonymous.locator("main")).not_to_contain_text("not public")
    visitor.close()
