"""backup, then restore: the full round trip, and restores refused, confirmed or forced."""

import io

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.fields.files import FieldFile

from agreements.models import Agreement
from core.templatetags.site import rendition
from members.models import Organisation
from portal.models import ApiToken
from tests import backup_support
from tests.backup_support import (
    PDF,
    backup,
    clear_storages,
    empty_the_database,
    files_on_disk,
    restore,
    small_dataset,
)
from tests.factories import (
    StaffUserFactory,
    TopicFactory,
    UserFactory,
    api_token,
    person_with_photo,
)

# The shared fixture, bound here so that pytest finds it (an import would trip ruff F811).
media_root = backup_support.media_root


PASSWORD = "correct horse battery staple"


# Written down here rather than taken from config.backups, so that a table the backup forgets
# shows up as a difference.
LEFT_OUT_APPS = {"contenttypes", "sessions", "axes"}


LEFT_OUT_MODELS = {"auth.permission"}


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
    agreement = Agreement.objects.get(parties__organisation=organisation)
    assert agreement.documents.get().file.read() == PDF
    assert LogEntry.objects.get().get_edited_object() == organisation
    assert ApiToken.objects.get().organisation == organisation
    assert Session.objects.count() == 0
    assert f"members.organisation {Organisation.objects.count()} " in " ".join(output.split())
    media = sum(name.startswith("media/") for name in files)
    assert f"files in default {media} (" in " ".join(output.split())
    assert "files in documents 1 (" in " ".join(output.split())
    assert "Restore complete." in output


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
