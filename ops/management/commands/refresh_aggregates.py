import time

from django.core.management.base import BaseCommand

from core.aggregates import refresh
from portal import aggregates  # noqa: F401  (registers the figures and the network)


class Command(BaseCommand):
    help = (
        "Count the figures and the cooperation network now and keep them for the pages (after "
        "a deploy or a data load). The worker counts them again by itself after changes."
    )

    def handle(self, *args, **options):
        began = time.monotonic()
        done = refresh()
        if options["verbosity"] > 0:
            self.stdout.write(f"Counted {len(done)} aggregates in {time.monotonic() - began:.1f} s")
