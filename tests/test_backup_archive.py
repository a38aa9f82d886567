"""What a backup archive holds, and restores that refuse a damaged or crafted one."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError

from agreements.models import Agreement
from core.templatetags.site import rendition
from members.models import Organisation
from tests import backup_support
from tests.backup_support import (
    backup,
    clear_storages,
    empty_the_database,
    files_on_disk,
    read_archive,
    restore,
    small_dataset,
)

# The shared fixture, bound here so that pytest finds it (an import would trip ruff F811).
media_root = backup_support.media_root


def write_archive(path: Path, members: dict[str, bytes], manifest: dict | None = None) -> Path:
    """An archive of `members`, with a manifest whose checksums match them (unless given)."""
    if manifest is None:
        manifest = json.loads(members.pop("manifest.json"))
        manifest["files"] = {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in members.items()
        }
    members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


@pytest.mark.django_db
def test_backup_holds_relative_paths_inside_its_data_and_media_folders(media_root, tmp_path):
    small_dataset()
    default_storage.save("stray/Ünïcode notes.txt", ContentFile(b"kept"))
    rendition(Organisation.objects.get().logo, "144x144")
    path = tmp_path / "backup.tar.gz"
    backup(path)

    with tarfile.open(path) as tar:
        members = tar.getmembers()
    names = [member.name for member in members]
    assert all(member.isfile() for member in members)
    assert all(
        not name.startswith("/")
        and ".." not in name.split("/")
        and name.split("/")[0] in {"data", "media", "manifest.json"}
        for name in names
    )
    in_storages = {
        name.replace("media/", "media/default/", 1).replace("private/", "media/documents/", 1)
        for name in files_on_disk()
    }
    assert {name for name in names if name.startswith("media/")} == in_storages
    assert {"media/default/stray/Ünïcode notes.txt"} < in_storages
    assert not any(name.startswith("media/default/renditions/") for name in names)
    content = read_archive(path)
    assert not any(str(media_root).encode() in data for data in content.values())
    assert not any(str(tmp_path).encode() in data for data in content.values())
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_backup_manifest_counts_records_and_leaves_out_rebuilt_and_transient_tables(
    media_root, tmp_path
):
    small_dataset()
    SessionStore().create()
    path = tmp_path / "backup.tar.gz"
    backup(path)

    manifest = json.loads(read_archive(path)["manifest.json"])
    assert manifest["format"] == "sciparks-backup"
    assert manifest["format_version"] == 1
    assert manifest["records"]["members.organisation"] == 1
    assert manifest["records"]["agreements.agreement"] == 1
    assert manifest["links"]["members.organisation_topics"] == 1
    assert {"contenttypes.contenttype", "auth.permission", "sessions.session"}.isdisjoint(
        manifest["records"]
    )
    assert not any(label.startswith("axes.") for label in manifest["records"])
    assert not any(label.startswith("django_tasks_db.") for label in manifest["records"])
    assert manifest["media"]["files"] == {"default": 1, "documents": 1, "private": 0}
    assert "media/staticfiles/" in manifest["left_out"]
    assert "media/downloads/" in manifest["left_out"]
    assert manifest["versions"]["django"].startswith("5.2")


def truncated(content: bytes) -> bytes:
    return content[: len(content) // 2]


def flipped(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1 :]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "cannot be read: it is damaged, cut short, or not a backup"),
        (flipped, "(cannot be read|damaged)"),
        (lambda content: b"just some text", "cannot be read"),
        (lambda content: b"", "cannot be read"),
    ],
    ids=["truncated", "corrupted", "not-an-archive", "empty-file"],
)
def test_restore_of_a_damaged_archive_is_refused_and_writes_nothing(
    media_root, tmp_path, damage, message
):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()
    clear_storages()
    path.write_bytes(damage(path.read_bytes()))

    with pytest.raises(CommandError, match=message):
        restore(path)
    assert Organisation.objects.count() == 0
    assert Agreement.objects.count() == 0
    assert files_on_disk() == {}


@pytest.fixture
def archive(media_root, tmp_path, db) -> dict[str, bytes]:
    """The members of a real backup, for crafting broken ones.

    The records stay: an archive is checked before the database, so these tests get the
    archive's refusal; that the records are still there shows that nothing was touched.
    """
    small_dataset()
    path = tmp_path / "original.tar.gz"
    backup(path)
    clear_storages()
    return read_archive(path)


def test_restore_of_an_archive_without_manifest_is_refused(archive, tmp_path):
    path = tmp_path / "foreign.tar.gz"
    del archive["manifest.json"]
    with tarfile.open(path, "w:gz") as tar:
        for name, content in archive.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))

    with pytest.raises(CommandError, match=r"has no manifest\.json: it is not a backup of this"):
        restore(path)


def test_restore_of_a_member_that_does_not_match_its_checksum_is_refused(archive, tmp_path):
    manifest = json.loads(archive.pop("manifest.json"))
    archive["data/members.organisation.json"] = archive["data/members.organisation.json"].replace(
        b"Backup Park", b"Bogus Park"
    )
    path = write_archive(tmp_path / "tampered.tar.gz", archive, manifest)

    with pytest.raises(
        CommandError, match=r"damaged: data/members\.organisation\.json does not match"
    ):
        restore(path)
    assert Organisation.objects.get().name == "Backup Park"


def test_restore_of_another_format_is_refused(archive, tmp_path):
    manifest = json.loads(archive["manifest.json"])
    manifest["format"] = "someone-elses-backup"
    archive["manifest.json"] = json.dumps(manifest).encode()
    path = write_archive(tmp_path / "foreign.tar.gz", archive)

    with pytest.raises(CommandError, match="is not a backup of this portal"):
        restore(path)


def test_restore_of_a_backup_from_newer_code_is_refused(archive, tmp_path):
    manifest = json.loads(archive["manifest.json"])
    manifest["migrations"].append("members.9999_from_the_future")
    archive["manifest.json"] = json.dumps(manifest).encode()
    path = write_archive(tmp_path / "newer.tar.gz", archive)

    with pytest.raises(CommandError, match="made by a newer version of the portal"):
        restore(path)


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "/tmp/evil.txt",
        "media/../../evil.txt",
        "media/default/../../../evil.txt",
        "data/./evil.json",
        "evil.txt",
        "media/evil.txt",
    ],
)
def test_restore_refuses_a_path_outside_the_archive_folders(archive, tmp_path, name):
    archive[name] = b"evil"
    path = write_archive(tmp_path / "crafted.tar.gz", archive)

    with pytest.raises(CommandError, match="not a path inside a backup's data/ or media/ folder"):
        restore(path)
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists()
    assert files_on_disk() == {}


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_restore_refuses_links_in_a_crafted_archive(archive, tmp_path, kind):
    path = write_archive(tmp_path / "crafted.tar.gz", archive)
    linked = tmp_path / "linked.tar.gz"
    with tarfile.open(path) as source, tarfile.open(linked, "w:gz") as tar:
        for member in source:
            tar.addfile(member, source.extractfile(member))
        link = tarfile.TarInfo("media/organisations/logos/passwd.png")
        link.type, link.linkname = kind, "/etc/passwd"
        tar.addfile(link)

    with pytest.raises(CommandError, match="as a link or special file"):
        restore(linked)
    assert not (Path(default_storage.location) / "organisations").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_rolls_back_when_the_records_do_not_match_the_manifest(media_root, tmp_path):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()
    clear_storages()
    members = read_archive(path)
    manifest = json.loads(members["manifest.json"])
    manifest["records"]["agreements.agreementparty"] += 1
    members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="agreementparty holds 1 records, its manifest says 2"):
        restore(write_archive(tmp_path / "miscounted.tar.gz", members))
    assert Organisation.objects.count() == 0
    assert files_on_disk() == {}
