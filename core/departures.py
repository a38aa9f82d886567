"""Tombstones: the moment a record leaves what readers see, written from one place.

Each app says, in its AppConfig.ready(), which of its models the API lists under which
resource name and when a record is shown (`watch()`). The signals here then record:

- a delete (`post_delete`: the admin, the API, bulk actions, imports and cascades alike);
- a save that takes a shown record out of view (unpublished, made private, removed), found
  by comparing the values the record was loaded with to the values saved;
- and when a record comes back into view, its earlier departures are forgotten, so that a
  mirror that has not synced since never drops a record that is there.

A save of a model whose visibility can change reads those few columns of the stored row
first (one query): the copy in memory may be older than the row (another request, a refresh).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import signals

from .models import Tombstone

Values = Mapping[str, Any]
STORED = "_departures_stored"


@dataclass(frozen=True)
class Watch:
    model: type[models.Model]
    resource: str
    fields: tuple[str, ...]
    shown: Callable[[Values], bool]
    reason: Callable[[Values, Values], str]
    # A condition outside the row (a session's conference), read only when the values change.
    also_shown: Callable[[Values], bool] | None
    # What a departure or return means for other records (a conference's sessions).
    on_departure: Callable[[models.Model], None] | None
    on_return: Callable[[models.Model], None] | None

    def values(self, instance: models.Model) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in self.fields}

    def is_public(self, values: Values) -> bool:
        return self.shown(values) and (self.also_shown is None or self.also_shown(values))


WATCHED: dict[str, Watch] = {}


def always(values: Values) -> bool:
    return True


def unpublished(old: Values, new: Values) -> str:
    return Tombstone.Reason.UNPUBLISHED


def watch(
    model: type[models.Model],
    *,
    resource: str,
    fields: Iterable[str] = (),
    shown: Callable[[Values], bool] = always,
    reason: Callable[[Values, Values], str] = unpublished,
    also_shown: Callable[[Values], bool] | None = None,
    on_departure: Callable[[models.Model], None] | None = None,
    on_return: Callable[[models.Model], None] | None = None,
) -> None:
    watched = Watch(
        model, resource, tuple(fields), shown, reason, also_shown, on_departure, on_return
    )
    WATCHED[resource] = watched
    uid = f"departures-{resource}"
    signals.post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    if watched.fields:
        signals.pre_save.connect(_saving, sender=model, dispatch_uid=f"{uid}-pre-save")
        signals.post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")


def watch_of(model: type[models.Model]) -> Watch | None:
    for watched in WATCHED.values():
        if watched.model is model:
            return watched
    return None


def record(
    resource: str,
    records: Iterable[models.Model],
    *,
    reason: str,
    was_public: bool = True,
) -> None:
    Tombstone.objects.bulk_create(
        Tombstone(
            resource=resource,
            object_id=record.pk,
            slug=getattr(record, "slug", "") or "",
            reason=reason,
            was_public=was_public,
        )
        for record in records
    )


def forget(resource: str, ids: Iterable[int]) -> None:
    """A record back in view: its departures no longer hold (a deletion is for ever)."""
    Tombstone.objects.filter(resource=resource, object_id__in=list(ids)).exclude(
        reason=Tombstone.Reason.DELETED
    ).delete()


def _saving(sender, instance, raw=False, **kwargs) -> None:
    watched = watch_of(sender)
    if watched is None or raw or instance._state.adding or instance.pk is None:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values(*watched.fields).first()
    instance.__dict__[STORED] = stored


def _saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    watched = watch_of(sender)
    if watched is None:
        return
    old = instance.__dict__.pop(STORED, None)
    if raw or created or old is None:
        return
    new = watched.values(instance)
    if old == new:
        return
    was, now = watched.is_public(old), watched.is_public(new)
    if was == now:
        return
    if was:
        record(watched.resource, [instance], reason=watched.reason(old, new))
        if watched.on_departure is not None:
            watched.on_departure(instance)
    else:
        forget(watched.resource, [instance.pk])
        if watched.on_return is not None:
            watched.on_return(instance)


def _deleted(sender, instance, **kwargs) -> None:
    watched = watch_of(sender)
    if watched is None:
        return
    public = watched.is_public(watched.values(instance))
    record(watched.resource, [instance], reason=Tombstone.Reason.DELETED, was_public=public)
