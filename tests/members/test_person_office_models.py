"""Person and Office: their constraints, validation and the current-office queryset."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import Office, Person
from tests.constraints import violates
from tests.factories import DivisionFactory, OfficeFactory, OrganisationFactory, PersonFactory
from tests.members.model_support import START, error_fields

pytestmark = pytest.mark.django_db


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
