from django.core.management.base import BaseCommand

from municipia.search import suggest
from municipia.search.embeddings import MODELS


class Command(BaseCommand):
    help = "Embed the SDG targets' texts with each model and store them beside the SDG data."

    def add_arguments(self, parser):
        parser.add_argument("--model", action="append", choices=sorted(MODELS))

    def handle(self, *args, **options):
        for name in options["model"] or sorted(MODELS):
            vectors = suggest.build_vectors(name)
            self.stdout.write(f"{name}: {vectors.shape[0]} vectors → {suggest.vectors_path(name)}")
