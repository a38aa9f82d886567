"""How the dataset's rows reach the database.

On PostgreSQL the rows go in with COPY, with the tables' foreign keys and secondary indexes
set aside until the end: a deferred foreign key queues one check per row until the commit and
every index is updated row by row, where one validating join and one sorted index build per
table at the end cost a fraction of it. Elsewhere (SQLite: the tests and the quick start)
`bulk_create` writes the same rows.
"""

import datetime
import multiprocessing
import operator
import threading
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from queue import Full, Queue
from typing import TypeVar

from django.apps import apps
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

BATCH_SIZE = 2_000
T = TypeVar("T")
# Values psycopg writes as they are; any other goes through its field's get_db_prep_save.
PLAIN = frozenset(
    {type(None), str, int, bool, float, Decimal, datetime.date, datetime.datetime, datetime.time}
)


def copies(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


class RowWriter:
    """Writes (model, rows) batches; `close()` once all are written, in the same transaction."""

    def __init__(self, connection: BaseDatabaseWrapper, models_: Iterable[type[models.Model]]):
        self.connection = connection
        self.copying = copies(connection)
        self.set_aside: list[str] = []  # the statements that put back what was set aside
        if self.copying:
            self._set_aside([model._meta.db_table for model in models_])

    def batches(self, build: Callable[[], Iterator[tuple]]) -> Iterator[tuple]:
        """The (model, rows) of `build()`, built ahead while the previous ones are written:
        for COPY, in a second process, as tuples of the models' concrete fields (building is
        pure Python, and a thread would share one core with the writing); for bulk_create,
        as model instances from a thread."""
        if self.copying and "fork" in multiprocessing.get_all_start_methods():
            return built_in_process(build)
        return built_ahead(build())

    def write(self, model: type[models.Model], rows: list) -> None:
        if not self.copying:
            model._default_manager.using(self.connection.alias).bulk_create(
                rows, batch_size=BATCH_SIZE
            )
            return
        if rows and isinstance(rows[0], models.Model):
            rows = values_of(model, rows)
        fields = model._meta.concrete_fields
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        connection = self.connection
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                if not PLAIN.issuperset(map(type, row)):
                    row = [
                        value if type(value) in PLAIN else field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row, strict=True)
                    ]
                copy.write_row(row)

    def close(self) -> None:
        """Put back the foreign keys and indexes set aside: indexes first, so that the
        foreign keys' validating joins can use them."""
        if not self.set_aside:
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in self.set_aside:
                cursor.execute(statement)
        self.set_aside = []

    def _set_aside(self, tables: list[str]) -> None:
        """Drop the tables' foreign keys and the indexes no constraint owns, remembering how
        to create them again (the very definitions PostgreSQL reports, names included)."""
        self.connection.check_constraints()  # no ALTER TABLE with checks still pending
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                " FROM pg_constraint c WHERE c.contype = 'f'"
                " AND c.conrelid = ANY(%s::regclass[]) ORDER BY c.conrelid, c.conname",
                [tables],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[])"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
                " ORDER BY i.indrelid, i.indexrelid",
                [tables],
            )
            indexes = cursor.fetchall()
            for table, name, _definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        self.set_aside = [definition for _name, definition in indexes] + [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in foreign_keys
        ]


def built_ahead(items: Iterator[T], depth: int = 4) -> Iterator[T]:
    """The items, computed by a second thread while this one uses the previous ones.

    Building rows is pure Python and inserting them mostly waits for the database (without
    the GIL), so the two overlap: at scale 10 this saves about a quarter of the time.
    """
    queue: Queue = Queue(maxsize=depth)
    stop, done = threading.Event(), object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                pass
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            put(_Failed(error))
        else:
            put(done)

    thread = threading.Thread(target=produce, name="dataset-builder", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def values_of(model: type[models.Model], rows: list[models.Model]) -> list[tuple]:
    """The rows as tuples of their concrete fields' values, in the fields' order."""
    get = operator.itemgetter(*(field.attname for field in model._meta.concrete_fields))
    return [get(row.__dict__) for row in rows]


def built_in_process(build: Callable[[], Iterator[tuple]], depth: int = 4) -> Iterator[tuple]:
    """The (model, rows as tuples) of `build()`, computed by a forked process.

    The process only builds: it inherits the loaded apps and never touches the database. An
    error there is raised here; leaving early stops it.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=depth)
    process = context.Process(target=_build, args=(build, queue), name="dataset-builder")
    process.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            label, rows = item
            yield apps.get_model(label), rows
        process.join()
    finally:
        if process.is_alive():
            process.terminate()
            process.join()
        queue.close()


def _build(build: Callable[[], Iterator[tuple]], queue) -> None:
    try:
        for model, rows in build():
            queue.put((model._meta.label, values_of(model, rows)))
    except BaseException as error:
        queue.put(error)
    else:
        queue.put(None)
    queue.close()
    queue.join_thread()
