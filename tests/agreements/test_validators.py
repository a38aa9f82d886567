import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agreements.validators import validate_pdf_upload
from tests.upload_support import pdf_bytes

PDF = pdf_bytes()  # a PDF a parser reads: the validator opens it with pypdf


def document(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(file: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_pdf_upload(file)
    return info.value


@pytest.mark.parametrize("name", ["x.pdf", "Agreement STeP.PDF"])
def test_validate_pdf_upload_accepts_pdf(name):
    file = document(PDF, name)
    validate_pdf_upload(file)
    assert file.tell() == 0


def test_validate_pdf_upload_keeps_the_callers_file_position():
    file = document(PDF, "x.pdf")
    file.seek(5)
    validate_pdf_upload(file)
    assert file.tell() == 5


def test_validate_pdf_upload_refuses_docx_name():
    error = refusal(document(PDF, "agreement.docx"))
    assert error.code == "document_extension"


def test_validate_pdf_upload_refuses_file_without_extension():
    error = refusal(document(PDF, "agreement"))
    assert error.code == "document_extension"


def test_validate_pdf_upload_refuses_png_renamed_pdf():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    file = document(buffer.getvalue(), "agreement.pdf")
    error = refusal(file)
    assert error.code == "document_not_pdf"
    assert file.tell() == 0


def test_validate_pdf_upload_refuses_empty_file():
    error = refusal(document(b"", "agreement.pdf"))
    assert error.code == "document_not_pdf"


def test_validate_pdf_upload_refuses_file_above_size_limit(settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = len(PDF) - 1
    error = refusal(document(PDF, "agreement.pdf"))
    assert error.code == "document_too_large"


def test_validate_pdf_upload_accepts_file_of_exactly_the_size_limit(settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = len(PDF)
    validate_pdf_upload(document(PDF, "agreement.pdf"))
