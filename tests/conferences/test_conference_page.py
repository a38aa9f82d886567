"""A conference's page: programme, speakers, hosts, outcomes, agreements, JSON-LD, queries."""

import datetime
import json
import re

import factory
import pytest
from django.urls import reverse

from conferences.models import Appearance, Conference, ConferenceHost, Session
from tests.conferences.pages import detail_url, page_body
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

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def beijing():
    """The 42nd World Conference, Beijing, 15–19 September 2025, with part of its programme."""
    conference = ConferenceFactory(
        edition=42,
        title="IASP 2025 Beijing",
        slug="iasp-2025-beijing",
        theme="AI and the future of innovation ecosystems",
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 19),
        city="Beijing",
        country="CN",
        venue="China National Convention Center",
        time_zone="Asia/Shanghai",
        participant_count=1500,
        participant_count_is_minimum=True,
    )
    host = OrganisationFactory(name="Zhongguancun Science Park", country="CN", city="Beijing")
    ConferenceHostFactory(conference=conference, organisation=host)
    visit = SessionFactory(
        conference=conference,
        kind=Session.Kind.TECHNICAL_VISIT,
        title="Visit to the Zhongguancun innovation hub",
        day=datetime.date(2025, 9, 15),
        start_time=None,
        end_time=None,
    )
    visit.organisations_visited.add(host)
    opening = SessionFactory(
        conference=conference,
        kind=Session.Kind.OPENING,
        title="Opening ceremony",
        day=datetime.date(2025, 9, 16),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        location="Main hall",
    )
    president = PersonFactory(name="Jane Example")
    AppearanceFactory(
        session=opening,
        person=president,
        role=Appearance.Role.OPENING_ADDRESS,
        capacity="President, IASP",
    )
    plenary = SessionFactory(
        conference=conference,
        title="AI in science parks",
        day=datetime.date(2025, 9, 17),
        start_time=datetime.time(11, 0),
        end_time=datetime.time(12, 30),
    )
    AppearanceFactory(
        session=plenary, person=PersonFactory(name="Li Example"), role=Appearance.Role.KEYNOTE
    )
    AppearanceFactory(session=plenary, person=president, role=Appearance.Role.MODERATOR)
    return conference


def test_detail_beijing_shows_edition_dates_and_place(client, beijing):
    response = client.get(detail_url(beijing))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>IASP 2025 Beijing</h1>" in html
    assert "42nd World Conference" in html
    assert "15–19 September 2025" in html
    assert "China National Convention Center" in html
    assert "Asia/Shanghai (UTC+08:00)" in html
    assert "more than 1,500" in html
    assert html.count("<h1") == 1


def test_detail_programme_items_fall_under_their_day(client, beijing):
    html = page_body(client.get(detail_url(beijing)))

    monday = html.index("Monday 15 September 2025")
    tuesday = html.index("Tuesday 16 September 2025")
    wednesday = html.index("Wednesday 17 September 2025")
    assert monday < html.index("Visit to the Zhongguancun innovation hub") < tuesday
    assert tuesday < html.index("Opening ceremony</a></h4>") < wednesday
    assert wednesday < html.index("AI in science parks")
    assert "All day" in html
    assert "09:00–10:00" in html
    assert "11:00–12:30" in html


def test_detail_programme_items_have_anchors_for_their_urls(client, beijing):
    html = client.get(detail_url(beijing)).content.decode()

    for session in beijing.sessions.all():
        # Older links point to the anchors; the title links to the session's own page.
        assert f'id="session-{session.pk}"' in html
        assert (
            session.get_absolute_url() == f"/conferences/iasp-2025-beijing/sessions/{session.pk}/"
        )
        assert f'<a href="{session.get_absolute_url()}">{session.title}</a>' in html


def test_detail_shows_speakers_with_roles_and_visited_organisations(client, beijing):
    html = client.get(detail_url(beijing)).content.decode()

    assert 'Jane Example</a> — Opening address, <span class="muted">President, IASP' in html
    assert "Li Example</a> — Keynote" in html
    assert "Visiting:" in html
    assert 'href="/organisations/' in html


def test_detail_lists_each_speaker_once_with_all_roles(client, beijing):
    html = client.get(detail_url(beijing)).content.decode()
    speakers = html[html.index('id="speakers-heading"') :]

    assert speakers.count(">Jane Example</a></h3>") == 1
    assert "Opening address, Moderator" in speakers


def test_detail_speaker_photo_has_size_alt_and_lazy_loading(client):
    conference = ConferenceFactory()
    person = PersonFactory(name="Ana Photo", photo=factory.django.ImageField(width=80, height=80))
    AppearanceFactory(session=SessionFactory(conference=conference), person=person)

    html = client.get(detail_url(conference)).content.decode()

    image = re.search(r"<img class=\"avatar\"[^>]*>", html).group(0)
    assert 'width="64"' in image
    assert 'height="64"' in image
    assert 'loading="lazy"' in image
    assert 'alt="Photo of Ana Photo"' in image


def test_detail_shows_hosts_with_roles_division_and_topics(client):
    division = DivisionFactory(name="Asia Pacific")
    conference = ConferenceFactory(
        kind=Conference.Kind.DIVISION, division=division, edition=7, title="APD 2024"
    )
    ConferenceHostFactory(
        conference=conference,
        organisation=OrganisationFactory(name="Daejeon Park"),
        role=ConferenceHost.Role.CO_HOST,
    )
    conference.topics.add(TopicFactory(name="Artificial intelligence", slug="ai"))

    html = client.get(detail_url(conference)).content.decode()

    assert "7th Asia Pacific Conference" in html
    assert 'Daejeon Park</a> <span class="muted">(Co-host)</span>' in html
    assert f'href="{division.get_absolute_url()}"' in html
    assert 'href="/topics/ai/"' in html


def test_detail_shows_outcomes(client, beijing):
    next_conference = ConferenceFactory(edition=43, title="IASP 2026 Dhahran", slug="dhahran")
    DecisionFactory(
        conference=beijing,
        title="Host of the 2026 conference",
        host_city="Dhahran",
        host_country="SA",
        host_year=2026,
        host_organisation=OrganisationFactory(name="Dhahran Techno Valley", country="SA"),
        resulting_conference=next_conference,
    )
    AwardFactory(conference=beijing, name="Inspiring Solutions Award")
    AwardFactory(
        conference=beijing,
        name="Presidential Medal",
        recipient_person=PersonFactory(name="Medal Winner"),
    )
    QuoteFactory(conference=beijing, person=PersonFactory(name="Quoted Person"), text="Together.")

    html = client.get(detail_url(beijing)).content.decode()

    assert "Next host: Dhahran, Saudi Arabia, in 2026." in html
    assert "Dhahran Techno Valley</a>" in html
    assert (
        f'The conference that followed: <a href="{detail_url(next_conference)}">IASP 2026 Dhahran'
        in html
    )
    assert "Inspiring Solutions Award" in html
    assert "Recipient not recorded" in html
    assert "Medal Winner</a>" in html
    assert re.search(r"<blockquote>\s*<p>Together.</p>\s*<footer>— <a [^>]*>Quoted Person", html)


def test_detail_lists_only_public_agreements_with_parties(client, beijing):
    public = bilateral_agreement(signed_at_conference=beijing, title="Beijing–Lisbon MoU")
    bilateral_agreement(signed_at_conference=beijing, title="Hidden deal", is_public=False)
    bilateral_agreement(
        signed_at_conference=beijing, title="Draft deal", status="draft", signed_on=None
    )

    html = client.get(detail_url(beijing)).content.decode()

    assert "Beijing–Lisbon MoU" in html
    assert "Hidden deal" not in html
    assert "Draft deal" not in html
    for party in public.parties.all():
        assert party.organisation.name in html


def test_detail_shows_report_and_no_calendar_button_once_held(client, beijing):
    beijing.report = "A record attendance."
    beijing.save()

    html = client.get(detail_url(beijing)).content.decode()

    assert "Post-event report" in html
    assert "A record attendance." in html
    assert "Add to your calendar" not in html
    assert 'href="/conferences/iasp-2025-beijing/calendar.ics"' not in html


def test_detail_json_ld_is_the_event_without_its_programme(client, beijing):
    html = client.get(detail_url(beijing)).content.decode()

    data = json.loads(JSON_LD.search(html).group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "IASP 2025 Beijing"
    assert data["startDate"] == "2025-09-15"
    assert data["endDate"] == "2025-09-19"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressLocality": "Beijing",
    }
    assert data["organizer"][0]["name"] == "Zhongguancun Science Park"
    # Each programme item is an Event on its own page, part of this one (superEvent).
    assert "subEvent" not in data


def test_detail_has_open_graph_meta(client, beijing):
    html = client.get(detail_url(beijing)).content.decode()

    assert '<meta property="og:title" content="IASP 2025 Beijing">' in html
    assert "15–19 September 2025, Beijing, China." in html


def test_detail_unknown_slug_is_not_found(client):
    response = client.get(reverse("conferences:conference-detail", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404


def test_detail_without_programme_says_so(client):
    conference = ConferenceFactory(status=Conference.Status.PLANNED)

    html = client.get(detail_url(conference)).content.decode()

    assert "The programme has not been published yet." in html
    assert "subEvent" not in html


def rich_conference(count: int) -> Conference:
    """A conference with `count` of everything the detail page shows."""
    conference = ConferenceFactory(edition=100, slug="rich")
    for edition, year in ((99, 2024), (101, 2026)):
        day = datetime.date(year, 9, 1)
        ConferenceFactory(edition=edition, start_date=day, end_date=day)
    conference.topics.add(*TopicFactory.create_batch(count))
    conference.participating_organisations.add(*OrganisationFactory.create_batch(count))
    for n in range(count):
        ConferenceHostFactory(conference=conference)
        session = SessionFactory(conference=conference)
        session.topics.add(TopicFactory())
        session.organisations_visited.add(OrganisationFactory())
        for _m in range(count):
            AppearanceFactory(
                session=session,
                person=PersonFactory(photo=factory.django.ImageField(width=8, height=8)),
            )
        DecisionFactory(
            conference=conference,
            host_organisation=OrganisationFactory(),
            resulting_conference=ConferenceFactory(
                kind=Conference.Kind.OTHER, edition=None, slug=f"resulting-{n}"
            ),
        )
        AwardFactory(conference=conference, recipient_organisation=OrganisationFactory())
        QuoteFactory(conference=conference, session=session)
        agreement = bilateral_agreement(signed_at_conference=conference)
        AgreementPartyFactory(agreement=agreement)
    return conference


@pytest.mark.parametrize("count", [1, 4])
def test_detail_query_count_is_fixed(client, django_assert_num_queries, count):
    conference = rich_conference(count)

    # The neighbouring editions and what their links show: one query (Conference.editions).
    with django_assert_num_queries(14):
        response = client.get(detail_url(conference))

    html = response.content.decode()
    assert html.count('<img class="avatar"') == count * count
    assert html.count("<blockquote>") == count


def test_detail_of_a_conference_without_outcomes_reads_none(client, django_assert_num_queries):
    rich_conference(2)  # another conference's outcomes are not this one's
    upcoming = ConferenceFactory(slug="upcoming", title="Upcoming Conference")
    bilateral_agreement(signed_at_conference=upcoming, is_public=False)

    # conference, hosts, topics, the programme (four), the editions around it; and the
    # agreements, asked for since a draft was signed there, and found none public.
    with django_assert_num_queries(9):
        html = client.get(detail_url(upcoming)).content.decode()

    assert "Upcoming Conference" in html
    for section in ("participants", "decisions", "awards", "quotes", "agreements"):
        assert f'id="{section}-heading"' not in html


def test_detail_lists_the_organisations_taking_part(client):
    conference = ConferenceFactory()
    conference.participating_organisations.add(
        OrganisationFactory(name="Thailand Science Park", country="TH"),
        OrganisationFactory(name="Andhra Pradesh MedTech Zone", short_name="AMTZ", country="IN"),
    )
    html = client.get(detail_url(conference)).content.decode()
    section = html.split('id="participants-heading"')[1].split("</section>")[0]
    assert 'Andhra Pradesh MedTech Zone (AMTZ)</a> <span class="muted">(India)</span>' in section
    assert section.index("Andhra Pradesh") < section.index("Thailand Science Park")
