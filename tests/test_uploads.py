"""Uploaded files: the stored name follows the format a parser found, and no file outlives
the last record that points to it."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import modelform_factory

from agreements.models import AgreementDocument
from conferences.models import Conference
from core.db.uploads import IMAGE_EXTENSIONS
from core.validators import ALLOWED_IMAGE_FORMATS
from members.models import Organisation
from tests.factories import (
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    bilateral_agreement,
    organisation_with_logo,
    person_with_photo,
)
from tests.upload_support import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def upload_through_form(instance, field: str, content: bytes, name: str):
    """As the admin saves an upload: a ModelForm, the model's validators, then save()."""
    form_class = modelform_factory(type(instance), fields=[field])
    form = form_class(instance=instance, data={}, files={field: SimpleUploadedFile(name, content)})
    assert form.is_valid(), form.errors
    return form.save()


def extension(name: str) -> str:
    match = re.fullmatch(r".+-[0-9a-f]{8}(\.[a-z]+)?", name)
    assert match, name
    return match.group(1) or ""


# The stored extension is the detected format's, never the client's


@pytest.mark.parametrize("client_name", ["logo.pdf", "logo.eps", "logo.ico", "logo.bmp"])
def test_png_logo_is_stored_as_png_whatever_the_client_called_it(client_name):
    organisation = upload_through_form(
        OrganisationFactory(), "logo", image_bytes("PNG"), client_name
    )

    assert organisation.logo.name.startswith("organisations/logos/")
    assert extension(organisation.logo.name) == ".png"


@pytest.mark.parametrize(
    ("image_format", "client_name", "stored"),
    [("JPEG", "photo.png", ".jpg"), ("WEBP", "photo.gif", ".webp"), ("GIF", "photo.jpeg", ".gif")],
)
def test_photo_is_stored_under_the_extension_of_its_format(image_format, client_name, stored):
    person = upload_through_form(PersonFactory(), "photo", image_bytes(image_format), client_name)

    assert person.photo.name.startswith("people/photos/")
    assert extension(person.photo.name) == stored


def test_conference_cover_is_stored_under_the_extension_of_its_format():
    conference = upload_through_form(
        ConferenceFactory(), "cover_image", image_bytes("JPEG"), "cover.webp"
    )

    assert extension(conference.cover_image.name) == ".jpg"


def test_image_assigned_without_a_form_is_named_by_its_format_too():
    organisation = OrganisationFactory(logo=ContentFile(image_bytes("GIF"), name="logo.html"))

    assert extension(organisation.logo.name) == ".gif"


def test_image_saved_straight_by_code_keeps_only_a_known_image_extension():
    organisation = OrganisationFactory()

    organisation.logo.save("logo.pdf", ContentFile(image_bytes("PNG")))
    kept = organisation.logo.name
    organisation.logo.save("logo.JPEG", ContentFile(image_bytes("JPEG")))

    assert extension(kept) == ""
    assert extension(organisation.logo.name) == ".jpg"


def test_document_is_stored_as_pdf_whatever_the_client_called_it():
    document = AgreementDocument(agreement=bilateral_agreement(slug="step-and-ebn"))

    document.file.save("scan.html", ContentFile(pdf_bytes()), save=False)

    assert document.file.name.startswith("agreements/documents/step-and-ebn-")
    assert extension(document.file.name) == ".pdf"


def test_every_accepted_image_format_has_its_extension():
    assert set(IMAGE_EXTENSIONS) == ALLOWED_IMAGE_FORMATS


# Files no record points to are removed, once the change is committed


def test_replacing_a_logo_removes_the_old_file_after_the_commit(
    django_capture_on_commit_callbacks,
):
    organisation = organisation_with_logo()
    old = organisation.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        upload_through_form(organisation, "logo", image_bytes("PNG"), "new.png")
        assert default_storage.exists(old)  # not before the commit

    assert not default_storage.exists(old)
    assert default_storage.exists(Organisation.objects.get().logo.name)


def test_logo_of_a_rolled_back_change_stays(django_capture_on_commit_callbacks):
    organisation = organisation_with_logo()
    old = organisation.logo.name

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        organisation.logo = ContentFile(image_bytes("PNG"), name="new.png")
        organisation.save()
        raise RuntimeError("the save fails")

    assert callbacks == []
    assert default_storage.exists(old)


def test_clearing_a_logo_removes_the_file(django_capture_on_commit_callbacks):
    organisation = organisation_with_logo()
    old = organisation.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        organisation.logo = None
        organisation.save()

    assert not default_storage.exists(old)


def test_deleting_a_person_removes_the_photo(django_capture_on_commit_callbacks):
    person = person_with_photo()
    photo = person.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        person.delete()

    assert not default_storage.exists(photo)


def test_replacing_a_conference_cover_removes_the_old_file(django_capture_on_commit_callbacks):
    conference = ConferenceFactory(cover_image=ContentFile(image_bytes("PNG"), name="a.png"))
    old = conference.cover_image.name

    with django_capture_on_commit_callbacks(execute=True):
        conference.cover_image = ContentFile(image_bytes("JPEG"), name="b.jpg")
        conference.save()

    assert not default_storage.exists(old)
    assert default_storage.exists(Conference.objects.get().cover_image.name)


def test_replacing_a_document_removes_the_old_one_from_the_private_folder(
    django_capture_on_commit_callbacks,
):
    document = AgreementDocument(agreement=bilateral_agreement())
    document.file.save("first.pdf", ContentFile(pdf_bytes()))
    old = document.file.name
    storage = document.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        document.file.save("second.pdf", ContentFile(pdf_bytes(pages=2)))

    assert not storage.exists(old)
    assert storage.exists(AgreementDocument.objects.get().file.name)


def test_file_still_referenced_by_another_record_is_kept(django_capture_on_commit_callbacks):
    organisation = organisation_with_logo()
    shared = organisation.logo.name
    other = OrganisationFactory()
    Organisation.objects.filter(pk=other.pk).update(logo=shared)  # as an import might

    with django_capture_on_commit_callbacks(execute=True):
        organisation.logo = ContentFile(image_bytes("PNG"), name="new.png")
        organisation.save()

    assert default_storage.exists(shared)
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.get(pk=other.pk).delete()
    assert not default_storage.exists(shared)


def test_history_keeps_the_name_of_a_replaced_logo_whose_file_is_gone(
    django_capture_on_commit_callbacks,
):
    organisation = organisation_with_logo()
    old = organisation.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        organisation.logo = ContentFile(image_bytes("PNG"), name="new.png")
        organisation.save()

    assert organisation.history.earliest().logo == old
    assert not default_storage.exists(old)
