import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Agreement, AgreementDocument
from agreements.services import ask_correction, confirm_agreement, update_agreement
from tests.agreements.confirmation_support import contact_of, proposed, two_parks
from tests.factories import (
    AgreementDocumentFactory,
    OrganisationFactory,
    TopicFactory,
    agreement_between,
)
from tests.upload_support import pdf_bytes

pytestmark = pytest.mark.django_db

NEW_URL = "/account/agreements/new/"
LIST_URL = "/account/agreements/"


def with_document(agreement: Agreement) -> AgreementDocument:
    return AgreementDocumentFactory(agreement=agreement)


def area_urls(agreement: Agreement) -> list[str]:
    return [f"/account/agreements/{agreement.slug}/", f"/account/agreements/{agreement.slug}/edit/"]


def new_agreement_data(park_a, park_b, **fields) -> dict:
    return {
        "organisation": park_a.pk,
        "other_parties": [park_b.pk],
        "kind": Agreement.Kind.COOPERATION,
        "title": "Alpha and Beta cooperate",
        "signed_on": "2026-03-02",
        "signed_city": "Espoo",
        "summary": "",
        **fields,
    }


def field_errors(response) -> dict:
    assert response.status_code == 200
    return response.context["form"].errors


# Who sees what


def test_area_pages_ask_an_anonymous_visitor_to_sign_in(client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    for url in [LIST_URL, NEW_URL, *area_urls(agreement)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/account/login/")


def test_a_contact_of_a_third_organisation_gets_404_on_every_agreement_url(client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    document = with_document(agreement)
    client.force_login(contact_of(OrganisationFactory(), "carla"))
    for url in area_urls(agreement):
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"action": "confirm", "organisation": park_b.slug}).status_code == 404
        )
    assert client.get(document.file.url).status_code == 404
    page = client.get(LIST_URL).content.decode()
    assert agreement.title not in page


def test_a_party_may_not_answer_for_an_organisation_it_does_not_speak_for(client):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    client.force_login(bruno)
    response = client.post(
        f"/account/agreements/{agreement.slug}/", {"action": "confirm", "organisation": park_a.slug}
    )
    assert response.status_code == 404


def test_the_other_party_cannot_edit_the_record(client):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    client.force_login(bruno)
    assert client.get(f"/account/agreements/{agreement.slug}/edit/").status_code == 404
    assert (
        "Change the record"
        not in client.get(f"/account/agreements/{agreement.slug}/").content.decode()
    )


def test_a_published_record_is_no_longer_edited_here(client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    update_agreement(agreement=agreement, is_public=True, confirmation_note="By letter.")
    client.force_login(alice)
    assert client.get(f"/account/agreements/{agreement.slug}/edit/").status_code == 404


def test_contacts_of_a_party_read_the_document_staff_keep_private(client):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    document = with_document(agreement)
    assert client.get(document.file.url).status_code == 404
    client.force_login(bruno)
    assert (
        document.file.url in client.get(f"/account/agreements/{agreement.slug}/").content.decode()
    )
    response = client.get(document.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


# The list


def test_list_puts_what_waits_for_my_confirmation_first(client):
    park_a, alice, park_b, bruno = two_parks()
    theirs = proposed(park_a, alice, park_b, title="Recorded by Alpha")
    ours = proposed(park_b, bruno, park_a, title="Recorded by Beta")
    older = agreement_between(park_b, OrganisationFactory(), title="Signed long ago")
    client.force_login(bruno)
    response = client.get(LIST_URL)
    assert response["Cache-Control"] == "private, no-store"
    waiting = [row["agreement"] for row in response.context["waiting"]]
    mine = [row["agreement"] for row in response.context["proposed"]]
    others = [row["agreement"] for row in response.context["others"]]
    assert (waiting, mine, others) == ([theirs], [ours], [older])
    page = response.content.decode()
    assert page.index("Recorded by Alpha") < page.index("Recorded by Beta")
    assert "Beta Innovation Park: <strong>Waiting for confirmation</strong>" in page


def test_home_counts_the_agreements_waiting_for_my_confirmation(client):
    park_a, alice, park_b, bruno = two_parks()
    proposed(park_a, alice, park_b, title="One")
    second = proposed(park_a, alice, park_b, title="Two")
    confirm_agreement(agreement=second, organisation=park_b, user=bruno)
    client.force_login(bruno)
    page = client.get("/account/").content.decode()
    assert "1 agreement waits for your confirmation." in page
    assert f'href="{LIST_URL}"' in page


@pytest.mark.parametrize("rows", [1, 4])
def test_list_query_budget(client, django_assert_num_queries, rows):
    park_a, alice, park_b, bruno = two_parks()
    topic = TopicFactory()
    for number in range(rows):
        agreement = proposed(park_a, alice, park_b, title=f"Agreement {number}")
        update_agreement(agreement=agreement, topics=[topic])
        ask_correction(agreement=agreement, organisation=park_b, user=bruno, message="Typo.")
    client.force_login(bruno)
    # session, user, contacts, agreements, their parties with answers, topics, documents
    with django_assert_num_queries(7):
        response = client.get(LIST_URL)
    assert len(response.context["others"]) == rows
    assert "Beta Innovation Park: <strong>Correction asked</strong>" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 4])
def test_detail_query_budget(client, django_assert_num_queries, rows):
    park_a, alice, park_b, bruno = two_parks()
    others = [OrganisationFactory() for _ in range(rows)]
    agreement = proposed(park_a, alice, park_b)
    update_agreement(agreement=agreement, parties=[park_a, park_b, *others])
    client.force_login(bruno)
    with django_assert_num_queries(7):
        client.get(f"/account/agreements/{agreement.slug}/")


# The form: every value is hostile


def test_new_agreement_form_lists_organisations_by_name_and_place(client):
    _park_a, alice, _park_b, _bruno = two_parks()
    client.force_login(alice)
    page = client.get(NEW_URL).content.decode()
    assert "Beta Innovation Park — Porto, Portugal" in page


def test_new_agreement_with_a_bad_date_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_a, park_b, signed_on="2026-02-30"))
    )
    assert errors["signed_on"] == ["Enter a valid date."]
    assert not Agreement.objects.exists()


def test_new_agreement_with_a_large_file_that_is_no_pdf_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    upload = SimpleUploadedFile("agreement.pdf", b"<html>" + b"x" * (3 * 1024 * 1024))
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_a, park_b, documents=upload))
    )
    assert errors["documents"] == ["The file is not a PDF document."]
    assert not Agreement.objects.exists()


def test_new_agreement_with_my_own_organisation_as_other_party_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_a, park_b, other_parties=[park_a.pk]))
    )
    assert errors["other_parties"] == [
        "Alpha Science Park records the agreement: choose only the other parties."
    ]


@pytest.mark.parametrize("value", ["999999", "not-a-number", "1 OR 1=1", "\x00"])
def test_new_agreement_with_an_unknown_organisation_is_a_field_error(client, value):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    response = client.post(NEW_URL, new_agreement_data(park_a, park_b, other_parties=[value]))
    assert "other_parties" in field_errors(response)


def test_new_agreement_for_an_organisation_i_am_not_a_contact_of_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_b, park_a, organisation=park_b.pk))
    )
    assert "organisation" in errors


def test_new_agreement_without_parties_or_title_shows_each_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_a, park_b, other_parties=[], title="  "))
    )
    assert set(errors) >= {"other_parties", "title"}


def test_new_agreement_with_a_title_of_no_letters_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    errors = field_errors(client.post(NEW_URL, new_agreement_data(park_a, park_b, title="!!!")))
    assert errors["title"] == ["Give a title with letters or digits."]


def test_new_agreement_with_a_real_pdf_is_recorded_with_it(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    uploads = [
        SimpleUploadedFile("agreement.pdf", pdf_bytes()),
        SimpleUploadedFile("accord.pdf", pdf_bytes(pages=2)),
    ]
    response = client.post(
        NEW_URL,
        new_agreement_data(
            park_a, park_b, documents=uploads, document_kind="translation", document_language="fr"
        ),
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    documents = list(agreement.documents.all())
    assert [(d.kind, d.language, d.is_public, d.order) for d in documents] == [
        ("translation", "fr", False, 0),
        ("translation", "fr", False, 1),
    ]
    assert all(document.file.name.endswith(".pdf") for document in documents)
    assert [party.organisation for party in agreement.parties.all()] == [park_a, park_b]


def test_a_user_who_is_no_contact_cannot_record_an_agreement(client, staff_user):
    client.force_login(staff_user)
    assert client.get(NEW_URL).status_code == 404


def test_new_agreement_with_too_many_files_at_once_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    uploads = [SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(11)]
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_a, park_b, documents=uploads))
    )
    assert errors["documents"] == ["Upload at most 10 documents at once."]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("document_kind", "contract"), ("document_language", "xx\x00")]
)
def test_new_agreement_with_an_unknown_document_kind_or_language_is_a_field_error(
    client, field, value
):
    park_a, alice, park_b, _bruno = two_parks()
    client.force_login(alice)
    errors = field_errors(
        client.post(NEW_URL, new_agreement_data(park_a, park_b, **{field: value}))
    )
    assert field in errors
    assert not Agreement.objects.exists()


def test_edit_with_a_new_pdf_adds_a_signed_text_and_asks_again(
    client, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    client.force_login(alice)
    data = new_agreement_data(park_a, park_b, title=agreement.title)
    del data["organisation"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/account/agreements/{agreement.slug}/edit/",
            {**data, "documents": SimpleUploadedFile("signed.pdf", pdf_bytes())},
        )
    assert response.status_code == 302
    assert agreement.documents.get().kind == "signed_text"
    assert [message.to for message in mail.outbox] == [[bruno.email]]


def test_edit_with_a_file_that_is_no_pdf_is_a_field_error(client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    client.force_login(alice)
    data = new_agreement_data(park_a, park_b, signed_on="yesterday")
    del data["organisation"]
    response = client.post(
        f"/account/agreements/{agreement.slug}/edit/",
        {**data, "documents": SimpleUploadedFile("signed.txt", b"plain text")},
    )
    errors = field_errors(response)
    assert errors["documents"] == ["Upload the document as a PDF file."]
    assert errors["signed_on"] == ["Enter a valid date."]


def test_edit_with_an_annex_does_not_ask_the_parties_again(
    client, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    client.force_login(alice)
    data = new_agreement_data(park_a, park_b, title=agreement.title)
    del data["organisation"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/account/agreements/{agreement.slug}/edit/",
            {
                **data,
                "documents": SimpleUploadedFile("annex.pdf", pdf_bytes()),
                "document_kind": "annex",
            },
        )
    assert response.status_code == 302
    assert agreement.documents.get().kind == "annex"
    assert mail.outbox == []
