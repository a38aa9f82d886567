import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.webhooks.services import prune_deliveries


class Command(BaseCommand):
    help = (
        "Forget webhook deliveries (delivered or failed) older than --days, so that the "
        "delivery log does not grow for ever. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help="Keep the deliveries of the last DAYS days (default: 90).",
        )

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        deleted = prune_deliveries(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"{deleted} webhook deliveries older than {days} days forgotten.")
