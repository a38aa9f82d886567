"""Staff in the admin: an import started from the template, and forms that fill in what they
can (the time zone from the country, the signing place from the conference), in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_violations, format_violations, screenshot
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def script_errors(page: Page) -> list[str]:
    """The console's errors but the blocked inline styles of Django's admin and of the import
    preview (the policy keeps them out; the pages work without) and the admin's missing icon."""
    return [
        error
        for error in page.console_errors
        if not error.startswith("Applying inline style violates") and "status of 404" not in error
    ]


@pytest.fixture
def staff_page(demo_site, page: Page) -> Page:
    StaffUserFactory(username="importer")
    not_found = page.not_found = []
    page.on(
        "response",
        lambda response: not_found.append(response.url) if response.status == 404 else None,
    )
    page.goto(demo_site.url + "/admin/login/")
    page.get_by_label("Username").fill("importer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def test_staff_import_the_template_and_find_the_record_in_the_list(
    demo_site, staff_page, viewport, tmp_path
):
    page = staff_page
    # Both formats, one per viewport: the spreadsheet on the desktop, CSV on the phone.
    link, extension = {
        "desktop": ("Excel template (XLSX)", "xlsx"),
        "phone": ("CSV template", "csv"),
    }[viewport]
    page.goto(demo_site.url + "/admin/members/organisation/import/")
    expect(page.get_by_role("heading", name="Start from a template")).to_be_visible()
    expect(page.get_by_role("table", name="Columns of the file")).to_contain_text("science_park")
    screenshot(page, "admin-import", viewport)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=link).click()
    download = download_info.value
    assert download.suggested_filename == f"organisation-import-template.{extension}"
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    page.get_by_label("File to import").set_input_files(str(template))
    # The format follows the file's name.
    expect(page.get_by_label("Format")).to_have_value("1" if extension == "xlsx" else "0")
    page.get_by_role("button", name="Submit").click()

    preview = page.locator("table.import-preview")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(preview).to_contain_text("example-science-park")
    expect(preview.locator("tr.new")).to_have_count(1)
    screenshot(page, "admin-import-preview", viewport)
    page.get_by_role("button", name="Confirm import").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Import finished: 1 new, 0 updated, 0 deleted and 0 skipped organisations."
    )
    page.goto(demo_site.url + "/admin/members/organisation/?q=example-science-park")
    expect(page.locator("#result_list")).to_contain_text("Example Science Park")
    assert script_errors(page) == []
    assert [url for url in page.not_found if not url.endswith("/favicon.ico")] == []


def test_conference_form_picks_the_zone_of_the_chosen_country(demo_site, staff_page, viewport):
    page = staff_page
    page.goto(demo_site.url + "/admin/conferences/conference/add/")
    time_zone = page.locator("#id_time_zone")
    expect(time_zone).to_have_value("UTC")

    page.locator("#id_country").select_option("TH")

    expect(time_zone).to_have_value("Asia/Bangkok")
    expect(page.locator(".time-zone-status")).to_have_text("Set from the country: Asia/Bangkok")
    first_group = time_zone.locator("optgroup").first
    expect(first_group).to_have_attribute("label", "Zones of the chosen country: Thailand")

    # A country of several zones offers them first and leaves the choice to staff; the zone
    # picked for the country before goes back to the default.
    page.locator("#id_country").select_option("AU")
    expect(time_zone).to_have_value("UTC")
    expect(time_zone.locator("optgroup").first).to_contain_text("Australia/Sydney")
    screenshot(page, "admin-conference-add", viewport)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert script_errors(page) == []
    assert [url for url in page.not_found if not url.endswith("/favicon.ico")] == []


def test_agreement_form_takes_the_place_of_the_conference(demo_site, staff_page, viewport):
    page = staff_page
    page.goto(demo_site.url + "/admin/agreements/agreement/add/")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.locator(".field-signed_at_conference .select2-selection").click()
    search = page.get_by_role("searchbox", name="Signed at conference")
    search.fill("42nd World")
    page.locator(".select2-results__option", has_text=re.compile("42nd World")).first.click()

    expect(page.get_by_label("Signed in (city)")).to_have_value("Beijing")
    expect(page.get_by_label("Signed in (country)")).to_have_value("CN")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    screenshot(page, "admin-agreement-add", viewport)
    assert script_errors(page) == []
    assert [url for url in page.not_found if not url.endswith("/favicon.ico")] == []
