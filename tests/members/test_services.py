"""members.services: writes to organisations and people, checked by the model."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import Organisation, Person
from members.services import (
    create_organisation,
    create_person,
    update_organisation,
    update_person,
)
from tests.factories import DivisionFactory, OrganisationFactory, PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_create_organisation_saves_it_with_its_topics():
    division = DivisionFactory()
    energy, health = TopicFactory(slug="energy"), TopicFactory(slug="health")

    park = create_organisation(
        name="TusPark",
        slug="tuspark",
        kind=Organisation.Kind.SCIENCE_PARK,
        country="CN",
        city="Beijing",
        division=division,
        topics=[energy, health],
    )

    park.refresh_from_db()
    assert (park.name, park.city, park.country.code, park.division) == (
        "TusPark",
        "Beijing",
        "CN",
        division,
    )
    assert sorted(park.topics.values_list("slug", flat=True)) == ["energy", "health"]


def test_create_organisation_refuses_what_the_model_refuses_and_saves_nothing():
    OrganisationFactory(name="TusPark", country="CN", ror_id="03cve4549")

    with pytest.raises(ValidationError) as info:
        create_organisation(
            name="tuspark",
            slug="tuspark-2",
            kind=Organisation.Kind.SCIENCE_PARK,
            country="CN",
            latitude=Decimal("40"),
            ror_id="03cve4549",
        )

    assert info.value.message_dict == {
        "longitude": ["Give both latitude and longitude, or neither."],
        "name": ["An organisation with this name exists in this country."],
        "ror_id": ["Another organisation has this ROR ID."],
    }
    assert Organisation.objects.count() == 1


def test_update_organisation_changes_only_what_is_given():
    park = OrganisationFactory(city="Lund", short_name="LP")
    park.topics.add(TopicFactory(slug="old"))

    update_organisation(organisation=park, city="Malmö")
    park.refresh_from_db()
    assert (park.city, park.short_name) == ("Malmö", "LP")
    assert list(park.topics.values_list("slug", flat=True)) == ["old"]

    update_organisation(organisation=park, topics=[TopicFactory(slug="new")])
    assert list(park.topics.values_list("slug", flat=True)) == ["new"]


def test_update_organisation_refused_leaves_the_stored_record():
    park = OrganisationFactory(latitude=Decimal("10"), longitude=Decimal("20"))

    with pytest.raises(ValidationError) as info:
        update_organisation(organisation=park, longitude=None)

    assert list(info.value.message_dict) == ["longitude"]
    park.refresh_from_db()
    assert park.longitude == Decimal("20")


@pytest.mark.parametrize("name", ["logo", "created", "no_such_field"])
def test_organisation_services_refuse_fields_they_do_not_set(name):
    park = OrganisationFactory()

    with pytest.raises(TypeError, match=name):
        update_organisation(organisation=park, **{name: "x"})
    with pytest.raises(TypeError, match=name):
        create_organisation(name="N", slug="n", kind="other", country="SE", **{name: "x"})


def test_create_and_update_person():
    park = OrganisationFactory()

    person = create_person(name="Ada Example", slug="ada", affiliation=park, job_title="CEO")
    update_person(person=person, job_title="Director", affiliation=None)

    person.refresh_from_db()
    assert (person.name, person.job_title, person.affiliation) == ("Ada Example", "Director", None)
    assert person.history.count() == 2


def test_person_services_refuse_a_taken_slug_on_the_slug():
    PersonFactory(slug="ada")
    other = PersonFactory(slug="bea")

    with pytest.raises(ValidationError) as created:
        create_person(name="Ada", slug="ada")
    with pytest.raises(ValidationError) as updated:
        update_person(person=other, slug="ada")

    assert list(created.value.message_dict) == list(updated.value.message_dict) == ["slug"]
    assert Person.objects.filter(slug="ada").count() == 1
