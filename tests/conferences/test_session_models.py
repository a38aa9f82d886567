"""Session and Appearance: their constraints and validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from conferences.models import Appearance, Session
from members.models import Person
from tests.conferences.model_support import conference
from tests.constraints import violates
from tests.factories import AppearanceFactory, SessionFactory

pytestmark = pytest.mark.django_db


# Session


def test_session_starts_at_is_aware_in_the_conference_zone():
    session = SessionFactory(
        conference=conference(time_zone="Asia/Shanghai"),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
    )
    session.refresh_from_db()
    utc = datetime.UTC
    assert session.starts_at == datetime.datetime(2025, 9, 15, 1, 0, tzinfo=utc)
    assert session.starts_at.utcoffset() == datetime.timedelta(hours=8)
    assert session.ends_at == datetime.datetime(2025, 9, 15, 2, 30, tzinfo=utc)


def test_session_without_times_has_no_start_or_end():
    session = SessionFactory(start_time=None, end_time=None)
    assert (session.starts_at, session.ends_at) == (None, None)


def test_session_end_without_start_refused():
    session = SessionFactory()
    with violates("session_end_needs_start"):
        Session.objects.filter(pk=session.pk).update(start_time=None)


@pytest.mark.parametrize("end_time", [datetime.time(9, 0), datetime.time(8, 59)])
def test_session_end_not_after_start_refused(end_time):
    session = SessionFactory(start_time=datetime.time(9, 0), end_time=datetime.time(10, 0))
    with violates("session_end_after_start"):
        Session.objects.filter(pk=session.pk).update(end_time=end_time)


@pytest.mark.parametrize(
    ("start_time", "end_time"),
    [(None, None), (datetime.time(9, 0), None), (datetime.time(9, 0), datetime.time(9, 1))],
)
def test_session_times_accepted(start_time, end_time):
    session = SessionFactory(start_time=start_time, end_time=end_time)
    session.refresh_from_db()
    assert (session.start_time, session.end_time) == (start_time, end_time)


def test_session_title_blank_refused():
    session = SessionFactory()
    with violates("session_title_not_blank"):
        Session.objects.filter(pk=session.pk).update(title="")


@pytest.mark.parametrize("day", [datetime.date(2025, 9, 14), datetime.date(2025, 9, 20)])
def test_session_full_clean_refuses_day_outside_the_conference(day):
    event = conference(start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 19))
    session = SessionFactory.build(conference=event, day=day)
    with pytest.raises(ValidationError) as info:
        session.full_clean()
    assert info.value.message_dict == {
        "day": ["The day must fall within the conference, 2025-09-15 to 2025-09-19."]
    }


@pytest.mark.parametrize("day", [datetime.date(2025, 9, 15), datetime.date(2025, 9, 19)])
def test_session_full_clean_accepts_first_and_last_day(day):
    event = conference(start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 19))
    SessionFactory.build(conference=event, day=day).full_clean()


@pytest.mark.parametrize("end_time", [datetime.time(9, 0), datetime.time(8, 0)])
def test_session_full_clean_refuses_end_not_after_start(end_time):
    session = SessionFactory.build(
        conference=conference(), start_time=datetime.time(9, 0), end_time=end_time
    )
    with pytest.raises(ValidationError) as info:
        session.full_clean()
    assert info.value.message_dict == {"end_time": ["The session must end after it starts."]}


def test_session_full_clean_refuses_end_without_start():
    session = SessionFactory.build(
        conference=conference(), start_time=None, end_time=datetime.time(10, 0)
    )
    with pytest.raises(ValidationError) as info:
        session.full_clean()
    assert info.value.message_dict == {"start_time": ["An end time needs a start time."]}


def test_session_full_clean_without_conference_names_only_the_conference():
    session = Session(kind=Session.Kind.PLENARY, title="Opening", day=datetime.date(2025, 9, 15))
    with pytest.raises(ValidationError) as info:
        session.full_clean()
    assert set(info.value.message_dict) == {"conference"}


# Appearance


def test_appearance_same_role_twice_refused():
    appearance = AppearanceFactory()
    with violates(
        "appearance_unique",
        sqlite="conferences_appearance.session_id, conferences_appearance.person_id",
    ):
        AppearanceFactory(session=appearance.session, person=appearance.person)


def test_appearance_second_role_in_the_same_session_accepted():
    appearance = AppearanceFactory(role=Appearance.Role.SPEAKER)
    AppearanceFactory(
        session=appearance.session, person=appearance.person, role=Appearance.Role.MODERATOR
    )
    assert appearance.session.appearances.count() == 2


def test_person_delete_with_appearance_is_protected():
    appearance = AppearanceFactory()
    with pytest.raises(ProtectedError):
        appearance.person.delete()
    assert Person.objects.filter(pk=appearance.person_id).exists()
    assert Appearance.objects.filter(pk=appearance.pk).exists()
