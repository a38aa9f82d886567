import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from members.models import Membership, Office, Organisation
from tests.admin_support import ADMIN_PAGES, inline_rows
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    organisation_with_logo,
    person_with_photo,
)

pytestmark = pytest.mark.django_db


def admin_url(model_name: str, view: str, *args) -> str:
    return reverse(f"admin:members_{model_name}_{view}", args=args)


def organisation_data(memberships: list[dict] | None = None, initial: int = 0, **fields) -> dict:
    data = {
        "name": "Chiang Mai University Science and Technology Park",
        "short_name": "CMU STeP",
        "slug": "cmu-step",
        "kind": Organisation.Kind.SCIENCE_PARK,
        "division": "",
        "country": "TH",
        "city": "Chiang Mai",
        "latitude": "",
        "longitude": "",
        "description": "",
        "website": "",
        "contact_email": "",
        "ror_id": "",
        "wikidata_id": "",
        **inline_rows("memberships", memberships or [], initial),
    }
    data.update(fields)
    return data


def membership_row(started_on: str, ended_on: str = "", status: str = "active") -> dict:
    return {
        "category": Membership.Category.FULL,
        "status": status,
        "started_on": started_on,
        "ended_on": ended_on,
        "notes": "",
    }


def person_data(offices: list[dict] | None = None, **fields) -> dict:
    data = {
        "honorific": "Dr",
        "name": "Ada Example",
        "slug": "ada-example",
        "job_title": "",
        "affiliation": "",
        "country": "",
        "bio": "",
        "website": "",
        "email": "",
        **inline_rows("offices", offices or []),
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("memberships", [1, 5])
def test_organisation_change_form_query_count_is_fixed_whatever_the_memberships(
    staff_client, django_assert_num_queries, memberships
):
    organisation = organisation_with_logo()
    for year in range(memberships):
        MembershipFactory(
            organisation=organisation,
            status=Membership.Status.FORMER,
            started_on=datetime.date(2000 + year, 1, 1),
            ended_on=datetime.date(2000 + year, 12, 31),
        )

    ContentType.objects.clear_cache()

    with django_assert_num_queries(ADMIN_PAGES["members", "organisation"].change_form_queries):
        response = staff_client.get(admin_url("organisation", "change", organisation.pk))

    assert response.status_code == 200


def test_organisation_changelist_shows_logo_thumbnail_with_size_and_alt(staff_client):
    organisation = organisation_with_logo(name="Kista Science City")

    response = staff_client.get(admin_url("organisation", "changelist"))

    assert organisation.logo.url in response.text
    assert 'width="40" height="20" alt="Logo of Kista Science City"' in response.text


def test_organisation_changelist_without_logo_has_no_img(staff_client):
    OrganisationFactory()

    response = staff_client.get(admin_url("organisation", "changelist"))

    assert '<td class="field-logo_thumbnail"></td>' in response.text


def test_person_changelist_shows_photo_thumbnail_with_size_and_alt(staff_client):
    person = person_with_photo(name="Ada Example")

    response = staff_client.get(admin_url("person", "changelist"))

    assert person.photo.url in response.text
    assert 'width="30" height="40" alt="Photo of Ada Example"' in response.text


def test_organisation_changelist_marks_current_members(staff_client):
    member = OrganisationFactory(name="Member Park")
    MembershipFactory(organisation=member)
    OrganisationFactory(name="Former Park")

    response = staff_client.get(admin_url("organisation", "changelist"))

    rows = {obj.name: obj.is_current_member for obj in response.context["cl"].result_list}
    assert rows == {"Member Park": True, "Former Park": False}


def test_organisation_changelist_filters_current_members(staff_client):
    member = OrganisationFactory(name="Member Park")
    MembershipFactory(organisation=member)
    OrganisationFactory(name="Former Park")

    response = staff_client.get(admin_url("organisation", "changelist"), {"current_member": "no"})

    assert [obj.name for obj in response.context["cl"].result_list] == ["Former Park"]


def test_organisation_add_with_memberships_creates_the_rows(staff_client):
    data = organisation_data(
        memberships=[
            membership_row("2010-01-01", "2015-12-31", status=Membership.Status.FORMER),
            membership_row("2016-01-01"),
        ]
    )

    response = staff_client.post(admin_url("organisation", "add"), data)

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="cmu-step")
    periods = organisation.memberships.order_by("started_on").values_list("status", "ended_on")
    assert list(periods) == [("former", datetime.date(2015, 12, 31)), ("active", None)]


def test_organisation_add_with_overlapping_memberships_shows_error(staff_client):
    data = organisation_data(
        memberships=[
            membership_row("2010-01-01", "2016-06-30", status=Membership.Status.FORMER),
            membership_row("2016-01-01"),
        ]
    )

    response = staff_client.post(admin_url("organisation", "add"), data)

    assert response.status_code == 200
    assert "The periods starting 2010-01-01 and 2016-01-01 overlap." in response.text
    assert not Organisation.objects.exists()


def test_organisation_add_with_two_open_memberships_shows_error(staff_client):
    data = organisation_data(
        memberships=[
            membership_row("2010-01-01", "2012-12-31", status=Membership.Status.ACTIVE),
            membership_row("2016-01-01", status=Membership.Status.PENDING),
        ]
    )

    response = staff_client.post(admin_url("organisation", "add"), data)

    assert response.status_code == 200
    assert "Only one membership can be pending or active at a time." in response.text
    assert not Organisation.objects.exists()


def test_organisation_add_with_membership_ending_before_start_shows_error(staff_client):
    data = organisation_data(memberships=[membership_row("2016-01-01", "2015-01-01", "former")])

    response = staff_client.post(admin_url("organisation", "add"), data)

    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.text
    assert not Organisation.objects.exists()


def test_organisation_add_with_name_taken_in_the_country_shows_error(staff_client):
    OrganisationFactory(name="cmu step park", country="TH")

    response = staff_client.post(
        admin_url("organisation", "add"), organisation_data(name="CMU STeP Park")
    )

    assert response.status_code == 200
    assert "An organisation with this name exists in this country." in response.text
    assert response.context["adminform"].form.errors == {
        "name": ["An organisation with this name exists in this country."]
    }
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"ror_id": "05dxps055"}, {"ror_id": ["Another organisation has this ROR ID."]}),
        ({"wikidata_id": "Q42"}, {"wikidata_id": ["Another organisation has this Wikidata ID."]}),
        ({"latitude": "18.8"}, {"longitude": ["Give both latitude and longitude, or neither."]}),
        ({"longitude": "98.9"}, {"latitude": ["Give both latitude and longitude, or neither."]}),
    ],
)
def test_organisation_add_shows_each_constraint_beside_its_field(staff_client, fields, errors):
    OrganisationFactory(ror_id="05dxps055", wikidata_id="Q42")

    response = staff_client.post(admin_url("organisation", "add"), organisation_data(**fields))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    assert Organisation.objects.count() == 1


def test_membership_add_second_open_membership_shows_error(staff_client):
    existing = MembershipFactory(started_on=datetime.date(2020, 1, 1))
    data = {
        "organisation": existing.organisation_id,
        "category": Membership.Category.FULL,
        "status": Membership.Status.PENDING,
        "started_on": "2010-01-01",
        "ended_on": "2012-12-31",
        "notes": "",
    }

    response = staff_client.post(admin_url("membership", "add"), data)

    assert response.status_code == 200
    assert "This organisation already has a pending or active membership." in response.text
    assert Membership.objects.count() == 1


def test_office_add_division_office_without_division_shows_error(staff_client):
    person = PersonFactory()
    data = {
        "person": person.pk,
        "title": "President",
        "body": Office.Body.DIVISION,
        "division": "",
        "organisation": "",
        "started_on": "",
        "ended_on": "",
    }

    response = staff_client.post(admin_url("office", "add"), data)

    assert response.status_code == 200
    assert "A division office needs its division." in response.text
    assert not Office.objects.exists()


def test_person_add_with_division_office_without_division_shows_error(staff_client):
    office = {
        "title": "President",
        "body": Office.Body.DIVISION,
        "division": "",
        "organisation": "",
        "started_on": "",
        "ended_on": "",
    }

    response = staff_client.post(admin_url("person", "add"), person_data(offices=[office]))

    assert response.status_code == 200
    assert "A division office needs its division." in response.text
    assert not Office.objects.exists()


def test_person_add_with_office_creates_the_rows(staff_client):
    division = DivisionFactory()
    office = {
        "title": "President",
        "body": Office.Body.DIVISION,
        "division": division.pk,
        "organisation": "",
        "started_on": "2024-01-01",
        "ended_on": "",
    }

    response = staff_client.post(admin_url("person", "add"), person_data(offices=[office]))

    assert response.status_code == 302
    assert Office.objects.get().full_title == f"President, {division.name}"


def test_organisation_renews_a_membership_in_one_save(staff_client):
    organisation = OrganisationFactory(slug="cmu-step", division=None)
    current = MembershipFactory(organisation=organisation, started_on=datetime.date(2020, 1, 1))
    ended = {**membership_row("2020-01-01", "2025-12-31", status="former")}
    ended.update(id=current.pk, organisation=organisation.pk)
    data = organisation_data(
        memberships=[ended, membership_row("2026-01-01")],
        initial=1,
        name=organisation.name,
        short_name=organisation.short_name,
        country=organisation.country.code,
        city=organisation.city,
    )

    response = staff_client.post(admin_url("organisation", "change", organisation.pk), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    periods = organisation.memberships.order_by("started_on").values_list("status", "ended_on")
    assert list(periods) == [("former", datetime.date(2025, 12, 31)), ("active", None)]
