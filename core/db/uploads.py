import secrets
from pathlib import PurePath

from django.db import models
from django.utils.text import slugify


def unique_upload_name(folder: str, instance: models.Model, filename: str) -> str:
    """`<folder>/<slug>-<random>.<ext>`: never the client's file name, never a collision."""
    stem = slugify(getattr(instance, "slug", "") or getattr(instance, "name", "")) or "file"
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"{folder}/{stem[:60]}-{secrets.token_hex(4)}{suffix}"
