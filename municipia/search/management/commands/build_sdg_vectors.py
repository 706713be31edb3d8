from django.core.management.base import BaseCommand

from municipia.search import suggest
from municipia.search.embeddings import MODELS


class Command(BaseCommand):
    help = (
        "Embed the SDG targets' texts and the goal descriptions with each model and store them "
        "beside the SDG data. Refit the weights afterwards: bench/sdg_suggest.py --fit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--model", action="append", choices=sorted(MODELS))

    def handle(self, *args, **options):
        for name in options["model"] or sorted(MODELS):
            targets, descriptions = suggest.build_vectors(name)
            self.stdout.write(
                f"{name}: {targets.shape[0]} target vectors → {suggest.vectors_path(name)}, "
                f"{descriptions.shape[0]} description vectors → "
                f"{suggest.description_vectors_path(name)}"
            )
