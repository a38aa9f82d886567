from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backups import (
    LEFT_OUT,
    LEFT_OUT_MEDIA,
    LEFT_OUT_STORAGES,
    BackupError,
    human_size,
    report_lines,
    write_backup,
)


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of every record and every stored file (media, private "
        "documents), restorable with `manage.py restore` into an empty database, SQLite or "
        "PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Where to write the archive (default: var/backups/sciparks-<UTC time>.tar.gz).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            summary = write_backup(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in report_lines(summary):
            self.stdout.write(line)
        left_out = [
            *LEFT_OUT,
            *(f"{prefix} files" for prefix in LEFT_OUT_MEDIA),
            *(f"the {alias} storage" for alias in LEFT_OUT_STORAGES),
        ]
        self.stdout.write(f"Left out (rebuilt or transient): {', '.join(left_out)}.")
        if summary.missing_media:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(summary.missing_media)} file(s) named by records are missing from the "
                    f"media storage (first: {summary.missing_media[0]})."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {summary.path} ({human_size(summary.archive_bytes)})."
            )
        )
