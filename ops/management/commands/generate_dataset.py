import time

from django.core.management.base import BaseCommand, CommandError

from ops.dataset import AS_OF, MIN_SCALE, DatasetExists, generate_dataset


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic dataset for measuring the portal at scale: "
        "at scale 1, 1,000 organisations, 5,000 people, 200 conferences of 20 sessions and "
        f"10,000 agreements, as of {AS_OF.day} {AS_OF:%B %Y}. The same scale and seed always "
        "give the same rows. Rows are bulk-inserted: no history is recorded for them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=f"Size relative to scale 1 (default 1; at least {MIN_SCALE}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Delete every organisation, person, conference and agreement already in the "
                "database (with their links, history and partner API tokens) first."
            ),
        )

    def handle(self, *args, scale: float, seed: int, replace: bool, **options):
        started = time.perf_counter()
        try:
            counts = generate_dataset(scale=scale, seed=seed, replace=replace)
        except (DatasetExists, ValueError) as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        if options["verbosity"] == 0:
            return
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>9}")
        self.stdout.write(f"  {'total':<{width}}  {sum(counts.values()):>9}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated the dataset at scale {scale:g} with seed {seed} in {elapsed:.1f} s."
            )
        )
