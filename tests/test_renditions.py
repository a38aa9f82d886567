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
