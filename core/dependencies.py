"""What a cached answer depends on, and what a change makes stale: dependency tags.

A cached page or API answer (core/page_cache.py) is kept with the versions of the tags it
depends on; it is served only while every one of them is unchanged. Each tag is a key in
the shared cache holding a version, which a change replaces:

- `dep:<app>.<model>:<pk>`, one record. An answer that loaded the record (any model instance
  built while it was made, through `select_related`, `prefetch_related` or a plain query:
  `post_init`) depends on it, without the view saying anything.
- `dep:<app>.<model>`, a kind: any change to any record of that model. A list, a count or a
  facet over a whole table depends on its kind, which its view says with `depends_on()`.
- `EPOCH_KEY`, everything at once: moved by a change that cannot be traced to records (a bulk
  update, a generated dataset, the site's menu) and when the cache answers again after an
  outage (saves made meanwhile moved no tag).
- the change clock (core/changes.py), moved by every change. An answer whose view did not
  call `precise()` depends on the clock alone, as every answer did before tags: correct for
  any view, and stale at every change.

What a change moves (`changed_tags`): the record and its kind; the records it points to (its
foreign keys and many-to-many links), so that a page listing a new session, link or party
under its parent sees it; and the rows pointing to it with what they point to, so that a
record becoming public or private reaches the pages of the records it is shown on, which
may not have loaded it (a page lists only what is public). A page shows a link when it
loaded both ends of it, so these few steps cover what the views show; a view that shows
more (a count, a suggestion drawn from the whole table) says so with `depends_on(Model)`,
or with a tag its model names in `cache_tags` (a conference's series, for the previous and
next editions).
"""

import contextvars
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import models

EPOCH_KEY = "dep:epoch"
PREFIX = "dep:"


class Collection:
    """The tags one answer depends on, gathered while it is made."""

    __slots__ = ("count_tags", "is_precise", "max_age", "own_changes", "tags")

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.is_precise = False
        # Tags of the counts kept by the worker it showed (core/aggregates.py): an answer
        # depends on them even when it depends on every change, as the worker stores new
        # counts without moving the change clock.
        self.count_tags: set[str] = set()
        # Seconds the answer may be kept at most, when less than PAGE_CACHE_SECONDS.
        self.max_age: float | None = None
        # The numbers of the changes made while making it, of what it then read (counts it
        # stored, core/changes.py `move_tags`).
        self.own_changes: set[int] = set()


_current: contextvars.ContextVar[Collection | None] = contextvars.ContextVar(
    "cache_dependencies", default=None
)


def start() -> Collection:
    collection = Collection()
    _current.set(collection)
    return collection


def stop() -> None:
    _current.set(None)


def current() -> Collection | None:
    return _current.get()


def precise() -> None:
    """Say that the answer being made depends only on the records it loads and the kinds it
    names with `depends_on`, not on every change (the default)."""
    collection = _current.get()
    if collection is not None:
        collection.is_precise = True


def depends_on_every_change() -> None:
    """Make the answer being made depend on every change after all (as if not precise)."""
    collection = _current.get()
    if collection is not None:
        collection.is_precise = False


def depends_on(*kinds: type[models.Model]) -> None:
    """Make the answer being made depend on every record of these models."""
    collection = _current.get()
    if collection is not None:
        collection.tags.update(kind_tag(model) for model in kinds)


def depends_on_tags(*tags: str) -> None:
    """Make the answer being made depend on tags a model names (see `changed_tags`)."""
    collection = _current.get()
    if collection is not None:
        collection.tags.update(tags)


def depends_on_counts(*tags: str) -> None:
    """Make the answer being made depend on these kept counts' tags (core/aggregates.py),
    whether or not it is precise."""
    collection = _current.get()
    if collection is not None:
        collection.tags.update(tags)
        collection.count_tags.update(tags)


def depends_on_record(model: type[models.Model], pk: object) -> None:
    """Make the answer being made depend on a record it shows without loading it (a name
    read through a join)."""
    collection = _current.get()
    if collection is not None and pk is not None:
        collection.tags.add(record_tag(model, pk))


def expires_within(seconds: float) -> None:
    """Keep the answer being made for `seconds` at most (it shows counts that may lag)."""
    collection = _current.get()
    if collection is not None:
        collection.max_age = min(seconds, collection.max_age or seconds)


def kind_tag(model: type[models.Model]) -> str:
    return f"{PREFIX}{model._meta.label_lower}"


def record_tag(model: type[models.Model], pk: object) -> str:
    return f"{PREFIX}{model._meta.label_lower}:{pk}"


# Of one model, more records than this in one answer are counted as the whole kind: a
# programme of 300 items would otherwise be checked against a thousand tags on every hit.
# Below it, a page stays precise: a conference page loads 40-odd organisations and people,
# and an organisation in many agreements 80 parties; counted as kinds, any change to any
# organisation or person made them stale (a third of what was rebuilt under `make bench
# MODE=live`). One MGET of 150 tags costs about half a millisecond.
RECORDS_PER_KIND = 150


def bounded(tags) -> set[str]:
    """`tags`, with the records of a model that has too many of them replaced by its kind."""
    by_kind: dict[str, list[str]] = {}
    kept = set()
    for tag in tags:
        kind, separator, _pk = tag.rpartition(":")
        if separator and kind.startswith(PREFIX) and kind.count(":") == 1:
            by_kind.setdefault(kind, []).append(tag)
        else:
            kept.add(tag)
    for kind, records in by_kind.items():
        kept.update([kind] if len(records) > RECORDS_PER_KIND else records)
    return kept


def new_version() -> str:
    return uuid.uuid4().hex[:16]


# Which models are tracked ------------------------------------------------------------------


def is_historical(model: type[models.Model]) -> bool:
    # django-simple-history's copies: nobody shows them on a public page.
    return hasattr(model, "instance_type")


def tracked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in settings.RECORD_APPS and not is_historical(model)
    ]


def is_tracked(model: type[models.Model]) -> bool:
    return model._meta.app_label in settings.RECORD_APPS and not is_historical(model)


def instance_loaded(sender, instance, **kwargs) -> None:
    """post_init: the answer being made shows (or used) this record."""
    collection = _current.get()
    if collection is not None and instance.pk is not None:
        collection.tags.add(record_tag(sender, instance.pk))


def connect_loading() -> None:
    for model in tracked_models():
        models.signals.post_init.connect(
            instance_loaded, sender=model, dispatch_uid=f"cache-dependency-{model._meta.label}"
        )


# What a change makes stale -----------------------------------------------------------------


# Set on an instance about to be saved (pre_save): the fields whose stored value it changes.
CHANGED_FIELDS = "_dependency_changed_fields"


def is_text(field: models.Field) -> bool:
    """A field whose value is only shown, as text: no choices (a status, a kind), no flag, no
    date, no link. Such a change cannot add a record to a page or take it off one."""
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def note_changed_fields(sender, instance=None, raw=False, **kwargs) -> None:
    """pre_save: read the stored row (one query) and note which fields the save changes."""
    if raw or instance is None or instance._state.adding or instance.pk is None:
        return
    if not is_tracked(sender) or is_historical(sender):
        return
    fields = [
        field
        for field in sender._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
    ]
    stored = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*(field.attname for field in fields))
        .first()
    )
    if stored is None:
        return
    changed = {field for field in fields if differs(field, stored[field.attname], instance)}
    setattr(instance, CHANGED_FIELDS, changed)


def differs(field: models.Field, stored: object, instance: models.Model) -> bool:
    value = getattr(instance, field.attname)
    if stored == value:
        return False
    try:
        return stored != field.get_prep_value(value)
    except Exception:  # a value the field cannot prepare: counted as a change
        return True


def connect_changes() -> None:
    for model in tracked_models():
        models.signals.pre_save.connect(
            note_changed_fields, sender=model, dispatch_uid=f"cache-changes-{model._meta.label}"
        )


def changed_tags(sender, instance=None, **kwargs) -> set[str]:
    """The tags a save, delete or change of links (the signal's arguments) moves."""
    if "action" in kwargs:
        return links_changed(sender, instance, **kwargs)
    model = type(instance)
    tags = {kind_tag(model), record_tag(model, instance.pk)}
    # A model may name tags of its own: what a view shows of records it did not load.
    tags.update(getattr(instance, "cache_tags", ()))
    changed = instance.__dict__.pop(CHANGED_FIELDS, None)
    if not kwargs.get("created") and changed is not None and all(map(is_text, changed)):
        # Only text that is shown changed (a description, a title): every page showing it
        # loaded the record, and depends on its tag. The pages of the records around it only
        # need to know when it joins or leaves them, or when it is new or gone.
        return tags
    tags |= pointed_to(model, [instance])
    if not kwargs.get("created"):  # nothing links to a new record yet
        tags |= linked(model, instance)
        tags |= pointing_here(model, instance)
    return tags


def links_changed(sender, instance, *, action, model, pk_set, **kwargs) -> set[str]:
    if not action.startswith("post_"):
        return set()
    own = type(instance)
    tags = {kind_tag(own), record_tag(own, instance.pk), kind_tag(model)}
    tags.update(record_tag(model, pk) for pk in pk_set or ())
    return tags


def pointed_to(model: type[models.Model], rows: Iterable) -> set[str]:
    """The records these rows point to with their foreign keys."""
    tags = set()
    fields = [field for field in model._meta.concrete_fields if field.is_relation]
    for row in rows:
        for field in fields:
            target = field.related_model
            value = row[field.attname] if isinstance(row, dict) else getattr(row, field.attname)
            if value is not None and is_tracked(target):
                tags.add(record_tag(target, value))
    return tags


def linked(model: type[models.Model], instance: models.Model) -> set[str]:
    """The records this one is linked to by its own many-to-many fields."""
    tags = set()
    for field in model._meta.many_to_many:
        target = field.related_model
        if is_tracked(target):
            pks = getattr(instance, field.name).values_list("pk", flat=True)
            tags.update(record_tag(target, pk) for pk in pks)
    return tags


def pointing_here(model: type[models.Model], instance: models.Model) -> set[str]:
    """The rows pointing to this record, and what they point to (one query per relation)."""
    tags = set()
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many or not is_tracked(related):
            continue
        foreign_keys = [
            field.attname for field in related._meta.concrete_fields if field.is_relation
        ]
        rows = related._base_manager.filter(**{relation.field.name: instance.pk}).values(
            "pk", *foreign_keys
        )
        for row in rows:
            tags.add(record_tag(related, row["pk"]))
            tags |= pointed_to(related, [row])
    return tags


class PreciseCacheMixin:
    """For a view whose answer depends on the records it loads, and on every record of the
    models in `cache_depends_on`: kept in the cache across changes to other records."""

    cache_depends_on: tuple[type[models.Model], ...] = ()

    def dispatch(self, request, *args, **kwargs):
        precise()
        depends_on(*self.cache_depends_on)
        return super().dispatch(request, *args, **kwargs)
