from django.core.management.base import BaseCommand

from municipia.knowledge.models import SdgGoal, SdgIndicator, SdgTarget
from municipia.knowledge.sdg import load_taxonomy


class Command(BaseCommand):
    help = "Load (or refresh) the SDG goals, targets and indicators from the project's data."

    def handle(self, *args, **options):
        goals, targets, indicators = load_taxonomy(SdgGoal, SdgTarget, SdgIndicator)
        self.stdout.write(f"{goals} goals, {targets} targets, {indicators} indicators")
