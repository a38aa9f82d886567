"""A synthetic dataset of any size for measuring the portal at scale: `manage.py generate_dataset`.

Rows are inserted with COPY on PostgreSQL and `bulk_create` elsewhere (see `writing`), so
neither `save()` nor its signals run: no history is recorded for them (django-simple-history
writes on save), and the "records changed" clock is moved once at the end instead.
"""

from collections import Counter
from contextlib import closing

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from core.changes import records_changed
from core.models import Tombstone

from .builder import DatasetBuilder
from .rows import AS_OF, MIN_SCALE, Sizes
from .writing import RowWriter

__all__ = ["AS_OF", "MIN_SCALE", "DatasetExists", "Sizes", "dataset_models", "generate_dataset"]


class DatasetExists(Exception):
    def __init__(self, held: dict[str, int]):
        records = [label for label in held if ".Historical" not in label] or list(held)
        records.sort(key=lambda label: label != "members.Organisation")
        listed = ", ".join(f"{label}: {held[label]}" for label in records[:4])
        more = f" and {len(held) - 4} more tables" if len(held) > 4 else ""
        super().__init__(
            f"The database already holds records ({listed}{more}). "
            "Pass --replace to delete them (and their history) first."
        )
        self.held = held


def dataset_models(*, history: bool = True) -> list[type[models.Model]]:
    """Every table of the members, conferences and agreements apps, many-to-many links and
    (unless `history` is False) history tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in settings.RECORD_APPS
        and (history or not model.__name__.startswith("Historical"))
    ]


def generate_dataset(
    *, scale: float = 1, seed: int = 1, replace: bool = False, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Fill the empty database with the dataset of this scale and seed; the rows per model.

    Refuses (DatasetExists) when any of the dataset's tables already holds rows, unless
    `replace` is given: then they are all emptied first, history included, in the same
    transaction. Partner API tokens belong to organisations, so theirs go too.
    """
    builder = DatasetBuilder(scale=scale, seed=seed)  # checks the scale before any write
    counts: Counter[str] = Counter()
    with transaction.atomic(using=using):
        held = records_held(using)
        if held and not replace:
            raise DatasetExists(held)
        if held:
            clear_records(using)
        writer = RowWriter(connections[using], dataset_models(history=False))
        with closing(writer.batches(builder.batches)) as batches:
            for model, rows in batches:
                writer.write(model, rows)
                counts[model._meta.label] += len(rows)
        writer.close()
        reset_sequences(using)
    refresh_statistics(using)
    records_changed()
    for model in dataset_models(history=False):  # tables left empty at this scale, too
        counts.setdefault(model._meta.label, 0)
    return dict(counts)


def refresh_statistics(using: str) -> None:
    """Give PostgreSQL the new tables' statistics and visibility maps at once.

    Right after a bulk load the planner still believes the tables empty (one query planned
    that way took 1.4 s instead of 10 ms) and index-only scans read the table anyway, until
    autovacuum comes round. Outside a transaction, since VACUUM cannot run in one.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.get_autocommit():
        return
    tables = [model._meta.db_table for model in dataset_models(history=False)]
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) " + ", ".join(connection.ops.quote_name(table) for table in tables)
        )


def records_held(using: str) -> dict[str, int]:
    return {
        model._meta.label: count
        for model in dataset_models()
        if (count := model.objects.using(using).count())
    }


def clear_records(using: str) -> None:
    """Empty every table of the dataset; TRUNCATE on PostgreSQL.

    TRUNCATE takes only tables that no other table points at, unless those go too: a table
    referenced from outside (organisations, by partner API tokens), and those it references,
    is emptied with DELETE instead, once the outside rows pointing at it are deleted. The
    tombstones of the records replaced go too: their ids will be taken again.
    """
    connection = connections[using]
    Tombstone.objects.using(using).delete()
    dataset = dataset_models()
    kept = _referenced_from_outside(dataset)
    for model, field in _outside_references(dataset):
        model._default_manager.using(using).filter(**{f"{field.name}__isnull": False}).delete()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign key checks still pending in this transaction make TRUNCATE fail.
            connection.check_constraints()
            truncated = [quote(m._meta.db_table) for m in dataset if m not in kept]
            cursor.execute(f"TRUNCATE {', '.join(truncated)} RESTART IDENTITY")
            for model in kept:
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
        else:
            tables = [model._meta.db_table for model in dataset]
            for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
                cursor.execute(statement)


def _outside_references(dataset: list[type[models.Model]]) -> list[tuple[type, models.Field]]:
    """Foreign keys (with a database constraint) from other tables to the dataset's."""
    inside = set(dataset)
    return [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        if model not in inside
        for field in model._meta.concrete_fields
        if field.is_relation and field.db_constraint and field.related_model in inside
    ]


def _referenced_from_outside(dataset: list[type[models.Model]]) -> list[type[models.Model]]:
    kept = []
    for _model, field in _outside_references(dataset):
        if field.related_model not in kept:
            kept.append(field.related_model)
    for model in kept:  # grows while iterated: what the kept tables point at is kept too
        fields = model._meta.concrete_fields
        targets = [
            field.related_model for field in fields if field.is_relation and field.db_constraint
        ]
        kept += [target for target in targets if target in dataset and target not in kept]
    return kept


def reset_sequences(using: str) -> None:
    """Rows were inserted with their primary keys: move each sequence past the largest."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), dataset_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
