"""Generated stand-in logos and photos for demo and development data.

They are drawn locally, never downloaded, and say "placeholder" on their face so nobody
mistakes them for an organisation's real logo or a person's real photo.
"""

import colorsys
import hashlib
import io
import re

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from .models import Organisation, Person

LOGO_SIZE = 240
PHOTO_SIZE = 200
TEXT_COLOUR = (255, 255, 255)
WORD_SEPARATORS = re.compile(r"[\s\-–—/(),.&]+")


def colour_for(seed: str) -> tuple[int, int, int]:
    """A mid-dark colour that is the same for the same seed on every machine and every run."""
    digest = hashlib.sha256(seed.encode()).digest()
    hue = int.from_bytes(digest[:2], "big") / 0xFFFF
    red, green, blue = colorsys.hls_to_rgb(hue, 0.36, 0.55)
    return round(red * 255), round(green * 255), round(blue * 255)


def initials(name: str, limit: int = 4) -> str:
    """Capitalised words only, so "of", "dos" and "and" drop out: "São José dos Campos" → "SJC"."""
    words = [word for word in WORD_SEPARATORS.split(name) if word]
    letters = [word[0] for word in words if word[0].isupper() or word[0].isdigit()]
    return "".join(letters[:limit]) or name[:1].upper() or "?"


def logo_label(organisation: Organisation) -> str:
    if organisation.short_name:
        return organisation.short_name
    if " " not in organisation.name and len(organisation.name) <= 10:
        return organisation.name
    return initials(organisation.name)


def photo_label(person: Person) -> str:
    words = person.name.split()
    return "".join(word[0] for word in (words[:1] + words[-1:] if len(words) > 1 else words))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def placeholder_png(label: str, *, seed: str, size: int, round_frame: bool = False) -> bytes:
    """A square PNG: the label in large letters on a colour derived from `seed`."""
    image = Image.new("RGB", (size, size), colour_for(seed))
    draw = ImageDraw.Draw(image)
    margin = size // 20
    if round_frame:
        draw.ellipse((margin, margin, size - margin, size - margin), outline=TEXT_COLOUR, width=2)
    else:
        draw.rectangle((margin, margin, size - margin, size - margin), outline=TEXT_COLOUR, width=2)

    font_size = size // 3
    font = _font(font_size)
    while font_size > 12 and draw.textlength(label, font=font) > size * 0.7:
        font_size -= 2
        font = _font(font_size)
    draw.text((size / 2, size * 0.46), label, font=font, fill=TEXT_COLOUR, anchor="mm")
    draw.text(
        (size / 2, size * 0.8), "placeholder", font=_font(size // 14), fill=TEXT_COLOUR, anchor="mm"
    )

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _has_file(field_file) -> bool:
    return bool(field_file) and field_file.storage.exists(field_file.name)


def _named_png(png: bytes, name: str) -> ContentFile:
    # Unnamed content makes ImageField skip reading the size into its width/height fields.
    return ContentFile(png, name=name)


def ensure_placeholder_logo(organisation: Organisation) -> bool:
    """Give the organisation a generated logo unless it has one; True when a file was written."""
    if _has_file(organisation.logo):
        return False
    png = placeholder_png(logo_label(organisation), seed=organisation.slug, size=LOGO_SIZE)
    name = f"{organisation.slug}.png"
    organisation.logo.save(name, _named_png(png, name), save=True)
    return True


def ensure_placeholder_photo(person: Person) -> bool:
    """Give the person a generated photo unless they have one; True when a file was written."""
    if _has_file(person.photo):
        return False
    png = placeholder_png(photo_label(person), seed=person.slug, size=PHOTO_SIZE, round_frame=True)
    name = f"{person.slug}.png"
    person.photo.save(name, _named_png(png, name), save=True)
    return True
