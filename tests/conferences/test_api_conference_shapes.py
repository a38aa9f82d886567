"""/api/v1/conferences/: the list and detail shapes. Writes are in test_api_conference_writes.py."""

import datetime

import pytest

from agreements.models import Agreement
from conferences.models import Conference, Decision, Session
from tests.api_support import reference, stamp
from tests.conferences import conference_api
from tests.conferences.conference_api import LIST, detail, division_conference, slugs
from tests.factories import (
    AwardFactory,
    ConferenceFactory,
    DecisionFactory,
    DivisionFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SessionFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db

# The shared fixture, bound here so that pytest finds it (an import would trip ruff F811).
beijing = conference_api.beijing


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
        "is_published": True,
        "registration_url": "",
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
