import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from conferences.models import Award, Conference, ConferenceHost, Session
from tests.admin_support import ADMIN_PAGES, inline_rows
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

CONFERENCE_INLINES = ["host_links", "sessions", "decisions", "awards", "quotes"]


def admin_url(model_name: str, view: str, *args) -> str:
    return reverse(f"admin:conferences_{model_name}_{view}", args=args)


def conference_data(
    sessions: list[dict] | None = None,
    hosts: list[dict] | None = None,
    initial_sessions: int = 0,
    **fields,
) -> dict:
    data = {
        "title": "43rd World Conference",
        "slug": "world-conference-43",
        "kind": Conference.Kind.WORLD,
        "edition": "43",
        "division": "",
        "status": Conference.Status.PLANNED,
        "theme": "",
        "start_date": "2026-09-14",
        "end_date": "2026-09-17",
        "date_precision": Conference.DatePrecision.DAY,
        "time_zone": "Asia/Riyadh",
        "city": "Dhahran",
        "country": "SA",
        "venue": "",
        "description": "",
        "website": "",
        "participant_count": "",
        "report": "",
    }
    for prefix in CONFERENCE_INLINES:
        data.update(inline_rows(prefix, []))
    data.update(inline_rows("sessions", sessions or [], initial_sessions))
    data.update(inline_rows("host_links", hosts or []))
    data.update(fields)
    return data


def conference_data_of(conference: Conference, **kwargs) -> dict:
    """The change form's data for an existing conference, as the page would send it."""
    fields = {
        "title": conference.title,
        "slug": conference.slug,
        "kind": conference.kind,
        "edition": conference.edition or "",
        "division": conference.division_id or "",
        "status": conference.status,
        "start_date": conference.start_date.isoformat(),
        "end_date": conference.end_date.isoformat(),
        "time_zone": conference.time_zone,
        "city": conference.city,
        "country": conference.country.code,
    }
    return conference_data(**{**fields, **kwargs})


def session_row(day: str, title: str = "Opening ceremony", **fields) -> dict:
    return {
        "day": day,
        "start_time": "09:00",
        "end_time": "10:00",
        "kind": Session.Kind.OPENING,
        "title": title,
        "location": "",
        "order": "0",
        **fields,
    }


def session_data(conference: Conference, day: str) -> dict:
    return {
        "conference": conference.pk,
        "kind": Session.Kind.PLENARY,
        "title": "Plenary on the future of science parks",
        "description": "",
        "day": day,
        "start_time": "09:00",
        "end_time": "10:30",
        "location": "",
        "order": "0",
        **inline_rows("appearances", []),
    }


@pytest.mark.parametrize("sessions", [1, 5])
def test_conference_change_form_query_count_is_fixed_whatever_the_sessions(
    staff_client, django_assert_num_queries, sessions
):
    conference = ConferenceFactory()
    SessionFactory.create_batch(sessions, conference=conference)

    ContentType.objects.clear_cache()

    # One more than an empty programme: the content type of the sessions' change links.
    with django_assert_num_queries(
        ADMIN_PAGES["conferences", "conference"].change_form_queries + 1
    ):
        response = staff_client.get(admin_url("conference", "change", conference.pk))

    assert response.status_code == 200


def test_conference_changelist_shows_dates_place_and_session_count(staff_client):
    conference = ConferenceFactory(city="Beijing", country="CN")
    SessionFactory.create_batch(3, conference=conference)

    response = staff_client.get(admin_url("conference", "changelist"))

    assert "2025-09-15 – 2025-09-19" in response.text
    assert "Beijing, China" in response.text
    assert '<td class="field-session_count">3</td>' in response.text


def test_conference_add_with_host_and_session_creates_the_rows(staff_client):
    park = OrganisationFactory()
    data = conference_data(
        sessions=[session_row("2026-09-14")],
        hosts=[{"organisation": park.pk, "role": ConferenceHost.Role.HOST, "order": "0"}],
    )

    response = staff_client.post(admin_url("conference", "add"), data)

    assert response.status_code == 302
    conference = Conference.objects.get(slug="world-conference-43")
    assert list(conference.sessions.values_list("title", "day")) == [
        ("Opening ceremony", datetime.date(2026, 9, 14))
    ]
    assert list(conference.hosts.all()) == [park]


def test_conference_add_with_end_before_start_shows_error(staff_client):
    data = conference_data(start_date="2026-09-17", end_date="2026-09-14")

    response = staff_client.post(admin_url("conference", "add"), data)

    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.text
    assert not Conference.objects.exists()


def test_conference_add_division_conference_without_division_shows_error(staff_client):
    data = conference_data(kind=Conference.Kind.DIVISION)

    response = staff_client.post(admin_url("conference", "add"), data)

    assert response.status_code == 200
    assert "A division conference needs its division." in response.text
    assert not Conference.objects.exists()


def test_conference_add_world_edition_taken_shows_error(staff_client):
    ConferenceFactory(edition=43, slug="an-older-record")

    response = staff_client.post(admin_url("conference", "add"), conference_data(edition="43"))

    assert response.status_code == 200
    assert "A world conference with this edition exists." in response.text
    assert response.context["adminform"].form.errors == {
        "edition": ["A world conference with this edition exists."]
    }
    assert Conference.objects.count() == 1


def test_conference_add_division_edition_taken_shows_error_beside_the_edition(staff_client):
    europe = DivisionFactory()
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=europe, edition=7, slug="eu-7")

    response = staff_client.post(
        admin_url("conference", "add"),
        conference_data(kind=Conference.Kind.DIVISION, division=europe.pk, edition="7"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "edition": ["A conference of this division with this edition exists."]
    }
    assert Conference.objects.count() == 1


def test_conference_add_with_session_outside_its_dates_shows_error(staff_client):
    data = conference_data(sessions=[session_row("2026-09-20")])

    response = staff_client.post(admin_url("conference", "add"), data)

    assert response.status_code == 200
    assert "The day must fall within the conference, 2026-09-14 to 2026-09-17." in response.text
    assert not Conference.objects.exists()
    assert not Session.objects.exists()


def test_conference_change_with_new_session_outside_its_dates_shows_error(staff_client):
    conference = ConferenceFactory()
    data = conference_data_of(conference, sessions=[session_row("2025-09-20")])

    response = staff_client.post(admin_url("conference", "change", conference.pk), data)

    assert response.status_code == 200
    assert "The day must fall within the conference, 2025-09-15 to 2025-09-19." in response.text
    assert not Session.objects.exists()


def test_conference_change_of_dates_leaving_a_session_outside_shows_error(staff_client):
    conference = ConferenceFactory()
    session = SessionFactory(conference=conference, day=datetime.date(2025, 9, 19))
    row = session_row("2025-09-19", title=session.title, id=session.pk, conference=conference.pk)
    data = conference_data_of(conference, sessions=[row], initial_sessions=1)
    data["end_date"] = "2025-09-18"

    response = staff_client.post(admin_url("conference", "change", conference.pk), data)

    assert response.status_code == 200
    assert "The day must fall within the conference, 2025-09-15 to 2025-09-18." in response.text
    conference.refresh_from_db()
    assert conference.end_date == datetime.date(2025, 9, 19)


def test_conference_change_form_offers_only_its_own_sessions_for_quotes(staff_client):
    conference = ConferenceFactory()
    QuoteFactory(conference=conference)
    own = SessionFactory(conference=conference, title="Own plenary")
    SessionFactory(title="Another conference's plenary")

    response = staff_client.get(admin_url("conference", "change", conference.pk))

    quote_form = response.context["inline_admin_formsets"][-1].formset.forms[0]
    assert list(quote_form.fields["session"].queryset) == [own]


def test_session_add_outside_its_conference_dates_shows_error(staff_client):
    conference = ConferenceFactory()

    response = staff_client.post(
        admin_url("session", "add"), session_data(conference, day="2025-09-22")
    )

    assert response.status_code == 200
    assert "The day must fall within the conference, 2025-09-15 to 2025-09-19." in response.text
    assert not Session.objects.exists()


def test_session_add_with_speaker_creates_the_rows(staff_client):
    conference = ConferenceFactory()
    person = PersonFactory()
    data = session_data(conference, day="2025-09-16")
    data.update(
        inline_rows(
            "appearances",
            [{"person": person.pk, "role": "keynote", "capacity": "Director", "order": "0"}],
        )
    )

    response = staff_client.post(admin_url("session", "add"), data)

    assert response.status_code == 302
    session = Session.objects.get()
    assert list(session.appearances.values_list("person__name", "role")) == [
        (person.name, "keynote")
    ]


def test_session_view_on_site_points_into_its_conference_page(staff_client):
    session = SessionFactory()
    content_type = ContentType.objects.get_for_model(Session)

    response = staff_client.get(reverse("admin:view_on_site", args=[content_type.pk, session.pk]))

    assert response.status_code == 302
    assert response.url.endswith(session.get_absolute_url())


def test_award_add_to_person_and_organisation_shows_error(staff_client):
    conference = ConferenceFactory()
    data = {
        "conference": conference.pk,
        "name": "Presidential Medal",
        "recipient_person": PersonFactory().pk,
        "recipient_organisation": OrganisationFactory().pk,
        "citation": "",
    }

    response = staff_client.post(admin_url("award", "add"), data)

    assert response.status_code == 200
    assert "An award goes to a person or to an organisation, not both." in response.text
    assert not Award.objects.exists()


def test_division_conference_changelist_filter_by_division(staff_client):
    division = DivisionFactory(name="Asia Pacific")
    ConferenceFactory(
        kind=Conference.Kind.DIVISION, division=division, title="Asia Pacific Conference"
    )
    ConferenceFactory(title="World Conference")

    response = staff_client.get(
        admin_url("conference", "changelist"), {"division__id__exact": division.pk}
    )

    titles = [conference.title for conference in response.context["cl"].result_list]
    assert titles == ["Asia Pacific Conference"]


def test_conference_add_with_the_same_host_twice_shows_error(staff_client):
    park = OrganisationFactory()
    host = {"organisation": park.pk, "role": ConferenceHost.Role.HOST, "order": "0"}
    data = conference_data(hosts=[host, {**host, "role": ConferenceHost.Role.CO_HOST}])

    response = staff_client.post(admin_url("conference", "add"), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for organisation" in response.text
    assert not Conference.objects.exists()


def test_session_change_with_the_same_speaker_role_twice_shows_error(staff_client):
    session = SessionFactory()
    person = PersonFactory()
    speaker = {"person": person.pk, "role": "speaker", "capacity": "", "order": "0"}
    data = session_data(session.conference, day=session.day.isoformat())
    data.update(inline_rows("appearances", [speaker, speaker]))

    response = staff_client.post(admin_url("session", "change", session.pk), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for person and role" in response.text
    assert not session.appearances.exists()


def test_conference_changelist_search_by_host_keeps_the_session_count(staff_client):
    conference = ConferenceFactory(title="Hosted by two parks")
    ConferenceHostFactory(conference=conference, organisation__name="Kista Science City")
    ConferenceHostFactory(conference=conference, organisation__name="Kista Innovation Park")
    SessionFactory.create_batch(3, conference=conference)
    ConferenceFactory(title="Elsewhere")

    response = staff_client.get(admin_url("conference", "changelist"), {"q": "Kista"})

    rows = [(row.title, row.session_count) for row in response.context["cl"].result_list]
    assert rows == [("Hosted by two parks", 3)]


def test_session_changelist_search_by_speaker_keeps_the_appearance_count(staff_client):
    session = SessionFactory(title="Panel")
    AppearanceFactory(session=session, person__name="Ada Lovelace", role="moderator")
    AppearanceFactory(session=session, person__name="Ada Yonath")
    AppearanceFactory(session=session)
    SessionFactory(title="Elsewhere")

    response = staff_client.get(admin_url("session", "changelist"), {"q": "Ada"})

    rows = [(row.title, row.appearance_count) for row in response.context["cl"].result_list]
    assert rows == [("Panel", 3)]
