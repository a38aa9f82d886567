from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader

from core.validators import is_stored


def validate_pdf_upload(upload) -> None:
    """Accept a PDF that a PDF parser reads (not its name, not a byte search) under the size cap.

    The size cap comes first, so the parser never sees more than MAX_DOCUMENT_UPLOAD_BYTES;
    pypdf's own limits (decompression, recursion, loops in the page tree) bound the rest.
    """
    if is_stored(upload):
        return  # checked when it was uploaded; never read a stored file again
    if PurePath(upload.name or "").suffix.lower() != ".pdf":
        raise ValidationError(_("Upload the document as a PDF file."), code="document_extension")
    size = getattr(upload, "size", 0) or 0
    if size > settings.MAX_DOCUMENT_UPLOAD_BYTES:
        raise ValidationError(
            _("The document is %(size)s MB; the limit is %(limit)s MB."),
            code="document_too_large",
            params={
                "size": round(size / 1_048_576, 1),
                "limit": round(settings.MAX_DOCUMENT_UPLOAD_BYTES / 1_048_576, 1),
            },
        )
    position = upload.tell()
    try:
        upload.seek(0)
        # At the very start: a file that opens as HTML and hides a PDF further on is refused.
        if upload.read(5) != b"%PDF-":
            raise ValidationError(_("The file is not a PDF document."), code="document_not_pdf")
        upload.seek(0)
        _check_pdf_structure(upload)
    finally:
        upload.seek(position)


def _check_pdf_structure(upload) -> None:
    """Parse the cross-reference table and count the pages, as a reader does on opening."""
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(
                _("The PDF needs a password to open; upload it without one."),
                code="document_encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types (and plain ones) for a broken file
        raise ValidationError(_("The file is not a valid PDF."), code="document_invalid") from exc
    if pages < 1:
        raise ValidationError(_("The file is not a valid PDF."), code="document_invalid")
