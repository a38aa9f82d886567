import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, AgreementParty
from agreements.services import create_agreement, record_agreement, set_agreement_visibility
from tests.factories import (
    ConferenceFactory,
    OrganisationFactory,
    StaffUserFactory,
    TopicFactory,
    agreement_between,
    bilateral_agreement,
)

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


def test_record_agreement_again_with_other_parties_only_moves_modified():
    first, second, third = OrganisationFactory.create_batch(3)
    original = record(parties=[first, second])

    updated = record(parties=[first, third])

    assert updated.modified > original.modified
    assert [party.organisation for party in updated.parties.order_by("order")] == [first, third]


# Creating only (the API)


def create(**overrides) -> Agreement:
    arguments = {
        "title": "Cooperation agreement between A and B",
        "kind": Agreement.Kind.COOPERATION,
        "signed_on": SIGNED_ON,
        "parties": OrganisationFactory.create_batch(2),
    }
    return create_agreement(**(arguments | overrides))


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


def test_create_agreement_without_a_status_is_signed_with_a_date_and_a_draft_without():
    assert create(slug="dated").status == Agreement.Status.SIGNED
    assert create(slug="undated", signed_on=None).status == Agreement.Status.DRAFT


def test_create_agreement_refuses_a_taken_slug_and_leaves_its_agreement_alone():
    taken = agreement_between(*OrganisationFactory.create_batch(2), slug="taken", title="Older")

    with pytest.raises(ValidationError) as excinfo:
        create(slug="taken")

    assert excinfo.value.message_dict == {"slug": ["An agreement with this slug exists."]}
    assert codes(excinfo.value) == {"slug": ["unique"]}
    taken.refresh_from_db()
    assert taken.title == "Older"
    assert Agreement.objects.count() == 1


def test_create_agreement_names_a_taken_slug_it_made_from_the_title():
    agreement_between(*OrganisationFactory.create_batch(2), slug="taken")

    with pytest.raises(ValidationError) as excinfo:
        create(title="Taken")

    assert excinfo.value.message_dict == {
        "slug": ["An agreement with the slug “taken” exists: give another."]
    }
    assert codes(excinfo.value) == {"slug": ["unique"]}


def test_create_agreement_asks_for_a_slug_when_the_title_makes_none():
    with pytest.raises(ValidationError) as excinfo:
        create(title="!!!")

    assert excinfo.value.message_dict == {
        "slug": ["Give a slug: none can be made from this title."]
    }
    assert codes(excinfo.value) == {"slug": ["required"]}


def test_create_agreement_reports_the_parties_with_the_models_problems():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError) as excinfo:
        create(
            parties=[organisation, organisation],
            effective_on=datetime.date(2026, 1, 1),
            expires_on=datetime.date(2025, 1, 1),
        )

    assert excinfo.value.message_dict == {
        "expires_on": ["The expiry date cannot be before the entry into force."],
        "parties": ["The same organisation cannot sign an agreement twice."],
    }
    assert codes(excinfo.value)["parties"] == ["duplicate_party"]
    assert not AgreementParty.objects.exists()


# Showing and hiding


def test_set_agreement_visibility_saves_each_change_with_who_made_it():
    user = StaffUserFactory()
    hidden, shown = bilateral_agreement(is_public=False), bilateral_agreement(is_public=True)
    modified = hidden.modified

    changed = set_agreement_visibility(agreements=[hidden, shown], public=True, changed_by=user)

    assert changed == [hidden]
    hidden.refresh_from_db()
    assert hidden.is_public is True
    assert hidden.modified > modified
    assert [row.history_user for row in hidden.history.all()] == [user, None]
    assert shown.history.count() == 1
