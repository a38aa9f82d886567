"""/api/v1/conferences/ as CSV and iCalendar."""

import csv
import datetime
import io

import pytest
from icalendar import Calendar

from conferences.models import Conference
from tests.api_support import error_attrs
from tests.conferences import conference_api
from tests.conferences.conference_api import LIST, dated, days_from_today, detail
from tests.factories import AppearanceFactory, ConferenceFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

# The shared fixture, bound here so that pytest finds it (an import would trip ruff F811).
beijing = conference_api.beijing


# CSV


def test_csv_has_a_column_per_field_and_references_as_slugs(api_client, beijing):
    response = api_client.get(f"{LIST}?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="conference.csv"'
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["slug"] == "iasp-2025-beijing"
    assert row["title"] == "IASP 2025 Beijing"
    assert row["start_date"] == "2025-09-15"
    assert row["country"] == "CN"
    assert row["division"] == ""
    assert row["hosts"] == "zgc (host); tusp (co_host)"
    assert row["topics"] == "ai"
    assert row["participant_count"] == "1500"
    assert row["participant_count_is_minimum"] == "true"
    assert row["url"] == "http://testserver/api/v1/conferences/iasp-2025-beijing/"


def test_csv_follows_filters_and_expansion(api_client, beijing):
    ConferenceFactory(slug="elsewhere", country="SE")

    response = api_client.get(f"{LIST}?format=csv&country=CN&expand=hosts")

    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["slug"] == "iasp-2025-beijing"
    assert row["hosts"] == "zgc (host); tusp (co_host)"


# iCalendar


def test_list_ics_has_an_all_day_event_per_conference(api_client):
    dated(10, slug="soon", title="Soon", city="Lund", country="SE", venue="Ideon")
    dated(40, slug="later", title="Later")
    dated(-40, slug="past", title="Past")

    response = api_client.get(f"{LIST}?format=ics&when=upcoming")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="conferences.ics"'
    events = {
        str(event["SUMMARY"]): event
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert set(events) == {"Soon", "Later"}
    soon = events["Soon"]
    assert soon.start == days_from_today(10)
    # DTEND is exclusive: the day after the last day.
    assert soon.end == days_from_today(13)
    assert str(soon["LOCATION"]) == "Ideon, Lund, Sweden"
    assert str(soon["URL"]) == "http://testserver/conferences/soon/"


def test_list_ics_pages_like_the_json(api_client):
    for number in range(3):
        ConferenceFactory(slug=f"c{number}")

    response = api_client.get(f"{LIST}?format=ics&page_size=2")

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2
    assert 'rel="next"' in response["Link"]


def test_detail_ics_is_the_programme(api_client, beijing):
    opening = SessionFactory(
        conference=beijing,
        title="Opening ceremony",
        day=datetime.date(2025, 9, 16),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
    )
    AppearanceFactory(session=opening, person=PersonFactory(name="Jane Example"))
    SessionFactory(
        conference=beijing,
        title="Visit",
        day=datetime.date(2025, 9, 15),
        start_time=None,
        end_time=None,
    )

    response = api_client.get(f"{detail('iasp-2025-beijing')}?format=ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="iasp-2025-beijing.ics"'
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "IASP 2025 Beijing"
    events = {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}
    assert set(events) == {"Opening ceremony", "Visit"}
    assert events["Opening ceremony"]["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert events["Opening ceremony"].start.isoformat() == "2025-09-16T09:00:00+08:00"
    assert "Jane Example" in str(events["Opening ceremony"]["DESCRIPTION"])
    assert events["Visit"].start == datetime.date(2025, 9, 15)


def test_detail_ics_without_programme_is_the_whole_conference(api_client, beijing):
    response = api_client.get(f"{detail('iasp-2025-beijing')}?format=ics")

    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "IASP 2025 Beijing"
    assert event.start == datetime.date(2025, 9, 15)


def test_list_ics_leaves_out_a_conference_known_only_by_its_year(api_client):
    dated(10, slug="soon", title="Soon")
    ConferenceFactory(
        slug="somewhen",
        title="Somewhen",
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        date_precision=Conference.DatePrecision.YEAR,
        status=Conference.Status.PLANNED,
    )

    response = api_client.get(f"{LIST}?format=ics&when=upcoming")

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Soon"]


def test_detail_ics_of_a_conference_known_only_by_its_month_has_no_event(api_client):
    ConferenceFactory(
        slug="somewhen",
        start_date=datetime.date(2030, 10, 1),
        end_date=datetime.date(2030, 10, 31),
        date_precision=Conference.DatePrecision.MONTH,
        status=Conference.Status.PLANNED,
    )

    response = api_client.get(f"{detail('somewhen')}?format=ics")

    assert response.status_code == 200
    assert Calendar.from_ical(response.content).walk("VEVENT") == []


def test_unknown_format_names_the_parameter(api_client, beijing):
    response = api_client.get(f"{detail('iasp-2025-beijing')}?format=csv")

    assert response.status_code == 400
    assert error_attrs(response) == ["format"]


def test_errors_are_json_when_ics_was_asked_for(api_client):
    response = api_client.get(f"{LIST}?format=ics&kind=summit")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert error_attrs(response) == ["kind"]
