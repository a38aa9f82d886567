"""Upload validators shared by every image field of the portal (logos, photos, covers)."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@deconstructible
class ImageUploadValidator:
    """Accept only a real, reasonably sized image in a web format.

    Pillow opens the file lazily, so the pixel count is checked from the header before any
    decoding; a decompression bomb never reaches memory.
    """

    def __call__(self, upload) -> None:
        if is_stored(upload):
            return  # checked when it was uploaded; never read a stored file again
        size = getattr(upload, "size", None)
        if size is not None and size > settings.MAX_IMAGE_UPLOAD_BYTES:
            raise ValidationError(
                _("The image is %(size)s MB; the limit is %(limit)s MB."),
                code="image_too_large",
                params={
                    "size": round(size / 1_048_576, 1),
                    "limit": round(settings.MAX_IMAGE_UPLOAD_BYTES / 1_048_576, 1),
                },
            )
        position = upload.tell()
        try:
            image_format = self._check_pixels(upload)
        finally:
            upload.seek(position)
        if image_format not in ALLOWED_IMAGE_FORMATS:
            raise ValidationError(
                _("Images must be JPEG, PNG, WebP or GIF, not %(format)s."),
                code="image_format",
                params={"format": image_format},
            )

    @staticmethod
    def _check_pixels(upload) -> str:
        """Read the header, refuse oversized images, then decode every pixel once."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                upload.seek(0)
                with Image.open(upload) as image:
                    width, height = image.size
                    if width * height > settings.MAX_IMAGE_PIXELS:
                        raise ValidationError(
                            _("The image is %(width)s × %(height)s pixels, which is too large."),
                            code="image_too_many_pixels",
                            params={"width": width, "height": height},
                        )
                    image.load()  # a truncated JPEG or GIF fails here, not in verify()
                    return image.format
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("The image is too large to process safely."), code="image_bomb"
            ) from exc
        except Exception as exc:  # Pillow raises many types for a broken file
            raise ValidationError(
                _("The file is not a valid image."), code="image_invalid"
            ) from exc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageUploadValidator)


def is_stored(file) -> bool:
    """True for a file already in storage (a saved FieldFile), False for a new upload."""
    return bool(getattr(file, "_committed", False)) and bool(getattr(file, "name", ""))


validate_image_upload = ImageUploadValidator()


# The Unicode control characters (category Cc: C0, DEL, C1) and the line and paragraph
# separators, which end a line as surely as LF does (str.splitlines() splits on them).
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]))


@deconstructible
class SingleLineValidator:
    """Refuse control characters (LF, CR, TAB, NUL, DEL, the C1 range) and line separators.

    A one-line value goes into page titles, CSV cells, iCalendar lines and e-mail headers,
    where a line break is a 500 or an injection. TAB is refused too: in a name it is never
    meant (a paste from a spreadsheet), it shows as nothing on a page and splits a TSV export.
    """

    message = _("Enter a single line without control characters (such as line breaks or tabs).")
    code = "control_characters"

    def __call__(self, value: str) -> None:
        if not CONTROL_CHARACTERS.isdisjoint(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)


validate_single_line = SingleLineValidator()
