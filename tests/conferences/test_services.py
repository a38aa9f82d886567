"""conferences.services: writes to conferences, checked by the model."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conferences.models import Conference
from conferences.services import create_conference, update_conference
from tests.factories import ConferenceFactory, DivisionFactory, OrganisationFactory, TopicFactory

pytestmark = pytest.mark.django_db

DHAHRAN = {
    "kind": Conference.Kind.WORLD,
    "title": "IASP 2026 Dhahran",
    "slug": "iasp-2026",
    "start_date": datetime.date(2026, 11, 2),
    "end_date": datetime.date(2026, 11, 5),
    "country": "SA",
}


def test_create_conference_saves_it_with_the_model_defaults_and_its_links():
    energy = TopicFactory()
    taking_part = OrganisationFactory()

    conference = create_conference(
        **DHAHRAN, edition=43, topics=[energy], participating_organisations=[taking_part]
    )

    conference.refresh_from_db()
    assert conference.edition == 43
    assert conference.status == Conference.Status.PLANNED
    assert conference.time_zone == "UTC"
    assert list(conference.topics.all()) == [energy]
    assert list(conference.participating_organisations.all()) == [taking_part]


def test_create_conference_reports_a_taken_division_edition_on_the_edition():
    europe = DivisionFactory()
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=europe, edition=7, slug="eu-7")

    with pytest.raises(ValidationError) as info:
        create_conference(
            **{**DHAHRAN, "kind": Conference.Kind.DIVISION}, division=europe, edition=7
        )

    assert info.value.message_dict == {
        "edition": ["A conference of this division with this edition exists."]
    }
    assert not Conference.objects.filter(slug="iasp-2026").exists()


def test_update_conference_changes_only_what_is_given():
    conference = ConferenceFactory(venue="", city="Beijing")
    topic = TopicFactory()
    conference.topics.add(topic)
    conference.participating_organisations.add(OrganisationFactory())

    update_conference(conference=conference, venue="Hall 1", participating_organisations=[])

    conference.refresh_from_db()
    assert (conference.venue, conference.city) == ("Hall 1", "Beijing")
    assert list(conference.topics.all()) == [topic]
    assert not conference.participating_organisations.exists()


def test_update_conference_refused_by_the_model_keeps_the_stored_record():
    ConferenceFactory(edition=42, slug="taken")
    conference = ConferenceFactory(edition=41)

    with pytest.raises(ValidationError) as info:
        update_conference(conference=conference, edition=42, end_date=datetime.date(2000, 1, 1))

    assert list(info.value.message_dict) == ["end_date", "edition"]
    conference.refresh_from_db()
    assert conference.edition == 41


def test_conference_services_refuse_fields_they_do_not_set():
    with pytest.raises(TypeError, match="cover_image"):
        create_conference(**DHAHRAN, cover_image="x.png")
