"""/api/v1/conferences/: the shapes, every filter and its 400s, search, ordering, paging,
expansions, query budgets, CSV and iCalendar. Writes are in test_api_conference_writes.py."""

import csv
import datetime
import io

import factory
import pytest
from django.utils import timezone
from icalendar import Calendar

from agreements.models import Agreement
from conferences.models import Conference, ConferenceHost, Decision, Session
from tests.api_support import error_attrs, reference, stamp
from tests.factories import (
    AgreementPartyFactory,
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
    TopicFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/conferences/"


def detail(slug: str) -> str:
    return f"{LIST}{slug}/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def dated(start_in_days: int, length: int = 3, **kwargs) -> Conference:
    start = days_from_today(start_in_days)
    return ConferenceFactory(
        start_date=start, end_date=start + datetime.timedelta(days=length - 1), **kwargs
    )


def division_conference(division, **kwargs) -> Conference:
    return ConferenceFactory(kind=Conference.Kind.DIVISION, division=division, **kwargs)


@pytest.fixture
def beijing():
    """The 42nd World Conference with hosts, topics, a programme and its outcomes."""
    conference = ConferenceFactory(
        edition=42,
        title="IASP 2025 Beijing",
        slug="iasp-2025-beijing",
        theme="AI and the future of innovation ecosystems",
        description="Five days in Beijing.",
        report="More than 1,500 delegates took part.",
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 19),
        city="Beijing",
        country="CN",
        venue="China National Convention Center",
        time_zone="Asia/Shanghai",
        participant_count=1500,
        participant_count_is_minimum=True,
        website="https://www.iasp2025beijing.com/",
        cover_image=factory.django.ImageField(width=1600, height=900, format="PNG"),
    )
    zgc = OrganisationFactory(name="Zhongguancun Science Park", slug="zgc", country="CN")
    tusp = OrganisationFactory(name="Tsinghua Science Park", slug="tusp", country="CN")
    ConferenceHostFactory(conference=conference, organisation=zgc, order=0)
    ConferenceHostFactory(
        conference=conference, organisation=tusp, role=ConferenceHost.Role.CO_HOST, order=1
    )
    conference.topics.add(TopicFactory(name="Artificial intelligence", slug="ai"))
    conference.participating_organisations.add(
        OrganisationFactory(name="Berlin Adlershof", slug="adlershof")
    )
    return conference


# The list shape


def test_list_shows_a_conference_with_every_field(api_client, beijing):
    response = api_client.get(LIST)

    assert response.status_code == 200
    [row] = response.json()["results"]
    zgc, tusp = (link.organisation for link in beijing.host_links.all())
    ai = beijing.topics.get()
    cover = row.pop("cover_image")
    assert row == {
        "id": beijing.pk,
        "slug": "iasp-2025-beijing",
        "kind": "world",
        "edition": 42,
        "title": "IASP 2025 Beijing",
        "theme": "AI and the future of innovation ecosystems",
        "start_date": "2025-09-15",
        "end_date": "2025-09-19",
        "date_precision": "day",
        "city": "Beijing",
        "country": "CN",
        "country_name": "China",
        "venue": "China National Convention Center",
        "time_zone": "Asia/Shanghai",
        "status": "held",
        "division": None,
        "hosts": [
            {"organisation": reference("organisations", zgc), "role": "host"},
            {"organisation": reference("organisations", tusp), "role": "co_host"},
        ],
        "topics": [reference("topics", ai)],
        "participant_count": 1500,
        "participant_count_is_minimum": True,
        "website": "https://www.iasp2025beijing.com/",
        "url": "http://testserver/api/v1/conferences/iasp-2025-beijing/",
        "web_url": "http://testserver/conferences/iasp-2025-beijing/",
        "ics_url": "http://testserver/api/v1/conferences/iasp-2025-beijing/?format=ics",
        "created": stamp(beijing.created),
        "modified": stamp(beijing.modified),
    }
    assert cover == {
        "url": f"http://testserver{beijing.cover_image.url}",
        "width": 1600,
        "height": 900,
    }


def test_list_division_conference_refers_to_its_division(api_client):
    europe = DivisionFactory(name="Europe", slug="europe")
    division_conference(europe, edition=7, slug="europe-7")

    [row] = api_client.get(LIST).json()["results"]

    assert row["kind"] == "division"
    assert row["division"] == reference("divisions", europe)
    assert row["cover_image"] is None


def test_list_newest_first_by_default(api_client):
    for year in (2023, 2025, 2024):
        ConferenceFactory(
            slug=f"c{year}",
            start_date=datetime.date(year, 5, 1),
            end_date=datetime.date(year, 5, 3),
        )

    assert slugs(api_client.get(LIST)) == ["c2025", "c2024", "c2023"]


# The detail shape


def test_detail_adds_texts_participants_and_programme(api_client, beijing):
    opening = SessionFactory(
        conference=beijing,
        kind=Session.Kind.OPENING,
        title="Opening ceremony",
        day=datetime.date(2025, 9, 16),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        location="Main hall",
    )
    visit = SessionFactory(
        conference=beijing,
        kind=Session.Kind.TECHNICAL_VISIT,
        title="Visit to Zhongguancun",
        day=datetime.date(2025, 9, 15),
        start_time=None,
        end_time=None,
    )

    response = api_client.get(detail("iasp-2025-beijing"))

    assert response.status_code == 200
    data = response.json()
    assert data["description"] == "Five days in Beijing."
    assert data["report"] == "More than 1,500 delegates took part."
    adlershof = beijing.participating_organisations.get()
    assert data["participating_organisations"] == [reference("organisations", adlershof)]
    assert data["sessions"] == [
        {
            "id": visit.pk,
            "kind": "technical_visit",
            "title": "Visit to Zhongguancun",
            "day": "2025-09-15",
            "start_time": None,
            "end_time": None,
            "starts_at": None,
            "ends_at": None,
            "location": "",
            "url": f"http://testserver/api/v1/sessions/{visit.pk}/",
        },
        {
            "id": opening.pk,
            "kind": "opening",
            "title": "Opening ceremony",
            "day": "2025-09-16",
            "start_time": "09:00:00",
            "end_time": "10:00:00",
            "starts_at": "2025-09-16T09:00:00+08:00",
            "ends_at": "2025-09-16T10:00:00+08:00",
            "location": "Main hall",
            "url": f"http://testserver/api/v1/sessions/{opening.pk}/",
        },
    ]
    # The list shape comes first, unchanged.
    assert data["hosts"][1]["role"] == "co_host"
    assert data["ics_url"].endswith("/iasp-2025-beijing/?format=ics")


def test_detail_shows_decisions_awards_and_quotes(api_client, beijing):
    next_host = OrganisationFactory(name="Dhahran Techno Valley", slug="dtv")
    following = ConferenceFactory(edition=43, title="IASP 2026", slug="iasp-2026")
    decision = DecisionFactory(
        conference=beijing,
        title="Next host chosen",
        text="The General Assembly chose Dhahran.",
        host_organisation=next_host,
        resulting_conference=following,
    )
    other = DecisionFactory(
        conference=beijing,
        kind=Decision.Kind.OTHER,
        title="Fees unchanged",
        host_city="",
        host_country="",
        host_year=None,
    )
    laureate = PersonFactory(name="Jane Example", slug="jane")
    medal = AwardFactory(conference=beijing, recipient_person=laureate, citation="For a life.")
    prize = AwardFactory(
        conference=beijing, name="Inspiring Solutions", recipient_organisation=next_host
    )
    session = SessionFactory(conference=beijing, title="Closing")
    quote = QuoteFactory(conference=beijing, person=laureate, session=session, text="Together.")

    data = api_client.get(detail("iasp-2025-beijing")).json()

    assert data["decisions"] == [
        {
            "id": decision.pk,
            "kind": "next_host",
            "title": "Next host chosen",
            "text": "The General Assembly chose Dhahran.",
            "host_city": "Dhahran",
            "host_country": "SA",
            "host_organisation": reference("organisations", next_host),
            "host_year": 2027,
            "resulting_conference": reference("conferences", following, "IASP 2026"),
        },
        {
            "id": other.pk,
            "kind": "other",
            "title": "Fees unchanged",
            "text": "",
            "host_city": "",
            "host_country": "",
            "host_organisation": None,
            "host_year": None,
            "resulting_conference": None,
        },
    ]
    assert data["awards"] == [
        {
            "id": medal.pk,
            "name": "Presidential Medal",
            "recipient_person": reference("people", laureate),
            "recipient_organisation": None,
            "citation": "For a life.",
        },
        {
            "id": prize.pk,
            "name": "Inspiring Solutions",
            "recipient_person": None,
            "recipient_organisation": reference("organisations", next_host),
            "citation": "",
        },
    ]
    assert data["quotes"] == [
        {
            "id": quote.pk,
            "text": "Together.",
            "person": reference("people", laureate),
            "session": {
                "id": session.pk,
                "title": "Closing",
                "url": f"http://testserver/api/v1/sessions/{session.pk}/",
            },
        }
    ]


@pytest.mark.parametrize("caller", ["anonymous", "partner", "staff"])
def test_detail_lists_only_public_agreements(caller, beijing, request):
    client = request.getfixturevalue(
        {"anonymous": "api_client", "partner": "partner_client", "staff": "staff_api_client"}[
            caller
        ]
    )
    signed = bilateral_agreement(
        title="Beijing–Linköping cooperation",
        slug="beijing-linkoping",
        signed_at_conference=beijing,
    )
    bilateral_agreement(
        title="Secret", slug="secret", signed_at_conference=beijing, is_public=False
    )
    bilateral_agreement(
        title="Draft",
        slug="draft",
        signed_at_conference=beijing,
        status=Agreement.Status.DRAFT,
        signed_on=None,
    )
    bilateral_agreement(title="Elsewhere", slug="elsewhere")

    response = client.get(detail("iasp-2025-beijing"))

    assert response.status_code == 200
    assert response.json()["agreements"] == [
        reference("agreements", signed, "Beijing–Linköping cooperation")
    ]
    assert b"secret" not in response.content
    assert b"Draft" not in response.content


def test_detail_links_previous_and_next_edition_of_the_series(api_client):
    first = ConferenceFactory(
        edition=40,
        slug="w40",
        title="W40",
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2023, 9, 3),
    )
    second = ConferenceFactory(
        edition=41,
        slug="w41",
        title="W41",
        start_date=datetime.date(2024, 9, 1),
        end_date=datetime.date(2024, 9, 3),
    )
    third = ConferenceFactory(
        edition=42,
        slug="w42",
        title="W42",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2025, 9, 3),
    )
    # Other series in between are not editions of the world series.
    division_conference(
        DivisionFactory(),
        slug="d1",
        start_date=datetime.date(2024, 10, 1),
        end_date=datetime.date(2024, 10, 2),
    )
    ConferenceFactory(
        kind=Conference.Kind.OTHER,
        edition=None,
        slug="o1",
        start_date=datetime.date(2024, 11, 1),
        end_date=datetime.date(2024, 11, 2),
    )

    middle = api_client.get(detail("w41")).json()
    opening = api_client.get(detail("w40")).json()
    closing = api_client.get(detail("w42")).json()

    assert middle["previous_edition"] == reference("conferences", first, "W40")
    assert middle["next_edition"] == reference("conferences", third, "W42")
    assert opening["previous_edition"] is None
    assert opening["next_edition"] == reference("conferences", second, "W41")
    assert closing["next_edition"] is None


def test_detail_division_series_stays_within_its_division(api_client):
    europe, asia = DivisionFactory(), DivisionFactory()
    division_conference(
        europe,
        edition=1,
        slug="eu1",
        title="EU1",
        start_date=datetime.date(2023, 5, 1),
        end_date=datetime.date(2023, 5, 2),
    )
    division_conference(
        asia,
        edition=1,
        slug="as1",
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 5, 2),
    )
    division_conference(
        europe,
        edition=2,
        slug="eu2",
        start_date=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 2),
    )
    ConferenceFactory(
        slug="world", start_date=datetime.date(2024, 9, 1), end_date=datetime.date(2024, 9, 2)
    )
    other = ConferenceFactory(kind=Conference.Kind.OTHER, edition=None, slug="other")

    data = api_client.get(detail("eu2")).json()

    assert data["previous_edition"]["slug"] == "eu1"
    assert data["next_edition"] is None
    assert api_client.get(detail(other.slug)).json()["previous_edition"] is None


@pytest.mark.parametrize("slug", ["nowhere", "not.a.slug", "über"])
def test_detail_unknown_slug_is_a_json_not_found(api_client, slug):
    response = api_client.get(detail(slug))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "client_error"


# Filters


@pytest.fixture
def spread():
    """Conferences of every kind, in several years, countries and states."""
    europe = DivisionFactory(slug="europe")
    asia = DivisionFactory(slug="asia")
    energy = TopicFactory(slug="energy")
    health = TopicFactory(slug="health")
    world = ConferenceFactory(
        slug="world-2024",
        start_date=datetime.date(2024, 9, 2),
        end_date=datetime.date(2024, 9, 5),
        country="CN",
    )
    world.topics.add(energy)
    europe_2025 = division_conference(
        europe,
        slug="europe-2025",
        start_date=datetime.date(2025, 5, 12),
        end_date=datetime.date(2025, 5, 14),
        country="SE",
    )
    # Tagged only through a session.
    SessionFactory(conference=europe_2025).topics.add(health)
    division_conference(
        asia,
        slug="asia-2025",
        start_date=datetime.date(2025, 12, 30),
        end_date=datetime.date(2026, 1, 2),
        country="TH",
        status=Conference.Status.CANCELLED,
    )
    ConferenceFactory(
        kind=Conference.Kind.OTHER,
        edition=None,
        slug="webinar-2023",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 1),
        country="ES",
        status=Conference.Status.HELD,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=world", ["world-2024"]),
        ("kind=division", ["asia-2025", "europe-2025"]),
        ("division=europe", ["europe-2025"]),
        ("year=2025", ["asia-2025", "europe-2025"]),
        # A conference over New Year takes place in both years.
        ("year=2026", ["asia-2025"]),
        ("year=1990", []),
        ("country=SE", ["europe-2025"]),
        ("country=th", ["asia-2025"]),
        # A valid code that no conference has is an empty answer, not an error.
        ("country=FR", []),
        ("topic=energy", ["world-2024"]),
        ("topic=health", ["europe-2025"]),
        ("status=cancelled", ["asia-2025"]),
        ("status=held", ["europe-2025", "world-2024", "webinar-2023"]),
        ("date_from=2025-01-01", ["asia-2025", "europe-2025"]),
        ("date_to=2024-12-31", ["world-2024", "webinar-2023"]),
        ("date_from=2024-09-05&date_to=2025-05-12", ["europe-2025", "world-2024"]),
        ("date_from=2024-09-06&date_to=2025-05-11", []),
        ("kind=division&country=TH&year=2025", ["asia-2025"]),
    ],
)
def test_filter(api_client, spread, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200, response.json()
    assert slugs(response) == expected


def test_filter_when_upcoming_or_past(api_client):
    dated(10, slug="soon")
    dated(-1, length=3, slug="running")
    dated(20, slug="called-off", status=Conference.Status.CANCELLED)
    dated(-30, slug="last-month")

    upcoming = api_client.get(f"{LIST}?when=upcoming&ordering=start_date")
    past = api_client.get(f"{LIST}?when=past")

    assert slugs(upcoming) == ["running", "soon"]
    assert slugs(past) == ["last-month"]


@pytest.mark.parametrize(
    ("query", "attr", "code"),
    [
        ("kind=summit", "kind", "invalid_choice"),
        ("status=postponed", "status", "invalid_choice"),
        ("when=someday", "when", "invalid_choice"),
        ("division=atlantis", "division", "invalid_choice"),
        ("topic=alchemy", "topic", "invalid_choice"),
        ("country=XX", "country", "invalid_choice"),
        ("country=China", "country", "invalid_choice"),
        ("year=twenty", "year", "invalid"),
        ("year=0", "year", "min_value"),
        ("year=10000", "year", "max_value"),
        ("date_from=2025-13-01", "date_from", "invalid"),
        ("date_to=yesterday", "date_to", "invalid"),
        ("ordering=venue", "ordering", "invalid_choice"),
        ("expand=sessions", "expand", "invalid_choice"),
        ("modified_since=last-week", "modified_since", "invalid"),
        ("colour=blue", "colour", "unknown_parameter"),
    ],
)
def test_filter_error_names_the_parameter(api_client, spread, query, attr, code):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert [(error["attr"], error["code"]) for error in response.json()["errors"]] == [(attr, code)]


def test_modified_since_lists_only_changes(api_client):
    old = ConferenceFactory(slug="old")
    Conference.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    ConferenceFactory(slug="new")

    response = api_client.get(f"{LIST}?modified_since=2021-01-01T00:00:00Z")

    assert slugs(response) == ["new"]


# Search and ordering


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Linköping", ["city"]),
        ("ecosystems", ["theme"]),
        ("Convention", ["venue"]),
        ("Summit", ["title"]),
        ("nothing-like-it", []),
    ],
)
def test_search_looks_in_title_theme_city_and_venue(api_client, term, expected):
    ConferenceFactory(slug="city", city="Linköping")
    ConferenceFactory(slug="theme", theme="Innovation ecosystems")
    ConferenceFactory(slug="venue", venue="Convention Centre")
    ConferenceFactory(slug="title", title="Science Park Summit")

    assert slugs(api_client.get(f"{LIST}?search={term}")) == expected


@pytest.fixture
def three():
    ConferenceFactory(
        slug="b",
        title="Bravo",
        edition=2,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 2),
    )
    ConferenceFactory(
        slug="a",
        title="Alpha",
        edition=3,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 1, 2),
    )
    ConferenceFactory(
        slug="c",
        title="Charlie",
        edition=1,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 1, 2),
    )


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("start_date", ["c", "b", "a"]),
        ("-start_date", ["a", "b", "c"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
        ("edition", ["c", "b", "a"]),
        ("-edition", ["a", "b", "c"]),
        ("modified", ["b", "a", "c"]),
    ],
)
def test_ordering(api_client, three, ordering, expected):
    assert slugs(api_client.get(f"{LIST}?ordering={ordering}")) == expected


def test_paging_is_stable_when_dates_tie(api_client):
    for number in range(7):
        ConferenceFactory(slug=f"same-day-{number}")

    seen = []
    url = f"{LIST}?page_size=3"
    while url:
        data = api_client.get(url).json()
        assert data["count"] == 7
        seen += [row["slug"] for row in data["results"]]
        url = data["next"]

    assert sorted(seen) == sorted(f"same-day-{number}" for number in range(7))
    assert len(seen) == 7


def test_paging_answers_count_next_and_previous(api_client):
    for number in range(3):
        ConferenceFactory(slug=f"c{number}")

    data = api_client.get(f"{LIST}?page_size=2&page=2").json()

    assert data["count"] == 3
    assert data["next"] is None
    assert data["previous"] == "http://testserver/api/v1/conferences/?page_size=2"
    assert len(data["results"]) == 1


# Expansion


def test_expand_gives_division_hosts_and_topics_in_full(api_client):
    europe = DivisionFactory(name="Europe", slug="europe")
    conference = division_conference(europe, slug="europe-7")
    host = OrganisationFactory(name="Ideon", slug="ideon")
    ConferenceHostFactory(conference=conference, organisation=host, role=ConferenceHost.Role.HOST)
    conference.topics.add(TopicFactory(name="Energy", slug="energy"))

    response = api_client.get(f"{LIST}?expand=division,hosts,topics")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["division"]["slug"] == "europe"
    assert row["division"]["conference_count"] == 1
    assert row["division"]["web_url"] == "http://testserver/divisions/europe/"
    [link] = row["hosts"]
    assert link["role"] == "host"
    assert link["organisation"]["slug"] == "ideon"
    assert link["organisation"]["country_name"] == "Sweden"
    assert link["organisation"]["is_member"] is False
    assert "contact_email" not in link["organisation"]
    [topic] = row["topics"]
    assert topic["slug"] == "energy"
    assert topic["organisation_count"] == 0


def test_expand_works_on_the_detail(api_client, beijing):
    data = api_client.get(f"{detail('iasp-2025-beijing')}?expand=hosts").json()

    assert [link["organisation"]["name"] for link in data["hosts"]] == [
        "Zhongguancun Science Park",
        "Tsinghua Science Park",
    ]
    assert data["hosts"][0]["organisation"]["division"]["url"].startswith("http://testserver/")


# Query budgets: the same number of queries for one row and for many.


def many_conferences(count: int) -> None:
    """Division conferences, each with hosts, topics and a programme."""
    for number in range(count):
        conference = division_conference(DivisionFactory(slug=f"d{number}"), slug=f"c{number}")
        ConferenceHostFactory(conference=conference)
        ConferenceHostFactory(conference=conference, role=ConferenceHost.Role.PARTNER)
        conference.topics.add(TopicFactory(slug=f"t{number}"), TopicFactory())
        OrganisationFactory().topics.add(*conference.topics.all())
        SessionFactory(conference=conference).topics.add(TopicFactory())


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # count, page (with divisions), hosts, topics
        ("", 4),
        # + divisions with their counts
        ("?expand=division", 5),
        # + host links, their organisations, the organisations' topics
        ("?expand=hosts", 7),
        # + topics with their counts
        ("?expand=topics", 5),
        ("?expand=division,hosts,topics", 9),
        # + the division and the topic looked up by slug
        ("?division=d0&topic=t0&kind=division&year=2025&country=CN", 6),
        ("?when=past&status=held&date_from=2025-01-01&search=World", 4),
        ("?format=csv", 4),
        # count, page: a calendar needs no related records
        ("?format=ics", 2),
    ],
)
def test_list_query_budget(api_client, django_assert_num_queries, count, query, queries):
    many_conferences(count)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}{query}")

    assert response.status_code == 200
    if "format=csv" in query:
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    elif "format=ics" in query:
        rows = Calendar.from_ical(response.content).walk("VEVENT")
    else:
        rows = response.json()["results"]
    expected = 1 if "division=" in query else count
    assert len(rows) == expected


def busy_conference(count: int) -> Conference:
    """A conference with `count` of everything the detail shows."""
    conference = ConferenceFactory(slug="busy")
    for number in range(count):
        ConferenceHostFactory(conference=conference, order=number)
        conference.topics.add(TopicFactory())
        conference.participating_organisations.add(OrganisationFactory())
        session = SessionFactory(conference=conference)
        AppearanceFactory(session=session)
        DecisionFactory(
            conference=conference,
            host_organisation=OrganisationFactory(),
            resulting_conference=ConferenceFactory(),
        )
        AwardFactory(conference=conference, recipient_person=PersonFactory())
        AwardFactory(conference=conference, recipient_organisation=OrganisationFactory())
        QuoteFactory(conference=conference, session=session)
        agreement = bilateral_agreement(signed_at_conference=conference)
        AgreementPartyFactory(agreement=agreement)
    return conference


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # conference with editions, hosts, topics, participants, sessions, decisions,
        # awards, quotes, agreements
        ("", 9),
        ("?expand=division,hosts,topics", 13),
        # conference, sessions with their speakers
        ("?format=ics", 3),
    ],
)
def test_detail_query_budget(api_client, django_assert_num_queries, count, query, queries):
    busy_conference(count)

    with django_assert_num_queries(queries):
        response = api_client.get(f"{detail('busy')}{query}")

    assert response.status_code == 200
    if "format=ics" in query:
        assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count
    else:
        data = response.json()
        assert len(data["sessions"]) == count
        assert len(data["agreements"]) == count
        assert len(data["awards"]) == 2 * count


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


def test_unknown_format_names_the_parameter(api_client, beijing):
    response = api_client.get(f"{detail('iasp-2025-beijing')}?format=csv")

    assert response.status_code == 400
    assert error_attrs(response) == ["format"]


def test_errors_are_json_when_ics_was_asked_for(api_client):
    response = api_client.get(f"{LIST}?format=ics&kind=summit")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert error_attrs(response) == ["kind"]
