import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from conferences.sitemaps import ConferenceSitemap
from tests.factories import ConferenceFactory, TopicFactory

pytestmark = pytest.mark.django_db

FEED_URL = reverse("conferences:conference-feed")
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def conference_in(year: int, **kwargs):
    return ConferenceFactory(
        start_date=datetime.date(year, 9, 15), end_date=datetime.date(year, 9, 19), **kwargs
    )


def test_feed_is_atom_listing_conferences_newest_first(client):
    conference_in(2023, title="IASP 2023 Barcelona", slug="barcelona")
    conference_in(2025, title="IASP 2025 Beijing", slug="beijing", theme="AI ecosystems")
    conference_in(2024, title="IASP 2024 Nairobi", slug="nairobi")

    response = client.get(FEED_URL)

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.find("atom:title", ATOM).text == "Conferences"
    titles = [entry.find("atom:title", ATOM).text for entry in root.findall("atom:entry", ATOM)]
    assert titles == ["IASP 2025 Beijing", "IASP 2024 Nairobi", "IASP 2023 Barcelona"]


def test_feed_entries_have_link_dates_and_description(client):
    conference = conference_in(2025, edition=42, slug="beijing", theme="AI ecosystems")
    conference.topics.add(TopicFactory(name="Artificial intelligence"))

    root = ET.fromstring(client.get(FEED_URL).content)

    entry = root.find("atom:entry", ATOM)
    assert entry.find("atom:link", ATOM).get("href") == "http://testserver/conferences/beijing/"
    assert entry.find("atom:updated", ATOM).text
    assert entry.find("atom:published", ATOM).text
    summary = entry.find("atom:summary", ATOM).text
    assert "42nd World Conference · 15–19 September 2025 · Beijing, China" in summary
    assert "<p>AI ecosystems</p>" in summary
    terms = [category.get("term") for category in entry.findall("atom:category", ATOM)]
    assert terms == ["World conference", "Artificial intelligence"]


def test_feed_summary_escapes_text(client):
    conference_in(2025, theme="Parks <and> cities & regions")

    summary = ET.fromstring(client.get(FEED_URL).content).find("atom:entry/atom:summary", ATOM)

    assert "<p>Parks &lt;and&gt; cities &amp; regions</p>" in summary.text


@pytest.mark.parametrize("count", [1, 6])
def test_feed_query_count_is_fixed(client, django_assert_num_queries, count):
    for number in range(count):
        conference_in(2000 + number, slug=f"c-{number}").topics.add(TopicFactory())

    with django_assert_num_queries(2):
        response = client.get(FEED_URL)

    assert len(ET.fromstring(response.content).findall("atom:entry", ATOM)) == count


def test_sitemap_lists_conference_pages():
    conference = conference_in(2025, slug="beijing")

    sitemap = ConferenceSitemap()

    assert [sitemap.location(item) for item in sitemap.items()] == ["/conferences/beijing/"]
    assert sitemap.lastmod(conference) == conference.modified
