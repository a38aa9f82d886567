import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.utils import timezone
from PIL import Image

from members.forms import MembershipForm
from members.models import Division, Membership, Office, Organisation, Person, Topic
from tests.constraints import violates
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2020, 1, 1)


def error_fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


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
        NON_FIELD_ERRORS: ["An organisation with this name exists in this country."]
    }


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


# Membership constraints


def test_membership_end_before_start_refused():
    membership = MembershipFactory(started_on=START)
    with violates("membership_end_after_start"):
        Membership.objects.filter(pk=membership.pk).update(
            ended_on=START - datetime.timedelta(days=1)
        )


def test_membership_end_on_start_day_accepted():
    membership = MembershipFactory(started_on=START, ended_on=START)
    membership.refresh_from_db()
    assert membership.ended_on == START


def test_membership_second_open_membership_refused():
    membership = MembershipFactory(status=Membership.Status.ACTIVE)
    with violates("membership_one_open_per_organisation", sqlite="members_membership.organisation"):
        MembershipFactory(
            organisation=membership.organisation,
            status=Membership.Status.PENDING,
            started_on=datetime.date(2024, 1, 1),
        )


def test_membership_reopening_a_former_membership_refused_while_one_is_open():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, status=Membership.Status.ACTIVE)
    former = MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2014, 12, 31),
    )
    with violates("membership_one_open_per_organisation", sqlite="members_membership.organisation"):
        Membership.objects.filter(pk=former.pk).update(status=Membership.Status.ACTIVE)


def test_membership_two_former_memberships_of_one_organisation_accepted():
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2012, 12, 31),
    )
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2017, 12, 31),
    )
    MembershipFactory(organisation=organisation, status=Membership.Status.ACTIVE)
    assert organisation.memberships.count() == 3


def test_membership_open_memberships_of_two_organisations_accepted():
    MembershipFactory(status=Membership.Status.ACTIVE)
    MembershipFactory(status=Membership.Status.PENDING)
    assert Membership.objects.count() == 2


def test_membership_former_without_end_date_refused():
    membership = MembershipFactory(status=Membership.Status.ACTIVE)
    with violates("membership_former_has_end_date"):
        Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.FORMER)


def test_membership_lapsed_without_end_date_accepted():
    membership = MembershipFactory(status=Membership.Status.LAPSED, ended_on=None)
    membership.refresh_from_db()
    assert (membership.status, membership.ended_on) == (Membership.Status.LAPSED, None)


def test_membership_same_start_twice_refused():
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=START,
        ended_on=datetime.date(2020, 6, 30),
    )
    with violates(
        "membership_unique_start",
        sqlite="members_membership.organisation_id, members_membership.started_on",
    ):
        MembershipFactory(
            organisation=organisation,
            status=Membership.Status.LAPSED,
            started_on=START,
            ended_on=datetime.date(2020, 12, 31),
        )


# Membership periods: no overlap (members.forms.MembershipForm, Membership.objects.overlapping)


def membership_form(organisation, instance=None, **fields) -> MembershipForm:
    data = {
        "organisation": organisation.pk,
        "category": Membership.Category.FULL,
        "status": Membership.Status.ACTIVE,
        "started_on": "",
        "ended_on": "",
        "notes": "",
        **fields,
    }
    return MembershipForm(data=data, instance=instance)


def test_membership_form_refuses_overlapping_period():
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2019, 12, 31),
    )
    form = membership_form(organisation, started_on="2019-12-31")
    assert not form.is_valid()
    assert form.errors == {
        NON_FIELD_ERRORS: ["This period overlaps another membership of the same organisation."]
    }


def test_membership_form_refuses_period_enclosing_another():
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2016, 1, 1),
        ended_on=datetime.date(2017, 12, 31),
    )
    form = membership_form(
        organisation, status="former", started_on="2015-01-01", ended_on="2018-12-31"
    )
    assert not form.is_valid()
    assert set(form.errors) == {NON_FIELD_ERRORS}


def test_membership_form_accepts_adjacent_periods():
    organisation = OrganisationFactory()
    earlier = MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2019, 12, 31),
    )
    assert membership_form(organisation, started_on="2020-01-01").is_valid()
    # A period that ends the day before an existing one starts does not overlap either.
    day_before = earlier.started_on - datetime.timedelta(days=1)
    assert membership_form(
        organisation, status="former", started_on="2012-01-01", ended_on=day_before.isoformat()
    ).is_valid()


def test_membership_form_does_not_compare_a_period_with_itself():
    membership = MembershipFactory()
    form = membership_form(
        membership.organisation,
        instance=membership,
        started_on=membership.started_on.isoformat(),
        notes="Renewed by e-mail.",
    )
    assert form.is_valid(), form.errors


def test_membership_overlapping_treats_an_empty_end_as_open():
    organisation = OrganisationFactory()
    open_ended = MembershipFactory(organisation=organisation, started_on=datetime.date(2020, 1, 1))
    periods = Membership.objects.filter(organisation=organisation)
    assert list(periods.overlapping(datetime.date(2030, 1, 1), None)) == [open_ended]
    assert list(periods.overlapping(datetime.date(2010, 1, 1), datetime.date(2019, 12, 31))) == []


def test_membership_full_clean_refuses_end_before_start():
    membership = MembershipFactory.build(
        organisation=OrganisationFactory(),
        status=Membership.Status.FORMER,
        started_on=START,
        ended_on=START - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as info:
        membership.full_clean()
    assert info.value.message_dict == {
        "ended_on": ["The end date cannot be before the start date."]
    }


def test_membership_full_clean_refuses_second_open_membership():
    active = MembershipFactory(
        status=Membership.Status.ACTIVE, started_on=datetime.date(2024, 1, 1)
    )
    pending = MembershipFactory.build(
        organisation=active.organisation,
        status=Membership.Status.PENDING,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2010, 12, 31),
    )
    with pytest.raises(ValidationError) as info:
        pending.full_clean()
    assert info.value.messages == ["This organisation already has a pending or active membership."]


# Membership and organisation querysets


def test_membership_current_on_a_date_respects_both_ends():
    membership = MembershipFactory(started_on=START, ended_on=datetime.date(2021, 12, 31))
    current = Membership.objects.current
    assert list(current(on=datetime.date(2019, 12, 31))) == []
    assert list(current(on=START)) == [membership]
    assert list(current(on=datetime.date(2021, 12, 31))) == [membership]
    assert list(current(on=datetime.date(2022, 1, 1))) == []


@pytest.mark.parametrize(
    "status", [Membership.Status.PENDING, Membership.Status.LAPSED, Membership.Status.FORMER]
)
def test_membership_current_excludes_status(status):
    MembershipFactory(status=status, started_on=START, ended_on=datetime.date(2030, 12, 31))
    assert list(Membership.objects.current(on=datetime.date(2025, 1, 1))) == []


def test_membership_current_defaults_to_today():
    today = timezone.localdate()
    running = MembershipFactory(started_on=today, ended_on=today)
    MembershipFactory(started_on=today + datetime.timedelta(days=1))
    assert list(Membership.objects.current()) == [running]


def test_organisation_current_members_only_active_running_memberships():
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    tomorrow = today + datetime.timedelta(days=1)
    member = MembershipFactory(status=Membership.Status.ACTIVE, started_on=START).organisation
    MembershipFactory(status=Membership.Status.PENDING, started_on=START)
    MembershipFactory(status=Membership.Status.LAPSED, started_on=START)
    MembershipFactory(status=Membership.Status.FORMER, started_on=START, ended_on=today)
    MembershipFactory(status=Membership.Status.ACTIVE, started_on=START, ended_on=yesterday)
    MembershipFactory(status=Membership.Status.ACTIVE, started_on=tomorrow)
    OrganisationFactory()  # never a member
    assert list(Organisation.objects.current_members()) == [member]


def test_organisation_current_members_lists_an_organisation_once():
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2014, 12, 31),
    )
    MembershipFactory(organisation=organisation, status=Membership.Status.ACTIVE, started_on=START)
    assert list(Organisation.objects.current_members()) == [organisation]


def test_organisation_current_members_on_a_given_date():
    organisation = MembershipFactory(
        started_on=START, ended_on=datetime.date(2020, 12, 31)
    ).organisation
    assert list(Organisation.objects.current_members(on=datetime.date(2020, 6, 1))) == [
        organisation
    ]
    assert list(Organisation.objects.current_members(on=datetime.date(2021, 1, 1))) == []


# Person


def test_person_name_blank_refused():
    person = PersonFactory()
    with violates("person_name_not_blank"):
        Person.objects.filter(pk=person.pk).update(name="")


def test_person_slug_unique():
    PersonFactory(slug="ada")
    with violates("members_person_slug", sqlite="members_person.slug"):
        PersonFactory(slug="ada")


# Office


def test_office_end_before_start_refused():
    office = OfficeFactory(started_on=START)
    with violates("office_end_after_start"):
        Office.objects.filter(pk=office.pk).update(ended_on=START - datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("started_on", "ended_on"), [(START, START), (None, START), (START, None), (None, None)]
)
def test_office_period_accepted(started_on, ended_on):
    office = OfficeFactory(started_on=started_on, ended_on=ended_on)
    office.refresh_from_db()
    assert (office.started_on, office.ended_on) == (started_on, ended_on)


@pytest.mark.parametrize(
    ("body", "with_division", "with_organisation"),
    [
        (Office.Body.ASSOCIATION, True, False),
        (Office.Body.ASSOCIATION, False, True),
        (Office.Body.DIVISION, False, False),
        (Office.Body.DIVISION, True, True),
        (Office.Body.DIVISION, False, True),
        (Office.Body.ORGANISATION, False, False),
        (Office.Body.ORGANISATION, True, True),
        (Office.Body.ORGANISATION, True, False),
    ],
)
def test_office_body_relation_mismatch_refused(body, with_division, with_organisation):
    division = DivisionFactory() if with_division else None
    organisation = OrganisationFactory() if with_organisation else None
    with violates("office_body_matches_relation"):
        OfficeFactory(body=body, division=division, organisation=organisation)
    assert not Office.objects.exists()


@pytest.mark.parametrize(
    ("body", "with_division", "with_organisation"),
    [
        (Office.Body.ASSOCIATION, False, False),
        (Office.Body.DIVISION, True, False),
        (Office.Body.ORGANISATION, False, True),
    ],
)
def test_office_body_relation_match_accepted(body, with_division, with_organisation):
    division = DivisionFactory() if with_division else None
    organisation = OrganisationFactory() if with_organisation else None
    office = OfficeFactory(body=body, division=division, organisation=organisation)
    office.full_clean()
    assert Office.objects.get() == office


@pytest.mark.parametrize(
    ("body", "with_division", "with_organisation", "field"),
    [
        (Office.Body.ASSOCIATION, True, False, "division"),
        (Office.Body.ASSOCIATION, False, True, "organisation"),
        (Office.Body.DIVISION, False, False, "division"),
        (Office.Body.ORGANISATION, False, False, "organisation"),
        (Office.Body.ORGANISATION, True, True, "division"),
    ],
)
def test_office_full_clean_names_mismatched_relation(body, with_division, with_organisation, field):
    office = OfficeFactory.build(
        person=PersonFactory(),
        body=body,
        division=DivisionFactory() if with_division else None,
        organisation=OrganisationFactory() if with_organisation else None,
    )
    with pytest.raises(ValidationError) as info:
        office.full_clean()
    assert error_fields(info.value) == {field}


def test_office_full_clean_refuses_end_before_start():
    office = OfficeFactory.build(
        person=PersonFactory(),
        division=DivisionFactory(),
        started_on=START,
        ended_on=START - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as info:
        office.full_clean()
    assert info.value.message_dict == {
        "ended_on": ["The end date cannot be before the start date."]
    }


def test_office_current_respects_open_and_closed_ends():
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    tomorrow = today + datetime.timedelta(days=1)
    open_ended = OfficeFactory(started_on=None, ended_on=None)
    ending_today = OfficeFactory(started_on=START, ended_on=today)
    starting_today = OfficeFactory(started_on=today, ended_on=None)
    OfficeFactory(started_on=START, ended_on=yesterday)
    OfficeFactory(started_on=tomorrow, ended_on=None)
    assert set(Office.objects.current()) == {open_ended, ending_today, starting_today}


def test_office_current_on_a_given_date():
    office = OfficeFactory(started_on=START, ended_on=datetime.date(2021, 12, 31))
    assert list(Office.objects.current(on=datetime.date(2021, 12, 31))) == [office]
    assert list(Office.objects.current(on=datetime.date(2022, 1, 1))) == []
    assert list(Office.objects.current(on=datetime.date(2019, 12, 31))) == []
