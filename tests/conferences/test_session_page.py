"""A session's own page: when, where, who, what about; drafts for staff only; queries."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import factory
import pytest
from django.utils import timezone

from conferences.models import Appearance, Conference, Session
from tests.conferences.pages import detail_url, page_body
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def conference():
    return ConferenceFactory(
        title="IASP 2025 Beijing",
        slug="iasp-2025-beijing",
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 19),
        city="Beijing",
        country="CN",
        venue="CNCC",
        time_zone="Asia/Shanghai",
    )


@pytest.fixture
def programme(conference):
    """Three items of one day, out of order in the database."""
    day = datetime.date(2025, 9, 16)
    plenary = SessionFactory(
        conference=conference,
        title="AI in science parks",
        day=day,
        start_time=datetime.time(11, 0),
        end_time=datetime.time(12, 30),
    )
    opening = SessionFactory(
        conference=conference,
        kind=Session.Kind.OPENING,
        title="Opening ceremony",
        description="Welcome by the hosts.",
        day=day,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
        location="Main hall",
    )
    visit = SessionFactory(
        conference=conference,
        kind=Session.Kind.TECHNICAL_VISIT,
        title="Visit to the innovation hub",
        day=day,
        start_time=None,
        end_time=None,
    )
    return visit, opening, plenary


def test_session_page_shows_time_in_the_conference_zone_place_and_kind(client, programme):
    _visit, opening, _plenary = programme

    html = page_body(client.get(opening.get_absolute_url()))

    assert "<h1>Opening ceremony</h1>" in html
    assert '<p class="kicker">Opening ceremony</p>' in html
    assert (
        '<time datetime="2025-09-16">Tuesday 16 September 2025</time>, '
        '<time datetime="2025-09-16T09:00:00+08:00">09:00–10:30</time>'
    ) in html
    assert "local time, Asia/Shanghai, UTC+08:00" in html
    assert "<dd>Main hall, CNCC, Beijing, China</dd>" in html
    assert "Welcome by the hosts." in html
    assert 'Part of <a href="/conferences/iasp-2025-beijing/">IASP 2025 Beijing</a>' in html


def test_session_page_lists_speakers_with_photos_roles_and_capacity(client, programme):
    _visit, opening, _plenary = programme
    AppearanceFactory(
        session=opening,
        person=PersonFactory(
            name="Jane Example", photo=factory.django.ImageField(width=80, height=80)
        ),
        role=Appearance.Role.KEYNOTE,
        capacity="President, IASP",
    )
    AppearanceFactory(
        session=opening,
        person=PersonFactory(name="Li Example", job_title="Director", affiliation=None),
        role=Appearance.Role.MODERATOR,
    )

    html = page_body(client.get(opening.get_absolute_url()))

    speakers = html[html.index('id="speakers-heading"') :]
    image = re.search(r'<img class="avatar"[^>]*>', speakers).group(0)
    assert 'alt="Photo of Jane Example"' in image
    assert 'width="96"' in image
    assert speakers.index(">Jane Example</a>") < speakers.index("<strong>Keynote</strong>")
    assert "President, IASP" in speakers
    assert "<strong>Moderator</strong>" in speakers
    assert '<p class="card__meta">Director</p>' in speakers
    assert speakers.count('<img class="avatar"') == 1


def test_session_page_shows_topics_and_the_organisations_visited(client, programme):
    visit, _opening, _plenary = programme
    visit.topics.add(TopicFactory(name="Energy efficiency", slug="energy-efficiency"))
    visit.organisations_visited.add(
        OrganisationFactory(name="Zhongguancun Science Park", slug="zgc", country="CN")
    )

    html = page_body(client.get(visit.get_absolute_url()))

    assert '<a href="/topics/energy-efficiency/"><span class="badge">Energy efficiency' in html
    visited = html[html.index('id="visited-heading"') :]
    assert '<a href="/organisations/zgc/">Zhongguancun Science Park</a>' in visited
    assert '<time datetime="2025-09-16">Tuesday 16 September 2025</time>, All day' in html


def test_session_page_links_the_previous_and_next_items_of_the_programme(client, programme):
    visit, opening, plenary = programme

    html = page_body(client.get(opening.get_absolute_url()))

    nav = html[html.index('id="programme-nav-heading"') :]
    assert f'<a href="{visit.get_absolute_url()}" rel="prev">{visit.title}</a>' in nav
    assert f'<a href="{plenary.get_absolute_url()}" rel="next">{plenary.title}</a>' in nav
    assert f'href="/conferences/iasp-2025-beijing/#session-{opening.pk}"' in nav


def test_session_page_of_the_first_item_has_no_previous_one(client, programme):
    visit, opening, _plenary = programme

    html = page_body(client.get(visit.get_absolute_url()))

    assert 'rel="prev"' not in html.split('id="programme-nav-heading"')[1]
    assert f'<a href="{opening.get_absolute_url()}" rel="next">' in html


def test_session_page_skips_held_back_sessions_as_neighbours(client, programme):
    visit, opening, plenary = programme
    opening.is_published = False
    opening.save()

    html = page_body(client.get(visit.get_absolute_url()))

    assert f'<a href="{plenary.get_absolute_url()}" rel="next">' in html
    assert "Opening ceremony" not in html


def test_session_page_is_linked_from_the_conference_programme(client, conference, programme):
    html = page_body(client.get(detail_url(conference)))

    for session in programme:
        assert f'<a href="{session.get_absolute_url()}">{session.title}</a>' in html


def test_session_page_json_ld_is_an_event_within_the_conference(client, programme):
    _visit, opening, _plenary = programme
    AppearanceFactory(session=opening, person=PersonFactory(name="Jane Example", slug="jane"))

    data = json.loads(JSON_LD.search(client.get(opening.get_absolute_url()).content.decode())[1])

    assert data["@type"] == "Event"
    assert data["name"] == "Opening ceremony"
    assert data["url"] == f"http://testserver{opening.get_absolute_url()}"
    assert data["startDate"] == "2025-09-16T09:00:00+08:00"
    assert data["endDate"] == "2025-09-16T10:30:00+08:00"
    assert data["location"]["name"] == "Main hall, CNCC"
    assert data["performer"] == [
        {"@type": "Person", "name": "Jane Example", "url": "http://testserver/people/jane/"}
    ]
    assert data["superEvent"]["url"] == "http://testserver/conferences/iasp-2025-beijing/"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_session_page_of_another_conference_is_not_found(client, programme):
    _visit, opening, _plenary = programme
    other = ConferenceFactory(slug="other")

    response = client.get(f"/conferences/{other.slug}/sessions/{opening.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("draft", ["session", "conference"])
def test_session_page_of_a_draft_is_not_found_for_visitors(client, programme, draft):
    _visit, opening, _plenary = programme
    record = opening if draft == "session" else opening.conference
    record.is_published = False
    record.save()

    response = client.get(opening.get_absolute_url())

    assert response.status_code == 404
    assert "Opening ceremony" not in response.content.decode()


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        ("session", "This session is held back from the programme"),
        ("conference", "The conference is a draft"),
    ],
)
def test_session_page_of_a_draft_is_a_marked_preview_for_staff(
    staff_client, programme, draft, reason
):
    _visit, opening, _plenary = programme
    record = opening if draft == "session" else opening.conference
    record.is_published = False
    record.save()

    response = staff_client.get(opening.get_absolute_url())

    html = response.content.decode()
    assert "<strong>Draft — not public</strong>" in html
    assert reason in html
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html
    assert "<h1>Opening ceremony</h1>" in html


def test_session_page_of_a_published_session_has_no_draft_banner(staff_client, programme):
    _visit, opening, _plenary = programme

    html = staff_client.get(opening.get_absolute_url()).content.decode()

    assert "Draft — not public" not in html
    assert "noindex" not in html


def test_session_page_offers_registration_while_it_is_open(client):
    start = timezone.localdate() + datetime.timedelta(days=30)
    conference = ConferenceFactory(
        title="Coming World Conference",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        status=Conference.Status.REGISTRATION_OPEN,
        registration_url="https://example.org/register",
    )
    session = SessionFactory(conference=conference)

    html = page_body(client.get(session.get_absolute_url()))

    assert (
        '<a class="button button--register" href="https://example.org/register" rel="external">'
        "Register"
    ) in html


def test_session_page_of_a_past_conference_offers_no_registration(client, programme):
    _visit, opening, _plenary = programme
    opening.conference.status = Conference.Status.REGISTRATION_OPEN
    opening.conference.registration_url = "https://example.org/register"
    opening.conference.save()

    html = page_body(client.get(opening.get_absolute_url()))

    assert "https://example.org/register" not in html


def test_sitemap_lists_published_sessions_only(client, programme):
    visit, opening, _plenary = programme
    opening.is_published = False
    opening.save()
    draft = SessionFactory(conference=ConferenceFactory(is_published=False, slug="draft"))

    tree = ET.fromstring(client.get("/sitemap.xml").content)

    urls = {loc.text for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)}
    assert f"http://testserver{visit.get_absolute_url()}" in urls
    assert f"http://testserver{opening.get_absolute_url()}" not in urls
    assert f"http://testserver{draft.get_absolute_url()}" not in urls


@pytest.mark.parametrize("count", [1, 6])
def test_session_page_query_count_is_fixed(client, conference, django_assert_num_queries, count):
    session = SessionFactory(conference=conference)
    SessionFactory.create_batch(count, conference=conference)
    session.topics.add(*TopicFactory.create_batch(count))
    session.organisations_visited.add(*OrganisationFactory.create_batch(count))
    for _n in range(count):
        AppearanceFactory(
            session=session,
            person=PersonFactory(photo=factory.django.ImageField(width=8, height=8)),
        )

    # The session with its conference; speakers with affiliations; topics; organisations
    # visited; the programme around it.
    with django_assert_num_queries(5):
        response = client.get(session.get_absolute_url())

    html = page_body(response)
    assert html.count('<img class="avatar"') == count
    assert html.count('rel="next"') == 1
