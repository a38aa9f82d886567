"""/api/v1/conferences/: expansions, and the query budgets of the list and the detail."""

import csv
import io

import pytest
from icalendar import Calendar

from conferences.models import Conference, ConferenceHost
from core import aggregates
from portal.tasks import refresh_aggregates
from tests.conferences import conference_api
from tests.conferences.conference_api import LIST, detail, division_conference
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

# The shared fixture, bound here so that pytest finds it (an import would trip ruff F811).
beijing = conference_api.beijing


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
        # + the divisions' kept counts, the divisions
        ("?expand=division", 6),
        # + the hosts' organisations and their topics (written from rows, the host links are
        # read once for both)
        ("?expand=hosts", 6),
        # + topics with their counts
        ("?expand=topics", 5),
        ("?expand=division,hosts,topics", 10),
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
    refresh_aggregates.call(changed_at=aggregates.clock())

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
        # conference, hosts, topics, participants, sessions, decisions, awards, quotes,
        # agreements, the editions around it
        ("", 10),
        # + the divisions' kept counts, the division, hosts, their organisations, topics
        ("?expand=division,hosts,topics", 15),
        # conference, sessions with their speakers
        ("?format=ics", 3),
    ],
)
def test_detail_query_budget(api_client, django_assert_num_queries, count, query, queries):
    busy_conference(count)
    refresh_aggregates.call(changed_at=aggregates.clock())

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


# conference, hosts, topics, sessions, the editions around it; a token is read and its use
# written.
@pytest.mark.parametrize(("client", "queries"), [("api_client", 5), ("staff_api_client", 7)])
def test_detail_of_a_conference_without_outcomes_reads_none(
    request, django_assert_num_queries, client, queries
):
    # An upcoming conference: no participants, decisions, awards, quotes or agreements yet.
    # Another conference's outcomes are not this one's.
    busy_conference(2)
    ConferenceFactory(slug="upcoming")
    client = request.getfixturevalue(client)

    with django_assert_num_queries(queries):
        data = client.get(detail("upcoming")).json()

    for name in ("participating_organisations", "decisions", "awards", "quotes", "agreements"):
        assert data[name] == [], name


def test_detail_shows_only_public_agreements_of_a_conference_with_drafts(api_client):
    conference = ConferenceFactory(slug="drafts-only")
    bilateral_agreement(signed_at_conference=conference, is_public=False)

    data = api_client.get(detail("drafts-only")).json()

    assert data["agreements"] == []


def test_write_answer_shows_the_outcomes(staff_api_client):
    conference = busy_conference(1)

    response = staff_api_client.patch(detail("busy"), {"theme": "Open labs"}, format="json")

    assert response.status_code == 200
    data = response.json()
    assert data["theme"] == "Open labs"
    assert len(data["decisions"]) == len(data["quotes"]) == 1
    assert len(data["awards"]) == 2
    assert [row["slug"] for row in data["agreements"]] == [
        agreement.slug for agreement in conference.agreements.all()
    ]
