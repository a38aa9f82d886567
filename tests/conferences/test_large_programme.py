"""A conference page with a large programme: compact, light, and as many queries as a small one."""

import datetime
import json
import re

import pytest

from conferences.models import Appearance, Session
from conferences.programme import COMPACT_FROM
from tests.conferences.pages import detail_url
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def programme(items: int):
    conference = ConferenceFactory(
        slug="big",
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 18),
    )
    topic = TopicFactory(name="Smart cities", slug="smart-cities")
    keynote = PersonFactory(name="Kim Keynote", slug="kim-keynote", job_title="Mayor")
    for n in range(items):
        session = SessionFactory(
            conference=conference,
            kind=Session.Kind.PARALLEL,
            title=f"Track {n}",
            description=f"About track {n}.",
            day=datetime.date(2025, 9, 15 + n % 4),
            start_time=datetime.time(9),
            end_time=datetime.time(10, 30),
            location=f"Room {n}",
            order=n,
        )
        session.topics.add(topic)
        AppearanceFactory(
            session=session,
            person=PersonFactory(name=f"Speaker {n}", slug=f"speaker-{n}"),
            role=Appearance.Role.SPEAKER,
            capacity=f"Director {n}",
        )
    first = conference.sessions.order_by("day", "order").first()
    AppearanceFactory(session=first, person=keynote, role=Appearance.Role.KEYNOTE)
    return conference


def test_large_programme_lists_every_item_compact(client):
    conference = programme(COMPACT_FROM)
    session = conference.sessions.get(title="Track 7")

    html = client.get(detail_url(conference)).content.decode()

    assert html.count('<li id="session-') == COMPACT_FROM
    item = html.split(f'<li id="session-{session.pk}">')[1].split("</li>")[0]
    assert f'<a href="sessions/{session.pk}/">Track 7</a>' in item
    assert '<a href="/people/speaker-7/">Speaker 7</a> (Speaker)' in item
    assert "Room 7" in item
    # Its description, topics and the speakers' affiliations are on the item's own page.
    assert "About track 7." not in item
    assert "Director 7" not in item
    assert "Smart cities" not in item


def test_large_programme_shows_keynotes_as_cards_and_links_to_everyone(client):
    conference = programme(COMPACT_FROM)

    html = client.get(detail_url(conference)).content.decode()

    speakers = html.split('id="speakers-heading"')[1].split("</section>")[0]
    assert ">Opening and keynote speakers</h2>" in speakers
    assert speakers.count('<li class="card">') == 1
    assert ">Kim Keynote</a></h3>" in speakers
    assert (
        f'<a href="/people/?conference={conference.slug}">'
        f"All {COMPACT_FROM + 1} people on the programme</a>"
    ) in speakers


def test_small_programme_shows_every_detail(client):
    conference = programme(3)
    session = conference.sessions.get(title="Track 1")

    html = client.get(detail_url(conference)).content.decode()

    assert f'<a href="{session.get_absolute_url()}">Track 1</a>' in html
    assert "About track 1." in html
    assert 'Speaker 1</a> — Speaker, <span class="muted">Director 1</span>' in html
    assert html.count('<li class="card">') == 4
    assert "people on the programme" not in html


def test_large_programme_json_ld_is_the_event_alone(client):
    conference = programme(COMPACT_FROM)

    html = client.get(detail_url(conference)).content.decode()

    data = json.loads(JSON_LD.search(html).group(1))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2025-09-15"
    assert "subEvent" not in data
    assert len(JSON_LD.search(html).group(1)) < 2_000


@pytest.mark.parametrize("items", [1, COMPACT_FROM])
def test_programme_query_count_does_not_grow_with_items(client, django_assert_num_queries, items):
    conference = programme(items)

    # 13 for a conference with participants, outcomes and agreements
    # (tests/conferences/test_conference_page.py); this one has none to read.
    with django_assert_num_queries(8):
        response = client.get(detail_url(conference))

    assert response.content.decode().count('<li id="session-') == items


def test_page_has_no_runs_of_indentation(client):
    html = client.get(detail_url(programme(COMPACT_FROM))).content.decode()

    assert not re.search(r"\n[ \t]", html)
