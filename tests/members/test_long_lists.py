"""Topic and division pages list the first few of each kind, with counts and links to the
full lists."""

import re

import pytest

from portal import selectors
from tests.factories import (
    AgreementFactory,
    ConferenceFactory,
    DivisionFactory,
    SessionFactory,
    TopicFactory,
)
from tests.members.pages import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_of_two(monkeypatch):
    monkeypatch.setattr(selectors, "TOPIC_PAGE_LIMIT", 2)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_topic_page_cuts_long_lists_and_links_to_the_full_ones(client, limit_of_two):
    health = TopicFactory(name="Health", slug="health")
    for name in ("Alpha Park", "Beta Park", "Gamma Park"):
        member(name=name).topics.add(health)
    for year in (2023, 2024, 2025):
        ConferenceFactory(
            title=f"Health Forum {year}", start_date=f"{year}-03-01", end_date=f"{year}-03-02"
        ).topics.add(health)
    for number in range(3):
        SessionFactory(title=f"Clinic {number}").topics.add(health)
    for day in (1, 2, 3):
        AgreementFactory(title=f"Health pact {day}", signed_on=f"2025-01-0{day}").topics.add(health)
    AgreementFactory(title="Hidden pact", is_public=False).topics.add(health)

    content = text(client.get(health.get_absolute_url()).content.decode())

    assert "Organisations (3)" in content
    assert "Alpha Park" in content and "Beta Park" in content and "Gamma Park" not in content
    assert "The first of 3 organisations, by name. See all 3 members in the directory" in content
    assert "Health Forum 2025" in content and "Health Forum 2023" not in content
    assert "See all 3 conferences" in content
    assert "Sessions (3)" in content
    assert "The latest of 3 sessions" in content
    assert "Agreements (3)" in content
    assert "Health pact 3" in content and "Health pact 1" not in content
    assert "See all 3 agreements" in content
    html = client.get(health.get_absolute_url()).content.decode()
    assert 'href="/agreements/?topic=health"' in html
    assert 'href="/conferences/?topic=health"' in html
    assert 'href="/members/?topic=health"' in html


def test_topic_page_without_more_to_see_has_no_links(client):
    health = TopicFactory(name="Health", slug="health")
    member(name="Alpha Park").topics.add(health)

    content = text(client.get(health.get_absolute_url()).content.decode())

    assert "Organisations (1)" in content
    assert "See all" not in content


def test_division_page_cuts_its_member_list_and_links_to_the_directory(client, monkeypatch):
    monkeypatch.setattr(selectors, "DIVISION_PAGE_LIMIT", 2)
    europe = DivisionFactory(name="Europe", slug="europe")
    for name in ("Alpha Park", "Beta Park", "Gamma Park"):
        member(name=name, division=europe)

    response = client.get(europe.get_absolute_url())

    content = text(response.content.decode())
    assert "Members (3)" in content
    assert "Beta Park" in content and "Gamma Park" not in content
    assert "See all 3 members in the directory" in content
    assert 'href="/members/?division=europe"' in response.content.decode()
