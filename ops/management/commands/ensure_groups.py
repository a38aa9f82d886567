from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from portal.roles import ensure_staff_groups


class Command(BaseCommand):
    help = (
        "Create the staff groups Editors and Viewers, or bring their permissions up to date "
        "(run it after adding a model). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        counts = ensure_staff_groups(using=options["database"])
        if options["verbosity"] > 0:
            for role, count in counts.items():
                self.stdout.write(f"  {role}: {count} permissions")
