import datetime

from django.core.management.base import BaseCommand, CommandError

from agreements.services.reminders import send_due_reminders
from agreements.tasks import queue_runs_later, schedule_daily_reminders


class Command(BaseCommand):
    help = (
        "Tell the parties' contacts and staff by e-mail of agreements that expire in 90 or 30 "
        "days (each reminder once; missed days are caught up). Safe to run many times a day. "
        "With --schedule, queue the worker's daily run instead, unless it is queued already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the worker's daily run of the reminders (if none is waiting) and exit.",
        )
        parser.add_argument(
            "--today",
            help="Run as on this date (YYYY-MM-DD), e.g. to catch up after a long outage.",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            if not queue_runs_later():
                self.stdout.write(
                    "This task queue runs tasks at once, not later: nothing queued. Run this "
                    "command daily (cron or a systemd timer) instead."
                )
                return
            queued = schedule_daily_reminders()
            if options["verbosity"] > 0:
                self.stdout.write(
                    "Daily reminders queued." if queued else "Daily reminders already queued."
                )
            return
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        run = send_due_reminders(today=today)
        if options["verbosity"] > 0:
            self.stdout.write(f"{len(run.sent)} reminders sent ({run.messages} messages queued).")
