import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from agreements.models import Agreement
from agreements.sitemaps import AgreementSitemap
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    OrganisationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

FEED_URL = reverse("agreements:agreement-feed")
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def agreement_between(*names: str, **kwargs) -> Agreement:
    agreement = AgreementFactory(**kwargs)
    for order, name in enumerate(names):
        AgreementPartyFactory(
            agreement=agreement, organisation=OrganisationFactory(name=name), order=order
        )
    return agreement


def test_agreement_feed_is_atom_with_the_newest_signed_first(client):
    agreement_between("Park A", "Park B", title="Older", signed_on=datetime.date(2020, 3, 1))
    newest = agreement_between(
        "Park C",
        "Park D",
        title="Newest",
        signed_on=datetime.date(2025, 9, 19),
        summary="Joint labs.",
    )
    newest.topics.add(TopicFactory(name="Biotech"))
    agreement_between("Park E", "Park F", title="Middle", signed_on=datetime.date(2023, 1, 5))

    response = client.get(FEED_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find("atom:title", ATOM).text == "Agreements · Science Parks Portal"
    entries = feed.findall("atom:entry", ATOM)
    assert [entry.find("atom:title", ATOM).text for entry in entries] == [
        "Newest",
        "Middle",
        "Older",
    ]
    first = entries[0]
    assert (
        first.find("atom:link", ATOM).get("href") == f"http://testserver{newest.get_absolute_url()}"
    )
    assert first.find("atom:published", ATOM).text.startswith("2025-09-19T00:00:00")
    assert first.find("atom:summary", ATOM).text == (
        "Cooperation agreement between Park C and Park D.\n\nJoint labs."
    )
    assert first.find("atom:category", ATOM).get("term") == "Biotech"


def test_agreement_feed_leaves_out_drafts_and_non_public_agreements(client):
    agreement_between("Park A", "Park B", title="Public one")
    agreement_between("Park C", "Park D", title="Draft one", status="draft", signed_on=None)
    agreement_between("Park E", "Park F", title="Private one", is_public=False)

    feed = ET.fromstring(client.get(FEED_URL).content)

    titles = [entry.find("atom:title", ATOM).text for entry in feed.findall("atom:entry", ATOM)]
    assert titles == ["Public one"]


def test_agreement_feed_query_count_does_not_grow_with_the_entries(
    client, django_assert_num_queries
):
    for number in range(5):
        agreement = agreement_between(f"Park {number}a", f"Park {number}b")
        agreement.topics.add(TopicFactory())

    # Agreements with their conference, parties with organisations, topics.
    with django_assert_num_queries(3):
        client.get(FEED_URL)


def test_agreement_sitemap_lists_only_public_agreements():
    public = agreement_between("Park A", "Park B")
    agreement_between("Park C", "Park D", status="draft", signed_on=None)
    agreement_between("Park E", "Park F", is_public=False)

    sitemap = AgreementSitemap()

    assert [sitemap.location(item) for item in sitemap.items()] == [public.get_absolute_url()]
    assert sitemap.lastmod(public) == public.modified
