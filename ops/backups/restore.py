"""Restoring a checked backup: refusals before anything is written, then records and files."""

from contextlib import suppress
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader

from .archive import DATA, MEDIA, BackupError, VerifiedBackup
from .report import Counts
from .scope import _rows_as_stored, backed_up_models, backed_up_storages, is_left_out, link_models


@dataclass
class RestoreSummary(Counts):
    not_in_backup: list[str] = field(default_factory=list)
    replaced: dict[str, list[str]] = field(default_factory=dict)


def check_restorable(
    backup: VerifiedBackup,
    *,
    replace: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> dict[type[models.Model], dict]:
    """Refuse a backup this database cannot take, before anything is written.

    A new database is not always bare: a migration creates the staff groups, for one. Rows the
    backup holds too, found by natural key, are returned: the restore replaces them with the
    backup's. Any other row is refused, since records are never merged.
    """
    _check_models(backup)
    _check_storages(backup)
    _check_migrations(backup, using)
    if replace:
        return {}
    prefilled = _prefilled(backup, using)
    holding = {}
    for model in _all_tables(using):
        if model in prefilled:
            continue
        rows = model._base_manager.using(using).all()
        for end in model._meta.concrete_fields:
            if model._meta.auto_created and end.related_model in prefilled:
                # Links of a replaced row go with it.
                rows = rows.exclude(**{f"{end.attname}__in": list(prefilled[end.related_model])})
        if count := rows.count():
            holding[model._meta.label_lower] = count
    if holding:
        listed = ", ".join(f"{label} ({count})" for label, count in list(holding.items())[:6])
        more = f" and {len(holding) - 6} more tables" if len(holding) > 6 else ""
        raise BackupError(
            f"The database already holds records: {listed}{more}. "
            "A backup restores into an empty, migrated database only; records are never merged. "
            "Use a fresh database, or --force to delete these records and replace them."
        )
    clashing = [
        f"{alias}: {name}"
        for alias, name, _size in backup.stored_files
        if storages[alias].exists(name)
    ]
    if clashing:
        raise BackupError(
            f"The storages already hold {len(clashing)} of the backup's files (first: "
            f"{clashing[0]}). Empty them, or use --force to overwrite these files."
        )
    return prefilled


def _prefilled(backup: VerifiedBackup, using: str) -> dict[type[models.Model], dict]:
    """Per model, the rows (pk: natural key) whose natural keys the backup holds too."""
    found = {}
    for model in backed_up_models(using):
        label = model._meta.label_lower
        rows = model._base_manager.using(using)
        if (
            not hasattr(model, "natural_key")
            or not hasattr(model._default_manager, "get_by_natural_key")
            or not 0 < rows.count() <= backup.records.get(label, 0)
        ):
            continue
        try:
            with _rows_as_stored([model]), (backup.root / f"{DATA}{label}.json").open("rb") as data:
                ours = {row.pk: tuple(row.natural_key()) for row in rows.all()}
                theirs = {
                    tuple(item.object.natural_key())
                    for item in serializers.deserialize(
                        "json", data, using=using, handle_forward_references=True
                    )
                }
        except DeserializationError as error:
            raise BackupError(f"The records of {label} cannot be read: {error}") from error
        if set(ours.values()) <= theirs:
            found[model] = ours
    return found


def _all_tables(using: str) -> list[type[models.Model]]:
    backed_up = backed_up_models(using)
    return backed_up + link_models(backed_up)


def _check_models(backup: VerifiedBackup) -> None:
    for label in [*backup.records, *backup.links]:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError) as error:
            raise BackupError(
                f"The backup holds records of {label}, which this portal does not have. Restore "
                "it with the version of the portal that made it."
            ) from error
        if is_left_out(model):
            raise BackupError(f"The backup holds records of {label}, which backups leave out.")


def _check_storages(backup: VerifiedBackup) -> None:
    for alias in sorted({alias for alias, _name, _size in backup.stored_files}):
        if alias not in backed_up_storages():
            raise BackupError(
                f"The backup holds files of the storage {alias!r}, which settings.STORAGES "
                "does not name here (or whose files backups leave out)."
            )


def _check_migrations(backup: VerifiedBackup, using: str) -> None:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    theirs = {tuple(label.split(".", 1)) for label in backup.manifest["migrations"]}
    unknown = sorted(".".join(key) for key in theirs - set(loader.disk_migrations))
    if unknown:
        raise BackupError(
            f"The backup was made by a newer version of the portal (migrations unknown here: "
            f"{', '.join(unknown[:5])}). Update the code first."
        )
    pending = sorted(".".join(key) for key in theirs - set(loader.applied_migrations))
    if pending:
        raise BackupError(
            f"The database lacks migrations the backup was made with ({', '.join(pending[:5])}"
            f"{' …' if len(pending) > 5 else ''}). Run `python manage.py migrate` first."
        )


def restore_backup(
    *,
    backup: VerifiedBackup,
    replace: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> RestoreSummary:
    """Load every record in one transaction, then put the media files back into storage.

    The files are written before the transaction commits and removed again if anything fails,
    so a failed restore leaves neither records nor files behind (with `replace`, the files and
    records it replaced are gone, as asked).
    """
    prefilled = check_restorable(backup, replace=replace, using=using)
    summary = RestoreSummary(
        links=dict(backup.links),
        files=dict.fromkeys(backed_up_storages(), 0),
        file_bytes=dict.fromkeys(backed_up_storages(), 0),
        replaced=describe_rows(prefilled),
    )
    written: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic(using=using):
            if replace:
                _delete_records(using)
            for model, rows in prefilled.items():
                model._base_manager.using(using).filter(pk__in=list(rows)).delete()
            with _rows_as_stored(backed_up_models(using)):
                _load_records(backup, summary, using)
            _check_counts(backup, using)
            for alias, name, size in backup.stored_files:
                storage = storages[alias]
                if replace and storage.exists(name):
                    storage.delete(name)
                with (backup.root / f"{MEDIA}{alias}/{name}").open("rb") as content:
                    saved = storage.save(name, File(content, name=name))
                written.append((storage, saved))
                if saved != name:
                    raise BackupError(f"{alias} saved {name} as {saved}; restore stopped.")
                summary.count_file(alias, size)
    except BaseException:
        for storage, name in written:
            with suppress(Exception):  # The first error is the one to report.
                storage.delete(name)
        raise
    summary.not_in_backup = sorted(
        model._meta.label_lower
        for model in backed_up_models(using)
        if model._meta.label_lower not in backup.records
    )
    return summary


def _delete_records(using: str) -> None:
    connection = connections[using]
    tables = [model._meta.db_table for model in _all_tables(using)]
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=False)
    )


def _load_records(backup: VerifiedBackup, summary: RestoreSummary, using: str) -> None:
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        # Natural keys are looked up through this cache; another database's ids may be in it.
        ContentType.objects.clear_cache()
    connection = connections[using]
    loaded = []
    for label, expected in backup.records.items():
        model = apps.get_model(label)
        count = 0
        try:
            with (backup.root / f"{DATA}{label}.json").open("rb") as data:
                for item in serializers.deserialize("json", data, using=using):
                    if item.object._meta.label_lower != label:
                        raise BackupError(f"The data file of {label} holds other records.")
                    # The history rows are restored as they were; saving must not add to them.
                    item.object.skip_history_when_saving = True
                    # An insert, never an update: a row already there is an error, not a merge.
                    item.save(using=using, force_insert=True)
                    count += 1
        except (DeserializationError, DatabaseError) as error:
            raise BackupError(f"The records of {label} could not be restored: {error}") from error
        if count != expected:
            raise BackupError(
                f"The data file of {label} holds {count} records, its manifest says {expected}."
            )
        summary.records[label] = count
        loaded.append(model)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(statement)
    try:
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
    except DatabaseError as error:
        raise BackupError(f"The restored records do not fit together: {error}") from error


def _check_counts(backup: VerifiedBackup, using: str) -> None:
    expected = {**backup.records, **backup.links}
    for label, count in expected.items():
        actual = apps.get_model(label)._base_manager.using(using).count()
        if actual != count:
            raise BackupError(
                f"After loading, {label} has {actual} rows where the manifest says {count}; "
                "nothing was restored."
            )


def describe_rows(rows: dict[type[models.Model], dict]) -> dict[str, list[str]]:
    """Label: natural keys, for telling which rows a restore replaces."""
    return {
        model._meta.label_lower: sorted(" ".join(map(str, key)) for key in keys.values())
        for model, keys in rows.items()
    }
