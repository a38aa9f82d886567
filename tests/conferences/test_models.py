import datetime
import itertools

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
from tests.constraints import violates
from tests.factories import (
    AppearanceFactory,
    AwardFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DecisionFactory,
    DivisionFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

_slugs = itertools.count(1)


def conference(**kwargs) -> Conference:
    """A conference with a slug of its own, so explicit editions never collide on the slug."""
    kwargs.setdefault("slug", f"conference-{next(_slugs)}")
    if kwargs.get("kind") == Conference.Kind.DIVISION:
        kwargs.setdefault("division", DivisionFactory())
    return ConferenceFactory(**kwargs)


def unsaved_conference(**kwargs) -> Conference:
    kwargs.setdefault("slug", f"conference-{next(_slugs)}")
    return ConferenceFactory.build(**kwargs)


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
    assert info.value.messages == ["A world conference with this edition exists."]


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


# Decision


@pytest.mark.parametrize("missing", [{"host_city": ""}, {"host_country": ""}, {"host_year": None}])
def test_decision_next_host_incomplete_refused(missing):
    decision = DecisionFactory(kind=Decision.Kind.NEXT_HOST)
    with violates("decision_next_host_complete"):
        Decision.objects.filter(pk=decision.pk).update(**missing)


def test_decision_other_kind_without_host_accepted():
    decision = DecisionFactory(
        kind=Decision.Kind.OTHER, host_city="", host_country="", host_year=None
    )
    decision.full_clean()
    assert Decision.objects.get() == decision


@pytest.mark.parametrize("year", [1949, 2201])
def test_decision_host_year_out_of_range_refused(year):
    decision = DecisionFactory()
    with violates("decision_host_year_range"):
        Decision.objects.filter(pk=decision.pk).update(host_year=year)


@pytest.mark.parametrize("year", [1950, 2200])
def test_decision_host_year_at_the_bounds_accepted(year):
    decision = DecisionFactory(host_year=year)
    decision.refresh_from_db()
    assert decision.host_year == year


@pytest.mark.parametrize("field", ["host_city", "host_country", "host_year"])
def test_decision_full_clean_next_host_needs_city_country_year(field):
    decision = DecisionFactory.build(conference=conference(), kind=Decision.Kind.NEXT_HOST)
    setattr(decision, field, None if field == "host_year" else "")
    with pytest.raises(ValidationError) as info:
        decision.full_clean()
    assert info.value.message_dict == {field: ["Needed when the decision chooses the next host."]}


def test_decision_resulting_conference_delete_leaves_the_decision():
    decision = DecisionFactory(resulting_conference=conference())
    decision.resulting_conference.delete()
    decision.refresh_from_db()
    assert decision.resulting_conference is None


# Award


def test_award_two_recipients_refused():
    award = AwardFactory(recipient_person=PersonFactory())
    with violates("award_single_recipient"):
        Award.objects.filter(pk=award.pk).update(recipient_organisation=OrganisationFactory())


@pytest.mark.parametrize("recipient", ["person", "organisation", None])
def test_award_one_or_no_recipient_accepted(recipient):
    award = AwardFactory(
        recipient_person=PersonFactory() if recipient == "person" else None,
        recipient_organisation=OrganisationFactory() if recipient == "organisation" else None,
    )
    award.refresh_from_db()
    assert (award.recipient is None) == (recipient is None)


def test_award_full_clean_refuses_two_recipients():
    award = AwardFactory.build(
        conference=conference(),
        recipient_person=PersonFactory(),
        recipient_organisation=OrganisationFactory(),
    )
    with pytest.raises(ValidationError) as info:
        award.full_clean()
    assert info.value.messages == ["An award goes to a person or to an organisation, not both."]


def test_award_name_blank_refused():
    award = AwardFactory()
    with violates("award_name_not_blank"):
        Award.objects.filter(pk=award.pk).update(name="")


# Quote


def test_quote_text_blank_refused():
    quote = QuoteFactory()
    with violates("quote_text_not_blank"):
        Quote.objects.filter(pk=quote.pk).update(text="")


def test_quote_full_clean_refuses_session_of_another_conference():
    quote = QuoteFactory.build(
        conference=conference(), person=PersonFactory(), session=SessionFactory()
    )
    with pytest.raises(ValidationError) as info:
        quote.full_clean()
    assert info.value.message_dict == {"session": ["Choose a session of this conference."]}


def test_quote_full_clean_accepts_session_of_its_conference():
    session = SessionFactory()
    QuoteFactory.build(
        conference=session.conference, person=PersonFactory(), session=session
    ).full_clean()


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
