from django.core.management.base import BaseCommand

from ops.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo dataset (conferences, members, agreements, placeholder images). "
        "Safe to run again: records are matched by slug and only changed fields are written."
    )

    def handle(self, *args, **options):
        summary = load_demo()
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        if summary.changed:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data already up to date; nothing written.")
