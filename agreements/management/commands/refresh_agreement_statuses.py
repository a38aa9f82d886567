from django.core.management.base import BaseCommand

from agreements.services import refresh_agreement_statuses
from agreements.tasks import refresh_statuses


class Command(BaseCommand):
    help = (
        "Move the agreements whose dates passed to the status their dates give today (in "
        "force, expired, terminated). Run it once a day; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the refresh for the task worker (manage.py db_worker) instead.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = refresh_statuses.enqueue()
            if options["verbosity"] > 0:
                self.stdout.write(f"Queued the status refresh ({result.id}).")
            return
        moved = refresh_agreement_statuses()
        if options["verbosity"] > 0:
            for agreement in moved:
                self.stdout.write(f"  {agreement.slug}: {agreement.get_status_display()}")
            self.stdout.write(f"{len(moved)} agreement(s) moved.")
