"""Backups of every record and media file, and their restore into an empty database.

An archive is a gzipped tar holding relative paths only:

    data/<app_label>.<model_name>.json  one model's rows, Django's JSON serialization
    media/<storage>/<name in storage>   every file of each storage in STORAGES (the default
                                        one, the private documents...) but static files and
                                        renditions
    manifest.json                       last: format, versions, counts, each member's sha256

Primary keys are kept, so every reference between records survives as it is. References to
content types and permissions, which `migrate` rebuilds with other ids in every database, are
written as natural keys: that is what lets a backup of SQLite restore into PostgreSQL and back.
"""

import datetime
import hashlib
import io
import json
import os
import platform
import secrets
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import STATICFILES_STORAGE_ALIAS, settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import signals
from django.utils import timezone

FORMAT = "sciparks-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data/"
MEDIA = "media/"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 50 * 1024 * 1024

# Models (by label) and whole apps left out of a backup, with the reason the manifest records.
LEFT_OUT = {
    "contenttypes.contenttype": "rebuilt by migrate; references to it are kept as natural keys",
    "auth.permission": "rebuilt by migrate; references to it are kept as natural keys",
    "sessions": "logins in progress: transient, and signed with the old server's SECRET_KEY",
    "axes": "failed-login counters and access logs: transient security state",
}
LEFT_OUT_MEDIA = {
    "renditions/": "resized copies of images, made again the first time a page asks for them",
}
LEFT_OUT_STORAGES = {
    STATICFILES_STORAGE_ALIAS: "static files, collected again from the code by collectstatic",
}


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why and what to do."""


@dataclass
class Counts:
    records: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    # Per storage alias: how many files, how many bytes.
    files: dict[str, int] = field(default_factory=dict)
    file_bytes: dict[str, int] = field(default_factory=dict)

    def count_file(self, alias: str, size: int) -> None:
        self.files[alias] = self.files.get(alias, 0) + 1
        self.file_bytes[alias] = self.file_bytes.get(alias, 0) + size


@dataclass
class BackupSummary(Counts):
    path: Path | None = None
    archive_bytes: int = 0
    missing_media: list[str] = field(default_factory=list)


@dataclass
class RestoreSummary(Counts):
    not_in_backup: list[str] = field(default_factory=list)
    replaced: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class VerifiedBackup:
    """An archive whose members all match its manifest, unpacked into `root`."""

    path: Path
    root: Path
    manifest: dict

    @property
    def records(self) -> dict[str, int]:
        return self.manifest["records"]

    @property
    def links(self) -> dict[str, int]:
        return self.manifest["links"]

    @property
    def stored_files(self) -> list[tuple[str, str, int]]:
        """(storage alias, name in that storage, size) of every file to put back."""
        return [
            (*name.removeprefix(MEDIA).split("/", 1), entry["size"])
            for name, entry in self.manifest["files"].items()
            if name.startswith(MEDIA)
        ]


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


def default_backup_path(created: datetime.datetime) -> Path:
    stamp = created.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"sciparks-{stamp}.tar.gz"


# Writing


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


@dataclass
class _Archive:
    tar: tarfile.TarFile
    files: dict[str, dict]
    mtime: int

    def add(self, name: str, source) -> None:
        """Add a seekable binary file, recording its size and sha256 for the manifest."""
        if not is_safe_member_name(name):
            raise BackupError(f"Refusing to store {name!r}: not a plain relative path.")
        digest, size = hashlib.sha256(), 0
        source.seek(0)
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        source.seek(0)
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, self.mtime, 0o600
        self.tar.addfile(info, source)
        self.files[name] = {"sha256": digest.hexdigest(), "size": size}

    def add_bytes(self, name: str, content: bytes) -> None:
        self.add(name, io.BytesIO(content))


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


# Reading


def is_safe_member_name(name: str) -> bool:
    """A relative POSIX path with no empty, `.` or `..` part: it cannot leave its folder."""
    if not name or "\\" in name or "\x00" in name or PurePosixPath(name).is_absolute():
        return False
    return all(part not in {"", ".", ".."} for part in name.split("/"))


def _is_expected_member(name: str) -> bool:
    if not is_safe_member_name(name):
        return False
    return (
        name == MANIFEST
        or name.startswith(DATA)
        or (
            name.startswith(MEDIA) and name.count("/") >= 2  # media/<storage>/<name>
        )
    )


@contextmanager
def open_backup(path: Path) -> Iterator[VerifiedBackup]:
    """Unpack and check an archive in a temporary folder; nothing else is written."""
    with tempfile.TemporaryDirectory(prefix="sciparks-restore-") as root:
        yield _verify(Path(path), Path(root))


def _verify(path: Path, root: Path) -> VerifiedBackup:
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    found: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                name = member.name
                if not _is_expected_member(name):
                    raise BackupError(
                        f"{path} holds {name!r}, which is not a path inside a backup's data/ or "
                        "media/ folder; refused, nothing was restored."
                    )
                if not member.isfile():
                    raise BackupError(
                        f"{path} holds {name!r} as a link or special file; a backup holds plain "
                        "files only. Refused, nothing was restored."
                    )
                if name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"{path} holds {name!r} twice; refused.")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read(MAX_MANIFEST_BYTES + 1)
                else:
                    found[name] = _unpack(source, root / name)
            # Read to the end, so that gzip checks its CRC of the whole stream.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{path} cannot be read: it is damaged, cut short, or not a backup of this portal "
            f"({error}). Nothing was restored."
        ) from error
    manifest = _read_manifest(path, manifest_bytes)
    _check_members(path, manifest, found)
    return VerifiedBackup(path=path, root=root, manifest=manifest)


def _unpack(source, target: Path) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as unpacked:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            unpacked.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _read_manifest(path: Path, content: bytes | None) -> dict:
    if content is None:
        raise BackupError(
            f"{path} has no {MANIFEST}: it is not a backup of this portal, or it was cut short."
        )
    if len(content) > MAX_MANIFEST_BYTES:
        raise BackupError(f"{path} has an oversized {MANIFEST}; refused.")
    try:
        manifest = json.loads(content)
    except ValueError as error:
        raise BackupError(f"{path} has a damaged {MANIFEST} ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is not a backup of this portal (its manifest names no {FORMAT})."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format version {manifest.get('format_version')!r}; this "
            f"portal reads version {FORMAT_VERSION}. Restore it with the version that made it."
        )
    shapes = {"records": dict, "links": dict, "files": dict, "migrations": list}
    for key, shape in shapes.items():
        if not isinstance(manifest.get(key), shape):
            raise BackupError(f"{path} has an incomplete {MANIFEST} (no valid {key!r}).")
    return manifest


def _check_members(path: Path, manifest: dict, found: dict[str, dict]) -> None:
    listed = manifest["files"]
    unsafe = [name for name in listed if not _is_expected_member(name) or name == MANIFEST]
    if unsafe:
        raise BackupError(f"{path} lists {unsafe[0]!r} in its manifest, an unsafe path; refused.")
    missing = sorted(set(listed) - set(found))
    if missing:
        raise BackupError(
            f"{path} is damaged: {len(missing)} file(s) its manifest lists are missing "
            f"(first: {missing[0]})."
        )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise BackupError(
            f"{path} holds {len(extra)} file(s) its manifest does not list (first: {extra[0]}); "
            "refused."
        )
    for name, entry in listed.items():
        if not isinstance(entry, dict) or found[name] != {
            "sha256": entry.get("sha256"),
            "size": entry.get("size"),
        }:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")
    for label, count in manifest["records"].items():
        if f"{DATA}{label}.json" not in listed or not isinstance(count, int):
            raise BackupError(f"{path} has no valid data file for {label}; refused.")


# Restoring


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


def report_lines(counts: Counts) -> list[str]:
    """The per-model table both commands print."""
    rows = [(label, f"{count:>7}") for label, count in counts.records.items()]
    rows += [(label, f"{count:>7} links") for label, count in counts.links.items() if count]
    rows += [
        (f"files in {alias}", f"{count:>7} ({human_size(counts.file_bytes[alias])})")
        for alias, count in counts.files.items()
    ]
    width = max((len(label) for label, _ in rows), default=0)
    return [f"  {label:<{width}} {count}" for label, count in rows]


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""
