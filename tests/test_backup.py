import hashlib
import io
import json
import re
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db.models.fields.files import FieldFile

from agreements.models import Agreement
from core.templatetags.site import rendition
from members.models import Organisation
from portal.models import ApiToken
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    OrganisationFactory,
    StaffUserFactory,
    TopicFactory,
    UserFactory,
    api_token,
    organisation_with_logo,
    person_with_photo,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PASSWORD = "correct horse battery staple"

# Written down here rather than taken from config.backups, so that a table the backup forgets
# shows up as a difference.
LEFT_OUT_APPS = {"contenttypes", "sessions", "axes"}
LEFT_OUT_MODELS = {"auth.permission"}


@pytest.fixture
def media_root(settings, tmp_path) -> Iterator[Path]:
    """The media folder and the private documents' folder, both this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The documents' storage keeps the folder it was made with; here it follows the setting.
    documents = {Agreement._meta.get_field("document").storage, storages["documents"]}
    folders = {storage: storage._location for storage in documents}
    for storage in documents:
        storage._location = None
        storage.__dict__.pop("location", None)
    yield settings.MEDIA_ROOT
    for storage, folder in folders.items():
        storage._location = folder
        storage.__dict__.pop("location", None)


def small_dataset() -> Organisation:
    organisation = organisation_with_logo(name="Backup Park", slug="backup-park")
    organisation.topics.add(TopicFactory(name="Health"))
    agreement = AgreementFactory(document=ContentFile(PDF, name="signed.pdf"))
    AgreementPartyFactory(agreement=agreement, organisation=organisation, order=0)
    return organisation


def full_dataset() -> None:
    call_command("load_demo", stdout=io.StringIO())
    organisation = small_dataset()
    person_with_photo(affiliation=organisation)
    ada = UserFactory(username="ada", first_name="Ada")
    grace = StaffUserFactory(username="grace")
    editors = Group.objects.create(name="Backup editors")
    editors.permissions.set(Permission.objects.filter(content_type__app_label="members"))
    ada.groups.add(editors)
    ada.user_permissions.add(Permission.objects.get(codename="view_agreement"))
    api_token(organisation=organisation)
    LogEntry.objects.create(
        user=grace,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
        object_repr=str(organisation),
        action_flag=ADDITION,
        change_message="[]",
    )
    default_storage.save("stray/Ünïcode notes.txt", ContentFile(b"kept as it is"))
    rendition(organisation.logo, "144x144")
    SessionStore().create()


def backed_up_models() -> list:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in LEFT_OUT_APPS
        and model._meta.label_lower not in LEFT_OUT_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def comparable(obj, field):
    if field.is_relation and field.related_model in (ContentType, Permission):
        related = getattr(obj, field.name)
        return related.natural_key() if related else None
    value = field.value_from_object(obj)
    return value.name if isinstance(value, FieldFile) else value


def snapshot() -> dict[str, object]:
    """Every row of every backed-up table; content types and permissions by their names."""
    tables = {}
    for model in backed_up_models():
        fields = model._meta.concrete_fields
        if model._meta.auto_created:
            # Link rows get new ids; what they join is what counts.
            tables[model._meta.label_lower] = sorted(
                (
                    tuple(comparable(row, field) for field in fields if not field.primary_key)
                    for row in model._base_manager.all()
                ),
                key=repr,
            )
        else:
            tables[model._meta.label_lower] = {
                row.pk: tuple(comparable(row, field) for field in fields)
                for row in model._base_manager.all()
            }
    return tables


def media_files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not path.relative_to(root).as_posix().startswith("renditions/")
    }


def files_on_disk() -> dict[str, bytes]:
    """Every file of the media and private folders, renditions left out."""
    return {
        f"{folder}/{name}": content
        for folder, root in [
            ("media", settings.MEDIA_ROOT),
            ("private", settings.PRIVATE_MEDIA_ROOT),
        ]
        for name, content in media_files(Path(root)).items()
    }


def clear_storages() -> None:
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        shutil.rmtree(root, ignore_errors=True)


def empty_the_database() -> None:
    """Flush, then rebuild content types and permissions with other ids, as in another database."""
    highest_type = max(ContentType.objects.values_list("pk", flat=True), default=0)
    highest_permission = max(Permission.objects.values_list("pk", flat=True), default=0)
    call_command("flush", interactive=False, verbosity=0)
    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    spacers = ContentType.objects.bulk_create(
        ContentType(app_label="spacer", model=f"m{n}") for n in range(highest_type + 1)
    )
    Permission.objects.bulk_create(
        Permission(content_type=spacers[0], codename=f"p{n}", name="spacer")
        for n in range(highest_permission + 1)
    )
    ContentType.objects.filter(app_label="spacer").delete()
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    return out.getvalue()


def restore(path: Path, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(path), "--no-input", *args, stdout=out)
    return out.getvalue()


def read_archive(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


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


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_emptied_database_finds_every_record_and_file(media_root, tmp_path):
    full_dataset()
    records, files = snapshot(), files_on_disk()
    ids = {
        model: {row.natural_key(): row.pk for row in model.objects.all()}
        for model in (ContentType, Permission)
    }
    path = tmp_path / "backup.tar.gz"
    output = backup(path)
    assert f"Backup written to {path}" in output

    empty_the_database()
    clear_storages()
    assert Organisation.objects.count() == 0
    for model, old_ids in ids.items():
        # The restore has to find them by name: their ids are all new.
        assert all(old_ids[row.natural_key()] != row.pk for row in model.objects.all())

    output = restore(path)

    restored = snapshot()
    assert restored.keys() == records.keys()
    for label, rows in records.items():
        assert restored[label] == rows, label
    assert files_on_disk() == files
    ada = UserFactory._meta.model.objects.get(username="ada")
    assert ada.check_password(PASSWORD)
    assert [group.name for group in ada.groups.all()] == ["Backup editors"]
    assert set(ada.get_all_permissions()) >= {"agreements.view_agreement", "members.add_topic"}
    organisation = Organisation.objects.get(slug="backup-park")
    assert [topic.name for topic in organisation.topics.all()] == ["Health"]
    assert organisation.history.count() >= 1
    assert Agreement.objects.get(parties__organisation=organisation).document.read() == PDF
    assert LogEntry.objects.get().get_edited_object() == organisation
    assert ApiToken.objects.get().organisation == organisation
    assert Session.objects.count() == 0
    assert f"members.organisation {Organisation.objects.count()} " in " ".join(output.split())
    media = sum(name.startswith("media/") for name in files)
    assert f"files in default {media} (" in " ".join(output.split())
    assert "files in documents 1 (" in " ".join(output.split())
    assert "Restore complete." in output


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
    assert manifest["media"]["files"] == {"default": 1, "documents": 1}
    assert "media/staticfiles/" in manifest["left_out"]
    assert manifest["versions"]["django"].startswith("5.2")


@pytest.mark.django_db
def test_restore_into_a_database_that_holds_records_is_refused(media_root, tmp_path):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)

    with pytest.raises(
        CommandError, match=r"already holds records: .*members\.topic \(1\).* never merged"
    ):
        restore(path)
    assert Organisation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_restore_over_media_files_of_the_same_name_is_refused(media_root, tmp_path):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()

    with pytest.raises(CommandError, match="storages already hold 2 of the backup's files"):
        restore(path)
    assert Organisation.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_the_records_already_there(media_root, tmp_path):
    small_dataset()
    records, files = snapshot(), files_on_disk()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    Organisation.objects.filter(slug="backup-park").update(name="Renamed")
    TopicFactory(name="Added later")

    restore(path, "--force")

    assert snapshot() == records
    assert files_on_disk() == files


@pytest.mark.django_db(transaction=True)
def test_restore_asks_for_confirmation_when_interactive(media_root, tmp_path, monkeypatch):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()
    clear_storages()
    answers = iter(["no", "yes"])
    monkeypatch.setattr("builtins.input", lambda question: next(answers))

    with pytest.raises(CommandError, match="Restore cancelled; nothing was written"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert Organisation.objects.count() == 0
    assert files_on_disk() == {}

    call_command("restore", str(path), stdout=io.StringIO())
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_restore_check_verifies_without_writing(media_root, tmp_path):
    path = tmp_path / "backup.tar.gz"
    backup(path)

    out = io.StringIO()
    call_command("restore", str(path), "--check", stdout=out)
    assert "checksums match" in out.getvalue()
    assert "can be restored here" in out.getvalue()


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


@pytest.mark.django_db(transaction=True)
def test_restore_rolls_back_and_removes_its_files_when_the_storage_fails(
    media_root, tmp_path, monkeypatch
):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()
    clear_storages()
    save = FileSystemStorage.save
    saved = []

    def failing_second_save(storage, name, content, **kwargs):
        if saved:
            raise OSError("disk full")
        saved.append(name)
        return save(storage, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", failing_second_save)

    with pytest.raises(OSError, match="disk full"):
        restore(path)
    assert saved
    assert Organisation.objects.count() == 0
    assert files_on_disk() == {}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_go_through_the_storage_api(settings, media_root, tmp_path):
    in_memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": in_memory}
    organisation = small_dataset()
    logo = organisation.logo.read()
    path = tmp_path / "backup.tar.gz"
    output = backup(path)
    assert "files in default 1 (" in " ".join(output.split())
    empty_the_database()
    clear_storages()
    settings.STORAGES = {**settings.STORAGES, "default": {**in_memory, "OPTIONS": {}}}
    assert not default_storage.exists(organisation.logo.name)

    restore(path)

    assert Organisation.objects.get().logo.read() == logo
    assert Agreement.objects.get().document.read() == PDF


@pytest.mark.django_db
def test_backup_is_written_to_var_backups_by_default(settings, media_root, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("backup", stdout=io.StringIO())

    (written,) = (tmp_path / "var" / "backups").iterdir()
    assert re.fullmatch(r"sciparks-\d{8}T\d{6}Z\.tar\.gz", written.name)
    assert json.loads(read_archive(written)["manifest.json"])["records"]["auth.user"] == 0


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_of_a_record_whose_file_is_missing(media_root, tmp_path):
    organisation = OrganisationFactory()
    # Empty image sizes: loading the row would open the image to measure it.
    Organisation.objects.filter(pk=organisation.pk).update(logo="organisations/logos/gone.png")
    path = tmp_path / "backup.tar.gz"
    output = backup(path)

    assert "1 file(s) named by records are missing" in output
    manifest = json.loads(read_archive(path)["manifest.json"])
    assert manifest["media"]["referenced_but_missing"] == ["organisations/logos/gone.png"]
    empty_the_database()
    restore(path)
    restored = Organisation.objects.values_list("logo", "logo_width").get()
    assert restored == ("organisations/logos/gone.png", None)


@pytest.mark.django_db(transaction=True)
def test_restore_replaces_rows_a_new_database_starts_with_by_the_backups(media_root, tmp_path):
    # A migration gives every new database the staff groups; staff may have changed them since.
    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(Permission.objects.filter(codename="view_organisation"))
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()
    clear_storages()
    Group.objects.create(name="Editors").permissions.set(Permission.objects.all())

    output = restore(path)

    assert "replaced by the backup's: auth.group Editors" in output
    editors = Group.objects.get(name="Editors")
    assert [permission.codename for permission in editors.permissions.all()] == [
        "view_organisation"
    ]
    assert Organisation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_row_the_backup_does_not_hold(media_root, tmp_path):
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)
    empty_the_database()
    clear_storages()
    Group.objects.create(name="Made here")

    with pytest.raises(CommandError, match=r"already holds records: auth\.group \(1\)"):
        restore(path)
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_backup_holds_a_file_once_when_one_storage_lies_inside_another(
    settings, media_root, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = media_root / "private"
    small_dataset()
    path = tmp_path / "backup.tar.gz"
    backup(path)

    documents = [name for name in read_archive(path) if name.endswith(".pdf")]
    assert len(documents) == 1
    assert documents[0].startswith("media/documents/agreements/documents/")
