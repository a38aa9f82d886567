"""References (`{"id", "slug", "name", "url"}`) read what they write alone
(core/db/references.py)."""

import pytest

from conferences.models import Conference
from core.db.references import as_references, unread_by_reference
from members.models import Division, Organisation, Topic
from tests.factories import (
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    OrganisationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# The list, its count, the hosts and the topics.
CONFERENCE_LIST_QUERIES = 4


def test_a_joined_record_is_read_for_its_key_slug_and_name_only():
    unread = unread_by_reference(Division, "division")

    assert "division__description" in unread and "division__created" in unread
    assert not {"division__id", "division__slug", "division__name"} & set(unread)
    assert as_references(Topic.objects.all()).query.deferred_loading == (
        frozenset({"slug", "name"}),
        False,
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_references_are_written_without_a_query_more(
    api_client, django_assert_num_queries, rows
):
    division = DivisionFactory(name="Asia Pacific", slug="asia-pacific")
    energy = TopicFactory(name="Energy", slug="energy")
    for _number in range(rows):
        OrganisationFactory(division=division, country="CN").topics.set([energy])

    with django_assert_num_queries(3):
        answer = api_client.get("/api/v1/organisations/?country=CN").json()

    assert {row["division"]["name"] for row in answer["results"]} == {"Asia Pacific"}
    assert [row["topics"] for row in answer["results"]] == [
        [
            {
                "id": energy.pk,
                "slug": "energy",
                "name": "Energy",
                "url": "http://testserver/api/v1/topics/energy/",
            }
        ]
    ] * rows
    organisation = Organisation.objects.for_api().first()
    assert {"description", "created"} <= organisation.division.get_deferred_fields()


@pytest.mark.parametrize("rows", [1, 3])
def test_conference_references_are_written_without_a_query_more(
    api_client, django_assert_num_queries, rows
):
    division = DivisionFactory(name="Europe", slug="europe")
    for number in range(rows):
        conference = ConferenceFactory(kind="division", division=division)
        ConferenceHostFactory(
            conference=conference, organisation=OrganisationFactory(name=f"Host {number}")
        )
        conference.topics.set([TopicFactory()])

    with django_assert_num_queries(CONFERENCE_LIST_QUERIES):
        answer = api_client.get("/api/v1/conferences/").json()

    assert sorted(row["hosts"][0]["organisation"]["name"] for row in answer["results"]) == [
        f"Host {number}" for number in range(rows)
    ]
    assert {row["division"]["name"] for row in answer["results"]} == {"Europe"}
    conference = Conference.objects.for_api().first()
    assert "description" in conference.host_list[0].organisation.get_deferred_fields()
