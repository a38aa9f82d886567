"""Signed documents: kept outside the media folder, public ones to all, the others to staff."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.validators import validate_pdf_upload
from tests.factories import UserFactory, bilateral_agreement
from tests.upload_support import pdf_bytes, pdf_from_objects

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def with_document(*, public: bool, **kwargs):
    agreement = bilateral_agreement(**kwargs)
    agreement.document.save("signed.pdf", ContentFile(PDF), save=False)
    agreement.document_is_public = public
    agreement.save()
    return agreement


def test_document_is_stored_outside_the_media_folder():
    agreement = with_document(public=True)

    path = Path(agreement.document.path)
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert agreement.document.url.startswith("/agreements/documents/")


def test_public_document_is_served_to_anyone(client):
    agreement = with_document(public=True)

    response = client.get(agreement.document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{agreement.slug}.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=3600"


def test_public_agreement_page_links_its_public_document(client):
    agreement = with_document(public=True)

    page = client.get(agreement.get_absolute_url()).content.decode()

    assert f'href="{agreement.document.url}"' in page


def test_document_for_staff_only_is_a_404_for_visitors(client):
    agreement = with_document(public=False)

    assert client.get(agreement.document.url).status_code == 404
    assert agreement.document.url not in client.get(agreement.get_absolute_url()).content.decode()


def test_document_of_a_hidden_agreement_is_a_404_for_visitors(client):
    agreement = with_document(public=True, is_public=False)

    assert client.get(agreement.document.url).status_code == 404


def test_document_for_staff_only_is_a_404_for_a_logged_in_non_staff_user(client):
    agreement = with_document(public=False)
    client.force_login(UserFactory())

    assert client.get(agreement.document.url).status_code == 404


def test_staff_read_a_document_that_is_not_public(staff_client):
    agreement = with_document(public=False)

    response = staff_client.get(agreement.document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"


def test_staff_token_from_the_api_also_reads_it(api_client, staff_token, partner_token):
    agreement = with_document(public=False)
    url = agreement.document.url

    partner = api_client.get(url, HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
    staff = api_client.get(url, HTTP_AUTHORIZATION=f"Bearer {staff_token.key}")
    forged = api_client.get(url, HTTP_AUTHORIZATION="Bearer spp_forged")

    assert (partner.status_code, staff.status_code, forged.status_code) == (404, 200, 404)


def test_api_gives_the_staff_token_the_address_it_can_read(staff_api_client):
    agreement = with_document(public=False)

    data = staff_api_client.get(f"/api/v1/agreements/{agreement.slug}/").json()

    assert data["document"] == f"http://testserver{agreement.document.url}"


def test_unknown_or_missing_file_is_a_404(staff_client):
    agreement = with_document(public=False)
    Path(agreement.document.path).unlink()

    assert staff_client.get(agreement.document.url).status_code == 404
    assert staff_client.get("/agreements/documents/nothing.pdf").status_code == 404


def test_migration_moves_earlier_uploads_out_of_the_media_folder():
    agreement = bilateral_agreement()
    name = "agreements/documents/earlier-upload.pdf"
    default_storage.save(name, ContentFile(PDF))
    type(agreement).objects.filter(pk=agreement.pk).update(document=name)
    migration = importlib.import_module("agreements.migrations.0003_document_storage")

    migration.move_documents_out_of_media(apps, None)

    agreement.refresh_from_db()
    assert not default_storage.exists(name)
    assert agreement.document.read() == PDF


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


def test_agreement_refuses_html_polyglot_as_its_document():
    agreement = bilateral_agreement()
    agreement.document = SimpleUploadedFile("signed.pdf", b"<html><!-- %PDF-1.4 --></html>")

    with pytest.raises(ValidationError) as info:
        agreement.full_clean()

    assert [error.code for error in info.value.error_dict["document"]] == ["document_not_pdf"]
