import time

from django.core.management.base import BaseCommand

from portal.downloads import build_downloads


class Command(BaseCommand):
    help = (
        "Build the bulk download files (every public record of each API list, in JSON lines "
        "and CSV) now. The worker rebuilds them by itself after changes."
    )

    def handle(self, *args, **options):
        began = time.monotonic()
        manifest = build_downloads()
        if options["verbosity"] > 0:
            for name, entry in sorted(manifest["files"].items()):
                self.stdout.write(f"  {name}: {entry['count']} records, {entry['size']} bytes")
            self.stdout.write(
                f"Built {len(manifest['files'])} files in {time.monotonic() - began:.1f} s"
            )
