import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from agreements.models import Agreement, AgreementDocument, AgreementParty
from conferences.models import Conference, Session
from members.models import Membership, Organisation, Person
from tests.constraints import violates
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    bilateral_agreement,
)
from tests.upload_support import pdf_bytes

pytestmark = pytest.mark.django_db

EFFECTIVE = datetime.date(2025, 10, 1)


def agreement_with(*organisations: Organisation, **kwargs) -> Agreement:
    agreement = AgreementFactory(**kwargs)
    for order, organisation in enumerate(organisations):
        AgreementPartyFactory(agreement=agreement, organisation=organisation, order=order)
    return agreement


# Agreement constraints


def test_agreement_expiry_before_effective_refused():
    agreement = AgreementFactory(effective_on=EFFECTIVE)
    with violates("agreement_expiry_after_effective"):
        Agreement.objects.filter(pk=agreement.pk).update(
            expires_on=EFFECTIVE - datetime.timedelta(days=1)
        )


@pytest.mark.parametrize(
    ("effective_on", "expires_on"),
    [(EFFECTIVE, EFFECTIVE), (None, EFFECTIVE), (EFFECTIVE, None), (None, None)],
)
def test_agreement_validity_period_accepted(effective_on, expires_on):
    agreement = AgreementFactory(effective_on=effective_on, expires_on=expires_on)
    agreement.refresh_from_db()
    assert (agreement.effective_on, agreement.expires_on) == (effective_on, expires_on)


@pytest.mark.parametrize(
    "status",
    [
        Agreement.Status.SIGNED,
        Agreement.Status.ACTIVE,
        Agreement.Status.EXPIRED,
        Agreement.Status.TERMINATED,
    ],
)
def test_agreement_signed_status_without_date_refused(status):
    agreement = AgreementFactory(status=status)
    with violates("agreement_signed_has_date"):
        Agreement.objects.filter(pk=agreement.pk).update(signed_on=None)


def test_agreement_draft_without_date_accepted():
    agreement = AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.DRAFT, None)


def test_agreement_document_without_file_refused():
    document = AgreementDocumentFactory()
    with violates("agreement_document_has_file"):
        AgreementDocument.objects.filter(pk=document.pk).update(file="")


def test_agreement_document_of_unknown_kind_refused():
    document = AgreementDocumentFactory()
    with violates("agreement_document_kind_known"):
        AgreementDocument.objects.filter(pk=document.pk).update(kind="contract")


def test_agreement_document_file_shared_by_two_records_refused():
    document = AgreementDocumentFactory()
    with violates("agreement_document_file_unique", sqlite="agreements_agreementdocument.file"):
        AgreementDocumentFactory(file=document.file.name)


def test_agreement_documents_go_with_their_agreement():
    document = AgreementDocumentFactory()
    document.agreement.delete()
    assert not AgreementDocument.objects.exists()


def test_agreement_title_blank_refused():
    agreement = AgreementFactory()
    with violates("agreement_title_not_blank"):
        Agreement.objects.filter(pk=agreement.pk).update(title="")


def test_agreement_slug_unique():
    AgreementFactory(slug="step-iasp")
    with violates("agreements_agreement_slug", sqlite="agreements_agreement.slug"):
        AgreementFactory(slug="step-iasp")


def test_agreement_party_twice_refused():
    party = AgreementPartyFactory()
    with violates(
        "agreement_party_unique",
        sqlite="agreements_agreementparty.agreement_id, agreements_agreementparty.organisation_id",
    ):
        AgreementPartyFactory(agreement=party.agreement, organisation=party.organisation)


def test_agreement_party_same_organisation_in_two_agreements_accepted():
    party = AgreementPartyFactory()
    AgreementPartyFactory(organisation=party.organisation)
    assert AgreementParty.objects.filter(organisation=party.organisation).count() == 2


# Agreement.clean


def test_agreement_full_clean_refuses_signed_without_date():
    agreement = AgreementFactory.build(status=Agreement.Status.SIGNED, signed_on=None)
    with pytest.raises(ValidationError) as info:
        agreement.full_clean()
    assert info.value.message_dict == {"signed_on": ["A signed agreement needs its signing date."]}


def test_agreement_full_clean_accepts_draft_without_date():
    AgreementFactory.build(status=Agreement.Status.DRAFT, signed_on=None).full_clean()


def test_agreement_full_clean_refuses_expiry_before_effective():
    agreement = AgreementFactory.build(
        effective_on=EFFECTIVE, expires_on=EFFECTIVE - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as info:
        agreement.full_clean()
    assert info.value.message_dict == {
        "expires_on": ["The expiry date cannot be before the entry into force."]
    }


def test_agreement_document_full_clean_refuses_a_file_that_is_not_a_pdf():
    document = AgreementDocumentFactory.build(
        agreement=AgreementFactory(),
        file=SimpleUploadedFile("agreement.docx", b"PK\x03\x04 word document"),
    )
    with pytest.raises(ValidationError) as info:
        document.full_clean()
    assert set(info.value.message_dict) == {"file"}
    assert info.value.error_dict["file"][0].code == "document_extension"


def test_agreement_document_full_clean_accepts_a_pdf():
    document = AgreementDocumentFactory.build(
        agreement=AgreementFactory(),
        file=SimpleUploadedFile("agreement.pdf", pdf_bytes()),
        is_public=True,
        language="fr",
    )
    document.full_clean()


# Agreement querysets


def test_agreement_public_excludes_drafts_and_hidden_agreements():
    signed = AgreementFactory(status=Agreement.Status.SIGNED, is_public=True)
    expired = AgreementFactory(status=Agreement.Status.EXPIRED, is_public=True)
    AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, is_public=True)
    AgreementFactory(status=Agreement.Status.SIGNED, is_public=False)
    AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, is_public=False)
    assert set(Agreement.objects.public()) == {signed, expired}


def test_agreement_between_needs_every_party_and_lists_each_once():
    a, b, c = OrganisationFactory.create_batch(3)
    a_b = agreement_with(a, b)
    a_b_c = agreement_with(a, b, c)
    agreement_with(a, c)
    agreement_with(b, c)
    agreement_with(a)
    between = list(Agreement.objects.between(a, b))
    assert len(between) == 2
    assert set(between) == {a_b, a_b_c}
    assert list(Agreement.objects.between(b, a).order_by("pk")) == [a_b, a_b_c]


def test_agreement_between_three_organisations():
    a, b, c = OrganisationFactory.create_batch(3)
    agreement_with(a, b)
    a_b_c = agreement_with(a, b, c)
    assert list(Agreement.objects.between(a, b, c)) == [a_b_c]


def test_agreement_between_one_organisation_lists_all_its_agreements_once():
    a, b, c = OrganisationFactory.create_batch(3)
    first = agreement_with(a, b, c)
    second = agreement_with(c, a)
    agreement_with(b, c)
    assert list(Agreement.objects.between(a).order_by("pk")) == [first, second]


# Deleting


def test_organisation_delete_as_agreement_party_is_protected():
    agreement = bilateral_agreement()
    organisation = agreement.parties.first().organisation
    MembershipFactory(organisation=organisation)
    with pytest.raises(ProtectedError):
        organisation.delete()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Membership.objects.filter(organisation=organisation).count() == 1
    assert agreement.parties.count() == 2


def test_person_delete_as_signatory_is_protected():
    party = AgreementPartyFactory(signatory=PersonFactory())
    with pytest.raises(ProtectedError):
        party.signatory.delete()
    assert Person.objects.filter(pk=party.signatory_id).exists()


def test_conference_delete_where_agreement_signed_is_protected():
    event = ConferenceFactory()
    SessionFactory(conference=event)
    agreement = bilateral_agreement(signed_at_conference=event)
    with pytest.raises(ProtectedError):
        event.delete()
    assert Conference.objects.filter(pk=event.pk).exists()
    assert Session.objects.filter(conference=event).count() == 1
    agreement.refresh_from_db()
    assert agreement.signed_at_conference == event


def test_agreement_delete_removes_its_parties_and_keeps_the_organisations():
    agreement = bilateral_agreement()
    organisation_ids = set(agreement.parties.values_list("organisation", flat=True))
    agreement.delete()
    assert not AgreementParty.objects.exists()
    assert set(Organisation.objects.values_list("pk", flat=True)) == organisation_ids
