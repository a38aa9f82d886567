"""/api/v1/sessions/: programme items, their filters, expansions, query budgets, CSV and
iCalendar. Read-only."""

import csv
import datetime
import io

import pytest
from icalendar import Calendar

from conferences.models import Appearance, Session
from tests.api_support import reference, stamp
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/sessions/"


def detail(session: Session) -> str:
    return f"{LIST}{session.pk}/"


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def beijing():
    return ConferenceFactory(
        title="IASP 2025 Beijing",
        slug="iasp-2025-beijing",
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 19),
        time_zone="Asia/Shanghai",
        venue="CNCC",
    )


@pytest.fixture
def keynote(beijing):
    session = SessionFactory(
        conference=beijing,
        kind=Session.Kind.PLENARY,
        title="AI in science parks",
        description="How parks use AI.",
        day=datetime.date(2025, 9, 17),
        start_time=datetime.time(11, 0),
        end_time=datetime.time(12, 30),
        location="Main hall",
    )
    session.topics.add(TopicFactory(name="Artificial intelligence", slug="ai"))
    AppearanceFactory(
        session=session,
        person=PersonFactory(name="Li Example", slug="li"),
        role=Appearance.Role.KEYNOTE,
        capacity="Director, ZGC",
        order=0,
    )
    AppearanceFactory(
        session=session,
        person=PersonFactory(name="Jane Example", slug="jane"),
        role=Appearance.Role.MODERATOR,
        order=1,
    )
    return session


# The shape


def test_list_shows_a_session_with_every_field(api_client, beijing, keynote):
    response = api_client.get(LIST)

    assert response.status_code == 200
    [row] = response.json()["results"]
    li, jane = (appearance.person for appearance in keynote.appearances.all())
    assert row == {
        "id": keynote.pk,
        "conference": reference("conferences", beijing, "IASP 2025 Beijing"),
        "kind": "plenary",
        "is_published": True,
        "title": "AI in science parks",
        "description": "How parks use AI.",
        "day": "2025-09-17",
        "start_time": "11:00:00",
        "end_time": "12:30:00",
        "starts_at": "2025-09-17T11:00:00+08:00",
        "ends_at": "2025-09-17T12:30:00+08:00",
        "location": "Main hall",
        "topics": [reference("topics", keynote.topics.get())],
        "speakers": [
            {"person": reference("people", li), "role": "keynote", "capacity": "Director, ZGC"},
            {"person": reference("people", jane), "role": "moderator", "capacity": ""},
        ],
        "organisations_visited": [],
        "url": f"http://testserver/api/v1/sessions/{keynote.pk}/",
        "web_url": f"http://testserver/conferences/iasp-2025-beijing/sessions/{keynote.pk}/",
        "created": stamp(keynote.created),
        "modified": stamp(keynote.modified),
    }


def test_whole_day_visit_has_no_moments_and_lists_the_places_visited(api_client, beijing):
    visit = SessionFactory(
        conference=beijing,
        kind=Session.Kind.TECHNICAL_VISIT,
        title="Visit",
        start_time=None,
        end_time=None,
    )
    zgc = OrganisationFactory(name="Zhongguancun Science Park", slug="zgc")
    visit.organisations_visited.add(zgc)

    data = api_client.get(detail(visit)).json()

    assert data["starts_at"] is None
    assert data["ends_at"] is None
    assert data["start_time"] is None
    assert data["organisations_visited"] == [reference("organisations", zgc)]


def test_session_without_end_time_has_a_start_only(api_client, beijing):
    dinner = SessionFactory(
        conference=beijing, title="Gala dinner", start_time=datetime.time(19, 0), end_time=None
    )

    data = api_client.get(detail(dinner)).json()

    assert data["starts_at"] == "2025-09-15T19:00:00+08:00"
    assert data["ends_at"] is None


def test_moments_keep_the_conference_zone_offset(api_client):
    lund = ConferenceFactory(
        time_zone="Europe/Stockholm",
        start_date=datetime.date(2025, 6, 2),
        end_date=datetime.date(2025, 6, 3),
    )
    session = SessionFactory(conference=lund, start_time=datetime.time(9, 0), end_time=None)

    assert api_client.get(detail(session)).json()["starts_at"] == "2025-06-02T09:00:00+02:00"


def test_list_in_programme_order_whole_day_items_first(api_client, beijing):
    SessionFactory(conference=beijing, title="Day 2 morning", day=datetime.date(2025, 9, 16))
    SessionFactory(
        conference=beijing,
        title="Day 1 afternoon",
        start_time=datetime.time(14, 0),
        end_time=datetime.time(15, 0),
    )
    SessionFactory(conference=beijing, title="Day 1 all day", start_time=None, end_time=None)
    SessionFactory(conference=beijing, title="Day 1 morning")

    assert titles(api_client.get(LIST)) == [
        "Day 1 all day",
        "Day 1 morning",
        "Day 1 afternoon",
        "Day 2 morning",
    ]


@pytest.mark.parametrize("lookup", ["999", "not-a-number", "1.5"])
def test_detail_unknown_id_is_a_json_not_found(api_client, lookup):
    response = api_client.get(f"{LIST}{lookup}/")

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


# Filters


@pytest.fixture
def programme(beijing):
    lund = ConferenceFactory(
        slug="lund-2024", start_date=datetime.date(2024, 6, 3), end_date=datetime.date(2024, 6, 4)
    )
    SessionFactory(conference=lund, title="Lund plenary", day=datetime.date(2024, 6, 3))
    opening = SessionFactory(
        conference=beijing,
        kind=Session.Kind.OPENING,
        title="Opening ceremony",
        day=datetime.date(2025, 9, 16),
    )
    opening.topics.add(TopicFactory(slug="ai"))
    SessionFactory(
        conference=beijing,
        kind=Session.Kind.TECHNICAL_VISIT,
        title="Technical visit",
        description="A tour of the Zhongguancun park.",
        day=datetime.date(2025, 9, 15),
        start_time=None,
        end_time=None,
    )
    TopicFactory(slug="unused")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("conference=iasp-2025-beijing", ["Technical visit", "Opening ceremony"]),
        ("conference=lund-2024", ["Lund plenary"]),
        ("day=2025-09-16", ["Opening ceremony"]),
        ("day=2025-09-18", []),
        ("kind=technical_visit", ["Technical visit"]),
        ("kind=closing", []),
        ("topic=ai", ["Opening ceremony"]),
        ("topic=unused", []),
        ("conference=iasp-2025-beijing&kind=opening&day=2025-09-16", ["Opening ceremony"]),
    ],
)
def test_filter(api_client, programme, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200, response.json()
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("query", "attr", "code"),
    [
        ("conference=atlantis-3000", "conference", "invalid_choice"),
        ("day=2025-02-30", "day", "invalid"),
        ("day=tuesday", "day", "invalid"),
        ("kind=keynote", "kind", "invalid_choice"),
        ("topic=alchemy", "topic", "invalid_choice"),
        ("ordering=location", "ordering", "invalid_choice"),
        ("expand=topics", "expand", "invalid_choice"),
        ("speaker=jane", "speaker", "unknown_parameter"),
    ],
)
def test_filter_error_names_the_parameter(api_client, programme, query, attr, code):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert [(error["attr"], error["code"]) for error in response.json()["errors"]] == [(attr, code)]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("ceremony", ["Opening ceremony"]),
        ("Zhongguancun", ["Technical visit"]),
        ("nothing-like-it", []),
    ],
)
def test_search_looks_in_title_and_description(api_client, programme, term, expected):
    assert titles(api_client.get(f"{LIST}?search={term}")) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["Lund plenary", "Opening ceremony", "Technical visit"]),
        ("-title", ["Technical visit", "Opening ceremony", "Lund plenary"]),
        ("-day", ["Opening ceremony", "Technical visit", "Lund plenary"]),
        ("day,title", ["Lund plenary", "Technical visit", "Opening ceremony"]),
        ("modified", ["Lund plenary", "Opening ceremony", "Technical visit"]),
    ],
)
def test_ordering(api_client, programme, ordering, expected):
    assert titles(api_client.get(f"{LIST}?ordering={ordering}")) == expected


def test_ordering_by_start_time_breaks_ties_by_id(api_client, beijing):
    for day in (16, 15, 17):
        SessionFactory(conference=beijing, title=f"Day {day}", day=datetime.date(2025, 9, day))

    assert titles(api_client.get(f"{LIST}?ordering=start_time")) == ["Day 16", "Day 15", "Day 17"]


def test_paging_is_stable_when_times_tie(api_client, beijing):
    for number in range(7):
        SessionFactory(conference=beijing, title=f"Parallel {number}")

    seen = []
    url = f"{LIST}?page_size=3"
    while url:
        data = api_client.get(url).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]

    assert sorted(seen) == sorted(Session.objects.values_list("pk", flat=True))


# Expansion


def test_expand_gives_the_conference_and_speakers_in_full(api_client, beijing, keynote):
    response = api_client.get(f"{LIST}?expand=conference,speakers")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["conference"]["slug"] == "iasp-2025-beijing"
    assert row["conference"]["time_zone"] == "Asia/Shanghai"
    assert row["conference"]["hosts"] == []
    [li, jane] = row["speakers"]
    assert li["role"] == "keynote"
    assert li["capacity"] == "Director, ZGC"
    assert li["person"]["name"] == "Li Example"
    assert li["person"]["job_title"] == "Director"
    assert li["person"]["affiliation"]["url"].startswith("http://testserver/api/v1/organisations/")
    assert "email" not in li["person"]
    assert jane["person"]["slug"] == "jane"


# Query budgets: the same number of queries for one row and for many.


def many_sessions(count: int) -> None:
    for number in range(count):
        conference = ConferenceFactory(slug=f"c{number}")
        session = SessionFactory(conference=conference)
        session.topics.add(TopicFactory(slug=f"t{number}"), TopicFactory())
        session.organisations_visited.add(OrganisationFactory())
        AppearanceFactory(session=session)
        AppearanceFactory(session=session, role=Appearance.Role.MODERATOR)


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # count, page (with conferences), topics, speakers, organisations visited
        ("", 5),
        # + conferences with their hosts and topics
        ("?expand=conference", 8),
        # + speakers, their people and the people's current offices
        ("?expand=speakers", 8),
        ("?expand=conference,speakers", 11),
        # + the conference and the topic looked up by slug
        ("?conference=c0&topic=t0&day=2025-09-15&kind=plenary", 7),
        ("?search=Plenary&ordering=-title", 5),
        ("?format=csv", 5),
        ("?format=ics", 5),
    ],
)
def test_list_query_budget(api_client, django_assert_num_queries, count, query, queries):
    many_sessions(count)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}{query}")

    assert response.status_code == 200
    if "format=csv" in query:
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    elif "format=ics" in query:
        rows = Calendar.from_ical(response.content).walk("VEVENT")
    else:
        rows = response.json()["results"]
    assert len(rows) == (1 if "conference=" in query else count)


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # session with its conference, topics, speakers, organisations visited
        ("", 4),
        ("?expand=conference,speakers", 10),
        ("?format=ics", 4),
    ],
)
def test_detail_query_budget(api_client, django_assert_num_queries, count, query, queries):
    session = SessionFactory()
    for _ in range(count):
        session.topics.add(TopicFactory())
        session.organisations_visited.add(OrganisationFactory())
        AppearanceFactory(session=session)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{detail(session)}{query}")

    assert response.status_code == 200
    if "format=ics" not in query:
        assert len(response.json()["speakers"]) == count


# CSV


def test_csv_rows_have_references_as_slugs(api_client, beijing, keynote):
    response = api_client.get(f"{LIST}?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["id"] == str(keynote.pk)
    assert row["conference"] == "iasp-2025-beijing"
    assert row["title"] == "AI in science parks"
    assert row["day"] == "2025-09-17"
    assert row["starts_at"] == "2025-09-17T11:00:00+08:00"
    assert row["topics"] == "ai"
    assert row["speakers"] == "li (keynote); jane (moderator)"
    assert row["organisations_visited"] == ""


# iCalendar


def test_list_ics_has_an_event_per_session(api_client, beijing, keynote):
    SessionFactory(
        conference=beijing,
        title="Visit",
        day=datetime.date(2025, 9, 15),
        start_time=None,
        end_time=None,
    )
    SessionFactory(conference=ConferenceFactory(), title="Elsewhere")

    response = api_client.get(f"{LIST}?format=ics&conference=iasp-2025-beijing")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sessions.ics"'
    cal = Calendar.from_ical(response.content)
    events = {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}
    assert set(events) == {"AI in science parks", "Visit"}
    talk = events["AI in science parks"]
    assert talk.start.isoformat() == "2025-09-17T11:00:00+08:00"
    assert talk.end.isoformat() == "2025-09-17T12:30:00+08:00"
    assert str(talk["UID"]) == f"session-{keynote.pk}@testserver"
    assert "Li Example (Keynote), Director, ZGC" in str(talk["DESCRIPTION"])
    assert str(talk["LOCATION"]) == "Main hall, CNCC, Beijing, China"
    assert events["Visit"].start == datetime.date(2025, 9, 15)
    assert [zone.tz_name for zone in cal.timezones] == ["Asia/Shanghai"]


def test_detail_ics_is_one_event(api_client, keynote):
    response = api_client.get(f"{detail(keynote)}?format=ics")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="session-{keynote.pk}.ics"'
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "AI in science parks"
    [event] = cal.walk("VEVENT")
    assert event.start.isoformat() == "2025-09-17T11:00:00+08:00"


def test_empty_list_ics_is_an_empty_calendar(api_client):
    response = api_client.get(f"{LIST}?format=ics")

    assert response.status_code == 200
    assert Calendar.from_ical(response.content).walk("VEVENT") == []


# Read-only


def test_sessions_are_read_only_even_for_staff(staff_api_client, keynote):
    created = staff_api_client.post(LIST, {"title": "New"}, format="json")
    changed = staff_api_client.patch(detail(keynote), {"title": "Changed"}, format="json")

    assert created.status_code == 405
    assert changed.status_code == 405
    assert Session.objects.get().title == "AI in science parks"


def test_anonymous_post_is_unauthorised(api_client):
    assert api_client.post(LIST, {"title": "New"}, format="json").status_code == 401


def test_partner_token_reads(partner_client, keynote):
    response = partner_client.get(LIST)

    assert response.status_code == 200
    assert titles(response) == ["AI in science parks"]
