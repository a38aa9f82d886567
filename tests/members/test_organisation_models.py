"""Topic, Division and Organisation: their constraints, validation and deletion."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from PIL import Image

from members.models import Division, Membership, Office, Organisation, Topic
from tests.constraints import violates
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
)
from tests.members.model_support import error_fields

pytestmark = pytest.mark.django_db


# Topic and Division


def test_topic_name_unique_ignores_case():
    TopicFactory(name="Smart cities")
    with violates("topic_name_unique_ci"):
        TopicFactory(name="SMART CITIES")
    assert list(Topic.objects.values_list("name", flat=True)) == ["Smart cities"]


def test_topic_slug_unique():
    TopicFactory(slug="health")
    with violates("members_topic_slug", sqlite="members_topic.slug"):
        TopicFactory(slug="health")


def test_division_name_unique():
    DivisionFactory(name="Asia Pacific")
    with violates("members_division_name", sqlite="members_division.name"):
        DivisionFactory(name="Asia Pacific")


def test_division_delete_with_organisations_is_protected():
    organisation = OrganisationFactory()
    with pytest.raises(ProtectedError):
        organisation.division.delete()
    assert Division.objects.filter(pk=organisation.division_id).exists()


# Organisation constraints


def test_organisation_name_unique_within_country_ignoring_case():
    OrganisationFactory(name="Taiwan Science Park", country="TW")
    with violates("organisation_name_country_unique"):
        OrganisationFactory(name="TAIWAN science park", country="TW")


def test_organisation_same_name_in_another_country_is_accepted():
    OrganisationFactory(name="Taiwan Science Park", country="TW")
    OrganisationFactory(name="Taiwan Science Park", country="CN")
    assert Organisation.objects.filter(name="Taiwan Science Park").count() == 2


def test_organisation_full_clean_reports_duplicate_name_in_country():
    OrganisationFactory(name="Taiwan Science Park", country="TW")
    duplicate = OrganisationFactory.build(name="taiwan science park", country="TW", division=None)
    with pytest.raises(ValidationError) as info:
        duplicate.full_clean()
    assert info.value.message_dict == {
        "name": ["An organisation with this name exists in this country."]
    }
    assert [error.code for error in info.value.error_dict["name"]] == ["unique"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ror_id", "05dxps055", "Another organisation has this ROR ID."),
        ("wikidata_id", "Q42", "Another organisation has this Wikidata ID."),
    ],
)
def test_organisation_full_clean_reports_a_taken_identifier_on_its_field(field, value, message):
    OrganisationFactory(**{field: value})
    duplicate = OrganisationFactory.build(division=None, **{field: value})
    with pytest.raises(ValidationError) as info:
        duplicate.full_clean()
    assert info.value.message_dict == {field: [message]}
    assert [error.code for error in info.value.error_dict[field]] == ["unique"]


@pytest.mark.parametrize(
    ("latitude", "longitude", "missing"),
    [(Decimal("10.5"), None, "longitude"), (None, Decimal("10.5"), "latitude")],
)
def test_organisation_full_clean_reports_half_coordinates_on_the_missing_one(
    latitude, longitude, missing
):
    organisation = OrganisationFactory.build(division=None, latitude=latitude, longitude=longitude)
    with pytest.raises(ValidationError) as info:
        organisation.full_clean()
    assert info.value.message_dict == {missing: ["Give both latitude and longitude, or neither."]}
    assert [error.code for error in info.value.error_dict[missing]] == ["both_or_neither"]


def test_organisation_full_clean_reports_each_rule_once_on_its_field():
    OrganisationFactory(name="Taiwan Science Park", country="TW")
    duplicate = OrganisationFactory.build(
        name="Taiwan Science Park", country="TW", division=None, latitude=Decimal("1")
    )
    with pytest.raises(ValidationError) as info:
        duplicate.full_clean()
    # The record's own rules first, then those comparing it with others (Meta.constraints).
    assert list(info.value.message_dict) == ["longitude", "name"]
    assert NON_FIELD_ERRORS not in info.value.message_dict


def test_organisation_full_clean_accepts_same_name_in_another_country():
    OrganisationFactory(name="Taiwan Science Park", country="TW")
    OrganisationFactory.build(name="Taiwan Science Park", country="CN", division=None).full_clean()


def test_organisation_slug_unique():
    OrganisationFactory(slug="step")
    with violates("members_organisation_slug", sqlite="members_organisation.slug"):
        OrganisationFactory(slug="step")


def test_organisation_ror_id_unique():
    OrganisationFactory(ror_id="05dxps055")
    with violates("organisation_ror_id_unique", sqlite="members_organisation.ror_id"):
        OrganisationFactory(ror_id="05dxps055")


def test_organisation_ror_id_empty_allowed_many_times():
    OrganisationFactory.create_batch(3, ror_id="")
    assert Organisation.objects.filter(ror_id="").count() == 3
    OrganisationFactory.build(ror_id="", division=None).full_clean()


def test_organisation_wikidata_id_unique():
    OrganisationFactory(wikidata_id="Q42")
    with violates("organisation_wikidata_id_unique", sqlite="members_organisation.wikidata_id"):
        OrganisationFactory(wikidata_id="Q42")


def test_organisation_wikidata_id_empty_allowed_many_times():
    OrganisationFactory.create_batch(3, wikidata_id="")
    assert Organisation.objects.filter(wikidata_id="").count() == 3


def test_organisation_name_blank_refused():
    organisation = OrganisationFactory()
    with violates("organisation_name_not_blank"):
        Organisation.objects.filter(pk=organisation.pk).update(name="")


def test_organisation_country_blank_refused():
    organisation = OrganisationFactory()
    with violates("organisation_country_set"):
        Organisation.objects.filter(pk=organisation.pk).update(country="")


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(Decimal("10.5"), None), (None, Decimal("10.5"))]
)
def test_organisation_coordinates_half_set_refused(latitude, longitude):
    organisation = OrganisationFactory()
    with violates("organisation_coordinates_both_or_neither"):
        Organisation.objects.filter(pk=organisation.pk).update(
            latitude=latitude, longitude=longitude
        )


@pytest.mark.parametrize("latitude", [Decimal("90.000001"), Decimal("-90.000001")])
def test_organisation_latitude_off_the_globe_refused(latitude):
    organisation = OrganisationFactory()
    with violates("organisation_latitude_range"):
        Organisation.objects.filter(pk=organisation.pk).update(latitude=latitude, longitude=0)


@pytest.mark.parametrize("longitude", [Decimal("180.000001"), Decimal("-180.000001")])
def test_organisation_longitude_off_the_globe_refused(longitude):
    organisation = OrganisationFactory()
    with violates("organisation_longitude_range"):
        Organisation.objects.filter(pk=organisation.pk).update(latitude=0, longitude=longitude)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (Decimal(90), Decimal(180)),
        (Decimal(-90), Decimal(-180)),
        (Decimal("18.796143"), Decimal("98.979263")),
        (None, None),
    ],
)
def test_organisation_coordinates_on_the_globe_accepted(latitude, longitude):
    organisation = OrganisationFactory(latitude=latitude, longitude=longitude)
    organisation.refresh_from_db()
    assert (organisation.latitude, organisation.longitude) == (latitude, longitude)


def test_organisation_full_clean_refuses_invalid_ror_id():
    organisation = OrganisationFactory.build(ror_id="15dxps055", division=None)
    with pytest.raises(ValidationError) as info:
        organisation.full_clean()
    assert error_fields(info.value) == {"ror_id"}
    assert info.value.error_dict["ror_id"][0].code == "invalid_ror"


def test_organisation_full_clean_refuses_invalid_wikidata_id():
    organisation = OrganisationFactory.build(wikidata_id="42", division=None)
    with pytest.raises(ValidationError) as info:
        organisation.full_clean()
    assert error_fields(info.value) == {"wikidata_id"}
    assert info.value.error_dict["wikidata_id"][0].code == "invalid_wikidata"


def test_organisation_full_clean_refuses_a_logo_that_is_not_an_image():
    organisation = OrganisationFactory.build(division=None)
    organisation.logo = SimpleUploadedFile("logo.png", b"not an image at all")
    with pytest.raises(ValidationError) as info:
        organisation.full_clean()
    assert error_fields(info.value) == {"logo"}
    assert info.value.error_dict["logo"][0].code == "image_invalid"


def test_organisation_full_clean_with_stored_logo_whose_dimensions_are_empty():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    organisation = OrganisationFactory()
    organisation.logo.save("logo.png", ContentFile(buffer.getvalue()))
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.logo.name.startswith("organisations/logos/")
    assert (organisation.logo_width, organisation.logo_height) == (4, 4)  # read on loading
    organisation.full_clean()


def test_organisation_delete_with_office_is_protected():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)
    OfficeFactory(body=Office.Body.ORGANISATION, division=None, organisation=organisation)
    with pytest.raises(ProtectedError):
        organisation.delete()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Membership.objects.filter(organisation=organisation).count() == 1
    assert Office.objects.filter(organisation=organisation).count() == 1


def test_organisation_delete_cascades_memberships_and_keeps_people():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)
    person = PersonFactory(affiliation=organisation)
    organisation.delete()
    assert not Membership.objects.exists()
    person.refresh_from_db()
    assert person.affiliation is None
