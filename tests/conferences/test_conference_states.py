"""What a conference's status and dates let the pages say: one answer per state, everywhere."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from conferences.models import Conference
from conferences.presenters import ConferenceState
from tests.conferences.pages import detail_url, page_body
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)
DAY, MONTH, YEAR = (Conference.DatePrecision.DAY, Conference.DatePrecision.MONTH, "year")
PLANNED, OPEN, HELD, CANCELLED = (
    Conference.Status.PLANNED,
    Conference.Status.REGISTRATION_OPEN,
    Conference.Status.HELD,
    Conference.Status.CANCELLED,
)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# When, relative to TODAY, with the dates a record of each precision would hold.
DATES = {
    ("ahead", DAY): (datetime.date(2027, 3, 10), datetime.date(2027, 3, 12)),
    ("ahead", MONTH): (datetime.date(2027, 3, 1), datetime.date(2027, 3, 31)),
    ("ahead", YEAR): (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
    ("now", DAY): (datetime.date(2026, 12, 5), datetime.date(2026, 12, 7)),
    ("now", MONTH): (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),
    ("now", YEAR): (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ("passed", DAY): (datetime.date(2026, 10, 5), datetime.date(2026, 10, 7)),
    ("passed", MONTH): (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
    ("passed", YEAR): (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
}


def state(status, when, precision, registration_url="https://example.org/register"):
    start, end = DATES[when, precision]
    conference = ConferenceFactory.build(
        status=status,
        start_date=start,
        end_date=end,
        date_precision=precision,
        registration_url=registration_url,
    )
    return ConferenceState(conference, today=TODAY)


# (status, when, precision): label, badge, to be announced, calendar, register, days to go
EXPECTED = {
    (PLANNED, "ahead", DAY): ("Planned", "", False, True, False, 94),
    (PLANNED, "ahead", MONTH): ("Planned", "", True, False, False, None),
    (PLANNED, "ahead", YEAR): ("Planned", "", True, False, False, None),
    (OPEN, "ahead", DAY): ("Registration open", "Registration open", False, True, True, 94),
    (OPEN, "ahead", YEAR): ("Registration open", "Registration open", True, False, True, None),
    (PLANNED, "now", DAY): ("Taking place now", "Taking place now", False, True, False, None),
    (OPEN, "now", DAY): ("Taking place now", "Taking place now", False, True, True, None),
    # Its days are unknown: within its month or year, it is still only planned.
    (PLANNED, "now", MONTH): ("Planned", "", True, False, False, None),
    (PLANNED, "now", YEAR): ("Planned", "", True, False, False, None),
    # Dates passed and no outcome recorded: nothing planned, announced or to register for.
    (PLANNED, "passed", DAY): ("Past event", "", False, False, False, None),
    (PLANNED, "passed", MONTH): ("Past event", "", False, False, False, None),
    (OPEN, "passed", YEAR): ("Past event", "", False, False, False, None),
    (HELD, "passed", DAY): ("Held", "", False, False, False, None),
    (HELD, "now", DAY): ("Held", "", False, False, False, None),
    (CANCELLED, "ahead", DAY): ("Cancelled", "Cancelled", False, False, False, None),
    (CANCELLED, "ahead", MONTH): ("Cancelled", "Cancelled", False, False, False, None),
    (CANCELLED, "passed", DAY): ("Cancelled", "Cancelled", False, False, False, None),
}


@pytest.mark.parametrize(("key", "expected"), EXPECTED.items(), ids=lambda v: str(v))
def test_state_says_one_thing_per_status_and_dates(key, expected):
    subject = state(*key)

    assert (
        subject.label,
        subject.badge,
        subject.dates_to_be_announced,
        subject.offers_calendar,
        subject.offers_registration,
        subject.days_to_go,
    ) == expected


def test_state_offers_no_registration_without_an_address():
    assert not state(OPEN, "ahead", DAY, registration_url="").offers_registration


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ((PLANNED, "ahead", DAY), "https://schema.org/EventScheduled"),
        ((HELD, "passed", DAY), "https://schema.org/EventScheduled"),
        ((CANCELLED, "ahead", DAY), "https://schema.org/EventCancelled"),
        ((PLANNED, "passed", DAY), None),
    ],
)
def test_state_schema_event_status(key, expected):
    assert state(*key).schema_event_status == expected


@pytest.mark.parametrize(
    ("key", "in_calendars", "ical"),
    [
        ((PLANNED, "ahead", DAY), True, "CONFIRMED"),
        ((PLANNED, "ahead", MONTH), False, "CONFIRMED"),
        ((PLANNED, "ahead", YEAR), False, "CONFIRMED"),
        ((CANCELLED, "ahead", DAY), True, "CANCELLED"),
    ],
)
def test_state_in_calendars_only_with_known_days(key, in_calendars, ical):
    subject = state(*key)

    assert (subject.in_calendars, subject.ical_status) == (in_calendars, ical)


# The pages, with today's date.


def conference_from_today(start: int, end: int, **kwargs) -> Conference:
    today = timezone.localdate()
    return ConferenceFactory(
        start_date=today + datetime.timedelta(days=start),
        end_date=today + datetime.timedelta(days=end),
        **kwargs,
    )


def test_detail_of_a_month_only_conference_whose_month_has_passed_does_not_contradict_itself(
    client,
):
    today = timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    conference = ConferenceFactory(
        start_date=month,
        end_date=(month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1),
        date_precision=MONTH,
        status=PLANNED,
    )

    response = client.get(detail_url(conference))
    html = page_body(response)

    assert "<dd>Past event</dd>" in html
    assert "Planned" not in html
    assert "exact dates to be announced" not in html
    assert "Add to your calendar" not in html
    data = json.loads(JSON_LD.search(response.content.decode()).group(1))
    assert "eventStatus" not in data


def test_detail_of_an_upcoming_conference_offers_the_calendar_and_registration(client):
    conference = conference_from_today(
        30,
        32,
        status=OPEN,
        slug="soon",
        title="Soon",
        registration_url="https://example.org/register",
    )

    response = client.get(detail_url(conference))
    html = page_body(response)

    assert "<dd>Registration open</dd>" in html
    assert (
        '<a class="button button--register" href="https://example.org/register" rel="external">'
        'Register<span class="visually-hidden"> for Soon</span></a>'
    ) in html
    assert 'href="/conferences/soon/calendar.ics" download>Add to your calendar (.ics)' in html
    data = json.loads(JSON_LD.search(response.content.decode()).group(1))
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_detail_shows_no_register_button_once_the_conference_is_over(client):
    conference = conference_from_today(
        -10, -8, status=OPEN, registration_url="https://example.org/register"
    )

    html = page_body(client.get(detail_url(conference)))

    assert "https://example.org/register" not in html
    assert "Registration open" not in html
    assert "<dd>Past event</dd>" in html


def test_detail_of_a_cancelled_conference_offers_nothing_to_add(client):
    conference = conference_from_today(
        30, 32, status=CANCELLED, registration_url="https://example.org/register"
    )

    response = client.get(detail_url(conference))
    html = page_body(response)

    assert '<span class="badge badge--muted">Cancelled</span>' in html
    assert "Add to your calendar" not in html
    assert "https://example.org/register" not in html
    data = json.loads(JSON_LD.search(response.content.decode()).group(1))
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_detail_of_a_conference_under_way_says_so(client):
    conference = conference_from_today(-1, 1, status=PLANNED)

    html = page_body(client.get(detail_url(conference)))

    assert "<dd>Taking place now</dd>" in html
    assert "Add to your calendar" in html


def test_card_flags_registration_only_while_it_is_ahead(client):
    conference_from_today(
        -200, -198, status=OPEN, title="Gone by", registration_url="https://example.org/old"
    )
    conference_from_today(
        20, 22, status=OPEN, title="Coming up", registration_url="https://example.org/new"
    )

    html = page_body(client.get("/conferences/"))

    upcoming, past = html.split('id="past-heading"')
    assert "Coming up" in upcoming
    assert '<span class="badge badge--accent">Registration open</span>' in upcoming
    assert 'href="https://example.org/new"' in upcoming
    assert "Gone by" in past
    assert "Registration open" not in past
    assert "https://example.org/old" not in past
