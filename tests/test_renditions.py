from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from core.templatetags.site import rendition
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> ContentFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def test_rendition_fits_the_box_and_keeps_the_aspect_ratio(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(logo=png(800, 400))
    url = rendition(organisation.logo, "352x240")
    assert url.startswith(f"{settings.MEDIA_URL}renditions/352x240/organisations/logos/")
    name = url.removeprefix(settings.MEDIA_URL)
    with default_storage.open(name) as stored, Image.open(stored) as image:
        assert image.size == (352, 176)


def test_rendition_is_made_once_and_reused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(logo=png(300, 300))
    first = rendition(organisation.logo, "144x144")
    second = rendition(organisation.logo, "144x144")
    assert first == second
    assert (
        len(list((tmp_path / "renditions" / "144x144" / "organisations" / "logos").iterdir())) == 1
    )


def test_rendition_never_enlarges_a_small_image(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(logo=png(100, 50))
    name = rendition(organisation.logo, "352x240").removeprefix(settings.MEDIA_URL)
    with default_storage.open(name) as stored, Image.open(stored) as image:
        assert image.size == (100, 50)


def test_rendition_of_no_image_is_empty():
    assert rendition(OrganisationFactory.build().logo, "144x144") == ""


def test_rendition_of_a_missing_file_falls_back_to_the_original_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory.build()
    organisation.logo.name = "organisations/logos/gone.png"
    assert (
        rendition(organisation.logo, "144x144")
        == f"{settings.MEDIA_URL}organisations/logos/gone.png"
    )


def test_rendition_of_a_png_uploaded_as_pdf_is_named_png(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = png(300, 300)
    logo.name = "logo.pdf"
    organisation = OrganisationFactory(logo=logo)

    url = rendition(organisation.logo, "144x144")

    assert url.endswith(".png")
    with default_storage.open(url.removeprefix(settings.MEDIA_URL)) as stored:
        assert Image.open(stored).format == "PNG"


def test_renditions_are_removed_with_the_replaced_image(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(logo=png(300, 300))
    small = rendition(organisation.logo, "144x144").removeprefix(settings.MEDIA_URL)
    large = rendition(organisation.logo, "352x240").removeprefix(settings.MEDIA_URL)

    with django_capture_on_commit_callbacks(execute=True):
        organisation.logo = png(200, 200)
        organisation.save()

    assert not default_storage.exists(small)
    assert not default_storage.exists(large)
    assert default_storage.exists(
        rendition(organisation.logo, "144x144").removeprefix(settings.MEDIA_URL)
    )


def test_renditions_of_an_image_still_referenced_are_kept(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    organisation = OrganisationFactory(logo=png(300, 300))
    small = rendition(organisation.logo, "144x144").removeprefix(settings.MEDIA_URL)
    OrganisationFactory(logo=organisation.logo.name)

    with django_capture_on_commit_callbacks(execute=True):
        organisation.logo = png(200, 200)
        organisation.save()

    assert default_storage.exists(small)
