"""Staff key a three-day programme with its speakers on the programme editor, in Chromium."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from conferences.models import Conference, Session
from members.models import Organisation
from portal.roles import VIEWERS, ensure_staff_groups
from tests.e2e.conftest import axe_violations, format_violations, screenshot
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"

PROGRAMME = [
    # day heading, title, start, end, room, speaker: existing person (search) or new one
    ("Monday 14 September 2026", "Opening ceremony", "09:00", "09:45", "Main hall", "Hao"),
    ("Tuesday 15 September 2026", "Parks and cities", "10:00", "11:30", "Room 2", "Mira Sol"),
    ("Wednesday 16 September 2026", "Closing plenary", "16:00", "17:00", "Main hall", "Jon Ek"),
]


def log_in(page: Page, url: str, role: str | None = None) -> None:
    user = StaffUserFactory(username="editor", password=PASSWORD, is_superuser=role is None)
    if role is not None:
        ensure_staff_groups()  # a browser test's database is emptied after each test
        user.groups.add(Group.objects.get(name=role))
    # The admin names no icon; the browser's own request for one is no error of the page.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url + "/admin/")


def choose(page: Page, row, name: str, search: str, option: str) -> None:
    """Pick a record in one of the admin's autocomplete fields."""
    row.locator(f".field-{name} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_staff_key_a_three_day_programme_on_one_page(demo_site, page, viewport):
    conference = Conference.objects.create(
        kind=Conference.Kind.OTHER,
        title="Innovation Summit 2026",
        slug="innovation-summit-2026",
        start_date=datetime.date(2026, 9, 14),
        end_date=datetime.date(2026, 9, 16),
        country="ES",
        city="Málaga",
    )
    affiliation = Organisation.objects.order_by("name").first()
    log_in(page, demo_site.url)

    page.goto(f"{demo_site.url}/admin/conferences/conference/{conference.pk}/change/")
    page.get_by_role("link", name="Programme", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme of Innovation Summit 2026")

    for index, (day, title, start, end, room, speaker) in enumerate(PROGRAMME):
        page.get_by_role("button", name=f"Add a session on {day}").click()
        card = page.locator("[data-session]").nth(index)
        expect(card.get_by_label("Day")).to_have_value(conference.days[index].isoformat())
        card.get_by_label("Title").fill(title)
        card.get_by_label("Kind").select_option(label="Plenary session")
        card.get_by_label("Start time").fill(start)
        card.get_by_label("End time").fill(end)
        card.get_by_label("Room or place").fill(room)
        card.get_by_label("Description").fill(f"{title}: what the session is about.")
        card.get_by_role("button", name="Add a speaker").click()
        row = card.locator("[data-speaker]").first
        if index == 0:
            choose(page, row, "person", speaker, "Hao Tang")
            row.get_by_label("Role").select_option(label="Opening address")
        else:
            row.get_by_label("or a new person").fill(speaker)
            choose(
                page,
                row,
                "new_person_affiliation",
                affiliation.name[:12],
                affiliation.name,
            )
            row.get_by_label("In the capacity of").fill("Director")

    page.get_by_role("button", name="Save the programme").click()

    expect(page.locator(".messagelist")).to_contain_text("The programme was saved.")
    sessions = list(Session.objects.filter(conference=conference).in_programme_order())
    assert [(s.day, s.title, s.start_time.strftime("%H:%M")) for s in sessions] == [
        (conference.days[n], title, start) for n, (_d, title, start, *_rest) in enumerate(PROGRAMME)
    ]
    assert [[a.person.name for a in s.appearances.all()] for s in sessions] == [
        ["Hao Tang"],
        ["Mira Sol"],
        ["Jon Ek"],
    ]
    assert sessions[1].appearances.get().person.affiliation == affiliation
    for day, title, *_rest in PROGRAMME:
        section = page.locator("section", has=page.get_by_role("heading", name=day))
        expect(section.locator("legend").first).to_have_text(title)

    # Copy the opening to the last day, then move it above the closing plenary.
    opening = page.locator(f"#session-{sessions[0].pk}")
    opening.get_by_label("Copy to").select_option(conference.days[2].isoformat())
    opening.get_by_role("button", name="Copy").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "“Opening ceremony” was copied to Wednesday 16 September 2026."
    )
    last_day = page.locator(
        "section", has=page.get_by_role("heading", name="Wednesday 16 September 2026")
    )
    expect(last_day.locator("[data-session] > legend")).to_have_text(
        ["Opening ceremony", "Closing plenary"]
    )
    last_day.locator("[data-session]").nth(1).get_by_role("button", name="Move up").click()
    expect(last_day.locator("[data-session] > legend")).to_have_text(
        ["Closing plenary", "Opening ceremony"]
    )
    expect(last_day.locator("[data-session]").first.get_by_label("Start time")).to_have_value(
        "09:00"
    )

    # A wrong value is shown on its field, and nothing is saved.
    first = page.locator("[data-session]").first
    first.get_by_label("End time").fill("08:00")
    page.get_by_role("button", name="Save the programme").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing was saved")
    expect(page.locator("[data-session]").first).to_contain_text(
        "The session must end after it starts."
    )
    assert Session.objects.get(pk=sessions[0].pk).end_time == datetime.time(9, 45)

    page.goto(f"{demo_site.url}/admin/conferences/conference/{conference.pk}/programme/")
    screenshot(page, "admin-programme", viewport)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert page.console_errors == []


def test_session_page_leads_back_to_the_programme(demo_site, page, viewport):
    session = Session.objects.select_related("conference").first()
    log_in(page, demo_site.url)

    page.goto(f"{demo_site.url}/admin/conferences/session/{session.pk}/change/")
    page.get_by_role("link", name="Conference programme").click()

    expect(page).to_have_url(re.compile(rf"/conference/{session.conference_id}/programme/"))
    expect(page.locator(f"#session-{session.pk} > legend")).to_have_text(session.title)


def test_viewer_reads_the_programme_without_forms(demo_site, page, viewport):
    conference = Conference.objects.filter(sessions__appearances__isnull=False).first()
    session = conference.sessions.filter(appearances__isnull=False).first()
    log_in(page, demo_site.url, role=VIEWERS)

    page.goto(f"{demo_site.url}/admin/conferences/conference/{conference.pk}/change/")
    page.get_by_role("link", name="Programme", exact=True).click()

    card = page.locator(f"#session-{session.pk}")
    expect(card.get_by_role("heading", level=3)).to_have_text(session.title)
    expect(card).to_contain_text(session.appearances.first().person.name)
    expect(page.locator("form#programme-form")).to_have_count(0)
    screenshot(page, "admin-programme-read-only", viewport)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert page.console_errors == []
