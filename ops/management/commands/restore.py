from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from ops.backups import (
    BackupError,
    check_restorable,
    describe_rows,
    human_size,
    open_backup,
    report_lines,
    restore_backup,
)


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty, migrated database, "
        "then put its media files back into storage. The archive is checked first; a damaged "
        "or foreign archive, or a database that already holds records, is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Replace: delete every record already in the database (all backed-up tables) "
                "and overwrite media files of the same name, in the same transaction."
            ),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive (checksums, manifest, fit with this database).",
        )

    def handle(self, *args, path: Path, interactive: bool, force: bool, check: bool, **options):
        try:
            with open_backup(path) as backup:
                manifest, files = backup.manifest, backup.stored_files
                self.stdout.write(
                    f"{path}: backup of {manifest.get('created')} from {manifest.get('database')} "
                    f"(portal {manifest.get('versions', {}).get('sciparks')}), "
                    f"{sum(backup.records.values())} records and {len(files)} files "
                    f"({human_size(sum(size for _alias, _name, size in files))}); checksums match."
                )
                prefilled = describe_rows(check_restorable(backup, replace=force))
                for label, keys in prefilled.items():
                    self.stdout.write(
                        f"Already in the new database and in the backup, so replaced by the "
                        f"backup's: {label} {', '.join(keys)}."
                    )
                if check:
                    self.stdout.write(self.style.SUCCESS("The archive can be restored here."))
                    return
                if interactive and not self.confirmed(force):
                    raise CommandError("Restore cancelled; nothing was written.")
                summary = restore_backup(backup=backup, replace=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in report_lines(summary):
            self.stdout.write(line)
        if summary.not_in_backup:
            self.stdout.write(f"Not in the backup, left empty: {', '.join(summary.not_in_backup)}.")
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def confirmed(self, force: bool) -> bool:
        name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        if force:
            question = (
                f"This DELETES every record in the database {name!r} and replaces it with the "
                "backup. Type 'yes' to continue: "
            )
        else:
            question = f"Restore the backup into the database {name!r}? Type 'yes' to continue: "
        return input(question).strip().lower() == "yes"
