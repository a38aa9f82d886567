"""The list of people with its filters, and a person's page."""

import datetime
import re

import pytest

from conferences.models import Appearance
from core import aggregates
from core.pagination import CappedPaginator
from members.models import Office
from portal.tasks import refresh_aggregates
from tests.factories import (
    AppearanceFactory,
    AwardFactory,
    ConferenceFactory,
    DivisionFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SessionFactory,
)
from tests.members.pages import PEOPLE, cmu_step, json_ld, options, png

pytestmark = pytest.mark.django_db


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


# The counts the worker keeps (the count and the facets) and the page.
PEOPLE_QUERIES = 2


def recount() -> None:
    refresh_aggregates.call(changed_at=aggregates.clock())


@pytest.mark.parametrize("count", [1, 8])
def test_person_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for _number in range(count):
        AppearanceFactory(person__affiliation=OrganisationFactory())
    recount()

    with django_assert_num_queries(PEOPLE_QUERIES):
        response = client.get(PEOPLE)

    assert f"{count} " in response.content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_person_list_query_count_is_fixed_when_filtered(client, django_assert_num_queries, count):
    for _number in range(count):
        AppearanceFactory(person__affiliation=OrganisationFactory())
    recount()

    # Filtered, the database counts: the count, the page, one query per facet and the
    # conferences offered.
    with django_assert_num_queries(6):
        response = client.get(PEOPLE, {"country": "SE"})

    assert f"{count} " in response.content.decode()


def test_person_list_kept_counts_match_the_database(client):
    ada = OrganisationFactory(name="Ada Park", slug="ada-park")
    for _number in range(3):
        PersonFactory(affiliation=ada, country="TH")
    PersonFactory(affiliation=OrganisationFactory(name="Bob Park"), country="GB")
    PersonFactory(affiliation=None, country="GB")
    AppearanceFactory(person__affiliation=None, person__country="GB")
    recount()

    kept = client.get(PEOPLE)
    counted = client.get(PEOPLE, {"q": "person"})  # every name is "Person <n>"

    assert options(kept, "country") == options(counted, "country")
    assert options(kept, "conference") == options(counted, "conference")
    assert options(kept, "organisation") == options(counted, "organisation")
    assert options(kept, "organisation")["ada-park"] == "Ada Park (3)"
    assert len(options(kept, "conference")) == 2
    assert kept.context["paginator"].count == counted.context["paginator"].count == 6


def test_person_list_count_is_exact_past_the_cap_and_cached_until_the_recount(
    client, monkeypatch, settings
):
    monkeypatch.setattr(CappedPaginator, "count_cap", 2)
    for _number in range(3):
        PersonFactory()
    recount()
    PersonFactory()
    settings.AGGREGATES_MAX_LAG_SECONDS = 300

    response = client.get(PEOPLE)

    # As the worker counted them, before the fourth; the cache keeps it until the recount.
    assert "3 people" in response.content.decode()
    assert response["X-Cache"] == "miss"
    assert client.get(PEOPLE)["X-Cache"] == "hit"
    recount()
    assert "4 people" in client.get(PEOPLE).content.decode()


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
    assert f'href="/conferences/{older.slug}/sessions/{keynote.session.pk}/"' in content
    assert f'href="/conferences/{newer.slug}/sessions/{panel.session.pk}/"' in content
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
    assert 'since <time datetime="2022-01-01">1 January 2022</time>' in current
    assert "Treasurer" not in current
    assert "Treasurer, IASP" in past
    assert (
        '<time datetime="2015-01-01">1 January 2015</time> to '
        '<time datetime="2019-12-31">31 December 2019</time>'
    ) in past


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

    assert response.content.decode().count("/sessions/") == 2 * count
