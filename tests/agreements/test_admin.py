import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, AgreementParty
from core.changes import CLOCK_KEY, records_changed_at
from portal.roles import EDITORS, VIEWERS
from tests.admin_support import inline_rows
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    OrganisationFactory,
    PersonFactory,
    bilateral_agreement,
)
from tests.test_roles import staff_in
from tests.upload_support import pdf_bytes

pytestmark = pytest.mark.django_db


def admin_url(model_name: str, view: str, *args) -> str:
    return reverse(f"admin:agreements_{model_name}_{view}", args=args)


def agreement_data(parties: list[dict], initial: int = 0, **fields) -> dict:
    data = {
        "title": "Cooperation between two parks",
        "slug": "cooperation-between-two-parks",
        "kind": Agreement.Kind.COOPERATION,
        "status": Agreement.Status.SIGNED,
        "is_public": "on",
        "signed_on": "2025-09-19",
        "signed_at_conference": "",
        "signed_city": "",
        "signed_country": "",
        "effective_on": "",
        "expires_on": "",
        "summary": "",
        "source_url": "",
        **inline_rows("parties", parties, initial, min_num=2),
        **inline_rows("documents", []),
    }
    data.update(fields)
    return data


def party_row(organisation, **fields) -> dict:
    return {
        "organisation": organisation.pk,
        "signatory": "",
        "reference_number": "",
        "order": "0",
        **fields,
    }


def existing_party_rows(agreement: Agreement, delete: tuple = ()) -> list[dict]:
    rows = []
    for party in agreement.parties.all():
        row = party_row(party.organisation, id=party.pk, agreement=agreement.pk)
        if party in delete:
            row["DELETE"] = "on"
        rows.append(row)
    return rows


def agreement_data_of(agreement: Agreement, parties: list[dict], initial: int) -> dict:
    return agreement_data(
        parties,
        initial,
        title=agreement.title,
        slug=agreement.slug,
        signed_on=agreement.signed_on.isoformat(),
    )


def test_agreement_changelist_lists_the_parties(staff_client):
    agreement = AgreementFactory()
    AgreementPartyFactory(
        agreement=agreement, order=0, organisation__name="Chiang Mai University Park"
    )
    AgreementPartyFactory(
        agreement=agreement,
        order=1,
        organisation__name="Kista Science City",
        organisation__short_name="KSC",
    )

    response = staff_client.get(admin_url("agreement", "changelist"))

    assert "Chiang Mai University Park; Kista Science City (KSC)" in response.text


def test_agreement_add_with_two_parties_creates_the_rows(staff_client):
    first, second = OrganisationFactory(), OrganisationFactory()
    signatory = PersonFactory()
    data = agreement_data(
        [
            party_row(first, signatory=signatory.pk, reference_number="A-1"),
            party_row(second, order="1"),
        ]
    )

    response = staff_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="cooperation-between-two-parks")
    assert list(agreement.parties.values_list("organisation", "signatory", "reference_number")) == [
        (first.pk, signatory.pk, "A-1"),
        (second.pk, None, ""),
    ]


def test_agreement_add_with_the_same_organisation_twice_shows_error(staff_client):
    park = OrganisationFactory(name="Kista Science City")
    data = agreement_data([party_row(park), party_row(park, order="1")])

    response = staff_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 200
    assert "Kista Science City is listed more than once; each party appears once." in (
        response.text
    )
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_agreement_add_with_one_party_shows_error(staff_client):
    data = agreement_data([party_row(OrganisationFactory())])

    response = staff_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 200
    assert "An agreement needs at least 2 parties." in response.text
    assert not Agreement.objects.exists()


def test_agreement_add_with_second_party_left_blank_shows_error(staff_client):
    blank = {"organisation": "", "signatory": "", "reference_number": "", "order": "1"}
    data = agreement_data([party_row(OrganisationFactory()), blank])

    response = staff_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 200
    assert "An agreement needs at least 2 parties." in response.text
    assert not Agreement.objects.exists()


def test_agreement_change_deleting_one_of_two_parties_shows_error(staff_client):
    agreement = bilateral_agreement()
    first = agreement.parties.first()
    data = agreement_data_of(agreement, existing_party_rows(agreement, delete=(first,)), 2)

    response = staff_client.post(admin_url("agreement", "change", agreement.pk), data)

    assert response.status_code == 200
    assert "An agreement needs at least 2 parties." in response.text
    assert agreement.parties.count() == 2


def test_agreement_change_deleting_one_of_three_parties_saves(staff_client):
    agreement = bilateral_agreement()
    third = AgreementPartyFactory(agreement=agreement, order=2)
    data = agreement_data_of(agreement, existing_party_rows(agreement, delete=(third,)), 3)

    response = staff_client.post(admin_url("agreement", "change", agreement.pk), data)

    assert response.status_code == 302
    assert agreement.parties.count() == 2
    assert not AgreementParty.objects.filter(pk=third.pk).exists()


def test_agreement_change_replacing_a_deleted_party_by_the_same_organisation_saves(
    staff_client,
):
    agreement = bilateral_agreement()
    first = agreement.parties.first()
    rows = [
        *existing_party_rows(agreement, delete=(first,)),
        party_row(first.organisation, reference_number="NEW-1"),
    ]
    data = agreement_data_of(agreement, rows, 2)

    response = staff_client.post(admin_url("agreement", "change", agreement.pk), data)

    assert response.status_code == 302
    assert agreement.parties.get(organisation=first.organisation).reference_number == "NEW-1"


def test_agreement_change_adding_an_existing_party_again_shows_error(staff_client):
    agreement = bilateral_agreement()
    first = agreement.parties.first()
    rows = [*existing_party_rows(agreement), party_row(first.organisation)]
    data = agreement_data_of(agreement, rows, 2)

    response = staff_client.post(admin_url("agreement", "change", agreement.pk), data)

    assert response.status_code == 200
    assert "is listed more than once" in response.text
    assert agreement.parties.count() == 2


def test_agreement_add_signed_without_date_shows_error(staff_client):
    parties = [party_row(OrganisationFactory()), party_row(OrganisationFactory())]

    response = staff_client.post(
        admin_url("agreement", "add"), agreement_data(parties, signed_on="")
    )

    assert response.status_code == 200
    assert "A signed agreement needs its signing date." in response.text
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("action", "before", "after"), [("make_public", False, True), ("make_private", True, False)]
)
def test_agreement_action_sets_visibility(staff_client, action, before, after):
    chosen = bilateral_agreement(is_public=before)
    other = bilateral_agreement(is_public=before)

    response = staff_client.post(
        admin_url("agreement", "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [chosen.pk]},
    )

    assert response.status_code == 302
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.is_public, other.is_public) == (after, before)


VISIBILITY_ACTIONS = [("make_public", False, True), ("make_private", True, False)]


def run_action(client, action: str, *agreements: Agreement):
    return client.post(
        admin_url("agreement", "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [agreement.pk for agreement in agreements]},
    )


@pytest.mark.parametrize(("action", "before", "after"), VISIBILITY_ACTIONS)
def test_agreement_action_records_a_history_row_by_the_user(
    staff_client, staff_user, action, before, after
):
    agreement = bilateral_agreement(is_public=before)
    rows_before = agreement.history.count()

    run_action(staff_client, action, agreement)

    assert agreement.history.count() == rows_before + 1
    latest = agreement.history.first()
    assert (latest.is_public, latest.history_user) == (after, staff_user)


@pytest.mark.parametrize(("action", "before", "after"), VISIBILITY_ACTIONS)
def test_agreement_action_moves_the_change_clock(staff_client, action, before, after):
    agreement = bilateral_agreement(is_public=before)
    stamp = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    cache.set(CLOCK_KEY, stamp.timestamp(), None)

    run_action(staff_client, action, agreement)

    assert records_changed_at() > stamp


def test_agreement_action_writes_nothing_for_agreements_already_so(staff_client):
    shown = bilateral_agreement(is_public=True)
    hidden = bilateral_agreement(is_public=False)
    rows_before = shown.history.count()

    response = run_action(staff_client, "make_public", shown, hidden)

    assert shown.history.count() == rows_before
    hidden.refresh_from_db()
    assert hidden.is_public is True
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["2 agreements are now public."]


@pytest.mark.parametrize(("action", "before", "after"), VISIBILITY_ACTIONS)
def test_agreement_action_is_not_offered_to_a_viewer_who_cannot_run_it(
    client, action, before, after
):
    agreement = bilateral_agreement(is_public=before)
    client.force_login(staff_in(VIEWERS))

    changelist = client.get(admin_url("agreement", "changelist"))
    run_action(client, action, agreement)

    assert changelist.status_code == 200
    assert f'value="{action}"' not in changelist.text
    agreement.refresh_from_db()
    assert agreement.is_public is before
    assert agreement.history.count() == 1


@pytest.mark.parametrize(("action", "before", "after"), VISIBILITY_ACTIONS)
def test_agreement_action_is_run_by_an_editor(client, action, before, after):
    agreement = bilateral_agreement(is_public=before)
    client.force_login(staff_in(EDITORS))

    changelist = client.get(admin_url("agreement", "changelist"))
    response = run_action(client, action, agreement)

    assert f'value="{action}"' in changelist.text
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.is_public is after


def test_agreement_delete_action_removes_agreement_and_parties(staff_client):
    agreement = bilateral_agreement()

    response = staff_client.post(
        admin_url("agreement", "changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [agreement.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_agreement_change_form_links_to_the_public_page_only_when_public(staff_client):
    public = bilateral_agreement(is_public=True)
    hidden = bilateral_agreement(is_public=False)

    public_page = staff_client.get(admin_url("agreement", "change", public.pk))
    hidden_page = staff_client.get(admin_url("agreement", "change", hidden.pk))

    assert public.get_absolute_url() in public_page.text
    assert "viewsitelink" not in hidden_page.text


def test_agreement_party_delete_leaving_one_party_is_refused(staff_client):
    agreement = bilateral_agreement()
    party = agreement.parties.first()

    response = staff_client.post(
        admin_url("agreementparty", "delete", party.pk), {"post": "yes"}, follow=True
    )

    assert response.redirect_chain == [(admin_url("agreement", "change", agreement.pk), 302)]
    assert "An agreement keeps at least 2 parties." in response.text
    assert agreement.parties.count() == 2


def test_agreement_party_delete_of_a_third_party_deletes_it(staff_client):
    agreement = bilateral_agreement()
    third = AgreementPartyFactory(agreement=agreement, order=2)

    response = staff_client.post(admin_url("agreementparty", "delete", third.pk), {"post": "yes"})

    assert response.status_code == 302
    assert agreement.parties.count() == 2


def test_agreement_party_changelist_has_no_bulk_delete(staff_client):
    AgreementPartyFactory()

    response = staff_client.get(admin_url("agreementparty", "changelist"))

    assert "delete_selected" not in response.text


def test_agreement_changelist_signed_on_hierarchy_narrows_the_list(staff_client):
    bilateral_agreement(title="Older", signed_on=datetime.date(2019, 5, 1))
    bilateral_agreement(title="Newer", signed_on=datetime.date(2025, 9, 19))

    response = staff_client.get(admin_url("agreement", "changelist"), {"signed_on__year": 2025})

    assert [agreement.title for agreement in response.context["cl"].result_list] == ["Newer"]


def test_agreement_changelist_search_finds_a_party(staff_client):
    agreement = AgreementFactory(title="With Kista")
    AgreementPartyFactory(agreement=agreement, organisation__name="Kista Science City")
    AgreementPartyFactory(agreement=agreement, organisation__name="Kista Innovation Park")
    bilateral_agreement(title="Without")

    response = staff_client.get(admin_url("agreement", "changelist"), {"q": "Kista"})

    assert [row.title for row in response.context["cl"].result_list] == ["With Kista"]
    assert response.context["cl"].result_list[0].party_count == 2


def test_agreement_party_organisation_autocomplete_finds_by_short_name(staff_client):
    OrganisationFactory(name="Kista Science City", short_name="KSC")
    OrganisationFactory(name="Another Park")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "agreements",
            "model_name": "agreementparty",
            "field_name": "organisation",
            "term": "KSC",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Kista Science City"]


def test_agreement_add_takes_the_conclusion_and_status_from_the_parties_dates(staff_client):
    first, second = OrganisationFactory(), OrganisationFactory()
    data = agreement_data(
        [
            party_row(first, signed_on="2024-02-01"),
            party_row(second, order="1", signed_on="2024-02-10"),
        ],
        signed_on="2024-02-01",
        effective_on="2024-03-01",
        expires_on="2099-02-28",
    )

    response = staff_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="cooperation-between-two-parks")
    assert agreement.signed_on == datetime.date(2024, 2, 10)
    assert agreement.status == Agreement.Status.ACTIVE
    assert [party.signed_on for party in agreement.parties.all()] == [
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 10),
    ]


def test_agreement_add_terminated_without_reason_shows_the_field_error(staff_client):
    parties = [party_row(OrganisationFactory()), party_row(OrganisationFactory(), order="1")]

    response = staff_client.post(
        admin_url("agreement", "add"), agreement_data(parties, terminated_on="2025-10-01")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["termination_reason"] == [
        "Say why it was terminated."
    ]
    assert not Agreement.objects.exists()


def test_agreement_change_refuses_a_chain_that_loops(staff_client):
    first = bilateral_agreement()
    second = bilateral_agreement(follows=first, relation=Agreement.Relation.RENEWS)
    data = agreement_data(
        existing_party_rows(first),
        2,
        title=first.title,
        slug=first.slug,
        follows=second.pk,
        relation="renews",
    )

    response = staff_client.post(admin_url("agreement", "change", first.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["follows"] == [
        "That agreement already amends or renews this one."
    ]


def test_agreement_list_filters_those_expiring_within_90_days(staff_client):
    soon = bilateral_agreement(title="Soon", expires_on=datetime.date.today())
    bilateral_agreement(title="Later", expires_on=datetime.date(2099, 1, 1))

    response = staff_client.get(admin_url("agreement", "changelist"), {"expiring": "90"})

    assert [row.pk for row in response.context["cl"].result_list] == [soon.pk]


def test_party_change_with_the_last_signing_date_concludes_the_agreement(staff_client):
    agreement = bilateral_agreement(signed_on=datetime.date(2024, 1, 5))
    first, second = agreement.parties.all()
    first.signed_on = datetime.date(2024, 1, 2)
    first.save()

    response = staff_client.post(
        admin_url("agreementparty", "change", second.pk),
        {
            "agreement": agreement.pk,
            "organisation": second.organisation_id,
            "reference_number": "",
            "signatory": "",
            "signed_on": "2024-01-09",
            "order": "1",
        },
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.signed_on == datetime.date(2024, 1, 9)


# Documents, in the agreement's page


def document_rows(*files, **fields) -> dict:
    rows = [
        {"kind": "signed_text", "title": "", "language": "en", "file": file, "order": str(n)}
        | fields
        for n, file in enumerate(files)
    ]
    return inline_rows("documents", rows)


def test_admin_uploads_several_documents_checked_by_the_pdf_parser(admin_client):
    first, second = OrganisationFactory(), OrganisationFactory()
    data = agreement_data([party_row(first), party_row(second, order="1")])
    data.update(
        document_rows(
            SimpleUploadedFile("signed.pdf", pdf_bytes()),
            SimpleUploadedFile("traduction.pdf", pdf_bytes(pages=2)),
            kind="translation",
            language="fr",
            is_public="on",
        )
    )

    response = admin_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert [(d.kind, d.language, d.is_public) for d in agreement.documents.all()] == [
        ("translation", "fr", True),
        ("translation", "fr", True),
    ]
    assert agreement.documents.first().history.get().history_user.is_superuser


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "The file is not a PDF document."),
        (b"%PDF-1.4\n<html>not a document</html>", "The file is not a valid PDF."),
    ],
)
def test_admin_refuses_a_document_that_is_no_pdf_naming_the_field(admin_client, content, message):
    first, second = OrganisationFactory(), OrganisationFactory()
    data = agreement_data([party_row(first), party_row(second, order="1")])
    data.update(document_rows(SimpleUploadedFile("signed.pdf", content)))

    response = admin_client.post(admin_url("agreement", "add"), data)

    assert response.status_code == 200
    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "documents"
    )
    assert formset.formset.errors == [{"file": [message]}]
    assert not Agreement.objects.exists()


def test_admin_change_form_publishes_a_document(admin_client):
    agreement = bilateral_agreement()
    document = AgreementDocumentFactory(agreement=agreement)
    parties = existing_party_rows(agreement)
    data = agreement_data_of(agreement, parties, initial=len(parties))
    data.update(
        inline_rows(
            "documents",
            [
                {
                    "id": document.pk,
                    "agreement": agreement.pk,
                    "kind": "signed_text",
                    "title": "",
                    "language": "en",
                    "is_public": "on",
                    "order": "0",
                }
            ],
            initial=1,
        )
    )

    response = admin_client.post(admin_url("agreement", "change", agreement.pk), data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_public is True
    assert document.history.first().history_type == "~"
