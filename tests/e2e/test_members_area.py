"""The members' area in Chromium, at desktop and phone width: a contact signs in, proposes a
change to their park, confirms an agreement and looks at their own record; staff review the
proposal. Every page axe-clean; screenshots in docs/screenshots/."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from agreements.models import Agreement
from agreements.services import propose_agreement
from members.models import Proposal
from portal.roles import ensure_staff_groups
from tests.e2e.conftest import axe_violations, format_violations, screenshot
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    member_contact,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long member passphrase"


@pytest.fixture
def member(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_staff_groups()
    TopicFactory(name="Clean energy", slug="clean-energy")
    user = UserFactory(email="ines@harbour.example", first_name="Ines")
    user.set_password(PASSWORD)
    user.save()
    park = OrganisationFactory(
        name="Harbour Science Park", city="Porto", description="Laboratories by the docks."
    )
    member_contact(user=user, organisation=park)
    PersonFactory(user=user, name="Ines Duarte", job_title="Director", bio="Runs the harbour park.")
    partner = member_contact(organisation=OrganisationFactory(name="Alpine Innovation Park"))
    propose_agreement(
        proposed_by=partner.user,
        organisation=partner.organisation,
        other_parties=[park],
        kind=Agreement.Kind.MOU,
        title="Harbour and Alpine parks share their laboratories",
        signed_on=datetime.date(2026, 5, 4),
        signed_city="Lisbon",
    )
    return user, park


def clean(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    assert page.console_errors == []


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/account/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the members' area")
    page.get_by_label("Email").fill("ines@harbour.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/account/")


def test_member_signs_in_proposes_and_confirms(live_server, member, page, viewport):
    base = live_server.url
    page.goto(base + "/account/login/")
    clean(page)
    screenshot(page, "members-sign-in", viewport)

    sign_in(page, base)
    main = page.locator("main")
    expect(main).to_contain_text("Harbour Science Park")
    expect(main).to_contain_text("1 agreement waits for your confirmation")
    clean(page)
    screenshot(page, "members-home", viewport)

    # A change to the park's profile: sent for review, not public yet.
    page.goto(base + "/account/organisations/" + member[1].slug + "/edit/")
    page.get_by_label("Description").fill("Laboratories and a marina by the docks.")
    page.get_by_label("Clean energy").check()
    clean(page)
    screenshot(page, "members-profile-form", viewport)
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("main")).to_contain_text("Waiting for review")
    proposal = Proposal.objects.get(organisation=member[1])
    assert proposal.changes["description"] == "Laboratories and a marina by the docks."
    assert proposal.changes["topics"] == ["clean-energy"]
    visitor = page.context.browser.new_page()
    visitor.goto(base + member[1].get_absolute_url())
    expect(visitor.locator("main")).not_to_contain_text("a marina")
    visitor.close()

    # The agreement another park recorded: confirmed for Harbour.
    page.goto(base + "/account/agreements/")
    page.get_by_role("link", name="Harbour and Alpine parks share their laboratories").click()
    expect(page.locator("main")).to_contain_text("Alpine Innovation Park")
    clean(page)
    screenshot(page, "members-agreement", viewport)
    page.get_by_role("button", name="Confirm for Harbour Science Park").click()
    expect(page.locator("main")).to_contain_text("Harbour Science Park has confirmed")

    # What the portal shows about the person.
    page.goto(base + "/account/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What the portal shows about you")
    expect(page.locator("main")).to_contain_text("Ines Duarte")
    clean(page)
    screenshot(page, "members-own-record", viewport)


def test_staff_review_a_proposal_side_by_side(live_server, member, page, viewport):
    from members.services import propose_organisation_change

    user, park = member
    proposal = propose_organisation_change(
        organisation=park,
        proposed_by=user,
        changes={"description": "Laboratories and a marina by the docks.", "city": "Matosinhos"},
    )
    editor = UserFactory(username="reviewer", is_staff=True, is_superuser=True)
    editor.set_password(PASSWORD)
    editor.save()
    base = live_server.url
    page.goto(base + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(base + f"/admin/members/proposal/{proposal.pk}/change/")
    expect(page.locator("#content")).to_contain_text("Laboratories by the docks.")
    expect(page.locator("#content")).to_contain_text("Laboratories and a marina by the docks.")
    screenshot(page, "admin-proposal-review", viewport)
    page.get_by_role("button", name="Approve").click()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED

    page.goto(base + park.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Laboratories and a marina by the docks.")
