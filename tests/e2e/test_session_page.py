"""A session's own page, reached from the programme, and the call to register, in Chromium."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conferences.models import Appearance, Conference, Session
from conferences.services import update_conference
from members.models import Person
from tests.e2e.conftest import axe_violations, format_violations, screenshot
from tests.factories import AppearanceFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHIANG_MAI = "/conferences/asia-pacific-division-conference-2026-chiang-mai/"
REGISTRATION = "https://example.org/register"


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def open_registration_of_the_next_world_conference() -> Conference:
    """The demo's 44th World Conference, its days announced and registration open, with one
    programme item."""
    start = timezone.localdate() + datetime.timedelta(days=60)
    conference = update_conference(
        conference=Conference.objects.get(edition=44, kind=Conference.Kind.WORLD),
        start_date=start,
        end_date=start + datetime.timedelta(days=3),
        date_precision=Conference.DatePrecision.DAY,
        status=Conference.Status.REGISTRATION_OPEN,
        registration_url=REGISTRATION,
    )
    session = SessionFactory(
        conference=conference,
        kind=Session.Kind.OPENING,
        title="Opening of the 44th World Conference",
        day=start,
    )
    AppearanceFactory(
        session=session,
        person=Person.objects.get(slug="hao-tang"),
        role=Appearance.Role.KEYNOTE,
    )
    return conference


def test_visitor_goes_from_the_programme_to_a_session_and_back(demo_site, page, viewport):
    page.goto(demo_site.url + CHIANG_MAI)
    programme = page.locator("section", has=page.get_by_role("heading", name="Programme"))
    programme.get_by_role("link", name="Opening session").click()

    expect(page).to_have_url(re.compile(r"/sessions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Opening session")
    main = page.locator("main")
    expect(main).to_contain_text("Tuesday 2 June 2026")
    expect(main).to_contain_text("Asia/Bangkok")
    speakers = page.locator("section", has=page.get_by_role("heading", name="Speakers"))
    expect(speakers.get_by_role("link", name="Hao Tang")).to_be_visible()
    expect(speakers.get_by_role("img", name="Photo of Hao Tang")).to_be_visible()
    expect(main).to_contain_text("Opening address")
    screenshot(page, "session", viewport)
    assert_accessible(page)

    page.get_by_role("link", name="Innovation ecosystems and global challenges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Innovation ecosystems and global challenges"
    )
    page.get_by_role("link", name=re.compile("^The whole programme of")).click()

    expect(page).to_have_url(re.compile(re.escape(CHIANG_MAI) + r"#session-\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Asia Pacific Division Conference 2026"
    )
    assert page.console_errors == []


def test_visitor_finds_the_register_button_on_home_conference_and_session(
    demo_site, page, viewport
):
    conference = open_registration_of_the_next_world_conference()
    register = re.compile(r"^Register for 44th World Conference")

    page.goto(demo_site.url + "/")
    hero = page.locator(".hero")
    expect(hero.get_by_role("link", name=register)).to_have_attribute("href", REGISTRATION)
    expect(hero).to_contain_text("days to go")
    assert_accessible(page)

    hero.get_by_role("link", name=conference.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(conference.title)
    button = page.get_by_role("link", name=register)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("href", REGISTRATION)
    expect(page.get_by_role("link", name="Add to your calendar (.ics)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Opening of the 44th World Conference").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Opening of the 44th World Conference"
    )
    expect(page.get_by_role("link", name=register)).to_be_visible()
    screenshot(page, "session-register", viewport)
    assert_accessible(page)
    assert page.console_errors == []
