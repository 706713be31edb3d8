from django.core.management.base import BaseCommand
from tqdm import tqdm

from municipia.search import registry, services


class Command(BaseCommand):
    help = "Index every searchable object again, in batches, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--only", action="append", choices=sorted(registry.SOURCES))
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        progress = None if options["quiet"] else (lambda **kw: tqdm(unit="obj", **kw))
        written = services.rebuild_index(
            batch_size=max(1, options["batch_size"]), labels=options["only"], progress=progress
        )
        self.stdout.write(self.style.SUCCESS(f"{written} documents indexed."))
