"""Files to upload in tests: real images and PDFs that parsers read, and hand-built hostile ones."""

import io

from PIL import Image
from pypdf import PdfWriter


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format=image_format)
    return buffer.getvalue()


def pdf_bytes(
    *, pages: int = 1, user_password: str | None = None, owner_password: str = ""
) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if user_password is not None or owner_password:
        writer.encrypt(user_password or "", owner_password or None, algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_from_objects(*bodies: bytes, root: int = 1) -> bytes:
    """A PDF with a correct cross-reference table around the given object bodies (1, 2, …)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        root,
        xref,
    )
    return bytes(out)
