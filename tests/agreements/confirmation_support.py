"""What the tests of parties' confirmations share: member contacts, a proposed agreement,
and the mail each address received."""

import datetime

from django.core import mail

from agreements.models import Agreement
from agreements.services import propose_agreement
from members.models import Contact
from tests.factories import OrganisationFactory, UserFactory


def contact_of(organisation, username: str):
    """A user who is a member contact of the organisation."""
    user = UserFactory(username=username)
    Contact.objects.create(organisation=organisation, user=user)
    return user


def two_parks():
    """Park A with its contact, park B with its contact."""
    park_a = OrganisationFactory(name="Alpha Science Park", city="Espoo", country="FI")
    park_b = OrganisationFactory(name="Beta Innovation Park", city="Porto", country="PT")
    return park_a, contact_of(park_a, "alice"), park_b, contact_of(park_b, "bruno")


def proposed(park_a, alice, park_b, *, title: str = "Alpha and Beta cooperate") -> Agreement:
    return propose_agreement(
        proposed_by=alice,
        organisation=park_a,
        other_parties=[park_b],
        kind=Agreement.Kind.COOPERATION,
        title=title,
        signed_on=datetime.date(2026, 3, 2),
        signed_city="Espoo",
    )


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]
