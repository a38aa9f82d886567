"""The list shapes read hosts and topics from plain lists, and labels are built once."""

import pytest
from django.utils import translation

from conferences.models import Conference, Session
from conferences.templatetags.conference_tags import edition_label
from members.models import Organisation
from portal.api.members.serializers import CountryNameField
from tests.factories import (
    ConferenceFactory,
    ConferenceHostFactory,
    OrganisationFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_conference_list_shape_holds_hosts_and_topics_as_lists(django_assert_num_queries):
    conference = ConferenceFactory()
    host = ConferenceHostFactory(conference=conference)
    topic = TopicFactory()
    conference.topics.add(topic)

    with django_assert_num_queries(3):
        (loaded,) = Conference.objects.filter(pk=conference.pk).for_api()

    assert [link.organisation for link in loaded.host_list] == [host.organisation]
    assert loaded.topic_list == [topic]


def test_organisation_and_session_list_shapes_hold_lists():
    organisation = OrganisationFactory()
    topic = TopicFactory()
    organisation.topics.add(topic)
    session = SessionFactory()
    session.topics.add(topic)
    session.organisations_visited.add(organisation)

    (loaded_organisation,) = Organisation.objects.filter(pk=organisation.pk).for_api()
    (loaded_session,) = Session.objects.filter(pk=session.pk).for_api()

    assert loaded_organisation.topic_list == [topic]
    assert loaded_session.topic_list == [topic]
    assert loaded_session.visited_list == [organisation]


@pytest.mark.parametrize(
    ("edition", "label"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"), (22, "22nd"), (113, "113th")],
)
def test_edition_label_ordinals(edition, label):
    conference = ConferenceFactory.build(edition=edition, kind=Conference.Kind.WORLD)

    with translation.override("en-gb"):
        first, again = edition_label(conference), edition_label(conference)

    assert first == again == f"{label} World Conference"


def test_country_name_is_the_countrys_name_or_empty():
    field = CountryNameField("country")

    with translation.override("en-gb"):
        names = [field.to_representation(Organisation(country=code).country) for code in ("FR", "")]

    assert names == ["France", ""]
