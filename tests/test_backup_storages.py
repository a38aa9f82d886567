"""Backups and storages: a failing save, the storage API, default folder, missing, nested files."""

import io
import json
import re

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command

from agreements.models import Agreement
from members.models import Organisation
from tests import backup_support
from tests.backup_support import (
    PDF,
    backup,
    clear_storages,
    empty_the_database,
    files_on_disk,
    read_archive,
    restore,
    small_dataset,
)
from tests.factories import OrganisationFactory

# The shared fixture, bound here so that pytest finds it (an import would trip ruff F811).
media_root = backup_support.media_root


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
    assert Agreement.objects.get().documents.get().file.read() == PDF


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
