"""Signed documents: kept outside the media folder, public ones to all, the others to staff."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import UserFactory, bilateral_agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


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
