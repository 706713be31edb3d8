from django.core.management.base import BaseCommand
from tqdm import tqdm

from municipia.search import registry, services, store
from municipia.search.backends import get_backend


class Command(BaseCommand):
    help = "Index every searchable object again, in batches, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--only", action="append", choices=sorted(registry.SOURCES))
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--base-only",
            action="store_true",
            help="only build the shared index base from what is indexed (no embedding)",
        )

    def handle(self, *args, **options):
        if not options["base_only"]:
            progress = None if options["quiet"] else (lambda **kw: tqdm(unit="obj", **kw))
            written = services.rebuild_index(
                batch_size=max(1, options["batch_size"]), labels=options["only"], progress=progress
            )
            self.stdout.write(self.style.SUCCESS(f"{written} documents indexed."))
        # The shared base every worker maps (docs/decisions/0027-shared-search-index.md).
        backend = get_backend()
        if getattr(backend, "models", None) is not None and hasattr(backend, "centre_languages"):
            manifest = store.build(
                backend.models, using=backend.using, centre=backend.centre_languages, force=True
            )
            if manifest is None:
                self.stdout.write("The shared index base is being built by another process.")
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Shared index base {manifest['generation']}: {manifest['rows']} entries."
                    )
                )
