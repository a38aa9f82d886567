"""The archive format: member names, checksummed writing, and reading that verifies each member."""

import hashlib
import io
import json
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = "sciparks-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data/"
MEDIA = "media/"
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 50 * 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why and what to do."""


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
