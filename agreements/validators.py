from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import is_stored


def validate_pdf_upload(upload) -> None:
    """Accept a PDF (by its leading bytes, not its name) under the size cap."""
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
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError(_("The file is not a PDF document."), code="document_not_pdf")
