import datetime
import re

import pytest
from django.core.management import call_command

from agreements.models import Agreement
from members.models import Membership, Organisation
from portal.suggestions import partner_suggestions
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db

ZSTIP = "zsambek-future-industry-science-and-innovation-park"
FENGTAI = "zhongguancun-fengtai-science-park"


def member(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation)
    return organisation


def tagged(organisation: Organisation, *topics) -> Organisation:
    organisation.topics.add(*topics)
    return organisation


def with_topics(organisation: Organisation) -> Organisation:
    """The organisation as the profile reads it: its topics prefetched."""
    return Organisation.objects.prefetch_related("topics").get(pk=organisation.pk)


def suggested(organisation: Organisation) -> list[str]:
    return [
        suggestion.organisation.name
        for suggestion in partner_suggestions(organisation=with_topics(organisation))
    ]


def partners_section(response) -> str:
    """The "Possible partners" section of a profile, or "" when the page has none."""
    found = re.search(
        r'<section aria-labelledby="partners-heading">(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    return found.group(1) if found else ""


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


# The demo data


def test_partner_suggestions_for_zstip_exclude_fengtai_because_of_their_agreement(demo):
    zstip = Organisation.objects.get(slug=ZSTIP)
    fengtai = Organisation.objects.get(slug=FENGTAI)
    # Make Fengtai the best possible match: a current member sharing every topic of ZSTIP.
    # Only the agreement signed in Beijing stands in the way.
    MembershipFactory(organisation=fengtai)
    fengtai.topics.add(*zstip.topics.all())

    assert fengtai.name not in suggested(zstip)

    Agreement.objects.filter(parties__organisation=fengtai).delete()
    assert suggested(zstip)[0] == fengtai.name


def test_partner_suggestions_for_zstip_on_its_demo_profile(demo, client):
    response = client.get(f"/organisations/{ZSTIP}/")

    section = partners_section(response)
    names = re.findall(r'<h3><a href="/organisations/[^"]+/">([^<]+)</a></h3>', section)
    assert names == [
        "Coventry Science Park",
        "Parque Tecnológico São José dos Campos",
        "Science Park Ulm",
        "Latvian Technology Center",
        "Linköping Science Park",
    ]
    assert "Shares energy efficiency and new materials" in section
    assert "Shares energy efficiency and intelligent transportation" in section
    assert "Zhongguancun Fengtai Science Park" not in section


# Who is suggested


def test_partner_suggestions_are_current_members_sharing_a_topic():
    topic, other_topic = TopicFactory(), TopicFactory()
    park = tagged(member(name="Home Park"), topic)
    tagged(member(name="Sharing Member"), topic)
    tagged(member(name="Member On Another Topic"), other_topic)
    tagged(OrganisationFactory(name="Never A Member"), topic)
    lapsed = tagged(OrganisationFactory(name="Lapsed Member"), topic)
    MembershipFactory(
        organisation=lapsed,
        status=Membership.Status.LAPSED,
        started_on=datetime.date(2018, 1, 1),
        ended_on=datetime.date(2022, 12, 31),
    )
    pending = tagged(OrganisationFactory(name="Pending Member"), topic)
    MembershipFactory(organisation=pending, status=Membership.Status.PENDING)

    assert suggested(park) == ["Sharing Member"]


def test_partner_suggestions_never_include_the_organisation_itself():
    topic = TopicFactory()
    park = tagged(member(name="Home Park"), topic)

    assert suggested(park) == []


def test_partner_suggestions_exclude_any_agreement_between_the_two_published_or_not():
    topic = TopicFactory()
    park = tagged(member(name="Home Park"), topic)
    signed = tagged(member(name="Signed Partner"), topic)
    draft = tagged(member(name="Draft Partner"), topic)
    unpublished = tagged(member(name="Unpublished Partner"), topic)
    tagged(member(name="New Contact"), topic)
    agreement_between(park, signed)
    agreement_between(draft, park, status=Agreement.Status.DRAFT, signed_on=None)
    agreement_between(park, unpublished, OrganisationFactory(), is_public=False)

    assert suggested(park) == ["New Contact"]


def test_partner_suggestions_keep_parks_whose_agreements_are_with_others():
    topic = TopicFactory()
    park = tagged(member(name="Home Park"), topic)
    busy = tagged(member(name="Busy Park"), topic)
    agreement_between(busy, OrganisationFactory())
    agreement_between(park, OrganisationFactory())

    assert suggested(park) == ["Busy Park"]


def test_partner_suggestions_none_for_an_organisation_without_topics(django_assert_num_queries):
    member(name="Home Park")
    park = with_topics(Organisation.objects.get(name="Home Park"))
    tagged(member(name="Tagged Member"), TopicFactory())

    with django_assert_num_queries(0):
        assert partner_suggestions(organisation=park) == []


def test_partner_suggestions_for_a_non_member_are_members():
    topic = TopicFactory()
    visited = tagged(OrganisationFactory(name="Visited Lab"), topic)
    tagged(member(name="Member Park"), topic)
    tagged(OrganisationFactory(name="Other Lab"), topic)

    assert suggested(visited) == ["Member Park"]


# Order


def test_partner_suggestions_ranked_by_number_of_shared_topics():
    a, b, c = TopicFactory(), TopicFactory(), TopicFactory()
    park = tagged(member(name="Home Park"), a, b, c)
    tagged(member(name="Aardvark One Topic"), a, TopicFactory())
    tagged(member(name="Zebra Three Topics"), a, b, c)
    tagged(member(name="Middle Two Topics"), b, c, TopicFactory(), TopicFactory())

    assert suggested(park) == ["Zebra Three Topics", "Middle Two Topics", "Aardvark One Topic"]


def test_partner_suggestions_tie_broken_by_another_division_or_country_then_name():
    topic = TopicFactory()
    europe, asia = DivisionFactory(name="Europe"), DivisionFactory(name="Asia Pacific")
    park = tagged(member(name="Home Park", country="SE", division=europe), topic)
    tagged(member(name="A Same Place", country="SE", division=europe), topic)
    tagged(member(name="B Same Place", country="SE", division=europe), topic)
    tagged(member(name="C Another Country", country="FI", division=europe), topic)
    tagged(member(name="D Another Division", country="SE", division=asia), topic)
    tagged(member(name="E No Division", country="SE", division=None), topic)

    assert suggested(park) == [
        "C Another Country",
        "D Another Division",
        "E No Division",
        "A Same Place",
        "B Same Place",
    ]


def test_partner_suggestions_tie_break_for_an_organisation_without_division():
    topic = TopicFactory()
    park = tagged(member(name="Home Park", country="SE", division=None), topic)
    tagged(member(name="A Same Place", country="SE", division=None), topic)
    tagged(member(name="B In A Division", country="SE"), topic)

    assert suggested(park) == ["B In A Division", "A Same Place"]


def test_partner_suggestions_more_shared_topics_beat_another_country():
    a, b = TopicFactory(), TopicFactory()
    division = DivisionFactory()
    park = tagged(member(name="Home Park", country="SE", division=division), a, b)
    tagged(member(name="Far Away One Topic", country="BR"), a)
    tagged(member(name="Next Door Two Topics", country="SE", division=division), a, b)

    assert suggested(park) == ["Next Door Two Topics", "Far Away One Topic"]


def test_partner_suggestions_at_most_five():
    topic = TopicFactory()
    park = tagged(member(name="Home Park"), topic)
    for number in range(7):
        tagged(member(name=f"Member {number}"), topic)

    assert suggested(park) == [f"Member {number}" for number in range(5)]


# The reason


def test_partner_suggestion_reason_names_the_shared_topics_in_lower_case():
    energy = TopicFactory(name="Energy efficiency")
    materials = TopicFactory(name="New materials")
    transport = TopicFactory(name="Intelligent transportation")
    park = tagged(member(name="Home Park"), energy, materials, transport, TopicFactory())
    tagged(member(name="One"), materials)
    tagged(member(name="Two"), materials, energy, TopicFactory(name="Clean energy"))
    tagged(member(name="Three"), transport, materials, energy)

    reasons = {
        suggestion.organisation.name: suggestion.reason
        for suggestion in partner_suggestions(organisation=with_topics(park))
    }

    assert reasons == {
        "Three": "Shares energy efficiency, intelligent transportation and new materials",
        "Two": "Shares energy efficiency and new materials",
        "One": "Shares new materials",
    }


def test_partner_suggestion_shared_topics_are_only_the_common_ones():
    common, own, theirs = TopicFactory(name="Common"), TopicFactory(), TopicFactory()
    park = tagged(member(name="Home Park"), common, own)
    tagged(member(name="Partner"), common, theirs)

    (suggestion,) = partner_suggestions(organisation=with_topics(park))

    assert suggestion.shared_topics == [common]


# Queries


@pytest.mark.parametrize("count", [1, 8])
def test_partner_suggestions_query_count_is_fixed(django_assert_num_queries, count):
    topics = [TopicFactory() for _ in range(3)]
    park = with_topics(tagged(member(name="Home Park"), *topics))
    for number in range(count):
        partner = tagged(member(), *topics[: 1 + number % 3], TopicFactory())
        agreement_between(partner, OrganisationFactory())
    agreement_between(park, OrganisationFactory())

    # One to rank (GROUP BY, agreements as NOT EXISTS), one for the shared topics' names.
    with django_assert_num_queries(2):
        suggestions = partner_suggestions(organisation=park)

    assert len(suggestions) == min(count, 5)


# The organisation, its topics, memberships, people and agreement parties (nothing nested to
# read below those; no hosting or visits to read), then the ranking and the shared topics'
# names.
PROFILE_QUERIES_WITH_SUGGESTIONS = 7


@pytest.mark.parametrize("count", [1, 8])
def test_profile_with_suggestions_query_count_is_fixed(client, django_assert_num_queries, count):
    topics = [TopicFactory() for _ in range(3)]
    park = tagged(member(name="Home Park", slug="home-park"), *topics)
    for number in range(count):
        tagged(member(name=f"Partner {number}"), *topics[: 1 + number % 3])

    with django_assert_num_queries(PROFILE_QUERIES_WITH_SUGGESTIONS):
        response = client.get(park.get_absolute_url())

    section = partners_section(response)
    assert section.count("<li>") == min(count, 5)
    assert "Shares topic" in section


def test_profile_without_suggestions_has_no_partners_section(client):
    park = tagged(member(name="Home Park", slug="home-park"), TopicFactory())

    response = client.get(park.get_absolute_url())

    assert "Possible partners" not in response.content.decode()


def test_profile_suggestion_shows_place_division_and_reason(client):
    topic = TopicFactory(name="Clean energy")
    park = tagged(member(name="Home Park", slug="home-park"), topic)
    tagged(
        member(
            name="Fjord Park",
            slug="fjord-park",
            city="Bergen",
            country="NO",
            division=DivisionFactory(name="Europe"),
        ),
        topic,
    )

    section = partners_section(client.get(park.get_absolute_url()))

    assert '<a href="/organisations/fjord-park/">Fjord Park</a>' in section
    assert "Bergen, Norway · Europe" in section
    assert "Shares clean energy" in section


# The kept ranking


def test_partner_suggestions_ranked_once_until_a_record_changes(django_assert_num_queries):
    energy, health = TopicFactory(name="Energy"), TopicFactory(name="Health")
    park = with_topics(tagged(member(name="Home Park"), energy, health))
    tagged(member(name="Alpha Park"), energy)
    beta = tagged(member(name="Beta Park"), energy)
    assert suggested(park) == ["Alpha Park", "Beta Park"]

    # Kept: the two organisations are read again, by their keys, with their shared topics.
    with django_assert_num_queries(2) as queries:
        names = [s.organisation.name for s in partner_suggestions(organisation=park)]
    assert names == ["Alpha Park", "Beta Park"]
    assert "GROUP BY" not in queries.captured_queries[0]["sql"]

    # Any change ranks again: Beta now shares both topics and comes first, renamed.
    beta.topics.add(health)
    beta.name = "Beta Science Park"
    beta.save()
    assert suggested(park) == ["Beta Science Park", "Alpha Park"]


def test_partner_suggestions_without_a_cache_rank_on_every_visit(
    django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("portal.suggestions.safe_get", lambda key, default=None: default)
    energy = TopicFactory(name="Energy")
    park = with_topics(tagged(member(name="Home Park"), energy))
    tagged(member(name="Alpha Park"), energy)

    for _visit in range(2):
        with django_assert_num_queries(2) as queries:
            names = [s.organisation.name for s in partner_suggestions(organisation=park)]
        assert names == ["Alpha Park"]
        assert "GROUP BY" in queries.captured_queries[0]["sql"]
