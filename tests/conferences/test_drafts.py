"""Drafts: a conference (or a session) in preparation is seen by staff on its real page, and
nowhere public until it is published — lists, home, calendars, feed, sitemap, figures, the
pages of people and organisations, and the API."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from conferences.models import Conference, Session
from conferences.services import set_publication
from portal.roles import EDITORS, VIEWERS
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1


@pytest.fixture
def draft():
    start = datetime.date(NEXT_YEAR, 5, 12)
    return ConferenceFactory(
        title="Secret Summit",
        slug="secret-summit",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        is_published=False,
    )


@pytest.fixture
def live():
    start = datetime.date(NEXT_YEAR, 3, 2)
    return ConferenceFactory(
        title="Open Forum",
        slug="open-forum",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
    )


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_a_new_conference_is_a_draft_and_existing_ones_were_published():
    assert Conference._meta.get_field("is_published").default is False
    assert Session._meta.get_field("is_published").default is True


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "conferences:conference-list",
        "conferences:conference-feed",
        "conferences:upcoming-calendar",
    ],
)
def test_a_draft_is_on_no_public_list(client, draft, live, url_name):
    body = client.get(reverse(url_name)).content.decode()
    assert "Open Forum" in body
    assert "Secret Summit" not in body


def test_a_draft_is_not_in_the_sitemap(client, draft, live):
    body = client.get("/sitemap.xml").content.decode()
    assert "/conferences/open-forum/" in body
    assert "secret-summit" not in body


def test_a_draft_has_no_public_page_or_calendar(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("conferences:conference-ics", args=[draft.slug])).status_code == 404


def test_a_draft_is_not_listed_or_counted_on_its_division_page(client):
    division = DivisionFactory(name="Latin America")
    ConferenceFactory(
        kind=Conference.Kind.DIVISION, division=division, is_published=False, title="Hidden"
    )
    assert "Hidden" not in client.get(division.get_absolute_url()).content.decode()
    from portal.selectors import divisions_with_counts

    assert divisions_with_counts().get(pk=division.pk).conference_count == 0


def test_staff_preview_the_draft_on_its_real_page(client, draft):
    client.force_login(staff_in(VIEWERS))
    response = client.get(draft.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Secret Summit" in body
    assert "Draft — not public." in body
    assert reverse("admin:conferences_conference_change", args=[draft.pk]) in body
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_staff_without_admin_access_do_not_preview(client, draft):
    client.force_login(UserFactory(is_staff=False))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_published_conference_shows_no_banner_to_staff(client, live):
    client.force_login(staff_in(VIEWERS))
    body = client.get(live.get_absolute_url()).content.decode()
    assert "Open Forum" in body
    assert "not public" not in body


def test_a_held_back_session_is_off_the_public_programme_and_marked_for_staff(client, live):
    SessionFactory(conference=live, title="Keynote in the open")
    SessionFactory(conference=live, title="Surprise panel", is_published=False)

    public = client.get(live.get_absolute_url()).content.decode()
    assert "Keynote in the open" in public
    assert "Surprise panel" not in public
    calendar = client.get(reverse("conferences:conference-ics", args=[live.slug])).content
    assert b"Keynote in the open" in calendar
    assert b"Surprise panel" not in calendar

    client.force_login(staff_in(VIEWERS))
    preview = client.get(live.get_absolute_url()).content.decode()
    assert "Surprise panel" in preview
    assert "One session is held back and shown here only:" in preview


def test_a_speaker_of_a_draft_shows_no_trace_of_it_on_their_page(client, draft, live):
    person = PersonFactory(name="Ada Lovelace")
    AppearanceFactory(person=person, session=SessionFactory(conference=draft, title="Hidden talk"))
    AppearanceFactory(person=person, session=SessionFactory(conference=live, title="Open talk"))
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Open talk" in body
    assert "Hidden talk" not in body
    assert "Secret Summit" not in body


def test_the_host_of_a_draft_shows_no_trace_of_it_on_its_page(client, draft):
    host = OrganisationFactory(name="Host Park")
    ConferenceHostFactory(conference=draft, organisation=host)
    body = client.get(host.get_absolute_url()).content.decode()
    assert "Host Park" in body
    assert "Secret Summit" not in body


# The API


def test_the_api_lists_and_serves_only_published_conferences_to_partners(
    api_client, partner_client, draft, live
):
    for caller in (api_client, partner_client):
        rows = caller.get("/api/v1/conferences/").json()["results"]
        assert [row["slug"] for row in rows] == ["open-forum"]
        assert rows[0]["is_published"] is True
        assert caller.get(f"/api/v1/conferences/{draft.slug}/").status_code == 404
        ics = caller.get("/api/v1/conferences/?format=ics").content
        assert b"Secret Summit" not in ics


def test_staff_tokens_see_drafts_and_held_back_sessions(staff_api_client, draft, live):
    held_back = SessionFactory(conference=live, title="Surprise panel", is_published=False)
    slugs = {row["slug"] for row in staff_api_client.get("/api/v1/conferences/").json()["results"]}
    assert slugs == {"open-forum", "secret-summit"}
    detail = staff_api_client.get(f"/api/v1/conferences/{draft.slug}/").json()
    assert detail["is_published"] is False
    session = staff_api_client.get(f"/api/v1/sessions/{held_back.pk}/").json()
    assert session["is_published"] is False


def test_the_api_hides_held_back_sessions_and_those_of_drafts(api_client, draft, live):
    shown = SessionFactory(conference=live, title="Keynote")
    held_back = SessionFactory(conference=live, title="Surprise panel", is_published=False)
    of_draft = SessionFactory(conference=draft, title="Hidden talk")
    titles = [row["title"] for row in api_client.get("/api/v1/sessions/").json()["results"]]
    assert titles == ["Keynote"]
    for session in (held_back, of_draft):
        assert api_client.get(f"/api/v1/sessions/{session.pk}/").status_code == 404
    detail = api_client.get(f"/api/v1/conferences/{live.slug}/").json()
    assert [row["id"] for row in detail["sessions"]] == [shown.pk]


def test_a_staff_token_creates_a_draft_unless_told_to_publish(staff_api_client):
    from rest_framework.test import APIClient

    anonymous = APIClient()
    body = {
        "kind": "other",
        "title": "Workshop",
        "slug": "workshop",
        "start_date": f"{NEXT_YEAR}-01-10",
        "end_date": f"{NEXT_YEAR}-01-10",
        "country": "ES",
    }
    created = staff_api_client.post("/api/v1/conferences/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["is_published"] is False
    assert anonymous.get("/api/v1/conferences/workshop/").status_code == 404

    staff_api_client.patch("/api/v1/conferences/workshop/", {"is_published": True}, format="json")
    assert anonymous.get("/api/v1/conferences/workshop/").json()["title"] == "Workshop"


# Publishing


def test_publishing_writes_history_and_moves_the_change_clock(draft):
    from core.changes import records_changed_at

    user = UserFactory(is_staff=True)
    before = records_changed_at()
    changed = set_publication(records=[draft], published=True, changed_by=user)
    assert changed == [draft]
    draft.refresh_from_db()
    assert draft.is_published is True
    latest = draft.history.first()
    assert latest.is_published is True
    assert latest.history_user == user
    assert records_changed_at() > before
    # Publishing again changes nothing and writes no history.
    assert set_publication(records=[draft], published=True, changed_by=user) == []
    assert draft.history.count() == 2


def changelist_action(client, model: str, action: str, pks):
    return client.post(
        reverse(f"admin:conferences_{model}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks]},
        follow=True,
    )


def test_an_editor_publishes_from_the_list_and_visitors_see_it(client, draft):
    client.force_login(staff_in(EDITORS))
    response = changelist_action(client, "conference", "publish", [draft.pk])
    assert "1 published." in response.content.decode()
    client.logout()
    assert "Secret Summit" in client.get(reverse("conferences:conference-list")).content.decode()
    assert draft.history.first().history_type == "~"


def test_an_editor_takes_a_conference_back_to_drafts(client, live):
    client.force_login(staff_in(EDITORS))
    response = changelist_action(client, "conference", "unpublish", [live.pk])
    assert "1 taken back to drafts." in response.content.decode()
    client.logout()
    assert client.get(live.get_absolute_url()).status_code == 404


def test_an_editor_holds_back_a_session(client, live):
    session = SessionFactory(conference=live, title="Surprise panel")
    client.force_login(staff_in(EDITORS))
    changelist_action(client, "session", "unpublish", [session.pk])
    client.logout()
    assert "Surprise panel" not in client.get(live.get_absolute_url()).content.decode()


def test_a_viewer_cannot_publish(client, draft):
    client.force_login(staff_in(VIEWERS))
    response = client.get(reverse("admin:conferences_conference_changelist"))
    assert b'value="publish"' not in response.content
    changelist_action(client, "conference", "publish", [draft.pk])
    draft.refresh_from_db()
    assert draft.is_published is False


def test_the_admin_list_filters_drafts(staff_client, draft, live):
    url = reverse("admin:conferences_conference_changelist") + "?is_published__exact=0"
    body = staff_client.get(url).content.decode()
    assert "Secret Summit" in body
    assert "Open Forum" not in body


def test_links_to_a_draft_from_public_records_are_left_out(client, draft, live):
    from tests.factories import DecisionFactory, bilateral_agreement

    DecisionFactory(conference=live, resulting_conference=draft)
    agreement = bilateral_agreement(signed_at_conference=draft, is_public=True)
    assert "Secret Summit" not in client.get(live.get_absolute_url()).content.decode()
    body = client.get(agreement.get_absolute_url()).content.decode()
    assert agreement.title in body
    assert "Secret Summit" not in body

    set_publication(records=[draft], published=True)
    assert "Secret Summit" in client.get(live.get_absolute_url()).content.decode()
    assert "Secret Summit" in client.get(agreement.get_absolute_url()).content.decode()
