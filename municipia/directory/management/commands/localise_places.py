"""`python -m municipia localise_places`: store the names of the loaded places in the interface
languages (and their countries' official ones) from CLDR and GeoNames' tagged names. The gazetteer
import does it too; this renews them alone, for instance after upgrading `babel` or `plaincities`."""

import time

from django.core.management.base import BaseCommand

from municipia.directory.models import LocalGovernment
from municipia.directory.place_names import fill_localised_names


class Command(BaseCommand):
    help = "Store places' names in the interface languages (idempotent: run it again to update)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            metavar="CODE",
            help="only the places of this ISO alpha-2 country (repeatable)",
        )

    def handle(self, *args, country=(), **options):
        started = time.perf_counter()
        places = LocalGovernment.objects.all()
        if country:
            places = places.filter(country__code__in=[code.upper() for code in country])
        report = fill_localised_names(places)
        languages = ", ".join(f"{lang} {n}" for lang, n in sorted(report.per_language.items()))
        self.stdout.write(
            f"Names in a language: {report.created} created, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged "
            f"({languages or 'none'}); {report.searchable_added} made searchable.\n"
            f"Done in {time.perf_counter() - started:.1f} s."
        )
