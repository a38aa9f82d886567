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

from .archive import (
    CHUNK,
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MEDIA,
    BackupError,
    VerifiedBackup,
    is_safe_member_name,
    open_backup,
)
from .backup import BackupSummary, default_backup_path, stored_files, write_backup
from .report import Counts, human_size, report_lines
from .restore import RestoreSummary, check_restorable, describe_rows, restore_backup
from .scope import (
    LEFT_OUT,
    LEFT_OUT_MEDIA,
    LEFT_OUT_STORAGES,
    backed_up_models,
    backed_up_storages,
    is_left_out,
    link_models,
)

__all__ = [
    "CHUNK",
    "DATA",
    "FORMAT",
    "FORMAT_VERSION",
    "LEFT_OUT",
    "LEFT_OUT_MEDIA",
    "LEFT_OUT_STORAGES",
    "MANIFEST",
    "MAX_MANIFEST_BYTES",
    "MEDIA",
    "BackupError",
    "BackupSummary",
    "Counts",
    "RestoreSummary",
    "VerifiedBackup",
    "backed_up_models",
    "backed_up_storages",
    "check_restorable",
    "default_backup_path",
    "describe_rows",
    "human_size",
    "is_left_out",
    "is_safe_member_name",
    "link_models",
    "open_backup",
    "report_lines",
    "restore_backup",
    "stored_files",
    "write_backup",
]
