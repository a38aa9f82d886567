"""Conference and ConferenceHost: constraints, clean(), querysets, deletion, time zones."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from conferences.models import (
    Appearance,
    Award,
    Conference,
    ConferenceHost,
    Decision,
    Quote,
    Session,
)
from conferences.validators import validate_time_zone
from members.models import Organisation, Person
from tests.conferences.model_support import conference, unsaved_conference
from tests.constraints import violates
from tests.factories import (
    AppearanceFactory,
    AwardFactory,
    ConferenceHostFactory,
    DecisionFactory,
    DivisionFactory,
    QuoteFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


# Conference constraints


def test_conference_end_before_start_refused():
    event = conference(start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 15))
    with violates("conference_end_after_start"):
        Conference.objects.filter(pk=event.pk).update(end_date=datetime.date(2025, 9, 14))


def test_conference_single_day_accepted():
    event = conference(start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 15))
    event.refresh_from_db()
    assert event.days == [datetime.date(2025, 9, 15)]


def test_conference_division_kind_without_division_refused():
    event = conference(kind=Conference.Kind.DIVISION)
    with violates("conference_division_matches_kind"):
        Conference.objects.filter(pk=event.pk).update(division=None)


def test_conference_world_kind_with_division_refused():
    event = conference(kind=Conference.Kind.WORLD)
    with violates("conference_division_matches_kind"):
        Conference.objects.filter(pk=event.pk).update(division=DivisionFactory())


@pytest.mark.parametrize("with_division", [True, False])
def test_conference_other_kind_with_or_without_division_accepted(with_division):
    division = DivisionFactory() if with_division else None
    event = conference(kind=Conference.Kind.OTHER, division=division)
    event.refresh_from_db()
    assert event.division == division


def test_conference_world_edition_unique():
    conference(kind=Conference.Kind.WORLD, edition=501)
    with violates("conference_world_edition_unique", sqlite="conferences_conference.edition"):
        conference(kind=Conference.Kind.WORLD, edition=501)


def test_conference_world_without_edition_allowed_many_times():
    conference(kind=Conference.Kind.WORLD, edition=None)
    conference(kind=Conference.Kind.WORLD, edition=None)
    assert Conference.objects.filter(edition__isnull=True).count() == 2


def test_conference_division_edition_unique_within_division():
    division = DivisionFactory()
    conference(kind=Conference.Kind.DIVISION, division=division, edition=1)
    with violates(
        "conference_division_edition_unique",
        sqlite="conferences_conference.division_id, conferences_conference.edition",
    ):
        conference(kind=Conference.Kind.DIVISION, division=division, edition=1)


def test_conference_same_edition_in_two_divisions_accepted():
    conference(kind=Conference.Kind.DIVISION, division=DivisionFactory(), edition=1)
    conference(kind=Conference.Kind.DIVISION, division=DivisionFactory(), edition=1)
    assert Conference.objects.filter(edition=1).count() == 2


def test_conference_world_and_division_share_an_edition():
    conference(kind=Conference.Kind.WORLD, edition=502)
    conference(kind=Conference.Kind.DIVISION, edition=502)
    conference(kind=Conference.Kind.OTHER, edition=502)
    conference(kind=Conference.Kind.OTHER, edition=502)
    assert Conference.objects.filter(edition=502).count() == 4


def test_conference_minimum_without_count_refused():
    event = conference(participant_count=None)
    with violates("conference_minimum_needs_count"):
        Conference.objects.filter(pk=event.pk).update(participant_count_is_minimum=True)


def test_conference_minimum_with_count_accepted():
    event = conference(participant_count=900, participant_count_is_minimum=True)
    event.refresh_from_db()
    assert (event.participant_count, event.participant_count_is_minimum) == (900, True)


def test_conference_title_blank_refused():
    event = conference()
    with violates("conference_title_not_blank"):
        Conference.objects.filter(pk=event.pk).update(title="")


def test_conference_slug_unique():
    conference(slug="beijing-2025")
    with violates("conferences_conference_slug", sqlite="conferences_conference.slug"):
        conference(slug="beijing-2025")


def test_conference_host_unique():
    host = ConferenceHostFactory()
    with violates(
        "conference_host_unique",
        sqlite="conferences_conferencehost.conference_id, "
        "conferences_conferencehost.organisation_id",
    ):
        ConferenceHostFactory(conference=host.conference, organisation=host.organisation)


def test_conference_host_two_organisations_accepted():
    host = ConferenceHostFactory()
    ConferenceHostFactory(conference=host.conference, role=ConferenceHost.Role.CO_HOST)
    assert host.conference.hosts.count() == 2


# Conference.clean


def test_conference_full_clean_refuses_end_before_start():
    event = unsaved_conference(
        start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 14)
    )
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert info.value.message_dict == {
        "end_date": ["The end date cannot be before the start date."]
    }


def test_conference_full_clean_refuses_division_conference_without_division():
    event = unsaved_conference(kind=Conference.Kind.DIVISION, division=None)
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert info.value.message_dict == {"division": ["A division conference needs its division."]}


def test_conference_full_clean_refuses_world_conference_with_division():
    event = unsaved_conference(kind=Conference.Kind.WORLD, division=DivisionFactory())
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert info.value.message_dict == {"division": ["A world conference belongs to no division."]}


def test_conference_full_clean_refuses_minimum_without_count():
    event = unsaved_conference(participant_count=None, participant_count_is_minimum=True)
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert set(info.value.message_dict) == {"participant_count"}


def test_conference_full_clean_refuses_invalid_time_zone():
    event = unsaved_conference(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert set(info.value.message_dict) == {"time_zone"}
    assert info.value.error_dict["time_zone"][0].code == "invalid_time_zone"


def test_conference_full_clean_refuses_duplicate_world_edition():
    conference(kind=Conference.Kind.WORLD, edition=503)
    with pytest.raises(ValidationError) as info:
        unsaved_conference(kind=Conference.Kind.WORLD, edition=503).full_clean()
    assert info.value.message_dict == {"edition": ["A world conference with this edition exists."]}
    assert info.value.error_dict["edition"][0].code == "unique"


def test_conference_full_clean_reports_duplicate_division_edition_on_the_edition():
    division = DivisionFactory()
    conference(kind=Conference.Kind.DIVISION, division=division, edition=1)
    with pytest.raises(ValidationError) as info:
        unsaved_conference(kind=Conference.Kind.DIVISION, division=division, edition=1).full_clean()
    assert info.value.message_dict == {
        "edition": ["A conference of this division with this edition exists."]
    }
    assert info.value.error_dict["edition"][0].code == "unique"


def test_conference_full_clean_accepts_valid_division_conference():
    division = DivisionFactory()
    conference(kind=Conference.Kind.DIVISION, division=division, edition=1)
    unsaved_conference(kind=Conference.Kind.DIVISION, division=division, edition=2).full_clean()


# Conference querysets


def test_conference_upcoming_and_past_split_on_the_end_date():
    today = datetime.date(2025, 6, 1)
    ending_today = conference(start_date=datetime.date(2025, 5, 29), end_date=today)
    ended_yesterday = conference(
        start_date=datetime.date(2025, 5, 28), end_date=datetime.date(2025, 5, 31)
    )
    later = conference(start_date=datetime.date(2025, 9, 15), end_date=datetime.date(2025, 9, 19))
    conference(
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 10, 3),
        status=Conference.Status.CANCELLED,
    )
    assert set(Conference.objects.upcoming(today=today)) == {ending_today, later}
    assert list(Conference.objects.past(today=today)) == [ended_yesterday]


def test_conference_upcoming_defaults_to_today():
    today = timezone.localdate()
    ending_today = conference(start_date=today - datetime.timedelta(days=2), end_date=today)
    ended = conference(
        start_date=today - datetime.timedelta(days=3), end_date=today - datetime.timedelta(days=1)
    )
    conference(
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=32),
        status=Conference.Status.CANCELLED,
    )
    assert list(Conference.objects.upcoming()) == [ending_today]
    assert list(Conference.objects.past()) == [ended]


# Deleting


def test_organisation_delete_as_conference_host_is_protected():
    host = ConferenceHostFactory()
    with pytest.raises(ProtectedError):
        host.organisation.delete()
    assert Organisation.objects.filter(pk=host.organisation_id).exists()
    assert ConferenceHost.objects.filter(pk=host.pk).exists()


def test_conference_delete_cascades_to_its_programme():
    event = conference()
    session = SessionFactory(conference=event)
    appearance = AppearanceFactory(session=session)
    host = ConferenceHostFactory(conference=event)
    DecisionFactory(conference=event)
    AwardFactory(conference=event)
    QuoteFactory(conference=event, person=appearance.person, session=session)
    event.delete()
    assert not Session.objects.exists()
    assert not Appearance.objects.exists()
    assert not ConferenceHost.objects.exists()
    assert not Decision.objects.exists()
    assert not Award.objects.exists()
    assert not Quote.objects.exists()
    assert Person.objects.filter(pk=appearance.person_id).exists()
    assert Organisation.objects.filter(pk=host.organisation_id).exists()


# validate_time_zone (conferences/validators.py has no test module of its own)


@pytest.mark.parametrize("value", ["Asia/Bangkok", "Asia/Shanghai", "UTC"])
def test_validate_time_zone_accepts_iana_name(value):
    validate_time_zone(value)


@pytest.mark.parametrize("value", ["Mars/Olympus", "", "asia/bangkok", "GMT+7 "])
def test_validate_time_zone_refuses(value):
    with pytest.raises(ValidationError) as info:
        validate_time_zone(value)
    assert info.value.code == "invalid_time_zone"
