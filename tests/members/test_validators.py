import io
import random
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.validators import validate_image_upload
from members.validators import validate_ror_id, validate_wikidata_id


def image_bytes(image_format: str, size: tuple[int, int] = (8, 8), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=image_format)
    return buffer.getvalue()


def noisy_png() -> bytes:
    """A PNG whose pixel data does not compress away, so cutting it loses real data."""
    pixels = random.Random(0).randbytes(64 * 64 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (64, 64), pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A 1×1 PNG whose IHDR header is rewritten (CRC included) to claim another size."""
    data = bytearray(image_bytes("PNG", (1, 1), "1"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(file: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_image_upload(file)
    return info.value


# validate_image_upload: accepted


@pytest.mark.parametrize(
    ("image_format", "name"),
    [("PNG", "logo.png"), ("JPEG", "photo.jpg"), ("GIF", "logo.gif"), ("WEBP", "cover.webp")],
)
def test_validate_image_upload_accepts_web_format(image_format, name):
    file = upload(image_bytes(image_format), name)
    validate_image_upload(file)
    assert file.tell() == 0


def test_validate_image_upload_accepts_palette_png_with_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 128, 0, 0)).convert("P").save(buffer, format="PNG")
    validate_image_upload(upload(buffer.getvalue(), "logo.png"))


def test_validate_image_upload_accepts_file_of_exactly_the_size_limit(settings):
    content = image_bytes("PNG")
    settings.MAX_IMAGE_UPLOAD_BYTES = len(content)
    validate_image_upload(upload(content, "logo.png"))


def test_validate_image_upload_accepts_exactly_the_pixel_limit(settings):
    settings.MAX_IMAGE_PIXELS = 100
    validate_image_upload(upload(image_bytes("PNG", (10, 10)), "logo.png"))


# validate_image_upload: refused


def test_validate_image_upload_refuses_text_renamed_png():
    file = upload(b"Hello, this is plain text and not a picture.\n" * 4, "logo.png")
    error = refusal(file)
    assert error.code == "image_invalid"
    assert file.tell() == 0


def test_validate_image_upload_refuses_truncated_png():
    content = noisy_png()
    file = upload(content[: len(content) // 2], "logo.png")
    error = refusal(file)
    assert error.code == "image_invalid"
    assert file.tell() == 0


@pytest.mark.parametrize(("image_format", "name"), [("JPEG", "photo.jpg"), ("GIF", "logo.gif")])
def test_validate_image_upload_refuses_truncated_jpeg_and_gif(image_format, name):
    pixels = random.Random(1).randbytes(64 * 64 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (64, 64), pixels).save(buffer, format=image_format)
    content = buffer.getvalue()
    file = upload(content[: len(content) // 2], name)
    error = refusal(file)
    assert error.code == "image_invalid"
    assert file.tell() == 0


@pytest.mark.parametrize(("image_format", "name"), [("BMP", "logo.bmp"), ("TIFF", "logo.tiff")])
def test_validate_image_upload_refuses_format_not_allowed(image_format, name):
    file = upload(image_bytes(image_format), name)
    error = refusal(file)
    assert error.code == "image_format"
    assert error.params == {"format": image_format}
    assert file.tell() == 0


def test_validate_image_upload_refuses_bmp_renamed_png():
    error = refusal(upload(image_bytes("BMP"), "logo.png"))
    assert error.code == "image_format"


def test_validate_image_upload_refuses_file_above_size_limit(settings):
    content = image_bytes("PNG")
    settings.MAX_IMAGE_UPLOAD_BYTES = len(content) - 1
    file = upload(content, "logo.png")
    error = refusal(file)
    assert error.code == "image_too_large"
    assert file.tell() == 0


def test_validate_image_upload_refuses_image_above_pixel_limit(settings):
    settings.MAX_IMAGE_PIXELS = 99
    file = upload(image_bytes("PNG", (10, 10)), "logo.png")
    error = refusal(file)
    assert error.code == "image_too_many_pixels"
    assert error.params == {"width": 10, "height": 10}
    assert file.tell() == 0


def test_validate_image_upload_refuses_header_claiming_a_huge_size():
    file = upload(png_claiming_size(100_000, 100_000), "logo.png")
    assert len(file) < 100
    error = refusal(file)
    assert error.code == "image_bomb"
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("side", "pillow_limits_exceeded"),
    [
        (14_000, 2),  # above twice Pillow's limit: Pillow raises DecompressionBombError
        (10_000, 1),  # above Pillow's limit: Pillow only warns, the validator refuses anyway
    ],
)
def test_validate_image_upload_refuses_decompression_bomb(side, pillow_limits_exceeded):
    assert side * side // Image.MAX_IMAGE_PIXELS == pillow_limits_exceeded
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    file = upload(buffer.getvalue(), "bomb.png")
    assert file.size < 200_000
    error = refusal(file)
    assert error.code == "image_bomb"
    assert file.tell() == 0


def test_validate_image_upload_refuses_header_above_setting_but_below_pillow_limit(settings):
    settings.MAX_IMAGE_PIXELS = 40_000_000
    error = refusal(upload(png_claiming_size(8_000, 8_000), "logo.png"))
    assert error.code == "image_too_many_pixels"
    assert error.params == {"width": 8_000, "height": 8_000}


# validate_ror_id and validate_wikidata_id


@pytest.mark.parametrize("value", ["05dxps055", "00f54p054", "01ggx4157"])
def test_validate_ror_id_accepts(value):
    validate_ror_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "15dxps055",  # does not start with 0
        "05dxps05",  # too short
        "05dxps0555",  # too long
        "0idxps055",  # i, l, o and u are not in ROR's alphabet
        "0ldxps055",
        "0odxps055",
        "0udxps055",
        "05DXPS055",  # upper case
        "05dxps05a",  # the checksum is two digits
        "https://ror.org/05dxps055",
        "",
    ],
)
def test_validate_ror_id_refuses(value):
    with pytest.raises(ValidationError) as info:
        validate_ror_id(value)
    assert info.value.code == "invalid_ror"


@pytest.mark.parametrize("value", ["Q1", "Q42", "Q11191637"])
def test_validate_wikidata_id_accepts(value):
    validate_wikidata_id(value)


@pytest.mark.parametrize("value", ["Q0", "Q042", "q42", "42", "P31", "Q", "Q42 ", ""])
def test_validate_wikidata_id_refuses(value):
    with pytest.raises(ValidationError) as info:
        validate_wikidata_id(value)
    assert info.value.code == "invalid_wikidata"
