import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conferences.models import Appearance, Conference
from tests.factories import AppearanceFactory, ConferenceFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UPCOMING_URL = reverse("conferences:upcoming-calendar")


def ics_url(conference: Conference) -> str:
    return reverse("conferences:conference-ics", kwargs={"slug": conference.slug})


def parse(response) -> Calendar:
    return Calendar.from_ical(response.content)


def events_by_summary(cal: Calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


@pytest.fixture
def beijing():
    conference = ConferenceFactory(edition=42, slug="iasp-2025-beijing", venue="CNCC")
    opening = SessionFactory(
        conference=conference,
        title="Opening ceremony",
        day=datetime.date(2025, 9, 16),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
        location="Main hall",
    )
    AppearanceFactory(
        session=opening,
        person=PersonFactory(name="Jane Example"),
        role=Appearance.Role.KEYNOTE,
        capacity="President, IASP",
    )
    SessionFactory(
        conference=conference,
        title="Technical visit",
        day=datetime.date(2025, 9, 15),
        start_time=None,
        end_time=None,
    )
    return conference


def test_conference_ics_is_a_calendar_download(client, beijing):
    response = client.get(ics_url(beijing))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="iasp-2025-beijing.ics"'


def test_conference_ics_timed_session_has_conference_zone(client, beijing):
    cal = parse(client.get(ics_url(beijing)))

    opening = events_by_summary(cal)["Opening ceremony"]
    assert opening["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert opening.start == datetime.datetime(2025, 9, 16, 9, 0, tzinfo=SHANGHAI)
    assert opening.end == datetime.datetime(2025, 9, 16, 10, 30, tzinfo=SHANGHAI)
    assert opening.start.astimezone(datetime.UTC).hour == 1
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Shanghai"]
    assert b"DTSTART;TZID=Asia/Shanghai:20250916T090000" in client.get(ics_url(beijing)).content


def test_conference_ics_session_details(client, beijing):
    cal = parse(client.get(ics_url(beijing)))

    opening = events_by_summary(cal)["Opening ceremony"]
    session = beijing.sessions.get(title="Opening ceremony")
    assert str(opening["UID"]) == f"session-{session.pk}@testserver"
    assert str(opening["LOCATION"]) == "Main hall, CNCC, Beijing, China"
    assert (
        str(opening["URL"])
        == f"http://testserver/conferences/iasp-2025-beijing/sessions/{session.pk}/"
    )
    assert "Jane Example (Keynote), President, IASP" in str(opening["DESCRIPTION"])


def test_conference_ics_all_day_session_is_a_date(client, beijing):
    cal = parse(client.get(ics_url(beijing)))

    visit = events_by_summary(cal)["Technical visit"]
    assert visit.start == datetime.date(2025, 9, 15)
    assert visit.end == datetime.date(2025, 9, 16)
    assert visit["DTSTART"].params["VALUE"] == "DATE"


def test_conference_ics_uids_are_stable(client, beijing):
    first = [str(e["UID"]) for e in parse(client.get(ics_url(beijing))).walk("VEVENT")]
    second = [str(e["UID"]) for e in parse(client.get(ics_url(beijing))).walk("VEVENT")]

    assert first == second
    assert len(set(first)) == 2


def test_conference_ics_without_sessions_is_one_all_day_event(client):
    conference = ConferenceFactory(title="IASP 2027", slug="iasp-2027")

    cal = parse(client.get(ics_url(conference)))

    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "IASP 2027"
    assert event.start == datetime.date(2025, 9, 15)
    assert event.end == datetime.date(2025, 9, 20)
    assert str(event["UID"]) == f"conference-{conference.pk}@testserver"


def test_conference_ics_unknown_slug_is_not_found(client):
    response = client.get(reverse("conferences:conference-ics", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_conference_ics_query_count_is_fixed(client, django_assert_num_queries, count):
    conference = ConferenceFactory()
    for _n in range(count):
        session = SessionFactory(conference=conference)
        for _m in range(count):
            AppearanceFactory(session=session)

    with django_assert_num_queries(3):
        response = client.get(ics_url(conference))

    assert len(parse(response).walk("VEVENT")) == count


def dated(start_in_days: int, **kwargs) -> Conference:
    start = timezone.localdate() + datetime.timedelta(days=start_in_days)
    end = start + datetime.timedelta(days=2)
    return ConferenceFactory(start_date=start, end_date=end, **kwargs)


def test_upcoming_ics_lists_only_upcoming_conferences(client):
    dated(60, title="Coming soon", slug="soon")
    dated(-1, title="Running now", slug="now")
    dated(-300, title="Long gone", slug="gone")
    dated(30, title="Called off", slug="off", status=Conference.Status.CANCELLED)

    response = client.get(UPCOMING_URL)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = parse(response)
    assert str(cal["X-WR-CALNAME"]) == "IASP upcoming conferences"
    assert [str(event["SUMMARY"]) for event in cal.walk("VEVENT")] == [
        "Running now",
        "Coming soon",
    ]


def test_upcoming_ics_events_are_all_day_with_exclusive_end(client):
    conference = dated(60, title="Coming soon", slug="soon")

    [event] = parse(client.get(UPCOMING_URL)).walk("VEVENT")

    assert event.start == conference.start_date
    assert event.end == conference.end_date + datetime.timedelta(days=1)
    assert str(event["URL"]) == "http://testserver/conferences/soon/"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "TRANSPARENT"


@pytest.mark.parametrize(
    ("precision", "days"),
    [(Conference.DatePrecision.MONTH, 30), (Conference.DatePrecision.YEAR, 364)],
)
def test_upcoming_ics_leaves_out_a_conference_known_only_by_month_or_year(client, precision, days):
    """Not a month- or year-long event in the subscriber's calendar: it joins once its days
    are known."""
    start = (timezone.localdate() + datetime.timedelta(days=400)).replace(day=1)
    ConferenceFactory(
        title="Somewhen next year",
        slug="somewhen",
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        date_precision=precision,
        status=Conference.Status.PLANNED,
    )
    dated(60, title="Coming soon", slug="soon")

    events = parse(client.get(UPCOMING_URL)).walk("VEVENT")

    assert [str(event["SUMMARY"]) for event in events] == ["Coming soon"]


def test_conference_ics_of_a_conference_known_only_by_its_year_is_not_found(client):
    conference = ConferenceFactory(
        slug="dhahran-2027",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        date_precision=Conference.DatePrecision.YEAR,
        status=Conference.Status.PLANNED,
    )

    response = client.get(ics_url(conference))

    assert response.status_code == 404
    assert b"BEGIN:VEVENT" not in response.content


def test_conference_ics_of_a_conference_known_by_its_month_gives_its_programme(client):
    """Sessions have their own days, known even while the conference's are not."""
    conference = ConferenceFactory(
        start_date=datetime.date(2027, 10, 1),
        end_date=datetime.date(2027, 10, 31),
        date_precision=Conference.DatePrecision.MONTH,
        status=Conference.Status.PLANNED,
    )
    SessionFactory(conference=conference, title="Opening", day=datetime.date(2027, 10, 12))

    [event] = parse(client.get(ics_url(conference))).walk("VEVENT")

    assert str(event["SUMMARY"]) == "Opening"
    assert event.start.date() == datetime.date(2027, 10, 12)


def test_conference_ics_of_a_cancelled_conference_says_so(client):
    conference = ConferenceFactory(status=Conference.Status.CANCELLED)

    [event] = parse(client.get(ics_url(conference))).walk("VEVENT")

    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("count", [1, 5])
def test_upcoming_ics_query_count_is_fixed(client, django_assert_num_queries, count):
    for number in range(count):
        dated(10 + number, slug=f"upcoming-{number}")

    with django_assert_num_queries(1):
        response = client.get(UPCOMING_URL)

    assert len(parse(response).walk("VEVENT")) == count
