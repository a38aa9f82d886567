"""The admin's front page: what needs attention, each item linking to the list of exactly
those rows, each panel only for staff who may view its records, at a fixed query cost."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import formats, timezone

from agreements.models import Agreement
from conferences.models import Conference
from members.models import Membership, Organisation
from portal.roles import VIEWERS
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    AppearanceFactory,
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


def dashboard(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.text


def panel(page: str, key: str) -> str:
    match = re.search(rf'id="panel-{key}">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


def link(page: str, text: str) -> str:
    """The address of the link whose text starts with `text`."""
    match = re.search(rf'<a href="([^"]+)">{re.escape(text)}', page)
    assert match, f"no link {text!r}"
    return html.unescape(match.group(1))


def rows(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200
    return sorted(str(obj) for obj in response.context["cl"].result_list)


def test_dashboard_counts_draft_conferences_and_links_to_exactly_them(staff_client):
    ConferenceFactory(title="Lisbon Summit", is_published=False)
    ConferenceFactory(title="Oslo Summit", is_published=False)
    ConferenceFactory(title="Public Summit", is_published=True)

    page = dashboard(staff_client)

    drafts = panel(page, "drafts")
    assert "2 conferences not yet published" in drafts
    assert rows(staff_client, link(drafts, "2 conferences")) == ["Lisbon Summit", "Oslo Summit"]


def test_dashboard_says_when_every_conference_is_published(staff_client):
    ConferenceFactory(is_published=True)

    assert "Every conference is published." in panel(dashboard(staff_client), "drafts")


def test_dashboard_lists_the_gaps_in_the_next_conferences_programme(staff_client):
    conference = ConferenceFactory(
        title="Next Summit", start_date=days(10), end_date=days(12), status="planned"
    )
    later = ConferenceFactory(title="Later Summit", start_date=days(60), end_date=days(61))
    ConferenceFactory(title="Past Summit", start_date=days(-30), end_date=days(-29))
    complete = SessionFactory(conference=conference, day=days(10), location="Hall A")
    AppearanceFactory(session=complete)
    no_speakers_or_room = SessionFactory(conference=conference, day=days(10), title="Lunch")
    no_time = SessionFactory(
        conference=conference, day=days(12), start_time=None, end_time=None, location="Hall C"
    )
    AppearanceFactory(session=no_time)
    SessionFactory(conference=later, day=days(60))  # the later one's gaps wait

    page = panel(dashboard(staff_client), "programme")

    assert "Programme of Next Summit" in page
    assert f"A day without sessions: {formats.date_format(days(11), 'j F')}" in page
    assert "1 session without speakers" in page
    assert "1 session without a start time" in page
    assert "1 session without a room or place" in page
    assert rows(staff_client, link(page, "1 session without speakers")) == [
        str(no_speakers_or_room)
    ]
    assert rows(staff_client, link(page, "1 session without a start time")) == [str(no_time)]
    assert rows(staff_client, link(page, "1 session without a room or place")) == [
        str(no_speakers_or_room)
    ]
    day_link = link(page, "A day without sessions")
    assert day_link.startswith(reverse("admin:conferences_conference_change", args=[conference.pk]))


def test_dashboard_programme_complete(staff_client):
    conference = ConferenceFactory(start_date=days(5), end_date=days(5), status="planned")
    AppearanceFactory(session=SessionFactory(conference=conference, day=days(5), location="A"))

    page = panel(dashboard(staff_client), "programme")

    assert "Nothing is missing from the programme." in page
    assert "<li>" not in page


def test_dashboard_memberships_ending_within_60_days(staff_client):
    ending = MembershipFactory(organisation__name="Ending Park", ended_on=days(30))
    MembershipFactory(organisation__name="Later Park", ended_on=days(90))
    MembershipFactory(organisation__name="Ended Park", ended_on=days(-5))
    MembershipFactory(
        organisation__name="Lapsed Park", status=Membership.Status.LAPSED, ended_on=days(10)
    )

    page = panel(dashboard(staff_client), "memberships")

    assert "1 membership ends within 60 days" in page
    assert rows(staff_client, link(page, "1 membership")) == [str(ending)]


def test_dashboard_agreements_expiring_within_90_days(staff_client):
    AgreementFactory(title="Expiring agreement", expires_on=days(30))
    AgreementFactory(title="Lasting agreement", expires_on=days(120))
    AgreementFactory(
        title="Ended agreement", status=Agreement.Status.TERMINATED, expires_on=days(10)
    )

    page = panel(dashboard(staff_client), "agreements")

    assert "1 agreement expires within 90 days" in page
    assert rows(staff_client, link(page, "1 agreement")) == ["Expiring agreement"]


def test_dashboard_records_changed_today_link_to_exactly_them(staff_client):
    OrganisationFactory(name="Changed Park")
    quiet = OrganisationFactory(name="Quiet Park")
    Organisation.history.filter(id=quiet.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=2)
    )

    page = panel(dashboard(staff_client), "changed")

    assert "Organisations: 1" in page
    assert rows(staff_client, link(page, "Organisations: 1")) == ["Changed Park"]


def test_dashboard_shows_panels_only_for_records_the_user_may_view(client):
    viewers = Group.objects.get(name=VIEWERS)
    viewers.permissions.remove(Permission.objects.get(codename="view_agreement"))
    user = UserFactory()
    user.groups.add(viewers)
    client.force_login(user)
    AgreementFactory(expires_on=days(30))

    page = dashboard(client)

    assert 'id="panel-agreements"' not in page
    assert 'id="panel-drafts"' in page
    assert "Agreements: " not in panel(page, "changed")


def make_rows(count: int) -> None:
    for index in range(count):
        conference = ConferenceFactory(
            is_published=False, start_date=days(3), end_date=days(4), status="planned"
        )
        SessionFactory(conference=conference, day=days(3), start_time=None, end_time=None)
        MembershipFactory(ended_on=days(index + 1))
        AgreementFactory(expires_on=days(index + 1))


@pytest.mark.parametrize("count", [1, 5])
def test_dashboard_query_count_is_fixed(staff_client, django_assert_num_queries, count):
    make_rows(count)

    with django_assert_num_queries(11):
        page = dashboard(staff_client)

    assert f"{count} conference" in panel(page, "drafts")


@pytest.mark.parametrize("count", [1, 5])
def test_dashboard_query_count_is_fixed_for_a_viewer(client, django_assert_num_queries, count):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=VIEWERS))
    client.force_login(user)
    make_rows(count)

    with django_assert_num_queries(14):
        page = dashboard(client)

    assert f"{count} agreement" in panel(page, "agreements")


def test_dashboard_conference_panel_names_no_conference_when_none_is_planned(staff_client):
    ConferenceFactory(start_date=days(-10), end_date=days(-9))

    assert "No conference is planned." in panel(dashboard(staff_client), "programme")
    assert Conference.objects.count() == 1


def test_dashboard_names_the_first_empty_days_of_a_long_event(staff_client):
    ConferenceFactory(start_date=days(10), end_date=days(19), status="planned")

    page = panel(dashboard(staff_client), "programme")

    first = ", ".join(formats.date_format(days(offset), "j F") for offset in range(10, 15))
    assert f"10 days without sessions: {first} and 5 more" in page


def test_dashboard_counts_no_empty_days_of_an_event_known_only_by_its_year(staff_client):
    ConferenceFactory(
        start_date=datetime.date(TODAY.year + 1, 1, 1),
        end_date=datetime.date(TODAY.year + 1, 12, 31),
        date_precision=Conference.DatePrecision.YEAR,
        status="planned",
    )

    page = panel(dashboard(staff_client), "programme")

    assert "without sessions" not in page
    assert "Nothing is missing from the programme." in page


def test_dashboard_names_link_tables_as_the_menu_does(staff_client):
    AgreementPartyFactory()

    page = panel(dashboard(staff_client), "changed")

    assert "Agreement parties: 1" in page
    assert "Parties: " not in page
