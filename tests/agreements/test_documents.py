"""Signed documents: kept outside the media folder, public ones to all, the others to staff."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agreements.models import AgreementDocument
from agreements.services import add_agreement_documents
from agreements.validators import validate_pdf_upload
from tests.factories import AgreementDocumentFactory, UserFactory, bilateral_agreement
from tests.upload_support import pdf_bytes, pdf_from_objects

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()

# The agreement page (agreement, parties, topics, documents, the agreements following it) and
# the API detail, whatever the number of documents.
AGREEMENT_PAGE_QUERIES = 5
API_DETAIL_QUERIES = 5


def with_document(*, public: bool, **kwargs) -> AgreementDocument:
    return AgreementDocumentFactory(
        agreement=bilateral_agreement(**kwargs),
        file=ContentFile(PDF, name="signed.pdf"),
        is_public=public,
    )


def test_document_is_stored_outside_the_media_folder():
    document = with_document(public=True)

    path = Path(document.file.path)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert document.file.url.startswith("/agreements/documents/")


def test_public_document_is_served_to_anyone(client):
    document = with_document(public=True, slug="step-and-ebn")

    response = client.get(document.file.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="step-and-ebn.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_each_document_is_served_under_its_own_name(client):
    agreement = bilateral_agreement(slug="step-and-ebn")
    text = AgreementDocumentFactory(agreement=agreement, is_public=True)
    translation = AgreementDocumentFactory(
        agreement=agreement,
        kind=AgreementDocument.Kind.TRANSLATION,
        language="fr",
        is_public=True,
        order=1,
    )

    text_response = client.get(text.file.url)
    translation_response = client.get(translation.file.url)

    assert text.file.url != translation.file.url
    assert 'filename="step-and-ebn.pdf"' in text_response["Content-Disposition"]
    assert translation_response["Content-Disposition"] == (
        f'inline; filename="step-and-ebn-translation-fr-{translation.pk}.pdf"'
    )


def test_public_agreement_page_lists_its_public_documents(client):
    document = with_document(public=True)
    AgreementDocumentFactory(
        agreement=document.agreement,
        kind=AgreementDocument.Kind.ANNEX,
        title="Annex I: work plan",
        language="fr",
        is_public=True,
        order=1,
    )
    private = AgreementDocumentFactory(agreement=document.agreement, order=2)

    page = client.get(document.agreement.get_absolute_url()).content.decode()

    size = len(PDF)
    assert (
        f'href="{document.file.url}" type="application/pdf" hreflang="en">Signed text</a>' in page
    )
    assert f"(English, PDF, {size}\xa0bytes)" in page or f"(English, PDF, {size} bytes)" in page
    assert ">Annex I: work plan</a>" in page
    assert "(Annex, French, PDF, " in page
    assert private.file.url not in page
    assert "staff only" not in page


def test_staff_see_every_document_on_the_page_marked_when_private(staff_client):
    document = with_document(public=False)

    page = staff_client.get(document.agreement.get_absolute_url()).content.decode()

    assert f'href="{document.file.url}"' in page
    assert "<strong>staff only</strong>" in page


# Who may open a document: visitor, member, partner token, staff token, staff in the admin;
# each for a public or private document of a public or hidden agreement.
VISIBILITY = [
    # (document public, agreement public, visitor, logged-in non-staff, staff)
    (True, True, 200, 200, 200),
    (False, True, 404, 404, 200),
    (True, False, 404, 404, 200),
    (False, False, 404, 404, 200),
]


@pytest.mark.parametrize(("public", "agreement_public", "visitor", "user", "staff"), VISIBILITY)
def test_document_visibility_by_audience(
    staff_user, public, agreement_public, visitor, user, staff
):
    url = with_document(public=public, is_public=agreement_public).file.url
    member, staff_member = Client(), Client()
    member.force_login(UserFactory())
    staff_member.force_login(staff_user)

    assert Client().get(url).status_code == visitor
    assert member.get(url).status_code == user
    assert staff_member.get(url).status_code == staff


@pytest.mark.parametrize(("public", "agreement_public", "visitor", "user", "staff"), VISIBILITY)
def test_document_visibility_by_api_token(
    api_client, staff_token, partner_token, public, agreement_public, visitor, user, staff
):
    url = with_document(public=public, is_public=agreement_public).file.url

    partner = api_client.get(url, HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
    staff_answer = api_client.get(url, HTTP_AUTHORIZATION=f"Bearer {staff_token.key}")
    forged = api_client.get(url, HTTP_AUTHORIZATION="Bearer spp_forged")

    assert (partner.status_code, staff_answer.status_code, forged.status_code) == (
        visitor,
        staff,
        visitor,
    )


def test_staff_read_a_document_that_is_not_public(staff_client):
    document = with_document(public=False)

    response = staff_client.get(document.file.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"


def test_api_gives_the_staff_token_the_address_it_can_read(staff_api_client):
    document = with_document(public=False)

    data = staff_api_client.get(f"/api/v1/agreements/{document.agreement.slug}/").json()

    assert data["documents"][0]["url"] == f"http://testserver{document.file.url}"


def test_unknown_or_missing_file_is_a_404(staff_client):
    document = with_document(public=False)
    Path(document.file.path).unlink()

    assert staff_client.get(document.file.url).status_code == 404
    assert staff_client.get("/agreements/documents/nothing.pdf").status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_agreement_page_reads_its_documents_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    agreement = bilateral_agreement()
    for order in range(count):
        AgreementDocumentFactory(agreement=agreement, is_public=True, order=order)

    with django_assert_num_queries(AGREEMENT_PAGE_QUERIES):
        response = client.get(agreement.get_absolute_url())

    assert response.content.decode().count('type="application/pdf"') == count


@pytest.mark.parametrize("count", [1, 6])
def test_api_detail_reads_its_documents_in_a_fixed_number_of_queries(
    api_client, django_assert_num_queries, count
):
    agreement = bilateral_agreement()
    for order in range(count):
        AgreementDocumentFactory(agreement=agreement, is_public=True, order=order)

    with django_assert_num_queries(API_DETAIL_QUERIES):
        response = api_client.get(f"/api/v1/agreements/{agreement.slug}/")

    assert len(response.json()["documents"]) == count


# Only a PDF that a parser reads is accepted


def refusal_code(content: bytes, name: str = "signed.pdf") -> str:
    with pytest.raises(ValidationError) as info:
        validate_pdf_upload(SimpleUploadedFile(name, content))
    return info.value.code


def test_html_with_the_pdf_marker_in_a_comment_is_refused():
    html = b"<!doctype html><!-- %PDF-1.4 --><script>alert(document.cookie)</script>"

    assert refusal_code(html) == "document_not_pdf"


def test_html_that_hides_a_whole_pdf_after_its_first_bytes_is_refused():
    assert refusal_code(b"<html><!--\n" + pdf_bytes() + b"\n--></html>") == "document_not_pdf"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body>not a document</body></html>",
        pdf_bytes()[:-200],  # cut short: no cross-reference table, no trailer
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n",
    ],
    ids=["html-behind-a-pdf-header", "truncated", "no-pages-tree"],
)
def test_file_with_a_pdf_header_that_no_parser_reads_is_refused(content):
    assert refusal_code(content) == "document_invalid"


def test_refusal_of_a_broken_pdf_says_it_is_not_a_valid_pdf():
    with pytest.raises(ValidationError) as info:
        validate_pdf_upload(SimpleUploadedFile("x.pdf", b"%PDF-1.4\ngarbage"))

    assert info.value.messages == ["The file is not a valid PDF."]


def test_pdf_without_pages_is_refused():
    assert refusal_code(pdf_bytes(pages=0)) == "document_invalid"


@pytest.mark.parametrize(
    "objects",
    [
        (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
        (
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
        ),
        (b"<< /Type /Catalog /Pages 1 0 R >>",),
    ],
    ids=["page-tree-is-its-own-child", "page-tree-loop", "catalog-is-its-page-tree"],
)
def test_hostile_page_tree_is_refused_without_hanging(objects):
    assert refusal_code(pdf_from_objects(*objects)) == "document_invalid"


def test_pdf_that_needs_a_password_to_open_is_refused():
    assert refusal_code(pdf_bytes(user_password="secret", owner_password="owner")) == (
        "document_encrypted"
    )


@pytest.mark.parametrize(
    "content",
    [
        pdf_bytes(),
        pdf_bytes(pages=3),
        pdf_bytes(owner_password="owner"),  # restricted printing or editing, opens for all
        pdf_from_objects(
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ),
    ],
    ids=["one-page", "three-pages", "owner-password-only", "hand-made"],
)
def test_pdf_that_a_parser_reads_is_accepted(content):
    upload = SimpleUploadedFile("signed.pdf", content)
    upload.seek(3)

    validate_pdf_upload(upload)

    assert upload.tell() == 3


def test_agreement_document_refuses_html_polyglot_as_its_file():
    document = AgreementDocument(
        agreement=bilateral_agreement(),
        file=SimpleUploadedFile("signed.pdf", b"<html><!-- %PDF-1.4 --></html>"),
    )

    with pytest.raises(ValidationError) as info:
        document.full_clean()

    assert [error.code for error in info.value.error_dict["file"]] == ["document_not_pdf"]


def test_add_agreement_documents_refuses_every_file_if_one_is_not_a_pdf():
    agreement = bilateral_agreement()
    files = [
        SimpleUploadedFile("signed.pdf", PDF),
        SimpleUploadedFile("annex.pdf", b"%PDF-1.4\n<script>alert(1)</script>"),
    ]

    with pytest.raises(ValidationError) as info:
        add_agreement_documents(agreement=agreement, files=files)

    assert info.value.message_dict == {"documents": ["The file is not a valid PDF."]}
    assert not AgreementDocument.objects.exists()


def test_add_agreement_documents_keeps_them_private_after_those_it_has():
    agreement = bilateral_agreement()
    AgreementDocumentFactory(agreement=agreement, is_public=True)

    added = add_agreement_documents(
        agreement=agreement,
        files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
        kind=AgreementDocument.Kind.TRANSLATION,
        language="de",
    )

    assert [(d.order, d.kind, d.language, d.is_public) for d in added] == [
        (1, "translation", "de", False),
        (2, "translation", "de", False),
    ]
    assert added[0].history.get().history_type == "+"


def test_api_list_writes_each_document_as_the_document_shape_does(api_client):
    from rest_framework.test import APIRequestFactory

    from portal.api.agreements.serializers import AgreementDocumentSerializer

    agreement = bilateral_agreement()
    documents = [
        AgreementDocumentFactory(agreement=agreement, is_public=True, order=0, title=""),
        AgreementDocumentFactory(agreement=agreement, is_public=True, order=1, title="Annex"),
    ]
    request = APIRequestFactory().get("/api/v1/agreements/")
    expected = AgreementDocumentSerializer(documents, many=True, context={"request": request}).data

    (row,) = api_client.get("/api/v1/agreements/").json()["results"]

    assert row["documents"] == [dict(document) for document in expected]
    assert row["documents"][0]["title"] == str(documents[0].get_kind_display())
