"""Writing a backup: every record in one snapshot, every stored file, the manifest last."""

import datetime
import io
import json
import os
import platform
import secrets
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .archive import (
    CHUNK,
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    BackupError,
    _Archive,
)
from .report import Counts
from .scope import (
    LEFT_OUT,
    LEFT_OUT_MEDIA,
    LEFT_OUT_STORAGES,
    _rows_as_stored,
    backed_up_models,
    backed_up_storages,
    is_left_out,
    link_models,
)


@dataclass
class BackupSummary(Counts):
    path: Path | None = None
    archive_bytes: int = 0
    missing_media: list[str] = field(default_factory=list)


def default_backup_path(created: datetime.datetime) -> Path:
    stamp = created.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"sciparks-{stamp}.tar.gz"


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _RecordSerializer(JSONSerializer):
    """Natural keys only for references to left-out models (rebuilt with other ids).

    Everything else keeps its id, so a history row that points at a since-deleted user still
    serializes, where a natural key would need the user.
    """

    def __init__(self, natural: tuple[type[models.Model], ...]):
        super().__init__()
        self.natural = natural

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in self.natural
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in self.natural
        super().handle_m2m_field(obj, field)


def write_backup(*, output: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    created = timezone.now().replace(microsecond=0)
    output = Path(output) if output else default_backup_path(created)
    if output.exists():
        raise BackupError(f"{output} exists already; choose another --output.")
    for alias in backed_up_storages():
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage) and output.resolve().is_relative_to(
            Path(storage.location).resolve()
        ):
            raise BackupError(f"{output} is inside the {alias!r} storage; write it elsewhere.")
    output.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name, so a failed run never leaves something that looks whole.
    partial = output.with_name(f".{output.name}.{secrets.token_hex(4)}.partial")
    summary = BackupSummary(path=output)
    files: dict[str, dict] = {}
    try:
        # Readable by the owner only: the archive holds password hashes and contact details.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                archive = _Archive(tar, files, int(created.timestamp()))
                referenced = _add_records(archive, summary, using)
                _add_media(archive, summary)
                summary.missing_media = sorted(
                    name for storage, name in referenced if not storage.exists(name)
                )
                manifest = _manifest(created, summary, files, using)
                archive.add_bytes(MANIFEST, json.dumps(manifest, indent=1).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.archive_bytes = output.stat().st_size
    return summary


@contextmanager
def _consistent_reads(using: str) -> Iterator[None]:
    """One snapshot for all tables, so that no reference points at a row written meanwhile."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _add_records(archive: _Archive, summary: BackupSummary, using: str) -> set[tuple]:
    natural = tuple(
        model for model in apps.get_models() if is_left_out(model) and hasattr(model, "natural_key")
    )
    referenced: set[tuple] = set()
    backed_up = backed_up_models(using)
    with _consistent_reads(using), _rows_as_stored(backed_up):
        for model in backed_up:
            label = model._meta.label_lower
            rows = model._base_manager.using(using).order_by("pk")
            with tempfile.TemporaryFile() as buffer:
                text = io.TextIOWrapper(buffer, encoding="utf-8")
                # Closed here on an error, while the server-side cursor's transaction lasts.
                with closing(rows.iterator(chunk_size=2000)) as iterator:
                    _RecordSerializer(natural).serialize(
                        iterator, stream=text, cls=_ExactJSONEncoder
                    )
                text.flush()
                archive.add(f"{DATA}{label}.json", buffer)
                text.detach()
            # Inside the snapshot, so the count is that of the rows just written.
            summary.records[label] = rows.count()
            referenced |= _referenced_files(model, using)
        for through in link_models(backed_up):
            summary.links[through._meta.label_lower] = through._base_manager.using(using).count()
    return referenced


def _referenced_files(model: type[models.Model], using: str) -> set[tuple[Storage, str]]:
    names: set[tuple[Storage, str]] = set()
    for file_field in model._meta.concrete_fields:
        if isinstance(file_field, models.FileField):
            values = (
                model._base_manager.using(using)
                .exclude(**{f"{file_field.attname}__isnull": True})
                .exclude(**{file_field.attname: ""})
                .values_list(file_field.attname, flat=True)
            )
            names.update((file_field.storage, name) for name in values)
    return names


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, walking folders through the storage API."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # No media folder yet: nothing was ever uploaded.
    for name in sorted(names):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}{sub}/")


def _add_media(archive: _Archive, summary: BackupSummary) -> None:
    summary.files = dict.fromkeys(backed_up_storages(), 0)
    summary.file_bytes = dict.fromkeys(backed_up_storages(), 0)
    for alias, name in _files_to_back_up():
        storage = storages[alias]
        member = f"{MEDIA}{alias}/{name}"
        with (
            storage.open(name, "rb") as source,
            tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as copy,
        ):
            shutil.copyfileobj(source, copy, CHUNK)
            archive.add(member, copy)
        summary.count_file(alias, archive.files[member]["size"])


def _files_to_back_up() -> list[tuple[str, str]]:
    """(alias, name) of every file, each once where one storage lies inside another.

    The private documents may be a folder of the media bucket: such a file is listed by both
    storages, and is kept under the one that names it most closely (the shorter name).
    """
    where: dict[object, tuple[str, str]] = {}
    for alias in backed_up_storages():
        storage = storages[alias]
        for name in stored_files(storage):
            if name.startswith(tuple(LEFT_OUT_MEDIA)):
                continue
            place = _physical_place(alias, storage, name)
            if place not in where or len(name) < len(where[place][1]):
                where[place] = (alias, name)
    return sorted(where.values())


def _physical_place(alias: str, storage: Storage, name: str) -> object:
    try:
        return Path(storage.path(name)).resolve()
    except NotImplementedError:  # Not on this machine's disk.
        bucket = getattr(storage, "bucket_name", None)
        if bucket is None:
            return (alias, name)
        return (bucket, PurePosixPath(getattr(storage, "location", "") or "", name).as_posix())


def _manifest(created, summary: BackupSummary, files: dict[str, dict], using: str) -> dict:
    connection = connections[using]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": created.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "versions": {
            "sciparks": _package_version("sciparks"),
            "django": django.get_version(),
            "python": platform.python_version(),
        },
        "database": connection.vendor,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationLoader(connection).applied_migrations
        ),
        "records": summary.records,
        "links": summary.links,
        "media": {
            "files": summary.files,
            "bytes": summary.file_bytes,
            "referenced_but_missing": summary.missing_media,
        },
        "left_out": {
            **LEFT_OUT,
            **{f"media/*/{prefix}": why for prefix, why in LEFT_OUT_MEDIA.items()},
            **{f"media/{alias}/": why for alias, why in LEFT_OUT_STORAGES.items()},
        },
        "files": files,
    }


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
