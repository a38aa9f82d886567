"""Helpers and the media_root fixture shared by the backup and restore tests."""

import io
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from agreements.models import AgreementDocument
from members.models import Organisation
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    TopicFactory,
    organisation_with_logo,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path) -> Iterator[Path]:
    """The media folder and the private documents' folder, both this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The documents' storage keeps the folder it was made with; here it follows the setting.
    documents = {AgreementDocument._meta.get_field("file").storage, storages["documents"]}
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
    agreement = AgreementFactory()
    AgreementDocumentFactory(agreement=agreement, file=ContentFile(PDF, name="signed.pdf"))
    AgreementPartyFactory(agreement=agreement, organisation=organisation, order=0)
    return organisation


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
