"""What a backup holds and leaves out: models, link tables, storages; rows as stored."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import STATICFILES_STORAGE_ALIAS, settings
from django.db import DEFAULT_DB_ALIAS, models, router
from django.db.models import signals

# Models (by label) and whole apps left out of a backup, with the reason the manifest records.
# Tombstones (core.tombstone) are kept: after a restore, partners' mirrors must still learn
# what left before the backup was made.
LEFT_OUT = {
    "contenttypes.contenttype": "rebuilt by migrate; references to it are kept as natural keys",
    "auth.permission": "rebuilt by migrate; references to it are kept as natural keys",
    "sessions": "logins in progress: transient, and signed with the old server's SECRET_KEY",
    "axes": "failed-login counters and access logs: transient security state",
    "django_tasks_db": "queued and finished background tasks (mail to send): transient",
}
LEFT_OUT_MEDIA = {
    "renditions/": "resized copies of images, made again the first time a page asks for them",
}
LEFT_OUT_STORAGES = {
    STATICFILES_STORAGE_ALIAS: "static files, collected again from the code by collectstatic",
    "downloads": "bulk downloads of the public records, built again by build_downloads",
}


def is_left_out(model: type[models.Model]) -> bool:
    return model._meta.label_lower in LEFT_OUT or model._meta.app_label in LEFT_OUT


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every installed model with a table of its own, in app order, except those left out."""
    return [
        model
        for model in apps.get_models()
        if not is_left_out(model)
        and model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]


def link_models(backed_up: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The tables behind plain many-to-many fields, saved with the model that declares them."""
    return [
        many_to_many.remote_field.through
        for model in backed_up
        for many_to_many in model._meta.local_many_to_many
        if many_to_many.remote_field.through._meta.auto_created
    ]


def backed_up_storages() -> list[str]:
    """The aliases in settings.STORAGES whose files a backup holds."""
    return [alias for alias in settings.STORAGES if alias not in LEFT_OUT_STORAGES]


@contextmanager
def _rows_as_stored(backed_up: Iterable[type[models.Model]]) -> Iterator[None]:
    """Rows loaded and saved with their image sizes as stored, without opening the images.

    An image field with width and height fields opens its file whenever a row with empty sizes
    is loaded: slow over object storage, and an error for a missing file (or, in a restore, a
    file not yet restored). A backup copies rows as they are.
    """
    image_fields = [
        (image_field.update_dimension_fields, model)
        for model in backed_up
        for image_field in model._meta.concrete_fields
        if isinstance(image_field, models.ImageField)
        and (image_field.width_field or image_field.height_field)
    ]
    for receiver, model in image_fields:
        signals.post_init.disconnect(receiver, sender=model)
    try:
        yield
    finally:
        for receiver, model in image_fields:
            signals.post_init.connect(receiver, sender=model)
