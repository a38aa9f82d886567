"""Helpers shared by the /api/v1/organisations/ tests."""

import datetime

from members.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

LIST = "/api/v1/organisations/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def former_member(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2015, 12, 31),
    )
    return organisation
