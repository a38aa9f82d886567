"""What every members page shares (one h1, alt text, no inline code), and the sitemaps."""

import re

import pytest
from django.urls import reverse

from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap
from tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from tests.members.pages import png, zstip_and_fengtai

pytestmark = pytest.mark.django_db


# Every page: one h1, alt text on every image


@pytest.mark.parametrize(
    "page",
    ["organisation-list", "person-list", "division-list", "topic-list", "details"],
)
def test_pages_have_one_h1_and_alt_text_on_every_image(client, page):
    zstip, _fengtai, _agreement = zstip_and_fengtai()
    zstip.logo.save("logo.png", png(300, 150))
    zstip.topics.add(TopicFactory())
    person = PersonFactory(affiliation=zstip)
    person.photo.save("photo.png", png(100, 100))
    urls = (
        [reverse(f"members:{page}")]
        if page != "details"
        else [
            zstip.get_absolute_url(),
            person.get_absolute_url(),
            zstip.division.get_absolute_url(),
            zstip.topics.get().get_absolute_url(),
        ]
    )

    for url in urls:
        content = client.get(url).content.decode()
        assert content.count("<h1") == 1, url
        for image in re.findall(r"<img [^>]*>", content):
            assert re.search(r' alt="[^"]*"', image), image
        assert " style=" not in content, url
        assert "<script>" not in content, url


# Sitemaps


def test_sitemaps_list_every_profile():
    park = OrganisationFactory()
    person = PersonFactory(affiliation=park)
    topic = TopicFactory()

    assert [item.get_absolute_url() for item in OrganisationSitemap().items()] == [
        park.get_absolute_url()
    ]
    assert list(PersonSitemap().items()) == [person]
    assert list(DivisionSitemap().items()) == [park.division]
    assert list(TopicSitemap().items()) == [topic]
    assert OrganisationSitemap().lastmod(park) == park.modified
