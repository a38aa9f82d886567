"""Names of uploaded files, and which stored files a record still points to."""

import secrets
import warnings
from pathlib import PurePath

from django.apps import apps
from django.db import models
from django.dispatch import receiver
from django.utils.text import slugify
from django_cleanup.signals import cleanup_post_delete, cleanup_pre_delete
from PIL import Image

# Where core.templatetags.site.rendition keeps its resized copies: `<folder>/<W>x<H>/<name>`.
RENDITIONS_FOLDER = "renditions"

# The extension each accepted image format (core.validators.ALLOWED_IMAGE_FORMATS) is stored under.
IMAGE_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
_EXTENSION_FORMATS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".webp": "WEBP",
    ".gif": "GIF",
}


def unique_upload_name(folder: str, instance: models.Model, *, extension: str) -> str:
    """`<folder>/<slug>-<random><extension>`: never the client's file name, never a collision."""
    stem = slugify(getattr(instance, "slug", "") or getattr(instance, "name", "")) or "file"
    return f"{folder}/{stem[:60]}-{secrets.token_hex(4)}{extension}"


def image_upload_name(folder: str, instance: models.Model, filename: str, *, field: str) -> str:
    """For an image field's `upload_to`: the extension of the format Pillow finds in the file.

    `upload_to` is handed only the client's name; the bytes wait on the instance (an uncommitted
    FieldFile) until `FileField.pre_save` stores them, which is how a form, the admin and the API
    save an upload. They were validated already, so Pillow reads the header only to learn the
    format; nothing the validator did has to be remembered. Code that calls `FieldFile.save(name,
    content)` itself (the placeholders) keeps no bytes on the instance: its name is trusted only
    for a known image extension.
    """
    pending = getattr(instance, field, None)
    content = getattr(pending, "_file", None)
    if content is not None and not getattr(pending, "_committed", True):
        image_format = detected_image_format(content)
    else:
        image_format = _EXTENSION_FORMATS.get(PurePath(filename).suffix.lower())
    return unique_upload_name(folder, instance, extension=IMAGE_EXTENSIONS.get(image_format, ""))


def detected_image_format(file) -> str | None:
    """The format Pillow reads in the file's header ("PNG"), or None; the position is kept."""
    position = file.tell()
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(file) as image:
                return image.format
    except Exception:  # Pillow raises many types for a file that is not an image
        return None
    finally:
        file.seek(position)


def is_referenced(name: str) -> bool:
    """True while a record's file field holds this name.

    Historical rows do not count: django-simple-history keeps a file field as a text column, so
    an old version keeps the name of a file that is gone once no live record points to it.
    """
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            if model._base_manager.filter(**{field: name}).exists():
                return True
    return False


@receiver(cleanup_pre_delete, dispatch_uid="core.db.uploads.keep_referenced_files")
def keep_referenced_files(sender, file, file_name: str, **kwargs) -> None:
    """django-cleanup deletes a replaced or orphaned file after the commit; keep it while another
    record (the same file imported twice, say) still points to it."""
    if is_referenced(file_name):
        file.name = None  # FieldFile.delete() does nothing for a file without a name


@receiver(cleanup_post_delete, dispatch_uid="core.db.uploads.remove_renditions")
def remove_renditions(sender, file, file_name: str, success: bool, **kwargs) -> None:
    """The resized copies of a removed image go with it."""
    storage = file.storage
    if not success or storage.exists(file_name):  # kept: still referenced
        return
    try:
        boxes, _files = storage.listdir(RENDITIONS_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    for box in boxes:
        storage.delete(f"{RENDITIONS_FOLDER}/{box}/{file_name}")
