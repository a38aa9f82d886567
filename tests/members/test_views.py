import datetime
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from agreements.models import Agreement
from conferences.models import Appearance, ConferenceHost
from members.models import Membership, Office, Organisation
from members.sitemaps import DivisionSitemap, OrganisationSitemap, PersonSitemap, TopicSitemap
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    AppearanceFactory,
    AwardFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    MembershipFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:organisation-list")
PEOPLE = reverse("members:person-list")


class SelectOptions(HTMLParser):
    """The options of one <select>, as {value: text}, in page order."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.inside = False
        self.value = None
        self.options: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.name
        elif tag == "option" and self.inside:
            self.value = attrs.get("value", "")
            self.options[self.value] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "option":
            self.value = None

    def handle_data(self, data):
        if self.value is not None:
            self.options[self.value] += data


def options(response, name: str) -> dict[str, str]:
    parser = SelectOptions(name)
    parser.feed(response.content.decode())
    return {value: text.strip() for value, text in parser.options.items()}


def json_ld(response) -> dict:
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def member(**kwargs) -> Organisation:
    """An organisation with a current membership."""
    category = kwargs.pop("category", Membership.Category.FULL)
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation, category=category)
    return organisation


def png(width: int, height: int) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 85, 99)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def cmu_step(**kwargs) -> Organisation:
    return member(
        name="Chiang Mai University Science and Technology Park",
        short_name="CMU STeP",
        slug="cmu-step",
        country="TH",
        city="Chiang Mai",
        **kwargs,
    )


def coventry(**kwargs) -> Organisation:
    return member(
        name="Coventry Science Park", slug="coventry-science-park", country="GB", city="Coventry"
    )


# The member directory


def test_directory_filtered_by_country_lists_only_that_country(client):
    cmu_step()
    coventry()

    response = client.get(DIRECTORY, {"country": "TH"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Chiang Mai University Science and Technology Park" in content
    assert "CMU STeP" in content
    assert "Coventry Science Park" not in content
    assert "1 member" in content


def test_directory_unfiltered_lists_every_current_member(client):
    cmu_step()
    coventry()

    content = client.get(DIRECTORY).content.decode()

    assert "Chiang Mai University Science and Technology Park" in content
    assert "Coventry Science Park" in content
    assert "2 members" in content


def test_directory_search_matches_name_or_short_name_ignoring_case(client):
    cmu_step()
    coventry()
    member(name="Parque Tecnológico São José dos Campos", country="BR")

    by_short_name = client.get(DIRECTORY, {"q": "cmu step"}).content.decode()
    by_name = client.get(DIRECTORY, {"q": "COVENTRY"}).content.decode()
    with_accents = client.get(DIRECTORY, {"q": "são josé"}).content.decode()

    assert "CMU STeP" in by_short_name
    assert "Coventry Science Park" not in by_short_name
    assert "Coventry Science Park" in by_name
    assert "CMU STeP" not in by_name
    assert "Parque Tecnológico São José dos Campos" in with_accents
    assert "1 member" in with_accents


def test_directory_leaves_out_non_members_and_former_members(client):
    cmu_step()
    OrganisationFactory(name="Never Joined Park")
    former = OrganisationFactory(name="Former Member Park")
    MembershipFactory(
        organisation=former,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2018, 12, 31),
    )
    MembershipFactory(
        organisation=OrganisationFactory(name="Pending Park"), status=Membership.Status.PENDING
    )

    content = client.get(DIRECTORY).content.decode()

    assert "CMU STeP" in content
    assert "Never Joined Park" not in content
    assert "Former Member Park" not in content
    assert "Pending Park" not in content
    assert "1 member" in content


def test_directory_facet_counts_apply_the_other_filters(client):
    europe = DivisionFactory(name="Europe", slug="europe")
    asia = DivisionFactory(name="Asia Pacific", slug="asia-pacific")
    health = TopicFactory(name="Health", slug="health")
    for number in range(3):
        park = member(name=f"Thai Park {number}", country="TH", division=asia)
        park.topics.add(health)
    member(
        name="Thai University",
        country="TH",
        division=asia,
        kind=Organisation.Kind.UNIVERSITY,
        category=Membership.Category.AFFILIATED,
    )
    member(name="Coventry Science Park", country="GB", division=europe)
    member(name="Cambridge Science Park", country="GB", division=europe)
    OrganisationFactory(name="Not A Member", country="TH", division=asia)

    unfiltered = client.get(DIRECTORY)
    by_country = client.get(DIRECTORY, {"country": "TH"})
    by_kind = client.get(DIRECTORY, {"kind": "science_park"})

    assert options(unfiltered, "country") == {
        "": "All countries",
        "TH": "Thailand (4)",
        "GB": "United Kingdom (2)",
    }
    assert options(unfiltered, "division") == {
        "": "All divisions",
        "asia-pacific": "Asia Pacific (4)",
        "europe": "Europe (2)",
    }
    assert options(unfiltered, "category") == {
        "": "All categories",
        "full": "Full member (5)",
        "affiliated": "Affiliated member (1)",
    }
    assert options(unfiltered, "topic") == {"": "All topics", "health": "Health (3)"}
    # A facet counts with the other filters applied, and ignores its own choice.
    assert options(by_country, "kind") == {
        "": "All kinds",
        "science_park": "Science park (3)",
        "university": "University (1)",
    }
    assert options(by_country, "country") == options(unfiltered, "country")
    assert options(by_kind, "country") == {
        "": "All countries",
        "TH": "Thailand (3)",
        "GB": "United Kingdom (2)",
    }
    assert options(by_kind, "division")["asia-pacific"] == "Asia Pacific (3)"


def test_directory_keeps_the_chosen_value_when_other_filters_leave_none(client):
    member(name="Thai University", country="TH", kind=Organisation.Kind.UNIVERSITY)
    member(name="Coventry Science Park", country="GB")

    response = client.get(DIRECTORY, {"country": "TH", "kind": "science_park"})

    assert options(response, "country") == {
        "": "All countries",
        "TH": "Thailand (0)",
        "GB": "United Kingdom (1)",
    }
    assert '<option value="TH" selected>' in response.content.decode()
    assert "No member matches these filters." in response.content.decode()


def test_directory_filters_by_division_kind_category_and_topic(client):
    europe = DivisionFactory(slug="europe")
    health = TopicFactory(slug="health")
    wanted = member(name="Wanted Park", division=europe, category=Membership.Category.ASSOCIATE)
    wanted.topics.add(health)
    member(name="Other Division Park", category=Membership.Category.ASSOCIATE).topics.add(health)
    member(name="Other Category Park", division=europe).topics.add(health)
    member(name="Other Kind Park", division=europe, kind=Organisation.Kind.UNIVERSITY)

    response = client.get(
        DIRECTORY,
        {"division": "europe", "kind": "science_park", "category": "associate", "topic": "health"},
    )

    content = response.content.decode()
    assert "Wanted Park" in content
    assert "1 member" in content
    assert "Other Division Park" not in content
    assert "Other Category Park" not in content
    assert "Other Kind Park" not in content


@pytest.mark.parametrize(
    "query",
    [
        {"country": "ZZ"},
        {"division": "no-such-division"},
        {"kind": "spaceport"},
        {"category": "platinum"},
        {"topic": "no-such-topic"},
        {"q": "park\x00"},
        {"division": "\x00", "topic": "\x00", "country": "\x00"},
        {"q": "x" * 500},
        {"page": "last"},
    ],
)
def test_directory_invalid_filter_values_do_not_fail(client, query):
    cmu_step()

    response = client.get(DIRECTORY, query)

    assert response.status_code == 200
    assert "CMU STeP" in response.content.decode()


def test_directory_invalid_filter_value_is_explained(client):
    cmu_step()

    content = client.get(DIRECTORY, {"country": "ZZ"}).content.decode()

    assert "Select a valid choice" in content


def test_directory_page_out_of_range_is_not_found(client):
    cmu_step()

    assert client.get(DIRECTORY, {"page": "9"}).status_code == 404
    assert client.get(DIRECTORY, {"page": "two"}).status_code == 404


def test_directory_pagination_keeps_the_filters(client):
    for number in range(30):
        member(name=f"Thai Park {number:02}", slug=f"thai-park-{number:02}", country="TH")
    coventry()

    first = client.get(DIRECTORY, {"country": "TH"}).content.decode()
    second = client.get(DIRECTORY, {"country": "TH", "page": "2"}).content.decode()

    assert "30 members" in first
    assert 'href="?country=TH&amp;page=2"' in first
    assert "Page 1 of 2" in first
    assert "Thai Park 00" in first
    assert "Thai Park 29" not in first
    assert "Thai Park 29" in second
    assert 'href="?country=TH&amp;page=1"' in second
    assert "Coventry Science Park" not in second


def test_directory_logos_are_sized_described_and_lazy_after_the_first_row(client):
    for number in range(6):
        park = member(name=f"Park {number}", slug=f"park-{number}")
        park.logo.save("logo.png", png(600, 300))
    member(name="Park Without Logo", slug="park-without-logo")

    content = client.get(DIRECTORY).content.decode()

    images = re.findall(r"<img [^>]*>", content.split('id="results-heading"')[1])
    assert len(images) == 6
    assert all('width="176" height="88"' in image for image in images)
    assert 'alt="Logo of Park 0"' in images[0]
    assert ["loading=" in image for image in images] == [False] * 4 + [True] * 2
    assert "No logo" in content


def test_directory_never_shows_contact_email(client):
    cmu_step(contact_email="secret-contact@cmustep.example")

    content = client.get(DIRECTORY).content.decode()

    assert "secret-contact" not in content


DIRECTORY_QUERIES = 7  # count, page, one per facet (country, division, kind, category, topic)


@pytest.mark.parametrize("count", [1, 8])
def test_directory_query_count_is_fixed(client, django_assert_num_queries, count):
    division = DivisionFactory()
    countries = ["TH", "GB", "CN", "ES", "BR", "SA", "KR", "ZA"]
    for number in range(count):
        park = member(country=countries[number], division=division)
        park.topics.add(TopicFactory(), TopicFactory())
        park.logo.save("logo.png", png(200, 100))

    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(DIRECTORY)

    assert f"{count} member" in response.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_directory_query_count_is_fixed_when_filtered(client, django_assert_num_queries, count):
    division = DivisionFactory(slug="asia-pacific")
    topic = TopicFactory(slug="health")
    for _number in range(count):
        member(country="TH", division=division).topics.add(topic)

    # Two more: the chosen division and topic are looked up to validate them.
    with django_assert_num_queries(DIRECTORY_QUERIES + 2):
        response = client.get(
            DIRECTORY, {"country": "TH", "division": "asia-pacific", "topic": "health", "q": "park"}
        )

    assert f"{count} member" in response.content.decode()


# An organisation's page


def zstip_and_fengtai() -> tuple[Organisation, Organisation, Agreement]:
    zstip = member(
        name="Zhongguancun Science and Technology Innovation Park",
        short_name="ZSTIP",
        slug="zstip",
        country="CN",
        city="Beijing",
    )
    fengtai = OrganisationFactory(
        name="Zhongguancun Fengtai Science Park", slug="zhongguancun-fengtai", country="CN"
    )
    agreement = AgreementFactory(
        title="Strategic cooperation between ZSTIP and Fengtai",
        slug="zstip-fengtai",
        signed_on=datetime.date(2025, 9, 17),
    )
    AgreementPartyFactory(agreement=agreement, organisation=zstip, order=0)
    AgreementPartyFactory(agreement=agreement, organisation=fengtai, order=1)
    return zstip, fengtai, agreement


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

    assert "Member since 1 March 2019" in content
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


# People


def test_person_list_filters_by_conference(client):
    older = ConferenceFactory(slug="wc-2024", title="World Conference 2024")
    newer = ConferenceFactory(slug="wc-2025", title="World Conference 2025")
    AppearanceFactory(person=PersonFactory(name="Speaker In 2024"), session__conference=older)
    both = PersonFactory(name="Speaker In Both")
    AppearanceFactory(person=both, session__conference=older)
    AppearanceFactory(person=both, session__conference=newer)
    PersonFactory(name="Never Spoke")

    response = client.get(PEOPLE, {"conference": "wc-2025"})

    content = response.content.decode()
    assert "Speaker In Both" in content
    assert "Speaker In 2024" not in content
    assert "Never Spoke" not in content
    assert "1 person" in content
    assert options(response, "conference")["wc-2024"] == "World Conference 2024 (2)"


def test_person_list_filters_by_country_organisation_and_name(client):
    cmu = cmu_step()
    PersonFactory(name="Somchai Thai", country="TH", affiliation=cmu)
    PersonFactory(name="Somsak Thai", country="TH")
    PersonFactory(name="Emma British", country="GB")

    by_country = client.get(PEOPLE, {"country": "TH"}).content.decode()
    by_organisation = client.get(PEOPLE, {"organisation": "cmu-step"})
    by_name = client.get(PEOPLE, {"q": "emma"}).content.decode()

    assert "Somchai Thai" in by_country
    assert "Somsak Thai" in by_country
    assert "Emma British" not in by_country
    assert "Somchai Thai" in by_organisation.content.decode()
    assert "Somsak Thai" not in by_organisation.content.decode()
    assert options(by_organisation, "organisation")["cmu-step"] == (
        "Chiang Mai University Science and Technology Park (1)"
    )
    assert "Emma British" in by_name
    assert "Somchai Thai" not in by_name


def test_person_list_cards_show_photo_job_and_affiliation(client):
    person = PersonFactory(
        name="Ada Chen",
        job_title="Director of Innovation",
        affiliation=OrganisationFactory(name="Coventry Science Park"),
        email="ada.private@example.org",
    )
    person.photo.save("photo.png", png(200, 200))

    content = client.get(PEOPLE).content.decode()

    assert re.search(
        r'<img class="avatar" src="/media/renditions/144x144/people/photos/[^"]+" alt="Ada Chen"',
        content,
    )
    assert "Director of Innovation" in content
    assert "Coventry Science Park" in content
    assert "ada.private" not in content


@pytest.mark.parametrize(
    "query",
    [{"conference": "nope"}, {"country": "ZZ"}, {"organisation": "\x00"}, {"q": "\x00"}],
)
def test_person_list_invalid_filter_values_do_not_fail(client, query):
    PersonFactory(name="Ada Chen")

    response = client.get(PEOPLE, query)

    assert response.status_code == 200
    assert "Ada Chen" in response.content.decode()


def test_person_list_empty_result_says_so(client):
    PersonFactory(name="Ada Chen")

    content = client.get(PEOPLE, {"q": "nobody by this name"}).content.decode()

    assert "Nobody matches these filters." in content
    assert "0 people" in content


# count, page, one per facet (conference, country, organisation), and the latest conferences
# with speakers (the ones the conference facet offers)
PEOPLE_QUERIES = 6


@pytest.mark.parametrize("count", [1, 8])
def test_person_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for _number in range(count):
        AppearanceFactory(person__affiliation=OrganisationFactory())

    with django_assert_num_queries(PEOPLE_QUERIES):
        response = client.get(PEOPLE)

    assert f"{count} " in response.content.decode()


def test_person_page_lists_appearances_across_conferences_newest_first(client):
    person = PersonFactory(name="Ada Chen", slug="ada-chen")
    older = ConferenceFactory(
        title="World Conference 2023",
        start_date=datetime.date(2023, 9, 4),
        end_date=datetime.date(2023, 9, 7),
    )
    newer = ConferenceFactory(title="World Conference 2025")
    keynote = AppearanceFactory(
        person=person,
        session__conference=older,
        session__title="Parks in a changing world",
        role=Appearance.Role.KEYNOTE,
        capacity="President, IASP",
    )
    panel = AppearanceFactory(
        person=person,
        session__conference=newer,
        session__title="Financing innovation",
        role=Appearance.Role.PANELLIST,
    )

    content = client.get(person.get_absolute_url()).content.decode()

    assert content.index("World Conference 2025") < content.index("World Conference 2023")
    assert f'href="{older.get_absolute_url()}"' in content
    assert f'href="{newer.get_absolute_url()}"' in content
    assert f'href="/conferences/{older.slug}/#session-{keynote.session.pk}"' in content
    assert f'href="/conferences/{newer.slug}/#session-{panel.session.pk}"' in content
    assert "Keynote" in content
    assert "Panellist" in content
    assert "as President, IASP" in content


def test_person_page_lists_current_and_past_offices(client):
    person = PersonFactory(name="Ada Chen", honorific="Dr")
    europe = DivisionFactory(name="Europe")
    OfficeFactory(
        person=person, title="President", division=europe, started_on=datetime.date(2022, 1, 1)
    )
    OfficeFactory(
        person=person,
        title="Treasurer",
        body=Office.Body.ASSOCIATION,
        division=None,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2019, 12, 31),
    )

    content = client.get(person.get_absolute_url()).content.decode()

    assert "<h1>Dr Ada Chen</h1>" in content
    current, past = content.split("<h3>Current</h3>")[1].split("<h3>Past</h3>")
    assert "President, Europe" in current
    assert "since 1 January 2022" in current
    assert "Treasurer" not in current
    assert "Treasurer, IASP" in past
    assert "1 January 2015 to 31 December 2019" in past


def test_person_page_shows_affiliation_bio_and_quotes(client):
    cmu = cmu_step()
    person = PersonFactory(
        name="Somchai P.", affiliation=cmu, job_title="Director", bio="Leads the park."
    )
    QuoteFactory(person=person, text="Parks grow when they share.")
    AwardFactory(recipient_person=person, name="Presidential Medal")

    content = client.get(person.get_absolute_url()).content.decode()

    assert f'<a href="{cmu.get_absolute_url()}">' in content
    assert "Leads the park." in content
    assert "Parks grow when they share." in content
    assert "Presidential Medal" in content


def test_person_page_never_shows_email(client):
    person = PersonFactory(email="private.person@example.org")

    content = client.get(person.get_absolute_url()).content.decode()

    assert "private.person" not in content
    assert "mailto:" not in content


def test_person_page_json_ld_describes_the_person(client):
    cmu = cmu_step()
    person = PersonFactory(name="Ada Chen", slug="ada-chen", job_title="Director", affiliation=cmu)
    person.photo.save("photo.png", png(200, 200))

    data = json_ld(client.get(person.get_absolute_url()))

    assert data["@type"] == "Person"
    assert data["name"] == "Ada Chen"
    assert data["jobTitle"] == "Director"
    assert data["url"] == "http://testserver/people/ada-chen/"
    assert data["image"].startswith("http://testserver/media/people/photos/")
    assert data["affiliation"] == {
        "@type": "Organization",
        "name": "Chiang Mai University Science and Technology Park",
        "url": "http://testserver/organisations/cmu-step/",
    }


PERSON_QUERIES = 6  # person with affiliation, current offices, past offices, appearances,
# quotes, awards


@pytest.mark.parametrize("count", [1, 5])
def test_person_page_query_count_is_fixed(client, django_assert_num_queries, count):
    person = PersonFactory(slug="busy-person")
    for number in range(count):
        conference = ConferenceFactory()
        session = SessionFactory(conference=conference)
        AppearanceFactory(person=person, session=session)
        OfficeFactory(person=person)
        OfficeFactory(
            person=person,
            body=Office.Body.ORGANISATION,
            division=None,
            organisation=OrganisationFactory(),
            started_on=datetime.date(2010 + number, 1, 1),
            ended_on=datetime.date(2011 + number, 1, 1),
        )
        QuoteFactory(person=person, conference=conference, session=session)
        AwardFactory(recipient_person=person, conference=conference)

    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(person.get_absolute_url())

    assert response.content.decode().count("#session-") == 2 * count


# Divisions


def test_division_page_shows_office_holders_members_and_conferences(client):
    europe = DivisionFactory(name="Europe", slug="europe", description="Parks of Europe.")
    president = PersonFactory(name="Ada Chen")
    OfficeFactory(person=president, title="President", division=europe)
    OfficeFactory(
        person=PersonFactory(name="Past President"),
        division=europe,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2014, 1, 1),
    )
    member(name="Coventry Science Park", division=europe)
    OrganisationFactory(name="Non-member Park", division=europe)
    ConferenceFactory(
        kind="division",
        division=europe,
        title="Europe Conference 2019",
        start_date=datetime.date(2019, 5, 1),
        end_date=datetime.date(2019, 5, 2),
    )
    ConferenceFactory(kind="division", division=europe, title="Europe Conference 2024")

    content = client.get(europe.get_absolute_url()).content.decode()

    assert "Parks of Europe." in content
    assert f'href="{president.get_absolute_url()}"' in content
    assert "President" in content
    assert "Past President" not in content
    assert "Coventry Science Park" in content
    assert "Non-member Park" not in content
    assert content.index("Europe Conference 2024") < content.index("Europe Conference 2019")


def test_division_list_counts_members_and_conferences(client):
    europe = DivisionFactory(name="Europe")
    member(division=europe)
    member(division=europe)
    OrganisationFactory(division=europe)
    ConferenceFactory(kind="division", division=europe)

    content = client.get(reverse("members:division-list")).content.decode()

    assert f'href="{europe.get_absolute_url()}"' in content
    assert "2 members" in content
    assert "1 conference" in content


@pytest.mark.parametrize("count", [1, 6])
def test_division_pages_query_count_is_fixed(client, django_assert_num_queries, count):
    division = DivisionFactory()
    for _number in range(count):
        DivisionFactory()
        member(division=division)
        OfficeFactory(division=division)
        ConferenceFactory(kind="division", division=division)

    with django_assert_num_queries(1):
        client.get(reverse("members:division-list"))
    # division, offices (with people), members, conferences
    with django_assert_num_queries(4):
        client.get(division.get_absolute_url())


# Topics


def test_topic_list_counts_parks_sessions_and_public_agreements(client):
    health = TopicFactory(name="Health", slug="health")
    TopicFactory(name="Unused")
    for _number in range(3):
        OrganisationFactory().topics.add(health)
    SessionFactory().topics.add(health)
    AgreementFactory().topics.add(health)
    AgreementFactory(is_public=False).topics.add(health)

    content = client.get(reverse("members:topic-list")).content.decode()

    health_card = content.split('href="/topics/health/"')[1].split("</li>")[0]
    assert "3 organisations" in health_card
    assert "1 session" in health_card
    assert "1 agreement" in health_card
    assert "Unused" in content


def test_topic_page_lists_everything_tagged_except_private_agreements(client):
    health = TopicFactory(name="Health", slug="health")
    park = member(name="Health Park")
    park.topics.add(health)
    conference = ConferenceFactory(title="Health Conference")
    conference.topics.add(health)
    session = SessionFactory(title="Health session", conference=conference)
    session.topics.add(health)
    public = AgreementFactory(title="Public health agreement")
    AgreementPartyFactory(agreement=public, organisation=park)
    public.topics.add(health)
    AgreementFactory(title="Private health agreement", is_public=False).topics.add(health)

    content = client.get(health.get_absolute_url()).content.decode()

    assert f'href="{park.get_absolute_url()}"' in content
    assert '<span class="badge">Member</span>' in content
    assert f'href="{conference.get_absolute_url()}"' in content
    assert f'href="{session.get_absolute_url()}"' in content
    assert f'href="{public.get_absolute_url()}"' in content
    assert "Private health agreement" not in content


@pytest.mark.parametrize("count", [1, 5])
def test_topic_pages_query_count_is_fixed(client, django_assert_num_queries, count):
    topic = TopicFactory()
    for _number in range(count):
        TopicFactory()
        member().topics.add(topic)
        ConferenceFactory().topics.add(topic)
        SessionFactory().topics.add(topic)
        agreement = AgreementFactory()
        AgreementPartyFactory(agreement=agreement)
        AgreementPartyFactory(agreement=agreement)
        agreement.topics.add(topic)

    with django_assert_num_queries(1):
        client.get(reverse("members:topic-list"))
    # topic, organisations, conferences, sessions, agreements, their parties
    with django_assert_num_queries(6):
        client.get(topic.get_absolute_url())


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
