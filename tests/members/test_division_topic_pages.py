"""The divisions' and topics' lists and pages."""

import datetime

import pytest
from django.urls import reverse

from core import aggregates
from portal.tasks import refresh_aggregates
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    DivisionFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)
from tests.members.pages import member

pytestmark = pytest.mark.django_db


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


def test_division_list_counts_members_as_the_worker_counted_them(client, settings):
    europe = DivisionFactory(name="Europe")
    member(division=europe)
    refresh_aggregates.call(changed_at=aggregates.clock())
    member(division=europe)
    settings.AGGREGATES_MAX_LAG_SECONDS = 300

    response = client.get(reverse("members:division-list"))

    assert "1 member" in response.content.decode()
    assert response["X-Cache"] == "miss"  # kept until the worker counts again
    assert client.get(reverse("members:division-list"))["X-Cache"] == "hit"
    refresh_aggregates.call(changed_at=aggregates.clock())
    assert "2 members" in client.get(reverse("members:division-list")).content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_division_pages_query_count_is_fixed(client, django_assert_num_queries, count):
    division = DivisionFactory()
    for _number in range(count):
        DivisionFactory()
        member(division=division)
        OfficeFactory(division=division)
        ConferenceFactory(kind="division", division=division)

    refresh_aggregates.call(changed_at=aggregates.clock())

    # The counts per division as the worker keeps them; the divisions.
    with django_assert_num_queries(2):
        client.get(reverse("members:division-list"))
    # the kept counts, division, offices (with people), members, conferences
    with django_assert_num_queries(5):
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
    refresh_aggregates.call(changed_at=aggregates.clock())

    # The topics, and their counts as the worker keeps them.
    with django_assert_num_queries(2):
        response = client.get(reverse("members:topic-list"))
    counted = {shown.pk: shown for shown in response.context["topic_list"]}[topic.pk]
    assert (counted.organisation_count, counted.agreement_count) == (count, count)
    # topic, organisations, conferences, sessions, agreements, their parties
    with django_assert_num_queries(6):
        client.get(topic.get_absolute_url())
