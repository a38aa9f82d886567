import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, AgreementParty
from agreements.services import record_agreement
from tests.factories import ConferenceFactory, OrganisationFactory, TopicFactory

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2025, 9, 19)


def record(**overrides) -> Agreement:
    arguments = {
        "title": "Cooperation agreement between A and B",
        "kind": Agreement.Kind.COOPERATION,
        "signed_on": SIGNED_ON,
    }
    return record_agreement(**(arguments | overrides))


def test_record_agreement_creates_parties_in_order():
    first, second, third = OrganisationFactory.create_batch(3)
    topics = TopicFactory.create_batch(2)
    conference = ConferenceFactory()

    agreement = record(
        parties=[third, first, second],
        signed_at_conference=conference,
        signed_city="Beijing",
        signed_country="CN",
        topics=topics,
    )

    assert agreement.slug == "cooperation-agreement-between-a-and-b"
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_at_conference == conference
    assert [party.organisation for party in agreement.parties.all()] == [third, first, second]
    assert [party.order for party in agreement.parties.all()] == [0, 1, 2]
    assert set(agreement.topics.all()) == set(topics)


def test_record_agreement_refuses_a_single_party_and_writes_nothing():
    with pytest.raises(ValidationError) as excinfo:
        record(parties=[OrganisationFactory()])

    assert "parties" in excinfo.value.message_dict
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_record_agreement_refuses_the_same_organisation_twice_and_writes_nothing():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as excinfo:
        record(parties=[organisation, OrganisationFactory(), organisation])

    assert "parties" in excinfo.value.message_dict
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_record_agreement_refusal_leaves_an_existing_agreement_untouched():
    first, second = OrganisationFactory.create_batch(2)
    agreement = record(parties=[first, second], summary="Original.")

    with pytest.raises(ValidationError):
        record(parties=[first], summary="Changed.")

    agreement.refresh_from_db()
    assert agreement.summary == "Original."
    assert [party.organisation for party in agreement.parties.all()] == [first, second]


def test_record_agreement_without_a_date_is_a_draft():
    agreement = record(parties=OrganisationFactory.create_batch(2), signed_on=None)

    assert agreement.status == Agreement.Status.DRAFT


def test_record_agreement_signed_without_a_date_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        record(
            parties=OrganisationFactory.create_batch(2),
            signed_on=None,
            status=Agreement.Status.SIGNED,
        )

    assert "signed_on" in excinfo.value.message_dict
    assert not Agreement.objects.exists()


def test_record_agreement_again_with_the_same_arguments_writes_nothing():
    parties = OrganisationFactory.create_batch(2)
    first = record(parties=parties, summary="Joint projects.")
    party_ids = list(first.parties.values_list("pk", flat=True))

    second = record(parties=parties, summary="Joint projects.")

    assert second.pk == first.pk
    assert second.modified == first.modified
    assert Agreement.objects.count() == 1
    assert list(second.parties.values_list("pk", flat=True)) == party_ids


def test_record_agreement_again_with_the_same_slug_updates_instead_of_duplicating():
    first, second, third = OrganisationFactory.create_batch(3)
    original = record(parties=[first, second], summary="Old summary.")

    updated = record(parties=[second, third], summary="New summary.")

    assert updated.pk == original.pk
    assert Agreement.objects.count() == 1
    assert updated.summary == "New summary."
    assert updated.modified > original.modified
    assert [party.organisation for party in updated.parties.order_by("order")] == [second, third]
    assert AgreementParty.objects.count() == 2
