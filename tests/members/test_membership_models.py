"""Membership: its constraints, overlapping periods, and the current-member querysets."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from members.forms import MembershipForm
from members.models import Membership, Organisation
from tests.constraints import violates
from tests.factories import MembershipFactory, OrganisationFactory
from tests.members.model_support import START

pytestmark = pytest.mark.django_db


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
