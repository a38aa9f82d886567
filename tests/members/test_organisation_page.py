"""An organisation's page: agreements, membership, hosting, people, JSON-LD and queries."""

import datetime

import pytest

from agreements.models import Agreement
from conferences.models import ConferenceHost
from members.models import Membership, Office, Organisation
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    MembershipFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)
from tests.members.pages import json_ld, member, png, zstip_and_fengtai

pytestmark = pytest.mark.django_db


# An organisation's page


def test_organisation_page_links_its_agreement_and_the_other_party(client):
    zstip, fengtai, agreement = zstip_and_fengtai()

    content = client.get(zstip.get_absolute_url()).content.decode()

    assert f'href="{agreement.get_absolute_url()}"' in content
    assert "Strategic cooperation between ZSTIP and Fengtai" in content
    assert (
        f'<a href="{fengtai.get_absolute_url()}">Zhongguancun Fengtai Science Park</a>' in content
    )
    assert '<time datetime="2025-09-17">' in content


def test_organisation_page_of_the_other_party_links_back(client):
    zstip, fengtai, agreement = zstip_and_fengtai()

    content = client.get(fengtai.get_absolute_url()).content.decode()

    assert f'href="{agreement.get_absolute_url()}"' in content
    assert f'<a href="{zstip.get_absolute_url()}">' in content


def test_organisation_page_hides_private_and_draft_agreements(client):
    zstip, fengtai, _agreement = zstip_and_fengtai()
    hidden = AgreementFactory(title="Confidential side letter", is_public=False)
    draft = AgreementFactory(title="Draft memorandum", status=Agreement.Status.DRAFT)
    for agreement in (hidden, draft):
        AgreementPartyFactory(agreement=agreement, organisation=zstip)
        AgreementPartyFactory(agreement=agreement, organisation=fengtai)

    content = client.get(zstip.get_absolute_url()).content.decode()

    assert "Strategic cooperation between ZSTIP and Fengtai" in content
    assert "Confidential side letter" not in content
    assert hidden.get_absolute_url() not in content
    assert "Draft memorandum" not in content


def test_organisation_page_of_a_non_member_says_so(client):
    partner = OrganisationFactory(name="Visited Innovation Centre", slug="visited")
    former = OrganisationFactory(name="Former Member Park", slug="former")
    MembershipFactory(
        organisation=former,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2018, 12, 31),
    )

    for organisation in (partner, former):
        response = client.get(organisation.get_absolute_url())
        assert response.status_code == 200
        content = response.content.decode()
        assert f"<h1>{organisation.name}</h1>" in content
        assert "Not a member" in content
        assert "Member since" not in content


def test_organisation_page_shows_membership_division_topics_and_place(client):
    europe = DivisionFactory(name="Europe", slug="europe")
    smart = TopicFactory(name="Smart cities", slug="smart-cities")
    park = OrganisationFactory(
        name="Coventry Science Park",
        slug="coventry",
        country="GB",
        city="Coventry",
        division=europe,
        website="https://coventry.example/",
        kind=Organisation.Kind.SCIENCE_PARK,
    )
    park.topics.add(smart)
    MembershipFactory(
        organisation=park,
        category=Membership.Category.AFFILIATED,
        started_on=datetime.date(2019, 3, 1),
    )

    content = client.get(park.get_absolute_url()).content.decode()

    assert 'Member since <time datetime="2019-03-01">1 March 2019</time>' in content
    assert "Affiliated member" in content
    assert f'<a href="{europe.get_absolute_url()}">Europe</a>' in content
    assert f'href="{smart.get_absolute_url()}"' in content
    assert "Coventry, United Kingdom" in content
    assert 'href="https://coventry.example/"' in content
    assert "Science park" in content


def test_organisation_page_lists_conferences_hosted_visits_and_people(client):
    park = OrganisationFactory(name="Host Park", slug="host-park")
    conference = ConferenceFactory(title="World Conference 2025")
    ConferenceHostFactory(conference=conference, organisation=park, role=ConferenceHost.Role.HOST)
    visit = SessionFactory(conference=conference, title="Visit to Host Park's labs")
    visit.organisations_visited.add(park)
    ceo = PersonFactory(name="Ada Chen", affiliation=park, job_title="Chief executive")
    OfficeFactory(person=ceo, title="Vice-President", division=DivisionFactory(name="Asia"))

    content = client.get(park.get_absolute_url()).content.decode()

    assert f'href="{conference.get_absolute_url()}"' in content
    assert "World Conference 2025" in content
    assert '<span class="badge">Host</span>' in content
    assert f'href="{visit.get_absolute_url()}"' in content
    assert "Visit to Host Park&#x27;s labs" in content
    assert f'href="{ceo.get_absolute_url()}"' in content
    assert "Chief executive" in content
    assert "Vice-President, Asia" in content


def test_organisation_page_never_shows_contact_email(client):
    zstip, _fengtai, _agreement = zstip_and_fengtai()
    zstip.contact_email = "partnerships@zstip.example"
    zstip.save()

    content = client.get(zstip.get_absolute_url()).content.decode()

    assert "partnerships@zstip.example" not in content
    assert "mailto:" not in content


def test_organisation_page_json_ld_describes_the_organization(client):
    zstip, _fengtai, _agreement = zstip_and_fengtai()
    zstip.ror_id = "02v51f717"
    zstip.wikidata_id = "Q8071463"
    zstip.website = "https://zstip.example/"
    zstip.save()
    zstip.logo.save("logo.png", png(300, 300))

    data = json_ld(client.get(zstip.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Zhongguancun Science and Technology Innovation Park"
    assert data["alternateName"] == "ZSTIP"
    assert data["url"] == "https://zstip.example/"
    assert data["@id"] == "http://testserver/organisations/zstip/"
    assert data["logo"].startswith("http://testserver/media/organisations/logos/zstip-")
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Beijing",
        "addressCountry": "CN",
    }
    assert data["sameAs"] == [
        "https://ror.org/02v51f717",
        "https://www.wikidata.org/wiki/Q8071463",
    ]


def test_organisation_page_json_ld_leaves_out_what_is_unknown(client):
    park = OrganisationFactory(name="Plain Park", slug="plain", city="")

    data = json_ld(client.get(park.get_absolute_url()))

    assert data["url"] == "http://testserver/organisations/plain/"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "SE"}
    assert "sameAs" not in data
    assert "logo" not in data
    assert "alternateName" not in data


def test_organisation_page_unknown_slug_is_not_found(client):
    assert client.get("/organisations/nowhere/").status_code == 404


ORGANISATION_QUERIES = 10  # organisation, topics, memberships, hosting, visits, people,
# their offices, agreement parties, the agreements' parties, possible partners (none here: the
# partners are not members; tests/members/test_suggestions.py counts a profile with them)


# Organisation, topics, memberships, people, agreement parties; and hosting or visits only
# for an organisation that has any.
@pytest.mark.parametrize(
    "hosts, visited, queries", [(False, False, 5), (True, False, 6), (False, True, 6)]
)
def test_organisation_page_reads_hosting_and_visits_only_where_there_are_any(
    client, django_assert_num_queries, hosts, visited, queries
):
    park = member(slug="park")
    conference = ConferenceFactory(title="Division Conference 2024")
    if hosts:
        ConferenceHostFactory(conference=conference, organisation=park)
    if visited:
        SessionFactory(conference=conference, title="Lab tour").organisations_visited.add(park)
    # Another organisation's hosting and visit are not this one's.
    other = OrganisationFactory()
    ConferenceHostFactory(conference=conference, organisation=other)
    SessionFactory(conference=conference).organisations_visited.add(other)

    with django_assert_num_queries(queries):
        content = client.get(park.get_absolute_url()).content.decode()

    assert ("Conferences hosted" in content) is hosts
    assert ("Technical visits received" in content) is visited
    assert ("Lab tour" in content) is visited
    assert ("Division Conference 2024" in content) is (hosts or visited)


def test_organisation_page_hides_hosting_and_visits_of_unpublished_conferences(client):
    park = member(slug="park")
    draft = ConferenceFactory(title="Draft Conference", is_published=False)
    ConferenceHostFactory(conference=draft, organisation=park)
    SessionFactory(conference=draft, title="Secret tour").organisations_visited.add(park)

    content = client.get(park.get_absolute_url()).content.decode()

    # Asked for (the relations hold rows) and found empty once filtered.
    assert "Conferences hosted" not in content
    assert "Technical visits received" not in content
    assert "Draft Conference" not in content


@pytest.mark.parametrize("count", [1, 5])
def test_organisation_page_query_count_is_fixed(client, django_assert_num_queries, count):
    park = member(slug="busy-park")
    for _number in range(count):
        park.topics.add(TopicFactory())
        partner = OrganisationFactory()
        agreement = AgreementFactory()
        AgreementPartyFactory(agreement=agreement, organisation=park)
        AgreementPartyFactory(agreement=agreement, organisation=partner)
        AgreementPartyFactory(agreement=agreement, organisation=OrganisationFactory())
        person = PersonFactory(affiliation=park)
        OfficeFactory(person=person)
        OfficeFactory(
            person=person, body=Office.Body.ORGANISATION, division=None, organisation=park
        )
        conference = ConferenceFactory()
        ConferenceHostFactory(conference=conference, organisation=park)
        SessionFactory(conference=conference).organisations_visited.add(park)

    with django_assert_num_queries(ORGANISATION_QUERIES):
        response = client.get(park.get_absolute_url())

    assert response.content.decode().count("/agreements/cooperation-agreement-") == count
