import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from conferences import services
from conferences.models import Appearance, Session
from members.models import Person
from portal.roles import EDITORS, VIEWERS
from tests.admin_support import inline_rows
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2025, 9, 15)  # the factory's conference runs 15–19 September 2025


def programme_url(conference) -> str:
    return reverse("admin:conferences_conference_programme", args=[conference.pk])


def client_for(client, role: str):
    if role == "superuser":
        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        user = UserFactory(is_staff=True)
        if role in (EDITORS, VIEWERS):
            user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def session_values(session: Session | None = None, **fields) -> dict:
    """A session form's values as the page sends them."""
    values = {
        "title": "",
        "kind": Session.Kind.PLENARY,
        "day": FIRST_DAY.isoformat(),
        "start_time": "",
        "end_time": "",
        "location": "",
        "is_published": "on",
        "description": "",
        "order": "0",
    }
    if session is not None:
        values.update(
            id=str(session.pk),
            title=session.title,
            kind=session.kind,
            day=session.day.isoformat(),
            start_time=session.start_time.strftime("%H:%M") if session.start_time else "",
            end_time=session.end_time.strftime("%H:%M") if session.end_time else "",
            location=session.location,
            description=session.description,
            order=str(session.order),
        )
        topics = [str(topic.pk) for topic in session.topics.all()]
        if topics:
            values["topics"] = topics
        if not session.is_published:
            del values["is_published"]
    values.update(fields)
    if values.get("is_published") is False:
        del values["is_published"]
    return values


def speaker_values(appearance: Appearance | None = None, **fields) -> dict:
    values = {
        "person": "",
        "role": Appearance.Role.SPEAKER,
        "capacity": "",
        "order": "0",
        "new_person_name": "",
        "new_person_affiliation": "",
    }
    if appearance is not None:
        values.update(
            id=str(appearance.pk),
            person=str(appearance.person_id),
            role=appearance.role,
            capacity=appearance.capacity,
            order=str(appearance.order),
        )
    values.update(fields)
    return values


def programme_data(rows: list[tuple[dict, list[dict]]], action: str = "") -> dict:
    """The page's POST data: each row a session's values and its speakers' values; existing
    sessions and speakers (those with an id) must come first, as the page sends them."""
    data = inline_rows(
        "sessions", [values for values, _speakers in rows], sum("id" in v for v, _s in rows)
    )
    for index, (_values, speakers) in enumerate(rows):
        data.update(
            inline_rows(f"sessions-{index}-speakers", speakers, sum("id" in s for s in speakers))
        )
    if action:
        data["action"] = action
    return data


def data_of(conference) -> dict:
    """What the page sends when saved unchanged."""
    sessions = Session.objects.filter(conference=conference).in_programme_order()
    return programme_data(
        [
            (session_values(session), [speaker_values(a) for a in session.appearances.all()])
            for session in sessions
        ]
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Who may do what


@pytest.mark.parametrize(
    ("role", "status", "editable"),
    # Staff status without a role opens no admin page: the login page asks for another account.
    [("superuser", 200, True), (EDITORS, 200, True), (VIEWERS, 200, False), ("none", 302, None)],
)
def test_programme_page_per_role(client, role, status, editable):
    session = SessionFactory(title="Opening plenary", location="Hall A")
    AppearanceFactory(session=session, person=PersonFactory(name="Ana Ruiz"))
    response = client_for(client, role).get(programme_url(session.conference))

    assert response.status_code == status
    if editable is None:
        return
    page = text_of(response)
    assert "Opening plenary" in page
    assert "Ana Ruiz" in page
    assert "Monday 15 September 2025" in page
    assert ('name="sessions-0-title"' in page) is editable
    assert ("Save the programme" in page) is editable


def test_programme_page_sends_anonymous_visitors_to_the_login(client):
    conference = ConferenceFactory()

    response = client.get(programme_url(conference))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_programme_viewer_cannot_save(client):
    session = SessionFactory(title="Opening plenary")
    viewer = client_for(client, VIEWERS)

    response = viewer.post(
        programme_url(session.conference),
        programme_data([(session_values(session, title="Changed"), [])]),
    )

    assert response.status_code == 403
    session.refresh_from_db()
    assert session.title == "Opening plenary"


def test_programme_of_a_missing_conference_is_not_found(staff_client):
    response = staff_client.get("/admin/conferences/conference/999999/programme/")

    assert response.status_code == 404


# Links to the page


def test_conference_change_page_and_list_link_to_the_programme(staff_client):
    conference = ConferenceFactory()
    url = programme_url(conference)

    change = staff_client.get(reverse("admin:conferences_conference_change", args=[conference.pk]))
    changelist = staff_client.get(reverse("admin:conferences_conference_changelist"))

    assert f'<a href="{url}">Programme</a>' in change.content.decode()
    assert f'<a href="{url}">Programme</a>' in changelist.content.decode()


def test_session_change_page_links_back_to_its_programme(staff_client):
    session = SessionFactory()

    response = staff_client.get(reverse("admin:conferences_session_change", args=[session.pk]))

    assert f'href="{programme_url(session.conference)}#session-{session.pk}"' in (
        response.content.decode()
    )


# Keying a programme


def test_programme_adds_sessions_on_several_days_with_speakers(staff_client):
    conference = ConferenceFactory()
    known = PersonFactory(name="Ana Ruiz")
    organisation = OrganisationFactory(name="Parque Tecnológico")
    topic = TopicFactory(name="Energy")

    response = staff_client.post(
        programme_url(conference),
        programme_data(
            [
                (
                    session_values(
                        title="Opening",
                        kind=Session.Kind.OPENING,
                        start_time="09:00",
                        end_time="09:30",
                        location="Hall A",
                        topics=[str(topic.pk)],
                        description="Welcome words.",
                    ),
                    [
                        speaker_values(person=str(known.pk), role="opening_address"),
                        speaker_values(
                            new_person_name="Li Wei",
                            new_person_affiliation=str(organisation.pk),
                            capacity="Director",
                            order="1",
                        ),
                    ],
                ),
                (
                    session_values(
                        title="Closing", day="2025-09-17", is_published=False, order="2"
                    ),
                    [],
                ),
            ]
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == programme_url(conference)
    opening, closing = Session.objects.filter(conference=conference).in_programme_order()
    assert (opening.title, opening.day, opening.start_time, opening.end_time) == (
        "Opening",
        FIRST_DAY,
        datetime.time(9, 0),
        datetime.time(9, 30),
    )
    assert (opening.location, opening.description, opening.is_published) == (
        "Hall A",
        "Welcome words.",
        True,
    )
    assert list(opening.topics.all()) == [topic]
    assert [(a.person.name, a.role, a.capacity) for a in opening.appearances.all()] == [
        ("Ana Ruiz", "opening_address", ""),
        ("Li Wei", "speaker", "Director"),
    ]
    li_wei = Person.objects.get(name="Li Wei")
    assert (li_wei.slug, li_wei.affiliation) == ("li-wei", organisation)
    assert (closing.title, closing.day, closing.is_published, closing.order) == (
        "Closing",
        datetime.date(2025, 9, 17),
        False,
        2,
    )


def test_programme_new_person_gets_a_free_slug(staff_client):
    PersonFactory(name="Li Wei", slug="li-wei")
    session = SessionFactory()

    staff_client.post(
        programme_url(session.conference),
        programme_data([(session_values(session), [speaker_values(new_person_name="Li Wei")])]),
    )

    assert list(Person.objects.filter(name="Li Wei").values_list("slug", flat=True)) == [
        "li-wei",
        "li-wei-2",
    ]


def test_programme_edits_and_removes_speakers_and_sessions(staff_client):
    session = SessionFactory(title="Old title")
    gone = SessionFactory(conference=session.conference, title="Gone")
    kept = AppearanceFactory(session=session, person=PersonFactory(name="Ana Ruiz"))
    removed = AppearanceFactory(session=session, person=PersonFactory(name="Bo Lind"))
    AppearanceFactory(session=gone)
    data = data_of(session.conference)
    # Sessions come in programme order: Old title (pk first), then Gone, both at 9:00.
    data.update(
        {
            "sessions-0-title": "New title",
            "sessions-0-speakers-0-role": Appearance.Role.MODERATOR,
            "sessions-0-speakers-1-DELETE": "on",
            "sessions-1-DELETE": "on",
        }
    )

    response = staff_client.post(programme_url(session.conference), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "New title"
    assert [(a.pk, a.role) for a in session.appearances.all()] == [(kept.pk, "moderator")]
    assert not Appearance.objects.filter(pk=removed.pk).exists()
    assert not Session.objects.filter(pk=gone.pk).exists()
    assert Person.objects.filter(name="Bo Lind").exists()


# Hostile or inconsistent input: field errors, nothing saved


def test_programme_end_before_start_is_a_field_error_and_nothing_is_saved(staff_client):
    session = SessionFactory(title="Plenary")
    conference = session.conference

    response = staff_client.post(
        programme_url(conference),
        programme_data(
            [
                (session_values(session, title="Renamed"), []),
                (session_values(title="Late", start_time="11:00", end_time="10:00"), []),
            ]
        ),
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing was saved" in page
    assert "The session must end after it starts." in page
    session.refresh_from_db()
    assert session.title == "Plenary"
    assert Session.objects.filter(conference=conference).count() == 1


def test_programme_day_outside_the_conference_is_a_field_error(staff_client):
    conference = ConferenceFactory()

    response = staff_client.post(
        programme_url(conference),
        programme_data([(session_values(title="Too late", day="2025-10-01"), [])]),
    )

    assert response.status_code == 200
    assert "The day must fall within the conference, 2025-09-15 to 2025-09-19." in text_of(response)
    assert not Session.objects.filter(conference=conference).exists()


def test_programme_duplicate_speaker_is_a_field_error(staff_client):
    session = SessionFactory()
    person = PersonFactory()

    response = staff_client.post(
        programme_url(session.conference),
        programme_data(
            [
                (
                    session_values(session, title="Renamed"),
                    [speaker_values(person=str(person.pk)), speaker_values(person=str(person.pk))],
                )
            ]
        ),
    )

    assert response.status_code == 200
    assert "This person already has this role in the session." in text_of(response)
    assert not session.appearances.exists()
    session.refresh_from_db()
    assert session.title != "Renamed"


def test_programme_roles_exchanged_between_two_rows_save_nothing_and_say_why(staff_client):
    session = SessionFactory()
    person = PersonFactory()
    speaker = AppearanceFactory(session=session, person=person, role=Appearance.Role.SPEAKER)
    moderator = AppearanceFactory(session=session, person=person, role=Appearance.Role.MODERATOR)

    response = staff_client.post(
        programme_url(session.conference),
        programme_data(
            [
                (
                    session_values(session),
                    [
                        speaker_values(speaker, role=Appearance.Role.MODERATOR),
                        speaker_values(moderator, role=Appearance.Role.SPEAKER),
                    ],
                )
            ]
        ),
    )

    assert response.status_code == 200
    assert "Nothing was saved" in text_of(response)
    assert sorted(session.appearances.values_list("pk", "role")) == [
        (speaker.pk, "speaker"),
        (moderator.pk, "moderator"),
    ]


def test_programme_speaker_needs_a_person_or_a_new_name(staff_client):
    session = SessionFactory()
    person = PersonFactory()

    response = staff_client.post(
        programme_url(session.conference),
        programme_data(
            [
                (
                    session_values(session),
                    [
                        speaker_values(capacity="Director"),
                        speaker_values(person=str(person.pk), new_person_name="Someone Else"),
                    ],
                )
            ]
        ),
    )

    page = text_of(response)
    assert "Choose a person or name a new one." in page
    assert "Choose a person or name a new one, not both." in page
    assert not Person.objects.filter(name="Someone Else").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day", "not a day"),
        ("day", "2025-02-30"),
        ("start_time", "25:99"),
        ("kind", "<script>"),
        ("title", "two\nlines"),
        ("topics", ["abc"]),
        ("topics", ["99999999999999999999"]),
    ],
)
def test_programme_hostile_session_values_are_field_errors(staff_client, field, value):
    session = SessionFactory(title="Plenary")

    response = staff_client.post(
        programme_url(session.conference),
        programme_data([(session_values(session, **{"title": "Renamed", field: value}), [])]),
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Plenary"


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", "0"])
def test_programme_hostile_person_is_a_field_error(staff_client, value):
    session = SessionFactory()

    response = staff_client.post(
        programme_url(session.conference),
        programme_data([(session_values(session), [speaker_values(person=value)])]),
    )

    assert response.status_code == 200
    assert "Select a valid choice." in text_of(response)
    assert not session.appearances.exists()


def test_programme_session_of_another_conference_cannot_be_edited(staff_client):
    session = SessionFactory(title="Ours")
    other = SessionFactory(title="Theirs")

    response = staff_client.post(
        programme_url(session.conference),
        programme_data([(session_values(session, id=str(other.pk), title="Hijacked"), [])]),
    )

    assert response.status_code == 200
    assert "The programme has changed since this page was opened" in text_of(response)
    other.refresh_from_db()
    assert other.title == "Theirs"
    assert not Session.objects.filter(title="Hijacked").exists()


def test_programme_broken_management_form_is_an_error_not_a_crash(staff_client):
    session = SessionFactory()

    response = staff_client.post(programme_url(session.conference), {"sessions-TOTAL_FORMS": "x"})

    assert response.status_code == 200
    assert "Nothing was saved" in text_of(response)


# Copying and reordering


def test_programme_copies_a_session_with_its_speakers_to_another_day(staff_client):
    topic = TopicFactory()
    session = SessionFactory(title="Workshop", location="Room 2")
    session.topics.set([topic])
    AppearanceFactory(session=session, person=PersonFactory(name="Ana Ruiz"), capacity="CEO")
    data = data_of(session.conference)
    data[f"copy-{session.pk}-day"] = "2025-09-16"

    response = staff_client.post(
        programme_url(session.conference), {**data, "action": f"copy:{session.pk}"}
    )

    assert response.status_code == 302
    copy = Session.objects.exclude(pk=session.pk).get(conference=session.conference)
    assert (copy.title, copy.day, copy.location, copy.start_time) == (
        "Workshop",
        datetime.date(2025, 9, 16),
        "Room 2",
        datetime.time(9, 0),
    )
    assert list(copy.topics.all()) == [topic]
    assert [(a.person.name, a.capacity) for a in copy.appearances.all()] == [("Ana Ruiz", "CEO")]
    assert session.appearances.count() == 1


def test_programme_copy_to_a_day_outside_the_conference_saves_nothing(staff_client):
    session = SessionFactory(title="Workshop")
    data = data_of(session.conference)
    data.update(
        {
            "sessions-0-title": "Renamed",
            f"copy-{session.pk}-day": "2030-01-01",
            "action": f"copy:{session.pk}",
        }
    )

    response = staff_client.post(programme_url(session.conference), data)

    assert response.status_code == 200
    assert "Choose a day of the conference to copy the session to." in text_of(response)
    session.refresh_from_db()
    assert session.title == "Workshop"
    assert Session.objects.filter(conference=session.conference).count() == 1


@pytest.mark.parametrize("action", ["copy:abc", "delete:1", "up:99999999999", "up:0"])
def test_programme_unknown_action_saves_nothing(staff_client, action):
    session = SessionFactory(title="Workshop")
    data = {**data_of(session.conference), "sessions-0-title": "Renamed", "action": action}

    response = staff_client.post(programme_url(session.conference), data)

    assert response.status_code == 200
    assert "That session is not in this programme." in text_of(response)
    session.refresh_from_db()
    assert session.title == "Workshop"


def test_programme_moving_a_session_up_exchanges_times_with_its_neighbour(staff_client):
    conference = ConferenceFactory()
    first = SessionFactory(
        conference=conference,
        title="First",
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
    )
    second = SessionFactory(
        conference=conference,
        title="Second",
        start_time=datetime.time(10, 30),
        end_time=datetime.time(12, 0),
    )

    response = staff_client.post(
        programme_url(conference), {**data_of(conference), "action": f"up:{second.pk}"}
    )

    assert response["Location"] == f"{programme_url(conference)}#session-{second.pk}"
    assert [
        (s.title, s.start_time, s.end_time, s.order)
        for s in Session.objects.filter(conference=conference).in_programme_order()
    ] == [
        ("Second", datetime.time(9, 0), datetime.time(10, 0), 0),
        ("First", datetime.time(10, 30), datetime.time(12, 0), 1),
    ]
    first.refresh_from_db()
    assert first.history.count() == 2


def test_programme_moving_parallel_sessions_changes_their_order(staff_client):
    conference = ConferenceFactory()
    SessionFactory(conference=conference, title="Room A")
    room_b = SessionFactory(conference=conference, title="Room B")

    staff_client.post(
        programme_url(conference), {**data_of(conference), "action": f"up:{room_b.pk}"}
    )

    assert [
        (s.title, s.start_time, s.order)
        for s in Session.objects.filter(conference=conference).in_programme_order()
    ] == [("Room B", datetime.time(9, 0), 0), ("Room A", datetime.time(9, 0), 1)]


def test_programme_moving_the_first_session_up_changes_nothing(staff_client):
    session = SessionFactory()

    response = staff_client.post(
        programme_url(session.conference),
        {**data_of(session.conference), "action": f"up:{session.pk}"},
    )

    assert response.status_code == 302
    assert session.history.count() == 1


# History and the change clock


def test_programme_changes_are_in_the_history_with_the_staff_member(staff_client, staff_user):
    session = SessionFactory(title="Plenary")

    staff_client.post(
        programme_url(session.conference),
        programme_data(
            [(session_values(session, title="Renamed"), [speaker_values(new_person_name="Li Wei")])]
        ),
    )

    latest = session.history.latest()
    assert (latest.history_type, latest.title, latest.history_user) == ("~", "Renamed", staff_user)
    appearance = Appearance.history.get()
    assert (appearance.history_type, appearance.history_user) == ("+", staff_user)
    person = Person.history.get(name="Li Wei")
    assert (person.history_type, person.history_user) == ("+", staff_user)


def test_programme_saved_unchanged_writes_no_history(staff_client):
    session = SessionFactory()
    AppearanceFactory(session=session)

    response = staff_client.post(programme_url(session.conference), data_of(session.conference))

    assert response.status_code == 302
    assert session.history.count() == 1
    assert Appearance.history.count() == 1


def test_programme_save_moves_the_change_clock(staff_client):
    from core.changes import records_changed_at

    session = SessionFactory()
    before = records_changed_at()

    staff_client.post(
        programme_url(session.conference),
        programme_data([(session_values(session, title="Renamed"), [])]),
    )

    assert records_changed_at() > before


# Queries


@pytest.mark.parametrize("count", [1, 40])
def test_programme_page_query_count_is_fixed(staff_client, django_assert_num_queries, count):
    conference = ConferenceFactory()
    topic = TopicFactory()
    for n in range(count):
        session = SessionFactory(conference=conference, day=conference.days[n % 5])
        session.topics.set([topic])
        AppearanceFactory(session=session)
        AppearanceFactory(session=session, role=Appearance.Role.MODERATOR)

    with django_assert_num_queries(PROGRAMME_QUERIES):
        response = staff_client.get(programme_url(conference))

    assert text_of(response).count('class="module programme-session') == count + 1


@pytest.mark.parametrize("count", [1, 40])
def test_programme_read_only_page_query_count_is_fixed(client, django_assert_num_queries, count):
    conference = ConferenceFactory()
    viewer = client_for(client, VIEWERS)
    for n in range(count):
        session = SessionFactory(conference=conference, day=conference.days[n % 5])
        AppearanceFactory(session=session)

    with django_assert_num_queries(READ_ONLY_QUERIES):
        response = viewer.get(programme_url(conference))

    assert text_of(response).count('<article class="module programme-session"') == count


PROGRAMME_QUERIES = 6
READ_ONLY_QUERIES = 9  # with the lookup of the role that opens the admin


def test_programme_of_forty_sessions_with_speakers_saves_in_one_form(staff_client):
    conference = ConferenceFactory()
    for n in range(40):
        session = SessionFactory(conference=conference, day=conference.days[n % 5])
        for role in (Appearance.Role.MODERATOR, Appearance.Role.SPEAKER, Appearance.Role.PANELLIST):
            AppearanceFactory(session=session, role=role)
    data = data_of(conference)
    data["sessions-39-title"] = "The last one"

    response = staff_client.post(programme_url(conference), data)

    assert response.status_code == 302
    assert Session.objects.filter(conference=conference, title="The last one").count() == 1


def test_programme_refuses_more_speakers_than_a_session_may_have(staff_client):
    session = SessionFactory()
    people = PersonFactory.create_batch(61)

    response = staff_client.post(
        programme_url(session.conference),
        programme_data(
            [(session_values(session), [speaker_values(person=str(p.pk)) for p in people])]
        ),
    )

    assert response.status_code == 200
    assert "Please submit at most 60 forms." in text_of(response)
    assert not session.appearances.exists()


# The services behind the page


def test_copy_session_service_copies_speakers_topics_and_visits():
    session = SessionFactory(kind=Session.Kind.TECHNICAL_VISIT, description="A tour.")
    session.topics.set([TopicFactory()])
    session.organisations_visited.set([OrganisationFactory()])
    AppearanceFactory(session=session, role=Appearance.Role.HOST, capacity="Guide", order=3)
    SessionFactory(conference=session.conference, day=datetime.date(2025, 9, 18), order=4)

    copy = services.copy_session(session=session, day=datetime.date(2025, 9, 18))

    assert (copy.kind, copy.description, copy.order) == (
        Session.Kind.TECHNICAL_VISIT,
        "A tour.",
        5,
    )
    assert list(copy.topics.all()) == list(session.topics.all())
    assert list(copy.organisations_visited.all()) == list(session.organisations_visited.all())
    assert [(a.person, a.role, a.capacity, a.order) for a in copy.appearances.all()] == [
        (a.person, a.role, a.capacity, a.order) for a in session.appearances.all()
    ]
    assert copy.history.earliest().history_type == "+"


def test_copy_session_service_refuses_a_day_outside_the_conference():
    session = SessionFactory()

    with pytest.raises(ValidationError) as raised:
        services.copy_session(session=session, day=datetime.date(2026, 1, 1))

    assert "day" in raised.value.message_dict
    assert Session.objects.count() == 1


def test_reorder_sessions_service_refuses_sessions_of_several_days():
    conference = ConferenceFactory()
    first = SessionFactory(conference=conference)
    other_day = SessionFactory(conference=conference, day=datetime.date(2025, 9, 16))

    with pytest.raises(ValueError):
        services.reorder_sessions(sessions=[other_day, first])


def test_delete_session_service_keeps_the_people_and_the_history():
    appearance = AppearanceFactory()
    session_pk, appearance_pk = appearance.session_id, appearance.pk

    services.delete_session(session=appearance.session)

    assert Person.objects.filter(pk=appearance.person_id).exists()
    assert Session.history.filter(id=session_pk, history_type="-").exists()
    assert Appearance.history.filter(id=appearance_pk, history_type="-").exists()


def test_create_speaker_service_makes_a_slug_of_any_name():
    person = services.create_speaker(name="!!!")
    second = services.create_speaker(name="¡¡¡")

    assert (person.slug, second.slug) == ("person", "person-2")


def test_programme_editor_of_the_editors_group_saves(client):
    session = SessionFactory(title="Plenary")
    editor = client_for(client, EDITORS)

    response = editor.post(
        programme_url(session.conference),
        programme_data(
            [(session_values(session, title="Renamed"), [speaker_values(new_person_name="Li Wei")])]
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Renamed"
    assert [a.person.name for a in session.appearances.all()] == ["Li Wei"]


def test_programme_staff_who_may_only_change_sessions_cannot_add_or_delete(client):
    from django.contrib.auth.models import Permission

    session = SessionFactory(title="Plenary")
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=VIEWERS))  # the role opens the admin
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_conference", "change_session", "view_person", "change_appearance"]
        )
    )
    client.force_login(user)

    page = client.get(programme_url(session.conference)).content.decode()
    response = client.post(
        programme_url(session.conference),
        programme_data(
            [
                (session_values(session, title="Renamed", DELETE="on"), []),
                (session_values(title="Sneaked in"), []),
            ]
        ),
    )

    assert "Add a session on" not in page
    assert "Delete this session" not in page
    assert "Or a new person" not in page
    assert "You may not add sessions." in text_of(response)
    assert list(Session.objects.values_list("title", flat=True)) == ["Plenary"]
