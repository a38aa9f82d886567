"""Site search, on whichever backend the test database uses (SQLite or PostgreSQL)."""

import re

import pytest
from django.urls import reverse

from agreements.models import Agreement
from portal import search as portal_search
from portal.search import MAX_QUERY_LENGTH, RESULTS_PER_TYPE, SEARCH_TYPES
from tests.factories import (
    AgreementFactory,
    ConferenceFactory,
    DivisionFactory,
    OrganisationFactory,
    PageFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("search")


def search(client, query: str):
    return client.get(SEARCH_URL, {"q": query})


def headings(response) -> list[str]:
    """The result group headings, as a visitor reads them."""
    html = response.content.decode()
    found = re.findall(r'<h2 id="results-[a-z]+-heading">(.*?)</h2>', html)
    return [re.sub(r"<[^>]+>", "", heading) for heading in found]


def result_links(response) -> list[tuple[str, str]]:
    """(href, title as HTML) of every result."""
    html = response.content.decode()
    return re.findall(r'<h3><a href="([^"]+)">(.*?)</a></h3>', html)


def test_search_finds_a_conference_by_a_word_of_its_theme(client):
    conference = ConferenceFactory(
        title="World Conference Nairobi", theme="Resilient ecosystems for shared prosperity"
    )
    ConferenceFactory(title="Another conference", theme="Something else")

    response = search(client, "prosperity")

    assert headings(response) == ["Conferences (1)"]
    assert result_links(response) == [(conference.get_absolute_url(), "World Conference Nairobi")]
    assert "shared <mark>prosperity</mark>" in response.content.decode()


def test_search_finds_an_organisation_by_its_short_name(client):
    organisation = OrganisationFactory(
        name="Chiang Mai University Science and Technology Park", short_name="STeP"
    )
    OrganisationFactory(name="Ideon Science Park")

    response = search(client, "STeP")

    assert headings(response) == ["Organisations (1)"]
    assert result_links(response) == [
        (organisation.get_absolute_url(), "Chiang Mai University Science and Technology Park")
    ]
    assert "<mark>STeP</mark>" in response.content.decode()


def test_search_finds_a_person_by_name(client):
    person = PersonFactory(name="Ebba Lundqvist", job_title="Chief executive")
    PersonFactory(name="Someone Else")

    response = search(client, "lundqvist")

    assert headings(response) == ["People (1)"]
    assert result_links(response) == [(person.get_absolute_url(), "Ebba <mark>Lundqvist</mark>")]


def test_search_finds_a_session_by_title_and_links_into_the_programme(client):
    session = SessionFactory(title="Financing deep tech ventures")
    SessionFactory(title="Coffee break")

    response = search(client, "financing")

    assert headings(response) == ["Sessions (1)"]
    href, title = result_links(response)[0]
    assert href == session.get_absolute_url()
    assert title == "<mark>Financing</mark> deep tech ventures"


def test_search_finds_a_public_agreement_by_its_summary(client):
    agreement = AgreementFactory(
        title="Twin parks", summary="Joint incubation of hydrogen startups."
    )

    response = search(client, "hydrogen")

    assert headings(response) == ["Agreements (1)"]
    assert result_links(response) == [(agreement.get_absolute_url(), "Twin parks")]
    assert "<mark>hydrogen</mark>" in response.content.decode()


def test_search_never_shows_drafts_or_non_public_agreements(client):
    AgreementFactory(title="Hidden quantum pact", is_public=False)
    AgreementFactory(title="Draft quantum pact", status=Agreement.Status.DRAFT, signed_on=None)

    response = search(client, "quantum")

    html = response.content.decode()
    assert "quantum pact" not in html
    assert "Nothing matches “quantum”." in html


def test_search_groups_the_results_by_type_with_their_counts(client):
    ConferenceFactory(title="Aurora summit", city="Tromsø")
    SessionFactory(title="Aurora labs tour")
    SessionFactory(title="Aurora panel")
    PersonFactory(name="Ana Aurora")
    OrganisationFactory(name="Aurora Innovation Park")
    AgreementFactory(title="Aurora agreement")

    response = search(client, "aurora")

    assert headings(response) == [
        "Conferences (1)",
        "Sessions (2)",
        "People (1)",
        "Organisations (1)",
        "Agreements (1)",
    ]
    assert "6 results" in response.content.decode()


def test_search_needs_every_word_to_match(client):
    OrganisationFactory(name="Aurora Innovation Park")
    OrganisationFactory(name="Aurora Business Centre")

    response = search(client, "aurora innovation")

    assert [title for _, title in result_links(response)] == [
        "<mark>Aurora</mark> <mark>Innovation</mark> Park"
    ]


def test_search_shows_the_first_results_of_a_large_group_and_says_how_many_match(client):
    for number in range(RESULTS_PER_TYPE + 3):
        OrganisationFactory(name=f"Borealis Park {number}")

    response = search(client, "borealis")

    html = response.content.decode()
    assert headings(response) == [f"Organisations ({RESULTS_PER_TYPE + 3})"]
    assert len(result_links(response)) == RESULTS_PER_TYPE
    assert f"Showing the best {RESULTS_PER_TYPE} of {RESULTS_PER_TYPE + 3}." in html


def test_search_caps_a_large_count_and_says_more_match(client, monkeypatch):
    monkeypatch.setattr(portal_search, "COUNT_LIMIT", 12)
    for number in range(15):
        OrganisationFactory(name=f"Borealis Park {number}")

    response = search(client, "borealis")

    html = response.content.decode()
    assert headings(response) == ["Organisations (12+)"]
    assert "More than 12 results" in html
    assert len(result_links(response)) == RESULTS_PER_TYPE
    assert f"More than 12 match: showing the best {RESULTS_PER_TYPE} among the first found." in html


def test_search_shows_a_title_match_first_however_many_match_elsewhere(client, monkeypatch):
    monkeypatch.setattr(portal_search, "COUNT_LIMIT", 3)
    for number in range(8):
        OrganisationFactory(name=f"Harbour Park {number}", description="A borealis of ideas.")
    OrganisationFactory(name="Borealis Works", description="Shipping.")

    response = search(client, "borealis")

    assert headings(response) == ["Organisations (3+)"]
    assert result_links(response)[0][1] == "<mark>Borealis</mark> Works"


def test_search_counts_exactly_up_to_the_cap(client, monkeypatch):
    monkeypatch.setattr(portal_search, "COUNT_LIMIT", 12)
    for number in range(12):
        OrganisationFactory(name=f"Borealis Park {number}")

    response = search(client, "borealis")

    assert headings(response) == ["Organisations (12)"]
    assert "12 results" in response.content.decode()


def test_search_counts_a_record_with_two_matching_topics_once(client, monkeypatch):
    monkeypatch.setattr(portal_search, "COUNT_LIMIT", 3)
    topics = [TopicFactory(name="Tundra energy"), TopicFactory(name="Tundra studies")]
    for number in range(3):
        OrganisationFactory(name=f"Harbour Park {number}").topics.add(*topics)

    response = search(client, "tundra")

    assert headings(response) == ["Topics (2)", "Organisations (3)"]


def test_search_escapes_the_query_everywhere(client):
    response = search(client, "<script>alert(1)</script>")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert response.context["search_query"] == "<script>alert(1)</script>"


def test_search_escapes_markup_stored_in_a_result(client):
    ConferenceFactory(
        title="<b>Bold</b> Zephyr summit", theme="<img src=x onerror=alert(1)> zephyr"
    )

    response = search(client, "zephyr")

    html = response.content.decode()
    assert "<b>Bold</b>" not in html
    assert "<img src=x" not in html
    assert "<mark>Zephyr</mark> summit" in html


def test_search_without_a_query_shows_the_form_and_a_hint(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SEARCH_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert '<label for="search-q" class="visually-hidden">Search for</label>' in html
    assert "Type a word or two above" in html
    assert response.context["search_query"] == ""


def test_search_with_only_spaces_is_an_empty_query(client):
    response = search(client, "   \t ")

    assert "Type a word or two above" in response.content.decode()


def test_search_without_results_says_so(client):
    OrganisationFactory(name="Ideon Science Park")

    response = search(client, "xylophone")

    assert "Nothing matches “xylophone”." in response.content.decode()
    assert headings(response) == []


def test_search_cuts_a_very_long_query(client):
    response = search(client, "innovation " * 500)

    assert response.status_code == 200
    assert len(response.context["search_query"]) <= MAX_QUERY_LENGTH


def test_search_ignores_control_characters_in_the_query(client):
    OrganisationFactory(name="Ideon Science Park")

    response = search(client, "ideon\x00 park\x07")

    assert response.status_code == 200
    assert [title for _, title in result_links(response)] == [
        "<mark>Ideon</mark> Science <mark>Park</mark>"
    ]


def test_search_puts_the_query_back_in_the_header_search_box(client):
    html = search(client, "science parks").content.decode()

    assert 'id="site-search-q" type="search" name="q" value="science parks"' in html


# The links to staff-written pages in the menu and footer: read again once a page is saved.
NAVIGATION_QUERIES = 1


@pytest.mark.parametrize("count", [1, 8])
def test_search_query_count_does_not_grow_with_the_results(
    client, django_assert_num_queries, count
):
    tag = TopicFactory(name="Meridian studies")
    for number in range(count):
        conference = ConferenceFactory(title=f"Meridian conference {number}")
        SessionFactory(conference=conference, title=f"Meridian session {number}")
        PersonFactory(name=f"Meridian Person {number}")
        OrganisationFactory(name=f"Meridian Park {number}").topics.add(tag)
        OrganisationFactory(name=f"Tagged Park {number}").topics.add(tag)
        AgreementFactory(title=f"Meridian agreement {number}")
        DivisionFactory(name=f"Meridian division {number}")
        PageFactory(title=f"Meridian page {number}")

    # One query per type, whatever the number of matches and tags.
    with django_assert_num_queries(len(SEARCH_TYPES) + NAVIGATION_QUERIES):
        response = search(client, "meridian")

    assert len(SEARCH_TYPES) == 8
    # The topic; per row a conference, session, person, agreement, division and page, and two
    # organisations (one found by its tag), of which the first RESULTS_PER_TYPE are shown.
    assert len(result_links(response)) == 1 + 6 * count + min(2 * count, RESULTS_PER_TYPE)


def test_search_for_energy_finds_topics_tagged_organisations_divisions_and_pages(client):
    clean = TopicFactory(name="Clean energy", description="Renewables and storage.")
    efficiency = TopicFactory(name="Energy efficiency")
    TopicFactory(name="Biotechnology")
    solar = OrganisationFactory(name="Sunbelt Science Park", description="Offices and labs.")
    solar.topics.add(clean, efficiency)
    OrganisationFactory(name="Ideon Science Park").topics.add(TopicFactory(name="Health"))
    division = DivisionFactory(name="Nordic", description="Parks leading the energy shift.")
    page = PageFactory(title="Join the association", body="Members save energy together.")

    response = search(client, "energy")

    assert headings(response) == [
        "Pages (1)",
        "Topics (2)",
        "Divisions (1)",
        "Organisations (1)",
    ]
    links = result_links(response)
    assert (page.get_absolute_url(), "Join the association") in links
    assert (clean.get_absolute_url(), "Clean <mark>energy</mark>") in links
    assert (efficiency.get_absolute_url(), "<mark>Energy</mark> efficiency") in links
    assert (division.get_absolute_url(), "Nordic") in links
    assert (solar.get_absolute_url(), "Sunbelt Science Park") in links
    # The organisation says which of its topics found it.
    assert "Topic: Clean energy" in response.content.decode()


def test_search_finds_conferences_sessions_and_agreements_by_their_topics(client):
    topic = TopicFactory(name="Clean energy")
    conference = ConferenceFactory(title="Harbour summit")
    conference.topics.add(topic)
    session = SessionFactory(title="Grid storage panel")
    session.topics.add(topic)
    agreement = AgreementFactory(title="Twin parks")
    agreement.topics.add(topic)

    response = search(client, "energy")

    assert headings(response) == [
        "Topics (1)",
        "Conferences (1)",
        "Sessions (1)",
        "Agreements (1)",
    ]


def test_search_needs_every_word_in_the_record_or_its_topics(client):
    topic = TopicFactory(name="Clean energy")
    lund = OrganisationFactory(name="Lund Park", city="Lund")
    lund.topics.add(topic)
    OrganisationFactory(name="Malmö Park", city="Malmö").topics.add(topic)
    OrganisationFactory(name="Lund Harbour", city="Lund")

    response = search(client, "clean energy")

    titles = [title for _, title in result_links(response)]
    assert titles == ["<mark>Clean</mark> <mark>energy</mark>", "Lund Park", "Malmö Park"]


def test_search_never_shows_draft_conferences_or_held_back_sessions(client):
    draft = ConferenceFactory(title="Draft tundra summit", is_published=False)
    SessionFactory(conference=draft, title="Tundra session of a draft")
    published = ConferenceFactory(title="Tundra summit")
    SessionFactory(conference=published, title="Held back tundra session", is_published=False)
    shown = SessionFactory(conference=published, title="Tundra walk")

    response = search(client, "tundra")

    assert headings(response) == ["Conferences (1)", "Sessions (1)"]
    assert [href for href, _title in result_links(response)] == [
        published.get_absolute_url(),
        shown.get_absolute_url(),
    ]


def test_search_never_shows_a_draft_page(client):
    PageFactory(title="Taiga plans", is_published=False)

    response = search(client, "taiga")

    assert headings(response) == []
    assert "Nothing matches “taiga”." in response.content.decode()


def test_search_shows_a_page_by_its_summary_not_its_markdown(client):
    page = PageFactory(
        title="Contact",
        summary="Write to the secretariat about steppe parks.",
        body="# Steppe office\n\n[Write](mailto:info@example.org)",
    )

    response = search(client, "steppe")

    assert result_links(response) == [(page.get_absolute_url(), "Contact")]
    html = response.content.decode()
    assert "secretariat about <mark>steppe</mark> parks" in html
    assert "mailto:" not in html
