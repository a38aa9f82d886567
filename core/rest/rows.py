"""API lists written from rows: what a list's serializer writes of model instances, written
from rows of `values()` instead.

A page of fifty records with their related records builds hundreds of model instances
(Django's prefetching builds a queryset for each relation and converts every column of every
row), then reads each field through DRF: most of a list's time, where its queries take a
fifth. A list view naming a `ListRows` class (`PortalViewSet.list_rows`) has its plain JSON
list written by it from rows, in as many queries; the serializer stays the description of
the shape (the schema is made from it) and writes every other variant: CSV, counts by a
field, expansions the rows do not write, the detail and the answers to writes.

The two must say the same: each list's tests compare the answers of both, byte for byte,
for records holding everything the shape shows. `RowShape` keeps them together where it
can: a field of the serializer reading a column of its model is written by the serializer's
own field (the same formats of dates, decimals and choices), and every other field by a
function of the row, which the class must give (a field left without one is an error when
the shape is made, not a wrong answer).
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers

from core.db.prepared import PreparedRows
from core.dependencies import depends_on_record
from core.routes import path_maker

from .serializers import absolute


def writes_a_value(field: serializers.Field) -> bool:
    """Whether the field writes a column's value as `values()` gives it: DRF's own fields do,
    and those of the portal's that say so (`writes_a_value = True`). Others may ask the value
    for more than it holds as a value (an image field for its file's address)."""
    return type(field).__module__.startswith("rest_framework.") or getattr(
        field, "writes_a_value", False
    )


class RowShape:
    """Writes a row as `serializer` writes a record; `computed` gives, by field name, the
    function of the row writing each field that is not one of the model's own columns."""

    def __init__(
        self, serializer: serializers.Serializer, computed: dict[str, Callable[[dict], object]]
    ):
        model = serializer.Meta.model
        columns = {field.attname for field in model._meta.concrete_fields if not field.is_relation}
        self.plan: list[tuple[str, Callable, str | None]] = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if name in computed:
                self.plan.append((name, computed[name], None))
                continue
            source = field.source_attrs
            if not (
                writes_a_value(field)
                and type(field).get_attribute is serializers.Field.get_attribute
                and len(source) == 1
                and source[0] in columns
            ):
                raise ImproperlyConfigured(
                    f"{type(serializer).__name__}.{name} does not read a column: "
                    "give the function writing it"
                )
            self.plan.append((name, field.to_representation, source[0]))
        unknown = set(computed) - {name for name, _, _ in self.plan}
        if unknown:
            raise ImproperlyConfigured(f"Not fields of the shape: {', '.join(sorted(unknown))}")

    @property
    def columns(self) -> list[str]:
        """The columns of the model the serializer's own fields read."""
        return [column for _, _, column in self.plan if column is not None]

    def write(self, row: dict) -> dict:
        answer = {}
        for name, write, column in self.plan:
            if column is None:
                answer[name] = write(row)
            else:
                value = row[column]
                # As DRF: a None is written as it is, without asking the field.
                answer[name] = None if value is None else write(value)
        return answer


class ListRows:
    """Writes the pages of one answer's list from rows (see the module's docstring)."""

    # The `?expand=` names this class writes itself; any other goes to the serializer.
    expansions: frozenset[str] = frozenset()

    def __init__(self, view) -> None:
        self.view = view
        self.context = view.get_serializer_context()

    def queryset(self) -> models.QuerySet:
        """The records the list shows, before its filters and order: the view's, without
        the prefetches (`values()` ignores its joins and deferred columns)."""
        return self.view.get_queryset().prefetch_related(None)

    def read(self, page: models.QuerySet) -> models.QuerySet:
        """The rows of one page (`page` is its queryset), as `write` reads them."""
        raise NotImplementedError

    def write(self, rows: list[dict]) -> list[dict]:
        """The page's rows, as the serializer writes their records."""
        raise NotImplementedError

    def joined_reference(
        self, row: dict, relation: str, model: type[models.Model], path, label: str = "name"
    ) -> dict | None:
        """The record a foreign key of the row points to, read through its join
        (`<relation>_id`, `<relation>__slug`, `<relation>__<label>`), as `ReferenceField`
        writes it; None when it points nowhere."""
        pk = row[f"{relation}_id"]
        if pk is None:
            return None
        depends_on_record(model, pk)
        return self.reference(path, pk, row[f"{relation}__slug"], row[f"{relation}__{label}"])

    def image(self, row: dict, field: models.ImageField) -> dict | None:
        """The row's image as `core.rest.serializers.ImageField` writes it: its address and
        the size stored at upload (the row holds the field's column and its size columns)."""
        name = row[field.attname]
        if not name:
            return None
        return {
            "url": absolute(self.context, field.storage.url(name)),
            "width": row[field.width_field],
            "height": row[field.height_field],
        }

    def reference(self, path: Callable[[object], str], pk, slug, name) -> dict:
        """A related record as `ReferenceField` writes it."""
        return {
            "id": pk,
            "slug": slug,
            "name": str(name),
            "url": absolute(self.context, path(slug)),
        }


class ManyReferences:
    """The records a many-to-many relation of `model` links each record of a page to (a
    record's topics), as references in the order of their model, by record: one query,
    compiled once per page size."""

    def __init__(self, model: type[models.Model], relation: str, view_name: str) -> None:
        field = model._meta.get_field(relation)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        self.target_model = field.related_model
        self.view_name = view_name
        self.source_key, self.target_key = f"{source}_id", f"{target}_id"
        order = [
            f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
            for name in self.target_model._meta.ordering
        ]
        self.query = PreparedRows(
            lambda ids: (
                through.objects.filter(**{f"{self.source_key}__in": ids})
                .order_by(*order, self.target_key)
                .values(self.source_key, self.target_key, f"{target}__slug", f"{target}__name")
            )
        )
        self.slug, self.name = f"{target}__slug", f"{target}__name"

    def read(self, ids: list[int], rows: ListRows) -> dict[int, list[dict]]:
        """The references by the key of the record linking to them, written for `rows`."""
        path = path_maker(self.view_name, "slug")
        by_record: dict[int, list[dict]] = {}
        for row in self.query.rows(ids=ids):
            pk = row[self.target_key]
            depends_on_record(self.target_model, pk)
            by_record.setdefault(row[self.source_key], []).append(
                rows.reference(path, pk, row[self.slug], row[self.name])
            )
        return by_record


def grouped(
    rows: Iterable[dict], key: str, model: type[models.Model] | None = None
) -> dict[object, list[dict]]:
    """Rows by the value of `key`, in their order. With `model`, the answer depends on each
    row's record (its "id"), as it would on an instance it loaded (core/dependencies.py)."""
    by_key: dict[object, list[dict]] = {}
    for row in rows:
        if model is not None:
            depends_on_record(model, row["id"])
        by_key.setdefault(row[key], []).append(row)
    return by_key
